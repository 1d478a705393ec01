"""What this client sees of each camera it shows, for the availability reports.

The video service tells the state of each *tile* (``tile_status_changed``); a camera may be on
several tiles (the main wall and a wall window), and a tile may change camera without stopping.
:class:`CameraStates` folds tiles into one availability per camera: UP when any of its tiles
shows a live picture (or an instant replay: the live ingest still runs), DOWN when every tile is
offline or frozen, PENDING while connecting. :class:`CameraWatch` feeds it from the video service
and a periodic sweep (which also catches a tile that changed camera without a status), with an
injectable clock so tests do not wait minutes.

:class:`HealthReporter` sends ``POST /cameras/{id}/health`` for every shown camera each minute
and when its availability changes (not more often than every 10 s per camera): the live and
down seconds and the reconnects of the interval. A camera leaving the wall sends its last one.
"""

from __future__ import annotations

import enum
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import BackendError
from app.ops import Ops
from app.video.status import StreamState
from common.records import HealthReport

# HealthReport: common.records' (the server answers with the same record, and its id)

log = logging.getLogger("iocwall.health")

Clock = Callable[[], datetime]
CameraOf = Callable[[str], "int | None"]

REPORT_PERIOD = timedelta(minutes=1)
MIN_CHANGE_REPORT = timedelta(seconds=10)
MAX_INTERVAL = timedelta(hours=1)  # the server refuses longer intervals
SWEEP_MS = 5_000


def utc_now() -> datetime:
    return datetime.now(UTC)


class Availability(enum.Enum):
    UP = "up"
    DOWN = "down"
    PENDING = "pending"


def availability(state: StreamState) -> Availability | None:
    """A tile state as availability; None for a tile that plays nothing."""
    if state in (StreamState.LIVE, StreamState.REPLAY):
        return Availability.UP
    if state in (StreamState.OFFLINE, StreamState.STALLED):
        return Availability.DOWN
    if state is StreamState.CONNECTING:
        return Availability.PENDING
    return None


@dataclass(frozen=True)
class CameraChange:
    camera_id: int
    old: Availability | None  # None: the camera was not shown
    new: Availability | None  # None: no tile shows it any more
    reason: str | None = None  # the offline reason of a DOWN tile, when there is one


class CameraStates:
    """Tiles → cameras (pure: no Qt, no clock)."""

    def __init__(self) -> None:
        self._tiles: dict[str, tuple[int, Availability, str | None]] = {}

    def camera(self, camera_id: int) -> Availability | None:
        found = [a for c, a, _r in self._tiles.values() if c == camera_id]
        if not found:
            return None
        for value in (Availability.UP, Availability.DOWN):
            if value in found:
                return value
        return Availability.PENDING

    def cameras(self) -> set[int]:
        return {c for c, _a, _r in self._tiles.values()}

    def keys(self) -> list[str]:
        return list(self._tiles)

    def reason(self, camera_id: int) -> str | None:
        return next((r for c, a, r in self._tiles.values()
                     if c == camera_id and a is Availability.DOWN and r), None)

    def update(self, key: str, camera_id: int | None, state: StreamState,
               reason: str | None = None) -> list[CameraChange]:
        """Tile ``key`` now shows ``camera_id`` in ``state``; the cameras whose availability
        changed (at most two: the tile's old camera and its new one)."""
        new = availability(state) if camera_id is not None else None
        old_entry = self._tiles.get(key)
        touched = {camera_id} if camera_id is not None else set()
        if old_entry is not None:
            touched.add(old_entry[0])
        before = {c: self.camera(c) for c in touched}
        if new is None or camera_id is None:
            self._tiles.pop(key, None)
        else:
            self._tiles[key] = (camera_id, new, reason if new is Availability.DOWN else None)
        changes = []
        for camera in sorted(touched):
            after = self.camera(camera)
            if after != before[camera]:
                changes.append(CameraChange(camera, before[camera], after, self.reason(camera)))
        return changes


class VideoSource(Protocol):
    tile_status_changed: Any  # Signal(str, TileStatus)

    def status(self, tile_key: str) -> Any: ...


class CameraWatch(QObject):
    """Feeds :class:`CameraStates` from the video service; subclasses react to per-camera
    changes (:meth:`on_change`) and to the clock (:meth:`on_tick`). ``camera_of(tile key)`` says
    which camera a tile shows now (the walls' controllers know)."""

    def __init__(self, video: VideoSource, camera_of: CameraOf, *, clock: Clock = utc_now,
                 sweep_ms: int = SWEEP_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._video = video
        self._camera_of = camera_of
        self.clock = clock
        self.states = CameraStates()
        self._timer = QTimer(self)
        self._timer.setInterval(sweep_ms)
        self._timer.timeout.connect(self.sweep)
        video.tile_status_changed.connect(self._on_status)
        self._connected = True

    def start(self) -> None:
        """Take the tiles playing now, then sweep periodically."""
        self.sweep()
        self._timer.start()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()
        if self._connected:
            self._connected = False
            self._video.tile_status_changed.disconnect(self._on_status)

    def _on_status(self, key: str, status: Any) -> None:
        self._apply(key, status, self.clock())

    def _apply(self, key: str, status: Any, now: datetime) -> None:
        state = getattr(status, "state", StreamState.STOPPED)
        camera = self._camera_of(key) if state is not StreamState.STOPPED else None
        for change in self.states.update(key, camera, state, getattr(status, "reason", None)):
            self.on_change(change, now)

    def sweep(self) -> None:
        """Re-read every known or playing tile (a switch of camera may come without a new
        status), then let the subclass act on the clock."""
        now = self.clock()
        keys = set(self.states.keys())
        tile_keys = getattr(self._video, "tile_keys", None)
        if tile_keys is not None:
            keys.update(tile_keys())
        for key in sorted(keys):
            self._apply(key, self._video.status(key), now)
        self.on_tick(now)

    def on_change(self, change: CameraChange, now: datetime) -> None:  # pragma: no cover
        """A camera's availability changed at ``now``."""

    def on_tick(self, now: datetime) -> None:  # pragma: no cover
        """Called after each sweep."""


@dataclass
class _Interval:
    start: datetime
    mark: datetime  # up to where the seconds below are counted
    current: Availability
    live: float = 0.0
    down: float = 0.0
    reconnects: int = 0

    def count(self, now: datetime) -> None:
        seconds = max(0.0, (now - self.mark).total_seconds())
        if self.current is Availability.UP:
            self.live += seconds
        elif self.current is Availability.DOWN:
            self.down += seconds
        self.mark = max(self.mark, now)


class HealthBackend(Protocol):
    """The endpoint :class:`HealthReporter` uses (:class:`app.api.BackendApi`'s)."""

    def report_health(self, report: HealthReport) -> None: ...


class HealthReporter(CameraWatch):
    """Camera health as this client sees it, to ``POST /cameras/{id}/health``.

    Signals:
        sent(object): a ``HealthReport`` the server stored.
    """

    sent = Signal(object)

    def __init__(self, backend: HealthBackend, ops: Ops, video: VideoSource, camera_of: CameraOf, *,
                 clock: Clock = utc_now, period: timedelta = REPORT_PERIOD,
                 sweep_ms: int = SWEEP_MS, parent: QObject | None = None) -> None:
        super().__init__(video, camera_of, clock=clock, sweep_ms=sweep_ms, parent=parent)
        self._backend = backend
        self._ops = ops
        self.period = period
        self._intervals: dict[int, _Interval] = {}
        self._failures = 0

    def on_change(self, change: CameraChange, now: datetime) -> None:
        interval = self._intervals.get(change.camera_id)
        if change.new is None:
            if interval is not None:
                interval.count(now)
                self._send(change.camera_id, interval, now)
                del self._intervals[change.camera_id]
            return
        if interval is None:
            self._intervals[change.camera_id] = _Interval(now, now, change.new)
            return
        interval.count(now)
        if change.old is Availability.DOWN and change.new is Availability.UP:
            interval.reconnects += 1
        interval.current = change.new
        if now - interval.start >= MIN_CHANGE_REPORT:
            self._flush(change.camera_id, interval, now)

    def on_tick(self, now: datetime) -> None:
        for camera_id, interval in list(self._intervals.items()):
            if now - interval.start >= self.period:
                interval.count(now)
                self._flush(camera_id, interval, now)

    def flush_all(self) -> None:
        """Send every camera's interval now (at logout / exit)."""
        now = self.clock()
        for camera_id, interval in list(self._intervals.items()):
            interval.count(now)
            self._flush(camera_id, interval, now)

    def _flush(self, camera_id: int, interval: _Interval, now: datetime) -> None:
        self._send(camera_id, interval, now)
        self._intervals[camera_id] = _Interval(now, now, interval.current)

    def _send(self, camera_id: int, interval: _Interval, now: datetime) -> None:
        start = max(interval.start, now - MAX_INTERVAL)
        span = (now - start).total_seconds()
        if span <= 0 or interval.live + interval.down <= 0:
            return  # nothing measured (connecting the whole time)
        scale = min(1.0, span / (interval.live + interval.down))
        report = HealthReport(camera_id, start, now, round(interval.live * scale, 3),
                              round(interval.down * scale, 3), interval.reconnects)
        (self._ops.run(functools.partial(self._post, report), label="camera health",
                       owner=self)
         .success(self._on_sent).failure(self._on_failed))

    def _post(self, report: HealthReport) -> HealthReport:
        self._backend.report_health(report)
        return report

    def _on_sent(self, report: HealthReport) -> None:
        self._failures = 0
        log.debug("camera %d health: %.0f s live, %.0f s down", report.camera_id,
                  report.live_seconds, report.down_seconds)
        self.sent.emit(report)

    def _on_failed(self, error: BaseException) -> None:
        # a measurement: lost when the server does not take it; say it in the log, once a run
        self._failures += 1
        if self._failures == 1 or not isinstance(error, BackendError):
            log.warning("camera health report not stored: %s", error)
