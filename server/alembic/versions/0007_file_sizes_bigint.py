"""file sizes as 64-bit integers

Revision ID: 0007
Revises: 0006

A clip's and a recording segment's size in bytes pass 2 GiB (a two-hour main-stream clip), which
PostgreSQL's 32-bit INTEGER cannot hold. SQLite's INTEGER holds 64 bits already: its tables stay
as they are (changing the declared type there would mean recreating them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (('clip_requests', 'clip_size', True), ('recording_segments', 'size_bytes', False))


def upgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        return
    for table, column, nullable in COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(),
                        existing_nullable=nullable)


def downgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        return
    for table, column, nullable in COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(),
                        existing_nullable=nullable)
