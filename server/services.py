"""Backend services shared by the routes: building permission contexts and camera views.

Routes stay thin; the regulation lives in ``server.permissions``; this module turns database rows
into the pure contexts that module needs and into the API's camera shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import permissions as perm
from server.models import AccessGrant, Camera, User
from server.schemas import CameraPublic, MePublic, ScopePublic, UnitPublic, WardPublic
from server.security import SecretBox


def user_context(session: Session, user: User) -> perm.UserContext:
    grants: tuple[perm.Grant, ...] = ()
    kind = perm.UnitKind(user.unit.kind)
    if kind is perm.UnitKind.OTHER_AGENCY:
        rows = session.execute(
            select(AccessGrant).where(AccessGrant.unit_id == user.unit_id)
        ).scalars()
        grants = tuple(perm.Grant(g.camera_id, g.valid_from, g.valid_until) for g in rows)
    ward_id = user.unit.ward_id if kind in perm.WARD_UNIT_KINDS else None
    return perm.UserContext(unit_kind=kind, role=perm.Role(user.role), ward_id=ward_id,
                            grants=grants)


def camera_context(camera: Camera) -> perm.CameraContext:
    return perm.CameraContext(id=camera.id, ward_id=camera.ward_id,
                              system=perm.CameraSystem(camera.system), ptz=camera.ptz)


@dataclass(frozen=True)
class VisibleCamera:
    camera: Camera
    actions: frozenset[perm.Action]


def visible_cameras(session: Session, user: User, now: datetime) -> list[VisibleCamera]:
    """The cameras the user may see (any action), ordered by name."""
    ctx = user_context(session, user)
    cameras = session.execute(select(Camera).where(Camera.is_active.is_(True))
                              .order_by(Camera.name, Camera.id)).scalars().all()
    result = []
    for camera in cameras:
        actions = perm.actions_for(ctx, camera_context(camera), now)
        if actions:
            result.append(VisibleCamera(camera, actions))
    return result


def visible_camera(session: Session, user: User, camera_id: int, now: datetime
                   ) -> VisibleCamera | None:
    """One camera if the user may see it; None both when missing and when out of scope."""
    camera = session.get(Camera, camera_id)
    if camera is None or not camera.is_active:  # a deactivated camera is gone for everyone
        return None
    actions = perm.actions_for(user_context(session, user), camera_context(camera), now)
    return VisibleCamera(camera, actions) if actions else None


def camera_public(item: VisibleCamera, box: SecretBox,
                  upstream: Callable[[int, str], Any] | None = None) -> CameraPublic:
    """The camera as its user may see it. Never a password, nor a URL with credentials: a
    viewer plays ``streams`` through gateway sessions, and a camera served by no gateway has
    none. Administrators also learn whether its gateway holds its credentials, and what the
    gateway says of each stream's connection (``upstream(camera_id, stream)``: e.g. the camera
    refusing its password)."""
    camera = item.camera
    streams: list[str] = []
    if perm.Action.VIEW in item.actions and camera.gateway_id is not None:
        streams = ["main", "sub"] if camera.sub_url else ["main"]
    # no ONVIF address nor password: PTZ goes through the gateway's broker (server.ptz_broker)
    has_credentials = transport = None
    stream_status: dict[str, Any] | None = None
    if perm.Action.ADMIN in item.actions:
        has_credentials = camera.gateway_id is not None and camera.rtsp_password_sealed is not None
        transport = camera.transport
        stream_status = {}
        for stream in streams:
            heard = None if upstream is None else upstream(camera.id, stream)
            if heard is not None:
                stream_status[stream] = heard.public()
    return CameraPublic(
        id=camera.id, name=camera.name, ward=camera.ward.name, ward_id=camera.ward_id,
        system=camera.system, ptz=camera.ptz, public=camera.public, location=camera.location,
        owner=camera.owner, actions=perm.ordered(item.actions), main_stream_url=None,
        sub_stream_url=None, streams=streams, has_credentials=has_credentials,
        transport=transport, stream_status=stream_status,
    )


def me_public(session: Session, user: User, now: datetime) -> MePublic:
    ctx = user_context(session, user)
    granted: list[tuple[perm.CameraSystem, int]] = []
    current = [g.camera_id for g in ctx.grants if g.valid_from <= now < g.valid_until]
    if current:
        for camera in session.execute(select(Camera).where(Camera.id.in_(current))).scalars():
            granted.append((perm.CameraSystem(camera.system), camera.ward_id))
    scope = perm.scope_of(ctx, granted)
    unit = user.unit
    return MePublic(
        id=user.id, username=user.username, full_name=user.full_name, role=user.role,
        unit=UnitPublic(id=unit.id, name=unit.name, kind=unit.kind,
                        ward=WardPublic(id=unit.ward.id, name=unit.ward.name) if unit.ward
                        else None),
        scope=ScopePublic(city_wide=scope.city_wide, ward_ids=list(scope.ward_ids),
                          systems=[s.value for s in scope.systems]),
        must_change_password=user.must_change_password,
    )
