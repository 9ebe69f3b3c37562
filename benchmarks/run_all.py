"""Run every benchmark, one after the other, in quick mode (`make bench`) or in full (`--full`).

Each benchmark is its own process (so one's servers and imports cannot colour another's figures) with a time
limit; its output is passed through as it comes. Exit code 1 if any benchmark failed or overran.

    .venv/bin/python benchmarks/run_all.py              # quick: a smoke run of each, a few minutes in all
    .venv/bin/python benchmarks/run_all.py --full       # the real measurements (about an hour on 2 cores)
    .venv/bin/python benchmarks/run_all.py --only pages,load
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

BENCHMARKS = ("pages", "load", "memory", "exports", "scale", "functions", "coldstart", "summit")
QUICK_LIMIT = 300.0  # seconds per benchmark
FULL_LIMIT = {
    "pages": 2400.0,
    "load": 1200.0,
    "memory": 900.0,
    "exports": 900.0,
    "scale": 3600.0,
    "functions": 1800.0,
    "coldstart": 900.0,
}


def run(name: str, full: bool) -> tuple[int | None, float]:
    cmd = [common.python(), str(common.BENCH / f"{name}.py")] + ([] if full else ["--quick"])
    limit = FULL_LIMIT[name] if full else QUICK_LIMIT
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=common.REPO)
    try:
        rc = proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.terminate()  # the benchmark stops its servers on SIGTERM (atexit) or they die with it
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        print(f"!! {name} overran its limit of {limit:.0f}s and was stopped")
        rc = None
    return rc, time.monotonic() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--full", action="store_true", help="the real measurements, not the quick smoke run")
    p.add_argument("--only", default=None, help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    args = p.parse_args()
    names = [n.strip() for n in args.only.split(",")] if args.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(unknown)}")
    summary = []
    for name in names:
        print(f"\n######## {name}{'' if args.full else ' --quick'}", flush=True)
        rc, seconds = run(name, args.full)
        summary.append((name, rc, seconds))
    print("\n######## summary")
    for name, rc, seconds in summary:
        state = "ok" if rc == 0 else ("overran" if rc is None else f"failed (exit {rc})")
        print(f"   {name:<10} {state:<18} {seconds:6.0f}s")
    print(f"   figures: {common.RESULTS.relative_to(common.REPO)}/*.json")
    return 0 if all(rc == 0 for _, rc, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
