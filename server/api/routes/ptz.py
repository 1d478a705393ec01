"""PTZ lease arbitration between users of one camera (rules in server.ptz_leases), and the way
to the camera through its media gateway's PTZ broker (server.ptz_broker)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Response, status
from fastapi.responses import JSONResponse

from common.records import PtzAccess
from server import permissions as perm
from server import ptz_broker, ptz_store
from server import ptz_leases as leases
from server.api.errors import ApiError, ErrorBody, documented
from server.api.params import Id
from server.deps import CurrentUser, NowDep, Runtime, RuntimeDep, SessionDep, camera_not_found
from server.models import Gateway, User
from server.schemas import (
    PtzHolderPublic,
    PtzLeaseCreate,
    PtzLeaseGranted,
    PtzLeasePublic,
    PtzLeaseQueued,
)
from server.services import VisibleCamera, visible_camera

log = logging.getLogger("iocwall.api")
router = APIRouter(prefix="/cameras", tags=["ptz"])


def require_ptz(camera_id: Id, session: SessionDep, user: CurrentUser,
                now: NowDep) -> VisibleCamera:
    """The camera if the user holds ``ptz`` on it; otherwise 404, as for a camera out of scope
    (a lease is no business of someone who may not move the camera)."""
    item = visible_camera(session, user, camera_id, now)
    if item is None or perm.Action.PTZ not in item.actions:
        raise camera_not_found()
    return item


PtzCamera = Annotated[VisibleCamera, Depends(require_ptz)]


@contextmanager
def holder_change(runtime: Runtime, camera_id: int) -> Iterator[None]:
    """Around a lease change and the notice to the gateway: one camera's notices in order."""
    with runtime.ptz_holders.ordered(camera_id) if runtime.ptz_holders else nullcontext():
        yield


def tell_holder(runtime: Runtime, session: SessionDep, camera_id: int,
                holder: PtzHolderPublic | None) -> None:
    if runtime.ptz_holders is not None:
        runtime.ptz_holders.tell(session, camera_id, holder)


def ptz_gateway(session: SessionDep, item: VisibleCamera) -> Gateway | None:
    """The camera's gateway if its PTZ broker can be reached now."""
    camera = item.camera
    gateway = session.get(Gateway, camera.gateway_id) if camera.gateway_id is not None else None
    return gateway if ptz_broker.gateway_ready(gateway) else None


def access_for(runtime: Runtime, session: SessionDep, item: VisibleCamera, user: User,
               now: datetime, until: datetime | None) -> PtzAccess | None:
    gateway = ptz_gateway(session, item)
    if gateway is None:
        return None
    return ptz_broker.issue(runtime.stream_key, gateway, user, item.camera.id, now, until)


@router.post(
    "/{camera_id}/ptz/lease",
    response_model=PtzLeaseGranted,
    responses={202: {"model": PtzLeaseQueued},
               409: {"model": ErrorBody, "description": "`ptz_taken`: a higher priority took "
                     "the lease; `context.holder` says who holds it"}},
)
def acquire_lease(
    item: PtzCamera, session: SessionDep, user: CurrentUser, now: NowDep, runtime: RuntimeDep,
    body: Annotated[PtzLeaseCreate | None, Body()] = None,
) -> PtzLeaseGranted | JSONResponse:
    """Acquire or renew (the holder renews at least every few seconds while it drives the
    camera); 202 queued; 409 when this user's lease was taken by a higher priority. A grant
    carries the holder's ``access`` to the camera (its media gateway's PTZ broker and a token
    that lasts no longer than the lease): use the newest."""
    camera_id = item.camera.id
    reserve = body.reserve_seconds if body is not None else None
    with holder_change(runtime, camera_id):
        try:
            outcome, lease = ptz_store.acquire(session, camera_id, user, now, reserve)
        except leases.ReservationNotAllowed as exc:
            session.rollback()
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(exc)) from None
        session.commit()
        tell_holder(runtime, session, camera_id, lease.holder)
    if outcome.status is leases.Status.GRANTED:
        assert lease.holder is not None
        return PtzLeaseGranted(
            camera_id=camera_id, holder=lease.holder, expires_at=lease.holder.expires_at,
            access=access_for(runtime, session, item, user, now, lease.holder.expires_at))
    if outcome.status is leases.Status.QUEUED:
        assert outcome.position is not None
        queued = PtzLeaseQueued(camera_id=camera_id, position=outcome.position,
                                holder=lease.holder)
        return JSONResponse(status_code=status.HTTP_202_ACCEPTED,
                            content=queued.model_dump(mode="json"))
    assert lease.holder is not None
    log.info("PTZ on %s: %s lost the lease to %s", item.camera.name, user.username,
             lease.holder.username)
    raise ApiError(status.HTTP_409_CONFLICT,
                   f"PTZ taken by {lease.holder.full_name}, {lease.holder.unit}", code="ptz_taken",
                   context={"holder": lease.holder.model_dump(mode="json")})


@router.delete("/{camera_id}/ptz/lease", status_code=status.HTTP_204_NO_CONTENT)
def release_lease(item: PtzCamera, session: SessionDep, user: CurrentUser,
                  now: NowDep, runtime: RuntimeDep) -> Response:
    """Release the lease (or leave the queue); 204 also when the user held nothing."""
    with holder_change(runtime, item.camera.id):
        lease = ptz_store.release(session, item.camera.id, user, now)
        session.commit()
        tell_holder(runtime, session, item.camera.id, lease.holder)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{camera_id}/ptz/lease")
def read_lease(item: PtzCamera, session: SessionDep, user: CurrentUser,
               now: NowDep) -> PtzLeasePublic:
    """Who holds PTZ on the camera and who waits."""
    lease = ptz_store.current(session, item.camera.id, user, now)
    session.commit()
    return lease


@router.post("/{camera_id}/ptz/access", status_code=status.HTTP_201_CREATED,
             responses=documented(409, 503))
def open_ptz_access(item: PtzCamera, session: SessionDep, user: CurrentUser, now: NowDep,
                    runtime: RuntimeDep) -> PtzAccess:
    """The way to the camera's ONVIF service through its media gateway, for a user holding
    ``ptz`` on it: read its profiles, presets and position; only the lease holder's commands
    reach the camera (the holder's own access comes with each lease grant). The token lasts
    seconds: ask again when it runs out."""
    camera = item.camera
    if camera.gateway_id is None:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT,
                            detail=f"Camera {camera.id} is served by no media gateway: an "
                                   "administrator must assign it to one")
    access = access_for(runtime, session, item, user, now, None)
    if access is None:
        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                            detail="The media gateway serving this camera is not available "
                                   "now; try again in a few seconds")
    if runtime.ptz_holders is not None:
        with holder_change(runtime, camera.id):
            lease = ptz_store.current(session, camera.id, user, now)
            session.commit()
            if lease.holder is not None and lease.holder.user_id == user.id:
                # the gateway may have taken the camera over since the lease was granted (a
                # camera moved): told now, the holder's first command there is not refused
                tell_holder(runtime, session, camera.id, lease.holder)
    return access
