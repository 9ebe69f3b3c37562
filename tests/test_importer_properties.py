"""Properties of the importer: whatever bytes arrive, the only failure is a clear ImportError_, and nothing is
written; and what Danish Excel writes reads back cell for cell."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparisons.cli import main
from comparisons.evidence import importer, store
from tests.helpers import copy_data

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Each CLI example parses arguments and loads the table twice (about 0.1 s): fewer examples, same strategies.
CLI_SETTINGS = settings(SETTINGS, max_examples=80)


@pytest.fixture(scope="module")
def root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="lup-props-") as tmp:
        yield copy_data(Path(tmp))


@pytest.fixture(scope="module")
def tables(root: Path) -> dict[str, store.Loaded]:
    return {name: store.load_table(root, "denmark", name) for name in ("actors", "facts", "initiatives")}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# Bytes that look a little like a table: header words of the schemas, separators, quotes, numbers and Nordic
# letters in several encodings, so that examples get past the first checks and into the planner.
_TOKENS = st.sampled_from(
    [
        b"actor_id",
        b"fact_id",
        b"value",
        b"name",
        b"kind",
        b"country",
        b"DK",
        b"1.234,5",
        b"3,00E+11",
        b"nan",
        b";",
        b",",
        b"\t",
        b"\n",
        b"\r\n",
        b'"',
        b'""',
        b"\xe6\xf8\xe5",
        "æøå".encode(),
        b"\xef\xbb\xbf",
        b"\x00",
        b"PK\x03\x04",
        b"\xff\xfe",
        b"=cmd|' /C calc'!A0",
        b"<script>",
        b" ",
    ]
)
TABLE_LIKE = st.lists(st.one_of(_TOKENS, st.binary(max_size=8)), max_size=60).map(b"".join)
ANY_BYTES = st.one_of(st.binary(max_size=2000), TABLE_LIKE)
NAMES = st.sampled_from(["upload.csv", "upload.xlsx", "UPLOAD.CSV", "noextension", "x.txt"])


@SETTINGS
@given(data=ANY_BYTES, name=NAMES, table=st.sampled_from(["actors", "facts", "initiatives"]))
def test_arbitrary_bytes_only_ever_raise_import_error(tables, data: bytes, name: str, table: str) -> None:
    try:
        read = importer.read_table(data, name)
    except importer.ImportError_ as exc:
        assert str(exc)  # a message a person can act on
        return
    loaded = tables[table]
    plan = importer.plan_import(read, loaded.frame, loaded.resource, name)
    for problem in plan.problems:
        assert problem.file == name and problem.row is not None and problem.column
    if plan.ok:
        after = importer.apply_plan(loaded.frame, plan)
        assert len(after) == len(loaded.frame) + len(plan.added)


@CLI_SETTINGS
@given(data=ANY_BYTES, name=NAMES)
def test_arbitrary_bytes_through_the_cli_never_write(root: Path, data: bytes, name: str) -> None:
    """Random files through `python -m comparisons import` (dry run and real): exit 0 or 1, never an exception,
    and the data is byte-for-byte the same afterwards."""
    before = _snapshot(root)
    with tempfile.TemporaryDirectory(prefix="lup-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        for extra in (["--dry-run"], []):
            out, err = io.StringIO(), io.StringIO()
            code = main(["import", str(path), "--into", "actors", "--data", str(root), *extra], out, err)
            assert code in (0, 1), out.getvalue() + err.getvalue()
    assert _snapshot(root) == before


# Text Danish Excel can write in Windows-1252 that cannot be mistaken for UTF-8 (no lone continuation bytes).
_CELL_TEXT = st.text(alphabet=st.sampled_from(list("abcxyzABC 0123456789.,;:-_'\"\n/()æøåÆØÅ")), max_size=25)


@SETTINGS
@given(rows=st.lists(st.lists(_CELL_TEXT, min_size=3, max_size=3), min_size=1, max_size=15))
def test_danish_excel_csv_reads_back_cell_for_cell(rows: list[list[str]]) -> None:
    header = ["actor_id", "name", "note"]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode("cp1252")
    kept = [r for r in rows if any(c.strip() for c in r)]  # rows of blanks only are not rows
    read = importer.read_table(data, "x.csv")
    assert read.separator == ";" and read.decimal == ","
    assert list(read.frame.columns) == header
    expected = pd.DataFrame(kept, columns=header, dtype="string")
    got = read.frame.fillna("")
    # csv normalises a bare "\r" inside a cell only through quoting, which the writer did; compare exactly.
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


@SETTINGS
@given(value=st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_nordic_and_english_numbers_read_as_the_same_value(value) -> None:
    english = f"{value:,.3f}"
    nordic = english.replace(",", "\u00a0").replace(".", ",")
    plain_nordic = f"{value:.3f}".replace(".", ",")
    for text, decimal in ((english, "."), (nordic, ","), (plain_nordic, ","), (f"{value:.3f}", ".")):
        converted = importer.to_number_text(text, decimal)
        assert converted is not None, text
        assert float(converted) == pytest.approx(float(value)), text
