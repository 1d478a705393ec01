"""The lab's RTSP side, seen by real clients (ffprobe, PyAV) over loopback."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import av
import pytest

from lab import Lab, LabCamera
from lab.testing import TEST_CLIP_SECONDS
from lab.util import rtsp_describe

pytestmark = pytest.mark.lab

FRAME_TICKS = 90000 // 25  # one frame at 25 fps in the 90 kHz RTP clock


def with_credentials(url: str, cam: LabCamera, password: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = f"{cam.rtsp_username}:{password or cam.rtsp_password}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def ffprobe(url: str, transport: str = "tcp") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ffprobe", "-v", "error", "-rtsp_transport", transport, "-show_streams",
         "-select_streams", "v", "-of", "json", url],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


@dataclass
class Reader:
    """PyAV reading one mount on a thread, recording every video packet's PTS and arrival."""

    url: str
    pts: list[int] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    ended: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None

    def start(self) -> Reader:
        self.container = av.open(self.url, options={"rtsp_transport": "tcp"}, timeout=(5, 5))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        # Demux and close on this thread only: closing a container that another thread is
        # demuxing crashes FFmpeg.
        try:
            stream = self.container.streams.video[0]
            for packet in self.container.demux(stream):
                if packet.size == 0 or self.stopping.is_set():  # size 0: the server closed
                    break
                if packet.pts is not None:
                    self.pts.append(packet.pts)
                    self.arrivals.append(time.monotonic())
        except av.error.FFmpegError as err:
            self.error = err
        finally:
            self.container.close()
            self.ended.set()

    def count(self) -> int:
        return len(self.pts)

    def wait_for(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.count() < n and time.monotonic() < deadline and not self.ended.is_set():
            time.sleep(0.05)
        assert self.count() >= n, f"only {self.count()} packets (error: {self.error})"

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(10)  # a frozen stream ends at the 5 s read timeout
        assert not self.thread.is_alive()


def assert_monotonic(pts: list[int]) -> None:
    deltas = [b - a for a, b in zip(pts, pts[1:], strict=False)]
    assert deltas, "no packets"
    assert min(deltas) > 0, f"PTS went backwards or repeated: {sorted(set(deltas))[:5]}"


@pytest.mark.parametrize("index", [0, 1, 2, 3])
@pytest.mark.parametrize("stream", ["main", "sub"])
def test_every_mount_decodes_h264_at_its_size_and_25fps(lab: Lab, index: int, stream: str) -> None:
    cam = lab.cameras[index]
    url = cam.main_url if stream == "main" else cam.sub_url
    result = ffprobe(with_credentials(url, cam))
    assert result.returncode == 0, result.stderr
    (info,) = json.loads(result.stdout)["streams"]
    size = (cam.main_width, cam.main_height) if stream == "main" else (640, 360)
    assert info["codec_name"] == "h264"
    assert (info["width"], info["height"]) == size
    assert info["r_frame_rate"] == "25/1"


def test_every_fourth_camera_is_full_hd(lab: Lab) -> None:
    assert [(c.main_width, c.main_height) for c in lab.cameras] == [
        (1280, 720), (1280, 720), (1280, 720), (1920, 1080)]


def test_udp_transport_works_too(lab: Lab) -> None:
    cam = lab.cameras[2]
    result = ffprobe(with_credentials(cam.sub_url, cam), transport="udp")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["streams"][0]["codec_name"] == "h264"


def test_wrong_password_and_other_cameras_credentials_are_refused(lab: Lab) -> None:
    cam, other = lab.cameras[0], lab.cameras[1]
    assert rtsp_describe(cam.sub_url, cam.rtsp_username, cam.rtsp_password) == 200
    assert rtsp_describe(cam.sub_url, cam.rtsp_username, "wrong") == 401
    # Each camera has its own account: camera 1's credentials do not open camera 0 (GStreamer
    # answers an authenticated user without access 404, so the mount's existence is not told).
    assert rtsp_describe(cam.sub_url, other.rtsp_username, other.rtsp_password) == 404
    result = ffprobe(with_credentials(cam.sub_url, cam, password="wrong"))
    assert result.returncode != 0
    assert "401" in result.stderr


def test_stream_keeps_flowing_across_the_loop_point_with_monotonic_pts(lab: Lab) -> None:
    cam = lab.cameras[0]
    frames = TEST_CLIP_SECONDS * 25 + 40  # past the end of the clip, into its second pass
    reader = Reader(with_credentials(cam.sub_url, cam)).start()
    try:
        reader.wait_for(frames, timeout=TEST_CLIP_SECONDS + 10)
    finally:
        reader.close()
    assert_monotonic(reader.pts)
    deltas = {b - a for a, b in zip(reader.pts, reader.pts[1:], strict=False)}
    assert deltas == {FRAME_TICKS}, f"frame spacing not constant 40 ms: {sorted(deltas)}"
    # Served in real time, not as fast as possible: the last 50 frames took about 2 s.
    span = reader.arrivals[-1] - reader.arrivals[-51]
    assert 1.5 < span < 2.6, span


def test_each_client_gets_its_own_pipeline_starting_on_a_key_frame(lab: Lab) -> None:
    """Like a real camera sending an IDR to each new session: a client joining a mount that
    another client already watches (the wall beside the recorder) gets a key frame at once."""
    cam = lab.cameras[2]
    readers = [Reader(with_credentials(cam.sub_url, cam)).start()]
    try:
        readers[0].wait_for(30, timeout=10)  # past the first GOP: a shared pipeline is mid-GOP
        url = with_credentials(cam.sub_url, cam)
        container = av.open(url, options={"rtsp_transport": "tcp"}, timeout=(5, 5))
        try:
            first = next(p for p in container.demux(video=0) if p.pts is not None)
            assert first.is_keyframe, "a new session must start on a key frame"
        finally:
            container.close()
        readers.append(Reader(url).start())
        for r in readers:
            r.wait_for(40, timeout=10)
        stats = lab.rtsp_stats()
        assert stats[f"/{cam.slug}/sub"]["pipelines"] == 2, stats
    finally:
        for r in readers:
            r.close()
    for r in readers:
        assert_monotonic(r.pts)


def test_idle_mounts_have_no_pipeline(lab: Lab) -> None:
    deadline = time.monotonic() + 5
    while lab.rtsp_stats() and time.monotonic() < deadline:
        time.sleep(0.1)  # sessions of earlier tests are torn down asynchronously
    assert lab.rtsp_stats() == {}


def test_freeze_stops_packets_and_unfreeze_resumes_them(lab: Lab) -> None:
    cam = lab.cameras[1]
    reader = Reader(with_credentials(cam.sub_url, cam)).start()
    try:
        reader.wait_for(20, timeout=10)
        lab.freeze(cam.index)
        time.sleep(0.5)  # packets already on the wire
        before = reader.count()
        time.sleep(2.0)
        assert reader.count() == before, "packets kept flowing while frozen"
        assert not reader.ended.is_set(), "freeze must keep the session up"
        lab.unfreeze(cam.index)
        reader.wait_for(before + 25, timeout=5)
    finally:
        lab.unfreeze(cam.index)
        reader.close()
    assert_monotonic(reader.pts)


def test_stop_disconnects_and_refuses_then_start_recovers(lab: Lab) -> None:
    cam = lab.cameras[2]
    reader = Reader(with_credentials(cam.main_url, cam)).start()
    try:
        reader.wait_for(10, timeout=10)
        lab.stop_stream(cam.index)
        assert reader.ended.wait(5), "client still connected after stop"
        assert rtsp_describe(cam.main_url, cam.rtsp_username, cam.rtsp_password) == 404
        assert rtsp_describe(cam.sub_url, cam.rtsp_username, cam.rtsp_password) == 404
    finally:
        lab.start_stream(cam.index)
        reader.close()
    assert rtsp_describe(cam.main_url, cam.rtsp_username, cam.rtsp_password) == 200
    again = Reader(with_credentials(cam.main_url, cam)).start()
    try:
        again.wait_for(25, timeout=10)
    finally:
        again.close()
    # The other cameras were not touched.
    other = lab.cameras[1]
    assert rtsp_describe(other.main_url, other.rtsp_username, other.rtsp_password) == 200


def test_rapid_reconnects_always_get_packets(lab: Lab) -> None:
    """Clients coming and going on the same mounts at once (a wall switching layouts, a recorder
    restarting) must each get packets. A feeder that stamps its first frame before the media is
    PLAYING sleeps for hours and starves that mount's next client."""
    failures: list[str] = []

    def watch(cam: LabCamera, url: str, packets: int) -> None:
        try:
            container = av.open(with_credentials(url, cam), timeout=(5, 5),
                                options={"rtsp_transport": "tcp", "probesize": "32",
                                         "analyzeduration": "0"})
        except av.error.FFmpegError as err:
            failures.append(f"{urlsplit(url).path}: open: {type(err).__name__}")
            return
        try:
            got = 0
            for packet in container.demux(video=0):
                if packet.size == 0:
                    break
                got += packet.pts is not None
                if got >= packets:
                    break
            if got < packets:
                failures.append(f"{urlsplit(url).path}: {got}/{packets} packets")
        except av.error.FFmpegError as err:
            failures.append(f"{urlsplit(url).path}: {type(err).__name__} after packets")
        finally:
            container.close()

    for round_ in range(8):
        threads = [
            threading.Thread(target=watch, args=(cam, url, (3, 10, 25)[(round_ + cam.index) % 3]))
            for cam in lab.cameras for url in (cam.sub_url, cam.main_url)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        time.sleep((0.0, 0.05, 0.2)[round_ % 3])
    assert failures == []


def test_joining_a_watched_ptz_camera_gets_a_key_frame_at_once(lab: Lab) -> None:
    """A PTZ camera's live encoder is shared by its clients; a client joining it mid-GOP is sent
    a fresh key frame (x264 force-key-unit on PLAY) rather than waiting for the next GOP: its
    first key packet comes within a few packets, not anywhere in the 25 of a GOP."""
    cam = next(c for c in lab.cameras if c.ptz)
    watcher = Reader(with_credentials(cam.sub_url, cam)).start()
    try:
        watcher.wait_for(30, timeout=10)
        positions = []
        for _ in range(4):
            time.sleep(0.37)  # join at another point of the GOP each time
            container = av.open(with_credentials(cam.sub_url, cam), timeout=(5, 5),
                                options={"rtsp_transport": "tcp", "probesize": "32",
                                         "analyzeduration": "0"})
            try:
                for index, packet in enumerate(p for p in container.demux(video=0)
                                               if p.pts is not None):
                    if packet.is_keyframe or index >= 30:
                        positions.append(index)
                        break
            finally:
                container.close()
    finally:
        watcher.close()
    assert max(positions) < 10, positions
