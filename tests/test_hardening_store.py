"""Issue 16, the store and the loader: every path stays inside the data root, nothing is fetched from the network,
a kill after the rename keeps its change-log entry, and a save leaves no trace of itself but the change.

Each test reproduces a finding of the issue on the code before the fix (see the test's docstring)."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from comparisons.cli import main
from comparisons.evidence import store
from comparisons.evidence.base import load_evidence
from tests.helpers import REPO
from tests.minimal_data import write_minimal_root

NEW_ACTOR = {
    "actor_id": "aeroe-kommune",
    "country": "DK",
    "name": "Ærø Kommune",
    "name_en": "Ærø Municipality",
    "kind": "municipality",
    "summary_nb": "Kommune.",
    "summary_da": "Kommune.",
    "summary_en": "Municipality.",
    "source_id": "doc-004",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_minimal_root(tmp_path / "data")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def every_file(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".write.lock"
    }


def point_actors_at(root: Path, path: str) -> None:
    descriptor = root / "denmark" / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    for res in data["resources"]:
        if res["name"] == "actors":
            res["path"] = path
    descriptor.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


# --- 1. the store writes outside its data folder ----------------------------------------------------------------


@pytest.mark.parametrize("how", ["absolute", "relative"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["save", "dry-run"])
def test_a_resource_path_outside_the_root_is_refused_and_nothing_is_written(
    tmp_path: Path, root: Path, how: str, dry_run: bool
) -> None:
    """Before: `import ok.csv --dry-run` printed "nothing was written", exited 0 and overwrote a file outside the
    data root; `../../x.csv` gave a traceback."""
    outside = tmp_path / "x"
    outside.mkdir()
    precious = outside / "precious.txt"
    precious.write_bytes((root / "denmark" / "actors.csv").read_bytes())  # a readable CSV, so nothing stops early
    before_outside = precious.read_bytes()
    point_actors_at(root, str(precious) if how == "absolute" else "../../x/precious.txt")
    ok = tmp_path / "ok.csv"
    ok.write_text(",".join(NEW_ACTOR) + "\n" + ",".join(NEW_ACTOR.values()) + "\n", encoding="utf-8")
    before = every_file(root)
    argv = ["import", str(ok), "--into", "actors", "--data", str(root), "--who", "t"] + (
        ["--dry-run"] if dry_run else []
    )
    code, out, err = run(*argv)
    assert code == 1, out + err
    lines = [ln for ln in err.splitlines() if ln]
    assert len(lines) == 1 and "resource actors" in lines[0] and "precious.txt" in lines[0], err
    assert "outside the package folder" in lines[0]
    assert precious.read_bytes() == before_outside
    assert every_file(root) == before
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
    # the loader says the same, as one problem of the descriptor
    ev = load_evidence(root)
    assert [p.file for p in ev.problems if p.code == "unsafe-path"] == ["denmark/datapackage.json"]


def test_a_package_folder_that_links_elsewhere_is_refused(tmp_path: Path, root: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (root / "denmark").rename(elsewhere)
    (root / "denmark").symlink_to(elsewhere)
    with pytest.raises(store.UnsafePath):
        store.load_table(root, "denmark", "actors")


def test_a_change_log_that_links_elsewhere_is_refused(tmp_path: Path, root: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("keep\n")
    (root / "denmark" / store.CHANGELOG).symlink_to(target)
    loaded = store.load_table(root, "denmark", "actors")
    frame = loaded.frame.copy()
    frame.loc[0, "name_en"] = "Changed"
    with pytest.raises(store.UnsafePath):
        store.save_table(root, "denmark", "actors", frame, loaded.base_hash, "anna")
    assert target.read_text() == "keep\n"


# --- 5. the validator reaches the network -----------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to open a connection is recorded and fails at once."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize(
    ("key", "value"),
    [("path", "http://127.0.0.1:9/actors.csv"), ("path", "https://example.org/a.csv"), ("schema", "http://x/s.json")],
)
def test_remote_paths_and_schemas_are_refused_before_frictionless(
    root: Path, no_network: list[object], key: str, value: str
) -> None:
    """Before: a resource path `http://...` made frictionless send a request (up to 10 s per resource)."""
    descriptor = root / "denmark" / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    next(r for r in data["resources"] if r["name"] == "actors")[key] = value
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    ev = load_evidence(root)
    assert no_network == []
    [problem] = [p for p in ev.problems if p.file == "denmark/datapackage.json"]
    assert "resource actors" in problem.message and value in problem.message
    code, out, _err = run("validate", "--data", str(root))
    assert code == 1 and "resource actors" in out and no_network == []


def test_a_schema_given_as_text_is_a_problem_not_a_traceback(root: Path) -> None:
    """Before: `"schema": "schema.json"` gave an AttributeError traceback from the loader."""
    descriptor = root / "denmark" / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["schema"] = "schema.json"
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    ev = load_evidence(root)
    assert any("schema must be written out" in p.message for p in ev.problems if p.file == "denmark/datapackage.json")
    code, out, _err = run("validate", "--data", str(root))
    assert code == 1 and "schema must be written out" in out


# --- 6. a kill right after the rename ----------------------------------------------------------------------------


def test_a_kill_after_the_rename_keeps_the_change_in_the_log(root: Path) -> None:
    """Before: the file was replaced first and the log written second, so a kill in between (10 of 10 kills
    there) left a saved change without its change-log entry."""
    path = root / "denmark" / "actors.csv"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from comparisons.evidence import store
        real_replace = os.replace
        def replace_then_stall(src, dst):
            real_replace(src, dst)
            print("replaced", flush=True)
            time.sleep(60)
        os.replace = replace_then_stall  # the process is killed just after the new file is in place
        root = Path({str(root)!r})
        loaded = store.load_table(root, "denmark", "actors")
        frame = loaded.frame.copy()
        frame.loc[frame["actor_id"] == "coi", "name"] = "Saved before the kill"
        store.save_table(root, "denmark", "actors", frame, loaded.base_hash, "anna")
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "replaced"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert "Saved before the kill" in path.read_text(encoding="utf-8")
    [entry] = store.read_log(root, "denmark")
    assert entry["action"] == "pending"  # logged ahead; its outcome line was never written
    store.load_table(root, "denmark", "actors")  # the next start resolves it against the file
    [entry] = store.read_log(root, "denmark")
    assert entry["action"] == "saved" and entry["recovered"] is True and entry["who"] == "anna"
    [row] = entry["rows"]
    assert (
        row["before"]["name"] == "Center for Offentlig Innovation" and row["after"]["name"] == "Saved before the kill"
    )


def test_a_pending_entry_whose_file_was_not_replaced_is_closed_as_not_saved(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    store.append_log(
        root / "denmark",
        {"id": "x1", "action": "pending", "file": "denmark/actors.csv", "new_hash": "0" * 64, "rows": [], "who": "a"},
    )
    store.recover(root, "denmark")
    assert [(e["id"], e["action"]) for e in store.read_log(root, "denmark")] == [("x1", "not-saved")]
    assert store.load_table(root, "denmark", "actors").base_hash == loaded.base_hash


# --- 7. smaller ---------------------------------------------------------------------------------------------------


def test_a_save_keeps_the_file_mode(root: Path) -> None:
    """Before: a save changed the file's mode from 0644 to 0600 (the temporary file's)."""
    path = root / "denmark" / "actors.csv"
    path.chmod(0o644)
    loaded = store.load_table(root, "denmark", "actors")
    frame = loaded.frame.copy()
    frame.loc[0, "name_en"] = "Mode kept"
    store.save_table(root, "denmark", "actors", frame, loaded.base_hash, "anna")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    return proc.pid


def test_temporary_files_and_copies_of_killed_saves_are_removed_on_start(root: Path) -> None:
    """Before: killed saves left `.actors.csv.*.tmp` (removed only after an hour), and private copies
    `lup-candidate-*` in the system's temporary folder."""
    folder = root / "denmark"
    fresh = folder / ".actors.csv.abc123.tmp"
    fresh.write_bytes(b"half a file")
    dead_copy = Path(tempfile.mkdtemp(prefix=f"lup-candidate-{_dead_pid()}-"))
    live_copy = Path(tempfile.mkdtemp(prefix=f"lup-candidate-{os.getpid()}-"))
    try:
        store.load_table(root, "denmark", "actors")
        assert not fresh.exists()
        assert not dead_copy.exists() and live_copy.exists()  # only a killed process's copy goes
    finally:
        for folder_ in (dead_copy, live_copy):
            if folder_.exists():
                folder_.rmdir()


def test_temporary_files_are_ignored_by_git() -> None:
    found = subprocess.run(["git", "check-ignore", "-q", "data/denmark/.actors.csv.abc123.tmp"], cwd=REPO, check=False)
    assert found.returncode == 0


def test_a_bare_carriage_return_in_a_cell_stays_in_its_row(root: Path) -> None:
    """Before: the csv module wrote a cell holding a lone '\\r' unquoted, and the loader read it as two rows."""
    loaded = store.load_table(root, "denmark", "actors")
    frame = loaded.frame.copy()
    frame.loc[0, "summary_en"] = "first line\rsecond line"
    text = store.to_csv_text(frame, loaded.resource)
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert len(back) == len(frame) and back.loc[0, "summary_en"] == "first line\rsecond line"
    assert store.check_table(root, "denmark", "actors", frame) == []
    store.save_table(root, "denmark", "actors", frame, loaded.base_hash, "anna")
    ev = load_evidence(root)
    assert ev.ok, ev.problems
    assert len(store.load_table(root, "denmark", "actors").frame) == len(frame)


def test_problems_name_paths_relative_to_the_data_root(root: Path) -> None:
    """Before: the problems table showed absolute server paths (an OS error's message quotes the file)."""
    actors = root / "denmark" / "actors.csv"
    actors.unlink()
    actors.mkdir()  # an unreadable "file"
    ev = load_evidence(root)
    assert ev.problems
    for problem in ev.problems:
        assert str(root) not in str(problem) and str(root.resolve()) not in str(problem), problem


def test_the_server_listens_on_this_machine_only_by_default() -> None:
    """Before: the server bound every interface; a deployment sets `server.address` itself (README, Security)."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert "server.address" in (REPO / "README.md").read_text(encoding="utf-8")
