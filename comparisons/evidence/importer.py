"""Reading a table that staff exported from Excel (CSV or XLSX), and planning what it would change.

Danish and Norwegian Excel writes CSV with semicolons, decimal commas and Windows-1252; others write UTF-8 (with or
without a byte-order mark) and commas. This module detects all of that, maps the columns to the schema, and
returns a plan (rows added, changed, unchanged) plus every problem, each naming file, row and column. It never
writes anything: applying a plan is `comparisons.evidence.store`'s job.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd

from comparisons.evidence.problems import Problem
from comparisons.evidence.schema import Resource

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
# An XLSX is a zip. openpyxl reads the styles and shared strings whole (a 94 MB styles.xml took 2.5 GB), so each
# part's unpacked size is capped before anything is parsed; a full sheet of MAX_ROWS x MAX_COLUMNS short cells is
# about 12 MB of XML. zipfile stops at a part's declared size, so a part cannot unpack to more than it declares.
MAX_XLSX_PART = 4 * 1024 * 1024
MAX_XLSX_PARTS: dict[str, int] = {
    "xl/styles.xml": 2 * 1024 * 1024,
    "xl/sharedStrings.xml": 8 * 1024 * 1024,
    "xl/worksheets/": 16 * 1024 * 1024,
    "xl/media/": 0,  # images are never read; they only count towards the total
}
MAX_XLSX_UNPACKED = 40 * 1024 * 1024
MAX_XLSX_MEMBERS = 500
# The single-byte encodings offered when a file is not UTF-8: Excel's Western European CSV, and the two Central
# European ones (a Latin-2 'Łódź' read as Windows-1252 is '£ód¼').
ENCODING_CHOICES: tuple[str, ...] = ("cp1252", "iso-8859-2", "cp1250")


class ImportError_(ValueError):  # avoid shadowing the builtin ImportError
    """The file cannot be read at all (too big, binary, empty); the message says why."""


class EncodingUnsure(ImportError_):
    """The file is not UTF-8, and which single-byte encoding it is cannot be told for sure: the person chooses.

    `samples` holds a few lines with non-ASCII letters, as (line number, {encoding: text}) for each candidate."""

    def __init__(self, choices: tuple[str, ...], samples: list[tuple[int, dict[str, str]]]) -> None:
        super().__init__(
            "the file is not UTF-8, and its letters could be Western (Windows-1252) or Central European "
            "(ISO-8859-2, Windows-1250); choose the encoding"
        )
        self.choices = choices
        self.samples = samples


@dataclass
class ReadTable:
    frame: pd.DataFrame  # every cell as text, header as in the file
    encoding: str
    separator: str
    decimal: str
    # The spreadsheet row (header = its own row, counted from 1) of each body row of `frame`, so that problems
    # name the row a person sees in Excel even when the file had blank lines. Empty: header row 1, no gaps.
    row_numbers: tuple[int, ...] = ()
    header_row: int = 1

    def row_number(self, position: int) -> int:
        """The spreadsheet row of the body row at `position` (0-based)."""
        if 0 <= position < len(self.row_numbers):
            return self.row_numbers[position]
        return position + 2


@dataclass
class ImportPlan:
    resource: Resource
    added: pd.DataFrame
    changed: pd.DataFrame  # the new version of changed rows
    before: pd.DataFrame  # the old version of the same rows, same order
    unchanged: int
    mapping: dict[str, str]
    ignored_columns: list[str]
    problems: list[Problem] = field(default_factory=list)
    # The file's own spreadsheet row of every row added or changed, by primary key, so that a problem the saved
    # table would have can be named by the row a person sees in the file (`in_file_rows`).
    source_rows: dict[tuple[str, ...], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def touches(self) -> int:
        return len(self.added) + len(self.changed)


_BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"\xd0\xcf\x11\xe0", b"GIF8", b"\xff\xd8", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" in data or head.startswith(_BINARY_MAGIC)


# A well-formed UTF-8 sequence of two to four bytes (RFC 3629). A Windows-1252 file almost never holds one: its
# letters (æ = E6, ø = F8) are not followed by continuation bytes (80-BF).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_UTF8_BOM = b"\xef\xbb\xbf"
# Characters a Windows-1252 reading may give that make it certain: Western letters, and the punctuation of bytes
# 80-9F, which ISO-8859-2 does not have. Anything else (£ ¼ ¦ ³ ¿ ...) may be a Central European letter read wrongly.
_SURE_1252 = set("ÆØÅæøåÄÖÜäöüßÉÈÊËéèêëÁÀÂáàâÍÌÎÏíìîïÓÒÔóòôÚÙÛúùûÝýÿÇçÑñÕõÃãÐðÞþ€‚„…†‡‰‹›‘’“”•–—™\u00a0°§·")


def _position(text: str) -> tuple[int, int]:
    """Line and column (both from 1) just after `text`."""
    line = text.count("\n") + 1
    return line, len(text) - (text.rfind("\n") + 1) + 1


def _utf8(data: bytes) -> tuple[str, str] | None:
    """The text and 'utf-8' or 'utf-8-sig' when the file is UTF-8; None when it has no UTF-8 letter at all;
    ImportError_ naming the first bad byte when it mixes UTF-8 with another encoding."""
    body = data.removeprefix(_UTF8_BOM)
    name = "utf-8-sig" if body is not data else "utf-8"
    try:
        return body.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        if body is data and not _UTF8_MULTIBYTE.search(body):
            return None  # not UTF-8 at all: a single-byte encoding
        line, column = _position(body[: exc.start].decode("utf-8"))
        raise ImportError_(
            f"the file is UTF-8 but has a byte that is not (0x{body[exc.start]:02X} in line {line}, column {column}); "
            "it may have been pasted from another file. Save it again as UTF-8 and import that"
        ) from None


def _single_byte(data: bytes, encoding: str | None) -> tuple[str, str]:
    """Windows-1252 when every letter it gives is certain, else EncodingUnsure (or the encoding the person chose)."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            raise ImportError_(f"the file is not valid {encoding}") from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes 81, 8D, 8F, 90, 9D are not Windows-1252
        text = ""
    if text and all(c in _SURE_1252 for c in set(text) if ord(c) > 127):
        return text, "cp1252"
    choices: list[str] = []
    decoded: dict[str, str] = {}
    for candidate in ENCODING_CHOICES:
        try:
            decoded[candidate] = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        # C1 control characters: ISO-8859-2 reading bytes 80-9F that are punctuation in the Windows encodings
        if not any("\x80" <= c <= "\x9f" for c in decoded[candidate]):
            choices.append(candidate)
    if not choices:
        raise ImportError_("the file is not text in UTF-8, Windows-1252, ISO-8859-2 or Windows-1250")
    if len(choices) == 1:
        return decoded[choices[0]], choices[0]
    # The cells that hold such letters, line by line: enough to see which reading is right, short enough to show.
    samples: list[tuple[int, dict[str, str]]] = []
    for n, raw in enumerate(data.splitlines()):
        cells = [c.strip() for c in re.split(rb"[;,\t]", raw) if any(b > 127 for b in c)]
        if cells:
            samples.append((n + 1, {c: " · ".join(cell.decode(c) for cell in cells) for c in choices}))
        if len(samples) == 8:
            break
    raise EncodingUnsure(tuple(choices), samples)


def _decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    if data.startswith(_UTF16_BOMS):  # Excel's "Unicode text" export: UTF-16 with a byte-order mark, tabs
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportError_("the file starts like UTF-16 text but is not valid UTF-16") from None
    if _looks_binary(data):
        raise ImportError_("the file is not a text table (it looks like a binary file)")
    found = _utf8(data) if encoding in (None, "utf-8", "utf-8-sig") else None
    if found is None:
        found = _single_byte(
            data.removeprefix(_UTF8_BOM), None if encoding in (None, "utf-8", "utf-8-sig") else encoding
        )
    if "\x00" in found[0]:
        raise ImportError_("the file is not a text table (it looks like a binary file)")
    return found


def _split(line: str, sep: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=sep), []))
    except csv.Error:
        return 0


def _separator(text: str) -> str:
    """';' or ',' (or tab): whichever splits the header and first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    best, best_score = ",", -1.0
    for sep in (";", ",", "\t"):
        counts = [_split(ln, sep) for ln in lines]
        if not counts or counts[0] < 2:
            continue
        score = counts[0] * sum(1 for c in counts if c == counts[0]) / len(counts)
        if score > best_score:
            best, best_score = sep, score
    return best


_COMMA_DECIMAL = re.compile(r"^-?[0-9]+,[0-9]+$")
_DOT_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+$")


def _decimal_for(sep: str, rows: list[list[str]]) -> str:
    """Semicolon files (Nordic Excel) use a decimal comma, comma files a point; for tabs the cells decide."""
    if sep == ";":
        return ","
    if sep != "\t":
        return "."
    cells = [c.strip() for r in rows[1:200] for c in r]
    commas = sum(1 for c in cells if _COMMA_DECIMAL.match(c))
    points = sum(1 for c in cells if _DOT_DECIMAL.match(c))
    return "," if commas > points else "."


def read_table(data: bytes, filename: str, encoding: str | None = None) -> ReadTable:
    """Read CSV or XLSX bytes into text cells. Raises ImportError_ with a plain message when it cannot, and its
    subclass EncodingUnsure when a text file's encoding must be chosen (then pass `encoding`, one of its choices).

    Encoding: UTF-8 (with or without a byte-order mark) strictly; a single-byte encoding only when the file has no
    UTF-8 letter at all; a file that mixes them is refused, naming the first bad byte's line and column.
    """
    if not data:
        raise ImportError_("the file is empty")
    if len(data) > MAX_BYTES:
        raise ImportError_(
            f"the file is {len(data) / 1e6:.1f} MB; at most {MAX_BYTES // (1024 * 1024)} MB can be imported"
        )
    if not data.strip():
        raise ImportError_("the file is empty")
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportError_("the file is an old Excel workbook (.xls); save it as .xlsx or CSV and import that")
    text, encoding = _decode(data, encoding)
    sep = _separator(text)
    try:
        # Record number = the spreadsheet row (a blank line is an empty record, as Excel shows an empty row).
        rows = list(enumerate(csv.reader(io.StringIO(text), delimiter=sep), start=1))
    except csv.Error as exc:
        raise ImportError_(f"the file is not valid CSV: {exc}") from None
    return _to_frame(rows, encoding, sep)


def _part_limit(name: str) -> int:
    for prefix, limit in MAX_XLSX_PARTS.items():
        if name == prefix or (prefix.endswith("/") and name.startswith(prefix)):
            return limit if limit else MAX_XLSX_UNPACKED
    return MAX_XLSX_PART


def _check_parts(data: bytes) -> None:
    """Refuse a workbook, unread, when a part would unpack to more than its cap (styles, shared strings, sheets)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    if len(parts) > MAX_XLSX_MEMBERS:
        raise ImportError_(f"the workbook has {len(parts)} parts; at most {MAX_XLSX_MEMBERS}")
    for info in parts:
        if info.file_size > _part_limit(info.filename):
            raise ImportError_(
                f"the workbook's part {info.filename} unpacks to {info.file_size / 1e6:.0f} MB "
                f"(at most {_part_limit(info.filename) / 1e6:.0f} MB); it cannot be imported"
            )
    if sum(info.file_size for info in parts) > MAX_XLSX_UNPACKED:
        raise ImportError_(f"the workbook unpacks to more than {MAX_XLSX_UNPACKED // 2**20} MB; it cannot be imported")


def _read_xlsx(data: bytes) -> ReadTable:
    import openpyxl  # only needed for Excel files

    try:
        _check_parts(data)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportError_:
        raise
    except Exception as exc:  # noqa: BLE001 - an untrusted file may fail anywhere inside openpyxl or zipfile
        raise ImportError_(f"the file is not a readable Excel workbook ({type(exc).__name__})") from None
    rows: list[tuple[int, list[str]]] = []
    try:
        if not book.worksheets:
            raise ImportError_("the workbook has no sheet")
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            if len(rows) > MAX_ROWS + 1:
                raise ImportError_(f"the sheet has more than {MAX_ROWS} rows")
            rows.append((number, ["" if v is None else _cell_text(v) for v in values]))
    except ImportError_:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed sheet
        raise ImportError_(f"the file is not a readable Excel workbook ({type(exc).__name__})") from None
    finally:
        book.close()
    return _to_frame(rows, "xlsx", "", decimal=".")


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _to_frame(numbered: list[tuple[int, list[str]]], encoding: str, sep: str, decimal: str | None = None) -> ReadTable:
    numbered = [(n, r) for n, r in numbered if any(str(c).strip() for c in r)]
    if not numbered:
        raise ImportError_("the file has no rows")
    header_number, header_row = numbered[0]
    body_rows = numbered[1:]
    if len(body_rows) > MAX_ROWS:
        raise ImportError_(f"the file has {len(body_rows)} rows; at most {MAX_ROWS} can be imported at once")
    width = max(len(header_row), *(len(r) for _, r in body_rows)) if body_rows else len(header_row)
    header = [h.strip() for h in header_row] + [""] * (width - len(header_row))
    body = [(list(r) + [""] * width)[:width] for _, r in body_rows]
    # Columns without a header: dropped when empty (Excel's trailing separators), named "column N" otherwise.
    keep: list[int] = []
    for i, name in enumerate(header):
        if name or any(str(row[i]).strip() for row in body):
            keep.append(i)
    names = [header[i] or f"column {i + 1}" for i in keep]
    if len(names) > MAX_COLUMNS:
        raise ImportError_(f"the file has {len(names)} columns; at most {MAX_COLUMNS}")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ImportError_(f"the column {name!r} appears twice in the header (row {header_number})")
        seen.add(name)
    frame = pd.DataFrame([[row[i] for i in keep] for row in body], columns=names, dtype="string")
    if decimal is None:
        decimal = _decimal_for(sep, [header_row, *(r for _, r in body_rows)])
    return ReadTable(
        frame=frame,
        encoding=encoding,
        separator=sep,
        decimal=decimal,
        row_numbers=tuple(n for n, _ in body_rows),
        header_row=header_number,
    )


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def auto_mapping(headers: list[str], resource: Resource) -> dict[str, str]:
    """File column -> schema field, by name ignoring case, spaces and punctuation (each field at most once)."""
    fields = {_norm(f): f for f in resource.field_names}
    out: dict[str, str] = {}
    for h in headers:
        target = fields.get(_norm(h))
        if target is not None and target not in out.values():
            out[h] = target
    return out


_NUMBER_NORDIC = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$|^-?[0-9]+(,[0-9]+)?$")
_NUMBER_POINT = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?$|^-?[0-9]+(\.[0-9]+)?$")
_EXPONENT = re.compile(r"^(?P<mantissa>-?[0-9]+([.,][0-9]+)?)[eE](?P<exp>[+-]?[0-9]{1,3})$")


def to_number_text(text: str, decimal: str) -> str | None:
    """'1.234,5' (decimal comma) or '1,234.5' -> '1234.5'; None when it is not a number.

    Strict on purpose: '1,5' in a decimal-point file is refused rather than read as 15, and 'nan', 'inf' or
    '1_000' (which Python's float() accepts) are not numbers in a spreadsheet. Excel's '3,00E+11' is read.
    """
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if s == "":
        return ""
    if s.startswith("+"):
        s = s[1:]
    exponent = _EXPONENT.match(s)
    if exponent:
        mantissa = exponent["mantissa"]
        if ("," in mantissa) != (decimal == ",") and ("," in mantissa or "." in mantissa):
            return None
        s = f"{mantissa.replace(',', '.')}e{exponent['exp']}"
    elif decimal == ",":
        if not _NUMBER_NORDIC.match(s):
            return None
        s = s.replace(".", "").replace(",", ".")
    else:
        if not _NUMBER_POINT.match(s):
            return None
        s = s.replace(",", "")
    try:
        value = float(s)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    if exponent:  # written out, as the data files keep numbers
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return s


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or value != value else str(value).strip()


def plan_import(
    table: ReadTable, existing: pd.DataFrame, resource: Resource, filename: str, mapping: dict[str, str] | None = None
) -> ImportPlan:
    """Compare the file's rows with the current table by primary key: what would be added or changed.

    Only mapped columns change an existing row; a column the file does not have keeps its current values (an
    import of a file without the `note` column never wipes the notes). A new row gets empty cells there.
    """
    file = filename
    problems: list[Problem] = []
    columns = list(table.frame.columns)
    requested = mapping if mapping is not None else auto_mapping(columns, resource)
    mapping = {c: f for c, f in requested.items() if c in columns and f in resource.field_names}
    by_field: dict[str, list[str]] = {}
    for col, fname in mapping.items():
        by_field.setdefault(fname, []).append(col)
    for fname, cols in by_field.items():
        if len(cols) > 1:
            problems.append(
                Problem(
                    file,
                    table.header_row,
                    ", ".join(cols),
                    f"these columns are all mapped to {fname}; map only one",
                    "mapping",
                )
            )
    ignored = [c for c in columns if c not in mapping]
    mapped_fields = set(mapping.values())
    for f in resource.fields:
        if f.required and f.name not in mapped_fields:
            problems.append(Problem(file, table.header_row, f.name, "required column is missing", "missing-label"))
    column_of = {fname: cols[0] for fname, cols in by_field.items()}
    fields = resource.field_names
    # Rows of the file as text, keyed by position in the file; rows with nothing in the mapped columns are skipped.
    incoming: list[tuple[int, dict[str, str]]] = []
    for position in range(len(table.frame)):
        row = {fname: _text(table.frame.iloc[position][col]) for fname, col in column_of.items()}
        if not any(row.values()):
            continue
        incoming.append((position, row))
    for f in resource.fields:
        if f.type not in ("number", "integer") or f.name not in column_of:
            continue
        for position, row in incoming:
            raw = row[f.name]
            converted = to_number_text(raw, table.decimal)
            if converted is None:
                problems.append(
                    Problem(
                        file, table.row_number(position), column_of[f.name], f"{raw!r} is not a number", "type-error"
                    )
                )
            elif f.type == "integer" and converted and not float(converted).is_integer():
                problems.append(
                    Problem(
                        file,
                        table.row_number(position),
                        column_of[f.name],
                        f"{raw!r} is not a whole number",
                        "type-error",
                    )
                )
            else:
                row[f.name] = converted
    key = list(resource.primary_key)
    if key and not problems:
        seen: dict[tuple[str, ...], int] = {}
        for position, row in incoming:
            k = tuple(row.get(c, "") for c in key)
            if k in seen:
                problems.append(
                    Problem(
                        file,
                        table.row_number(position),
                        ", ".join(column_of.get(c, c) for c in key),
                        f"the same id appears twice in the file (first in row {seen[k]})",
                        "primary-key",
                    )
                )
            else:
                seen[k] = table.row_number(position)
    current = existing.reindex(columns=fields).astype("string").fillna("") if len(existing) else None
    current_by_key: dict[tuple[str, ...], pd.Series] = {}
    if current is not None and key:
        for _, r in current.iterrows():
            current_by_key.setdefault(tuple(str(r[k]) for k in key), r)
    added: list[dict[str, str]] = []
    changed: list[dict[str, str]] = []
    before: list[dict[str, str]] = []
    unchanged = 0
    source_rows: dict[tuple[str, ...], int] = {}
    if not problems:
        for position, row in incoming:
            k = tuple(row.get(c, "") for c in key)
            old = current_by_key.get(k) if key else None
            if old is None:
                added.append({f: row.get(f, "") for f in fields})
                source_rows[k] = table.row_number(position)
                continue
            old_row = {f: _text(old[f]) for f in fields}
            new_row = {f: row[f] if f in row else old_row[f] for f in fields}
            if any(not _same(old_row[f.name], new_row[f.name], f.type) for f in resource.fields):
                changed.append(new_row)
                before.append(old_row)
                source_rows[k] = table.row_number(position)
            else:
                unchanged += 1
    return ImportPlan(
        resource=resource,
        added=pd.DataFrame(added, columns=fields, dtype="string").reset_index(drop=True),
        changed=pd.DataFrame(changed, columns=fields, dtype="string").reset_index(drop=True),
        before=pd.DataFrame(before, columns=fields, dtype="string").reset_index(drop=True),
        unchanged=unchanged,
        mapping=mapping,
        ignored_columns=ignored,
        problems=problems,
        source_rows=source_rows if key else {},
    )


def _same(old: object, new: object, kind: str) -> bool:
    a, b = _text(old), _text(new)
    if kind in ("number", "integer") and a and b:
        try:
            return float(a) == float(b)
        except ValueError:
            return a == b
    return a == b


def apply_plan(existing: pd.DataFrame, plan: ImportPlan) -> pd.DataFrame:
    """The table after the plan: changed rows replaced in place, added rows appended (all text cells)."""
    fields = plan.resource.field_names
    key = list(plan.resource.primary_key)
    out = existing.reindex(columns=fields).astype("string").fillna("").reset_index(drop=True)
    if len(plan.changed):
        index: dict[tuple[str, ...], int] = {}
        for i, r in out.iterrows():
            index.setdefault(tuple(str(r[k]) for k in key), int(i))
        for _, row in plan.changed.iterrows():
            out.loc[index[tuple(str(row[k]) for k in key)], fields] = row[fields].to_numpy()
    if len(plan.added):
        out = pd.concat([out, plan.added[fields].astype("string")], ignore_index=True)
    return out


def in_file_rows(problems: list[Problem], plan: ImportPlan, new: pd.DataFrame, filename: str) -> list[Problem]:
    """Problems of the table after an import (`new`, from `apply_plan`), each one in a row that came from the
    file named by the file's own row and column; the rest as they are. 'actors.csv, row 3, column kind' is what a
    person can find in the file they imported, while row 58 of the saved table is not."""
    res = plan.resource
    data_file = f"{res.package}/{res.path}"
    key = list(res.primary_key)
    file_column = {target: column for column, target in plan.mapping.items()}
    out: list[Problem] = []
    for p in problems:
        if p.file == data_file and p.row is not None and key and 2 <= p.row < len(new) + 2:
            record = new.iloc[p.row - 2]
            source_row = plan.source_rows.get(tuple(_text(record[k]) for k in key))
            if source_row is not None:
                column = file_column.get(p.column or "", p.column)
                message = f"{p.message} (row {p.row} of {data_file} after the import)"
                out.append(Problem(filename, source_row, column, message, p.code))
                continue
        out.append(p)
    return out


CHANGE_COLUMNS = ["key", "change", "column", "before", "after"]


def cell_changes(old: pd.DataFrame, new: pd.DataFrame, resource: Resource) -> pd.DataFrame:
    """Every cell that differs between two versions of a table, rows matched by primary key.

    One line per cell (columns `key`, `change` = added/changed/removed, `column`, `before`, `after`), so a person
    can check an import's preview, their pending edits or a refused save cell by cell. An added or removed row
    lists its non-empty cells. Rows keep the order of `new`, removed rows follow.
    """
    fields = resource.field_names
    key = list(resource.primary_key) or fields[:1]

    def by_key(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for record in frame.reindex(columns=fields).astype("string").fillna("").to_dict("records"):
            cells = {f: _text(record[f]) for f in fields}
            out.setdefault(" | ".join(cells[k] for k in key), cells)
        return out

    a, b = by_key(old), by_key(new)
    kinds = {f.name: f.type for f in resource.fields}
    lines: list[tuple[str, str, str, str, str]] = []
    for k, after in b.items():
        before = a.get(k)
        if before is None:
            lines += [(k, "added", f, "", v) for f, v in after.items() if v]
            continue
        lines += [(k, "changed", f, before[f], after[f]) for f in fields if not _same(before[f], after[f], kinds[f])]
    for k, before in a.items():
        if k not in b:
            lines += [(k, "removed", f, v, "") for f, v in before.items() if v]
    return pd.DataFrame(lines, columns=CHANGE_COLUMNS, dtype="string")
