"""Accounts (``/admin/users``): create, edit, reset a password (the owner must change it before
anything else), deactivate (sessions end); the password policy; no password nor hash in any
answer or audit row."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.models import User
from server.password_policy import password_problem
from tests.server.admin_helpers import audit_details, patch, runtime, unit_id
from tests.server.conftest import Backend

IOC = "Văn phòng HĐND-UBND thành phố (Trung tâm IOC)"
WARD_POLICE = "Công an phường Đồng Phú"
FIRST = "First-Pass-8c2d1"


def _create(demo: Backend, admin: str, **overrides: object) -> object:
    user = {"username": "ward.dongphu.new", "full_name": "Trương Văn Mới",
            "unit_id": unit_id(demo, WARD_POLICE), "role": "officer", "password": FIRST}
    user.update(overrides)
    return demo.post("/admin/users", admin, json=user)


def test_a_new_account_must_change_its_first_password_before_anything(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    reply = _create(demo, admin)
    assert reply.status_code == 201, reply.text  # type: ignore[attr-defined]
    created = reply.json()  # type: ignore[attr-defined]
    assert created["must_change_password"] is True and created["unit"]["kind"] == "ward_police"
    login = demo.client.post("/api/v1/auth/login",
                             json={"username": "ward.dongphu.new", "password": FIRST})
    assert login.status_code == 200 and login.json()["user"]["must_change_password"] is True
    token = login.json()["access_token"]
    assert demo.get("/me", token).json()["must_change_password"] is True
    for path in ("/cameras", "/layouts", "/bookmarks"):
        refused = demo.get(path, token)
        assert refused.status_code == 403
        assert refused.json()["code"] == "password_change_required"
    weak = demo.post("/auth/password", token, json={"current_password": FIRST,
                                                    "new_password": "matkhau123"})
    assert weak.status_code == 422 and weak.json()["field"] == "new_password"
    done = demo.post("/auth/password", token, json={"current_password": FIRST,
                                                    "new_password": "Own-Choice-55ab"})
    assert done.status_code == 204
    token = demo.login("ward.dongphu.new", "Own-Choice-55ab")
    assert demo.get("/me", token).json()["must_change_password"] is False
    assert demo.get("/cameras", token).status_code == 200
    # a ward police officer sees the ward of the unit, not a per-user grant
    wards = {c["ward"] for c in demo.get("/cameras", token).json()}
    assert wards == {"Đồng Phú"}


def test_logout_works_while_the_password_must_change(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    _create(demo, admin)
    token = demo.login("ward.dongphu.new", FIRST)
    assert demo.post("/auth/logout", token).status_code == 204
    assert demo.get("/me", token).status_code == 401


def test_reset_password_ends_sessions_and_forces_a_change(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    old = demo.login("traffic.officer")
    with runtime(demo).sessions() as session:
        user_id = session.execute(select(User.id).where(User.username == "traffic.officer")
                                  ).scalar_one()
    reply = demo.post(f"/admin/users/{user_id}/password", admin, json={"password": "short"})
    assert reply.status_code == 422 and reply.json()["field"] == "password"
    reply = demo.post(f"/admin/users/{user_id}/password", admin,
                      json={"password": "Reset-Pass-77x1"})
    assert reply.status_code == 204
    assert demo.get("/me", old).status_code == 401
    token = demo.login("traffic.officer", "Reset-Pass-77x1")
    assert demo.get("/cameras", token).json()["code"] == "password_change_required"
    listed = {u["username"]: u for u in demo.get("/admin/users", admin).json()}
    assert listed["traffic.officer"]["must_change_password"] is True


def test_edit_moves_an_account_to_another_unit_and_role(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    created = _create(demo, admin).json()  # type: ignore[attr-defined]
    reply = patch(demo, f"/admin/users/{created['id']}", admin,
                  json={"unit_id": unit_id(demo, IOC), "role": "operator",
                        "full_name": "Trương Văn Mới (IOC)"})
    assert reply.status_code == 200, reply.text
    assert (reply.json()["unit"]["kind"], reply.json()["role"]) == ("operating_unit",
                                                                    "operator")
    assert patch(demo, f"/admin/users/{created['id']}", admin,
                 json={"unit_id": 99999}).json()["field"] == "unit_id"
    assert patch(demo, f"/admin/users/{created['id']}", admin,
                 json={"role": "emperor"}).json()["field"] == "role"
    assert patch(demo, "/admin/users/99999", admin, json={}).status_code == 404
    row = demo.audit_rows("account_update")[-1]
    assert row["user_id"] is not None


def test_bad_new_accounts_are_refused_naming_the_field(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    for change, status, field in (
        ({"username": "ioc.operator"}, 409, "username"),
        ({"username": "bad name"}, 422, "username"),
        ({"unit_id": 99999}, 422, "unit_id"),
        ({"role": "king"}, 422, "role"),
        ({"password": "dongHoi123"}, 422, "password"),
        ({"password": "123456789a"}, 422, "password"),
        ({"password": "short-1"}, 422, "password"),
    ):
        reply = _create(demo, admin, **change)
        answer = reply.json()  # type: ignore[attr-defined]
        assert (reply.status_code, answer["field"]) == (status, field), change  # type: ignore[attr-defined]
    assert "ward.dongphu.new" not in {u["username"] for u in
                                      demo.get("/admin/users", admin).json()}


def test_passwords_and_hashes_never_reach_answers_or_the_audit(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    reply = _create(demo, admin)
    listed = demo.get("/admin/users", admin)
    with runtime(demo).sessions() as session:
        hashes = [h for h in session.execute(select(User.password_hash)).scalars()]
    trail = audit_details(demo)
    for text in (reply.text, listed.text, trail):  # type: ignore[attr-defined]
        assert FIRST not in text
        assert not any(h in text for h in hashes)
        assert "$argon2" not in text


def test_deactivating_an_account_ends_its_sessions(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    token = demo.login("order.officer")
    with runtime(demo).sessions() as session:
        user_id = session.execute(select(User.id).where(User.username == "order.officer")
                                  ).scalar_one()
    assert demo.post(f"/admin/users/{user_id}/deactivate", admin).status_code == 204
    assert demo.get("/me", token).status_code == 401
    listed = {u["username"]: u for u in demo.get("/admin/users", admin).json()}
    assert listed["order.officer"]["is_active"] is False
    assert listed["order.officer"]["sessions"] == 0
    own = listed["ioc.admin"]["id"]
    assert demo.post(f"/admin/users/{own}/deactivate", admin).status_code == 409


@pytest.mark.parametrize("password,problem", [
    ("short", "at least 10"),
    ("dongHoi123", "commonly used"),
    ("MATKHAU123", "commonly used"),
    ("1234567890", "commonly used"),
    ("ward.police-2026", "user name"),
    ("Một-mật-khẩu-dài", None),
    ("correct horse battery", None),
])
def test_password_policy(password: str, problem: str | None) -> None:
    found = password_problem(password, username="ward.police")
    assert (found is None) if problem is None else (problem in (found or ""))


def test_the_demo_password_passes_only_on_the_demo_site() -> None:
    assert password_problem("demo", demo_site=True) is None
    assert password_problem("demo", demo_site=False) is not None


def test_an_administrator_cannot_lock_themselves_out(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    own = {u["username"]: u for u in demo.get("/admin/users", admin).json()}["ioc.admin"]
    for change, field in (({"role": "operator"}, "role"),
                          ({"unit_id": unit_id(demo, WARD_POLICE)}, "unit_id")):
        reply = patch(demo, f"/admin/users/{own['id']}", admin, json=change)
        assert (reply.status_code, reply.json()["field"]) == (409, field)
    reply = demo.post(f"/admin/users/{own['id']}/password", admin,
                      json={"password": "Self-Reset-99aa"})
    assert reply.status_code == 409
    reply = patch(demo, f"/admin/units/{unit_id(demo, IOC)}", admin,
                  json={"kind": "city_police"})
    assert (reply.status_code, reply.json()["field"]) == (409, "kind")
    assert demo.get("/admin/users", admin).status_code == 200
