"""The schema comes from Alembic, and the models agree with it; the rules doc is current."""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from server.db import alembic_config, migrate
from server.models import Base
from server.permissions import render_markdown

REPO = Path(__file__).resolve().parents[2]


def test_upgrade_on_empty_database_and_no_pending_diff(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate(url)
    migrate(url)  # idempotent: a second start finds it at head
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"wards", "units", "users", "cameras", "access_grants", "auth_tokens",
                "audit_log", "audit_head", "alembic_version", "layouts", "layout_items",
                "ptz_leases", "ptz_lease_waiters", "ptz_lease_preemptions"} <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_migrations_render_for_postgresql() -> None:
    """The chain also renders as PostgreSQL DDL (offline), partial unique index included."""
    config = alembic_config("postgresql://iocwall@localhost/iocwall")
    buffer = io.StringIO()
    config.output_buffer = buffer
    command.upgrade(config, "head", sql=True)
    sql = buffer.getvalue()
    assert "CREATE TABLE layouts" in sql and "CREATE TABLE ptz_leases" in sql
    assert "CREATE UNIQUE INDEX uq_layouts_one_startup_per_owner ON layouts (owner_id) " \
        "WHERE is_startup;" in sql
    assert "UPDATE alembic_version SET version_num='0002'" in sql


def test_permissions_doc_is_generated_from_the_rules() -> None:
    assert (REPO / "docs" / "permissions.md").read_text(encoding="utf-8") == render_markdown()
