"""Violation cases: every deadline rule of Art. 11.3 / 13 on fixed dates (answers counted by hand
on the 2026 calendar: Tết 16–20/2, Hùng Kings 26/4 observed Mon 27/4, 30/4–1/5), the
due / due soon / overdue states, who may do which step, opening from a bookmark or a clip."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from server.cases import DeadlineStatus, deadline_state, deadlines
from server.models import ViolationCase
from server.working_calendar import VIETNAM, WorkingCalendar, default_data
from tests.server.conftest import Backend

CAL = WorkingCalendar(default_data())


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VIETNAM)


def case(**steps: Any) -> ViolationCase:
    values: dict[str, Any] = {"detected_at": vn(2026, 2, 13, 10), "complex": False,
                              "decision_kind": "simple", "handover_needed": False}
    values.update(steps)
    return ViolationCase(**values)


def due(item: ViolationCase, rule: str, now: datetime) -> tuple[datetime, str]:
    found = {d.rule: d for d in deadlines(item, CAL, now)}
    return found[rule].due_at, found[rule].status.value


def test_send_within_5_working_days_over_tet() -> None:
    # detected Fri 13/2/2026; Tết 14–22/2; 23, 24, 25, 26, 27/2 -> end of Fri 27/2
    item = case()
    assert due(item, "send_to_police", vn(2026, 2, 14)) == (vn(2026, 2, 28), "due")
    assert due(item, "send_to_police", vn(2026, 2, 27, 0, 0))[1] == "due_soon"
    assert due(item, "send_to_police", vn(2026, 2, 28, 0, 0))[1] == "overdue"
    assert due(case(sent_at=vn(2026, 2, 27, 16)), "send_to_police", vn(2026, 3, 9))[1] == "done"
    assert due(case(sent_at=vn(2026, 3, 2, 8)), "send_to_police", vn(2026, 3, 9))[1] == \
        "done_late"


def test_verify_within_one_month_or_two_when_complex() -> None:
    sent = vn(2026, 2, 25, 9)
    # 25/3/2026 is a Wednesday
    assert due(case(sent_at=sent), "verify", vn(2026, 3, 1)) == (vn(2026, 3, 26), "due")
    # 2 months: 25/4 Sat, 26 Sun (Hùng Kings), 27 Mon (observed) -> Tue 28/4
    assert due(case(sent_at=sent, complex=True), "verify", vn(2026, 3, 1))[0] == vn(2026, 4, 29)
    # the month window: due soon 3 days before the end
    assert due(case(sent_at=sent), "verify", vn(2026, 3, 23, 1))[1] == "due_soon"
    assert due(case(sent_at=sent), "verify", vn(2026, 3, 22, 23))[1] == "due"


def test_report_conclusion_within_5_working_days() -> None:
    # concluded Thu 26/3/2026: 27/3, 30/3, 31/3, 1/4, 2/4 -> end of Thu 2/4
    item = case(sent_at=vn(2026, 2, 25), concluded_at=vn(2026, 3, 26, 15))
    assert due(item, "report_conclusion", vn(2026, 3, 27)) == (vn(2026, 4, 3), "due")


def test_record_within_3_working_days_over_30_4_and_1_5() -> None:
    # identified Wed 29/4/2026: 30/4, 1/5 holidays, 2–3/5 weekend: 4, 5, 6/5 -> end of Wed 6/5
    item = case(sent_at=vn(2026, 4, 1), violator_identified_at=vn(2026, 4, 29, 14))
    assert due(item, "record", vn(2026, 4, 30)) == (vn(2026, 5, 7), "due")


def test_handover_within_24_hours_only_when_needed() -> None:
    made = vn(2026, 5, 5, 9)
    base = {"sent_at": vn(2026, 4, 1), "violator_identified_at": vn(2026, 5, 4),
            "record_made_at": made}
    assert "hand_over" not in {d.rule for d in deadlines(case(**base), CAL, made)}
    item = case(handover_needed=True, **base)
    assert due(item, "hand_over", made) == (vn(2026, 5, 6, 9), "due")
    assert due(item, "hand_over", vn(2026, 5, 6, 5, 1))[1] == "due_soon"
    assert due(item, "hand_over", vn(2026, 5, 6, 9))[1] == "overdue"


@pytest.mark.parametrize(("kind", "expected"), [
    ("simple", vn(2026, 5, 15)),  # 7 wd from Tue 5/5: 6, 7, 8, 11, 12, 13, 14/5
    ("transferred", vn(2026, 5, 20)),  # 10 wd: ... 15, 18, 19/5
    ("explanation", vn(2026, 6, 6)),  # 1 month: Fri 5/6
    ("especially_complex", vn(2026, 7, 7)),  # 2 months: 5/7 is a Sunday -> Mon 6/7
])
def test_penalty_decision_deadline_by_kind(kind: str, expected: datetime) -> None:
    item = case(sent_at=vn(2026, 4, 1), violator_identified_at=vn(2026, 5, 4),
                record_made_at=vn(2026, 5, 5, 9), decision_kind=kind)
    assert due(item, f"decision_{kind}", vn(2026, 5, 5, 10)) == (expected, "due")


def test_case_state_is_the_worst_pending_deadline_and_closed_cases_have_none() -> None:
    now = vn(2026, 5, 6, 10)
    item = case(sent_at=vn(2026, 2, 25), concluded_at=vn(2026, 3, 26),
                violator_identified_at=vn(2026, 5, 4), record_made_at=vn(2026, 5, 5, 9),
                handover_needed=True)
    found = deadlines(item, CAL, now)
    by_rule = {d.rule: d.status for d in found}
    assert by_rule["report_conclusion"] is DeadlineStatus.OVERDUE
    assert by_rule["hand_over"] is DeadlineStatus.OVERDUE
    assert by_rule["decision_simple"] is DeadlineStatus.DUE
    assert deadline_state(found) == "overdue"
    item.closed_at = now
    assert deadline_state(deadlines(item, CAL, now)) is None


# -- the API -----------------------------------------------------------------------------------

def _bookmark(demo: Backend, token: str, at: datetime) -> int:
    camera_id = next(iter(demo.camera_ids().values()))
    reply = demo.post("/bookmarks", token, json={"camera_id": camera_id, "at": at.isoformat(),
                                                 "note": "vượt đèn đỏ"})
    assert reply.status_code == 201, reply.text
    return int(reply.json()["id"])


def test_case_flow_with_roles_and_deadlines(demo: Backend) -> None:
    demo.clock.now = vn(2026, 2, 27, 9)
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    ward = demo.login("ward.dongphu.police")
    bookmark = _bookmark(demo, ioc, vn(2026, 2, 13, 10))
    assert demo.post("/cases", police, json={"kind": "red_light", "bookmark_id": bookmark}
                     ).status_code == 403
    reply = demo.post("/cases", ioc, json={"kind": "red_light", "bookmark_id": bookmark,
                                           "clip_request_id": 1})
    assert reply.status_code == 422 and "bookmark_id" in reply.text
    reply = demo.post("/cases", ioc, json={"kind": "speeding", "bookmark_id": bookmark})
    assert reply.status_code == 422 and "kind" in reply.text
    reply = demo.post("/cases", ioc, json={"kind": "red_light", "bookmark_id": bookmark,
                                           "note": "xe máy vượt đèn đỏ"})
    assert reply.status_code == 201, reply.text
    created = reply.json()
    case_id = created["id"]
    assert created["state"] == "opened" and created["detected_at"].startswith("2026-02-13T03:00")
    assert created["deadlines"] == [{
        "rule": "send_to_police", "article": "Art. 11.3.b",
        "starts_at": created["detected_at"], "due_at": "2026-02-27T17:00:00Z",
        "done_at": None, "status": "due_soon"}]
    assert created["actions"] == ["send"]
    # before the IOC sends it, the case is the operating unit's alone (Art. 11.3.a)
    assert demo.get(f"/cases/{case_id}", ward).status_code == 404
    assert demo.get(f"/cases/{case_id}", police).status_code == 404
    assert demo.post(f"/cases/{case_id}/send", police, json={}).status_code == 404
    assert demo.get("/cases", police).json() == []
    demo.clock.advance(timedelta(days=1))  # 28/2 09:00: past the end of 27/2
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    ward = demo.login("ward.dongphu.police")
    overdue = demo.get("/cases?deadline=overdue", ioc).json()
    assert [c["id"] for c in overdue] == [case_id]
    assert demo.get("/cases?deadline=due", ioc).json() == []
    reply = demo.post(f"/cases/{case_id}/send", ioc, json={"at": vn(2026, 3, 1).isoformat()})
    assert reply.status_code == 422 and "at: step times are the server's clock" in reply.text
    reply = demo.post(f"/cases/{case_id}/send", ioc, json={"complex": True})
    assert reply.status_code == 200, reply.text
    sent = reply.json()
    assert sent["state"] == "sent" and sent["complex"] is True
    rules = {d["rule"]: d for d in sent["deadlines"]}
    assert rules["send_to_police"]["status"] == "done_late"
    # sent Sat 28/2 + 2 months = Tue 28/4/2026 (a working day) -> end of 28/4
    assert rules["verify"]["due_at"] == "2026-04-28T17:00:00Z"
    assert demo.post(f"/cases/{case_id}/send", ioc, json={}).status_code == 409
    # received: city police list it; ward police read the cases of their own ward (Art. 11.2)
    # and take no step; police cannot send
    assert [c["id"] for c in demo.get("/cases", police).json()] == [case_id]
    read = demo.get(f"/cases/{case_id}", ward)
    assert read.status_code == 200 and read.json()["actions"] == []
    assert read.json()["record_actions"] == []
    assert demo.post(f"/cases/{case_id}/close", ward, json={"note": "x"}).status_code == 403
    reply = demo.post(f"/cases/{case_id}/identify_violator", police, json={})
    assert reply.status_code == 200
    reply = demo.post(f"/cases/{case_id}/make_record", police,
                      json={"decision_kind": "transferred", "handover_needed": True})
    assert reply.status_code == 200, reply.text
    made = reply.json()
    assert made["state"] == "record_made" and made["actions"] == [
        "conclude", "hand_over", "decide", "close"]
    rules = {d["rule"]: d for d in made["deadlines"]}
    assert rules["hand_over"]["due_at"] == "2026-03-01T02:00:00Z"  # 24 h after 28/2 09:00
    # 10 wd from Sat 28/2: 2, 3, 4, 5, 6, 9, 10, 11, 12, 13/3 -> end of Fri 13/3
    assert rules["decision_transferred"]["due_at"] == "2026-03-13T17:00:00Z"
    assert demo.post(f"/cases/{case_id}/decide", police, json={}).status_code == 200
    assert demo.post(f"/cases/{case_id}/close", police,
                     json={"note": "Đã ra quyết định xử phạt"}).status_code == 200
    closed = demo.get(f"/cases/{case_id}", ioc).json()
    assert closed["state"] == "closed" and closed["actions"] == []
    assert closed["deadline_state"] is None
    assert [e["action"] for e in closed["events"]] == [
        "open", "send", "identify_violator", "make_record", "decide", "close"]
    events = [r["event"] for r in demo.audit_rows("case_")]
    assert events == ["case_open", "case_send", "case_identify_violator", "case_make_record",
                      "case_decide", "case_close"]
    assert demo.post(f"/cases/{case_id}/hand_over", police, json={}).status_code == 409


def insert_ready_clip(demo: Backend, camera_id: int, start: datetime, path: Any = None) -> int:
    """A clip request row as the worker leaves it (the chain itself is tested in test_clips)."""
    from sqlalchemy import select

    from server.models import ClipRequest, User

    runtime = demo.client.app.state.runtime
    with runtime.sessions() as session:
        user = session.execute(select(User).where(User.username == "ioc.operator")).scalar_one()
        clip = ClipRequest(camera_id=camera_id, requester_id=user.id,
                           requester_unit_id=user.unit_id, chain="auto", state="ready",
                           start_at=start, end_at=start + timedelta(seconds=30),
                           purpose="Bằng chứng vi phạm", created_at=start, updated_at=start,
                           attempts=0, clip_path=str(path) if path else None,
                           clip_sha256="0" * 64 if path else None)
        session.add(clip)
        session.commit()
        return int(clip.id)


def test_case_opened_from_a_clip_and_more_evidence(demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    camera_id = next(iter(demo.camera_ids().values()))
    clip = insert_ready_clip(demo, camera_id, vn(2026, 3, 2, 7, 30))
    other = insert_ready_clip(demo, camera_id, vn(2026, 3, 2, 7, 45))
    reply = demo.post("/cases", ioc, json={"kind": "stopping_parking", "clip_request_id": 999})
    assert reply.status_code == 422 and "clip_request_id" in reply.text
    reply = demo.post("/cases", ioc, json={"kind": "stopping_parking", "clip_request_id": clip})
    assert reply.status_code == 201, reply.text
    created = reply.json()
    assert created["clip_request_ids"] == [clip] and created["camera_id"] == camera_id
    assert created["detected_at"] == "2026-03-02T00:30:00Z"
    added = demo.post(f"/cases/{created['id']}/clips", ioc, json={"clip_request_id": other})
    assert added.status_code == 200 and added.json()["clip_request_ids"] == [clip, other]
    again = demo.post(f"/cases/{created['id']}/clips", ioc, json={"clip_request_id": other})
    assert again.status_code == 409
    # detected Mon 2/3/2026 07:30: 3, 4, 5, 6, 9/3 -> end of Mon 9/3
    assert created["deadlines"][0]["due_at"] == "2026-03-09T17:00:00Z"


def test_each_steps_answer_lists_its_own_event(demo: Backend) -> None:
    """The answer to a step is the case as it is after the step: its event included (the
    events were loaded with the case before the new row was added)."""
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    camera_id = next(iter(demo.camera_ids().values()))
    clip = insert_ready_clip(demo, camera_id, vn(2026, 3, 2, 7, 30), path=__file__)
    other = insert_ready_clip(demo, camera_id, vn(2026, 3, 2, 7, 45))
    reply = demo.post("/cases", ioc, json={"kind": "red_light", "clip_request_id": clip})
    assert reply.status_code == 201, reply.text
    case_id = reply.json()["id"]
    expected = ["open"]
    assert [e["action"] for e in reply.json()["events"]] == expected
    steps: list[tuple[str, str, str, dict[str, Any]]] = [
        ("POST", f"/cases/{case_id}/clips", ioc, {"clip_request_id": other}),
        ("POST", f"/cases/{case_id}/send", ioc, {}),
        ("POST", f"/cases/{case_id}/conclude", police, {"note": "Đã xác minh"}),
        ("POST", f"/cases/{case_id}/identify_violator", police, {}),
        ("POST", f"/cases/{case_id}/make_record", police, {"handover_needed": True}),
        ("POST", f"/cases/{case_id}/hand_over", police, {}),
        ("POST", f"/cases/{case_id}/decide", police, {}),
        ("POST", f"/cases/{case_id}/close", police, {"note": "Đã xử phạt xong"}),
    ]
    for method, path, token, body in steps:
        action = {"clips": "add_clip"}.get(path.rsplit("/", 1)[1], path.rsplit("/", 1)[1])
        expected.append(action)
        reply = demo.client.request(method, f"/api/v1{path}", json=body,
                                    headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 200, (path, reply.text)
        assert [e["action"] for e in reply.json()["events"]] == expected, path
        assert [e["action"] for e in demo.get(f"/cases/{case_id}", ioc).json()["events"]] == \
            expected


# -- records the regulation can rely on (Art. 5, 11.3, 13) ---------------------------------------

def _opened(demo: Backend, ioc: str, **extra: Any) -> dict[str, Any]:
    bookmark = _bookmark(demo, ioc, demo.clock.now - timedelta(hours=1))
    reply = demo.post("/cases", ioc, json={"kind": "red_light", "bookmark_id": bookmark,
                                           **extra})
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


def test_declared_detection_is_checked_and_kept_with_who_declared_it(demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    camera_id = next(iter(demo.camera_ids().values()))
    # the bookmark at 08:00 keeps 07:59:30–08:00:30
    bookmark = _bookmark(demo, ioc, vn(2026, 3, 2, 8))

    def open_with(detected: datetime) -> Any:
        return demo.post("/cases", ioc, json={"kind": "lane", "bookmark_id": bookmark,
                                              "detected_at": detected.isoformat()})

    future = open_with(vn(2026, 3, 2, 9, 30))
    assert future.status_code == 422 and "detected_at: in the future" in future.text
    after = open_with(vn(2026, 3, 2, 8) + timedelta(seconds=10))
    assert after.status_code == 422 and "detected_at: after the bookmark" in after.text
    before = open_with(vn(2026, 3, 2, 7, 59))
    assert before.status_code == 422 and "detected_at: before the start" in before.text
    reply = open_with(vn(2026, 3, 2, 8) - timedelta(seconds=20))
    assert reply.status_code == 201, reply.text
    case = reply.json()
    assert case["detected_at"] == "2026-03-02T00:59:40Z"
    assert case["detected_declared_by"]["username"] == "ioc.operator"
    assert case["opened_at"] == "2026-03-02T02:00:00Z"
    opened = case["events"][0]
    assert opened["declared_at"] == "2026-03-02T00:59:40Z"
    assert opened["declared_by"]["username"] == "ioc.operator"
    assert opened["recorded_at"] == "2026-03-02T02:00:00Z"
    # the bookmark's own moment is not a declaration
    plain = open_with(vn(2026, 3, 2, 8)).json()
    assert plain["detected_declared_by"] is None and plain["events"][0]["declared_at"] is None
    # a clip: within its start and end
    clip = insert_ready_clip(demo, camera_id, vn(2026, 3, 2, 7, 30))
    reply = demo.post("/cases", ioc, json={"kind": "lane", "clip_request_id": clip,
                                           "detected_at": vn(2026, 3, 2, 7, 31).isoformat()})
    assert reply.status_code == 422 and "detected_at: after the clip's end" in reply.text


def test_a_declared_time_more_than_the_window_back_is_refused(demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 10, 9)
    ioc = demo.login("ioc.operator")
    camera_id = next(iter(demo.camera_ids().values()))
    clip = insert_ready_clip(demo, camera_id, vn(2026, 3, 6, 8))  # four days back
    reply = demo.post("/cases", ioc, json={"kind": "lane", "clip_request_id": clip,
                                           "detected_at": (vn(2026, 3, 6, 8) + timedelta(
                                               seconds=10)).isoformat()})
    assert reply.status_code == 422, reply.text
    assert "detected_at: more than 72 hours before the server's clock" in reply.text
    # the clip's own start (no declaration) opens it
    assert demo.post("/cases", ioc, json={"kind": "lane", "clip_request_id": clip}
                     ).status_code == 201


def test_only_identify_violator_takes_a_declared_time_within_bounds(demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    police = demo.login("police.officer")
    case_id = _opened(demo, ioc)["id"]
    backdated = demo.post(f"/cases/{case_id}/send", ioc,
                          json={"at": vn(2026, 3, 2, 8, 30).isoformat()})
    assert backdated.status_code == 422
    assert "at: step times are the server's clock" in backdated.text
    assert demo.post(f"/cases/{case_id}/send", ioc, json={}).status_code == 200
    demo.clock.advance(timedelta(days=1))  # 3/3 09:00
    police = demo.login("police.officer")
    before_sent = demo.post(f"/cases/{case_id}/identify_violator", police,
                            json={"at": vn(2026, 3, 2, 8).isoformat()})
    assert before_sent.status_code == 422 and "at: before" in before_sent.text
    future = demo.post(f"/cases/{case_id}/identify_violator", police,
                       json={"at": vn(2026, 3, 3, 10).isoformat()})
    assert future.status_code == 422 and "at: in the future" in future.text
    reply = demo.post(f"/cases/{case_id}/identify_violator", police,
                      json={"at": vn(2026, 3, 2, 15).isoformat()})
    assert reply.status_code == 200, reply.text
    case = reply.json()
    assert case["steps"]["violator_identified"] == "2026-03-02T08:00:00Z"
    event = case["events"][-1]
    assert event["declared_by"]["username"] == "police.officer"
    assert datetime.fromisoformat(event["recorded_at"]) == vn(2026, 3, 3, 9)
    # the record's deadline counts from the time declared: 3, 4, 5/3 -> end of Thu 5/3
    rules = {d["rule"]: d for d in case["deadlines"]}
    assert rules["record"]["due_at"] == "2026-03-05T17:00:00Z"
    made = demo.post(f"/cases/{case_id}/make_record", police,
                     json={"at": vn(2026, 3, 3, 8).isoformat()})
    assert made.status_code == 422 and "at: step times" in made.text


def test_the_window_is_a_setting() -> None:
    from server.config import Settings

    settings = Settings.from_env({"IOCWALL_DECLARED_TIME_WINDOW_HOURS": "12"},
                                 data_dir="/tmp/x", database_url="sqlite://")
    assert settings.declared_time_window == timedelta(hours=12)
    assert Settings(data_dir="/tmp/x", database_url="sqlite://").declared_time_window == \
        timedelta(hours=72)


@pytest.mark.parametrize("path, body, field", [
    ("close", {}, "note"), ("close", {"note": "   "}, "note"),
    ("edit", {"complex": True}, "reason"), ("edit", {"complex": True, "reason": "  \t "},
                                            "reason")])
def test_closing_and_editing_need_a_reason(demo: Backend, path: str, body: dict[str, Any],
                                           field: str) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    case_id = _opened(demo, ioc)["id"]
    assert demo.post(f"/cases/{case_id}/send", ioc, json={}).status_code == 200
    reply = demo.post(f"/cases/{case_id}/{path}", ioc, json=body)
    assert reply.status_code == 422, reply.text
    assert field in reply.text
    assert demo.get(f"/cases/{case_id}", ioc).json()["state"] == "sent"


def test_rejecting_a_clip_or_an_access_request_needs_a_reason(demo: Backend) -> None:
    """Blank reasons are no reasons: the clip and access request rejections refuse them before
    looking at the record (422 naming ``reason``)."""
    token = demo.login("police.commander")
    for path in ("/clips/1/reject", "/access-requests/1/reject"):
        reply = demo.post(path, token, json={"reason": "     "})
        assert reply.status_code == 422 and reply.json()["field"] == "reason", (path, reply.text)
    reply = demo.post("/incidents/1/resolve", token, json={"resolution": "   "})
    assert reply.status_code == 422 and reply.json()["field"] == "resolution"


def _deadline(case: dict[str, Any], rule: str) -> str:
    return str({d["rule"]: d for d in case["deadlines"]}[rule]["due_at"])


def test_a_late_reclassification_keeps_the_deadline_until_a_leader_approves(
        demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    officer = demo.login("police.officer")
    leader = demo.login("police.commander")
    case_id = _opened(demo, ioc)["id"]
    # before sending: a classification, applied at once
    reply = demo.post(f"/cases/{case_id}/edit", ioc,
                      json={"note": "xe tải vượt đèn đỏ", "reason": "bổ sung mô tả"})
    assert reply.status_code == 200 and reply.json()["versions"][0]["status"] == "applied"
    sent = demo.post(f"/cases/{case_id}/send", ioc, json={"complex": False}).json()
    one_month = _deadline(sent, "verify")  # sent Mon 2/3 + 1 month -> end of Thu 2/4
    assert one_month == "2026-04-02T17:00:00Z"
    # after sending, a different value in a step is a reclassification: refused there
    refused = demo.post(f"/cases/{case_id}/conclude", officer, json={"complex": True})
    assert refused.status_code == 422 and "complex: the case is classified" in refused.text
    demo.clock.advance(timedelta(days=20))
    officer = demo.login("police.officer")
    leader = demo.login("police.commander")
    reply = demo.post(f"/cases/{case_id}/edit", officer,
                      json={"complex": True, "reason": "nhiều phương tiện liên quan"})
    assert reply.status_code == 200, reply.text
    case = reply.json()
    assert case["complex"] is True and case["deadline_complex"] is False
    assert _deadline(case, "verify") == one_month
    version = case["versions"][-1]
    assert (version["number"], version["status"], version["before"], version["after"]) == (
        2, "pending", {"complex": False}, {"complex": True})
    assert version["user"]["username"] == "police.officer"
    assert datetime.fromisoformat(version["at"]) == vn(2026, 3, 22, 9)
    assert "approve_version" not in case["record_actions"]  # an officer does not approve
    assert demo.post(f"/cases/{case_id}/versions/2/approve", officer,
                     json={"reason": "đồng ý"}).status_code == 403
    assert demo.post(f"/cases/{case_id}/versions/2/approve", leader,
                     json={"reason": " "}).status_code == 422
    assert demo.post(f"/cases/{case_id}/versions/9/approve", leader,
                     json={"reason": "đồng ý"}).status_code == 404
    assert demo.post(f"/cases/{case_id}/versions/1/approve", leader,
                     json={"reason": "đồng ý"}).status_code == 409  # applied already
    listed = demo.get(f"/cases/{case_id}", leader).json()
    assert "approve_version" in listed["record_actions"]
    reply = demo.post(f"/cases/{case_id}/versions/2/approve", leader,
                      json={"reason": "vụ việc phức tạp, đồng ý 2 tháng"})
    assert reply.status_code == 200, reply.text
    approved = reply.json()
    assert approved["deadline_complex"] is True
    assert _deadline(approved, "verify") == "2026-05-04T17:00:00Z"  # 2/5 is a Saturday
    version = approved["versions"][-1]
    assert version["status"] == "approved" and version["approved_by"]["username"] == \
        "police.commander"
    assert version["approval_reason"] == "vụ việc phức tạp, đồng ý 2 tháng"
    assert demo.post(f"/cases/{case_id}/versions/2/approve", leader,
                     json={"reason": "lần nữa"}).status_code == 409
    # a leader's own reclassification is approved at once
    reply = demo.post(f"/cases/{case_id}/edit", leader,
                      json={"complex": False, "reason": "đã rõ, không phức tạp"})
    case = reply.json()
    assert case["versions"][-1]["status"] == "approved"
    assert _deadline(case, "verify") == one_month
    assert [e["action"] for e in case["events"]][-3:] == ["edit", "approve_version", "edit"]


def test_a_pending_version_a_later_one_reclassified_is_superseded(demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    officer = demo.login("police.officer")
    case_id = _opened(demo, ioc)["id"]
    demo.post(f"/cases/{case_id}/send", ioc, json={})
    for value in (True, False):
        assert demo.post(f"/cases/{case_id}/edit", officer,
                         json={"complex": value, "reason": "xem xét lại"}).status_code == 200
    case = demo.get(f"/cases/{case_id}", ioc).json()
    assert [v["status"] for v in case["versions"]] == ["superseded", "pending"]
    leader = demo.login("police.commander")
    assert demo.post(f"/cases/{case_id}/versions/1/approve", leader,
                     json={"reason": "đồng ý"}).status_code == 409


def test_the_version_history_is_append_only(demo: Backend) -> None:
    demo.clock.now = vn(2026, 3, 2, 9)
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    created = _opened(demo, ioc, note="ban đầu")
    case_id = created["id"]
    first = demo.post(f"/cases/{case_id}/edit", ioc,
                      json={"note": "lần một", "kind": "lane", "reason": "sửa loại"}).json()
    v1 = first["versions"][0]
    assert (v1["before"], v1["after"]) == ({"note": "ban đầu", "kind": "red_light"},
                                           {"note": "lần một", "kind": "lane"})
    demo.clock.advance(timedelta(minutes=5))
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    demo.post(f"/cases/{case_id}/edit", ioc, json={"note": "lần hai", "reason": "sửa ghi chú"})
    demo.post(f"/cases/{case_id}/send", ioc, json={})
    demo.post(f"/cases/{case_id}/edit", police,
              json={"handover_needed": True, "reason": "chuyển cơ quan khác"})
    # nothing to change, and a unit that may not change a field
    same = demo.post(f"/cases/{case_id}/edit", ioc, json={"note": "lần hai", "reason": "lại"})
    assert same.status_code == 422 and "nothing changes" in same.text
    assert demo.post(f"/cases/{case_id}/edit", ioc, json={
        "decision_kind": "transferred", "reason": "không phải việc IOC"}).status_code == 403
    case = demo.get(f"/cases/{case_id}", ioc).json()
    assert case["note"] == "lần hai" and case["kind"] == "lane" and case["handover_needed"]
    assert case["versions"][0] == v1
    assert [v["number"] for v in case["versions"]] == [1, 2, 3]
    assert case["versions"][1]["before"] == {"note": "lần một"}
    assert datetime.fromisoformat(case["versions"][1]["at"]) == vn(2026, 3, 2, 9, 5)
    # closing keeps every version; a closed case takes no edit
    demo.post(f"/cases/{case_id}/close", ioc, json={"note": "trùng vụ việc khác"})
    assert demo.post(f"/cases/{case_id}/edit", ioc,
                     json={"note": "sau khi đóng", "reason": "thử"}).status_code == 409
    assert demo.get(f"/cases/{case_id}", ioc).json()["versions"] == case["versions"]
