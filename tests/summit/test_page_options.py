"""The Options page (AppTest) in every language: the evidence without an event, a participant answering with an
event link (the answer stored, the room's view shown only after answering, a change replacing the answer), closed
and unknown events, and the organiser view only where editing is on or with the organiser key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from comparisons.i18n import gettext_for
from comparisons.summit import db as summit_db
from comparisons.summit import questions as qs
from comparisons.summit import service
from tests.helpers import LANGS, all_text, open_page, shipped_evidence
from tests.summit.conftest import rules

PAGE = "options"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[summit_db.SummitDB]:
    """A private SQLite summit database for the app under test, with an open event CPH."""
    url = f"sqlite:///{tmp_path / 'summit.sqlite'}"
    monkeypatch.setenv(summit_db.ENV_URL, url)
    monkeypatch.setenv("LUP_EDITING", "0")
    db = summit_db.open_db(url)
    service.create_event(db, "CPH", "Copenhagen summit")
    yield db
    summit_db.forget(url)


def _form(at: AppTest, question: str, choices: list[str], comment: str = "") -> AppTest:
    spec = qs.spec_of(question)
    if spec.kind == qs.SINGLE:
        at.radio(key=f"opt-pick-{question}").set_value(choices[0])
    else:
        at.multiselect(key=f"opt-rank-{question}").set_value(choices)
    at.radio(key=f"opt-sure-{question}").set_value(3)
    at.text_area(key=f"opt-comment-{question}").set_value(comment)
    submit = next(b for b in at.button if b.proto.form_id == f"opt-form-{question}")
    return submit.click().run()


@pytest.mark.parametrize("lang", LANGS)
def test_the_options_without_an_event_need_no_database(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(summit_db.ENV_URL, f"sqlite:///{tmp_path / 'never.sqlite'}")
    monkeypatch.setenv("LUP_EDITING", "0")
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    assert not at.exception and not at.error
    assert at.title[0].value == _("Options for a Danish LUP")
    assert [h.value for h in at.header] == [_(q.title) for q in qs.QUESTIONS]
    assert not (tmp_path / "never.sqlite").exists()  # reading the options never touches the database
    assert not at.get("form") and not at.text_input
    # Every option of every question is in its table, and the funding options carry the What-if's outcome.
    tables = [df.value for df in at.dataframe]
    assert len(tables) >= 2 * len(qs.QUESTIONS)
    shown = "\n".join(str(v) for frame in tables for v in frame.to_numpy().ravel())
    assert _("Break-even year") in {c for frame in tables for c in frame.columns}
    for q in qs.questions(shipped_evidence(), lang):
        for option in q.options:
            assert option.label in shown, (q.id, option.id)
    assert _("Organiser") not in all_text(at)


def test_a_participant_answers_and_then_sees_the_room(database: summit_db.SummitDB) -> None:
    service.answer(database, "CPH", service.cli_handle("Bo"), "Bo", "secretariat", ["di"], rules())
    at = open_page(PAGE, "en", {"event": "cph"})
    assert not at.exception and not at.error
    assert "Copenhagen summit" in all_text(at)
    assert "What the room thinks so far" not in all_text(at)  # nothing of the room before answering
    at = _form(at, "secretariat", ["co-pi"])
    assert [e.value for e in at.error] == ["Give your name at the top of the page first."]
    assert service.answers(database, "CPH") and len(service.answers(database, "CPH")) == 1
    at.text_input(key="opt_name").set_value("Anne <b>")
    at = _form(at, "secretariat", ["co-pi"], comment="**bold?** <script>x</script>")
    assert not at.exception and not at.error
    handle = at.query_params["p"][0] if isinstance(at.query_params["p"], list) else at.query_params["p"]
    stored = {a.participant: a for a in service.answers(database, "CPH")}
    assert stored["Anne <b>"].choices == ("co-pi",) and stored["Anne <b>"].certainty == 3
    assert stored["Anne <b>"].comment == "**bold?** <script>x</script>"  # kept as written, shown as text only
    text = all_text(at)
    assert "What the room thinks so far" in text and "2 answers" in text
    room = next(df.value for df in at.dataframe if "Chosen by" in df.value.columns)
    assert dict(zip(room["Option"], room["Chosen by"], strict=True))["DI – Dansk Industri"] == 1
    # Ranking: the order of choice is the order stored; answering again replaces.
    at = _form(at, "owners", ["kfst", "kl"])
    at = _form(at, "owners", ["kl", "kfst", "ufm"])
    mine = service.answers(database, "CPH", handle)
    assert {a.question_id: a.choices for a in mine} == {"secretariat": ("co-pi",), "owners": ("kl", "kfst", "ufm")}
    assert next(a for a in mine if a.question_id == "owners").revision == 2
    assert "<script>" not in "".join(m.value for m in at.markdown)  # no participant text reaches Markdown


def test_a_reload_with_the_link_keeps_the_participant(database: summit_db.SummitDB) -> None:
    service.answer(database, "CPH", "tok-123", "Anne", "funding", ["copi-level"], rules(), comment="enough")
    at = open_page(PAGE, "da", {"event": "CPH", "p": "tok-123"})
    assert not at.exception
    assert at.text_input(key="opt_name").value == "Anne"
    assert at.radio(key="opt-pick-funding").value == "copi-level"
    assert at.text_area(key="opt-comment-funding").value == "enough"
    assert gettext_for("da")("What the room thinks so far") in all_text(at)


def test_closed_and_unknown_events(database: summit_db.SummitDB) -> None:
    service.close_event(database, "CPH")
    at = open_page(PAGE, "nb", {"event": "CPH"})
    assert not at.exception and not at.get("form") and not at.text_input
    assert gettext_for("nb")("This event is closed; the answers are kept.") in all_text(at)
    at = open_page(PAGE, "en", {"event": "NOPE"})
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "The link names an event that does not exist. Check the link you were given."
    ]
    at = open_page(PAGE, "en", {"event": "<script>"})
    assert not at.exception and at.warning


def test_the_organiser_view_only_with_editing_or_the_key(
    database: summit_db.SummitDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.answer(database, "CPH", service.cli_handle("Bo"), "Bo", "owners", ["kl", "di"], rules(), comment="rude")
    at = open_page(PAGE, "en", {"event": "CPH"})
    assert "Organiser" not in [h.value for h in at.header]
    assert not any(t.proto.type == "password" for t in at.text_input)  # no key is set: nothing to enter
    monkeypatch.setenv("LUP_EDITING", "1")
    at = open_page(PAGE, "en", {"event": "CPH"})
    assert "Organiser" in [h.value for h in at.header]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Participants"], metrics["Answers"]) == ("1", "1")
    # Hiding a comment keeps it and marks it.
    assert any("Hidden" in df.value.columns for df in at.dataframe)  # the comments, with their Hidden box
    answer_id = service.answers(database, "CPH")[0].answer_id
    service.hide_comment(database, "CPH", answer_id)
    # Closing needs the confirmation.
    at.checkbox(key="opt-org-close-sure").check().run()
    at.button(key="opt-org-close").click().run()
    assert not at.exception
    assert service.event_info(database, "CPH").closed
    assert service.answers(database, "CPH")[0].comment == "rude"


def test_the_organiser_key_from_secrets_opens_the_organiser_view(database: summit_db.SummitDB) -> None:
    at = open_page(PAGE, "en", {"event": "CPH"})
    at.secrets["summit_organiser_key"] = "s3cret"
    at.run()
    key_input = next(t for t in at.text_input if t.key == "opt_organiser_key")
    key_input.set_value("wrong").run()
    assert "Organiser" not in [h.value for h in at.header]
    next(t for t in at.text_input if t.key == "opt_organiser_key").set_value("s3cret").run()
    assert not at.exception
    assert "Organiser" in [h.value for h in at.header]


def test_the_organiser_decides_suggestions_on_the_page(
    database: summit_db.SummitDB, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.helpers import copy_data

    root = copy_data(tmp_path)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    monkeypatch.setenv("LUP_EDITING", "1")
    made = service.suggest(
        database, "CPH", "name:bo", "Bo", "actor", "Region Syddanmark", "https://regionsyddanmark.dk"
    )
    at = open_page(PAGE, "en", {"event": "CPH"})
    assert "Region Syddanmark" in all_text(at) or any("Region Syddanmark" in str(e.label) for e in at.expander)
    at.button(key=f"opt-org-reject-{made.suggestion_id}").click().run()
    assert [e.value for e in at.error] == ["The curator's name cannot be used: it is empty."]
    at.text_input(key="opt_org_who").set_value("Curator").run()
    # The row as drafted lacks its id, kind and summaries: the store refuses and names the problems.
    before = (root / "denmark" / "actors.csv").read_bytes()
    at.button(key=f"opt-org-accept-{made.suggestion_id}").click().run()
    assert not at.exception
    assert any(e.value.startswith("Not saved: the change would give") for e in at.error)
    assert (root / "denmark" / "actors.csv").read_bytes() == before
    at.button(key=f"opt-org-reject-{made.suggestion_id}").click().run()
    assert [e.value for e in at.error] == ["The reason cannot be used: it is empty."]
    at.text_input(key=f"opt-org-reason-{made.suggestion_id}").set_value("Already in the register").run()
    at.button(key=f"opt-org-reject-{made.suggestion_id}").click().run()
    assert not at.exception and not at.error
    decided = service.suggestions(database, "CPH")[0]
    assert (decided.status, decided.reason, decided.decided_by) == ("rejected", "Already in the register", "Curator")
