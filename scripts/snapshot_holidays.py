"""Snapshot the ``holidays`` package's Vietnamese public holidays into the shipped calendar.

    .venv/bin/python scripts/snapshot_holidays.py [--first 2025] [--last 2030] [--file PATH]

The server never imports ``holidays``: it reads ``server/data/working-calendar.json`` only, so a
new release of the package changes no deadline until this script is run again and its output
reviewed and committed. Each day written is ``provisional`` with ``source`` "holidays <version>"
until an administrator confirms it against the government's notice
(``POST /api/v1/calendar/{date}/confirm``).

In the years snapshotted, the package's days replace the provisional ones; a confirmed day (or
one the operating unit entered) stays as it is, and so does every day of the other years. 2025 is
snapshotted with the later years because cases of 2025 are still read and their deadlines were
counted with the package's 2025 holidays.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import holidays

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.working_calendar import CalendarData, CalendarDay, save  # noqa: E402

DATA = ROOT / "server" / "data" / "working-calendar.json"
FIRST, LAST = 2025, 2030


def kept(day: CalendarDay, first: int, last: int) -> bool:
    """Outside the years snapshotted, or settled by a person rather than by the package."""
    return not first <= day.day.year <= last or (not day.provisional and bool(day.source))


def snapshot(current: CalendarData, first: int, last: int) -> CalendarData:
    source = f"holidays {holidays.__version__}"
    years = range(first, last + 1)
    public = holidays.country_holidays("VN", years=years, language="vi")
    notes = {d.day: d.note for kind in ("holidays", "working_days", "days_off")
             for d in getattr(current, kind)}
    working = [d for d in current.working_days if kept(d, first, last)]
    off = [d for d in current.days_off if kept(d, first, last)]
    holiday = [d for d in current.holidays if kept(d, first, last)]
    taken = {d.day for d in working + off + holiday}

    def fresh(day: date, name: str) -> CalendarDay:
        return CalendarDay(day, notes.get(day) or name, source, provisional=True)

    for day, name in sorted(public.items()):
        if day not in taken:
            holiday.append(fresh(day, str(name)))
    # the weekend days the package knows were worked to swap with a day off
    for day in sorted(public.weekend_workdays):
        if day.year in years and day not in taken:
            working.append(fresh(day, "Ngày làm bù"))
    return CalendarData(tuple(working), tuple(off), tuple(holiday))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=FIRST)
    parser.add_argument("--last", type=int, default=LAST)
    parser.add_argument("--file", type=Path, default=DATA)
    args = parser.parse_args(argv)
    raw = json.loads(args.file.read_text(encoding="utf-8"))
    current = CalendarData.from_json(raw)
    data = snapshot(current, args.first, args.last)
    save(args.file, data)
    print(f"{args.file}: {len(data.holidays)} holidays, {len(data.working_days)} working days, "
          f"{len(data.days_off)} days off ({args.first}–{args.last}, holidays "
          f"{holidays.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
