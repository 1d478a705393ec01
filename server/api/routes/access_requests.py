"""Other agencies' access requests: file with a PDF letter, grant, reject, revoke."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import FileResponse

from common import records
from server import access_requests as service
from server.api.errors import file_answer
from server.api.forms import Attached, body_with_file
from server.api.params import Id
from server.api.steps import StepErrors, aware, commit_step, load_or_404
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep
from server.gateways import cut_lost_cameras
from server.models import AccessRequest, User
from server.schemas import (
    AccessGrantBody,
    AccessRejectBody,
    AccessRequestCreate,
)

router = APIRouter(prefix="/access-requests", tags=["access requests"])


async def request_input(request: Request) -> tuple[AccessRequestCreate, Attached | None]:
    body, letter = await body_with_file(request, AccessRequestCreate, "letter",
                                        service.MAX_LETTER_BYTES)
    body = body.model_copy(update={"wanted_from": aware(body.wanted_from),
                                   "wanted_until": aware(body.wanted_until)})
    return body, letter


RequestInput = Annotated[tuple[AccessRequestCreate, Attached | None], Depends(request_input)]
ERRORS = StepErrors(service.AccessDenied, service.AccessConflict, service.AccessInvalid)


def _readable(session: SessionDep, user: User, request_id: Id) -> AccessRequest:
    return load_or_404(session, AccessRequest, request_id,
                       lambda r: service.can_read(user, r), "Access request not found")


@router.post("", status_code=status.HTTP_201_CREATED)
def file_request(body: RequestInput, session: SessionDep, user: CurrentUser, now: NowDep,
                 runtime: RuntimeDep) -> records.AccessRequest:
    data, letter = body
    request = commit_step(session, ERRORS, lambda: service.create(
        session, user, data, letter.filename if letter else None,
        letter.content if letter else None, runtime.settings.data_dir, now))
    return service.request_public(session, request, now)


@router.get("/cameras")
def camera_catalogue(session: SessionDep, user: CurrentUser,
                     now: NowDep) -> list[records.RequestableCamera]:
    """The cameras an agency may ask for (smart-city and public): id, name, ward, location."""
    return commit_step(session, ERRORS, lambda: service.catalogue(session, user, now))


@router.get("")
def list_requests(session: SessionDep, user: CurrentUser,
                  now: NowDep) -> list[records.AccessRequest]:
    """The operating unit sees every request; an agency its own unit's. Newest first."""
    return [service.request_public(session, r, now)
            for r in service.list_requests(session, user)]


@router.get("/{request_id}")
def get_request(request_id: Id, session: SessionDep, user: CurrentUser,
                now: NowDep) -> records.AccessRequest:
    return service.request_public(session, _readable(session, user, request_id), now)


@router.get("/{request_id}/letter", response_class=FileResponse,
            responses=file_answer("application/pdf", description="the letter"))
def letter(request_id: Id, session: SessionDep, user: CurrentUser) -> FileResponse:
    request = _readable(session, user, request_id)
    return FileResponse(request.letter_path, media_type="application/pdf",
                        filename=request.letter_filename)


@router.post("/{request_id}/grant")
def grant(request_id: Id, body: AccessGrantBody, session: SessionDep, user: CurrentUser,
          now: NowDep) -> records.AccessRequest:
    request = _readable(session, user, request_id)
    body = body.model_copy(update={"valid_from": aware(body.valid_from),
                                   "valid_until": aware(body.valid_until)})
    commit_step(session, ERRORS, lambda: service.grant(session, user, request, body, now))
    return service.request_public(session, request, now)


@router.post("/{request_id}/reject")
def reject(request_id: Id, body: AccessRejectBody, session: SessionDep, user: CurrentUser,
           now: NowDep) -> records.AccessRequest:
    request = _readable(session, user, request_id)
    commit_step(session, ERRORS,
                lambda: service.reject(session, user, request, body.reason, now))
    return service.request_public(session, request, now)


@router.post("/{request_id}/revoke")
def revoke(request_id: Id, session: SessionDep, user: CurrentUser, now: NowDep,
           runtime: RuntimeDep) -> records.AccessRequest:
    request = _readable(session, user, request_id)
    ended = commit_step(session, ERRORS, lambda: service.revoke(session, user, request, now))
    if runtime.gateways is not None:
        cut_lost_cameras(session, runtime.gateways, request.unit_id, ended, now)
    return service.request_public(session, request, now)
