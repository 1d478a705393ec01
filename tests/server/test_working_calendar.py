"""The working-day calendar: deadlines on fixed dates with answers counted by hand on a paper
calendar (Tết Bính Ngọ 2026, the 30/4–1/5/2025 swap, month ends), the shipped snapshot of the
holidays, and the administrators' API."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from server.working_calendar import (
    KINDS,
    VIETNAM,
    CalendarData,
    CalendarDay,
    WorkingCalendar,
    default_data,
    load,
)
from tests.server.conftest import Backend


def at(y: int, m: int, d: int, hh: int = 10) -> datetime:
    return datetime(y, m, d, hh, tzinfo=VIETNAM)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=VIETNAM) + timedelta(days=1)


CAL = WorkingCalendar(default_data())


def test_tet_2026_days_are_not_working_days() -> None:
    # Tết Bính Ngọ: Mon 16/2 (29 Tết) .. Fri 20/2/2026, with the weekends around it
    for day in range(14, 23):
        assert not CAL.is_working_day(date(2026, 2, day)), day
    assert CAL.is_working_day(date(2026, 2, 13)) and CAL.is_working_day(date(2026, 2, 23))


def test_five_working_days_over_tet() -> None:
    # detected Fri 13/2/2026: 23, 24, 25, 26, 27/2 -> end of Fri 27/2
    assert CAL.add_working_days(at(2026, 2, 13), 5) == end_of(2026, 2, 27)
    # 3 working days from Wed 11/2: 12, 13, 23/2
    assert CAL.add_working_days(at(2026, 2, 11, 23), 3) == end_of(2026, 2, 23)


def test_hung_kings_day_is_a_holiday() -> None:
    # 10/3 lunar = Mon 7/4/2025; detected Fri 4/4: 8, 9, 10/4 -> end of Thu 10/4
    assert not CAL.is_working_day(date(2025, 4, 7))
    assert CAL.add_working_days(at(2025, 4, 4), 3) == end_of(2025, 4, 10)


def test_swap_day_2025_saturday_worked_friday_off() -> None:
    # Sat 26/4/2025 worked, Fri 2/5 off (with 30/4 and 1/5): from Thu 24/4:
    # 25/4, 26/4 (Sat, worked), 28/4, 29/4, 5/5 -> end of Mon 5/5
    assert CAL.is_working_day(date(2025, 4, 26))
    assert not CAL.is_working_day(date(2025, 5, 2))
    assert CAL.add_working_days(at(2025, 4, 24), 5) == end_of(2025, 5, 5)


def test_the_data_file_adds_a_swap_the_package_does_not_know() -> None:
    # a made-up decision: Sat 7/3/2026 worked, Mon 9/3/2026 off
    data = CalendarData((CalendarDay(date(2026, 3, 7), "làm bù"),),
                        (CalendarDay(date(2026, 3, 9), "nghỉ bù"),))
    adjusted = WorkingCalendar(data)
    # from Thu 5/3: 6 (Fri), 7 (Sat, worked), 10 (Tue) -> end of Tue 10/3
    assert adjusted.add_working_days(at(2026, 3, 5), 3) == end_of(2026, 3, 10)
    # without the file: 6, 9, 10 -> also end of 10/3, but 2 days give 9/3 vs 7/3
    assert CAL.add_working_days(at(2026, 3, 5), 2) == end_of(2026, 3, 9)
    assert adjusted.add_working_days(at(2026, 3, 5), 2) == end_of(2026, 3, 7)


def test_hours_are_exact() -> None:
    start = at(2026, 2, 16, 15)  # during Tết: hours do not stop for holidays
    assert CAL.add_hours(start, 24) == at(2026, 2, 17, 15)


def test_months_to_the_same_day() -> None:
    # received Tue 10/3/2026 + 1 month -> end of Fri 10/4/2026
    assert CAL.add_months(at(2026, 3, 10), 1) == end_of(2026, 4, 10)
    # 31/1/2026 + 1 month -> 28/2 (a Saturday) -> the next working day, Mon 2/3
    assert CAL.add_months(at(2026, 1, 31), 1) == end_of(2026, 3, 2)
    # 19/12/2025 + 2 months -> 19/2/2026, inside Tết -> Mon 23/2/2026
    assert CAL.add_months(at(2025, 12, 19), 2) == end_of(2026, 2, 23)
    # the day counts in the city's time: 20:00 UTC on 9/3 is already 10/3 in Đồng Hới
    assert CAL.add_months(datetime.fromisoformat("2026-03-09T20:00:00+00:00"), 1) == \
        end_of(2026, 4, 10)


def test_counting_needs_at_least_one_day() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(at(2026, 1, 5), 0)


def test_the_shipped_snapshot_holds_the_2026_holidays_as_provisional() -> None:
    # holidays 0.109 for Vietnam, 2026: Tết 16–20/2, Hùng Kings 26/4 (a Sunday, observed Mon
    # 27/4), 30/4, 1/5, the 31/8 day off swapped with Sat 22/8, National Day 1–2/9
    for day in (date(2026, 2, 17), date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1),
                date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert date(2026, 1, 1) < day and day.weekday() < 5
        assert not CAL.is_working_day(day), day
    assert CAL.is_working_day(date(2026, 8, 22))  # the Saturday worked for 31/8
    # 5 working days from Tue 28/4/2026: 29/4, 4/5, 5/5, 6/5, 7/5 -> end of Thu 7/5
    assert CAL.add_working_days(at(2026, 4, 28), 5) == end_of(2026, 5, 7)
    shipped = default_data()
    by_day = {d.day: d for d in shipped.holidays}
    assert by_day[date(2026, 4, 30)].source == "holidays 0.109"
    assert by_day[date(2026, 4, 30)].provisional
    years = {d.day.year for d in shipped.holidays}
    assert years == set(range(2025, 2031))
    assert all(d.source for kind in KINDS for d in getattr(shipped, kind))


def test_the_server_never_imports_holidays_at_run_time() -> None:
    """The package may move a day when upgraded: the server counts from its data file only."""
    program = textwrap.dedent("""
        import sys
        from datetime import datetime
        import server.main, server.cases
        from server.working_calendar import VIETNAM, WorkingCalendar, default_data
        end = WorkingCalendar(default_data()).add_working_days(
            datetime(2026, 4, 28, 10, tzinfo=VIETNAM), 5)
        assert end.date().isoformat() == "2026-05-08", end
        print("holidays" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_a_data_file_of_the_first_format_keeps_the_shipped_holidays(tmp_path: Path) -> None:
    path = tmp_path / "working-calendar.json"
    path.write_text(json.dumps({
        "format": "iocwall-working-calendar/1",
        "working_days": [{"date": "2026-03-07", "note": "làm bù"}],
        "days_off": [{"date": "2026-04-30", "note": "nghỉ"}]}), encoding="utf-8")
    data = load(path)
    calendar = WorkingCalendar(data)
    assert calendar.is_working_day(date(2026, 3, 7))
    assert not calendar.is_working_day(date(2026, 9, 2))  # a shipped holiday
    assert data.working_days == (CalendarDay(date(2026, 3, 7), "làm bù", "operating unit"),)
    # the day in both is the operating unit's only
    assert date(2026, 4, 30) not in {d.day for d in data.holidays}


def body_of(calendar: dict[str, Any], *kinds: str) -> dict[str, Any]:
    return {kind: [{"date": d["date"], "note": d["note"]} for d in calendar[kind]]
            for kind in kinds}


def test_administrators_edit_coming_days_and_others_cannot(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    shipped = demo.get("/calendar", demo.login("police.commander")).json()
    reunification = next(d for d in shipped["holidays"] if d["date"] == "2026-04-30")
    assert (reunification["source"], reunification["provisional"]) == ("holidays 0.109", True)
    body = body_of(shipped, "working_days", "days_off")
    body["working_days"].append({"date": "2026-03-07", "note": "làm bù",
                                 "source": "Công văn 1/UBND"})
    body["days_off"].append({"date": "2026-03-09", "note": "nghỉ bù"})
    for other in ("ioc.operator", "police.commander", "ward.dongphu.police"):
        assert demo.put("/calendar", demo.login(other), json=body).status_code == 403, other
    reply = demo.put("/calendar", admin, json=body)
    assert reply.status_code == 200, reply.text
    got = demo.get("/calendar", demo.login("police.commander")).json()
    assert got["holidays"] == shipped["holidays"]  # left out: unchanged
    assert {"date": "2026-03-07", "note": "làm bù", "source": "Công văn 1/UBND",
            "provisional": False} in got["working_days"]
    assert {"date": "2025-04-26", "note": shipped["working_days"][0]["note"],
            "source": "holidays 0.109", "provisional": True} in got["working_days"]
    stored = WorkingCalendar(load(demo.settings.calendar_file))
    assert stored.is_working_day(date(2026, 3, 7)) and not stored.is_working_day(date(2026, 3, 9))
    [row] = demo.audit_rows("calendar_")
    assert row["event"] == "calendar_update"
    assert row["detail"]["changes"] == [
        {"date": "2026-03-07", "before": None,
         "after": {"list": "working_days", "date": "2026-03-07", "note": "làm bù",
                   "source": "Công văn 1/UBND", "provisional": False}},
        {"date": "2026-03-09", "before": None,
         "after": {"list": "days_off", "date": "2026-03-09", "note": "nghỉ bù", "source": "",
                   "provisional": False}}]
    # a day in two lists, or a public holiday again, or an unknown field: 422
    clash = {"working_days": [{"date": "2026-03-10"}], "days_off": [{"date": "2026-03-10"}]}
    reply = demo.put("/calendar", admin, json=clash)
    assert (reply.status_code, reply.json()["field"]) == (422, "days_off")
    again = {**body, "days_off": [*body["days_off"], {"date": "2026-04-30"}]}
    reply = demo.put("/calendar", admin, json=again)
    assert (reply.status_code, reply.json()["field"]) == (422, "holidays")
    assert "2026-04-30" in reply.json()["message"]
    reply = demo.put("/calendar", admin, json={"working_days": [], "extra": 1})
    assert reply.status_code == 422 and "extra" in reply.text


@pytest.mark.parametrize(("day", "change"), [
    ("2025-04-26", "drop"),  # a Saturday worked last year
    ("2026-03-02", "add"),  # today in UTC+7 (the test clock: 15:00 on 2/3/2026 there)
    ("2026-02-17", "note"),  # Tết, passed
])
def test_a_day_already_passed_cannot_change(demo: Backend, day: str, change: str) -> None:
    admin = demo.login("ioc.admin")
    current = demo.get("/calendar", admin).json()
    body = body_of(current, "working_days", "days_off", "holidays")
    if change == "drop":
        body["working_days"] = [d for d in body["working_days"] if d["date"] != day]
    elif change == "add":
        body["days_off"].append({"date": day, "note": "nghỉ"})
    else:
        body["holidays"] = [{**d, "note": "Tết"} if d["date"] == day else d
                            for d in body["holidays"]]
    reply = demo.put("/calendar", admin, json=body)
    assert reply.status_code == 409, reply.text
    assert reply.json()["field"] == "date" and reply.json()["context"] == {"date": day}
    assert demo.get("/calendar", admin).json() == current
    assert demo.audit_rows("calendar_") == []
    # the next day is still open
    tomorrow = {**body_of(current, "working_days", "days_off"), "days_off": [
        *body_of(current, "days_off")["days_off"], {"date": "2026-03-03", "note": "nghỉ"}]}
    assert demo.put("/calendar", admin, json=tomorrow).status_code == 200


def test_an_administrator_confirms_a_provisional_day(demo: Backend) -> None:
    admin = demo.login("ioc.admin")
    notice = "Thông báo 6150/TB-BNV ngày 03/12/2025 của Bộ Nội vụ"
    for other in ("ioc.operator", "police.commander"):
        reply = demo.post("/calendar/2026-04-30/confirm", demo.login(other),
                          json={"notice": notice})
        assert reply.status_code == 403, other
    assert demo.post("/calendar/2026-04-30/confirm", admin,
                     json={"notice": "  "}).status_code == 422
    reply = demo.post("/calendar/2026-04-30/confirm", admin, json={"notice": notice})
    assert reply.status_code == 200, reply.text
    assert reply.json()["source"] == notice and reply.json()["provisional"] is False
    holidays = {d["date"]: d for d in demo.get("/calendar", admin).json()["holidays"]}
    assert holidays["2026-04-30"]["source"] == notice
    assert holidays["2026-04-30"]["provisional"] is False
    assert holidays["2026-05-01"]["provisional"] is True
    assert not WorkingCalendar(load(demo.settings.calendar_file)).is_working_day(
        date(2026, 4, 30))
    # a passed day may be confirmed: its place in the calendar does not change
    assert demo.post("/calendar/2025-04-26/confirm", admin,
                     json={"notice": "Công văn 2025"}).status_code == 200
    again = demo.post("/calendar/2026-04-30/confirm", admin, json={"notice": notice})
    assert (again.status_code, again.json()["field"]) == (409, "date")
    unlisted = demo.post("/calendar/2026-03-04/confirm", admin, json={"notice": notice})
    assert (unlisted.status_code, unlisted.json()["field"]) == (404, "date")
    first = demo.audit_rows("calendar_confirm")[0]
    detail = first["detail"]
    assert detail["before"]["provisional"] is True and detail["before"]["source"] == \
        "holidays 0.109"
    assert detail["after"] == {**detail["before"], "source": notice, "provisional": False}
    # confirmed, the day keeps its notice when the lists are sent back as they are
    body = body_of(demo.get("/calendar", admin).json(), "working_days", "days_off", "holidays")
    body["days_off"].append({"date": "2026-03-09", "note": "nghỉ bù"})
    assert demo.put("/calendar", admin, json=body).status_code == 200
    holidays = {d["date"]: d for d in demo.get("/calendar", admin).json()["holidays"]}
    assert holidays["2026-04-30"]["source"] == notice
