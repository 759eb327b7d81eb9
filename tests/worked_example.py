"""The worked example of docs/indicateurs.md ("Centre social des Tilleuls"), as records."""

CENTRE = {"name": "Centre social des Tilleuls", "year": 2025, "volunteer_hourly_rate": 12.02}

ACTORS = [
    {"name": "Centre social des Tilleuls", "category": "centre", "local": "oui"},
    {"name": "CAF", "category": "institutions", "local": "oui"},
    {"name": "Mairie", "category": "institutions", "local": "oui"},
    {"name": "Bénévoles", "category": "benevoles", "local": "oui"},
    {"name": "Ferme du Coteau", "category": "producteurs", "local": "oui"},
    {"name": "Fondation Horizon", "category": "financeurs", "local": "non"},
    {"name": "Familles du quartier", "category": "habitants", "local": "oui"},
]

ACTIVITIES = [
    {"name": "Atelier cuisine", "type": "principale", "domains": "individuel|societal"},
    {"name": "Gouvernance", "type": "support", "function": "gouvernance", "domains": "politique"},
]

FLOWS = [
    {
        "source": "CAF",
        "target": "Centre social des Tilleuls",
        "nature": "monetaire",
        "quantity": 30000,
        "unit": "€",
        "domains": "economique_territorial",
    },
    {"source": "Mairie", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 10000, "unit": "€"},
    {"source": "Mairie", "target": "Atelier cuisine", "nature": "lieu", "quantity": 1, "unit": "salle", "value": 2000},
    {"source": "Bénévoles", "target": "Atelier cuisine", "nature": "benevolat", "quantity": 200, "unit": "h"},
    {"source": "Bénévoles", "target": "Gouvernance", "nature": "benevolat", "quantity": 50, "unit": "h"},
    {
        "source": "Ferme du Coteau",
        "target": "Atelier cuisine",
        "nature": "nature",
        "quantity": 300,
        "unit": "kg",
        "value": 600,
    },
    {
        "source": "Fondation Horizon",
        "target": "Centre social des Tilleuls",
        "nature": "monetaire",
        "quantity": 5000,
        "unit": "€",
    },
    {
        "source": "Atelier cuisine",
        "target": "Familles du quartier",
        "nature": "service",
        "quantity": 40,
        "unit": "personnes",
    },
    {"source": "Centre social des Tilleuls", "target": "Ferme du Coteau", "nature": "information"},
    {"source": "Familles du quartier", "target": "Gouvernance", "nature": "benevolat", "quantity": 30, "unit": "h"},
    {
        "source": "Ferme du Coteau",
        "target": "Familles du quartier",
        "nature": "nature",
        "quantity": 50,
        "unit": "kg",
        "value": 100,
        "domains": "economique_territorial|environnemental",
    },
]


def raw_workbook():
    from valuechain.workbook.writing import raw_workbook_from_records

    return raw_workbook_from_records("tilleuls", CENTRE, actors=ACTORS, activities=ACTIVITIES, flows=FLOWS)


# The same centre over three years (docs/indicateurs.md, "Évolution d'une année à l'autre"):
# 2024 before the worked example, 2025 the worked example, 2026 after it. In 2026 the Mairie
# has another id ("ville") but the same name; Fondation Horizon and the Familles no longer
# contribute; a Collectif and Fondation Lumière are new.
CENTRE_2024 = dict(CENTRE, year=2024)
ACTORS_2024 = [
    {"name": "Centre social des Tilleuls", "category": "centre", "local": "oui"},
    {"name": "CAF", "category": "institutions", "local": "oui"},
    {"name": "Mairie", "category": "institutions", "local": "oui"},
    {"name": "Bénévoles", "category": "benevoles", "local": "oui"},
    {"name": "Épicerie du Marché", "category": "entreprises", "local": "oui"},
    {"name": "Familles du quartier", "category": "habitants", "local": "oui"},
]
FLOWS_2024 = [
    {"source": "CAF", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 28000, "unit": "€"},
    {"source": "Mairie", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 10000, "unit": "€"},
    {"source": "Mairie", "target": "Atelier cuisine", "nature": "lieu", "quantity": 1, "unit": "salle", "value": 2000},
    {"source": "Bénévoles", "target": "Atelier cuisine", "nature": "benevolat", "quantity": 150, "unit": "h"},
    {
        "source": "Épicerie du Marché",
        "target": "Atelier cuisine",
        "nature": "nature",
        "quantity": 100,
        "unit": "kg",
        "value": 400,
    },
    {
        "source": "Atelier cuisine",
        "target": "Familles du quartier",
        "nature": "service",
        "quantity": 30,
        "unit": "personnes",
    },
]
CENTRE_2026 = dict(CENTRE, year=2026)
ACTORS_2026 = [
    {"name": "Centre social des Tilleuls", "category": "centre", "local": "oui"},
    {"name": "CAF", "category": "institutions", "local": "oui"},
    {"id": "ville", "name": "Mairie", "category": "institutions", "local": "oui"},
    {"name": "Bénévoles", "category": "benevoles", "local": "oui"},
    {"name": "Ferme du Coteau", "category": "producteurs", "local": "oui"},
    {"name": "Familles du quartier", "category": "habitants", "local": "oui"},
    {"name": "Collectif Jardins partagés", "category": "associations", "local": "oui"},
    {"name": "Fondation Lumière", "category": "financeurs", "local": "non"},
]
FLOWS_2026 = [
    {"source": "CAF", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 32000, "unit": "€"},
    {"source": "ville", "target": "Centre social des Tilleuls", "nature": "monetaire", "quantity": 10000, "unit": "€"},
    {"source": "ville", "target": "Atelier cuisine", "nature": "lieu", "quantity": 1, "unit": "salle", "value": 2000},
    {"source": "Bénévoles", "target": "Atelier cuisine", "nature": "benevolat", "quantity": 220, "unit": "h"},
    {"source": "Bénévoles", "target": "Gouvernance", "nature": "benevolat", "quantity": 50, "unit": "h"},
    {
        "source": "Ferme du Coteau",
        "target": "Atelier cuisine",
        "nature": "nature",
        "quantity": 400,
        "unit": "kg",
        "value": 800,
        "data_source": "estimation",
    },
    {
        "source": "Collectif Jardins partagés",
        "target": "Atelier cuisine",
        "nature": "benevolat",
        "quantity": 40,
        "unit": "h",
    },
    {
        "source": "Fondation Lumière",
        "target": "Centre social des Tilleuls",
        "nature": "monetaire",
        "quantity": 3000,
        "unit": "€",
        "data_source": "comptabilité",
    },
    {
        "source": "Atelier cuisine",
        "target": "Familles du quartier",
        "nature": "service",
        "quantity": 45,
        "unit": "personnes",
    },
]


def raw_workbook_of_year(year: int):
    """The Tilleuls of 2024, 2025 (the worked example) or 2026."""
    from valuechain.workbook.writing import raw_workbook_from_records

    if year == 2025:
        return raw_workbook()
    centre, actors, flows = {
        2024: (CENTRE_2024, ACTORS_2024, FLOWS_2024),
        2026: (CENTRE_2026, ACTORS_2026, FLOWS_2026),
    }[year]
    return raw_workbook_from_records(f"tilleuls-{year}", centre, actors=actors, activities=ACTIVITIES, flows=flows)
