"""media gateways, the gateway serving each camera, passwords sealed to its key

Revision ID: 0009
Revises: 0008

A site runs one or more media gateways near its cameras; each camera is served by at most one.
The gateway is the only reader of a camera's password: the backend seals it to the gateway's
X25519 public key (``*_password_sealed``) and cannot open it again. The Fernet columns stay
until the client plays session URLs instead of credentialed ones.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'gateways',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('rtsp_host', sa.String(length=255), nullable=False),
        sa.Column('rtsp_port', sa.Integer(), nullable=False),
        sa.Column('control_url', sa.String(length=500), nullable=False),
        sa.Column('control_secret_enc', sa.Text(), nullable=False),
        sa.Column('public_key', sa.String(length=64), nullable=True),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gateway_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rtsp_password_sealed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('onvif_password_sealed', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cameras_gateway_id'), ['gateway_id'], unique=False)
        batch_op.create_foreign_key('fk_cameras_gateway_id_gateways', 'gateways',
                                    ['gateway_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.drop_constraint('fk_cameras_gateway_id_gateways', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cameras_gateway_id'))
        batch_op.drop_column('onvif_password_sealed')
        batch_op.drop_column('rtsp_password_sealed')
        batch_op.drop_column('gateway_id')
    op.drop_table('gateways')
