"""the 24/7 duty roster and shift handovers; when each camera was onboarded

Revision ID: 0019
Revises: 0018

- ``duty_assignments``: who is on each shift (Art. 8.1, 15.1).
- ``handovers``: each shift's handover note with what was pending when it was written, and its
  acknowledgement by the incoming shift.
- ``cameras.created_at``: a report counts a camera's availability from its onboarding. Cameras
  onboarded before this revision take the time of their audited ``camera_create`` row; those
  without one stay NULL (counted over the whole period, as before).

Expand only: new tables and a nullable column; the release before runs on this schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'duty_assignments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False, index=True),
        sa.Column('shift', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('assigned_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('day', 'shift', 'user_id'),
    )
    op.create_table(
        'handovers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('day', sa.Date(), nullable=False, index=True),
        sa.Column('shift', sa.Integer(), nullable=False),
        sa.Column('shift_end', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('snapshot', sa.Text(), nullable=False),
        sa.Column('written_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('written_at', sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column('acknowledged_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('day', 'shift'),
    )
    op.add_column('cameras', sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
    op.get_bind().execute(sa.text(
        "UPDATE cameras SET created_at = (SELECT MIN(a.ts) FROM audit_log a "
        "WHERE a.event = 'camera_create' AND a.camera_id = cameras.id)"))


def downgrade() -> None:
    # a plain ALTER (SQLite 3.35+ has it): a batch rebuild would drop the table other rows
    # refer to, which SQLite's foreign keys refuse
    op.execute("ALTER TABLE cameras DROP COLUMN created_at")
    op.drop_table('handovers')
    op.drop_table('duty_assignments')
