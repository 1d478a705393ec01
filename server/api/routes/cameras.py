import logging
from typing import Annotated

from fastapi import APIRouter, Depends

from server import audit
from server import permissions as perm
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep, require_camera_access
from server.schemas import CameraPublic
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
