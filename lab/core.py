"""``lab.Lab``: N simulated cameras (RTSP child process + ONVIF endpoints) with test controls.

The RTSP server runs in a child (``/usr/bin/python3 lab/rtsp_server.py``) because only Debian's
Python has GStreamer's bindings; this side encodes the clips, hands the child its mounts and
credentials over stdin, and drives it with one JSON line per command. The child exits when its
stdin reaches EOF, so it cannot outlive this process, however this process ends.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import secrets
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from aiohttp import web

from lab.cameras import MAX_CAMERAS, LabCamera, make_camera
from lab.clips import (
    PANORAMA_SIZE,
    SUB_SIZE,
    CameraClips,
    ClipSpec,
    clip_seconds_for,
    encode_all,
    main_kbps_for,
    make_panorama,
    report_progress,
)
from lab.onvif_sim import PAN_TILT_RATE, ZOOM_RATE, DeviceControls, OnvifLab, PtzState
from lab.traits import CameraTraits
from lab.util import RtspProbeError, rtsp_describe

log = logging.getLogger("iocwall.lab")

SYSTEM_PYTHON = "/usr/bin/python3"
RTSP_CHILD = Path(__file__).with_name("rtsp_server.py")
HOST = "127.0.0.1"


class LabError(RuntimeError):
    """The lab could not start or a control failed (never carries credentials)."""


def default_data_dir() -> Path:
    env = os.environ.get("IOCWALL_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("iocwall"))


def _previous_credentials(manifest: Path) -> dict[int, dict[str, Any]]:
    """Credentials per camera index from the last run's manifest (empty if none or unreadable)."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return {int(c["index"]): c for c in data["cameras"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


class _RtspChild:
    """The GStreamer child and its line protocol (one request, one reply, under a lock)."""

    def __init__(self, config: dict[str, Any], ready_timeout: float) -> None:
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(RTSP_CHILD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            close_fds=True,  # nobody else may hold our stdin pipe: its EOF is the child's cue
            # Cameras in Đồng Hới burn local time (UTC+7) into the picture, as the wall shows it.
            env={**os.environ, "TZ": "Asia/Ho_Chi_Minh"},
        )
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr
        self.stdin: IO[str] = self.proc.stdin
        self.stdout: IO[str] = self.proc.stdout
        threading.Thread(target=self._pump_stderr, args=(self.proc.stderr,),
                         name="lab-rtsp-stderr", daemon=True).start()
        self.stdin.write(json.dumps(config) + "\n")
        self.stdin.flush()
        reply = self._read(ready_timeout)
        if not reply.get("ready"):
            self.close()
            raise LabError(f"RTSP server did not start: {reply.get('error', reply)}")
        self.port = int(reply["port"])

    def _pump_stderr(self, stream: IO[str]) -> None:
        for line in stream:
            line = line.rstrip()
            if line:
                log.warning("rtsp child: %s", line)

    def _read(self, timeout: float) -> dict[str, Any]:
        result: dict[str, Any] = {}
        done = threading.Event()

        def read() -> None:
            line = self.stdout.readline()
            if line:
                result.update(json.loads(line))
            done.set()

        threading.Thread(target=read, name="lab-rtsp-reply", daemon=True).start()
        if not done.wait(timeout):
            raise LabError(f"RTSP server did not answer within {timeout:.0f} s")
        if not result:
            raise LabError(f"RTSP server exited (code {self.proc.poll()})")
        return result

    def command(self, cmd: str, camera: str | None = None, timeout: float = 10.0,
                **extra: Any) -> dict[str, Any]:
        with self.lock:
            if self.proc.poll() is not None:
                raise LabError(f"RTSP server is not running (exit code {self.proc.returncode})")
            request: dict[str, Any] = {"cmd": cmd, **extra}
            if camera is not None:
                request["camera"] = camera
            self.stdin.write(json.dumps(request) + "\n")
            self.stdin.flush()
            reply = self._read(timeout)
        if not reply.get("ok"):
            raise LabError(f"RTSP server refused {cmd}: {reply.get('error')}")
        return reply

    def close(self) -> None:
        with self.lock:
            try:
                self.stdin.close()  # EOF: the child quits its main loop
            except BrokenPipeError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                log.warning("RTSP server ignored EOF; terminating pid %d", self.proc.pid)
                self.proc.terminate()
                try:
                    self.proc.wait(3)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(3)


def motion_sender(rtsp: _RtspChild, slug: str) -> Callable[[PtzState], None]:
    """Forward a PTZ camera's motion model to the RTSP child, in order, off the ONVIF loop (the
    SOAP reply must not wait for the child)."""
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"lab-ptz-{slug}")

    def send(state: dict[str, Any]) -> None:
        try:
            rtsp.command("ptz", slug, state=state)
        except LabError as err:
            log.warning("%s: PTZ picture not updated: %s", slug, err)

    def on_motion(ptz: PtzState) -> None:
        o, v = ptz.origin, ptz.velocity
        state = {"origin": [o.pan, o.tilt, o.zoom], "velocity": [v.pan, v.tilt, v.zoom],
                 "since": ptz.since, "until": ptz.until,
                 "rates": [PAN_TILT_RATE, PAN_TILT_RATE, ZOOM_RATE]}
        worker.submit(send, state)

    return on_motion


class Lab:
    """N simulated cameras on loopback. Use ``Lab.start(...)``; close it (or use ``with``)."""

    def __init__(self, cameras: list[LabCamera], data_dir: Path, rtsp: _RtspChild,
                 onvif: OnvifLab, controls: dict[int, DeviceControls], control_port: int | None,
                 clips: Sequence[CameraClips]) -> None:
        self.cameras = cameras
        self.data_dir = data_dir
        self.manifest_path = data_dir / "lab.json"
        self.control_port = control_port
        self.rtsp_port = rtsp.port
        self.clips = list(clips)
        self._rtsp = rtsp
        self._onvif = onvif
        self._controls = controls
        self._closed = False

    # -- start ----------------------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        cameras: int = 8,
        data_dir: Path | None = None,
        rtsp_port: int = 0,
        onvif_base_port: int = 0,
        control_port: int | None = 0,
        clip_seconds: int = 20,
        ready_timeout: float = 600.0,
        gop_seconds: int | Mapping[int, int] = 1,
        key_frame_on_connect: bool = True,
        traits: Mapping[int, CameraTraits] | None = None,
    ) -> Lab:
        """Encode (or reuse) the clips, start RTSP + ONVIF, wait until every mount answers.

        ``*_port=0`` picks free ports; ``control_port=None`` starts no HTTP control endpoint.
        ``gop_seconds``: seconds between key frames, for every camera or by camera index (the
        others 1 s); a clip is lengthened to a whole number of GOPs. ``key_frame_on_connect``
        False: a new RTSP session of a clip camera starts at the frame the camera is at now (its
        encoder runs on its own clock, as a camera that does not restart its GOP for a client),
        so a viewer waits for the next key frame; True (default) starts it on a key frame.
        ``traits``: ``{index: CameraTraits(...)}`` gives those cameras real cameras' traits
        (transport, codec and profile, fps and size, GOP, parameter sets, audio, auth; see
        ``lab.traits``); the others keep the defaults. A trait's ``gop_seconds`` wins over
        ``gop_seconds``. ``LabCamera.traits`` and the manifest say every camera's traits.
        """
        if not 1 <= cameras <= MAX_CAMERAS:
            raise ValueError(f"cameras must be 1..{MAX_CAMERAS}")
        chosen = dict(traits or {})
        if any(not 0 <= i < cameras for i in chosen):
            raise ValueError(f"traits given for cameras outside 0..{cameras - 1}")
        gops = {i: (gop_seconds.get(i, 1) if isinstance(gop_seconds, Mapping) else gop_seconds)
                for i in range(cameras)}
        if any(not isinstance(g, int) or g < 1 for g in gops.values()):
            raise ValueError("gop_seconds must be whole seconds ≥ 1")
        data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        data_dir.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()

        # Credentials first (the child needs them), URLs once the child knows its port.
        previous = _previous_credentials(data_dir / "lab.json")
        draft = [make_camera(i, HOST, rtsp_port, None, previous.get(i), gops[i], chosen.get(i))
                 for i in range(cameras)]
        for cam in draft:
            asked = chosen.get(cam.index)
            if cam.ptz and asked is not None and asked.clip_traits:
                raise ValueError(f"camera {cam.index} is a PTZ camera (encoded live): it takes "
                                 f"no {', '.join(asked.clip_traits)} trait")
        specs = []
        for cam in draft:
            t = cam.traits
            specs.append(ClipSpec(index=cam.index, name=cam.name, main_width=cam.main_width,
                                  main_height=cam.main_height,
                                  seconds=clip_seconds_for(clip_seconds, cam.gop_seconds),
                                  fps=t.fps, main_kbps=main_kbps_for(cam.main_width,
                                                                     cam.main_height),
                                  gop_seconds=cam.gop_seconds, codec=t.codec, profile=t.profile))
        clips = encode_all(data_dir / "lab-cache", specs)
        encoded = time.monotonic()
        mounts = []
        panoramas = {cam.index: make_panorama(data_dir / "lab-cache", variant)
                     for variant, cam in enumerate(c for c in draft if c.ptz)}
        for cam, clip in zip(draft, clips, strict=True):
            t = cam.traits
            for stream, path, pts in (("main", clip.main, clip.main_pts),
                                      ("sub", clip.sub, clip.sub_pts)):
                mount: dict[str, Any] = {
                    "path": f"/{cam.slug}/{stream}", "camera": cam.slug, "file": str(path),
                    "fps": t.fps, "user": cam.rtsp_username, "password": cam.rtsp_password,
                    "name": cam.name, "gop_seconds": cam.gop_seconds,
                    "key_frame_on_connect": key_frame_on_connect,
                    "codec": t.codec, "pts": str(pts) if pts else None,
                    "parameter_sets": t.parameter_sets, "audio": t.audio,
                    "transport": t.transport, "auth": t.auth}
                panorama = panoramas.get(cam.index)
                if panorama is not None:
                    w, h = (cam.main_width, cam.main_height) if stream == "main" else SUB_SIZE
                    mount["ptz"] = {"panorama": str(panorama), "pano_width": PANORAMA_SIZE[0],
                                    "pano_height": PANORAMA_SIZE[1], "width": w, "height": h,
                                    "kbps": 3000 if stream == "main" else 1000}
                mounts.append(mount)
        rtsp = _RtspChild({"port": rtsp_port, "address": HOST, "mounts": mounts},
                          ready_timeout=60)
        onvif = OnvifLab()
        controls: dict[int, DeviceControls] = {}
        lab: Lab | None = None
        try:
            final: list[LabCamera] = []
            for cam, clip in zip(draft, clips, strict=True):
                cam = dataclasses.replace(
                    cam,
                    main_url=f"rtsp://{HOST}:{rtsp.port}/{cam.slug}/main",
                    sub_url=f"rtsp://{HOST}:{rtsp.port}/{cam.slug}/sub",
                )
                if cam.ptz or cam.traits.onvif:
                    t = cam.traits
                    controls[cam.index] = DeviceControls(
                        on_motion=motion_sender(rtsp, cam.slug) if cam.ptz else None,
                        clock_skew_s=float(t.clock_skew_s), advertise_host=t.advertise_host)
                    wanted = onvif_base_port + cam.index if onvif_base_port else 0
                    port = onvif.add_device(cam, clip.snapshot.read_bytes(),
                                            controls[cam.index], wanted)
                    cam = dataclasses.replace(cam, onvif_port=port)
                    onvif.set_camera(cam)
                final.append(cam)
            lab = cls(final, data_dir, rtsp, onvif, controls, None, clips)
            if control_port is not None:
                lab.control_port = onvif.add_app(lab._control_app(), HOST, control_port)
            lab.wait_ready(timeout=ready_timeout)
            lab.write_manifest()
        except BaseException:
            if lab is not None:
                lab.close()
            else:
                onvif.close()
                rtsp.close()
            raise
        log.info("lab ready: %d cameras, RTSP port %d (clips %.1f s, start %.1f s)",
                 cameras, rtsp.port, encoded - started, time.monotonic() - encoded)
        return lab

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Block until every mount answers an authenticated DESCRIBE with 200."""
        deadline = time.monotonic() + timeout

        targets = [(c, u) for c in self.cameras for u in (c.main_url, c.sub_url)]
        answered = [0]
        answered_lock = threading.Lock()
        report_progress("streams", 0, len(targets))

        def probe(cam_url: tuple[LabCamera, str]) -> None:
            cam, url = cam_url
            while True:
                try:
                    # a camera that does not restart its GOP for a new session answers DESCRIBE
                    # only at its next key frame: wait longer than one GOP
                    status = rtsp_describe(url, cam.rtsp_username, cam.rtsp_password,
                                           timeout=5.0 + cam.gop_seconds)
                    if status == 200:
                        with answered_lock:
                            answered[0] += 1
                            report_progress("streams", answered[0], len(targets))
                        return
                    error = f"status {status}"
                except (OSError, RtspProbeError) as err:
                    error = str(err)
                if time.monotonic() > deadline:
                    raise LabError(f"{cam.name}: {url} not ready: {error}")
                time.sleep(0.1)

        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="lab-probe") as pool:
            list(pool.map(probe, targets))

    def write_manifest(self) -> None:
        """``lab.json``: same data as ``cameras`` (with credentials: mode 0600, atomic)."""
        data = {"cameras": [c.to_json() for c in self.cameras]}
        tmp = self.manifest_path.with_name(f".lab.json.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
        os.replace(tmp, self.manifest_path)

    # -- controls -------------------------------------------------------------------------------
    def camera(self, index: int) -> LabCamera:
        for cam in self.cameras:
            if cam.index == index:
                return cam
        raise IndexError(f"no lab camera {index}")

    def freeze(self, index: int) -> None:
        """The RTSP sessions stay up, no more media packets flow (both streams)."""
        cam = self.camera(index)
        self._rtsp.command("freeze", cam.slug)
        log.info("%s: frozen", cam.name)

    def unfreeze(self, index: int) -> None:
        cam = self.camera(index)
        self._rtsp.command("unfreeze", cam.slug)
        log.info("%s: unfrozen", cam.name)

    def stop_stream(self, index: int) -> None:
        """Kick the camera's RTSP clients and refuse new ones (404) until ``start_stream``."""
        cam = self.camera(index)
        self._rtsp.command("stop", cam.slug)
        log.info("%s: streams stopped", cam.name)

    def start_stream(self, index: int) -> None:
        cam = self.camera(index)
        self._rtsp.command("start", cam.slug)
        log.info("%s: streams started", cam.name)

    def set_password(self, index: int, password: str | None = None) -> str:
        """Change the camera's RTSP password now (a random one if None) and return it: a client
        still holding the old one gets 401 from its next request on (sessions already playing
        keep playing, as on real cameras). ``cameras`` and the manifest get the new one."""
        cam = self.camera(index)
        new = password if password is not None else secrets.token_urlsafe(12)
        if not new:
            raise ValueError("an empty password")
        self._rtsp.command("password", cam.slug, password=new)
        self.cameras = [dataclasses.replace(c, rtsp_password=new) if c.index == index else c
                        for c in self.cameras]
        self.write_manifest()
        log.info("%s: RTSP password changed", cam.name)
        return new

    def set_clock_skew(self, index: int, seconds: float) -> None:
        """Skew the camera's ONVIF clock (GetSystemDateAndTime and the WS-Security check)."""
        self._ptz_controls(index).clock_skew_s = float(seconds)

    def drop_onvif(self, index: int, drop: bool = True) -> None:
        """While on, the ONVIF endpoint accepts requests and never answers them."""
        self._ptz_controls(index).drop = bool(drop)

    def refuse_onvif(self, index: int, actions: Iterable[str] = ()) -> None:
        """Answer these ONVIF actions (e.g. ``{"GetStatus"}``) with ter:ActionNotSupported."""
        self._ptz_controls(index).refused = frozenset(actions)

    def advertise_onvif_host(self, index: int, host: str | None) -> None:
        """Advertise ``host`` in the camera's XAddrs (a camera behind NAT); None: the real one."""
        self._ptz_controls(index).advertise_host = host

    def on_onvif_request(self, index: int, callback: Callable[[str], None] | None) -> None:
        """Call ``callback(action)`` on the lab's ONVIF thread as each request arrives (bench)."""
        self._ptz_controls(index).on_request = callback

    def ptz_position(self, index: int) -> tuple[float, float, float]:
        """The camera's PTZ position now (pan, tilt in -1..1, zoom in 0..1)."""
        self._ptz_controls(index)
        pos = self._onvif.devices[index].ptz.position()
        return pos.pan, pos.tilt, pos.zoom

    def _ptz_controls(self, index: int) -> DeviceControls:
        cam = self.camera(index)
        if index not in self._controls:
            raise LabError(f"{cam.name} has no ONVIF endpoint (not a PTZ camera, no onvif trait)")
        return self._controls[index]

    def rtsp_stats(self) -> dict[str, dict[str, int]]:
        """Per active mount: ``{"pipelines": n, "frames": pushed}``; idle mounts have none."""
        return dict(self._rtsp.command("stats")["active"])

    def rtsp_pid(self) -> int:
        return int(self._rtsp.proc.pid)

    # -- HTTP control endpoint (for ``python -m lab --control-port``) ---------------------------
    def _control_app(self) -> web.Application:
        import asyncio

        app = web.Application()

        async def act(request: web.Request) -> web.Response:
            try:
                index = int(request.match_info["index"])
                action = request.match_info["action"]
                query = request.query
                body: dict[str, Any] = {}
                if request.can_read_body:
                    body = await request.json()
                    if not isinstance(body, dict):
                        raise ValueError("the body must be a JSON object")
                calls = {
                    "freeze": lambda: self.freeze(index),
                    "unfreeze": lambda: self.unfreeze(index),
                    "stop": lambda: self.stop_stream(index),
                    "start": lambda: self.start_stream(index),
                    "clock-skew": lambda: self.set_clock_skew(index, float(query["seconds"])),
                    "drop-onvif": lambda: self.drop_onvif(index, query.get("on", "1") == "1"),
                    # the new password travels in the body, never in a URL that gets logged
                    "password": lambda: self.set_password(index, body.get("password")),
                }
                if action not in calls:
                    return web.json_response({"detail": f"unknown action {action}"}, status=404)
                await asyncio.to_thread(calls[action])
            except (LabError, IndexError, KeyError, ValueError) as err:
                return web.json_response({"detail": str(err)}, status=400)
            return web.json_response({"ok": True})

        async def cameras(_request: web.Request) -> web.Response:
            return web.json_response({"cameras": [
                {"index": c.index, "name": c.name, "main_url": c.main_url, "sub_url": c.sub_url,
                 "ptz": c.ptz, "onvif_port": c.onvif_port} for c in self.cameras]})

        app.router.add_get("/cameras", cameras)
        app.router.add_post("/cameras/{index}/{action}", act)
        return app

    # -- shutdown -------------------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._onvif.close()
        finally:
            self._rtsp.close()
        log.info("lab closed")

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
