"""Where the data lives and which packages make up the evidence base."""

from __future__ import annotations

import re
from pathlib import Path

from comparisons import REPO_ROOT

DEFAULT_DATA_ROOT = REPO_ROOT / "data"

# The three packages, in the order their resources are concatenated.
PACKAGES: tuple[str, ...] = ("norway", "denmark", "reference")
PACKAGE_COUNTRY: dict[str, str | None] = {"norway": "NO", "denmark": "DK", "reference": None}
DESCRIPTOR = "datapackage.json"

# A path written with a scheme (http:, https:, file:, s3:, ...) or as a Windows drive; frictionless would open it.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class UnsafePath(ValueError):
    """A descriptor names a file outside its package folder, or a remote one; nothing is read from or written to it."""


def is_remote(text: str) -> bool:
    """True for 'http://x', 'https://x', 'file:/x', 'C:\\x': anything that is not a plain relative file name."""
    return bool(_SCHEME.match(text.strip()))


def inside(folder: Path, path: Path) -> bool:
    """True when `path`, with every symbolic link and '..' resolved, lies inside `folder` (also resolved)."""
    return path.resolve().is_relative_to(folder.resolve())


def resource_file(package_dir: Path, resource: str, path: object) -> Path:
    """The file a resource's `path` names, checked to lie inside its package folder; raises UnsafePath otherwise."""
    if not isinstance(path, str) or not path.strip():
        raise UnsafePath(f"resource {resource}: path {path!r} is not a file name")
    if is_remote(path):
        raise UnsafePath(f"resource {resource}: path {path!r} is remote; only files in the package folder are read")
    if Path(path).is_absolute() or not inside(package_dir, package_dir / path):
        raise UnsafePath(f"resource {resource}: path {path!r} is outside the package folder")
    return package_dir / path
