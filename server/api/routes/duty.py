"""The 24/7 duty (Art. 8.1, 15.1): the roster, who is on duty now, shift handovers
(``server.duty``)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from common import records
from server import duty as service
from server import working_calendar as wc
from server.api.params import Id, OptionalDay
from server.api.steps import StepErrors, commit_step, load_or_404
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep
from server.models import Handover
from server.schemas import Day, DutyAssignBody, HandoverCreate

router = APIRouter(prefix="/duty", tags=["duty"])
ERRORS = StepErrors(service.DutyDenied, service.DutyConflict, service.DutyInvalid)
Shift = Annotated[int, Path(ge=0, le=23, description="the shift's index in its day")]


def _plan(runtime: RuntimeDep) -> service.ShiftPlan:
    return service.ShiftPlan(runtime.settings.duty_shift_starts)


@router.get("/roster")
def roster(session: SessionDep, user: CurrentUser, runtime: RuntimeDep, now: NowDep,
           start: Annotated[Day, Query(description="first day (UTC+7)")],
           end: Annotated[Day, Query(description="last day, inclusive")]
           ) -> list[records.DutyShift]:
    """Every shift of the days asked for and who is on it (anyone signed in reads it: every
    unit reports faults to the duty desk, Art. 8.1); ``actions`` lists ``assign`` where the
    reader may change it."""
    return commit_step(session, ERRORS,
                       lambda: service.roster(session, _plan(runtime), user, start, end, now))


@router.get("/now")
def on_duty(session: SessionDep, user: CurrentUser, runtime: RuntimeDep,
            now: NowDep) -> records.DutyShift:
    """The shift on duty now and its people."""
    return service.on_duty(session, _plan(runtime), user, now)


@router.get("/people")
def people(session: SessionDep, user: CurrentUser) -> list[records.DutyPerson]:
    """Whom a shift may be given to: the operating unit's active users (for its administrators
    and leaders, who keep the roster)."""
    return commit_step(session, ERRORS, lambda: service.people(session, user))


@router.put("/roster/{day}/{shift}")
def assign(day: Day, shift: Shift, body: DutyAssignBody, session: SessionDep,
           user: CurrentUser, runtime: RuntimeDep, now: NowDep) -> records.DutyShift:
    """Put people of the operating unit on a shift (its administrators and leaders): the shift
    in progress or one to come; a shift that has ended is a record (422 ``day``)."""
    return commit_step(session, ERRORS, lambda: service.assign(
        session, _plan(runtime), user, day, shift, body.user_ids, now))


@router.post("/handovers", status_code=status.HTTP_201_CREATED)
def write_handover(body: HandoverCreate, session: SessionDep, user: CurrentUser,
                   runtime: RuntimeDep, now: NowDep) -> records.Handover:
    """The outgoing shift's handover note; the server lists what is pending now."""
    plan = _plan(runtime)
    calendar = wc.WorkingCalendar(wc.load(runtime.settings.calendar_file))
    handover = commit_step(session, ERRORS, lambda: service.write_handover(
        session, plan, calendar, user, body.note, now))
    return service.handover_public(session, plan, user, handover, now)


@router.get("/handovers")
def list_handovers(session: SessionDep, user: CurrentUser, runtime: RuntimeDep, now: NowDep,
                   start: Annotated[OptionalDay, Query(description="first shift day")] = None,
                   end: Annotated[OptionalDay, Query(description="last shift day")] = None,
                   ) -> list[records.Handover]:
    """The operating unit's handovers, newest first."""
    plan = _plan(runtime)
    found = commit_step(session, ERRORS,
                        lambda: service.list_handovers(session, user, start, end))
    return [service.handover_public(session, plan, user, h, now) for h in found]


def _readable(session: SessionDep, user: CurrentUser, handover_id: int) -> Handover:
    return load_or_404(session, Handover, handover_id, lambda _h: service.may_read(user),
                       "Handover not found")


@router.get("/handovers/{handover_id}")
def get_handover(handover_id: Id, session: SessionDep, user: CurrentUser, runtime: RuntimeDep,
                 now: NowDep) -> records.Handover:
    return service.handover_public(session, _plan(runtime), user,
                                   _readable(session, user, handover_id), now)


@router.post("/handovers/{handover_id}/acknowledge")
def acknowledge(handover_id: Id, session: SessionDep, user: CurrentUser, runtime: RuntimeDep,
                now: NowDep) -> records.Handover:
    """The incoming shift (or a leader) acknowledges the handover, on the server's clock."""
    plan = _plan(runtime)
    handover = _readable(session, user, handover_id)
    commit_step(session, ERRORS, lambda: service.acknowledge(session, plan, user, handover, now))
    return service.handover_public(session, plan, user, handover, now)
