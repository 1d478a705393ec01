"""Camera listing: scope, order, 404 for out of scope, credentials, grants, secrets at rest."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, text

from server.db import make_engine
from server.models import AccessGrant
from tests.server.conftest import START, Backend, camera_entry


def _ids_by_name(demo: Backend) -> dict[str, int]:
    cameras = demo.get("/cameras", demo.login("ioc.operator")).json()
    return {c["name"]: c["id"] for c in cameras}


def test_operator_list_ordered_by_name_first_four_in_dong_phu(demo: Backend) -> None:
    cameras = demo.get("/cameras", demo.login("ioc.operator")).json()
    names = [c["name"] for c in cameras]
    assert names == sorted(names)
    assert names[:4] == [camera_entry(i)["name"] for i in range(4)]
    assert {c["ward"] for c in cameras[:4]} == {"Đồng Phú"}
    assert {c["system"] for c in cameras[:4]} == {"smart_city", "public", "traffic"}
    assert {c["ward"] for c in cameras} == {"Đồng Phú", "Hải Thành", "Bắc Lý"}
    assert [c["ptz"] for c in cameras] == [i % 3 == 0 for i in range(8)]


def test_out_of_scope_is_indistinguishable_from_missing(demo: Backend) -> None:
    ids = _ids_by_name(demo)
    token = demo.login("ward.haithanh.police")
    dong_phu = demo.get(f"/cameras/{ids[camera_entry(0)['name']]}", token)
    missing = demo.get("/cameras/999999", token)
    assert dong_phu.status_code == missing.status_code == 404
    assert dong_phu.content == missing.content
    assert demo.get(f"/cameras/{ids[camera_entry(4)['name']]}", token).status_code == 200


def test_viewers_get_gateway_streams_never_a_camera_address_or_password(demo: Backend) -> None:
    """Every demo camera is served by the embedded gateway: a viewer's answer names the streams
    it may open through a session, and holds no stream URL, no RTSP password and, for a PTZ
    user too, no ONVIF address or password (PTZ goes through the gateway's broker)."""
    entries = {camera_entry(i)["name"]: camera_entry(i) for i in range(8)}
    for username in ("ioc.operator", "ward.dongphu.committee", "ward.haithanh.police",
                     "agency.viewer"):
        answer = demo.get("/cameras", demo.login(username)).json()
        for camera in answer:
            entry = entries[camera["name"]]
            assert "view" in camera["actions"]
            assert camera["streams"] == ["main", "sub"]
            assert camera["main_stream_url"] is None and camera["sub_stream_url"] is None
            assert entry["rtsp_password"] not in str(camera)
            assert "onvif" not in camera
            for secret in (entry["onvif_password"], entry["onvif_username"],
                           entry["onvif_port"] and f"{entry['onvif_port']}"):
                assert not secret or secret not in str(camera), (camera["name"], secret)
            assert camera["has_credentials"] is None  # not an administrator
    # The committee's traffic camera in its own ward is neither listed nor readable.
    committee = demo.get("/cameras", demo.login("ward.dongphu.committee")).json()
    assert camera_entry(1)["name"] not in {c["name"] for c in committee}
    assert all(entry["rtsp_password"] not in str(committee)
               for entry in (camera_entry(1), camera_entry(4), camera_entry(7)))


def test_credentials_are_encrypted_at_rest(demo: Backend) -> None:
    demo.get("/cameras", demo.login("ioc.operator"))  # the app has touched the database
    stored = demo.database.stored_bytes(demo.database_url)
    for index in range(8):
        entry = camera_entry(index)
        assert entry["rtsp_password"].encode() not in stored
        if entry["onvif_password"]:
            assert entry["onvif_password"].encode() not in stored
    assert b"viewer1" not in stored  # RTSP usernames too


def _seed_grant(demo: Backend, camera_id: int, hours: int = 2) -> None:
    engine = make_engine(demo.database_url)
    with engine.begin() as conn:
        unit_id = conn.execute(text(
            "SELECT unit_id FROM users WHERE username = 'agency.viewer'")).scalar_one()
        # through the model's column types: the times are stored as the app stores them
        conn.execute(insert(AccessGrant).values(
            unit_id=unit_id, camera_id=camera_id, valid_from=START + timedelta(hours=1),
            valid_until=START + timedelta(hours=1 + hours),
            purpose="Công văn 12/BQLDA: kiểm tra công trình"))
    engine.dispose()


def test_agency_sees_a_granted_camera_only_during_the_grant(demo: Backend) -> None:
    ids = _ids_by_name(demo)
    granted = ids[camera_entry(3)["name"]]  # smart-city camera in Đồng Phú
    _seed_grant(demo, granted)
    token = demo.login("agency.viewer")
    assert demo.get("/cameras", token).json() == []
    assert demo.get(f"/cameras/{granted}", token).status_code == 404

    demo.clock.advance(timedelta(hours=1))  # the grant starts
    cameras = demo.get("/cameras", token).json()
    assert [c["id"] for c in cameras] == [granted]
    assert cameras[0]["actions"] == ["view"]
    assert cameras[0]["streams"] == ["main", "sub"] and cameras[0]["main_stream_url"] is None
    assert "onvif" not in cameras[0]
    assert demo.get(f"/cameras/{granted}", token).status_code == 200
    other = ids[camera_entry(0)["name"]]
    assert demo.get(f"/cameras/{other}", token).status_code == 404
    assert demo.get("/me", token).json()["scope"]["systems"] == ["smart_city"]

    demo.clock.advance(timedelta(hours=2))  # the grant has ended
    assert demo.get("/cameras", token).json() == []
    assert demo.get(f"/cameras/{granted}", token).status_code == 404


def test_a_grant_of_a_traffic_camera_gives_nothing(demo: Backend) -> None:
    ids = _ids_by_name(demo)
    _seed_grant(demo, ids[camera_entry(1)["name"]])  # traffic: Art. 11.2 lists no agencies
    demo.clock.advance(timedelta(hours=1, minutes=30))
    assert demo.get("/cameras", demo.login("agency.viewer")).json() == []


def test_view_events_need_a_viewable_camera(demo: Backend) -> None:
    ids = _ids_by_name(demo)
    token = demo.login("ward.dongphu.police")
    own = ids[camera_entry(0)["name"]]
    foreign = ids[camera_entry(4)["name"]]
    reply = demo.post("/audit/events", token, json={"event": "view_start", "camera_id": own,
                                                   "detail": "tile 1"})
    assert reply.status_code == 201
    assert reply.json()["event"] == "view_start"
    assert demo.post("/audit/events", token,
                     json={"event": "view_stop", "camera_id": own}).status_code == 201
    assert demo.post("/audit/events", token,
                     json={"event": "view_start", "camera_id": foreign}).status_code == 404
    rows = demo.get("/audit", demo.login("ioc.operator"),
                    params={"username": "ward.dongphu.police"}).json()
    assert [(r["event"], r["camera_id"]) for r in rows if r["event"].startswith("view")] == [
        ("view_stop", own), ("view_start", own)]


def test_administrators_learn_whether_the_gateway_holds_a_cameras_password(
        demo: Backend) -> None:
    from sqlalchemy import select, update

    from server.models import Camera

    admin = demo.login("ioc.admin")
    cameras = demo.get("/cameras", admin).json()
    assert cameras and {c["has_credentials"] for c in cameras} == {True}
    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:  # as after the gateway's key changed
        first = session.execute(select(Camera).order_by(Camera.name)).scalars().first()
        assert first is not None
        first.rtsp_password_sealed = None
        # and a camera no gateway serves: no stream, no URL, no credentials
        second = cameras[1]["id"]
        session.execute(update(Camera).where(Camera.id == second).values(gateway_id=None))
        session.commit()
    answer = {c["id"]: c for c in demo.get("/cameras", admin).json()}
    assert answer[cameras[0]["id"]]["has_credentials"] is False
    assert answer[second]["has_credentials"] is False and answer[second]["streams"] == []
    assert answer[second]["main_stream_url"] is None and answer[second]["sub_stream_url"] is None
    assert all(c["has_credentials"] for i, c in answer.items() if i not in
               (cameras[0]["id"], second))


def test_no_column_holds_a_camera_password_the_backend_could_read(demo: Backend) -> None:
    from server.models import Camera

    columns = {c.name for c in Camera.__table__.columns}
    assert not {"rtsp_password_enc", "onvif_password_enc"} & columns
    assert {c for c in columns if "password" in c} == {"rtsp_password_sealed",
                                                      "onvif_password_sealed"}


def test_an_administrator_sets_how_the_gateway_reaches_a_camera(demo: Backend) -> None:
    from server.gateways import camera_entries
    from server.models import Camera, Gateway

    admin = demo.login("ioc.admin")
    camera_id = demo.camera_ids()[2]
    headers = {"Authorization": f"Bearer {admin}"}
    assert demo.get(f"/cameras/{camera_id}", admin).json()["transport"] == "auto"
    changed = demo.client.patch(f"/api/v1/admin/cameras/{camera_id}", headers=headers,
                                json={"transport": "udp"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["transport"] == "udp" and changed.json()["id"] == camera_id
    # the gateway's table carries it for both streams
    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        camera = session.get(Camera, camera_id)
        assert camera is not None
        gateway = session.get(Gateway, camera.gateway_id)
        assert gateway is not None
        entries = [e for e in camera_entries(session, gateway, runtime.secrets)
                   if e["camera_id"] == camera_id]
    assert [e["transport"] for e in entries] == ["udp", "udp"]
    row = demo.audit_rows("camera_update")[-1]
    assert row["camera_id"] == camera_id
    # a bad value is refused naming the field, and changes nothing
    bad = demo.client.patch(f"/api/v1/admin/cameras/{camera_id}", headers=headers,
                            json={"transport": "quic"})
    assert bad.status_code == 422 and "transport" in bad.text
    assert demo.get(f"/cameras/{camera_id}", admin).json()["transport"] == "udp"
    # not an administrator: refused; viewers never learn the setting
    operator = demo.login("ioc.operator")
    refused = demo.client.patch(f"/api/v1/admin/cameras/{camera_id}",
                                headers={"Authorization": f"Bearer {operator}"},
                                json={"transport": "tcp"})
    assert refused.status_code == 403
    assert demo.get(f"/cameras/{camera_id}", operator).json()["transport"] is None
