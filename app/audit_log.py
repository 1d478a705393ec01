"""The audit viewer's client: pages of ``GET /audit``, the chain check
``GET /audit/verify`` and the Vietnamese CSV of ``GET /audit/export`` (operating unit only; the
server answers 403 to anyone else and that message is shown as it is).

A page is asked for with one row more than shown, so the viewer knows whether a next page exists
without the ``X-Total-Count`` header (the generic client returns bodies only).

Signals (AuditLogService):
    page_loaded(object): an :class:`AuditPage`.
    events_loaded(object): the event names the log holds (``list[str]``, sorted).
    verified(object): a :class:`ChainVerdict` of the whole log.
    exported(object): an :class:`AuditExport` (file saved atomically).
    failed(str): a load, verification or export failed; readable message (also on the bridge).
"""

from __future__ import annotations

import csv
import functools
import io
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.errors import BackendError
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from common.files import write_atomically
from common.records import AuditRow, ChainVerdict, MalformedRecord, from_json

# AuditRow, ChainVerdict: common.records' (the server answers with the same records); the
# widgets import them from here

log = logging.getLogger("iocwall.audit")

PAGE_SIZE = 100
MAX_EXPORT_BYTES = 256 * 1024 * 1024

# the filter's list until the server's own (GET /audit/events) arrives; any text may be typed
KNOWN_EVENTS = (
    "login", "login_failed", "login_locked", "logout", "camera_list", "camera_read",
    "camera_publish", "camera_unpublish", "view_start", "view_stop", "layout_create",
    "layout_update", "layout_delete", "ptz_lease_grant", "ptz_lease_preempt",
    "ptz_lease_release", "ptz_lease_expire", "bookmark_create", "clip_request", "clip_endorse",
    "clip_approve", "clip_reject", "clip_download", "clip_manifest_read", "case_open",
    "case_send", "case_close", "incident_report", "incident_acknowledge", "incident_resolve",
    "access_request", "access_grant", "access_reject", "access_revoke", "calendar_update",
    "calendar_confirm", "recording_gap", "recording_retention", "report_export", "audit_read",
    "audit_verify", "audit_export", "duty_assign", "handover_write", "handover_acknowledge",
)


def _unreadable_export() -> str:
    return QCoreApplication.translate("AuditLogService",
                                      "the server sent an unreadable audit export")


@dataclass(frozen=True)
class AuditFilter:
    """Rows with ``since`` ≤ ts < ``until``, of this user name, event and camera (None = any)."""

    since: datetime | None = None
    until: datetime | None = None
    username: str | None = None
    event: str | None = None
    camera_id: int | None = None

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.since is not None:
            params["since"] = _iso(self.since)
        if self.until is not None:
            params["until"] = _iso(self.until)
        if self.username:
            params["username"] = self.username
        if self.event:
            params["event"] = self.event
        if self.camera_id is not None:
            params["camera_id"] = self.camera_id
        return params


@dataclass(frozen=True)
class AuditPage:
    where: AuditFilter
    offset: int
    limit: int
    rows: tuple[AuditRow, ...]
    has_more: bool
    # the filter the following pages use: ``until`` pinned just after the first page's newest
    # row, since reading the log adds rows to it (``audit_read``) and would shift the offsets
    anchor: AuditFilter | None = None

    @property
    def first(self) -> int:
        """1-based number of the first row shown (0 when empty)."""
        return self.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)


@dataclass(frozen=True)
class AuditExport:
    path: Path
    rows: int
    chain_ok: bool
    chain_text: str = ""
    header: list[str] = field(default_factory=list)


def _iso(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def parse_row(data: Any) -> AuditRow:
    try:
        return from_json(AuditRow, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected audit row") from exc


def parse_export(content: bytes, path: Path) -> AuditExport:
    """Read back the chain line and count the rows of an export (a check that it parses)."""
    try:
        table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        chain = table[1]
        start = next(i for i, row in enumerate(table) if row and row[0] == "Số TT")
    except (UnicodeDecodeError, csv.Error, IndexError, StopIteration) as exc:
        raise BackendError(_unreadable_export()) from exc
    return AuditExport(path, sum(1 for row in table[start + 1:] if row), chain[1] == "toàn vẹn",
                       chain[2] if len(chain) > 2 else "", table[start])


class AuditBackend(Protocol):
    """The endpoints :class:`AuditLogService` uses (:class:`app.api.BackendApi`'s typed
    methods)."""

    def audit_rows(self, where: AuditFilter, *, limit: int, offset: int = 0
                   ) -> list[AuditRow]: ...
    def audit_event_names(self) -> list[str]: ...
    def verify_audit(self) -> ChainVerdict: ...
    def audit_export(self, where: AuditFilter, *, purpose: str, limit: int = ...) -> bytes: ...


class AuditLogService(QObject):
    """See the module docstring for the signals."""

    page_loaded = Signal(object)
    events_loaded = Signal(object)
    verified = Signal(object)
    exported = Signal(object)
    failed = Signal(str)

    def __init__(self, backend: AuditBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.page_size = page_size
        self.page: AuditPage | None = None
        self.verdict: ChainVerdict | None = None

    def load(self, where: AuditFilter, offset: int = 0) -> Op[AuditPage]:
        return (self._ops.run(functools.partial(self._load, where, max(0, offset)),
                              label=self.tr("Audit log"), owner=self)
                .success(self._on_page).failure(self._on_failed))

    def _load(self, where: AuditFilter, offset: int) -> AuditPage:
        rows = self._backend.audit_rows(where, limit=self.page_size + 1, offset=offset)
        anchor = where
        if offset == 0 and rows:
            pin = rows[0].ts + timedelta(microseconds=1)
            if where.until is None or where.until > pin:
                anchor = replace(where, until=pin)
        return AuditPage(where, offset, self.page_size, tuple(rows[: self.page_size]),
                         len(rows) > self.page_size, anchor)

    def _on_page(self, page: AuditPage) -> None:
        self.page = page
        self.page_loaded.emit(page)

    def next_page(self) -> None:
        page = self.page
        if page is not None and page.has_more:
            self.load(page.anchor or page.where, page.offset + page.limit)

    def previous_page(self) -> None:
        page = self.page
        if page is not None and page.offset > 0:
            self.load(page.anchor or page.where, max(0, page.offset - page.limit))

    def load_events(self) -> Op[list[str]]:
        """The event names in the log (for the filter list); ``events_loaded(list[str])``."""
        return (self._ops.run(self._events, label=self.tr("Audit log"), owner=self)
                .success(self.events_loaded.emit).failure(self._on_failed))

    def _events(self) -> list[str]:
        return self._backend.audit_event_names()

    def verify(self) -> Op[ChainVerdict]:
        return (self._ops.run(self._verify, label=self.tr("Audit chain check"), owner=self)
                .success(self._on_verified).failure(self._on_failed))

    def _verify(self) -> ChainVerdict:
        return self._backend.verify_audit()

    def _on_verified(self, verdict: ChainVerdict) -> None:
        self.verdict = verdict
        if not verdict.ok:
            self._messages.error(arg(self.tr("The audit log's hash chain is BROKEN at row %1: %2"),
                                     verdict.broken_id, verdict.reason or ""))
        self.verified.emit(verdict)

    def export(self, where: AuditFilter, path: Path, purpose: str) -> Op[AuditExport]:
        """The filtered rows as the server's Vietnamese CSV, saved atomically to ``path``;
        ``purpose``: what the export is for (Decree 13/2023: the audit keeps it)."""
        return (self._ops.run(functools.partial(self._export, where, Path(path), purpose),
                              label=self.tr("Audit export"), owner=self)
                .success(self._on_exported).failure(self._on_failed))

    def _export(self, where: AuditFilter, path: Path, purpose: str) -> AuditExport:
        body = self._backend.audit_export(where, purpose=purpose, limit=MAX_EXPORT_BYTES)
        result = parse_export(body, path)
        try:
            write_atomically(path, body)
        except OSError as exc:
            raise BackendError(arg(self.tr("cannot write %1: %2"), path,
                                   exc.strerror or type(exc).__name__)) from exc
        return result

    def _on_exported(self, result: AuditExport) -> None:
        text = self.tr("Audit log: %1 rows saved to %2")
        self._messages.info(arg(text, result.rows, result.path))
        self.exported.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, BackendError):
            text = str(error)
        else:
            log.error("audit viewer failed", exc_info=error)
            text = f"{type(error).__name__}: {error}"
        self._messages.error(arg(self.tr("Audit log: %1"), text))
        self.failed.emit(text)
