"""Colours of categories, natures and domains: colour-blind-safe (Okabe-Ito, Paul Tol), and
the same on the map, the charts and the exports."""

CATEGORY_COLOURS = {
    "centre": "#D55E00",  # vermillion: the centre stands out
    "habitants": "#E69F00",  # orange
    "benevoles": "#F0E442",  # yellow
    "salaries": "#CC79A7",  # reddish purple
    "producteurs": "#009E73",  # bluish green
    "associations": "#56B4E9",  # sky blue
    "institutions": "#0072B2",  # blue
    "entreprises": "#882255",  # wine (Tol)
    "financeurs": "#117733",  # green (Tol)
    "autre": "#AAAAAA",  # grey
}

NATURE_COLOURS = {
    "monetaire": "#4477AA",
    "benevolat": "#EE6677",
    "nature": "#228833",
    "lieu": "#CCBB44",
    "service": "#66CCEE",
    "competences": "#AA3377",
    "information": "#332288",
    "reconnaissance": "#44AA99",
    "autre": "#999999",
}

DOMAIN_COLOURS = {
    "individuel": "#E69F00",
    "politique": "#0072B2",
    "environnemental": "#009E73",
    "economique_territorial": "#CC79A7",
    "societal": "#D55E00",
    "non_renseigne": "#BBBBBB",
}

ACTIVITY_COLOURS = {"principale": "#FFFFFF", "support": "#E3E3E3"}
ACTIVITY_BORDER = "#333333"
