"""Plotly figures, as pure functions: data in, ``plotly.graph_objects.Figure`` out.

Names are data: plotly reads a few HTML tags in text (``<b>``, ``<a href>``), so every name
goes through ``plain`` first and is shown as the characters it is made of.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import networkx as nx
import plotly.graph_objects as go

from valuechain.chain import figures as registry
from valuechain.chain.graph import is_activity
from valuechain.chain.metrics import Contribution, domain_parts, is_resource_flow
from valuechain.media import formatting as fmt
from valuechain.media.palette import CATEGORY_COLOURS, DOMAIN_COLOURS, NATURE_COLOURS
from valuechain.media.tables import CHART_TOP, top_contributions
from valuechain.vocabulary import CATEGORIES, DOMAINS, NATURES, UNIT_EUR, UNSPECIFIED_DOMAIN, domain_label, unit_label
from valuechain.words.language import language
from valuechain.words.messages import figure_name, say

FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=15)

# The smallest share of a donut written in its slice (below it, in the hover only).
SMALL_SLICE = 0.06


def plain(text: object) -> str:
    """A name as text for plotly: ``<b>`` stays the three characters ``<b>``."""
    return html.escape(str(text), quote=False)


# A phone's screen (about 360 px for a chart): the charts' words smaller, names on two lines,
# more room for the values (the pages pass ``narrow``, dashboard.widgets.on_a_phone).
NARROW_FONT = 12


def _layout(
    figure: go.Figure,
    lang: str,
    title: str | None = None,
    height: int | None = None,
    presentation: bool = False,
    narrow: bool = False,
) -> go.Figure:
    size = 22 if presentation else NARROW_FONT if narrow else FONT["size"]
    shown_title = None if not title else _wrapped(plain(title), 34) if narrow else plain(title)
    figure.update_layout(
        title=shown_title,
        font=dict(FONT, size=size),
        height=height,
        margin=dict(l=4 if narrow else 10, r=4 if narrow else 10, t=(60 if narrow else 50) if title else 10, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        # plotly's own number formats: decimal mark, then thousands separator.
        separators=language(lang).decimal + language(lang).group,
    )
    return figure


def _money_axis(figure: go.Figure, lang: str, axis: str = "y") -> None:
    """An axis of euros written as the tables write them ("40 000 €", "€40,000"), never "40k"."""
    prefix, suffix = fmt.money_affixes(lang)
    settings = dict(tickformat=",.0f", ticksuffix=suffix, tickprefix=prefix)
    (figure.update_xaxes if axis == "x" else figure.update_yaxes)(**settings)


def _percent_suffix(lang: str) -> str:
    return fmt.percent_suffix(lang)


def _wrapped(text: str, width: int = 14) -> str:
    """A long axis label on two lines, so that it can stay horizontal."""
    if len(text) <= width or " " not in text:
        return text
    middle = len(text) // 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "<br>" + text[cut + 1 :]


def _lines(text: str, width: int, most: int = 2) -> str:
    """A name on lines of about ``width`` characters, cut between words, at most ``most`` of
    them (the last ends with "…" where the name is longer; the hover has it whole)."""
    import textwrap

    # A word longer than a line stays whole on its own ("Environnementale"), never cut.
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
    if len(lines) > most:
        rest = " ".join(lines[most - 1 :])
        short = textwrap.shorten(rest, width, placeholder="…")
        lines = lines[: most - 1] + [rest[: width - 1] + "…" if short == "…" else short]
    return "<br>".join(lines)


def _room_for_values(values: list[float], narrow: bool) -> list[float]:
    """The value axis's range, with room past the longest bar for its amount written outside
    (on a phone the bars are short and the amount is as long: more room)."""
    return [0, max(values + [1.0]) * (1.75 if narrow else 1.25)]


def _empty(lang: str, presentation: bool = False) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=say("chart", "no_data", lang), showarrow=False, font=dict(size=18))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(figure, lang, height=200, presentation=presentation)


def contributions_bar(
    contributions: list[Contribution],
    lang: str,
    top: int = CHART_TOP,
    presentation: bool = False,
    narrow: bool = False,
) -> go.Figure:
    """Contributions by actor, largest on top, coloured by category; the rest grouped. On a
    phone, each name on two short lines: the bars keep most of the width."""
    if not contributions:
        return _empty(lang, presentation)
    shown, others, others_value = top_contributions(contributions, top)
    names = [_lines(plain(c.name), 16) if narrow else plain(c.name) for c in shown]
    values = [c.value for c in shown]
    colours = [CATEGORY_COLOURS.get(c.category, "#999") for c in shown]
    hover = [
        f"{plain(c.name)}<br>{plain(CATEGORIES.short(c.category, lang))}<br>{fmt.money(c.value, lang)} "
        f"({fmt.percent(c.share, lang)})"
        for c in shown
    ]
    if others:
        names.append(say("chart", "others", lang, count=others))
        values.append(others_value)
        colours.append("#DDDDDD")
        hover.append(fmt.money(values[-1], lang))
    figure = go.Figure(
        go.Bar(
            x=values[::-1],
            y=names[::-1],
            orientation="h",
            marker_color=colours[::-1],
            hovertext=hover[::-1],
            hoverinfo="text",
            text=[fmt.money(v, lang, 0) for v in values[::-1]],
            # Outside the bar, in the room the axis keeps for it: inside a short bar, or past
            # the chart's edge on a phone, it was cut.
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_xaxes(title=say("chart", "value", lang), range=_room_for_values(values, narrow))
    _money_axis(figure, lang, "x")
    if narrow:
        figure.update_xaxes(nticks=3)
    return _layout(
        figure,
        lang,
        figure_name("contributions", lang),
        height=max(300, (44 if narrow else 34) * len(names) + 80),
        presentation=presentation,
        narrow=narrow,
    )


def categories_chart(
    by_category: dict[str, float], lang: str, presentation: bool = False, narrow: bool = False
) -> go.Figure:
    """Contributions by actor category, as a donut (the evenness, seen)."""
    items = [(c, v) for c, v in by_category.items() if v > 0]
    if not items:
        return _empty(lang, presentation)
    total = sum(v for _, v in items)
    # Shares written as the tables write them ("25,20 %"), not plotly's "25.2%". A slice under
    # SMALL_SLICE has its share in its hover only: written in it, neighbours' labels overlap.
    shares = [fmt.percent(v / total, lang) for _, v in items]
    figure = go.Figure(
        go.Pie(
            labels=[plain(CATEGORIES.short(c, lang)) for c, _ in items],
            values=[v for _, v in items],
            marker_colors=[CATEGORY_COLOURS[c] for c, _ in items],
            hole=0.45,
            sort=False,
            text=[share if v / total >= SMALL_SLICE else "" for share, (_, v) in zip(shares, items)],
            textinfo="text",
            customdata=shares,
            textposition="inside",
            hovertemplate="%{label}<br>%{customdata}<extra></extra>",
        )
    )
    figure.update_layout(uniformtext_minsize=NARROW_FONT if narrow else 12, uniformtext_mode="hide")
    _layout(
        figure,
        lang,
        figure_name("evenness", lang),
        height=460 if narrow else 380,
        presentation=presentation,
        narrow=narrow,
    )
    if narrow:  # the legend under the ring: beside it, it took half a phone's width
        figure.update_layout(legend=dict(orientation="h", x=0.5, xanchor="center", y=-0.05, yanchor="top"))
    return figure


def natures_chart(
    by_nature: dict[str, float], lang: str, presentation: bool = False, narrow: bool = False
) -> go.Figure:
    """What is brought, by nature (in euros)."""
    items = [(n, v) for n, v in by_nature.items() if v > 0]
    if not items:
        return _empty(lang, presentation)
    # Horizontal bars, as the domains: each kind's name reads level on one line ("Premises
    # and equipment" beside "In-kind goods" overlapped under columns), the first on top.
    figure = go.Figure(
        go.Bar(
            y=[
                _lines(plain(NATURES.short(n, lang)), 14) if narrow else plain(NATURES.short(n, lang)) for n, _ in items
            ][::-1],
            x=[v for _, v in items][::-1],
            orientation="h",
            marker_color=[NATURE_COLOURS[n] for n, _ in items][::-1],
            text=[fmt.money(v, lang, 0) for _, v in items][::-1],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_xaxes(title=say("chart", "value", lang))
    _money_axis(figure, lang, "x")
    figure.update_xaxes(range=_room_for_values([v for _, v in items], narrow))
    if narrow:
        figure.update_xaxes(nticks=3)
    title = say("chart", "resources_by_nature_title", lang)
    return _layout(
        figure, lang, title, height=max(300, 50 * len(items) + 120), presentation=presentation, narrow=narrow
    )


def domains_bar(
    value_by_domain: dict[str, float], lang: str, presentation: bool = False, narrow: bool = False
) -> go.Figure:
    """Value by impact domain, the five domains always shown, in the vocabulary's order."""
    codes = list(DOMAINS.codes) + ([UNSPECIFIED_DOMAIN] if value_by_domain.get(UNSPECIFIED_DOMAIN) else [])
    values = [value_by_domain.get(code, 0.0) for code in codes]
    # Horizontal bars: each domain's name reads level on one line, however long, and the
    # first domain of the vocabulary stands on top.
    figure = go.Figure(
        go.Bar(
            y=[_lines(plain(domain_label(c, lang)), 13) if narrow else plain(domain_label(c, lang)) for c in codes][
                ::-1
            ],
            x=values[::-1],
            orientation="h",
            marker_color=[DOMAIN_COLOURS[c] for c in codes][::-1],
            text=[fmt.money(v, lang, 0) for v in values][::-1],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_xaxes(title=say("chart", "value", lang))
    _money_axis(figure, lang, "x")
    # Room on the right for the value written past the longest bar.
    figure.update_xaxes(range=_room_for_values(values, narrow))
    if narrow:
        figure.update_xaxes(nticks=3)
    return _layout(
        figure,
        lang,
        figure_name("value_by_domain", lang),
        height=60 * len(codes) + 120,
        presentation=presentation,
        narrow=narrow,
    )


def _shares(counts: dict[str, float]) -> list[float]:
    total = sum(counts.get(c, 0.0) for c in DOMAINS.codes)
    return [counts.get(c, 0.0) / total if total else 0.0 for c in DOMAINS.codes]


def domains_radar(
    series: dict[str, dict[str, float]],
    lang: str,
    presentation: bool = False,
    title: str | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Radar of the five domains: each series (name → counts by domain) as its shares. The
    domains' names on short lines around the circle, in margins that leave the circle most
    of the width (fixed 190 px margins left nothing of a phone's 360 px: a point)."""
    theta = [_lines(plain(DOMAINS.short(c, lang)), 11, most=3) for c in DOMAINS.codes]
    figure = go.Figure()
    suffix = _percent_suffix(lang)
    for name, counts in series.items():
        shares = [100 * share for share in _shares(counts)]  # in percent: "45 %", as the tables write it
        figure.add_trace(
            go.Scatterpolar(
                r=shares + shares[:1],
                theta=theta + theta[:1],
                name=plain(name),
                fill="toself",
                opacity=0.55,
                hovertemplate="%{theta}: %{r:.0f}" + suffix + "<extra>" + plain(name) + "</extra>",
            )
        )
    figure.update_layout(
        polar=dict(
            radialaxis=dict(tickformat=".0f", ticksuffix=suffix, rangemode="tozero", nticks=4, angle=90, tickangle=90)
        ),
        showlegend=True,
    )
    _layout(figure, lang, title, height=420 if narrow else 450, presentation=presentation, narrow=narrow)
    # Room for the domain names around the circle ("Économique / et / territoriale" whole), and
    # the legend under it: beside it, it hid the domain on the right ("Civic and political").
    side = 190 if presentation else 100 if narrow else 120
    figure.update_layout(
        margin=dict(l=side, r=side, t=70 if narrow else 60, b=90),
        legend=dict(orientation="h", x=0.5, xanchor="center", y=-0.08, yanchor="top"),
    )
    return figure


# The chain as a Sankey ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SankeyLink:
    source: str
    target: str
    value: float
    colour: str
    kind: str = "domain"  # contributor → activity, activity → domain, or → an actor reached


# Above this many contributors (or actors reached), the chain shows the largest and one band
# for the rest: a diagram of thousands of nodes is unreadable, and freezes the browser.
SANKEY_TOP = 30


def sankey_links(
    graph: nx.MultiDiGraph, lang: str, unit: str = UNIT_EUR, by: str = "actor", top: int | None = SANKEY_TOP
) -> list[SankeyLink]:
    """The chain's three layers: contributors → activities → (in euros) impact domains, or
    (in another unit) the actors the activities reach. ``by`` groups contributors by actor
    or by category. Resources sent to the centre with no activity named go to the centre's
    general running. Beyond ``top`` contributors (activities, actors reached), the smallest
    are one band, "Autres contributeurs (n)"; every total stays the same."""
    links = _sankey_links(graph, lang, unit, by)
    if top is None or by != "actor":
        return links
    contributors = {link.source for link in links if link.kind == "contributor"}
    reached = {link.target for link in links if link.kind == "reached"}
    # The activities: what contributors give to, and what reaches actors or domains.
    middle = {link.target for link in links if link.kind == "contributor"} | {
        link.source for link in links if link.kind in ("domain", "reached")
    }
    renamed: dict[str, str] = {}
    for names, key in ((contributors, "other_contributors"), (reached, "other_reached"), (middle, "other_activities")):
        if len(names) <= top:
            continue
        received: dict[str, float] = {}
        given: dict[str, float] = {}
        for link in links:
            if link.target in names:
                received[link.target] = received.get(link.target, 0.0) + link.value
            if link.source in names:
                given[link.source] = given.get(link.source, 0.0) + link.value
        # A node's size is the larger of what it receives and what it passes on.
        totals = {name: max(received.get(name, 0.0), given.get(name, 0.0)) for name in names}
        kept = set(sorted(totals, key=lambda n: (-totals[n], n))[:top])
        others = say("chart", key, lang, count=len(names) - len(kept))
        renamed.update({name: others for name in names if name not in kept})
    if not renamed:
        return links
    merged: dict[tuple[str, str], SankeyLink] = {}
    for link in links:
        source, target = renamed.get(link.source, link.source), renamed.get(link.target, link.target)
        grouped = source != link.source or target != link.target
        previous = merged.get((source, target))
        merged[(source, target)] = SankeyLink(
            source,
            target,
            link.value + (previous.value if previous else 0.0),
            OTHERS_COLOUR if grouped else link.colour,
            link.kind,
        )
    return list(merged.values())


OTHERS_COLOUR = "#9e9e9e"


def sankey_counts(graph: nx.MultiDiGraph, unit: str = UNIT_EUR) -> tuple[int, int]:
    """How many contributors and actors reached the chain has, by actor (before any band
    for the rest): what the page says when it shows only the largest."""
    links = _sankey_links(graph, "fr", unit, "actor")
    return (
        len({link.source for link in links if link.kind == "contributor"}),
        len({link.target for link in links if link.kind == "reached"}),
    )


def _sankey_links(graph: nx.MultiDiGraph, lang: str, unit: str, by: str) -> list[SankeyLink]:
    centre = graph.graph["centre"]
    general = say("chart", "centre_general", lang)
    links: dict[tuple[str, str], list] = {}

    def add(source: str, target: str, value: float, colour: str, kind: str = "domain") -> None:
        if value <= 0:
            return
        entry = links.setdefault((source, target), [0.0, colour, kind])
        entry[0] += value

    def measure(data: dict) -> float:
        if unit == UNIT_EUR:
            return data["value"] or 0.0
        return (data["quantity"] or 0.0) if data["unit"] == unit else 0.0

    def node_name(node: str) -> str:
        if node == centre:
            return general
        return graph.nodes[node]["name"]

    for source, target, data in graph.edges(data=True):
        amount = measure(data)
        if not amount:
            continue
        if is_resource_flow(graph, source, target):
            activity = data.get("activity")
            middle = graph.nodes[activity]["name"] if activity and is_activity(graph, activity) else general
            if by == "category":
                origin = CATEGORIES.short(graph.nodes[source]["category"], lang)
                colour = CATEGORY_COLOURS[graph.nodes[source]["category"]]
            else:
                origin = graph.nodes[source]["name"]
                colour = CATEGORY_COLOURS.get(graph.nodes[source]["category"], "#999")
            add(origin, middle, amount, colour, "contributor")
            if unit == UNIT_EUR:
                for domain, part in domain_parts(data["domains"], amount):
                    add(middle, domain_label(domain, lang), part, DOMAIN_COLOURS[domain])
        elif unit != UNIT_EUR and (source == centre or is_activity(graph, source)) and not is_activity(graph, target):
            add(node_name(source), graph.nodes[target]["name"], amount, NATURE_COLOURS[data["nature"]], "reached")
    return [SankeyLink(s, t, v, c, k) for (s, t), (v, c, k) in links.items()]


def _rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def sankey(
    graph: nx.MultiDiGraph,
    lang: str,
    unit: str = UNIT_EUR,
    by: str = "actor",
    presentation: bool = False,
    top: int | None = SANKEY_TOP,
    narrow: bool = False,
) -> go.Figure:
    """The value chain as a plotly Sankey (the ``top`` largest contributors, the rest as one).
    On a phone, the names on short lines in a smaller size and the diagram taller: the three
    columns' names have a third of the width each."""
    links = sankey_links(graph, lang, unit, by, top)
    if not links:
        return _empty(lang, presentation)
    # Each name once, in the order met (a dict: a list's "in" made this quadratic).
    index: dict[str, int] = {}
    for link in links:
        for name in (link.source, link.target):
            index.setdefault(name, len(index))
    names = list(index)
    unit_text = "€" if unit == UNIT_EUR else unit_label(unit, lang)
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node=dict(
                label=[_lines(plain(n), 14, most=3) if narrow else plain(n) for n in names],
                customdata=[plain(n) for n in names],
                pad=40 if narrow else 18,
                thickness=18,
                color="#888888",
                hovertemplate="%{customdata}<br>%{value:,.0f} " + plain(unit_text) + "<extra></extra>",
            ),
            link=dict(
                source=[index[link.source] for link in links],
                target=[index[link.target] for link in links],
                value=[link.value for link in links],
                color=[_rgba(link.colour, 0.45) for link in links],
                hovertemplate="%{source.customdata} → %{target.customdata}<br>%{value:,.0f} "
                + plain(unit_text)
                + "<extra></extra>",
            ),
            # Dark labels with a white halo: legible over any band's colour, on a screen or a wall.
            textfont=dict(
                color="#1a1a1a", shadow="1px 1px 2px white, -1px -1px 2px white, 1px -1px 2px white, -1px 1px 2px white"
            ),
        )
    )
    title = say("chart", "chain_title", lang)
    height = max(640, 60 * len(names)) if narrow else max(450, 22 * len(names))
    return _layout(figure, lang, f"{title} ({unit_text})", height=height, presentation=presentation, narrow=narrow)


def units_in_chain(graph: nx.MultiDiGraph) -> list[str]:
    """The units a user can draw the chain in: euros first, then the units flows use."""
    units = [UNIT_EUR]
    for _, _, data in graph.edges(data=True):
        if data["unit"] and data["unit"] not in units and data["quantity"]:
            units.append(data["unit"])
    return units


def domain_small_multiples(series: dict[str, dict[str, float]], lang: str, columns: int = 3) -> go.Figure:
    """One small bar chart of value by domain per centre, same scale, for comparison."""
    from plotly.subplots import make_subplots

    names = list(series)
    if not names:
        return _empty(lang)
    rows = (len(names) + columns - 1) // columns
    # "Non renseigné" too when any centre has value there: the bars add up to each one's R.
    codes = list(DOMAINS.codes) + (
        [UNSPECIFIED_DOMAIN] if any(s.get(UNSPECIFIED_DOMAIN) for s in series.values()) else []
    )
    # One scale for all, on purpose (a small centre's bars look small), and said so: every
    # subplot's axis, not only those of a row, runs from 0 to the largest bar of any centre.
    # Horizontal bars, the domains' names once per row (on its left): under narrow columns,
    # slanted names fell on one another.
    figure = make_subplots(
        rows=rows,
        cols=columns,
        # A long name on two lines within its panel (one panel a row on a phone is narrow).
        subplot_titles=[_lines(plain(n), 26 if columns == 1 else 36) for n in names],
        shared_xaxes="all",
        shared_yaxes=True,
        # Room between the panels: one panel's last amount never runs into the next one's "0 €".
        horizontal_spacing=0.07,
        vertical_spacing=0.32 / rows if rows > 1 else 0.1,
    )
    labels = [plain(domain_label(c, lang)) for c in codes][::-1]
    top = max([series[name].get(c, 0.0) for name in names for c in codes] + [1.0])
    for index, name in enumerate(names):
        values = [series[name].get(c, 0.0) for c in codes][::-1]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                marker_color=[DOMAIN_COLOURS[c] for c in codes][::-1],
                showlegend=False,
                hovertemplate="%{y}: %{x:,.0f} €<extra>" + plain(name) + "</extra>",
            ),
            row=index // columns + 1,
            col=index % columns + 1,
        )
    # Every domain on every panel, in one order and at one height (plotly's own range left the
    # top domain out when no centre had a bar there, so the panels' rows did not line up).
    figure.update_yaxes(
        tickfont=dict(size=11), categoryorder="array", categoryarray=labels, range=[-0.5, len(labels) - 0.5]
    )
    _money_axis(figure, lang, "x")
    figure.update_xaxes(range=[0, top * 1.05], nticks=3, showticklabels=True, tickfont=dict(size=11))
    title = say("chart", "same_scale", lang, title=figure_name("value_by_domain", lang))
    figure = _layout(figure, lang, title, height=280 * rows + 80, narrow=columns == 1)
    # The centres' names under the chart's title, each above its own panel, never on a bar.
    figure.update_layout(margin=dict(t=160 if columns == 1 else 100))
    if columns == 1:  # a phone: the title on short lines, none past the screen's edge
        top = 1 - 30 / (280 * rows + 80)  # just under the top: the lines go down from there
        figure.update_layout(title=dict(text=_lines(plain(title), 30, most=4), y=top, yanchor="top"))
    figure.update_annotations(font_size=14)
    return figure


def evolution_chart(points: dict[str, list[tuple[int, float | None]]], code: str, lang: str) -> go.Figure:
    """One figure over the years, a line per centre."""
    figure = go.Figure()
    number_format = registry.BY_CODE[code].number_format
    percent = number_format.kind == "percent"
    for name, values in points.items():
        known = sorted((year, value) for year, value in values if value is not None)
        figure.add_trace(
            go.Scatter(
                x=[y for y, _ in known],
                y=[100 * v if percent else v for _, v in known],
                mode="lines+markers",
                name=plain(name),
            )
        )
    figure.update_xaxes(dtick=1, title=say("chart", "year_axis", lang))
    # From zero: a change of 1 € on a 499 918 € axis is not a cliff.
    figure.update_yaxes(rangemode="tozero")
    # The axis in the figure's own unit (never "499,9175k"): euros, percent, or a plain number.
    if number_format.kind == "money":
        _money_axis(figure, lang)
    elif percent:
        figure.update_yaxes(tickformat=",.0f", ticksuffix=_percent_suffix(lang))
    else:
        figure.update_yaxes(tickformat=",.4~r")
    return _layout(figure, lang, figure_name(code, lang), height=380)


# Social value (valuechain.chain.social_value) --------------------------------------------------------------
def tornado_chart(value, lang: str, presentation: bool = False) -> go.Figure:
    """The ratio at each factor's low and high setting, around the central ratio: the widest
    bar on top, so that the hypotheses that matter most are read first."""
    if value is None or value.ratio is None:
        return _empty(lang, presentation)
    rows = sorted(
        ((name, low, high) for name, low, high in value.sensitivity if low is not None and high is not None),
        key=lambda item: abs(item[2] - item[1]),
    )
    names = [say("chart", f"sensitivity_{name}", lang) for name, _, _ in rows]
    centre = value.ratio
    figure = go.Figure()
    for side, index, colour in (("low", 1, "#D55E00"), ("high", 2, "#0072B2")):
        ends = [row[index] for row in rows]
        figure.add_trace(
            go.Bar(
                y=names,
                x=[end - centre for end in ends],
                base=centre,
                orientation="h",
                marker_color=colour,
                name=say("chart", f"sensitivity_{side}", lang),
                text=[fmt.fixed(end, lang, 2) for end in ends],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
    figure.add_vline(x=centre, line_dash="dash", line_color="#333")
    figure.add_vline(x=1, line_color="#999", line_width=1)
    figure.update_layout(barmode="overlay", legend=dict(orientation="h", y=-0.15))
    figure.update_xaxes(title=say("chart", "social_ratio_axis", lang))
    return _layout(
        figure,
        lang,
        say("chart", "tornado_title", lang, ratio=fmt.fixed(centre, lang, 2)),
        height=50 * len(rows) + 180,
        presentation=presentation,
    )


def social_value_parts(
    parts: dict[str, float], labels: dict[str, str], title: str, lang: str, presentation: bool = False
) -> go.Figure:
    """Present value by evidence grade, or by domain: horizontal bars in euros."""
    if not parts:
        return _empty(lang, presentation)
    codes = list(parts)
    figure = go.Figure(
        go.Bar(
            y=[plain(labels.get(c, c)) for c in codes][::-1],
            x=[parts[c] for c in codes][::-1],
            orientation="h",
            marker_color=[DOMAIN_COLOURS.get(c, "#56B4E9") for c in codes][::-1],
            text=[fmt.money(parts[c], lang, 0) for c in codes][::-1],
            textposition="outside",
            cliponaxis=False,
        )
    )
    _money_axis(figure, lang, "x")
    figure.update_xaxes(range=[0, max(parts.values()) * 1.3])
    return _layout(figure, lang, title, height=60 * len(codes) + 120, presentation=presentation)
