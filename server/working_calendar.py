"""Vietnam's working-day calendar and the deadline arithmetic of the regulation.

Working days are Monday to Friday, minus the public holidays of the Labour Code (New Year, the
lunar Tết, the Hùng Kings' day, 30/4, 1/5, National Day, and the days off swapped for them),
minus the government's extra days off, plus the weekend days it turns into working days (day
swaps). All of it is read from one data file (``<data dir>/working-calendar.json``, seeded from
``server/data/working-calendar.json``), never from the ``holidays`` package at run time: the
shipped holidays are a snapshot of that package (``scripts/snapshot_holidays.py``), so upgrading
it can never move a deadline already counted. A snapshotted day is ``provisional`` until an
administrator confirms it against the government's notice, which then becomes its ``source``.

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
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Literal

VIETNAM = timezone(timedelta(hours=7), "UTC+07:00")
FORMAT = "iocwall-working-calendar/2"
# the adjustments alone, on top of the package's holidays: still read from a site's data dir
LEGACY_FORMAT = "iocwall-working-calendar/1"
LEGACY_SOURCE = "operating unit"

Kind = Literal["holidays", "working_days", "days_off"]
KINDS: tuple[Kind, ...] = ("holidays", "working_days", "days_off")


@dataclass(frozen=True)
class CalendarDay:
    day: date
    note: str
    source: str = ""
    provisional: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "note": self.note, "source": self.source,
                "provisional": self.provisional}

    @classmethod
    def from_json(cls, item: dict[str, Any], source: str = "") -> CalendarDay:
        return cls(date.fromisoformat(item["date"]), str(item.get("note", "")),
                   str(item.get("source", source)), bool(item.get("provisional", False)))


@dataclass(frozen=True)
class CalendarData:
    """Public holidays, weekend days worked and extra weekdays off."""

    working_days: tuple[CalendarDay, ...] = ()
    days_off: tuple[CalendarDay, ...] = ()
    holidays: tuple[CalendarDay, ...] = ()

    def of(self, kind: Kind) -> tuple[CalendarDay, ...]:
        return tuple(sorted(getattr(self, kind), key=lambda x: x.day))

    def entries(self) -> dict[date, tuple[Kind, CalendarDay]]:
        """Each listed day with the list it is in (the lists do not share a day)."""
        return {d.day: (kind, d) for kind in KINDS for d in getattr(self, kind)}

    def with_day(self, kind: Kind, day: CalendarDay) -> CalendarData:
        """``day`` in place of the one of the same date in list ``kind``."""
        kept = tuple(d for d in getattr(self, kind) if d.day != day.day)
        return replace(self, **{kind: kept + (day,)})

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT,
                **{kind: [d.to_json() for d in self.of(kind)] for kind in KINDS}}

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "") -> CalendarData:
        def days(key: str) -> tuple[CalendarDay, ...]:
            return tuple(CalendarDay.from_json(item, source) for item in data.get(key, []))

        return cls(days("working_days"), days("days_off"), days("holidays"))


def default_data() -> CalendarData:
    text = resources.files("server").joinpath("data/working-calendar.json").read_text("utf-8")
    return CalendarData.from_json(json.loads(text))


def load(path: Path) -> CalendarData:
    """The data file, or the shipped default when nobody has edited it yet.

    A file of the first format holds only the operating unit's adjustments (the holidays came
    from the package): they are laid over the shipped holidays, theirs winning on a shared day.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default_data()
    if raw.get("format") != LEGACY_FORMAT:
        return CalendarData.from_json(raw)
    adjusted = CalendarData.from_json(raw, source=LEGACY_SOURCE)
    taken = {d.day for d in adjusted.working_days + adjusted.days_off}
    holidays = tuple(d for d in default_data().holidays if d.day not in taken)
    return replace(adjusted, holidays=holidays)


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
        # no data: the shipped one, never a calendar without holidays
        self.data = default_data() if data is None else data
        self._worked = {d.day for d in self.data.working_days}
        self._off = {d.day for d in self.data.days_off}
        self._holidays = {d.day: d.note for d in self.data.holidays}

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self._worked:
            return True
        if day in self._off or day in self._holidays:
            return False
        return day.weekday() < 5

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
