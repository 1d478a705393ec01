"""Vietnam's working-day calendar and the deadline arithmetic of the regulation.

Working days are Monday to Friday, minus the public holidays of the Labour Code (the ``holidays``
package's Vietnam calendar: New Year, the lunar Tết, the Hùng Kings' day, 30/4, 1/5, National
Day, and the swaps it knows), minus the government's extra days off, plus the weekend days it
turns into working days (day swaps). The swaps and extra days change every year by decision; they live in a data file the
operating unit edits through ``PUT /api/v1/calendar`` (``<data dir>/working-calendar.json``,
seeded from ``server/data/working-calendar.json``).

Deadlines follow how the Civil Code (2015, Art. 147–148) counts periods, in the city's time
(UTC+7): a period in days starts the day after the event and ends at the end (24:00) of its last
day; a period in working days counts only working days; a period in months ends at the end of the
same day of the month (or the month's last day when it has no such day), moved to the end of the
next working day when that day is not one; a period in hours is exact.
"""

from __future__ import annotations

import calendar
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import holidays

VIETNAM = timezone(timedelta(hours=7), "UTC+07:00")
FORMAT = "iocwall-working-calendar/1"


@dataclass(frozen=True)
class CalendarDay:
    day: date
    note: str


@dataclass(frozen=True)
class CalendarData:
    """The operating unit's adjustments: weekend days worked, weekdays off."""

    working_days: tuple[CalendarDay, ...] = ()
    days_off: tuple[CalendarDay, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT,
                "working_days": [{"date": d.day.isoformat(), "note": d.note}
                                 for d in sorted(self.working_days, key=lambda x: x.day)],
                "days_off": [{"date": d.day.isoformat(), "note": d.note}
                             for d in sorted(self.days_off, key=lambda x: x.day)]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CalendarData:
        def days(key: str) -> tuple[CalendarDay, ...]:
            return tuple(CalendarDay(date.fromisoformat(item["date"]), str(item.get("note", "")))
                         for item in data.get(key, []))

        return cls(days("working_days"), days("days_off"))


def default_data() -> CalendarData:
    text = resources.files("server").joinpath("data/working-calendar.json").read_text("utf-8")
    return CalendarData.from_json(json.loads(text))


def load(path: Path) -> CalendarData:
    """The data file, or the shipped default when the operating unit has not edited it yet."""
    try:
        return CalendarData.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return default_data()


def save(path: Path, data: CalendarData) -> None:
    """Write atomically (``.part``, fsync, rename): a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with open(part, "w", encoding="utf-8") as handle:
        json.dump(data.to_json(), handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, path)


def local_day(value: datetime) -> date:
    return value.astimezone(VIETNAM).date()


def end_of_day(day: date) -> datetime:
    """24:00 of ``day`` in UTC+7 (= 00:00 of the next day)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=VIETNAM)


class WorkingCalendar:
    def __init__(self, data: CalendarData | None = None) -> None:
        self.data = data or CalendarData()
        self._worked = {d.day for d in self.data.working_days}
        self._off = {d.day for d in self.data.days_off}

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("VN")

    def holiday_name(self, day: date) -> str | None:
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        if day in self._worked:
            return True
        if day in self._off:
            return False
        # the package's own calendar: weekends, holidays, and the weekend days it knows were
        # worked to swap with a day off (e.g. Saturday 26/4/2025 for Friday 2/5/2025)
        return bool(self._holidays.is_working_day(day))

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first one after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: datetime, count: int) -> datetime:
        """End of the ``count``-th working day after the day of ``start``."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day = local_day(start)
        left = count
        while left:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return end_of_day(day)

    def add_months(self, start: datetime, months: int) -> datetime:
        """End of the same day ``months`` later (the month's last day if it has none), moved to
        the end of the next working day when that day is not one."""
        day = local_day(start)
        index = day.month - 1 + months
        year, month = day.year + index // 12, index % 12 + 1
        last = calendar.monthrange(year, month)[1]
        return end_of_day(self.next_working_day(date(year, month, min(day.day, last))))

    @staticmethod
    def add_hours(start: datetime, hours: int) -> datetime:
        return start + timedelta(hours=hours)

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in [first, last]."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count
