"""The 24/7 duty (Art. 8.1, 15.1): the roster kept by the operating unit's administrators and
leaders, who is on duty now read by anyone, the handover written by the outgoing shift with what
was pending then, acknowledged by the next shift on the server's clock; every step audited."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from server.duty import ShiftPlan
from server.working_calendar import VIETNAM
from tests.server.conftest import Backend

PLAN = ShiftPlan((6, 14, 22))


def _user_ids(demo: Backend) -> dict[str, int]:
    users = demo.get("/admin/users", demo.login("ioc.admin")).json()
    return {u["username"]: u["id"] for u in users}


def _at(demo: Backend, local: datetime) -> None:
    demo.clock.now = local.replace(tzinfo=VIETNAM).astimezone(UTC)


def _assign(demo: Backend, token: str, day: date, shift: int, ids: list[int]) -> Any:
    return demo.put(f"/duty/roster/{day.isoformat()}/{shift}", token, json={"user_ids": ids})


def test_shift_plan_names_the_shift_running_across_midnight() -> None:
    assert PLAN.at(datetime(2026, 12, 7, 3, 0, tzinfo=VIETNAM)) == (date(2026, 12, 6), 2)
    assert PLAN.at(datetime(2026, 12, 7, 6, 0, tzinfo=VIETNAM)) == (date(2026, 12, 7), 0)
    assert PLAN.at(datetime(2026, 12, 7, 21, 59, tzinfo=VIETNAM)) == (date(2026, 12, 7), 1)
    start, end = PLAN.bounds(date(2026, 12, 7), 2)
    assert (start.hour, end.day, end.hour) == (22, 8, 6)
    assert PLAN.following(date(2026, 12, 7), 2) == (date(2026, 12, 8), 0)


def test_leaders_assign_the_operating_units_people_and_anyone_reads_who_is_on_duty(
        demo: Backend) -> None:
    _at(demo, datetime(2026, 12, 7, 9, 0))
    ids = _user_ids(demo)
    day = date(2026, 12, 7)
    leader = demo.login("ioc.leader")
    reply = _assign(demo, leader, day, 0, [ids["ioc.operator"], ids["ioc.admin"]])
    assert reply.status_code == 200, reply.text
    assert [p["username"] for p in reply.json()["people"]] == ["ioc.operator", "ioc.admin"]
    # only the operating unit's people are on its roster
    outsider = _assign(demo, leader, day, 0, [ids["police.officer"]])
    assert outsider.status_code == 422 and "operating unit" in outsider.text
    # an operator does not keep the roster
    assert _assign(demo, demo.login("ioc.operator"), day, 1, []).status_code == 403
    assert _assign(demo, demo.login("police.commander"), day, 1, []).status_code == 403
    # changed: the audit keeps before and after
    assert _assign(demo, demo.login("ioc.admin"), day, 0, [ids["ioc.operator"]]
                   ).status_code == 200
    rows = demo.audit_rows("duty_assign")
    assert [(r["detail"]["before"], r["detail"]["after"]) for r in rows] == [
        ([], ["ioc.admin", "ioc.operator"]), (["ioc.admin", "ioc.operator"], ["ioc.operator"])]
    now = demo.get("/duty/now", demo.login("ward.dongphu.police"))
    assert now.status_code == 200, now.text
    assert now.json()["day"] == "2026-12-07" and now.json()["shift"] == 0
    assert [p["username"] for p in now.json()["people"]] == ["ioc.operator"]
    listed = demo.get("/duty/roster", demo.login("agency.viewer"),
                      params={"start": "2026-12-07", "end": "2026-12-08"}).json()
    assert len(listed) == 6 and listed[0]["people"][0]["username"] == "ioc.operator"
    assert listed[2]["start"].startswith("2026-12-07T22:00:00+07:00") or \
        datetime.fromisoformat(listed[2]["start"]) == datetime(2026, 12, 7, 22, tzinfo=VIETNAM)


def test_handover_lists_what_was_pending_and_the_next_shift_acknowledges_it(
        demo: Backend) -> None:
    _at(demo, datetime(2026, 12, 7, 8, 0))
    ids = _user_ids(demo)
    day = date(2026, 12, 7)
    leader = demo.login("ioc.leader")
    assert _assign(demo, leader, day, 0, [ids["ioc.operator"]]).status_code == 200
    assert _assign(demo, leader, day, 1, [ids["ioc.admin"]]).status_code == 200
    operator = demo.login("ioc.operator")
    camera = next(iter(demo.camera_ids().values()))
    incident = demo.post("/incidents", operator, json={"camera_id": camera, "kind": "offline"})
    assert incident.status_code == 201, incident.text
    # not on the shift: no handover to write
    assert demo.post("/duty/handovers", demo.login("ioc.admin"),
                     json={"note": "ca sáng"}).status_code == 403
    assert demo.post("/duty/handovers", demo.login("police.commander"),
                     json={"note": "ca sáng"}).status_code == 403
    _at(demo, datetime(2026, 12, 7, 13, 50))
    written = demo.post("/duty/handovers", operator, json={"note": "Camera 1 mất hình."})
    assert written.status_code == 201, written.text
    handover = written.json()
    assert (handover["day"], handover["shift"]) == ("2026-12-07", 0)
    assert [i["id"] for i in handover["open_incidents"]] == [incident.json()["id"]]
    # the note names the kind in Vietnamese, as the report does, not by its code
    assert handover["open_incidents"][0]["summary"].endswith(": Mất kết nối")
    assert handover["acknowledged_at"] is None and handover["actions"] == []
    # a second note for the same shift is refused
    assert demo.post("/duty/handovers", operator, json={"note": "lần nữa"}).status_code == 409
    # resolved later: the handover keeps what was true when it was written
    admin = demo.login("ioc.admin")
    incident_id = incident.json()["id"]
    assert demo.post(f"/incidents/{incident_id}/acknowledge", admin).status_code == 200
    assert demo.post(f"/incidents/{incident_id}/resolve", admin,
                     json={"resolution": "đã khắc phục"}).status_code == 200
    # the writer does not acknowledge their own; others outside the next shift neither
    path = f"/duty/handovers/{handover['id']}"
    assert demo.post(path + "/acknowledge", operator).status_code == 403
    assert demo.get(path, demo.login("police.commander")).status_code == 404
    _at(demo, datetime(2026, 12, 7, 14, 10))
    read = demo.get(path, admin).json()
    assert read["actions"] == ["acknowledge"]
    assert [i["id"] for i in read["open_incidents"]] == [incident_id]
    acknowledged = demo.post(path + "/acknowledge", admin)
    assert acknowledged.status_code == 200, acknowledged.text
    body = acknowledged.json()
    assert body["acknowledged_by"]["username"] == "ioc.admin" and body["late"] is False
    assert datetime.fromisoformat(body["acknowledged_at"]) == demo.clock.now
    assert demo.post(path + "/acknowledge", leader).status_code == 409
    listed = demo.get("/duty/handovers", leader).json()
    assert [h["id"] for h in listed] == [handover["id"]]
    events = [r["event"] for r in demo.audit_rows("handover_")]
    assert events == ["handover_write", "handover_acknowledge"]


def test_a_late_acknowledgement_is_counted_late(demo: Backend) -> None:
    _at(demo, datetime(2026, 12, 7, 21, 30))
    ids = _user_ids(demo)
    day = date(2026, 12, 7)
    leader = demo.login("ioc.leader")
    assert _assign(demo, leader, day, 1, [ids["ioc.operator"]]).status_code == 200
    written = demo.post("/duty/handovers", demo.login("ioc.operator"), json={"note": "ca chiều"})
    assert written.status_code == 201, written.text
    _at(demo, datetime(2026, 12, 7, 23, 0))
    late = demo.post(f"/duty/handovers/{written.json()['id']}/acknowledge", leader)
    assert late.status_code == 200, late.text
    assert late.json()["late"] is True


def test_the_demo_has_a_week_of_roster_from_its_seeding(demo: Backend) -> None:
    """Seeded at the test clock's start (15:00 on 2/3/2026, UTC+7): the operator on duty."""
    token = demo.login("ward.dongphu.police")
    now = demo.get("/duty/now", token).json()
    assert (now["day"], now["shift"]) == ("2026-03-02", 1)
    assert [p["username"] for p in now["people"]] == ["ioc.operator"]
    week = demo.get("/duty/roster", token, params={"start": "2026-03-02",
                                                   "end": "2026-03-09"}).json()
    assert [bool(s["people"]) for s in week] == [True] * 21 + [False] * 3


def test_the_keepers_of_the_roster_list_the_operating_units_active_people(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    users = demo.get("/admin/users", admin).json()
    desk = {u["username"] for u in users
            if u["unit"]["kind"] == "operating_unit" and u["is_active"]}
    assert {"ioc.operator", "ioc.admin", "ioc.leader"} <= desk
    listed = demo.get("/duty/people", demo.login("ioc.leader"))
    assert listed.status_code == 200, listed.text
    people = listed.json()
    assert {p["username"] for p in people} == desk
    assert set(people[0]) == {"id", "username", "full_name", "role"}
    assert {p["username"]: p["role"] for p in people}["ioc.leader"] == "leader"
    # only the roster's keepers are told who could be on it
    for username in ("ioc.operator", "police.commander", "ward.dongphu.police", "agency.viewer"):
        assert demo.get("/duty/people", demo.login(username)).status_code == 403, username
    # someone deactivated is put on no shift, so is not offered
    operator = next(u for u in users if u["username"] == "ioc.operator")
    assert demo.post(f"/admin/users/{operator['id']}/deactivate", admin).status_code == 204
    assert "ioc.operator" not in {p["username"] for p in demo.get("/duty/people", admin).json()}


def test_an_ended_shift_is_a_record_the_running_one_may_still_change(demo: Backend) -> None:
    _at(demo, datetime(2026, 12, 7, 15, 0))  # the 14–22 shift of 7/12
    ids = _user_ids(demo)
    day = date(2026, 12, 7)
    leader = demo.login("ioc.leader")
    audited = len(demo.audit_rows("duty_assign"))
    for past_day, past_shift in ((day, 0), (date(2026, 12, 6), 2), (date(2026, 12, 1), 1)):
        ended = _assign(demo, leader, past_day, past_shift, [ids["ioc.operator"]])
        assert ended.status_code == 422, ended.text
        body = ended.json()
        assert body["field"] == "day", body
        assert "day: " in body["message"] and "record" in body["message"], body
    assert len(demo.audit_rows("duty_assign")) == audited  # nothing changed, nothing audited
    running = _assign(demo, leader, day, 1, [ids["ioc.operator"], ids["ioc.admin"]])
    assert running.status_code == 200, running.text
    assert running.json()["actions"] == ["assign"]
    rows = demo.audit_rows("duty_assign")
    assert len(rows) == audited + 1
    assert rows[-1]["detail"]["day"] == "2026-12-07" and rows[-1]["detail"]["shift"] == 1
    assert rows[-1]["detail"]["after"] == ["ioc.admin", "ioc.operator"]
    assert _assign(demo, leader, day, 2, [ids["ioc.admin"]]).status_code == 200
    # the roster tells each reader which shifts they may change: the keepers, from now on
    week = {(s["day"], s["shift"]): s["actions"] for s in demo.get(
        "/duty/roster", leader, params={"start": "2026-12-06", "end": "2026-12-08"}).json()}
    assert week[("2026-12-06", 2)] == [] and week[("2026-12-07", 0)] == []
    assert week[("2026-12-07", 1)] == ["assign"] and week[("2026-12-08", 0)] == ["assign"]
    for username in ("ioc.operator", "police.commander"):
        read = demo.get("/duty/roster", demo.login(username),
                        params={"start": "2026-12-07", "end": "2026-12-08"}).json()
        assert all(s["actions"] == [] for s in read), username
    assert demo.get("/duty/now", leader).json()["actions"] == ["assign"]
    assert demo.get("/duty/now", demo.login("ioc.operator")).json()["actions"] == []
    # the moment a shift ends it is a record too
    _at(demo, datetime(2026, 12, 7, 22, 0))
    closed = _assign(demo, leader, day, 1, [ids["ioc.operator"]])
    assert closed.status_code == 422 and closed.json()["field"] == "day", closed.text
