"""Shared helpers for page tests (AppTest) and data tests."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from streamlit.testing.v1 import AppTest

from comparisons.evidence.base import Evidence, load_evidence

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


# Month names as each language writes them, spelled out here independently of the formatting module.
MONTHS = {
    "nb": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "da": [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


@lru_cache(maxsize=1)
def shipped_evidence() -> Evidence:
    """The shipped data, loaded once per test process (read-only)."""
    return load_evidence(DATA, validate=False)


def openable_keys(at: AppTest, prefix: str) -> list[str]:
    """The keys of the page's popovers and expanders whose key starts with `prefix` ("dl-" downloads, "cite-"
    citations, "src-open-" disagreements), open or closed, in page order."""
    from streamlit.testing.v1.element_tree import Block

    keys: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, Block) and node.type in ("popover", "expander"):
            block = node.proto.popover if node.type == "popover" else node.proto
            key = block.id.split("-", 2)[-1]  # "$$ID-<hash>-<key>"
            if key.startswith(prefix):
                keys.append(key)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return keys


def open_all(at: AppTest, prefix: str) -> AppTest:
    """Open every popover and expander whose key starts with `prefix`, as a reader clicking each would (their
    contents are drawn only when open), and rerun the page."""
    for key in openable_keys(at, prefix):
        at.session_state[key] = True
    return at.run()


# The expanders whose contents are drawn only while open (ui.lazy): results' details, charts' data tables, the
# Export page's tables, the Sources page's disagreements, and the smaller notes under tables.
LAZY_PREFIXES = ("res-more", "data-", "exp-open-", "src-open-", "gov-why", "wi-behind", "opt-pre-open-")


def open_details(at: AppTest) -> AppTest:
    """Open every expander that draws its contents only when open, as a reader clicking each would."""
    for prefix in LAZY_PREFIXES:
        for key in openable_keys(at, prefix):
            at.session_state[key] = True
    return at.run()


def download_popovers(at: AppTest) -> list[str]:
    """The keys of the page's download popovers."""
    return openable_keys(at, "dl-")


def open_downloads(at: AppTest) -> AppTest:
    """Open every download popover (their buttons are drawn only when open) and rerun the page."""
    return open_all(at, "dl-")
