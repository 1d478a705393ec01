"""Incidents: one open incident per camera whoever files, automatic reports from two
workstations deduplicated (also when they race), acknowledge/resolve by the duty desk with the
times kept, snapshots stored and served."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server import incidents
from server.models import Incident, IncidentReport
from tests.server.conftest import Backend

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def _runtime(backend: Backend) -> Any:
    return backend.client.app.state.runtime


def _camera(demo: Backend) -> int:
    return next(iter(demo.camera_ids().values()))


def test_automatic_reports_from_two_workstations_make_one_incident(demo: Backend) -> None:
    camera = _camera(demo)
    first = demo.login("ioc.operator")
    second = demo.login("police.officer")
    reply = demo.post("/incidents", first, json={"camera_id": camera, "kind": "offline",
                                                 "automatic": True, "note": "5 phút mất hình"})
    assert reply.status_code == 201, reply.text
    opened = reply.json()
    demo.clock.advance(timedelta(seconds=20))
    again = demo.post("/incidents", second, json={"camera_id": camera, "kind": "offline",
                                                  "automatic": True})
    assert again.status_code == 200, again.text
    joined = again.json()
    assert joined["id"] == opened["id"] and joined["state"] == "open"
    assert [(r["user"]["username"], r["automatic"]) for r in joined["reports"]] == [
        ("ioc.operator", True), ("police.officer", True)]
    with _runtime(demo).sessions() as session:
        assert len(session.execute(select(Incident)).scalars().all()) == 1
    events = [r["event"] for r in demo.audit_rows("incident_")]
    assert events == ["incident_report", "incident_report_duplicate"]


def test_the_database_refuses_a_second_open_incident_on_a_camera(demo: Backend) -> None:
    camera = _camera(demo)
    token = demo.login("ioc.operator")
    assert demo.post("/incidents", token, json={"camera_id": camera, "kind": "offline"}
                     ).status_code == 201
    with _runtime(demo).sessions() as session:
        user_id = session.execute(select(Incident.reported_by_id)).scalar_one()
        session.add(Incident(category="camera", camera_id=camera,
                             open_key=incidents.camera_key(camera), kind="offline",
                             state="open", note="", automatic=True, reported_by_id=user_id,
                             reported_at=demo.clock.now))
        with pytest.raises(IntegrityError):
            session.flush()


def test_a_racing_report_joins_the_incident_the_other_opened(demo: Backend) -> None:
    """The second workstation looked before the first inserted: the unique column turns its
    insert into a join (the look is forced to miss once)."""
    camera = _camera(demo)
    token = demo.login("ioc.operator")
    assert demo.post("/incidents", token, json={"camera_id": camera, "kind": "offline",
                                                "automatic": True}).status_code == 201
    runtime = _runtime(demo)
    missed: list[int] = []

    def stale_then_real(session: Any, key: str) -> Incident | None:
        if not missed:
            missed.append(key)
            return None
        return incidents.find_open(session, key)

    from server.models import User
    from server.schemas import IncidentCreate
    from server.services import visible_camera

    with runtime.sessions() as session:
        user = session.execute(select(User).where(User.username == "police.officer")
                               ).scalar_one()
        item = visible_camera(session, user, camera, demo.clock.now)
        assert item is not None
        incident, created = incidents.report(
            session, user, item, IncidentCreate(camera_id=camera, kind="offline",
                                                automatic=True),
            None, runtime.settings.data_dir, demo.clock.now, find=stale_then_real)
        session.commit()
        assert missed == [f"camera:{camera}"] and created is False
        assert len(session.execute(select(Incident)).scalars().all()) == 1
        assert len(session.execute(select(IncidentReport)).scalars().all()) == 2


def test_acknowledge_and_resolve_keep_the_times_then_a_new_incident_may_open(
        demo: Backend) -> None:
    ward = demo.login("ward.dongphu.police")
    ioc = demo.login("ioc.operator")
    visible = [c["id"] for c in demo.get("/cameras", ward).json()]
    camera = visible[0]
    reply = demo.client.post("/api/v1/incidents", headers={"Authorization": f"Bearer {ward}"},
                             data={"camera_id": str(camera), "kind": "obstructed",
                                   "note": "cây che"},
                             files={"snapshot": ("tile.png", PNG, "image/png")})
    assert reply.status_code == 201, reply.text
    incident = reply.json()
    assert incident["reports"][0]["snapshot_sha256"] == hashlib.sha256(PNG).hexdigest()
    shot = demo.get(f"/incidents/{incident['id']}/reports/{incident['reports'][0]['id']}"
                    "/snapshot", ioc)
    assert shot.status_code == 200 and shot.content == PNG
    assert shot.headers["content-type"] == "image/png"
    assert demo.post(f"/incidents/{incident['id']}/acknowledge", ward).status_code == 403
    demo.clock.advance(timedelta(minutes=3))
    ack = demo.post(f"/incidents/{incident['id']}/acknowledge", ioc)
    assert ack.status_code == 200 and ack.json()["seconds_to_acknowledge"] == 180
    assert demo.post(f"/incidents/{incident['id']}/acknowledge", ioc).status_code == 409
    demo.clock.advance(timedelta(minutes=57))
    done = demo.post(f"/incidents/{incident['id']}/resolve", ioc,
                     json={"resolution": "Đã cắt tỉa cây"})
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "resolved" and done.json()["seconds_to_resolve"] == 3600
    assert demo.post(f"/incidents/{incident['id']}/resolve", ioc,
                     json={"resolution": "lại"}).status_code == 409
    # the camera is free again: a new report opens a new incident
    new = demo.post("/incidents", ward, json={"camera_id": camera, "kind": "too_dark"})
    assert new.status_code == 201 and new.json()["id"] != incident["id"]
    states = {i["id"]: i["state"] for i in demo.get("/incidents", ioc).json()}
    assert states == {incident["id"]: "resolved", new.json()["id"]: "open"}
    assert [i["id"] for i in demo.get("/incidents?state=open", ward).json()] == [new.json()["id"]]


def test_reports_are_checked(demo: Backend) -> None:
    camera = _camera(demo)
    ioc = demo.login("ioc.operator")
    agency = demo.login("agency.viewer")
    assert demo.post("/incidents", agency, json={"camera_id": camera, "kind": "offline"}
                     ).status_code == 404
    reply = demo.post("/incidents", ioc, json={"camera_id": camera, "kind": "broken"})
    assert reply.status_code == 422 and "kind" in reply.text
    reply = demo.client.post("/api/v1/incidents", headers={"Authorization": f"Bearer {ioc}"},
                             data={"camera_id": str(camera), "kind": "other"},
                             files={"snapshot": ("x.png", b"GIF89a....", "image/png")})
    assert reply.status_code == 422 and "snapshot" in reply.text


NETWORK_FAULT = {"category": "network", "subject": "Đường truyền phường Đồng Phú",
                 "kind": "network_down", "note": "mất mạng cả phường"}


def test_a_ward_files_a_network_fault_the_desk_handles_and_another_ward_never_sees(
        demo: Backend) -> None:
    ward = demo.login("ward.dongphu.police")
    colleague = demo.login("ward.dongphu.leader")
    other_ward = demo.login("ward.haithanh.police")
    desk = demo.login("ioc.operator")
    reply = demo.post("/incidents", ward, json=NETWORK_FAULT)
    assert reply.status_code == 201, reply.text
    filed = reply.json()
    assert (filed["category"], filed["subject"], filed["camera_id"], filed["camera_name"],
            filed["kind"], filed["reported_by"]["username"]) == (
        "network", "Đường truyền phường Đồng Phú", None, None, "network_down",
        "ward.dongphu.police")
    # the same fault said again (other spacing and case) joins it
    again = demo.post("/incidents", colleague, json=dict(
        NETWORK_FAULT, subject="  đường truyền  phường Đồng Phú"))
    assert again.status_code == 200 and again.json()["id"] == filed["id"]
    assert len(again.json()["reports"]) == 2

    def listed(token: str, query: str = "") -> list[int]:
        return [i["id"] for i in demo.get(f"/incidents{query}", token).json()]

    assert listed(desk) == listed(ward) == listed(colleague) == [filed["id"]]
    assert listed(other_ward) == []
    assert demo.get(f"/incidents/{filed['id']}", other_ward).status_code == 404
    assert demo.post(f"/incidents/{filed['id']}/acknowledge", other_ward).status_code == 404
    assert listed(desk, "?category=network") == [filed["id"]]
    assert listed(desk, "?category=camera") == []

    assert demo.post(f"/incidents/{filed['id']}/acknowledge", ward).status_code == 403
    demo.clock.advance(timedelta(minutes=4))
    ack = demo.post(f"/incidents/{filed['id']}/acknowledge", desk)
    assert ack.status_code == 200 and ack.json()["seconds_to_acknowledge"] == 240
    assert ack.json()["acknowledged_at"] == (demo.clock.now).isoformat().replace("+00:00", "Z")
    demo.clock.advance(timedelta(minutes=26))
    done = demo.post(f"/incidents/{filed['id']}/resolve", desk,
                     json={"resolution": "Nhà mạng sửa cáp quang"})
    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["seconds_to_resolve"],
            done.json()["resolved_by"]["username"]) == ("resolved", 1800, "ioc.operator")
    # resolved: the subject is free, the next report opens a new incident
    assert demo.post("/incidents", ward, json=NETWORK_FAULT).status_code == 201
    events = [(r["event"], r["detail"].get("category")) for r in demo.audit_rows("incident_")]
    assert events == [("incident_report", "network"), ("incident_report_duplicate", "network"),
                      ("incident_acknowledge", None), ("incident_resolve", None),
                      ("incident_report", "network")]


@pytest.mark.parametrize(("body", "field"), [
    ({"category": "network", "subject": "cổng gw-1", "kind": "disk_full"}, "kind"),
    ({"category": "storage", "kind": "disk_full"}, "subject"),
    ({"category": "storage", "subject": "   ", "kind": "disk_full"}, "subject"),
    ({"category": "camera", "subject": "x", "kind": "offline", "camera_id": "CAMERA"}, "subject"),
    ({"category": "camera", "kind": "offline"}, "camera_id"),
    ({"category": "server", "subject": "x", "kind": "other", "camera_id": "CAMERA"},
     "camera_id"),
    ({"category": "weather", "subject": "x", "kind": "other"}, "category"),
])
def test_a_fault_names_a_camera_or_a_subject_and_a_kind_of_its_category(
        demo: Backend, body: dict[str, Any], field: str) -> None:
    token = demo.login("ioc.operator")
    if body.get("camera_id") == "CAMERA":
        body = dict(body, camera_id=_camera(demo))
    reply = demo.post("/incidents", token, json=body)
    assert reply.status_code == 422, reply.text
    assert reply.json()["field"].split(".")[-1] == field or reply.json()["message"].startswith(
        field + ":"), reply.text
    assert demo.get("/incidents", token).json() == []


def test_a_client_before_system_incidents_is_sent_camera_incidents_only(demo: Backend) -> None:
    from common import versions

    token = demo.login("ioc.operator")
    camera = demo.post("/incidents", token, json={"camera_id": _camera(demo), "kind": "offline"})
    system = demo.post("/incidents", token, json=NETWORK_FAULT)
    assert camera.status_code == system.status_code == 201

    def listed(level: int) -> list[int]:
        return [i["id"] for i in demo.client.get("/api/v1/incidents", headers={
            "Authorization": f"Bearer {token}", "User-Agent": f"{versions.CLIENT_AGENT}/0.1.0",
            versions.API_LEVEL_HEADER: str(level)}).json()]

    assert listed(1) == [camera.json()["id"]]
    assert listed(2) == [system.json()["id"], camera.json()["id"]]
