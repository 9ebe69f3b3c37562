"""The page-run gate (ui/gate.py): at most `slots` runs at once, a slot is given back however a run ends, a run
that waited too long goes ahead, and the app's runs pass through it."""

from __future__ import annotations

import threading
import time

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException  # what st.rerun raises
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

from tests.helpers import open_page
from ui import gate


@pytest.fixture
def two_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "_gate", threading.BoundedSemaphore(2))


def test_no_more_runs_than_slots_at_once(two_slots: None) -> None:
    running = peak = 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal running, peak
        with gate.admitted():
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.02)
            with lock:
                running -= 1

    threads = [threading.Thread(target=run) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert peak == 2


def test_a_slot_is_given_back_when_a_run_is_rerun_or_fails(two_slots: None) -> None:
    for error in (RerunException(RerunData()), ValueError("a page failed")):
        with pytest.raises(type(error)), gate.admitted():
            raise error
    assert gate._gate.acquire(blocking=False) and gate._gate.acquire(blocking=False)  # both slots are free


def test_a_run_that_waited_too_long_goes_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "_gate", threading.BoundedSemaphore(1))
    monkeypatch.setattr(gate, "WAIT_LIMIT_S", 0.05)
    with gate.admitted() as first, gate.admitted() as second:  # a slow run holds the only slot
        assert first and not second
    assert gate._gate.acquire(blocking=False)  # the one slot is back, not over-released


@pytest.mark.parametrize(("raw", "expected"), [("", 1), ("3", 3), ("0", 1), ("-2", 1), ("two", 1), (" 4 ", 4)])
def test_slots_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int) -> None:
    monkeypatch.setenv(gate.ENV_VAR, raw)
    assert gate.slots() == expected


def test_the_app_runs_its_pages_through_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    held: list[int] = []
    real = gate.admitted

    def recording():
        held.append(1)
        return real()

    monkeypatch.setattr(gate, "admitted", recording)
    at = open_page("actors", "da")
    assert not at.exception and len(held) >= 2  # the first page run and the page switch
    assert gate._gate.acquire(blocking=False)  # and each gave its slot back
    gate._gate.release()
