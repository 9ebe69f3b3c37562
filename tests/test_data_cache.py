"""The evidence base is loaded once per data version and shared; a changed data file is picked up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import copy_data
from ui import data


def _touch_facts(root: Path) -> None:
    """Change the Norwegian facts file the way an editor outside the app would (same content, new bytes)."""
    facts = root / "norway" / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_the_evidence_is_shared_until_a_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_data(tmp_path)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    first = data.evidence()
    assert first.ok and data.evidence() is first  # shared, not reloaded per call
    _touch_facts(root)
    assert data.evidence() is first  # within STAMP_SECONDS the recent stamp is reused
    monkeypatch.setattr(data, "STAMP_SECONDS", 0.0)
    changed = data.evidence()
    assert changed is not first and changed.version != first.version


def test_clear_cache_takes_effect_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_data(tmp_path)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    first = data.evidence()
    _touch_facts(root)
    data.clear_cache()  # what a save in the app does
    assert data.evidence().version != first.version
