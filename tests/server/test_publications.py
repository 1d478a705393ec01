"""Publication (Art. 11.3.a, 14): by two people, from the catalogue, never unblurred; withdrawn
at once. Each refusal has its test; the published media is the blurred file."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from tests.server.conftest import Backend
from tests.server.test_cases import insert_ready_clip, vn
from tests.server.test_redaction import _gray_frame, detail

BOX = [0.25, 0.25, 0.4, 0.4]


def _clip(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.mp4"
    if path.exists():
        return path
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=320x240:rate=10", "-t", "3", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path)],
                   check=True)
    return path


def _camera(demo: Backend, token: str, *, system: str, public: bool | None = None) -> Any:
    return next(c for c in demo.get("/cameras", token).json()
                if c["system"] == system and (public is None or c["public"] is public))


def _case(demo: Backend, token: str, tmp_path: Path, kind: str = "red_light"
          ) -> tuple[int, int]:
    camera = _camera(demo, token, system="traffic")
    clip = insert_ready_clip(demo, camera["id"], vn(2026, 3, 2, 7, 30), _clip(tmp_path))
    reply = demo.post("/cases", token, json={"kind": kind, "clip_request_id": clip})
    assert reply.status_code == 201, reply.text
    return reply.json()["id"], clip


def _redacted(demo: Backend, token: str, publication_id: int) -> dict[str, Any]:
    assert demo.client.app.state.runtime.redactor.wait_idle(120)
    return dict(demo.get(f"/publications/{publication_id}", token).json())


def publish(demo: Backend, case_id: int, title: str, clip: int | None = None) -> dict[str, Any]:
    """The whole procedure: the operator proposes (no box), reviews, the IOC leader approves."""
    operator, leader = demo.login("ioc.operator"), demo.login("ioc.leader")
    reply = demo.post("/publications", operator, json={"case_id": case_id, "title": title,
                                                       "clip_request_id": clip})
    assert reply.status_code == 201, reply.text
    item = _redacted(demo, operator, reply.json()["id"])
    assert demo.post(f"/publications/{item['id']}/review", operator,
                     json={"note": "Không có người qua đường"}).status_code == 200
    approved = demo.post(f"/publications/{item['id']}/approve", leader)
    assert approved.status_code == 200, approved.text
    return dict(approved.json())


def test_two_people_publish_a_blurred_clip_and_withdraw_it_at_once(demo: Backend,
                                                                  tmp_path: Path) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    operator, leader = demo.login("ioc.operator"), demo.login("ioc.leader")
    case_id, clip = _case(demo, operator, tmp_path)
    reply = demo.post("/publications", operator, json={
        "case_id": case_id, "title": "Vượt đèn đỏ tại nút giao", "clip_request_id": clip,
        "tracks": [[{"t": 0, "box": BOX}]]})
    assert reply.status_code == 201, reply.text
    item = reply.json()
    assert item["state"] == "redacting" and item["proposed_by"]["username"] == "ioc.operator"
    # nothing unblurred, unreviewed or one-person is ever public
    item = _redacted(demo, operator, item["id"])
    assert item["state"] == "redacted", item
    refused = demo.post(f"/publications/{item['id']}/approve", leader)
    assert refused.status_code == 409 and "reviewed" in refused.json()["message"]
    assert demo.client.get("/public/v1/violations").json() == []
    reviewed = demo.post(f"/publications/{item['id']}/review", operator,
                         json={"note": "Đã làm mờ biển số và khuôn mặt người đi đường"})
    assert reviewed.status_code == 200 and reviewed.json()["reviewed_by"]["username"] == \
        "ioc.operator"
    assert demo.post(f"/publications/{item['id']}/approve", operator).status_code == 403
    approved = demo.post(f"/publications/{item['id']}/approve", leader)
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "published"
    assert approved.json()["approved_by"]["username"] == "ioc.leader"

    listed = demo.client.get("/public/v1/violations").json()
    assert [(v["id"], v["title"]) for v in listed] == [(case_id, "Vượt đèn đỏ tại nút giao")]
    media = demo.client.get(f"/public/v1/violations/{case_id}/media")
    assert media.status_code == 200
    original = (tmp_path / "evidence.mp4").read_bytes()
    assert media.content != original
    assert hashlib.sha256(media.content).hexdigest() == approved.json()["redacted_sha256"]
    served = tmp_path / "served.mp4"
    served.write_bytes(media.content)
    before, after = _gray_frame(tmp_path / "evidence.mp4", 1.5), _gray_frame(served, 1.5)
    box = (BOX[0], BOX[1], BOX[2], BOX[3])
    assert detail(after, box) < 0.3 * detail(before, box)
    assert np.abs(after[200:, :] - before[200:, :]).mean() < 12  # the rest is the picture

    # withdrawn at once, with a reason, recorded
    assert demo.post(f"/publications/{item['id']}/withdraw", operator,
                     json={}).status_code == 422
    withdrawn = demo.post(f"/publications/{item['id']}/withdraw", operator,
                          json={"reason": "Người dân phản ánh nhận ra người trong clip"})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert demo.client.get("/public/v1/violations").json() == []
    assert demo.client.get(f"/public/v1/violations/{case_id}/media").status_code == 404
    events = [r["event"] for r in demo.audit_rows("publication_")]
    assert events == ["publication_propose", "publication_redacted", "publication_review",
                      "publication_approve", "publication_withdraw"]
    history = [e["action"] for e in demo.get(f"/cases/{case_id}", operator).json()["events"]]
    assert history[-2:] == ["publish", "unpublish"]


def test_a_picture_of_the_clip_to_draw_on(demo: Backend, tmp_path: Path) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    operator, police = demo.login("ioc.operator"), demo.login("police.commander")
    _case_id, clip = _case(demo, operator, tmp_path)
    reply = demo.get(f"/publications/frames/{clip}", operator, params={"at": 1.5})
    assert reply.status_code == 200 and reply.headers["content-type"] == "image/jpeg"
    assert reply.content.startswith(b"\xff\xd8")
    assert demo.get(f"/publications/frames/{clip}", police).status_code == 404
    assert demo.get(f"/publications/frames/{clip}", operator,
                    params={"at": 99}).status_code == 404
    loose = insert_ready_clip(demo, _camera(demo, operator, system="traffic")["id"],
                              vn(2026, 3, 2, 8), tmp_path / "evidence.mp4")
    assert demo.get(f"/publications/frames/{loose}", operator).status_code == 404  # no case


def test_one_person_cannot_publish(demo: Backend, tmp_path: Path) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    leader = demo.login("ioc.leader")
    case_id, _clip_id = _case(demo, leader, tmp_path)
    item = demo.post("/publications", leader, json={"case_id": case_id,
                                                    "title": "Vượt đèn đỏ"}).json()
    assert item["state"] == "redacted"  # no clip: only the title to review
    assert demo.post(f"/publications/{item['id']}/review", leader,
                     json={"note": "Tiêu đề không có thông tin cá nhân"}).status_code == 200
    refused = demo.post(f"/publications/{item['id']}/approve", leader)
    assert refused.status_code == 403 and "two people" in refused.json()["message"]
    assert demo.client.get("/public/v1/violations").json() == []


def test_refusals_name_the_field_or_the_rule(demo: Backend, tmp_path: Path) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    operator, police, admin = (demo.login(u) for u in ("ioc.operator", "police.commander",
                                                       "ioc.admin"))
    case_id, clip = _case(demo, operator, tmp_path)
    # a violation kind the catalogue does not list (not a traffic violation)
    order_case, _ = _case(demo, operator, tmp_path, kind="public_order")
    reply = demo.post("/publications", operator, json={"case_id": order_case,
                                                       "title": "Gây rối trật tự"})
    assert reply.status_code == 409 and "catalogue" in reply.json()["message"]
    # only the operating unit proposes (city police read the case once it is sent to them);
    # the others see no proposal at all
    assert demo.post("/publications", police, json={"case_id": case_id,
                                                    "title": "Vượt đèn đỏ"}).status_code == 404
    assert demo.post(f"/cases/{case_id}/send", operator, json={}).status_code == 200
    assert demo.post("/publications", police, json={"case_id": case_id,
                                                    "title": "Vượt đèn đỏ"}).status_code == 403
    for body, field in (
        ({"case_id": case_id, "title": "ab"}, "title"),
        ({"case_id": case_id, "title": "Vượt đèn đỏ", "clip_request_id": clip,
          "tracks": [[{"t": 99, "box": BOX}]]}, "tracks"),
        ({"case_id": case_id, "title": "Vượt đèn đỏ", "clip_request_id": clip,
          "tracks": [[{"t": 0, "box": [0.9, 0.9, 0.5, 0.5]}]]}, "tracks"),
        ({"case_id": case_id, "title": "Vượt đèn đỏ", "tracks": [[{"t": 0, "box": BOX}]]},
         "tracks"),
    ):
        reply = demo.post("/publications", operator, json=body)
        assert reply.status_code == 422 and field in reply.text, (body, reply.text)
    item = demo.post("/publications", operator, json={"case_id": case_id, "title": "Vượt đèn đỏ",
                                                      "clip_request_id": clip}).json()
    again = demo.post("/publications", operator, json={"case_id": case_id,
                                                       "title": "Vượt đèn đỏ"})
    assert again.status_code == 409
    assert demo.get("/publications", police).json() == []
    assert demo.get(f"/publications/{item['id']}", police).status_code == 404
    assert demo.post(f"/publications/{item['id']}/reject", operator, json={}).status_code == 422
    assert demo.post(f"/publications/{item['id']}/reject", operator,
                     json={"reason": "Chưa che biển số"}).json()["state"] == "rejected"
    _redacted(demo, operator, item["id"])  # a rejected one stays rejected once blurred
    assert demo.get(f"/publications/{item['id']}", operator).json()["state"] == "rejected"

    # the catalogue: administrators only, traffic cameras and traffic violations only
    catalogue = demo.get("/public-catalogue", operator).json()
    assert set(catalogue["violation_kinds"]) == {"red_light", "lane", "stopping_parking",
                                                "other_traffic"}
    assert demo.put("/admin/public-catalogue", operator, json=catalogue).status_code == 403
    smart = _camera(demo, operator, system="smart_city")
    for body, field in (({**catalogue, "violation_kinds": ["public_order"]}, "violation_kinds"),
                        ({**catalogue, "camera_ids": [smart["id"]]}, "camera_ids")):
        reply = demo.put("/admin/public-catalogue", admin, json=body)
        assert reply.status_code == 422 and field in reply.text, reply.text


def test_only_catalogued_traffic_cameras_are_public(demo: Backend) -> None:
    operator, admin = demo.login("ioc.operator"), demo.login("ioc.admin")
    cameras = demo.get("/cameras", operator).json()
    school = next(c for c in cameras if c.get("owner_category") == "school"
                  or "Trường" in c.get("owner", ""))
    reply = demo.put(f"/cameras/{school['id']}/public", operator, json={"public": True})
    assert reply.status_code == 409 and "traffic" in reply.json()["message"]
    smart = next(c for c in cameras if c["system"] == "smart_city")
    assert demo.put(f"/cameras/{smart['id']}/public", operator,
                    json={"public": True}).status_code == 409
    quiet = next(c for c in cameras if c["system"] == "traffic" and not c["public"])
    reply = demo.put(f"/cameras/{quiet['id']}/public", operator, json={"public": True})
    assert reply.status_code == 409 and "catalogue" in reply.json()["message"]

    shown = [c["id"] for c in demo.client.get("/public/v1/cameras").json()]
    assert shown and all(c["system"] == "traffic" for c in cameras if c["id"] in shown)
    catalogue = demo.get("/public-catalogue", admin).json()
    assert demo.put("/admin/public-catalogue", admin,
                    json={**catalogue, "camera_ids": catalogue["camera_ids"] + [quiet["id"]]}
                    ).status_code == 200
    assert demo.put(f"/cameras/{quiet['id']}/public", operator,
                    json={"public": True}).status_code == 200
    assert quiet["id"] in [c["id"] for c in demo.client.get("/public/v1/cameras").json()]
    # out of the catalogue: off the public at once, and audited with what it was before
    assert demo.put("/admin/public-catalogue", admin,
                    json={**catalogue, "camera_ids": []}).status_code == 200
    assert demo.client.get("/public/v1/cameras").json() == []
    rows = demo.audit_rows("public_catalogue")
    assert rows[-1]["detail"]["after"]["traffic_camera"] == []
    assert str(quiet["id"]) in rows[-1]["detail"]["before"]["traffic_camera"]
