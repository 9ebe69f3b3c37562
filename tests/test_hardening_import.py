"""Issue 16, imports and outputs: damaged encodings are refused, XLSX bombs are refused unread, refusals name the
imported file's rows, the what-if command line is bounded, and the formula guard knows Unicode look-alikes.

Each test reproduces a finding of the issue on the code before the fix (see the test's docstring)."""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from comparisons.cli import main
from comparisons.evidence import importer, store
from comparisons.outputs import exports as ex
from tests.helpers import copy_data

NEW_ACTOR = {
    "actor_id": "lodz-miasto",
    "country": "DK",
    "name": "Łódź (miasto)",
    "name_en": "Łódź",
    "kind": "municipality",
    "summary_nb": "By.",
    "summary_da": "By.",
    "summary_en": "City.",
    "source_id": "doc-004",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".write.lock"
    }


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def csv_text(rows: list[dict[str, str]], sep: str = ";") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=sep, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


# --- 2. damaged encodings ----------------------------------------------------------------------------------------


def test_a_utf8_file_with_one_stray_byte_is_refused_naming_line_and_column(root: Path) -> None:
    """Before: the whole file was read as Windows-1252 and imported: every æøå became 'Ã¦Ã¸Ã¥', exit 0."""
    text = (root / "denmark" / "actors.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert any(c in lines[2] for c in "æøåÆØÅ")
    lines[3] = lines[3][:5] + "\udce6" + lines[3][5:]  # one Windows-1252 'æ' pasted into a UTF-8 file
    data = "\n".join(lines).encode("utf-8", "surrogateescape")
    with pytest.raises(importer.ImportError_, match=r"0xE6 in line 4, column 6"):
        importer.read_table(data, "actors.csv")
    path = root.parent / "actors.csv"
    path.write_bytes(data)
    before = snapshot(root)
    code, out, _err = run("import", str(path), "--into", "actors", "--data", str(root), "--who", "t")
    assert code == 1 and "line 4, column 6" in out
    assert snapshot(root) == before
    assert "Ã" not in (root / "denmark" / "actors.csv").read_text(encoding="utf-8")


def test_a_latin2_file_is_not_guessed_the_person_chooses(root: Path) -> None:
    """Before: a Latin-2 file saved 'Łódź' as '£ód¼'."""
    data = csv_text([NEW_ACTOR]).encode("iso-8859-2")
    with pytest.raises(importer.EncodingUnsure) as unsure:
        importer.read_table(data, "polish.csv")
    assert "iso-8859-2" in unsure.value.choices and "cp1252" in unsure.value.choices
    line, texts = unsure.value.samples[0]
    assert line == 2 and "Łódź" in texts["iso-8859-2"] and "£ód¼" in texts["cp1252"]  # the preview shows both
    path = root.parent / "polish.csv"
    path.write_bytes(data)
    before = snapshot(root)
    argv = ("import", str(path), "--into", "actors", "--data", str(root), "--who", "t")
    code, out, _err = run(*argv)
    assert code == 1 and "--encoding" in out and "£ód¼" in out and "Łódź" in out
    assert snapshot(root) == before
    code, out, err = run(*argv, "--encoding", "iso-8859-2")
    assert code == 0, out + err
    frame = store.load_table(root, "denmark", "actors").frame
    assert frame.loc[frame["actor_id"] == "lodz-miasto", "name"].item() == "Łódź (miasto)"


def test_a_danish_windows_1252_file_is_still_read_without_asking() -> None:
    data = csv_text([NEW_ACTOR | {"name": "Ærø Kommune – “Øst”", "name_en": "Ærø"}]).encode("cp1252")
    read = importer.read_table(data, "dk.csv")
    assert read.encoding == "cp1252" and read.frame.loc[0, "name"] == "Ærø Kommune – “Øst”"


def test_a_utf8_file_with_a_bom_and_a_stray_byte_is_refused() -> None:
    data = b"\xef\xbb\xbf" + csv_text([NEW_ACTOR | {"name": "Ærø"}]).encode("utf-8").replace("ø".encode(), b"\xf8")
    with pytest.raises(importer.ImportError_, match="0xF8 in line 2"):
        importer.read_table(data, "bom.csv")


# --- 4. XLSX bombs -------------------------------------------------------------------------------------------------


def _workbook_with(part: str, head: bytes, repeat: bytes, tail: bytes, size: int) -> bytes:
    """A real workbook whose `part` is replaced by one of about `size` bytes, streamed into the zip."""
    book = openpyxl.Workbook()
    book.active.append(["actor_id", "name"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info.filename))
        with target.open(part, "w", force_zip64=True) as fh:
            fh.write(head)
            chunk = repeat * (1_000_000 // len(repeat))
            for _ in range(size // len(chunk)):
                fh.write(chunk)
            fh.write(tail)
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "head", "repeat", "tail", "size"),
    [
        (
            "xl/styles.xml",
            b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>',
            b'<numFmt numFmtId="164" formatCode="0.0"/>',
            b"</numFmts></styleSheet>",
            94_000_000,
        ),
        (
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            b"<si><t>x</t></si>",
            b"</sst>",
            93_000_000,
        ),
    ],
    ids=["styles", "shared-strings"],
)
def test_xlsx_parts_that_unpack_to_megabytes_are_refused_fast(
    part: str, head: bytes, repeat: bytes, tail: bytes, size: int
) -> None:
    """Before: a 322 KB workbook whose styles.xml unpacks to 94 MB took 36 s and 2.5 GB; a 93 MB sharedStrings.xml
    59 s and 680 MB. Now each part's size is checked before openpyxl parses anything: within 3 s and 300 MB."""
    data = _workbook_with(part, head, repeat, tail, size)
    assert len(data) < importer.MAX_BYTES
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(importer.ImportError_, match=part.replace(".", r"\.")):
            importer.read_table(data, "bomb.xlsx")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 3.0 and peak < 300 * 2**20, (elapsed, peak)


def test_a_full_sheet_within_the_caps_is_still_read() -> None:
    """The caps leave room for the largest import allowed: MAX_ROWS rows of short cells in a few columns."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["actor_id", "name", "summary_en"])
    for i in range(importer.MAX_ROWS):
        sheet.append([f"a-{i}", f"Name {i}", "A municipality on an island south of Funen."])
    buf = io.BytesIO()
    book.save(buf)
    read = importer.read_table(buf.getvalue(), "big.xlsx")
    assert len(read.frame) == importer.MAX_ROWS


# --- 7. rows named in refusals, what-if bounds, formula look-alikes -------------------------------------------------


def test_a_refusal_names_the_imported_files_rows_even_after_a_cell_with_a_carriage_return(root: Path) -> None:
    """Before: a bare carriage return inside a cell split the row when the table was written, and the refusal named
    rows of the saved table, shifted by the split, instead of the rows of the file the person imported."""
    rows = [
        NEW_ACTOR | {"actor_id": "cr-actor", "name": "CR", "summary_en": "first line\rsecond line"},
        NEW_ACTOR | {"actor_id": "bad-kind", "name": "Bad", "kind": "pirate_ship"},
    ]
    path = root.parent / "two.csv"
    path.write_bytes(csv_text(rows).encode("utf-8"))
    before = snapshot(root)
    for extra in ((), ("--dry-run",)):
        code, out, _err = run("import", str(path), "--into", "actors", "--data", str(root), "--who", "t", *extra)
        assert code == 1, out
        problems = [ln.strip() for ln in out.splitlines() if ln.startswith("  ")]
        assert len(problems) == 1 and problems[0].startswith("two.csv, row 3, column kind:"), out
        assert snapshot(root) == before
    # without the bad row, the carriage return is saved inside its cell
    path.write_bytes(csv_text(rows[:1]).encode("utf-8"))
    code, out, err = run("import", str(path), "--into", "actors", "--data", str(root), "--who", "t")
    assert code == 0, out + err
    frame = store.load_table(root, "denmark", "actors").frame
    assert frame.loc[frame["actor_id"] == "cr-actor", "summary_en"].item() == "first line\rsecond line"


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("--funding", "1e20", "between 0 and 10000000000"),
        ("--funding", "1e308", "between 0 and 10000000000"),
        ("--funding", "-1", "between 0 and 10000000000"),
        ("--funding", "nan", "between 0 and 10000000000"),
        ("--low", "1e300", "between 0 and 1000"),
        ("--central", "inf", "between 0 and 1000"),
        ("--years", "31", "between 1 and 30"),
        ("--ramp-up", "99", "between 0 and 30"),
    ],
)
def test_whatif_inputs_are_bounded_like_the_page(option: str, value: str, allowed: str) -> None:
    """Before: `whatif --funding 1e20` printed -9223372036854775808 and exited 0; `1e308` gave a traceback."""
    code, out, err = run("whatif", option, value)
    assert code == 2 and out == ""
    assert f"{option} must be {allowed}" in err


def test_whatif_limits_are_the_pages() -> None:
    from comparisons.measures import whatif

    assert whatif.INPUT_LIMITS["funding_dkk"] == (0.0, whatif.MAX_FUNDING_DKK)
    assert whatif.INPUT_LIMITS["years"] == (whatif.MIN_YEARS, whatif.MAX_YEARS)
    # The page's fields take the command line's limits and refuse what lies beyond them.
    from tests.helpers import open_page

    at = open_page("whatif", "en")
    for key, name in (("wi_funding", "funding_dkk"), ("wi_high", "savings_high")):
        lo, hi = whatif.INPUT_LIMITS[name]
        at.text_input(key=f"{key}_text").input(f"{hi:.0f}").run()
        assert at.session_state[key] == hi
        at.text_input(key=f"{key}_text").input(f"{hi + 1:.0f}").run()
        assert at.session_state[key] == hi and len(at.error) == 1
        at.text_input(key=f"{key}_text").input(f"{lo - 1:.0f}").run()
        assert at.session_state[key] == hi and len(at.error) == 1
        at.text_input(key=f"{key}_text").input(f"{hi:.0f}").run()


LOOKALIKES = ["＝1+1", "﹦1+1", "＋1", "﹢1", "－1", "−1", "＠SUM(A1)", "﹫x", "⁼1"]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_unicode_lookalikes_of_formula_characters_are_guarded(text: str) -> None:
    """Before: a fullwidth '＝' passed the formula guard."""
    assert ex.cell_text(text, "text") == "'" + text


def test_plain_text_is_not_guarded() -> None:
    for text in ("Ærø", "– a dash", "1 000", "a=b", "(x)"):
        assert ex.cell_text(text, "text") == text


def test_xlsx_text_cells_hold_the_text_without_a_visible_apostrophe() -> None:
    """Before: every guarded XLSX cell showed the guard's apostrophe as part of its text."""
    frame = pd.DataFrame({"text": ["=1+1", "＝2", "plain"], "source_ids": ["s1"] * 3})
    sources = pd.DataFrame({"source_id": ["s1"], "title": ["t"], "publisher": ["p"], "published": ["2020"]})
    table = ex.make_table(frame, sources, ex.Stamp.of("2025-01-01", "abc"), name="t", lang="en")
    book = openpyxl.load_workbook(io.BytesIO(ex.to_xlsx(table)))
    cells = [book.worksheets[0].cell(row=r, column=1) for r in (3, 4, 5)]
    assert [c.value for c in cells] == ["=1+1", "＝2", "plain"]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert [bool(c.quotePrefix) for c in cells] == [True, True, False]
