"""The summit's service on SQLite and PostgreSQL: events, one answer per participant and question, validation
against the evidence's options, closed events, the rate limit, plain-text input, hidden comments, suggestions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from comparisons.summit import service
from comparisons.summit.db import SummitDB
from tests.summit.conftest import rules

T0 = datetime(2026, 9, 9, 9, 0, 0)


def _answer(db: SummitDB, who: str, question: str, options: list[str], at: datetime = T0, **kw) -> service.AnswerRecord:
    return service.answer(db, "CPH", service.cli_handle(who), who, question, options, rules(), now=at, **kw)


@pytest.fixture
def event(summit_db: SummitDB) -> SummitDB:
    service.create_event(summit_db, "cph", "Copenhagen summit", now=T0)
    return summit_db


def test_an_event_is_created_once_with_a_normalised_code(summit_db: SummitDB) -> None:
    made = service.create_event(summit_db, " cph-2026 ", "Copenhagen  summit", now=T0)
    assert (made.code, made.title, made.closed) == ("CPH-2026", "Copenhagen summit", False)
    assert service.event_info(summit_db, "Cph-2026") == made
    with pytest.raises(service.DuplicateEvent):
        service.create_event(summit_db, "CPH-2026", "again")
    for bad in ("x", "a b", "<script>", "toolongcode-123456", ""):
        with pytest.raises(service.InvalidInput):
            service.create_event(summit_db, bad, "t")
    with pytest.raises(service.UnknownEvent):
        service.event_info(summit_db, "NOPE")
    assert [e.code for e in service.events(summit_db)] == ["CPH-2026"]


def test_answering_again_replaces_the_answer(event: SummitDB) -> None:
    first = _answer(event, "Anne", "owners", ["kl", "di"], comment="KL first")
    second = _answer(event, "Anne", "owners", ["di"], at=T0 + timedelta(seconds=5), certainty=3)
    assert second.answer_id == first.answer_id and second.revision == 2
    stored = service.answers(event, "CPH")
    assert len(stored) == 1
    assert (stored[0].choices, stored[0].certainty, stored[0].comment) == (("di",), 3, "")
    _answer(event, "anne", "funding", ["copi-level"])  # the same name in another case is the same participant
    assert service.participant_count(event, "CPH") == 1
    assert {a.question_id for a in service.answers(event, "CPH", service.cli_handle("ANNE"))} == {"owners", "funding"}


def test_answers_are_checked_against_the_questions_options(event: SummitDB) -> None:
    with pytest.raises(service.UnknownQuestion):
        _answer(event, "Anne", "nope", ["kl"])
    with pytest.raises(service.UnknownOption):
        _answer(event, "Anne", "owners", ["kl", "nobody"])
    with pytest.raises(service.InvalidInput, match="choose one option"):
        _answer(event, "Anne", "secretariat", ["co-pi", "di"])
    with pytest.raises(service.InvalidInput, match="at most 3"):
        _answer(event, "Anne", "owners", ["kl", "di", "kfst", "ufm"])
    with pytest.raises(service.InvalidInput, match="twice"):
        _answer(event, "Anne", "owners", ["kl", "kl"])
    with pytest.raises(service.InvalidInput):
        _answer(event, "Anne", "owners", [])
    with pytest.raises(service.InvalidInput):
        _answer(event, "Anne", "owners", ["kl"], certainty=7)
    assert service.answers(event, "CPH") == []  # nothing refused was stored
    assert service.participant_count(event, "CPH") == 0


def test_a_closed_event_takes_no_answers_and_no_suggestions(event: SummitDB) -> None:
    _answer(event, "Anne", "owners", ["kl"])
    closed = service.close_event(event, "cph", now=T0 + timedelta(hours=1))
    assert closed.closed and closed.closed_at == T0 + timedelta(hours=1)
    assert service.close_event(event, "CPH").closed_at == closed.closed_at  # the first closing time stays
    with pytest.raises(service.EventClosed):
        _answer(event, "Anne", "owners", ["di"])
    with pytest.raises(service.EventClosed):
        service.suggest(event, "CPH", "name:anne", "Anne", "actor", "X", "https://example.org")
    assert [a.choices for a in service.answers(event, "CPH")] == [("kl",)]


def test_a_participant_writes_at_most_the_rate_limit_in_a_minute(event: SummitDB) -> None:
    questions = list(rules())
    for i in range(service.RATE_LIMIT):
        _answer(
            event,
            "Anne",
            questions[i % len(questions)],
            [rules()[questions[i % len(questions)]].options[0]],
            at=T0 + timedelta(seconds=i),
        )
    with pytest.raises(service.RateLimited) as refused:
        _answer(event, "Anne", "owners", ["kl"], at=T0 + timedelta(seconds=30))
    assert 1 <= int(str(refused.value.params["seconds"])) <= 60
    _answer(event, "Bo", "owners", ["kl"], at=T0 + timedelta(seconds=30))  # others are not held up
    _answer(event, "Anne", "owners", ["kl"], at=T0 + timedelta(seconds=61))  # a minute later she may again


def test_names_and_comments_are_plain_limited_text(event: SummitDB) -> None:
    record = _answer(event, "  Anne\u202e\x07 <b>Hansen</b> ", "owners", ["kl"], comment="line one\r\n\r\n\r\n\x00two")
    assert record.participant == "Anne <b>Hansen</b>"  # kept as text, shown as text; controls and bidi removed
    assert record.comment == "line one\n\ntwo"
    with pytest.raises(service.InvalidInput):
        _answer(event, "x" * (service.MAX_NAME + 1), "owners", ["kl"])
    with pytest.raises(service.InvalidInput):
        _answer(event, "Anne", "owners", ["kl"], comment="y" * (service.MAX_COMMENT + 1))
    with pytest.raises(service.InvalidInput):
        _answer(event, "   ", "owners", ["kl"])


def test_a_hidden_comment_is_kept_and_stays_hidden_until_it_changes(event: SummitDB) -> None:
    first = _answer(event, "Anne", "owners", ["kl"], comment="rude words")
    service.hide_comment(event, "CPH", first.answer_id)
    again = _answer(event, "Anne", "owners", ["di"], comment="rude words")
    assert again.comment_hidden and again.comment == "rude words"
    edited = _answer(event, "Anne", "owners", ["di"], comment="kinder words")
    assert not edited.comment_hidden
    service.hide_comment(event, "CPH", edited.answer_id)
    service.hide_comment(event, "CPH", edited.answer_id, hidden=False)
    assert not service.answers(event, "CPH")[0].comment_hidden
    with pytest.raises(service.InvalidInput):
        service.hide_comment(event, "CPH", 99_999)


def test_suggestions_wait_in_a_queue_until_a_curator_decides(event: SummitDB) -> None:
    made = service.suggest(
        event, "CPH", "name:anne", "Anne", "actor", "Region Syddanmark", "https://regionsyddanmark.dk"
    )
    assert made.status == "pending"
    for kind, url in (("actor", "javascript:alert(1)"), ("actor", "regionsyddanmark.dk"), ("plan", "https://a.dk")):
        with pytest.raises(service.InvalidInput):
            service.suggest(event, "CPH", "name:anne", "Anne", kind, "X", url)
    assert [s.text for s in service.suggestions(event, "CPH", "pending")] == ["Region Syddanmark"]
    with pytest.raises(service.InvalidInput):  # a rejection needs a reason
        service.decide(event, made.suggestion_id, "rejected", "Curator")
    service.decide(event, made.suggestion_id, "rejected", "Curator", reason="already in the register")
    assert service.suggestions(event, "CPH", "pending") == []
    decided = service.suggestions(event, "CPH")[0]
    assert (decided.status, decided.reason, decided.decided_by) == ("rejected", "already in the register", "Curator")
    with pytest.raises(service.InvalidInput):  # decided once
        service.decide(event, made.suggestion_id, "accepted", "Curator")
