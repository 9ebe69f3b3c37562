"""Reading a table that staff exported from Excel (CSV or XLSX), and planning what it would change.

Danish and Norwegian Excel writes CSV with semicolons, decimal commas and Windows-1252; others write UTF-8 (with or
without a byte-order mark) and commas. This module detects all of that, maps the columns to the schema, and
returns a plan (rows added, changed, unchanged) plus every problem, each naming file, row and column. It never
writes anything: applying a plan is `comparisons.store`'s job.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from comparisons.problems import Problem
from comparisons.schema import Resource

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")


class ImportError_(ValueError):  # noqa: N801 - avoid shadowing the builtin ImportError
    """The file cannot be read at all (too big, binary, empty); the message says why."""


@dataclass
class ReadTable:
    frame: pd.DataFrame  # every cell as text, header as in the file
    encoding: str
    separator: str
    decimal: str


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

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def touches(self) -> int:
        return len(self.added) + len(self.changed)


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" in head or head.startswith((b"\x89PNG", b"%PDF", b"\xd0\xcf\x11\xe0", b"GIF8", b"\xff\xd8"))


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportError_("the file is not text in UTF-8 or Windows-1252")


def _separator(text: str) -> str:
    """';' or ',' (or tab): whichever splits the header and first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    best, best_score = ",", -1.0
    for sep in (";", ",", "\t"):
        counts = [len(next(csv.reader([ln], delimiter=sep))) for ln in lines]
        if not counts or counts[0] < 2:
            continue
        score = counts[0] * sum(1 for c in counts if c == counts[0]) / len(counts)
        if score > best_score:
            best, best_score = sep, score
    return best


def read_table(data: bytes, filename: str) -> ReadTable:
    """Read CSV or XLSX bytes into text cells. Raises ImportError_ with a plain message when it cannot."""
    if not data or not data.strip():
        raise ImportError_("the file is empty")
    if len(data) > MAX_BYTES:
        raise ImportError_(f"the file is {len(data) / 1e6:.1f} MB; at most {MAX_BYTES // (1024 * 1024)} MB can be imported")
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if _looks_binary(data):
        raise ImportError_("the file is not a text table (it looks like a binary file)")
    text, encoding = _decode(data)
    sep = _separator(text)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    except csv.Error as exc:
        raise ImportError_(f"the file is not valid CSV: {exc}") from None
    return _to_frame(rows, encoding, sep)


def _read_xlsx(data: bytes) -> ReadTable:
    import openpyxl  # only needed for Excel files

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportError_(f"the file is not a readable Excel workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    rows: list[list[str]] = []
    for i, values in enumerate(sheet.iter_rows(values_only=True)):
        if i > MAX_ROWS + 1:
            raise ImportError_(f"the sheet has more than {MAX_ROWS} rows")
        rows.append(["" if v is None else _cell_text(v) for v in values])
    book.close()
    return _to_frame(rows, "xlsx", "", decimal=".")


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_frame(rows: list[list[str]], encoding: str, sep: str, decimal: str | None = None) -> ReadTable:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ImportError_("the file has no rows")
    header = [h.strip() for h in rows[0]]
    if len(header) > MAX_COLUMNS:
        raise ImportError_(f"the file has {len(header)} columns; at most {MAX_COLUMNS}")
    if len(rows) - 1 > MAX_ROWS:
        raise ImportError_(f"the file has {len(rows) - 1} rows; at most {MAX_ROWS} can be imported at once")
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype="string")
    if decimal is None:
        decimal = "," if sep == ";" else "."
    return ReadTable(frame=frame, encoding=encoding, separator=sep, decimal=decimal)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def auto_mapping(headers: list[str], resource: Resource) -> dict[str, str]:
    """File column -> schema field, by name ignoring case, spaces and punctuation."""
    fields = {_norm(f): f for f in resource.field_names}
    return {h: fields[_norm(h)] for h in headers if _norm(h) in fields}


_NUMBER_NORDIC = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$|^-?[0-9]+(,[0-9]+)?$")


def to_number_text(text: str, decimal: str) -> str | None:
    """'1.234,5' (decimal comma) or '1,234.5' -> '1234.5'; None when it is not a number."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if s == "":
        return ""
    if decimal == ",":
        if not _NUMBER_NORDIC.match(s):
            return None
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        float(s)
    except ValueError:
        return None
    return s


def plan_import(
    table: ReadTable, existing: pd.DataFrame, resource: Resource, filename: str, mapping: dict[str, str] | None = None
) -> ImportPlan:
    """Compare the file's rows with the current table by primary key: what would be added or changed."""
    mapping = mapping if mapping is not None else auto_mapping(list(table.frame.columns), resource)
    ignored = [c for c in table.frame.columns if c not in mapping]
    problems: list[Problem] = []
    file = filename
    mapped_fields = set(mapping.values())
    for f in resource.fields:
        if f.required and f.name not in mapped_fields:
            problems.append(Problem(file, 1, f.name, "required column is missing", "missing-label"))
    incoming = pd.DataFrame({fname: table.frame[col].fillna("").str.strip() for col, fname in mapping.items()})
    for f in resource.fields:
        if f.name not in incoming.columns:
            incoming[f.name] = ""
    incoming = incoming[resource.field_names].astype("string")
    for f in resource.fields:
        if f.type in ("number", "integer"):
            for i, raw in enumerate(incoming[f.name]):
                converted = to_number_text(str(raw), table.decimal)
                if converted is None:
                    col = next(c for c, fn in mapping.items() if fn == f.name)
                    problems.append(Problem(file, i + 2, col, f"{raw!r} is not a number", "type-error"))
                else:
                    incoming.loc[i, f.name] = converted
    key = list(resource.primary_key)
    if key and not problems:
        dup = incoming.duplicated(subset=key, keep="first")
        for i in dup[dup].index:
            problems.append(Problem(file, int(i) + 2, ", ".join(key), "the same id appears twice in the file", "primary-key"))
    current = existing[resource.field_names].astype("string").fillna("") if len(existing) else incoming.iloc[0:0]
    current_by_key = {tuple(r[k] for k in key): r for _, r in current.iterrows()}
    added, changed, before, unchanged = [], [], [], 0
    if not problems:
        for _, row in incoming.iterrows():
            k = tuple(row[c] for c in key)
            old = current_by_key.get(k)
            if old is None:
                added.append(row)
            elif any(_same(old[f.name], row[f.name], f.type) is False for f in resource.fields):
                changed.append(row)
                before.append(old)
            else:
                unchanged += 1
    columns = resource.field_names
    return ImportPlan(
        resource=resource,
        added=pd.DataFrame(added, columns=columns).reset_index(drop=True),
        changed=pd.DataFrame(changed, columns=columns).reset_index(drop=True),
        before=pd.DataFrame(before, columns=columns).reset_index(drop=True),
        unchanged=unchanged,
        mapping=mapping,
        ignored_columns=ignored,
        problems=problems,
    )


def _same(old: object, new: object, kind: str) -> bool:
    a, b = str(old or "").strip(), str(new or "").strip()
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
    out = existing[fields].astype("string").fillna("").copy()
    if len(plan.changed):
        index = {tuple(r[k] for k in key): i for i, r in out.iterrows()}
        for _, row in plan.changed.iterrows():
            out.loc[index[tuple(row[k] for k in key)], fields] = row[fields].to_numpy()
    if len(plan.added):
        out = pd.concat([out, plan.added[fields].astype("string")], ignore_index=True)
    return out
