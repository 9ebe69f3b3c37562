"""Command line: `python -m comparisons validate|facts|sources ...`.

Exit codes: 0 success, 1 the data has problems, 2 bad arguments or values.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import TextIO

import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources, load_evidence
from comparisons.evidence.paths import DEFAULT_DATA_ROOT
from comparisons.i18n.formatting import count_en

FORMATS = ("table", "csv", "json")


def _data_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_ROOT,
        metavar="DIR",
        help="data root holding norway/, denmark/ and reference/ (default: the shipped data)",
    )


def _format_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m comparisons", description="Nordic LUP workbench: the evidence base."
    )
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
    p = sub.add_parser("whatif", help="project a Danish LUP from Norwegian evidence: yearly table and break-even year")
    _data_arg(p)
    p.add_argument(
        "--funding", type=float, metavar="DKK", help="annual public funding in DKK (default: from the evidence)"
    )
    p.add_argument("--years", type=int, metavar="N", help="horizon in years, 1 to 30 (default: from the evidence)")
    p.add_argument("--ramp-up", type=int, metavar="N", help="years until full reach and effect (default: 3)")
    p.add_argument(
        "--basis",
        default="procurement",
        metavar="procurement|population|budget",
        help="what scales Norway's public bodies reached to Denmark (default: procurement)",
    )
    p.add_argument(
        "--low", type=float, metavar="X", help="savings per krone of funding, low (default: from the evidence)"
    )
    p.add_argument("--central", type=float, metavar="X", help="savings per krone, central (default: from the evidence)")
    p.add_argument("--high", type=float, metavar="X", help="savings per krone, high (default: from the evidence)")
    p.add_argument("--year", type=int, metavar="YYYY", help="conversion year for NOK/DKK and the figures used")
    _format_arg(p)
    _add_export_parsers(sub)
    _add_import_parser(sub)
    _add_summit_parser(sub)
    _add_brief_parser(sub)
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
    out.write(f"{count_en(len(ev.problems), 'problem')} in {ev.root}:\n")
    for problem in ev.problems:
        out.write(f"  {problem}\n")


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from comparisons.evidence.freshness import evidence_warnings

    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    # Warnings (evidence that may be out of date) are listed but never fail validation.
    warnings = evidence_warnings(ev.tables)
    if args.format == "json":
        json.dump(
            {
                "ok": ev.ok,
                "version": ev.version,
                "problems": [p.as_dict() for p in ev.problems],
                "warnings": [w.as_dict() for w in warnings],
            },
            out,
            indent=2,
        )
        out.write("\n")
        return 0 if ev.ok else 1
    if ev.ok:
        counts = ", ".join(f"{len(ev[n])} {n}" for n in ("facts", "sources", "actors", "relations", "events"))
        out.write(f"ok: {counts} (data version {ev.version})\n")
    else:
        _report_problems(ev, out)
    if warnings:
        out.write(f"{count_en(len(warnings), 'warning')}:\n")
        for warning in warnings:
            out.write(f"  warning: {warning}\n")
    return 0 if ev.ok else 1


FACT_COLUMNS = [
    "fact_id",
    "country",
    "subject",
    "metric",
    "value",
    "bound",
    "unit",
    "period_start",
    "period_end",
    "as_of",
    "source_id",
    "source_title",
    "publisher",
    "source_published",
    "url",
    "document",
    "reliability",
    "quote",
    "note",
]


def cmd_facts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    facts = facts_with_sources(ev)
    if args.metric and args.metric not in set(ev["metrics"]["metric_id"]):
        err.write(
            f"error: unknown metric {args.metric!r}; see `python -m comparisons facts` or reference/metrics.csv\n"
        )
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
        err.write(
            f"warning: the data has {count_en(len(ev.problems), 'problem')}; run `python -m comparisons validate`\n"
        )
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
    from comparisons.i18n import catalog  # babel's extractor is only needed here

    if args.action == "update":
        missing = catalog.update_catalogs()
        out.write("catalogs updated; untranslated: " + ", ".join(f"{k} {v}" for k, v in missing.items()) + "\n")
        return 0
    gaps = catalog.untranslated()
    for lang, msgids in gaps.items():
        for msgid in msgids:
            out.write(f"{lang}: untranslated: {msgid!r}\n")
    return 1 if any(gaps.values()) else 0


def cmd_whatif(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The what-if projection (comparisons/measures/whatif.py) for the given inputs, defaults from the evidence."""
    from dataclasses import replace

    from comparisons.measures import whatif  # Altair is only needed here
    from comparisons.measures import whatif_defaults as wd

    chosen = {
        "funding_dkk": args.funding,
        "years": args.years,
        "ramp_up": args.ramp_up,
        "savings_low": args.low,
        "savings_central": args.central,
        "savings_high": args.high,
    }
    options = {"funding_dkk": "--funding", "years": "--years", "ramp_up": "--ramp-up"}
    options.update({"savings_low": "--low", "savings_central": "--central", "savings_high": "--high"})
    for key, value in chosen.items():
        lo, hi = whatif.INPUT_LIMITS[key]
        if value is not None and not (math.isfinite(value) and lo <= value <= hi):
            err.write(f"error: {options[key]} must be between {lo:g} and {hi:.0f} (got {value:g})\n")
            return 2
    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    years_offered = wd.conversion_years(ev["exchange_rates"])
    if args.year is not None and args.year not in years_offered:
        span = f"{years_offered[0]}-{years_offered[-1]}" if years_offered else "none"
        err.write(f"error: no complete NOK and DKK exchange rates for {args.year} (years available: {span})\n")
        return 2
    try:
        defaults = wd.derive_defaults(ev.tables, args.year)
    except whatif.WhatIfInputError as exc:
        err.write(f"error: the evidence cannot give the defaults: {exc}\n")
        return 1
    base = defaults.inputs(args.basis)
    inputs = replace(base, **{k: v for k, v in chosen.items() if v is not None})
    if args.years is not None and args.ramp_up is None:
        inputs = replace(inputs, ramp_up=min(base.ramp_up, max(args.years, 0)))
    try:
        projection = whatif.project(inputs, defaults.calibration)
    except whatif.WhatIfInputError as exc:
        err.write(f"error: {exc}\n")
        return 2
    breakeven = whatif.break_even_year(projection)
    columns = [
        "year",
        "bodies_reached",
        "savings_low",
        "savings_central",
        "savings_high",
        "cost",
        "net",
        "cum_savings_central",
        "cum_cost",
        "cum_net",
    ]
    frame = projection[columns].round({"bodies_reached": 1})
    frame[columns[2:]] = frame[columns[2:]].round(0).astype("int64")
    if args.format == "table":
        write_frame(frame, "table", out)
        out.write(f"break-even year: {breakeven if breakeven is not None else f'none within {inputs.years} years'}\n")
        out.write(
            f"inputs: funding DKK {inputs.funding_dkk:,.0f} a year, {inputs.years} years, ramp-up {inputs.ramp_up}, "
            f"savings per krone {inputs.savings_low:g} / {inputs.savings_central:g} / {inputs.savings_high:g}, "
            f"basis {inputs.basis}, {inputs.year} rate {inputs.nok_per_dkk:.4f} NOK per DKK\n"
        )
        for key in ("low", "central", "high"):
            d = getattr(defaults, key)
            out.write(f"default {key} {d.value:g}: {' '.join(d.numerator_ids)} / {' '.join(d.denominator_ids)}")
            out.write(f" (no grant figure for {', '.join(map(str, d.missing_years))})\n" if d.missing_years else "\n")
        out.write(
            "money in DKK; savings cumulative since 2010 vs grants since 2016, partner money not counted: upper-bound-ish\n"
        )
    else:
        write_frame(frame.assign(break_even_year=pd.array([breakeven] * len(frame), dtype="Int64")), args.format, out)
    if not ev.ok:
        err.write(
            f"warning: the data has {count_en(len(ev.problems), 'problem')}; run `python -m comparisons validate`\n"
        )
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "facts": cmd_facts,
    "sources": cmd_sources,
    "i18n": cmd_i18n,
    "whatif": cmd_whatif,
}


# --- export and pack (comparisons/outputs/exports.py, tables.py, pack.py) -------------------------------------------------


def _add_export_parsers(sub: argparse._SubParsersAction) -> None:
    from comparisons.i18n import LANGUAGES
    from comparisons.outputs.exports import FORMATS

    p = sub.add_parser("export", help="export one table with its sources and an as-of stamp (see --list)")
    _data_arg(p)
    p.add_argument("--list", action="store_true", help="list the tables that can be exported, and stop")
    p.add_argument("--table", metavar="NAME", help="table to export (see --list)")
    p.add_argument("--format", choices=tuple(FORMATS), default="csv", help="file format (default: csv)")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of headers and labels (default: en)")
    p.add_argument("--out", type=Path, metavar="PATH", help="file to write, or an existing folder (safe name chosen)")
    p.add_argument("--as-of", metavar="ISO", help="as-of stamp, e.g. 2025-03-05T10:00:00Z (default: now, UTC)")
    p = sub.add_parser("pack", help="write the decision pack (XLSX workbook and DOCX brief) into a folder")
    _data_arg(p)
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the pack (default: en)")
    p.add_argument("--out", type=Path, metavar="DIR", required=True, help="folder to write into (created if missing)")
    p.add_argument("--as-of", metavar="ISO", help="as-of stamp, e.g. 2025-03-05T10:00:00Z (default: now, UTC)")


def _as_of(value: str | None, err: TextIO) -> str | None:
    from datetime import datetime

    from comparisons.outputs.exports import iso_timestamp

    if value is None:
        return iso_timestamp(datetime.now(UTC).replace(microsecond=0))
    try:
        return iso_timestamp(value)
    except ValueError:
        err.write("error: --as-of must be an ISO 8601 date or time, e.g. 2025-03-05 or 2025-03-05T10:00:00Z\n")
        return None


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """One table of comparisons/outputs/tables.py in one format of comparisons/outputs/exports.py."""
    from comparisons.outputs.exports import FORMATS, export_bytes, export_filename
    from comparisons.outputs.tables import TABLES, export_table

    if args.list:
        for name, spec in TABLES.items():
            out.write(f"{name:<16} {spec.title}: {spec.description}\n")
        return 0
    if not args.table or args.out is None:
        err.write("error: export needs --table NAME and --out PATH (or --list)\n")
        return 2
    if args.table not in TABLES:
        err.write(f"error: unknown table {args.table!r}; choose one of: {', '.join(TABLES)} (see --list)\n")
        return 2
    target = args.out
    if not target.is_dir() and not target.parent.is_dir():
        err.write(f"error: folder {target.parent} does not exist\n")
        return 2
    as_of = _as_of(args.as_of, err)
    if as_of is None:
        return 2
    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    table = export_table(args.table, ev, args.lang, as_of)
    if target.is_dir():
        target = target / export_filename(table, args.format)
    target.write_bytes(export_bytes(table, args.format))
    out.write(f"wrote {target} ({len(table.frame)} rows, {len(table.sources)} sources, {FORMATS[args.format].label})\n")
    if not ev.ok:
        err.write(
            f"warning: the data has {count_en(len(ev.problems), 'problem')}; run `python -m comparisons validate`\n"
        )
    return 0


def cmd_pack(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The decision pack of comparisons/outputs/pack.py: an XLSX workbook and a DOCX brief."""
    from comparisons.outputs.pack import build_pack, write_pack

    if args.out.exists() and not args.out.is_dir():
        err.write(f"error: {args.out} exists and is not a folder\n")
        return 2
    as_of = _as_of(args.as_of, err)
    if as_of is None:
        return 2
    ev = _load_or_fail(args.data, err)
    if ev is None:
        return 2
    pack = build_pack(ev, args.lang, as_of, progress=lambda f, m: err.write(f"{f:4.0%} {m}\n"))
    for path in write_pack(pack, args.out):
        out.write(f"wrote {path}\n")
    if not ev.ok:
        err.write(
            f"warning: the data has {count_en(len(ev.problems), 'problem')}; run `python -m comparisons validate`\n"
        )
    return 0


COMMANDS.update({"export": cmd_export, "pack": cmd_pack})


# --- import (comparisons/evidence/importer.py, store.py) ------------------------------------------------------------------

IMPORT_TABLES = ("actors", "facts", "initiatives")


def _add_import_parser(sub: argparse._SubParsersAction) -> None:
    from comparisons.evidence.importer import ENCODING_CHOICES

    p = sub.add_parser(
        "import",
        help="import a CSV or XLSX file (Excel's Danish/Norwegian CSV too) into a table: print the plan, then save",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the .csv or .xlsx file (at most 5 MB)")
    p.add_argument("--into", choices=IMPORT_TABLES, required=True, help="the table the rows go into")
    p.add_argument(
        "--package", choices=("denmark", "norway"), default="denmark", help="data package (default: denmark)"
    )
    _data_arg(p)
    p.add_argument("--dry-run", action="store_true", help="print the plan and stop; nothing is written")
    p.add_argument("--who", metavar="NAME", help="name recorded in the change log (default: your login name)")
    p.add_argument(
        "--encoding",
        choices=ENCODING_CHOICES,
        help="the encoding of a text file that is not UTF-8, when it cannot be told for sure (the import says so)",
    )


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli"


def _write_problems(problems: list, out: TextIO) -> None:  # list[Problem]
    out.write(f"{count_en(len(problems), 'problem')}; nothing was written:\n")
    for problem in problems:
        out.write(f"  {problem}\n")


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Plan an import by primary key (rows added, changed), print it, and save it unless --dry-run."""
    from comparisons.evidence import importer, store
    from comparisons.evidence.paths import UnsafePath

    root: Path = args.data
    if not root.is_dir():
        err.write(f"error: data folder {root} does not exist\n")
        return 2
    try:
        loaded = store.load_table(root, args.package, args.into)
    except UnsafePath as exc:  # the data folder itself is unsafe: refused before anything is read or written
        err.write(f"error: {args.package}/datapackage.json refused: {exc}; nothing was written\n")
        return 1
    except (OSError, ValueError) as exc:
        err.write(f"error: {exc}\n")
        return 2
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        err.write(f"error: cannot read {args.file}: {exc.strerror or exc}\n")
        return 2
    name = args.file.name
    try:
        table = importer.read_table(data, name, args.encoding)
    except importer.EncodingUnsure as exc:
        out.write(f"{name}: {exc} with --encoding {'|'.join(exc.choices)}; nothing was written\n")
        for line, texts in exc.samples[:3]:
            out.write(f"  line {line}: " + " / ".join(f"{enc}: {text[:60]}" for enc, text in texts.items()) + "\n")
        return 1
    except importer.ImportError_ as exc:
        out.write(f"{name}: {exc}; nothing was written\n")
        return 1
    plan = importer.plan_import(table, loaded.frame, loaded.resource, name)
    out.write(
        f"{name}: read as {table.encoding}, separator {table.separator or 'xlsx'!r}, decimal {table.decimal!r}; "
        f"{count_en(len(table.frame), 'row')} into {args.package}/{loaded.resource.path}\n"
    )
    if plan.ignored_columns:
        out.write(f"ignored columns (not in the table): {', '.join(plan.ignored_columns)}\n")
    if not plan.ok:
        _write_problems(plan.problems, out)
        return 1
    out.write(f"plan: {len(plan.added)} to add, {len(plan.changed)} to change, {plan.unchanged} unchanged\n")
    if len(plan.added):
        out.write("rows to add:\n")
        write_frame(plan.added, "table", out)
    if len(plan.changed):
        out.write("cells to change:\n")
        changes = importer.cell_changes(plan.before, plan.changed, loaded.resource)
        write_frame(changes.drop(columns=["change"]), "table", out)
    if not plan.touches:
        out.write("nothing to change\n")
        return 0
    new = importer.apply_plan(loaded.frame, plan)
    if args.dry_run:
        problems = store.check_table(root, args.package, args.into, new)
        if problems:
            _write_problems(importer.in_file_rows(problems, plan, new, name), out)
            return 1
        out.write("dry run: the import would be saved; nothing was written\n")
        return 0
    try:
        store.save_table(
            root, args.package, args.into, new, loaded.base_hash, args.who or _login_name(), summary=f"import {name}"
        )
    except store.SaveRejected as exc:
        _write_problems(importer.in_file_rows(exc.problems, plan, new, name), out)
        return 1
    except store.SaveConflict as exc:
        err.write(f"error: {exc}; run the import again\n")
        return 1
    except UnsafePath as exc:
        err.write(f"error: refused: {exc}; nothing was written\n")
        return 1
    out.write(f"saved {args.package}/{loaded.resource.path}; logged in {args.package}/{store.CHANGELOG}\n")
    return 0


COMMANDS["import"] = cmd_import


# --- summit (comparisons/summit/cli.py) -----------------------------------------------------------------------------


def _add_summit_parser(sub: argparse._SubParsersAction) -> None:
    from comparisons.summit import cli as summit_cli  # its database modules load only when a summit command runs

    summit_cli.add_parser(sub)
    COMMANDS["summit"] = summit_cli.run


def _add_brief_parser(sub: argparse._SubParsersAction) -> None:
    from comparisons.outputs import brief  # the page models load only when a brief is asked for

    brief.add_parser(sub)
    COMMANDS["brief"] = brief.run


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    return COMMANDS[args.command](args, out, err)
