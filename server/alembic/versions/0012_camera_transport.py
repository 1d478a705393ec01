"""each camera's RTSP transport preference

Revision ID: 0012
Revises: 0011

How its gateway reaches the camera: "auto" (TCP, falling back to UDP when the camera refuses
TCP), "tcp" or "udp" (cameras that serve one only). Viewers always reach the gateway over TCP.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transport', sa.String(length=8), nullable=False,
                                      server_default='auto'))


def downgrade() -> None:
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.drop_column('transport')
