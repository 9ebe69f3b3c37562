"""Saving edits to the data packages without ever losing anyone's work.

- Every save is validated with the same loader and checks as the app, on a private copy of the data, before the
  real file is touched.
- Writes are atomic: a temporary file in the same folder, flushed and fsynced, then `os.replace` over the target.
  A save killed midway leaves the previous file intact.
- A save names the version of the file its editor loaded (a hash). If the file changed since, the save is refused
  with both versions, so nobody overwrites another's change; the refused rows are logged, so they are not lost.
- Every change is appended to `changelog.jsonl` in the package folder before the file is replaced (who, when, what,
  before and after, "pending"), and marked "saved" after; a save killed in between is resolved on the next start.
- Every path opened lies inside the data root: a descriptor naming a file elsewhere (or a remote one) is refused
  before anything is read or written (`UnsafePath`).
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from comparisons.evidence.base import load_evidence
from comparisons.evidence.paths import PACKAGES, UnsafePath, inside
from comparisons.evidence.problems import Problem
from comparisons.evidence.schema import Resource, read_descriptor, resources_of
from comparisons.i18n.formatting import count_en

CHANGELOG = "changelog.jsonl"
LOCK = ".write.lock"
_PROCESS_LOCK = threading.Lock()
# Private copies of the data that a save checks; the process id in the name tells whose copy it is, so that a
# copy left by a killed process can be removed by the next one.
_CANDIDATE_PREFIX = "lup-candidate-"
_STALE_CANDIDATE_SECONDS = 3600


class SaveConflict(Exception):
    """The file changed since the editor loaded it; nothing was written."""

    def __init__(self, file: str, current_text: str, proposed_text: str) -> None:
        super().__init__(f"{file} was changed by someone else since you opened it; your change was not saved")
        self.file = file
        self.current_text = current_text
        self.proposed_text = proposed_text


class SaveRejected(Exception):
    """The change would break the data; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{count_en(len(problems), 'problem')}; nothing was saved")
        self.problems = problems


@dataclass(frozen=True)
class Loaded:
    """A table as text cells, and the hash of the file it came from (pass it back to `save_table`)."""

    frame: pd.DataFrame
    base_hash: str
    resource: Resource


def package_dir(root: Path, package: str) -> Path:
    """The package's folder, checked to be a real folder inside the data root (not a link to somewhere else)."""
    if package not in PACKAGES:
        raise ValueError(f"unknown package {package!r}")
    folder = root / package
    if not inside(root, folder):
        raise UnsafePath(f"package {package}: its folder is outside the data root")
    return folder


def resource_of(root: Path, package: str, name: str) -> Resource:
    """The resource's schema; raises UnsafePath when the package's descriptor names any file outside the package
    (or a remote one), before anything is read or written."""
    folder = package_dir(root, package)
    for res in resources_of(read_descriptor(folder), package, folder):
        if res.name == name:
            return res
    raise ValueError(f"package {package} has no resource {name!r}")


def _own_file(folder: Path, name: str) -> Path:
    """The change log or lock file of a package folder; a link that leads elsewhere is refused."""
    path = folder / name
    if path.is_symlink() or not inside(folder, path):
        raise UnsafePath(f"{folder.name}/{name} is a link; the store writes only inside the data root")
    return path


def text_hash(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def load_table(root: Path, package: str, name: str) -> Loaded:
    res = resource_of(root, package, name)
    path = root / package / res.path
    if _needs_recovery(root / package):
        recover(root, package)
    raw = path.read_bytes()
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False).astype("string")
    for f in res.field_names:
        if f not in frame.columns:
            frame[f] = ""
    return Loaded(frame=frame[res.field_names], base_hash=text_hash(raw), resource=res)


def to_csv_text(frame: pd.DataFrame, res: Resource) -> str:
    """The table as the repository keeps it: schema column order, UTF-8, comma, minimal quoting, '\\n'."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(res.field_names)
    # The csv module quotes only the characters of its line terminator: a cell with a bare carriage return would be
    # written unquoted and read back as two rows. Such rows go through a writer whose terminator includes "\r".
    cr_buf = io.StringIO()
    cr_writer = csv.writer(cr_buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in frame[res.field_names].astype("string").fillna("").itertuples(index=False):
        cells = [str(v) for v in row]
        if any("\r" in c for c in cells):
            cr_buf.seek(0)
            cr_buf.truncate()
            cr_writer.writerow(cells)
            buf.write(cr_buf.getvalue().removesuffix("\r\n") + "\n")
        else:
            writer.writerow(cells)
    return buf.getvalue()


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader or a crash sees either the old file or the new one. The file
    keeps its permissions (a temporary file is created readable by its owner only)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _remove_temps(folder: Path) -> None:
    """Temporary files of saves that were killed. Called holding the write lock: no save is running, so every
    temporary file in the folder is left over."""
    for tmp in folder.glob(".*.tmp"):
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove_dead_candidates() -> None:
    """Private copies of the data left in the temporary folder by a check whose process was killed."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{_CANDIDATE_PREFIX}*"):
        pid = folder.name.removeprefix(_CANDIDATE_PREFIX).split("-")[0]
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            dead = not _alive(int(pid)) if pid.isdigit() else now - folder.stat().st_mtime > _STALE_CANDIDATE_SECONDS
        except OSError:
            continue
        if dead:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One writer at a time: a lock for threads of this process and an OS lock for other processes."""
    with _PROCESS_LOCK, open(_own_file(folder, LOCK), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _candidate_problems(root: Path, package: str, res: Resource, text: str) -> list[Problem]:
    """Problems the change would add: the whole evidence base is loaded from a private copy with the change.

    Problems are compared without their row (an inserted row moves every later row), but counted: when the data
    already has "required value is missing" in some column, a second such problem in a new row is still reported.
    """
    before: dict[tuple[str, str | None, str], list[int | None]] = {}
    for p in load_evidence(root).problems:
        before.setdefault((p.file, p.column, p.message), []).append(p.row)
    with tempfile.TemporaryDirectory(prefix=f"{_CANDIDATE_PREFIX}{os.getpid()}-") as tmp:
        copy = Path(tmp) / "data"
        for pkg in PACKAGES:
            if (root / pkg).is_dir():
                shutil.copytree(root / pkg, copy / pkg, ignore=shutil.ignore_patterns("*.jsonl", ".*"))
        (copy / package / res.path).write_text(text, encoding="utf-8")
        after = load_evidence(copy).problems
    grouped: dict[tuple[str, str | None, str], list[Problem]] = {}
    for p in after:
        grouped.setdefault((p.file, p.column, p.message), []).append(p)
    new: list[Problem] = []
    for key, found in grouped.items():
        old_rows = before.get(key, [])
        if len(found) <= len(old_rows):
            continue
        # Report the extra ones, preferring rows that had no such problem before.
        fresh = [p for p in found if p.row not in old_rows] + [p for p in found if p.row in old_rows]
        new += fresh[: len(found) - len(old_rows)]
    return sorted(new, key=lambda p: (p.file, p.row if p.row is not None else -1, p.column or "", p.message))


def check_table(root: Path, package: str, name: str, frame: pd.DataFrame) -> list[Problem]:
    """The problems saving `frame` as this table would introduce, found exactly as `save_table` finds them;
    nothing is written (for a dry run or a preview)."""
    res = resource_of(root, package, name)
    return _candidate_problems(root, package, res, to_csv_text(frame, res))


def _diff(old: pd.DataFrame, new: pd.DataFrame, res: Resource) -> list[dict[str, object]]:
    key = list(res.primary_key)

    def by_key(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
        rows = frame.reindex(columns=res.field_names).astype("string").fillna("").to_dict("records")
        return {"|".join(str(r[k]) for k in key): {k: str(v) for k, v in r.items()} for r in rows}

    a, b = by_key(old), by_key(new)
    out: list[dict[str, object]] = []
    for k in b:
        if k not in a:
            out.append({"key": k, "change": "added", "before": None, "after": b[k]})
        elif a[k] != b[k]:
            out.append({"key": k, "change": "changed", "before": a[k], "after": b[k]})
    out += [{"key": k, "change": "removed", "before": a[k], "after": None} for k in a if k not in b]
    return out


def _read_current(raw: bytes, frame: pd.DataFrame) -> pd.DataFrame:
    """The file on disk as text cells, for the change log; an unreadable file counts as empty (all rows added)."""
    if not raw.strip():
        return frame.iloc[0:0]
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError):
        return frame.iloc[0:0]


def append_log(folder: Path, entry: dict[str, object]) -> None:
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    with open(_own_file(folder, CHANGELOG), "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


# The outcome lines that close a "pending" entry (same id): the file was replaced, or it was not.
OUTCOMES = ("saved", "not-saved")


def _log_lines(folder: Path) -> list[dict[str, Any]]:  # parsed JSON: Any, as json.loads gives it
    path = folder / CHANGELOG
    if not path.exists():
        return []
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a crash while it was appended
    return lines


def read_log(root: Path, package: str) -> list[dict[str, Any]]:
    """One entry per save or refusal, oldest first. A change is logged ahead as "pending" and closed by an
    outcome line with the same id; here each entry carries its outcome as `action` ("pending" while open)."""
    lines = _log_lines(root / package)
    outcome = {str(e["id"]): e for e in lines if e.get("action") in OUTCOMES and "rows" not in e and "id" in e}
    out = []
    for e in lines:
        if e.get("action") in OUTCOMES and "rows" not in e and "id" in e:
            continue
        if e.get("action") == "pending" and str(e.get("id")) in outcome:
            closed = outcome[str(e["id"])]
            e = {**e, "action": closed["action"], "recovered": bool(closed.get("recovered", False))}
        out.append(e)
    return out


def _tail(path: Path, size: int = 65536) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(max(0, fh.seek(0, os.SEEK_END) - size))
        return fh.read()


def _needs_recovery(folder: Path) -> bool:
    """Cheap test, without the lock: a temporary file, or a change log whose last entry is still pending."""
    if any(folder.glob(".*.tmp")):
        return True
    log = folder / CHANGELOG
    if not log.is_file():
        return False
    lines = [ln for ln in _tail(log).splitlines() if ln.strip()]
    return bool(lines) and b'"action": "pending"' in lines[-1]


def recover(root: Path, package: str) -> None:
    """Finish what killed saves left behind: remove their temporary files (here and the private copies of
    checks), and close each pending change-log entry by comparing the file with it."""
    folder = package_dir(root, package)
    with _locked(folder):
        _recover_locked(folder)


def _recover_locked(folder: Path) -> None:
    _remove_temps(folder)
    _remove_dead_candidates()
    lines = _log_lines(folder)
    closed = {str(e.get("id")) for e in lines if e.get("action") in OUTCOMES and "rows" not in e}
    for entry in lines:
        if entry.get("action") != "pending" or str(entry.get("id")) in closed:
            continue
        path = folder.parent / str(entry.get("file", ""))
        current = path.read_bytes() if path.is_file() and inside(folder, path) else b""
        # The file holds the new version: the save went through and only its outcome line was lost.
        action = "saved" if text_hash(current) == entry.get("new_hash") else "not-saved"
        append_log(folder, _outcome(str(entry["id"]), action, recovered=True))


def _outcome(entry_id: str, action: str, recovered: bool = False) -> dict[str, object]:
    line: dict[str, object] = {
        "id": entry_id,
        "action": action,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if recovered:
        line["recovered"] = True
    return line


def save_table(
    root: Path, package: str, name: str, frame: pd.DataFrame, base_hash: str, who: str, summary: str = ""
) -> str:
    """Validate and atomically save a whole table; returns the new file hash.

    Raises SaveConflict when the file changed since `base_hash` (the proposed rows are logged as refused, so they
    can be recovered), and SaveRejected when the change would introduce problems. Nothing is written in either case.
    """
    res = resource_of(root, package, name)
    folder = root / package
    path = folder / res.path
    text = to_csv_text(frame, res)
    with _locked(folder):
        _recover_locked(folder)
        current_raw = path.read_bytes() if path.exists() else b""
        current = _read_current(current_raw, frame)
        entry: dict[str, object] = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "who": who or "unknown",
            "file": f"{package}/{res.path}",
            "summary": summary,
            "base_hash": base_hash,
        }
        if text_hash(current_raw) != base_hash:
            append_log(
                folder,
                {
                    **entry,
                    "action": "refused-conflict",
                    "rows": _diff(current, frame, res),
                    "current_hash": text_hash(current_raw),
                },
            )
            raise SaveConflict(f"{package}/{res.path}", current_raw.decode("utf-8", "replace"), text)
        problems = _candidate_problems(root, package, res, text)
        if problems:
            raise SaveRejected(problems)
        rows = _diff(current, frame, res)
        if not rows:
            return base_hash
        data = text.encode("utf-8")
        new_hash = text_hash(data)
        # Logged ahead: a kill after the file is replaced but before "saved" is written still leaves the change in
        # the log, and the next start closes it (`_recover_locked`).
        entry_id = uuid.uuid4().hex
        append_log(folder, {**entry, "id": entry_id, "action": "pending", "rows": rows, "new_hash": new_hash})
        try:
            atomic_write(path, data)
        except BaseException:
            replaced = path.is_file() and text_hash(path.read_bytes()) == new_hash
            append_log(folder, _outcome(entry_id, "saved" if replaced else "not-saved"))
            raise
        append_log(folder, _outcome(entry_id, "saved"))
    return new_hash
