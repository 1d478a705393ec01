"""Login, lockout, token lifetime and logout, on a real database with a movable clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, text

from tests.server.conftest import Backend


def _login(demo: Backend, username: str, password: str) -> tuple[int, dict]:
    reply = demo.client.post("/api/v1/auth/login",
                             json={"username": username, "password": password})
    return reply.status_code, reply.json()


def test_login_returns_token_expiry_and_me(demo: Backend) -> None:
    status, body = _login(demo, "ward.dongphu.police", "demo")
    assert status == 200
    assert body["token_type"] == "bearer"
    assert body["user"]["username"] == "ward.dongphu.police"
    assert body["user"]["unit"]["kind"] == "ward_police"
    assert body["expires_at"].startswith("2026-03-02T20:00:00")  # START + 12 h


def test_wrong_password_and_unknown_user_are_401(demo: Backend) -> None:
    assert _login(demo, "police.officer", "nope")[0] == 401
    status, body = _login(demo, "nobody", "demo")
    assert status == 401
    assert body == {"code": "unauthenticated", "message": "Wrong username or password",
                    "errors": []}


def test_five_failures_lock_for_fifteen_minutes(demo: Backend) -> None:
    for _ in range(4):
        assert _login(demo, "police.officer", "wrong")[0] == 401
    status, body = _login(demo, "police.officer", "wrong")
    assert status == 423
    assert body["code"] == "locked" and "locked" in body["message"]
    # Locked: even the right password is refused, until 15 minutes have passed.
    assert _login(demo, "police.officer", "demo")[0] == 423
    demo.clock.advance(timedelta(minutes=14, seconds=59))
    assert _login(demo, "police.officer", "demo")[0] == 423
    demo.clock.advance(timedelta(seconds=1))
    assert _login(demo, "police.officer", "demo")[0] == 200
    # Another user is not affected by this user's lock.
    assert _login(demo, "traffic.officer", "demo")[0] == 200


def test_success_resets_the_failure_count(demo: Backend) -> None:
    for _ in range(4):
        assert _login(demo, "order.officer", "wrong")[0] == 401
    assert _login(demo, "order.officer", "demo")[0] == 200
    for _ in range(4):
        assert _login(demo, "order.officer", "wrong")[0] == 401
    assert _login(demo, "order.officer", "demo")[0] == 200


def test_token_expires_after_twelve_hours(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    demo.clock.advance(timedelta(hours=12) - timedelta(seconds=1))
    assert demo.get("/me", token).status_code == 200
    demo.clock.advance(timedelta(seconds=1))
    reply = demo.get("/me", token)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"] == "Bearer"
    assert demo.get("/cameras", token).status_code == 401


def test_logout_revokes_only_that_token(demo: Backend) -> None:
    first = demo.login("ioc.operator")
    second = demo.login("ioc.operator")
    assert demo.post("/auth/logout", first).status_code == 204
    assert demo.get("/me", first).status_code == 401
    assert demo.post("/auth/logout", first).status_code == 401
    assert demo.get("/me", second).status_code == 200


def test_no_token_or_garbage_token_is_401(demo: Backend) -> None:
    assert demo.client.get("/api/v1/me").status_code == 401
    assert demo.get("/me", "not-a-token").status_code == 401


def test_tokens_are_stored_hashed(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    engine = create_engine(f"sqlite:///{demo.db_path}")
    with engine.connect() as conn:
        hashes = [row[0] for row in conn.execute(text("SELECT token_hash FROM auth_tokens"))]
    engine.dispose()
    assert hashes and token not in hashes
    assert token.encode() not in demo.db_path.read_bytes()


def test_logins_and_failures_are_audited(demo: Backend) -> None:
    _login(demo, "police.officer", "Hunter2-NotMine")
    token = demo.login("ioc.operator")
    demo.post("/auth/logout", demo.login("police.officer"))
    rows = demo.get("/audit", token, params={"limit": 1000}).json()
    events = [(r["event"], r["username"]) for r in reversed(rows)]
    assert ("login_failed", "police.officer") in events
    assert ("login", "ioc.operator") in events
    assert ("logout", "police.officer") in events
    assert "Hunter2-NotMine" not in str(rows)  # no password in the audit log
