"""The Comparer's small multiples (a stranger's finding, issue 34): the panels did not line up
(plotly's own range left the top domain out of every panel, one panel's last amount ran into
the next one's "0 €", the centres' names sat on the bars)."""

from __future__ import annotations

import pytest

from valuechain.media.charts import domain_small_multiples
from valuechain.vocabulary import DOMAINS

pytestmark = pytest.mark.library


def test_every_panel_shows_every_domain_on_the_same_rows_clear_of_its_neighbours():
    series = {f"Centre {n}": {"societal": 1000.0 * n, "non_renseigne": 5000.0} for n in range(1, 7)}
    figure = domain_small_multiples(series, "fr")
    layout = figure.layout.to_plotly_json()
    axes = [layout[name] for name in layout if name.startswith("yaxis")]
    assert len(axes) == 6
    for axis in axes:
        # Six rows (the five domains and "not filled in"), none cut off, in one order.
        assert list(axis["range"]) == [-0.5, len(DOMAINS.codes) + 1 - 0.5]
        assert len(axis["categoryarray"]) == len(DOMAINS.codes) + 1
    columns = sorted({tuple(layout[name]["domain"]) for name in layout if name.startswith("xaxis")})
    gaps = [later[0] - earlier[1] for earlier, later in zip(columns, columns[1:])]
    assert gaps and min(gaps) >= 0.06, gaps
    # The names above their panels, under the chart's title: the top margin holds both.
    assert figure.layout.margin.t >= 80
