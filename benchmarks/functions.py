"""Time the comparisons functions a page computes after every data change, on today's data and on a synthetic root
with FACTOR times the facts, sources and actors (benchmarks/scale.py's generator), in one process, no server.

Each function is called with the arguments its page gives it (pages/*.py, comparisons/models/*.py). For each, the table
prints ms on today's data, ms on the synthetic root and the ratio. Small calls are repeated (the best of several
runs within a short budget); slow ones run once. Nothing is asserted: the figures are printed and saved.

With --baseline REV the same cases are also timed with the comparisons package as it was at git revision REV
(extracted to a temporary folder and imported instead of the working copy, in a child process, on the same
synthetic root), and the table gains before/after columns.

    .venv/bin/python benchmarks/functions.py                      # factor 100
    .venv/bin/python benchmarks/functions.py --quick              # factor 2, one run each
    .venv/bin/python benchmarks/functions.py --baseline HEAD~3    # before (REV) and after (working copy)
    .venv/bin/python benchmarks/functions.py --synthetic ROOT     # reuse a root written by scale.py --keep
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

# A child process of --baseline imports the comparisons package from here instead of the working copy.
_OVERRIDE = os.environ.get("LUP_BENCH_COMPARISONS")
if _OVERRIDE:
    sys.path.insert(0, _OVERRIDE)

Case = tuple[str, str, Callable[[], object]]  # (page, function, call)


def cases(ev) -> list[Case]:
    """The page calls, with their arguments prepared as the pages prepare them (preparation is not timed)."""
    from comparisons.evidence import conflicts as cf
    from comparisons.evidence.base import facts_with_sources
    from comparisons.measures import governance as gv
    from comparisons.measures import money as nz
    from comparisons.measures import partners as pt
    from comparisons.measures import procurement as pv
    from comparisons.measures import register as reg
    from comparisons.measures import results as rs
    from comparisons.measures import savings as sv
    from comparisons.measures.headlines import headline_table

    facts = facts_with_sources(ev)
    rates = nz.rate_table(ev["exchange_rates"])
    population = ev["population"]
    today = date(2026, 1, 1)
    out: list[Case] = [
        ("(all)", "facts_with_sources", lambda: facts_with_sources(ev)),
        ("overview", "headline_table", lambda: headline_table(ev["facts"])),
        ("sources", "sources_table", lambda: reg.sources_table(ev.tables, "en")),
        ("sources", "fact_conflicts", lambda: cf.fact_conflicts(facts)),
        ("sources", "relation_conflicts", lambda: cf.relation_conflicts(ev["relations"])),
        ("partners", "count_series", lambda: pt.count_series(facts)),
    ]
    series = pt.count_series(facts)
    cards = [
        (pt.PARTNER_COUNT, "NO", pt.PROGRAMME),
        ("counties_count", "NO", None),
        ("county_partners", "NO", pt.PROGRAMME),
        ("innovation_driver_regions", "NO", pt.PROGRAMME),
        ("municipalities_count", "DK", None),
        ("regions_count", "DK", None),
        (pt.STATE_AGENCIES_METRIC, "DK", None),
    ]
    out += [
        ("partners", "close_disagreements", lambda: pt.close_disagreements(series)),
        ("partners", "latest_for_metric x7", lambda: [pt.latest_for_metric(facts, m, c, s) for m, c, s in cards]),
        ("procurement", "procurement_totals", lambda: pv.procurement_totals(facts, rates, population, "EUR")),
        ("procurement", "procurement_subtotals", lambda: pv.procurement_subtotals(facts, rates, population, "EUR")),
    ]
    subtotals = pv.procurement_subtotals(facts, rates, population, "EUR")
    totals_all = facts[(facts["metric"] == pv.TOTAL_METRIC) & facts["subject"].isin(set(pv.TOTAL_SUBJECTS.values()))]
    ledger = rs.evidence_ledger(facts, ev["metrics"])
    first = sv.first_grant_year(ev["facts"])
    out += [
        ("procurement", "shares_of_total", lambda: pv.shares_of_total(subtotals, totals_all, rates)),
        ("results", "evidence_ledger", lambda: rs.evidence_ledger(facts, ev["metrics"])),
        ("results", "savings_ratios", lambda: sv.savings_ratios(ev["facts"], rates)),
        ("results", "conflict_groups", lambda: rs.conflict_groups(ledger, rates)),
    ]
    if first is not None:
        last = int(ledger["year"].max()) if ledger["year"].notna().any() else first
        out.append(
            ("results", "state_grants_by_year", lambda: sv.state_grants_by_year(ev["facts"], first, max(last, first)))
        )
    register = reg.danish_actors(ev["actors"])
    names = reg.name_lookup(ev["actors"], ev["events"], "en")
    ids = register["actor_id"].astype(str)
    figures = reg.key_figures(facts, ev["metrics"], ids, "en", names)
    out += [
        ("actors", "name_lookup", lambda: reg.name_lookup(ev["actors"], ev["events"], "en")),
        ("actors", "key_figures", lambda: reg.key_figures(facts, ev["metrics"], ids, "en", names)),
        (
            "actors",
            "register_table",
            lambda: reg.register_table(register, ev["relations"], figures, names, "en", sources=ev["sources"]),
        ),
    ]
    gov = gv.governance_relations(ev["relations"])
    succ = gv.successions(ev["relations"], ev["actors"], ev["sources"])
    year = gv.year_range(gov, today)[1]
    out += [
        ("governance", "governance_relations", lambda: gv.governance_relations(ev["relations"])),
        ("governance", "successions", lambda: gv.successions(ev["relations"], ev["actors"], ev["sources"])),
        ("governance", "source_conflicts", lambda: gv.source_conflicts(gov, succ, today)),
        ("governance", "timeline", lambda: gv.timeline(gov, ev["actors"], ev["sources"], today, "en", "?")),
        ("governance", "source_columns", lambda: gv.source_columns(gv.owners_as_of(gov, year), ev["sources"])),
    ]
    return out


def time_call(call: Callable[[], object], quick: bool, budget: float = 1.0, most: int = 7) -> float:
    """Best of several runs (one in quick mode, or when a run takes longer than `budget`)."""
    best = float("inf")
    spent = 0.0
    for _ in range(1 if quick else most):
        t0 = time.perf_counter()
        call()
        took = time.perf_counter() - t0
        best = min(best, took)
        spent += took
        if spent > budget:
            break
    return best


def measure(roots: dict[str, Path], quick: bool) -> dict[str, dict[str, float]]:
    """{label: {"page function": seconds}} for each root; prints progress to stderr."""
    from comparisons.evidence.base import load_evidence

    out: dict[str, dict[str, float]] = {}
    for label, root in roots.items():
        t0 = time.perf_counter()
        ev = load_evidence(root)
        print(
            f"   [{label}] evidence loaded in {time.perf_counter() - t0:.1f}s: {len(ev['facts'])} facts, "
            f"{len(ev['sources'])} sources, {len(ev['actors'])} actors",
            file=sys.stderr,
            flush=True,
        )
        out[label] = {}
        for page, name, call in cases(ev):
            out[label][f"{page} {name}"] = time_call(call, quick)
    return out


def baseline(rev: str, roots: dict[str, Path], quick: bool) -> dict[str, dict[str, float]]:
    """The same cases with comparisons/ as at `rev`, in a child process."""
    tmp = Path(tempfile.mkdtemp(prefix="lup-baseline-"))
    try:
        archive = subprocess.run(
            ["git", "archive", rev, "comparisons"], cwd=common.REPO, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        cmd = [
            common.python(),
            __file__,
            "--json",
            "--data",
            str(roots["today"]),
            "--synthetic",
            str(roots["synthetic"]),
        ] + (["--quick"] if quick else [])
        proc = subprocess.run(
            cmd,
            cwd=common.REPO,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "LUP_BENCH_COMPARISONS": str(tmp)},
        )
        return json.loads(proc.stdout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="factor 2 and one run per function")
    p.add_argument("--data", type=Path, default=common.REPO / "data", help="today's data root (default data/)")
    p.add_argument("--synthetic", type=Path, default=None, help="an existing synthetic root (else generated)")
    p.add_argument("--factor", type=int, default=None, help="rows multiplied by (default 100, quick 2)")
    p.add_argument("--baseline", default=None, metavar="REV", help="also time comparisons/ as at git revision REV")
    p.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # used by --baseline's child
    args = p.parse_args()
    if args.json:
        roots = {"today": args.data, "synthetic": args.synthetic}
        print(json.dumps(measure(roots, args.quick)))
        return 0
    factor = args.factor or (2 if args.quick else 100)
    started = time.monotonic()
    common.header(f"functions: comparisons functions on today's data vs {factor}x synthetic", args.quick)
    tmp = None
    synthetic = args.synthetic
    try:
        if synthetic is None:
            import scale

            tmp = Path(tempfile.mkdtemp(prefix="lup-synthetic-"))
            synthetic = tmp / "data"
            t0 = time.perf_counter()
            counts = scale.generate(args.data, synthetic, factor)
            print(
                f"   generated {synthetic} in {time.perf_counter() - t0:.1f}s: "
                + ", ".join(f"{v} {k}" for k, v in counts.items())
            )
        roots = {"today": args.data, "synthetic": synthetic}
        before = baseline(args.baseline, roots, args.quick) if args.baseline else None
        after = measure(roots, args.quick)
        width = max(len(k) for k in after["today"]) + 1
        print(f"\n-- ms per call ({'one run' if args.quick else 'best of up to 7 runs within 1 s'})")
        if before is None:
            print(f"   {'page function':<{width}} {'today':>10} {'synthetic':>11} {'x today':>8}")
        else:
            print(
                f"   {'page function':<{width}} {'today was':>10} {'today now':>10} {'synth was':>11} "
                f"{'synth now':>11} {'x was':>7} {'x now':>7} {'speed-up':>9}"
            )
        for key, now_today in after["today"].items():
            now_syn = after["synthetic"][key]
            if before is None:
                print(f"   {key:<{width}} {ms(now_today):>10} {ms(now_syn):>11} {common.ratio(now_syn, now_today):>8}")
            else:
                was_today, was_syn = before["today"].get(key), before["synthetic"].get(key)
                print(
                    f"   {key:<{width}} {ms(was_today):>10} {ms(now_today):>10} {ms(was_syn):>11} {ms(now_syn):>11} "
                    f"{common.ratio(was_syn, was_today):>7} {common.ratio(now_syn, now_today):>7} "
                    f"{common.ratio(was_syn, now_syn):>9}"
                )
        for label, figures in (("now", after), ("was", before)):
            if figures:
                t, s = sum(figures["today"].values()), sum(figures["synthetic"].values())
                print(
                    f"   {'total ' + label:<{width}} today {ms(t)} ms, synthetic {ms(s)} ms, "
                    f"ratio synthetic / today {common.ratio(s, t)}"
                )
        common.footer(
            "functions",
            {"factor": factor, "baseline": args.baseline, "after": after, "before": before},
            started,
            args.quick,
        )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
