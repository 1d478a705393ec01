"""Sessions end when they must: deactivation and a password change end every token (and
re-activating brings none back); parallel sessions are capped; administrators list and end a
user's sessions."""

from __future__ import annotations

from sqlalchemy import select

from server.models import User
from tests.server.conftest import Backend


def _user_id(demo: Backend, username: str) -> int:
    with demo.client.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        return int(session.execute(select(User.id).where(User.username == username)
                                   ).scalar_one())


def test_deactivation_ends_every_session_for_good(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    tokens = [demo.login("traffic.officer") for _ in range(3)]
    user_id = _user_id(demo, "traffic.officer")
    assert demo.post(f"/admin/users/{user_id}/deactivate", admin).status_code == 204
    assert all(demo.get("/me", t).status_code == 401 for t in tokens)
    assert demo.client.post("/api/v1/auth/login", json={
        "username": "traffic.officer", "password": "demo"}).status_code == 401
    assert demo.post(f"/admin/users/{user_id}/activate", admin).status_code == 204
    assert all(demo.get("/me", t).status_code == 401 for t in tokens)  # not revived
    assert demo.get("/me", demo.login("traffic.officer")).status_code == 200
    events = [r["event"] for r in demo.audit_rows("user_")]
    assert events == ["user_deactivate", "user_activate"]


def test_a_password_change_ends_every_session(demo: Backend) -> None:
    first, second = demo.login("order.officer"), demo.login("order.officer")
    reply = demo.post("/auth/password", first, json={"current_password": "nope",
                                                     "new_password": "a-new-password-1"})
    assert reply.status_code == 422 and reply.json()["field"] == "current_password"
    reply = demo.post("/auth/password", first, json={"current_password": "demo",
                                                     "new_password": "short"})
    assert reply.status_code == 422 and reply.json()["field"] == "new_password"
    assert demo.get("/me", first).status_code == 200  # refusals change nothing
    reply = demo.post("/auth/password", first, json={"current_password": "demo",
                                                     "new_password": "a-new-password-1"})
    assert reply.status_code == 204
    assert demo.get("/me", first).status_code == 401
    assert demo.get("/me", second).status_code == 401
    assert demo.login("order.officer", "a-new-password-1")


def test_parallel_sessions_are_capped_oldest_ended_first(demo: Backend) -> None:
    limit = demo.settings.max_sessions_per_user
    tokens = [demo.login("police.officer") for _ in range(limit + 2)]
    alive = [demo.get("/me", t).status_code == 200 for t in tokens]
    assert alive == [False, False] + [True] * limit


def test_administrators_list_and_end_a_users_sessions(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    user_id = _user_id(demo, "police.commander")
    tokens = [demo.login("police.commander") for _ in range(3)]
    listed = demo.get(f"/admin/users/{user_id}/sessions", admin).json()
    assert len(listed) == 3 and "token" not in str(listed).lower()
    one = listed[0]["id"]
    assert demo.delete(f"/admin/users/{user_id}/sessions/{one}", admin).status_code == 204
    assert demo.delete(f"/admin/users/{user_id}/sessions/{one}", admin).status_code == 404
    assert [demo.get("/me", t).status_code for t in tokens] == [200, 200, 401]
    assert demo.delete(f"/admin/users/{user_id}/sessions", admin).status_code == 204
    assert [demo.get("/me", t).status_code for t in tokens] == [401, 401, 401]
    assert demo.get(f"/admin/users/{user_id}/sessions", admin).json() == []
    assert demo.get("/admin/users/999999/sessions", admin).status_code == 404


def test_only_administrators_reach_the_admin_routes(demo: Backend) -> None:
    user_id = _user_id(demo, "police.commander")
    for username in ("ioc.operator", "police.commander", "ward.dongphu.leader",
                     "agency.viewer"):
        token = demo.login(username)
        assert demo.get(f"/admin/users/{user_id}/sessions", token).status_code == 403
        assert demo.post(f"/admin/users/{user_id}/deactivate", token).status_code == 403
    admin = demo.login("ioc.admin")
    assert demo.post(f"/admin/users/{_user_id(demo, 'ioc.admin')}/deactivate",
                     admin).status_code == 409
