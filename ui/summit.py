"""The summit's Streamlit pieces: the database, who may see the organiser view, and the participant's identity
(kept in the link, so a reload keeps it). The page's content is its model, comparisons.models.options.

The organiser view is shown where editing is switched on (ui/editing.py) or to whoever gives the organiser key
set in `.streamlit/secrets.toml` (`summit_organiser_key = "..."`); without either, the page has no organiser view
at all.
"""

from __future__ import annotations

import hmac
import logging
import secrets

import streamlit as st

from comparisons.summit.db import SummitDB, open_db
from ui.editing import editing_enabled

ORGANISER_SECRET = "summit_organiser_key"
EVENT_PARAM = "event"
PARTICIPANT_PARAM = "p"  # the participant's random handle, in the link so that a reload keeps the same person
KEY_STATE = "opt_organiser_key"

log = logging.getLogger("lup.summit")


def database() -> SummitDB | None:
    """The summit database (migrated on first use in this process), or None when it cannot be opened (logged)."""
    try:
        return open_db()
    except Exception:  # the page says so; never a traceback
        log.exception("the summit database could not be opened")
        return None


def organiser_key() -> str:
    try:
        value = st.secrets.get(ORGANISER_SECRET, "")
    except Exception:  # noqa: BLE001 - no secrets file: no key
        return ""
    return value.strip() if isinstance(value, str) else ""


def organiser_allowed() -> bool:
    """Editing on, or the organiser key given in this session matches the one in secrets."""
    if editing_enabled():
        return True
    expected = organiser_key()
    given = st.session_state.get(KEY_STATE, "")
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


def query(key: str) -> str:
    try:
        value = st.query_params.get(key)
    except Exception:  # noqa: BLE001 - a malformed query string counts as absent
        return ""
    return str(value or "").strip()


def participant_handle(create: bool = False) -> str:
    """This participant's handle from the link; a new one (put into the link) when asked to create it."""
    handle = query(PARTICIPANT_PARAM)
    if handle and len(handle) <= 40 and handle.replace("-", "").replace("_", "").isalnum():
        return handle
    if not create:
        return ""
    handle = secrets.token_urlsafe(12)
    st.query_params[PARTICIPANT_PARAM] = handle
    return handle
