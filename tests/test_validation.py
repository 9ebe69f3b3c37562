"""The loader and validator: sound data passes; each kind of breakage is reported with file, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pytest

from comparisons.evidence.base import load_evidence
from comparisons.evidence.paths import DEFAULT_DATA_ROOT, PACKAGES
from tests.minimal_data import edit_csv, write_minimal_root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_minimal_root(tmp_path / "data")


def _problems(root: Path) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.file, p.row, p.column, p.message) for p in load_evidence(root).problems]


def test_minimal_root_is_sound(root: Path) -> None:
    ev = load_evidence(root)
    assert ev.problems == []
    assert ev["facts"]["value"].dtype == "Float64"
    assert set(ev["facts"]["package"]) == {"norway", "denmark"}
    # the source shared by both packages is listed once
    assert list(ev["sources"]["source_id"]).count("doc-004") == 1


def test_shipped_data_is_sound() -> None:
    ev = load_evidence(DEFAULT_DATA_ROOT)
    assert [str(p) for p in ev.problems] == []
    assert len(ev["facts"]) >= 150


@pytest.mark.parametrize("package", PACKAGES)
def test_frictionless_accepts_each_shipped_package(package: str) -> None:
    report = frictionless.validate(str(DEFAULT_DATA_ROOT / package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:10]


def test_missing_column_is_reported_on_the_header(root: Path) -> None:
    edit_csv(root / "norway" / "facts.csv", lambda rows: [{k: v for k, v in r.items() if k != "unit"} for r in rows])
    problems = _problems(root)
    assert ("norway/facts.csv", 1, "unit", "column is missing from the header") in problems
    # one problem for the column, not one per row
    assert sum(1 for p in problems if p[0] == "norway/facts.csv" and p[2] == "unit") == 1


def test_unknown_source_id(root: Path) -> None:
    def edit(rows):
        rows[1]["source_id"] = "no-such-source"

    edit_csv(root / "norway" / "facts.csv", edit)
    problems = _problems(root)
    assert any(p[:3] == ("norway/facts.csv", 3, "source_id") and "does not exist" in p[3] for p in problems)


def test_value_that_is_not_a_number(root: Path) -> None:
    def edit(rows):
        rows[0]["value"] = "334 mill."

    edit_csv(root / "norway" / "facts.csv", edit)
    problems = _problems(root)
    assert any(p[:3] == ("norway/facts.csv", 2, "value") and "not a valid number" in p[3] for p in problems)


def test_duplicate_id(root: Path) -> None:
    edit_csv(root / "denmark" / "actors.csv", lambda rows: [*rows, dict(rows[0])])
    problems = _problems(root)
    assert any(p[:3] == ("denmark/actors.csv", 3, "actor_id") and "duplicate" in p[3] for p in problems)


def test_quote_that_does_not_carry_its_figure(root: Path) -> None:
    def edit(rows):
        rows[0]["value"] = "343000000"

    edit_csv(root / "norway" / "facts.csv", edit)
    problems = _problems(root)
    assert any(p[:3] == ("norway/facts.csv", 2, "quote") and "does not carry the figure" in p[3] for p in problems)


def test_value_not_in_base_units(root: Path) -> None:
    def edit(rows):
        rows[0]["value"] = "334"

    edit_csv(root / "norway" / "facts.csv", edit)
    assert any(p[:3] == ("norway/facts.csv", 2, "quote") for p in _problems(root))


def test_manual_quote_check_is_honoured_but_needs_a_note(root: Path) -> None:
    def edit(rows):
        rows[1]["quote"] = "Derudover har LUP tredive partnere"
        rows[1]["quote_check"] = "manual"

    edit_csv(root / "norway" / "facts.csv", edit)
    assert any(p[:3] == ("norway/facts.csv", 3, "note") for p in _problems(root))

    def add_note(rows):
        rows[1]["note"] = "Thirty written as a word."

    edit_csv(root / "norway" / "facts.csv", add_note)
    assert _problems(root) == []


def test_every_problem_is_reported_at_once(root: Path) -> None:
    def edit(rows):
        rows[0]["value"] = "abc"
        rows[1]["metric"] = "no_such_metric"
        rows[1]["unit"] = "parsecs"

    edit_csv(root / "norway" / "facts.csv", edit)
    edit_csv(root / "denmark" / "relations.csv", lambda rows: [{**rows[0], "object": "nowhere"}])
    problems = _problems(root)
    assert {(p[1], p[2]) for p in problems if p[0] == "norway/facts.csv"} >= {(2, "value"), (3, "metric"), (3, "unit")}
    assert ("denmark/relations.csv", 2, "object", "unknown actor or event 'nowhere'") in problems


def test_unit_must_fit_metric(root: Path) -> None:
    def edit(rows):
        rows[1]["unit"] = "NOK"

    edit_csv(root / "norway" / "facts.csv", edit)
    assert any(p[:3] == ("norway/facts.csv", 3, "unit") and "does not fit" in p[3] for p in _problems(root))


def test_derived_fact_needs_existing_inputs(root: Path) -> None:
    def edit(rows):
        rows[2]["derived_from"] = "NO-NOPE-1"

    edit_csv(root / "norway" / "facts.csv", edit)
    assert ("norway/facts.csv", 4, "derived_from", "unknown fact 'NO-NOPE-1'") in _problems(root)


def test_period_must_not_end_before_it_starts(root: Path) -> None:
    def edit(rows):
        rows[0]["period_start"] = "2021"

    edit_csv(root / "norway" / "facts.csv", edit)
    assert ("norway/facts.csv", 2, "period_end", "period ends before it starts") in _problems(root)


def test_shared_source_must_agree_across_packages(root: Path) -> None:
    def edit(rows):
        rows[0]["title"] = "Another title"

    edit_csv(root / "denmark" / "sources.csv", edit)
    assert any(p[:3] == ("denmark/sources.csv", 2, "source_id") for p in _problems(root))


def test_missing_file_and_unreadable_descriptor(root: Path) -> None:
    (root / "denmark" / "events.csv").unlink()
    (root / "reference" / "datapackage.json").write_text("{not json", encoding="utf-8")
    problems = _problems(root)
    assert ("denmark/events.csv", None, None, "file is missing") in problems
    assert any(p[0] == "reference/datapackage.json" and "cannot be read" in p[3] for p in problems)


def test_binary_garbage_in_a_csv_does_not_raise(root: Path) -> None:
    (root / "norway" / "facts.csv").write_bytes(b"\x00\xff\xfe garbage \x89PNG")
    problems = _problems(root)
    assert any(p[0] == "norway/facts.csv" for p in problems)


def test_descriptor_schemas_are_shared_and_documented() -> None:
    """The resources both countries have use the same schema, and every field says what it holds."""
    schemas: dict[str, list[dict]] = {}
    for package in PACKAGES:
        descriptor = json.loads((DEFAULT_DATA_ROOT / package / "datapackage.json").read_text(encoding="utf-8"))
        for res in descriptor["resources"]:
            for field in res["schema"]["fields"]:
                assert field.get("description"), f"{package}/{res['name']}.{field['name']} has no description"
            schemas.setdefault(res["name"], []).append(res["schema"])
    for name in ("facts", "actors", "relations", "events"):
        assert schemas[name][0] == schemas[name][1], f"{name} schema differs between norway and denmark"
    assert all(s == schemas["sources"][0] for s in schemas["sources"])
