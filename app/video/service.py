"""The wall's one entry point to video: play a camera in a native window, know its health.

Per tile: an :class:`~app.video.ingest.RtspIngest` thread (network, RTSP, timestamps) feeds a
:class:`~app.video.remux.TsRemuxer` → :class:`~app.video.tsbuffer.TsByteBuffer` →
:class:`~app.video.player.TilePlayer` (libvlc decodes and renders); the remuxer also keeps the
tile's last minute in a :class:`~app.video.replay.ReplayRing`. The service itself lives on the GUI
thread: ingest threads report through a queued signal, and a watchdog timer reads the counters,
decides LIVE / STALLED / OFFLINE, and schedules reconnects with backoff. Reconnecting always
builds a fresh ingest and a fresh libvlc media (the fastest recovery measured here).

Switching streams (sub ↔ main, replay ↔ live) is make-before-break: the new pipeline renders into
a second window underneath; once libvlc has shown its first picture the service emits
``stream_switched`` (the tile raises that window) and only then stops the old pipeline.

A tile that fails (OFFLINE) keeps its last picture under the badge, and so does every reconnect
attempt until one shows a picture: the failed pipeline's ingest stops but its libvlc player is
held (waiting in its read callback, the last picture on screen), and the reconnect renders into
the tile's other window, raised like a switch once it has a picture. libvlc embeds only one
player per window: a second player given the held player's window would open a top-level window
of its own, so a tile without a second window (``spare_window`` not given) goes black instead.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import vlc
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from app.video.health import HealthPolicy, LiveSample, Verdict, judge
from app.video.ingest import IngestEvent, IngestOptions, RtspIngest, StreamInfo, Transport
from app.video.player import (
    DEFAULT_FEED,
    DecodeOptions,
    Feed,
    HwDecode,
    TilePlayer,
    caching_for,
    decoder_threads_for,
    instance_args,
)
from app.video.policy import Backoff, ConnectionLimiter
from app.video.probe import rtsp_answers
from app.video.remux import TsRemuxer
from app.video.replay import ReplayRing
from app.video.sources import SessionSource, StreamSource, describe, gateway_answers
from app.video.status import STOPPED_STATUS, OfflineReason, StreamState, TileStatus
from app.video.tsbuffer import TsByteBuffer
from app.video.x11 import keep_contents_on_expose

log = logging.getLogger("iocwall.video")

RATE_WINDOW_FRAMES = 10  # the shown frame rate is counted over at least this many frames

# reasons after which the camera may come back by itself: probe for it between full attempts
_PROBE_REASONS = {
    OfflineReason.GATEWAY, OfflineReason.REFUSED, OfflineReason.NOT_FOUND, OfflineReason.TIMEOUT,
    OfflineReason.DISCONNECTED, OfflineReason.ERROR, OfflineReason.RENDERER,
}


@dataclass
class _Pipeline:
    """One ingest (or a replay source) feeding one libvlc player in one window."""

    url: StreamSource
    window_id: int
    player: TilePlayer
    buffer: TsByteBuffer
    generation: int
    ingest: RtspIngest | None = None
    remuxer: TsRemuxer | None = None
    info: StreamInfo | None = None
    connected_at: float | None = None
    started: float = 0.0
    frames_seen: int = 0
    last_frame_at: float | None = None


@dataclass
class _Tile:
    key: str
    url: StreamSource
    window_id: int
    label: str
    transport: Transport
    spare_window: int | None = None  # the tile's second window (None: it has one only)
    first_window: int = 0  # the window play() was given (the pair is first and spare)
    muted: bool = True
    ring: ReplayRing = field(default_factory=ReplayRing)
    backoff: Backoff = field(default_factory=Backoff)
    generation: int = 0
    live: _Pipeline | None = None  # the camera's pipeline (None while OFFLINE)
    held: _Pipeline | None = None  # a failed pipeline whose player still shows the last picture
    pending: _Pipeline | None = None  # a switch being made (renders underneath)
    pending_kind: str = ""  # "switch" | "replay" | "live"
    replay: _Pipeline | None = None  # the instant replay on screen
    replay_offset: float | None = None
    switch_url: StreamSource | None = None  # a failed switch to retry
    switch_window: int = 0
    switch_retry_at: float | None = None
    state: StreamState = StreamState.CONNECTING
    reason: str | None = None
    live_since: float | None = None
    retry_at: float | None = None  # when OFFLINE: the time of the next connection attempt
    probe_at: float = 0.0
    probe: Future[bool] | None = None
    sample_at: float = 0.0
    sample_frames: int = 0
    sample_bytes: int = 0
    sample_received: int = 0  # the ingest's video frames at sample_at
    fps: float = 0.0
    bitrate_kbps: float = 0.0
    # the stream's measured frame interval (kept across reconnects: the next player starts
    # with the caching it needs)
    frame_interval: float | None = None
    decoder_threads: int | None = None  # per media, for its picture size (None: instance's)


class VideoService(QObject):
    """Owns the process's ``vlc.Instance`` and every tile's pipeline. GUI thread only.

    Signals:
        tile_status_changed(str, object): ``(tile_key, TileStatus)`` whenever a tile's state,
            reason, stream or replay changes; always delivered on the GUI thread. :meth:`status`
            gives fresh numbers (frame age, fps, bitrate, retry_in) at any time.
        stream_switched(str, int): ``(tile_key, window_id)``: the stream started by
            :meth:`switch`, :meth:`replay` or :meth:`back_to_live` shows its first picture in
            ``window_id``; raise that window now (the old pipeline stops right after).
    """

    tile_status_changed = Signal(str, object)
    stream_switched = Signal(str, int)
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
        live_buffer: float | None = 0.3,
        replay_seconds: float = 60.0,
        replay_bytes: int = 48 * 1024 * 1024,
        decode: DecodeOptions | None = None,
        feed: Feed = DEFAULT_FEED,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.decode = decode or DecodeOptions()
        self.feed = feed
        # audio is never disabled for the instance: a tile's media carries audio only once the
        # operator unmutes that tile (muted tiles do not even receive the audio stream)
        self._instance: vlc.Instance | None = vlc.Instance(
            instance_args(hw_decode, muted=False, decode=self.decode)
        )
        if self._instance is None:
            raise RuntimeError("libvlc could not start (is the libvlc package installed?)")
        self.ingest_options = ingest_options or IngestOptions(with_audio=False)
        self.default_muted = muted
        self.limiter = limiter or ConnectionLimiter(8)
        self.health = health or HealthPolicy()
        self.live_buffer = live_buffer
        self.replay_window = replay_seconds
        self.replay_bytes = replay_bytes
        self._buffer_bytes = buffer_bytes
        self._tiles: dict[str, _Tile] = {}
        self._abandoned: list[RtspIngest] = []
        self._probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="rtsp-probe")
        self._ingest_event.connect(self._on_ingest_event, Qt.ConnectionType.QueuedConnection)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(int(self.health.tick * 1000))
        self._watchdog.timeout.connect(self._check_health)

    def _watch_closely(self) -> None:
        """Something changes: the watchdog checks every ``tick`` again (until all is steady)."""
        fast = int(self.health.tick * 1000)
        if self._watchdog.interval() != fast:
            self._watchdog.setInterval(fast)

    def _watch_steadily(self) -> None:
        slow = int(max(self.health.tick, self.health.steady_tick) * 1000)
        if self._watchdog.interval() != slow:
            self._watchdog.setInterval(slow)

    @staticmethod
    def _steady(tile: _Tile) -> bool:
        return (
            tile.state is StreamState.LIVE and tile.live is not None and tile.pending is None
            and tile.replay is None and tile.switch_retry_at is None
        )

    # -- public API -------------------------------------------------------------------------

    def play(
        self, tile_key: str, url: StreamSource, window_id: int, label: str,
        *, transport: Transport | None = None, spare_window: int | None = None,
    ) -> None:
        """Play ``url`` (credentials allowed, or a gateway session source) into the native window ``window_id``.

        ``transport`` "tcp" or "udp" for this camera (None: the service's default).
        ``spare_window``: the tile's second window (the one underneath); with it a reconnect
        keeps the last picture on screen until the new one shows (``stream_switched`` then).
        """
        if self._instance is None:
            raise RuntimeError("the video service was shut down")
        if tile_key in self._tiles:
            self.stop(tile_key)
        tile = _Tile(
            key=tile_key, url=url, window_id=window_id, label=label,
            transport=transport or self.ingest_options.transport, muted=self.default_muted,
            spare_window=spare_window if spare_window != window_id else None,
            first_window=window_id,
            ring=ReplayRing(self.replay_window, self.replay_bytes),
        )
        self._tiles[tile_key] = tile
        log.info("%s: play %s in tile %s (%s)", label, describe(url), tile_key, tile.transport)
        self._publish(tile, StreamState.CONNECTING, None, force=True)
        self._connect(tile)
        self._watch_closely()
        if not self._watchdog.isActive():
            self._watchdog.start()

    def switch(self, tile_key: str, url: StreamSource, window_id: int) -> None:
        """Change the tile's stream without a black picture (make-before-break).

        The new stream renders into ``window_id`` (a window underneath the one on screen); when
        it shows its first picture, ``stream_switched`` fires and the old pipeline stops. A tile
        that has no picture now (offline, connecting) just reconnects to ``url`` there.
        """
        tile = self._tiles.get(tile_key)
        if tile is None:
            raise KeyError(f"tile {tile_key} plays nothing")
        self._watch_closely()
        tile.switch_url, tile.switch_retry_at = None, None
        if url == tile.url and tile.pending is None:
            return
        log.info("%s: switch to %s", tile.label, describe(url))
        self._drop_pending(tile)
        if tile.replay is not None:
            self._end_replay(tile)
        if tile.live is None or tile.live.last_frame_at is None or window_id == tile.window_id:
            # no live picture to switch from: plain reconnect (under the held picture, if any)
            self._drop_live(tile)
            tile.url = url
            if window_id != tile.window_id:
                self._learn_windows(tile, window_id)
                if tile.held is None:
                    tile.window_id = window_id
                    self.stream_switched.emit(tile.key, window_id)
            tile.backoff.reset()
            self._publish(tile, StreamState.CONNECTING, None)
            self._connect(tile)
            return
        tile.pending = self._new_ingest_pipeline(tile, url, window_id, replay=False)
        tile.pending_kind = "switch"

    def set_muted(self, tile_key: str, muted: bool) -> None:
        """Audio of one tile on or off; unmuting one tile mutes every other tile.

        A muted tile does not receive the camera's audio at all, so a change reconnects the
        tile's stream (with audio, or without).
        """
        tile = self._tiles.get(tile_key)
        if tile is None:
            raise KeyError(f"tile {tile_key} plays nothing")
        self._watch_closely()
        if not muted:
            for other in self._tiles.values():
                if other is not tile and not other.muted:
                    self._apply_mute(other, True)
        self._apply_mute(tile, muted)

    def replay(self, tile_key: str, seconds_back: float = 30.0, window_id: int | None = None) -> None:
        """Show the tile's last ``seconds_back`` seconds (at most what the ring holds).

        With ``window_id`` (the tile's spare window) the replay appears via ``stream_switched``
        once its first picture shows, and live keeps playing underneath. Without, the replay
        takes the tile's current window and the live player pauses (the ingest keeps running).
        """
        tile = self._tiles.get(tile_key)
        if tile is None:
            raise KeyError(f"tile {tile_key} plays nothing")
        assert self._instance is not None
        self._watch_closely()
        data, offset = tile.ring.snapshot(seconds_back)
        if not data:
            log.info("%s: nothing to replay yet", tile.label)
            return
        self._drop_pending(tile)
        if tile.replay is not None:
            self._end_replay(tile)
        if tile.held is not None:
            # the replay takes the held picture's window: a reconnect may render in the other
            self._drop_held(tile)
            window_id = None
        if window_id is not None:
            self._learn_windows(tile, window_id)
            if tile.live is not None and tile.live.window_id == window_id:
                window_id = None  # live renders there (a reconnect underneath)
        buffer = TsByteBuffer(capacity=len(data) + 4 * 188)
        buffer.write(data)
        buffer.finish()
        tile.generation += 1
        target = tile.window_id if window_id is None else window_id
        pipeline = _Pipeline(
            url="", window_id=target,
            player=TilePlayer(self._instance, f"{tile.label} replay", self.feed),
            buffer=buffer, generation=tile.generation, started=time.monotonic(),
        )
        log.info("%s: replay from %.1f s back (%d KiB)", tile.label, offset, len(data) // 1024)
        tile.replay_offset = offset
        if target == tile.window_id:
            if tile.live is not None:
                tile.live.player.stop()  # the live window is the replay's now; ingest runs on
            pipeline.player.play(buffer, target, muted=True)
            tile.replay = pipeline
            self._publish(tile, StreamState.REPLAY, None, force=True)
        else:
            pipeline.player.play(buffer, target, muted=True)
            tile.pending, tile.pending_kind = pipeline, "replay"

    def back_to_live(self, tile_key: str, window_id: int | None = None) -> None:
        """Leave replay; live comes back in ``window_id`` (or wherever it still plays)."""
        tile = self._tiles.get(tile_key)
        if tile is None:
            return
        self._watch_closely()
        if tile.pending is not None and tile.pending_kind == "replay":
            self._drop_pending(tile)
        if tile.replay is None:
            return
        live = tile.live
        if live is not None and live.player.playing and live.window_id != tile.window_id:
            # live kept playing underneath the replay: raise it, then stop the replay
            self._promote_window(tile, live.window_id)
            self._end_replay(tile)
            self._publish_current(tile, force=True)
            return
        self._end_replay(tile)
        if live is None:
            self._publish_current(tile, force=True)
            return
        # the live player gave its window to the replay: restart it on the next keyframe
        target = tile.window_id if window_id is None else window_id
        buffer = self._new_buffer()
        live.buffer, live.window_id = buffer, target
        live.frames_seen, live.last_frame_at = 0, None
        live.player.play(buffer, target, muted=tile.muted)
        if live.remuxer is not None:
            live.remuxer.retarget(buffer)
        if target != tile.window_id:
            self._promote_window(tile, target)
        tile.live_since = None
        self._publish(tile, StreamState.CONNECTING, None, force=True)

    def replay_seconds(self, tile_key: str) -> float:
        """Seconds of the tile's stream the replay ring holds now."""
        tile = self._tiles.get(tile_key)
        return 0.0 if tile is None else tile.ring.span()

    def stop(self, tile_key: str) -> None:
        """Stop the tile's stream; returns at once even if the camera is frozen."""
        tile = self._tiles.pop(tile_key, None)
        if tile is None:
            return
        self._drop_pending(tile)
        if tile.replay is not None:
            self._end_replay(tile)
        self._drop_live(tile)
        self._drop_held(tile)
        tile.ring.clear()
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

    def audio_decoded(self, tile_key: str) -> int:
        """Audio blocks libvlc has decoded for the tile's live stream (0: muted, no audio)."""
        tile = self._tiles.get(tile_key)
        if tile is None or tile.live is None:
            return 0
        return tile.live.player.decoded_audio()

    def shutdown(self, join_timeout: float | None = None) -> None:
        """Stop every tile, join the ingest threads, release libvlc. Idempotent."""
        for key in list(self._tiles):
            self.stop(key)
        self._watchdog.stop()
        self._probes.shutdown(wait=False, cancel_futures=True)
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

    def _new_buffer(self) -> TsByteBuffer:
        return TsByteBuffer(self._buffer_bytes, max_delay=self.live_buffer)

    def _tune_buffer(self, tile: _Tile, buffer: TsByteBuffer) -> None:
        """The live buffer never skips what libvlc's caching still needs to hold."""
        if self.live_buffer is not None:
            buffer.max_delay = max(self.live_buffer, caching_for(tile.frame_interval) / 1000)

    def _new_ingest_pipeline(
        self, tile: _Tile, url: StreamSource, window_id: int, replay: bool = True
    ) -> _Pipeline:
        assert self._instance is not None
        tile.generation += 1
        generation = tile.generation
        buffer = self._new_buffer()
        key = tile.key

        def forward(event: IngestEvent) -> None:
            # ingest thread → GUI thread
            self._ingest_event.emit(key, generation, event)

        # a switch's new session joins the ring only once it takes over (see _check_pending)
        remuxer = TsRemuxer(buffer, tile.label, ring=tile.ring if replay else None)
        options = replace(
            self.ingest_options, transport=tile.transport, with_audio=not tile.muted
        )
        pipeline = _Pipeline(
            url=url, window_id=window_id, player=TilePlayer(self._instance, tile.label, self.feed),
            buffer=buffer, generation=generation, remuxer=remuxer, started=time.monotonic(),
            ingest=RtspIngest(url, tile.label, [remuxer], forward, options, self.limiter),
        )
        # libvlc starts first and waits in the read callback: its start-up overlaps the connect.
        self._tune_buffer(tile, buffer)
        pipeline.player.play(buffer, window_id, muted=tile.muted,
                             caching_ms=caching_for(tile.frame_interval),
                             decoder_threads=tile.decoder_threads)
        assert pipeline.ingest is not None
        pipeline.ingest.start()
        return pipeline

    def _connect(self, tile: _Tile) -> None:
        tile.retry_at = None
        tile.probe = None
        tile.live = self._new_ingest_pipeline(tile, tile.url, self._free_window(tile))
        tile.live_since = None
        tile.sample_at, tile.sample_frames, tile.sample_bytes = time.monotonic(), 0, 0

    def _release(self, pipeline: _Pipeline) -> None:
        if pipeline.ingest is not None:
            pipeline.ingest.cancel()
            self._abandoned.append(pipeline.ingest)
            pipeline.ingest = None
        pipeline.player.release()

    def _drop_live(self, tile: _Tile) -> None:
        live, tile.live = tile.live, None
        if live is not None:
            self._release(live)

    def _other_window(self, tile: _Tile) -> int | None:
        if tile.spare_window is None:
            return None
        return tile.spare_window if tile.window_id != tile.spare_window else tile.first_window

    def _learn_windows(self, tile: _Tile, window_id: int) -> None:
        """``window_id`` (given to switch or replay) is the tile's other window."""
        if tile.spare_window is None and window_id != tile.window_id:
            tile.spare_window = window_id

    def _free_window(self, tile: _Tile) -> int:
        """The window a new live pipeline renders into: the tile's window on screen unless a
        held picture or a replay shows there (then the other one, raised at its first picture)."""
        taken = {p.window_id for p in (tile.held, tile.replay, tile.pending) if p is not None}
        if tile.window_id not in taken:
            return tile.window_id
        other = self._other_window(tile)
        if other is not None and other not in taken:
            return other
        self._drop_held(tile)  # no window left: the held picture gives way
        if tile.pending is not None and tile.pending.window_id == tile.window_id:
            self._drop_pending(tile)
        return tile.window_id

    def _hold(self, tile: _Tile, pipeline: _Pipeline) -> None:
        """Stop ``pipeline``'s ingest but keep its player: its last picture stays on screen."""
        self._drop_held(tile)
        if pipeline.ingest is not None:
            pipeline.ingest.cancel()
            self._abandoned.append(pipeline.ingest)
            pipeline.ingest = None
        # an exposed part of the window (the badge changing size) keeps the picture too
        keep_contents_on_expose(pipeline.window_id)
        tile.held = pipeline

    def _drop_held(self, tile: _Tile) -> None:
        held, tile.held = tile.held, None
        if held is not None:
            self._release(held)

    def _drop_pending(self, tile: _Tile) -> None:
        pending, tile.pending = tile.pending, None
        if pending is not None:
            self._release(pending)

    def _end_replay(self, tile: _Tile) -> None:
        replay, tile.replay = tile.replay, None
        tile.replay_offset = None
        if replay is not None:
            replay.player.release()

    def _promote_window(self, tile: _Tile, window_id: int) -> None:
        # raising a window clears it to its background until libvlc's next picture: keep the
        # old picture there instead (no black during a switch)
        keep_contents_on_expose(window_id)
        tile.window_id = window_id
        self.stream_switched.emit(tile.key, window_id)

    def _apply_mute(self, tile: _Tile, muted: bool) -> None:
        if tile.muted == muted:
            return
        tile.muted = muted
        log.info("%s: %s", tile.label, "muted" if muted else "unmuted")
        if tile.live is not None and tile.replay is None:
            # the audio stream is (not) received from now on: a fresh session
            self._drop_pending(tile)
            self._drop_live(tile)
            self._connect(tile)
            self._publish(tile, StreamState.CONNECTING, None, force=True)
        else:
            self._publish_current(tile, force=True)

    def _fail(self, tile: _Tile, reason: str, detail: str | None) -> None:
        """Tear the pipeline down, show OFFLINE with the reason, retry after a backoff delay."""
        self._watch_closely()
        live, tile.live = tile.live, None
        if live is not None:
            if (
                live.last_frame_at is not None and live.window_id == tile.window_id
                and tile.replay is None and self._other_window(tile) is not None
            ):
                self._hold(tile, live)
            else:
                self._release(live)
        self._drop_pending(tile)
        delay = tile.backoff.next_delay()
        # a dead camera retries all night: say it once per cause, then only at debug level
        news = (tile.state, tile.reason) != (StreamState.OFFLINE, reason)
        log.log(
            logging.WARNING if news else logging.DEBUG,
            "%s: offline (%s%s), retry %d in %.1f s",
            tile.label, reason, f": {detail}" if detail else "", tile.backoff.attempts, delay,
        )
        tile.fps = tile.bitrate_kbps = 0.0
        now = time.monotonic()
        # the watchdog tick starts the retry when it is due (no timer objects to churn)
        tile.retry_at = now + delay
        tile.probe_at = now + self.health.probe_interval
        if tile.replay is None:
            self._publish(tile, StreamState.OFFLINE, reason, force=True)
        else:
            tile.reason = reason

    @Slot(str, int, object)
    def _on_ingest_event(self, key: str, generation: int, event: IngestEvent) -> None:
        tile = self._tiles.get(key)
        if tile is None:
            return
        self._watch_closely()
        for pipeline in (tile.live, tile.pending):
            if pipeline is not None and pipeline.generation == generation:
                break
        else:
            return  # a late word from an ingest we already dropped
        if event.kind == "connected":
            pipeline.connected_at = time.monotonic()
            pipeline.info = event.info
            if pipeline is tile.live:
                self._learn_stream(tile, pipeline)
        elif event.kind == "info":
            pipeline.info = event.info
            if pipeline is tile.live:
                self._learn_stream(tile, pipeline)
                self._publish_current(tile, force=True)
        elif pipeline is tile.pending:
            self._pending_failed(tile, f"{event.reason}: {event.detail}")
        else:
            self._fail(tile, event.reason or OfflineReason.ERROR, event.detail)

    def _learn_stream(self, tile: _Tile, live: _Pipeline) -> None:
        """The stream's real frame interval is known: its live cache must follow it. A player
        started with too little caching for a slow stream drops late pictures and freezes, so
        it is replaced: in place while nothing is on screen yet, else by a fresh session
        rendered underneath and raised at its first picture (no black)."""
        info = live.info
        if info is None:
            return
        if info.frame_rate:
            tile.frame_interval = 1.0 / info.frame_rate
        if info.width and info.height:
            tile.decoder_threads = decoder_threads_for(info.width, info.height)
        needed = caching_for(tile.frame_interval)
        self._tune_buffer(tile, live.buffer)
        if tile.replay is not None or (
            needed <= live.player.caching_ms * 1.25
            and tile.decoder_threads == live.player.decoder_threads
        ):
            return
        log.info("%s: %s fps %d×%d: live cache %d → %d ms, decoder threads %s → %s",
                 tile.label, info.frame_rate, info.width, info.height, live.player.caching_ms,
                 needed, live.player.decoder_threads, tile.decoder_threads)
        if live.last_frame_at is None and live.remuxer is not None:
            buffer = self._new_buffer()
            self._tune_buffer(tile, buffer)
            live.buffer = buffer
            live.player.play(buffer, live.window_id, muted=tile.muted, caching_ms=needed,
                             decoder_threads=tile.decoder_threads)
            live.remuxer.retarget(buffer, at_once=True)  # the GOP so far: no GOP's wait
            live.frames_seen = 0  # a new media: libvlc counts from zero again
            tile.sample_at, tile.sample_frames = time.monotonic(), 0
            return
        other = self._other_window(tile)
        if other is not None and tile.pending is None and tile.held is None:
            tile.pending = self._new_ingest_pipeline(tile, tile.url, other, replay=False)
            tile.pending_kind = "switch"

    def _pending_failed(self, tile: _Tile, why: str) -> None:
        pending = tile.pending
        assert pending is not None
        log.warning("%s: switch to %s failed (%s); keeping the current stream",
                    tile.label, describe(pending.url), why)
        tile.switch_url, tile.switch_window = pending.url, pending.window_id
        tile.switch_retry_at = time.monotonic() + self.health.switch_retry
        self._drop_pending(tile)

    @Slot()
    def _check_health(self) -> None:
        now = time.monotonic()
        self._abandoned = [i for i in self._abandoned if not i.join(0)]
        for tile in list(self._tiles.values()):
            if tile.pending is not None:
                self._check_pending(tile, now)
            if tile.replay is not None:
                self._check_replay(tile)
            if tile.switch_retry_at is not None and now >= tile.switch_retry_at:
                url = tile.switch_url
                tile.switch_retry_at = None
                if url is not None and tile.key in self._tiles:
                    self.switch(tile.key, url, tile.switch_window)
            if tile.live is None:
                self._check_offline(tile, now)
                continue
            self._check_tile(tile, now)
        if self._tiles and all(self._steady(t) for t in self._tiles.values()):
            self._watch_steadily()
        else:
            self._watch_closely()

    def _check_offline(self, tile: _Tile, now: float) -> None:
        if tile.retry_at is None:
            return
        if tile.probe is not None and tile.probe.done():
            answered = not tile.probe.cancelled() and tile.probe.exception() is None and (
                tile.probe.result()
            )
            tile.probe = None
            if answered:
                log.info("%s: the camera answers again: reconnecting now", tile.label)
                tile.retry_at = now
        if now >= tile.retry_at:
            self._connect(tile)
            return
        if (
            tile.probe is None and tile.reason in _PROBE_REASONS and now >= tile.probe_at
            and tile.retry_at - now > self.health.probe_interval
            # behind the gateway only the gateway's return is probed: a probe of a camera there
            # would ask the backend for a session every second
            and (not isinstance(tile.url, SessionSource) or tile.reason == OfflineReason.GATEWAY)
        ):
            tile.probe_at = now + self.health.probe_interval
            try:
                tile.probe = self._probes.submit(_answers, tile.url, self.health.probe_timeout,
                                                 self.ingest_options.ca_file)
            except RuntimeError:  # shut down
                tile.probe = None

    def _check_pending(self, tile: _Tile, now: float) -> None:
        pending = tile.pending
        assert pending is not None
        if pending.player.displayed_pictures() > 0:
            tile.pending = None
            kind = tile.pending_kind
            log.info("%s: %s shows its first picture after %.2f s", tile.label, kind,
                     now - pending.started)
            self._promote_window(tile, pending.window_id)
            if kind == "replay":
                tile.replay = pending
                self._publish(tile, StreamState.REPLAY, None, force=True)
                return
            old = tile.live
            tile.live, tile.url = pending, pending.url
            pending.frames_seen, pending.last_frame_at = pending.player.new_pictures(), now
            if old is not None:
                if old.remuxer is not None:
                    old.remuxer.attach_ring(None)
                self._release(old)
            if pending.remuxer is not None:
                pending.remuxer.attach_ring(tile.ring)
            # the rate window starts from what the new player has shown already
            tile.sample_at, tile.sample_frames = now, pending.frames_seen
            if pending.ingest is not None:
                tile.sample_bytes = pending.ingest.stats.bytes
                tile.sample_received = pending.ingest.stats.video_frames
            self._publish_current(tile, force=True)
            return
        limit = self.ingest_options.open_timeout + self.health.renderer_timeout
        if now - pending.started > limit or pending.player.has_failed():
            self._pending_failed(tile, "no picture")

    def _check_replay(self, tile: _Tile) -> None:
        replay = tile.replay
        assert replay is not None
        if replay.player.has_failed():
            log.info("%s: the replay reached live", tile.label)
            self.back_to_live(tile.key)

    def _check_tile(self, tile: _Tile, now: float) -> None:
        live = tile.live
        assert live is not None and live.ingest is not None
        health = self.health
        frames = live.player.new_pictures()
        if frames > live.frames_seen:
            live.frames_seen = frames
            live.last_frame_at = now
        elif live.last_frame_at is None and live.player.first_picture_shown():
            live.last_frame_at = now  # on screen before libvlc's counter moves (see player)
        if tile.held is not None and live.last_frame_at is not None:
            # the reconnect shows a picture underneath the held one: raise it, free the old
            log.info("%s: reconnected picture replaces the held one", tile.label)
            if live.window_id != tile.window_id:
                self._promote_window(tile, live.window_id)
            self._drop_held(tile)
        stats = live.ingest.stats
        if frames == 0:
            # libvlc's counter has not moved yet: start the rate window at its first picture,
            # not at play (a window over the start-up would report a few fps for a second)
            tile.sample_at, tile.sample_frames, tile.sample_bytes = now, 0, stats.bytes
            tile.sample_received = stats.video_frames
        elif now - tile.sample_at >= max(1.0, RATE_WINDOW_FRAMES * (tile.frame_interval or 0.0)):
            # over at least 10 frames: a 5 fps stream counted over 1 s read 2.7 to 5.9
            elapsed = now - tile.sample_at
            # pictures shown, but never more than the camera sent: libvlc's counters ran to
            # twice a 5 fps 1440p camera's rate with frame-threaded decoding
            shown = max(0, frames - tile.sample_frames)
            received = max(0, stats.video_frames - tile.sample_received)
            tile.fps = min(shown, received) / elapsed
            tile.bitrate_kbps = max(0, stats.bytes - tile.sample_bytes) * 8 / 1000 / elapsed
            tile.sample_at, tile.sample_frames, tile.sample_bytes = now, frames, stats.bytes
            tile.sample_received = stats.video_frames

        judgement = judge(LiveSample(
            now=now, connected_at=live.connected_at, opening_at=stats.opening_at,
            last_packet_at=stats.last_packet_at, last_picture_at=live.last_frame_at,
            rendering=tile.replay is None and live.player.playing,
            player_failed=live.player.has_failed(),
            first_keyframe_at=stats.first_keyframe_at, frame_interval=tile.frame_interval,
            keyframe_gated=isinstance(live.url, SessionSource),
        ), health, self.ingest_options.open_timeout)
        if judgement.verdict is Verdict.FAIL:
            assert judgement.reason is not None
            self._fail(tile, judgement.reason, judgement.detail)
        elif judgement.verdict is Verdict.WAIT and tile.state is StreamState.CONNECTING:
            waiting = live.connected_at is not None and stats.first_keyframe_at is None \
                and now - live.connected_at >= 1.0
            # a wait longer than a second says what it waits for (a long GOP's key frame)
            self._publish(tile, StreamState.CONNECTING, OfflineReason.KEYFRAME if waiting else None)
        elif judgement.verdict is Verdict.STALLED:
            tile.live_since = None
            self._publish(tile, StreamState.STALLED, None)
        elif judgement.verdict is Verdict.LIVE:
            if tile.live_since is None:
                tile.live_since = now
                log.info("%s: live after %.2f s", tile.label, now - live.started)
            elif now - tile.live_since > health.healthy_after:
                tile.backoff.reset()
            self._publish(tile, StreamState.LIVE, None)

    # -- status -----------------------------------------------------------------------------

    def _snapshot(self, tile: _Tile) -> TileStatus:
        now = time.monotonic()
        live = tile.live
        last = None if live is None else live.last_frame_at
        info = None if live is None else live.info
        retry_in = None
        if tile.state is StreamState.OFFLINE and tile.retry_at is not None:
            retry_in = max(0.0, tile.retry_at - now)
        return TileStatus(
            state=tile.state,
            last_frame_age=None if last is None else now - last,
            reason=tile.reason,
            fps=round(tile.fps, 1),
            bitrate_kbps=round(tile.bitrate_kbps, 1),
            retry_in=retry_in,
            width=0 if info is None else info.width,
            height=0 if info is None else info.height,
            muted=tile.muted,
            replay_offset=tile.replay_offset if tile.state is StreamState.REPLAY else None,
            transport=tile.transport,
            waiting_s=(now - live.connected_at
                       if tile.reason == OfflineReason.KEYFRAME and live is not None
                       and live.connected_at is not None else None),
        )

    def _publish_current(self, tile: _Tile, force: bool = False) -> None:
        """Re-derive the state after a switch/replay change and publish it."""
        if tile.replay is not None:
            self._publish(tile, StreamState.REPLAY, None, force=force)
        elif tile.live is None:
            state = StreamState.OFFLINE if tile.retry_at is not None else StreamState.CONNECTING
            self._publish(tile, state, tile.reason, force=force)
        elif tile.live.last_frame_at is None:
            self._publish(tile, StreamState.CONNECTING, None, force=force)
        else:
            self._publish(tile, StreamState.LIVE, None, force=force)

    def _publish(
        self, tile: _Tile, state: StreamState, reason: str | None, force: bool = False
    ) -> None:
        if not force and (state, reason) == (tile.state, tile.reason):
            return
        if state != tile.state:
            log.info("%s: %s → %s", tile.label, tile.state.value, state.value)
        tile.state, tile.reason = state, reason
        self.tile_status_changed.emit(tile.key, self._snapshot(tile))

    def trust_site_ca(self, ca_file: str | None) -> None:
        """The CA every ``rtsps://`` gateway must prove itself against from now on (the one
        pinned for the server the user logged in to); tiles opened later use it."""
        self.ingest_options = replace(self.ingest_options, ca_file=ca_file)


def _answers(source: StreamSource, timeout: float, ca_file: str | None) -> bool:
    """The probe: the camera answers (a URL), or the gateway answers again (a session)."""
    if isinstance(source, SessionSource):
        return gateway_answers(source, timeout, ca_file)
    return rtsp_answers(source, timeout)
