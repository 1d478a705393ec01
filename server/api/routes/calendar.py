"""The working-day calendar: read by anyone logged in, edited by the operating unit's
administrators, on days not yet passed only (``server.working_calendar``)."""

from datetime import date as dt_date
from datetime import datetime
from typing import Any

from fastapi import APIRouter, status

from server import audit
from server import working_calendar as wc
from server.api.errors import ApiError
from server.deps import AdminUser, CurrentUser, NowDep, RuntimeDep, SessionDep
from server.schemas import (
    CalendarConfirm,
    CalendarDayIn,
    CalendarDayPublic,
    CalendarPublic,
    CalendarUpdate,
    Day,
)

router = APIRouter(prefix="/calendar", tags=["calendar"])


def _public(data: wc.CalendarData) -> CalendarPublic:
    def days(kind: wc.Kind) -> list[CalendarDayPublic]:
        return [CalendarDayPublic(date=d.day, note=d.note, source=d.source,
                                  provisional=d.provisional) for d in data.of(kind)]

    return CalendarPublic(holidays=days("holidays"), working_days=days("working_days"),
                          days_off=days("days_off"))


def _entry(entry: tuple[wc.Kind, wc.CalendarDay] | None) -> dict[str, Any] | None:
    """One day as the audit log keeps it: its list and its fields, or None when unlisted."""
    if entry is None:
        return None
    kind, day = entry
    return {"list": kind, **day.to_json()}


def _merge(kind: wc.Kind, given: list[CalendarDayIn],
           old: dict[tuple[wc.Kind, str], wc.CalendarDay]) -> tuple[wc.CalendarDay, ...]:
    """The days as sent; one sent unchanged keeps its source and whether it is provisional, one
    an administrator wrote is theirs (not provisional, with the notice they name)."""
    merged = []
    for item in given:
        before = old.get((kind, item.date.isoformat()))
        same = before is not None and before.note == item.note and item.source in ("",
                                                                                    before.source)
        merged.append(before if same and before is not None else
                      wc.CalendarDay(item.date, item.note, item.source, provisional=False))
    return tuple(merged)


def _check_passed(changed: list[dt_date], now: datetime) -> None:
    today = wc.local_day(now)
    passed = [day for day in changed if day <= today]
    if passed:
        raise ApiError(status.HTTP_409_CONFLICT,
                       f"date: {passed[0].isoformat()} has passed (today is "
                       f"{today.isoformat()} in UTC+7); deadlines were already counted with it",
                       field="date", context={"date": passed[0].isoformat()})


@router.get("")
def get_calendar(runtime: RuntimeDep, user: CurrentUser) -> CalendarPublic:
    return _public(wc.load(runtime.settings.calendar_file))


@router.put("")
def put_calendar(body: CalendarUpdate, runtime: RuntimeDep, session: SessionDep,
                 user: AdminUser, now: NowDep) -> CalendarPublic:
    """Replace the lists (``holidays`` only when sent); a day may be in one list once (422
    naming the list), and a day of today or before may not change (409 naming ``date``)."""
    lists: dict[wc.Kind, list[CalendarDayIn]] = {"working_days": body.working_days,
                                                 "days_off": body.days_off}
    current = wc.load(runtime.settings.calendar_file)
    if body.holidays is not None:
        lists["holidays"] = body.holidays
    seen: set[str] = set()
    for kind, given in lists.items():
        for item in given:
            if item.date.isoformat() in seen:
                raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                               f"{kind}: {item.date.isoformat()} is listed twice", field=kind)
            seen.add(item.date.isoformat())
    if body.holidays is None:
        clash = sorted(seen & {d.day.isoformat() for d in current.holidays})
        if clash:
            raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                           f"holidays: {clash[0]} is already a public holiday", field="holidays")
    old = {(kind, d.day.isoformat()): d for kind in wc.KINDS for d in getattr(current, kind)}
    data = wc.CalendarData(
        _merge("working_days", body.working_days, old), _merge("days_off", body.days_off, old),
        current.holidays if body.holidays is None else _merge("holidays", body.holidays, old))
    before, after = current.entries(), data.entries()
    changed = [day for day in sorted(set(before) | set(after))
               if before.get(day) != after.get(day)]
    _check_passed(changed, now)
    changes = [{"date": day.isoformat(), "before": _entry(before.get(day)),
                "after": _entry(after.get(day))} for day in changed]
    audit.append(session, "calendar_update", now=now, user_id=user.id, username=user.username,
                 detail={"changes": changes})
    session.flush()
    wc.save(runtime.settings.calendar_file, data)
    session.commit()
    return _public(data)


@router.post("/{date}/confirm")
def confirm_day(date: Day, body: CalendarConfirm, runtime: RuntimeDep, session: SessionDep,
                user: AdminUser, now: NowDep) -> CalendarDayPublic:
    """An administrator checked a provisional day against the government's notice: the notice
    becomes its source. The day stays in its list, so no deadline moves (a passed day may be
    confirmed too). 404 when the day is not listed, 409 when it is already confirmed."""
    current = wc.load(runtime.settings.calendar_file)
    found = current.entries().get(date)
    if found is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, f"date: {date.isoformat()} is not in the calendar",
                       field="date")
    kind, day = found
    if not day.provisional:
        raise ApiError(status.HTTP_409_CONFLICT,
                       f"date: {date.isoformat()} is already confirmed ({day.source})",
                       field="date")
    confirmed = wc.CalendarDay(day.day, day.note, body.notice, provisional=False)
    audit.append(session, "calendar_confirm", now=now, user_id=user.id, username=user.username,
                 detail={"date": date.isoformat(), "before": _entry(found),
                         "after": _entry((kind, confirmed))})
    session.flush()
    wc.save(runtime.settings.calendar_file, current.with_day(kind, confirmed))
    session.commit()
    return CalendarDayPublic(date=confirmed.day, note=confirmed.note, source=confirmed.source,
                             provisional=False)
