"""The schema comes from Alembic, and the models agree with it; the rules doc is current."""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from server.db import alembic_config, make_engine, migrate
from server.demo import USERS
from server.models import Base
from server.permissions import render_markdown

DEMO_USERS = [username for username, *_rest in USERS]

REPO = Path(__file__).resolve().parents[2]


def _pending_diff(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def _alembic(engine: Engine, url: str, step: Callable[..., None], revision: str) -> None:
    """One Alembic command on the app's engine (SQLite with its foreign keys on), as
    ``server.db.migrate`` runs them."""
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        step(config, revision)


def test_upgrade_on_empty_database_and_no_pending_diff(new_database: Callable[..., str],
                                                       tmp_path: Path) -> None:
    url = new_database(tmp_path)
    migrate(url)
    migrate(url)  # idempotent: a second start finds it at head
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"wards", "units", "users", "cameras", "access_grants", "auth_tokens",
                "audit_log", "audit_head", "alembic_version", "layouts", "layout_items",
                "ptz_leases", "ptz_lease_waiters", "ptz_lease_preemptions"} <= tables
        diff = _pending_diff(engine)
    finally:
        engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(new_database: Callable[..., str],
                                             tmp_path: Path) -> None:
    """Every migration's downgrade runs, and the chain builds the same schema a second time."""
    url = new_database(tmp_path)
    engine = make_engine(url)
    try:
        _alembic(engine, url, command.upgrade, "head")
        _alembic(engine, url, command.downgrade, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        _alembic(engine, url, command.upgrade, "head")
        tables = set(inspect(engine).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        assert _pending_diff(engine) == []
    finally:
        engine.dispose()


def test_migrate_command_takes_the_url_a_site_writes(new_database: Callable[..., str],
                                                     tmp_path: Path) -> None:
    """``python -m server migrate`` as a process, twice; PostgreSQL's URL in libpq's spelling."""
    url = new_database(tmp_path).replace("postgresql+psycopg://", "postgresql://")
    env = dict(os.environ, IOCWALL_DATABASE_URL=url, IOCWALL_DATA_DIR=str(tmp_path))
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    for _run in range(2):
        done = subprocess.run([sys.executable, "-m", "server", "migrate"], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"OK: the database is at revision {head}\n"
    engine = make_engine(url)
    try:
        assert _pending_diff(engine) == []
    finally:
        engine.dispose()


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
    assert "ALTER TABLE clip_requests ALTER COLUMN clip_size TYPE BIGINT;" in sql


def test_permissions_doc_is_generated_from_the_rules() -> None:
    assert (REPO / "docs" / "permissions.md").read_text(encoding="utf-8") == render_markdown()


@pytest.mark.parametrize("usernames,demo", [
    (["ioc.admin"], False),  # one demo name is not the demo
    (list(DEMO_USERS), True),
])
def test_a_database_from_before_the_site_row_is_marked_initialised(
        new_database: Callable[..., str], tmp_path: Path, usernames: list[str],
        demo: bool) -> None:
    """Upgrading a database that already serves users must not stop it at the next start;
    it is the demo only when it holds the demo's accounts."""
    from sqlalchemy import text

    url = new_database(tmp_path)
    engine = make_engine(url)
    try:
        _alembic(engine, url, command.upgrade, "0012")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO units (id, name, kind) VALUES (1, 'IOC', "
                              "'operating_unit')"))
            for name in usernames:
                conn.execute(text("INSERT INTO users (username, full_name, unit_id, role, "
                                  "password_hash, is_active) VALUES (:name, 'A', 1, 'admin', "
                                  "'x', true)"), {"name": name})
        _alembic(engine, url, command.upgrade, "head")
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(text("SELECT id, demo FROM site"))]
    finally:
        engine.dispose()
    assert [(i, bool(d)) for i, d in rows] == [(1, demo)]


# -- upgrades with the server up: expand, then contract ----------------------------------------

VERSIONS = Path(__file__).resolve().parents[2] / "server" / "alembic" / "versions"
# The first migration a real site can have run (``server init`` came with it): from the next one
# on, an upgrade migrates while the old release still serves, so a migration only adds (new
# tables, new nullable or defaulted columns, indexes); removing or changing what the old release
# reads waits for a later "contract" migration (``PHASE = "contract"``), once no server of the
# old release runs.
FIRST_SITE_REVISION = "0013"
CHANGES_WHAT_OLD_CODE_READS = ("drop_column", "drop_table", "rename_table", "drop_constraint")


def contracting_calls(source: str) -> list[str]:
    """The calls of a migration's ``upgrade()`` that the release before it could trip on."""
    tree = ast.parse(source)
    found: list[str] = []
    for function in tree.body:
        if not (isinstance(function, ast.FunctionDef) and function.name == "upgrade"):
            continue
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            text = ast.unparse(node)
            relaxes_only = "nullable=True" in text and not any(
                change in text for change in ("type_=", "new_column_name", "server_default"))
            if node.func.attr in CHANGES_WHAT_OLD_CODE_READS or (
                    node.func.attr == "add_column" and "nullable=False" in text
                    and "server_default" not in text) or (
                    node.func.attr == "alter_column" and not relaxes_only):
                found.append(text)
    return found


def test_the_expand_check_finds_what_the_old_release_would_trip_on() -> None:
    sample = ("def upgrade():\n"
              "    op.add_column('a', sa.Column('x', sa.Integer(), nullable=True))\n"
              "    op.add_column('a', sa.Column('y', sa.Integer(), nullable=False,"
              " server_default='0'))\n"
              "    op.add_column('a', sa.Column('z', sa.Integer(), nullable=False))\n"
              "    with op.batch_alter_table('b') as batch:\n"
              "        batch.drop_column('old')\n"
              "        batch.alter_column('c', existing_type=sa.Integer(), nullable=True)\n"
              "        batch.alter_column('d', type_=sa.BigInteger())\n"
              "def downgrade():\n"
              "    op.drop_table('a')\n")
    assert contracting_calls(sample) == [
        "op.add_column('a', sa.Column('z', sa.Integer(), nullable=False))",
        "batch.drop_column('old')", "batch.alter_column('d', type_=sa.BigInteger())"]


def test_migrations_after_the_first_site_release_only_expand() -> None:
    later = [p for p in sorted(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
             if p.name[:4] > FIRST_SITE_REVISION]
    for path in later:
        source = path.read_text(encoding="utf-8")
        if re.search(r'^PHASE = "contract"$', source, re.MULTILINE):
            continue
        assert contracting_calls(source) == [], (
            f"{path.name} changes what the running release reads: split it into an expand "
            "migration now and a contract one (PHASE = \"contract\") in a later release")


def _one_ward_unit_and_operator(conn: Any) -> None:
    """What an older schema's rows need beneath them: a ward, the IOC unit, an operator."""
    from sqlalchemy import text

    conn.execute(text("INSERT INTO wards (id, name) VALUES (1, 'Đồng Phú')"))
    conn.execute(text("INSERT INTO units (id, name, kind) VALUES (1, 'IOC', 'operating_unit')"))
    conn.execute(text("INSERT INTO users (id, username, full_name, unit_id, role, "
                      "password_hash, is_active) VALUES (1, 'op', 'A', 1, 'operator', 'x', "
                      "true)"))


def test_camera_incidents_from_before_system_incidents_are_kept(
        new_database: Callable[..., str], tmp_path: Path) -> None:
    """0015 keeps the camera incidents and their reports (the open one keeps its camera
    closed to a second incident); a downgrade keeps them again and drops the system's."""
    from sqlalchemy import text

    url = new_database(tmp_path)
    engine = make_engine(url)
    at = "2026-03-02 08:00:00"
    try:
        _alembic(engine, url, command.upgrade, "0013")
        with engine.begin() as conn:
            _one_ward_unit_and_operator(conn)
            for camera in (1, 2):
                conn.execute(text(
                    "INSERT INTO cameras (id, name, ward_id, system, owner, location, main_url, "
                    "ptz, public) VALUES (:id, :name, 1, 'smart_city', 'IOC', 'x', "
                    "'rtsp://127.0.0.1/x', false, false)"), {"id": camera, "name": f"C{camera}"})
            for incident, camera, open_camera in ((1, 1, None), (2, 2, 2)):
                conn.execute(text(
                    "INSERT INTO incidents (id, camera_id, open_camera_id, kind, state, note, "
                    "automatic, reported_by_id, reported_at) VALUES (:id, :camera, :open, "
                    "'offline', :state, 'n', false, 1, :at)"),
                    {"id": incident, "camera": camera, "open": open_camera, "at": at,
                     "state": "resolved" if open_camera is None else "open"})
                conn.execute(text(
                    "INSERT INTO incident_reports (id, incident_id, user_id, at, kind, "
                    "automatic, note) VALUES (:id, :id, 1, :at, 'offline', false, 'n')"),
                    {"id": incident, "at": at})
        _alembic(engine, url, command.upgrade, "head")
        with engine.begin() as conn:
            rows = [tuple(r) for r in conn.execute(text(
                "SELECT id, category, camera_id, subject, open_key, reported_by_id "
                "FROM incidents ORDER BY id"))]
            reports = [tuple(r) for r in conn.execute(text(
                "SELECT id, incident_id, user_id FROM incident_reports ORDER BY id"))]
            # the open key still refuses a second open incident on camera 2
            with pytest.raises(IntegrityError):
                with conn.begin_nested():
                    conn.execute(text(
                        "INSERT INTO incidents (category, camera_id, open_key, kind, state, "
                        "note, automatic, reported_at) VALUES ('camera', 2, 'camera:2', "
                        "'offline', 'open', '', true, :at)"), {"at": at})
            # a system fault, filed by nobody: what the old schema cannot hold
            conn.execute(text(
                "INSERT INTO incidents (id, category, subject, open_key, kind, state, note, "
                "automatic, reported_at) VALUES (3, 'server', 'gateway gw-1', "
                "'clock_drift:gateway gw-1', 'clock_drift', 'open', '', true, :at)"),
                {"at": at})
            conn.execute(text(
                "INSERT INTO incident_reports (id, incident_id, at, kind, automatic, note) "
                "VALUES (3, 3, :at, 'clock_drift', true, '')"), {"at": at})
        _alembic(engine, url, command.downgrade, "0013")
        with engine.connect() as conn:
            old = [tuple(r) for r in conn.execute(text(
                "SELECT id, camera_id, open_camera_id FROM incidents ORDER BY id"))]
            old_reports = [tuple(r) for r in conn.execute(text(
                "SELECT id, incident_id FROM incident_reports ORDER BY id"))]
    finally:
        engine.dispose()
    assert rows == [(1, "camera", 1, None, None, 1), (2, "camera", 2, None, "camera:2", 1)]
    assert reports == [(1, 1, 1), (2, 2, 1)]
    assert old == [(1, 1, None), (2, 2, 2)]
    assert old_reports == [(1, 1), (2, 2)]


def test_publication_upgrade_keeps_the_lawful_and_takes_down_the_unreviewed(
        new_database: Callable[..., str], tmp_path: Path) -> None:
    """0018: a public traffic camera enters the catalogue (still public), a public camera of
    another system and a case published by one person without blurring go off the public."""
    from sqlalchemy import text

    url = new_database(tmp_path)
    engine = make_engine(url)
    try:
        _alembic(engine, url, command.upgrade, "0017")
        with engine.begin() as conn:
            _one_ward_unit_and_operator(conn)
            for camera, system in ((1, "traffic"), (2, "public"), (3, "traffic")):
                conn.execute(text(
                    "INSERT INTO cameras (id, name, ward_id, system, owner, location, main_url, "
                    "ptz, public) VALUES (:id, :name, 1, :system, 'IOC', 'x', "
                    "'rtsp://127.0.0.1/x', false, :public)"),
                    {"id": camera, "name": f"C{camera}", "system": system,
                     "public": camera != 3})
        _alembic(engine, url, command.upgrade, "head")
        with engine.begin() as conn:
            listed = {tuple(r) for r in conn.execute(text(
                "SELECT dataset, value FROM public_catalogue"))}
            public = {r[0] for r in conn.execute(text("SELECT id FROM cameras WHERE public"))}
        assert listed == {("traffic_camera", "1")} | {
            ("violation_media", k) for k in ("red_light", "lane", "stopping_parking",
                                             "other_traffic")}
        assert public == {1}
    finally:
        engine.dispose()
