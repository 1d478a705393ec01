"""Incidents (regulation Art. 8, 15.4) — the client of ``/incidents``.

Anyone reports a fault on a camera they may view (offline, obstructed, too dark, PTZ broken,
other) with a note and a snapshot of the tile, or a fault of the system around the cameras (a
server, the software, storage, the network: a category, a subject, a kind and a note); the
server files system faults itself too (a clock off: the reporter is then the system, no user).
The operating unit's duty desk acknowledges and resolves. The server keeps one open incident per
camera, and per subject and kind: a second report, from this or another workstation, joins it
(the answer then carries more than one report).

:class:`OfflineWatcher` files an incident by itself when a camera this client shows has been
down (offline or frozen, on every tile showing it) for 5 minutes: once per outage and camera;
a camera seen live again may be filed again after its next 5 minutes. Its clock is injectable.

The list is ``IncidentService.list``, an :class:`app.polled.PolledList` (its ``item_changed``
carries an incident a step answered, for the panel's row).

Signals (IncidentService):
    incidents_changed(list): the incidents of the current state filter (``Incident``), newest
        first.
    open_count_changed(int): open (not acknowledged) incidents, for the desk's badge.
    incident_changed(object): an ``Incident`` the user reported on or acted on.
    reported(object, bool): ``(incident, opened)``: a report was stored; ``opened`` is False
        when it joined the open incident of the camera (or subject).
    action_failed(str): a report/acknowledge/resolve failed; the server's message.
    snapshot_loaded(int, int, bytes, str): ``(incident id, report id, image, content type)``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

from app.bookmarks import vn_text
from app.errors import BackendError
from app.health_reports import (
    SWEEP_MS,
    Availability,
    CameraChange,
    CameraOf,
    CameraWatch,
    Clock,
    VideoSource,
    utc_now,
)
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import PolledList, report_action_failure
from common.records import Incident, MalformedRecord, from_json
from common.records import IncidentReport as IncidentReport
from common.vocabulary import IncidentCategory, IncidentKind, IncidentState

# Incident, IncidentReport: common.records' (the server answers with the same records); the
# widgets import them from here

log = logging.getLogger("iocwall.incidents")

POLL_INTERVAL_MS = 20_000
OFFLINE_AFTER = timedelta(minutes=5)
RETRY_AFTER = timedelta(minutes=1)
MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024


class IncidentBackend(Protocol):
    """The endpoints :class:`IncidentService` uses (:class:`app.api.BackendApi`'s typed
    methods)."""

    def incidents(self, state: IncidentState | str | None = None,
                  category: IncidentCategory | str | None = None) -> list[Incident]: ...
    def report_incident(self, camera_id: int, kind: IncidentKind | str, note: str = "", *,
                        automatic: bool = False, snapshot: bytes | None = None,
                        snapshot_type: str = "image/jpeg") -> Incident: ...
    def report_fault(self, category: IncidentCategory | str, subject: str,
                     kind: IncidentKind | str, note: str = "") -> Incident: ...
    def acknowledge_incident(self, incident_id: int) -> Incident: ...
    def resolve_incident(self, incident_id: int, resolution: str) -> Incident: ...
    def incident_snapshot(self, incident_id: int, report_id: int, *,
                          limit: int = ...) -> tuple[bytes, str]: ...



def parse_incident(data: Any) -> Incident:
    try:
        return from_json(Incident, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected incident record") from exc


def snapshot_type(content: bytes) -> str | None:
    """The media type of a JPEG or PNG snapshot, None for anything else."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


# one fetch: the state filter it used, its incidents, and the open ones (the badge)
_Lists = tuple[str | None, list[Incident], list[Incident]]


class IncidentService(QObject):
    """Report, list, acknowledge and resolve; see the module docstring for the signals."""

    incidents_changed = Signal(list)
    open_count_changed = Signal(int)
    incident_changed = Signal(object)
    reported = Signal(object, bool)
    action_failed = Signal(str)
    snapshot_loaded = Signal(int, int, bytes, str)

    def __init__(self, backend: IncidentBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, poll_interval_ms: int = POLL_INTERVAL_MS,
                 notify_new: bool = False) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.notify_new = notify_new  # the duty desk is told of each new incident
        self._seen_open: set[int] | None = None
        self.list: PolledList[Incident, str | None, _Lists] = PolledList(
            ops, self._fetch, None, items_of=lambda lists: lists[1], on_answer=self._on_lists,
            interval_ms=poll_interval_ms, label=self.tr("Incidents"), logger=log, parent=self)
        self.list.items_changed.connect(self.incidents_changed)

    # -- list ----------------------------------------------------------------------------------
    @property
    def state_filter(self) -> str | None:
        return self.list.where

    @property
    def incidents(self) -> list[Incident]:
        return self.list.items

    def start_polling(self) -> None:
        self.list.start()

    def stop_polling(self) -> None:
        self.list.stop()

    @property
    def polling(self) -> bool:
        return self.list.active

    def set_state_filter(self, state: str | None) -> None:
        self.list.set_filter(state or None)

    def refresh(self) -> None:
        self.list.refresh()

    def _fetch(self, state: str | None) -> _Lists:
        listed = self._backend.incidents(state)
        if state == IncidentState.OPEN:
            return state, listed, listed
        opened = self._backend.incidents(IncidentState.OPEN)
        return state, listed, opened

    def _on_lists(self, result: _Lists, _current: bool) -> None:
        """Every answer counts for the badge and the desk's notifications."""
        _state, _listed, opened = result
        ids = {i.id for i in opened}
        if self.notify_new and self._seen_open is not None:
            for incident in opened:
                if incident.id not in self._seen_open:
                    self._messages.warning(
                        arg(self.tr("New incident #%1: %2 — %3"), incident.id, incident.subject,
                            kind_text(incident.kind)))
        self._seen_open = ids
        self.open_count_changed.emit(len(opened))

    # -- report ---------------------------------------------------------------------------------
    def report(self, camera_id: int, kind: str, note: str = "", snapshot: bytes | None = None,
               *, automatic: bool = False) -> Op[tuple[Incident, bool]]:
        """File a fault on ``camera_id`` (with a JPEG/PNG ``snapshot`` when given)."""
        kind = IncidentKind(kind).value
        return (self._ops.run(functools.partial(self.report_blocking, camera_id, kind, note,
                                                snapshot, automatic),
                              label=self.tr("Fault report"), owner=self)
                .success(self._on_reported).failure(self._on_action_failed))

    def report_blocking(self, camera_id: int, kind: str, note: str = "",
                        snapshot: bytes | None = None,
                        automatic: bool = False) -> tuple[Incident, bool]:
        """The call itself (worker thread): ``(incident, opened by this report)``."""
        if snapshot:
            media = snapshot_type(snapshot)
            if media is None:
                raise BackendError("snapshot: not a JPEG or PNG image")
            if len(snapshot) > MAX_SNAPSHOT_BYTES:
                raise BackendError("snapshot: larger than 5 MB")
            incident = self._backend.report_incident(camera_id, kind, note, automatic=automatic,
                                                     snapshot=snapshot, snapshot_type=media)
        else:
            incident = self._backend.report_incident(camera_id, kind, note, automatic=automatic)
        # 201 opened it, 200 joined: this report is the incident's only one iff it opened it
        return incident, len(incident.reports) == 1

    def report_fault(self, category: str, subject: str, kind: str,
                     note: str = "") -> Op[tuple[Incident, bool]]:
        """File a fault of the system (no camera): ``subject`` says what it is about."""
        category = IncidentCategory(category).value
        kind = IncidentKind(kind).value
        return (self._ops.run(functools.partial(self.report_fault_blocking, category, subject,
                                                kind, note),
                              label=self.tr("Fault report"), owner=self)
                .success(self._on_reported).failure(self._on_action_failed))

    def report_fault_blocking(self, category: str, subject: str, kind: str,
                              note: str = "") -> tuple[Incident, bool]:
        incident = self._backend.report_fault(category, subject, kind, note)
        return incident, len(incident.reports) == 1

    def _on_reported(self, result: tuple[Incident, bool]) -> None:
        incident, opened = result
        log.info("incident %d (%s): %s", incident.id, incident.subject,
                 "opened" if opened else "joined")
        if opened:
            self._messages.info(arg(self.tr("Fault reported: incident #%1 (%2) opened"), incident.id,
                                    incident.subject))
        else:
            self._messages.info(arg(self.tr("Fault reported: added to open incident #%1 (%2)"),
                                    incident.id, incident.subject))
        self.reported.emit(incident, opened)
        self.incident_changed.emit(incident)
        self.list.replace(incident)

    # -- the duty desk --------------------------------------------------------------------------
    def acknowledge(self, incident_id: int) -> Op[Incident]:
        return self._step(functools.partial(self._backend.acknowledge_incident, incident_id),
                          self.tr("Acknowledge incident"))

    def resolve(self, incident_id: int, resolution: str) -> Op[Incident]:
        return self._step(functools.partial(self._backend.resolve_incident, incident_id,
                                            resolution), self.tr("Resolve incident"))

    def _step(self, work: Callable[[], Incident], label: str) -> Op[Incident]:
        return (self._ops.run(work, label=label, owner=self)
                .success(self._on_incident).failure(self._on_action_failed))

    def _on_incident(self, incident: Incident) -> None:
        log.info("incident %d (%s): %s", incident.id, incident.subject, incident.state)
        self.incident_changed.emit(incident)
        self.list.replace(incident)

    def load_snapshot(self, incident_id: int, report_id: int) -> Op[tuple[bytes, str]]:
        return (self._ops.run(functools.partial(self._backend.incident_snapshot, incident_id,
                                                report_id, limit=MAX_SNAPSHOT_BYTES + 1024),
                              label=self.tr("Snapshot"), owner=self)
                .success(lambda pair: self.snapshot_loaded.emit(incident_id, report_id,
                                                                pair[0], pair[1]))
                .failure(self._on_action_failed))

    def _on_action_failed(self, error: BaseException) -> None:
        self.action_failed.emit(report_action_failure(self._messages, log, self.tr("Incident: %1"),
                                                      error))


def kind_text(kind: str) -> str:
    texts: dict[str, object] = {
        IncidentKind.OFFLINE: QT_TRANSLATE_NOOP("IncidentService", "offline"),
        IncidentKind.OBSTRUCTED: QT_TRANSLATE_NOOP("IncidentService", "obstructed"),
        IncidentKind.TOO_DARK: QT_TRANSLATE_NOOP("IncidentService", "too dark"),
        IncidentKind.PTZ_BROKEN: QT_TRANSLATE_NOOP("IncidentService", "PTZ broken"),
        IncidentKind.CLOCK_DRIFT: QT_TRANSLATE_NOOP("IncidentService", "clock off"),
        IncidentKind.GATEWAY_DOWN: QT_TRANSLATE_NOOP("IncidentService", "gateway down"),
        IncidentKind.STREAM_LOST: QT_TRANSLATE_NOOP("IncidentService", "stream lost"),
        IncidentKind.RECORDER_STOPPED: QT_TRANSLATE_NOOP("IncidentService", "recording stopped"),
        IncidentKind.DISK_FULL: QT_TRANSLATE_NOOP("IncidentService", "disk full"),
        IncidentKind.STORAGE_FAILURE: QT_TRANSLATE_NOOP("IncidentService", "storage failure"),
        IncidentKind.DATABASE_UNREACHABLE: QT_TRANSLATE_NOOP("IncidentService", "database unreachable"),
        IncidentKind.PROCESS_RESTARTED: QT_TRANSLATE_NOOP("IncidentService", "process restarted"),
        IncidentKind.SOFTWARE_ERROR: QT_TRANSLATE_NOOP("IncidentService", "software error"),
        IncidentKind.NETWORK_DOWN: QT_TRANSLATE_NOOP("IncidentService", "network down"),
        IncidentKind.OTHER: QT_TRANSLATE_NOOP("IncidentService", "other"),
    }
    text = texts.get(kind)
    return kind if text is None else QCoreApplication.translate("IncidentService", str(text))


class OfflineWatcher(CameraWatch):
    """Files an ``offline`` incident (``automatic``) for a camera this client has shown down for
    :data:`OFFLINE_AFTER`; once per outage. The server joins reports of other workstations.

    Signals:
        filed(object, bool): ``(incident, opened)`` after an automatic report was stored.
    """

    filed = Signal(object, bool)

    def __init__(self, backend: IncidentBackend, ops: Ops, messages: MessageBridge,
                 video: VideoSource, camera_of: CameraOf, *, clock: Clock = utc_now,
                 after: timedelta = OFFLINE_AFTER, sweep_ms: int = SWEEP_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(video, camera_of, clock=clock, sweep_ms=sweep_ms, parent=parent)
        self._service = IncidentService(backend, ops, messages, self)
        self._ops = ops
        self._messages = messages
        self.after = after
        self.down_since: dict[int, datetime] = {}
        self._reasons: dict[int, str | None] = {}
        self.filed_cameras: set[int] = set()
        self._filing: set[int] = set()
        self._retry_at: dict[int, datetime] = {}  # a failed filing waits a minute

    def on_change(self, change: CameraChange, now: datetime) -> None:
        camera = change.camera_id
        if change.new is Availability.DOWN:
            self.down_since.setdefault(camera, now)
            self._reasons[camera] = change.reason
        elif change.new is Availability.UP or change.new is None:
            # live again (or no longer shown): the outage is over for this client
            self.down_since.pop(camera, None)
            self._reasons.pop(camera, None)
            self.filed_cameras.discard(camera)
        # PENDING (a reconnect attempt shown as connecting) keeps the outage running

    def on_tick(self, now: datetime) -> None:
        for camera, since in list(self.down_since.items()):
            if camera in self.filed_cameras or camera in self._filing \
                    or now < self._retry_at.get(camera, now):
                continue
            if now - since >= self.after:
                self._file(camera, since)

    def _file(self, camera_id: int, since: datetime) -> None:
        self._filing.add(camera_id)
        minutes = int(self.after.total_seconds() // 60)
        note = arg(QCoreApplication.translate(
            "OfflineWatcher", "No picture since %1 (UTC+7), %2 min or more; filed by the client"),
            vn_text(since), minutes)
        reason = self._reasons.get(camera_id)
        if reason:
            note += f" ({reason})"
        (self._ops.run(functools.partial(self._service.report_blocking, camera_id,
                                         IncidentKind.OFFLINE.value, note, None, True),
                       label="automatic incident", owner=self)
         .success(functools.partial(self._on_filed, camera_id))
         .failure(functools.partial(self._on_failed, camera_id)))

    def _on_filed(self, camera_id: int, result: tuple[Incident, bool]) -> None:
        self._filing.discard(camera_id)
        incident, opened = result
        if camera_id in self.down_since:  # still down: do not file this outage again
            self.filed_cameras.add(camera_id)
        log.info("%s: offline for %s: incident %d %s", incident.subject, self.after,
                 incident.id, "opened" if opened else "joined")
        self._messages.warning(
            arg(QCoreApplication.translate(
                "OfflineWatcher", "%1 has been offline for %3 min: incident #%2 filed"),
                incident.subject, incident.id, int(self.after.total_seconds() // 60)))
        self.filed.emit(incident, opened)

    def _on_failed(self, camera_id: int, error: BaseException) -> None:
        # tried again at the next sweep; logged, not posted (it may repeat every few seconds)
        self._filing.discard(camera_id)
        self._retry_at[camera_id] = self.clock() + RETRY_AFTER
        log.warning("camera %d: automatic incident not filed: %s", camera_id, error)
