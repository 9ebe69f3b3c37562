"""The app never shows a traceback: broken data and hostile links give clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import REPO, TIMEOUT, all_text
from tests.minimal_data import edit_csv, write_minimal_root


def _app(lang: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


@pytest.mark.parametrize("lang", ["nb", "da", "en"])
def test_broken_data_gives_a_clear_message_not_a_traceback(tmp_path: Path, monkeypatch, lang: str) -> None:
    root = write_minimal_root(tmp_path / "data")

    def edit(rows):
        rows[0]["value"] = "not a number"
        rows[1]["source_id"] = "missing-source"

    edit_csv(root / "norway" / "facts.csv", edit)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    at = _app(lang)
    assert not at.exception
    assert len(at.error) == 1
    table = at.dataframe[0].value
    located = {(f, r, c) for f, r, c in zip(table.iloc[:, 0], table.iloc[:, 1], table.iloc[:, 2], strict=True)}
    assert ("norway/facts.csv", 2, "value") in located
    assert ("norway/facts.csv", 3, "source_id") in located
    assert not at.metric  # no figures from a broken evidence base


def test_missing_data_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LUP_DATA_DIR", str(tmp_path / "nowhere"))
    at = _app()
    assert not at.exception
    assert at.error and "problem" in at.error[0].value


def test_hostile_parameters_fall_back_to_defaults(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LUP_DATA_DIR", str(write_minimal_root(tmp_path / "data")))
    at = _app("xx", currency="<script>alert(1)</script>", year="abc")
    assert not at.exception
    assert list(at.query_params["lang"]) == ["en"] or at.query_params["lang"] == "en"
    assert at.toast and "lang" in at.toast[0].value
    assert "<script>" not in all_text(at)


def test_overview_on_minimal_data_shows_figures_and_not_found(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LUP_DATA_DIR", str(write_minimal_root(tmp_path / "data")))
    at = _app("da")
    assert not at.exception
    values = [m.value for m in at.metric]
    assert "334\u00a0mio.\u00a0NOK" in values
    assert "ikke fundet" in values


@pytest.mark.legacy_routing
def test_first_session_deep_link_still_runs_the_app_frame() -> None:
    """A fresh server's first session routes /actors through Streamlit's legacy pages/ routing; the guard reruns
    it through app.py, so the page keeps its language, sidebar and navigation."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "da"
    at.run()
    at.switch_page("pages/actors.py").run()
    assert not at.exception
    assert at.session_state["lang"] == "da"
    assert [s.label for s in at.sidebar.selectbox] == ["Språk · Sprog · Language"]
    assert at.title[0].value == "Danske aktører og initiativer"


def test_the_sidebar_pages_are_made_once_per_session_and_language() -> None:
    """ui.nav keeps the session's st.Page objects between reruns; a change of language makes them anew, so the
    sidebar's links carry the new language's titles."""
    from comparisons.i18n import gettext_for
    from ui.nav import PAGES, PAGES_KEY

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "nb"
    at.run()
    pages = at.session_state[PAGES_KEY][1]
    at.run()
    assert at.session_state[PAGES_KEY][1] is pages  # reused, not made again
    at.sidebar.selectbox[0].select("da").run()
    assert not at.exception
    danish = at.session_state[PAGES_KEY][1]
    assert danish is not pages
    _ = gettext_for("da")
    assert [p.title for p in danish] == [_(spec.title) for spec in PAGES]
    assert _(PAGES[0].title) != PAGES[0].title  # translated, so a stale list would show
    assert [link.proto.label for link in at.sidebar.get("page_link")] == [p.title for p in danish]


def test_sessions_get_their_own_copies_of_pages_made_once_per_language(monkeypatch) -> None:
    """st.Page objects are made once per process and language and copied for each session: a session's copy is its
    own (st.navigation marks the page it returns as runnable once), and a new session makes none."""
    import streamlit as st

    from ui import nav

    made: list[str] = []
    real = st.Page

    def counting(*args, **kwargs):
        made.append(str(args[0]))
        return real(*args, **kwargs)

    first = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    first.query_params["lang"] = "nb"
    first.run()
    monkeypatch.setattr(nav.st, "Page", counting)
    second = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    second.query_params["lang"] = "nb"
    second.run()
    assert not second.exception and made == []  # the Norwegian pages were made for the first session
    mine, theirs = first.session_state[nav.PAGES_KEY][1], second.session_state[nav.PAGES_KEY][1]
    assert all(
        a is not b and a.url_path == b.url_path and a.title == b.title for a, b in zip(mine, theirs, strict=True)
    )
