"""The current session's language and the data root, for pages and UI pieces."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from comparisons import i18n
from comparisons.evidence.paths import DEFAULT_DATA_ROOT
from ui import urlstate

LANG_KEY = "lang"
PICKER_KEY = "lang_picker"


def data_root() -> Path:
    """The shipped data, or another data root with the same layout named by LUP_DATA_DIR (tests, drafts)."""
    return Path(os.environ.get("LUP_DATA_DIR") or DEFAULT_DATA_ROOT)


def browser_language() -> str:
    try:
        return i18n.language_from_locale(st.context.locale)
    except Exception:  # noqa: BLE001 - no browser context (e.g. a bare script run)
        return i18n.DEFAULT_LANGUAGE


def language_picker() -> str:
    """The language selectbox in the sidebar, kept in the URL as ?lang=nb|da|en; default from the browser.

    The language lives in session state under "lang"; the widget (its own key) only mirrors it, so a reset of
    widget state (a page switch in AppTest) cannot change the language.
    """
    urlstate.seed(LANG_KEY, urlstate.choice_parser(i18n.LANGUAGES), browser_language())
    current = lang()
    choice = st.sidebar.selectbox(
        "Språk · Sprog · Language",
        i18n.LANGUAGES,
        index=i18n.LANGUAGES.index(current),
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        key=PICKER_KEY,
    )
    if choice != current and choice in i18n.LANGUAGES:
        st.session_state[LANG_KEY] = current = choice
    urlstate.publish(LANG_KEY, current)
    return current


def lang() -> str:
    value = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def gettext():
    """`_` for the current session's language."""
    return i18n.gettext_for(lang())


def notify_ignored_params(_) -> None:
    """A short notice when the link carried values that were not understood (the defaults are shown instead)."""
    urlstate.show_notices(_("Some settings in the link were not understood ({params}); showing the defaults instead."))


def ensure_app_frame() -> None:
    """Make sure app.py (language, navigation, sidebar) runs around this page.

    On the first session after a server start, Streamlit's legacy routing for a folder named `pages/` runs a
    deep-linked page (/actors?lang=da) on its own, without app.py (streamlit#8388), until some script calls
    st.navigation. This switches the process to st.navigation routing and reruns, so the same URL is served by
    app.py with the right page. It costs one extra run, once per server start.
    """
    from ui import compat

    if compat.uses_pages_directory():
        compat.set_uses_pages_directory(False)
        st.rerun()


def start_page():  # returns the bound gettext
    """The first call of every page: ensure the app frame ran, then give the page its `_`."""
    ensure_app_frame()
    return gettext()
