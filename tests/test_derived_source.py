"""The workbench's own derived source (kind "derived") is titled and published in the reader's language wherever
it is shown: the What-if provenance table, a figure card's line and citation, the derivation sentences, the export
tables and their source lists (issue 19). One definition: comparisons.evidence.base.sources_in."""

from __future__ import annotations

import pytest

from comparisons.evidence.base import sources_in
from comparisons.i18n import gettext_for
from comparisons.i18n.labels import DERIVED_SOURCE_TEXTS
from comparisons.measures.headlines import HEADLINE_ROWS
from comparisons.models import overview, whatif
from comparisons.outputs.tables import export_table
from tests.helpers import shipped_evidence

TITLE, PUBLISHER = DERIVED_SOURCE_TEXTS["title"], DERIVED_SOURCE_TEXTS["publisher"]
READER_LANGS = ("nb", "da")


def test_the_data_writes_the_derived_source_in_the_catalogued_english() -> None:
    """The catalog can only translate the title and publisher the data holds: they must be these msgids."""
    sources = shipped_evidence()["sources"]
    derived = sources[sources["kind"] == "derived"]
    assert len(derived) >= 1
    assert set(derived["title"]) == {TITLE} and set(derived["publisher"]) == {PUBLISHER}


@pytest.mark.parametrize("lang", READER_LANGS)
def test_sources_in_translates_only_the_derived_source(lang: str) -> None:
    _ = gettext_for(lang)
    assert _(TITLE) != TITLE and _(PUBLISHER) != PUBLISHER  # a real translation exists
    sources = shipped_evidence()["sources"]
    shown = sources_in(sources, lang)
    derived = shown["kind"] == "derived"
    assert set(shown.loc[derived, "title"]) == {_(TITLE)} and set(shown.loc[derived, "publisher"]) == {_(PUBLISHER)}
    assert shown.loc[~derived, "title"].tolist() == sources.loc[~derived, "title"].tolist()
    assert sources_in(sources, "en").loc[derived, "title"].tolist() == sources.loc[derived, "title"].tolist()


@pytest.mark.parametrize("lang", READER_LANGS)
def test_whatif_provenance_names_the_derived_source_in_the_readers_language(lang: str) -> None:
    _ = gettext_for(lang)
    ev = shipped_evidence()
    page = whatif.build(ev, lang, whatif.default_settings(ev, lang))
    assert page.defaults is not None
    shown = page.defaults.provenance_shown
    titles = set(shown[_("Source")].astype(str))
    publishers = set(shown[_("Publisher")].astype(str))
    assert _(TITLE) in titles and TITLE not in titles
    assert _(PUBLISHER) in publishers and PUBLISHER not in publishers
    assert PUBLISHER not in page.defaults.funding_caption and TITLE not in page.defaults.funding_caption


@pytest.mark.parametrize("lang", READER_LANGS)
def test_overview_grant_card_cites_the_derived_source_in_the_readers_language(lang: str) -> None:
    _ = gettext_for(lang)
    ev = shipped_evidence()
    view = overview.build(ev, lang, overview.default_settings(ev, lang)).view
    norway = view.rows[[r.key for r in HEADLINE_ROWS].index("grant")][0]
    assert norway.fact_id == "NO-FUN-18"  # the workbench's sum of the 2020 grants
    assert PUBLISHER not in norway.line and TITLE not in norway.cite_head
    assert _(TITLE) in norway.cite_head.replace("\\", "")


@pytest.mark.parametrize("lang", READER_LANGS)
def test_exports_name_the_derived_source_in_the_readers_language(lang: str) -> None:
    _ = gettext_for(lang)
    table = export_table("facts", shipped_evidence(), lang, "2025-03-05")
    row = table.frame[table.frame["fact_id"] == "NO-FUN-18"].iloc[0]
    assert row["source_title"] == _(TITLE) and row["publisher"] == _(PUBLISHER)
    listed = table.sources[table.sources["source_id"] == "workbench-derived"]
    assert set(listed["title"]) == {_(TITLE)}
