"""The audit log: hash chain verified through the CLI, serialised appends, operating-unit reads."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, delete, func, insert, select, update

from server import audit
from server.__main__ import main as server_main
from server.db import make_engine, make_sessionmaker
from server.models import AuditLog
from tests.server.conftest import START, Backend


def _activity(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    demo.get("/cameras", token)
    demo.client.post("/api/v1/auth/login", json={"username": "police.officer", "password": "x"})
    camera_id = demo.get("/cameras", token).json()[0]["id"]
    demo.get(f"/cameras/{camera_id}", token)
    demo.post("/audit/events", token, json={"event": "view_start", "camera_id": camera_id})
    demo.post("/auth/logout", token)


def _verify(demo: Backend, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setenv("IOCWALL_DATA_DIR", str(demo.data_dir))
    monkeypatch.setenv("IOCWALL_DATABASE_URL", demo.database_url)
    code = server_main(["audit", "verify"])
    return code, capsys.readouterr().out


@contextmanager
def _behind_the_apps_back(demo: Backend) -> Iterator[Connection]:
    """Straight to the backend's database, around the API; committed at exit."""
    with demo.client.app.state.runtime.engine.begin() as conn:
        yield conn


def _row_count(demo: Backend) -> int:
    with _behind_the_apps_back(demo) as conn:
        count: int = conn.execute(select(func.count()).select_from(AuditLog)).scalar_one()
    return count


def _row(demo: Backend, row_id: int) -> dict[str, Any]:
    with _behind_the_apps_back(demo) as conn:
        return dict(conn.execute(select(AuditLog.__table__).where(AuditLog.id == row_id)
                                 ).one()._mapping)


def _put_back(demo: Backend, row: dict[str, Any]) -> None:
    """Restore a row as it was (re-inserted if it was removed)."""
    with _behind_the_apps_back(demo) as conn:
        conn.execute(delete(AuditLog).where(AuditLog.id == row["id"]))
        conn.execute(insert(AuditLog).values(row))


def test_intact_chain_verifies(demo: Backend, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    _activity(demo)
    rows = _row_count(demo)
    assert rows >= 8
    code, out = _verify(demo, monkeypatch, capsys)
    assert code == 0
    assert out.strip() == f"OK: {rows} rows, chain intact"


@pytest.mark.parametrize("column, value", [("detail", '{"count":0}'), ("username", "someone"),
                                           ("event", "login"),
                                           ("ts", datetime(2020, 1, 1, tzinfo=UTC))],
                         ids=["detail", "username", "event", "ts"])
def test_editing_any_row_breaks_the_chain_at_that_row(
    demo: Backend, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    column: str, value: object,
) -> None:
    _activity(demo)
    rows = _row_count(demo)
    edited = 0
    for row_id in range(1, rows + 1):
        original = _row(demo, row_id)
        with _behind_the_apps_back(demo) as conn:
            changed = conn.execute(
                update(AuditLog).where(AuditLog.id == row_id,
                                       getattr(AuditLog, column).is_distinct_from(value))
                .values({column: value})).rowcount
        if not changed:
            continue  # the row already held that value: nothing was edited
        edited += 1
        code, out = _verify(demo, monkeypatch, capsys)
        assert code == 1, out
        assert out.startswith(f"BROKEN at row {row_id}:"), out
        _put_back(demo, original)
    assert edited >= rows - 3
    assert _verify(demo, monkeypatch, capsys)[0] == 0  # every row put back as it was


def test_removed_or_rehashed_rows_are_found(demo: Backend, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _activity(demo)
    rows = _row_count(demo)
    middle = _row(demo, 3)
    with _behind_the_apps_back(demo) as conn:
        conn.execute(delete(AuditLog).where(AuditLog.id == 3))
    code, out = _verify(demo, monkeypatch, capsys)
    assert code == 1 and out.startswith("BROKEN at row 4:")
    _put_back(demo, middle)
    tail = _row(demo, rows)
    with _behind_the_apps_back(demo) as conn:
        conn.execute(delete(AuditLog).where(AuditLog.id == rows))
    code, out = _verify(demo, monkeypatch, capsys)
    assert code == 1 and out.startswith(f"BROKEN at row {rows}:")
    _put_back(demo, tail)
    # Editing a row and recomputing its own hash still breaks the link of the next row.
    row = _row(demo, 2)
    forged = audit.chain_hash(row["prev_hash"], audit.row_content(
        id=2, ts=row["ts"], event=row["event"], user_id=row["user_id"], username="forged",
        camera_id=row["camera_id"], detail=row["detail"]))
    with _behind_the_apps_back(demo) as conn:
        conn.execute(update(AuditLog).where(AuditLog.id == 2)
                     .values(username="forged", hash=forged))
    code, out = _verify(demo, monkeypatch, capsys)
    assert code == 1 and out.startswith("BROKEN at row 3:")


def test_cli_as_a_process(demo: Backend) -> None:
    _activity(demo)
    env = dict(os.environ, IOCWALL_DATA_DIR=str(demo.data_dir),
               IOCWALL_DATABASE_URL=demo.database_url)
    done = subprocess.run([sys.executable, "-m", "server", "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: ")
    with _behind_the_apps_back(demo) as conn:
        conn.execute(update(AuditLog).where(AuditLog.id == 5).values(detail="{}"))
    done = subprocess.run([sys.executable, "-m", "server", "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout.startswith("BROKEN at row 5:")


def test_concurrent_appends_do_not_fork_the_chain(demo: Backend) -> None:
    engine = make_engine(demo.database_url)
    sessions = make_sessionmaker(engine)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                with sessions() as session:
                    audit.append(session, "test_event", now=START + timedelta(seconds=i),
                                 username=f"worker{n}", detail={"i": i})
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread and re-raised
            errors.append(exc)

    before = _row_count(demo)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with sessions() as session:
        result = audit.verify(session)
    engine.dispose()
    assert result.ok, result
    assert result.rows == before + 60


def test_audit_is_for_the_operating_unit_only(demo: Backend) -> None:
    assert demo.get("/audit", demo.login("police.commander")).status_code == 403
    assert demo.get("/audit", demo.login("ward.dongphu.leader")).status_code == 403
    token = demo.login("ioc.admin")
    reply = demo.get("/audit", token, params={"event": "login", "limit": 2})
    assert reply.status_code == 200
    rows = reply.json()
    assert len(rows) == 2 and all(r["event"] == "login" for r in rows)
    assert int(reply.headers["x-total-count"]) == 3  # the three logins above
    assert rows[0]["id"] > rows[1]["id"]  # newest first
    page2 = demo.get("/audit", token, params={"event": "login", "limit": 2, "offset": 2}).json()
    assert {r["id"] for r in page2}.isdisjoint(r["id"] for r in rows)
    later = START + timedelta(hours=1)
    demo.clock.advance(timedelta(hours=1))
    demo.login("order.officer")
    recent = demo.get("/audit", token, params={"since": later.isoformat()}).json()
    assert [r["username"] for r in recent if r["event"] == "login"] == ["order.officer"]
    assert demo.get("/audit", token, params={"username": "order.officer",
                                             "until": later.isoformat()}).json() == []


def test_no_route_updates_or_deletes_audit_rows(demo: Backend) -> None:
    spec = demo.client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        if "audit" in path:
            assert set(methods) <= {"get", "post"}, path
