"""Saving edits to the data packages without ever losing anyone's work.

- Every save is validated with the same loader and checks as the app, on a private copy of the data, before the
  real file is touched.
- Writes are atomic: a temporary file in the same folder, flushed and fsynced, then `os.replace` over the target.
  A save killed midway leaves the previous file intact.
- A save names the version of the file its editor loaded (a hash). If the file changed since, the save is refused
  with both versions, so nobody overwrites another's change; the refused rows are logged, so they are not lost.
- Every change is appended to `changelog.jsonl` in the package folder: who, when, what, before and after.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from comparisons.evidence.base import load_evidence
from comparisons.evidence.paths import PACKAGES
from comparisons.evidence.problems import Problem
from comparisons.evidence.schema import Resource, read_descriptor, resources_of

CHANGELOG = "changelog.jsonl"
_PROCESS_LOCK = threading.Lock()
_STALE_TEMP_SECONDS = 3600


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
        super().__init__(f"{len(problems)} problem(s); nothing was saved")
        self.problems = problems


@dataclass(frozen=True)
class Loaded:
    """A table as text cells, and the hash of the file it came from (pass it back to `save_table`)."""

    frame: pd.DataFrame
    base_hash: str
    resource: Resource


def resource_of(root: Path, package: str, name: str) -> Resource:
    if package not in PACKAGES:
        raise ValueError(f"unknown package {package!r}")
    for res in resources_of(read_descriptor(root / package), package):
        if res.name == name:
            return res
    raise ValueError(f"package {package} has no resource {name!r}")


def text_hash(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def load_table(root: Path, package: str, name: str) -> Loaded:
    res = resource_of(root, package, name)
    path = root / package / res.path
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
    for row in frame[res.field_names].astype("string").fillna("").itertuples(index=False):
        writer.writerow([str(v) for v in row])
    return buf.getvalue()


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader or a crash sees either the old file or the new one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
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


def _remove_stale_temps(folder: Path) -> None:
    """Temporary files left by a save that was killed (older than an hour) are removed."""
    now = time.time()
    for tmp in folder.glob(".*.tmp"):
        if now - tmp.stat().st_mtime > _STALE_TEMP_SECONDS:
            tmp.unlink(missing_ok=True)


@contextmanager
def _locked(folder: Path):
    """One writer at a time: a lock for threads of this process and an OS lock for other processes."""
    with _PROCESS_LOCK, open(folder / ".write.lock", "a+") as lock:
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
    with tempfile.TemporaryDirectory(prefix="lup-candidate-") as tmp:
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
    with open(folder / CHANGELOG, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def read_log(root: Path, package: str) -> list[dict[str, object]]:
    path = root / package / CHANGELOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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
        _remove_stale_temps(folder)
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
        atomic_write(path, text.encode("utf-8"))
        new_hash = text_hash(text.encode("utf-8"))
        append_log(folder, {**entry, "action": "saved", "rows": rows, "new_hash": new_hash})
    return new_hash
