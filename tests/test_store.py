"""Saving edits: validated first, atomic, logged, and never overwriting another person's change."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from comparisons.evidence import store
from tests.helpers import REPO
from tests.minimal_data import write_minimal_root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_minimal_root(tmp_path / "data")


def _with_name(loaded: store.Loaded, actor_id: str, name: str):
    frame = loaded.frame.copy()
    frame.loc[frame["actor_id"] == actor_id, "name"] = name
    return frame


def test_save_writes_and_logs_before_and_after(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    new_hash = store.save_table(root, "denmark", "actors", _with_name(loaded, "coi", "CO-PI"), loaded.base_hash, "anna")
    assert new_hash != loaded.base_hash
    assert "CO-PI" in (root / "denmark" / "actors.csv").read_text(encoding="utf-8")
    [entry] = store.read_log(root, "denmark")
    assert entry["who"] == "anna" and entry["action"] == "saved"
    [row] = entry["rows"]
    assert row["change"] == "changed"
    assert row["before"]["name"] == "Center for Offentlig Innovation" and row["after"]["name"] == "CO-PI"


def test_invalid_change_is_rejected_and_nothing_is_written(root: Path) -> None:
    before = (root / "denmark" / "actors.csv").read_bytes()
    loaded = store.load_table(root, "denmark", "actors")
    frame = loaded.frame.copy()
    frame.loc[0, "kind"] = "pirate_ship"
    with pytest.raises(store.SaveRejected) as err:
        store.save_table(root, "denmark", "actors", frame, loaded.base_hash, "anna")
    assert any(p.file == "denmark/actors.csv" and p.row == 2 and p.column == "kind" for p in err.value.problems)
    assert (root / "denmark" / "actors.csv").read_bytes() == before
    assert store.read_log(root, "denmark") == []


def test_two_sessions_second_save_is_refused_and_both_changes_are_recoverable(root: Path) -> None:
    first = store.load_table(root, "denmark", "actors")
    second = store.load_table(root, "denmark", "actors")
    store.save_table(root, "denmark", "actors", _with_name(first, "coi", "First edit"), first.base_hash, "anna")
    with pytest.raises(store.SaveConflict) as err:
        store.save_table(root, "denmark", "actors", _with_name(second, "coi", "Second edit"), second.base_hash, "bo")
    # the refusal shows both versions
    assert "First edit" in err.value.current_text and "Second edit" in err.value.proposed_text
    on_disk = (root / "denmark" / "actors.csv").read_text(encoding="utf-8")
    assert "First edit" in on_disk and "Second edit" not in on_disk
    log = store.read_log(root, "denmark")
    assert [e["action"] for e in log] == ["saved", "refused-conflict"]
    assert log[0]["rows"][0]["after"]["name"] == "First edit"
    assert log[1]["who"] == "bo" and log[1]["rows"][0]["after"]["name"] == "Second edit"


def test_save_killed_midway_leaves_previous_file_intact(root: Path) -> None:
    path = root / "denmark" / "actors.csv"
    before = path.read_bytes()
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from comparisons.evidence import store
        def stuck(*a, **k):
            print("writing", flush=True)
            time.sleep(60)
        os.replace = stuck  # the process is killed while the new file is half-way in place
        store.atomic_write(Path({str(path)!r}), b"half a file")
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert path.read_bytes() == before
    leftovers = list(path.parent.glob(".actors.csv.*.tmp"))
    assert len(leftovers) == 1  # the temporary file, never the real one, holds the partial write
    # a later save cleans up temporary files left by a crash once they are stale
    old = time.time() - 2 * 3600
    os.utime(leftovers[0], (old, old))
    loaded = store.load_table(root, "denmark", "actors")
    store.save_table(root, "denmark", "actors", _with_name(loaded, "coi", "After crash"), loaded.base_hash, "anna")
    assert not list(path.parent.glob(".actors.csv.*.tmp"))


def test_unknown_package_or_resource(root: Path) -> None:
    with pytest.raises(ValueError, match="unknown package"):
        store.load_table(root, "sweden", "actors")
    with pytest.raises(ValueError, match="no resource"):
        store.load_table(root, "denmark", "bananas")
