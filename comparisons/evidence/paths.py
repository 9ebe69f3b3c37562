"""Where the data lives and which packages make up the evidence base."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_ROOT = REPO_ROOT / "data"

# The three packages, in the order their resources are concatenated.
PACKAGES: tuple[str, ...] = ("norway", "denmark", "reference")
PACKAGE_COUNTRY: dict[str, str | None] = {"norway": "NO", "denmark": "DK", "reference": None}
DESCRIPTOR = "datapackage.json"
