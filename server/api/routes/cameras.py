import logging
import time
from datetime import UTC, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status

from common.records import (
    CAMERA_LOGIN_FAILED,
    GATEWAY_UNAVAILABLE,
    StoredHealthReport,
    StreamSession,
)
from common.vocabulary import CameraStream
from server import audit, publications, stream_sessions
from server import permissions as perm
from server.api.errors import ApiError, documented
from server.api.forms import invalid
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep, require_camera_access
from server.models import CameraHealthReport, Gateway
from server.schemas import (
    CameraHealthCreate,
    CameraPublic,
    CameraPublicationBody,
)
from server.services import VisibleCamera, camera_public, visible_cameras

log = logging.getLogger("iocwall.api")

# How long a new session waits for the camera table to reach its gateway after a change
SETTLE_WAIT_S = 5.0
router = APIRouter(prefix="/cameras", tags=["cameras"])


@router.get("")
def list_cameras(session: SessionDep, user: CurrentUser, now: NowDep,
                 runtime: RuntimeDep) -> list[CameraPublic]:
    """The cameras in the user's scope, by name; stream URLs carry credentials (view only)."""
    items = visible_cameras(session, user, now)
    result = [camera_public(item, runtime.secrets, runtime.upstream) for item in items]
    audit.append(session, "camera_list", now=now, user_id=user.id, username=user.username,
                 detail={"count": len(result)})
    session.commit()
    return result


@router.get("/{camera_id}")
def read_camera(
    item: Annotated[VisibleCamera, Depends(require_camera_access(perm.Action.VIEW))],
    session: SessionDep, user: CurrentUser, now: NowDep, runtime: RuntimeDep,
) -> CameraPublic:
    result = camera_public(item, runtime.secrets, runtime.upstream)
    audit.append(session, "camera_read", now=now, user_id=user.id, username=user.username,
                 camera_id=item.camera.id)
    session.commit()
    return result


@router.put("/{camera_id}/public")
def set_public(
    body: CameraPublicationBody,
    item: Annotated[VisibleCamera, Depends(require_camera_access(perm.Action.VIEW))],
    session: SessionDep, user: CurrentUser, now: NowDep, runtime: RuntimeDep,
) -> CameraPublic:
    """Art. 14: the operating unit marks a camera public (``/public/v1``) or takes it back."""
    if user.unit.kind != perm.UnitKind.OPERATING_UNIT:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN,
                            detail="Only the operating unit publishes cameras")
    refusal = publications.camera_may_be_public(session, item.camera) if body.public else None
    if refusal is not None:
        raise ApiError(status.HTTP_409_CONFLICT, f"public: {refusal}", code="conflict",
                       field="public")
    item.camera.public = body.public
    audit.append(session, "camera_publish" if body.public else "camera_unpublish", now=now,
                 user_id=user.id, username=user.username, camera_id=item.camera.id)
    session.commit()
    return camera_public(item, runtime.secrets, runtime.upstream)


@router.post("/{camera_id}/health", status_code=status.HTTP_201_CREATED)
def report_health(
    body: CameraHealthCreate,
    item: Annotated[VisibleCamera, Depends(require_camera_access(perm.Action.VIEW))],
    session: SessionDep, user: CurrentUser, now: NowDep,
) -> StoredHealthReport:
    """What the client saw of a camera it showed (availability in the reports). Not audited:
    it is a measurement, not an access; the view itself is audited by ``/audit/events``."""
    start = body.from_at if body.from_at.tzinfo else body.from_at.replace(tzinfo=UTC)
    end = body.to_at if body.to_at.tzinfo else body.to_at.replace(tzinfo=UTC)
    span = (end - start).total_seconds()
    if span <= 0:
        raise invalid("to_at", "must be after from_at")
    if span > 3600:
        raise invalid("to_at", "an interval is at most one hour")
    if end > now + timedelta(minutes=1):
        raise invalid("to_at", "in the future")
    if body.live_seconds + body.down_seconds > span + 1:
        raise invalid("down_seconds", "live and down seconds exceed the interval")
    row = CameraHealthReport(camera_id=item.camera.id, user_id=user.id, from_at=start,
                             to_at=end, live_seconds=body.live_seconds,
                             down_seconds=body.down_seconds, reconnects=body.reconnects,
                             created_at=now)
    session.add(row)
    session.commit()
    return StoredHealthReport(id=row.id, camera_id=row.camera_id, from_at=row.from_at,
                              to_at=row.to_at, live_seconds=row.live_seconds,
                              down_seconds=row.down_seconds, reconnects=row.reconnects)


@router.post("/{camera_id}/streams/{stream}/session", status_code=status.HTTP_201_CREATED,
             responses=documented(503))
def open_stream_session(
    stream: CameraStream,
    item: Annotated[VisibleCamera, Depends(require_camera_access(perm.Action.VIEW))],
    session: SessionDep, user: CurrentUser, now: NowDep, runtime: RuntimeDep,
) -> StreamSession:
    """A session URL for one stream of the camera at the media gateway serving it, its token
    bound to this user, camera and stream. Open it before ``expires_at``; once playing it lasts
    until closed, or revoked (deactivation, a grant ending, the camera leaving the scope)."""
    camera = item.camera
    if camera.gateway_id is None:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT,
                            detail=f"Camera {camera.id} is served by no media gateway: an "
                                   "administrator must assign it to one")
    gateway = session.get(Gateway, camera.gateway_id)
    if gateway is None or not stream_sessions.gateway_ready(gateway):
        name = gateway.name if gateway is not None else str(camera.gateway_id)
        raise ApiError(status.HTTP_503_SERVICE_UNAVAILABLE,
                       f"The media gateway {name} serving this camera is not available now; "
                       "try again in a few seconds", code=GATEWAY_UNAVAILABLE)
    if runtime.gateway_sync is not None:
        # a camera added or moved a moment ago: its gateway hears of it before the viewer asks
        runtime.gateway_sync.settled(SETTLE_WAIT_S)
    heard = runtime.upstream(camera.id, stream.value)
    if heard is not None and heard.login_refused_now(time.monotonic()):
        raise ApiError(status.HTTP_503_SERVICE_UNAVAILABLE,
                       "The camera refuses its gateway's login (wrong password): an "
                       "administrator must enter the right one; the gateway tries again once "
                       "a minute", code=CAMERA_LOGIN_FAILED)
    issued = stream_sessions.issue(runtime.stream_key, gateway, user, camera.id, stream, now,
                                   runtime.settings.stream_token_lifetime_s)
    audit.append(session, "stream_session_issue", now=now, user_id=user.id,
                 username=user.username, camera_id=camera.id,
                 detail={"stream": stream.value, "session_id": issued.token.session_id,
                         "gateway": gateway.name,
                         "expires_at": issued.session.expires_at.isoformat()})
    session.commit()
    return issued.session
