"""Onboarding cameras (``/admin/cameras``): the fields and their rules, write-only credentials
sealed to the serving gateway, deactivation that takes a camera out of every list at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.gateways import gateway_table
from server.models import Camera, Gateway
from tests.server.admin_helpers import (
    audit_details,
    keyed_gateway,
    opened,
    patch,
    runtime,
    ward_id,
)
from tests.server.conftest import Backend

RTSP_SECRET = "Cam-Secret-7f3a9"
ONVIF_SECRET = "Onvif-Secret-41be"
CAMERA_USER = "cam-operator-x9"


def body(demo: Backend, gateway: int, **overrides: Any) -> dict[str, Any]:
    camera: dict[str, Any] = {
        "name": "CAM-NEW Ngã tư Lý Thường Kiệt", "ward_id": ward_id(demo),
        "system": "smart_city", "location": "Lý Thường Kiệt x Trần Hưng Đạo",
        "latitude": 17.4687, "longitude": 106.6223, "direction": 270,
        "main_url": "rtsp://10.20.0.11:554/Streaming/Channels/101",
        "sub_url": "rtsp://10.20.0.11:554/Streaming/Channels/102",
        "onvif_host": "10.20.0.11", "onvif_port": 80, "ptz": True, "transport": "tcp",
        "gateway_id": gateway, "external_id": "dh-cam-0001",
        "username": CAMERA_USER, "password": RTSP_SECRET, "onvif_password": ONVIF_SECRET,
    }
    camera.update(overrides)
    return camera


def _no_secret(text: str) -> None:
    for secret in (RTSP_SECRET, ONVIF_SECRET, CAMERA_USER):
        assert secret not in text


def test_create_seals_the_passwords_and_never_answers_them(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, key = keyed_gateway(demo)
    reply = demo.post("/admin/cameras", admin, json=body(demo, gateway_id))
    assert reply.status_code == 201, reply.text
    camera = reply.json()
    _no_secret(reply.text)
    assert camera["has_credentials"] is True and camera["has_onvif_credentials"] is True
    assert camera["gateway_id"] == gateway_id and camera["is_active"] is True
    assert (camera["latitude"], camera["direction"], camera["onvif_port"]) == (17.4687, 270, 80)
    for path in ("/admin/cameras", f"/admin/cameras/{camera['id']}", "/cameras",
                 f"/cameras/{camera['id']}"):
        answer = demo.get(path, admin)
        assert answer.status_code == 200
        _no_secret(answer.text)
    _no_secret(audit_details(demo))
    with runtime(demo).sessions() as session:
        row = session.get(Camera, camera["id"])
        assert row is not None
        assert opened(key, row.rtsp_password_sealed) == RTSP_SECRET
        assert opened(key, row.onvif_password_sealed) == ONVIF_SECRET
        # the ONVIF login defaults to the RTSP user
        assert runtime(demo).secrets.decrypt(row.onvif_username_enc) == CAMERA_USER
        gateway = session.get(Gateway, gateway_id)
        assert gateway is not None
        table = gateway_table(session, gateway, runtime(demo).secrets)
        assert [e["stream"] for e in table.cameras if e["camera_id"] == camera["id"]] == [
            "main", "sub"]
    # everyone whose rights reach it sees it at once (the clients poll /cameras)
    listed = [c["id"] for c in demo.get("/cameras", demo.login("ward.dongphu.police")).json()]
    assert camera["id"] in listed
    row = [r for r in demo.audit_rows("camera_create") if r["camera_id"] == camera["id"]]
    assert len(row) == 1


def test_bad_fields_are_refused_naming_them_and_nothing_is_written(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, _key = keyed_gateway(demo)
    before = len(demo.get("/admin/cameras", admin).json())
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"main_url": "rtsp://admin:12345@10.0.0.1/main"}, 422, "main_url"),
        ({"sub_url": "rtsp://admin@10.0.0.1/sub"}, 422, "sub_url"),
        ({"main_url": "http://10.0.0.1/main"}, 422, "main_url"),
        ({"latitude": 95.0}, 422, "latitude"),
        ({"longitude": -181}, 422, "longitude"),
        ({"direction": 360}, 422, "direction"),
        ({"system": "cctv"}, 422, "system"),
        ({"transport": "quic"}, 422, "transport"),
        ({"ward_id": 99999}, 422, "ward_id"),
        ({"gateway_id": 99999}, 422, "gateway_id"),
        ({"gateway_id": None}, 422, "gateway_id"),  # a password needs a gateway to hold it
        ({"system": "public"}, 422, "owner_category"),
        ({"owner_category": "school"}, 422, "owner_category"),  # not a public-system camera
        ({"system": "public", "owner_category": "school", "public": True}, 409, "public"),
        ({"system": "public", "owner_category": "household", "public": True}, 409, "public"),
        ({"latitude": None}, 422, "latitude"),
        ({"onvif_port": 99999}, 422, "onvif_port"),
        ({"secret_field": 1}, 422, "secret_field"),
    ]
    for change, status, field in cases:
        reply = demo.post("/admin/cameras", admin, json={**body(demo, gateway_id), **change})
        assert (reply.status_code, reply.json().get("field")) == (status, field), (change,
                                                                                   reply.text)
        _no_secret(reply.text)
    assert len(demo.get("/admin/cameras", admin).json()) == before
    first = demo.post("/admin/cameras", admin, json=body(demo, gateway_id))
    assert first.status_code == 201
    again = demo.post("/admin/cameras", admin, json=body(demo, gateway_id, name="other"))
    assert (again.status_code, again.json()["field"]) == (409, "external_id")


def test_a_school_camera_is_never_published(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, _key = keyed_gateway(demo)
    camera = demo.post("/admin/cameras", admin, json=body(
        demo, gateway_id, system="public", owner_category="school")).json()
    reply = demo.put(f"/cameras/{camera['id']}/public", admin, json={"public": True})
    assert (reply.status_code, reply.json()["field"]) == (409, "public")
    reply = patch(demo, f"/admin/cameras/{camera['id']}", admin, json={"public": True})
    assert (reply.status_code, reply.json()["field"]) == (409, "public")
    # nor any camera outside the traffic system (Art. 11.3.a), a business's either
    business = patch(demo, f"/admin/cameras/{camera['id']}", admin,
                     json={"owner_category": "business", "public": True})
    assert (business.status_code, business.json()["field"]) == (409, "public")
    assert "traffic" in business.json()["message"]
    traffic = patch(demo, f"/admin/cameras/{camera['id']}", admin,
                    json={"system": "traffic", "owner_category": None, "public": True})
    assert traffic.status_code == 200 and traffic.json()["public"] is True


def test_edit_changes_only_what_is_given_and_audits_before_and_after(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, key = keyed_gateway(demo)
    camera = demo.post("/admin/cameras", admin, json=body(demo, gateway_id)).json()
    reply = patch(demo, f"/admin/cameras/{camera['id']}", admin,
                  json={"name": "CAM-NEW renamed", "direction": None, "ptz": False})
    assert reply.status_code == 200, reply.text
    edited = reply.json()
    assert (edited["name"], edited["direction"], edited["ptz"]) == ("CAM-NEW renamed", None,
                                                                    False)
    assert edited["main_url"] == camera["main_url"] and edited["has_credentials"] is True
    row = demo.audit_rows("camera_update")[-1]
    assert row["camera_id"] == camera["id"]
    unchanged = patch(demo, f"/admin/cameras/{camera['id']}", admin,
                      json={"name": "CAM-NEW renamed"})
    assert unchanged.status_code == 200
    assert len(demo.audit_rows("camera_update")) == 1  # nothing changed, nothing audited
    # a new password is sealed again, to the same gateway
    reply = patch(demo, f"/admin/cameras/{camera['id']}", admin,
                  json={"password": "Another-Secret-55"})
    assert reply.status_code == 200 and "Another-Secret-55" not in reply.text
    with runtime(demo).sessions() as session:
        row_ = session.get(Camera, camera["id"])
        assert row_ is not None and opened(key, row_.rtsp_password_sealed) == "Another-Secret-55"
    assert "Another-Secret-55" not in audit_details(demo)
    bad = patch(demo, f"/admin/cameras/{camera['id']}", admin,
                json={"main_url": "rtsp://u:p@h/x"})
    assert (bad.status_code, bad.json()["field"]) == (422, "main_url")


def test_moving_to_another_gateway_needs_the_password_when_none_can_reseal(
        demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    gateway_id, _key = keyed_gateway(demo)
    camera = demo.post("/admin/cameras", admin, json=body(demo, gateway_id)).json()
    other_id, other_key = keyed_gateway(demo, "north")
    with runtime(demo).sessions() as session:  # the holder is not answering
        gateway = session.get(Gateway, gateway_id)
        assert gateway is not None
        gateway.last_seen_at = None
        session.commit()
    reply = patch(demo, f"/admin/cameras/{camera['id']}", admin, json={"gateway_id": other_id})
    assert reply.status_code == 409 and reply.json()["code"] == "credentials_needed"
    assert reply.json()["field"] == "password"
    assert demo.get(f"/admin/cameras/{camera['id']}", admin).json()["gateway_id"] == gateway_id
    reply = patch(demo, f"/admin/cameras/{camera['id']}", admin,
                  json={"gateway_id": other_id, "password": "Moved-Secret-901",
                        "onvif_password": "Moved-Onvif-902"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["gateway_id"] == other_id and reply.json()["has_credentials"]
    with runtime(demo).sessions() as session:
        row = session.get(Camera, camera["id"])
        assert row is not None and opened(other_key, row.rtsp_password_sealed) == \
            "Moved-Secret-901"


def test_deactivated_camera_leaves_every_list_at_once_and_comes_back(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    operator = demo.login("ioc.operator")
    camera_id = demo.camera_ids()[0]
    reply = demo.post(f"/admin/cameras/{camera_id}/deactivate", admin)
    assert reply.status_code == 200 and reply.json()["is_active"] is False
    assert camera_id not in [c["id"] for c in demo.get("/cameras", operator).json()]
    assert demo.get(f"/cameras/{camera_id}", operator).status_code == 404
    assert demo.post(f"/cameras/{camera_id}/streams/main/session", operator).status_code == 404
    with runtime(demo).sessions() as session:
        gateway = session.execute(select(Gateway)).scalars().first()
        assert gateway is not None
        table = gateway_table(session, gateway, runtime(demo).secrets)
        assert camera_id not in {e["camera_id"] for e in table.cameras}
        assert session.get(Camera, camera_id) is not None  # kept, with its recordings
    listed = {c["id"]: c for c in demo.get("/admin/cameras", admin).json()}
    assert listed[camera_id]["is_active"] is False
    assert demo.post(f"/admin/cameras/{camera_id}/activate", admin).status_code == 200
    assert camera_id in [c["id"] for c in demo.get("/cameras", operator).json()]
    events = [r["event"] for r in demo.audit_rows("camera_") if r["camera_id"] == camera_id
              and r["event"] in ("camera_deactivate", "camera_activate")]
    assert events == ["camera_deactivate", "camera_activate"]


def test_admin_camera_list_shows_no_credentials_of_the_demo(demo: Backend) -> None:
    from tests.server.conftest import camera_entry

    reply = demo.get("/admin/cameras", demo.login("ioc.admin"))
    assert reply.status_code == 200 and len(reply.json()) == 8
    for index in range(8):
        entry = camera_entry(index)
        for secret in (entry["rtsp_password"], entry["onvif_password"]):
            if secret:
                assert secret not in reply.text
        assert f'"{entry["rtsp_username"]}"' not in reply.text
