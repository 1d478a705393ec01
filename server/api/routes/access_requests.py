"""Other agencies' access requests (issue 6): file with a PDF letter, grant, reject, revoke."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import FileResponse

from server import access_requests as service
from server.api.forms import Attached, body_with_file, invalid
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep
from server.models import AccessRequest, User
from server.schemas import (
    AccessGrantBody,
    AccessRejectBody,
    AccessRequestCreate,
    AccessRequestPublic,
)

router = APIRouter(prefix="/access-requests", tags=["access requests"])


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


async def request_input(request: Request) -> tuple[AccessRequestCreate, Attached | None]:
    body, letter = await body_with_file(request, AccessRequestCreate, "letter",
                                        service.MAX_LETTER_BYTES)
    body = body.model_copy(update={"wanted_from": _aware(body.wanted_from),
                                   "wanted_until": _aware(body.wanted_until)})
    return body, letter


RequestInput = Annotated[tuple[AccessRequestCreate, Attached | None], Depends(request_input)]
ERRORS = (service.AccessDenied, service.AccessConflict, service.AccessInvalid)


def _errors(exc: Exception) -> Exception:
    if isinstance(exc, service.AccessDenied):
        return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(exc))
    if isinstance(exc, service.AccessConflict):
        return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(exc))
    field, _, message = str(exc).partition(": ")
    return invalid(field, message)


def _readable(session: SessionDep, user: User, request_id: int) -> AccessRequest:
    request = session.get(AccessRequest, request_id)
    if request is None or not service.can_read(user, request):
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND,
                            detail="Access request not found")
    return request


@router.post("", status_code=status.HTTP_201_CREATED)
def file_request(body: RequestInput, session: SessionDep, user: CurrentUser, now: NowDep,
                 runtime: RuntimeDep) -> AccessRequestPublic:
    data, letter = body
    try:
        request = service.create(session, user, data, letter.filename if letter else None,
                                 letter.content if letter else None, runtime.settings.data_dir,
                                 now)
    except ERRORS as exc:
        raise _errors(exc) from exc
    session.commit()
    return service.request_public(session, request, now)


@router.get("")
def list_requests(session: SessionDep, user: CurrentUser,
                  now: NowDep) -> list[AccessRequestPublic]:
    """The operating unit sees every request; an agency its own unit's. Newest first."""
    return [service.request_public(session, r, now)
            for r in service.list_requests(session, user)]


@router.get("/{request_id}")
def get_request(request_id: int, session: SessionDep, user: CurrentUser,
                now: NowDep) -> AccessRequestPublic:
    return service.request_public(session, _readable(session, user, request_id), now)


@router.get("/{request_id}/letter")
def letter(request_id: int, session: SessionDep, user: CurrentUser) -> FileResponse:
    request = _readable(session, user, request_id)
    return FileResponse(request.letter_path, media_type="application/pdf",
                        filename=request.letter_filename)


@router.post("/{request_id}/grant")
def grant(request_id: int, body: AccessGrantBody, session: SessionDep, user: CurrentUser,
          now: NowDep) -> AccessRequestPublic:
    request = _readable(session, user, request_id)
    body = body.model_copy(update={"valid_from": _aware(body.valid_from),
                                   "valid_until": _aware(body.valid_until)})
    try:
        service.grant(session, user, request, body, now)
    except ERRORS as exc:
        raise _errors(exc) from exc
    session.commit()
    return service.request_public(session, request, now)


@router.post("/{request_id}/reject")
def reject(request_id: int, body: AccessRejectBody, session: SessionDep, user: CurrentUser,
           now: NowDep) -> AccessRequestPublic:
    request = _readable(session, user, request_id)
    try:
        service.reject(session, user, request, body.reason, now)
    except ERRORS as exc:
        raise _errors(exc) from exc
    session.commit()
    return service.request_public(session, request, now)


@router.post("/{request_id}/revoke")
def revoke(request_id: int, session: SessionDep, user: CurrentUser,
           now: NowDep) -> AccessRequestPublic:
    request = _readable(session, user, request_id)
    try:
        service.revoke(session, user, request, now)
    except ERRORS as exc:
        raise _errors(exc) from exc
    session.commit()
    return service.request_public(session, request, now)
