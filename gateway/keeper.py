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

Threads: samples arrive on the ingest's streaming thread; feeds start on their ``appsrc``'s
streaming thread (``need-data``); attach/detach come from GStreamer's RTSP threads; the bus
watch and the start/stop of the ingest run on the GLib main loop. The keeper's state is under
its one lock; no GStreamer state change happens under it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

log = logging.getLogger("iocwall.gateway")

INGEST_PIPELINE = (
    "rtspsrc name=src ! rtph264depay ! h264parse config-interval=-1 ! "
    "video/x-h264,stream-format=byte-stream,alignment=au ! "
    "appsink name=sink emit-signals=true sync=false"
)
VIEWER_PIPELINE = (
    "( appsrc name=src is-live=true format=time max-bytes=0 do-timestamp=true ! "
    "h264parse ! rtph264pay name=pay0 pt=96 config-interval=0 )"
)
# A camera that never sends a key frame again must not grow the kept GOP without end: past
# this many bytes the GOP is dropped, and new viewers wait for the next key frame.
MAX_GOP_BYTES = 64 * 1024 * 1024


BURST_STEP_NS = 1_000_000


class Feed:
    """One viewer's ``appsrc``. ``playing``: it has had a key frame and takes every frame.

    The kept GOP leaves the appsrc as a burst, and ``do-timestamp`` gives its frames the same
    time, to the microsecond: a player cannot tell their order by time, and FFmpeg's probe
    (hence PyAV's ``av.open``) waits for frames whose times grow before it returns (measured: a
    0.6 s first picture instead of 0.1 s). A probe on the appsrc spaces them 1 ms apart, later
    frames after them, until the camera's own pace takes over (then the probe goes: no cost per
    frame once live). 250 kept frames (10 s at 25 fps) end 0.25 s ahead of the clock.
    """

    def __init__(self, appsrc: Gst.Element, live: bool = False) -> None:
        self.appsrc = appsrc
        self.live = live  # no kept GOP: starts at the ingest's next key frame
        self.caps: Gst.Caps | None = None
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
        # A copy shares the memory (no bytes copied) and is ours to stamp: the viewer's clock
        # gives it its time as it leaves the appsrc.
        copy = buffer.copy()
        copy.pts = Gst.CLOCK_TIME_NONE
        copy.dts = Gst.CLOCK_TIME_NONE
        copy.duration = Gst.CLOCK_TIME_NONE
        self.appsrc.emit("push-buffer", copy)

    def end(self, started: bool) -> None:
        """The upstream is gone. A viewer still being prepared (no frame yet) gets an error,
        hence a refusal (503); a playing one gets the end of the stream (and is cut)."""
        if self.ended:
            return
        self.ended = True
        if started:
            self.appsrc.emit("end-of-stream")
            return
        error = GLib.Error.new_literal(Gst.ResourceError.quark(), "camera stream lost",
                                       int(Gst.ResourceError.READ))
        self.appsrc.post_message(Gst.Message.new_error(self.appsrc, error, "upstream ended"))


class GopKeeper:
    """One camera stream's shared ingest and its kept GOP, while at least one viewer is attached.

    ``configure(rtspsrc)`` sets the upstream's location, credentials and options; ``on_lost()``
    is called on the main loop when the upstream ends or fails under playing viewers.
    """

    def __init__(self, label: str, configure: Callable[[Gst.Element], None],
                 on_lost: Callable[[], None]) -> None:
        self.label = label
        self._configure = configure
        self._on_lost = on_lost
        self.lock = threading.Lock()
        self.feeds: list[Feed] = []  # attached: waiting for need-data, a key frame, or playing
        self.gop: list[Gst.Buffer] = []  # the last key frame first, then the frames since
        self.gop_bytes = 0
        self.caps: Gst.Caps | None = None
        self.pipeline: Gst.Element | None = None
        self.bytes_in = 0
        self.frames_in = 0
        self.connected = False  # the ingest has given a key frame since it started
        self.failures = 0  # ingests that ended before their first key frame

    # -- viewers (RTSP threads) ----------------------------------------------------------------
    def attach(self, feed: Feed) -> None:
        """A viewer's media is being configured: start the ingest if it is the first."""
        with self.lock:
            self.feeds.append(feed)
            start = self.pipeline is None
            if start:
                self.pipeline = self._build()
        feed.appsrc.connect("need-data", self._on_need_data, feed)
        if start:
            assert self.pipeline is not None
            log.info("%s: connecting upstream (GOP keeper)", self.label)
            if self.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
                GLib.idle_add(self._fail, "could not start")

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
            if self.gop and not feed.live:
                for buffer in self.gop:
                    feed.push(buffer, self.caps)
                feed.playing = True
            # without a kept GOP it starts at the ingest's next key frame (_on_sample)

    # -- ingest (its streaming thread) -------------------------------------------------------
    def _build(self) -> Gst.Element:
        pipeline = Gst.parse_launch(INGEST_PIPELINE)
        src = pipeline.get_by_name("src")
        self._configure(src)
        sink = pipeline.get_by_name("sink")
        sink.connect("new-sample", self._on_sample)
        pipeline.get_bus().add_watch(GLib.PRIORITY_DEFAULT, self._on_bus, pipeline)
        return pipeline

    def _on_sample(self, sink: Gst.Element) -> Gst.FlowReturn:
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.EOS
        buffer = sample.get_buffer()
        key = not buffer.has_flags(Gst.BufferFlags.DELTA_UNIT)
        size = buffer.get_size()
        first_key = False
        with self.lock:
            if self.pipeline is None:
                return Gst.FlowReturn.FLUSHING  # an ingest being stopped
            self.bytes_in += size
            self.frames_in += 1
            caps = sample.get_caps()
            if caps is not None and (self.caps is None or not caps.is_equal(self.caps)):
                self.caps = caps
            if key:
                first_key = not self.connected
                self.connected = True
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

    # -- main loop ---------------------------------------------------------------------------
    def _on_bus(self, _bus: Gst.Bus, message: Gst.Message, pipeline: Gst.Element) -> bool:
        if pipeline is not self.pipeline:
            return False  # an ingest already stopped
        if message.type == Gst.MessageType.ERROR:
            error, _debug = message.parse_error()
            self._fail(error.message if error is not None else "error")
            return False
        if message.type == Gst.MessageType.EOS:
            self._fail("end of stream")
            return False
        return True

    def _fail(self, reason: str) -> bool:
        with self.lock:
            pipeline, self.pipeline = self.pipeline, None
            feeds = list(self.feeds)
            started = self.connected
            self._reset()
        if pipeline is None:
            return False
        if not started:
            self.failures += 1
            log.warning("%s: upstream failed (unreachable, refused, or no H.264 video): %s",
                        self.label, reason)
        else:
            log.warning("%s: upstream lost: %s", self.label, reason)
        self._shut(pipeline)
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
        self._shut(pipeline)
        if connected:
            log.info("%s: upstream released", self.label)
        return False

    def _reset(self) -> None:
        self.gop = []
        self.gop_bytes = 0
        self.caps = None
        self.connected = False

    def _shut(self, pipeline: Gst.Element) -> None:
        pipeline.get_bus().remove_watch()
        pipeline.set_state(Gst.State.NULL)

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {"kept_frames": len(self.gop), "kept_bytes": self.gop_bytes}
