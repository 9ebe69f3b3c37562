"""The summit's tables. Their schema is created and changed only by the Alembic migrations in migrations/; these
classes describe it for queries (tests/test_summit_db.py checks that the two agree)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Lengths the database holds; the service checks the user-facing limits (service.MAX_*) before a write.
CODE_LEN = 16
TITLE_LEN = 120
NAME_LEN = 60
HANDLE_LEN = 80
ID_LEN = 60
COMMENT_LEN = 500
URL_LEN = 500
SUGGESTION_LEN = 300


class Base(DeclarativeBase):
    pass


class Event(Base):
    __tablename__ = "summit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_LEN), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_LEN))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


class Participant(Base):
    """Someone answering, known only by a display name. `handle` tells participants apart: a random token kept in
    the participant's link (web), or "name:<name>" (command line)."""

    __tablename__ = "summit_participant"
    __table_args__ = (UniqueConstraint("event_id", "handle", name="uq_summit_participant_handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("summit_event.id", ondelete="CASCADE"))
    handle: Mapped[str] = mapped_column(String(HANDLE_LEN))
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    created_at: Mapped[datetime] = mapped_column(DateTime())


class Answer(Base):
    """One answer per participant and question: answering again replaces it (an upsert on the unique key)."""

    __tablename__ = "summit_answer"
    __table_args__ = (
        UniqueConstraint("participant_id", "question_id", name="uq_summit_answer_participant_question"),
        Index("ix_summit_answer_event_question", "event_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("summit_event.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("summit_participant.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(ID_LEN))
    choices: Mapped[Any] = mapped_column(JSON)  # option ids, most preferred first (one for a single pick)
    certainty: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    comment_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # 1 + how many times it was replaced
    created_at: Mapped[datetime] = mapped_column(DateTime())
    updated_at: Mapped[datetime] = mapped_column(DateTime())


class Write(Base):
    """When a participant wrote (an answer or a suggestion), for the rate limit; shared by every app server."""

    __tablename__ = "summit_write"
    __table_args__ = (Index("ix_summit_write_participant_at", "participant_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("summit_participant.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime())


class Suggestion(Base):
    """A Danish actor, initiative or figure a participant suggests, with a source link. It reaches the evidence
    base only when a curator accepts it (comparisons.summit.curation); until then it waits here."""

    __tablename__ = "summit_suggestion"
    __table_args__ = (Index("ix_summit_suggestion_event_status", "event_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("summit_event.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("summit_participant.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # actor, initiative, figure
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, accepted, rejected
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    record: Mapped[str] = mapped_column(String(200), default="")  # where an accepted one went: "actors/dk-xyz"
    created_at: Mapped[datetime] = mapped_column(DateTime())
