"""The schema comes from Alembic, and the models agree with it; the rules doc is current."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from server.db import migrate
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
                "audit_log", "audit_head", "alembic_version"} <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_permissions_doc_is_generated_from_the_rules() -> None:
    assert (REPO / "docs" / "permissions.md").read_text(encoding="utf-8") == render_markdown()
