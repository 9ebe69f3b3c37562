"""One page run at a time per server process; the others wait their turn, without using the processor.

Streamlit runs each session's script on a thread of its own, and all of them share one interpreter lock. A page run
is processor work, and every element it sends makes system calls that hand the lock to another thread and then
wait to get it back. With many runs at once they slow each other down until the server falls behind and stays
behind: 200 readers (benchmarks/load.py, one server, 2-core machine) gave a p95 of 3.4 s with every run let in at
once and 0.55 s with one at a time (300 readers: 6.6 s against 1.1 s); two at a time did not help (3.4 s, in a run
sampled by py-spy). A waiting run holds no lock and costs nothing.

A run that waited `WAIT_LIMIT_S` goes ahead anyway, so one slow run (a first build on a large data folder) delays
the others by at most that. The number of runs let in at once is `LUP_RUN_SLOTS` (README, "Settings").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

ENV_VAR = "LUP_RUN_SLOTS"
DEFAULT_SLOTS = 1
WAIT_LIMIT_S = 5.0


def slots() -> int:
    """How many page runs may run at once: LUP_RUN_SLOTS if it is a whole number from 1 up, else the default."""
    raw = os.environ.get(ENV_VAR, "").strip()
    return int(raw) if raw.isdigit() and int(raw) >= 1 else DEFAULT_SLOTS


_gate = threading.BoundedSemaphore(slots())


@contextmanager
def admitted() -> Iterator[bool]:
    """Hold a slot while the block runs, released however it ends (st.rerun and st.stop included). Yields whether
    a slot was had: False after waiting WAIT_LIMIT_S for one."""
    had = _gate.acquire(timeout=WAIT_LIMIT_S)
    try:
        yield had
    finally:
        if had:
            _gate.release()
