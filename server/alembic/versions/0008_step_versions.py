"""a version counter on the records whose steps must not race

Revision ID: 0008
Revises: 0007

Clip requests, violation cases, incidents and access requests move through steps that two people
may take at the same moment (two approvers, two duty operators). Each row gets SQLAlchemy's
version counter: an UPDATE names the version it read, so the second of two simultaneous steps
changes no row and is refused (409) instead of being applied on a state that is gone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('clip_requests', 'violation_cases', 'incidents', 'access_requests')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False,
                                       server_default='1'))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('version')
