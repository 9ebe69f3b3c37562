"""Each page's views built in every language in the background, once per data version and server process.

A page's model (comparisons.models) is built once per data version, language and settings, then shared by every
session (comparisons.models.parts.per_data). A server that one reader had opened in English still made the first readers in Danish and Norwegian
pay for their language's views, and while one built them the others asking for the same view waited: with 50
sessions arriving within three seconds, p95 3.2 s instead of 0.17 s on a server warmed in every language
(benchmarks/load.py, --warm en against --warm all). So after the first page run of a data version, a background
thread builds the views that every page asks for when opened with its default settings, in every language.

Each page is built with the default settings its model declares in each language (a reader who switches language
keeps the settings the page had), and the tables and charts of what it built are converted for Streamlit (ui.memo)
as the page will hand them over; the views of another year, currency or source are built by the first reader who
asks for them. tests/test_warmup.py opens every page after a warm-up
and checks that each of these views came from the warm cache.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from comparisons import i18n
from comparisons.evidence.base import Evidence
from comparisons.models.parts import ChartView, Table

ENV_SWITCH = "LUP_WARM_VIEWS"  # "0" turns the warm-up off (the page tests count and compare builds themselves)

log = logging.getLogger("lup.warmup")


def default_views(ev: Evidence, lg: str) -> list[tuple[Callable[..., object], tuple]]:
    """What each page builds when opened with its default settings, as (model builder, arguments): every page's
    model (comparisons.models) in `lg` with the settings its module declares as default in `lg`, and with those of
    the other languages too, since a reader who switches language keeps the settings the page had (the overview's
    currency is NOK in Norwegian, DKK in Danish)."""
    from comparisons import models

    views: list[tuple[Callable[..., object], tuple]] = []
    for spec in models.PAGES:
        variants: list[object] = []
        for other in (lg, *(x for x in i18n.LANGUAGES if x != lg)):
            settings = spec.default_settings(ev, other)
            if settings not in variants:
                variants.append(settings)
        views += [(spec.build, (ev, lg, settings)) for settings in variants]
    return views


def convert_for_streamlit(model: object) -> int:
    """Convert the tables and charts of a built model the way its page will hand them to Streamlit (ui.memo: Arrow
    tables, localised Vega-Lite specs), so the first reader in each language does not pay for them: converting a
    chart costs 20-60 ms, and under load they showed up in every language's first visits (py-spy). Returns how
    many it converted."""
    from ui.charts import vega_spec
    from ui.memo import arrow

    seen: set[int] = set()
    count = 0

    def walk(obj: object, depth: int) -> None:
        nonlocal count
        if depth > 6 or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, ChartView):
            vega_spec(obj)
            count += 1
            if obj.table is not None:
                walk(obj.table, depth + 1)
        elif isinstance(obj, Table):
            walk(obj.view, depth + 1)
        elif isinstance(obj, pd.DataFrame):
            arrow(obj)
            count += 1
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name), depth + 1)
        elif isinstance(obj, list | tuple):
            for item in obj:
                walk(item, depth + 1)
        elif isinstance(obj, dict):
            for item in obj.values():
                walk(item, depth + 1)

    walk(model, 0)
    return count


# The first reader's page is still on its way to the browser when the warm-up would start, and a fresh tab opened
# right after competed with it (benchmarks/coldstart.py: a new tab 1.3 s -> 2.1 s): so wait a moment first, and
# pause between views so that live sessions get the interpreter in between.
START_DELAY_S = 3.0
PAUSE_S = 0.02


def warm_views(ev: Evidence, langs: Iterable[str] = i18n.LANGUAGES, pause: float = 0.0) -> int:
    """Build every default view in each language (a cached view is returned at once). Returns how many views were
    asked for. A view that fails is logged and skipped: the page that needs it shows its own message."""
    asked = 0
    for lg in langs:
        for view, args in default_views(ev, lg):
            asked += 1
            try:
                convert_for_streamlit(view(*args))
            except Exception:  # a warm-up never takes the server down
                log.exception("warming %s (%s) failed", getattr(view, "__name__", view), lg)
            if pause:
                time.sleep(pause)
    return asked


def _warm_later(ev: Evidence) -> None:
    time.sleep(START_DELAY_S)
    warm_views(ev, pause=PAUSE_S)


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") != "0"


@st.cache_resource(show_spinner=False, max_entries=4)
def warm_in_background(root: str, version: str, _ev: Evidence) -> threading.Thread | None:
    """Start warm_views on a daemon thread, once per data root, data version and server process."""
    del root, version  # the cache key
    if not enabled():
        return None
    thread = threading.Thread(target=_warm_later, args=(_ev,), name="lup-warm-views", daemon=True)
    thread.start()
    return thread


def after_run() -> None:
    """Called by app.py after a page ran to its end: start the warm-up for the evidence base in use, if it loaded
    and is sound (a broken one shows its problems instead of figures)."""
    from ui.data import evidence

    try:
        ev = evidence()
    except Exception:  # noqa: BLE001 - the page has already said what went wrong
        return
    if ev.ok:
        warm_in_background(str(ev.root), ev.version, ev)
