"""The Partners page in every language, against the shipped data: partner counts with their sources and
conflicts, the named partners by kind (filter kept in the URL), regional coverage and the Danish pool."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.i18n import gettext_for, pick
from comparisons.models import partners as model
from comparisons.models.figure import escape_md
from tests.helpers import LANGS, MONTHS, all_text, open_details, open_page, shipped_evidence

PAGE = "partners"
TITLE = "Partners: who takes part in LUP"
evidence = shipped_evidence


def label(metric: str, lang: str) -> str:
    metrics = evidence()["metrics"].set_index("metric_id")
    return pick(metrics.loc[metric], "label", lang)


def written_day(text: str, lang: str) -> str:
    y, m, d = (int(p) for p in text.split("-"))
    month = MONTHS[lang][m - 1]
    return f"{d} {month} {y}" if lang == "en" else f"{d}. {month} {y}"


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def metric(at: AppTest, label_text: str) -> str:
    # A card's label is Markdown: a metric's label from the data is escaped (issue 16), so "(" is drawn as "(".
    found = [m.value for m in at.metric if m.label == escape_md(label_text)]
    assert found, f"no figure card {label_text!r}"
    return found[0]


def params(at: AppTest) -> dict[str, str]:
    return {k: (v if isinstance(v, str) else v[0]) for k, v in at.query_params.items()}


def partner_facts() -> pd.DataFrame:
    facts = evidence()["facts"]
    return facts[(facts["subject"] == "lup") & (facts["metric"] == "partner_count")]


def named_partner_kinds() -> dict[str, str]:
    ev = evidence()
    rel = ev["relations"]
    partners = rel[(rel["relation"] == "partner") & (rel["object"] == "lup")]["subject"]
    kinds = ev["actors"].drop_duplicates("actor_id").set_index("actor_id")
    return {kinds.loc[a, "name"]: kinds.loc[a, "kind"] for a in partners}


@pytest.mark.parametrize("lang", LANGS)
def test_partners_page_in_every_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_details(open_page(PAGE, lang))
    assert not at.exception
    assert at.title[0].value == _(TITLE)

    # Partner counts: every source's figure in the table, with its date in the chosen language.
    # The download frame keeps each figure's id; the page draws the same rows without it.
    facts = partner_facts()
    counts = model.partners_view(evidence(), lang).counts
    assert counts is not None
    assert set(counts.table[_("Figure ID")]) == set(facts["fact_id"])
    table = table_with(at, _("Disagrees with a close figure"))
    pd.testing.assert_frame_equal(table.reset_index(drop=True), counts.table_shown.reset_index(drop=True))
    assert _("Figure ID") not in table.columns
    value_col = label("partner_count", lang)
    assert sorted(table[value_col]) == sorted(facts["value"])
    day = facts[facts["period_start"].str.len() == 10]["period_start"].iloc[0]
    assert written_day(day, lang) in set(table[_("Valid for")])
    # The latest figure and the earliest, each as a card with its value.
    assert metric(at, _("Partners, latest figure")) == "35"
    assert metric(at, _("Partners, earliest figure")) == "30"

    # Conflicting figures for close dates are both kept and flagged (30 in 2020, 29 and 26 in 2021).
    flagged = set(table.loc[table[_("Disagrees with a close figure")], value_col])
    assert {29, 30, 26} <= flagged
    assert any("29" in w.value and "30" in w.value for w in at.warning)

    # Named partners: says they are not all, and lists exactly the named ones.
    named = named_partner_kinds()
    info = " ".join(i.value for i in at.info)
    assert str(len(named)) in info and "35" in info
    listed = table_with(at, _("Partner since"))
    assert sorted(listed[_("Partner")]) == sorted(named)

    # Regional coverage and the Danish pool, labelled in the chosen language.
    assert metric(at, label("counties_count", lang)) == "11"
    assert metric(at, label("county_partners", lang)) == "11"
    assert metric(at, label("innovation_driver_regions", lang)) == "11"
    assert metric(at, label("municipalities_count", lang)) == "98"
    assert metric(at, label("regions_count", lang)) == "5"
    assert metric(at, _("State agencies")) == _("not found")
    assert any("alle fylkeskommunene" in m.value for m in at.markdown)  # the 2023 statement, quoted
    assert at.success, "the all-county-councils finding should be shown"


def test_counts_chart_tooltips_name_source_and_date() -> None:
    at = open_page(PAGE, "da")
    assert not at.exception
    chart = at.get("vega_lite_chart")[0].proto
    frames = [pa.ipc.open_stream(io.BytesIO(d.data.data)).read_pandas() for d in chart.datasets]
    points = next(f for f in frames if "fact_id" in f.columns)
    assert set(points["fact_id"]) == set(partner_facts()["fact_id"])
    assert points["publisher"].notna().all() and points["as_of_text"].notna().all()
    assert "28. marts 2019" in set(points["period_text"])


def test_kind_filter_round_trips_through_the_link() -> None:
    at = open_details(open_page(PAGE, "nb", {"par_kinds": "county"}))
    _ = gettext_for("nb")
    assert not at.exception
    assert at.multiselect[0].value == ["county"]
    listed = table_with(at, _("Partner since"))
    counties = sorted(n for n, k in named_partner_kinds().items() if k == "county")
    assert sorted(listed[_("Partner")]) == counties
    link = params(at)
    assert link["par_kinds"] == "county"
    again = open_details(open_page(PAGE, link.pop("lang"), link))
    pd.testing.assert_frame_equal(table_with(again, _("Partner since")), listed)


def test_choosing_kinds_writes_them_into_the_link() -> None:
    at = open_details(open_page(PAGE, "en"))
    kinds = sorted(set(named_partner_kinds().values()))
    assert at.multiselect[0].value == kinds  # default: every kind
    at.multiselect[0].set_value(["agency"]).run()
    assert not at.exception
    assert params(at)["par_kinds"] == "agency"
    listed = table_with(at, "Partner since")
    assert set(listed["Kind of body"]) == {"Agency"}


@pytest.mark.parametrize("bad", ["bogus", "county,bogus", "<script>alert(1)</script>", "county;agency"])
def test_hostile_kinds_fall_back_to_every_kind(bad: str) -> None:
    at = open_page(PAGE, "en", {"par_kinds": bad})
    assert not at.exception
    kinds = sorted(set(named_partner_kinds().values()))
    assert at.multiselect[0].value == kinds
    assert params(at)["par_kinds"] == ",".join(kinds)
    pending = at.session_state.get("_url_notices", set())
    assert "par_kinds" in pending or any("par_kinds" in t.value for t in at.toast)
    assert "<script>" not in all_text(at)


def test_sparse_data_says_not_found(tmp_path, monkeypatch) -> None:
    """No named partners, no regional or Danish pool figures: cards say "not found", nothing breaks."""
    from tests.minimal_data import write_minimal_root

    monkeypatch.setenv("LUP_DATA_DIR", str(write_minimal_root(tmp_path / "data")))
    at = open_page(PAGE, "nb")
    _ = gettext_for("nb")
    assert not at.exception and not at.error
    assert metric(at, label("municipalities_count", "nb")) == _("not found")
    assert metric(at, label("counties_count", "nb")) == _("not found")
    assert metric(at, _("Partners, latest figure")) == "30"
    assert _("No named partner of the chosen kinds.") in all_text(at)
    assert not at.success  # no coverage claim without both figures


def test_text_from_the_data_is_never_markup(tmp_path, monkeypatch) -> None:
    from tests.helpers import copy_data
    from tests.minimal_data import edit_csv

    root = copy_data(tmp_path)

    shared = set(pd.read_csv(root / "denmark" / "sources.csv", dtype=str)["source_id"])

    def evil_source(rows):  # sources shared with the Danish package must stay identical
        for row in rows:
            if row["source_id"] not in shared:
                row["publisher"] = "[evil](https://evil.example) <img src=x>"

    edit_csv(root / "norway" / "sources.csv", evil_source)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    at = open_page(PAGE, "en")
    assert not at.exception and not at.error
    text = all_text(at)
    assert "evil" in text  # the publisher is shown ...
    assert "[evil](" not in text  # ... but never as a link
    assert "<img" not in text.replace("\\<img", "")


def test_views_are_built_once_per_data_version_language_and_kinds() -> None:
    from comparisons.evidence.base import load_evidence
    from comparisons.models.partners import partners_kinds_view, partners_view

    ev = load_evidence()
    partners_view.clear()
    partners_kinds_view.clear()
    first = partners_view(ev, "nb")
    assert partners_view(ev, "nb") is first  # shared, not rebuilt
    assert partners_view(ev, "en") is not first  # another language is another entry
    kinds = tuple(first.kinds_present)
    assert kinds, "the shipped data names partners of some kind"
    chosen = partners_kinds_view(ev, "nb", kinds)
    assert partners_kinds_view(ev, "nb", kinds) is chosen
    assert partners_kinds_view(ev, "nb", kinds[:1]) is not chosen  # another choice of kinds is another entry
    assert partners_kinds_view(ev, "nb", ()).chart is None
    assert partners_view(ev, "nb") is first  # choosing kinds does not rebuild the rest of the page
    ev.version = "another-version"  # what a saved edit does to the key
    assert partners_view(ev, "nb") is not first
    assert partners_kinds_view(ev, "nb", kinds) is not chosen


@pytest.mark.parametrize("lang", LANGS)
def test_many_disagreeing_counts_are_listed_up_to_a_limit_and_counted_beyond_it(lang: str) -> None:
    """With many pairs (synthetic data, 5x), the warning names the first LISTED_PAIRS and counts the rest; the table
    still marks every figure of every pair."""
    import comparisons.measures.partners as pt
    from comparisons.evidence.base import facts_with_sources
    from comparisons.i18n.formatting import fmt_number
    from comparisons.models.partners import LISTED_PAIRS, partners_view
    from tests.synthetic import synthetic_evidence

    _ = gettext_for(lang)
    ev = synthetic_evidence(5)
    pairs = pt.close_disagreements(pt.count_series(facts_with_sources(ev)))
    assert len(pairs) > LISTED_PAIRS, "the synthetic data should disagree more often than the list shows"
    counts = partners_view(ev, lang).counts
    assert counts is not None and counts.disagreements is not None
    lines = counts.disagreements.split("\n")
    assert len([line for line in lines if line.startswith("- ")]) == LISTED_PAIRS
    rest = fmt_number(len(pairs) - LISTED_PAIRS, lang, decimals=0)
    assert lines[-1].replace("\\", "") == _(
        "Further pairs, not listed here: {count}. The table below marks every figure that disagrees with a close one."
    ).format(count=rest)
    marked = counts.table[_("Disagrees with a close figure")]
    assert marked.sum() == len(set(pairs["fact_id"]) | set(pairs["other_fact_id"]))
