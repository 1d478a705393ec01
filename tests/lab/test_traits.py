"""Lab cameras with real cameras' traits (lab/traits.py), each checked with standard clients
(ffprobe, PyAV, a raw RTSP socket) against the running lab on loopback."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import av
import pytest

from lab import CameraTraits, Lab, LabCamera
from lab.clips import ClipSpec, paths_for
from lab.testing import start_test_lab
from lab.util import digest_authorization, rtsp_describe

pytestmark = pytest.mark.lab

# Cameras 0 and 3 are PTZ (encoded live, default traits); 1, 2 and 4 have a real camera's.
UDP_1440P = 1  # H.264 High, B-frames, 5 fps 2560×1440, UDP only, G.711 A-law, Digest+Basic
TCP_4K_H265 = 2  # H.265 Main, 5 fps 3840×2160, TCP only, out-of-band VPS/SPS/PPS, AAC, qop
DEFAULT_PTZ = 3
GOP10_MAIN = 4  # H.264 Main, B-frames, GOP 10 s, out-of-band SPS/PPS, G.711 µ-law, Basic
TRAITS = {
    UDP_1440P: CameraTraits(transport="udp", profile="high", fps=5, size=(2560, 1440),
                            audio="pcma", auth="both"),
    TCP_4K_H265: CameraTraits(transport="tcp", codec="h265", profile="main", fps=5,
                              size=(3840, 2160), parameter_sets="out-of-band", audio="aac",
                              auth="digest-qop"),
    GOP10_MAIN: CameraTraits(profile="main", parameter_sets="out-of-band", audio="pcmu",
                             auth="basic", gop_seconds=10),
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    started = time.monotonic()
    with start_test_lab(tmp_path_factory.mktemp("lab-traits"), cameras=5, control_port=0,
                        traits=TRAITS) as running:
        print(f"traits lab started (clips encoded) in {time.monotonic() - started:.1f} s")
        yield running


def transport_of(cam: LabCamera) -> str:
    return "udp" if cam.traits.transport == "udp" else "tcp"


def with_credentials(url: str, cam: LabCamera) -> str:
    parts = urlsplit(url)
    netloc = f"{cam.rtsp_username}:{cam.rtsp_password}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def ffprobe(url: str, transport: str, entries: str = "-show_streams") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ffprobe", "-v", "error", "-rtsp_transport", transport, entries, "-of", "json", url],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


class RawRtsp:
    """One RTSP connection, requests written by hand: to see every header a camera sends."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        self.reader = self.sock.makefile("rb")
        self.cseq = 0

    def request(self, method: str, url: str, headers: dict[str, str] | None = None
                ) -> tuple[int, list[tuple[str, str]], str]:
        self.cseq += 1
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self.cseq}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status = int(self.reader.readline().decode("latin-1").split()[1])
        received: list[tuple[str, str]] = []
        while line := self.reader.readline().decode("latin-1").strip():
            name, _, value = line.partition(":")
            received.append((name.strip().lower(), value.strip()))
        length = int(dict(received).get("content-length", "0"))
        body = self.reader.read(length).decode() if length else ""
        return status, received, body

    def close(self) -> None:
        self.sock.close()


def challenges(url: str) -> list[str]:
    conn = RawRtsp(url)
    try:
        status, headers, _ = conn.request("DESCRIBE", url)
    finally:
        conn.close()
    assert status == 401
    return [v for k, v in headers if k == "www-authenticate"]


def describe_with(url: str, authorization: str | None, challenge_scheme: str = "Digest",
                  user: str = "", password: str = "") -> tuple[int, str]:
    """DESCRIBE once without credentials, then with ``authorization`` (a function of the
    challenge when it is None: the qop-aware digest answer)."""
    conn = RawRtsp(url)
    try:
        status, headers, _ = conn.request("DESCRIBE", url)
        assert status == 401
        if authorization is None:
            challenge = next(v for k, v in headers if k == "www-authenticate"
                             and v.startswith(challenge_scheme))
            authorization = digest_authorization(challenge, "DESCRIBE", url, user, password)
        status, _, body = conn.request("DESCRIBE", url, {"Authorization": authorization})
        return status, body
    finally:
        conn.close()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def open_av(cam: LabCamera, url: str) -> av.container.InputContainer:
    return av.open(with_credentials(url, cam), timeout=(10, 10),
                   options={"rtsp_transport": transport_of(cam)})


# -- the manifest --------------------------------------------------------------------------------
def test_manifest_and_lab_camera_say_each_cameras_traits(lab: Lab) -> None:
    data = json.loads(lab.manifest_path.read_text(encoding="utf-8"))
    by_index = {c["index"]: c for c in data["cameras"]}
    traits = by_index[TCP_4K_H265]["traits"]
    assert traits == {"transport": "tcp", "codec": "h265", "profile": "main", "fps": 5,
                      "size": [3840, 2160], "gop_seconds": 1, "parameter_sets": "out-of-band",
                      "audio": "aac", "auth": "digest-qop", "onvif": False,
                      "clock_skew_s": 0, "advertise_host": None, "onvif_auth": "wsse",
                      "media2": False, "time_login": "none", "undeclared_prefixes": False}
    assert by_index[GOP10_MAIN]["gop_seconds"] == 10
    assert by_index[GOP10_MAIN]["traits"]["gop_seconds"] == 10
    assert by_index[DEFAULT_PTZ]["traits"] == {
        **CameraTraits().to_json(), "size": [1920, 1080], "gop_seconds": 1}
    cam = lab.camera(UDP_1440P)
    assert (cam.main_width, cam.main_height) == (2560, 1440)
    assert cam.traits == TRAITS[UDP_1440P].resolved((2560, 1440), 1)


def test_traits_a_ptz_camera_cannot_have_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PTZ"):
        Lab.start(cameras=1, data_dir=tmp_path, traits={0: CameraTraits(fps=5)})
    with pytest.raises(ValueError, match="Main"):
        CameraTraits(codec="h265")
    with pytest.raises(ValueError, match="audio"):
        CameraTraits(audio="opus")  # type: ignore[arg-type]


def test_default_clips_keep_their_cache_key_and_traits_get_their_own(tmp_path: Path) -> None:
    """Caches filled before traits existed stay valid: the default key is computed as it was."""
    spec = ClipSpec(index=0, name="CAM-01", main_width=1280, main_height=720, seconds=4)
    fields = {"index": 0, "name": "CAM-01", "main_width": 1280, "main_height": 720, "seconds": 4,
              "fps": 25, "main_kbps": 3000, "sub_kbps": 1000}
    before = json.dumps({"v": 5, **fields}, sort_keys=True)
    assert spec.key() == hashlib.sha256(before.encode()).hexdigest()[:20]
    assert paths_for(tmp_path, spec).main_pts is None
    variants = [replace(spec, profile="main"), replace(spec, profile="high"),
                replace(spec, codec="h265", profile="main")]
    assert len({spec.key(), *(v.key() for v in variants)}) == 4
    assert paths_for(tmp_path, variants[2]).main.suffix == ".h265"
    assert all(paths_for(tmp_path, v).main_pts is not None for v in variants)


# -- transport -----------------------------------------------------------------------------------
def test_udp_only_camera_answers_a_tcp_setup_461_and_plays_over_udp(lab: Lab) -> None:
    cam = lab.camera(UDP_1440P)
    url = with_credentials(cam.sub_url, cam)
    refused = ffprobe(url, "tcp")
    assert refused.returncode != 0
    assert "461" in refused.stderr, refused.stderr
    played = ffprobe(url, "udp")
    assert played.returncode == 0, played.stderr
    assert "h264" in {s["codec_name"] for s in json.loads(played.stdout)["streams"]}


def test_tcp_only_camera_answers_a_udp_setup_461_and_plays_over_tcp(lab: Lab) -> None:
    cam = lab.camera(TCP_4K_H265)
    url = with_credentials(cam.sub_url, cam)
    refused = ffprobe(url, "udp")
    assert refused.returncode != 0
    assert "461" in refused.stderr, refused.stderr
    played = ffprobe(url, "tcp")
    assert played.returncode == 0, played.stderr


# -- codec, profile, size, frame rate ------------------------------------------------------------
@pytest.mark.parametrize(("index", "stream", "codec", "profile", "size", "fps"), [
    (UDP_1440P, "main", "h264", "High", (2560, 1440), "5/1"),
    (UDP_1440P, "sub", "h264", "High", (640, 360), "5/1"),
    (TCP_4K_H265, "main", "hevc", "Main", (3840, 2160), "5/1"),
    (GOP10_MAIN, "main", "h264", "Main", (1280, 720), "25/1"),
    (DEFAULT_PTZ, "main", "h264", "Constrained Baseline", (1920, 1080), "25/1"),
])  # fmt: skip
def test_codec_profile_size_and_frame_rate(lab: Lab, index: int, stream: str, codec: str,
                                           profile: str, size: tuple[int, int], fps: str) -> None:
    cam = lab.camera(index)
    result = ffprobe(with_credentials(getattr(cam, f"{stream}_url"), cam), transport_of(cam))
    assert result.returncode == 0, result.stderr
    (video,) = [s for s in json.loads(result.stdout)["streams"] if s["codec_type"] == "video"]
    assert (video["codec_name"], video["profile"]) == (codec, profile)
    assert (video["width"], video["height"]) == size
    assert video["r_frame_rate"] == fps


@pytest.mark.parametrize(("index", "b_frames"), [
    (UDP_1440P, True), (TCP_4K_H265, True), (GOP10_MAIN, True), (DEFAULT_PTZ, False)])
def test_main_and_high_profiles_send_b_frames(lab: Lab, index: int, b_frames: bool) -> None:
    """With B-frames, packets arrive in decode order: a B-frame presents before the P-frame
    sent just ahead of it, so PTS in arrival order go back; the stream says it reorders."""
    cam = lab.camera(index)
    container = open_av(cam, cam.sub_url)
    try:
        stream = container.streams.video[0]
        pts = []
        for packet in container.demux(stream):
            if packet.pts is not None:
                pts.append(packet.pts)
            if len(pts) >= 16:
                break
        reorders = stream.codec_context.has_b_frames
    finally:
        container.close()
    backwards = sum(1 for a, b in zip(pts, pts[1:], strict=False) if b < a)
    assert (backwards > 0) is b_frames, pts
    assert (reorders > 0) is b_frames


def test_gop_of_ten_seconds(lab: Lab) -> None:
    cam = lab.camera(GOP10_MAIN)
    container = open_av(cam, cam.sub_url)
    keys: list[float] = []
    try:
        stream = container.streams.video[0]
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            if packet.is_keyframe:
                assert stream.time_base is not None
                keys.append(float(packet.pts * stream.time_base))
            if len(keys) == 2:
                break
    finally:
        container.close()
    assert keys[1] - keys[0] == pytest.approx(10.0, abs=0.05)


# -- parameter sets ------------------------------------------------------------------------------
def first_key_frame_nal_types(cam: LabCamera) -> tuple[set[int], str]:
    container = open_av(cam, cam.main_url)
    try:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        packet = next(p for p in container.demux(stream) if p.is_keyframe)
        data = bytes(packet)
    finally:
        container.close()
    nals = [data[m.end():m.end() + 2] for m in re.finditer(b"\x00\x00\x01", data)]
    types = {(n[0] >> 1) & 0x3F if codec == "hevc" else n[0] & 0x1F for n in nals if n}
    return types, codec


def sdp(cam: LabCamera) -> str:
    url = cam.main_url
    if cam.traits.auth == "basic":
        status, body = describe_with(url, basic(cam.rtsp_username, cam.rtsp_password))
    else:
        status, body = describe_with(url, None, user=cam.rtsp_username,
                                     password=cam.rtsp_password)
    assert status == 200
    return body


@pytest.mark.parametrize(("index", "in_band"), [
    (GOP10_MAIN, False), (TCP_4K_H265, False), (UDP_1440P, True)])
def test_parameter_sets_in_band_or_only_in_the_sdp(lab: Lab, index: int, in_band: bool) -> None:
    cam = lab.camera(index)
    types, codec = first_key_frame_nal_types(cam)
    parameter_sets = {32, 33, 34} if codec == "hevc" else {7, 8}
    assert (parameter_sets <= types) is in_band, types
    assert (5 in types) if codec == "h264" else (types & {19, 20}), types  # the IDR slice
    description = sdp(cam)
    if codec == "hevc":
        assert all(f"sprop-{kind}=" in description for kind in ("vps", "sps", "pps"))
    else:
        assert "sprop-parameter-sets=" in description


# -- audio ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("index", "codec", "rate"), [
    (UDP_1440P, "pcm_alaw", 8000), (GOP10_MAIN, "pcm_mulaw", 8000), (TCP_4K_H265, "aac", 16000)])
def test_audio_track_in_the_same_session(lab: Lab, index: int, codec: str, rate: int) -> None:
    cam = lab.camera(index)
    container = open_av(cam, cam.sub_url)
    try:
        audio = container.streams.audio[0]
        assert (audio.codec_context.name, audio.codec_context.sample_rate) == (codec, rate)
        got = 0
        for packet in container.demux(audio):
            got += packet.size > 0
            if got >= 5:
                break
    finally:
        container.close()
    assert got >= 5


def test_default_cameras_have_no_audio(lab: Lab) -> None:
    cam = lab.camera(DEFAULT_PTZ)
    result = ffprobe(with_credentials(cam.sub_url, cam), "tcp")
    assert [s["codec_type"] for s in json.loads(result.stdout)["streams"]] == ["video"]


def test_audio_and_video_timestamps_follow_one_clock(lab: Lab) -> None:
    """Over six seconds (RTCP sender reports come every few seconds and map both RTP clocks to
    one NTP time), audio and video timestamps advance as fast as the wall clock, and their
    latest timestamps stay together. (The first second is left out: av.open buffers packets
    while it probes, which then come out in a burst.)"""
    cam = lab.camera(GOP10_MAIN)
    container = open_av(cam, cam.sub_url)
    seen: dict[str, list[tuple[float, float]]] = {"audio": [], "video": []}
    started = time.monotonic()
    try:
        for packet in container.demux():
            if packet.pts is None or packet.size == 0:
                continue
            now = time.monotonic()
            assert packet.time_base is not None
            seen[packet.stream.type].append((now, float(packet.pts * packet.time_base)))
            if now - started > 6:
                break
    finally:
        container.close()
    latest = {}
    for kind, samples in seen.items():
        settled = [(arrival, t) for arrival, t in samples if arrival - started > 1.0]
        (a0, t0), (a1, _) = settled[0], settled[-1]
        t1 = max(t for _, t in settled)  # video: B-frames arrive after the frame they precede
        assert (t1 - t0) / (a1 - a0) == pytest.approx(1.0, abs=0.1), (kind, t0, t1, a0, a1)
        latest[kind] = t1
    # video presents up to two frames late (B-frames); audio packets are 20 ms
    assert abs(latest["audio"] - latest["video"]) < 0.3, latest


# -- auth ----------------------------------------------------------------------------------------
def test_both_sends_a_digest_then_a_basic_challenge_and_takes_either(lab: Lab) -> None:
    """Hikvision-style: a client that keeps only the last WWW-Authenticate header sees Basic."""
    cam = lab.camera(UDP_1440P)
    offered = challenges(cam.main_url)
    assert [c.split()[0] for c in offered] == ["Digest", "Basic"], offered
    assert "qop" not in offered[0]
    user, password = cam.rtsp_username, cam.rtsp_password
    assert describe_with(cam.main_url, basic(user, password))[0] == 200
    assert describe_with(cam.main_url, basic(user, "wrong"))[0] == 401
    assert describe_with(cam.main_url, None, user=user, password=password)[0] == 200


def test_digest_with_qop_accepts_a_qop_response_only(lab: Lab) -> None:
    cam = lab.camera(TCP_4K_H265)
    (offered,) = challenges(cam.main_url)
    assert offered.startswith("Digest") and 'qop="auth"' in offered
    user, password = cam.rtsp_username, cam.rtsp_password
    assert describe_with(cam.main_url, None, user=user, password=password)[0] == 200
    assert describe_with(cam.main_url, None, user=user, password="wrong")[0] == 401
    # an RFC 2069 answer (no qop, nc, cnonce), correct for the password, is refused
    nonce = re.search(r'nonce="([^"]+)"', offered)
    assert nonce
    no_qop = offered.replace(', qop="auth"', "")
    legacy = digest_authorization(no_qop, "DESCRIBE", cam.main_url, user, password)
    assert "qop" not in legacy
    assert describe_with(cam.main_url, legacy)[0] == 401
    # another camera's credentials are refused too
    other = lab.camera(GOP10_MAIN)
    assert describe_with(cam.main_url, None, user=other.rtsp_username,
                         password=other.rtsp_password)[0] == 401


def test_basic_only_camera(lab: Lab) -> None:
    cam = lab.camera(GOP10_MAIN)
    assert challenges(cam.sub_url) == ['Basic realm="IP Camera(cam05)"']
    assert describe_with(cam.sub_url, basic(cam.rtsp_username, cam.rtsp_password))[0] == 200
    assert describe_with(cam.sub_url, basic(cam.rtsp_username, "wrong"))[0] == 401


def test_default_camera_keeps_gstreamers_digest_without_qop(lab: Lab) -> None:
    cam = lab.camera(DEFAULT_PTZ)
    (offered,) = challenges(cam.sub_url)
    assert offered.startswith("Digest") and "qop" not in offered
    assert rtsp_describe(cam.sub_url, cam.rtsp_username, cam.rtsp_password) == 200


# -- a password changed on the camera ------------------------------------------------------------
@pytest.mark.parametrize("index", [DEFAULT_PTZ, GOP10_MAIN, UDP_1440P])
def test_password_changed_at_runtime_through_the_control_endpoint(lab: Lab, index: int) -> None:
    cam = lab.camera(index)
    old = cam.rtsp_password
    assert rtsp_describe(cam.sub_url, cam.rtsp_username, old) == 200
    request = urllib.request.Request(
        f"http://127.0.0.1:{lab.control_port}/cameras/{index}/password", method="POST",
        data=json.dumps({"password": "changed-by-the-installer"}).encode(),
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert json.loads(reply.read()) == {"ok": True}
        assert rtsp_describe(cam.sub_url, cam.rtsp_username, old) == 401
        assert rtsp_describe(cam.sub_url, cam.rtsp_username, "changed-by-the-installer") == 200
        assert rtsp_describe(cam.main_url, cam.rtsp_username, "changed-by-the-installer") == 200
        assert lab.camera(index).rtsp_password == "changed-by-the-installer"
        manifest = json.loads(lab.manifest_path.read_text(encoding="utf-8"))
        assert manifest["cameras"][index]["rtsp_password"] == "changed-by-the-installer"
    finally:
        lab.set_password(index, old)
    assert rtsp_describe(cam.sub_url, cam.rtsp_username, old) == 200


def test_a_session_playing_when_the_password_changes_keeps_playing(lab: Lab) -> None:
    cam = lab.camera(GOP10_MAIN)
    container = open_av(cam, cam.sub_url)
    try:
        packets = container.demux(container.streams.video[0])
        for _ in range(10):
            next(packets)
        lab.set_password(GOP10_MAIN, "changed-while-playing")
        try:
            started = time.monotonic()
            got = sum(1 for _, p in zip(range(50), packets, strict=False) if p.size > 0)
            assert got == 50
            assert time.monotonic() - started < 4  # 50 frames at 25 fps, live
        finally:
            lab.set_password(GOP10_MAIN, cam.rtsp_password)
    finally:
        container.close()


def test_freeze_stops_the_audio_too(lab: Lab) -> None:
    cam = lab.camera(GOP10_MAIN)
    audio: list[float] = []
    stop = threading.Event()
    opened = open_av(cam, cam.sub_url)

    def read() -> None:  # demux and close on one thread: FFmpeg crashes otherwise
        try:
            for packet in opened.demux():
                if stop.is_set() or packet.size == 0:
                    break
                if packet.stream.type == "audio":
                    audio.append(time.monotonic())
        except av.error.FFmpegError:
            pass
        finally:
            opened.close()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 10
        while len(audio) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(audio) >= 20
        lab.freeze(GOP10_MAIN)
        time.sleep(0.5)  # packets already on the wire
        before = len(audio)
        time.sleep(2.0)
        assert len(audio) == before, "audio kept flowing while frozen"
        lab.unfreeze(GOP10_MAIN)
        deadline = time.monotonic() + 5
        while len(audio) < before + 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(audio) >= before + 20, "audio did not resume"
    finally:
        lab.unfreeze(GOP10_MAIN)
        stop.set()
        reader.join(15)


def test_set_password_without_one_picks_a_random_password(lab: Lab) -> None:
    cam = lab.camera(GOP10_MAIN)
    new = lab.set_password(GOP10_MAIN)
    try:
        assert new != cam.rtsp_password
        assert rtsp_describe(cam.sub_url, cam.rtsp_username, cam.rtsp_password) == 401
        assert rtsp_describe(cam.sub_url, cam.rtsp_username, new) == 200
    finally:
        lab.set_password(GOP10_MAIN, cam.rtsp_password)
