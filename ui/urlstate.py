"""View state that lives in the URL, so a pasted link reopens the same view.

Each control is seeded from its query parameter on the first run of a session, validated (a malformed or hostile
value falls back to the default with a short notice, never an exception), and written back on every run so the
URL always holds the whole view, defaults included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
_NOTICES = "_url_notices"


def _raw(key: str) -> str | None:
    try:
        return st.query_params.get(key)
    except Exception:  # noqa: BLE001 - a malformed query string is treated as absent
        return None


def note_invalid(key: str) -> None:
    """Remember that the link carried an unusable value for `key` (shown once by `show_notices`)."""
    st.session_state.setdefault(_NOTICES, set()).add(key)


def seed(key: str, parse: Callable[[str], T | None], default: T) -> None:
    """Put the URL's value for `key` into session state before its widget is drawn (first run only)."""
    if key in st.session_state:
        return
    raw = _raw(key)
    value = None
    if raw is not None:
        try:
            value = parse(raw)
        except (ValueError, TypeError, OverflowError):
            value = None
        if value is None:
            note_invalid(key)
    st.session_state[key] = default if value is None else value


def publish(key: str, value: object) -> None:
    """Write the control's current value into the URL."""
    text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    if _raw(key) != text:
        st.query_params[key] = text


def choice_parser(options: Sequence[T]) -> Callable[[str], T | None]:
    lookup = {str(o): o for o in options}
    return lambda raw: lookup.get(raw.strip())


def int_parser(lo: int, hi: int) -> Callable[[str], int | None]:
    def parse(raw: str) -> int | None:
        value = int(raw.strip())
        return value if lo <= value <= hi else None

    return parse


def float_parser(lo: float, hi: float) -> Callable[[str], float | None]:
    def parse(raw: str) -> float | None:
        value = float(raw.strip())
        return value if lo <= value <= hi and value == value else None

    return parse


def multi_parser(options: Sequence[str]) -> Callable[[str], list[str] | None]:
    allowed = set(options)

    def parse(raw: str) -> list[str] | None:
        items = [s for s in raw.split(",") if s]
        return items if all(i in allowed for i in items) else None

    return parse


def show_notices(message: str) -> None:
    """One short notice naming the parameters that were ignored (their values are never echoed)."""
    keys = st.session_state.pop(_NOTICES, None)
    if keys:
        st.toast(message.format(params=", ".join(sorted(keys))), icon=":material/link_off:")
