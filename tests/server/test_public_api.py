"""The public API (Art. 14): no login, read-only, rate-limited; only the cameras and violation
media the operating unit marked public; never a non-public camera, a credential, a stream path,
a person's name or a user's internal id."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from server.models import Camera, User
from tests.server.conftest import Backend, camera_entry
from tests.server.test_cases import insert_ready_clip, vn
from tests.server.test_publications import publish

NOTE = "Nguyễn Văn Bình, biển số 73A-123.45, vượt đèn đỏ"


def _all_user_facts(demo: Backend) -> tuple[set[int], set[str]]:
    with demo.client.app.state.runtime.sessions() as session:
        users = session.execute(select(User)).scalars().all()
        return {u.id for u in users}, {u.username for u in users} | {u.full_name for u in users}


def _secrets() -> list[str]:
    found = []
    for index in range(8):
        entry = camera_entry(index)
        found += [entry["rtsp_password"], entry["rtsp_username"], entry["main_url"],
                  entry["sub_url"]]
        if entry["onvif_password"]:
            found += [entry["onvif_password"], entry["onvif_username"]]
    return found


def _assert_clean(text: str, demo: Backend, hidden_names: list[str]) -> None:
    for secret in _secrets():
        assert secret not in text
    assert "rtsp://" not in text and "onvif" not in text.lower()
    _ids, names = _all_user_facts(demo)
    for name in names:
        assert name not in text
    for name in hidden_names:
        assert name not in text
    for key in ("user", "username", "author", "requester", "opened_by", "note", "email"):
        assert f'"{key}' not in text


def _clip_file(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=320x240:rate=10", "-t", "1", "-c:v", "libx264", "-preset",
                    "ultrafast", "-movflags", "+faststart", str(path)], check=True)
    return path


def test_only_public_cameras_and_published_violations(demo: Backend, tmp_path: Path) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    cameras = demo.get("/cameras", ioc).json()
    seeded = [c for c in cameras if c["public"]]  # the demo publishes a few already
    shown = next(c for c in cameras if not c["public"] and c["system"] == "traffic")
    hidden = [c for c in cameras if not c["public"] and c is not shown]
    assert hidden
    admin = demo.login("ioc.admin")
    catalogue = demo.get("/public-catalogue", admin).json()
    assert demo.put("/admin/public-catalogue", admin, json={
        **catalogue, "camera_ids": catalogue["camera_ids"] + [shown["id"]]}).status_code == 200
    assert demo.put(f"/cameras/{shown['id']}/public", police,
                    json={"public": True}).status_code == 403
    reply = demo.put(f"/cameras/{shown['id']}/public", ioc, json={"public": True})
    assert reply.status_code == 200 and reply.json()["public"] is True
    listed = demo.client.get("/public/v1/cameras")
    assert listed.status_code == 200
    expected = sorted(seeded + [shown], key=lambda c: (c["name"], c["id"]))
    assert listed.json() == [{"id": c["id"], "name": c["name"], "ward": c["ward"]["name"]
                              if isinstance(c["ward"], dict) else c["ward"],
                              "location": c["location"], "snapshot": None} for c in expected]
    _assert_clean(listed.text, demo, [c["name"] for c in hidden])
    # a published case on a NON-public camera: its media and title, no camera, no note
    secret_camera = hidden[0]
    clip = insert_ready_clip(demo, secret_camera["id"], vn(2026, 3, 2, 7, 30), _clip_file(tmp_path))
    case = demo.post("/cases", ioc, json={"kind": "red_light", "clip_request_id": clip,
                                          "note": NOTE}).json()
    quiet = demo.post("/cases", ioc, json={"kind": "lane", "clip_request_id": clip}).json()
    assert demo.client.get("/public/v1/violations").json() == []
    publish(demo, case["id"], "Vượt đèn đỏ tại nút giao", clip)
    published = demo.client.get("/public/v1/violations")
    assert published.json() == [{"id": case["id"], "kind": "red_light",
                                 "title": "Vượt đèn đỏ tại nút giao",
                                 "ward": published.json()[0]["ward"], "detected_on": "2026-03-02",
                                 "camera": None,
                                 "media": f"/public/v1/violations/{case['id']}/media"}]
    _assert_clean(published.text, demo, [c["name"] for c in hidden] + [NOTE, "73A-123.45"])
    media = demo.client.get(f"/public/v1/violations/{case['id']}/media")
    assert media.status_code == 200 and media.headers["content-type"] == "video/mp4"
    assert demo.client.get(f"/public/v1/violations/{quiet['id']}/media").status_code == 404
    # nothing about a non-public camera, and taking a camera back hides it
    assert demo.client.get(f"/public/v1/cameras/{secret_camera['id']}/snapshot"
                           ).status_code == 404
    assert demo.put(f"/cameras/{shown['id']}/public", ioc, json={"public": False}
                    ).status_code == 200
    assert [c["id"] for c in demo.client.get("/public/v1/cameras").json()] == [
        c["id"] for c in sorted(seeded, key=lambda c: (c["name"], c["id"]))]
    events = [r["event"] for r in demo.audit_rows("camera_")
              if r["event"] in ("camera_publish", "camera_unpublish")]
    assert events == ["camera_publish", "camera_unpublish"]


def test_public_api_is_read_only_and_needs_no_login(demo: Backend) -> None:
    assert demo.client.post("/public/v1/cameras", json={}).status_code == 405
    assert demo.client.delete("/public/v1/violations").status_code == 405
    assert demo.client.get("/public/v1/cameras").status_code == 200


def test_rate_limit_per_address(demo: Backend) -> None:
    """The app's clock stands still here: 60 requests pass, the 61st waits; a second later one
    more passes."""
    for _ in range(60):
        assert demo.client.get("/public/v1/cameras").status_code == 200
    refused = demo.client.get("/public/v1/violations")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    demo.clock.advance(timedelta(seconds=1))
    assert demo.client.get("/public/v1/cameras").status_code == 200
    assert demo.client.get("/public/v1/cameras").status_code == 429
    # the authenticated API is not limited by it
    assert demo.get("/cameras", demo.login("ioc.operator")).status_code == 200


def test_snapshot_of_a_public_recorded_camera(recorded_backend: Backend) -> None:
    backend = recorded_backend
    ioc = backend.login("ioc.operator")
    with backend.client.app.state.runtime.sessions() as session:
        camera = session.execute(select(Camera).where(Camera.external_id == "lab:0")
                                 ).scalar_one()
        camera_id, camera.system = camera.id, "traffic"  # only traffic cameras go public
        session.commit()
    admin = backend.login("ioc.admin")
    assert backend.put("/admin/public-catalogue", admin, json={
        "camera_ids": [camera_id], "violation_kinds": []}).status_code == 200
    assert backend.put(f"/cameras/{camera_id}/public", ioc, json={"public": True}
                       ).status_code == 200
    listed: list[dict[str, Any]] = backend.client.get("/public/v1/cameras").json()
    snapshots = {c["id"]: c["snapshot"] for c in listed}
    assert snapshots[camera_id] == f"/public/v1/cameras/{camera_id}/snapshot"
    assert [s for cid, s in snapshots.items() if cid != camera_id] == [None] * (len(listed) - 1)
    shot = backend.client.get(snapshots[camera_id])
    assert shot.status_code == 200 and shot.headers["content-type"] == "image/jpeg"
    assert shot.content.startswith(b"\xff\xd8") and len(shot.content) > 1000
    assert re.search(rb"\xff\xd9$", shot.content)


def test_publication_refusals_name_the_field(demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    camera = next(c for c in demo.get("/cameras", ioc).json() if not c["public"])
    for body, field in (({"public": "yes"}, "public"), ({}, "public"),
                        ({"public": True, "extra": 1}, "extra")):
        reply = demo.put(f"/cameras/{camera['id']}/public", ioc, json=body)
        assert reply.status_code == 422 and field in reply.text, (body, reply.text)
    assert demo.put("/cameras/99999/public", ioc, json={"public": True}).status_code == 404
    assert camera["id"] not in {c["id"] for c in demo.client.get("/public/v1/cameras").json()}
