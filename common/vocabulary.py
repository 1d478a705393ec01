"""The words client and server exchange: every enumerated value of the API, defined once.

The values are what travels in JSON and query strings (``StrEnum``: a member equals its string).
Where a response schema types a field as a plain string, these are still the only values the
server writes (tests/test_contract_openapi.py checks the schema's enums against these).
"""

from __future__ import annotations

from enum import StrEnum


class CameraStream(StrEnum):
    """A camera's two streams: the full picture and the small one for crowded walls (the
    session route's ``{stream}``, a stream token's ``stream``, the wall's choice)."""

    MAIN = "main"
    SUB = "sub"


class CameraTransport(StrEnum):
    """How a camera's gateway reaches it over RTSP (viewers always reach the gateway by TCP)."""

    AUTO = "auto"  # TCP, then UDP when the camera refuses TCP (461)
    TCP = "tcp"
    UDP = "udp"


# -- who may do what (regulation Art. 11, 12; server.permissions applies them) ------------------


class Action(StrEnum):
    """What a user may do with a camera; the server lists them per camera, in this order."""

    VIEW = "view"
    PTZ = "ptz"
    BOOKMARK = "bookmark"
    REQUEST_CLIP = "request_clip"
    APPROVE_CLIP = "approve_clip"
    ADMIN = "admin"


class UnitKind(StrEnum):
    OPERATING_UNIT = "operating_unit"
    CITY_POLICE = "city_police"
    TRAFFIC_POLICE = "traffic_police"
    URBAN_ORDER = "urban_order"
    WARD_POLICE = "ward_police"
    WARD_COMMITTEE = "ward_committee"
    OTHER_AGENCY = "other_agency"


class Role(StrEnum):
    LEADER = "leader"
    OFFICER = "officer"
    OPERATOR = "operator"
    ADMIN = "admin"


class CameraSystem(StrEnum):
    """The three camera systems of the regulation (Art. 3, 6, 7)."""

    SMART_CITY = "smart_city"
    PUBLIC = "public"
    TRAFFIC = "traffic"


class OwnerCategory(StrEnum):
    """Who owns a camera connected to the public system (Art. 3.6, 7): an administrator says so
    when onboarding it, and it decides whether the camera may ever be published (Art. 14)."""

    SCHOOL = "school"
    HOSPITAL = "hospital"
    AGENCY = "agency"
    HOUSEHOLD = "household"
    BUSINESS = "business"
    OTHER = "other"


# Pictures of children, patients and homes stay off the public app (Art. 14), whatever an
# administrator asks: these owners' cameras can never be made public.
NEVER_PUBLIC_OWNERS = frozenset({OwnerCategory.SCHOOL, OwnerCategory.HOSPITAL,
                                 OwnerCategory.HOUSEHOLD})


# Art. 11.3.a, 14: only the media of traffic violations may ever be published
TRAFFIC_CASE_KINDS = frozenset({"red_light", "lane", "stopping_parking", "other_traffic"})


class PublicationState(StrEnum):
    """A proposal to publish a case (Art. 14): an operator proposes, the clip is blurred where
    they drew, someone reviews the blurred clip, an IOC leader approves; withdrawn at once."""

    REDACTING = "redacting"  # the server is blurring the clip
    REDACTION_FAILED = "redaction_failed"
    REDACTED = "redacted"  # waits for its review
    REVIEWED = "reviewed"  # waits for a leader
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_PUBLICATION_STATES = frozenset({PublicationState.REDACTING, PublicationState.REDACTED,
                                     PublicationState.REVIEWED, PublicationState.PUBLISHED})


class CatalogueDataset(StrEnum):
    """What the shareable-data catalogue of Art. 14 lists: traffic cameras the public may see,
    and the kinds of violation whose media may be published."""

    TRAFFIC_CAMERA = "traffic_camera"
    VIOLATION_MEDIA = "violation_media"


class ImportAction(StrEnum):
    """What a camera import (``POST /admin/cameras/import``) does with one row of the file."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


class Scope(StrEnum):
    """Where a permission rule applies (a column of docs/permissions.md)."""

    CITY_WIDE = "city_wide"
    OWN_WARD = "own_ward"
    GRANTED_CAMERAS = "granted_cameras"


# -- clip requests (Art. 12.2) ------------------------------------------------------------------


class ClipState(StrEnum):
    REQUESTED = "requested"
    ENDORSED = "endorsed"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXTRACTING = "extracting"
    READY = "ready"
    DELIVERED = "delivered"
    FAILED = "failed"


class ClipBox(StrEnum):
    """Which clip requests ``GET /clips?box=`` lists."""

    MINE = "mine"
    AWAITING = "awaiting"  # awaiting the reader's endorsement or approval
    RECEIVED = "received"  # evidence of the cases sent to the reader's unit
    ALL = "all"


class ClipChain(StrEnum):
    """Who decides a request: nobody more (auto), the ward police leader then city police, or
    the operating unit on an agency's written request."""

    AUTO = "auto"
    WARD_POLICE = "ward_police"
    WRITTEN = "written"


# -- violation cases (Art. 11.3, 13) ------------------------------------------------------------


class CaseKind(StrEnum):
    RED_LIGHT = "red_light"
    LANE = "lane"
    STOPPING_PARKING = "stopping_parking"
    OTHER_TRAFFIC = "other_traffic"
    PUBLIC_ORDER = "public_order"
    OTHER = "other"


class CaseState(StrEnum):
    OPENED = "opened"
    SENT = "sent"
    CONCLUDED = "concluded"
    CONCLUSION_REPORTED = "conclusion_reported"
    RECORD_MADE = "record_made"
    DECIDED = "decided"
    CLOSED = "closed"


class CaseAction(StrEnum):
    """The procedure's steps, in order (``POST /cases/{id}/{action}``)."""

    SEND = "send"
    CONCLUDE = "conclude"
    REPORT_CONCLUSION = "report_conclusion"
    IDENTIFY_VIOLATOR = "identify_violator"
    MAKE_RECORD = "make_record"
    HAND_OVER = "hand_over"
    DECIDE = "decide"
    CLOSE = "close"


class CaseRecordAction(StrEnum):
    """What may be done to a case's record beside the steps (``Case.record_actions``): edit it
    (a new version: ``POST /cases/{id}/edit``), approve a pending reclassification
    (``POST /cases/{id}/versions/{n}/approve``)."""

    EDIT = "edit"
    APPROVE_VERSION = "approve_version"


class CaseVersionStatus(StrEnum):
    """A version of a case's record. ``applied``: its values count at once (deadlines too);
    ``pending``: a reclassification after the case was sent, the deadlines still count from the
    classification before it until a police leader approves; ``approved``: a leader approved
    it (or made it); ``superseded``: pending, and a later version changed the same
    classification, so it can no longer be approved."""

    APPLIED = "applied"
    PENDING = "pending"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


class DeadlineStatus(StrEnum):
    DONE = "done"
    DONE_LATE = "done_late"
    DUE = "due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


PENDING_DEADLINES = frozenset({DeadlineStatus.DUE, DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE})
"""A deadline not met yet (what ``GET /cases?deadline=`` filters on)."""


class DecisionKind(StrEnum):
    SIMPLE = "simple"  # 7 working days
    TRANSFERRED = "transferred"  # 10 working days
    EXPLANATION = "explanation"  # explanation requested or facts to verify: 1 month
    ESPECIALLY_COMPLEX = "especially_complex"  # 2 months


# -- incidents (faults of cameras and of the system around them) ---------------------------------


class IncidentCategory(StrEnum):
    """What a fault is of, as the operating unit administers it (Art. 10: servers, software,
    storage; Art. 8: the cameras and their connections). A workstation counts as software: it
    is the client the operating unit installs and keeps, not a server, not the network."""

    CAMERA = "camera"
    SOFTWARE = "software"
    SERVER = "server"
    STORAGE = "storage"
    NETWORK = "network"


class IncidentKind(StrEnum):
    """The faults, after the event lists of the common video management systems: a camera's
    own, then the system's (the site's clocks, gateways, recording, disks, database, network)."""

    OFFLINE = "offline"
    OBSTRUCTED = "obstructed"
    TOO_DARK = "too_dark"
    PTZ_BROKEN = "ptz_broken"
    CLOCK_DRIFT = "clock_drift"
    GATEWAY_DOWN = "gateway_down"
    STREAM_LOST = "stream_lost"
    RECORDER_STOPPED = "recorder_stopped"
    DISK_FULL = "disk_full"
    STORAGE_FAILURE = "storage_failure"
    DATABASE_UNREACHABLE = "database_unreachable"
    PROCESS_RESTARTED = "process_restarted"
    SOFTWARE_ERROR = "software_error"
    NETWORK_DOWN = "network_down"
    OTHER = "other"


# the kinds a report of each category may name, in the order a form offers them
INCIDENT_KINDS: dict[IncidentCategory, tuple[IncidentKind, ...]] = {
    IncidentCategory.CAMERA: (IncidentKind.OFFLINE, IncidentKind.OBSTRUCTED,
                              IncidentKind.TOO_DARK, IncidentKind.PTZ_BROKEN, IncidentKind.OTHER),
    IncidentCategory.SOFTWARE: (IncidentKind.SOFTWARE_ERROR, IncidentKind.PROCESS_RESTARTED,
                                IncidentKind.CLOCK_DRIFT, IncidentKind.OTHER),
    IncidentCategory.SERVER: (IncidentKind.GATEWAY_DOWN, IncidentKind.CLOCK_DRIFT,
                              IncidentKind.DATABASE_UNREACHABLE, IncidentKind.PROCESS_RESTARTED,
                              IncidentKind.OTHER),
    IncidentCategory.STORAGE: (IncidentKind.DISK_FULL, IncidentKind.STORAGE_FAILURE,
                               IncidentKind.RECORDER_STOPPED, IncidentKind.OTHER),
    IncidentCategory.NETWORK: (IncidentKind.NETWORK_DOWN, IncidentKind.STREAM_LOST,
                               IncidentKind.OTHER),
}


class IncidentState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


# -- other agencies' access requests (Art. 12.2.d) and reports (Art. 15.3) ----------------------


class AccessRequestState(StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REJECTED = "rejected"


class ReportKind(StrEnum):
    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"
    YEARLY = "yearly"
    AD_HOC = "ad_hoc"


class ReportFormat(StrEnum):
    """``GET /reports?format=``: the figures as JSON, or the files (CSV, PDF)."""

    JSON = "json"
    CSV = "csv"
    PDF = "pdf"


# -- the audit log (Art. 5) ---------------------------------------------------------------------


class ViewEvent(StrEnum):
    """The audit events a client reports itself (``POST /audit/events``)."""

    VIEW_START = "view_start"
    VIEW_STOP = "view_stop"


class ProbeFailure(StrEnum):
    """Why an ONVIF onboarding probe (the gateway's ``POST /probe``, the backend's
    ``POST /admin/cameras/probe``) failed; the answer names the step that failed too."""

    UNREACHABLE = "unreachable"  # no TCP connection to the host and port entered
    NOT_ONVIF = "not_onvif"  # something answers, but not ONVIF SOAP
    AUTH_FAILED = "auth_failed"  # the camera refused the user name and password
    CLOCK_SKEW = "clock_skew"  # the camera's clock is too far off to be trusted
    NO_STREAM = "no_stream"  # no profile or stream URI, or its RTSP DESCRIBE failed
    STREAM_UNPLAYABLE = "stream_unplayable"  # described, but no key frame or unknown codec
    TIMEOUT = "timeout"  # the probe's deadline passed (the step it was at is named)
