"""A page's model as JSON or as a readable Markdown brief: `python -m comparisons brief PAGE`.

The JSON is the page model itself (comparisons.models), walked generically: figure cards with their value as the
reader sees it and their citation, tables as columns and rows with the sources of each row, charts as their title
and the data behind them, and the texts. The Markdown is a brief of the same model: the page's title, its texts,
its figures as a list, and its tables. Both come from the model the page draws, so their numbers are the page's.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import altair as alt
import numpy as np
import pandas as pd

from comparisons import models
from comparisons.evidence.base import load_evidence
from comparisons.i18n import LANGUAGES, gettext_for
from comparisons.i18n.formatting import count_en
from comparisons.models.figure import FigureCard
from comparisons.models.parts import ChartView, Table

FORMATS = ("json", "md")
_ESCAPED = re.compile(r"\\(.)")


def plain(text: str) -> str:
    """Text without the Markdown escapes the models put before data (shown as plain text in JSON)."""
    return _ESCAPED.sub(r"\1", text)


def _scalar(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return value.isoformat()
    return value


def _frame(frame: pd.DataFrame) -> dict[str, Any]:
    columns = [str(c) for c in frame.columns]
    rows = [[to_json(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return {"columns": columns, "rows": rows}


def to_json(value: Any) -> Any:
    """A model (or any part of it) as JSON-ready data."""
    if isinstance(value, FigureCard):
        return {
            "label": plain(value.label),
            "value": value.value,
            "line": plain(value.line),
            "fact_id": value.fact_id,
            "citation": plain(value.cite_head),
            "details": plain(value.cite_details),
        }
    if isinstance(value, Table):
        raw = value.sources
        sources = raw if isinstance(raw, str) else [] if raw is None else [to_json(s) for s in list(raw)]
        return {"name": value.name, **_frame(value.view), "sources": sources}
    if isinstance(value, ChartView):
        title = value.chart.to_dict(validate=False).get("title") if hasattr(value.chart, "to_dict") else None
        data = value.table if value.table is not None else getattr(value.chart, "data", None)
        return {"chart": to_json(title), "data": _frame(data) if isinstance(data, pd.DataFrame) else None}
    if isinstance(value, pd.DataFrame):
        return _frame(value)
    if isinstance(value, pd.Series):
        return [to_json(v) for v in value.tolist()]
    if isinstance(value, alt.TopLevelMixin):
        return None  # a chart not wrapped as a ChartView is a drawing aid; its data is in the model's tables
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value) if not f.name.startswith("_")
        }
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None or isinstance(value, (np.generic, date)):
        return _scalar(value)
    return str(value)  # a derivation step or another value object: its text


def page_json(page: str, lang: str, model: Any) -> dict[str, Any]:
    _ = gettext_for(lang)
    return {"page": page, "lang": lang, "title": _(models.page(page).title), "model": to_json(model)}


# --- Markdown --------------------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    value = _scalar(value)
    if value is None:
        return "—"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False, name=None)]
    return "\n".join([head, rule, *body])


def _is_text(value: str) -> bool:
    """A sentence for the reader, not a key, an id or a label of a control."""
    return len(value) > 40 and " " in value and not value.startswith(("http://", "https://"))


def _is_figure(value: Any) -> bool:
    return (
        dataclasses.is_dataclass(value)
        and isinstance(getattr(value, "label", None), str)
        and isinstance(getattr(value, "value", None), str)
    )


def _blocks(value: Any, seen: set[int]) -> Iterator[str]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, FigureCard):
        yield f"- **{value.label}**: {value.value}  \n  {value.line}"
    elif isinstance(value, Table):
        yield _md_table(value.view)
    elif isinstance(value, ChartView):
        if value.table is not None:
            yield _md_table(value.table)
    elif isinstance(value, pd.DataFrame):
        if id(value) not in seen and len(value.columns):
            yield _md_table(value)
    elif isinstance(value, str):
        if _is_text(value):
            yield value
    elif _is_figure(value):
        yield f"- **{value.label}**: {value.value}"  # a figure that is not a card (a ratio, a result)
        for f in dataclasses.fields(value):
            if f.name not in ("label", "value"):
                yield from _blocks(getattr(value, f.name), seen)
    elif isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        yield f"- **{value[0]}**: {value[1]}"  # (label, value), as st.metric draws it
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "settings" and not f.name.endswith(("_download", "_shown")):
                yield from _blocks(getattr(value, f.name), seen)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _blocks(item, seen)


def page_markdown(page: str, lang: str, model: Any) -> str:
    _ = gettext_for(lang)
    parts = [f"# {_(models.page(page).title)}", *_blocks(model, set())]
    return "\n\n".join(parts) + "\n"


# --- command line ----------------------------------------------------------------------------------------------------


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("brief", help="a page's content as JSON (its model) or as a Markdown brief")
    p.add_argument("page", help="the page's path: " + ", ".join(s.url_path for s in models.PAGES))
    p.add_argument("--lang", default="en", help="nb, da or en (default en)")
    p.add_argument("--format", default="json", help="json (the model) or md (a readable brief)")
    p.add_argument("--data", type=Path, default=None, help="another data root with the same layout")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons.evidence.paths import DEFAULT_DATA_ROOT

    if args.page not in models.BY_PATH:
        err.write(f"error: unknown page {args.page!r}; use one of {', '.join(models.BY_PATH)}\n")
        return 2
    if args.lang not in LANGUAGES:
        err.write(f"error: unknown language {args.lang!r}; use one of {', '.join(LANGUAGES)}\n")
        return 2
    if args.format not in FORMATS:
        err.write(f"error: unknown format {args.format!r}; use json or md\n")
        return 2
    root = args.data or DEFAULT_DATA_ROOT
    if not root.is_dir():
        err.write(f"error: no data folder at {root}\n")
        return 2
    ev = load_evidence(root)
    if not ev.ok:
        err.write(
            f"error: the data has {count_en(len(ev.problems), 'problem')}; run `python -m comparisons validate`\n"
        )
        return 1
    model = models.page(args.page).build(ev, args.lang)
    if args.format == "json":
        json.dump(page_json(args.page, args.lang, model), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(page_markdown(args.page, args.lang, model))
    return 0
