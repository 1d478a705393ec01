"""The ``/public/v1`` router (Art. 14): no login, GET only, rate-limited per address,
only what the operating unit marked public (``server.public``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.responses import FileResponse

from server import public as service
from server.api.errors import documented, file_answer
from server.api.params import Id, refuse_nul, strict_query
from server.deps import NowDep, RuntimeDep, SessionDep
from server.models import Camera
from server.schemas import PublicCamera, PublicViolation


def rate_limit(request: Request, runtime: RuntimeDep, now: NowDep) -> None:
    limiter = runtime.public_limiter
    if limiter is None:
        limiter = runtime.public_limiter = service.RateLimiter(
            runtime.settings.public_rate_per_minute)
    address = request.client.host if request.client else "unknown"
    wait = limiter.take(address, now)
    if wait is not None:
        raise HTTPException(status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                            detail="Too many requests: slow down",
                            headers={"Retry-After": service.retry_after(wait)})


public_router = APIRouter(tags=["public"],
                          dependencies=[Depends(rate_limit), Depends(refuse_nul),
                                        Depends(strict_query)],
                          responses=documented(400, 404, 422, 429, 503))


def _missing(what: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"{what} not found")


@public_router.get("/cameras")
def cameras(session: SessionDep) -> list[PublicCamera]:
    return [service.camera_view(session, c) for c in service.public_cameras(session)]


@public_router.get("/cameras/{camera_id}/snapshot", response_class=Response,
                   responses=file_answer("image/jpeg", description="a recent frame"))
def snapshot(camera_id: Id, session: SessionDep, runtime: RuntimeDep) -> Response:
    """One JPEG frame from the end of the camera's latest recorded segment."""
    camera = session.get(Camera, camera_id)
    if camera is None or not service.is_public_camera(session, camera):
        raise _missing("Camera")
    segment = service.latest_segment(session, camera_id)
    if segment is None:
        raise _missing("Picture")
    try:
        frame = service.SNAPSHOTS.frame(camera_id, Path(segment.path), runtime.settings.ffmpeg)
    except (RuntimeError, OSError) as exc:
        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                            detail="No picture available now") from exc
    return Response(frame, media_type="image/jpeg", headers={"Cache-Control": "max-age=10"})


@public_router.get("/violations")
def violations(session: SessionDep) -> list[PublicViolation]:
    return [service.violation_view(session, c) for c in service.public_violations(session)]


@public_router.get("/violations/{case_id}/media", response_class=FileResponse,
                   responses=file_answer("video/mp4", description="the published clip"))
def media(case_id: Id, session: SessionDep) -> FileResponse:
    case = service.public_violation(session, case_id)
    if case is None:
        raise _missing("Violation")
    path = service.published_media(session, case)
    if path is None:
        raise _missing("Media")
    return FileResponse(path, media_type="video/mp4", filename=f"vi-pham-{case.id}.mp4")
