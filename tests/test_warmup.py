"""The background warm-up (ui.warmup): the views it builds are the ones every page asks for when opened with its
default settings, so a reader opening a page in any language finds them built; it runs once per data version,
never takes the server down, and the app starts it after a page is drawn."""

from __future__ import annotations

import importlib
import logging
import threading

import pytest

from comparisons.evidence.base import load_evidence
from tests.helpers import DATA, LANGS, open_page
from ui import warmup
from ui.nav import PAGES


def _key(view, args: tuple) -> tuple:
    """A view call as the cache keys it: the function, then the settings after the evidence base."""
    return (view.__module__, view.__name__, *args[1:])


@pytest.mark.parametrize("lang", LANGS)
def test_each_page_opened_with_its_defaults_finds_its_views_already_built(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = load_evidence(DATA, validate=False)
    assert warmup.warm_views(ev, [lang]) == len(warmup.default_views(ev, lang))
    warmed = {_key(view, args): view(*args) for view, args in warmup.default_views(ev, lang)}  # cache hits

    # Every view function a page may call, recording what each call returned (pages import them on every run).
    calls: list[tuple[tuple, object]] = []
    for view, _args in warmup.default_views(ev, lang):
        module = importlib.import_module(view.__module__)

        def recording(*args, _view=view):
            result = _view(*args)
            calls.append((_key(_view, args), result))
            return result

        monkeypatch.setattr(module, view.__name__, recording)

    for spec in PAGES:
        at = open_page(spec.url_path, lang)
        assert not at.exception and not at.error, spec.url_path
    asked = {key for key, _result in calls}
    # The warm-up builds only what the pages ask for with their defaults (a changed default fails here) ...
    assert set(warmed) <= asked, set(warmed) - asked
    # ... and what a page asked for with those settings came from the warm cache, not a second build.
    for key, result in calls:
        if key in warmed:
            assert result is warmed[key], key


def test_the_warm_up_runs_once_per_data_version_on_a_background_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warmup.ENV_SWITCH, "1")
    built: list[tuple[str, str]] = []
    monkeypatch.setattr(warmup, "START_DELAY_S", 0.0)
    monkeypatch.setattr(warmup, "warm_views", lambda ev, pause: built.append((str(ev.root), ev.version, pause)))
    ev = load_evidence(DATA, validate=False)
    warmup.warm_in_background.clear()
    first = warmup.warm_in_background(str(ev.root), ev.version, ev)
    assert isinstance(first, threading.Thread) and first.daemon
    first.join(timeout=30)
    assert warmup.warm_in_background(str(ev.root), ev.version, ev) is first  # not started again
    second = warmup.warm_in_background(str(ev.root), "another-version", ev)  # a saved edit: a new data version
    assert second is not first
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
        assert warmup.warm_views(object(), ["da", "nb"]) == 4
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
