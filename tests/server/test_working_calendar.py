"""The working-day calendar: deadlines on fixed dates with answers counted by hand on a paper
calendar (Tết Bính Ngọ 2026, the 30/4–1/5/2025 swap, month ends), and the operating unit's API."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from server.working_calendar import (
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


def test_operating_unit_edits_the_calendar_and_others_cannot(demo: Backend) -> None:
    admin = demo.login("ioc.operator")
    police = demo.login("police.commander")
    shipped = demo.get("/calendar", police).json()
    assert {"date": "2025-04-26", "note": shipped["working_days"][0]["note"]} in \
        shipped["working_days"]
    body = {"working_days": [{"date": "2026-03-07", "note": "làm bù"}],
            "days_off": [{"date": "2026-03-09", "note": "nghỉ bù"}]}
    assert demo.put("/calendar", police, json=body).status_code == 403
    reply = demo.put("/calendar", admin, json=body)
    assert reply.status_code == 200, reply.text
    assert demo.get("/calendar", police).json() == body
    stored = load(demo.settings.calendar_file)
    assert WorkingCalendar(stored).is_working_day(date(2026, 3, 7))
    assert not WorkingCalendar(stored).is_working_day(date(2026, 3, 9))
    rows = demo.audit_rows("calendar_")
    assert [r["event"] for r in rows] == ["calendar_update"]
    clash = {"working_days": [{"date": "2026-03-07"}], "days_off": [{"date": "2026-03-07"}]}
    reply = demo.put("/calendar", admin, json=clash)
    assert reply.status_code == 422 and "days_off" in reply.text
    reply = demo.put("/calendar", admin, json={"working_days": [], "extra": 1})
    assert reply.status_code == 422 and "extra" in reply.text
