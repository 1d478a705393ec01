"""The lab's RTSP server: GStreamer's RTSP server serving pre-encoded H.264 clips, looped.

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
      "width", "height", "kbps"}}]}  (a PTZ mount is encoded live from the panorama)
      key_frame_on_connect false: a clip session starts where the camera's own clock is in the
      clip (a viewer waits for the next key frame), not on a key frame.
  stdout: {"ready": true, "port": 8554} once the server listens, then one reply per command.
  stdin commands: {"cmd": "freeze"|"unfreeze"|"stop"|"start", "camera": "cam01"},
      {"cmd": "ptz", "camera": "cam01", "state": {"origin": [p, t, z], "velocity": [p, t, z],
      "since": monotonic, "until": monotonic | null, "rates": [p, t, z]}} and
      {"cmd": "stats"}; replies {"ok": true, ...} or {"ok": false, "error": "..."}.
  EOF on stdin (the parent died or closed us) ends the process; so does SIGTERM.
Credentials arrive on stdin only, never on the command line (``ps`` shows argv to everyone).
"""

from __future__ import annotations

import heapq
import json
import mmap
import os
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer, GstVideo  # noqa: E402

AUD = b"\x00\x00\x01\x09"
LEAD_S = 0.010  # push a frame this long before its PTS comes due
MAX_LATE_S = 0.5  # further behind than this (a stall, a frozen process): re-base on now
MAX_AHEAD_S = 1.0  # further ahead than this: the running time was re-based; feed from now


def log(msg: str) -> None:
    """Diagnostics go to stderr; stdout belongs to the protocol."""
    sys.stderr.write("lab.rtsp: " + msg + "\n")
    sys.stderr.flush()


class Clip:
    """One Annex-B H.264 file, split into access units (offset, length) once, read by mmap."""

    def __init__(self, path: str, fps: int) -> None:
        self.path = path
        self.fps = fps
        with open(path, "rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        starts = []
        pos = self.map.find(AUD)
        while pos >= 0:
            # x264 writes the delimiter with a 4-byte start code: keep the leading zero in the AU.
            starts.append(pos - 1 if pos > 0 and self.map[pos - 1] == 0 else pos)
            pos = self.map.find(AUD, pos + 4)
        if not starts:
            raise ValueError(f"{path}: no access unit delimiters (encode with x264 aud=1)")
        ends = starts[1:] + [len(self.map)]
        self.units = [(s, e - s) for s, e in zip(starts, ends, strict=True)]
        # The scan touched every page; let them go (file-backed, clean) so 64 idle cameras do
        # not sit in this process's RSS. Mounts with clients fault their pages back in.
        if hasattr(mmap, "MADV_DONTNEED"):
            self.map.madvise(mmap.MADV_DONTNEED)

    def unit(self, index: int) -> bytes:
        offset, length = self.units[index]
        return self.map[offset : offset + length]


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
        if self.restart_at_key_frame:
            self.restart_at_key_frame = False
            self.frame = self.mount.start_frame()
        while self.next_pts - now <= LEAD_S * Gst.SECOND:
            data = self.mount.clip.unit(self.frame)
            buf = Gst.Buffer.new_wrapped(data)
            buf.pts = self.next_pts
            buf.dts = self.next_pts
            buf.duration = self.duration
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
        caps = f"video/x-h264,stream-format=byte-stream,alignment=au,framerate={self.clip.fps}/1"
        if self.ptz is not None:
            factory.set_launch(self.ptz.launch())
        else:
            factory.set_launch(
                f"( appsrc name=src is-live=true format=time do-timestamp=false caps={caps} "
                "max-bytes=4000000 block=false "
                "! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
            )
        # A clip mount gives every client its own pipeline (appsrc → parse → pay costs next to
        # nothing) that starts on a key frame, as real cameras send an IDR to a new session: with
        # one shared pipeline a second client (the wall beside the recorder) joined mid-GOP and
        # waited up to a second for its first picture, and a client arriving while the last
        # one's shared media was being torn down got 503. Live-encoded PTZ mounts stay shared:
        # an encoder per client would cost a core.
        factory.set_shared(self.ptz is not None)
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)
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
        self.auth = GstRtspServer.RTSPAuth()
        self.auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        self.server.set_auth(self.auth)
        self.mounts: dict[str, Mount] = {}
        self.stopped: set[str] = set()
        self.client_paths: dict[int, set[str]] = {}
        clips: dict[str, Clip] = {}
        users: set[str] = set()
        for spec in config["mounts"]:
            clip = clips.get(spec["file"])
            if clip is None:
                clip = clips[spec["file"]] = Clip(spec["file"], int(spec.get("fps", 25)))
            mount = Mount(spec, clip, self.scheduler)
            self.mounts[mount.path] = mount
            if spec["user"] not in users:
                users.add(spec["user"])
                token = GstRtspServer.RTSPToken()
                token.set_string("media.factory.role", mount.role)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
