"""The summit in a real browser: participants answer on a phone-sized and a laptop-sized window, the organiser
view shows the new counts after a refresh, and the decision pack built there has them in "What the summit said".

One server for the module, with its own SQLite summit database and a private copy of the data, and editing on
(the organiser view is shown where editing is on).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from comparisons.i18n import gettext_for
from comparisons.summit import db as summit_db
from comparisons.summit import service
from tests.browser import SCREENSHOTS, assert_no_error, full_screenshot, wait_for_app
from tests.browser.conftest import Server, _start_server, _stop
from tests.helpers import copy_data

pytestmark = pytest.mark.browser
EVENT = "BRW-1"


@pytest.fixture(scope="module")
def summit_server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp("summit")
    url = f"sqlite:///{folder / 'summit.sqlite'}"
    db = summit_db.open_db(url)
    service.create_event(db, EVENT, "Browser summit")
    root = copy_data(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(summit_db.ENV_URL, url)
        mp.setenv("LUP_DATA_DIR", str(root))
        mp.setenv("LUP_EDITING", "1")
        mp.setattr("ui.editing.ENV_VAR", "LUP_EDITING_NOT_PINNED")  # see test_readonly_browser.py
        srv = _start_server(tmp_path_factory.mktemp("streamlit-summit"))
    try:
        yield srv, url
    finally:
        _stop(srv.proc)
        summit_db.forget(url)


def _open(browser, server: Server, width: int, height: int, lang: str):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US", accept_downloads=True)
    context.route(lambda u: not u.startswith(server.base_url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server.base_url}/options?event={EVENT}&lang={lang}")
    wait_for_app(page)
    assert_no_error(page, server, "opening the event")
    return context, page


def _answer(page, server: Server, lang: str, name: str, prompt: str, option: str) -> None:
    _ = gettext_for(lang)
    name_box = page.get_by_role("textbox", name=_("Your name as others will see it"))
    name_box.fill(name)
    name_box.press("Enter")
    wait_for_app(page)
    form = page.locator('[data-testid="stForm"]').filter(has_text=_(prompt))
    form.scroll_into_view_if_needed()
    form.locator('[data-testid="stRadio"]').first.get_by_text(option, exact=True).click()
    form.get_by_role("button", name=_("Save my answer")).click()
    wait_for_app(page)
    assert_no_error(page, server, f"answering {prompt!r}")
    page.get_by_text(_("Saved. Your answer replaces any earlier one to this question.")).wait_for()
    page.get_by_text(_("What the room thinks so far")).first.wait_for()


@pytest.mark.parametrize(
    ("width", "height", "lang", "name", "prompt", "option"),
    [
        (
            390,
            844,
            "da",
            "Anne",
            "Pick the body that should host the programme office.",
            "CO-PI (Center for Offentlig-Privat Innovation)",
        ),
        (1280, 800, "nb", "Bo", "Pick the body that should host the programme office.", "DI – Dansk Industri"),
    ],
    ids=["phone", "laptop"],
)
def test_a_participant_answers(browser, summit_server, width, height, lang, name, prompt, option) -> None:  # fmt: skip
    server, url = summit_server
    context, page = _open(browser, server, width, height, lang)
    try:
        _answer(page, server, lang, name, prompt, option)
        full_screenshot(page, SCREENSHOTS / f"summit-participant-{lang}-{width}.png")
        assert "p=" in page.url  # the participant is kept in the link
        stored = {a.participant: a.choices for a in service.answers(summit_db.open_db(url), EVENT)}
        assert stored[name] == ({"Anne": "co-pi", "Bo": "di"}[name],)
    finally:
        context.close()


def test_the_organiser_sees_the_new_count_after_a_refresh_and_the_pack_has_it(browser, summit_server) -> None:
    server, url = summit_server
    context, page = _open(browser, server, 1280, 900, "en")
    try:
        metrics = page.locator('[data-testid="stMetric"]')
        before = dict(zip(metrics.locator('[data-testid="stMetricLabel"]').all_inner_texts(), metrics.locator('[data-testid="stMetricValue"]').all_inner_texts(), strict=True))  # fmt: skip
        count = len(service.answers(summit_db.open_db(url), EVENT))
        assert before["Answers"] == str(count)
        # Another participant answers (through the service, as another app server would), then a refresh.
        service.answer(summit_db.open_db(url), EVENT, "name:cai", "Cai", "funding", ["copi-level"], _rules())
        page.reload()
        wait_for_app(page)
        after = dict(zip(metrics.locator('[data-testid="stMetricLabel"]').all_inner_texts(), metrics.locator('[data-testid="stMetricValue"]').all_inner_texts(), strict=True))  # fmt: skip
        assert after["Answers"] == str(count + 1)
        assert int(after["Participants"]) == int(before["Participants"]) + 1
        page.get_by_role("button", name="Build the decision pack with what the summit said").click()
        wait_for_app(page)
        assert_no_error(page, server, "building the pack")
        with page.expect_download() as download:
            page.get_by_role("button", name="Workbook (XLSX)").last.click()
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        rows = list(book["What the summit said"].iter_rows(min_row=3, values_only=True))
        funding = {r[2]: r for r in rows if r[0] == "How much public funding a year?"}
        copi = funding["CO-PI's level: the annual amount of the economic agreements"]
        assert (copi[1], copi[4], copi[6]) == (1, 1, 1)  # first place, one first choice, one answer to the question
        secretariat = {r[2]: r[4] for r in rows if r[0] == "Where should its secretariat sit?"}
        assert secretariat["CO-PI (Center for Offentlig-Privat Innovation)"] >= 1
        full_screenshot(page, SCREENSHOTS / "summit-organiser-en-1280.png")
    finally:
        context.close()


def _rules():
    from tests.summit.conftest import rules

    return rules()
