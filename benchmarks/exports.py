"""Time to build the table exports (every table in comparisons.outputs.tables, every format in comparisons.outputs.exports) and
the decision pack (comparisons.outputs.pack: XLSX workbook + DOCX brief with charts), in-process, from the loaded evidence.

Those modules are written by others; each is imported defensively and reported as "not available yet" when it (or
the function used here) is absent. If a module is present but raises while building, the benchmark says so and
exits 1 (a benchmark that no longer matches the code should be noticed, not skipped).

    .venv/bin/python benchmarks/exports.py                 # median of 3, all tables, pack in nb, da and en
    .venv/bin/python benchmarks/exports.py --quick         # once, pack in en only
    .venv/bin/python benchmarks/exports.py --data DIR      # another data root (e.g. the synthetic one of scale.py)
"""

from __future__ import annotations

import importlib
import statistics
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import ms

AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


def optional(module: str, *names: str) -> tuple[ModuleType | None, str]:
    """(module, "") or (None, why it is not available)."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        return None, f"{module} not available yet ({exc})"
    missing = [n for n in names if not hasattr(mod, n)]
    if missing:
        return None, f"{module} not available yet (no {', '.join(missing)})"
    return mod, ""


CPU_TIMES: dict[int, float] = {}


def timed(fn, repeat: int):
    """(median wall seconds, last result) over `repeat` calls; the median CPU seconds of this process over the
    same calls is kept in CPU_TIMES[id(result)] (CPU time is what another process's load cannot inflate)."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    CPU_TIMES[id(result)] = statistics.median(cpus)
    return statistics.median(times), result


def cpu_of(result: object) -> float:
    return CPU_TIMES.get(id(result), float("nan"))


def bench_tables(ev: object, lang: str, repeat: int) -> dict:
    tables, why = optional("comparisons.outputs.tables", "TABLES", "export_table")
    exports, why2 = optional("comparisons.outputs.exports", "FORMATS", "export_bytes")
    if tables is None or exports is None:
        msg = why or why2
        print(f"   table exports: {msg}")
        return {"status": msg}
    formats = list(exports.FORMATS)
    print(f"\n-- table exports ({lang}), median of {repeat}, CPU time: build the table, then each format")
    print(f"   {'table':<16} {'rows':>6} {'build':>9} " + " ".join(f"{f:>11}" for f in formats) + f" {'KB (xlsx)':>10}")
    rows = {}
    total = total_cpu = 0.0
    for name in tables.TABLES:
        build_s, table = timed(lambda name=name: tables.export_table(name, ev, lang, AS_OF), repeat)
        build_cpu = cpu_of(table)
        per_format, per_format_cpu = {}, {}
        size = 0
        for fmt in formats:
            secs, data = timed(lambda fmt=fmt, table=table: exports.export_bytes(table, fmt), repeat)
            per_format[fmt], per_format_cpu[fmt] = secs, cpu_of(data)
            if fmt == "xlsx":
                size = len(data)
        frame = getattr(table, "frame", None)
        n_rows = len(frame) if frame is not None else -1
        total += build_s + sum(per_format.values())
        total_cpu += build_cpu + sum(per_format_cpu.values())
        rows[name] = {
            "rows": n_rows,
            "build_s": build_s,
            "build_cpu_s": build_cpu,
            "formats_s": per_format,
            "formats_cpu_s": per_format_cpu,
            "xlsx_bytes": size,
        }
        print(
            f"   {name:<16} {n_rows:>6} {ms(build_cpu):>9} "
            + " ".join(f"{ms(per_format_cpu[f]):>11}" for f in formats)
            + f" {size / 1024:>10.1f}"
        )
    print(f"   every table in every format: {ms(total_cpu)} CPU, {ms(total)} wall")
    sys.stdout.flush()
    return {"status": "ok", "lang": lang, "tables": rows, "total_s": total}


def bench_pack(ev: object, langs: list[str], repeat: int) -> dict:
    pack, why = optional("comparisons.outputs.pack", "build_pack")
    if pack is None:
        print(f"\n-- decision pack: {why}")
        return {"status": why}
    print(f"\n-- decision pack (XLSX + DOCX), median of {repeat}")
    out = {}
    for lang in langs:
        steps: list[tuple[float, str]] = []

        def progress(fraction: float, message: str, steps: list = steps) -> None:
            steps.append((time.perf_counter(), message))

        times, cpus = [], []
        result = None
        for _ in range(repeat):
            steps.clear()
            c0, t0 = time.process_time(), time.perf_counter()
            result = pack.build_pack(ev, lang, AS_OF, progress=progress)
            t1 = time.perf_counter()
            times.append(t1 - t0)
            cpus.append(time.process_time() - c0)
        total, total_cpu = statistics.median(times), statistics.median(cpus)
        marks = [*steps, (t1, "done")]
        phases = [(marks[i][1], marks[i + 1][0] - marks[i][0]) for i in range(len(marks) - 1)]
        xlsx = len(getattr(result, "xlsx", b"") or b"")
        docx = len(getattr(result, "docx", b"") or b"")
        notes = list(getattr(result, "notes", ()) or ())
        out[lang] = {
            "total_s": total,
            "total_cpu_s": total_cpu,
            "last_run_phases_s": phases,
            "xlsx_bytes": xlsx,
            "docx_bytes": docx,
            "notes": notes,
        }
        print(
            f"   {lang}: {ms(total_cpu)} CPU, {ms(total)} wall  (xlsx {xlsx / 1024:.0f} KB, docx {docx / 1024:.0f} KB)"
            + (f"  notes: {notes}" if notes else "")
        )
        print("       last run by step (wall): " + ", ".join(f"{m} {ms(s)}" for m, s in phases))
        sys.stdout.flush()
    return {"status": "ok", "by_lang": out}


def main() -> int:
    p = common.parser(__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=None, help="data root (default: the shipped data)")
    p.add_argument("--repeat", type=int, default=None, help="runs per figure (default 3, quick 1)")
    args = p.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    langs = ["en"] if args.quick else ["nb", "da", "en"]
    common.header("exports: table exports and the decision pack", args.quick)
    started = time.monotonic()
    from comparisons.evidence.base import load_evidence
    from comparisons.evidence.paths import DEFAULT_DATA_ROOT

    root = args.data or DEFAULT_DATA_ROOT
    load_s, ev = timed(lambda: load_evidence(root), repeat)
    print(
        f"   evidence loaded and validated from {root}: {ms(cpu_of(ev))} CPU, {ms(load_s)} wall "
        f"({len(ev['facts'])} facts, {len(ev['sources'])} sources, {len(ev['actors'])} actors, "
        f"{len(ev.problems)} problems)"
    )
    data: dict = {"data_root": str(root), "load_s": load_s, "load_cpu_s": cpu_of(ev)}
    status = 0
    for name, fn in (
        ("tables", lambda: bench_tables(ev, "en", repeat)),
        ("pack", lambda: bench_pack(ev, langs, repeat)),
    ):
        try:
            data[name] = fn()
        except Exception as exc:  # noqa: BLE001 - reported, and the exit code says the benchmark needs attention
            print(f"   {name}: FAILED while building: {type(exc).__name__}: {exc}")
            traceback.print_exc(limit=4)
            data[name] = {"status": f"failed: {type(exc).__name__}: {exc}"}
            status = 1
    common.footer("exports", data, started, args.quick)
    return status


if __name__ == "__main__":
    sys.exit(main())
