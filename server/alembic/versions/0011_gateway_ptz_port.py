"""the port of each media gateway's PTZ broker

Revision ID: 0011
Revises: 0009

A gateway brokers PTZ (ONVIF) on a port of its own beside RTSP; clients get it with their PTZ
token. Null until the gateway has reported it. (Numbered after 0010, which another branch adds;
once both are merged this revises 0010.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('gateways', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ptz_port', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('gateways', schema=None) as batch_op:
        batch_op.drop_column('ptz_port')
