"""The background warm-up (ui.warmup): the views it builds are the ones every page asks for when opened with its
default settings, so a reader opening a page in any language finds them built; it runs once per data version,
never takes the server down, and the app starts it after a page is drawn."""

from __future__ import annotations

import logging
import threading
from typing import cast

import pytest

from comparisons.evidence.base import Evidence, load_evidence
from comparisons.models import PAGES, parts
from tests.helpers import DATA, LANGS, open_page
from ui import warmup


@pytest.mark.parametrize("lang", LANGS)
def test_each_page_opened_with_its_defaults_finds_its_models_already_built(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = load_evidence(DATA, validate=False)
    calls: list[tuple[str, object]] = []
    call = parts.PerData.__call__

    def recording(self, *args, **kwargs):  # every model part asked for, by any caller
        calls.append((self.__qualname__, parts._key(args, kwargs)))
        return call(self, *args, **kwargs)

    monkeypatch.setattr(parts.PerData, "__call__", recording)
    assert warmup.warm_views(ev, [lang]) == len(warmup.default_views(ev, lang)) >= len(PAGES)
    warmed = set(calls)
    entries = {id(c): set(c._entries) for c in parts._REGISTERED}
    calls.clear()

    for spec in PAGES:
        at = open_page(spec.url_path, lang)
        assert not at.exception and not at.error, spec.url_path
    asked = set(calls)
    # Every model part a page asked for when opened with its defaults was built by the warm-up (a page that stops
    # using its model's default settings fails here) ...
    assert asked and asked <= warmed, asked - warmed
    # ... and none was built again: no cache gained an entry.
    assert {id(c): set(c._entries) for c in parts._REGISTERED} == entries


def test_the_warm_up_runs_once_per_data_version_on_a_background_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warmup.ENV_SWITCH, "1")
    built: list[tuple[str, str, float]] = []
    monkeypatch.setattr(warmup, "START_DELAY_S", 0.0)
    monkeypatch.setattr(warmup, "warm_views", lambda ev, pause: built.append((str(ev.root), ev.version, pause)))
    ev = load_evidence(DATA, validate=False)
    warmup.warm_in_background.clear()
    first = warmup.warm_in_background(str(ev.root), ev.version, ev)
    assert isinstance(first, threading.Thread) and first.daemon
    first.join(timeout=30)
    assert warmup.warm_in_background(str(ev.root), ev.version, ev) is first  # not started again
    second = warmup.warm_in_background(str(ev.root), "another-version", ev)  # a saved edit: a new data version
    assert second is not None and second is not first
    second.join(timeout=30)
    assert built == [(str(ev.root), ev.version, warmup.PAUSE_S)] * 2
    monkeypatch.setenv(warmup.ENV_SWITCH, "0")
    warmup.warm_in_background.clear()
    assert warmup.warm_in_background(str(ev.root), ev.version, ev) is None
    warmup.warm_in_background.clear()


def test_a_view_that_fails_is_logged_and_the_others_are_still_built(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    built: list[str] = []

    def broken(ev, lg):
        raise KeyError("a column the view needs")

    monkeypatch.setattr(warmup, "default_views", lambda ev, lg: [(broken, (ev, lg)), (built.append, (lg,))])
    with caplog.at_level(logging.ERROR, logger="lup.warmup"):
        assert warmup.warm_views(cast(Evidence, object()), ["da", "nb"]) == 4  # the views are stand-ins
    assert built == ["da", "nb"]
    assert [r.getMessage() for r in caplog.records] == ["warming broken (da) failed", "warming broken (nb) failed"]


def test_the_app_starts_the_warm_up_after_a_page_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warmup.ENV_SWITCH, "1")
    started: list[str] = []
    monkeypatch.setattr(warmup, "START_DELAY_S", 0.0)
    monkeypatch.setattr(warmup, "warm_views", lambda ev, pause: started.append(ev.version))
    warmup.warm_in_background.clear()
    at = open_page("actors", "da")
    assert not at.exception and not at.error
    ev = load_evidence(DATA, validate=False)
    thread = warmup.warm_in_background(str(ev.root), ev.version, ev)  # the one the app started
    assert thread is not None
    thread.join(timeout=30)
    assert started == [ev.version]
    warmup.warm_in_background.clear()


def test_after_the_warm_up_pages_convert_nothing_and_a_language_switch_builds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The warm-up also converts each model's tables and charts for Streamlit (ui.memo), and builds the pages with
    the other languages' default settings too: a reader who opens the overview in Norwegian (NOK) and switches to
    Danish keeps NOK, and finds that view built and converted."""
    from ui import compat, memo

    parts.clear_all()
    ev = load_evidence(DATA, validate=False)
    warmup.warm_views(ev, ["nb", "da"])
    conversions: list[str] = []
    charts, tables = compat.altair_to_vega_lite_spec, memo.convert_pandas_df_to_arrow_table

    def counted(kind: str, convert):
        def wrapper(obj):
            conversions.append(kind)
            return convert(obj)

        return wrapper

    monkeypatch.setattr(compat, "altair_to_vega_lite_spec", counted("chart", charts))
    monkeypatch.setattr(memo, "convert_pandas_df_to_arrow_table", counted("table", tables))
    builds: list[str] = []
    build = parts.PerData.__call__

    def recording(self, *args, **kwargs):
        key = parts._key(args, kwargs)
        if key not in self._entries:
            builds.append(self.__qualname__)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(parts.PerData, "__call__", recording)
    for spec in PAGES:
        at = open_page(spec.url_path, "nb")
        assert not at.exception and not at.error, spec.url_path
        at.selectbox(key="lang_picker").set_value("da").run()
        assert not at.exception and not at.error, spec.url_path
    assert builds == [] and conversions == [], (builds, conversions)
