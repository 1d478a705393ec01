"""The audit log: hash chain verified through the CLI, serialised appends, operating-unit reads."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from server import audit
from server.__main__ import main as server_main
from server.db import make_engine, make_sessionmaker
from tests.server.conftest import START, Backend


def _activity(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    demo.get("/cameras", token)
    demo.client.post("/api/v1/auth/login", json={"username": "police.officer", "password": "x"})
    camera_id = demo.get("/cameras", token).json()[0]["id"]
    demo.get(f"/cameras/{camera_id}", token)
    demo.post("/audit/events", token, json={"event": "view_start", "camera_id": camera_id})
    demo.post("/auth/logout", token)


def _verify(db_path: Path, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setenv("IOCWALL_DATA_DIR", str(db_path.parent))
    monkeypatch.setenv("IOCWALL_DATABASE_URL", f"sqlite:///{db_path}")
    code = server_main(["audit", "verify"])
    return code, capsys.readouterr().out


def _snapshot(source: Path, target: Path) -> Path:
    """A consistent copy of a live WAL-mode database (a plain file copy misses the WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def _row_count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        count: int = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return count


def test_intact_chain_verifies(demo: Backend, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    _activity(demo)
    rows = _row_count(demo.db_path)
    assert rows >= 8
    code, out = _verify(demo.db_path, monkeypatch, capsys)
    assert code == 0
    assert out.strip() == f"OK: {rows} rows, chain intact"


@pytest.mark.parametrize("column, value", [("detail", '{"count":0}'), ("username", "someone"),
                                           ("event", "login"), ("ts", "2020-01-01 00:00:00")])
def test_editing_any_row_breaks_the_chain_at_that_row(
    demo: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], column: str, value: str,
) -> None:
    _activity(demo)
    rows = _row_count(demo.db_path)
    edited = 0
    for row_id in range(1, rows + 1):
        copy = _snapshot(demo.db_path, tmp_path / f"edit-{column}-{row_id}" / "iocwall.db")
        with sqlite3.connect(copy) as conn:
            changed = conn.execute(f"UPDATE audit_log SET {column} = ? WHERE id = ? AND "
                                   f"{column} IS NOT ?", (value, row_id, value)).rowcount
        if not changed:
            continue  # the row already held that value: nothing was edited
        edited += 1
        code, out = _verify(copy, monkeypatch, capsys)
        assert code == 1, out
        assert out.startswith(f"BROKEN at row {row_id}:"), out
    assert edited >= rows - 3


def test_removed_or_rehashed_rows_are_found(demo: Backend, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _activity(demo)
    rows = _row_count(demo.db_path)
    middle = _snapshot(demo.db_path, tmp_path / "middle" / "iocwall.db")
    with sqlite3.connect(middle) as conn:
        conn.execute("DELETE FROM audit_log WHERE id = 3")
    code, out = _verify(middle, monkeypatch, capsys)
    assert code == 1 and out.startswith("BROKEN at row 4:")
    tail = _snapshot(demo.db_path, tmp_path / "tail" / "iocwall.db")
    with sqlite3.connect(tail) as conn:
        conn.execute("DELETE FROM audit_log WHERE id = ?", (rows,))
    code, out = _verify(tail, monkeypatch, capsys)
    assert code == 1 and out.startswith(f"BROKEN at row {rows}:")
    # Editing a row and recomputing its own hash still breaks the link of the next row.
    rehash = _snapshot(demo.db_path, tmp_path / "rehash" / "iocwall.db")
    with sqlite3.connect(rehash) as conn:
        row = conn.execute("SELECT id, ts, event, user_id, username, camera_id, detail, "
                           "prev_hash FROM audit_log WHERE id = 2").fetchone()
    engine = make_engine(f"sqlite:///{rehash}")
    with make_sessionmaker(engine)() as session:
        stored = session.get(audit.AuditLog, 2)  # type: ignore[attr-defined]
        assert stored is not None
        forged = audit.chain_hash(row[7], audit.row_content(
            id=2, ts=stored.ts, event=row[2], user_id=row[3], username="forged",
            camera_id=row[5], detail=row[6]))
    engine.dispose()
    with sqlite3.connect(rehash) as conn:
        conn.execute("UPDATE audit_log SET username = 'forged', hash = ? WHERE id = 2", (forged,))
    code, out = _verify(rehash, monkeypatch, capsys)
    assert code == 1 and out.startswith("BROKEN at row 3:")


def test_cli_as_a_process(demo: Backend) -> None:
    _activity(demo)
    env = dict(os.environ, IOCWALL_DATA_DIR=str(demo.db_path.parent),
               IOCWALL_DATABASE_URL=f"sqlite:///{demo.db_path}")
    done = subprocess.run([sys.executable, "-m", "server", "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: ")
    with sqlite3.connect(demo.db_path) as conn:
        conn.execute("UPDATE audit_log SET detail = '{}' WHERE id = 5")
    done = subprocess.run([sys.executable, "-m", "server", "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout.startswith("BROKEN at row 5:")


def test_concurrent_appends_do_not_fork_the_chain(demo: Backend) -> None:
    engine = make_engine(f"sqlite:///{demo.db_path}")
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

    before = _row_count(demo.db_path)
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
