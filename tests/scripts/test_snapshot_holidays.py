"""The holiday snapshot: what it takes from the ``holidays`` package, and what it never
overwrites (a day an administrator confirmed, the years it was not asked for)."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path
from types import ModuleType

from server.working_calendar import CalendarData, CalendarDay, WorkingCalendar, default_data

ROOT = Path(__file__).resolve().parents[2]


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("snapshot_holidays",
                                                  ROOT / "scripts" / "snapshot_holidays.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_file_is_the_snapshot_of_the_pinned_package() -> None:
    """Run the script again and commit its output when the package (constraints.txt) moves."""
    shipped = default_data()
    assert script().snapshot(shipped, 2025, 2030) == shipped


def test_a_snapshot_keeps_confirmed_days_and_other_years(tmp_path: Path) -> None:
    notice = "Thông báo 6150/TB-BNV"
    current = CalendarData(
        working_days=(CalendarDay(date(2031, 1, 4), "làm bù", "Công văn 2031"),),
        days_off=(CalendarDay(date(2027, 3, 8), "nghỉ thêm", notice),),
        holidays=(CalendarDay(date(2026, 4, 30), "Giải phóng miền Nam", notice),
                  CalendarDay(date(2026, 3, 3), "ngày sai", "holidays 0.100",
                              provisional=True)))
    path = tmp_path / "working-calendar.json"
    path.write_text(json.dumps(current.to_json()), encoding="utf-8")
    assert script().main(["--first", "2026", "--last", "2027", "--file", str(path)]) == 0
    data = CalendarData.from_json(json.loads(path.read_text(encoding="utf-8")))
    holidays = {d.day: d for d in data.holidays}
    assert holidays[date(2026, 4, 30)] == current.holidays[0]  # confirmed: untouched
    assert date(2026, 3, 3) not in holidays  # the old release's provisional day is gone
    assert holidays[date(2027, 9, 2)].source == "holidays 0.109"
    assert holidays[date(2027, 9, 2)].provisional
    assert {d.day.year for d in data.holidays} == {2026, 2027}
    worked = {d.day: d for d in data.working_days}
    assert worked[date(2031, 1, 4)] == current.working_days[0]  # another year: untouched
    assert worked[date(2026, 8, 22)].provisional  # the package's swap
    assert data.days_off == current.days_off
    assert not WorkingCalendar(data).is_working_day(date(2027, 3, 8))
