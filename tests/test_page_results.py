"""The Results and savings page in every language, against the shipped data: the evidence ledger, conflicting
figures side by side (never averaged), the savings-per-krone ratios with their inputs, the measure filter in the
URL, and hostile links."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.evidence.base import Evidence, facts_with_sources, load_evidence
from comparisons.i18n import gettext_for, pick
from comparisons.i18n.formatting import fmt_value
from comparisons.measures import results as rs
from comparisons.measures import savings as sv
from comparisons.measures.money import Step, rate_table, render_step
from comparisons.models import results as model
from comparisons.models.figure import escape_md
from comparisons.models.parts import MISSING, cite_ids
from tests.helpers import DATA, LANGS, all_text, open_all, open_page, shipped_evidence

PAGE = "results"


@lru_cache(maxsize=1)
def evidence() -> Evidence:
    return load_evidence(DATA, validate=False)


@lru_cache(maxsize=1)
def ledger() -> pd.DataFrame:
    ev = evidence()
    return rs.evidence_ledger(facts_with_sources(ev), ev["metrics"])


@lru_cache(maxsize=1)
def ratios() -> pd.DataFrame:
    ev = evidence()
    return sv.savings_ratios(ev["facts"], rate_table(ev["exchange_rates"]))


def label(metric: str, lang: str) -> str:
    return pick(evidence()["metrics"].set_index("metric_id").loc[metric], "label", lang)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def ratio_label(step: Step, lang: str) -> str:
    """A ratio card's label: its fact named by publisher and year, as Markdown."""
    return escape_md(cite_ids(render_step(step, gettext_for(lang), lang), evidence()))


def assert_drawn(at: AppTest, column: str, shown: pd.DataFrame) -> pd.DataFrame:
    """The page draws the model's reader frame: the same rows and text; returns what it draws."""
    drawn = table_with(at, column)
    pd.testing.assert_frame_equal(drawn.reset_index(drop=True), shown.reset_index(drop=True))
    return drawn


def open_results(lang: str, params: dict[str, str] | None = None) -> AppTest:
    """The page with its details (grants, disagreements, the ledger) opened, as a reader clicking them would."""
    return open_all(open_all(open_page(PAGE, lang, params), "res-more"), "res-how")


def params(at: AppTest) -> dict[str, str]:
    return {k: (v if isinstance(v, str) else v[0]) for k, v in at.query_params.items()}


@pytest.mark.parametrize("lang", LANGS)
def test_results_page_in_every_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_results(lang)
    assert not at.exception
    assert at.title[0].value == _("Results and savings")

    # Each ratio is a figure with its value written the reader's way, the sources it stands on named by publisher
    # and year, and the facts it uses listed (as a reference) in its "How it is computed" pop-over.
    cards = {m.label: m.value for m in at.metric}
    text = all_text(at)
    page = model.build(evidence(), lang, model.Settings())
    by_label = {r.label: r for r in page.view.ratios}
    for r in ratios().itertuples():
        shown = cards[ratio_label(r.label_step, lang)]
        assert shown == fmt_value(float(r.ratio), "", lang, r.bound)
        ratio = by_label[ratio_label(r.label_step, lang)]
        assert ratio.facts_used == _("ref. {ids}").format(ids=r.fact_ids.replace("-", "\\-"))
        assert ratio.summary in text and not any(f in ratio.summary for f in r.fact_ids.split())
    sample = ratios().dropna(subset=["ratio"]).iloc[0]
    decimal = {"nb": ",", "da": ",", "en": "."}[lang]
    assert decimal in cards[ratio_label(sample["label_step"], lang)]

    # Conflicting savings figures stand side by side under the measure's label in this language.
    savings_heading = [
        h.value for h in at.subheader if h.value.startswith(escape_md(label("cumulative_savings", lang)))
    ]
    assert savings_heading, "no savings group"
    savings = ledger()[(ledger()["group"] == "cumulative_savings") & (ledger()["subject"] == "lup")]
    assert savings_heading[0].endswith(_("{measure}, {country}: {n} figures").split(": ")[-1].format(n=len(savings)))
    shown_values = [
        m.value
        for m in at.metric
        if m.label in {escape_md(label(m_, lang)) for m_ in ("cumulative_savings", "savings_claim")}
    ]
    expected = sorted(
        fmt_value(float(v), u, lang, b)
        for v, u, b in zip(savings["value"], savings["unit"], savings["bound"], strict=True)
    )
    assert sorted(shown_values) == expected  # every figure, none averaged away

    # The ledger lists every results figure once (the download frame keeps the ids); the page draws it without.
    table = page.ledger.table
    assert sorted(table[_("Figure")]) == sorted(ledger()["fact_id"])
    assert set(table[_("Measure")]) == {label(m, lang) for m in ledger()["metric"]}
    units = dict(zip(table[_("Figure")], table[_("Unit")], strict=True))
    assert units["NO-DOC004-05"] == "NOK" and units["NO-RES-07"] == _("number")
    drawn = assert_drawn(at, _("Quote"), page.ledger.shown)
    assert _("Figure") not in drawn.columns and len(drawn) == len(table)
    assert set(drawn[_("Measure")]) == set(table[_("Measure")])


def test_ratio_inputs_and_gaps_are_shown() -> None:
    _ = gettext_for("en")
    at = open_results("en")
    text = all_text(at).replace("\\", "")
    # The 334 MNOK figure against the grants 2016-2020, with the grant years that no source gives named.
    r334 = ratios().set_index("ratio_id").loc["grant-NO-DOC004-05"]
    assert r334["numerator"] == pytest.approx(334e6)
    assert "NO-DOC004-05" in r334["fact_ids"] and (r334["first_year"], r334["last_year"]) == (2016, 2020)
    assert r334["ratio"] == pytest.approx(334e6 / r334["denominator"])
    view = model.build(evidence(), "en", model.Settings()).view
    grants = view.grants
    assert grants is not None
    missing = grants[grants[_("Status")] == _("not found")]
    assert set(r334["missing_years"]) <= set(missing[_("Year")])
    assert missing[_("State grant")].isna().all()  # never filled in
    # On the page: the same years, a missing grant an em dash, no fact-id columns.
    drawn = assert_drawn(at, _("State grant"), view.grants_shown)
    assert _("Facts used") not in drawn.columns
    gaps = drawn[drawn[_("Status")] == _("not found")]
    assert {str(y) for y in r334["missing_years"]} <= set(gaps[_("Year")])
    assert (gaps[_("State grant")] == MISSING).all()
    assert "No state grant figure was found for" in text and "not filled in" in text
    assert "cumulative since 2010, but state grants started in 2016" in text
    # The claim is its own ratio: over 400 MNOK for 10 MNOK invested.
    claim = ratios().set_index("ratio_id").loc["claim-NO-DOC002-06"]
    assert claim["ratio"] == pytest.approx(40.0) and claim["bound"] == "at_least"
    claim_label = ratio_label(claim["label_step"], "en")
    publisher = cite_ids("NO-DOC002-06", evidence())
    assert claim_label == escape_md(f"Return claimed per krone invested ({publisher})") and publisher != "NO-DOC002-06"
    assert {m.label: m.value for m in at.metric}[claim_label] == "over 40"
    # The caveat on the different start years.
    assert any("cumulative since the programme started in 2010" in i.value and "2016" in i.value for i in at.info)


def test_euro_savings_get_a_stated_nok_equivalent() -> None:
    at = open_results("en")
    captions = [line for c in at.caption for line in c.value.replace("\\", "").split("  \n")]
    figure = cite_ids("NO-RES-13", evidence())  # named by publisher and year
    eur = [c for c in captions if c.startswith("≈ NOK") and f"{figure}: EUR" in c]
    assert eur, "the EUR 36 m figure has no NOK equivalent with its derivation"
    assert "annual average 2021" in eur[0] and cite_ids("ecb-eurofxref-hist", evidence()) in eur[0]
    assert "NO-RES-13" not in eur[0]


def test_measure_filter_is_kept_in_the_url() -> None:
    _ = gettext_for("nb")
    wanted = "cumulative_savings,savings_claim"
    at = open_results("nb", {"res_metrics": wanted})
    assert not at.exception
    assert params(at)["res_metrics"] == wanted
    assert at.multiselect(key="res_metrics").value == ["cumulative_savings", "savings_claim"]
    chosen = model.build(evidence(), "nb", model.Settings(tuple(wanted.split(",")))).ledger
    expected = ledger()[ledger()["metric"].isin(wanted.split(","))]
    assert sorted(chosen.table[_("Figure")]) == sorted(expected["fact_id"])
    assert_drawn(at, _("Quote"), chosen.shown)

    at.multiselect(key="res_metrics").set_value(["jobs_created"]).run()
    assert params(at)["res_metrics"] == "jobs_created" and params(at)["lang"] == "nb"
    again = open_results("nb", {"res_metrics": params(at)["res_metrics"]})
    pd.testing.assert_frame_equal(table_with(again, _("Quote")), table_with(at, _("Quote")))
    assert set(table_with(again, _("Quote"))[_("Measure")]) == {label("jobs_created", "nb")}


@pytest.mark.parametrize("hostile", ["<img src=x onerror=alert(1)>", "cumulative_savings,nope", ",,,", "%00"])
def test_hostile_filter_falls_back_to_all_measures(hostile: str) -> None:
    first = open_page(PAGE, "da", {"res_metrics": hostile})
    notices = [t.value for t in first.toast]  # shown once, on the run that read the link
    at = open_all(first, "res-more")
    assert not at.exception
    assert at.multiselect(key="res_metrics").value == []
    assert params(at)["res_metrics"] == ""
    table = table_with(at, gettext_for("da")("Quote"))
    assert len(table) == len(ledger())
    assert hostile not in all_text(at)
    if hostile.strip(","):  # ",,," reads as "no filter", which is valid
        assert len(notices) == 1 and "res_metrics" in notices[0] and hostile not in notices[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nb", "samlet siden starten"), ("da", "samlet siden starten"), ("en", "cumulative since the start")],
)
def test_metric_definitions_are_in_the_readers_language(lang: str, words: str) -> None:
    at = open_results(lang)
    captions = " ".join(c.value for c in at.caption)
    assert words in captions


def test_results_views_are_built_once_per_data_version_language_and_measures() -> None:
    from comparisons.models.results import ledger_view, results_view

    ev = load_evidence(DATA, validate=False)
    results_view.clear()
    ledger_view.clear()
    first = results_view(ev, "nb")
    assert results_view(ev, "nb") is first  # shared, not rebuilt
    assert results_view(ev, "en") is not first  # another language is another entry
    everything = ledger_view(ev, "nb", ())
    assert ledger_view(ev, "nb", ()) is everything
    chosen = ledger_view(ev, "nb", ("cumulative_savings",))
    assert chosen is not everything and len(chosen.table) < len(everything.table)
    assert ledger_view(ev, "da", ()) is not everything
    ev.version = "another-version"  # what a saved edit does to the key
    assert results_view(ev, "nb") is not first
    assert ledger_view(ev, "nb", ()) is not everything


@pytest.mark.parametrize("lang", LANGS)
def test_a_measure_with_many_figures_shows_cards_for_the_latest_and_says_so(lang: str) -> None:
    """Synthetic data (5x) gives groups of more than SHOWN_PER_GROUP disagreeing figures: those get cards for the
    latest figures only and a note; smaller groups (all of today's) get a card for every figure and no note."""
    from comparisons.i18n.formatting import fmt_number
    from comparisons.models.results import SHOWN_PER_GROUP, results_view
    from tests.synthetic import synthetic_evidence

    _ = gettext_for(lang)
    ev = synthetic_evidence(5)
    view = results_view(ev, lang)
    big = [g for g in view.groups if g.shown_note]
    assert big, "the synthetic data should have a measure with many disagreeing figures"
    for group in view.groups:
        n = int(group.heading.rsplit(": ", 1)[1].split()[0])  # "{measure}, {country}: {n} figures"
        if n > SHOWN_PER_GROUP:
            assert len(group.cards) == SHOWN_PER_GROUP
            assert group.shown_note == _(
                "Showing the latest {shown} of {n} figures; the evidence ledger below lists them all."
            ).format(shown=SHOWN_PER_GROUP, n=fmt_number(n, lang, decimals=0))
        else:
            assert len(group.cards) == n and group.shown_note is None
    today = results_view(shipped_evidence(), lang)
    assert today.groups and all(g.shown_note is None for g in today.groups)


def test_details_are_drawn_only_when_opened_and_keep_the_ledger_choice() -> None:
    """Grants, disagreements and the ledger wait behind one expander (ui.lazy): a page run on arrival sends none of
    them. The ledger's choice survives closing it, stays in the link meanwhile, and a link that chose measures opens it."""
    _ = gettext_for("da")
    closed = open_page(PAGE, "da")
    assert not closed.dataframe and _("The evidence ledger") not in all_text(closed)
    opened = open_all(closed, "res-more")
    assert _("The evidence ledger") in all_text(opened) and len(opened.dataframe) >= 2
    opened.multiselect(key="res_metrics").set_value(["jobs_created"]).run()
    opened.session_state["res-more"] = False
    shut = opened.run()
    assert not shut.dataframe
    assert params(shut)["res_metrics"] == "jobs_created"  # the link still holds the choice
    shut.session_state["res-more"] = True
    again = shut.run()
    assert again.multiselect(key="res_metrics").value == ["jobs_created"]
    linked = open_page(PAGE, "nb", {"res_metrics": "jobs_created"})
    assert linked.multiselect(key="res_metrics").value == ["jobs_created"]  # opened by the link, no click
