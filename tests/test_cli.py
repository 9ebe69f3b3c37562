"""`python -m comparisons validate|facts|sources` on a sound and a broken data root."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from comparisons.cli import main
from tests.helpers import REPO
from tests.minimal_data import edit_csv, write_minimal_root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_minimal_root(tmp_path / "data")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_validate_ok(root: Path) -> None:
    code, out, _ = run("validate", "--data", str(root))
    assert code == 0
    assert out.startswith("ok: 4 facts")


def test_validate_lists_every_problem_and_exits_1(root: Path) -> None:
    def edit(rows):
        rows[0]["value"] = "abc"
        rows[1]["source_id"] = "nope"

    edit_csv(root / "norway" / "facts.csv", edit)
    code, out, _ = run("validate", "--data", str(root))
    assert code == 1
    assert "norway/facts.csv, row 2, column value:" in out
    assert "norway/facts.csv, row 3, column source_id:" in out


def test_validate_json(root: Path) -> None:
    code, out, _ = run("validate", "--data", str(root), "--format", "json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True and len(payload["version"]) == 12


def test_validate_missing_folder(tmp_path: Path) -> None:
    code, _, err = run("validate", "--data", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err


def test_facts_filters_and_joins_sources(root: Path) -> None:
    code, out, _ = run("facts", "--data", str(root), "--country", "NO", "--metric", "partner_count", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["fact_id"] for r in rows} == {"NO-DOC004-02", "NO-DER-01"}
    first = next(r for r in rows if r["fact_id"] == "NO-DOC004-02")
    assert first["publisher"] == "COI" and first["document"] == "004_0ea15bb8b611e70a.txt"


def test_facts_json_and_table(root: Path) -> None:
    code, out, _ = run("facts", "--data", str(root), "--country", "DK", "--format", "json")
    records = json.loads(out)
    assert code == 0 and [r["fact_id"] for r in records] == ["DK-DOC004-01"]
    assert records[0]["value"] == 300000000000
    code, out, _ = run("facts", "--data", str(root), "--format", "table")
    assert code == 0 and "NO-DOC004-01" in out and "source_title" in out


def test_facts_unknown_metric_exits_2(root: Path) -> None:
    code, _, err = run("facts", "--data", str(root), "--metric", "bananas")
    assert code == 2 and "unknown metric" in err


def test_bad_arguments_exit_2(root: Path) -> None:
    assert run("facts", "--data", str(root), "--country", "SE")[0] == 2
    assert run("nonsense")[0] == 2


def test_sources(root: Path) -> None:
    code, out, _ = run("sources", "--data", str(root), "--format", "csv")
    assert code == 0
    ids = [r["source_id"] for r in csv.DictReader(io.StringIO(out))]
    assert sorted(ids) == ["doc-004", "ecb", "workbench-derived"]


def test_module_entry_point(root: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "comparisons", "validate", "--data", str(root)], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
