"""Command line: `python -m comparisons validate|facts|sources ...`.

Exit codes: 0 success, 1 the data has problems, 2 bad arguments or values.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from comparisons.evidence import Evidence, facts_with_sources, load_evidence
from comparisons.paths import DEFAULT_DATA_ROOT

FORMATS = ("table", "csv", "json")


def _data_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_ROOT, metavar="DIR",
        help="data root holding norway/, denmark/ and reference/ (default: the shipped data)",
    )


def _format_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m comparisons", description="Nordic LUP workbench: the evidence base.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check the data packages; exit 1 and list every problem if any")
    _data_arg(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("facts", help="list facts joined with their sources")
    _data_arg(p)
    p.add_argument("--country", choices=("NO", "DK"), help="only facts about this country")
    p.add_argument("--metric", help="only facts of this metric (see reference/metrics.csv)")
    _format_arg(p)
    p = sub.add_parser("sources", help="list every source")
    _data_arg(p)
    _format_arg(p)
    p = sub.add_parser("i18n", help="check or update the translation catalogs against the code")
    p.add_argument("action", choices=("check", "update"))
    return parser


def write_frame(frame: pd.DataFrame, fmt: str, out: TextIO) -> None:
    """Write a frame as an aligned text table, CSV (UTF-8, comma) or JSON records."""
    if fmt == "csv":
        frame.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_colwidth", 60, "display.width", 250):
            out.write(frame.to_string(index=False) + "\n")


def _load_or_fail(root: Path, err: TextIO) -> Evidence | None:
    if not root.is_dir():
        err.write(f"error: data folder {root} does not exist\n")
        return None
    return load_evidence(root)


def _report_problems(ev: Evidence, out: TextIO) -> None:
    out.write(f"{len(ev.problems)} problem(s) in {ev.root}:\n")
    for problem in ev.problems:
        out.write(f"  {problem}\n")


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    if args.format == "json":
        json.dump({"ok": ev.ok, "version": ev.version, "problems": [p.as_dict() for p in ev.problems]}, out, indent=2)
        out.write("\n")
    elif ev.ok:
        counts = ", ".join(f"{len(ev[n])} {n}" for n in ("facts", "sources", "actors", "relations", "events"))
        out.write(f"ok: {counts} (data version {ev.version})\n")
    else:
        _report_problems(ev, out)
    return 0 if ev.ok else 1


FACT_COLUMNS = [
    "fact_id", "country", "subject", "metric", "value", "bound", "unit", "period_start", "period_end", "as_of",
    "source_id", "source_title", "publisher", "source_published", "url", "document", "reliability", "quote", "note",
]


def cmd_facts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    facts = facts_with_sources(ev)
    if args.metric and args.metric not in set(ev["metrics"]["metric_id"]):
        err.write(f"error: unknown metric {args.metric!r}; see `python -m comparisons facts` or reference/metrics.csv\n")
        return 2
    if args.country:
        facts = facts[facts["country"] == args.country]
    if args.metric:
        facts = facts[facts["metric"] == args.metric]
    columns = [c for c in FACT_COLUMNS if c in facts.columns]
    if args.format == "table":
        columns = [c for c in columns if c not in ("quote", "note", "url", "source_published")]
    write_frame(facts[columns], args.format, out)
    if not ev.ok:
        err.write(f"warning: the data has {len(ev.problems)} problem(s); run `python -m comparisons validate`\n")
    return 0


def cmd_sources(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    sources = ev["sources"].drop(columns=["_row", "package"], errors="ignore")
    if args.format == "table":
        sources = sources[["source_id", "publisher", "published", "kind", "reliability", "title"]]
    write_frame(sources, args.format, out)
    return 0


def cmd_i18n(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons import catalog  # babel's extractor is only needed here

    if args.action == "update":
        missing = catalog.update_catalogs()
        out.write("catalogs updated; untranslated: " + ", ".join(f"{k} {v}" for k, v in missing.items()) + "\n")
        return 0
    gaps = catalog.untranslated()
    for lang, msgids in gaps.items():
        for msgid in msgids:
            out.write(f"{lang}: untranslated: {msgid!r}\n")
    return 1 if any(gaps.values()) else 0


COMMANDS = {"validate": cmd_validate, "facts": cmd_facts, "sources": cmd_sources, "i18n": cmd_i18n}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    return COMMANDS[args.command](args, out, err)
