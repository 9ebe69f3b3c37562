"""`python -m comparisons brief`: every page's model as JSON and as a Markdown brief, with the page's own numbers;
and savings per krone, defined once, showing the same numbers on Results, in the What-if, in the pack and in the
briefs."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from comparisons import cli, models
from comparisons.evidence.base import load_evidence
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_number
from comparisons.measures import savings as sv
from comparisons.measures.money import rate_table
from comparisons.outputs.pack import build_pack
from tests.helpers import DATA, open_page


def brief(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["brief", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def leaves(value: Any) -> list[str]:
    """Every scalar in a JSON document, as text."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in leaves(v)]
    return [] if value is None else [str(value)]


@pytest.mark.parametrize("page", [p.url_path for p in models.PAGES])
def test_every_page_brief_in_danish_has_the_numbers_the_page_shows(page: str) -> None:
    code, out, err = brief(page, "--lang", "da", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    _ = gettext_for("da")
    assert (doc["page"], doc["lang"], doc["title"]) == (page, "da", _(models.page(page).title))
    texts = set(leaves(doc["model"]))
    at = open_page(page, "da")
    assert not at.exception and not at.error
    shown = [str(m.value) for m in at.metric]
    missing = [v for v in shown if v not in texts]
    assert not missing, f"{page}: the page shows {missing}, the brief does not"
    code, md, err = brief(page, "--lang", "da", "--format", "md")
    assert code == 0 and md.startswith(f"# {_(models.page(page).title)}\n"), err


def test_a_markdown_brief_lists_the_pages_figures_and_tables() -> None:
    code, md, _err = brief("procurement", "--lang", "nb", "--format", "md")
    assert code == 0
    assert "- **Offentlige innkjøp per år: Norge**" in md  # a figure card, in the language
    assert "\n| " in md and "|---|" in md  # its tables


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("nowhere",), "unknown page 'nowhere'"),
        (("results", "--lang", "sv"), "unknown language 'sv'"),
        (("results", "--format", "pdf"), "unknown format 'pdf'"),
    ],
)
def test_unknown_page_language_or_format_exit_2_with_one_line(argv: tuple[str, ...], fragment: str) -> None:
    code, out, err = brief(*argv)
    assert code == 2 and out == ""
    assert fragment in err and err.count("\n") == 1


def test_savings_per_krone_is_the_same_on_results_whatif_pack_and_briefs() -> None:
    ev = load_evidence(DATA, validate=False)
    ratios = sv.savings_ratios(ev["facts"], rate_table(ev["exchange_rates"]))
    named = sv.named_ratios(ratios)
    expected = {key: round(float(row["ratio"]), 2) for key, row in named.items()}
    assert set(expected) == {"low", "central", "high"}
    lang = "da"
    written = {key: fmt_number(v, lang, 2) for key, v in expected.items()}

    # Results lists every ratio, among them the three the What-if starts from.
    results = open_page("results", lang)
    shown = " ".join(str(m.value) for m in results.metric)
    assert all(text in shown for text in written.values()), (written, shown)
    # The What-if's defaults are those ratios.
    whatif = open_page("whatif", lang)
    for key, value in expected.items():
        assert whatif.session_state[f"wi_{key}"] == value
        assert whatif.text_input(key=f"wi_{key}_text").value == written[key]
    # The briefs: Results' ratios as the page writes them, the What-if's inputs as numbers.
    _code, out, _err = brief("results", "--lang", lang)
    assert all(text in " ".join(leaves(json.loads(out))) for text in written.values())
    _code, out, _err = brief("whatif", "--lang", lang)
    inputs = json.loads(out)["model"]["settings"]["inputs"]
    assert {key: inputs[f"savings_{key}"] for key in expected} == expected
    # The pack's assumptions sheet.
    pack = build_pack(ev, lang, datetime(2026, 1, 5, tzinfo=UTC))
    book = openpyxl.load_workbook(io.BytesIO(pack.xlsx))
    sheet = book[gettext_for(lang)("Assumptions")]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, (int, float))]
    for value in expected.values():
        assert value in values
