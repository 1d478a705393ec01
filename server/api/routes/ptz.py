"""PTZ lease arbitration between users of one camera (rules in server.ptz_leases)."""

import logging
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Response, status
from fastapi.responses import JSONResponse

from server import permissions as perm
from server import ptz_leases as leases
from server import ptz_store
from server.api.errors import ApiError, ErrorBody
from server.api.params import Id
from server.deps import CurrentUser, NowDep, SessionDep, camera_not_found
from server.schemas import (
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


@router.post(
    "/{camera_id}/ptz/lease",
    response_model=PtzLeaseGranted,
    responses={202: {"model": PtzLeaseQueued},
               409: {"model": ErrorBody, "description": "`ptz_taken`: a higher priority took "
                     "the lease; `context.holder` says who holds it"}},
)
def acquire_lease(
    item: PtzCamera, session: SessionDep, user: CurrentUser, now: NowDep,
    body: Annotated[PtzLeaseCreate | None, Body()] = None,
) -> PtzLeaseGranted | JSONResponse:
    """Acquire or renew (the holder renews at least every few seconds while it drives the
    camera); 202 queued; 409 when this user's lease was taken by a higher priority."""
    camera_id = item.camera.id
    reserve = body.reserve_seconds if body is not None else None
    try:
        outcome, lease = ptz_store.acquire(session, camera_id, user, now, reserve)
    except leases.ReservationNotAllowed as exc:
        session.rollback()
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(exc)) from None
    session.commit()
    if outcome.status is leases.Status.GRANTED:
        assert lease.holder is not None
        return PtzLeaseGranted(camera_id=camera_id, holder=lease.holder,
                               expires_at=lease.holder.expires_at)
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
                  now: NowDep) -> Response:
    """Release the lease (or leave the queue); 204 also when the user held nothing."""
    ptz_store.release(session, item.camera.id, user, now)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{camera_id}/ptz/lease")
def read_lease(item: PtzCamera, session: SessionDep, user: CurrentUser,
               now: NowDep) -> PtzLeasePublic:
    """Who holds PTZ on the camera and who waits."""
    lease = ptz_store.current(session, item.camera.id, user, now)
    session.commit()
    return lease
