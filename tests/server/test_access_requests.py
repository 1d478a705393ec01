"""Other agencies' access requests: filed with content, purpose, commitment and a PDF letter;
granted for named cameras and a limited time (the agency's camera list follows the grant and
empties by itself when it ends), or rejected with a reason; revoked early."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from tests.server.conftest import Backend

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _cameras(demo: Backend, token: str) -> list[int]:
    return sorted(c["id"] for c in demo.get("/cameras", token).json())


def _systems(demo: Backend) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for camera in demo.get("/cameras", demo.login("ioc.operator")).json():
        found.setdefault(camera["system"], []).append(camera["id"])
    return found


def _file(demo: Backend, token: str, camera_ids: list[int], letter: bytes = PDF,
          **fields: Any) -> Any:
    now = demo.clock.now
    data = {"content": "Xem camera khu vực chợ Đồng Hới", "purpose": "Điều tra vụ trộm cắp tài sản",
            "commitment": "Cam kết chỉ sử dụng cho mục đích đã nêu",
            "camera_ids": ",".join(map(str, camera_ids)),
            "wanted_from": now.isoformat(), "wanted_until": (now + timedelta(days=2)).isoformat(),
            **fields}
    return demo.client.post("/api/v1/access-requests",
                            headers={"Authorization": f"Bearer {token}"}, data=data,
                            files={"letter": ("cong-van.pdf", letter, "application/pdf")})


def test_grant_follows_into_the_camera_list_and_ends_by_itself(demo: Backend) -> None:
    agency = demo.login("agency.viewer")
    ioc = demo.login("ioc.operator")
    systems = _systems(demo)
    wanted = sorted(systems["smart_city"][:2])
    assert _cameras(demo, agency) == []
    reply = _file(demo, agency, wanted)
    assert reply.status_code == 201, reply.text
    filed = reply.json()
    assert filed["state"] == "requested" and filed["camera_ids"] == wanted
    assert filed["letter"] == {"filename": "cong-van.pdf",
                               "sha256": hashlib.sha256(PDF).hexdigest()}
    letter = demo.get(f"/access-requests/{filed['id']}/letter", ioc)
    assert letter.status_code == 200 and letter.content == PDF
    assert _cameras(demo, agency) == []  # nothing before the decision
    # the agency cannot grant itself; a camera not asked for cannot be granted
    until = (demo.clock.now + timedelta(hours=2)).isoformat()
    assert demo.post(f"/access-requests/{filed['id']}/grant", agency,
                     json={"camera_ids": wanted[:1], "valid_until": until}).status_code == 403
    other = next(c for c in systems["smart_city"] + systems.get("public", []) if c not in wanted)
    reply = demo.post(f"/access-requests/{filed['id']}/grant", ioc,
                      json={"camera_ids": [other], "valid_until": until})
    assert reply.status_code == 422 and "camera_ids" in reply.text
    reply = demo.post(f"/access-requests/{filed['id']}/grant", ioc,
                      json={"camera_ids": wanted[:1], "valid_until": until})
    assert reply.status_code == 200, reply.text
    granted = reply.json()
    assert granted["state"] == "granted" and [g["camera_id"] for g in granted["grants"]] == \
        wanted[:1] and granted["grants"][0]["active"] is True
    # the existing grant rule: the agency now sees exactly the named camera, view only
    cameras = demo.get("/cameras", agency).json()
    assert [c["id"] for c in cameras] == wanted[:1]
    assert cameras[0]["actions"] == ["view"]
    assert demo.get(f"/cameras/{wanted[1]}", agency).status_code == 404
    assert demo.post(f"/access-requests/{filed['id']}/reject", ioc,
                     json={"reason": "muộn"}).status_code == 409
    # the grant ends by itself
    demo.clock.advance(timedelta(hours=2))
    agency = demo.login("agency.viewer")
    assert _cameras(demo, agency) == []
    assert demo.get(f"/cameras/{wanted[0]}", agency).status_code == 404
    assert demo.get(f"/access-requests/{filed['id']}", agency).json()["grants"][0]["active"] \
        is False
    events = [r["event"] for r in demo.audit_rows("access_")]
    assert events == ["access_request", "access_grant"]


def test_reject_with_reason_and_early_revoke(demo: Backend) -> None:
    agency = demo.login("agency.viewer")
    ioc = demo.login("ioc.operator")
    camera = _systems(demo)["smart_city"][0]
    first = _file(demo, agency, [camera]).json()
    assert demo.post(f"/access-requests/{first['id']}/reject", ioc,
                     json={"reason": ""}).status_code == 422
    rejected = demo.post(f"/access-requests/{first['id']}/reject", ioc,
                         json={"reason": "Mục đích chưa rõ"})
    assert rejected.status_code == 200
    assert rejected.json()["state"] == "rejected"
    assert rejected.json()["reject_reason"] == "Mục đích chưa rõ"
    assert _cameras(demo, agency) == []
    second = _file(demo, agency, [camera]).json()
    until = (demo.clock.now + timedelta(days=1)).isoformat()
    assert demo.post(f"/access-requests/{second['id']}/grant", ioc,
                     json={"camera_ids": [camera], "valid_until": until}).status_code == 200
    assert _cameras(demo, agency) == [camera]
    demo.clock.advance(timedelta(minutes=10))
    revoked = demo.post(f"/access-requests/{second['id']}/revoke", ioc)
    assert revoked.status_code == 200, revoked.text
    assert _cameras(demo, agency) == []
    assert demo.post(f"/access-requests/{second['id']}/revoke", ioc).status_code == 409
    # the agency sees its own requests, the operating unit all
    assert [r["id"] for r in demo.get("/access-requests", agency).json()] == [second["id"],
                                                                             first["id"]]


def test_requests_are_checked(demo: Backend) -> None:
    agency = demo.login("agency.viewer")
    police = demo.login("police.commander")
    systems = _systems(demo)
    camera = systems["smart_city"][0]
    assert _file(demo, police, [camera]).status_code == 403
    reply = _file(demo, agency, [camera], letter=b"not a pdf")
    assert reply.status_code == 422 and "letter" in reply.text
    reply = _file(demo, agency, [camera], purpose="ngắn")
    assert reply.status_code == 422 and "purpose" in reply.text
    reply = _file(demo, agency, [999999])
    assert reply.status_code == 422 and "camera_ids" in reply.text
    reply = _file(demo, agency, [systems["traffic"][0]])  # the demo has all three systems
    assert reply.status_code == 422 and "traffic" in reply.text
    reply = _file(demo, agency, [camera],
                  wanted_until=(demo.clock.now - timedelta(hours=1)).isoformat())
    assert reply.status_code == 422 and "wanted_until" in reply.text
    reply = demo.client.post("/api/v1/access-requests",
                             headers={"Authorization": f"Bearer {agency}"},
                             json={"content": "x" * 20, "purpose": "y" * 20,
                                   "commitment": "z" * 20, "camera_ids": [camera],
                                   "wanted_from": demo.clock.now.isoformat(),
                                   "wanted_until": (demo.clock.now + timedelta(days=1)
                                                    ).isoformat()})
    assert reply.status_code == 422 and "letter" in reply.text


def test_agencies_choose_from_a_camera_catalogue_without_stream_fields(demo: Backend) -> None:
    """An agency has no camera before a grant, so ``/cameras`` is empty for it; the catalogue
    names what it may ask for (smart-city and public, never traffic): id, name, ward and
    location only. The operating unit reads the same list; other units get 403. Audited."""
    agency = demo.login("agency.viewer")
    ioc = demo.login("ioc.operator")
    all_cameras = {c["id"]: c for c in demo.get("/cameras", ioc).json()}
    grantable = {i for i, c in all_cameras.items() if c["system"] in ("smart_city", "public")}
    assert grantable and grantable != set(all_cameras)  # the demo has traffic cameras too
    before = len(demo.audit_rows("access_camera_catalogue"))

    reply = demo.get("/access-requests/cameras", agency)
    assert reply.status_code == 200, reply.text
    listed = reply.json()
    assert {c["id"] for c in listed} == grantable
    assert all(set(c) == {"id", "name", "ward", "location"} for c in listed)
    for row in listed:
        camera = all_cameras[row["id"]]
        assert (row["name"], row["ward"], row["location"]) == (
            camera["name"], camera["ward"], camera["location"])
    assert [(c["ward"], c["name"]) for c in listed] == sorted((c["ward"], c["name"])
                                                              for c in listed)
    text = reply.text
    for secret in ("rtsp://", "stream", "onvif", "password", "owner", "user"):
        assert secret not in text.lower(), secret
    assert demo.get("/cameras", agency).json() == []  # the catalogue grants nothing

    # what the agency files from it is accepted; the operating unit sees the same catalogue
    assert _file(demo, agency, [listed[0]["id"], listed[-1]["id"]]).status_code == 201
    assert demo.get("/access-requests/cameras", ioc).json() == listed
    for username in ("police.officer", "traffic.officer", "ward.dongphu.police",
                     "ward.dongphu.committee"):
        refused = demo.get("/access-requests/cameras", demo.login(username))
        assert refused.status_code == 403, (username, refused.text)
        assert "Only other agencies file access requests" in refused.json()["message"]
    assert demo.client.get("/api/v1/access-requests/cameras").status_code == 401

    rows = demo.audit_rows("access_camera_catalogue")[before:]
    assert [(r["username"], r["detail"]) for r in rows] == [
        ("agency.viewer", {"count": len(grantable)}), ("ioc.operator", {"count": len(grantable)})]
