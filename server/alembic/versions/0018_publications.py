"""publication by two people, with the bystanders blurred, from a catalogue administrators keep

Revision ID: 0018
Revises: 0017

- ``public_catalogue``: the shareable-data catalogue of Art. 14 (traffic cameras, kinds of
  violation whose media may be published). The cameras and traffic-violation cases public
  before this revision are entered in it, so an upgrade publishes nothing new and withdraws
  nothing that was lawful.
- ``publications``: each proposal, its blurred clip, its review and its approval. The cases
  published before this revision keep ``violation_cases.public`` (their media was not blurred:
  they are withdrawn from the public by the upgrade, to be proposed again through the review).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRAFFIC_KINDS = ("red_light", "lane", "stopping_parking", "other_traffic")


def upgrade() -> None:
    op.create_table(
        'public_catalogue',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('dataset', sa.String(32), nullable=False),
        sa.Column('value', sa.String(64), nullable=False),
        sa.Column('added_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('dataset', 'value'),
    )
    op.create_table(
        'publications',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('violation_cases.id'), nullable=False,
                  index=True),
        sa.Column('clip_request_id', sa.Integer(), sa.ForeignKey('clip_requests.id'),
                  nullable=True),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('state', sa.String(32), nullable=False),
        sa.Column('tracks', sa.Text(), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('redacted_path', sa.String(500), nullable=True),
        sa.Column('redacted_sha256', sa.String(64), nullable=True),
        sa.Column('redaction_error', sa.Text(), nullable=True),
        sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reviewed_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('review_note', sa.Text(), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('close_reason', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    )
    # one statement each, no reads in Python: the migration renders as SQL too (--sql)
    owner = ("(SELECT u.id FROM users u JOIN units n ON n.id = u.unit_id "
             "WHERE n.kind = 'operating_unit' ORDER BY u.id LIMIT 1)")
    op.execute(sa.text(
        "INSERT INTO public_catalogue (dataset, value, added_by_id, added_at) "
        f"SELECT 'traffic_camera', CAST(c.id AS VARCHAR(64)), {owner}, CURRENT_TIMESTAMP "
        f"FROM cameras c WHERE c.public AND c.system = 'traffic' AND {owner} IS NOT NULL"))
    for kind in TRAFFIC_KINDS:
        op.execute(sa.text(
            "INSERT INTO public_catalogue (dataset, value, added_by_id, added_at) "
            f"SELECT 'violation_media', '{kind}', {owner}, CURRENT_TIMESTAMP "
            f"WHERE {owner} IS NOT NULL"))
    # published without a blurring review: off the public until proposed again
    op.execute(sa.text("UPDATE violation_cases SET public = false WHERE public"))
    # public cameras outside the traffic system are off the public (Art. 11.3.a)
    op.execute(sa.text("UPDATE cameras SET public = false WHERE public AND system <> 'traffic'"))


def downgrade() -> None:
    op.drop_table('publications')
    op.drop_table('public_catalogue')
