"""Incidents of cameras and of the system: report (JSON or multipart with a ``snapshot``),
list, acknowledge, resolve, snapshot download.

Clients below API level 2 read only camera incidents a person reported (their records have no
category, and require a camera and a reporter): the others are left out of what they are
sent."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.responses import FileResponse

from common import records, versions
from common.vocabulary import IncidentCategory
from server import incidents as service
from server.api.errors import file_answer
from server.api.forms import Attached, body_with_file
from server.api.params import Id, IdQuery, OptionalMoment
from server.api.steps import StepErrors, aware, commit_step, load_or_404
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep, camera_not_found
from server.models import Incident, IncidentReport, User
from server.schemas import IncidentCreate, IncidentResolve
from server.services import visible_camera

router = APIRouter(prefix="/incidents", tags=["incidents"])

SYSTEM_INCIDENTS_API_LEVEL = 2
OLD_KINDS = frozenset({"offline", "obstructed", "too_dark", "ptz_broken", "other"})


def _old_client(request: Request) -> bool:
    level = versions.client_api_level(request.headers.get("user-agent", ""),
                                      request.headers.get(versions.API_LEVEL_HEADER))
    return level is not None and level < SYSTEM_INCIDENTS_API_LEVEL


def _old_client_reads(incident: Incident) -> bool:
    return (incident.camera_id is not None and incident.reported_by_id is not None
            and incident.kind in OLD_KINDS
            and all(r.user_id is not None for r in incident.reports))


async def incident_input(request: Request) -> tuple[IncidentCreate, Attached | None]:
    return await body_with_file(request, IncidentCreate, "snapshot",
                                service.MAX_SNAPSHOT_BYTES)


IncidentInput = Annotated[tuple[IncidentCreate, Attached | None], Depends(incident_input)]


ERRORS = StepErrors(service.IncidentDenied, service.IncidentConflict, service.IncidentInvalid)


def _readable(session: SessionDep, user: User, incident_id: Id, now: datetime) -> Incident:
    return load_or_404(session, Incident, incident_id,
                       lambda i: service.can_read(session, user, i, now), "Incident not found")


@router.post("", status_code=status.HTTP_201_CREATED)
def report(body: IncidentInput, session: SessionDep, user: CurrentUser, now: NowDep,
           runtime: RuntimeDep, response: Response) -> records.Incident:
    """A camera's fault (``camera_id``) or the system's (``category``, ``subject``); anyone may
    report either. 201 when this report opened the incident, 200 when it joined the open one
    of the camera, or of the subject and kind."""
    data, attached = body
    item = None
    if data.camera_id is not None:
        item = visible_camera(session, user, data.camera_id, now)
        if item is None:
            raise camera_not_found()
    snapshot = service.Snapshot(attached.filename, attached.content) if attached else None
    incident, created = commit_step(session, ERRORS, lambda: service.report(
        session, user, item, data, snapshot, runtime.settings.data_dir, now))
    if not created:
        response.status_code = status.HTTP_200_OK
    return service.incident_public(incident)


@router.get("")
def list_incidents(
    request: Request, session: SessionDep, user: CurrentUser, now: NowDep,
    state: Literal["open", "acknowledged", "resolved"] | None = None,
    category: IncidentCategory | None = None,
    camera_id: IdQuery = None,
    since: Annotated[OptionalMoment, Query(description="reported at or after")] = None,
    until: Annotated[OptionalMoment, Query(description="reported before")] = None,
) -> list[records.Incident]:
    """The operating unit sees all; others those on cameras they may view and the system
    faults their unit reported. Newest first."""
    old = _old_client(request)
    return [service.incident_public(i) for i in service.list_incidents(
        session, user, now, state, camera_id, aware(since), aware(until),
        category.value if category else None) if not old or _old_client_reads(i)]


@router.get("/{incident_id}")
def get_incident(incident_id: Id, session: SessionDep, user: CurrentUser,
                 now: NowDep) -> records.Incident:
    return service.incident_public(_readable(session, user, incident_id, now))


@router.post("/{incident_id}/acknowledge")
def acknowledge(incident_id: Id, session: SessionDep, user: CurrentUser,
                now: NowDep) -> records.Incident:
    incident = _readable(session, user, incident_id, now)
    commit_step(session, ERRORS, lambda: service.acknowledge(session, user, incident, now))
    return service.incident_public(incident)


@router.post("/{incident_id}/resolve")
def resolve(incident_id: Id, body: IncidentResolve, session: SessionDep, user: CurrentUser,
            now: NowDep) -> records.Incident:
    incident = _readable(session, user, incident_id, now)
    commit_step(session, ERRORS,
                lambda: service.resolve(session, user, incident, body.resolution, now))
    return service.incident_public(incident)


@router.get("/{incident_id}/reports/{report_id}/snapshot", response_class=FileResponse,
            responses=file_answer("image/jpeg", "image/png", description="the picture"))
def snapshot(incident_id: Id, report_id: Id, session: SessionDep, user: CurrentUser,
             now: NowDep) -> FileResponse:
    _readable(session, user, incident_id, now)
    row = session.get(IncidentReport, report_id)
    if row is None or row.incident_id != incident_id or row.snapshot_path is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="No snapshot")
    media = "image/png" if row.snapshot_path.endswith(".png") else "image/jpeg"
    return FileResponse(row.snapshot_path, media_type=media)
