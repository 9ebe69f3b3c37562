"""A number input written the app's way: '1.234.567' on a Danish page, '1 234 567' on a Norwegian one, '1,234,567'
on an English one, whatever the browser's language. Streamlit's `st.number_input` writes its value with a printf
format ('8000000', '9.15' on every page), so this field is a text input written with
`comparisons.i18n.formatting.fmt_number` and read back with `parse_number` (what it accepts is said there), with
a − and a + button that move the value by its step, as the number input's did.

State, per field `key`:
- `st.session_state[key]`: the value (a float). It is seeded from the URL parameter of the same name and written
  back to it (`ui.urlstate`), as the number inputs' values were, so existing links keep working.
- `st.session_state[key + "_text"]`: the text input's widget state (what the reader sees and types).
- `st.session_state[key + "_shown"]`: the text the field last wrote. A text different from it was typed by the
  reader; a text equal to it is rewritten in the current language (a language switch rewrites the field).

A typed text that is refused (empty, not a number, out of range) stays in the field with a message naming the
field and the accepted range; the value, and so everything the page computes from it, stays as it was.
"""

from __future__ import annotations

import streamlit as st

from comparisons.i18n.formatting import EMPTY, OUT_OF_RANGE, Refused, fmt_number, parse_number
from comparisons.models.figure import escape_md
from ui import urlstate
from ui.context import gettext, lang

# Written like one of these (the first within the field's range and precision) in messages and help.
_EXAMPLES = (1_234_567.0, 1_234.5, 123.45, 12.5, 1.0)
_ECHO = 40  # characters of a refused text repeated in its message


def text_key(key: str) -> str:
    """The text input's widget key for the field whose value lives under `key`."""
    return f"{key}_text"


def _shown_key(key: str) -> str:
    return f"{key}_shown"


def _example(lo: float, hi: float, decimals: int) -> float:
    for value in _EXAMPLES:
        if lo <= value <= hi and round(value, decimals) == value:
            return value
    return lo


def _write(key: str, value: float, lg: str, decimals: int) -> None:
    """Put `value` in the field, written in `lg` (before the text input is drawn, or from a callback)."""
    text = fmt_number(value, lg, decimals)
    st.session_state[key] = value
    st.session_state[text_key(key)] = text
    st.session_state[_shown_key(key)] = text


def _step(key: str, delta: float, lo: float, hi: float, decimals: int, lg: str) -> None:
    """The − and + buttons: the last good value moved by one step, kept within the range."""
    value = min(hi, max(lo, round(float(st.session_state[key]) + delta, decimals)))
    _write(key, value, lg, decimals)


def _refusal(field: str, typed: str, reason: str, value: float, lo: float, hi: float, decimals: int) -> str:
    _ = gettext()
    lg = lang()
    echo = typed.strip()
    echo = echo if len(echo) <= _ECHO else echo[:_ECHO] + "…"
    numbers = {
        "field": escape_md(field),
        "text": escape_md(echo),
        "lo": fmt_number(lo, lg, decimals),
        "hi": fmt_number(hi, lg, decimals),
        "example": fmt_number(_example(lo, hi, decimals), lg, decimals),
        "value": fmt_number(value, lg, decimals),
    }
    if reason == EMPTY:
        template = _("“{field}” is empty. Enter a number from {lo} to {hi}; until then the page goes on using {value}.")
    elif reason == OUT_OF_RANGE:
        template = _(
            "“{field}”: {text} is outside the accepted range. Enter a number from {lo} to {hi}; until then the page "
            "goes on using {value}."
        )
    else:
        template = _(
            "“{field}”: “{text}” cannot be read as a number. Enter a number from {lo} to {hi}, written like {example}, "
            "without units; until then the page goes on using {value}."
        )
    return template.format(**numbers)


def number_field(
    label: str, key: str, *, limits: tuple[float, float], default: float, step: float, decimals: int
) -> float:
    """Draw the field and return its value: the last number the reader typed that was accepted (or the URL's, or
    `default`). `limits` is the accepted range, `decimals` the precision the value is kept and written to."""
    _ = gettext()
    lg = lang()
    lo, hi = float(limits[0]), float(limits[1])
    urlstate.seed(key, urlstate.float_parser(lo, hi), default)
    value = float(st.session_state[key])
    typed = st.session_state.get(text_key(key))
    refused: Refused | None = None
    if typed is not None and typed != st.session_state.get(_shown_key(key)):
        read = parse_number(typed, lg, lo, hi, decimals)
        if isinstance(read, Refused):
            refused = read
        else:
            value = read
    if refused is None:
        _write(key, value, lg, decimals)  # a value read from the text, or the last one rewritten in this language

    example = fmt_number(_example(lo, hi, decimals), lg, decimals)
    field, down, up = st.columns([6, 1, 1], gap="small", vertical_alignment="bottom")
    field.text_input(
        label,
        key=text_key(key),
        help=_("A number from {lo} to {hi}, written like {example}, without units.").format(
            lo=fmt_number(lo, lg, decimals), hi=fmt_number(hi, lg, decimals), example=example
        ),
    )
    amount = fmt_number(step, lg, decimals)
    down.button(
        "−",
        key=f"{key}_down",
        help=_("{amount} less").format(amount=amount),
        disabled=value <= lo,
        on_click=_step,
        args=(key, -step, lo, hi, decimals, lg),
        width="stretch",
    )
    up.button(
        "+",
        key=f"{key}_up",
        help=_("{amount} more").format(amount=amount),
        disabled=value >= hi,
        on_click=_step,
        args=(key, step, lo, hi, decimals, lg),
        width="stretch",
    )
    if refused is not None:
        st.error(_refusal(label, str(typed), refused.reason, value, lo, hi, decimals), icon=":material/error:")
    urlstate.publish(key, value)
    return value
