"""The current session's language and the data root, for pages and UI pieces."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from comparisons import i18n
from comparisons.paths import DEFAULT_DATA_ROOT
from ui import urlstate

LANG_KEY = "lang"


def data_root() -> Path:
    """The shipped data, or another data root with the same layout named by LUP_DATA_DIR (tests, drafts)."""
    return Path(os.environ.get("LUP_DATA_DIR") or DEFAULT_DATA_ROOT)


def browser_language() -> str:
    try:
        return i18n.language_from_locale(st.context.locale)
    except Exception:  # noqa: BLE001 - no browser context (e.g. a bare script run)
        return i18n.DEFAULT_LANGUAGE


def language_picker() -> str:
    """The language selectbox in the sidebar, kept in the URL as ?lang=nb|da|en; default from the browser."""
    urlstate.seed(LANG_KEY, urlstate.choice_parser(i18n.LANGUAGES), browser_language())
    lang = st.sidebar.selectbox(
        "Språk · Sprog · Language",
        i18n.LANGUAGES,
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        key=LANG_KEY,
    )
    urlstate.publish(LANG_KEY, lang)
    return lang


def lang() -> str:
    value = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def gettext():  # noqa: ANN201
    """`_` for the current session's language."""
    return i18n.gettext_for(lang())


def notify_ignored_params(_) -> None:  # noqa: ANN001
    """A short notice when the link carried values that were not understood (the defaults are shown instead)."""
    urlstate.show_notices(_("Some settings in the link were not understood ({params}); showing the defaults instead."))
