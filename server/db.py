"""Engine, sessions and Alembic migrations.

The schema is only ever built by Alembic (``migrate``), in production and in tests, so what is
tested is what is deployed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("iocwall.server.db")

ALEMBIC_DIR = Path(__file__).resolve().parent / "alembic"


def engine_url(database_url: str) -> str:
    """The URL with its driver: ``postgresql://`` (libpq's spelling, which a site's DBA hands
    out) would make SQLAlchemy look for psycopg2; iocwall's driver is psycopg 3."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return database_url


def make_engine(database_url: str) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and a busy timeout for the server's threads."""
    database_url = engine_url(database_url)
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
            # SQLite's own lower() folds ASCII only: "Đường" stayed "Đường", so searches
            # ignored case for Vietnamese letters on PostgreSQL (UTF-8 locale) but not here.
            dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

        return engine
    # a server that does not answer at all (its host down, the network cut) fails a connection
    # in 10 s instead of holding the thread that asked (server.database_watch probes with one)
    return create_engine(database_url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    # Config values go through ConfigParser interpolation: escape "%" in passwords in the URL.
    config.set_main_option("sqlalchemy.url", engine_url(database_url).replace("%", "%%"))
    return config


def migrate(database_url: str) -> None:
    """Bring the database to the newest revision (creates it when empty)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            config = alembic_config(database_url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
    log.info("Database migrated to head")
