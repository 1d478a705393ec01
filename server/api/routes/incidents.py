"""Camera incidents: report (JSON or multipart with a ``snapshot``), list,
acknowledge, resolve, snapshot download."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.responses import FileResponse

from common import records
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
    """201 when this report opened the incident, 200 when it joined the camera's open one."""
    data, attached = body
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
    session: SessionDep, user: CurrentUser, now: NowDep,
    state: Literal["open", "acknowledged", "resolved"] | None = None,
    camera_id: IdQuery = None,
    since: Annotated[OptionalMoment, Query(description="reported at or after")] = None,
    until: Annotated[OptionalMoment, Query(description="reported before")] = None,
) -> list[records.Incident]:
    """The operating unit sees all; others those on cameras they may view. Newest first."""
    return [service.incident_public(i) for i in service.list_incidents(
        session, user, now, state, camera_id, aware(since), aware(until))]


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
