"""Clip requests: create, list, read, endorse, approve, reject, download, manifest;
and what is recorded on a camera (``/cameras/{id}/recordings``)."""

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from common import records
from common.evidence import sha256_file
from common.vocabulary import ClipState
from server import audit
from server import clip_requests as service
from server import permissions as perm
from server.api.errors import file_answer
from server.api.forms import body_with_file
from server.api.params import Id, OptionalMoment
from server.deps import (
    CurrentUser,
    NowDep,
    RuntimeDep,
    SessionDep,
    camera_not_found,
    require_camera_access,
)
from server.models import ClipRequest, RecordingGap, User
from server.recorder import recorded_ranges
from server.schemas import (
    ClipRejectBody,
    ClipRequestCreate,
    RecordedRangePublic,
    RecordingGapPublic,
    RecordingsPublic,
)
from server.services import VisibleCamera, visible_camera

log = logging.getLogger("iocwall.api")
router = APIRouter(tags=["clips"])

_FIELDS = ("camera_id", "start", "end", "purpose", "commitment")


def _invalid(errors: tuple[tuple[str, str], ...]) -> RequestValidationError:
    return RequestValidationError([
        {"type": "value_error", "loc": ("body", field), "msg": message, "input": None}
        for field, message in errors])


async def clip_input(request: Request) -> tuple[ClipRequestCreate, service.Letter | None]:
    """The body as JSON, or as multipart form fields with the agency's ``letter`` PDF."""
    fields, attached = await body_with_file(request, ClipRequestCreate, "letter",
                                            service.MAX_LETTER_BYTES)
    letter = (service.Letter(attached.filename or "letter.pdf", attached.content)
              if attached is not None else None)
    return fields, letter


ClipInput = Annotated[tuple[ClipRequestCreate, service.Letter | None], Depends(clip_input)]


def _not_found() -> HTTPException:
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Clip request not found")


def _readable(session: Session, user: User, request_id: Id, now: datetime) -> ClipRequest:
    request = session.get(ClipRequest, request_id)
    if request is None or not service.can_read(session, user, request, now):
        raise _not_found()
    return request


def _step_errors(exc: Exception) -> HTTPException:
    if isinstance(exc, service.ClipDenied):
        return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(exc))
    return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(exc))


@router.post("/clips", status_code=status.HTTP_201_CREATED)
def create_clip(body: ClipInput, session: SessionDep, user: CurrentUser, now: NowDep,
                runtime: RuntimeDep) -> records.ClipRequest:
    data, letter = body
    item = visible_camera(session, user, data.camera_id, now)
    if item is None:
        raise camera_not_found()
    try:
        request = service.create_request(session, user, item, data, letter, runtime.settings,
                                         now)
    except service.ClipInvalid as exc:
        raise _invalid(exc.errors) from None
    except service.ClipDenied as exc:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(exc)) from None
    session.commit()
    if runtime.clip_worker is not None and request.state == ClipState.APPROVED:
        runtime.clip_worker.wake()
    return service.request_public(session, user, request, now)


@router.get("/clips")
def list_clips(session: SessionDep, user: CurrentUser, now: NowDep,
               box: Literal["mine", "awaiting", "received", "all"] = "all"
               ) -> list[records.ClipRequest]:
    """``mine``, ``awaiting`` (my endorsement/approval), ``received`` (evidence of the cases
    sent to my unit) or ``all`` I may read; newest first."""
    rows = service.list_requests(session, user, box, now)
    return [service.request_public(session, user, r, now) for r in rows]


@router.get("/clips/{request_id}")
def read_clip(request_id: Id, session: SessionDep, user: CurrentUser,
              now: NowDep) -> records.ClipRequest:
    return service.request_public(session, user, _readable(session, user, request_id, now), now)


@router.post("/clips/{request_id}/endorse")
def endorse_clip(request_id: Id, session: SessionDep, user: CurrentUser,
                 now: NowDep) -> records.ClipRequest:
    request = _readable(session, user, request_id, now)
    try:
        service.endorse(session, user, request, now)
    except (service.ClipDenied, service.ClipConflict) as exc:
        raise _step_errors(exc) from None
    session.commit()
    session.refresh(request)  # the endorser/approver relationships were loaded before the step
    return service.request_public(session, user, request, now)


@router.post("/clips/{request_id}/approve")
def approve_clip(request_id: Id, session: SessionDep, user: CurrentUser, now: NowDep,
                 runtime: RuntimeDep) -> records.ClipRequest:
    request = _readable(session, user, request_id, now)
    try:
        service.approve(session, user, request, now)
    except (service.ClipDenied, service.ClipConflict) as exc:
        raise _step_errors(exc) from None
    session.commit()
    if runtime.clip_worker is not None:
        runtime.clip_worker.wake()
    session.refresh(request)
    return service.request_public(session, user, request, now)


@router.post("/clips/{request_id}/reject")
def reject_clip(request_id: Id, body: ClipRejectBody, session: SessionDep, user: CurrentUser,
                now: NowDep) -> records.ClipRequest:
    request = _readable(session, user, request_id, now)
    try:
        service.reject(session, user, request, body.reason, now)
    except (service.ClipDenied, service.ClipConflict) as exc:
        raise _step_errors(exc) from None
    session.commit()
    session.refresh(request)  # the endorser/approver relationships were loaded before the step
    return service.request_public(session, user, request, now)


@router.get("/clips/{request_id}/download", response_class=FileResponse,
            responses=file_answer("video/mp4", description="the signed clip"))
def download_clip(request_id: Id, session: SessionDep, user: CurrentUser,
                  now: NowDep) -> FileResponse:
    """The MP4 for its requester once ready, and for the police units a case citing it was sent
    to; audited, the requester's first download marks it delivered.
    The file is checked against its recorded SHA-256 before it leaves the server."""
    request = _readable(session, user, request_id, now)
    if not service.can_download(session, user, request, now):
        if request.state not in (ClipState.READY, ClipState.DELIVERED):
            raise HTTPException(status_code=status.HTTP_409_CONFLICT,
                                detail=f"state: the clip is {request.state}, not ready yet")
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN,
                            detail="Only the requester downloads the clip")
    assert request.clip_path is not None
    path = Path(request.clip_path)
    if sha256_file(path) != request.clip_sha256:
        log.error("Clip %d on disk does not match its SHA-256: refusing to deliver", request.id)
        raise HTTPException(status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
                            detail="The stored clip does not match its recorded hash; the "
                                   "operating unit has been notified")
    service.record_download(session, user, request, now)
    session.commit()
    return FileResponse(path, media_type="video/mp4", filename=path.name,
                        headers={"X-Clip-SHA256": request.clip_sha256 or ""})


@router.get("/clips/{request_id}/manifest")
def clip_manifest(request_id: Id, session: SessionDep, user: CurrentUser,
                  now: NowDep) -> JSONResponse:
    """The signed manifest as stored beside the clip (``{"manifest", "signature"}``)."""
    request = _readable(session, user, request_id, now)
    if request.manifest_path is None:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT,
                            detail=f"state: the clip is {request.state}, not ready yet")
    document = json.loads(Path(request.manifest_path).read_text(encoding="utf-8"))
    audit.append(session, "clip_manifest_read", now=now, user_id=user.id,
                 username=user.username, camera_id=request.camera_id,
                 detail={"request_id": request.id})
    session.commit()
    return JSONResponse(document)


@router.get("/clips/{request_id}/letter", response_class=FileResponse,
            responses=file_answer("application/pdf", description="the letter"))
def clip_letter(request_id: Id, session: SessionDep, user: CurrentUser,
                now: NowDep) -> FileResponse:
    """An agency's official letter (PDF) to whoever may read the request (the operating unit
    deciding it, the requester); audited as ``clip_letter_read``."""
    request = _readable(session, user, request_id, now)
    if request.letter_path is None or not Path(request.letter_path).is_file():
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND,
                            detail="letter: this request has no letter")
    audit.append(session, "clip_letter_read", now=now, user_id=user.id,
                 username=user.username, camera_id=request.camera_id,
                 detail={"request_id": request.id, "sha256": request.letter_sha256})
    session.commit()
    return FileResponse(request.letter_path, media_type="application/pdf",
                        filename=request.letter_filename or f"letter-{request.id}.pdf")


@router.get("/cameras/{camera_id}/recordings")
def camera_recordings(
    item: Annotated[VisibleCamera, Depends(require_camera_access(perm.Action.VIEW))],
    session: SessionDep,
    now: NowDep,
    since: OptionalMoment = None,
    until: OptionalMoment = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> RecordingsPublic:
    """Recorded spans and gaps of a camera (default: the last 24 hours)."""
    until = (until or now).astimezone(UTC) if (until is None or until.tzinfo) \
        else until.replace(tzinfo=UTC)
    since = (since or until - timedelta(hours=24))
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    ranges = recorded_ranges(session, item.camera.id, since, until)[-limit:]
    gaps = session.execute(
        select(RecordingGap).where(RecordingGap.camera_id == item.camera.id,
                                   RecordingGap.from_at < until)
        .order_by(RecordingGap.from_at.desc()).limit(limit)).scalars().all()
    return RecordingsPublic(
        camera_id=item.camera.id,
        ranges=[RecordedRangePublic(start=r.start, end=r.end) for r in ranges],
        gaps=[RecordingGapPublic(start=g.from_at, end=g.to_at, reason=g.reason)
              for g in reversed(gaps) if g.to_at is None or g.to_at > since])
