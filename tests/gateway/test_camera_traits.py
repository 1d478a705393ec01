"""Cameras as real ones are, through the gateway to a standard player (ffprobe, PyAV).

The traits the lab does not imitate yet come from a test-only camera (``camserver.py``,
GStreamer's RTSP server with launch lines, an auth front like Hikvision's); the long GOP comes
from the lab. Each test plays a session URL end to end; bounds are loose (2 shared cores).
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import GatewayProcess
from lab import Lab
from lab.testing import start_test_lab
from tests.gateway.helpers import camera_id, gateway_config, issue, session_url, wait_until

pytestmark = pytest.mark.lab

SYSTEM_PYTHON = "/usr/bin/python3"
RAW = "videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width={w},height={h},framerate={fps}/1"
X264 = "x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop}"
X265 = "x265enc tune=zerolatency speed-preset=ultrafast key-int-max={gop}"
TONE = "audiotestsrc is-live=true wave=ticks ! audio/x-raw,rate={rate},channels=1"


def video(codec: str = "h264", w: int = 320, h: int = 180, fps: int = 25, gop: int = 25,
          in_band: bool = True) -> str:
    raw = RAW.format(w=w, h=h, fps=fps)
    if codec == "h264":
        # in-band: x264 repeats SPS/PPS before each IDR; else only in the SDP (sprop)
        tail = ("h264parse ! video/x-h264,stream-format=byte-stream" if in_band
                else "h264parse ! video/x-h264,stream-format=avc")
        return f"{raw} ! {X264.format(gop=gop)} ! {tail} ! rtph264pay name=pay0 pt=96"
    tail = ("h265parse ! video/x-h265,stream-format=byte-stream" if in_band
            else "h265parse ! video/x-h265,stream-format=hvc1")
    return f"{raw} ! {X265.format(gop=gop)} ! {tail} ! rtph265pay name=pay0 pt=96"


AUDIO = {
    "pcma": f"{TONE.format(rate=8000)} ! alawenc ! rtppcmapay name=pay1",
    "pcmu": f"{TONE.format(rate=8000)} ! mulawenc ! rtppcmupay name=pay1",
    "aac": f"{TONE.format(rate=16000)} ! voaacenc ! rtpmp4gpay name=pay1",
    "latm": f"{TONE.format(rate=16000)} ! voaacenc ! rtpmp4apay name=pay1",
}
QOP = {"user": "admin", "password": "Cam3ra-Pass"}
MOUNTS: dict[int, dict[str, Any]] = {
    1: {"path": "/h265pcma", "launch": f"( {video('h265', in_band=False)} {AUDIO['pcma']} )"},
    2: {"path": "/h264pcmu", "launch": f"( {video(in_band=False)} {AUDIO['pcmu']} )"},
    3: {"path": "/h264aac", "launch": f"( {video()} {AUDIO['aac']} )"},
    4: {"path": "/h264latm", "launch": f"( {video()} {AUDIO['latm']} )"},
    5: {"path": "/noaudio", "launch": f"( {video()} )"},
    6: {"path": "/udponly", "launch": f"( {video()} )", "protocols": "udp"},
    7: {"path": "/qop", "launch": f"( {video()} )", "auth": QOP},
    8: {"path": "/lockout", "launch": f"( {video()} )", "auth": QOP},
    9: {"path": "/1440p5", "launch": f"( {video(w=2560, h=1440, fps=5, gop=10)} )"},
}
MISSING = 10  # a path the camera answers 404


class CamServer:
    def __init__(self, mounts: list[dict[str, Any]]) -> None:
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(Path(__file__).with_name("camserver.py"))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"mounts": mounts}) + "\n")
        self.process.stdin.flush()
        self.port = int(json.loads(self.process.stdout.readline())["port"])

    def url(self, path: str) -> str:
        return f"rtsp://127.0.0.1:{self.port}{path}"

    def counts(self, path: str) -> dict[str, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write('{"cmd": "stats"}\n')
        self.process.stdin.flush()
        row = json.loads(self.process.stdout.readline())["counts"].get(path, {})
        return {key: int(value) for key, value in row.items()}

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


@pytest.fixture(scope="module")
def cams() -> Iterator[CamServer]:
    server = CamServer(list(MOUNTS.values()))
    yield server
    server.close()


def entry(cams: CamServer, ident: int, path: str, transport: str = "auto",
          password: str | None = None) -> dict[str, Any]:
    spec = MOUNTS.get(ident, {})
    auth = spec.get("auth") or {}
    return {"camera_id": ident, "stream": "main", "url": cams.url(path),
            "username": auth.get("user", ""),
            "password": password if password is not None else auth.get("password", ""),
            "transport": transport, "name": f"trait {ident}"}


def table(cams: CamServer) -> list[dict[str, Any]]:
    rows = [entry(cams, ident, spec["path"]) for ident, spec in MOUNTS.items()]
    rows[7]["password"] = "wrong"  # camera 8: a wrong password
    rows.append(entry(cams, MISSING, "/missing"))
    rows.append({**entry(cams, 11, MOUNTS[6]["path"], transport="tcp")})
    return rows


@pytest.fixture(scope="module")
def gw(cams: CamServer, signing_key: Ed25519PrivateKey) -> Iterator[GatewayProcess]:
    config = gateway_config_for(table(cams), signing_key)
    with GatewayProcess(config) as running:
        yield running


def gateway_config_for(cameras: list[dict[str, Any]], key: Ed25519PrivateKey) -> dict[str, Any]:
    class NoLab:
        cameras: list[Any] = []

    config = gateway_config(NoLab(), key)  # type: ignore[arg-type]
    config["cameras"] = cameras
    return config


def url_of(gw: GatewayProcess, key: Ed25519PrivateKey, ident: int, live: bool = False) -> str:
    url = session_url(gw, issue(key, ident, "main"), key)
    return url.replace("/main?", "/main/live?") if live else url


def streams(url: str) -> list[dict[str, Any]]:
    done = subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_streams",
                           "-of", "json", url], capture_output=True, text=True, timeout=40,
                          check=False)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout)["streams"])


def upstream(gw: GatewayProcess, ident: int) -> dict[str, Any]:
    (row,) = [s for s in gw.stats()["streams"] if s["camera_id"] == ident]
    return dict(row["upstream"])


def read(url: str, seconds: float) -> dict[str, Any]:
    """PyAV: decoded video frames and audio packets within ``seconds`` of opening."""
    started = time.monotonic()
    container = av.open(url, options={"rtsp_transport": "tcp"}, timeout=(10, 15))
    seen: dict[str, Any] = {"frames": 0, "audio": 0, "first_picture": None, "sizes": set()}
    try:
        for packet in container.demux():
            if packet.size == 0 or time.monotonic() - started > seconds:
                break
            if packet.stream.type == "audio":
                seen["audio"] += 1
                continue
            for frame in packet.decode():
                seen["frames"] += 1
                seen["sizes"].add((frame.width, frame.height))
                if seen["first_picture"] is None:
                    seen["first_picture"] = time.monotonic() - started
    finally:
        container.close()
    return seen


# -- 1. H.264 and H.265, parameter sets in-band or only in the SDP ------------------------
@pytest.mark.parametrize(("ident", "codec"), [(1, "hevc"), (2, "h264"), (5, "h264")])
def test_h264_and_h265_with_parameter_sets_in_band_or_only_in_the_sdp(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey, ident: int,
        codec: str) -> None:
    seen = read(url_of(gw, signing_key, ident), 4.0)
    print(f"\ncamera {ident}: first picture {seen['first_picture']} s, {seen['frames']} frames")
    assert seen["frames"] >= 10 and seen["sizes"] == {(320, 180)}
    assert streams(url_of(gw, signing_key, ident))[0]["codec_name"] == codec
    info = upstream(gw, ident)
    assert info["video"]["codec"] == {"hevc": "h265"}.get(codec, codec)
    assert (info["video"]["width"], info["video"]["height"]) == (320, 180)


# -- 2. audio passes through, on the viewer's and the recorder's mount ---------------------
@pytest.mark.parametrize(("ident", "codec"), [(1, "pcm_alaw"), (2, "pcm_mulaw"), (3, "aac"),
                                              (4, "aac")])
def test_audio_reaches_viewers_as_a_second_track(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey, ident: int,
        codec: str) -> None:
    found = [s["codec_name"] for s in streams(url_of(gw, signing_key, ident))]
    assert found[1:] == [codec], found
    seen = read(url_of(gw, signing_key, ident), 3.0)
    assert seen["audio"] >= 20 and seen["frames"] >= 10
    live = [s["codec_name"] for s in streams(url_of(gw, signing_key, ident, live=True))]
    assert live[1:] == [codec], live
    assert upstream(gw, ident)["audio"]["codec"] == {"pcm_alaw": "pcma",
                                                     "pcm_mulaw": "pcmu"}.get(codec, codec)


def test_a_camera_without_audio_gives_video_only_without_a_stall(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    started = time.monotonic()
    found = [s["codec_type"] for s in streams(url_of(gw, signing_key, 5))]
    assert found == ["video"] and time.monotonic() - started < 5
    assert upstream(gw, 5)["audio"] is None


# -- 3. transport ------------------------------------------------------------------------
def test_a_udp_only_camera_plays_with_auto_and_is_refused_with_tcp(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    seen = read(url_of(gw, signing_key, 6), 4.0)  # viewers get TCP from the gateway
    assert seen["frames"] >= 10
    assert upstream(gw, 6)["transport"] == "udp"
    tcp = subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                          url_of(gw, signing_key, 11)], capture_output=True, text=True,
                         timeout=30, check=False)
    assert tcp.returncode != 0
    assert upstream(gw, 11)["state"] == "failed"


# -- 4. camera authentication --------------------------------------------------------------
def test_digest_with_qop_auth_is_chosen_over_basic(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    seen = read(url_of(gw, signing_key, 7), 3.0)
    assert seen["frames"] >= 10
    counts = cams.counts("/qop")
    assert counts["authorized"] >= 1 and counts["basic"] == 0, counts


def test_a_wrong_password_is_tried_three_times_then_once_a_minute_until_a_new_one(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    path = MOUNTS[8]["path"]
    refusals = []
    deadline = time.monotonic() + 12
    while time.monotonic() < deadline:
        done = subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                               url_of(gw, signing_key, 8)], capture_output=True, text=True,
                              timeout=30, check=False)
        assert done.returncode != 0
        refusals.append(done.stderr)
        time.sleep(0.3)
    info = upstream(gw, 8)
    print(f"\n{len(refusals)} viewers, camera saw {cams.counts(path)}; {info}")
    # 3 gateway attempts, each one bad login (rtspsrc alone repeats them: measured 8 each)
    bad = cams.counts(path)["bad_credentials"]
    assert bad == 3
    assert info["state"] == "auth_failed" and info["auth_failures"] == 3
    assert 40 < info["next_attempt_in_s"] <= 60
    # PyGObject hands send-message a copy of the response: the reason text stays the standard
    assert "503 Service Unavailable" in refusals[-1], refusals[-1]
    assert "Cam3ra-Pass" not in json.dumps(gw.stats()) and "wrong" not in info["last_error"]
    # at once, without touching the camera
    started = time.monotonic()
    subprocess.run(["ffprobe", "-v", "error", url_of(gw, signing_key, 8)], capture_output=True,
                   timeout=30, check=False)
    assert time.monotonic() - started < 1.5 and cams.counts(path)["bad_credentials"] == bad
    # the administrator gives the right password: the camera is tried at once, and plays
    rows = table(cams)
    rows[7]["password"] = QOP["password"]
    gw.replace_cameras(rows, "v2")
    before = cams.counts(path)["requests"]
    seen = read(url_of(gw, signing_key, 8), 3.0)
    assert seen["frames"] >= 10 and cams.counts(path)["requests"] > before
    assert cams.counts(path)["bad_credentials"] == bad
    assert upstream(gw, 8)["auth_failures"] == 0


def test_a_camera_failing_fast_is_not_hammered(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    attempts = 0
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                        url_of(gw, signing_key, MISSING)], capture_output=True, timeout=30,
                       check=False)
        attempts += 1
    connections = cams.counts("/missing").get("requests", 0)
    print(f"\n{attempts} viewers in 6 s, the camera saw {connections} request(s)")
    # attempts at 0, +1, +3 s, each OPTIONS and DESCRIBE (404); ≤ 4 attempts
    assert attempts >= 10 and 1 <= connections <= 8
    assert upstream(gw, MISSING)["failures"] >= 2


# -- 6. low fps at high resolution ----------------------------------------------------------
def test_5_fps_at_1440p_plays_at_its_pace(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    seen = read(url_of(gw, signing_key, 9), 6.0)
    print(f"\n1440p5: first picture {seen['first_picture']} s, {seen['frames']} frames in 6 s")
    assert seen["sizes"] == {(2560, 1440)}
    assert 15 <= seen["frames"] <= 45  # 5 fps (the kept GOP's burst adds up to 2 s of it)
    info = upstream(gw, 9)["video"]
    assert info["fps"] == pytest.approx(5, abs=0.5) and info["height"] == 1440


# -- 5. long GOP: the lab's camera without a key frame on connect -----------------------------
@pytest.fixture(scope="module")
def gop12_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("gop12"), cameras=2, gop_seconds={1: 12},
                        key_frame_on_connect=False) as running:
        yield running


def test_the_first_viewer_of_an_idle_12_s_gop_camera(
        gop12_lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    cam = gop12_lab.cameras[1]
    with GatewayProcess(gateway_config(gop12_lab, signing_key)) as gw:
        url = session_url(gw, issue(signing_key, camera_id(cam)), signing_key)
        started = time.monotonic()
        container = av.open(url, options={"rtsp_transport": "tcp", "fpsprobesize": "0"},
                            timeout=(5, 15))  # a player's 5 s open
        opened = time.monotonic() - started
        first_key = None
        try:
            for packet in container.demux(container.streams.video[0]):
                if packet.is_keyframe and packet.size:
                    first_key = time.monotonic() - started
                    break
                assert time.monotonic() - started < 16
        finally:
            container.close()
        print(f"\nGOP 12 s, idle camera: open {opened:.2f} s, first key frame {first_key} s")
        assert first_key is not None and first_key < 15
        assert wait_until(lambda: not any(s["viewers"] for s in gw.stats()["streams"]), 10)


# -- 9. a camera that never answers holds up no one else -------------------------------------
def test_a_silent_camera_does_not_stall_other_viewers(
        cams: CamServer, gw: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(silent.accept()[0])
            except OSError:
                continue

    rows = table(cams) + [{"camera_id": 12, "stream": "main",
                           "url": f"rtsp://127.0.0.1:{silent.getsockname()[1]}/silent",
                           "username": "", "password": "", "transport": "tcp",
                           "name": "silent"}]
    threading.Thread(target=accept, daemon=True).start()
    gw.replace_cameras(rows, "v-silent")

    knocks: list[float] = []

    def describe(ident: int) -> float:
        url = url_of(gw, signing_key, ident)
        began = time.monotonic()
        with socket.create_connection(("127.0.0.1", gw.rtsp_port), timeout=10) as sock:
            sock.sendall(f"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
            with contextlib.suppress(OSError):
                sock.recv(4096)
        return time.monotonic() - began

    def knock() -> None:
        """DESCRIBEs of the silent camera, one after the other: each waits for its SDP."""
        while not stop.is_set():
            url = url_of(gw, signing_key, 12)
            began = time.monotonic()
            with socket.create_connection(("127.0.0.1", gw.rtsp_port), timeout=10) as sock:
                sock.sendall(f"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
                with contextlib.suppress(OSError):
                    sock.recv(4096)
            knocks.append(time.monotonic() - began)
            stop.wait(0.2)

    container = av.open(url_of(gw, signing_key, 3), options={"rtsp_transport": "tcp"},
                        timeout=(10, 15))
    knocker = threading.Thread(target=knock, daemon=True)
    arrivals: list[float] = []
    others: list[float] = []

    def other_viewers() -> None:
        """New viewers of a live camera while the silent camera's DESCRIBEs wait."""
        while not stop.wait(0.45):
            others.append(describe(4))

    other = threading.Thread(target=other_viewers, daemon=True)
    try:
        started = time.monotonic()
        for _packet in container.demux(container.streams.video[0]):
            arrivals.append(time.monotonic())
            if arrivals[-1] - started > 1.0 and not knocker.is_alive():
                knocker.start()
                other.start()
            if arrivals[-1] - started > 9.0:
                break
    finally:
        stop.set()
        other.join(timeout=15)
        container.close()
        silent.close()
        for sock in held:
            sock.close()
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    worst = max(gaps[30:])
    print(f"\nworst gap between frames while the silent camera was asked: {worst:.3f} s; "
          f"{len(held)} connection(s) to it, viewers of it waited {knocks}; DESCRIBEs of "
          f"another camera meanwhile: {others}")
    # the silent camera was asked, and its viewer's DESCRIBE waited for it
    assert held and max(knocks) >= 1.0, (held, knocks)
    assert worst < 0.5, worst
    assert max(others) < 0.5, others
