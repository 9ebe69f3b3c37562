"""Each page's views built in every language in the background, once per data version and server process.

A page's views (ui.views.*) are built once per data version, language and settings, then shared by every session
(ui.memo). A server that one reader had opened in English still made the first readers in Danish and Norwegian
pay for their language's views, and while one built them the others asking for the same view waited: with 50
sessions arriving within three seconds, p95 3.2 s instead of 0.17 s on a server warmed in every language
(benchmarks/load.py, --warm en against --warm all). So after the first page run of a data version, a background
thread builds the views that every page asks for when opened with its default settings, in every language.

Only views whose default settings need no page logic are built here; the views of a chosen year, currency or
source are built by the first reader who asks for them. tests/test_warmup.py opens every page after a warm-up
and checks that each of these views came from the warm cache.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date

import streamlit as st

from comparisons import i18n
from comparisons.evidence.base import Evidence
from comparisons.i18n.labels import DEFAULT_CURRENCY

ENV_SWITCH = "LUP_WARM_VIEWS"  # "0" turns the warm-up off (the page tests count and compare builds themselves)

log = logging.getLogger("lup.warmup")


def default_views(ev: Evidence, lg: str) -> list[tuple[Callable[..., object], tuple]]:
    """The views a page builds when opened with its default settings, as (view function, arguments)."""
    from ui.summit import options_view
    from ui.views.actors import actors_view, register_view
    from ui.views.export import export_view
    from ui.views.governance import governance_view
    from ui.views.overview import overview_view
    from ui.views.partners import partners_view
    from ui.views.procurement import procurement_base
    from ui.views.results import ledger_view, results_view
    from ui.views.sources import sources_view
    from ui.views.whatif import whatif_base

    return [
        (overview_view, (ev, lg, DEFAULT_CURRENCY[lg])),
        (governance_view, (ev, lg, date.today())),
        (partners_view, (ev, lg)),
        (procurement_base, (ev, lg)),
        (results_view, (ev, lg)),
        (ledger_view, (ev, lg, ())),
        (actors_view, (ev, lg)),
        (register_view, (ev, lg, (), (), False)),
        (whatif_base, (ev, lg)),
        (options_view, (ev, lg)),
        (sources_view, (ev, lg)),
        (export_view, (ev, lg)),
    ]


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
                view(*args)
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
