"""Importing tables that staff exported from Excel: detection, planning by primary key, applying, and the CLI.

Every rejected import must leave the data exactly as it was: the tests compare the bytes of every file under the
data root before and after. All tests work on a private copy of the shipped data (tests.helpers.copy_data).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from comparisons.cli import main
from comparisons.evidence import importer, store
from tests.helpers import copy_data


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the data root, by relative path: data, descriptors, change log, and any temporary file a
    save left behind. Only the empty lock file the store opens to serialise writers is left out."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".write.lock"
    }


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def import_cli(root: Path, file: Path, into: str, *extra: str) -> tuple[int, str, str]:
    return run("import", str(file), "--into", into, "--data", str(root), "--who", "tester", *extra)


def danish_excel_csv(frame: pd.DataFrame, number_columns: tuple[str, ...] = ()) -> bytes:
    """A table as Danish Excel writes "CSV (semikolonsepareret)": ';', decimal comma, CRLF, Windows-1252."""
    out = frame.copy()
    for col in number_columns:
        out[col] = [str(v).replace(".", ",") for v in out[col]]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(out.columns))
    writer.writerows(out.astype(str).values.tolist())
    return buf.getvalue().encode("cp1252")


def plan_for(root: Path, data: bytes, name: str, table: str = "actors") -> importer.ImportPlan:
    loaded = store.load_table(root, "denmark", table)
    return importer.plan_import(importer.read_table(data, name), loaded.frame, loaded.resource, name)


NEW_ACTOR = {
    "actor_id": "aeroe-kommune",
    "country": "DK",
    "name": "Ærø Kommune",
    "name_en": "Ærø Municipality",
    "short_name": "Ærø",
    "kind": "municipality",
    "founded": "",
    "ended": "",
    "url": "",
    "summary_nb": "Kommune på Ærø, en øy sør for Fyn.",
    "summary_da": "Kommune på Ærø, en ø syd for Fyn.",
    "summary_en": "Municipality on the island of Ærø.",
    "source_id": "doc-004",
}


# --- reading -----------------------------------------------------------------------------------------------------


def test_danish_excel_export_semicolon_decimal_comma_cp1252(root: Path) -> None:
    """The whole Danish facts table as Danish Excel exports it reads back unchanged (16,7 == 16.7, æøå intact);
    one edited note and one new fact with a decimal comma are planned, applied by the CLI, and logged."""
    loaded = store.load_table(root, "denmark", "facts")
    frame = loaded.frame.copy()
    assert (frame["value"] == "16.7").any()  # a fractional value, written 16,7 by Danish Excel
    copi = frame.index[frame["fact_id"] == "DK-COPI-17"][0]
    frame.loc[copi, "note"] = "Bemærk: tallet gælder for år 2023 – også for Ærø"
    new = frame.loc[copi].copy()
    new["fact_id"], new["value"], new["quote_check"] = "DK-TEST-01", "12.5", "manual"
    new["note"] = "Testfakta med decimalkomma: 12,5 procent."
    frame = pd.concat([frame, new.to_frame().T], ignore_index=True)
    data = danish_excel_csv(frame, ("value",))
    assert b"16,7" in data and "Bemærk".encode("cp1252") in data and b"\r\n" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    read = importer.read_table(data, "facts_dk.csv")
    assert (read.encoding, read.separator, read.decimal) == ("cp1252", ";", ",")
    plan = importer.plan_import(read, loaded.frame, loaded.resource, "facts_dk.csv")
    assert plan.ok, plan.problems
    assert len(plan.added) == 1 and plan.added.loc[0, "value"] == "12.5"
    assert len(plan.changed) == 1 and plan.changed.loc[0, "note"].startswith("Bemærk: tallet gælder for år")
    assert plan.before.loc[0, "note"] == loaded.frame.loc[copi, "note"]
    assert plan.unchanged == len(loaded.frame) - 1  # 16,7 and every other value read as the same number

    path = root.parent / "facts_dk.csv"
    path.write_bytes(data)
    code, out, err = import_cli(root, path, "facts")
    assert code == 0, out + err
    assert "1 to add, 1 to change" in out
    after = store.load_table(root, "denmark", "facts").frame
    assert after.loc[after["fact_id"] == "DK-TEST-01", "value"].item() == "12.5"
    assert after.loc[after["fact_id"] == "DK-COPI-17", "value"].item() == "16.7"
    assert "Bemærk: tallet gælder for år 2023 – også for Ærø" in (root / "denmark" / "facts.csv").read_text("utf-8")
    [entry] = store.read_log(root, "denmark")
    assert entry["who"] == "tester" and entry["summary"] == "import facts_dk.csv"
    assert sorted(r["change"] for r in entry["rows"]) == ["added", "changed"]


def test_utf8_bom_file(root: Path) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(NEW_ACTOR), lineterminator="\n")
    writer.writeheader()
    writer.writerow(NEW_ACTOR)
    data = buf.getvalue().encode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    read = importer.read_table(data, "actors.csv")
    assert read.encoding == "utf-8-sig" and read.separator == "," and read.decimal == "."
    assert next(iter(read.frame.columns)) == "actor_id"  # not "\ufeffactor_id"
    plan = plan_for(root, data, "actors.csv")
    assert plan.ok and len(plan.added) == 1 and plan.added.loc[0, "name"] == "Ærø Kommune"
    path = root.parent / "bom.csv"
    path.write_bytes(data)
    code, out, _ = import_cli(root, path, "actors")
    assert code == 0, out
    assert "Ærø Kommune" in (root / "denmark" / "actors.csv").read_text("utf-8")


def test_missing_optional_and_extra_columns_keep_existing_values(root: Path) -> None:
    """A file with only some columns changes only those: the columns it lacks keep their values (never wiped);
    columns the table does not have are listed as ignored."""
    loaded = store.load_table(root, "denmark", "actors")
    required = [f.name for f in loaded.resource.fields if f.required]
    subset = loaded.frame[required].copy()
    subset["Kommentar"] = "intern bemærkning"
    coi = subset.index[subset["actor_id"] == "coi"][0]
    subset.loc[coi, "name_en"] = "Centre for Public Innovation"
    data = danish_excel_csv(subset)
    plan = plan_for(root, data, "some_columns.csv")
    assert plan.ok, plan.problems
    assert plan.ignored_columns == ["Kommentar"]
    assert len(plan.added) == 0 and len(plan.changed) == 1
    changed = plan.changed.loc[0]
    original = loaded.frame.loc[coi]
    assert changed["name_en"] == "Centre for Public Innovation"
    for optional in ("short_name", "founded", "ended", "url"):
        assert changed[optional] == original[optional]
    assert original["url"] and original["founded"]  # the test would not notice a wipe of empty cells
    after = importer.apply_plan(loaded.frame, plan)
    assert after.loc[coi, "url"] == original["url"]
    assert len(after) == len(loaded.frame)


def test_missing_required_column_is_a_problem_and_nothing_is_written(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    data = danish_excel_csv(loaded.frame.drop(columns=["kind", "name_en"]))
    plan = plan_for(root, data, "no_kind.csv")
    missing = {(p.file, p.row, p.column) for p in plan.problems}
    assert missing == {("no_kind.csv", 1, "kind"), ("no_kind.csv", 1, "name_en")}
    assert plan.touches == 0
    path = root.parent / "no_kind.csv"
    path.write_bytes(data)
    before = snapshot(root)
    code, out, _ = import_cli(root, path, "actors")
    assert code == 1
    assert "no_kind.csv, row 1, column kind: required column is missing" in out
    assert snapshot(root) == before


def test_binary_file_renamed_csv(root: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    with pytest.raises(importer.ImportError_, match="binary"):
        importer.read_table(png, "photo.csv")
    # NUL bytes far from the start (past the first 4 KB) are caught too
    with pytest.raises(importer.ImportError_, match="binary"):
        importer.read_table(b"actor_id,name\n" + b"x,y\n" * 2000 + b"\x00\x01\x02", "late.csv")
    with pytest.raises(importer.ImportError_, match=r"\.xls"):
        importer.read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.csv")
    with pytest.raises(importer.ImportError_, match="Excel workbook"):
        importer.read_table(b"PK\x03\x04garbage that is not a zip", "zipped.csv")


def test_empty_files(root: Path) -> None:
    for data in (b"", b"   \r\n\n\t ", b"\n;;;\n"):
        with pytest.raises(importer.ImportError_, match=r"empty|no rows"):
            importer.read_table(data, "empty.csv")


def test_header_only_file_plans_nothing(root: Path) -> None:
    plan = plan_for(root, ",".join(NEW_ACTOR).encode(), "header.csv")
    assert plan.ok and plan.touches == 0 and plan.unchanged == 0


def test_fifty_megabyte_file_is_refused_unread(root: Path) -> None:
    big = root.parent / "big.csv"
    line = ("actor_id;name;" + "x" * 90 + "\n").encode()
    with open(big, "wb") as fh:
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size >= 50 * 1024 * 1024
    with pytest.raises(importer.ImportError_, match="at most 5 MB"):
        importer.read_table(big.read_bytes(), big.name)
    before = snapshot(root)
    code, out, _ = import_cli(root, big, "actors")
    assert code == 1 and "52.4 MB; at most 5 MB" in out
    assert snapshot(root) == before


def test_xlsx_import(root: Path) -> None:
    """A workbook written with openpyxl: numbers as numbers, a date cell, a new and a changed initiative."""
    loaded = store.load_table(root, "denmark", "initiatives")
    fields = loaded.resource.field_names
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(fields)
    first = loaded.frame.iloc[0].to_dict()
    first["summary_en"] = first["summary_en"] + " (checked 2025)"
    first["start"] = int(first["start"]) if first["start"].isdigit() else first["start"]  # a number cell
    sheet.append([first[f] for f in fields])
    new = dict.fromkeys(fields, "")
    new.update(
        initiative_id="test-initiative",
        name="Prøveinitiativ for æøå",
        name_en="Test initiative",
        kind="project",
        owner=loaded.frame.iloc[0]["owner"],
        summary_nb="Prøve.",
        summary_da="Prøve.",
        summary_en="A test.",
        source_id=loaded.frame.iloc[0]["source_id"],
    )
    row: list[object] = [new[f] for f in fields]
    row[fields.index("start")] = datetime(2024, 3, 1)  # a date cell becomes 2024-03-01
    sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue()

    read = importer.read_table(data, "initiatives.xlsx")
    assert read.encoding == "xlsx"
    plan = importer.plan_import(read, loaded.frame, loaded.resource, "initiatives.xlsx")
    assert plan.ok, plan.problems
    assert len(plan.added) == 1 and plan.added.loc[0, "start"] == "2024-03-01"
    assert len(plan.changed) == 1 and plan.changed.loc[0, "summary_en"].endswith("(checked 2025)")
    path = root.parent / "initiatives.xlsx"
    path.write_bytes(data)
    code, out, err = import_cli(root, path, "initiatives")
    assert code == 0, out + err
    after = store.load_table(root, "denmark", "initiatives").frame
    assert after.loc[after["initiative_id"] == "test-initiative", "name"].item() == "Prøveinitiativ for æøå"


def test_xlsx_zip_bomb_and_sheetless_workbooks_are_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<" * (120 * 1024 * 1024))
    assert len(buf.getvalue()) < importer.MAX_BYTES
    with pytest.raises(importer.ImportError_, match="unpacks to"):
        importer.read_table(buf.getvalue(), "bomb.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(importer.ImportError_, match="Excel workbook"):
        importer.read_table(buf.getvalue(), "plain.xlsx")


def test_row_numbers_count_blank_lines_like_excel(root: Path) -> None:
    """Problems name the row a person sees in Excel, even with blank rows before the header and in between."""
    text = "\n\nactor_id;country;name;name_en;kind;summary_nb;summary_da;summary_en;source_id\n\n"
    text += "ok-id;DK;A;A;agency;x;x;x;doc-004\n\n" + "dup;DK;B;B;agency;x;x;x;doc-004\n" * 2
    read = importer.read_table(text.encode(), "gaps.csv")
    assert read.header_row == 3 and read.row_numbers == (5, 7, 8)
    plan = plan_for(root, text.encode(), "gaps.csv")
    assert [(p.row, p.column) for p in plan.problems] == [(8, "actor_id")]
    assert "first in row 7" in plan.problems[0].message


def test_number_problems_name_file_row_and_column(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "facts")
    frame = loaded.frame.head(3).copy()
    frame.loc[1, "value"] = "mange"
    frame.loc[2, "value"] = "1,5"  # a decimal comma in a comma-separated file is not silently read as 15
    buf = io.StringIO()
    frame.rename(columns={"value": "Value"}).to_csv(buf, index=False)
    plan = importer.plan_import(
        importer.read_table(buf.getvalue().encode(), "f.csv"), loaded.frame, loaded.resource, "f.csv"
    )
    assert [(p.file, p.row, p.column) for p in plan.problems] == [("f.csv", 3, "Value"), ("f.csv", 4, "Value")]
    assert plan.touches == 0


def test_duplicate_and_unnamed_header_columns() -> None:
    with pytest.raises(importer.ImportError_, match="'name' appears twice"):
        importer.read_table(b"actor_id;name;name\na;b;c\n", "dup.csv")
    read = importer.read_table(b"actor_id;;name;;\na;note;c;;\n", "trailing.csv")
    assert list(read.frame.columns) == ["actor_id", "column 2", "name"]  # the empty trailing columns are dropped


def test_mapping_two_columns_to_one_field_is_a_problem(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    read = importer.read_table(danish_excel_csv(loaded.frame.assign(Navn=loaded.frame["name"])), "m.csv")
    mapping = importer.auto_mapping(list(read.frame.columns), loaded.resource) | {"Navn": "name"}
    plan = importer.plan_import(read, loaded.frame, loaded.resource, "m.csv", mapping)
    assert [(p.row, p.column) for p in plan.problems] == [(1, "name, Navn")]


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.234,5", ",", "1234.5"),
        ("1234,5", ",", "1234.5"),
        ("300.000.000.000", ",", "300000000000"),
        ("-2", ",", "-2"),
        ("3,00E+11", ",", "300000000000"),
        ("1 234,5", ",", "1234.5"),
        ("1\u00a0234,5", ",", "1234.5"),
        ("1.5", ",", None),  # a point decimal in a decimal-comma file: refused, not read as 15
        ("1,234.5", ".", "1234.5"),
        ("16.7", ".", "16.7"),
        ("3E+11", ".", "300000000000"),
        ("1,5", ".", None),
        ("nan", ".", None),
        ("inf", ",", None),
        ("1_000", ".", None),
        ("", ",", ""),
        ("12 kr.", ",", None),
    ],
)
def test_to_number_text(text: str, decimal: str, expected: str | None) -> None:
    assert importer.to_number_text(text, decimal) == expected


def test_separator_and_decimal_detection() -> None:
    assert importer.read_table(b"a,b\n1,2\n", "x.csv").separator == ","
    assert importer.read_table(b"a;b\n1;2\n", "x.csv").decimal == ","
    tab = importer.read_table("a\tb\n1,5\t2,25\n".encode("utf-16"), "x.txt")
    assert (tab.encoding, tab.separator, tab.decimal) == ("utf-16", "\t", ",")
    assert tab.frame.iloc[0].tolist() == ["1,5", "2,25"]


def test_cell_changes_lists_every_differing_cell(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    new = loaded.frame.copy()
    new.loc[new["actor_id"] == "coi", "name"] = "COI"
    removed_id = new.loc[3, "actor_id"]
    new = pd.concat([new.drop(index=3), pd.DataFrame([NEW_ACTOR])], ignore_index=True)
    changes = importer.cell_changes(loaded.frame, new, loaded.resource)
    assert changes[changes["change"] == "changed"].values.tolist() == [
        ["coi", "changed", "name", "Center for Offentlig Innovation", "COI"]
    ]
    added = changes[changes["change"] == "added"]
    assert set(added["key"]) == {"aeroe-kommune"} and len(added) == sum(1 for v in NEW_ACTOR.values() if v)
    assert set(changes.loc[changes["change"] == "removed", "key"]) == {removed_id}


# --- the command line --------------------------------------------------------------------------------------------


def test_cli_dry_run_prints_the_plan_and_writes_nothing(root: Path) -> None:
    path = root.parent / "new.csv"
    path.write_bytes(danish_excel_csv(pd.DataFrame([NEW_ACTOR])))
    before = snapshot(root)
    code, out, _ = import_cli(root, path, "actors", "--dry-run")
    assert code == 0
    assert "plan: 1 to add, 0 to change" in out and "aeroe-kommune" in out and "dry run" in out
    assert snapshot(root) == before


def test_cli_rows_the_loader_refuses_exit_1_and_write_nothing(root: Path) -> None:
    bad = dict(NEW_ACTOR, kind="pirate_ship", source_id="no-such-source")
    path = root.parent / "bad.csv"
    path.write_bytes(danish_excel_csv(pd.DataFrame([bad])))
    before = snapshot(root)
    new_row = len(pd.read_csv(root / "denmark" / "actors.csv")) + 2  # after the header and every present row
    for extra in ((), ("--dry-run",)):
        code, out, _ = import_cli(root, path, "actors", *extra)
        assert code == 1, out
        # named by the file's own row (the header is row 1), and where it would land in the table
        assert "bad.csv, row 2, column kind" in out and f"(row {new_row} of denmark/actors.csv after the import)" in out
        assert "column source_id" in out
        assert snapshot(root) == before


def test_cli_unchanged_file_exits_0_without_writing(root: Path) -> None:
    path = root.parent / "same.csv"
    path.write_bytes((root / "denmark" / "actors.csv").read_bytes())
    before = snapshot(root)
    code, out, _ = import_cli(root, path, "actors")
    assert code == 0 and "nothing to change" in out
    assert snapshot(root) == before


def test_cli_norway_package(root: Path) -> None:
    loaded = store.load_table(root, "norway", "actors")
    frame = loaded.frame.copy()
    frame.loc[0, "short_name"] = "Kortnavn"
    path = root.parent / "no.csv"
    path.write_bytes(danish_excel_csv(frame))
    code, out, _ = import_cli(root, path, "actors", "--package", "norway")
    assert code == 0, out
    assert store.load_table(root, "norway", "actors").frame.loc[0, "short_name"] == "Kortnavn"
    assert store.read_log(root, "norway")[0]["who"] == "tester"


@pytest.mark.parametrize(
    "argv",
    [
        ["import"],
        ["import", "FILE"],
        ["import", "FILE", "--into", "sources"],
        ["import", "FILE", "--into", "actors", "--package", "sweden"],
        ["import", "FILE", "--into", "initiatives", "--package", "norway"],
        ["import", "MISSING", "--into", "actors"],
        ["import", "FILE", "--into", "actors", "--data", "NOWHERE"],
    ],
)
def test_cli_bad_arguments_exit_2(root: Path, argv: list[str]) -> None:
    path = root.parent / "ok.csv"
    path.write_bytes(danish_excel_csv(pd.DataFrame([NEW_ACTOR])))
    argv = [str(path) if a == "FILE" else str(root.parent / "missing.csv") if a == "MISSING" else a for a in argv]
    argv = [str(root.parent / "nowhere") if a == "NOWHERE" else a for a in argv]
    if "--data" not in argv:
        argv += ["--data", str(root)]
    before = snapshot(root)
    code, _, _ = run(*argv)
    assert code == 2
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("bad.xlsx", b"PK\x03\x04 not really", "Excel workbook"),
        (
            "dups.csv",
            (
                "actor_id;country;name;name_en;kind;summary_nb;summary_da;summary_en;source_id\n"
                + "dup;DK;B;B;agency;x;x;x;doc-004\n" * 2
            ).encode(),
            "row 3, column actor_id",
        ),
    ],
)
def test_cli_rejected_files_exit_1_and_leave_every_byte(root: Path, name: str, data: bytes, message: str) -> None:
    path = root.parent / name
    path.write_bytes(data)
    before = snapshot(root)
    code, out, _ = import_cli(root, path, "actors")
    assert code == 1
    assert name in out and message in out
    assert snapshot(root) == before


# --- store fixes found while building the import -----------------------------------------------------------------


def test_a_new_problem_like_an_existing_one_is_still_refused(tmp_path: Path) -> None:
    """When the data already has a row with an empty required cell, a new row with the same gap is refused too
    (problems were compared by file, column and message only, so the second one slipped through)."""
    from tests.minimal_data import edit_csv, write_minimal_root

    root = write_minimal_root(tmp_path / "data")

    def blank_name_en(rows):
        rows[0]["name_en"] = ""

    edit_csv(root / "denmark" / "actors.csv", blank_name_en)
    loaded = store.load_table(root, "denmark", "actors")
    frame = pd.concat([loaded.frame, pd.DataFrame([dict(NEW_ACTOR, name_en="")])], ignore_index=True)
    before = snapshot(root)
    with pytest.raises(store.SaveRejected) as err:
        store.save_table(root, "denmark", "actors", frame, loaded.base_hash, "anna")
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [("denmark/actors.csv", 3, "name_en")]
    assert snapshot(root) == before
    # fixing the old gap in the same save is fine, and so is leaving the old gap alone
    assert store.check_table(root, "denmark", "actors", loaded.frame) == []


def test_check_table_writes_nothing(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    frame = loaded.frame.copy()
    frame.loc[0, "kind"] = "pirate_ship"
    before = snapshot(root)
    problems = store.check_table(root, "denmark", "actors", frame)
    assert [(p.file, p.row, p.column) for p in problems] == [("denmark/actors.csv", 2, "kind")]
    assert snapshot(root) == before


def test_conflict_with_an_unreadable_current_file_is_still_a_conflict(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    path = root / "denmark" / "actors.csv"
    path.write_bytes(b'actor_id,name\n"unterminated,\n')
    with pytest.raises(store.SaveConflict):
        store.save_table(root, "denmark", "actors", loaded.frame, loaded.base_hash, "anna")
    assert path.read_bytes() == b'actor_id,name\n"unterminated,\n'
    assert store.read_log(root, "denmark")[-1]["action"] == "refused-conflict"
