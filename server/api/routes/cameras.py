import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status

from server import audit
from server import permissions as perm
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep, require_camera_access
from server.schemas import CameraPublic, CameraPublicationBody
from server.services import VisibleCamera, camera_public, visible_cameras

log = logging.getLogger("iocwall.api")
router = APIRouter(prefix="/cameras", tags=["cameras"])


@router.get("")
def list_cameras(session: SessionDep, user: CurrentUser, now: NowDep,
                 runtime: RuntimeDep) -> list[CameraPublic]:
    """The cameras in the user's scope, by name; stream URLs carry credentials (view only)."""
    items = visible_cameras(session, user, now)
    result = [camera_public(item, runtime.secrets) for item in items]
    audit.append(session, "camera_list", now=now, user_id=user.id, username=user.username,
                 detail={"count": len(result)})
    session.commit()
    return result


@router.get("/{camera_id}")
def read_camera(
    item: Annotated[VisibleCamera, Depends(require_camera_access(perm.Action.VIEW))],
    session: SessionDep, user: CurrentUser, now: NowDep, runtime: RuntimeDep,
) -> CameraPublic:
    result = camera_public(item, runtime.secrets)
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
    item.camera.public = body.public
    audit.append(session, "camera_publish" if body.public else "camera_unpublish", now=now,
                 user_id=user.id, username=user.username, camera_id=item.camera.id)
    session.commit()
    return camera_public(item, runtime.secrets)
