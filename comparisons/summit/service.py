"""What organisers and participants do with a summit, each as one short transaction.

- An event has a short code and a title; a closed event takes no answers and no suggestions.
- A participant is a display name and a handle (see models.Participant); no account.
- One answer per participant and question: answering again replaces it, in one INSERT .. ON CONFLICT DO UPDATE, so
  two requests at once (two app servers, a double click) can neither double nor lose an answer.
- A participant writes at most RATE_LIMIT times in RATE_WINDOW (answers and suggestions), counted in the database
  so that every app server sees the same count.
- Names, titles, comments and suggestions are limited in length and stored as plain text (control characters
  removed); whoever shows them shows them as plain text.
Times are naive UTC. Errors are SummitError with an English message and a msgid for the page to translate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from comparisons.i18n import N_
from comparisons.summit.db import SummitDB
from comparisons.summit.models import Answer, Event, Participant, Suggestion, Write
from comparisons.summit.questions import SINGLE, Catalogue

MAX_CODE = 16
MAX_TITLE = 120
MAX_NAME = 60
MAX_COMMENT = 500
MAX_SUGGESTION = 300
MAX_URL = 500
MAX_REASON = 300
RATE_LIMIT = 10  # writes (answers and suggestions) per participant ...
RATE_WINDOW = timedelta(seconds=60)  # ... in this long
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}$")
CERTAINTY: dict[int, str] = {1: N_("Unsure"), 2: N_("Fairly sure"), 3: N_("Sure")}
SUGGESTION_KINDS: dict[str, str] = {
    "actor": N_("A Danish actor"),
    "initiative": N_("A Danish initiative"),
    "figure": N_("A figure"),
}
STATUSES = ("pending", "accepted", "rejected")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


class SummitError(Exception):
    """A request the summit refuses. `msgid` and `params` let a page say it in the reader's language."""

    msgid = N_("The request was refused.")
    PARTS = ("what", "why")  # params that are msgids themselves (formatted with the other params)

    def __init__(self, **params: object) -> None:
        self.params = params
        super().__init__(self.translated(str))

    def translated(self, _: Callable[[str], str]) -> str:
        """The message in a language (`_` of comparisons.i18n.gettext_for; `str` gives English)."""
        parts = {k: _(str(v)).format(**self.params) for k, v in self.params.items() if k in self.PARTS}
        return _(self.msgid).format(**{**self.params, **parts})


class UnknownEvent(SummitError):
    msgid = N_("There is no event with the code {code}.")


class EventClosed(SummitError):
    msgid = N_("The event {code} is closed and takes no more answers.")


class DuplicateEvent(SummitError):
    msgid = N_("An event with the code {code} exists already.")


class UnknownQuestion(SummitError):
    msgid = N_("There is no question {question}.")


class UnknownOption(SummitError):
    msgid = N_("Question {question} has no option {option}.")


class InvalidInput(SummitError):
    msgid = N_("{what} cannot be used: {why}.")


class RateLimited(SummitError):
    msgid = N_("Too many answers in a minute; please wait {seconds} seconds and try again.")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def plain_text(value: object, limit: int, what: str, *, required: bool = False, lines: bool = False) -> str:
    """Text as stored: Unicode NFC, control and direction characters removed, spaces trimmed (and collapsed, unless
    `lines`); InvalidInput when empty but required, or longer than `limit`."""
    raw = unicodedata.normalize("NFC", "" if value is None else str(value))
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if lines:
        cleaned = "\n".join(" ".join(_CONTROL.sub("", line).split()) for line in raw.split("\n")).strip()
        cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    else:
        cleaned = " ".join(_CONTROL.sub("", raw.replace("\n", " ")).split())
    if required and not cleaned:
        raise InvalidInput(what=what, why=N_("it is empty"))
    if len(cleaned) > limit:
        raise InvalidInput(what=what, why=N_("it is longer than {limit} characters"), limit=limit)
    return cleaned


def event_code(value: object) -> str:
    """An event code as stored: upper case, letters, digits and hyphens, 2 to 16 characters."""
    code = plain_text(value, MAX_CODE, N_("The event code"), required=True).upper()
    if not CODE_PATTERN.match(code):
        raise InvalidInput(what=N_("The event code"), why=N_("use 2 to 16 letters, digits or hyphens"))
    return code


def source_url(value: object) -> str:
    url = plain_text(value, MAX_URL, N_("The source link"), required=True)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        raise InvalidInput(what=N_("The source link"), why=N_("give a web address starting with https:// or http://"))
    return url


# --- records returned (plain values, never ORM objects bound to a session) ----------------------------------------


@dataclass(frozen=True)
class EventInfo:
    code: str
    title: str
    created_at: datetime
    closed_at: datetime | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class AnswerRecord:
    answer_id: int
    participant: str
    question_id: str
    choices: tuple[str, ...]
    certainty: int
    comment: str
    comment_hidden: bool
    revision: int
    updated_at: datetime


@dataclass(frozen=True)
class SuggestionRecord:
    suggestion_id: int
    event: str
    participant: str
    kind: str
    text: str
    url: str
    status: str
    reason: str
    decided_by: str
    decided_at: datetime | None
    record: str
    created_at: datetime


def _event_info(row: Event) -> EventInfo:
    return EventInfo(row.code, row.title, row.created_at, row.closed_at)


# --- events -------------------------------------------------------------------------------------------------------


def _event(session: Session, code: str, *, share_lock: bool = False) -> Event:
    query = select(Event).where(Event.code == event_code(code))
    if share_lock:  # answers hold the event row shared, a close holds it exclusively: no answer after a close
        query = query.with_for_update(read=True)
    row = session.scalars(query).one_or_none()
    if row is None:
        raise UnknownEvent(code=str(code).strip().upper())
    return row


def create_event(db: SummitDB, code: str, title: str, now: datetime | None = None) -> EventInfo:
    code = event_code(code)
    title = plain_text(title, MAX_TITLE, N_("The title"), required=True)
    with db.writing() as session:
        if session.scalars(select(Event.id).where(Event.code == code)).first() is not None:
            raise DuplicateEvent(code=code)
        row = Event(code=code, title=title, created_at=now or utcnow(), closed_at=None)
        session.add(row)
        session.flush()
        return _event_info(row)


def event_info(db: SummitDB, code: str) -> EventInfo:
    with db.reading() as session:
        return _event_info(_event(session, code))


def events(db: SummitDB) -> list[EventInfo]:
    with db.reading() as session:
        return [_event_info(e) for e in session.scalars(select(Event).order_by(Event.created_at, Event.id))]


def close_event(db: SummitDB, code: str, now: datetime | None = None) -> EventInfo:
    """Close the event (closing a closed event keeps its first closing time)."""
    with db.writing() as session:
        row = session.scalars(select(Event).where(Event.code == event_code(code)).with_for_update()).one_or_none()
        if row is None:
            raise UnknownEvent(code=str(code).strip().upper())
        if row.closed_at is None:
            row.closed_at = now or utcnow()
        return _event_info(row)


# --- participants and their writes --------------------------------------------------------------------------------


def _insert(session: Session) -> Any:  # the dialect's INSERT, which has on_conflict_do_update
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _participant(session: Session, event: Event, handle: str, name: str, now: datetime) -> int:
    """The participant's id, created on first use; a new display name replaces the old one."""
    handle = plain_text(handle, 80, N_("The participant"), required=True)
    insert = _insert(session)
    stmt = insert(Participant).values(event_id=event.id, handle=handle, name=name, created_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["event_id", "handle"], set_={"name": stmt.excluded.name})
    return int(session.execute(stmt.returning(Participant.id)).scalar_one())


def _open_event(session: Session, code: str) -> Event:
    event = _event(session, code, share_lock=True)
    if event.closed_at is not None:
        raise EventClosed(code=event.code)
    return event


def _count_write(session: Session, participant_id: int, now: datetime) -> None:
    """Record a write, or raise RateLimited when the participant has written RATE_LIMIT times in the window."""
    since = now - RATE_WINDOW
    session.execute(delete(Write).where(Write.participant_id == participant_id, Write.at <= since))
    recent = session.scalars(
        select(Write.at).where(Write.participant_id == participant_id, Write.at > since).order_by(Write.at)
    ).all()
    if len(recent) >= RATE_LIMIT:
        wait = max(1, int((recent[0] + RATE_WINDOW - now).total_seconds()) + 1)
        raise RateLimited(seconds=wait)
    session.add(Write(participant_id=participant_id, at=now))


def cli_handle(name: str) -> str:
    """The handle of a participant named on the command line: the same name is the same participant."""
    return "name:" + plain_text(name, MAX_NAME, N_("The name"), required=True).casefold()


# --- answers --------------------------------------------------------------------------------------------------------


def check_choices(rules: Catalogue, question_id: str, choices: Sequence[str]) -> tuple[str, ...]:
    """The choices as stored, or the error: an unknown question or option, a repeated option, too many or none."""
    rule = rules.get(question_id)
    if rule is None:
        raise UnknownQuestion(question=question_id)
    picked = tuple(str(c).strip() for c in choices if str(c).strip())
    for option in picked:
        if option not in rule.options:
            raise UnknownOption(question=question_id, option=option)
    if not picked:
        raise InvalidInput(what=N_("The answer"), why=N_("choose at least one option"))
    if len(set(picked)) != len(picked):
        raise InvalidInput(what=N_("The answer"), why=N_("an option is chosen twice"))
    if len(picked) > rule.most:
        why = N_("choose one option") if rule.kind == SINGLE else N_("rank at most {most} options")
        raise InvalidInput(what=N_("The answer"), why=why, most=rule.most)
    return picked


def answer(
    db: SummitDB,
    code: str,
    handle: str,
    name: str,
    question_id: str,
    choices: Sequence[str],
    rules: Catalogue,
    certainty: int = 2,
    comment: str = "",
    now: datetime | None = None,
) -> AnswerRecord:
    """Store the participant's answer to a question, replacing an earlier one."""
    name = plain_text(name, MAX_NAME, N_("The name"), required=True)
    picked = check_choices(rules, question_id, choices)
    if certainty not in CERTAINTY:
        raise InvalidInput(what=N_("How sure"), why=N_("choose one of the levels offered"))
    comment = plain_text(comment, MAX_COMMENT, N_("The comment"), lines=True)
    now = now or utcnow()
    with db.writing() as session:
        event = _open_event(session, code)
        participant_id = _participant(session, event, handle, name, now)
        _count_write(session, participant_id, now)
        insert = _insert(session)
        stmt = insert(Answer).values(
            event_id=event.id,
            participant_id=participant_id,
            question_id=question_id,
            choices=list(picked),
            certainty=certainty,
            comment=comment,
            comment_hidden=False,
            revision=1,
            created_at=now,
            updated_at=now,
        )
        new = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=["participant_id", "question_id"],
            set_={
                "choices": new.choices,
                "certainty": new.certainty,
                "comment": new.comment,
                # A comment the organiser hid stays hidden while it is the same text.
                "comment_hidden": Answer.comment_hidden & (Answer.comment == new.comment),
                "revision": Answer.revision + 1,
                "updated_at": new.updated_at,
            },
        )
        answer_id = int(session.execute(stmt.returning(Answer.id)).scalar_one())
        row = session.get(Answer, answer_id, populate_existing=True)
        assert row is not None
        return AnswerRecord(
            row.id,
            name,
            row.question_id,
            tuple(row.choices),
            row.certainty,
            row.comment,
            row.comment_hidden,
            row.revision,
            row.updated_at,
        )


def answers(db: SummitDB, code: str, handle: str | None = None) -> list[AnswerRecord]:
    """Every answer of the event (or one participant's), by participant and question."""
    with db.reading() as session:
        event = _event(session, code)
        query = (
            select(Answer, Participant.name)
            .join(Participant, Participant.id == Answer.participant_id)
            .where(Answer.event_id == event.id)
            .order_by(Participant.id, Answer.question_id)
        )
        if handle is not None:
            query = query.where(Participant.handle == handle)
        return [
            AnswerRecord(
                a.id,
                name,
                a.question_id,
                tuple(a.choices),
                a.certainty,
                a.comment,
                a.comment_hidden,
                a.revision,
                a.updated_at,
            )
            for a, name in session.execute(query)
        ]


def participant_name(db: SummitDB, code: str, handle: str) -> str | None:
    """The display name of the participant with this handle, or None when it has not answered yet."""
    with db.reading() as session:
        event = _event(session, code)
        return session.scalar(
            select(Participant.name).where(Participant.event_id == event.id, Participant.handle == handle)
        )


def participant_count(db: SummitDB, code: str) -> int:
    with db.reading() as session:
        event = _event(session, code)
        return int(session.scalar(select(func.count(Participant.id)).where(Participant.event_id == event.id)) or 0)


def hide_comment(db: SummitDB, code: str, answer_id: int, hidden: bool = True) -> None:
    """Hide (or show again) the comment of one answer; the comment itself is kept."""
    with db.writing() as session:
        event = _event(session, code)
        done = session.execute(
            update(Answer).where(Answer.id == answer_id, Answer.event_id == event.id).values(comment_hidden=hidden)
        )
        if not getattr(done, "rowcount", 0):
            raise InvalidInput(what=N_("The answer"), why=N_("it is not in this event"))


# --- suggestions ----------------------------------------------------------------------------------------------------


def suggest(
    db: SummitDB, code: str, handle: str, name: str, kind: str, text: str, url: str, now: datetime | None = None
) -> SuggestionRecord:
    """Queue a suggestion for a curator; nothing reaches the evidence base until one accepts it."""
    name = plain_text(name, MAX_NAME, N_("The name"), required=True)
    if kind not in SUGGESTION_KINDS:
        raise InvalidInput(what=N_("The kind"), why=N_("choose one of the kinds offered"))
    text = plain_text(text, MAX_SUGGESTION, N_("The suggestion"), required=True)
    url = source_url(url)
    now = now or utcnow()
    with db.writing() as session:
        event = _open_event(session, code)
        participant_id = _participant(session, event, handle, name, now)
        _count_write(session, participant_id, now)
        row = Suggestion(
            event_id=event.id,
            participant_id=participant_id,
            kind=kind,
            text=text,
            url=url,
            status="pending",
            reason="",
            decided_by="",
            decided_at=None,
            record="",
            created_at=now,
        )
        session.add(row)
        session.flush()
        return SuggestionRecord(row.id, event.code, name, kind, text, url, "pending", "", "", None, "", now)


def suggestions(db: SummitDB, code: str | None = None, status: str | None = None) -> list[SuggestionRecord]:
    """The queue: every suggestion (of one event, in one status), oldest first."""
    with db.reading() as session:
        query = (
            select(Suggestion, Participant.name, Event.code)
            .join(Participant, Participant.id == Suggestion.participant_id)
            .join(Event, Event.id == Suggestion.event_id)
            .order_by(Suggestion.created_at, Suggestion.id)
        )
        if code is not None:
            query = query.where(Suggestion.event_id == _event(session, code).id)
        if status is not None:
            query = query.where(Suggestion.status == status)
        return [
            SuggestionRecord(
                s.id,
                ev,
                name,
                s.kind,
                s.text,
                s.url,
                s.status,
                s.reason,
                s.decided_by,
                s.decided_at,
                s.record,
                s.created_at,
            )
            for s, name, ev in session.execute(query)
        ]


def decide(
    db: SummitDB,
    suggestion_id: int,
    status: str,
    who: str,
    reason: str = "",
    record: str = "",
    now: datetime | None = None,
) -> None:
    """Mark a pending suggestion accepted (with where it went) or rejected (with a reason)."""
    if status not in ("accepted", "rejected"):
        raise InvalidInput(what=N_("The decision"), why=N_("accept or reject"))
    who = plain_text(who, MAX_NAME, N_("The curator's name"), required=True)
    reason = plain_text(reason, MAX_REASON, N_("The reason"), required=status == "rejected")
    with db.writing() as session:
        row = session.get(Suggestion, suggestion_id, with_for_update=True)
        if row is None or row.status != "pending":
            raise InvalidInput(what=N_("The suggestion"), why=N_("it was decided already"))
        row.status, row.reason, row.decided_by, row.decided_at = status, reason, who, now or utcnow()
        row.record = record[:200]
