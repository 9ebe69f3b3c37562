"""The read-only switch: whether this app may offer to change the data at all.

Editing is off unless the person running the app switches it on, either with the environment variable
`LUP_EDITING=1` or with `editing = true` in `.streamlit/secrets.toml`. An explicit `LUP_EDITING=0` switches it off
even when the secrets file says otherwise (so a deployment or a test can force read-only mode). A missing or broken
secrets file means "off", never an error. When editing is off the curation page is neither registered nor linked,
and the page itself draws nothing editable if it is reached anyway.
"""

from __future__ import annotations

import os

import streamlit as st

ENV_VAR = "LUP_EDITING"
SECRET_KEY = "editing"
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"0", "false", "no", "off"})


def _flag(value: object) -> bool | None:
    """True/False for the usual spellings of a switch, None when the value says neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _ON:
            return True
        if text in _OFF:
            return False
    return None


def _secrets_flag() -> bool:
    try:
        value = st.secrets.get(SECRET_KEY, False)
    except Exception:  # noqa: BLE001 - no secrets file, an unreadable one, or no Streamlit runtime: read-only
        return False
    return _flag(value) is True


def editing_enabled() -> bool:
    """True only when editing was switched on (LUP_EDITING=1 or `editing = true` in secrets)."""
    env = _flag(os.environ.get(ENV_VAR, ""))
    if env is not None:
        return env
    return _secrets_flag()
