"""Violation cases: open from a bookmark or clip, record each step, deadlines."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status

from common.records import Case
from common.vocabulary import CaseAction
from server import cases as service
from server import working_calendar as wc
from server.api.params import Id, IdQuery, OptionalMoment
from server.api.steps import StepErrors, aware, commit_step, load_or_404
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep
from server.models import ViolationCase
from server.schemas import (
    CaseActionBody,
    CaseClipAdd,
    CaseCreate,
    CaseEdit,
    CasePublication,
    CaseVersionApproval,
)

router = APIRouter(prefix="/cases", tags=["cases"])


def _calendar(runtime: RuntimeDep) -> wc.WorkingCalendar:
    return wc.WorkingCalendar(wc.load(runtime.settings.calendar_file))


# 422 with the service's message as the plain detail (as before the shared helper)
CASE_ERRORS = StepErrors(service.CaseDenied, service.CaseConflict, service.CaseInvalid,
                         fields=False)


def _readable(session: SessionDep, user: CurrentUser, case_id: Id,
              now: datetime) -> ViolationCase:
    return load_or_404(session, ViolationCase, case_id,
                       lambda c: service.can_read(session, user, c, now), "Case not found")


@router.post("", status_code=status.HTTP_201_CREATED)
def open_case(body: CaseCreate, session: SessionDep, user: CurrentUser, now: NowDep,
              runtime: RuntimeDep) -> Case:
    if body.detected_at is not None:
        body = body.model_copy(update={"detected_at": aware(body.detected_at)})
    case = commit_step(session, CASE_ERRORS, lambda: service.open_case(
        session, user, body, now, runtime.settings.declared_time_window))
    return service.case_public(session, user, case, _calendar(runtime), now)


@router.get("")
def list_cases(
    session: SessionDep, user: CurrentUser, now: NowDep, runtime: RuntimeDep,
    state: Annotated[str | None, Query(max_length=32)] = None,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    deadline: Literal["due", "due_soon", "overdue"] | None = None,
    camera_id: IdQuery = None,
    since: Annotated[OptionalMoment, Query(description="detected at or after")] = None,
    until: Annotated[OptionalMoment, Query(description="detected before")] = None,
) -> list[Case]:
    """Cases the reader's unit handles (operating unit, city police, traffic & order police) or
    reads (ward police, the urban order team) on cameras it may view, newest detection first;
    ``deadline`` = the worst pending deadline."""
    calendar = _calendar(runtime)
    where = service.CaseFilter(state=state, kind=kind, deadline=deadline, camera_id=camera_id,
                               since=aware(since), until=aware(until))
    return [service.case_public(session, user, c, calendar, now)
            for c in service.list_cases(session, user, where, calendar, now)]


@router.get("/{case_id}")
def get_case(case_id: Id, session: SessionDep, user: CurrentUser, now: NowDep,
             runtime: RuntimeDep) -> Case:
    case = _readable(session, user, case_id, now)
    return service.case_public(session, user, case, _calendar(runtime), now)


@router.post("/{case_id}/clips")
def add_clip(case_id: Id, body: CaseClipAdd, session: SessionDep, user: CurrentUser,
             now: NowDep, runtime: RuntimeDep) -> Case:
    case = _readable(session, user, case_id, now)
    commit_step(session, CASE_ERRORS,
                lambda: service.add_clip(session, user, case, body.clip_request_id, now))
    return service.case_public(session, user, case, _calendar(runtime), now)


@router.post("/{case_id}/edit")
def edit(case_id: Id, body: CaseEdit, session: SessionDep, user: CurrentUser, now: NowDep,
         runtime: RuntimeDep) -> Case:
    """A new version of the case's record (note, kind, complex, decision_kind,
    handover_needed) with its ``reason``; earlier versions stay as they were. A reclassification
    after the case was sent waits for a police leader's approval before the deadlines move."""
    case = _readable(session, user, case_id, now)
    commit_step(session, CASE_ERRORS, lambda: service.edit(session, user, case, body, now))
    return service.case_public(session, user, case, _calendar(runtime), now)


@router.post("/{case_id}/versions/{number}/approve")
def approve_version(case_id: Id, number: Id, body: CaseVersionApproval, session: SessionDep,
                    user: CurrentUser, now: NowDep, runtime: RuntimeDep) -> Case:
    """A police leader approves a pending reclassification: the deadlines count from it."""
    case = _readable(session, user, case_id, now)
    try:
        commit_step(session, CASE_ERRORS, lambda: service.approve_version(
            session, user, case, number, body.reason, now))
    except service.CaseVersionMissing as exc:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc
    return service.case_public(session, user, case, _calendar(runtime), now)


@router.post("/{case_id}/{action}")
def act(case_id: Id, action: CaseAction, body: CaseActionBody, session: SessionDep,
        user: CurrentUser, now: NowDep, runtime: RuntimeDep) -> Case:
    """One step of the procedure (``send``, ``conclude``, ``report_conclusion``,
    ``identify_violator``, ``make_record``, ``hand_over``, ``decide``, ``close``) at the
    server's clock; ``at`` is taken only by ``identify_violator`` (an earlier time declared),
    ``close`` needs its reason in ``note``."""
    case = _readable(session, user, case_id, now)
    if body.at is not None:
        body = body.model_copy(update={"at": aware(body.at)})
    commit_step(session, CASE_ERRORS, lambda: service.act(
        session, user, case, action, body, now, runtime.settings.declared_time_window))
    return service.case_public(session, user, case, _calendar(runtime), now)


@router.put("/{case_id}/publication")
def publish(case_id: Id, body: CasePublication, session: SessionDep, user: CurrentUser,
            now: NowDep, runtime: RuntimeDep) -> Case:
    """Art. 14: the operating unit publishes (or withdraws) a case on ``/public/v1``."""
    case = _readable(session, user, case_id, now)
    commit_step(session, CASE_ERRORS, lambda: service.set_publication(
        session, user, case, body.public, body.title, body.clip_request_id, now))
    return service.case_public(session, user, case, _calendar(runtime), now)
