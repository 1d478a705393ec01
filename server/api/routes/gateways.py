"""``/admin/gateways`` and ``/admin/cameras/{id}/gateway``: which media gateway serves which
camera (rules in :mod:`server.gateway_fleet`). Administrators only; every change is audited with
what it was before, and no answer or audit row holds a secret. The cameras' other fields are
``server.api.routes.admin_cameras``'."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import func, select

from common.records import CameraPlacement, GatewayInfo
from server import audit
from server.api.errors import ApiError, documented
from server.api.params import Id
from server.deps import AdminUser, NowDep, RuntimeDep, SessionDep
from server.gateway_fleet import CredentialsNeeded, move_camera
from server.models import Camera, Gateway
from server.schemas import (
    CameraPlacementChange,
    GatewayCreate,
    GatewayUpdate,
)

router = APIRouter(prefix="/admin", tags=["admin"])


def _info(session: SessionDep, gateway: Gateway) -> GatewayInfo:
    cameras = session.execute(select(func.count()).select_from(Camera)
                              .where(Camera.gateway_id == gateway.id)).scalar_one()
    return GatewayInfo(id=gateway.id, name=gateway.name, rtsp_host=gateway.rtsp_host,
                       rtsp_port=gateway.rtsp_port, ptz_port=gateway.ptz_port,
                       control_url=gateway.control_url,
                       public_key=gateway.public_key, is_active=gateway.is_active,
                       last_seen_at=gateway.last_seen_at, cameras=int(cameras))


def _shown(gateway: Gateway) -> dict[str, Any]:
    """What the audit keeps of a gateway (its secret never)."""
    return {"name": gateway.name, "rtsp_host": gateway.rtsp_host,
            "rtsp_port": gateway.rtsp_port, "ptz_port": gateway.ptz_port,
            "control_url": gateway.control_url,
            "is_active": gateway.is_active}


def _gateway(session: SessionDep, gateway_id: int) -> Gateway:
    gateway = session.get(Gateway, gateway_id)
    if gateway is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Gateway not found")
    return gateway


def _sync(runtime: RuntimeDep) -> None:
    if runtime.gateway_sync is not None:
        runtime.gateway_sync.sync_soon()


@router.get("/gateways")
def list_gateways(session: SessionDep, admin: AdminUser) -> list[GatewayInfo]:
    """Every gateway of the site, by name."""
    rows = session.execute(select(Gateway).order_by(Gateway.name)).scalars().all()
    return [_info(session, g) for g in rows]


@router.post("/gateways", status_code=status.HTTP_201_CREATED, responses=documented(409))
def create_gateway(body: GatewayCreate, session: SessionDep, admin: AdminUser, now: NowDep,
                   runtime: RuntimeDep) -> GatewayInfo:
    """Register a gateway the site runs on another machine. The backend then asks it for its
    key and sends it its cameras (none until some are moved to it)."""
    taken = session.execute(select(Gateway.id).where(Gateway.name == body.name)).first()
    if taken is not None:
        raise ApiError(status.HTTP_409_CONFLICT, "name: a gateway of that name exists",
                       code="conflict", field="name")
    gateway = Gateway(name=body.name, rtsp_host=body.rtsp_host, rtsp_port=body.rtsp_port,
                      ptz_port=body.ptz_port, control_url=body.control_url, is_active=True,
                      control_secret_enc=runtime.secrets.encrypt(body.control_secret) or "")
    session.add(gateway)
    session.flush()
    audit.append(session, "gateway_create", now=now, user_id=admin.id, username=admin.username,
                 detail={"gateway_id": gateway.id, "after": _shown(gateway)})
    session.commit()
    _sync(runtime)
    return _info(session, gateway)


@router.patch("/gateways/{gateway_id}", responses=documented(409))
def update_gateway(gateway_id: Id, body: GatewayUpdate, session: SessionDep, admin: AdminUser,
                   now: NowDep, runtime: RuntimeDep) -> GatewayInfo:
    """Change where a gateway is reached, its secret, or switch it off (only once it serves
    no camera: move them first)."""
    gateway = _gateway(session, gateway_id)
    before = _shown(gateway)
    if body.is_active is False and gateway.is_active:
        serving = session.execute(select(func.count()).select_from(Camera)
                                  .where(Camera.gateway_id == gateway.id)).scalar_one()
        if serving:
            raise ApiError(status.HTTP_409_CONFLICT,
                           f"is_active: the gateway still serves {serving} camera(s); move "
                           "them to another gateway first", code="conflict", field="is_active")
    for name in ("rtsp_host", "rtsp_port", "ptz_port", "control_url", "is_active"):
        value = getattr(body, name)
        if value is not None:
            setattr(gateway, name, value)
    if body.control_secret is not None:
        gateway.control_secret_enc = runtime.secrets.encrypt(body.control_secret) or ""
    if body.control_url is not None or body.is_active is False:
        gateway.last_seen_at = None  # no session points at it until it answers there
    audit.append(session, "gateway_update", now=now, user_id=admin.id, username=admin.username,
                 detail={"gateway_id": gateway.id, "before": before, "after": _shown(gateway),
                         "secret_changed": body.control_secret is not None})
    session.commit()
    _sync(runtime)
    return _info(session, gateway)


@router.put("/cameras/{camera_id}/gateway", responses=documented(409))
def place_camera(camera_id: Id, body: CameraPlacementChange, session: SessionDep,
                 admin: AdminUser, now: NowDep, runtime: RuntimeDep) -> CameraPlacement:
    """Serve the camera by another gateway. Its passwords move sealed: re-sealed by the gateway
    that holds them, or entered here. Viewers of the camera reconnect through the new gateway
    within seconds; 409 naming the password to enter when it cannot move by itself."""
    camera = session.get(Camera, camera_id)
    if camera is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Camera not found")
    target = _gateway(session, body.gateway_id)
    if not target.is_active:
        raise ApiError(status.HTTP_409_CONFLICT, "gateway_id: the gateway is switched off",
                       code="conflict", field="gateway_id")
    before = camera.gateway_id
    try:
        move_camera(session, camera, target, runtime.secrets,
                    passwords={"rtsp_password": body.rtsp_password,
                               "onvif_password": body.onvif_password})
    except CredentialsNeeded as err:
        session.rollback()
        raise ApiError(status.HTTP_409_CONFLICT, f"{err.field}: {err}",
                       code="credentials_needed", field=err.field) from err
    audit.append(session, "camera_gateway_change", now=now, user_id=admin.id,
                 username=admin.username, camera_id=camera.id,
                 detail={"before": before, "after": target.id,
                         "passwords_entered": sorted(
                             name for name in ("rtsp_password", "onvif_password")
                             if getattr(body, name))})
    session.commit()
    _sync(runtime)
    return CameraPlacement(camera_id=camera.id, gateway_id=target.id, gateway=target.name,
                           has_credentials=camera.rtsp_password_sealed is not None)
