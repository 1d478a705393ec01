"""case records: declared times, versions of a case, the classification deadlines count from

Revision ID: 0016
Revises: 0015

- ``violation_cases.detected_declared_by_id``: who declared the detection time when it is not
  the moment of the evidence (NULL: it is).
- ``violation_cases.deadline_complex`` / ``deadline_decision_kind``: the classification the
  deadlines count from; NULL (every case there is) follows ``complex`` / ``decision_kind``.
- ``violation_case_events.declared_at`` / ``declared_by_id``: an earlier time a user declared
  for a step (detection, identification of the violator) beside the server's time.
- ``violation_case_versions``: every edit of a case's record, only ever added to.

Expand only: new nullable columns and a new table. SQLite adds a column with its foreign key in
place (``ALTER TABLE … ADD COLUMN … REFERENCES``), so no table is copied under the rows that
point at it; PostgreSQL adds the column, then the constraint.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_COLUMNS = (('violation_cases', 'detected_declared_by_id'),
                ('violation_case_events', 'declared_by_id'))


def _sqlite() -> bool:
    return op.get_context().dialect.name == 'sqlite'


def upgrade() -> None:
    for table, column in USER_COLUMNS:
        if _sqlite():
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES users (id)")
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(f'fk_{table}_{column}_users', table, 'users', [column],
                                  ['id'])
    op.add_column('violation_cases', sa.Column('deadline_complex', sa.Boolean(), nullable=True))
    op.add_column('violation_cases', sa.Column('deadline_decision_kind', sa.String(length=32),
                                               nullable=True))
    op.add_column('violation_case_events', sa.Column('declared_at', sa.DateTime(timezone=True),
                                                     nullable=True))
    op.create_table(
        'violation_case_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('before', sa.Text(), nullable=False),
        sa.Column('after', sa.Text(), nullable=False),
        sa.Column('needs_approval', sa.Boolean(), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('approval_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['approved_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['case_id'], ['violation_cases.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'number'),
    )
    op.create_index(op.f('ix_violation_case_versions_case_id'), 'violation_case_versions',
                    ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_violation_case_versions_case_id'),
                  table_name='violation_case_versions')
    op.drop_table('violation_case_versions')
    # plain column drops, never a batch table copy: on SQLite that drops the table under the
    # rows that point at it (the foreign keys are on)
    op.execute("ALTER TABLE violation_case_events DROP COLUMN declared_at")
    op.execute("ALTER TABLE violation_cases DROP COLUMN deadline_decision_kind")
    op.execute("ALTER TABLE violation_cases DROP COLUMN deadline_complex")
    for table, column in USER_COLUMNS:
        if not _sqlite():
            op.drop_constraint(f'fk_{table}_{column}_users', table, type_='foreignkey')
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
