"""Site administration (Art. 10): wards, units, user accounts and cameras.

The routes under ``/admin`` and the demo seed (``server.demo``) both call these functions, so
the demo exercises the administrators' path on every start. Every change is audited with who
made it and what it was before and after; a function that finds nothing to change writes
nothing (the demo seed runs again and again). No secret — password, password hash, camera
user name — ever reaches the audit log or an answer: camera user names are kept encrypted,
camera passwords sealed to the serving gateway's key (``server.gateways.seal``).

Problems are :class:`Refused` (the status to answer, the field at fault, a sentence); the
functions only flush, the caller commits or rolls back, so a refusal leaves nothing half-written.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.urls import mask_url
from common.vocabulary import NEVER_PUBLIC_OWNERS, CameraSystem, OwnerCategory, Role, UnitKind
from server import audit, sessions
from server import permissions as perm
from server import site as site_mod
from server.gateway_fleet import CredentialsNeeded, move_camera
from server.gateways import seal
from server.models import AuthToken, Camera, Gateway, Unit, User, Ward
from server.password_policy import password_problem
from server.schemas import CameraCreate, CameraUpdate
from server.security import Passwords, SecretBox

log = logging.getLogger("iocwall.admin")

NOT_FOUND, CONFLICT, INVALID = 404, 409, 422


class Refused(Exception):
    """A change the administrator cannot make: ``status`` (404, 409, 422), the field at fault
    and why (a sentence without the submitted value: it may be a password)."""

    def __init__(self, status: int, field: str | None, message: str,
                 code: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.status = status
        self.field = field
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as the audit log names them (``system``: the demo seed, init)."""

    user_id: int | None
    username: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username)


SYSTEM = Actor(None, "system")


def _audit(session: Session, actor: Actor, event: str, now: datetime, *,
           camera_id: int | None = None, **detail: Any) -> None:
    audit.append(session, event, now=now, user_id=actor.user_id, username=actor.username,
                 camera_id=camera_id, detail=detail)


# -- wards ------------------------------------------------------------------------------------

def _ward_shown(ward: Ward) -> dict[str, Any]:
    return {"name": ward.name, "is_active": ward.is_active}


def list_wards(session: Session) -> list[Ward]:
    return list(session.execute(select(Ward).order_by(Ward.name, Ward.id)).scalars())


def get_ward(session: Session, ward_id: int, field: str | None = None) -> Ward:
    ward = session.get(Ward, ward_id)
    if ward is None:
        if field:
            raise Refused(INVALID, field, "no such ward")
        raise Refused(NOT_FOUND, None, "Ward not found")
    return ward


def _active_ward(session: Session, ward_id: int, field: str = "ward_id") -> Ward:
    ward = get_ward(session, ward_id, field)
    if not ward.is_active:
        raise Refused(INVALID, field, "the ward is deactivated")
    return ward


def _free_name(session: Session, model: type[Ward] | type[Unit], name: str,
               own_id: int | None = None) -> None:
    found = session.execute(select(model.id).where(model.name == name)).scalar_one_or_none()
    if found is not None and found != own_id:
        raise Refused(CONFLICT, "name", "that name is taken")


def create_ward(session: Session, actor: Actor, now: datetime, name: str) -> Ward:
    _free_name(session, Ward, name)
    ward = Ward(name=name, is_active=True)
    session.add(ward)
    session.flush()
    _audit(session, actor, "ward_create", now, ward_id=ward.id, after=_ward_shown(ward))
    return ward


def update_ward(session: Session, actor: Actor, now: datetime, ward_id: int, *,
                name: str | None = None, is_active: bool | None = None) -> Ward:
    """Rename, deactivate or reactivate; a ward still holding active units or cameras cannot
    be deactivated (their users would see a ward that is gone)."""
    ward = get_ward(session, ward_id)
    before = _ward_shown(ward)
    if name is not None and name != ward.name:
        _free_name(session, Ward, name, ward.id)
        ward.name = name
    if is_active is False and ward.is_active:
        units = session.execute(select(func.count()).select_from(Unit).where(
            Unit.ward_id == ward.id, Unit.is_active.is_(True))).scalar_one()
        cameras = session.execute(select(func.count()).select_from(Camera).where(
            Camera.ward_id == ward.id, Camera.is_active.is_(True))).scalar_one()
        if units or cameras:
            raise Refused(CONFLICT, "is_active",
                          f"the ward still has {units} active unit(s) and {cameras} active "
                          "camera(s): deactivate or move them first")
    if is_active is not None:
        ward.is_active = is_active
    after = _ward_shown(ward)
    if after != before:
        session.flush()
        _audit(session, actor, "ward_update", now, ward_id=ward.id, before=before, after=after)
    return ward


# -- units ------------------------------------------------------------------------------------

def _unit_shown(unit: Unit) -> dict[str, Any]:
    return {"name": unit.name, "kind": unit.kind, "ward_id": unit.ward_id,
            "is_active": unit.is_active}


def list_units(session: Session) -> list[tuple[Unit, int]]:
    """Every unit with how many active accounts it has."""
    counts = {unit_id: int(n) for unit_id, n in session.execute(
        select(User.unit_id, func.count()).where(User.is_active.is_(True))
        .group_by(User.unit_id)).all()}
    units = session.execute(select(Unit).order_by(Unit.name, Unit.id)).scalars().all()
    return [(unit, int(counts.get(unit.id, 0))) for unit in units]


def get_unit(session: Session, unit_id: int, field: str | None = None) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        if field:
            raise Refused(INVALID, field, "no such unit")
        raise Refused(NOT_FOUND, None, "Unit not found")
    return unit


def _check_unit_ward(session: Session, kind: UnitKind, ward_id: int | None) -> None:
    """What a unit sees follows from its kind and ward (server.permissions): ward police and
    ward committees see their ward, so they need one; the others are city-wide or granted
    cameras, and a ward on them would mean nothing."""
    if kind in perm.WARD_UNIT_KINDS:
        if ward_id is None:
            raise Refused(INVALID, "ward_id", f"required for a unit of kind {kind.value}")
        _active_ward(session, ward_id)
    elif ward_id is not None:
        raise Refused(INVALID, "ward_id", f"must be empty for a unit of kind {kind.value}: it "
                      "is not limited to a ward")


def create_unit(session: Session, actor: Actor, now: datetime, *, name: str, kind: UnitKind,
                ward_id: int | None) -> Unit:
    _free_name(session, Unit, name)
    _check_unit_ward(session, kind, ward_id)
    unit = Unit(name=name, kind=kind.value, ward_id=ward_id, is_active=True)
    session.add(unit)
    session.flush()
    _audit(session, actor, "unit_create", now, unit_id=unit.id, after=_unit_shown(unit))
    return unit


_UNSET: Any = object()


def update_unit(session: Session, actor: Actor, now: datetime, unit_id: int, *,
                name: str | None = None, kind: UnitKind | None = None,
                ward_id: int | None = _UNSET, is_active: bool | None = None) -> Unit:
    """Rename or re-classify a unit, or (de)activate it (only once it has no active account).
    Its users' rights change with it at once: they are computed from the unit."""
    unit = get_unit(session, unit_id)
    before = _unit_shown(unit)
    if name is not None and name != unit.name:
        _free_name(session, Unit, name, unit.id)
        unit.name = name
    new_kind = kind if kind is not None else UnitKind(unit.kind)
    new_ward = unit.ward_id if ward_id is _UNSET else ward_id
    if kind is not None and kind in perm.WARD_UNIT_KINDS and ward_id is _UNSET:
        new_ward = unit.ward_id
    elif kind is not None and kind not in perm.WARD_UNIT_KINDS and ward_id is _UNSET:
        new_ward = None  # a city-wide kind has no ward: dropped with the change of kind
    if (new_kind.value, new_ward) != (unit.kind, unit.ward_id):
        acting = session.get(User, actor.user_id) if actor.user_id is not None else None
        if new_kind is not UnitKind.OPERATING_UNIT and unit.kind == UnitKind.OPERATING_UNIT \
                and acting is not None and acting.unit_id == unit.id:
            raise Refused(CONFLICT, "kind", "this is the acting administrator's own unit: its "
                          "kind gives them the administration")
        _check_unit_ward(session, new_kind, new_ward)
        unit.kind, unit.ward_id = new_kind.value, new_ward
    if is_active is False and unit.is_active:
        users = session.execute(select(func.count()).select_from(User).where(
            User.unit_id == unit.id, User.is_active.is_(True))).scalar_one()
        if users:
            raise Refused(CONFLICT, "is_active", f"the unit still has {users} active "
                          "account(s): deactivate or move them first")
    if is_active is True and unit.ward_id is not None:
        _active_ward(session, unit.ward_id)
    if is_active is not None:
        unit.is_active = is_active
    after = _unit_shown(unit)
    if after != before:
        session.flush()
        session.expire(unit, ["ward"])
        _audit(session, actor, "unit_update", now, unit_id=unit.id, before=before, after=after)
    return unit


# -- users ------------------------------------------------------------------------------------

def _user_shown(user: User) -> dict[str, Any]:
    """What the audit keeps of an account: never its password hash."""
    return {"username": user.username, "full_name": user.full_name, "unit_id": user.unit_id,
            "role": user.role, "is_active": user.is_active,
            "must_change_password": user.must_change_password}


def list_users(session: Session, now: datetime) -> list[tuple[User, int]]:
    """Every account with its number of live sessions."""
    counts = {user_id: int(n) for user_id, n in session.execute(
        select(AuthToken.user_id, func.count()).where(
            AuthToken.revoked_at.is_(None), AuthToken.expires_at > now)
        .group_by(AuthToken.user_id)).all()}
    users = session.execute(select(User).order_by(User.username)).scalars().all()
    return [(user, int(counts.get(user.id, 0))) for user in users]


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise Refused(NOT_FOUND, None, "User not found")
    return user


def check_password(session: Session, password: str, username: str | None,
                   field: str = "password") -> None:
    """The site's password policy (``server.password_policy``); the demo's documented password
    passes only on the demo site (its site row says so)."""
    problem = password_problem(password, username=username, demo_site=site_mod.is_demo(session))
    if problem:
        raise Refused(INVALID, field, problem)


def _active_unit(session: Session, unit_id: int) -> Unit:
    unit = get_unit(session, unit_id, "unit_id")
    if not unit.is_active:
        raise Refused(INVALID, "unit_id", "the unit is deactivated")
    return unit


def create_user(session: Session, passwords: Passwords, actor: Actor, now: datetime, *,
                username: str, full_name: str, unit_id: int, role: Role, password: str,
                must_change_password: bool = True) -> User:
    """A new account. The password an administrator types is a first password its owner must
    replace (``must_change_password``); the first administrator (init) and the demo's
    accounts chose theirs."""
    taken = session.execute(select(User.id).where(User.username == username)).first()
    if taken is not None:
        raise Refused(CONFLICT, "username", "an account of that name exists")
    _active_unit(session, unit_id)
    check_password(session, password, username)
    user = User(username=username, full_name=full_name, unit_id=unit_id, role=role.value,
                password_hash=passwords.hash(password), is_active=True,
                must_change_password=must_change_password)
    session.add(user)
    session.flush()
    _audit(session, actor, "account_create", now, target_user_id=user.id, after=_user_shown(user))
    log.info("account %s created by %s", user.username, actor.username)
    return user


def update_user(session: Session, actor: Actor, now: datetime, user_id: int, *,
                full_name: str | None = None, unit_id: int | None = None,
                role: Role | None = None) -> tuple[User, bool]:
    """Change an account's name, unit or role; returns the user and whether what they may
    see changed (their live streams are then cut, to be opened again under the new rights)."""
    user = get_user(session, user_id)
    before = _user_shown(user)
    if actor.user_id == user.id and ((unit_id is not None and unit_id != user.unit_id) or (
            role is not None and role != user.role)):
        # the administration right follows from the unit and role: another administrator
        # makes this change, so that a site never locks its last administrator out by mistake
        raise Refused(CONFLICT, "unit_id" if unit_id is not None and unit_id != user.unit_id
                      else "role", "an administrator cannot change their own unit or role")
    if full_name is not None:
        user.full_name = full_name
    if unit_id is not None and unit_id != user.unit_id:
        _active_unit(session, unit_id)
        user.unit_id = unit_id
    if role is not None:
        user.role = role.value
    after = _user_shown(user)
    if after == before:
        return user, False
    session.flush()
    session.expire(user, ["unit"])
    _audit(session, actor, "account_update", now, target_user_id=user.id, before=before,
           after=after)
    return user, (before["unit_id"], before["role"]) != (after["unit_id"], after["role"])


def reset_password(session: Session, passwords: Passwords, actor: Actor, now: datetime,
                   user_id: int, password: str) -> User:
    """An administrator's new password for a forgotten one: every session ends and the owner
    must choose their own at the next login."""
    user = get_user(session, user_id)
    if actor.user_id == user.id:
        raise Refused(CONFLICT, None, "Administrators change their own password with "
                      "POST /auth/password (the current one first)")
    check_password(session, password, user.username)
    user.must_change_password = True
    sessions.set_password_hash(session, user, passwords.hash(password), now,
                               User(id=actor.user_id, username=actor.username))
    return user


def deactivate_user(session: Session, actor: Actor, now: datetime, user_id: int) -> User:
    user = get_user(session, user_id)
    if actor.user_id == user.id:
        raise Refused(CONFLICT, None, "An administrator cannot deactivate their own account")
    sessions.deactivate(session, user, now, User(id=actor.user_id, username=actor.username))
    return user


def activate_user(session: Session, actor: Actor, now: datetime, user_id: int) -> User:
    user = get_user(session, user_id)
    if not user.unit.is_active:
        raise Refused(CONFLICT, None, "The account's unit is deactivated: move the account to "
                      "an active unit first")
    sessions.activate(session, user, now, User(id=actor.user_id, username=actor.username))
    return user


# -- cameras ----------------------------------------------------------------------------------

PLAIN_FIELDS = ("name", "ward_id", "system", "owner_category", "owner", "location", "latitude",
                "longitude", "direction", "main_url", "sub_url", "ptz", "public", "record",
                "transport", "external_id")
# kept encrypted at rest: the audit says they changed, never what they are
ENCRYPTED_FIELDS = {"onvif_host": "onvif_host_enc", "onvif_port": "onvif_port_enc",
                    "username": "rtsp_username_enc", "onvif_username": "onvif_username_enc"}
PASSWORD_FIELDS = {"password": "rtsp_password_sealed",
                   "onvif_password": "onvif_password_sealed"}
# fields that cannot be cleared: null in an update leaves them as they are
REQUIRED_FIELDS = frozenset({"name", "ward_id", "system", "main_url", "ptz", "public", "record",
                             "transport"})


def _plain(value: Any) -> Any:
    """An enum member as the string its column stores."""
    return value.value if isinstance(value, Enum) else value


def camera_shown(camera: Camera) -> dict[str, Any]:
    """What the audit keeps of a camera: no address that is kept encrypted, no credential."""
    shown = {name: getattr(camera, name) for name in PLAIN_FIELDS}
    shown["main_url"] = mask_url(camera.main_url)
    shown["sub_url"] = mask_url(camera.sub_url) if camera.sub_url else None
    shown["gateway_id"] = camera.gateway_id
    shown["is_active"] = camera.is_active
    return shown


def list_cameras(session: Session) -> list[Camera]:
    """Every camera, active or not, by name."""
    return list(session.execute(select(Camera).order_by(Camera.name, Camera.id)).scalars())


def get_camera(session: Session, camera_id: int) -> Camera:
    camera = session.get(Camera, camera_id)
    if camera is None:
        raise Refused(NOT_FOUND, None, "Camera not found")
    return camera


def camera_by_external_id(session: Session, external_id: str) -> Camera | None:
    return session.execute(select(Camera).where(Camera.external_id == external_id)
                           ).scalar_one_or_none()


def _gateway(session: Session, gateway_id: int) -> Gateway:
    gateway = session.get(Gateway, gateway_id)
    if gateway is None:
        raise Refused(INVALID, "gateway_id", "no such gateway")
    if not gateway.is_active:
        raise Refused(CONFLICT, "gateway_id", "the gateway is switched off")
    return gateway


def _check_camera(session: Session, values: dict[str, Any], camera: Camera | None) -> None:
    """The rules a camera's fields obey together, on the values it will have."""
    if camera is None or values["ward_id"] != camera.ward_id:
        _active_ward(session, values["ward_id"])
    system = CameraSystem(values["system"])
    category = values["owner_category"]
    if system is CameraSystem.PUBLIC and category is None:
        raise Refused(INVALID, "owner_category", "required for a camera of the public system")
    if system is not CameraSystem.PUBLIC and category is not None:
        raise Refused(INVALID, "owner_category", "only cameras of the public system have an "
                      "owner category")
    if values["public"] and system is not CameraSystem.TRAFFIC:
        raise Refused(CONFLICT, "public", "only cameras of the traffic system may be public "
                      "(Art. 11.3.a)")
    if values["public"] and category is not None and OwnerCategory(category) in \
            NEVER_PUBLIC_OWNERS:
        raise Refused(CONFLICT, "public", f"a camera owned by a {category} can never be made "
                      "public")
    if (values["latitude"] is None) != (values["longitude"] is None):
        raise Refused(INVALID, "longitude" if values["longitude"] is None else "latitude",
                      "latitude and longitude go together")
    if (values["onvif_port"] is not None) and values["onvif_host"] is None:
        raise Refused(INVALID, "onvif_host", "required with onvif_port")
    external_id = values["external_id"]
    if external_id is not None and (camera is None or external_id != camera.external_id):
        if camera_by_external_id(session, external_id) is not None:
            raise Refused(CONFLICT, "external_id", "another camera has this external id")


def set_privacy_masks(session: Session, actor: Actor, now: datetime, camera_id: int,
                      masks: list[list[float]]) -> tuple[Camera, bool]:
    """Replace a camera's privacy masks; (the camera, whether they changed)."""
    camera = get_camera(session, camera_id)
    for n, (x, y, width, height) in enumerate(masks):
        if width <= 0 or height <= 0 or x + width > 1 + 1e-9 or y + height > 1 + 1e-9:
            raise Refused(INVALID, f"masks.{n}", "a mask must be a region inside the picture "
                          "(x + width and y + height at most 1, width and height above 0)")
    rounded = [[round(v, 4) for v in rect] for rect in masks]
    before = json.loads(camera.privacy_masks) if camera.privacy_masks else []
    if rounded == before:
        return camera, False
    camera.privacy_masks = json.dumps(rounded) if rounded else None
    _audit(session, actor, "camera_privacy_masks", now, camera_id=camera.id, before=before,
           after=rounded)
    log.info("%s: privacy masks set by %s (%d)", camera.name, actor.username, len(rounded))
    return camera, True


def _check_sealable(gateway: Gateway | None, has_password: bool) -> None:
    """A password entered needs the gateway that will hold it, and that gateway's key."""
    if has_password and gateway is None:
        raise Refused(INVALID, "gateway_id", "a camera with a password needs the gateway that "
                      "will hold it")
    if gateway is not None and gateway.public_key is None and has_password:
        raise Refused(CONFLICT, "gateway_id", f"the gateway {gateway.name} has not reported "
                      "its key yet: start it, then enter the password")


def check_camera_create(session: Session, body: CameraCreate) -> Gateway | None:
    """Everything :func:`create_camera` checks, without writing (the import's dry run)."""
    values = body.model_dump()
    _check_camera(session, values, None)
    gateway = _gateway(session, body.gateway_id) if body.gateway_id is not None else None
    _check_sealable(gateway, bool(body.password or body.onvif_password))
    return gateway


def create_camera(session: Session, box: SecretBox, actor: Actor, now: datetime,
                  body: CameraCreate) -> Camera:
    gateway = check_camera_create(session, body)
    values = body.model_dump()
    camera = Camera(**{name: _plain(values[name]) for name in PLAIN_FIELDS},
                    gateway_id=body.gateway_id, is_active=True, created_at=now)
    onvif = _onvif_credentials(body.onvif_host, body.username, body.password,
                               body.onvif_username, body.onvif_password)
    camera.onvif_host_enc = box.encrypt(body.onvif_host)
    camera.onvif_port_enc = box.encrypt(str(body.onvif_port) if body.onvif_port else None)
    camera.rtsp_username_enc = box.encrypt(body.username or None)
    camera.onvif_username_enc = box.encrypt(onvif[0])
    key = gateway.public_key if gateway is not None else None
    camera.rtsp_password_sealed = seal(key, body.password) if key and body.password else None
    camera.onvif_password_sealed = seal(key, onvif[1]) if key and onvif[1] else None
    session.add(camera)
    session.flush()
    _audit(session, actor, "camera_create", now, camera_id=camera.id, after=camera_shown(camera),
           credentials_entered=_entered(body))
    log.info("%s: onboarded by %s (%s)", camera.name, actor.username, mask_url(camera.main_url))
    return camera


def _onvif_credentials(host: str | None, username: str | None, password: str | None,
                       onvif_username: str | None, onvif_password: str | None
                       ) -> tuple[str | None, str | None]:
    """A camera's ONVIF login, where there is an ONVIF address: its own, or else the RTSP one
    (most cameras have one account for both)."""
    if host is None:
        return None, None
    return (onvif_username or username or None), (onvif_password or password or None)


def _entered(body: CameraCreate | CameraUpdate) -> list[str]:
    """Which credentials were entered (their names, for the audit: never the values)."""
    return sorted(name for name in ("username", "password", "onvif_username", "onvif_password")
                  if getattr(body, name))


def camera_changes(box: SecretBox, camera: Camera, body: CameraUpdate) -> list[str]:
    """The fields ``body`` would change (passwords count as changed whenever given: a sealed
    one cannot be compared)."""
    changed = []
    for name in body.model_fields_set:
        value = getattr(body, name)
        if name in REQUIRED_FIELDS and value is None:
            continue
        if name in PLAIN_FIELDS:
            if _plain(value) != getattr(camera, name):
                changed.append(name)
        elif name in ENCRYPTED_FIELDS:
            new = None if value in (None, "") else str(value)
            if box.decrypt(getattr(camera, ENCRYPTED_FIELDS[name])) != new:
                changed.append(name)
        elif name in PASSWORD_FIELDS:
            if value:
                changed.append(name)
        elif name == "gateway_id" and value != camera.gateway_id:
            changed.append(name)
    return sorted(changed)


def check_camera_update(session: Session, box: SecretBox, camera: Camera,
                        body: CameraUpdate) -> Gateway | None:
    """Everything :func:`update_camera` checks before writing; the gateway the camera will
    be served by."""
    values = {name: getattr(camera, name) for name in PLAIN_FIELDS}
    values["onvif_host"] = box.decrypt(camera.onvif_host_enc)
    port = box.decrypt(camera.onvif_port_enc)
    values["onvif_port"] = int(port) if port else None
    for name in body.model_fields_set:
        value = getattr(body, name)
        if name in REQUIRED_FIELDS and value is None:
            continue
        if name in values:
            values[name] = _plain(value)
    if values["system"] != CameraSystem.PUBLIC and "owner_category" not in body.model_fields_set:
        values["owner_category"] = None  # leaving the public system leaves its category
    _check_camera(session, values, camera)
    gateway_id = body.gateway_id if "gateway_id" in body.model_fields_set else camera.gateway_id
    gateway = _gateway(session, gateway_id) if gateway_id is not None else None
    _check_sealable(gateway, bool(body.password or body.onvif_password))
    return gateway


def update_camera(session: Session, box: SecretBox, actor: Actor, now: datetime,
                  camera_id: int, body: CameraUpdate) -> tuple[Camera, list[str]]:
    """Apply an administrator's change; returns the camera and the fields changed (none:
    nothing written, nothing audited)."""
    camera = get_camera(session, camera_id)
    gateway = check_camera_update(session, box, camera, body)
    changed = camera_changes(box, camera, body)
    if not changed:
        return camera, []
    before = camera_shown(camera)
    for name in changed:
        value = getattr(body, name)
        if name in PLAIN_FIELDS:
            setattr(camera, name, _plain(value))
        elif name in ENCRYPTED_FIELDS:
            new = None if value in (None, "") else str(value)
            setattr(camera, ENCRYPTED_FIELDS[name], box.encrypt(new))
    if camera.system != CameraSystem.PUBLIC and camera.owner_category is not None:
        camera.owner_category = None
    if camera.onvif_host_enc is None:
        camera.onvif_port_enc = camera.onvif_username_enc = None
        camera.onvif_password_sealed = None
    elif "onvif_host" in changed and camera.onvif_username_enc is None \
            and "onvif_username" not in body.model_fields_set:
        camera.onvif_username_enc = camera.rtsp_username_enc
    if "gateway_id" in changed:
        if gateway is None:
            # no gateway, nothing could open a sealed password: it goes
            camera.gateway_id = None
            camera.rtsp_password_sealed = camera.onvif_password_sealed = None
        else:
            try:
                move_camera(session, camera, gateway, box, passwords={
                    "rtsp_password": body.password, "onvif_password": _onvif_password(
                        camera, body)})
            except CredentialsNeeded as err:
                field = {"rtsp_password": "password"}.get(err.field, err.field)
                raise Refused(CONFLICT, field, str(err), code="credentials_needed") from err
    elif gateway is not None and gateway.public_key is not None:
        if body.password:
            camera.rtsp_password_sealed = seal(gateway.public_key, body.password)
        onvif_password = _onvif_password(camera, body)
        if onvif_password:
            camera.onvif_password_sealed = seal(gateway.public_key, onvif_password)
    session.flush()
    session.expire(camera, ["ward"])
    _audit(session, actor, "camera_update", now, camera_id=camera.id, before=before,
           after=camera_shown(camera), changed=changed, credentials_entered=_entered(body))
    log.info("%s: changed by %s (%s)", camera.name, actor.username, ", ".join(changed))
    return camera, changed


def _onvif_password(camera: Camera, body: CameraUpdate) -> str | None:
    if camera.onvif_host_enc is None:
        return None
    return body.onvif_password or (body.password if camera.onvif_password_sealed is None
                                   or "onvif_host" in body.model_fields_set else None)


def set_camera_active(session: Session, actor: Actor, now: datetime, camera_id: int,
                      active: bool) -> tuple[Camera, bool]:
    """Deactivate (gone from every list and gateway table; recordings, cases and the audit
    trail stay) or reactivate; whether anything changed."""
    camera = get_camera(session, camera_id)
    if camera.is_active == active:
        return camera, False
    if active:
        _active_ward(session, camera.ward_id)
    camera.is_active = active
    if not active:
        camera.public = False  # a camera that is gone is not published either
    session.flush()
    _audit(session, actor, "camera_activate" if active else "camera_deactivate", now,
           camera_id=camera.id)
    log.info("%s: %s by %s", camera.name, "reactivated" if active else "deactivated",
             actor.username)
    return camera, True
