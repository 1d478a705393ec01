"""The records client and server exchange, declared once.

The server answers with these (FastAPI and pydantic take standard-library dataclasses as response
models, so the OpenAPI schema is generated from them); the client reads the same answers back into
them with :func:`from_json`. A field added here is added to both sides at once.

Fields that carry a word of the API are typed with :mod:`common.vocabulary`'s enums: the server's
schema lists the words, and the client refuses a word it does not know.

Request bodies are not here: their validation rules (lengths, bounds) are the server's, in
``server.schemas``.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar

from common.vocabulary import (
    PENDING_DEADLINES,
    AccessRequestState,
    CaseAction,
    CaseKind,
    CaseRecordAction,
    CaseState,
    CaseVersionStatus,
    ClipChain,
    ClipState,
    DeadlineStatus,
    DecisionKind,
    IncidentCategory,
    IncidentKind,
    IncidentState,
    PublicationState,
    Role,
)

# -- who did something ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRef:
    """Who did something, as the server names them."""

    id: int
    username: str
    full_name: str
    unit: str

    @property
    def label(self) -> str:
        name = self.full_name or self.username
        return f"{name} ({self.unit})" if self.unit else name


# -- bookmarks ------------------------------------------------------------------------------------

BOOKMARK_PAGE = 100
"""``GET /bookmarks``: rows in a page unless ``limit`` says otherwise."""
MAX_BOOKMARK_PAGE = 1000
"""``GET /bookmarks``: the largest ``limit`` the server accepts."""


@dataclass(frozen=True)
class Bookmark:
    """A moment on a camera with a window (an evidence lock on the recording), a note, tags."""

    id: int
    camera_id: int
    camera_name: str
    ward_id: int
    ward: str
    at: datetime
    before_s: int
    after_s: int
    window_start: datetime
    window_end: datetime
    note: str
    tags: tuple[str, ...]
    author: UserRef
    created_at: datetime


@dataclass(frozen=True)
class BookmarkFilter:
    """What ``GET /bookmarks`` filters on; empty fields do not filter."""

    camera_id: int | None = None
    ward_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    tag: str | None = None
    author: str | None = None
    text: str | None = None
    limit: int = BOOKMARK_PAGE
    offset: int = 0

    def params(self) -> dict[str, Any]:
        """The query string of ``GET /bookmarks`` (``text`` travels as ``q``)."""
        out: dict[str, Any] = {"limit": self.limit, "offset": self.offset}
        if self.camera_id is not None:
            out["camera_id"] = self.camera_id
        if self.ward_id is not None:
            out["ward_id"] = self.ward_id
        if self.since is not None:
            out["since"] = aware(self.since).isoformat()
        if self.until is not None:
            out["until"] = aware(self.until).isoformat()
        for name, value in (("tag", self.tag), ("author", self.author), ("q", self.text)):
            if value and value.strip():
                out[name] = value.strip()
        return out


# -- clip requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """An official letter (a PDF) sent with a request: its file name and SHA-256."""

    filename: str
    sha256: str


@dataclass(frozen=True)
class ClipEvent:
    """One step of a clip request's approval chain (``user`` None: the system's own)."""

    at: datetime
    action: str
    state: ClipState
    user: UserRef | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class ClipRequest:
    """A request for a recorded clip (Art. 12.2), its approval chain and the extracted clip."""

    id: int
    camera_id: int
    camera_name: str
    ward: str
    chain: ClipChain
    state: ClipState
    start: datetime
    end: datetime
    purpose: str
    commitment: str | None
    letter: Letter | None  # agencies' requests only
    requester: UserRef
    endorser: UserRef | None
    approver: UserRef | None
    reject_reason: str | None
    clip_start: datetime | None
    clip_sha256: str | None
    clip_size: int | None
    error: str | None
    actions: tuple[str, ...]  # what the reader may do now: endorse, approve, reject, download
    events: tuple[ClipEvent, ...]
    created_at: datetime
    updated_at: datetime

    def may(self, action: str) -> bool:
        """What the server says the reader may do now (endorse, approve, reject, download)."""
        return action in self.actions


# -- violation cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """One deadline of a case's procedure and its state, as the server computed it."""

    rule: str
    article: str
    starts_at: datetime
    due_at: datetime
    done_at: datetime | None
    status: DeadlineStatus

    @property
    def pending(self) -> bool:
        return self.status in PENDING_DEADLINES


@dataclass(frozen=True)
class CaseEvent:
    """One entry of a case's history (``action``: the event's code, e.g. ``open``, ``send``)."""

    at: datetime  # the step's time: ``recorded_at``, or the time declared
    recorded_at: datetime  # the server's clock when it was recorded
    action: str
    user: UserRef
    detail: dict[str, Any]
    # an earlier time a user declared for the step (detection, violator identified), and who
    declared_at: datetime | None
    declared_by: UserRef | None


@dataclass(frozen=True)
class CaseVersion:
    """One edit of a case's record (``POST /cases/{id}/edit``): the values before and after,
    who, when (the server's clock) and why; a late reclassification waits for a police
    leader's approval (``status`` pending) before the deadlines count from it."""

    number: int
    at: datetime
    user: UserRef
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    status: CaseVersionStatus
    approved_by: UserRef | None
    approved_at: datetime | None
    approval_reason: str | None


@dataclass(frozen=True)
class Case:
    """A violation case (Art. 11.3, 13): its steps, deadlines and what the reader may do now."""

    id: int
    camera_id: int
    camera_name: str
    ward: str
    kind: CaseKind
    state: CaseState
    note: str
    bookmark_id: int | None
    clip_request_ids: tuple[int, ...]
    detected_at: datetime
    opened_by: UserRef
    opened_at: datetime
    complex: bool
    decision_kind: DecisionKind
    handover_needed: bool
    conclusion: str | None
    steps: dict[str, datetime | None]
    deadlines: tuple[Deadline, ...]
    deadline_state: DeadlineStatus | None  # the worst pending deadline, or None
    actions: tuple[CaseAction, ...]  # what the reader may do now
    public: bool
    public_title: str | None
    public_clip_id: int | None
    events: tuple[CaseEvent, ...]
    updated_at: datetime
    detected_declared_by: UserRef | None  # None: the moment of the evidence
    # the classification the deadlines count from (a late reclassification waits for approval)
    deadline_complex: bool
    deadline_decision_kind: DecisionKind
    versions: tuple[CaseVersion, ...]  # every edit, oldest first
    record_actions: tuple[CaseRecordAction, ...]  # edit / approve a version, now

    def may(self, action: str) -> bool:
        """What the server says the reader may do now (a step or an action on the record)."""
        return action in self.actions or action in self.record_actions

    @property
    def pending_versions(self) -> tuple[CaseVersion, ...]:
        """Reclassifications waiting for a police leader's approval."""
        return tuple(v for v in self.versions if v.status == CaseVersionStatus.PENDING)

    @property
    def overdue_rules(self) -> frozenset[str]:
        return frozenset(d.rule for d in self.deadlines if d.status == DeadlineStatus.OVERDUE)

    @property
    def next_due(self) -> Deadline | None:
        """The pending deadline that ends first."""
        pending = [d for d in self.deadlines if d.pending]
        return min(pending, key=lambda d: d.due_at) if pending else None


# -- incidents ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentReport:
    """One report of a fault (the first opened the incident; later ones joined it). ``user``
    None: the system filed it (a clock found off, …)."""

    id: int
    user: UserRef | None
    at: datetime
    kind: IncidentKind
    automatic: bool
    note: str
    snapshot_sha256: str | None


@dataclass(frozen=True)
class Incident:
    """A fault and its handling by the operating unit's desk: of a camera (``camera_id``,
    ``camera_name``, ``ward``), or of the system around them (no camera; ``subject`` names
    what it is about: "gateway gw-1", "workstation 10.0.0.5", "server clock"). A camera's
    ``subject`` is its name. ``reported_by`` None: the system filed it by itself."""

    id: int
    category: IncidentCategory
    subject: str
    camera_id: int | None
    camera_name: str | None
    ward: str | None
    kind: IncidentKind
    state: IncidentState
    note: str
    automatic: bool
    reported_by: UserRef | None
    reported_at: datetime
    acknowledged_by: UserRef | None
    acknowledged_at: datetime | None
    resolved_by: UserRef | None
    resolved_at: datetime | None
    resolution: str | None
    seconds_to_acknowledge: float | None
    seconds_to_resolve: float | None
    reports: tuple[IncidentReport, ...]

    @property
    def snapshots(self) -> list[IncidentReport]:
        return [r for r in self.reports if r.snapshot_sha256]


# -- other agencies' access requests (Art. 12.2.d) -----------------------------------------------


@dataclass(frozen=True)
class RequestableCamera:
    """A camera an agency may name in an access request: what it needs to choose, no more
    (never stream URLs, credentials, the system or who runs it)."""

    id: int
    name: str
    ward: str
    location: str


@dataclass(frozen=True)
class AccessGrant:
    """Access to one camera granted for ``valid_from``..``valid_until``."""

    camera_id: int
    camera_name: str
    valid_from: datetime
    valid_until: datetime
    active: bool


@dataclass(frozen=True)
class AccessRequest:
    """Another agency's written request for access to cameras, and the grants it was given."""

    id: int
    unit: str
    requester: UserRef
    state: AccessRequestState
    content: str
    purpose: str
    commitment: str
    camera_ids: tuple[int, ...]
    wanted_from: datetime
    wanted_until: datetime
    letter: Letter
    created_at: datetime
    decided_by: UserRef | None
    decided_at: datetime | None
    reject_reason: str | None
    grants: tuple[AccessGrant, ...]

    @property
    def grant_end(self) -> datetime | None:
        """When the grant ends (the latest end of its cameras), None if never granted."""
        return max((g.valid_until for g in self.grants), default=None)

    @property
    def active_camera_ids(self) -> frozenset[int]:
        return frozenset(g.camera_id for g in self.grants if g.active)

    @property
    def running(self) -> bool:
        return bool(self.active_camera_ids)


# -- the 24/7 duty (Art. 8.1, 15.1) ----------------------------------------------------------------


@dataclass(frozen=True)
class DutyShift:
    """One shift of the IOC's duty roster: the day it starts on (UTC+7), its index among the
    day's shifts, when it runs, and who is on it."""

    day: date
    shift: int
    name: str
    start: datetime
    end: datetime
    people: tuple[UserRef, ...]
    # what the reader may do now: ``assign`` (a keeper of the roster, and the shift not ended)
    actions: tuple[str, ...]

    @property
    def names(self) -> str:
        return ", ".join(p.full_name or p.username for p in self.people)

    def may(self, action: str) -> bool:
        return action in self.actions


@dataclass(frozen=True)
class DutyPerson:
    """Someone the roster's keepers may put on a shift: an active user of the operating unit."""

    id: int
    username: str
    full_name: str
    role: Role

    @property
    def label(self) -> str:
        return self.full_name or self.username


@dataclass(frozen=True)
class HandoverItem:
    """One pending matter listed in a handover as it stood when the note was written."""

    id: int
    summary: str
    state: str


@dataclass(frozen=True)
class Handover:
    """A shift's handover note (biên bản giao ca) and its acknowledgement. The lists are what
    the server found pending when the note was written (kept as they were then).
    ``actions``: what the reader may do now (``acknowledge``)."""

    id: int
    day: date
    shift: int
    shift_name: str
    shift_end: datetime
    note: str
    written_by: UserRef
    written_at: datetime
    acknowledged_by: UserRef | None
    acknowledged_at: datetime | None
    late: bool
    open_incidents: tuple[HandoverItem, ...]
    cases_due: tuple[HandoverItem, ...]
    pending_clips: tuple[HandoverItem, ...]
    pending_access: tuple[HandoverItem, ...]
    actions: tuple[str, ...]

    def may(self, action: str) -> bool:
        return action in self.actions


# -- the audit log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    """One row of the hash-chained audit log."""

    id: int
    ts: datetime
    event: str
    user_id: int | None
    username: str | None
    camera_id: int | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainVerdict:
    """The server's check of the audit log's hash chain (``broken_id``: the first bad row)."""

    ok: bool
    rows: int
    broken_id: int | None
    reason: str | None


# -- stream sessions (the media gateway) ----------------------------------------------------------


@dataclass(frozen=True)
class StreamSession:
    """Where a viewer plays one camera stream: a session URL at the camera's media gateway
    with a token in its query (a secret: show and log it through
    ``common.stream_tokens.mask_token``). ``expires_at`` gates only the start: open it
    before then; a session already playing goes on until it is closed or revoked."""

    url: str
    expires_at: datetime


@dataclass(frozen=True)
class GatewayInfo:
    """A media gateway as its administrators see it (``/admin/gateways``): where viewers and
    the backend reach it, whether it has reported its key (passwords are sealed to it), whether
    it answers, and how many cameras it serves. Its control secret is never answered."""

    id: int
    name: str
    rtsp_host: str
    rtsp_port: int
    ptz_port: int | None  # its PTZ broker, on rtsp_host; None: its cameras get no PTZ
    control_url: str
    public_key: str | None
    is_active: bool
    last_seen_at: datetime | None
    cameras: int


@dataclass(frozen=True)
class CameraPlacement:
    """Which gateway serves a camera now, and whether that gateway holds its RTSP password."""

    camera_id: int
    gateway_id: int
    gateway: str
    has_credentials: bool


GATEWAY_UNAVAILABLE = "gateway_unavailable"
# a session refused because the camera refuses its gateway's login (a wrong password)
CAMERA_LOGIN_FAILED = "camera_login_failed"
"""The error code of a session refused because the camera's media gateway is not up (503)."""


@dataclass(frozen=True)
class PtzAccess:
    """Where and how a PTZ user speaks ONVIF to a camera: the PTZ broker of the camera's media
    gateway (its device service at ``http://<host>:<port>/onvif/device_service``), with
    ``token`` (a secret: never log it) as both the WS-Security user name and password. It
    reads the camera for anybody holding ``ptz`` on it and moves it for the lease holder only;
    ask again before ``expires_at`` (a holder gets a new one with each lease renewal)."""

    host: str
    port: int
    token: str
    expires_at: datetime

    def __repr__(self) -> str:  # never the token
        return f"PtzAccess({self.host}:{self.port}, expires_at={self.expires_at.isoformat()})"


# -- camera health --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthReport:
    """What a client saw of a camera it showed over ``from_at``..``to_at``."""

    camera_id: int
    from_at: datetime
    to_at: datetime
    live_seconds: float
    down_seconds: float
    reconnects: int

    def body(self) -> dict[str, Any]:
        """The body of ``POST /cameras/{camera_id}/health``."""
        return {"from_at": self.from_at.isoformat(), "to_at": self.to_at.isoformat(),
                "live_seconds": self.live_seconds, "down_seconds": self.down_seconds,
                "reconnects": self.reconnects}


@dataclass(frozen=True)
class StoredHealthReport(HealthReport):
    """A health report as the server stored it (its answer to the POST)."""

    id: int


# -- reading records from JSON --------------------------------------------------------------------


@dataclass(frozen=True)
class PublicCatalogue:
    """The shareable-data catalogue (Art. 14): what the public API may serve."""

    camera_ids: tuple[int, ...]
    violation_kinds: tuple[CaseKind, ...]


@dataclass(frozen=True)
class Publication:
    """A proposal to publish a case's media: its blurring, review, approval (Art. 14)."""

    id: int
    case_id: int
    camera_name: str
    kind: CaseKind
    title: str
    clip_request_id: int | None
    state: PublicationState
    tracks: tuple[Any, ...]  # [[{"t": seconds, "box": [x, y, w, h]}, ...], ...]
    proposed_by: UserRef
    proposed_at: datetime
    redacted_at: datetime | None
    redacted_sha256: str | None
    redaction_error: str | None
    reviewed_by: UserRef | None
    reviewed_at: datetime | None
    review_note: str | None
    approved_by: UserRef | None
    approved_at: datetime | None
    closed_by: UserRef | None
    closed_at: datetime | None
    close_reason: str | None
    actions: tuple[str, ...]
    updated_at: datetime

    def may(self, action: str) -> bool:
        return action in self.actions


class MalformedRecord(ValueError):
    """A JSON body does not fit the record: ``path`` says where (``Case.deadlines[0].due_at``)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


R = TypeVar("R")


def aware(value: datetime) -> datetime:
    """A naive time is UTC (what the server means by one)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def parse_time(value: str) -> datetime:
    """An ISO-8601 date-time as JSON carries it (``Z`` or an offset; none means UTC)."""
    return aware(datetime.fromisoformat(value.replace("Z", "+00:00")))


def from_json(cls: type[R], data: Any) -> R:
    """``data`` (parsed JSON) as the record ``cls``, nested records, tuples, enums, datetimes
    and all; keys the record does not know are ignored (a newer server may send more). Raises
    :class:`MalformedRecord` naming the first field that does not fit."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise TypeError(f"{cls!r} is not a record (a dataclass)")
    value: R = _convert(cls, data, cls.__name__)
    return value


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """(name, resolved type, required) of each init field of a dataclass."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name],
                  f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
                 for f in dataclasses.fields(cls) if f.init)


_ABSENT = object()


def _convert(kind: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if kind is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"{path}: only X | None unions are supported, not {kind!r}")
        return None if value is None else _convert(options[0], value, path)
    if value is None:
        raise MalformedRecord(path, "missing (null)")
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(value, Mapping):
            raise MalformedRecord(path, f"expected an object, got {_json_type(value)}")
        out: dict[str, Any] = {}
        for name, hint, required in _fields(kind):
            item = value.get(name, _ABSENT)
            if item is _ABSENT:
                if required:
                    raise MalformedRecord(f"{path}.{name}", "missing")
                continue
            out[name] = _convert(hint, item, f"{path}.{name}")
        return kind(**out)
    if origin in (tuple, list, frozenset, set):
        if not isinstance(value, (list, tuple)):
            raise MalformedRecord(path, f"expected an array, got {_json_type(value)}")
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            raise TypeError(f"{path}: only tuple[X, ...] is supported, not {kind!r}")
        items = [_convert(args[0] if args else Any, v, f"{path}[{i}]")
                 for i, v in enumerate(value)]
        return origin(items)
    if origin is dict:
        if not isinstance(value, Mapping):
            raise MalformedRecord(path, f"expected an object, got {_json_type(value)}")
        key_kind, item_kind = args or (Any, Any)
        return {_convert(key_kind, k, f"{path} key"): _convert(item_kind, v, f"{path}[{k!r}]")
                for k, v in value.items()}
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(value)
        except ValueError:
            raise MalformedRecord(path, f"not a known {kind.__name__}: {value!r}") from None
    if kind is datetime:
        if not isinstance(value, str):
            raise MalformedRecord(path, f"expected a date-time string, got {_json_type(value)}")
        try:
            return parse_time(value)
        except ValueError:
            raise MalformedRecord(path, f"not an ISO date-time: {value!r}") from None
    if kind is date:
        if not isinstance(value, str):
            raise MalformedRecord(path, f"expected a date string, got {_json_type(value)}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise MalformedRecord(path, f"not an ISO date: {value!r}") from None
    if kind is bool:
        if not isinstance(value, bool):
            raise MalformedRecord(path, f"expected true or false, got {_json_type(value)}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise MalformedRecord(path, f"expected an integer, got {_json_type(value)}")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise MalformedRecord(path, f"expected a number, got {_json_type(value)}")
        return float(value)
    if kind is str:
        if not isinstance(value, str):
            raise MalformedRecord(path, f"expected a string, got {_json_type(value)}")
        return value
    raise TypeError(f"{path}: from_json does not read {kind!r}")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
