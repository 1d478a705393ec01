"""Publication of violation media (Art. 14): proposals, their blurred clip, review, approval by
a leader, rejection, withdrawal; and the shareable-data catalogue administrators keep."""

import subprocess
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import FileResponse, Response

from common import records
from common.vocabulary import PublicationState
from server import cases as case_service
from server import publications as service
from server import redaction
from server.api.errors import file_answer
from server.api.params import Id
from server.api.steps import StepErrors, commit_step, load_or_404
from server.deps import AdminUser, CurrentUser, NowDep, RuntimeDep, SessionDep
from server.models import Publication, User, ViolationCase
from server.schemas import (
    PublicationCreate,
    PublicationReason,
    PublicationReview,
    PublicCatalogueBody,
)

router = APIRouter(tags=["publications"])

ERRORS = StepErrors(service.PublicationDenied, service.PublicationConflict,
                    service.PublicationInvalid)


def _readable(session: SessionDep, user: User, publication_id: int) -> Publication:
    return load_or_404(session, Publication, publication_id, lambda _p: service.can_read(user),
                       "Publication not found")


@router.get("/publications")
def list_publications(
    session: SessionDep, user: CurrentUser,
    state: Annotated[PublicationState | None, Query()] = None,
) -> list[records.Publication]:
    """The operating unit's proposals, newest first (others: an empty list)."""
    return [service.publication_public(user, p)
            for p in service.list_publications(session, user, state)]


@router.post("/publications", status_code=status.HTTP_201_CREATED)
def propose(body: PublicationCreate, session: SessionDep, user: CurrentUser, now: NowDep,
            runtime: RuntimeDep) -> records.Publication:
    """An operator proposes a case's title and one evidence clip, with the boxes to blur; the
    server blurs the clip (``redacting``), then it waits for its review and a leader."""
    case = load_or_404(session, ViolationCase, body.case_id,
                       lambda c: case_service.can_read(session, user, c, now), "Case not found")
    tracks = [[k.model_dump() for k in track] for track in body.tracks]
    item = commit_step(session, ERRORS, lambda: service.propose(
        session, user, case, body.title, body.clip_request_id, tracks, runtime.settings, now))
    if item.state == PublicationState.REDACTING and runtime.redactor is not None:
        runtime.redactor.submit(item.id)
    return service.publication_public(user, item)


@router.get("/publications/frames/{clip_request_id}", response_class=Response,
            responses=file_answer("image/jpeg", description="a picture of the clip"))
def frame(clip_request_id: Id, session: SessionDep, user: CurrentUser, now: NowDep,
          runtime: RuntimeDep,
          at: Annotated[float, Query(ge=0, le=86400, description="seconds from the start")] = 0
          ) -> Response:
    """A picture of an evidence clip at ``at`` seconds, for the operating unit to draw the boxes
    to blur on."""
    path = service.evidence_clip_path(session, user, clip_request_id, now)
    if path is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Clip not found")
    try:
        picture = redaction.frame_jpeg(runtime.settings.ffmpeg, path, at)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND,
                            detail="No picture at that time in the clip") from exc
    return Response(picture, media_type="image/jpeg")


@router.get("/publications/{publication_id}")
def get_publication(publication_id: Id, session: SessionDep,
                    user: CurrentUser) -> records.Publication:
    return service.publication_public(user, _readable(session, user, publication_id))


@router.get("/publications/{publication_id}/media", response_class=FileResponse,
            responses=file_answer("video/mp4", description="the blurred clip, for its review"))
def media(publication_id: Id, session: SessionDep, user: CurrentUser) -> FileResponse:
    item = _readable(session, user, publication_id)
    if item.redacted_path is None or not Path(item.redacted_path).exists():
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND,
                            detail="No blurred clip (yet)")
    return FileResponse(item.redacted_path, media_type="video/mp4",
                        filename=f"cong-bo-{item.id}.mp4")


@router.post("/publications/{publication_id}/review")
def review(publication_id: Id, body: PublicationReview, session: SessionDep,
           user: CurrentUser, now: NowDep) -> records.Publication:
    item = _readable(session, user, publication_id)
    commit_step(session, ERRORS, lambda: service.review(session, user, item, body.note, now))
    return service.publication_public(user, item)


@router.post("/publications/{publication_id}/approve")
def approve(publication_id: Id, session: SessionDep, user: CurrentUser,
            now: NowDep) -> records.Publication:
    item = _readable(session, user, publication_id)
    commit_step(session, ERRORS, lambda: service.approve(session, user, item, now))
    return service.publication_public(user, item)


@router.post("/publications/{publication_id}/reject")
def reject(publication_id: Id, body: PublicationReason, session: SessionDep,
           user: CurrentUser, now: NowDep) -> records.Publication:
    item = _readable(session, user, publication_id)
    commit_step(session, ERRORS, lambda: service.reject(session, user, item, body.reason, now))
    return service.publication_public(user, item)


@router.post("/publications/{publication_id}/withdraw")
def withdraw(publication_id: Id, body: PublicationReason, session: SessionDep,
             user: CurrentUser, now: NowDep) -> records.Publication:
    item = _readable(session, user, publication_id)
    commit_step(session, ERRORS,
                lambda: service.withdraw(session, user, item, body.reason, now))
    return service.publication_public(user, item)


@router.get("/public-catalogue")
def get_catalogue(session: SessionDep, _user: CurrentUser) -> records.PublicCatalogue:
    """What the public API may serve (every signed-in user may read it)."""
    return service.catalogue_public(session)


@router.put("/admin/public-catalogue")
def set_catalogue(body: PublicCatalogueBody, session: SessionDep, admin: AdminUser,
                  now: NowDep) -> records.PublicCatalogue:
    """Administrators replace the catalogue; what leaves it leaves the public at once."""
    commit_step(session, ERRORS, lambda: service.set_catalogue(
        session, admin, sorted(set(body.camera_ids)), sorted(set(body.violation_kinds)), now))
    return service.catalogue_public(session)
