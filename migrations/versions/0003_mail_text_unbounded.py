"""mail text unbounded, Message-ID by hash, authentication results, contact status

Text that a stranger writes (names, titles, filenames, header values) must fit whatever
length they choose: on PostgreSQL those columns become TEXT. SQLite never enforced the
lengths, so there only the new columns and indexes are added.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:00:00

"""
import hashlib
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (table, column, old type, nullable) widened to TEXT on PostgreSQL.
WIDENED = (
    ("messages", "message_id", sa.String(998), True),
    ("messages", "sender", sa.String(255), True),
    ("attachments", "filename", sa.String(512), True),
    ("attachments", "declared_type", sa.String(255), False),
    ("attachments", "content_id", sa.String(255), True),
    ("contacts", "name", sa.String(255), True),
    ("contacts", "title", sa.String(255), True),
    ("contacts", "email", sa.String(255), True),
    ("contacts", "phone", sa.String(32), True),
    ("decisions", "filename", sa.String(512), True),
    ("decisions", "decided_by", sa.String(255), True),
    ("decisions", "paragraph", sa.String(32), True),
    ("decisions", "case_number", sa.String(64), True),
    ("organisations", "name", sa.String(255), False),
    ("organisations", "domain", sa.String(255), True),
    ("cases", "sender", sa.String(255), True),
    ("outgoing_mail", "in_reply_to", sa.String(998), True),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, column, old, nullable in WIDENED:
            op.alter_column(table, column, type_=sa.Text(), existing_type=old, existing_nullable=nullable)
    op.drop_index("ix_messages_message_id", table_name="messages")
    op.add_column("messages", sa.Column("message_id_hash", sa.String(length=64), nullable=True))
    op.add_column("messages", sa.Column("auth", sa.JSON(), nullable=True))
    op.create_index("ix_messages_message_id_hash", "messages", ["message_id_hash"], unique=False)
    op.add_column("contacts", sa.Column("status", sa.String(length=16), nullable=False, server_default="active"))
    _backfill_hashes(bind)


def _backfill_hashes(bind) -> None:
    messages = sa.table("messages", sa.column("id", sa.Integer), sa.column("message_id", sa.Text),
                        sa.column("message_id_hash", sa.String))
    rows = bind.execute(sa.select(messages.c.id, messages.c.message_id).where(messages.c.message_id.is_not(None))).all()
    for pk, message_id in rows:
        digest = hashlib.sha256(message_id.encode("utf-8", "surrogatepass")).hexdigest()
        bind.execute(messages.update().where(messages.c.id == pk).values(message_id_hash=digest))


def downgrade() -> None:
    op.drop_column("contacts", "status")
    op.drop_index("ix_messages_message_id_hash", table_name="messages")
    op.drop_column("messages", "auth")
    op.drop_column("messages", "message_id_hash")
    op.create_index("ix_messages_message_id", "messages", ["message_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table, column, old, nullable in WIDENED:
            op.alter_column(table, column, type_=old, existing_type=sa.Text(), existing_nullable=nullable)
