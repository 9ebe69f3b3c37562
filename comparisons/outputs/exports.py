"""Table exports: CSV, CSV for Nordic Excel, XLSX, Parquet and JSON, each carrying its sources and an "as of" stamp.

Why this shape:
- Every figure traces to evidence, also after it leaves the app. So every export holds the row's source ids, the
  details of each cited source, the moment the data was taken ("as of") and the data version (hash of the data
  files). CSV stays one rectangle (so sorting or filtering in Excel keeps each row's provenance beside it): the
  provenance is in four trailing columns. XLSX has a Sources sheet and an About line above the header; Parquet
  and JSON carry the same in their metadata.
- Exports are deterministic: the same table, sources and stamp give the same bytes (the stamp is passed in, the
  workbook's creation date is the stamp), so golden files can pin them.
- Spreadsheet formula injection is blocked in every spreadsheet-bound format (CSV, Nordic CSV, XLSX): a *text* cell
  starting with = + - @ (or a Unicode look-alike such as the fullwidth '＝'), tab, CR or LF gets a leading apostrophe
  in CSV. In XLSX such a cell is a text cell marked "quote prefix" (Excel's own way of keeping '=1+1' as text: the
  reader sees '=1+1', no apostrophe). Cells are sanitised by column kind, never by first character, so a negative
  number stays a number. XLSX is written with strings_to_formulas and strings_to_urls off as a second guard. JSON
  and Parquet are data formats and keep text exactly as it is.
- CSV (plain): UTF-8 without BOM, comma, dot decimal, no thousands separator, RFC 4180 line ends ("\\r\\n"), fields
  quoted only when needed. CSV for Nordic Excel: the same with semicolon, decimal comma and a UTF-8 BOM (written as
  bytes: `DataFrame.to_csv(encoding="utf-8-sig")` without a path returns a str and silently drops the BOM).
- Parquet and JSON keep machine column names (stable for code whatever the language) and carry the translated
  headers in their metadata; CSV and XLSX, which people read, use the translated headers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeAlias

import pandas as pd

from comparisons.i18n import LANGUAGES, N_, gettext_for
from comparisons.i18n.labels import RELIABILITY

# Column kinds: how a column is typed and written. Text is sanitised; numbers and booleans never are.
# "money", "rate" and "count" are numbers that say how a spreadsheet shows them (see xlsx_number_format).
KINDS: tuple[str, ...] = ("text", "number", "integer", "year", "bool", "money", "rate", "count")
NUMERIC_KINDS: frozenset[str] = frozenset({"number", "integer", "year", "money", "rate", "count"})
# The XLSX number format of each kind that has a fixed one (issue 19): whole units of money, four decimals for
# rates and ratios, counts and years without grouping or decimals.
XLSX_FORMATS: dict[str, str] = {"money": "#,##0", "rate": "0.0000", "count": "0", "year": "0", "share": "0.0"}

# A text cell starting with one of these is read as a formula (or DDE call) by Excel or LibreOffice.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n")
# Look-alikes a spreadsheet may take for them (some apps fold fullwidth and compatibility forms, e.g. '＝' U+FF1D,
# '﹢' U+FE62, '⁼' U+207C, before parsing): any character whose NFKC form is a trigger, and these minus signs and
# hyphens, which NFKC keeps as they are.
FORMULA_LOOKALIKES: frozenset[str] = frozenset("\u2212\u2010\u2011\u2012\u2795\u2796")

SOURCE_IDS = "source_ids"
# Details of a source carried by every export, in this order.
SOURCE_FIELDS: tuple[str, ...] = ("source_id", "title", "publisher", "published", "url", "document", "reliability")
SOURCE_LABELS: dict[str, str] = {
    "source_id": N_("Source ID"),
    "title": N_("Title"),
    "publisher": N_("Publisher"),
    "published": N_("Published"),
    "url": N_("URL"),
    "document": N_("Document"),
    "reliability": N_("Reliability"),
}
CSV_LINE_END = "\r\n"  # RFC 4180; Excel and LibreOffice read it everywhere, Python's csv module writes it by default
UTF8_BOM = b"\xef\xbb\xbf"
MAX_DECIMALS = 4  # at most this many decimals shown in an XLSX number format (the value keeps full precision)
MAX_COLUMN_WIDTH = 60
PRINT_WIDTH = 170  # characters of column width on one landscape A4 page, printed at a readable size
XLSX_OPTIONS: dict[str, object] = {
    "in_memory": True,
    "strings_to_formulas": False,  # "=1+1" stays the text "=1+1"
    "strings_to_urls": False,  # "http://..." stays text, never a live hyperlink
    "strings_to_numbers": False,
}


# --- the stamp ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """When the data was taken (ISO 8601 text) and its version (comparisons.evidence.base.data_version)."""

    as_of: str
    data_version: str

    @classmethod
    def of(cls, as_of: datetime | date | str, data_version: str) -> Stamp:
        return cls(iso_timestamp(as_of), str(data_version))

    @property
    def day(self) -> str:
        return self.as_of[:10]

    def moment(self) -> datetime:
        """The as-of time as a naive UTC datetime (for document properties)."""
        value = datetime.fromisoformat(self.as_of.replace("Z", "+00:00"))
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value


def iso_timestamp(value: datetime | date | str) -> str:
    """'2025-03-05T14:30:00Z' for an aware datetime (in UTC), without Z for a naive one, '2025-03-05' for a date."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"as-of {value!r} is not an ISO 8601 date or time") from exc
    return iso_timestamp(parsed.date() if len(text) == 10 else parsed)


# --- the table ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTable:
    """A table ready to export: typed frame with machine column names, translated headers, kinds and provenance."""

    name: str
    title: str
    frame: pd.DataFrame
    labels: dict[str, str]
    kinds: dict[str, str]
    row_sources: tuple[tuple[str, ...], ...]
    sources: pd.DataFrame
    stamp: Stamp
    lang: str = "en"
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Per column, a kind for each row where one column holds figures of several kinds (a value beside its unit):
    # how a spreadsheet shows that cell (XLSX_FORMATS); "" keeps the column's format.
    row_kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def about(self) -> str:
        """One line saying what this is, as of when, and which data version (in the table's language)."""
        _ = gettext_for(self.lang)
        return _("Nordic LUP workbench · {title} · data as of {as_of} · data version {version}").format(
            title=self.title or self.name, as_of=self.stamp.as_of, version=self.stamp.data_version
        )


# The sources of a table's rows: the name of a column holding them, one parse_ids entry per row, or None (no row
# names a source). ui.downloads.row_sources reads it.
RowSources: TypeAlias = str | Iterable[object] | None


def parse_ids(value: object) -> tuple[str, ...]:
    """Source ids of one row: a list, or text separated by spaces, commas or semicolons; blanks dropped, order kept."""
    if value is None or value is pd.NA:
        return ()
    if isinstance(value, float) and math.isnan(value):
        return ()
    items = value if isinstance(value, (list, tuple, set)) else re.split(r"[\s,;]+", str(value))
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def infer_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "text"


def _typed(series: pd.Series, kind: str) -> pd.Series:
    """Cast a column to its kind: Float64 for numbers, Int64 for integers and years, boolean, or text."""
    if kind in NUMERIC_KINDS:
        numbers = pd.to_numeric(series, errors="coerce").astype("Float64")
        if kind in ("integer", "year", "count") and bool(((numbers.dropna() % 1) == 0).all()):
            return numbers.astype("Int64")
        return numbers
    if kind == "bool":
        return series.astype("boolean")
    return series.astype("string")


def make_table(
    frame: pd.DataFrame,
    sources: pd.DataFrame,
    stamp: Stamp,
    *,
    name: str,
    title: str = "",
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    row_kinds: Mapping[str, Sequence[str]] | None = None,
) -> ExportTable:
    """Build an ExportTable from any frame. A `source_ids` column (list or space-separated ids) names each row's
    sources and is taken out of the frame; `sources` is the sources table (source_id, title, publisher, ...), of
    which the cited rows are kept, in order of first citation. Without a source_ids column every given source is
    kept. A cited id missing from `sources` is listed with empty details rather than dropped."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    data = frame.reset_index(drop=True).copy()
    has_ids = SOURCE_IDS in data.columns
    if has_ids:
        row_sources = tuple(parse_ids(v) for v in data.pop(SOURCE_IDS))
    else:
        row_sources = tuple(() for _ in range(len(data)))
    given = dict(kinds or {})
    bad = {k: v for k, v in given.items() if v not in KINDS}
    if bad:
        raise ValueError(f"unknown column kind(s) {bad}; expected one of {', '.join(KINDS)}")
    kinds_out = {str(c): given.get(str(c), infer_kind(data[c])) for c in data.columns}
    data.columns = [str(c) for c in data.columns]
    for col in data.columns:
        data[col] = _typed(data[col], kinds_out[col])
    labels_out = {c: str((labels or {}).get(c, c)) for c in data.columns}
    return ExportTable(
        name=name,
        title=title,
        frame=data,
        labels=labels_out,
        kinds=kinds_out,
        row_sources=row_sources,
        sources=cited_sources(sources, row_sources if has_ids else None),
        stamp=stamp,
        lang=lang,
        notes=tuple(notes),
        row_kinds={str(c): tuple(k) for c, k in (row_kinds or {}).items()},
    )


def cited_sources(sources: pd.DataFrame | None, row_sources: Iterable[Iterable[str]] | None) -> pd.DataFrame:
    """The sources cited by the rows, in order of first citation, with the fields every export carries
    (every given source when `row_sources` is None)."""
    table = pd.DataFrame({f: pd.Series(dtype="string") for f in SOURCE_FIELDS})
    if sources is not None and "source_id" in sources.columns:
        present = [f for f in SOURCE_FIELDS if f in sources.columns]
        table = sources[present].drop_duplicates(subset=["source_id"]).astype("string").reindex(columns=SOURCE_FIELDS)
        table = table.astype("string").reset_index(drop=True)
    if row_sources is None:
        return table
    cited = list(dict.fromkeys(i for ids in row_sources for i in ids))
    if not cited:
        return table.iloc[0:0].reset_index(drop=True)
    by_id = table.set_index("source_id")
    rows = [{"source_id": sid, **(by_id.loc[sid].to_dict() if sid in by_id.index else {})} for sid in cited]
    return pd.DataFrame(rows).reindex(columns=SOURCE_FIELDS).astype("string")


# --- cells ----------------------------------------------------------------------------------------------------


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet might read the text as a formula: it starts with = + - @ (or a look-alike of one,
    such as the fullwidth '＝'), a tab or a line break."""
    if not text:
        return False
    first = text[0]
    return (
        text.startswith(FORMULA_TRIGGERS)
        or first in FORMULA_LOOKALIKES
        or unicodedata.normalize("NFKC", first).startswith(FORMULA_TRIGGERS)
    )


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe: '=HYPERLINK(...) ."""
    return "'" + text if is_formula_like(text) else text


def number_text(value: Any, decimal: str = ".") -> str:
    """A number as plain text: no thousands separator, integers without '.0', otherwise the shortest exact form.

    `value` is a numeric column's cell (Any: pandas gives Python or NumPy numbers, NaN or None)."""
    if is_missing(value):
        return ""
    number = float(value)
    if math.isinf(number):
        return ""
    if number.is_integer() and abs(number) < 1e15:
        text = str(int(number))
    else:
        text = repr(number)
    return text.replace(".", decimal) if decimal != "." else text


def cell_text(value: object, kind: str, decimal: str = ".", sanitise: bool = True) -> str:
    """One cell as CSV text, by the column's kind (never by the cell's first character)."""
    if is_missing(value):
        return ""
    if kind in NUMERIC_KINDS:
        return number_text(value, decimal)
    if kind == "bool":
        return "true" if bool(value) else "false"
    text = str(value)
    return neutralise(text) if sanitise else text


def source_citation(source: Mapping[str, object]) -> str:
    """'Publisher: Title (2020-09) https://...' - one source in one line, language-neutral."""

    def get(key: str) -> str:
        value = source.get(key)
        return "" if is_missing(value) else str(value)

    text = ": ".join(p for p in (get("publisher"), get("title")) if p) or get("source_id")
    if get("published"):
        text += f" ({get('published')})"
    where = get("url") or (f"[{get('document')}]" if get("document") else "")
    return f"{text} {where}".strip()


def _row_citations(table: ExportTable) -> list[str]:
    by_id = {str(r["source_id"]): r for r in table.sources.to_dict("records")}
    return [" | ".join(source_citation(by_id.get(i, {"source_id": i})) for i in ids) for ids in table.row_sources]


# --- CSV ------------------------------------------------------------------------------------------------------


def _csv_bytes(table: ExportTable, sep: str, decimal: str, bom: bool) -> bytes:
    _ = gettext_for(table.lang)
    header = [table.labels[c] for c in table.columns]
    header += [_("Sources"), _("Source details"), _("Data as of"), _("Data version")]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=CSV_LINE_END, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in header])
    citations = _row_citations(table)
    kinds = [table.kinds[c] for c in table.columns]
    for i, row in enumerate(table.frame.itertuples(index=False, name=None)):
        cells = [cell_text(v, k, decimal) for v, k in zip(row, kinds, strict=False)]
        cells += [" ".join(table.row_sources[i]), neutralise(citations[i]), table.stamp.as_of, table.stamp.data_version]
        writer.writerow(cells)
    data = buf.getvalue().encode("utf-8")
    return UTF8_BOM + data if bom else data


def to_csv(table: ExportTable) -> bytes:
    """UTF-8 (no BOM), comma, dot decimal, "\\r\\n" line ends; provenance in four trailing columns."""
    return _csv_bytes(table, sep=",", decimal=".", bom=False)


def to_nordic_csv(table: ExportTable) -> bytes:
    """For Excel set to Norwegian or Danish: semicolon, decimal comma, UTF-8 BOM so æøå survive."""
    return _csv_bytes(table, sep=";", decimal=",", bom=True)


# --- XLSX -----------------------------------------------------------------------------------------------------


def xlsx_number_format(values: pd.Series, kind: str) -> str:
    """The kind's own format (XLSX_FORMATS: money, rates, counts, years); else '#,##0' for whole numbers and as
    many decimals as the data needs (up to MAX_DECIMALS). Excel shows the grouping and decimal marks of the
    reader's own locale."""
    if kind in XLSX_FORMATS:
        return XLSX_FORMATS[kind]
    numbers = [float(v) for v in values if not is_missing(v)]
    for decimals in range(MAX_DECIMALS + 1):
        if all(abs(v * 10**decimals - round(v * 10**decimals)) < 1e-6 for v in numbers):
            break
    return "#,##0" + ("." + "0" * decimals if decimals else "")


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\, not starting or ending with '."""
    base = _SHEET_BAD.sub("-", title).strip().strip("'")[:31].strip() or "Sheet"
    used = {t.lower() for t in taken}
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


@dataclass
class XlsxBook:
    """An xlsxwriter workbook in memory with the formats every sheet uses (shared by table exports and the pack)."""

    stamp: Stamp
    title: str
    lang: str
    buffer: io.BytesIO = field(default_factory=io.BytesIO)

    def __post_init__(self) -> None:
        import xlsxwriter

        self.book = xlsxwriter.Workbook(self.buffer, XLSX_OPTIONS)
        self.book.set_properties(
            {
                "title": self.title,
                "author": "Nordic LUP workbench",
                "created": self.stamp.moment(),
                "comments": f"data as of {self.stamp.as_of}; data version {self.stamp.data_version}",
            }
        )
        self.bold = self.book.add_format({"bold": True})
        self.header = self.book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.text = self.book.add_format({"valign": "top"})
        self.wrap = self.book.add_format({"valign": "top", "text_wrap": True})
        # The same, for text a spreadsheet might read as a formula: stored as text with Excel's "quote prefix"
        # (the apostrophe Excel itself adds when '=1+1' is typed as text; it is not part of the cell's value).
        self.text_quoted = self.book.add_format({"valign": "top", "quote_prefix": True})
        self.wrap_quoted = self.book.add_format({"valign": "top", "text_wrap": True, "quote_prefix": True})
        self.bold_quoted = self.book.add_format({"bold": True, "quote_prefix": True})
        self.header_quoted = self.book.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top", "quote_prefix": True}
        )
        self._numbers: dict[str, object] = {}
        self.sheets: list[str] = []

    def number(self, pattern: str) -> object:
        if pattern not in self._numbers:
            self._numbers[pattern] = self.book.add_format({"num_format": pattern, "valign": "top"})
        return self._numbers[pattern]

    def add_sheet(
        self,
        title: str,
        about: str,
        headers: Sequence[str],
        columns: Sequence[pd.Series],
        kinds: Sequence[str],
        row_kinds: Sequence[Sequence[str] | None] = (),
    ) -> str:
        """A sheet: the About line in row 1, the header in row 2 (frozen, with a filter), the values below.
        `row_kinds`, per column, gives a kind per row where a column mixes kinds (see ExportTable.row_kinds)."""
        name = sheet_name(title, self.sheets)
        self.sheets.append(name)
        ws = self.book.add_worksheet(name)
        ws.write_string(0, 0, about, self.bold_quoted if is_formula_like(about) else self.bold)
        for j, head in enumerate(headers):
            ws.write_string(1, j, str(head), self.header_quoted if is_formula_like(str(head)) else self.header)
        n_rows = max((len(c) for c in columns), default=0)
        total_width = 0
        for j, (values, kind) in enumerate(zip(columns, kinds, strict=False)):
            width = len(str(headers[j]))
            fmt = self.number(xlsx_number_format(values, kind)) if kind in NUMERIC_KINDS else None
            per_row: Sequence[str] = row_kinds[j] or () if j < len(row_kinds) else ()
            long_text = False
            for i, value in enumerate(values):
                row = i + 2
                if is_missing(value):
                    continue
                if kind in NUMERIC_KINDS and not math.isinf(float(value)):
                    cell_kind = per_row[i] if i < len(per_row) else ""
                    cell_fmt = self.number(XLSX_FORMATS[cell_kind]) if cell_kind in XLSX_FORMATS else fmt
                    ws.write_number(row, j, float(value), cell_fmt)
                    width = max(width, len(f"{float(value):,.{min(MAX_DECIMALS, 2)}f}"))
                elif kind == "bool":
                    ws.write_boolean(row, j, bool(value), self.text)
                    width = max(width, 5)
                else:
                    text = str(value)
                    longest = max((len(line) for line in text.split("\n")), default=0)
                    long_text = long_text or longest > MAX_COLUMN_WIDTH or "\n" in text
                    if is_formula_like(text):
                        ws.write_string(row, j, text, self.wrap_quoted if long_text else self.text_quoted)
                    else:
                        ws.write_string(row, j, text, self.wrap if long_text else self.text)
                    width = max(width, longest)
            ws.set_column(j, j, min(width, MAX_COLUMN_WIDTH) + 2, self.wrap if long_text else None)
            total_width += min(width, MAX_COLUMN_WIDTH) + 2
        ws.freeze_panes(2, 0)
        # Printing (or converting to PDF): A4 landscape, the header on every page, as many pages wide as keep the
        # text readable (about PRINT_WIDTH characters a page).
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(max(1, math.ceil(total_width / PRINT_WIDTH)), 0)
        ws.repeat_rows(1)
        if headers:
            ws.autofilter(1, 0, max(1, n_rows + 1), len(headers) - 1)
        return name

    def add_table(self, table: ExportTable, title: str | None = None) -> str:
        _ = gettext_for(table.lang)
        headers = [table.labels[c] for c in table.columns] + [_("Sources")]
        columns = [table.frame[c] for c in table.columns] + [pd.Series([" ".join(s) for s in table.row_sources])]
        kinds = [table.kinds[c] for c in table.columns] + ["text"]
        row_kinds = [table.row_kinds.get(c) for c in table.columns]
        return self.add_sheet(title or table.title or table.name, table.about(), headers, columns, kinds, row_kinds)

    def add_sources(self, sources: pd.DataFrame, about: str, title: str | None = None) -> str:
        _ = gettext_for(self.lang)
        frame = sources.reindex(columns=list(SOURCE_FIELDS)).copy()
        frame["reliability"] = [
            "" if is_missing(v) else _(RELIABILITY.get(str(v), str(v))) for v in frame["reliability"]
        ]
        headers = [_(SOURCE_LABELS[f]) for f in SOURCE_FIELDS]
        return self.add_sheet(
            title or _("Sources"), about, headers, [frame[f] for f in SOURCE_FIELDS], ["text"] * len(SOURCE_FIELDS)
        )

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def to_xlsx(table: ExportTable) -> bytes:
    """The table on its own sheet (About line, frozen header, real numbers with number formats) plus a Sources sheet."""
    book = XlsxBook(table.stamp, table.title or table.name, table.lang)
    book.add_table(table)
    book.add_sources(table.sources, table.about())
    return book.close()


# --- Parquet and JSON -----------------------------------------------------------------------------------------


def _sources_records(table: ExportTable) -> list[dict[str, object]]:
    return [{k: (None if is_missing(v) else str(v)) for k, v in r.items()} for r in table.sources.to_dict("records")]


def _column_sources(table: ExportTable, column: str) -> list[str]:
    """Sources of the rows that have a value in this column."""
    present = table.frame[column].notna().tolist()
    return list(dict.fromkeys(i for ids, has in zip(table.row_sources, present, strict=False) if has for i in ids))


def to_parquet(table: ExportTable) -> bytes:
    """Parquet (pyarrow) with machine column names; each column's metadata holds its translated label, kind,
    sources, as-of and data version, and the table's metadata holds title, language, stamp and the sources."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = table.frame.copy()
    frame[SOURCE_IDS] = pd.Series([list(ids) for ids in table.row_sources], dtype=object)
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for f in arrow.schema:
        if f.name == SOURCE_IDS:
            label, kind, col_sources = gettext_for(table.lang)("Sources"), "source_ids", []
            f = pa.field(SOURCE_IDS, pa.list_(pa.string()))
        else:
            label, kind, col_sources = table.labels[f.name], table.kinds[f.name], _column_sources(table, f.name)
        meta = {
            "label": label,
            "kind": kind,
            "sources": json.dumps(col_sources, ensure_ascii=False),
            "as_of": table.stamp.as_of,
            "data_version": table.stamp.data_version,
        }
        fields.append(f.with_metadata({k: v.encode("utf-8") for k, v in meta.items()}))
    table_meta = dict(arrow.schema.metadata or {})
    table_meta.update(
        {
            k.encode(): v.encode("utf-8")
            for k, v in {
                "lup.table": table.name,
                "lup.title": table.title,
                "lup.language": table.lang,
                "lup.as_of": table.stamp.as_of,
                "lup.data_version": table.stamp.data_version,
                "lup.about": table.about(),
                "lup.sources": json.dumps(_sources_records(table), ensure_ascii=False),
                "lup.notes": json.dumps(list(table.notes), ensure_ascii=False),
            }.items()
        }
    )
    arrow = pa.Table.from_arrays(
        [arrow.column(i).cast(fields[i].type) for i in range(arrow.num_columns)],
        schema=pa.schema(fields, metadata=table_meta),
    )
    buf = io.BytesIO()
    pq.write_table(arrow, buf, compression="zstd")
    return buf.getvalue()


def _json_value(value: Any, kind: str) -> object:
    if is_missing(value):
        return None
    if kind in NUMERIC_KINDS:
        number = float(value)
        if math.isinf(number):
            return None
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "bool":
        return bool(value)
    return str(value)


def to_json(table: ExportTable) -> bytes:
    """{"metadata": {...stamp, columns with labels, sources}, "records": [{..., "source_ids": [...]}]}, UTF-8."""
    kinds = [table.kinds[c] for c in table.columns]
    records = []
    for i, row in enumerate(table.frame.itertuples(index=False, name=None)):
        record = {c: _json_value(v, k) for c, v, k in zip(table.columns, row, kinds, strict=False)}
        record[SOURCE_IDS] = list(table.row_sources[i])
        records.append(record)
    document = {
        "metadata": {
            "table": table.name,
            "title": table.title,
            "language": table.lang,
            "as_of": table.stamp.as_of,
            "data_version": table.stamp.data_version,
            "about": table.about(),
            "columns": [{"name": c, "label": table.labels[c], "kind": table.kinds[c]} for c in table.columns]
            + [{"name": SOURCE_IDS, "label": gettext_for(table.lang)("Sources"), "kind": "source_ids"}],
            "notes": list(table.notes),
            "sources": _sources_records(table),
        },
        "records": records,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


# --- formats and file names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    key: str
    label: str  # msgid
    extension: str
    mime: str
    write: Callable[[ExportTable], bytes]
    suffix: str = ""


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("csv", N_("CSV (comma, UTF-8)"), "csv", "text/csv", to_csv),
        Format(
            "nordic-csv",
            N_("CSV for Nordic Excel (semicolon, decimal comma)"),
            "csv",
            "text/csv",
            to_nordic_csv,
            "-nordic",
        ),
        Format(
            "xlsx",
            N_("Excel workbook (XLSX)"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            to_xlsx,
        ),
        Format("parquet", N_("Parquet"), "parquet", "application/vnd.apache.parquet", to_parquet),
        Format("json", N_("JSON"), "json", "application/json", to_json),
    )
}


def export_bytes(table: ExportTable, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return FORMATS[fmt].write(table)


_TRANSLITERATE = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "aa", "Å": "Aa", "ß": "ss"})


def safe_filename(name: str, default: str = "export") -> str:
    """Only [A-Za-z0-9._-], no folder parts, no leading dot, at most 120 characters: 'Fakta/../æøå x.csv' ->
    'aeoaa-x.csv'."""
    base = re.split(r"[/\\]", str(name))[-1].translate(_TRANSLITERATE)
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base)
    base = re.sub(r"-{2,}", "-", base).strip("-.")
    base = re.sub(r"\.{2,}", ".", base)[:120].strip("-.")
    return base or default


def export_filename(table: ExportTable, fmt: str) -> str:
    """'facts-nb-2025-03-05-1a2b3c4d5e6f.csv' (Nordic CSV ends in '-nordic.csv')."""
    spec = FORMATS[fmt]
    stem = f"{table.name}-{table.lang}-{table.stamp.day}-{table.stamp.data_version}{spec.suffix}"
    return safe_filename(f"{stem}.{spec.extension}")
