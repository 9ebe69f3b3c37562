"""The Overview's brief rows for the secretariat's host and the regional innovation drivers, and what is known of
Norway in the EU benchmark: on the page's model (shipped data, every language) and in the pack's main sheet."""

from __future__ import annotations

import pytest

from comparisons.i18n import gettext_for
from comparisons.measures.headlines import HEADLINE_ROWS
from comparisons.models import overview
from comparisons.outputs.pack import side_by_side
from comparisons.outputs.tables import export_table
from tests.helpers import shipped_evidence

LANGS = ("nb", "da", "en")
KEYS = [row.key for row in HEADLINE_ROWS]


def _view(lang: str) -> overview.OverviewView:
    ev = shipped_evidence()
    return overview.build(ev, lang, overview.default_settings(ev, lang)).view


def _pair(lang: str, key: str) -> tuple[overview.FigureCard, overview.FigureCard, str]:
    view = _view(lang)
    i = KEYS.index(key)
    return view.rows[i][0], view.rows[i][1], view.marks[i].text(lang)


def test_the_brief_has_a_row_per_lup_dimension_in_the_issue_order() -> None:
    # owners, secretariat/host, partners, public funding, procurement volume, documented results, regional drivers
    for earlier, later in [("owners", "host"), ("host", "partners"), ("partners", "grant"), ("volume", "drivers")]:
        assert KEYS.index(earlier) < KEYS.index(later)
    assert "savings" in KEYS and "reached" in KEYS  # documented results


@pytest.mark.parametrize("lang", LANGS)
def test_secretariat_host_names_nho_for_norway_and_the_nearest_danish_body_with_its_source(lang: str) -> None:
    _ = gettext_for(lang)
    no, dk, mark = _pair(lang, "host")
    assert no.label.startswith(_("Secretariat host"))
    assert no.value == "NHO"  # relations.csv: NHO hosts LUP (Forskningspolitikk, 2025)
    assert "2025" in no.line and "Forskningspolitikk" in no.line
    assert "Det offentlige bruker 800 milliarder" in no.cite_head  # its source, in the pop-over
    assert dk.value == _("not found")
    assert "CO\\-PI" in dk.line and _("Partial fit").lower() in dk.line  # counterparts.csv: secretariat-host
    assert "Fakta om den nationale OPS\\-enhed" in dk.cite_head  # the counterpart's source, cited
    assert "NHO" in dk.cite_details  # why, in the reader's language
    assert mark == f"{_('cannot be compared')}: {_('no Danish body holds this role')}"


@pytest.mark.parametrize("lang", LANGS)
def test_regional_innovation_drivers_norway_counts_regions_denmark_names_gate21(lang: str) -> None:
    _ = gettext_for(lang)
    no, dk, mark = _pair(lang, "drivers")
    assert no.label.startswith(_("Regions with a dedicated innovation driver")) and no.value == "11"
    assert no.fact_id == "NO-DOC003-03"
    assert dk.value == _("not found") and "Gate 21" in dk.line
    assert "Kommunale indkøb som innovationsmotor" in dk.cite_head  # gate21-tipp
    assert mark == f"{_('cannot be compared')}: {_('no Danish figure')}"


@pytest.mark.parametrize("lang", LANGS)
def test_benchmark_shows_norways_2020_category_as_known_and_says_the_years_differ(lang: str) -> None:
    _ = gettext_for(lang)
    no, _dk, mark = _pair(lang, "benchmark")
    assert no.value == _("not found") and no.fact_id is None  # the score itself is still not found
    assert _("Norway's score was not found in the Commission's reports; it is not estimated here.") in no.line
    assert "good performers" in no.line and "2020" in no.line and "KEINO" in no.line
    assert "hankintakeino.fi" in no.cite_head  # cited
    assert "2020" in mark and "2024" in mark  # not the same yardstick year, said plainly
    assert mark.startswith(_("cannot be compared"))


@pytest.mark.parametrize("lang", LANGS)
def test_pack_main_sheet_carries_the_new_rows_with_their_marks(lang: str) -> None:
    _ = gettext_for(lang)
    table = side_by_side(export_table("headlines", shipped_evidence(), lang, "2025-03-05"))
    rows = {r["measure"]: r for r in table.frame.to_dict("records")}
    host = rows[_("Secretariat host")]
    assert host["NO"].startswith("NHO") and "Forskningspolitikk" in host["NO"]
    assert host["comparability_note"] == _("no Danish body holds this role")
    drivers = rows[_("Regions with a dedicated innovation driver")]
    assert drivers["NO"].startswith("11") and drivers["DK"] == _("not found")
    bench = rows[_("Score in the EU innovation-procurement benchmark")]
    assert "good performers" in bench["NO"] and "KEINO" in bench["NO"]
    assert "2020" in bench["comparability_note"] and "2024" in bench["comparability_note"]
