"""The data loader's problem messages in the reader's language (issue 19): each problem keeps its English message
for the CLI and logs, and the page that lists them shows them translated, placeholders filled in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from comparisons.evidence.base import load_evidence
from comparisons.evidence.problems import Problem, problem
from comparisons.i18n import N_, gettext_for
from tests.helpers import REPO, TIMEOUT
from tests.minimal_data import edit_csv, write_minimal_root


def _broken_root(tmp_path: Path) -> Path:
    root = write_minimal_root(tmp_path / "data")

    def edit(rows):
        rows[0]["value"] = "not a number"
        rows[1]["period_start"] = "2021"
        rows[1]["period_end"] = "2019"

    edit_csv(root / "norway" / "facts.csv", edit)
    (root / "norway" / "events.csv").unlink()
    return root


def test_problem_is_english_and_translates() -> None:
    p = problem(
        "norway/facts.csv", 3, "quote", N_("quote has {words} words (at most {most})"), "quote", words=80, most=50
    )
    assert p.message == "quote has 80 words (at most 50)"
    assert str(p) == "norway/facts.csv, row 3, column quote: quote has 80 words (at most 50)"
    assert p.text("en") == p.message
    assert p.text("da") == "citatet har 80 ord (højst 50)"
    assert p.text("nb") == "sitatet har 80 ord (høyst 50)"
    assert p.as_dict() == {
        "file": "norway/facts.csv",
        "row": 3,
        "column": "quote",
        "message": "quote has 80 words (at most 50)",
        "code": "quote",
    }
    # A library's own text has no template and is passed on as it is.
    assert Problem("x.csv", None, None, "some library text").text("da") == "some library text"


@pytest.mark.parametrize("lang", ["da", "nb"])
def test_loader_problems_translate(tmp_path: Path, lang: str) -> None:
    ev = load_evidence(_broken_root(tmp_path))
    assert not ev.ok
    by_place = {(p.file, p.row, p.column): p for p in ev.problems}
    missing = by_place[("norway/events.csv", None, None)]
    assert missing.message == "file is missing"
    assert missing.text(lang) == "filen mangler"
    period = by_place[("norway/facts.csv", 3, "period_end")]
    assert period.message == "period ends before it starts"
    assert (
        period.text(lang)
        == {"da": "perioden slutter, før den begynder", "nb": "perioden slutter før den begynner"}[lang]
    )
    typed = by_place[("norway/facts.csv", 2, "value")]
    assert "'not a number'" in typed.text(lang) and typed.text(lang) != typed.message
    # Every problem the loader reports on this data is translated (none is left in English).
    for p in ev.problems:
        assert p.template, f"no template, so shown in English: {p}"
        assert p.text(lang) != p.message, p


@pytest.mark.parametrize("lang", ["da", "nb"])
def test_page_lists_problems_in_the_readers_language(tmp_path: Path, monkeypatch, lang: str) -> None:
    monkeypatch.setenv("LUP_DATA_DIR", str(_broken_root(tmp_path)))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    shown = set(table[gettext_for(lang)("Problem")])
    assert "filen mangler" in shown
    assert "file is missing" not in shown and "period ends before it starts" not in shown
