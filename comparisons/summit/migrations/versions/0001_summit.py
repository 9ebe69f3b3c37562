"""The summit: events, participants, answers, write times (rate limit) and the suggestion queue.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "summit_participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("summit_event.id", ondelete="CASCADE"), nullable=False),
        sa.Column("handle", sa.String(80), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("event_id", "handle", name="uq_summit_participant_handle"),
    )
    op.create_table(
        "summit_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("summit_event.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("summit_participant.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question_id", sa.String(60), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("certainty", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("comment_hidden", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("participant_id", "question_id", name="uq_summit_answer_participant_question"),
    )
    op.create_index("ix_summit_answer_event_question", "summit_answer", ["event_id", "question_id"])
    op.create_table(
        "summit_write",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("summit_participant.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_summit_write_participant_at", "summit_write", ["participant_id", "at"])
    op.create_table(
        "summit_suggestion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("summit_event.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("summit_participant.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(60), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("record", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_summit_suggestion_event_status", "summit_suggestion", ["event_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_summit_suggestion_event_status", table_name="summit_suggestion")
    op.drop_table("summit_suggestion")
    op.drop_index("ix_summit_write_participant_at", table_name="summit_write")
    op.drop_table("summit_write")
    op.drop_index("ix_summit_answer_event_question", table_name="summit_answer")
    op.drop_table("summit_answer")
    op.drop_table("summit_participant")
    op.drop_table("summit_event")
