"""Database model of the regulation: wards, units, users, cameras, grants, tokens, audit log.

Every schema change goes through an Alembic migration in ``server/alembic/versions``; a test
checks the models and the migrations agree. Enumerations are stored as plain strings (checked by
pydantic and ``server.permissions``) so the schema stays the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, on every database (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# A file's size in bytes: a two-hour clip passes 2 GiB, PostgreSQL's INTEGER does not (SQLite's
# INTEGER holds 64 bits already, so its columns stay as they are).
FileSize = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class Site(Base):
    """The site's one row, written when it is initialised (``python -m server init`` or the
    demo): a database without it is not served. ``demo`` allows the demo's documented
    password; no API sets it."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    demo: Mapped[bool] = mapped_column(Boolean)


class Ward(Base):
    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # deactivated, never deleted: cameras, units and the audit log refer to it
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    ward: Mapped[Ward | None] = relationship(lazy="joined")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # an administrator set the password (new account, reset): every route but the password
    # change and logout refuses until its owner picks their own
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())

    unit: Mapped[Unit] = relationship(lazy="joined")


class Gateway(Base):
    """A media gateway (``gateway/``): the process that holds the credentials of the cameras
    it serves and relays their streams to viewers with a session token.

    ``rtsp_host``/``rtsp_port`` are where viewers reach it (session URLs are built on them),
    ``rtsp_host``/``ptz_port`` where PTZ users reach its ONVIF broker (``gateway/ptz.py``);
    ``control_url`` is its control endpoint (revocations), ``control_secret_enc`` that
    endpoint's bearer secret, Fernet-encrypted like the other secrets at rest. ``public_key``
    is the gateway's X25519 key (base64 of 32 bytes) as it reported it: camera passwords are
    sealed to it and only the gateway's private key, which the backend never sees, opens them.
    """

    __tablename__ = "gateways"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    rtsp_host: Mapped[str] = mapped_column(String(255))
    rtsp_port: Mapped[int] = mapped_column(Integer)
    ptz_port: Mapped[int | None] = mapped_column(Integer, nullable=True)  # its PTZ broker
    control_url: Mapped[str] = mapped_column(String(500))
    control_secret_enc: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Camera(Base):
    """A camera; stream URLs carry no credentials.

    Its passwords exist here only sealed to the public key of the media gateway serving it
    (``gateway_id``; ``*_password_sealed``, base64 of a libsodium sealed box): the backend
    writes them and cannot read them back. A camera without a gateway has none. Addresses and
    user names that are not for everyone are Fernet ciphertext (``*_enc``).
    """

    __tablename__ = "cameras"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"))
    system: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(300))
    main_url: Mapped[str] = mapped_column(String(500))
    sub_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    ptz: Mapped[bool] = mapped_column(Boolean, default=False)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    rtsp_username_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    onvif_host_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    onvif_port_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    onvif_username_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    record: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    gateway_id: Mapped[int | None] = mapped_column(ForeignKey("gateways.id"), nullable=True,
                                                   index=True)
    rtsp_password_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    onvif_password_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    # how its gateway reaches it: "auto" (TCP, UDP when the camera refuses TCP), "tcp", "udp"
    transport: Mapped[str] = mapped_column(String(8), default="auto", server_default="auto")
    # deactivated: gone from every list and gateway table at once, its recordings kept
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # who owns a public-system camera (common.vocabulary.OwnerCategory): decides publication
    owner_category: Mapped[str | None] = mapped_column(String(32), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    direction: Mapped[int | None] = mapped_column(Integer, nullable=True)  # degrees, 0 = north
    # [[x, y, width, height], ...] fractions of the picture, blacked out by the gateway
    privacy_masks: Mapped[str | None] = mapped_column(Text, nullable=True)
    # when it was onboarded: a report counts its availability from then, not from the period's
    # start (NULL: onboarded before the column existed and before any audited creation)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    ward: Mapped[Ward] = relationship(lazy="joined")


class AccessGrant(Base):
    """A time-limited grant of one camera to an other agency after its written request."""

    __tablename__ = "access_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    purpose: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # the written access request it answers; None for a grant made without one
    access_request_id: Mapped[int | None] = mapped_column(ForeignKey("access_requests.id"),
                                                          nullable=True, index=True)


class AuthToken(Base):
    """A login session; only the SHA-256 of the bearer token is kept, so logout can revoke it."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class LoginThrottle(Base):
    """Failed logins in a row per user name — any name, known or not, so that the answers
    do not tell which accounts exist (``server.login_guard``)."""

    __tablename__ = "login_throttles"

    username: Mapped[str] = mapped_column(String(150), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditLog(Base):
    """Append-only, hash-chained record (``server.audit``); ids are the chain positions."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    event: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    username: Mapped[str | None] = mapped_column(String(150), nullable=True)
    camera_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The chain's tip (one row). Appends update it first, which serialises them."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditAnchor(Base):
    """The chain's tip signed with the evidence key (``server.audit_anchors``): ``body`` is the
    canonical JSON the signature covers, exactly as signed; the other columns repeat it for
    queries and are never trusted over it. Each anchor is appended to a file outside the
    database too."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, index=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(200), unique=True)  # base64 Ed25519


class Layout(Base):
    """A saved wall layout of one user, private or shared (read-only) with the owner's unit.

    ``version`` is SQLAlchemy's version counter: an update whose version is stale changes no row
    (optimistic concurrency, 409). At most one startup layout per owner (partial unique index).
    """

    __tablename__ = "layouts"
    __table_args__ = (
        UniqueConstraint("owner_id", "name", name="uq_layouts_owner_name"),
        Index("uq_layouts_one_startup_per_owner", "owner_id", unique=True,
              sqlite_where=text("is_startup"), postgresql_where=text("is_startup")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    template: Mapped[str] = mapped_column(String(32))
    grid_rows: Mapped[int] = mapped_column(Integer)
    grid_columns: Mapped[int] = mapped_column(Integer)
    shared_with_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    is_startup: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    owner: Mapped[User] = relationship(lazy="joined")
    items: Mapped[list[LayoutItem]] = relationship(
        lazy="selectin", order_by="LayoutItem.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class LayoutItem(Base):
    """One cell of a layout; refers to its camera by id (never by URL), or is empty."""

    __tablename__ = "layout_items"
    __table_args__ = (UniqueConstraint("layout_id", "position", name="uq_layout_items_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layout_id: Mapped[int] = mapped_column(ForeignKey("layouts.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(Integer)
    cell_row: Mapped[int] = mapped_column(Integer)  # 0-based, as layouts.grid.Cell
    cell_column: Mapped[int] = mapped_column(Integer)
    row_span: Mapped[int] = mapped_column(Integer)
    column_span: Mapped[int] = mapped_column(Integer)
    camera_id: Mapped[int | None] = mapped_column(ForeignKey("cameras.id"), nullable=True,
                                                  index=True)
    flags: Mapped[str] = mapped_column(Text)  # canonical JSON object


class PtzLease(Base):
    """The PTZ lease of one camera (``server.ptz_leases``). One row per camera: the row is the
    lock that serialises acquisitions, and the primary key makes two holders impossible."""

    __tablename__ = "ptz_leases"

    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"), primary_key=True,
                                           autoincrement=False)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    holder_priority: Mapped[int | None] = mapped_column(Integer, nullable=True)
    granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reserved_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PtzLeaseWaiter(Base):
    """A user waiting for a camera's PTZ lease."""

    __tablename__ = "ptz_lease_waiters"
    __table_args__ = (UniqueConstraint("camera_id", "user_id", name="uq_ptz_waiter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("ptz_leases.camera_id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    priority: Mapped[int] = mapped_column(Integer)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    polled_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PtzLeasePreemption(Base):
    """A holder that lost a camera's lease; its next request is refused with the new holder."""

    __tablename__ = "ptz_lease_preemptions"

    camera_id: Mapped[int] = mapped_column(ForeignKey("ptz_leases.camera_id"), primary_key=True,
                                           autoincrement=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True,
                                         autoincrement=False)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class RecordingSegment(Base):
    """One finished recorder segment on disk (``server.recorder``). Only retention removes rows;
    no API deletes or alters a segment (Art. 5). Times are wall-clock UTC."""

    __tablename__ = "recording_segments"
    __table_args__ = (Index("ix_recording_segments_camera_time", "camera_id", "start_at",
                            "end_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    storage_root: Mapped[str] = mapped_column(String(1000))
    path: Mapped[str] = mapped_column(String(1000), unique=True)
    size_bytes: Mapped[int] = mapped_column(FileSize)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RecordingGap(Base):
    """A span without recording (the recorder's ffmpeg died or could not connect).
    ``to_at`` stays null until recording resumes."""

    __tablename__ = "recording_gaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"), index=True)
    from_at: Mapped[datetime] = mapped_column(UTCDateTime())
    to_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reason: Mapped[str] = mapped_column(String(500))


class Bookmark(Base):
    """A moment on a camera worth keeping: its window protects the recording (evidence lock)."""

    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text)  # canonical JSON list of strings
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    author: Mapped[User] = relationship(lazy="joined")
    camera: Mapped[Camera] = relationship(lazy="joined")


class ClipRequest(Base):
    """A request to extract a clip, moving along the chain of Art. 12.2 (``server.clip_requests``).

    Every transition is a ``ClipRequestEvent`` row (who, when); the columns here are the current
    state and the people of the chain, for listing and for the manifest.
    """

    __tablename__ = "clip_requests"
    # the step guard: every UPDATE says which version it read, so of two people acting on the
    # same record at once the second changes no row and gets 409 (StaleDataError), never a
    # second approval or a step taken on a state that is gone
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requester_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    chain: Mapped[str] = mapped_column(String(32))  # auto | ward_police | written
    state: Mapped[str] = mapped_column(String(32), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    purpose: Mapped[str] = mapped_column(Text)
    commitment: Mapped[str | None] = mapped_column(Text, nullable=True)
    letter_path: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    letter_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    letter_filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    endorser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    endorsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reject_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    clip_path: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    manifest_path: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    clip_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    clip_size: Mapped[int | None] = mapped_column(FileSize, nullable=True)
    clip_start_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    camera: Mapped[Camera] = relationship(lazy="joined")
    requester: Mapped[User] = relationship(lazy="joined", foreign_keys=[requester_id])
    endorser: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[endorser_id])
    approver: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[approver_id])
    events: Mapped[list[ClipRequestEvent]] = relationship(
        lazy="selectin", order_by="ClipRequestEvent.id")


class ClipRequestEvent(Base):
    """One step of a clip request's chain of custody: who did what, when (downloads too)."""

    __tablename__ = "clip_request_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("clip_requests.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON object

    user: Mapped[User | None] = relationship(lazy="joined")


# -- violation cases, incidents, access requests ------------------------------------------------

class ViolationCase(Base):
    """A violation seen through the cameras, followed through the deadlines of Art. 11.3 and 13
    (``server.cases``). Each step's time is a column; the deadlines are computed from them."""

    __tablename__ = "violation_cases"
    # the step guard: every UPDATE says which version it read, so of two people acting on the
    # same record at once the second changes no row and gets 409 (StaleDataError), never a
    # second approval or a step taken on a state that is gone
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    note: Mapped[str] = mapped_column(Text)
    bookmark_id: Mapped[int | None] = mapped_column(ForeignKey("bookmarks.id"), nullable=True)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # who declared ``detected_at`` when it is not the moment of the evidence (NULL: it is)
    detected_declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"),
                                                                nullable=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    complex: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_kind: Mapped[str] = mapped_column(String(32), default="simple")
    # The classification the deadlines count from (``server.cases``): NULL until the case is
    # first classified (the deadlines then follow the columns above); a late reclassification
    # changes the columns above at once and these only when a police leader approves it.
    deadline_complex: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    deadline_decision_kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    handover_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    conclusion: Mapped[str | None] = mapped_column(Text, nullable=True)
    conclusion_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(),
                                                                   nullable=True)
    violator_identified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(),
                                                                   nullable=True)
    record_made_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    record_handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    public_title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    public_clip_id: Mapped[int | None] = mapped_column(ForeignKey("clip_requests.id"),
                                                       nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    camera: Mapped[Camera] = relationship(lazy="joined")
    opened_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[opened_by_id])
    detected_declared_by: Mapped[User | None] = relationship(
        lazy="joined", foreign_keys=[detected_declared_by_id])
    clips: Mapped[list[ViolationCaseClip]] = relationship(lazy="selectin",
                                                          order_by="ViolationCaseClip.id")
    events: Mapped[list[ViolationCaseEvent]] = relationship(lazy="selectin",
                                                            order_by="ViolationCaseEvent.id")
    versions: Mapped[list[ViolationCaseVersion]] = relationship(
        lazy="selectin", order_by="ViolationCaseVersion.number")


class ViolationCaseClip(Base):
    """An evidence clip of a case (a clip request on the case's camera)."""

    __tablename__ = "violation_case_clips"
    __table_args__ = (UniqueConstraint("case_id", "clip_request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("violation_cases.id"), index=True)
    clip_request_id: Mapped[int] = mapped_column(ForeignKey("clip_requests.id"))


class ViolationCaseEvent(Base):
    """One step of a case: who recorded it, when, with what."""

    __tablename__ = "violation_case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("violation_cases.id"), index=True)
    # the step's time: the server's clock when it was recorded, or the earlier time declared
    # (``declared_at``, ``declared_by_id``) where the regulation counts from an earlier event
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON object
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    user: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])
    declared_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[declared_by_id])


class ViolationCaseVersion(Base):
    """One edit of a case's record (note, kind, classification): who, when (the server's
    clock), why, the values before and after. Rows are only added: a later edit is a new row.
    The approval of a late reclassification (``server.cases``) is written once into the row
    it approves (who, when, why); ``needs_approval`` says whether it waited for one."""

    __tablename__ = "violation_case_versions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("violation_cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[str] = mapped_column(Text)  # canonical JSON object: field -> value
    after: Mapped[str] = mapped_column(Text)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approval_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    user: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])
    approved_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[approved_by_id])


class Incident(Base):
    """A fault (Art. 8, 15.4): of a camera (``camera_id``), or of the system around them
    (``category`` and ``subject``, no camera). ``open_key`` names what the incident is about
    while it is not resolved ("camera:12", "clock_drift:gateway gw-1") and is NULL after: a
    unique column, so at most one open incident per camera or subject on any database (several
    workstations, or the server's threads, filing at once meet the constraint, not a
    duplicate). ``reported_by_id`` NULL: the system filed it by itself."""

    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("open_key", name="uq_incidents_open_key"),)
    # the step guard: every UPDATE says which version it read, so of two people acting on the
    # same record at once the second changes no row and gets 409 (StaleDataError), never a
    # second approval or a step taken on a state that is gone
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(16), index=True, server_default="camera")
    camera_id: Mapped[int | None] = mapped_column(ForeignKey("cameras.id"), index=True,
                                                  nullable=True)
    subject: Mapped[str | None] = mapped_column(String(200), nullable=True)
    open_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # the release before's one-open-incident key, kept up to date for camera incidents while a
    # server of that release may still run (expand, then contract: a later migration drops it)
    open_camera_id: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32), index=True)
    note: Mapped[str] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)

    camera: Mapped[Camera | None] = relationship(lazy="joined")
    reported_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[reported_by_id])
    acknowledged_by: Mapped[User | None] = relationship(lazy="joined",
                                                        foreign_keys=[acknowledged_by_id])
    resolved_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[resolved_by_id])
    reports: Mapped[list[IncidentReport]] = relationship(lazy="selectin",
                                                         order_by="IncidentReport.id")


class IncidentReport(Base):
    """Each filing of an incident (the first and every duplicate), with its snapshot;
    ``user_id`` NULL: filed by the system."""

    __tablename__ = "incident_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text)
    snapshot_path: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)

    user: Mapped[User | None] = relationship(lazy="joined")


class AccessRequest(Base):
    """An other agency's written request to view cameras (Art. 12.2.d): content, purpose,
    commitment, the letter (PDF); granted for named cameras and a limited time, or rejected."""

    __tablename__ = "access_requests"
    # the step guard: every UPDATE says which version it read, so of two people acting on the
    # same record at once the second changes no row and gets 409 (StaleDataError), never a
    # second approval or a step taken on a state that is gone
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(32), index=True)  # requested | granted | rejected
    content: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    commitment: Mapped[str] = mapped_column(Text)
    camera_ids: Mapped[str] = mapped_column(Text)  # canonical JSON list: the cameras asked for
    wanted_from: Mapped[datetime] = mapped_column(UTCDateTime())
    wanted_until: Mapped[datetime] = mapped_column(UTCDateTime())
    letter_path: Mapped[str] = mapped_column(String(1000))
    letter_sha256: Mapped[str] = mapped_column(String(64))
    letter_filename: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reject_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    granted_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    granted_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    unit: Mapped[Unit] = relationship(lazy="joined")
    requester: Mapped[User] = relationship(lazy="joined", foreign_keys=[requester_id])
    decided_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[decided_by_id])
    grants: Mapped[list[AccessGrant]] = relationship(lazy="selectin", order_by="AccessGrant.id")


class CameraHealthReport(Base):
    """What a client saw of a camera over an interval while showing it (availability in the
    reports beside the recorder's view): seconds live, seconds down, reconnects."""

    __tablename__ = "camera_health_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    to_at: Mapped[datetime] = mapped_column(UTCDateTime())
    live_seconds: Mapped[float] = mapped_column(Float)
    down_seconds: Mapped[float] = mapped_column(Float)
    reconnects: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PublicCatalogueEntry(Base):
    """One line of the shareable-data catalogue (Art. 14), kept by administrators: a traffic
    camera (``value`` = its id) or a kind of violation (``value`` = the kind). The public API
    serves only what it lists."""

    __tablename__ = "public_catalogue"
    __table_args__ = (UniqueConstraint("dataset", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(64))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Publication(Base):
    """A proposal to publish a case's title and one evidence clip, blurred (``server.
    publications``). Only the blurred file is ever served to the public."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("violation_cases.id"), index=True)
    clip_request_id: Mapped[int | None] = mapped_column(ForeignKey("clip_requests.id"),
                                                        nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(32))
    tracks: Mapped[str] = mapped_column(Text)  # JSON: the boxes drawn (server.redaction)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    redacted_path: Mapped[str | None] = mapped_column(String(500), nullable=True)
    redacted_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    redaction_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    close_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case: Mapped[ViolationCase] = relationship(lazy="joined")
    proposed_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[proposed_by_id])
    reviewed_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[reviewed_by_id])
    approved_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[approved_by_id])
    closed_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[closed_by_id])


class DutyAssignment(Base):
    """One operator on one shift of the IOC's 24/7 duty roster (Art. 8.1, 15.1). A shift is
    named by the day it starts on (UTC+7) and its index in the day's shifts
    (``server.duty.ShiftPlan``)."""

    __tablename__ = "duty_assignments"
    __table_args__ = (UniqueConstraint("day", "shift", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    shift: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])


class Handover(Base):
    """A shift's handover note (biên bản giao ca), with what was pending when it was written
    (``snapshot``, canonical JSON: it keeps what was true then), and its acknowledgement by the
    incoming shift. One per shift."""

    __tablename__ = "handovers"
    __table_args__ = (UniqueConstraint("day", "shift"),)
    # the step guard: two acknowledgements at once, the second gets 409
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    shift: Mapped[int] = mapped_column(Integer)
    shift_end: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    written_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[written_by_id])
    acknowledged_by: Mapped[User | None] = relationship(lazy="joined",
                                                        foreign_keys=[acknowledged_by_id])
