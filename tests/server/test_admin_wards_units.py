"""Wards and units (``/admin/wards``, ``/admin/units``): a ward unit needs its ward and no other
kind may have one; what a unit's users see follows from its kind and ward at once; nothing is
deleted, only deactivated, and only once nothing active depends on it."""

from __future__ import annotations

from tests.server.admin_helpers import patch, unit_id, ward_id
from tests.server.conftest import Backend


def test_wards_are_created_renamed_and_deactivated(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    reply = demo.post("/admin/wards", admin, json={"name": "Nam Lý"})
    assert reply.status_code == 201, reply.text
    ward = reply.json()
    assert ward["is_active"] is True
    assert demo.post("/admin/wards", admin, json={"name": "Nam Lý"}).json()["field"] == "name"
    assert demo.post("/admin/wards", admin, json={"name": ""}).json()["field"] == "name"
    renamed = patch(demo, f"/admin/wards/{ward['id']}", admin, json={"name": "Phường Nam Lý"})
    assert renamed.json()["name"] == "Phường Nam Lý"
    off = patch(demo, f"/admin/wards/{ward['id']}", admin, json={"is_active": False})
    assert off.json()["is_active"] is False
    # a deactivated ward takes no new unit or camera
    reply = demo.post("/admin/units", admin, json={"name": "Công an phường Nam Lý",
                                                   "kind": "ward_police",
                                                   "ward_id": ward["id"]})
    assert (reply.status_code, reply.json()["field"]) == (422, "ward_id")
    # a ward with active units cannot go
    busy = patch(demo, f"/admin/wards/{ward_id(demo)}", admin, json={"is_active": False})
    assert (busy.status_code, busy.json()["field"]) == (409, "is_active")
    events = [r["event"] for r in demo.audit_rows("ward_")]
    assert events[-3:] == ["ward_create", "ward_update", "ward_update"]
    assert {w["name"] for w in demo.get("/admin/wards", admin).json()} >= {"Đồng Phú",
                                                                           "Phường Nam Lý"}


def test_a_ward_unit_needs_a_ward_and_no_other_kind_has_one(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    for body, field in (
        ({"name": "Công an phường X", "kind": "ward_police"}, "ward_id"),
        ({"name": "UBND phường X", "kind": "ward_committee"}, "ward_id"),
        ({"name": "Đội X", "kind": "urban_order", "ward_id": ward_id(demo)}, "ward_id"),
        ({"name": "Sở X", "kind": "other_agency", "ward_id": ward_id(demo)}, "ward_id"),
        ({"name": "Sở X", "kind": "ministry"}, "kind"),
        ({"name": "Công an thành phố Đồng Hới", "kind": "city_police"}, "name"),
    ):
        reply = demo.post("/admin/units", admin, json=body)
        assert reply.status_code in (409, 422) and reply.json()["field"] == field, body
    reply = demo.post("/admin/units", admin, json={"name": "Sở Giao thông Vận tải",
                                                   "kind": "other_agency"})
    assert reply.status_code == 201 and reply.json()["ward"] is None


def test_what_a_unit_sees_follows_its_kind_and_ward(demo: Backend) -> None:
    """Moving a ward police unit to another ward changes what its officers see at once:
    nothing is granted per user."""
    admin = demo.login("ioc.admin")
    officer = demo.login("ward.dongphu.police")
    assert {c["ward"] for c in demo.get("/cameras", officer).json()} == {"Đồng Phú"}
    unit = unit_id(demo, "Công an phường Đồng Phú")
    moved = patch(demo, f"/admin/units/{unit}", admin, json={"ward_id": ward_id(demo,
                                                                                "Bắc Lý")})
    assert moved.status_code == 200, moved.text
    assert moved.json()["ward"]["name"] == "Bắc Lý" and moved.json()["users"] == 2
    assert {c["ward"] for c in demo.get("/cameras", officer).json()} == {"Bắc Lý"}
    # made a city-wide kind, it loses its ward with it
    city = patch(demo, f"/admin/units/{unit}", admin, json={"kind": "city_police"})
    assert city.json()["ward"] is None
    assert {c["ward"] for c in demo.get("/cameras", officer).json()} == {
        "Đồng Phú", "Hải Thành", "Bắc Lý"}
    back = patch(demo, f"/admin/units/{unit}", admin, json={"kind": "ward_police"})
    assert (back.status_code, back.json()["field"]) == (422, "ward_id")
    row = demo.audit_rows("unit_update")[-1]
    assert row["event"] == "unit_update"


def test_a_unit_with_active_accounts_is_not_deactivated(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    unit = unit_id(demo, "Ban Quản lý dự án đầu tư xây dựng thành phố")
    busy = patch(demo, f"/admin/units/{unit}", admin, json={"is_active": False})
    assert (busy.status_code, busy.json()["field"]) == (409, "is_active")
    empty = demo.post("/admin/units", admin, json={"name": "Sở Y tế", "kind": "other_agency"})
    gone = patch(demo, f"/admin/units/{empty.json()['id']}", admin, json={"is_active": False})
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    listed = {u["name"]: u for u in demo.get("/admin/units", admin).json()}
    assert listed["Sở Y tế"]["is_active"] is False
    assert listed["Ban Quản lý dự án đầu tư xây dựng thành phố"]["users"] == 1
    assert patch(demo, "/admin/units/99999", admin, json={}).status_code == 404
