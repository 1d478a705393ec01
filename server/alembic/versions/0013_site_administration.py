"""site administration: the site row, deactivation, camera onboarding fields

Revision ID: 0013
Revises: 0012

- ``site``: one row once the site is initialised (``python -m server init``, or the demo);
  ``demo`` says the demo's documented password is allowed. A database that already holds users
  (made before this revision) is marked initialised; it counts as the demo when the demo's
  administrator account is there, since only the demo seed made that account.
- ``users.must_change_password``: an administrator set the password; its owner changes it first.
- ``wards.is_active``, ``units.is_active``, ``cameras.is_active``: deactivated, never deleted
  (recordings, cases and the audit log refer to them).
- ``cameras``: owner category, map position and viewing direction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'site',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    for table in ('wards', 'units', 'cameras'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('is_active', sa.Boolean(), nullable=False,
                                          server_default=sa.true()))
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_category', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('direction', sa.Integer(), nullable=True))

    # one statement (no reading back), so that the offline SQL script does it too
    op.execute(
        "INSERT INTO site (id, created_at, demo) "
        "SELECT 1, CURRENT_TIMESTAMP, "
        "EXISTS (SELECT 1 FROM users WHERE username = 'ioc.admin') "
        "WHERE EXISTS (SELECT 1 FROM users)"
    )


def downgrade() -> None:
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.drop_column('direction')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
        batch_op.drop_column('owner_category')
    for table in ('cameras', 'units', 'wards'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('is_active')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    op.drop_table('site')
