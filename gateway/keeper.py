"""The GOP keeper: one camera stream's ingest, keeping the latest key frame and the frames since.

A viewer of a relayed camera waits for the camera's next key frame before its first picture: up
to a whole GOP (10 s on cameras with long GOPs; measured 3.7–7.3 s at GOP 10 s). The keeper ends
that wait. One upstream ``rtspsrc`` per camera stream, shared by every viewer, is depayloaded
and parsed into whole access units (SPS/PPS before every key frame) that an ``appsink`` hands
to Python; the keeper keeps the buffers since the last key frame. Each viewer has its own small
pipeline (:data:`VIEWER_PIPELINE`, a :class:`Feed`): when it starts, the kept GOP is pushed into
it at once with its timestamps cleared, and it joins the live list under the same lock, so it
sees every frame once and in order. ``do-timestamp`` stamps the frames as they leave the
viewer's ``appsrc``: the kept GOP goes out as a burst (the viewer decodes the key frame at once
and catches up to live), then live frames at the camera's pace. Keeping the camera's timestamps
instead made viewers wait or stall (``../shared/notes/video-pipeline.md``, measured). The burst
makes these timestamps unfit for recording: the recorder reads the stream's live mount
(``/cam/<id>/<stream>/live``), whose feeds (``live=True``) skip the kept GOP and start at the
ingest's next key frame, so every frame is stamped as it arrives (the camera's pace, DTS
always growing) from the same ingest as the viewers'.

The ingest is built from what the camera announces (its SDP, :class:`Announce`): one video
branch (H.264 or H.265: depayloader, then a parser that puts the parameter sets, in-band or
only out-of-band in the SDP's ``sprop-*``, before every key frame) and, when the camera sends
G.711 or AAC, one audio branch; other streams are not set up. Viewer pipelines follow the same
announce (:func:`viewer_pipeline`): video on ``pay0``, audio on ``pay1``. A camera without audio
has no audio branch anywhere, so nothing waits for audio that never comes.

GStreamer's RTSP server answers a DESCRIBE only once every stream of the viewer's media has
given a buffer. The first viewer of an idle camera would wait for the camera's next key frame
(measured at GOP 12 s: DESCRIBE answered after 11.9 s, PyAV's 5 s open gave up): a viewer
with nothing kept gets one access unit delimiter at once (:data:`VideoCodec.filler`, no
picture), so its DESCRIBE is answered, and its first picture is the camera's first key frame.

The upstream's life (:class:`UpstreamState`): every attempt that fails before its first key
frame backs off (1, 2, 4 … 30 s) whatever made it fail, also a camera that refuses at once;
while backing off, viewers are refused without touching the camera. Wrong credentials mark the
stream ``auth_failed``; after :data:`AUTH_LOCKOUT_AFTER` in a row the camera is tried at most
once every :data:`AUTH_RETRY_S` (a camera locks an account that keeps failing). A connection
that plays resets both; a new configuration for the camera is a new keeper.

Transport ``auto`` asks for TCP first and falls back to UDP when the camera refuses TCP (461,
which ``rtspsrc`` reports as "no supported stream") or sends nothing interleaved within
:data:`DATA_TIMEOUT_S`; the fallback is remembered for the keeper's life. The camera's login
(Digest, ``qop``, Basic) is not ``rtspsrc``'s: see :mod:`gateway.camera_login`.

Threads: samples arrive on the ingest's streaming thread; feeds start on their ``appsrc``'s
streaming thread (``need-data``); attach/detach come from GStreamer's RTSP threads; the bus
watch and the start/stop of the ingest run on the GLib main loop. The keeper's state is under
its one lock; no GStreamer state change happens under it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstSdp  # noqa: E402

log = logging.getLogger("iocwall.gateway")

APPSRC = "appsrc is-live=true format=time max-bytes=0 do-timestamp=true"
APPSINK = "appsink emit-signals=true sync=false"
# A camera that never sends a key frame again must not grow the kept GOP without end: past
# this many bytes the GOP is dropped, and new viewers wait for the next key frame. A 4K
# camera at 5 fps with a 10 s GOP keeps ≈ 10–20 MB.
MAX_GOP_BYTES = 64 * 1024 * 1024
BURST_STEP_NS = 1_000_000
# A viewer waits this long for the camera's SDP; then it is served the last one known (or
# H.264 without audio), and ended if the camera's SDP says otherwise. Cameras answer DESCRIBE
# in milliseconds; the lab's cameras without a key frame on connect take up to a GOP.
ANNOUNCE_TIMEOUT_S = 1.5

DATA_TIMEOUT_S = 5.0  # after its SDP, a camera that sends no RTP packet for this long failed
BACKOFF_S = (1, 2, 4, 8, 16, 30)
AUTH_LOCKOUT_AFTER = 3
AUTH_RETRY_S = 60
PLAYED_ENOUGH_S = 10.0  # a connection this long resets the backoff when it ends
UPSTREAM_LATENCY_MS = 100
UPSTREAM_TIMEOUT_US = 5_000_000  # rtspsrc: UDP silent this long → its own retry
PROTOCOLS = {"tcp": GstRtsp.RTSPLowerTrans.TCP, "udp": GstRtsp.RTSPLowerTrans.UDP}


@dataclass(frozen=True)
class VideoCodec:
    name: str  # as the control endpoint says it
    ingest: str  # depayload and parse into whole access units, parameter sets before each IDR
    pay: str
    caps: str
    filler: bytes  # an access unit delimiter: a buffer that is no picture
    decoder: str = ""  # to black out privacy masks, the pictures themselves


@dataclass(frozen=True)
class AudioCodec:
    name: str
    ingest: str
    pay: str


VIDEO = {
    "H264": VideoCodec(
        "h264", "rtph264depay ! h264parse config-interval=-1 ! "
        "video/x-h264,stream-format=byte-stream,alignment=au",
        "rtph264pay pt=96 config-interval=-1",
        "video/x-h264,stream-format=byte-stream,alignment=au", b"\x00\x00\x00\x01\x09\xf0",
        "avdec_h264"),
    "H265": VideoCodec(
        "h265", "rtph265depay ! h265parse config-interval=-1 ! "
        "video/x-h265,stream-format=byte-stream,alignment=au",
        "rtph265pay pt=96 config-interval=-1",
        "video/x-h265,stream-format=byte-stream,alignment=au",
        b"\x00\x00\x00\x01\x46\x01\x50", "avdec_h265"),
}
AUDIO = {
    "PCMA": AudioCodec("pcma", "rtppcmadepay", "rtppcmapay pt=8"),
    "PCMU": AudioCodec("pcmu", "rtppcmudepay", "rtppcmupay pt=0"),
    # both AAC payloads go to viewers as mpeg4-generic (what FFmpeg and GStreamer read)
    "MPEG4-GENERIC": AudioCodec("aac", "rtpmp4gdepay ! aacparse", "rtpmp4gpay pt=97"),
    "MP4A-LATM": AudioCodec("aac", "rtpmp4adepay ! aacparse", "rtpmp4gpay pt=97"),
}


@dataclass(frozen=True)
class Announce:
    """The streams of a camera's SDP that the gateway passes on (the first of each kind it
    can)."""

    video: str | None = None  # an encoding name of VIDEO
    audio: str | None = None  # an encoding name of AUDIO
    video_index: int = -1
    audio_index: int = -1

    @property
    def codecs(self) -> tuple[str, str | None]:
        return (VIDEO[self.video].name if self.video else "",
                AUDIO[self.audio].name if self.audio else None)


GUESS = Announce("H264", video_index=0)


def parse_sdp(sdp: GstSdp.SDPMessage) -> Announce:
    video = audio = None
    video_index = audio_index = -1
    for index in range(sdp.medias_len()):
        media = sdp.get_media(index)
        kind = media.get_media()
        rtpmap = media.get_attribute_val("rtpmap") or ""
        match = re.match(r"\s*\d+\s+([^/\s]+)", rtpmap)
        encoding = match.group(1).upper() if match else ""
        if kind == "video" and video is None and encoding in VIDEO:
            video, video_index = encoding, index
        elif kind == "audio" and audio is None and encoding in AUDIO:
            audio, audio_index = encoding, index
    return Announce(video, audio, video_index, audio_index)


# A masked stream is decoded, blacked out and encoded again as H.264: no viewer and no recording
# ever holds the masked pixels. A key frame every MASKED_KEY_FRAMES frames (2 s at 25 fps).
MASKED_KEY_FRAMES = 50
# Whole pictures, not slices from parallel threads: a viewer's first picture was cut in half.
MASKED_ENCODER = ("x264enc tune=zerolatency sliced-threads=false speed-preset=veryfast "
                  f"bframes=0 key-int-max={MASKED_KEY_FRAMES} ! h264parse config-interval=-1 ! "
                  "video/x-h264,stream-format=byte-stream,alignment=au")
Mask = tuple[float, float, float, float]


def masks_svg(masks: tuple[Mask, ...]) -> str:
    """The masks as an SVG stretched over the picture (``rsvgoverlay fit-to-frame``)."""
    rects = "".join(f'<rect x="{x * 10000:.0f}" y="{y * 10000:.0f}" width="{w * 10000:.0f}" '
                    f'height="{h * 10000:.0f}" fill="black"/>' for x, y, w, h in masks)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="10000" '
            f'viewBox="0 0 10000 10000" preserveAspectRatio="none">{rects}</svg>')


def masked_ingest(encoding: str) -> str:
    """The video branch of a masked camera: its codec decoded, the masks drawn (the element
    ``privacy``, whose ``data`` is :func:`masks_svg`), H.264 out."""
    codec = VIDEO[encoding]
    # "first": the branch's way in; rsvgoverlay's SVG input pad must not be mistaken for it
    return (f"identity name=first ! {codec.ingest} ! {codec.decoder} ! videoconvert ! "
            "rsvgoverlay name=privacy fit-to-frame=true ! videoconvert ! "
            f"video/x-raw,format=I420 ! {MASKED_ENCODER}")


def viewer_pipeline(announce: Announce) -> str:
    """A viewer's pipeline for this announce: the camera's codecs, payloaded again."""
    assert announce.video is not None
    parts = [f"{APPSRC} name=vsrc caps={VIDEO[announce.video].caps} ! "
             f"{VIDEO[announce.video].pay} name=pay0"]
    if announce.audio is not None:
        parts.append(f"{APPSRC} name=asrc ! {AUDIO[announce.audio].pay} name=pay1")
    return "( " + " ".join(parts) + " )"


class Feed:
    """One viewer's ``appsrc``s (video, and audio when the camera has some). ``playing``: it
    has had a key frame and takes every frame.

    The kept GOP leaves the appsrc as a burst, and ``do-timestamp`` gives its frames the same
    time, to the microsecond: a player cannot tell their order by time, and FFmpeg's probe
    (hence PyAV's ``av.open``) waits for frames whose times grow before it returns (measured: a
    0.6 s first picture instead of 0.1 s). A probe on the appsrc spaces them 1 ms apart, later
    frames after them, until the camera's own pace takes over (then the probe goes: no cost per
    frame once live). 250 kept frames (10 s at 25 fps) end 0.25 s ahead of the clock. Audio is
    stamped as it arrives, by the same pipeline clock as the live video.
    """

    def __init__(self, appsrc: Gst.Element, audio: Gst.Element | None = None,
                 live: bool = False, filler: bytes = b"",
                 codecs: tuple[str, str | None] | None = None) -> None:
        self.appsrc = appsrc
        self.audio = audio
        self.filler = filler
        self.codecs = codecs  # (video, audio) its pipeline was built for
        self.live = live  # no kept GOP: starts at the ingest's next key frame
        self.caps: Gst.Caps | None = None
        self.audio_caps: Gst.Caps | None = None
        self.ready = False  # its pipeline runs and asked for data
        self.playing = False
        self.ended = False
        self.last_pts: int | None = None
        appsrc.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, self._space_burst)

    def _space_burst(self, _pad: Gst.Pad, info: Gst.PadProbeInfo) -> Gst.PadProbeReturn:
        buffer = info.get_buffer()
        if buffer is None or buffer.pts == Gst.CLOCK_TIME_NONE:
            return Gst.PadProbeReturn.OK
        last = self.last_pts
        if last is not None and buffer.pts > last + BURST_STEP_NS:
            return Gst.PadProbeReturn.REMOVE  # the camera's pace: nothing to space any more
        if last is not None:
            buffer.pts = buffer.dts = last + BURST_STEP_NS
        self.last_pts = buffer.pts
        return Gst.PadProbeReturn.OK

    def push(self, buffer: Gst.Buffer, caps: Gst.Caps | None) -> None:
        if caps is not None and caps is not self.caps:
            self.caps = caps
            self.appsrc.set_property("caps", caps)
        self.appsrc.emit("push-buffer", _unstamped(buffer))

    def push_audio(self, buffer: Gst.Buffer, caps: Gst.Caps | None) -> None:
        if self.audio is None or caps is None:
            return
        if caps is not self.audio_caps:
            self.audio_caps = caps
            self.audio.set_property("caps", caps)
        self.audio.emit("push-buffer", _unstamped(buffer))

    def end(self, started: bool) -> None:
        """The upstream is gone. A viewer still being prepared (no frame yet) gets an error,
        hence a refusal (503); a playing one gets the end of the stream (and is cut)."""
        if self.ended:
            return
        self.ended = True
        if started:
            self.appsrc.emit("end-of-stream")
            if self.audio is not None:
                self.audio.emit("end-of-stream")
            return
        error = GLib.Error.new_literal(Gst.ResourceError.quark(), "camera stream lost",
                                       int(Gst.ResourceError.READ))
        self.appsrc.post_message(Gst.Message.new_error(self.appsrc, error, "upstream ended"))


def _unstamped(buffer: Gst.Buffer) -> Gst.Buffer:
    # A copy shares the memory (no bytes copied) and is ours to stamp: the viewer's clock
    # gives it its time as it leaves the appsrc.
    copy = buffer.copy()
    copy.pts = Gst.CLOCK_TIME_NONE
    copy.dts = Gst.CLOCK_TIME_NONE
    copy.duration = Gst.CLOCK_TIME_NONE
    return copy


@dataclass
class UpstreamState:
    """What the control endpoint says of a camera stream's connection (no secret in it)."""

    state: str = "idle"  # idle, connecting, connected, auth_failed, failed
    failures: int = 0  # attempts in a row that failed (any cause)
    auth_failures: int = 0  # of which, in a row, the camera refused the credentials
    next_attempt: float = 0.0  # monotonic: no attempt before this
    last_error: str = ""
    transport: str = ""  # tcp or udp: what the last attempt asked for
    connected_at: float = 0.0

    def refusal(self, now: float) -> str | None:
        """Why a viewer is refused now without trying the camera, or None."""
        wait = self.next_attempt - now
        if wait <= 0:
            return None
        if self.state == "auth_failed":
            return f"Camera login failed, next attempt in {wait:.0f} s"
        return f"Camera unreachable ({self.last_error}), next attempt in {wait:.0f} s"


class GopKeeper:
    """One camera stream's shared ingest and its kept GOP, while at least one viewer is attached.

    ``configure(rtspsrc)`` sets the upstream's location, credentials and options; ``on_lost()``
    is called on the main loop when the upstream ends or fails under playing viewers.
    """

    def __init__(self, label: str, configure: Callable[[Gst.Element], None],
                 on_lost: Callable[[], None], transport: str = "auto",
                 clock: Callable[[], float] = time.monotonic,
                 masks: tuple[Mask, ...] = ()) -> None:
        """``masks``: privacy masks; the stream is then re-encoded (:func:`masked_ingest`)."""
        self.label = label
        self.masks = masks
        self._configure = configure
        self._on_lost = on_lost
        self._transport = transport
        self._protocol = "udp" if transport == "udp" else "tcp"
        self._clock = clock
        self.lock = threading.Lock()
        self.feeds: list[Feed] = []  # attached: waiting for need-data, a key frame, or playing
        self.gop: list[Gst.Buffer] = []  # the last key frame first, then the frames since
        self.gop_bytes = 0
        self.caps: Gst.Caps | None = None
        self.audio_caps: Gst.Caps | None = None
        self.pipeline: Gst.Element | None = None
        self.announce: Announce | None = None  # the running ingest's, once its SDP came
        self.announced = threading.Event()  # set when announce is known or the attempt ended
        self.last_announce: Announce | None = None  # kept across ingests: what stats show
        self.bytes_in = 0
        self.frames_in = 0
        self.packets_in = 0  # RTP packets of the running ingest
        self.connected = False  # the ingest has given a key frame since it started
        self.upstream = UpstreamState()
        self.video_info: dict[str, Any] = {}
        self.audio_info: dict[str, Any] = {}
        self._frame_times: list[int] = []  # PTS of the first frames: the camera's fps

    # -- admission (RTSP threads) ------------------------------------------------------------
    def refusal(self) -> str | None:
        """Why a new viewer is refused now (the camera is backing off), or None."""
        with self.lock:
            if self.pipeline is not None:
                return None
            return self.upstream.refusal(self._clock())

    def prepare(self, timeout: float = ANNOUNCE_TIMEOUT_S) -> Announce | None:
        """The announce a new viewer's pipeline follows: start the ingest if none runs, and
        wait for the camera's SDP (past ``timeout``: a guess, see :data:`ANNOUNCE_TIMEOUT_S`);
        None when the camera is backing off or failed."""
        deadline = time.monotonic() + timeout
        with self.lock:
            if self.pipeline is None:
                if self.upstream.refusal(self._clock()) is not None:
                    return None
                self._start_locked()
            event = self.announced
        while event.wait(max(0.0, deadline - time.monotonic())):
            with self.lock:
                if self.pipeline is None:
                    return None  # the attempt failed
                if self.announce is not None:
                    return self.announce
                if event is self.announced:
                    return None
                event = self.announced  # restarted over UDP: wait for its SDP
        with self.lock:
            if self.pipeline is None:
                return None
            guess = self.last_announce or GUESS
        log.info("%s: no SDP from the camera within %.1f s; serving %s%s meanwhile",
                 self.label, timeout, VIDEO[guess.video or "H264"].name,
                 f" and {AUDIO[guess.audio].name}" if guess.audio else "")
        return guess

    def attach(self, feed: Feed) -> None:
        """A viewer's media is being configured (after :meth:`prepare`)."""
        with self.lock:
            self.feeds.append(feed)
            if self.pipeline is None:  # the attempt failed since prepare()
                feed.ended = True
        feed.appsrc.connect("need-data", self._on_need_data, feed)

    def detach(self, feed: Feed) -> None:
        """A viewer's media is gone: stop the ingest after the last (on the main loop)."""
        with self.lock:
            if feed in self.feeds:
                self.feeds.remove(feed)
            last = not self.feeds
        if last:
            GLib.idle_add(self._stop_if_unwatched)

    def _on_need_data(self, _appsrc: Gst.Element, _length: int, feed: Feed) -> None:
        """The viewer's pipeline runs: hand it the kept GOP, then every frame from now on."""
        with self.lock:
            if feed.ready or feed.ended or feed not in self.feeds:
                return
            feed.ready = True
            if feed.live:
                return  # starts at the ingest's next key frame (_on_video)
            if self.gop:
                for buffer in self.gop:
                    feed.push(buffer, self.caps)
                feed.playing = True
            else:
                # nothing kept: no picture, but the server can answer the DESCRIBE
                feed.push(Gst.Buffer.new_wrapped(feed.filler), None)

    # -- ingest (its streaming threads) ------------------------------------------------------
    def _start_locked(self) -> None:
        self.announce = None
        self.announced = threading.Event()
        self.packets_in = 0
        self.upstream.state = "connecting"
        self.upstream.transport = self._protocol
        pipeline = Gst.Pipeline.new(None)
        src = Gst.ElementFactory.make("rtspsrc", "src")
        pipeline.add(src)
        self._configure(src)
        src.set_property("protocols", PROTOCOLS[self._protocol])
        src.set_property("latency", UPSTREAM_LATENCY_MS)
        src.set_property("timeout", UPSTREAM_TIMEOUT_US)
        src.connect("on-sdp", self._on_sdp, pipeline)
        src.connect("select-stream", self._select_stream, pipeline)
        src.connect("pad-added", self._on_pad_added, pipeline)
        pipeline.get_bus().add_watch(GLib.PRIORITY_DEFAULT, self._on_bus, pipeline)
        self.pipeline = pipeline
        log.info("%s: connecting upstream over %s (GOP keeper)", self.label,
                 self._protocol.upper())
        GLib.idle_add(self._set_playing, pipeline)

    def _set_playing(self, pipeline: Gst.Element) -> bool:
        stopped = pipeline is not self.pipeline
        if stopped:
            return False  # stopped before it started
        if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            self._fail(pipeline, "could not start", "failed")
        return False

    def _on_sdp(self, _src: Gst.Element, sdp: GstSdp.SDPMessage, pipeline: Gst.Element) -> None:
        announce = parse_sdp(sdp)
        if self.masks and announce.video is not None:
            announce = replace(announce, video="H264")  # what the masked branch gives viewers
        with self.lock:
            if pipeline is not self.pipeline:
                return
            if announce.video is None:
                self.announce = None
            else:
                self.announce = self.last_announce = announce
                self.announced.set()
            # viewers served a guess that was wrong: ended (503), they come back to the truth
            wrong = [feed for feed in self.feeds if feed.codecs is not None
                     and announce.video is not None and feed.codecs != announce.codecs]
            for feed in wrong:
                feed.end(False)
        if announce.video is None:
            GLib.idle_add(self._fail, pipeline, "no H.264 or H.265 video in the camera's SDP",
                          "failed")
            return
        log.info("%s: camera sends %s video%s", self.label, VIDEO[announce.video].name,
                 f" and {AUDIO[announce.audio].name} audio" if announce.audio else ", no audio")
        GLib.timeout_add(int(DATA_TIMEOUT_S * 1000), self._check_data, pipeline)

    def _select_stream(self, _src: Gst.Element, num: int, _caps: Gst.Caps,
                       pipeline: Gst.Element) -> bool:
        """Set up only the streams the announce passes on."""
        announce = self.announce
        if announce is None or pipeline is not self.pipeline:
            return False
        return num in (announce.video_index, announce.audio_index)

    def _on_pad_added(self, _src: Gst.Element, pad: Gst.Pad, pipeline: Gst.Element) -> None:
        caps = pad.get_current_caps() or pad.query_caps(None)
        structure = caps.get_structure(0)
        encoding = (structure.get_string("encoding-name") or "").upper()
        media = structure.get_string("media")
        if media == "video" and encoding in VIDEO:
            description = masked_ingest(encoding) if self.masks else VIDEO[encoding].ingest
            handler = self._on_video
        elif media == "audio" and encoding in AUDIO:
            description, handler = AUDIO[encoding].ingest, self._on_audio
        else:
            description, handler = "fakesink", None
        if handler is not None:
            description += f" ! {APPSINK}"
        privacy_branch = handler is not None and media == "video" and bool(self.masks)
        branch = Gst.parse_bin_from_description(description, not privacy_branch)
        if privacy_branch:
            branch.get_by_name("privacy").set_property("data", masks_svg(self.masks))
            branch.add_pad(Gst.GhostPad.new(
                "sink", branch.get_by_name("first").get_static_pad("sink")))
        if handler is not None:
            sink = _last_element(branch)
            sink.connect("new-sample", handler, pipeline)
        pipeline.add(branch)
        branch.sync_state_with_parent()
        pad.add_probe(Gst.PadProbeType.BUFFER, self._count_packet)
        pad.link(branch.get_static_pad("sink"))

    def _count_packet(self, _pad: Gst.Pad, _info: Gst.PadProbeInfo) -> Gst.PadProbeReturn:
        self.packets_in += 1
        return Gst.PadProbeReturn.REMOVE  # one is enough: data flows

    def _on_video(self, sink: Gst.Element, pipeline: Gst.Element) -> Gst.FlowReturn:
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.EOS
        buffer = sample.get_buffer()
        key = not buffer.has_flags(Gst.BufferFlags.DELTA_UNIT)
        size = buffer.get_size()
        first_key = False
        with self.lock:
            if pipeline is not self.pipeline:
                return Gst.FlowReturn.FLUSHING  # an ingest being stopped
            self.bytes_in += size
            self.frames_in += 1
            caps = sample.get_caps()
            if caps is not None and (self.caps is None or not caps.is_equal(self.caps)):
                self.caps = caps
                self._note_video_caps(caps)
            if len(self._frame_times) < 50 and buffer.pts != Gst.CLOCK_TIME_NONE:
                self._frame_times.append(buffer.pts)
            if key:
                first_key = not self.connected
                if first_key:
                    self.connected = True
                    self.upstream.state = "connected"
                    self.upstream.connected_at = self._clock()
                    self.upstream.failures = self.upstream.auth_failures = 0
                    self.upstream.last_error = ""
                    self.upstream.next_attempt = 0.0
                self.gop = [buffer]
                self.gop_bytes = size
            elif self.gop:
                self.gop.append(buffer)
                self.gop_bytes += size
                if self.gop_bytes > MAX_GOP_BYTES:
                    log.warning("%s: no key frame for %d MB; GOP dropped", self.label,
                                self.gop_bytes // (1024 * 1024))
                    self.gop = []
                    self.gop_bytes = 0
            for feed in self.feeds:
                if feed.ended:
                    continue
                if key and feed.ready:
                    feed.playing = True
                if feed.playing:
                    feed.push(buffer, self.caps)
        if first_key:
            log.info("%s: upstream connected (first key frame)", self.label)
        return Gst.FlowReturn.OK

    def _on_audio(self, sink: Gst.Element, pipeline: Gst.Element) -> Gst.FlowReturn:
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.EOS
        buffer = sample.get_buffer()
        with self.lock:
            if pipeline is not self.pipeline:
                return Gst.FlowReturn.FLUSHING
            caps = sample.get_caps()
            if caps is not None and (self.audio_caps is None
                                     or not caps.is_equal(self.audio_caps)):
                self.audio_caps = caps
                self._note_audio_caps(caps)
            for feed in self.feeds:
                # a viewer hears from the start (its media needs a first buffer of each
                # stream); a recording starts with its first key frame
                if not feed.ended and feed.ready and (feed.playing or not feed.live):
                    feed.push_audio(buffer, self.audio_caps)
        return Gst.FlowReturn.OK

    def _note_video_caps(self, caps: Gst.Caps) -> None:
        structure = caps.get_structure(0)
        info: dict[str, Any] = {"codec": structure.get_name().split("-")[-1]}
        for name in ("width", "height"):
            ok, value = structure.get_int(name)
            if ok:
                info[name] = value
        ok, num, den = structure.get_fraction("framerate")
        if ok and num > 0 and den > 0:
            info["fps"] = round(num / den, 2)
        self.video_info = info

    def _note_audio_caps(self, caps: Gst.Caps) -> None:
        structure = caps.get_structure(0)
        name = structure.get_name()
        codec = {"audio/x-alaw": "pcma", "audio/x-mulaw": "pcmu", "audio/mpeg": "aac"}.get(
            name, name)
        info: dict[str, Any] = {"codec": codec}
        for field in ("rate", "channels"):
            ok, value = structure.get_int(field)
            if ok:
                info[field] = value
        self.audio_info = info

    # -- main loop ---------------------------------------------------------------------------
    def _check_data(self, pipeline: Gst.Element) -> bool:
        if pipeline is self.pipeline and self.packets_in == 0:
            self._fail(pipeline, f"no data for {DATA_TIMEOUT_S:.0f} s", "transport")
        return False

    def _on_bus(self, _bus: Gst.Bus, message: Gst.Message, pipeline: Gst.Element) -> bool:
        if pipeline is not self.pipeline:
            return False  # an ingest already stopped
        if message.type == Gst.MessageType.ERROR:
            error, _debug = message.parse_error()
            text = error.message if error is not None else "error"
            if error is not None and error.matches(Gst.ResourceError.quark(),
                                                   Gst.ResourceError.NOT_AUTHORIZED):
                kind = "auth"
            elif "No supported stream" in text:
                kind = "transport"  # the camera refused the transport asked for (461)
            else:
                kind = "failed"
            self._fail(pipeline, text, kind)
            return False
        if message.type == Gst.MessageType.EOS:
            self._fail(pipeline, "end of stream", "failed")
            return False
        return True

    def _fail(self, pipeline: Gst.Element, reason: str, kind: str) -> bool:
        """The ingest failed. ``kind``: auth (credentials refused), transport (TCP refused or
        silent: under ``auto``, the same viewers go on over UDP at once), failed."""
        now = self._clock()
        retry_udp = (kind == "transport" and self._transport == "auto"
                     and self._protocol == "tcp")
        with self.lock:
            if pipeline is not self.pipeline:
                return False
            self.pipeline = None
            started = self.connected
            feeds = [] if retry_udp else list(self.feeds)
            self._reset()
            self.announced.set()
            state = self.upstream
            if retry_udp:
                self._protocol = "udp"
                log.warning("%s: camera refused RTSP over TCP (%s): falling back to UDP",
                            self.label, reason)
                state.transport = "udp"
                self._start_locked()
            else:
                lasted = now - state.connected_at if started else 0.0
                state.failures = 0 if lasted >= PLAYED_ENOUGH_S else state.failures + 1
                state.last_error = reason
                if kind == "auth":
                    state.auth_failures += 1
                    state.state = "auth_failed"
                else:
                    state.auth_failures = 0
                    state.state = "failed"
                if state.auth_failures >= AUTH_LOCKOUT_AFTER:
                    delay = float(AUTH_RETRY_S)
                elif state.failures == 0:
                    delay = 0.0
                else:
                    delay = float(BACKOFF_S[min(state.failures, len(BACKOFF_S)) - 1])
                state.next_attempt = now + delay
        self._shut(pipeline)
        if retry_udp:
            return False
        if not started:
            log.warning("%s: upstream failed (%s), attempt %d in a row, next in %.0f s: %s",
                        self.label, "credentials refused" if kind == "auth" else kind,
                        state.failures, max(0.0, state.next_attempt - now), reason)
        else:
            log.warning("%s: upstream lost: %s", self.label, reason)
        for feed in feeds:
            feed.end(feed.playing)
        if any(feed.playing for feed in feeds):
            self._on_lost()
        return False

    def _stop_if_unwatched(self) -> bool:
        with self.lock:
            if self.feeds or self.pipeline is None:
                return False
            pipeline, self.pipeline = self.pipeline, None
            connected = self.connected
            self._reset()
            self.announced.set()
            if self.upstream.state in ("connecting", "connected"):
                self.upstream.state = "idle"
        self._shut(pipeline)
        if connected:
            log.info("%s: upstream released", self.label)
        return False

    def _reset(self) -> None:
        self.gop = []
        self.gop_bytes = 0
        self.caps = None
        self.audio_caps = None
        self.connected = False
        self._frame_times = []

    def _shut(self, pipeline: Gst.Element) -> None:
        pipeline.get_bus().remove_watch()
        pipeline.set_state(Gst.State.NULL)

    def _measured_fps(self) -> float | None:
        times = self._frame_times
        if len(times) < 10:
            return None
        ordered = sorted(times)
        span = ordered[-1] - ordered[0]
        return round((len(ordered) - 1) * Gst.SECOND / span, 2) if span > 0 else None

    def stats(self) -> dict[str, Any]:
        with self.lock:
            state = self.upstream
            wait = state.next_attempt - self._clock()
            video = dict(self.video_info)
            if "fps" not in video and (fps := self._measured_fps()) is not None:
                video["fps"] = fps
            announce = self.last_announce
            return {"kept_frames": len(self.gop), "kept_bytes": self.gop_bytes,
                    "upstream": {
                        "state": state.state, "failures": state.failures,
                        "auth_failures": state.auth_failures,
                        "next_attempt_in_s": round(wait, 1) if wait > 0 else None,
                        "last_error": state.last_error, "transport": state.transport or None,
                        "video": video or ({"codec": VIDEO[announce.video].name}
                                           if announce and announce.video else None),
                        "audio": self.audio_info or (
                            {"codec": AUDIO[announce.audio].name}
                            if announce and announce.audio else None)}}


def _last_element(branch: Gst.Bin) -> Gst.Element:
    """The appsink a branch ends with."""
    found: list[Gst.Element] = []
    branch.iterate_sinks().foreach(found.append)
    if not found:
        raise ValueError("branch without a sink")
    return found[0]
