"""The working-day calendar's adjustments: read by anyone logged in, edited by the
operating unit (``server.working_calendar``)."""

from fastapi import APIRouter, HTTPException, status

from server import audit
from server import working_calendar as wc
from server.deps import CurrentUser, NowDep, OperatingUnitUser, RuntimeDep, SessionDep
from server.schemas import CalendarDayIn, CalendarPublic, CalendarUpdate

router = APIRouter(prefix="/calendar", tags=["calendar"])


def _public(data: wc.CalendarData) -> CalendarPublic:
    return CalendarPublic(
        working_days=[CalendarDayIn(date=d.day, note=d.note)
                      for d in sorted(data.working_days, key=lambda x: x.day)],
        days_off=[CalendarDayIn(date=d.day, note=d.note)
                  for d in sorted(data.days_off, key=lambda x: x.day)])


@router.get("")
def get_calendar(runtime: RuntimeDep, user: CurrentUser) -> CalendarPublic:
    return _public(wc.load(runtime.settings.calendar_file))


@router.put("")
def put_calendar(body: CalendarUpdate, runtime: RuntimeDep, session: SessionDep,
                 user: OperatingUnitUser, now: NowDep) -> CalendarPublic:
    """Replace the adjustments; a day may not be both worked and off (422 naming the day)."""
    both = {d.date for d in body.working_days} & {d.date for d in body.days_off}
    if both:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                            detail=f"days_off: {min(both).isoformat()} is also in working_days")
    data = wc.CalendarData(tuple(wc.CalendarDay(d.date, d.note) for d in body.working_days),
                           tuple(wc.CalendarDay(d.date, d.note) for d in body.days_off))
    audit.append(session, "calendar_update", now=now, user_id=user.id, username=user.username,
                 detail={"working_days": [d.date.isoformat() for d in body.working_days],
                         "days_off": [d.date.isoformat() for d in body.days_off]})
    session.flush()
    wc.save(runtime.settings.calendar_file, data)
    session.commit()
    return _public(data)
