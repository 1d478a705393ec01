"""The lab's RTSP server: GStreamer's RTSP server serving pre-encoded H.264/H.265 clips, looped.

Runs under Debian's ``/usr/bin/python3`` (the only interpreter here with ``gi``), as a child of
``lab.Lab`` in the venv. It must import nothing but the stdlib and ``gi``.

Why appsrc and not a file pipeline: looping a file inside a pipeline (segment seeks,
multifilesrc) restarts or guesses timestamps at the loop point, and clients then see PTS jump
back. Here one scheduler thread pushes the clip's access units (split on the encoder's access
unit delimiters, read from an mmap of the Annex-B file) into each active mount's appsrc with PTS
it computes itself from the pipeline's running time: PTS only ever grows, across loop points,
freezes and CPU hiccups. Nothing is re-encoded; an idle mount has no pipeline at all, and the
factories are shared, so N clients of a mount cost one pipeline.

Protocol with the parent (one JSON object per line):
  stdin, first line: {"port": 0, "address": "127.0.0.1", "mounts": [{"path": "/cam01/main",
      "camera": "cam01", "file": "...h264", "fps": 25, "user": "...", "password": "...",
      "name": "CAM-01 ...", "gop_seconds": 1, "key_frame_on_connect": true,
      "ptz": null | {"panorama": "...jpg", "pano_width", "pano_height",
      "width", "height", "kbps"}, "codec": "h264"|"h265", "pts": null | "...pts",
      "parameter_sets": "in-band"|"out-of-band", "audio": "none"|"pcma"|"pcmu"|"aac",
      "transport": "any"|"udp"|"tcp", "auth": "digest"|"digest-qop"|"basic"|"both"}]}
      (a PTZ mount is encoded live from the panorama; the keys after "ptz" are a camera's
      traits, lab/traits.py, each optional with the first value as default; "pts": the
      framecrc timestamps of a clip with B-frames).
      key_frame_on_connect false: a clip session starts where the camera's own clock is in the
      clip (a viewer waits for the next key frame), not on a key frame.
  stdout: {"ready": true, "port": 8554} once the server listens, then one reply per command.
  stdin commands: {"cmd": "freeze"|"unfreeze"|"stop"|"start", "camera": "cam01"},
      {"cmd": "password", "camera": "cam01", "password": "..."} (new requests need it),
      {"cmd": "ptz", "camera": "cam01", "state": {"origin": [p, t, z], "velocity": [p, t, z],
      "since": monotonic, "until": monotonic | null, "rates": [p, t, z]}} and
      {"cmd": "stats"}; replies {"ok": true, ...} or {"ok": false, "error": "..."}.
  EOF on stdin (the parent died or closed us) ends the process; so does SIGTERM.
Credentials arrive on stdin only, never on the command line (``ps`` shows argv to everyone).
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import hmac
import json
import mmap
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer, GstVideo  # noqa: E402

AUD = {"h264": b"\x00\x00\x01\x09", "h265": b"\x00\x00\x01\x46\x01"}  # delimiter NAL
# NAL types of parameter sets and delimiters, left out of an out-of-band stream's frames
OUT_OF_BAND_DROP = {"h264": {7, 8, 9}, "h265": {32, 33, 34, 35}}
LEAD_S = 0.010  # push a frame this long before its PTS comes due
MAX_LATE_S = 0.5  # further behind than this (a stall, a frozen process): re-base on now
MAX_AHEAD_S = 1.0  # further ahead than this: the running time was re-based; feed from now


# A camera's audio: a live tone in the same pipeline as its video, so both are stamped on the
# same clock (the payloaders turn running time into RTP time; RTCP ties both to one NTP clock).
_TONE = "audiotestsrc is-live=true wave=sine freq=440 volume=0.2"
AUDIO_BRANCHES = {
    "none": "",
    "pcma": f" {_TONE} samplesperbuffer=160 ! audio/x-raw,rate=8000,channels=1 ! alawenc ! "
            "rtppcmapay name=pay1 pt=8",
    "pcmu": f" {_TONE} samplesperbuffer=160 ! audio/x-raw,rate=8000,channels=1 ! mulawenc ! "
            "rtppcmupay name=pay1 pt=0",
    "aac": f" {_TONE} samplesperbuffer=1024 ! audio/x-raw,rate=16000,channels=1 ! audioconvert "
           "! avenc_aac bitrate=32000 ! rtpmp4gpay name=pay1 pt=97",
}
LOWER_TRANSPORTS = {
    "any": GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP,
    "udp": GstRtsp.RTSPLowerTrans.UDP,  # a TCP SETUP is answered 461 Unsupported Transport
    "tcp": GstRtsp.RTSPLowerTrans.TCP,
}


def log(msg: str) -> None:
    """Diagnostics go to stderr; stdout belongs to the protocol."""
    sys.stderr.write("lab.rtsp: " + msg + "\n")
    sys.stderr.flush()


def nal_units(data: bytes) -> list[bytes]:
    """The NAL units of Annex-B ``data`` (start codes and the zeros before them removed)."""
    starts = []
    pos = data.find(b"\x00\x00\x01")
    while pos >= 0:
        starts.append(pos + 3)
        pos = data.find(b"\x00\x00\x01", pos + 3)
    ends = [s - 3 for s in starts[1:]] + [len(data)]
    # A NAL unit never ends in a zero byte: trailing zeros belong to the next 4-byte start code.
    return [data[s:e].rstrip(b"\x00") for s, e in zip(starts, ends, strict=True)]


def nal_type(codec: str, nal: bytes) -> int:
    return (nal[0] >> 1) & 0x3F if codec == "h265" else nal[0] & 0x1F


def codec_data(codec: str, parameter_sets: dict[int, bytes]) -> bytes:
    """avcC / hvcC (ISO 14496-15) from the stream's parameter sets: what an out-of-band camera
    announces in its SDP instead of sending them before key frames."""
    if codec == "h264":
        sps, pps = parameter_sets[7], parameter_sets[8]
        return (bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]) + len(sps).to_bytes(2, "big")
                + sps + b"\x01" + len(pps).to_bytes(2, "big") + pps)
    vps, sps, pps = parameter_sets[32], parameter_sets[33], parameter_sets[34]
    # general profile_tier_level: the 12 bytes after the SPS's NAL header and its first byte
    ptl = sps.replace(b"\x00\x00\x03", b"\x00\x00")[3:15]
    # segmentation, parallelism, 4:2:0, 8-bit luma/chroma, no frame rate, one temporal layer,
    # 4-byte NAL lengths; then one array each for VPS, SPS and PPS
    head = b"\x01" + ptl + b"\xf0\x00\xfc\xfd\xf8\xf8\x00\x00\x0f\x03"
    arrays = b"".join(bytes([0x80 | kind]) + b"\x00\x01" + len(nal).to_bytes(2, "big") + nal
                      for kind, nal in ((32, vps), (33, sps), (34, pps)))
    return head + arrays


class Clip:
    """One Annex-B H.264/H.265 file, split into access units (offset, length) once, read by
    mmap. With B-frames the parent's ``*.pts`` file gives each frame's PTS; out-of-band, each
    access unit is served length-prefixed (avc/hvc1) without parameter sets, and the caps carry
    them as codec_data, which the payloader turns into the SDP's sprop-* attributes."""

    def __init__(self, path: str, fps: int, codec: str = "h264", pts_path: str | None = None,
                 out_of_band: bool = False) -> None:
        self.path = path
        self.fps = fps
        self.codec = codec
        self.out_of_band = out_of_band
        with open(path, "rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        aud = AUD[codec]
        starts = []
        pos = self.map.find(aud)
        while pos >= 0:
            # x264 writes the delimiter with a 4-byte start code: keep the leading zero in the AU.
            starts.append(pos - 1 if pos > 0 and self.map[pos - 1] == 0 else pos)
            pos = self.map.find(aud, pos + len(aud))
        if not starts:
            raise ValueError(f"{path}: no access unit delimiters (encode with aud=1)")
        ends = starts[1:] + [len(self.map)]
        self.units = [(s, e - s) for s, e in zip(starts, ends, strict=True)]
        # Frame i (decode order) is pushed at slot i with DTS = slot - lag and PTS = slot +
        # pts_shift[i] frames: the I frame on its slot, a P frame ahead, its B-frames behind.
        self.pts_shift = [0] * len(self.units)
        self.lag = 0
        if pts_path:
            stamps = read_framecrc(pts_path)
            if len(stamps) != len(self.units):
                raise ValueError(f"{pts_path}: {len(stamps)} frames, the clip has "
                                 f"{len(self.units)}")
            first_dts = stamps[0][0]
            self.pts_shift = [pts - (dts - first_dts) for dts, pts in stamps]
            self.lag = max(0, -min(self.pts_shift))
        self.codec_data = b""
        if out_of_band:
            found: dict[int, bytes] = {}
            for nal in nal_units(self.unit_bytes(0)):
                found.setdefault(nal_type(codec, nal), nal)
            self.codec_data = codec_data(codec, found)
        # The scan touched every page; let them go (file-backed, clean) so 64 idle cameras do
        # not sit in this process's RSS. Mounts with clients fault their pages back in.
        if hasattr(mmap, "MADV_DONTNEED"):
            self.map.madvise(mmap.MADV_DONTNEED)

    def caps(self) -> str:
        if not self.out_of_band:
            return (f"video/x-{self.codec},stream-format=byte-stream,alignment=au,"
                    f"framerate={self.fps}/1")
        fmt = "avc" if self.codec == "h264" else "hvc1"
        return (f"video/x-{self.codec},stream-format={fmt},alignment=au,framerate={self.fps}/1,"
                f"codec_data=(buffer){self.codec_data.hex()}")

    def unit_bytes(self, index: int) -> bytes:
        offset, length = self.units[index]
        return self.map[offset : offset + length]

    def unit(self, index: int) -> bytes:
        data = self.unit_bytes(index)
        if not self.out_of_band:
            return data
        drop = OUT_OF_BAND_DROP[self.codec]
        return b"".join(len(nal).to_bytes(4, "big") + nal for nal in nal_units(data)
                        if nal and nal_type(self.codec, nal) not in drop)


def read_framecrc(path: str) -> list[tuple[int, int]]:
    """(DTS, PTS) per frame in decode order, in frames, from ffmpeg's ``framecrc`` output."""
    stamps = []
    with open(path, encoding="ascii") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.split(",")
            stamps.append((int(fields[1]), int(fields[2])))
    return stamps


class Feeder:
    """Pushes one clip into one media's appsrc, in real time, with monotonic PTS."""

    def __init__(self, mount: Mount, appsrc: Gst.Element) -> None:
        self.mount = mount
        self.appsrc = appsrc
        self.frame = mount.start_frame()
        self.duration = Gst.SECOND // mount.clip.fps
        self.next_pts: int | None = None
        self.alive = True
        self.pushed = 0
        self.last_pts = -1
        self.restart_at_key_frame = False  # set from a GStreamer thread, read by the scheduler

    def running_time(self) -> int | None:
        clock = self.appsrc.get_clock()
        if clock is None:
            return None
        return clock.get_time() - self.appsrc.get_base_time()

    def step(self) -> float | None:
        """Push what is due; return seconds until the next push, None when finished."""
        if not self.alive:
            return None
        if self.mount.frozen:
            return 0.05
        # Only a PLAYING source has a meaningful running time: before that the base time may be
        # stale, and a PTS computed from it can lie hours ahead, leaving the feeder asleep for
        # good while the client waits for its first packet (seen under load).
        if self.appsrc.current_state != Gst.State.PLAYING:
            return 0.01
        now = self.running_time()
        if now is None:
            return 0.01
        if self.next_pts is None or now - self.next_pts > MAX_LATE_S * Gst.SECOND:
            self.next_pts = now if self.next_pts is None else max(now, self.next_pts)
        elif self.next_pts - now > MAX_AHEAD_S * Gst.SECOND:
            # The base time moved (the media restarted): continue from now, never wait hours.
            log(f"{self.mount.path}: running time moved back; feeding from now")
            self.next_pts = now
        clip = self.mount.clip
        if self.restart_at_key_frame:
            self.restart_at_key_frame = False
            self.frame = self.mount.start_frame()
            # a P frame already pushed may present after this slot: keep PTS growing
            self.next_pts = max(self.next_pts, self.last_pts + self.duration)
        while self.next_pts - now <= LEAD_S * Gst.SECOND:
            data = clip.unit(self.frame)
            buf = Gst.Buffer.new_wrapped(data)
            buf.pts = max(0, self.next_pts + clip.pts_shift[self.frame] * self.duration)
            buf.dts = max(0, self.next_pts - clip.lag * self.duration)
            buf.duration = self.duration
            self.last_pts = max(self.last_pts, buf.pts)
            ret = self.appsrc.emit("push-buffer", buf)
            if ret not in (Gst.FlowReturn.OK,):
                if ret == Gst.FlowReturn.FLUSHING:
                    return 0.02  # media (re)starting: try again soon
                log(f"{self.mount.path}: push-buffer returned {ret.value_nick}; feeder ends")
                self.alive = False
                return None
            self.pushed += 1
            self.frame = (self.frame + 1) % len(self.mount.clip.units)
            self.next_pts += self.duration
        return max(0.0, (self.next_pts - now) / Gst.SECOND - LEAD_S)

    def thaw(self) -> None:
        """After a freeze, continue from the next frame at the current running time."""
        now = self.running_time()
        if now is not None and self.next_pts is not None:
            self.next_pts = max(self.next_pts, now)


class Scheduler:
    """One thread for all feeders: a heap of due times (128 mounts would be 128 threads)."""

    def __init__(self) -> None:
        self.heap: list[tuple[float, int, Feeder]] = []
        self.cond = threading.Condition()
        self.seq = 0
        self.thread = threading.Thread(target=self.run, name="feeders", daemon=True)
        self.thread.start()

    def add(self, feeder: Feeder, delay: float = 0.0) -> None:
        with self.cond:
            self.seq += 1
            heapq.heappush(self.heap, (time.monotonic() + delay, self.seq, feeder))
            self.cond.notify()

    def run(self) -> None:
        while True:
            with self.cond:
                while not self.heap:
                    self.cond.wait()
                due, _, feeder = self.heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self.cond.wait(wait)
                    continue
                heapq.heappop(self.heap)
            delay = feeder.step()
            if delay is not None:
                self.add(feeder, delay)


class PtzView:
    """A PTZ camera's live picture: a crop of a large panorama, moved by the PTZ state.

    ``imagefreeze`` repeats the panorama at 25 fps; a buffer probe sets ``videocrop``'s edges for
    every frame from the motion model the parent sends (``origin + velocity × rate × (t − since)``
    on CLOCK_MONOTONIC, which both processes share), ``videoscale`` brings the crop to the stream
    size, the name and a clock are burned in, and x264 encodes it (ultrafast, zerolatency, a key
    frame every 25). Encoding runs only while a client watches (no client, no pipeline).
    """

    def __init__(self, spec: dict, name: str, gop_frames: int = 25) -> None:
        self.gop_frames = gop_frames
        self.panorama: str = spec["panorama"]
        self.pano_w, self.pano_h = int(spec["pano_width"]), int(spec["pano_height"])
        self.width, self.height = int(spec["width"]), int(spec["height"])
        self.kbps = int(spec.get("kbps", 1000))
        self.name = name
        self.state: dict = {"origin": [0.0, 0.0, 0.0], "velocity": [0.0, 0.0, 0.0],
                            "since": time.monotonic(), "until": None, "rates": [0.5, 0.5, 0.25]}

    def launch(self) -> str:
        text = self.name.replace('"', "'")
        return (
            f'( filesrc location="{self.panorama}" ! jpegdec ! videoconvert ! '
            "imagefreeze is-live=true ! "
            f"video/x-raw,framerate=25/1 ! videocrop name=crop ! videoscale ! "
            f"video/x-raw,width={self.width},height={self.height} ! "
            f'textoverlay text="{text}" valignment=top halignment=left font-desc="Sans Bold 14" ! '
            'clockoverlay time-format="%H:%M:%S" valignment=top halignment=right '
            'font-desc="Mono Bold 14" shaded-background=true ! '
            # A running timecode that changes every frame: a still scene must still show that the
            # picture is live (the wall's operators and its tests tell live from frozen by it).
            'timeoverlay valignment=bottom halignment=left font-desc="Mono Bold 22" '
            "shaded-background=true ! videoconvert ! video/x-raw,format=I420 ! "
            "x264enc name=enc tune=zerolatency speed-preset=ultrafast "
            f"key-int-max={self.gop_frames} "
            f"bitrate={self.kbps} "
            "sliced-threads=false threads=1 "
            "byte-stream=true ! video/x-h264,profile=constrained-baseline ! "
            "h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
        )

    def position(self, now: float) -> tuple[float, float, float]:
        st = self.state
        end = now if st["until"] is None else min(now, st["until"])
        dt = max(0.0, end - st["since"])
        rates = st["rates"]
        pan, tilt, zoom = (o + v * r * dt for o, v, r in
                           zip(st["origin"], st["velocity"], rates, strict=True))
        return (max(-1.0, min(1.0, pan)), max(-1.0, min(1.0, tilt)), max(0.0, min(1.0, zoom)))

    def crop(self, now: float) -> tuple[int, int, int, int]:
        """(left, right, top, bottom) of the panorama for the position now."""
        pan, tilt, zoom = self.position(now)
        w = self.pano_w / 2 / (1 + 3 * zoom)
        h = w * self.height / self.width
        cx = self.pano_w / 2 + pan * (self.pano_w - w) / 2
        cy = self.pano_h / 2 - tilt * (self.pano_h - h) / 2
        left = int(cx - w / 2) & ~1
        top = int(cy - h / 2) & ~1
        right = max(0, (self.pano_w - left - int(w)) & ~1)
        bottom = max(0, (self.pano_h - top - int(h)) & ~1)
        return left, right, top, bottom

    def attach(self, bin_: Gst.Element, mount: Mount) -> None:
        crop = bin_.get_by_name_recurse_up("crop")
        last: list[tuple[int, int, int, int] | None] = [None]

        def probe(_pad, _info):
            if mount.frozen:
                return Gst.PadProbeReturn.DROP
            mount.live_frames += 1
            edges = self.crop(time.monotonic())
            if edges != last[0]:
                last[0] = edges
                crop.set_property("left", edges[0])
                crop.set_property("right", edges[1])
                crop.set_property("top", edges[2])
                crop.set_property("bottom", edges[3])
            return Gst.PadProbeReturn.OK

        crop.set_property("left", 0)
        crop.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, probe)


def not_seekable(_pad: Gst.Pad, info: Gst.PadProbeInfo) -> Gst.PadProbeReturn:
    """audiotestsrc says it can seek; the media then counts as seekable, and a PLAY with a Range
    (ffmpeg sends one) makes GStreamer seek the appsrc, which fails (503). A camera cannot seek:
    answer the audio branch's seeking query for it (a new seeking query says "not seekable";
    the probe may not write to it)."""
    query = info.get_query()
    if query is not None and query.type == Gst.QueryType.SEEKING:
        return Gst.PadProbeReturn.HANDLED
    return Gst.PadProbeReturn.OK


class Mount:
    """One RTSP path (``/camNN/main`` or ``/camNN/sub``) and its shared factory."""

    def __init__(self, spec: dict, clip: Clip, scheduler: Scheduler) -> None:
        self.path: str = spec["path"]
        self.camera: str = spec["camera"]
        self.role = "cam-" + spec["camera"]
        self.clip = clip
        self.scheduler = scheduler
        self.frozen = False
        self.feeders: list[Feeder] = []
        self.key_frame_on_connect = bool(spec.get("key_frame_on_connect", True))
        self.user: str = spec["user"]
        self.auth_mode: str = spec.get("auth", "digest")
        self.transport: str = spec.get("transport", "any")
        self.audio: str = spec.get("audio", "none")
        self.epoch = time.monotonic()  # the camera's own clock, for sessions joining mid-GOP
        ptz = spec.get("ptz")
        self.ptz = (PtzView(ptz, spec.get("name", ""), clip.fps * int(spec.get("gop_seconds", 1)))
                    if ptz else None)
        self.live_pipelines = 0
        self.encoders: list[Gst.Element] = []  # the shared live pipelines' x264enc
        self.live_frames = 0
        self.factory = self.make_factory()

    def make_factory(self) -> GstRtspServer.RTSPMediaFactory:
        factory = GstRtspServer.RTSPMediaFactory()
        if self.ptz is not None:
            factory.set_launch(self.ptz.launch())
        else:
            codec = self.clip.codec
            if self.clip.out_of_band:
                # no parser: it would put the parameter sets back in front of key frames
                video = f"rtp{codec}pay name=pay0 pt=96 config-interval=0"
            else:
                video = (f"{codec}parse config-interval=-1 ! "
                         f"rtp{codec}pay name=pay0 pt=96 config-interval=-1")
            factory.set_launch(
                f"( appsrc name=src is-live=true format=time do-timestamp=false "
                f"caps={self.clip.caps()} max-bytes=4000000 block=false ! {video}"
                f"{AUDIO_BRANCHES[self.audio]} )"
            )
        # A clip mount gives every client its own pipeline (appsrc → parse → pay costs next to
        # nothing) that starts on a key frame, as real cameras send an IDR to a new session: with
        # one shared pipeline a second client (the wall beside the recorder) joined mid-GOP and
        # waited up to a second for its first picture, and a client arriving while the last
        # one's shared media was being torn down got 503. Live-encoded PTZ mounts stay shared:
        # an encoder per client would cost a core.
        factory.set_shared(self.ptz is not None)
        factory.set_protocols(LOWER_TRANSPORTS[self.transport])
        perms = Gst.Structure.new_from_string(
            f"{self.role}, media.factory.access=(boolean)true, "
            "media.factory.construct=(boolean)true"
        )
        factory.add_role_from_structure(perms)
        factory.connect("media-configure", self.on_media_configure)
        return factory

    def on_media_configure(self, _factory, media: GstRtspServer.RTSPMedia) -> None:
        if self.ptz is not None:
            self.ptz.attach(media.get_element(), self)
            self.live_pipelines += 1
            encoder = media.get_element().get_by_name_recurse_up("enc")
            if encoder is not None:
                self.encoders.append(encoder)
            media.connect("unprepared", self.on_live_unprepared, encoder)
            return
        appsrc = media.get_element().get_by_name_recurse_up("src")
        audio_pay = media.get_element().get_by_name_recurse_up("pay1")
        if audio_pay is not None:
            pad = audio_pay.get_static_pad("sink")
            # a frozen camera sends nothing at all: its audio stops with its video
            pad.add_probe(Gst.PadProbeType.BUFFER,
                          lambda _pad, _info: Gst.PadProbeReturn.DROP if self.frozen
                          else Gst.PadProbeReturn.OK)
            pad.add_probe(Gst.PadProbeType.QUERY_UPSTREAM, not_seekable)
        feeder = Feeder(self, appsrc)
        self.feeders = [f for f in self.feeders if f.alive] + [feeder]
        media.connect("unprepared", self.on_unprepared, feeder)
        media.connect("new-state", self.on_new_state, feeder)
        self.scheduler.add(feeder)

    def start_frame(self) -> int:
        """Where a new session starts: on the clip's first key frame, or where the camera's
        own clock is (a camera that does not restart its GOP for a client)."""
        if self.key_frame_on_connect:
            return 0  # the clip starts with an IDR
        return int((time.monotonic() - self.epoch) * self.clip.fps) % len(self.clip.units)

    def on_new_state(self, _media, state: int, feeder: Feeder) -> None:
        if state == Gst.State.PLAYING:
            feeder.restart_at_key_frame = True  # the client's PLAY: start it on a key frame

    def on_live_unprepared(self, _media, encoder: Gst.Element | None) -> None:
        self.live_pipelines = max(0, self.live_pipelines - 1)
        if encoder in self.encoders:
            self.encoders.remove(encoder)

    def force_key_frame(self) -> bool:
        """A client joins a shared live mount: ask x264 for a key frame now (as real cameras
        send an IDR to a new session) instead of leaving it to wait up to a GOP."""
        for encoder in self.encoders:
            event = GstVideo.video_event_new_upstream_force_key_unit(
                Gst.CLOCK_TIME_NONE, True, 0)
            encoder.get_static_pad("src").send_event(event)
        return False  # as a GLib timeout: once

    def on_unprepared(self, _media, feeder: Feeder) -> None:
        feeder.alive = False
        self.feeders = [f for f in self.feeders if f.alive]

    def set_frozen(self, frozen: bool) -> None:
        self.frozen = frozen
        if not frozen:
            for feeder in self.feeders:
                feeder.thaw()


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 2617 digest


class CameraLogin:
    """How one camera asks for a login, other than GStreamer's own Digest without qop: "basic",
    "digest-qop" (qop="auth" offered and required, as RFC 7616 has it) or "both" (a Digest
    challenge without qop, then a Basic one, in two WWW-Authenticate headers, as Hikvision
    sends; either answer is accepted)."""

    def __init__(self, mode: str, camera: str, user: str, password: str) -> None:
        self.mode = mode
        self.realm = f"IP Camera({camera})"
        self.user = user
        self.password = password

    def challenges(self, nonce: str) -> list[str]:
        qop = ', qop="auth"' if self.mode == "digest-qop" else ""
        digest = f'Digest realm="{self.realm}"{qop}, nonce="{nonce}", stale="FALSE"'
        basic = f'Basic realm="{self.realm}"'
        return {"basic": [basic], "digest-qop": [digest], "both": [digest, basic]}[self.mode]

    def accepts(self, authorization: str, method: str, nonce_ok: Callable[[str], bool]) -> bool:
        scheme, _, rest = authorization.strip().partition(" ")
        if scheme.lower() == "basic" and self.mode in ("basic", "both"):
            expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return hmac.compare_digest(rest.strip(), expected)
        if scheme.lower() != "digest" or self.mode == "basic":
            return False
        fields = {k.lower(): (q if q else v) for k, q, v in
                  re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))', rest)}
        qop_offered = self.mode == "digest-qop"
        if (fields.get("username") != self.user or fields.get("realm") != self.realm
                or not nonce_ok(fields.get("nonce", ""))
                or ("qop" in fields) != qop_offered):
            return False
        ha1 = md5_hex(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5_hex(f"{method}:{fields.get('uri', '')}")
        if qop_offered:
            if fields["qop"] != "auth":
                return False
            expected = md5_hex(f"{ha1}:{fields['nonce']}:{fields.get('nc', '')}:"
                               f"{fields.get('cnonce', '')}:auth:{ha2}")
        else:
            expected = md5_hex(f"{ha1}:{fields['nonce']}:{ha2}")  # RFC 2069
        return hmac.compare_digest(fields.get("response", ""), expected)


class LabAuth(GstRtspServer.RTSPAuth):
    """GStreamer's RTSPAuth, plus cameras that log in otherwise (:class:`CameraLogin`).

    GStreamer 1.22 cannot do these from Python: its Digest has no qop, its auth methods are an
    enum in the bindings (Basic and Digest together cannot be asked for), and the messages a
    Python ``do_generate_authenticate_header`` or ``do_authenticate`` sees are copies (their
    headers cannot be changed, ``ctx.token`` cannot be set). So for these cameras' paths
    ``do_check`` decides itself and sends its own 401; every other path, and the connection
    check, goes to GStreamer's own check unchanged.
    """

    CHECKS = ("auth.check.url", "auth.check.media.factory.access",
              "auth.check.media.factory.construct")

    def __init__(self) -> None:
        super().__init__()
        self.logins: dict[str, CameraLogin] = {}  # mount path → its camera's login
        self.secret = os.urandom(16)

    def login_for(self, path: str) -> CameraLogin | None:
        for mount_path, login in self.logins.items():
            if path == mount_path or path.startswith(mount_path + "/"):
                return login
        return None

    def nonce(self) -> str:
        stamp = f"{int(time.time()):x}"
        return stamp + hmac.new(self.secret, stamp.encode(), "sha256").hexdigest()[:24]

    def nonce_ok(self, nonce: str) -> bool:
        stamp, mac = nonce[:-24], nonce[-24:]
        good = hmac.new(self.secret, stamp.encode(), "sha256").hexdigest()[:24]
        return bool(stamp) and hmac.compare_digest(mac, good)

    def do_check(self, ctx: GstRtspServer.RTSPContext, check: str) -> bool:
        uri = ctx.uri
        login = self.login_for(uri.abspath) if uri is not None else None
        if login is None or check == "auth.check.connect":
            return GstRtspServer.RTSPAuth.do_check(self, ctx, check)
        if check not in self.CHECKS:
            return False  # client transport settings (multicast): not for these cameras
        request = ctx.request  # a copy: readable, not writable
        result, authorization = request.get_header(GstRtsp.RTSPHeaderField.AUTHORIZATION, 0)
        _, method, _, _ = request.parse_request()
        if result == GstRtsp.RTSPResult.OK and login.accepts(
                authorization, GstRtsp.rtsp_method_as_text(method), self.nonce_ok):
            return True
        _, response = GstRtsp.rtsp_message_new_response(
            GstRtsp.RTSPStatusCode.UNAUTHORIZED, "Unauthorized", request)
        for challenge in login.challenges(self.nonce()):
            response.add_header(GstRtsp.RTSPHeaderField.WWW_AUTHENTICATE, challenge)
        ctx.client.send_message(ctx.session, response)
        return False  # the reply is sent: GStreamer sends none of its own


class LabRtspServer:
    def __init__(self, config: dict) -> None:
        self.server = GstRtspServer.RTSPServer()
        self.server.set_address(config.get("address", "127.0.0.1"))
        self.server.set_service(str(config.get("port", 0)))
        # Clients are served by the pool's one client thread, and GStreamer stops that thread when
        # its last client leaves, while the thread is still tearing down that client's shared
        # (PTZ) media. The next client then got a fresh thread, found the half-unprepared media
        # in the factory's cache and was answered 503 ("was not unprepared"; GStreamer 1.22 does
        # not skip such a media, later versions check gst_rtsp_media_can_be_shared). Holding the
        # client thread from the start keeps it alive: every client stays on it, one request
        # after another, so a DESCRIBE comes after the teardown has finished. (Serving clients
        # on the main loop instead, set_max_threads(0), made tests/lab/test_rtsp.py's rapid
        # reconnects get too few packets.)
        self.client_thread = self.server.get_thread_pool().get_thread(
            GstRtspServer.RTSPThreadType.CLIENT, GstRtspServer.RTSPContext())
        self.scheduler = Scheduler()
        own_logins = any(m.get("auth", "digest") != "digest" for m in config["mounts"])
        self.auth = LabAuth() if own_logins else GstRtspServer.RTSPAuth()
        self.auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        self.server.set_auth(self.auth)
        self.mounts: dict[str, Mount] = {}
        self.stopped: set[str] = set()
        self.client_paths: dict[int, set[str]] = {}
        self.tokens: dict[str, GstRtspServer.RTSPToken] = {}  # user → token, for a new password
        clips: dict[str, Clip] = {}
        for spec in config["mounts"]:
            clip = clips.get(spec["file"])
            if clip is None:
                clip = clips[spec["file"]] = Clip(
                    spec["file"], int(spec.get("fps", 25)), spec.get("codec", "h264"),
                    spec.get("pts"), spec.get("parameter_sets") == "out-of-band")
            mount = Mount(spec, clip, self.scheduler)
            self.mounts[mount.path] = mount
            if mount.auth_mode != "digest":
                assert isinstance(self.auth, LabAuth)
                same = next((login for login in self.auth.logins.values()
                             if login.user == mount.user), None)
                self.auth.logins[mount.path] = same or CameraLogin(
                    mount.auth_mode, mount.camera, mount.user, spec["password"])
            elif spec["user"] not in self.tokens:
                token = GstRtspServer.RTSPToken()
                token.set_string("media.factory.role", mount.role)
                self.tokens[spec["user"]] = token
                self.auth.add_digest(spec["user"], spec["password"], token)
        points = self.server.get_mount_points()
        for mount in self.mounts.values():
            points.add_factory(mount.path, mount.factory)
        self.server.connect("client-connected", self.on_client_connected)

    # Which client watches which path, so that "stop" can kick exactly a camera's clients.
    def on_client_connected(self, _server, client: GstRtspServer.RTSPClient) -> None:
        for signal_name in ("describe-request", "setup-request", "play-request"):
            client.connect(signal_name, self.on_request)
        client.connect("play-request", self.on_play)
        client.connect("closed", self.on_client_closed)

    def on_request(self, client, ctx) -> None:
        uri = ctx.uri
        if uri is None:
            return
        path = uri.abspath
        for mount_path in self.mounts:
            if path == mount_path or path.startswith(mount_path + "/"):
                self.client_paths.setdefault(hash(client), set()).add(mount_path)

    def on_play(self, _client, ctx) -> None:
        uri = ctx.uri
        if uri is None:
            return
        for mount_path, mount in self.mounts.items():
            if (mount.ptz is not None and mount.key_frame_on_connect
                    and (uri.abspath == mount_path or uri.abspath.startswith(mount_path + "/"))):
                # once the PLAY reply is on its way the new client's transport is live
                GLib.timeout_add(60, mount.force_key_frame)

    def on_client_closed(self, client) -> None:
        self.client_paths.pop(hash(client), None)

    def camera_mounts(self, camera: str) -> list[Mount]:
        found = [m for m in self.mounts.values() if m.camera == camera]
        if not found:
            raise KeyError(f"unknown camera {camera}")
        return found

    def stop_camera(self, camera: str) -> None:
        mounts = self.camera_mounts(camera)
        paths = {m.path for m in mounts}
        points = self.server.get_mount_points()
        for m in mounts:
            points.remove_factory(m.path)
        self.stopped |= paths

        def kick(_server, client, *_args):
            watched = self.client_paths.get(hash(client), set())
            if watched & paths:
                return GstRtspServer.RTSPFilterResult.REMOVE
            return GstRtspServer.RTSPFilterResult.KEEP

        self.server.client_filter(kick)

    def start_camera(self, camera: str) -> None:
        points = self.server.get_mount_points()
        for m in self.camera_mounts(camera):
            if m.path in self.stopped:
                # A fresh factory: the old one may still hold a half-torn-down shared media.
                m.factory = m.make_factory()
                points.add_factory(m.path, m.factory)
                self.stopped.discard(m.path)

    def set_password(self, camera: str, password: str) -> None:
        """From the next request on, the camera wants ``password``; sessions already playing
        keep playing (as on real cameras)."""
        for mount in self.camera_mounts(camera):
            if mount.auth_mode == "digest":
                self.auth.remove_digest(mount.user)
                self.auth.add_digest(mount.user, password, self.tokens[mount.user])
            else:
                self.auth.logins[mount.path].password = password

    def handle(self, request: dict) -> dict:
        cmd = request.get("cmd")
        try:
            if cmd == "freeze":
                for m in self.camera_mounts(request["camera"]):
                    m.set_frozen(True)
            elif cmd == "unfreeze":
                for m in self.camera_mounts(request["camera"]):
                    m.set_frozen(False)
            elif cmd == "stop":
                self.stop_camera(request["camera"])
            elif cmd == "password":
                self.set_password(request["camera"], str(request["password"]))
            elif cmd == "start":
                self.start_camera(request["camera"])
            elif cmd == "ptz":
                for m in self.camera_mounts(request["camera"]):
                    if m.ptz is not None:
                        m.ptz.state = request["state"]
            elif cmd == "stats":
                active = {
                    m.path: {
                        "pipelines": sum(1 for f in m.feeders if f.alive),
                        "frames": sum(f.pushed for f in m.feeders if f.alive),
                    }
                    for m in self.mounts.values()
                    if any(f.alive for f in m.feeders)
                }
                for m in self.mounts.values():
                    if m.live_pipelines:
                        active[m.path] = {"pipelines": m.live_pipelines, "frames": m.live_frames,
                                          "live": True}
                return {"ok": True, "active": active}
            else:
                return {"ok": False, "error": f"unknown command {cmd!r}"}
        except KeyError as err:
            return {"ok": False, "error": str(err)}
        return {"ok": True}


def reply(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main() -> int:
    # No prctl(PR_SET_PDEATHSIG): it fires when the parent *thread* that spawned us exits, and
    # Lab.start may run on a worker thread. EOF on stdin is the reliable "parent is gone".
    if os.getppid() == 1:
        return 0
    Gst.init(None)
    first = sys.stdin.readline()
    if not first:
        return 0
    config = json.loads(first)
    lab = LabRtspServer(config)
    loop = GLib.MainLoop()
    if lab.server.attach(None) == 0:
        reply({"ready": False, "error": f"cannot listen on port {config.get('port')}"})
        return 1
    reply({"ready": True, "port": lab.server.get_bound_port()})

    # Expire idle sessions (clients that vanished without TEARDOWN) every few seconds.
    def cleanup() -> bool:
        lab.server.get_session_pool().cleanup()
        return True

    GLib.timeout_add_seconds(2, cleanup)

    def read_commands() -> None:
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                request = json.loads(line)
            except ValueError:
                reply({"ok": False, "error": "bad json"})
                continue
            done = threading.Event()
            result: dict = {}

            def run(request=request, result=result, done=done) -> bool:
                result.update(lab.handle(request))
                done.set()
                return False

            GLib.idle_add(run)  # GStreamer objects are touched on the main loop only
            done.wait()
            reply(result)
        GLib.idle_add(loop.quit)  # EOF: the parent is gone or wants us gone

    threading.Thread(target=read_commands, name="commands", daemon=True).start()
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, lambda *_: (loop.quit(), False)[1])
    loop.run()
    # No interpreter teardown with GStreamer's streaming threads still running: a daemon thread
    # stopped mid-callback can hold a lock that finalising a pipeline then waits on forever.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
