"""One camera connection: RTSP in via FFmpeg (PyAV), compressed packets out to sinks.

Debian's libvlc cannot open ``rtsp://`` (built without live555), and the wall must know each
stream's health itself, so the network side lives here: an ingest thread opens the camera with
FFmpeg in-process, never decodes, and hands every compressed packet to its sinks (the MPEG-TS
remuxer that feeds libvlc and, through it, the tile's instant-replay ring). One ingest is one
connection attempt and the session that follows; reconnecting is the service's decision, made on
the GUI thread with a fresh ingest (a fresh ingest + fresh media recovered fastest here).

The ingest thread never touches Qt or libvlc: it reports through ``on_event`` (the service turns
that into a queued signal) and through counters the service polls.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal, Protocol

import av
import av.error

from app.security import scrub
from app.video.policy import ConnectionLimiter
from app.video.sources import (
    SessionSource,
    SourceUnavailable,
    StreamSource,
    describe,
    gateway_answers,
    resolve,
)
from app.video.status import OfflineReason
from common.tls import NoTrustAnchor, ffmpeg_tls_options

log = logging.getLogger("iocwall.video")

Transport = Literal["tcp", "udp"]
# After a session's stream ended: how long the gateway has to answer before the tile says the
# gateway is down (on loopback or a LAN it answers in milliseconds)
GATEWAY_CHECK_S = 0.5


@dataclass(frozen=True)
class IngestOptions:
    """How to talk to the camera.

    ``open_timeout`` bounds connect + DESCRIBE/SETUP/PLAY; ``read_timeout`` bounds one blocking
    read (FFmpeg's interrupt callback); the service's watchdog catches a frozen camera sooner.
    """

    transport: Transport = "tcp"
    open_timeout: float = 5.0
    read_timeout: float = 5.0
    with_audio: bool = False
    # the site CA an rtsps:// gateway's certificate must come from (the one pinned for the
    # server); an rtsps:// URL without it is not opened
    ca_file: str | None = None

    def ffmpeg_options(self) -> dict[str, str]:
        """FFmpeg demuxer options for the RTSP input."""
        return {
            "rtsp_transport": self.transport,
            # socket I/O timeout of the RTSP demuxer, in microseconds
            "timeout": str(int(self.read_timeout * 1_000_000)),
            # no probing: the SDP (sprop-parameter-sets, framerate) already tells the codec, and
            # probing waits for ≈ 1 s of frames before the first packet is handed out
            "fflags": "nobuffer",
            "analyzeduration": "0",
            "probesize": "32",
        }


@dataclass(frozen=True)
class StreamInfo:
    """What the camera turned out to send (reported once connected, again when learnt better:
    the size from the first key frame's SPS when the SDP did not say, the frame rate measured
    from the frames' timestamps)."""

    codec: str
    width: int
    height: int
    frame_rate: float | None
    has_audio: bool
    audio_codec: str | None = None


@dataclass(frozen=True)
class IngestEvent:
    """Something the service must act on: "connected", "info" (a better :class:`StreamInfo`)
    or "ended"."""

    kind: Literal["connected", "info", "ended"]
    info: StreamInfo | None = None
    reason: str | None = None
    detail: str | None = None


class PacketSink(Protocol):
    """Receives one session's compressed packets on the ingest thread (must not block long)."""

    def begin(self, streams: Sequence[av.stream.Stream]) -> None:
        """A session starts; ``streams`` are the input streams packets will refer to."""

    def write(self, packet: av.Packet) -> None:
        """One packet with clean, increasing dts/pts (the ingest repairs missing ones)."""

    def end(self) -> None:
        """The session is over (disconnect, failure or cancel); release resources."""


def classify_error(error: BaseException) -> str:
    """Map an FFmpeg/OS error to the short reason an operator can act on."""
    if isinstance(error, av.error.HTTPUnauthorizedError):
        return OfflineReason.AUTH_FAILED
    if isinstance(error, av.error.HTTPNotFoundError):
        return OfflineReason.NOT_FOUND
    if isinstance(error, av.error.HTTPForbiddenError):
        return OfflineReason.FORBIDDEN
    if isinstance(error, ConnectionRefusedError):
        return OfflineReason.REFUSED
    if isinstance(error, av.error.ExitError | TimeoutError):
        return OfflineReason.TIMEOUT
    if isinstance(error, ConnectionResetError | BrokenPipeError | av.error.EOFError):
        return OfflineReason.DISCONNECTED
    return OfflineReason.ERROR


def _size_from_keyframe(packet: av.Packet) -> tuple[int, int]:
    """Width and height of a key frame's picture (its SPS), by decoding that one frame."""
    stream = packet.stream
    try:
        codec = av.CodecContext.create(stream.codec_context.name, "r")
        extradata = stream.codec_context.extradata
        if extradata:
            codec.extradata = extradata
        for frame in codec.decode(packet):
            return int(frame.width), int(frame.height)
        for frame in codec.decode(None):
            return int(frame.width), int(frame.height)
    except (av.FFmpegError, ValueError) as error:
        log.debug("the key frame's size is unknown: %s", error)
    return 0, 0


class _TimestampRepair:
    """Gives every packet of one stream a dts/pts, strictly increasing in dts.

    RTSP sources hand the first keyframe over without timestamps (it arrives before the first
    RTCP sync), and cameras sometimes repeat a timestamp; the MPEG-TS muxer refuses both. Packets
    without a timestamp before any reference are held and back-filled one frame apart.
    """

    def __init__(self, stream: av.stream.Stream) -> None:
        rate = getattr(stream, "average_rate", None) or getattr(stream, "guessed_rate", None)
        time_base = stream.time_base or Fraction(1, 90000)
        fps = float(rate) if rate else 25.0
        self._frame_ticks = max(1, round(1 / (fps * float(time_base))))
        self._last_dts: int | None = None
        self._held: list[av.Packet] = []

    def feed(self, packet: av.Packet) -> list[av.Packet]:
        """Packets ready to pass on (possibly several held ones, possibly none)."""
        if packet.dts is None and packet.pts is None:
            if self._last_dts is None:
                self._held.append(packet)
                return []
            packet.dts = packet.pts = self._last_dts + self._frame_ticks
        elif packet.dts is None:
            packet.dts = packet.pts
        elif packet.pts is None:
            packet.pts = packet.dts
        assert packet.dts is not None and packet.pts is not None
        out: list[av.Packet] = []
        if self._held:
            first = packet.dts - self._frame_ticks * len(self._held)
            for i, held in enumerate(self._held):
                held.dts = held.pts = first + i * self._frame_ticks
            out.extend(self._held)
            self._last_dts = self._held[-1].dts
            self._held = []
        if self._last_dts is not None and packet.dts <= self._last_dts:
            shift = self._last_dts + 1 - packet.dts
            packet.dts += shift
            packet.pts = max(packet.pts, packet.dts)
        self._last_dts = packet.dts
        out.append(packet)
        return out


class FrameClock:
    """The stream's frame interval, from its video timestamps (not from what the SDP claims).

    The median of the last deltas between frames: a gateway's burst of kept frames (1 ms apart)
    and gaps (a lost frame, a pause) are left out, so one odd delta does not move it.
    """

    WINDOW = 15
    MIN_DELTA = 0.005  # seconds: closer frames are a burst, not the camera's pace
    MAX_DELTA = 5.0

    def __init__(self) -> None:
        self._last: float | None = None
        self._deltas: list[float] = []

    def add(self, seconds: float) -> None:
        """One video frame's timestamp, in seconds."""
        last, self._last = self._last, seconds
        if last is None:
            return
        delta = seconds - last
        if self.MIN_DELTA <= delta <= self.MAX_DELTA:
            self._deltas.append(delta)
            del self._deltas[:-self.WINDOW]

    @property
    def interval(self) -> float | None:
        """Seconds between frames, once 5 deltas are known (None before)."""
        if len(self._deltas) < 5:
            return None
        ordered = sorted(self._deltas)
        return ordered[len(ordered) // 2]


class IngestStats:
    """Counters the GUI thread polls (plain attribute reads/writes; the GIL keeps them whole)."""

    def __init__(self) -> None:
        self.opening_at: float | None = None  # holds a connection slot, talking to the camera
        self.connected_at: float | None = None
        self.last_packet_at: float | None = None
        self.first_keyframe_at: float | None = None
        self.packets = 0
        self.bytes = 0
        self.keyframes = 0
        self.video_frames = 0  # video packets: one per frame the camera sent
        self.frame_interval: float | None = None  # seconds, measured (see FrameClock)


class RtspIngest:
    """One RTSP connection on its own thread, fanning packets out to sinks.

    ``on_event`` is called on the ingest thread (the service forwards it with a queued signal).
    :meth:`cancel` never blocks: a thread stuck in a read of a frozen camera is abandoned (its
    sinks are detached at once) and exits at FFmpeg's read timeout.
    """

    def __init__(
        self,
        url: StreamSource,
        label: str,
        sinks: Sequence[PacketSink],
        on_event: Callable[[IngestEvent], None],
        options: IngestOptions | None = None,
        limiter: ConnectionLimiter | None = None,
    ) -> None:
        self.url = url
        self.label = label
        self.options = options or IngestOptions()
        self.stats = IngestStats()
        self._sinks = list(sinks)
        self._on_event = on_event
        self._limiter = limiter
        self._cancelled = threading.Event()
        self._info: StreamInfo | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"ingest {label}", daemon=True
        )

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called; no more events or packets come out after it."""
        return self._cancelled.is_set()

    def start(self) -> None:
        """Connect and stream on the ingest thread."""
        self._thread.start()

    def cancel(self) -> None:
        """Stop feeding sinks and reporting; the thread exits at its next packet or timeout."""
        self._cancelled.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; True if it did."""
        if self._thread.ident is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _emit(self, event: IngestEvent) -> None:
        if not self._cancelled.is_set():
            self._on_event(event)

    def _run(self) -> None:
        reason, detail = OfflineReason.DISCONNECTED, "end of stream"
        began = False
        try:
            container = self._open()
            if container is None:
                return  # cancelled while waiting for a connection slot
            try:
                streams = self._select_streams(container)
                if not streams:
                    reason, detail = OfflineReason.NO_VIDEO, "the camera sends no video stream"
                    return
                video = container.streams.video[0]
                audio = container.streams.audio[0] if container.streams.audio else None
                info = StreamInfo(
                    codec=video.codec_context.name,
                    width=video.codec_context.width,
                    height=video.codec_context.height,
                    frame_rate=float(video.average_rate) if video.average_rate else None,
                    has_audio=len(streams) > 1,
                    audio_codec=None if audio is None else audio.codec_context.name,
                )
                self._info = info
                self.stats.connected_at = self.stats.last_packet_at = time.monotonic()
                if self._cancelled.is_set():
                    return
                log.info(
                    "%s: connected to %s (%s %dx%d, %s)",
                    self.label, describe(self.url), info.codec, info.width, info.height,
                    self.options.transport,
                )
                self._emit(IngestEvent("connected", info=info))
                for sink in self._sinks:
                    sink.begin(streams)
                began = True
                self._pump(container, streams)
            finally:
                container.close()
        except SourceUnavailable as error:
            reason, detail = error.reason, scrub(error.detail)
            if not self._cancelled.is_set():
                log.info("%s: no session to play (%s): %s", self.label, reason, detail)
        except NoTrustAnchor as error:
            reason, detail = OfflineReason.UNTRUSTED, str(error)
        except (av.FFmpegError, OSError) as error:
            reason = self._classify(error)
            # strerror only: str(error) carries the URL, credentials or session token included
            detail = scrub(error.strerror or type(error).__name__)
            if not self._cancelled.is_set():
                log.debug("%s: %s (%s): %s", self.label, reason, describe(self.url), detail)
        finally:
            if began:
                for sink in self._sinks:
                    sink.end()
            if (reason == OfflineReason.DISCONNECTED and isinstance(self.url, SessionSource)
                    and not self._cancelled.is_set()
                    and not gateway_answers(self.url, GATEWAY_CHECK_S, self.options.ca_file)):
                # a gateway ends the stream of a camera it lost; one that ended with the
                # stream is down itself: say so, not "disconnected" (the camera may be fine)
                reason, detail = OfflineReason.GATEWAY, "the media gateway does not answer"
            if not self._cancelled.is_set():
                self._emit(IngestEvent("ended", reason=reason, detail=detail))

    def _classify(self, error: BaseException) -> str:
        url = self.url.issued[0] if isinstance(self.url, SessionSource) and self.url.issued \
            else self.url
        if (isinstance(url, str) and url.startswith("rtsps://") and not self.stats.connected_at
                and isinstance(error, OSError) and error.errno == errno.EIO):
            # FFmpeg's TLS layer says EIO, and only that, when the handshake fails: a
            # certificate not from the site CA, or not naming the address dialled
            return OfflineReason.UNTRUSTED
        reason = self._classify_ffmpeg(error)
        if isinstance(self.url, SessionSource) and not self.stats.connected_at:
            if reason in (OfflineReason.REFUSED, OfflineReason.TIMEOUT):
                return OfflineReason.GATEWAY  # the camera is the gateway's business, not ours
            if reason == OfflineReason.AUTH_FAILED:
                return OfflineReason.FORBIDDEN  # the gateway refused the session (revoked)
            if isinstance(error, av.error.HTTPServerError):
                return OfflineReason.CAMERA  # 503: the gateway cannot reach the camera now
        return reason

    def _classify_ffmpeg(self, error: BaseException) -> str:
        reason = classify_error(error)
        if reason == OfflineReason.ERROR:
            # FFmpeg's interrupt callback surfaces as whatever the demuxer was doing at the time
            # (often "invalid data"); if the timeout had run out, that is what happened.
            started = self.stats.last_packet_at or self.stats.opening_at
            limit = self.options.read_timeout if self.stats.connected_at else (
                self.options.open_timeout
            )
            if started is not None and time.monotonic() - started >= 0.9 * limit:
                return OfflineReason.TIMEOUT
        return reason

    def _open(self) -> av.container.InputContainer | None:
        if self._limiter is not None and not self._limiter.acquire(self._cancelled):
            return None
        try:
            url = resolve(self.url)  # a session source asks the backend (blocking) for a URL
            self.stats.opening_at = time.monotonic()
            return av.open(
                url,
                options={**self.options.ffmpeg_options(),
                         **ffmpeg_tls_options(url, self.options.ca_file)},
                timeout=(self.options.open_timeout, self.options.read_timeout),
            )
        finally:
            if self._limiter is not None:
                self._limiter.release()

    def _select_streams(self, container: av.container.InputContainer) -> list[av.stream.Stream]:
        if not container.streams.video:
            return []
        streams: list[av.stream.Stream] = [container.streams.video[0]]
        if self.options.with_audio and container.streams.audio:
            streams.append(container.streams.audio[0])
        return streams

    def _learn(self, packet: av.Packet, clock: FrameClock) -> None:
        """What the video's packets tell beyond the SDP: the size (from the first key frame's
        SPS, when the SDP did not carry it, e.g. beside an audio track) and the real frame
        rate. A better :class:`StreamInfo` goes out as an "info" event."""
        info = self._info
        if info is None:
            return
        if packet.dts is not None and packet.time_base is not None:
            clock.add(float(packet.dts * packet.time_base))
        interval = clock.interval
        self.stats.frame_interval = interval
        better = info
        if not info.width and packet.is_keyframe:
            width, height = _size_from_keyframe(packet)
            if width:
                better = replace(better, width=width, height=height)
        if interval is not None:
            rate = round(1.0 / interval, 2)
            if info.frame_rate is None or abs(rate - info.frame_rate) > 0.2 * info.frame_rate:
                better = replace(better, frame_rate=rate)
        if better != info:
            self._info = better
            self._emit(IngestEvent("info", info=better))

    def _pump(
        self, container: av.container.InputContainer, streams: Sequence[av.stream.Stream]
    ) -> None:
        repairs = {stream.index: _TimestampRepair(stream) for stream in streams}
        video_index = streams[0].index
        clock = FrameClock()
        for packet in container.demux(list(streams)):
            if self._cancelled.is_set():
                return
            if packet.size == 0 and packet.dts is None:
                return  # PyAV's end-of-stream marker: the server closed the session
            now = time.monotonic()
            self.stats.last_packet_at = now
            self.stats.packets += 1
            self.stats.bytes += packet.size
            if packet.stream.index == video_index:
                self.stats.video_frames += 1
                if packet.is_keyframe:
                    self.stats.keyframes += 1
                    if self.stats.first_keyframe_at is None:
                        self.stats.first_keyframe_at = now
                self._learn(packet, clock)
            for ready in repairs[packet.stream.index].feed(packet):
                for sink in self._sinks:
                    sink.write(ready)
