"""The gateway seen by real viewers (ffprobe, PyAV) in front of the lab's cameras."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import GatewayProcess
from lab import Lab
from tests.gateway.helpers import (
    Reader,
    camera_id,
    ffprobe,
    issue,
    probe_video,
    session_url,
    wait_until,
)

pytestmark = pytest.mark.lab


@pytest.mark.parametrize(("index", "stream"), [(1, "main"), (1, "sub"), (3, "main")])
def test_a_session_url_gives_the_cameras_h264_at_its_size(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey, index: int,
        stream: str) -> None:
    cam = lab.cameras[index]
    claims = issue(signing_key, camera_id(cam), stream)
    info = probe_video(session_url(gateway, claims, signing_key))
    size = (cam.main_width, cam.main_height) if stream == "main" else (640, 360)
    assert info["codec_name"] == "h264"
    assert (info["width"], info["height"]) == size


def test_each_session_start_and_end_is_one_event_line(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    claims = issue(signing_key, camera_id(lab.cameras[2]), "sub", user_id=42,
                   username="Trần Thị Bình")
    probe_video(session_url(gateway, claims, signing_key))
    start = gateway.wait_for(lambda e: e.get("event") == "session_start"
                             and e.get("session_id") == claims.session_id, 5)
    end = gateway.wait_for(lambda e: e.get("event") == "session_end"
                           and e.get("session_id") == claims.session_id, 10)
    assert start is not None and end is not None
    for event in (start, end):
        assert {k: event[k] for k in ("user_id", "username", "camera_id", "stream")} == {
            "user_id": 42, "username": "Trần Thị Bình", "camera_id": claims.camera_id,
            "stream": "sub"}
    assert 0 < end["duration_s"] < 30
    assert end["reason"] in ("teardown", "closed")


def test_eight_viewers_share_one_upstream_session_released_after_the_last(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    """Each viewer's URL differs by its token (the query): GStreamer's default sharing key
    holds the query, and would give each viewer its own camera session."""
    cam = lab.cameras[1]  # a clip camera: the lab gives each of its sessions its own pipeline
    mount = f"/{cam.slug}/sub"
    readers = []
    try:
        for n in range(8):
            claims = issue(signing_key, camera_id(cam), "sub", user_id=100 + n)
            readers.append(Reader(session_url(gateway, claims, signing_key)).start())
        for reader in readers:
            reader.wait_playing()
        assert lab.rtsp_stats()[mount]["pipelines"] == 1
        (row,) = [s for s in gateway.stats()["streams"] if s["path"] == f"/cam/{camera_id(cam)}/sub"]
        assert row["viewers"] == 8 and row["upstream_connected"] and row["bytes"] > 0
    finally:
        for reader in readers:
            reader.close()
    assert wait_until(lambda: mount not in lab.rtsp_stats(), 15), lab.rtsp_stats()
    (row,) = [s for s in gateway.stats()["streams"] if s["path"] == f"/cam/{camera_id(cam)}/sub"]
    assert row["viewers"] == 0 and not row["upstream_connected"]


def test_the_next_viewer_after_a_release_plays_again(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    cam = lab.cameras[1]
    for _ in range(2):
        claims = issue(signing_key, camera_id(cam), "sub")
        assert probe_video(session_url(gateway, claims, signing_key))["codec_name"] == "h264"


def test_a_camera_down_answers_at_once_and_plays_again_once_back(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    cam = lab.cameras[2]
    path = f"/cam/{camera_id(cam)}/sub"

    def row() -> dict:
        (found,) = [s for s in gateway.stats()["streams"] if s["path"] == path]
        return dict(found)

    failures = row()["upstream_failures"]
    lab.stop_stream(cam.index)
    try:
        started = time.monotonic()
        result = ffprobe(session_url(gateway, issue(signing_key, camera_id(cam), "sub"),
                                     signing_key))
        assert result.returncode != 0 and time.monotonic() - started < 10
        assert row()["upstream_failures"] == failures + 1
        assert any("upstream" in line and "failed" in line and cam.rtsp_password not in line
                   for line in gateway.stderr_lines)
    finally:
        lab.start_stream(cam.index)

    def plays_again_within(seconds: float) -> None:
        """The gateway waits out its backoff for the camera (viewers meanwhile are refused at
        once, without the camera being asked), then plays it again."""
        back = time.monotonic() + seconds
        while ffprobe(session_url(gateway, issue(signing_key, camera_id(cam), "sub"),
                                  signing_key)).returncode != 0:
            assert time.monotonic() < back, f"the camera did not play again in {seconds} s"
            time.sleep(0.5)

    plays_again_within(10)
    viewer = Reader(session_url(gateway, issue(signing_key, camera_id(cam), "sub"),
                                signing_key)).start()
    try:
        viewer.wait_playing()
        lab.stop_stream(cam.index)  # the camera drops under a playing viewer: it ends too
        try:
            assert viewer.ended.wait(10)
        finally:
            lab.start_stream(cam.index)
    finally:
        viewer.close()
    plays_again_within(10)
    claims = issue(signing_key, camera_id(cam), "sub")
    assert probe_video(session_url(gateway, claims, signing_key))["codec_name"] == "h264"


def test_a_viewer_killed_without_teardown_ends_its_session_and_releases_the_upstream(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    cam = lab.cameras[1]
    mount = f"/{cam.slug}/main"
    claims = issue(signing_key, camera_id(cam), "main")
    viewer = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-rtsp_transport", "tcp", "-i",
         session_url(gateway, claims, signing_key), "-c", "copy", "-f", "null", "-"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert gateway.wait_for(lambda e: e.get("event") == "session_start"
                                and e.get("session_id") == claims.session_id, 15)
        assert mount in lab.rtsp_stats()
    finally:
        viewer.send_signal(signal.SIGKILL)
        viewer.wait(10)
    end = gateway.wait_for(lambda e: e.get("event") == "session_end"
                           and e.get("session_id") == claims.session_id, 10)
    assert end is not None and end["reason"] == "closed"
    assert wait_until(lambda: mount not in lab.rtsp_stats(), 10), lab.rtsp_stats()
