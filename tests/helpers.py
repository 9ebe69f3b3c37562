"""Shared helpers for page tests (AppTest) and data tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
LANGS = ("nb", "da", "en")
TIMEOUT = 60


def open_page(url_path: str, lang: str = "en", params: dict[str, str] | None = None) -> AppTest:
    """Run the app from its entry point with `?lang=..&params`, on the page whose url_path is given."""
    from ui.nav import PAGES

    spec = next(p for p in PAGES if p.url_path == url_path)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if spec is not PAGES[0]:
        at.switch_page(spec.script).run()
    return at


def all_text(at: AppTest) -> str:
    """Every piece of text the page shows (markdown, captions, metrics, titles, alerts), joined."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        parts += [str(metric.label), str(metric.value)]
    return "\n".join(parts)


def copy_data(tmp_path: Path) -> Path:
    """A private copy of the shipped data root, for tests that break or edit it."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    return root
