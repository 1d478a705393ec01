"""Violation cases: open from a bookmark or clip, record each step, deadlines."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, HTTPException, Query, status
from fastapi.responses import FileResponse

from common.records import Case
from common.vocabulary import CaseAction
from server import audit, case_evidence, case_package
from server import cases as service
from server import working_calendar as wc
from server.api.errors import file_answer
from server.api.params import Id, IdQuery, OptionalMoment, RequiredPurpose
from server.api.steps import StepErrors, aware, commit_step, load_or_404
from server.audit_anchors import trusted_keys
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep
from server.models import ViolationCase
from server.schemas import (
    CaseActionBody,
    CaseClipAdd,
    CaseCreate,
    CaseEdit,
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


@router.get("/{case_id}/package", response_class=FileResponse,
            responses=file_answer("application/zip", description="the evidence package"))
def evidence_package(case_id: Id, purpose: RequiredPurpose, session: SessionDep,
                     user: CurrentUser, now: NowDep, runtime: RuntimeDep,
                     cleanup: BackgroundTasks) -> FileResponse:
    """The case's evidence as one ZIP a recipient checks without iocwall (``docs/evidence.md``):
    the clips with their signed manifests, the case record, the letters, the public keys,
    ``SHA256SUMS`` and a signed package manifest. For the operating unit and the units that
    receive the evidence of a sent case (city police, traffic police: ward police and the urban
    order team read the case, their clips come through their own requests); audited as
    ``case_package_download`` with the ZIP's SHA-256 and the purpose."""
    case = load_or_404(session, ViolationCase, case_id,
                       lambda c: service.can_read(session, user, c, now)
                       and case_evidence.may_take_evidence(user), "Case not found")
    record = service.case_public(session, user, case, _calendar(runtime), now)
    try:
        package = case_package.build(session, runtime.settings, case, record, user, purpose,
                                     trusted_keys(runtime.settings), runtime.signer, now)
    except case_package.StoredClipAltered as exc:
        raise HTTPException(status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
                            detail=f"{exc}; the operating unit has been notified") from None
    try:
        audit.append(session, "case_package_download", now=now, user_id=user.id,
                     username=user.username, camera_id=case.camera_id,
                     detail={"case_id": case.id, "sha256": package.sha256,
                             "size": package.size, "purpose": purpose, "clips": package.clips,
                             "letters": package.letters})
        session.commit()
    except BaseException:
        package.path.unlink(missing_ok=True)  # not audited: not sent
        raise
    cleanup.add_task(package.path.unlink, missing_ok=True)
    return FileResponse(package.path, media_type="application/zip", filename=package.filename,
                        headers={"X-Package-SHA256": package.sha256})
