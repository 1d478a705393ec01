"""The wall's one entry point to video: play a camera in a native window, know its health.

Per tile: an :class:`~app.video.ingest.RtspIngest` thread (network, RTSP, timestamps) feeds a
:class:`~app.video.remux.TsRemuxer` → :class:`~app.video.tsbuffer.TsByteBuffer` →
:class:`~app.video.player.TilePlayer` (libvlc decodes and renders). The service itself lives on
the GUI thread: ingest threads report through a queued signal, and a watchdog timer reads the
counters, decides LIVE / STALLED / OFFLINE, and schedules reconnects with backoff. Reconnecting
always builds a fresh ingest and a fresh libvlc media (the fastest recovery measured here).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import vlc
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from app.security import mask_url
from app.video.ingest import IngestEvent, IngestOptions, RtspIngest
from app.video.player import HwDecode, TilePlayer, instance_args
from app.video.policy import Backoff, ConnectionLimiter
from app.video.remux import TsRemuxer
from app.video.status import STOPPED_STATUS, OfflineReason, StreamState, TileStatus
from app.video.tsbuffer import TsByteBuffer

log = logging.getLogger("iocwall.video")


@dataclass
class HealthPolicy:
    """When a tile counts as stalled or dead (seconds)."""

    stall_after: float = 3.0  # no new picture → STALLED
    # no packet from the camera → drop the connection and reconnect; below FFmpeg's read timeout
    # (5 s), which on a frozen camera flushes a held RTP packet and so resets the clock once
    packet_timeout: float = 4.0
    renderer_timeout: float = 10.0  # packets arrive but no picture → rebuild the pipeline
    healthy_after: float = 5.0  # LIVE this long → the next failure retries quickly again
    tick: float = 0.1  # watchdog period (also the granularity of retry delays)


@dataclass
class _Tile:
    key: str
    url: str
    window_id: int
    label: str
    player: TilePlayer
    backoff: Backoff = field(default_factory=Backoff)
    generation: int = 0
    ingest: RtspIngest | None = None
    connected_at: float | None = None
    attempt_started: float = 0.0
    state: StreamState = StreamState.CONNECTING
    reason: str | None = None
    live_since: float | None = None
    frames_seen: int = 0
    last_frame_at: float | None = None
    retry_at: float | None = None  # when OFFLINE: the time of the next connection attempt
    sample_at: float = 0.0
    sample_frames: int = 0
    sample_bytes: int = 0
    fps: float = 0.0
    bitrate_kbps: float = 0.0


class VideoService(QObject):
    """Owns the process's ``vlc.Instance`` and every tile's pipeline. GUI thread only.

    Signals:
        tile_status_changed(str, object): ``(tile_key, TileStatus)`` whenever a tile's state or
            reason changes; always delivered on the GUI thread. :meth:`status` gives fresh
            numbers (frame age, fps, bitrate) at any time.
    """

    tile_status_changed = Signal(str, object)
    _ingest_event = Signal(str, int, object)

    def __init__(
        self,
        *,
        hw_decode: HwDecode = "auto",
        muted: bool = True,
        ingest_options: IngestOptions | None = None,
        limiter: ConnectionLimiter | None = None,
        health: HealthPolicy | None = None,
        buffer_bytes: int = 2 * 1024 * 1024,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._instance: vlc.Instance | None = vlc.Instance(instance_args(hw_decode, muted))
        if self._instance is None:
            raise RuntimeError("libvlc could not start (is the libvlc package installed?)")
        self.ingest_options = ingest_options or IngestOptions(with_audio=not muted)
        self.limiter = limiter or ConnectionLimiter(8)
        self.health = health or HealthPolicy()
        self._buffer_bytes = buffer_bytes
        self._tiles: dict[str, _Tile] = {}
        self._abandoned: list[RtspIngest] = []
        self._ingest_event.connect(self._on_ingest_event, Qt.ConnectionType.QueuedConnection)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(int(self.health.tick * 1000))
        self._watchdog.timeout.connect(self._check_health)

    # -- public API -------------------------------------------------------------------------

    def play(self, tile_key: str, url: str, window_id: int, label: str) -> None:
        """Play ``url`` (credentials allowed) into the native window ``window_id``."""
        if self._instance is None:
            raise RuntimeError("the video service was shut down")
        if tile_key in self._tiles:
            self.stop(tile_key)
        tile = _Tile(
            key=tile_key, url=url, window_id=window_id, label=label,
            player=TilePlayer(self._instance, label),
        )
        self._tiles[tile_key] = tile
        log.info("%s: play %s in tile %s", label, mask_url(url), tile_key)
        self._publish(tile, StreamState.CONNECTING, None, force=True)
        self._connect(tile)
        if not self._watchdog.isActive():
            self._watchdog.start()

    def stop(self, tile_key: str) -> None:
        """Stop the tile's stream; returns at once even if the camera is frozen."""
        tile = self._tiles.pop(tile_key, None)
        if tile is None:
            return
        self._drop_ingest(tile)
        tile.player.release()
        log.info("%s: stopped tile %s", tile.label, tile_key)
        self.tile_status_changed.emit(tile_key, STOPPED_STATUS)
        if not self._tiles:
            self._watchdog.stop()

    def status(self, tile_key: str) -> TileStatus:
        """The tile's current health (STOPPED for a tile that plays nothing)."""
        tile = self._tiles.get(tile_key)
        return STOPPED_STATUS if tile is None else self._snapshot(tile)

    def tile_keys(self) -> list[str]:
        """Tiles that are playing (in any state but STOPPED)."""
        return list(self._tiles)

    def shutdown(self, join_timeout: float | None = None) -> None:
        """Stop every tile, join the ingest threads, release libvlc. Idempotent."""
        for key in list(self._tiles):
            self.stop(key)
        self._watchdog.stop()
        deadline = time.monotonic() + (
            self.ingest_options.read_timeout + 1.0 if join_timeout is None else join_timeout
        )
        for ingest in self._abandoned:
            if not ingest.join(max(0.0, deadline - time.monotonic())):
                log.warning("%s: ingest thread still blocked at shutdown", ingest.label)
        self._abandoned.clear()
        if self._instance is not None:
            self._instance.release()
            self._instance = None

    # -- pipeline ---------------------------------------------------------------------------

    def _connect(self, tile: _Tile) -> None:
        tile.retry_at = None
        tile.generation += 1
        generation = tile.generation
        buffer = TsByteBuffer(self._buffer_bytes)
        key = tile.key

        def forward(event: IngestEvent) -> None:
            # ingest thread → GUI thread
            self._ingest_event.emit(key, generation, event)

        tile.ingest = RtspIngest(
            tile.url, tile.label, [TsRemuxer(buffer, tile.label)], forward,
            self.ingest_options, self.limiter,
        )
        tile.connected_at = None
        tile.attempt_started = time.monotonic()
        tile.frames_seen = 0
        tile.last_frame_at = None
        tile.live_since = None
        tile.sample_at, tile.sample_frames, tile.sample_bytes = tile.attempt_started, 0, 0
        # libvlc starts first and waits in the read callback: its start-up overlaps the connect.
        tile.player.play(buffer, tile.window_id)
        tile.ingest.start()

    def _drop_ingest(self, tile: _Tile) -> None:
        ingest, tile.ingest = tile.ingest, None
        if ingest is not None:
            ingest.cancel()
            self._abandoned.append(ingest)
        tile.player.stop()
        tile.connected_at = None

    def _fail(self, tile: _Tile, reason: str, detail: str | None) -> None:
        """Tear the pipeline down, show OFFLINE with the reason, retry after a backoff delay."""
        self._drop_ingest(tile)
        delay = tile.backoff.next_delay()
        # a dead camera retries all night: say it once per cause, then only at debug level
        news = (tile.state, tile.reason) != (StreamState.OFFLINE, reason)
        log.log(
            logging.WARNING if news else logging.DEBUG,
            "%s: offline (%s%s), retry %d in %.1f s",
            tile.label, reason, f": {detail}" if detail else "", tile.backoff.attempts, delay,
        )
        tile.fps = tile.bitrate_kbps = 0.0
        self._publish(tile, StreamState.OFFLINE, reason)
        # the watchdog tick starts the retry when it is due (no timer objects to churn)
        tile.retry_at = time.monotonic() + delay

    @Slot(str, int, object)
    def _on_ingest_event(self, key: str, generation: int, event: IngestEvent) -> None:
        tile = self._tiles.get(key)
        if tile is None or generation != tile.generation or tile.ingest is None:
            return  # a late word from an ingest we already dropped
        if event.kind == "connected":
            tile.connected_at = time.monotonic()
        else:
            self._fail(tile, event.reason or OfflineReason.ERROR, event.detail)

    @Slot()
    def _check_health(self) -> None:
        now = time.monotonic()
        self._abandoned = [i for i in self._abandoned if not i.join(0)]
        for tile in list(self._tiles.values()):
            if tile.ingest is None:
                if tile.retry_at is not None and now >= tile.retry_at:
                    self._connect(tile)
                continue
            self._check_tile(tile, now)

    def _check_tile(self, tile: _Tile, now: float) -> None:
        assert tile.ingest is not None
        health = self.health
        frames = tile.player.displayed_pictures()
        if frames > tile.frames_seen:
            tile.frames_seen = frames
            tile.last_frame_at = now
        stats = tile.ingest.stats
        if now - tile.sample_at >= 1.0:
            elapsed = now - tile.sample_at
            tile.fps = max(0, frames - tile.sample_frames) / elapsed
            tile.bitrate_kbps = max(0, stats.bytes - tile.sample_bytes) * 8 / 1000 / elapsed
            tile.sample_at, tile.sample_frames, tile.sample_bytes = now, frames, stats.bytes

        if tile.connected_at is None:
            # FFmpeg's open timeout should end the attempt; this catches an ingest stuck anyway
            # (time spent queueing for a connection slot does not count)
            opening_limit = self.ingest_options.open_timeout + health.packet_timeout
            if stats.opening_at is not None and now - stats.opening_at > opening_limit:
                self._fail(tile, OfflineReason.TIMEOUT, "no answer while connecting")
            return
        last_packet = stats.last_packet_at or tile.connected_at
        if now - last_packet > health.packet_timeout:
            self._fail(
                tile, OfflineReason.TIMEOUT, f"no packet for {now - last_packet:.1f} s"
            )
            return
        if tile.player.has_failed():
            self._fail(tile, OfflineReason.RENDERER, "libvlc ended the stream")
            return
        picture_ref = tile.last_frame_at or tile.connected_at
        if now - picture_ref > health.renderer_timeout:
            self._fail(tile, OfflineReason.RENDERER, "packets arrive but no picture is shown")
            return
        if tile.last_frame_at is None:
            return  # connected, waiting for the first keyframe to be shown
        if now - tile.last_frame_at > health.stall_after:
            tile.live_since = None
            self._publish(tile, StreamState.STALLED, None)
        else:
            if tile.live_since is None:
                tile.live_since = now
                log.info(
                    "%s: live after %.2f s", tile.label, now - tile.attempt_started
                )
            elif now - tile.live_since > health.healthy_after:
                tile.backoff.reset()
            self._publish(tile, StreamState.LIVE, None)

    # -- status -----------------------------------------------------------------------------

    def _snapshot(self, tile: _Tile) -> TileStatus:
        age = None if tile.last_frame_at is None else time.monotonic() - tile.last_frame_at
        return TileStatus(
            state=tile.state,
            last_frame_age=age,
            reason=tile.reason,
            fps=round(tile.fps, 1),
            bitrate_kbps=round(tile.bitrate_kbps, 1),
        )

    def _publish(
        self, tile: _Tile, state: StreamState, reason: str | None, force: bool = False
    ) -> None:
        if not force and (state, reason) == (tile.state, tile.reason):
            return
        if state != tile.state:
            log.info("%s: %s → %s", tile.label, tile.state.value, state.value)
        tile.state, tile.reason = state, reason
        self.tile_status_changed.emit(tile.key, self._snapshot(tile))
