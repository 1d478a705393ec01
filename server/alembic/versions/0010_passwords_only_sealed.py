"""camera passwords only sealed to their gateway's key: the Fernet copies go

Revision ID: 0010
Revises: 0009

The backend kept a Fernet copy of each camera password (``*_password_enc``) while the client
still received credentialed URLs, and sealed the gateway's copy from it. Viewers and the
recorder now open session URLs at the gateway; the only copy left is the sealed one, which the
backend cannot open. The clear copies are dropped with their columns. A downgrade brings the
columns back empty: nothing can fill them (the administrator enters the passwords again).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.drop_column('onvif_password_enc')
        batch_op.drop_column('rtsp_password_enc')


def downgrade() -> None:
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rtsp_password_enc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('onvif_password_enc', sa.Text(), nullable=True))
