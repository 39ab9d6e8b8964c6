"""after the invitation: the organisation's personal link, its answers, and the dialogue record

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 02:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "portal_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", name=op.f("fk_portal_links_case_id_cases")), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=True),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("revoked_at", MOMENT, nullable=True),
        sa.Column("revoked_by", sa.String(255), nullable=True),
        sa.Column("last_used_at", MOMENT, nullable=True),
        sa.Column("window_started_at", MOMENT, nullable=True),
        sa.Column("window_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_links")),
    )
    op.create_index(op.f("ix_portal_links_case_id"), "portal_links", ["case_id"])
    op.create_table(
        "dialogue_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", name=op.f("fk_dialogue_answers_case_id_cases")), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=False),
        sa.Column("does_today", sa.Text(), nullable=True),
        sa.Column("could_contribute", sa.Text(), nullable=True),
        sa.Column("link_id", sa.Integer(), sa.ForeignKey("portal_links.id", name=op.f("fk_dialogue_answers_link_id_portal_links")),
                  nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_answers")),
        sa.UniqueConstraint("case_id", "area_code", name="uq_dialogue_answers_case_area"),
    )
    op.create_index(op.f("ix_dialogue_answers_case_id"), "dialogue_answers", ["case_id"])
    op.create_table(
        "dialogue_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", name=op.f("fk_dialogue_records_case_id_cases")), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_records")),
        sa.UniqueConstraint("case_id", name=op.f("uq_dialogue_records_case_id")),
    )
    op.create_table(
        "dialogue_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", name=op.f("fk_dialogue_entries_case_id_cases")), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=False),
        sa.Column("does_today", sa.Text(), nullable=True),
        sa.Column("commits_to", sa.Text(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("good_example", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_entries")),
        sa.UniqueConstraint("case_id", "area_code", name="uq_dialogue_entries_case_area"),
    )
    op.create_index(op.f("ix_dialogue_entries_case_id"), "dialogue_entries", ["case_id"])
    op.create_index(op.f("ix_dialogue_entries_follow_up_on"), "dialogue_entries", ["follow_up_on"])


def downgrade() -> None:
    op.drop_table("dialogue_entries")
    op.drop_table("dialogue_records")
    op.drop_table("dialogue_answers")
    op.drop_table("portal_links")
