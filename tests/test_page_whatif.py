"""Page tests for "What-if: a Danish LUP" (url_path whatif), against the shipped data.

Expected numbers are computed here by hand from the inputs put in the URL and from the CSV files read directly
(not through comparisons.measures.whatif), so a wrong default, formula, join or format shows up as a failure.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.evidence.base import load_evidence
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_money, fmt_number, fmt_value
from comparisons.i18n.labels import STATUS
from comparisons.models import whatif as whatif_model
from comparisons.models.figure import escape_md
from tests.helpers import DATA, LANGS, all_text, open_all, open_details, open_page

PAGE = "whatif"
TITLE = "What-if: a Danish LUP"
# A scenario whose money outputs are easy to compute by hand: ramp-up shares 1/2, 1, 1, 1 (sum 3.5).
SCENARIO = {
    "wi_funding": "5000000.0",
    "wi_years": "4",
    "wi_ramp": "1",
    "wi_low": "1.0",
    "wi_central": "1.5",
    "wi_high": "6.0",
    "wi_basis": "budget",
    "wi_year": "2020",
}
SHARES = 3.5
EXPECTED = {
    "central": 1.5 * 5e6 * SHARES,  # 26.25 m
    "low": 1.0 * 5e6 * SHARES,  # 17.5 m
    "high": 6.0 * 5e6 * SHARES,  # 105 m
    "cost": 4 * 5e6,  # 20 m
}
EXPECTED["net"] = EXPECTED["central"] - EXPECTED["cost"]
BREAK_EVEN = 2  # year 1: 3.75 m < 5 m; year 2: 11.25 m >= 10 m
CAVEAT = (
    "**What the Norwegian evidence supports, and what it does not.** It supports that LUP and its partners report "
    "cumulative public savings ({low} around 2019, {central} in 2020) and that a speaker at a 2019 summit "
    "claimed that 10 million invested gives over 400 million. It does not support a forecast: no source gives the "
    "method behind the savings, none is audited, and none shows that the programme caused them. Savings are counted "
    "since 2010 while state grants began in 2016, partner contributions are not counted, and grant figures for "
    "{missing} are missing; all of this makes savings per krone too high rather than too low. The high bound is a "
    "claim made in a speech. Read the results as an illustration of scale under stated assumptions, and check the "
    "Danish preconditions below."
)


def rows(package: str, resource: str) -> list[dict[str, str]]:
    with open(DATA / package / f"{resource}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def lup_facts(metric: str, unit: str | None = None) -> list[dict[str, str]]:
    return [
        f
        for f in rows("norway", "facts")
        if f["subject"] == "lup" and f["metric"] == metric and (unit is None or f["unit"] == unit)
    ]


def grants_by_year() -> dict[int, float]:
    """One state grant to LUP per year from the facts (they agree within a year in the shipped data)."""
    out: dict[int, set[float]] = {}
    for f in lup_facts("state_grant", "NOK"):
        out.setdefault(int(f["period_start"][:4]), set()).add(float(f["value"]))
    assert all(len(v) == 1 for v in out.values()), out
    return {y: v.pop() for y, v in out.items()}


def nok_per_dkk(year: int) -> float:
    rates = {(int(r["year"]), r["quote"]): float(r["rate"]) for r in rows("reference", "exchange_rates")}
    return rates[(year, "NOK")] / rates[(year, "DKK")]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def no_html_anywhere(at: AppTest) -> None:
    for md in at.markdown:
        assert not md.proto.allow_html
    for cap in at.caption:
        assert not cap.proto.allow_html


def field(at: AppTest, key: str) -> str:
    """What the number field for `key` shows (a text input written in the app's language)."""
    return str(at.text_input(key=f"{key}_text").value)


def param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else str(value)


@pytest.mark.parametrize("lang", LANGS)
def test_scenario_from_the_url_in_every_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_details(open_page(PAGE, lang, SCENARIO))
    assert not at.exception and not at.error
    assert at.title[0].value == _(TITLE)
    if lang != "en":
        assert at.title[0].value != TITLE  # translated
    no_html_anywhere(at)
    shown = metrics(at)
    assert shown[_("Cumulative savings, central")] == fmt_money(EXPECTED["central"], "DKK", lang)
    assert shown[_("Cumulative cost")] == fmt_money(EXPECTED["cost"], "DKK", lang)
    assert shown[_("Cumulative net benefit, central")] == fmt_money(EXPECTED["net"], "DKK", lang)
    assert shown[_("Cumulative savings, low")] == fmt_money(EXPECTED["low"], "DKK", lang)
    assert shown[_("Cumulative savings, high")] == fmt_money(EXPECTED["high"], "DKK", lang)
    assert shown[_("Break-even year")] == str(BREAK_EVEN)
    # Bodies on the equal-budget basis: Norway's pace (234 bodies 2010-2020) x funding ratio x ramp-up shares.
    bodies = next(f for f in lup_facts("bodies_reached") if f["source_id"] == "doc-004")
    pace = float(bodies["value"]) / (int(bodies["period_end"][:4]) - 2010)
    ratio = 5e6 * nok_per_dkk(2020) / grants_by_year()[2020]
    assert shown[_("Public bodies reached by year {n}").format(n=4)] == fmt_number(pace * ratio * SHARES, lang, 0)
    # Money in the chosen language's way with the ISO code.
    assert {"nb": "mill.\u00a0DKK", "da": "mio.\u00a0DKK", "en": "DKK\u00a0"}[lang] in shown[_("Cumulative cost")]
    # The yearly table behind the chart, its amounts written this language's way (whatever the browser's).
    table = frame_with(at, _("Programme year"))
    assert table[_("Programme year")].tolist() == ["1", "2", "3", "4"]
    assert table[_("Savings, central")].tolist() == [fmt_number(v, lang, 0) for v in (3.75e6, 7.5e6, 7.5e6, 7.5e6)]
    assert table[_("Cumulative net benefit, central")].iloc[-1] == fmt_number(EXPECTED["net"], lang, 0)
    # The formulas are spelled out in the language, with this scenario's numbers.
    text = all_text(at)
    assert (
        _("**Cost** each year = the annual public funding ({funding}).").format(funding=fmt_money(5e6, "DKK", lang))
        in text
    )
    assert _("How it is computed") in [h.value for h in at.header]


@pytest.mark.parametrize("lang", LANGS)
def test_defaults_show_their_figures_and_sources(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_details(open_page(PAGE, lang))
    assert not at.exception and not at.error
    # Savings per krone of state grant as Results defines it (comparisons.measures.savings): the grants of
    # 2016-2020 that sources give, 2019 only as the ministry's part (NO-FUN-10B), 2018 left out.
    value = {f["fact_id"]: float(f["value"]) for f in rows("norway", "facts")}
    central = value["NO-DOC004-05"] / sum(value[g] for g in ("NO-FUN-05", "NO-FUN-04", "NO-FUN-10B", "NO-FUN-18"))
    assert field(at, "wi_central") == fmt_number(round(central, 2), lang, 2)
    assert at.session_state["wi_central"] == round(central, 2)
    low = value["NO-RES-08"] / sum(value[g] for g in ("NO-FUN-05", "NO-FUN-04", "NO-FUN-10B"))
    assert at.session_state["wi_low"] == round(low, 2)
    end = 2020
    facts = {f["fact_id"]: f for f in rows("norway", "facts")}
    central_snapshot, low_snapshot = facts["NO-DOC004-05"], facts["NO-RES-08"]
    (claim,) = lup_facts("savings_claim")
    (invest,) = lup_facts("investment_claim")
    assert at.session_state["wi_high"] == float(claim["value"]) / float(invest["value"])
    assert field(at, "wi_high") == fmt_number(float(claim["value"]) / float(invest["value"]), lang, 2)
    assert at.slider(key="wi_years").value == end - 2010
    # Each default names the sources of its facts by publisher and year (the ids stay in the table's file);
    # missing grant years are named, not filled in.
    arrival = "\n".join(c.value for c in at.caption)
    at = open_all(at, "wi-how")  # each ratio's whole working is in its "How it is computed" pop-over
    captions = "\n".join(c.value for c in at.caption)
    sources = {s["source_id"]: s for s in rows("norway", "sources")}
    for fact in (central_snapshot, low_snapshot, claim, invest):
        source = sources[fact["source_id"]]
        assert escape_md(f"{source['publisher']}, {source['published'][:4]}") in captions
        assert fact["fact_id"] not in captions.replace("\\", "")
    missing = [2018]  # no grant figure in any source
    note = _("No grant figure for {years}: those years are left out, not estimated, which makes the ratio higher.")
    assert note.format(years=", ".join(map(str, missing))) in captions
    assert note.format(years=", ".join(map(str, missing))) not in arrival  # one sentence each on arrival
    # The table of figures behind the defaults carries period, publisher and source title.
    prov = frame_with(at, _("Default"))
    assert {_("Period"), _("Publisher"), _("Source")} <= set(prov.columns)
    assert _("Figure") not in prov.columns  # the id is in the download frame, not on the page
    ev = load_evidence(DATA, validate=False)
    inputs = whatif_model.default_settings(ev, lang).inputs
    assert inputs is not None
    year = inputs.year
    frame = whatif_model.whatif_defaults_view(ev, lang, year).provenance
    assert central_snapshot["fact_id"] in set(frame[_("Figure")])
    pd.testing.assert_frame_equal(prov.reset_index(drop=True), frame.drop(columns=[_("Figure")]).reset_index(drop=True))
    # The caveat says what the evidence does and does not support, with the figures it rests on.
    (warning,) = at.warning
    assert warning.value == _(CAVEAT).format(
        low=fmt_value(float(low_snapshot["value"]), "NOK", lang, low_snapshot["bound"]),
        central=fmt_value(float(central_snapshot["value"]), "NOK", lang, central_snapshot["bound"]),
        missing=", ".join(map(str, missing)),
    )


def test_url_reopens_the_same_view() -> None:
    first = open_details(open_page(PAGE, "da", SCENARIO | {"wi_basis": "population", "wi_year": "2017"}))
    assert not first.exception and not first.error
    state = {k: param(first, k) for k in SCENARIO}
    assert state["wi_basis"] == "population" and state["wi_year"] == "2017"
    again = open_details(open_page(PAGE, "da", state))
    assert metrics(again) == metrics(first)
    year_column = gettext_for("da")("Programme year")
    pd.testing.assert_frame_equal(frame_with(again, year_column), frame_with(first, year_column))
    for key in ("wi_funding", "wi_low", "wi_central", "wi_high"):
        assert again.session_state[key] == first.session_state[key]
        assert field(again, key) == field(first, key)
    assert again.selectbox(key="wi_basis").value == "population"
    assert again.selectbox(key="wi_year").value == 2017


def test_defaults_are_written_to_the_url_and_reopen_exactly() -> None:
    at = open_page(PAGE, "en")
    state = {k: param(at, k) for k in SCENARIO}
    again = open_page(PAGE, "en", state)
    assert metrics(again) == metrics(at)


def test_changing_inputs_updates_the_url_and_results() -> None:
    at = open_page(PAGE, "en", SCENARIO)
    before = metrics(at)
    at.text_input(key="wi_funding_text").input("10,000,000").run()
    at.selectbox(key="wi_basis").set_value("procurement").run()
    assert param(at, "wi_funding") == "10000000.0" and param(at, "wi_basis") == "procurement"
    after = metrics(at)
    assert after["Cumulative savings, central"] == fmt_money(2 * EXPECTED["central"], "DKK", "en")
    assert after != before
    reopened = open_page(PAGE, "en", {k: param(at, k) for k in SCENARIO})
    assert metrics(reopened) == after


def test_saved_scenarios_compare_side_by_side_and_reopen_from_their_links() -> None:
    at = open_page(PAGE, "en", SCENARIO)
    names = ["Base", "Double", "Long"]
    at.text_input(key="wi_name").input(names[0]).run()
    at.button(key="wi_save").click().run()
    at.text_input(key="wi_funding_text").input("10000000").run()
    at.text_input(key="wi_name").input(names[1]).run()
    at.button(key="wi_save").click().run()
    at.slider(key="wi_years").set_value(8).run()
    at.text_input(key="wi_name").input(names[2]).run()
    at.button(key="wi_save").click().run()
    assert not at.exception
    table = frame_with(at, "link").set_index("scenario")
    assert table.index.tolist() == names

    def number(name: str, column: str) -> float:  # the table writes numbers as text, the app's way ("1,234")
        return float(table.loc[name, column].replace(",", ""))

    assert table.loc["Base", "cum_savings_central"] == fmt_number(EXPECTED["central"], "en", 0)
    assert number("Double", "cum_savings_central") == 2 * EXPECTED["central"]
    assert number("Double", "break_even_year") == BREAK_EVEN
    # Eight years: shares 1/2 + 7 = 7.5.
    assert number("Long", "cum_net") == pytest.approx(1.5 * 10e6 * 7.5 - 8 * 10e6, abs=0.5)
    # Each saved scenario yields its query string; opening it shows that scenario's numbers exactly.
    for name in names:
        link = table.loc[name, "link"]
        assert link.startswith("?lang=en&wi_funding=")
        params = dict(part.split("=", 1) for part in link[1:].split("&"))
        reopened = open_page(PAGE, params.pop("lang"), params)
        shown = metrics(reopened)
        assert shown["Cumulative net benefit, central"] == fmt_money(number(name, "cum_net"), "DKK", "en")
        assert shown["Public bodies reached by year {n}".format(n=table.loc[name, "years"])] == fmt_number(
            number(name, "bodies_reached"), "en", 0
        )


@pytest.mark.parametrize(
    "params",
    [
        {"wi_funding": "-5"},
        {"wi_years": "abc", "wi_ramp": "99"},
        {"wi_basis": "<script>alert(1)</script>", "wi_year": "1900"},
        {"wi_low": "nan", "wi_central": "1e309", "wi_high": "[x](javascript:alert(1))"},
        {"wi_funding": "%00", "wi_year": "2020; DROP TABLE"},
    ],
)
def test_hostile_params_fall_back_to_the_defaults(params: dict[str, str]) -> None:
    at = open_page(PAGE, "en", params)
    assert not at.exception and not at.error
    defaults = open_page(PAGE, "en")
    assert metrics(at) == metrics(defaults)
    shown = all_text(at)
    for value in params.values():
        if len(value) > 3:
            assert value not in shown  # never echoed


@pytest.mark.parametrize("lang", LANGS)
def test_inputs_the_model_rejects_give_a_clear_message(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(
        PAGE, lang, SCENARIO | {"wi_low": "5.0", "wi_central": "5.0", "wi_high": "2.0", "wi_years": "3", "wi_ramp": "5"}
    )
    assert not at.exception
    (error,) = at.error
    high_low = _("The high savings per krone ({high}) is below the low one ({low}): high must be at least low.")
    assert high_low.format(high=fmt_number(2, lang, 2), low=fmt_number(5, lang, 2)) in error.value
    assert (
        _("The ramp-up ({ramp} years) cannot be longer than the horizon ({years} years).").format(ramp=5, years=3)
        in error.value
    )
    assert not at.metric  # no results from unusable inputs
    # The transferability check still shows.
    assert _("Can the Norwegian results carry over? The Danish preconditions") in [h.value for h in at.header]


@pytest.mark.parametrize("lang", LANGS)
def test_transferability_check(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    table = frame_with(at, _("Precondition"))
    expected = rows("denmark", "preconditions")
    assert len(table) == len(expected)
    by_label = table.set_index(_("Precondition"))
    titles = {s["source_id"]: s["title"] for s in rows("denmark", "sources")}
    for p in expected:
        row = by_label.loc[p[f"label_{lang}"]]
        assert list(row[_("Status in Denmark")]) == [_(STATUS[p["status"]])]  # a coloured pill
        assert row[_("Evidence")] == p[f"evidence_{lang}"]
        assert row[_("Source")] == titles[p["source_id"]]
    if lang != "en":
        assert _(STATUS["missing"]) != "Missing"
    # Missing first: the gaps lead.
    order = [s[0] for s in table[_("Status in Denmark")]]
    assert order == sorted(order, key=lambda s: [_(STATUS[k]) for k in ("missing", "partial", "present")].index(s))
    # The crosswalk's gaps, in the chosen language.
    gaps = [c for c in rows("denmark", "counterparts") if c["fit"] == "none" or not c["danish_candidates"].strip()]
    assert gaps
    text = all_text(at)
    for gap in gaps:
        assert gap[f"role_{lang}"].split()[0] in text
    counts = {s: sum(1 for p in expected if p["status"] == s) for s in ("present", "partial", "missing")}
    summary = _(
        "Of {total} conditions LUP relies on, Denmark has {present}, partly has {partial} and lacks {missing}. "
        "Roles in LUP without a Danish holder: {gaps} of {roles}."
    ).format(total=len(expected), roles=len(rows("denmark", "counterparts")), gaps=len(gaps), **counts)
    assert summary in text


def test_page_is_registered_after_actors() -> None:
    from ui.nav import PAGES

    paths = [p.url_path for p in PAGES]
    assert paths.index(PAGE) == paths.index("actors") + 1
    assert Path(next(p.script for p in PAGES if p.url_path == PAGE)).name == "whatif.py"


def test_views_are_built_once_per_data_version_language_and_inputs() -> None:
    from dataclasses import replace

    from comparisons.evidence.base import load_evidence
    from comparisons.models.whatif import (
        whatif_base,
        whatif_compare_view,
        whatif_defaults_view,
        whatif_results_view,
    )

    ev = load_evidence()
    for view in (whatif_base, whatif_defaults_view, whatif_results_view, whatif_compare_view):
        view.clear()
    base = whatif_base(ev, "nb")
    assert whatif_base(ev, "nb") is base  # shared, not rebuilt
    assert whatif_base(ev, "en") is not base
    year = base.first_year
    assert year is not None
    defaults = whatif_defaults_view(ev, "nb", year)
    assert whatif_defaults_view(ev, "nb", year) is defaults
    assert whatif_defaults_view(ev, "da", year) is not defaults
    other_year = next(y for y in base.year_options if y != year)
    assert whatif_defaults_view(ev, "nb", other_year) is not defaults
    inputs = defaults.defaults.inputs()
    results = whatif_results_view(ev, "nb", inputs)
    assert results.error is None
    assert whatif_results_view(ev, "nb", replace(inputs)) is results  # equal inputs, same entry
    assert whatif_results_view(ev, "en", inputs) is not results
    moved = whatif_results_view(ev, "nb", replace(inputs, funding_dkk=inputs.funding_dkk * 2))
    assert moved is not results and moved.metrics != results.metrics
    rejected = whatif_results_view(ev, "nb", replace(inputs, ramp_up=inputs.years + 1))
    assert rejected.error and not rejected.metrics
    # Moving an input leaves the parts that do not depend on it in place.
    assert whatif_base(ev, "nb") is base and whatif_defaults_view(ev, "nb", year) is defaults
    saved = (("A", inputs),)
    compare = whatif_compare_view(ev, "nb", saved)
    assert whatif_compare_view(ev, "nb", saved) is compare
    assert whatif_compare_view(ev, "nb", (*saved, ("B", replace(inputs, years=8)))) is not compare
    ev.version = "another-version"  # what a saved edit does to the key
    assert whatif_base(ev, "nb") is not base
    assert whatif_defaults_view(ev, "nb", year) is not defaults
    assert whatif_results_view(ev, "nb", inputs) is not results
