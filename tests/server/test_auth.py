"""Login, lockout, token lifetime and logout, on a real database with a movable clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from server.db import make_engine
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


def test_five_failures_make_the_name_wait_longer_each_time(demo: Backend) -> None:
    for _ in range(5):
        assert _login(demo, "police.officer", "wrong")[0] == 401
    reply = demo.client.post("/api/v1/auth/login",
                             json={"username": "police.officer", "password": "demo"})
    assert reply.status_code == 429  # even the right password waits, unchecked
    assert reply.json()["code"] == "too_many_requests"
    assert reply.headers["retry-after"] == "30" and reply.json()["context"]["retry_after"] == 30
    demo.clock.advance(timedelta(seconds=29))
    assert _login(demo, "police.officer", "demo")[0] == 429
    demo.clock.advance(timedelta(seconds=1))
    assert _login(demo, "police.officer", "wrong")[0] == 401  # one more try, wrong again
    reply = demo.client.post("/api/v1/auth/login",
                             json={"username": "police.officer", "password": "demo"})
    assert reply.status_code == 429 and reply.headers["retry-after"] == "60"
    demo.clock.advance(timedelta(seconds=60))
    assert _login(demo, "police.officer", "demo")[0] == 200
    # Counting starts again after a success; another user was never affected.
    for _ in range(4):
        assert _login(demo, "police.officer", "wrong")[0] == 401
    assert _login(demo, "police.officer", "demo")[0] == 200
    assert _login(demo, "traffic.officer", "demo")[0] == 200


def test_the_wait_never_exceeds_fifteen_minutes(demo: Backend) -> None:
    waits = []
    for _ in range(12):
        while (reply := demo.client.post("/api/v1/auth/login", json={
                "username": "order.officer", "password": "wrong"})).status_code == 401:
            pass
        waits.append(int(reply.headers["retry-after"]))
        demo.clock.advance(timedelta(seconds=waits[-1]))
    assert waits[:6] == [30, 60, 120, 240, 480, 900] and set(waits[6:]) == {900}


def test_unknown_and_known_names_get_the_same_answers(demo: Backend) -> None:
    answers = {}
    for name in ("police.commander", "no.such.user"):
        answers[name] = [_login(demo, name, "wrong") for _ in range(6)]
    assert answers["police.commander"] == answers["no.such.user"]
    assert [status for status, _ in answers["no.such.user"]] == [401] * 5 + [429]


def test_parallel_wrong_passwords_check_exactly_the_free_attempts(demo: Backend) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(lambda _i: _login(demo, "ioc.operator", "wrong")[0],
                                 range(30)))
    assert sorted(statuses) == [401] * 5 + [429] * 25
    checked = [r for r in demo.audit_rows("login_failed") if r["username"] == "ioc.operator"]
    assert len(checked) == 5
    throttled = demo.audit_rows("login_throttled")
    assert [r["username"] for r in throttled] == ["ioc.operator"]  # the administrators see it


def test_an_address_with_many_failures_waits_whatever_the_name(demo: Backend) -> None:
    from server.login_guard import AddressLimiter

    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    runtime.login_addresses = AddressLimiter(3)
    for name in ("a.one", "b.two", "c.three"):
        assert _login(demo, name, "wrong")[0] == 401
    status, body = _login(demo, "ioc.operator", "demo")
    assert status == 429 and "address" in body["message"]
    demo.clock.advance(timedelta(minutes=15))
    assert _login(demo, "ioc.operator", "demo")[0] == 200


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy() -> None:
    from server.login_guard import client_address

    assert client_address("203.0.113.9", "10.0.0.1", ()) == "203.0.113.9"
    assert client_address("203.0.113.9", "10.0.0.1", ("127.0.0.1",)) == "203.0.113.9"
    assert client_address("127.0.0.1", "10.0.0.1, 10.0.0.7", ("127.0.0.1",)) == "10.0.0.7"
    # a client cannot hide behind the proxy's own address
    assert client_address("127.0.0.1", "10.0.0.7, 127.0.0.1", ("127.0.0.1",)) == "10.0.0.7"


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
    engine = make_engine(demo.database_url)
    with engine.connect() as conn:
        hashes = [row[0] for row in conn.execute(text("SELECT token_hash FROM auth_tokens"))]
    engine.dispose()
    assert hashes and token not in hashes
    assert token.encode() not in demo.database.stored_bytes(demo.database_url)


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
