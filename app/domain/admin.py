"""Site administration as plain records (no Qt, no network): wards, units, accounts, cameras as
their administrators manage them, gateways, a camera probe and a CSV import — the answers of the
``/admin`` routes (docs/contracts.md, "site administration") — and the checks a form makes before
it sends (the server makes them again and stays the authority).

No record holds a camera password or user name: the server never answers them, a camera says
only whether it ``has_credentials``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from common.records import GatewayInfo
from common.urls import rtsp_url_problem
from common.vocabulary import (
    CameraSystem,
    CameraTransport,
    ImportAction,
    OwnerCategory,
    ProbeFailure,
    Role,
    UnitKind,
)

__all__ = ["AdminCamera", "AdminUnit", "AdminUser", "AdminWard", "CameraFields",
           "FieldProblem", "GatewayInfo", "ImportResult", "ImportRow", "ImportRowError",
           "LoginSession", "ProbeFailureInfo", "ProbeProfile", "ProbeResult", "ProbeStream",
           "Problem", "ProbeFailure", "check_camera", "check_gateway", "check_password", "check_port",
           "check_rtsp_url", "MIN_CONTROL_SECRET_LENGTH", "MIN_PASSWORD_LENGTH", "WARD_UNIT_KINDS"]

MIN_PASSWORD_LENGTH = 10  # the site's policy (server/password_policy.py)

# the unit kinds that belong to one ward (the server refuses a ward for the others)
WARD_UNIT_KINDS = frozenset({UnitKind.WARD_POLICE, UnitKind.WARD_COMMITTEE})


@dataclass(frozen=True)
class AdminWard:
    id: int
    name: str
    is_active: bool


@dataclass(frozen=True)
class WardRef:
    id: int
    name: str


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    kind: UnitKind
    ward: WardRef | None


@dataclass(frozen=True)
class AdminUnit:
    id: int
    name: str
    kind: UnitKind
    ward: WardRef | None
    is_active: bool
    users: int


@dataclass(frozen=True)
class AdminUser:
    id: int
    username: str
    full_name: str
    role: Role
    unit: UnitRef
    is_active: bool
    must_change_password: bool
    sessions: int


@dataclass(frozen=True)
class LoginSession:
    """One live login of an account (its token is never answered)."""

    id: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class AdminCamera:
    """A camera as its administrators manage it (``CameraAdminPublic``)."""

    id: int
    external_id: str | None
    name: str
    ward_id: int
    ward: str
    system: CameraSystem
    owner_category: OwnerCategory | None
    owner: str
    location: str
    latitude: float | None
    longitude: float | None
    direction: int | None
    main_url: str
    sub_url: str | None
    onvif_host: str | None
    onvif_port: int | None
    ptz: bool
    public: bool
    record: bool
    transport: CameraTransport
    gateway_id: int | None
    gateway: str | None
    is_active: bool
    has_credentials: bool
    has_onvif_credentials: bool = False
    # (x, y, width, height) fractions of the picture its gateway blacks out
    privacy_masks: tuple[tuple[float, ...], ...] = ()


@dataclass
class CameraFields:
    """What an administrator enters of a camera (``CameraCreate``; for a change, only the fields
    that differ are sent). ``password`` None or empty: unchanged (write-only)."""

    name: str = ""
    ward_id: int | None = None
    system: CameraSystem = CameraSystem.SMART_CITY
    owner_category: OwnerCategory | None = None
    owner: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    direction: int | None = None
    main_url: str = ""
    sub_url: str | None = None
    onvif_host: str | None = None
    onvif_port: int | None = None
    ptz: bool = False
    transport: CameraTransport = CameraTransport.AUTO
    gateway_id: int | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def body(self) -> dict[str, Any]:
        """The JSON of a new camera: empty optional fields left out, credentials only when
        given."""
        body: dict[str, Any] = {
            "name": self.name.strip(), "ward_id": self.ward_id, "system": str(self.system),
            "owner": self.owner, "location": self.location, "main_url": self.main_url.strip(),
            "ptz": self.ptz, "transport": str(self.transport)}
        optional = {"owner_category": str(self.owner_category) if self.owner_category else None,
                    "latitude": self.latitude, "longitude": self.longitude,
                    "direction": self.direction, "sub_url": (self.sub_url or "").strip() or None,
                    "onvif_host": (self.onvif_host or "").strip() or None,
                    "onvif_port": self.onvif_port, "gateway_id": self.gateway_id}
        body.update({k: v for k, v in optional.items() if v is not None})
        if self.username:
            body["username"] = self.username
        if self.password:
            body["password"] = self.password
        return body

    def changes(self, before: AdminCamera) -> dict[str, Any]:
        """The JSON of a change to ``before``: the fields that differ (``null`` clears an
        optional one), a password only when one was typed."""
        now = self.body()
        was: dict[str, Any] = {
            "name": before.name, "ward_id": before.ward_id, "system": str(before.system),
            "owner_category": str(before.owner_category) if before.owner_category else None,
            "owner": before.owner, "location": before.location, "latitude": before.latitude,
            "longitude": before.longitude, "direction": before.direction,
            "main_url": before.main_url, "sub_url": before.sub_url,
            "onvif_host": before.onvif_host, "onvif_port": before.onvif_port,
            "ptz": before.ptz, "transport": str(before.transport),
            "gateway_id": before.gateway_id}
        changed = {k: now.get(k) for k in was if now.get(k) != was[k]}
        for secret in ("username", "password"):
            if secret in now:
                changed[secret] = now[secret]
        return changed


@dataclass(frozen=True)
class ProbeProfile:
    token: str
    name: str
    codec: str | None
    width: int | None
    height: int | None
    fps: float | None
    media: str
    stream_uri: str | None = None
    stream_path: str | None = None
    snapshot_uri: str | None = None

    @property
    def resolution(self) -> str:
        return f"{self.width}×{self.height}" if self.width and self.height else ""


@dataclass(frozen=True)
class ProbeStream:
    """A proposed stream as the gateway played it: DESCRIBE, then the first key frame."""

    token: str
    ok: bool
    failure: ProbeFailure | None = None
    detail: str = ""
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    audio: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class ProbeProposal:
    main: str | None
    sub: str | None


@dataclass(frozen=True)
class ProbeResult:
    """What a camera is and which of its streams to use (``CameraProbeResult``)."""

    host: str
    port: int | None
    device: dict[str, str]
    clock_offset_s: float | None
    profiles: tuple[ProbeProfile, ...]
    proposed: ProbeProposal
    verification: dict[str, ProbeStream]  # by role: "main", "sub"
    ptz: dict[str, Any] | None = None
    services: tuple[str, ...] = ()

    def profile(self, token: str | None) -> ProbeProfile | None:
        return next((p for p in self.profiles if p.token == token), None)


@dataclass(frozen=True)
class ProbeFailureInfo:
    """Why a probe failed: the failure, the step it was at and the gateway's detail."""

    failure: str
    step: str
    detail: str = ""


@dataclass(frozen=True)
class ImportRow:
    row: int
    external_id: str
    action: ImportAction
    camera_id: int | None = None


@dataclass(frozen=True)
class ImportRowError:
    row: int  # the CSV line, 1 being the header
    column: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    dry_run: bool
    gateway_id: int
    created: int
    updated: int
    unchanged: int
    rows: tuple[ImportRow, ...]
    errors: tuple[ImportRowError, ...]


# -- checks before sending --------------------------------------------------------------------

class Problem(enum.StrEnum):
    """Why a field is refused before it is sent (the widgets say it in the user's language)."""

    REQUIRED = "required"
    LATITUDE = "latitude"
    LONGITUDE = "longitude"
    DIRECTION = "direction"
    PORT = "port"
    URL_SHAPE = "url_shape"
    URL_CREDENTIALS = "url_credentials"
    PASSWORD_SHORT = "password_short"
    PASSWORDS_DIFFER = "passwords_differ"
    HOST = "host"
    CONTROL_URL = "control_url"
    SECRET_SHORT = "secret_short"


@dataclass(frozen=True)
class FieldProblem:
    field: str  # the server's field name
    problem: Problem


def check_rtsp_url(field_name: str, url: str | None, *,
                   required: bool = False) -> FieldProblem | None:
    """An RTSP address as the server accepts it: ``rtsp://host[:port]/path``, no user info."""
    text = (url or "").strip()
    if not text:
        return FieldProblem(field_name, Problem.REQUIRED) if required else None
    problem = rtsp_url_problem(text)
    if problem is None:
        return None
    try:
        credentials = "@" in urlsplit(text).netloc
    except ValueError:
        credentials = False
    if credentials:
        return FieldProblem(field_name, Problem.URL_CREDENTIALS)
    return FieldProblem(field_name, Problem.URL_SHAPE)


def check_port(field_name: str, port: int | None, *,
               required: bool = False) -> FieldProblem | None:
    if port is None:
        return FieldProblem(field_name, Problem.REQUIRED) if required else None
    return None if 1 <= port <= 65535 else FieldProblem(field_name, Problem.PORT)


def check_camera(fields: CameraFields, *, new: bool = True) -> list[FieldProblem]:
    """Every problem of a camera's fields the client can see without the server."""
    problems: list[FieldProblem | None] = []
    if not fields.name.strip():
        problems.append(FieldProblem("name", Problem.REQUIRED))
    if fields.ward_id is None:
        problems.append(FieldProblem("ward_id", Problem.REQUIRED))
    if fields.system == CameraSystem.PUBLIC and fields.owner_category is None:
        problems.append(FieldProblem("owner_category", Problem.REQUIRED))
    if fields.latitude is not None and not -90 <= fields.latitude <= 90:
        problems.append(FieldProblem("latitude", Problem.LATITUDE))
    if fields.longitude is not None and not -180 <= fields.longitude <= 180:
        problems.append(FieldProblem("longitude", Problem.LONGITUDE))
    if fields.direction is not None and not 0 <= fields.direction <= 359:
        problems.append(FieldProblem("direction", Problem.DIRECTION))
    problems.append(check_rtsp_url("main_url", fields.main_url, required=True))
    problems.append(check_rtsp_url("sub_url", fields.sub_url))
    problems.append(check_port("onvif_port", fields.onvif_port))
    if fields.onvif_port is not None and not (fields.onvif_host or "").strip():
        problems.append(FieldProblem("onvif_host", Problem.REQUIRED))
    if fields.password and fields.gateway_id is None:
        problems.append(FieldProblem("gateway_id", Problem.REQUIRED))
    return [p for p in problems if p is not None]


# what the server accepts for a gateway (server/schemas.py: HOST_PATTERN, CONTROL_URL_PATTERN)
_GATEWAY_HOST = re.compile(r"[A-Za-z0-9.\-:\[\]]{1,255}")
_CONTROL_URL = re.compile(r"https?://[A-Za-z0-9.\-:\[\]]+(/[A-Za-z0-9._~/-]*)?")
MIN_CONTROL_SECRET_LENGTH = 16


def check_gateway(name: str | None, rtsp_host: str, rtsp_port: int | None,
                  ptz_port: int | None, control_url: str,
                  control_secret: str | None) -> list[FieldProblem]:
    """Every problem of a gateway's fields the client can see without the server. ``name``
    None: an edit (a gateway keeps its name); ``control_secret`` None or empty on an edit:
    the secret is left as it is."""
    problems: list[FieldProblem | None] = []
    if name is not None and not name.strip():
        problems.append(FieldProblem("name", Problem.REQUIRED))
    host = rtsp_host.strip()
    if not host:
        problems.append(FieldProblem("rtsp_host", Problem.REQUIRED))
    elif not _GATEWAY_HOST.fullmatch(host):
        problems.append(FieldProblem("rtsp_host", Problem.HOST))
    problems.append(check_port("rtsp_port", rtsp_port, required=True))
    problems.append(check_port("ptz_port", ptz_port))
    url = control_url.strip()
    if not url:
        problems.append(FieldProblem("control_url", Problem.REQUIRED))
    elif not _CONTROL_URL.fullmatch(url):
        problems.append(FieldProblem("control_url", Problem.CONTROL_URL))
    if name is not None and not control_secret:
        problems.append(FieldProblem("control_secret", Problem.REQUIRED))
    elif control_secret and len(control_secret) < MIN_CONTROL_SECRET_LENGTH:
        problems.append(FieldProblem("control_secret", Problem.SECRET_SHORT))
    return [p for p in problems if p is not None]


def check_password(field_name: str, password: str, repeated: str) -> FieldProblem | None:
    """A new password typed twice, against the policy's length (the server checks the rest)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return FieldProblem(field_name, Problem.PASSWORD_SHORT)
    if password != repeated:
        return FieldProblem(field_name, Problem.PASSWORDS_DIFFER)
    return None
