"""Accessibility violations that come from Streamlit itself, each with its reason: the one place they are listed.

Each entry is an axe-core rule id and a CSS selector that the offending node matches. The browser suite checks the
list against an empty Streamlit page served with the app's settings in the same run, both ways: every entry must
show up there (so a fixed one is removed), and everything that shows up there must be listed (so the list cannot
grow silently). A violation on an app page that no entry covers fails the suite.

Streamlit 1.67 with the app's settings and style rule (ui/a11y.py) shows none on an empty page; what axe-core
cannot see (English names of toolbar buttons, hover-only chart tooltips) is listed in the accessibility statement.
"""

from __future__ import annotations

from typing import NamedTuple


class Known(NamedTuple):
    rule: str  # axe-core rule id, e.g. "color-contrast"
    selector: str  # CSS selector the offending node matches
    reason: str  # why the app cannot fix it


KNOWN: tuple[Known, ...] = ()
