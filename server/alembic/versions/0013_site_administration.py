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

# The demo seed's accounts (server/demo.py at this revision): a database holding all of them was
# made by the demo, not by a site that happens to use one of these names.
DEMO_USERNAMES = ("ioc.operator", "ioc.admin", "police.commander", "police.officer",
                  "traffic.officer", "order.officer", "ward.dongphu.police",
                  "ward.dongphu.leader", "ward.haithanh.police", "ward.dongphu.committee",
                  "agency.viewer")


def upgrade() -> None:
    op.create_table(
        'site',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    # plain ADD COLUMN, not a batch: on SQLite a batch would copy and drop the table, which
    # its foreign keys forbid once other tables point at its rows
    op.add_column('users', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    for table in ('wards', 'units', 'cameras'):
        op.add_column(table, sa.Column('is_active', sa.Boolean(), nullable=False,
                                       server_default=sa.true()))
    op.add_column('cameras', sa.Column('owner_category', sa.String(length=32), nullable=True))
    op.add_column('cameras', sa.Column('latitude', sa.Float(), nullable=True))
    op.add_column('cameras', sa.Column('longitude', sa.Float(), nullable=True))
    op.add_column('cameras', sa.Column('direction', sa.Integer(), nullable=True))

    # one statement (no reading back), so that the offline SQL script does it too
    demo_names = ", ".join(f"'{name}'" for name in DEMO_USERNAMES)
    op.execute(
        "INSERT INTO site (id, created_at, demo) "
        "SELECT 1, CURRENT_TIMESTAMP, "
        f"(SELECT count(*) FROM users WHERE username IN ({demo_names})) = {len(DEMO_USERNAMES)} "
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
