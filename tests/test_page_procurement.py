"""The Procurement volumes page in every language, against the shipped data: every total-procurement figure as a
point and a table row (original and converted, with its derivation), currency / rate basis / normalisation kept
in the URL, and hostile links falling back to the defaults."""

from __future__ import annotations

import io
import json
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.evidence.base import Evidence, facts_with_sources, load_evidence
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_number, fmt_value
from comparisons.measures import money as nz
from comparisons.measures import procurement as pv
from comparisons.measures.headlines import latest_fact
from comparisons.models import procurement as model
from comparisons.models.parts import MISSING, Table
from tests.helpers import DATA, LANGS, all_text, open_page

PAGE = "procurement"
DEFAULT_CURRENCY = {"nb": "NOK", "da": "DKK", "en": "EUR"}
BILLION = {"nb": "mrd.", "da": "mia.", "en": "B"}


@lru_cache(maxsize=1)
def evidence() -> Evidence:
    return load_evidence(DATA, validate=False)


def total_facts() -> pd.DataFrame:
    facts = evidence()["facts"]
    return facts[(facts["metric"] == pv.TOTAL_METRIC) & facts["subject"].isin(set(pv.TOTAL_SUBJECTS.values()))]


def expected_view(currency: str, rate_year: int | None, norm: str) -> pd.DataFrame:
    ev = evidence()
    return pv.procurement_totals(
        facts_with_sources(ev), nz.rate_table(ev["exchange_rates"]), ev["population"], currency, rate_year, norm
    ).set_index("fact_id")


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def page_model(
    lang: str, currency: str, rate_basis: str = pv.EACH_YEAR, norm: str = "absolute"
) -> model.ProcurementPage:
    return model.build(evidence(), lang, model.Settings(currency, rate_basis, norm))


def assert_drawn(at: AppTest, column: str, table: Table) -> pd.DataFrame:
    """The page draws the model's reader frame (`shown`): the same rows and text, no id column; returns it."""
    drawn = table_with(at, column)
    assert table.shown is not None
    pd.testing.assert_frame_equal(drawn.reset_index(drop=True), table.shown.reset_index(drop=True))
    return drawn


def params(at: AppTest) -> dict[str, str]:
    return {k: (v if isinstance(v, str) else v[0]) for k, v in at.query_params.items()}


def chart(at: AppTest) -> tuple[dict, pd.DataFrame]:
    proto = at.get("vega_lite_chart")[0].proto
    frames = [pa.ipc.open_stream(io.BytesIO(d.data.data)).read_pandas() for d in proto.datasets]
    return json.loads(proto.spec), pd.concat(frames)


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no figure card {label!r}"
    return found[0]


@pytest.mark.parametrize("lang", LANGS)
def test_procurement_page_in_every_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    assert not at.exception
    assert at.title[0].value == _("Procurement volumes")
    currency = DEFAULT_CURRENCY[lang]
    assert params(at)["vol_currency"] == currency
    assert (params(at)["vol_norm"], params(at)["vol_rate_year"]) == ("absolute", "each")

    # The latest Norwegian and Danish totals, written the way this language writes billions, with ISO codes.
    for country, subject in pv.TOTAL_SUBJECTS.items():
        fact = latest_fact(evidence()["facts"], subject, pv.TOTAL_METRIC)
        shown = metric(
            at,
            _("Public procurement per year: {country}").format(country=_({"NO": "Norway", "DK": "Denmark"}[country])),
        )
        assert fact is not None and shown == fmt_value(fact["value"], fact["unit"], lang, fact["bound"])
        assert BILLION[lang] in shown and fact["unit"] in shown

    # Every total figure is a row (in the download frame, with its id), with its original value, its value in the
    # view's currency and its derivation.
    totals = page_model(lang, currency).view.totals
    table = totals.frame
    facts = total_facts().set_index("fact_id")
    assert sorted(table[_("Figure")]) == sorted(facts.index)
    view = expected_view(currency, None, "absolute")
    converted = table.set_index(_("Figure"))[_("Converted ({currency})").format(currency=currency)]
    for fact_id, value in converted.items():
        assert value == pytest.approx(float(view.loc[fact_id, "converted"]), rel=1e-9)
        assert table.set_index(_("Figure")).loc[fact_id, _("Original value")] == pytest.approx(
            float(facts.loc[fact_id, "value"])
        )
    for fact_id, how in zip(table[_("Figure")], table[_("How it was derived")], strict=True):
        assert how.startswith(fact_id)
    # The reader sees the same rows without the ids, the money in whole units written this language's way.
    drawn = assert_drawn(at, _("Original value"), totals)
    assert _("Figure") not in drawn.columns and len(drawn) == len(table)
    column = _("Converted ({currency})").format(currency=currency)
    for value, text in zip(table[column], drawn[column], strict=True):
        assert text == (MISSING if pd.isna(value) else fmt_number(float(value), lang, 0))
    for how in drawn[_("How it was derived")]:
        assert not any(fact_id in how for fact_id in facts.index)  # named by publisher and year instead
    # The definitions caveat is there, in this language.
    assert _(
        "Definitions differ between sources: some figures include VAT and some do not; some cover only purchases "
        "from private suppliers, some leave out self-owning institutions or public companies; some are round "
        "figures in speeches. Read the points as orders of magnitude, not as one series."
    ) in all_text(at)


def test_chart_plots_every_figure_as_a_point_with_source_in_the_tooltip() -> None:
    at = open_page(PAGE, "en", {"vol_currency": "NOK"})
    spec, data = chart(at)
    assert spec["mark"]["type"] == "point"  # points, never a line through disagreeing sources
    assert sorted(data["fact_id"]) == sorted(total_facts()["fact_id"])
    tooltip_fields = {t["field"] for t in spec["encoding"]["tooltip"]}
    assert {"publisher", "source_title", "period", "original_text", "bound_label", "country_name"} <= tooltip_fields
    assert spec["encoding"]["color"]["scale"]["range"] == ["#0072B2", "#D55E00"]
    view = expected_view("NOK", None, "absolute")
    for row in data.itertuples():
        assert row.y == pytest.approx(float(view.loc[row.fact_id, "converted"]) / 1e9, rel=1e-9)
    # A Danish figure keeps its original DKK text in the tooltip.
    dk = data[data["fact_id"].str.startswith("DK-")].iloc[0]
    assert "DKK" in dk["original_text"] and dk["country_name"] == "Denmark"


def test_sub_totals_and_shares_of_the_total_are_shown() -> None:
    _ = gettext_for("en")
    at = open_page(PAGE, "en")
    ev = evidence()
    facts = ev["facts"]
    subs = facts[facts["metric"].isin(pv.SUBTOTAL_METRICS) & facts["subject"].isin(pv.SUBTOTAL_SUBJECTS)]
    page = page_model("en", "EUR")
    assert page.view.subtotals is not None and page.base.shares is not None
    sub_table = page.view.subtotals.frame
    assert sorted(sub_table[_("Figure")]) == sorted(subs["fact_id"])
    shares = page.base.shares.frame
    assert set(shares[_("Figure")]) == set(subs["fact_id"])
    # A share is never an average: each total of the same year gets its own row.
    known = shares.dropna(subset=[_("Share (%)")])
    assert len(known) >= len(set(known[_("Figure")]))
    first = known.iloc[0]
    part = facts.set_index("fact_id").loc[first[_("Figure")]]
    total = facts.set_index("fact_id").loc[first[_("Total figure")]]
    if part["unit"] == total["unit"]:
        assert first[_("Share (%)")] == pytest.approx(100 * float(part["value"]) / float(total["value"]))
    # On the page: the same rows as text, shares with one decimal, without the ids.
    assert_drawn(at, _("Measure"), page.view.subtotals)
    drawn = assert_drawn(at, _("Share (%)"), page.base.shares)
    assert _("Figure") not in drawn.columns and _("Total figure") not in drawn.columns
    for value, text in zip(shares[_("Share (%)")], drawn[_("Share (%)")], strict=True):
        assert text == (MISSING if pd.isna(value) else fmt_number(float(value), "en", 1))


def test_url_round_trip_reopens_the_same_view() -> None:
    _ = gettext_for("da")
    wanted = {"vol_currency": "NOK", "vol_norm": "per_inhabitant", "vol_rate_year": "2020"}
    at = open_page(PAGE, "da", wanted)
    assert not at.exception
    assert {k: params(at)[k] for k in wanted} == wanted
    assert at.segmented_control(key="vol_currency").value == "NOK"
    assert at.selectbox(key="vol_rate_year").value == "2020"
    totals = page_model("da", "NOK", "2020", "per_inhabitant").view.totals
    assert set(totals.frame[_("Rate year")].dropna()) == {2020}  # every conversion at the chosen year
    drawn = assert_drawn(at, _("Original value"), totals)
    assert set(drawn[_("Rate year")]) <= {"2020", MISSING}
    view = expected_view("NOK", 2020, "per_inhabitant")
    spec, data = chart(at)
    for row in data.itertuples():
        assert row.y == pytest.approx(float(view.loc[row.fact_id, "per_inhabitant"]), rel=1e-9)
    assert spec["encoding"]["y"]["title"] == _("{currency} per inhabitant per year").format(currency="NOK")


def test_changed_controls_go_into_the_link_and_the_link_reopens_the_view() -> None:
    _ = gettext_for("da")
    at = open_page(PAGE, "da")
    at.selectbox(key="vol_rate_year").set_value("2019").run()
    at.segmented_control(key="vol_currency").set_value("EUR").run()
    at.segmented_control(key="vol_norm").set_value("per_inhabitant").run()
    link = params(at)
    assert (link["vol_rate_year"], link["vol_currency"], link["vol_norm"]) == ("2019", "EUR", "per_inhabitant")
    before = table_with(at, _("Original value"))
    assert _("Converted ({currency})").format(currency="EUR") in before.columns
    assert link["lang"] == "da"
    again = open_page(PAGE, "da", {k: link[k] for k in ("vol_rate_year", "vol_currency", "vol_norm")})
    pd.testing.assert_frame_equal(table_with(again, _("Original value")), before)
    assert chart(again)[1]["y"].tolist() == chart(at)[1]["y"].tolist()


def test_partial_year_rate_is_flagged_on_the_page() -> None:
    rates = nz.rate_table(evidence()["exchange_rates"])
    partial = sorted(set(rates.loc[rates["partial"], "year"]))
    if not partial:
        pytest.skip("the shipped rates have no partial year")
    year = str(partial[-1])
    _ = gettext_for("en")
    at = open_page(PAGE, "en", {"vol_rate_year": year})
    assert params(at)["vol_rate_year"] == year
    assert any("part of a year" in w.value for w in at.warning)
    assert at.selectbox(key="vol_rate_year").format_func(year) == _("{year} average (part of the year)").format(
        year=year
    )
    how = assert_drawn(at, _("Original value"), page_model("en", "EUR", year).view.totals)[_("How it was derived")]
    assert how.str.contains("part of the year only").any()


@pytest.mark.parametrize(
    "hostile",
    [
        {
            "vol_currency": "<script>alert(1)</script>",
            "vol_norm": "DROP TABLE",
            "vol_rate_year": "99999999999999999999",
        },
        {"vol_currency": "usd", "vol_norm": "", "vol_rate_year": "1066"},
        {"vol_currency": "NOK\u0000", "vol_norm": "per_inhabitant;x", "vol_rate_year": "each,2020"},
    ],
)
def test_hostile_links_fall_back_to_defaults(hostile: dict[str, str]) -> None:
    at = open_page(PAGE, "nb", hostile)
    assert not at.exception
    link = params(at)
    assert (link["vol_currency"], link["vol_norm"], link["vol_rate_year"]) == ("NOK", "absolute", "each")
    # One notice names the ignored parameters (by key, never by value), and no value is echoed on the page.
    notices = [t.value for t in at.toast]
    assert len(notices) == 1 and all(key in notices[0] for key in hostile)
    text = all_text(at) + "\n".join(notices)
    for value in hostile.values():
        if value:
            assert value not in text
    assert at.title[0].value == gettext_for("nb")("Procurement volumes")


def test_views_are_built_once_per_data_version_language_and_setting() -> None:
    from comparisons.models.procurement import procurement_base, procurement_view

    ev = load_evidence(DATA, validate=False)
    procurement_base.clear()
    procurement_view.clear()
    base = procurement_base(ev, "nb")
    assert procurement_base(ev, "nb") is base  # shared, not rebuilt
    assert procurement_base(ev, "en") is not base  # another language is another entry
    first = procurement_view(ev, "nb", "NOK", None, "absolute")
    assert procurement_view(ev, "nb", "NOK", None, "absolute") is first
    assert procurement_view(ev, "en", "NOK", None, "absolute") is not first
    assert procurement_view(ev, "nb", "EUR", None, "absolute") is not first
    assert procurement_view(ev, "nb", "NOK", 2020, "absolute") is not first
    assert procurement_view(ev, "nb", "NOK", None, "per_inhabitant") is not first
    assert procurement_base(ev, "nb") is base  # the settings do not rebuild what does not depend on them
    ev.version = "another-version"  # what a saved edit does to the key
    assert procurement_base(ev, "nb") is not base
    assert procurement_view(ev, "nb", "NOK", None, "absolute") is not first
