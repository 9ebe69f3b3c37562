"""Page tests for "Sources" (url_path sources), against the shipped data.

Expected values come straight from the CSV files, so a wrong join, count or format shows up as a failure.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_value
from tests.helpers import DATA, LANGS, all_text, open_all, open_page, openable_keys

PAGE = "sources"
PACKAGES = ("norway", "denmark", "reference")
MONTH = {"nb": "mai 2021", "da": "maj 2021", "en": "May 2021"}  # doc-000 is dated May 2021, inferred
MONEY = {"nb": "334\u00a0mill.\u00a0NOK", "da": "334\u00a0mio.\u00a0NOK", "en": "NOK\u00a0334M"}


def rows(package: str, resource: str, root: Path = DATA) -> list[dict[str, str]]:
    path = root / package / f"{resource}.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def everywhere(resource: str) -> list[dict[str, str]]:
    return [r for p in PACKAGES for r in rows(p, resource)]


def frame_with(at: AppTest, *columns: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]


def sources_frame(at: AppTest) -> pd.DataFrame:
    return frame_with(at, "document", "links")[0]


def cited_frame(at: AppTest) -> pd.DataFrame:
    found = frame_with(at, "quote", "conflict")
    return found[0] if found else pd.DataFrame(columns=["fact_id"])


def links_frame(at: AppTest) -> pd.DataFrame:
    found = frame_with(at, "record", "who")
    return found[0] if found else pd.DataFrame(columns=["id"])


def param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else str(value)


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_is_listed_in_every_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    assert not at.exception and not at.error
    assert at.title[0].value == _("Sources")
    for md in at.markdown:
        assert not md.proto.allow_html
    table = sources_frame(at).set_index("source_id")
    expected = {s["source_id"]: s for s in everywhere("sources")}
    assert set(table.index) == set(expected)
    # Inferred dates are marked, in the language's words; the month is written the language's way.
    doc0 = table.loc["doc-000", "published"]
    assert expected["doc-000"]["published_inferred"] == "true"
    assert doc0 == _("{date} (inferred)").format(date=MONTH[lang])
    not_inferred = next(
        s for s in expected.values() if s["published_inferred"] in ("", "false") and len(s["published"]) == 4
    )
    assert table.loc[not_inferred["source_id"], "published"] == not_inferred["published"]
    # Labels translated through the catalog (the label strings already have Danish and Norwegian).
    assert table.loc["doc-000", "reliability"] == _("Primary source")
    if lang != "en":
        assert table.loc["doc-000", "reliability"] != "Primary source"
    # Citation counts: facts citing each source, across the packages.
    facts = everywhere("facts")
    for sid in ("doc-004", "doc-000"):
        assert table.loc[sid, "facts"] == sum(1 for f in facts if f["source_id"] == sid)
    # Only web addresses become links.
    assert all(pd.isna(u) or str(u).startswith(("http://", "https://")) for u in table["url"])


@pytest.mark.parametrize("lang", LANGS)
def test_a_chosen_source_shows_every_fact_relation_and_event_citing_it(lang: str) -> None:
    at = open_page(PAGE, lang, {"src_id": "doc-004"})
    assert not at.exception and not at.error
    assert at.selectbox(key="src_id").value == "doc-004"
    cited = cited_frame(at)
    expected = [f for f in everywhere("facts") if f["source_id"] == "doc-004"]
    assert sorted(cited["fact_id"]) == sorted(f["fact_id"] for f in expected)
    savings = next(f for f in expected if f["unit"] == "NOK" and float(f["value"]) == 334_000_000)
    line = cited.set_index("fact_id").loc[savings["fact_id"]]
    assert line["figure"] == MONEY[lang] == fmt_value(334_000_000, "NOK", lang, savings["bound"])
    assert line["value"] == 334_000_000  # the numeric value stays numeric
    links = links_frame(at)
    expected_links = [r["relation_id"] for r in everywhere("relations") if r["source_id"] == "doc-004"]
    expected_links += [e["event_id"] for e in everywhere("events") if e["source_id"] == "doc-004"]
    assert sorted(links["id"]) == sorted(expected_links)
    assert expected_links, "doc-004 names the summit's participants"
    title = next(s["title"] for s in everywhere("sources") if s["source_id"] == "doc-004")
    assert title.replace("-", "\\-") in all_text(at)


@pytest.mark.parametrize("lang", LANGS)
def test_conflicts_are_listed_side_by_side(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    listed = openable_keys(at, "src-open-")
    assert listed and not frame_with(at, "conflict_id")  # a list of groups; their tables drawn when opened
    at = open_all(at, "src-open-")
    groups = frame_with(at, "conflict_id", "fact_id", "figure")
    assert groups, "the evidence holds figures that disagree"
    roles_and_figures = groups + frame_with(at, "conflict_id", "holder")
    assert len(roles_and_figures) == len(listed)  # one table per group
    assert sorted(g["conflict_id"].iloc[0] for g in roles_and_figures) == sorted(
        k.removeprefix("src-open-") for k in listed
    )
    # LUP's savings: 334 MNOK beside EUR 36 m, in one group, unconverted.
    savings = [
        f["fact_id"] for f in everywhere("facts") if f["subject"] == "lup" and f["metric"] == "cumulative_savings"
    ]
    nok = next(
        f["fact_id"]
        for f in everywhere("facts")
        if f["fact_id"] in savings and f["unit"] == "NOK" and float(f["value"]) == 334_000_000
    )
    eur = next(f["fact_id"] for f in everywhere("facts") if f["fact_id"] in savings and f["unit"] == "EUR")
    group = next(g for g in groups if nok in set(g["fact_id"]))
    assert eur in set(group["fact_id"])
    assert MONEY[lang] in set(group["figure"])
    assert {"publisher", "source_title", "period"} <= set(group.columns)
    assert group["publisher"].str.len().min() > 0
    # Relations that disagree: Digdir and DFØ both recorded as owner of LUP from 2020.
    roles = frame_with(at, "conflict_id", "holder")
    assert any({"Digdir", "DFØ"} <= set(g["holder"]) for g in roles)
    assert _("Where sources disagree") in all_text(at)


def test_choosing_a_source_updates_the_url_and_the_link_reopens_it() -> None:
    # English: under AppTest the language picker is lost after switch_page on any interaction (streamlit#11115).
    at = open_page(PAGE, "en", {"src_id": "doc-004"})
    at.selectbox(key="src_id").set_value("doc-000").run()
    assert param(at, "src_id") == "doc-000"
    cited = cited_frame(at)
    assert sorted(cited["fact_id"]) == sorted(f["fact_id"] for f in everywhere("facts") if f["source_id"] == "doc-000")
    again = open_page(PAGE, "en", {"src_id": param(at, "src_id")})
    assert again.selectbox(key="src_id").value == "doc-000"
    pd.testing.assert_frame_equal(cited_frame(again), cited)


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "../../etc/passwd", "", "DOC-004", "doc-004,doc-000"])
def test_hostile_source_ids_fall_back_to_the_first_source(value: str) -> None:
    at = open_page(PAGE, "da", {"src_id": value})
    assert not at.exception and not at.error
    first = sources_frame(at)["source_id"].iloc[0]
    assert at.selectbox(key="src_id").value == first
    assert param(at, "src_id") == first
    if len(value) > 3:
        assert value not in all_text(at)
    noted = set(at.session_state["_url_notices"]) if "_url_notices" in at.session_state else set()
    noted |= {"src_id" for t in at.toast if "src_id" in str(t.value)}
    assert noted == {"src_id"}


def test_views_are_built_once_per_data_version_language_and_source() -> None:
    from comparisons.evidence.base import load_evidence
    from comparisons.models.sources import source_view, sources_view

    ev = load_evidence()
    sources_view.clear()
    source_view.clear()
    first = sources_view(ev, "nb")
    assert sources_view(ev, "nb") is first  # shared, not rebuilt
    assert sources_view(ev, "en") is not first  # another language is another entry
    chosen = source_view(ev, "nb", "doc-004")
    assert source_view(ev, "nb", "doc-004") is chosen
    assert source_view(ev, "en", "doc-004") is not chosen
    assert source_view(ev, "nb", "doc-000") is not chosen  # another source
    assert sources_view(ev, "nb") is first  # choosing a source does not rebuild the rest of the page
    ev.version = "another-version"  # what a saved edit does to the key
    assert sources_view(ev, "nb") is not first
    assert source_view(ev, "nb", "doc-004") is not chosen
