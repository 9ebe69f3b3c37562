"""What a screen reader gets from a chart: its description in the reader's language, and marks that read out
field titles, never column names (WCAG 1.1.1). Checked on the spec every page sends, in every language."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from comparisons.i18n import gettext_for
from comparisons.outputs.charts import accessible_spec, unnamed_fields
from tests.helpers import LANGS, open_page

CHART_PAGES = ("overview", "governance", "partners", "procurement", "whatif")


def test_accessible_spec_names_fields_from_their_tooltip_and_keeps_the_axis_untitled() -> None:
    frame = pd.DataFrame({"who": ["a"], "n": [1]})
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("who:N", title=None),
            x=alt.X("n:Q", title="Antal"),
            tooltip=[alt.Tooltip("who:N", title="Aktør"), alt.Tooltip("n:Q", title="Antal")],
        )
    )
    spec = chart.to_dict()
    assert unnamed_fields(spec) == ["y:who"]
    out = accessible_spec(spec, "Aktører efter antal.")
    assert out["description"] == "Aktører efter antal."
    assert out["encoding"]["y"]["title"] == "Aktør"  # what a bar reads out
    assert out["encoding"]["y"]["axis"]["title"] is None  # what the axis shows: still nothing
    assert unnamed_fields(out) == []
    assert spec["encoding"]["y"]["title"] is None  # the input is not changed (views are cached and shared)


def test_accessible_spec_leaves_a_field_it_cannot_name_for_the_test_to_find() -> None:
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    assert unnamed_fields(accessible_spec(spec, "d")) == ["x:x"]


def test_accessible_spec_names_fields_in_layers_from_the_layer_tooltips() -> None:
    frame = pd.DataFrame({"year": [2020], "v": [1.0]})
    base = alt.Chart(frame).encode(x=alt.X("year:O", title=None), tooltip=[alt.Tooltip("year:O", title="År")])
    spec = alt.layer(base.mark_line().encode(y=alt.Y("v:Q", title="Værdi")), base.mark_point()).to_dict()
    out = accessible_spec(spec, "d")
    assert unnamed_fields(out) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url_path", CHART_PAGES)
def test_every_chart_on_a_page_is_described_in_the_readers_language(url_path: str, lang: str) -> None:
    at = open_page(url_path, lang)
    assert not at.exception
    charts = [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]
    assert charts, f"{url_path} draws no chart"
    _ = gettext_for(lang)
    where = _("The data is in the table below, under “{label}”.").format(label=_("The data behind this chart"))
    for spec in charts:
        description = spec.get("description", "")
        assert description and description != "Vega visualization"
        assert not description.startswith(_("Chart") + "."), f"a chart on {url_path} has no title: {description}"
        assert description.endswith(where), description
        assert unnamed_fields(spec) == [], f"{url_path} ({lang}): marks would read out column names"
        guides = spec.get("config", {})
        assert guides.get("axis", {}).get("labelColor") and guides.get("legend", {}).get("labelColor")
