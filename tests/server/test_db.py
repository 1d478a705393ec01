"""Database URLs as a site writes them."""

from __future__ import annotations

from server.db import alembic_config, engine_url, make_engine


def test_a_libpq_style_url_uses_psycopg_3() -> None:
    url = "postgresql://iocwall:p%40ss%25w@db.example:5433/iocwall?sslmode=require"
    expected = "postgresql+psycopg://iocwall:p%40ss%25w@db.example:5433/iocwall?sslmode=require"
    assert engine_url(url) == expected
    assert engine_url("postgres://iocwall@/iocwall") == "postgresql+psycopg://iocwall@/iocwall"
    assert engine_url(expected) == expected
    assert engine_url("sqlite:////var/lib/iocwall/iocwall.db") == \
        "sqlite:////var/lib/iocwall/iocwall.db"
    engine = make_engine(url)  # connects only when used
    try:
        assert engine.dialect.driver == "psycopg"
        assert engine.url.password == "p@ss%w"
    finally:
        engine.dispose()
    assert alembic_config(url).get_main_option("sqlalchemy.url") == expected
