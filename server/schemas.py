"""API shapes (docs/contracts.md). Inputs forbid unknown fields so typos fail loudly (422).

The answers the client reads back into records (cases, incidents, bookmarks, clip and access
requests, audit rows…) are not here: they are ``common.records``' dataclasses, shared with it.
"""

from __future__ import annotations

from datetime import date as dt_date
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    field_validator,
)

from common.records import PtzAccess
from common.urls import rtsp_url_problem
from common.vocabulary import (
    CameraSystem,
    CameraTransport,
    ImportAction,
    OwnerCategory,
    Role,
    UnitKind,
)

# What a request may carry. Integers fit the databases' INTEGER columns (PostgreSQL's is 32-bit;
# a larger value would fail inside the database instead of being refused); times and days lie in
# a window where the calendars, deadlines and file names all work.
DB_INT_MIN, DB_INT_MAX = -(2**31), 2**31 - 1
FIRST_DAY, LAST_DAY = dt_date(2000, 1, 1), dt_date(2099, 12, 31)


def within_window(value: datetime) -> datetime:
    day = value.date()
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return value


def day_within_window(value: dt_date) -> dt_date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return value


DbInt = Annotated[int, Field(ge=DB_INT_MIN, le=DB_INT_MAX)]
# Why a record was refused, closed or changed: blanks around it do not count, so "   " is no
# reason (a 422 naming the field).
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Moment = Annotated[datetime, AfterValidator(within_window)]
Day = Annotated[dt_date, AfterValidator(day_within_window)]

# PostgreSQL's text types cannot hold U+0000 (SQLite's can): a request string with one is refused
# with a 422 naming the field, instead of failing inside the database.
NUL_MESSAGE = "must not contain the NUL character (U+0000)"


def holds_nul(value: object) -> bool:
    """A NUL in a string, or in the strings of a list or dict (keys too)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    return False


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if holds_nul(value):
            raise ValueError(NUL_MESSAGE)
        return value


class LoginCreate(StrictInput):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class PasswordChange(StrictInput):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=10, max_length=1024)


class SessionPublic(BaseModel):
    """A live login session of a user (never its token)."""

    id: int
    created_at: datetime
    expires_at: datetime


class AuditEventCreate(StrictInput):
    event: Literal["view_start", "view_stop"]
    camera_id: DbInt
    detail: str | None = Field(default=None, max_length=500)


class WardPublic(BaseModel):
    id: int
    name: str


class UnitPublic(BaseModel):
    id: int
    name: str
    kind: str
    ward: WardPublic | None


class ScopePublic(BaseModel):
    city_wide: bool
    ward_ids: list[int]
    systems: list[str]


class MePublic(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    unit: UnitPublic
    scope: ScopePublic
    # an administrator set the password: every route but POST /auth/password, /auth/logout and
    # GET /me answers 403 ``password_change_required`` until the user changes it
    must_change_password: bool = False


class TokenPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: MePublic


class CameraPublic(BaseModel):
    id: int
    name: str
    ward: str
    ward_id: int
    system: str
    ptz: bool
    public: bool
    location: str
    owner: str
    actions: list[str]
    # always null: cameras are played through gateway sessions (``streams``), never from a URL
    # with credentials; kept for clients that still read them
    main_stream_url: str | None
    sub_stream_url: str | None
    # the streams ("main", "sub") a viewer plays through a gateway session
    # (POST /cameras/{id}/streams/{stream}/session); empty while the camera has no gateway
    streams: list[str] = Field(default_factory=list)
    # for users holding ``admin``: whether the camera's gateway holds its password (false: an
    # administrator must enter it, e.g. after the gateway's key changed); null for others
    has_credentials: bool | None = None
    # for administrators: how its gateway reaches it ("auto", "tcp", "udp"); null for others
    transport: str | None = None
    # for administrators: per stream, what its gateway last said of the camera connection
    # ({"state": "connected"|"auth_failed"|…, "next_attempt_in_s", "last_error", "transport",
    # "video": {"codec", "width", "height", "fps"}, "audio": {"codec", "rate", "channels"}});
    # a stream not heard of yet is absent; null for others
    stream_status: dict[str, Any] | None = None


class AuditEventPublic(BaseModel):
    id: int
    ts: datetime
    event: str


class HealthPublic(BaseModel):
    status: Literal["ok"] = "ok"


class ClockStatePublic(BaseModel):
    """What the server's time service says (``synchronized`` null: no service answered)."""

    source: str = Field(description="timedatectl, chronyc, or none")
    synchronized: bool | None
    detail: str


class ClockOffsetPublic(BaseModel):
    subject: str = Field(description="'gateway <name>' or 'workstation <address>'")
    offset_s: float = Field(description="its clock minus the server's, seconds")
    at: datetime
    off: bool = Field(description="past the 2 s tolerance")


class ClocksPublic(BaseModel):
    server: ClockStatePublic
    offsets: list[ClockOffsetPublic]


class VersionPublic(BaseModel):
    """Which server answers, which clients it serves, and its clock (see common.versions)."""

    version: str
    api_level: int
    min_client_api_level: int
    server_time: datetime
    clock: ClockStatePublic


# --- Saved layouts -----------------------------------------------------------------------------

MAX_GRID = 16  # rows and columns each; 8×8 = 64 tiles is the largest template
MAX_LAYOUT_ITEMS = 64
TEMPLATE_PATTERN = r"^(custom|[1-9][0-9]?x[1-9][0-9]?|[1-9][0-9]?\+[1-9][0-9]?|[1-9])$"

FlagKey = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FlagValue = StrictBool | StrictInt | StrictFloat | Annotated[str, StringConstraints(max_length=200)]


class CellSchema(StrictInput):
    """Grid geometry of one item, 0-based (as ``layouts.grid.Cell``)."""

    row: int = Field(ge=0, lt=MAX_GRID)
    column: int = Field(ge=0, lt=MAX_GRID)
    row_span: int = Field(default=1, ge=1, le=MAX_GRID)
    column_span: int = Field(default=1, ge=1, le=MAX_GRID)


class LayoutItemSchema(StrictInput):
    cell: CellSchema
    camera_id: DbInt | None = None
    flags: dict[FlagKey, FlagValue | None] = Field(default_factory=dict, max_length=32)


class LayoutCreate(StrictInput):
    name: str = Field(min_length=1, max_length=100)
    template: str = Field(max_length=32, pattern=TEMPLATE_PATTERN)
    rows: int = Field(ge=1, le=MAX_GRID)
    columns: int = Field(ge=1, le=MAX_GRID)
    items: list[LayoutItemSchema] = Field(default_factory=list, max_length=MAX_LAYOUT_ITEMS)
    shared_with_unit: bool = False
    is_startup: bool = False

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class LayoutUpdate(StrictInput):
    """Changes to a layout the user owns; ``version`` is the one the client last read."""

    version: int = Field(ge=1, le=DB_INT_MAX)
    name: str | None = Field(default=None, min_length=1, max_length=100)
    template: str | None = Field(default=None, max_length=32, pattern=TEMPLATE_PATTERN)
    rows: int | None = Field(default=None, ge=1, le=MAX_GRID)
    columns: int | None = Field(default=None, ge=1, le=MAX_GRID)
    items: list[LayoutItemSchema] | None = Field(default=None, max_length=MAX_LAYOUT_ITEMS)
    shared_with_unit: bool | None = None
    is_startup: bool | None = None

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class LayoutItemPublic(BaseModel):
    cell: CellSchema
    camera_id: int | None
    permitted: bool  # false: the reader may not view this camera (no name is given)
    camera_name: str | None
    flags: dict[str, Any]


class LayoutOwnerPublic(BaseModel):
    id: int
    username: str
    full_name: str


class LayoutPublic(BaseModel):
    id: int
    name: str
    template: str
    rows: int
    columns: int
    items: list[LayoutItemPublic]
    shared_with_unit: bool
    is_startup: bool
    owner: LayoutOwnerPublic
    editable: bool  # the reader owns it
    version: int
    created_at: datetime
    updated_at: datetime


# --- PTZ leases --------------------------------------------------------------------------------

class PtzLeaseCreate(StrictInput):
    reserve_seconds: int | None = Field(default=None, ge=1, le=600)


class PtzUserPublic(BaseModel):
    user_id: int
    username: str
    full_name: str
    unit: str
    priority: str


class PtzHolderPublic(PtzUserPublic):
    granted_at: datetime
    expires_at: datetime
    reserved_until: datetime | None


class PtzWaiterPublic(PtzUserPublic):
    position: int
    enqueued_at: datetime


class PtzLeaseGranted(BaseModel):
    status: Literal["granted"] = "granted"
    camera_id: int
    holder: PtzHolderPublic
    expires_at: datetime
    # the holder's way to the camera, renewed with the lease; None while the camera's media
    # gateway is not up (or it has none): no command can reach the camera then
    access: PtzAccess | None = None


class PtzLeaseQueued(BaseModel):
    status: Literal["queued"] = "queued"
    camera_id: int
    position: int
    holder: PtzHolderPublic | None


class PtzLeasePublic(BaseModel):
    camera_id: int
    holder: PtzHolderPublic | None
    queue: list[PtzWaiterPublic]


# --- Bookmarks, clip requests, recordings -----------------------------------------------------

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class BookmarkCreate(StrictInput):
    camera_id: DbInt
    at: Moment | None = None  # default: now
    before_s: int = Field(default=30, ge=0, le=3600)
    after_s: int = Field(default=30, ge=0, le=3600)
    note: str = Field(default="", max_length=2000)
    tags: list[Tag] = Field(default_factory=list, max_length=16)


class ClipRequestCreate(StrictInput):
    """The JSON (or multipart form) body of ``POST /clips``; agencies add ``letter`` (a PDF)."""

    camera_id: DbInt
    start: Moment
    end: Moment
    purpose: str = Field(default="", max_length=2000)
    commitment: str | None = Field(default=None, max_length=2000)


class ClipRejectBody(StrictInput):
    reason: Reason


class RecordedRangePublic(BaseModel):
    start: datetime
    end: datetime


class RecordingGapPublic(BaseModel):
    start: datetime
    end: datetime | None
    reason: str


class RecordingsPublic(BaseModel):
    camera_id: int
    ranges: list[RecordedRangePublic]
    gaps: list[RecordingGapPublic]


class SigningKeyPublic(BaseModel):
    """An evidence key: the current one (``valid_until`` null) or a retired one, kept so that
    what it signed still verifies; ``valid_from`` null: the site's first key."""

    key_id: str
    algorithm: Literal["Ed25519"] = "Ed25519"
    public_key_pem: str
    valid_from: datetime | None = None
    valid_until: datetime | None = None


# -- working-day calendar -----------------------------------------------------------------------

class CalendarDayIn(StrictInput):
    date: Day
    note: str = Field(default="", max_length=300)
    # the government notice an administrator entered the day from (kept when unchanged)
    source: str = Field(default="", max_length=300)


class CalendarUpdate(StrictInput):
    """The administrators' days for the government's yearly decisions; ``holidays`` left out
    keeps the listed public holidays as they are."""

    working_days: list[CalendarDayIn] = Field(default_factory=list, max_length=500)
    days_off: list[CalendarDayIn] = Field(default_factory=list, max_length=500)
    holidays: list[CalendarDayIn] | None = Field(default=None, max_length=500)


class CalendarDayPublic(BaseModel):
    date: Day
    note: str
    source: str
    provisional: bool


class CalendarPublic(BaseModel):
    holidays: list[CalendarDayPublic]
    working_days: list[CalendarDayPublic]
    days_off: list[CalendarDayPublic]


class CalendarConfirm(StrictInput):
    """The government notice the day was checked against (number, date, issuer)."""

    notice: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=300)]


# -- violation cases ----------------------------------------------------------------------------

CaseKind = Literal["red_light", "lane", "stopping_parking", "other_traffic", "public_order",
                   "other"]
DecisionKindName = Literal["simple", "transferred", "explanation", "especially_complex"]


class CaseCreate(StrictInput):
    """Open from exactly one of a bookmark or a clip request (its first evidence clip)."""

    kind: CaseKind
    bookmark_id: DbInt | None = None
    clip_request_id: DbInt | None = None
    detected_at: Moment | None = None  # default: the bookmark's moment / the clip's start
    note: str = Field(default="", max_length=4000)


class CaseActionBody(StrictInput):
    # identify_violator only: when the violator was identified, if earlier than now (declared,
    # within the bounds ``server.cases`` checks); every other step is the server's clock
    at: Moment | None = None
    note: str = Field(default="", max_length=4000)  # close: the reason, required
    complex: StrictBool | None = None  # send / conclude: verification gets 2 months
    decision_kind: DecisionKindName | None = None  # make_record / decide
    handover_needed: StrictBool | None = None  # make_record: hand to another authority (24 h)


class CaseEdit(StrictInput):
    """A new version of a case's record: the fields given change, ``reason`` says why."""

    reason: Reason
    note: str | None = Field(default=None, max_length=4000)
    kind: CaseKind | None = None
    complex: StrictBool | None = None
    decision_kind: DecisionKindName | None = None
    handover_needed: StrictBool | None = None


class CaseVersionApproval(StrictInput):
    reason: Reason


class CaseClipAdd(StrictInput):
    clip_request_id: DbInt


# -- publication (Art. 14) -----------------------------------------------------------------------

class RedactionKeyframe(StrictInput):
    t: float = Field(ge=0, le=86400, allow_inf_nan=False, description="seconds from the clip's start")
    box: list[Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]] = Field(
        min_length=4, max_length=4, description="x, y, width, height: fractions of the picture")


class PublicationCreate(StrictInput):
    """An operator's proposal: the public title, one extracted evidence clip of the case and the
    boxes to blur in it (tracks of keyframes, ``server.redaction``)."""

    case_id: DbInt
    title: str = Field(min_length=3, max_length=300)
    clip_request_id: DbInt | None = None
    tracks: list[Annotated[list[RedactionKeyframe], Field(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=16)


class PublicationReview(StrictInput):
    note: str = Field(min_length=3, max_length=2000,
                      description="what the reviewer checked in the blurred clip")


class PublicationReason(StrictInput):
    reason: str = Field(min_length=3, max_length=2000)


class PublicCatalogueBody(StrictInput):
    camera_ids: list[DbInt] = Field(max_length=10000)
    violation_kinds: list[CaseKind] = Field(max_length=16)


# -- incidents ----------------------------------------------------------------------------------

class IncidentCreate(StrictInput):
    """A camera fault (``camera_id``; the category is camera) or a fault of the system around
    the cameras (``category`` and ``subject``, no camera). Which kinds fit which category is
    ``common.vocabulary.INCIDENT_KINDS``; ``server.incidents`` checks it (422 naming the
    field)."""

    camera_id: DbInt | None = None
    category: Literal["camera", "software", "server", "storage", "network"] = "camera"
    subject: str | None = Field(default=None, max_length=200)
    kind: Literal["offline", "obstructed", "too_dark", "ptz_broken", "clock_drift",
                  "gateway_down", "stream_lost", "recorder_stopped", "disk_full",
                  "storage_failure", "database_unreachable", "process_restarted",
                  "software_error", "network_down", "other"]
    note: str = Field(default="", max_length=2000)
    automatic: bool = False  # filed by the client after 5 minutes offline


class IncidentResolve(StrictInput):
    resolution: Reason


# -- access requests of other agencies ----------------------------------------------------------

def _id_list(value: Any) -> Any:
    """Multipart sends ``camera_ids`` as text: "3,5,8" or a JSON list."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class AccessRequestCreate(StrictInput):
    content: str = Field(min_length=10, max_length=4000)
    purpose: str = Field(min_length=10, max_length=4000)
    commitment: str = Field(min_length=10, max_length=4000)
    camera_ids: list[DbInt] = Field(min_length=1, max_length=200)
    wanted_from: Moment
    wanted_until: Moment

    _ids = field_validator("camera_ids", mode="before")(_id_list)


class AccessGrantBody(StrictInput):
    camera_ids: list[DbInt] = Field(min_length=1, max_length=200)
    valid_from: Moment | None = None  # default now
    valid_until: Moment


class AccessRejectBody(StrictInput):
    reason: Reason


# -- the 24/7 duty (server.duty) ------------------------------------------------------------------

class DutyAssignBody(StrictInput):
    """Who is on the shift (the list replaces the one before; empty: nobody)."""

    user_ids: list[DbInt] = Field(max_length=20)


class HandoverCreate(StrictInput):
    """The outgoing shift's note; the pending matters are listed by the server."""

    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                           max_length=10_000)]


# -- public API (Art. 14): allow-listed fields only ----------------------------------------------

class PublicCamera(BaseModel):
    id: int
    name: str
    ward: str
    location: str
    snapshot: str | None


class PublicViolation(BaseModel):
    id: int
    kind: str
    title: str
    ward: str
    detected_on: str
    camera: PublicCamera | None
    media: str | None


class CameraPublicationBody(StrictInput):
    public: StrictBool


class CameraHealthCreate(StrictInput):
    """A client's account of a camera over ``from_at``..``to_at`` while it showed it."""

    from_at: Moment
    to_at: Moment
    live_seconds: float = Field(ge=0, le=3600)
    down_seconds: float = Field(ge=0, le=3600)
    reconnects: int = Field(default=0, ge=0, le=100000)


# -- media gateways (administrators) ----------------------------------------------------------

HOST_PATTERN = r"^[A-Za-z0-9.\-:\[\]]+$"  # a host name or an IPv4/IPv6 address
CONTROL_URL_PATTERN = r"^https?://[A-Za-z0-9.\-:\[\]]+(/[A-Za-z0-9._~/-]*)?$"


class GatewayCreate(StrictInput):
    """A gateway the site runs elsewhere (``python3 -m gateway --config FILE``): where viewers
    reach it, its control endpoint and that endpoint's secret (write-only)."""

    name: str = Field(min_length=1, max_length=100)
    rtsp_host: str = Field(min_length=1, max_length=255, pattern=HOST_PATTERN)
    rtsp_port: int = Field(ge=1, le=65535)
    control_url: str = Field(min_length=1, max_length=500, pattern=CONTROL_URL_PATTERN)
    control_secret: str = Field(min_length=16, max_length=256)
    # where PTZ users reach its ONVIF broker (on rtsp_host); none: its cameras get no PTZ
    ptz_port: int | None = Field(default=None, ge=1, le=65535)


class GatewayUpdate(StrictInput):
    rtsp_host: str | None = Field(default=None, min_length=1, max_length=255,
                                  pattern=HOST_PATTERN)
    rtsp_port: int | None = Field(default=None, ge=1, le=65535)
    ptz_port: int | None = Field(default=None, ge=1, le=65535)
    control_url: str | None = Field(default=None, min_length=1, max_length=500,
                                    pattern=CONTROL_URL_PATTERN)
    control_secret: str | None = Field(default=None, min_length=16, max_length=256)
    is_active: bool | None = None


class CameraPlacementChange(StrictInput):
    """Serve the camera by another gateway. Passwords given here are sealed to that gateway's
    key and forgotten; left out, the gateway holding them re-seals them."""

    gateway_id: DbInt
    rtsp_password: str | None = Field(default=None, min_length=1, max_length=256)
    onvif_password: str | None = Field(default=None, min_length=1, max_length=256)


# -- site administration (server.admin) -------------------------------------------------------

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
USERNAME_PATTERN = r"^[A-Za-z0-9._@-]+$"
Password = Annotated[str, Field(min_length=1, max_length=1024)]
Secret = Annotated[str, Field(min_length=1, max_length=256)]


def _rtsp_url(value: str | None) -> str | None:
    if value is None:
        return None
    problem = rtsp_url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


RtspUrl = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_rtsp_url)]


class WardCreate(StrictInput):
    name: Name


class WardUpdate(StrictInput):
    name: Name | None = None
    is_active: StrictBool | None = None


class WardAdminPublic(BaseModel):
    id: int
    name: str
    is_active: bool


class UnitCreate(StrictInput):
    """A unit of the regulation. ``ward_id`` is required for ward police and ward committees
    (what they see is their ward) and refused for every other kind (city-wide or granted)."""

    name: Name
    kind: UnitKind
    ward_id: DbInt | None = None


class UnitUpdate(StrictInput):
    name: Name | None = None
    kind: UnitKind | None = None
    ward_id: DbInt | None = None
    is_active: StrictBool | None = None


class UnitAdminPublic(BaseModel):
    id: int
    name: str
    kind: str
    ward: WardPublic | None
    is_active: bool
    users: int


class UserCreate(StrictInput):
    """A new account; ``password`` is its first password, which its owner must change at the
    first login (policy: at least 10 characters, not a common password)."""

    username: str = Field(min_length=1, max_length=150, pattern=USERNAME_PATTERN)
    full_name: Name
    unit_id: DbInt
    role: Role
    password: Password


class UserUpdate(StrictInput):
    full_name: Name | None = None
    unit_id: DbInt | None = None
    role: Role | None = None


class PasswordReset(StrictInput):
    """The administrator's new password for the account; its owner must change it at the next
    login, and every session of the account ends."""

    password: Password


class UserAdminPublic(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    unit: UnitPublic
    is_active: bool
    must_change_password: bool
    sessions: int


class CameraFields(StrictInput):
    """What an administrator enters of a camera. The credentials (``username``, ``password``,
    ``onvif_username``, ``onvif_password``) are write-only: the user names are kept encrypted,
    the passwords sealed to the serving gateway's key; no answer shows them (only
    ``has_credentials``). Left out, the ONVIF credentials are the RTSP ones."""

    name: Name
    ward_id: DbInt
    system: CameraSystem
    # who owns a camera of the public system; required for it, refused for the others
    owner_category: OwnerCategory | None = None
    owner: str = Field(default="", max_length=200)
    location: str = Field(default="", max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    direction: int | None = Field(default=None, ge=0, le=359)
    main_url: RtspUrl
    sub_url: RtspUrl | None = None
    onvif_host: str | None = Field(default=None, min_length=1, max_length=255,
                                   pattern=HOST_PATTERN)
    onvif_port: int | None = Field(default=None, ge=1, le=65535)
    ptz: StrictBool = False
    public: StrictBool = False
    record: StrictBool = True
    transport: CameraTransport = CameraTransport.AUTO
    gateway_id: DbInt | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=100)
    username: str | None = Field(default=None, max_length=256)
    password: Secret | None = None
    onvif_username: str | None = Field(default=None, max_length=256)
    onvif_password: Secret | None = None


class CameraCreate(CameraFields):
    pass


class CameraUpdate(StrictInput):
    """An administrator's change to a camera: fields left out stay as they are (``null`` clears
    an optional one). A new ``gateway_id`` moves the camera; its passwords are re-sealed by the
    gateway holding them or must be entered again (409 naming the field)."""

    name: Name | None = None
    ward_id: DbInt | None = None
    system: CameraSystem | None = None
    owner_category: OwnerCategory | None = None
    owner: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    direction: int | None = Field(default=None, ge=0, le=359)
    main_url: RtspUrl | None = None
    sub_url: RtspUrl | None = None
    onvif_host: str | None = Field(default=None, min_length=1, max_length=255,
                                   pattern=HOST_PATTERN)
    onvif_port: int | None = Field(default=None, ge=1, le=65535)
    ptz: StrictBool | None = None
    public: StrictBool | None = None
    record: StrictBool | None = None
    # how its gateway reaches the camera: "auto" (TCP, falling back to UDP when the camera
    # refuses TCP), "tcp", or "udp" (a camera that serves UDP only)
    transport: CameraTransport | None = None
    gateway_id: DbInt | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=100)
    username: str | None = Field(default=None, max_length=256)
    password: Secret | None = None
    onvif_username: str | None = Field(default=None, max_length=256)
    onvif_password: Secret | None = None


MaskRect = Annotated[list[Annotated[float, Field(ge=0, le=1)]], Field(min_length=4,
                                                                     max_length=4)]


class PrivacyMasksUpdate(StrictInput):
    """A camera's privacy masks, replacing the ones it has (``[]``: none): regions its
    gateway blacks out before any viewer or recording gets them."""

    masks: list[MaskRect] = Field(max_length=16,
                                  description="[x, y, width, height] fractions of the picture")


class CameraAdminPublic(BaseModel):
    """A camera as its administrators manage it: never a user name or password."""

    id: int
    external_id: str | None
    name: str
    ward_id: int
    ward: str
    system: str
    owner_category: str | None
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
    transport: str
    gateway_id: int | None
    gateway: str | None
    is_active: bool
    has_credentials: bool
    has_onvif_credentials: bool
    privacy_masks: list[list[float]] = Field(
        default_factory=list, description="[x, y, width, height] fractions of the picture")


class ImportRowError(BaseModel):
    row: int = Field(description="the CSV line, 1 being the header")
    column: str
    reason: str


class ImportRowResult(BaseModel):
    row: int
    external_id: str
    action: ImportAction
    camera_id: int | None = None


class CameraImportPublic(BaseModel):
    dry_run: bool
    gateway_id: int
    created: int
    updated: int
    unchanged: int
    rows: list[ImportRowResult]
    errors: list[ImportRowError]
