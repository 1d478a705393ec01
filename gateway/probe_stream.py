"""A proposed stream, verified before the probe answers: RTSP DESCRIBE, then the first key frame.

The ingest is the keeper's (:mod:`gateway.keeper`): its SDP reading (:func:`parse_sdp`) and its
depayload-and-parse branches per codec (:data:`VIDEO`), and the login is the gateway's own
(:class:`gateway.camera_login.CameraLogin`: ``rtspsrc`` never holds the password, one bad login
per attempt), so a stream that verifies here is one the gateway will play. The first
whole access unit without the DELTA_UNIT flag proves the stream decodable from there; its caps
give codec and resolution, the parser's framerate (or the frames' PTS over a short window) the
fps, and the SDP the audio codec. TCP first, UDP when the camera refuses TCP (461).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

from common.urls import mask_url  # noqa: E402
from common.vocabulary import ProbeFailure  # noqa: E402
from gateway.camera_login import CameraLogin  # noqa: E402
from gateway.keeper import APPSINK, AUDIO, PROTOCOLS, VIDEO, parse_sdp  # noqa: E402
from gateway.probe import StreamCheck  # noqa: E402

FPS_WINDOW_S = 1.0  # after the key frame, frames are counted this long when caps say no fps
LATENCY_MS = 100


class _Attempt:
    """One ``rtspsrc`` connection and what it learnt (set from GStreamer's threads)."""

    def __init__(self, location: str, protocol: str) -> None:
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.described = False
        self.announce: Any = None
        self.key_at: float | None = None
        self.caps: Gst.Caps | None = None
        self.pts: list[int] = []
        self.pipeline = Gst.Pipeline.new(None)
        src = Gst.ElementFactory.make("rtspsrc", "src")
        self.pipeline.add(src)
        src.set_property("location", location)
        src.set_property("protocols", PROTOCOLS[protocol])
        src.set_property("latency", LATENCY_MS)
        src.set_property("timeout", 3_000_000)
        src.connect("on-sdp", self._on_sdp)
        src.connect("select-stream", self._select)
        src.connect("pad-added", self._on_pad)

    def _on_sdp(self, _src: Gst.Element, sdp: Any) -> None:
        with self.lock:
            self.described = True
            self.announce = parse_sdp(sdp)
        if self.announce.video is None:
            self.done.set()

    def _select(self, _src: Gst.Element, num: int, _caps: Gst.Caps) -> bool:
        announce = self.announce
        return announce is not None and num == announce.video_index

    def _on_pad(self, _src: Gst.Element, pad: Gst.Pad) -> None:
        caps = pad.get_current_caps() or pad.query_caps(None)
        structure = caps.get_structure(0)
        encoding = (structure.get_string("encoding-name") or "").upper()
        if structure.get_string("media") == "video" and encoding in VIDEO:
            description = f"{VIDEO[encoding].ingest} ! {APPSINK}"
        else:
            description = "fakesink"
        branch = Gst.parse_bin_from_description(description, True)
        sinks: list[Gst.Element] = []
        branch.iterate_sinks().foreach(sinks.append)
        if sinks and sinks[0].get_factory().get_name() == "appsink":
            sinks[0].connect("new-sample", self._on_sample)
        self.pipeline.add(branch)
        branch.sync_state_with_parent()
        pad.link(branch.get_static_pad("sink"))

    def _on_sample(self, sink: Gst.Element) -> Gst.FlowReturn:
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.EOS
        buffer = sample.get_buffer()
        with self.lock:
            if self.key_at is None:
                if buffer.has_flags(Gst.BufferFlags.DELTA_UNIT):
                    return Gst.FlowReturn.OK  # not decodable from here: wait for a key frame
                self.key_at = time.monotonic()
                self.caps = sample.get_caps()
            if buffer.pts != Gst.CLOCK_TIME_NONE:
                self.pts.append(buffer.pts)
            if self._fps_from_caps() is not None \
                    or time.monotonic() - self.key_at >= FPS_WINDOW_S:
                self.done.set()
        return Gst.FlowReturn.OK

    def _fps_from_caps(self) -> float | None:
        if self.caps is None:
            return None
        ok, num, den = self.caps.get_structure(0).get_fraction("framerate")
        return round(num / den, 2) if ok and num > 0 and den > 0 else None

    def fps(self) -> float | None:
        from_caps = self._fps_from_caps()
        if from_caps is not None:
            return from_caps
        times = sorted(set(self.pts))
        if len(times) < 3 or times[-1] <= times[0]:
            return None
        return round((len(times) - 1) * Gst.SECOND / (times[-1] - times[0]), 2)


def verify_stream(url: str, username: str, password: str, deadline: float) -> StreamCheck:
    """Whether ``url`` (no user info in it) plays: see the module's docstring."""
    if not Gst.is_initialized():
        Gst.init(None)
    started = time.monotonic()
    # the camera's login on this gateway: rtspsrc connects to it and never sees the password
    login = CameraLogin(url, username, password, f"probe {mask_url(url)}") \
        if username or password else None
    location = login.local_url if login is not None else url
    try:
        check = _attempt(location, "tcp", deadline)
        if check.failure == "transport":
            check = _attempt(location, "udp", deadline)
    finally:
        if login is not None:
            login.close()
    check.seconds = round(time.monotonic() - started, 2)
    return check


def _attempt(location: str, protocol: str, deadline: float) -> StreamCheck:
    attempt = _Attempt(location, protocol)
    bus = attempt.pipeline.get_bus()
    error: str | None = None
    auth = transport = False
    try:
        if attempt.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            return StreamCheck(False, ProbeFailure.NO_STREAM, "could not start RTSP")
        while not attempt.done.is_set() and time.monotonic() < deadline:
            message = bus.timed_pop_filtered(
                100 * Gst.MSECOND, Gst.MessageType.ERROR | Gst.MessageType.EOS)
            if message is None:
                continue
            if message.type == Gst.MessageType.EOS:
                error = "the stream ended before a key frame"
                break
            gerror, _debug = message.parse_error()
            error = gerror.message if gerror is not None else "error"
            auth = gerror is not None and gerror.matches(Gst.ResourceError.quark(),
                                                         Gst.ResourceError.NOT_AUTHORIZED)
            transport = "No supported stream" in error
            break
    finally:
        attempt.pipeline.set_state(Gst.State.NULL)
    announce = attempt.announce
    audio = AUDIO[announce.audio].name if announce is not None and announce.audio else None
    if attempt.key_at is not None and attempt.caps is not None:
        structure = attempt.caps.get_structure(0)
        ok_w, width = structure.get_int("width")
        ok_h, height = structure.get_int("height")
        return StreamCheck(True, codec=structure.get_name().split("-")[-1],
                           width=width if ok_w else None, height=height if ok_h else None,
                           fps=attempt.fps(), audio=audio)
    if transport and protocol == "tcp" and not attempt.described:
        return StreamCheck(False, "transport", error or "")
    if auth:
        return StreamCheck(False, ProbeFailure.AUTH_FAILED,
                           "the camera refused the user name or password for RTSP")
    if not attempt.described:
        return StreamCheck(False, ProbeFailure.NO_STREAM,
                           f"RTSP DESCRIBE failed: {error or 'no answer before the deadline'}")
    if announce is None or announce.video is None:
        return StreamCheck(False, ProbeFailure.STREAM_UNPLAYABLE,
                           "no H.264 or H.265 video in the stream's SDP", audio=audio)
    return StreamCheck(False, ProbeFailure.STREAM_UNPLAYABLE,
                       f"no key frame: {error or 'none before the deadline'}",
                       codec=VIDEO[announce.video].name, audio=audio)
