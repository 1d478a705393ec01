"""Tiles that play through sessions the backend issues (the media gateway's way): each connection
attempt asks for a fresh URL on the ingest thread, a refusal or an unreachable backend is an
OFFLINE reason the operator can read, and a refused session URL (the gateway down) says
"gateway" — never the camera's address, a password or a token in the log."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.errors import BackendUnreachable, Forbidden, Unavailable
from app.video import OfflineReason, StreamState, VideoService
from app.video.sources import SessionSource, describe, resolve, scrub_url
from common.records import GATEWAY_UNAVAILABLE
from tests.app.video.conftest import closed_port, sub_url
from widgets.tile import VideoTile

pytestmark = [pytest.mark.video, pytest.mark.lab]


class Issuer:
    """Stands in for the backend's session route: counts the sessions asked, from which thread,
    and answers what the test sets."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls = 0
        self.threads: set[str] = set()

    def __call__(self) -> str:
        self.calls += 1
        self.threads.add(threading.current_thread().name)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return str(self.answer)


def test_each_attempt_asks_for_a_fresh_session_off_the_gui_thread(
        qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any) -> None:
    index = 3
    issuer = Issuer(sub_url(camera_lab, index))
    source = SessionSource(4, "sub", issuer)
    video_service.play("s1", source, tile.video_window_id(), "CAM-04")
    qtbot.waitUntil(lambda: video_service.status("s1").state is StreamState.LIVE, timeout=10_000)
    assert issuer.calls == 1
    assert all(name.startswith("ingest") for name in issuer.threads), issuer.threads
    camera_lab.stop_stream(index)
    try:
        qtbot.waitUntil(lambda: video_service.status("s1").state is StreamState.OFFLINE,
                        timeout=10_000)
    finally:
        camera_lab.start_stream(index)
    qtbot.waitUntil(lambda: video_service.status("s1").state is StreamState.LIVE, timeout=30_000)
    assert issuer.calls >= 2  # the reconnect asked again: a session token gates only a start


@pytest.mark.parametrize(("answer", "reason"), [
    (Forbidden("the grant has ended"), OfflineReason.FORBIDDEN),
    (BackendUnreachable("cannot reach the server"), OfflineReason.NO_SESSION),
    (Unavailable("the media gateway is not available now", code=GATEWAY_UNAVAILABLE,
                 status=503), OfflineReason.GATEWAY),
    (Unavailable("a proxy answered 503", status=503), OfflineReason.NO_SESSION),
])
def test_a_session_refused_or_not_issued_is_a_readable_offline_reason(
        qtbot: QtBot, video_service: VideoService, tile: VideoTile, answer: Exception,
        reason: str) -> None:
    video_service.play("s2", SessionSource(5, "main", Issuer(answer)), tile.video_window_id(),
                       "CAM-05")
    qtbot.waitUntil(lambda: video_service.status("s2").state is StreamState.OFFLINE,
                    timeout=10_000)
    assert video_service.status("s2").reason == reason


def test_a_gateway_that_does_not_answer_is_named(
        qtbot: QtBot, video_service: VideoService, tile: VideoTile,
        caplog: pytest.LogCaptureFixture) -> None:
    token = "eyJzZWNyZXQiOiJ0b2tlbiJ9.c2lnbmF0dXJl"
    url = f"rtsp://127.0.0.1:{closed_port()}/cam/6/sub?token={token}"
    caplog.set_level(logging.DEBUG, logger="iocwall")
    video_service.play("s3", SessionSource(6, "sub", Issuer(url)), tile.video_window_id(),
                       "CAM-06")
    qtbot.waitUntil(lambda: video_service.status("s3").state is StreamState.OFFLINE,
                    timeout=10_000)
    assert video_service.status("s3").reason == OfflineReason.GATEWAY
    tile.set_camera(6, "CAM-06")
    tile.set_status(video_service.status("s3"))
    assert "gateway" in tile.overlay_text().lower() or "cổng" in tile.overlay_text().lower()
    assert token not in caplog.text


def test_sources_compare_by_camera_and_stream_and_log_without_secrets() -> None:
    first = SessionSource(7, "sub", Issuer("rtsp://h/cam/7/sub?token=abc.def"))
    again = SessionSource(7, "sub", Issuer("other"))
    assert first == again and first != SessionSource(7, "main", Issuer("x"))
    assert resolve(first) == "rtsp://h/cam/7/sub?token=abc.def"
    assert first.issued == ["rtsp://h/cam/7/sub?token=abc.def"]
    assert describe(first) == "gateway session camera 7/sub"
    assert scrub_url("rtsp://u:secret@h:554/x?token=abc.def") == "rtsp://***@h:554/x?token=***"
    assert resolve("rtsp://direct/x") == "rtsp://direct/x"
