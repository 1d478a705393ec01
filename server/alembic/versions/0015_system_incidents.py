"""system incidents: faults of the server, software, storage and network beside the cameras'

Revision ID: 0015
Revises: 0014

- ``incidents.category`` (camera, software, server, storage, network): the rows there are are
  camera incidents.
- ``incidents.camera_id`` may be NULL: a system fault names its ``subject`` instead.
- ``incidents.open_key`` becomes the one-open-incident key: "camera:<id>" for the open camera
  incidents there are, "<kind>:<subject>" for system faults. ``open_camera_id`` stays (expand,
  then contract): the release before reads and writes it while the upgrade runs, and this one
  keeps it up to date for camera incidents; a later migration drops it.
- ``incidents.reported_by_id`` and ``incident_reports.user_id`` may be NULL: filed by the system.

SQLite changes a column's nullability only by copying the table. ``incident_reports`` points at
``incidents``, and dropping a parent row's table under a report is refused with the foreign keys
on (as ``server.db.migrate`` runs): the reports are set aside in a plain table while both
tables are rebuilt, then put back. PostgreSQL alters in place, and runs the same steps.

A downgrade drops the system incidents (the old schema cannot hold them) with their reports.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ASIDE = '_incident_reports_0015'


def _set_reports_aside() -> None:
    op.execute(f"CREATE TABLE {ASIDE} AS SELECT * FROM incident_reports")
    op.execute("DELETE FROM incident_reports")


def _put_reports_back() -> None:
    op.execute(f"INSERT INTO incident_reports SELECT * FROM {ASIDE}")
    op.execute(f"DROP TABLE {ASIDE}")


def upgrade() -> None:
    _set_reports_aside()
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=16), nullable=False,
                                      server_default='camera'))
        batch_op.add_column(sa.Column('subject', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('open_key', sa.String(length=255), nullable=True))
        batch_op.alter_column('camera_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('reported_by_id', existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE incidents SET open_key = 'camera:' || CAST(open_camera_id AS VARCHAR(20)) "
               "WHERE open_camera_id IS NOT NULL")
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_incidents_open_key', ['open_key'])
        batch_op.create_index(batch_op.f('ix_incidents_category'), ['category'], unique=False)
    with op.batch_alter_table('incident_reports', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
    _put_reports_back()


def downgrade() -> None:
    system = ("SELECT id FROM incidents WHERE category <> 'camera' OR camera_id IS NULL "
              "OR reported_by_id IS NULL")
    op.execute(f"DELETE FROM incident_reports WHERE incident_id IN ({system}) "
               "OR user_id IS NULL")
    op.execute(f"DELETE FROM incidents WHERE id IN ({system})")
    _set_reports_aside()
    with op.batch_alter_table('incident_reports', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_category'))
        batch_op.drop_constraint('uq_incidents_open_key', type_='unique')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('open_key')
        batch_op.drop_column('subject')
        batch_op.drop_column('category')
        batch_op.alter_column('reported_by_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('camera_id', existing_type=sa.Integer(), nullable=False)
    _put_reports_back()
