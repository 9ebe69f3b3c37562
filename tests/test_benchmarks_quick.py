"""Each benchmark runs in its quick mode and prints its figures, so the benchmarks cannot rot unnoticed.

Only that they run and print is checked: benchmarks measure, they never assert timings. Each is its own process
with a time limit (the quick modes take seconds to a minute, most of it starting Streamlit servers). The
coldstart benchmark needs Chromium: skipped without it locally, required when REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import REPO

LIMIT = 600  # seconds per benchmark; far above what quick mode needs, so only a hang trips it

# What each benchmark must print: its table headings and the figures' labels.
EXPECTED: dict[str, tuple[str, ...]] = {
    "pages": (
        "(empty page)",
        "x empty",
        "CPU/rerun",
        "runner.postScriptGC = false",
        "runner.postScriptGC = true",
        "postScriptGC=true vs false",
    ),
    "load": ("runs ok", "p50", "p95"),
    "memory": ("started, no session yet", "sessions connected", "per session", "all closed"),
    "exports": ("evidence loaded", "table exports", "decision pack"),
    "scale": ("python -m comparisons validate --data", "ratio synthetic / today", "x today"),
    "coldstart": ("health", "start->title", "median:"),
    "functions": ("ms per call", "sources fact_conflicts", "overview headline_table", "x today", "total now"),
    "summit": ("participants answering within one minute", "answer", "p95", "errors: 0", "database check: ok"),
}


def _python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _run(name: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_python(), str(REPO / "benchmarks" / f"{name}.py"), "--quick"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=LIMIT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _check(name: str, proc: subprocess.CompletedProcess) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"benchmarks/{name}.py --quick exited {proc.returncode}:\n{output[-4000:]}"
    missing = [label for label in EXPECTED[name] if label not in proc.stdout]
    assert not missing, f"benchmarks/{name}.py --quick did not print {missing}:\n{output[-4000:]}"
    assert "figures saved to" in proc.stdout, output[-4000:]


@pytest.mark.parametrize("name", ["pages", "load", "memory", "exports", "scale", "functions", "summit"])
def test_benchmark_quick(name: str) -> None:
    _check(name, _run(name))


@pytest.mark.browser
def test_coldstart_quick() -> None:
    proc = _run("coldstart")
    if proc.returncode == 0 and "skipped:" in proc.stdout:
        pytest.skip(proc.stdout.strip().splitlines()[-1])
    _check("coldstart", proc)
