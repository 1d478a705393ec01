"""each camera's privacy masks

Revision ID: 0014
Revises: 0013

Regions of a camera's picture blacked out by its gateway before any viewer or the recorder gets
the stream (Decree 13/2023/NĐ-CP): a JSON list of [x, y, width, height] fractions; NULL: none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_masks', sa.Text(), nullable=True))


def downgrade() -> None:
    # not a batch table copy: on SQLite that drops ``cameras`` under the rows that point at it
    # (the foreign keys are on); both databases drop a plain column in place
    op.execute("ALTER TABLE cameras DROP COLUMN privacy_masks")
