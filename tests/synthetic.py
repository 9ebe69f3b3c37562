"""Evidence from synthetic data roots (benchmarks/scale.py's generator), for tests that compare a fast
implementation with its slow reference copy on more, and more repetitive, data than is shipped."""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

from comparisons.evidence.base import Evidence, load_evidence

REPO = Path(__file__).resolve().parent.parent


@cache
def synthetic_evidence(factor: int = 3, subjects: str = "same") -> Evidence:
    """The shipped data with `factor` times the facts, sources, actors, relations and events (ids made unique),
    either about the same subjects (`same`) or about copied actors (`copies`). Generated once per session."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import scale
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    tmp = Path(tempfile.mkdtemp(prefix="lup-test-synthetic-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    scale.generate(REPO / "data", tmp / "data", factor, subjects)
    return load_evidence(tmp / "data")
