"""The real pipeline: sub → main without a black picture, instant replay, mute, UDP."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.video import StreamState, TileStatus, VideoService
from tests.app.video.conftest import sub_url, with_credentials
from tests.app.video.grabs import grab_tile, mean_luma
from widgets.tile import VideoTile

pytestmark = [pytest.mark.video, pytest.mark.lab]


def main_url(lab: Any, index: int) -> str:
    camera = lab.cameras[index]
    return with_credentials(camera.main_url, camera.rtsp_username, camera.rtsp_password)


def _wait_state(
    qtbot: QtBot, service: VideoService, key: str, state: StreamState, timeout_s: float
) -> TileStatus:
    qtbot.waitUntil(lambda: service.status(key).state is state, timeout=int(timeout_s * 1000))
    return service.status(key)


def _wired(service: VideoService, tile: VideoTile) -> None:
    """What the wall does: statuses to the tile, stream_switched raises the surface."""
    service.tile_status_changed.connect(lambda key, status: tile.set_status(status))
    service.stream_switched.connect(lambda key, window_id: tile.show_surface(window_id))


def test_switch_sub_to_main_never_shows_black(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    index = 1  # 1280×720 main
    _wired(video_service, tile)
    video_service.play("t1", sub_url(camera_lab, index), tile.video_window_id(), "CAM-02")
    status = _wait_state(qtbot, video_service, "t1", StreamState.LIVE, 8.0)
    assert (status.width, status.height) == (640, 360)
    qtbot.wait(300)
    live_luma = mean_luma(grab_tile(tile))
    assert live_luma > 30, f"the live sub picture is too dark to tell from black ({live_luma:.1f})"
    first_window = tile.video_window_id()

    switched: list[int] = []
    video_service.stream_switched.connect(lambda key, wid: switched.append(wid))
    video_service.switch("t1", main_url(camera_lab, index), tile.spare_window_id())
    lumas: list[float] = []
    grabs_at_switch: int | None = None
    deadline = time.monotonic() + 15.0
    while time.monotonic() < deadline:  # grab every ~100 ms until 10 grabs after the switch
        lumas.append(mean_luma(grab_tile(tile)))
        if switched and grabs_at_switch is None:
            grabs_at_switch = len(lumas)
        if grabs_at_switch is not None and len(lumas) >= grabs_at_switch + 10:
            break
        qtbot.wait(100)
    assert switched, "the main stream never showed a picture"
    print(f"{len(lumas)} grabs during the switch, mean luma min {min(lumas):.1f}")
    assert min(lumas) > live_luma / 3, f"a dark frame during the switch: {lumas}"
    assert tile.video_window_id() == switched[-1] != first_window
    status = _wait_state(qtbot, video_service, "t1", StreamState.LIVE, 5.0)
    assert (status.width, status.height) == (1280, 720)
    # main keeps playing (the old sub pipeline is gone, the picture moves)
    qtbot.waitUntil(lambda: video_service.status("t1").fps > 10, timeout=5000)
    assert video_service.status("t1").state is StreamState.LIVE


def test_replay_plays_the_past_and_returns_to_live(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    _wired(video_service, tile)
    video_service.play("t0", sub_url(camera_lab, 0), tile.video_window_id(), "CAM-01")
    _wait_state(qtbot, video_service, "t0", StreamState.LIVE, 8.0)
    qtbot.waitUntil(lambda: video_service.replay_seconds("t0") >= 8.0, timeout=20_000)

    video_service.replay("t0", 30.0, tile.spare_window_id())
    status = _wait_state(qtbot, video_service, "t0", StreamState.REPLAY, 8.0)
    assert status.replay_offset is not None and status.replay_offset >= 8.0
    assert "REPLAY" in tile.overlay_text()
    qtbot.wait(1000)
    assert mean_luma(grab_tile(tile)) > 30, "the replay shows a black picture"

    video_service.back_to_live("t0", tile.spare_window_id())
    status = _wait_state(qtbot, video_service, "t0", StreamState.LIVE, 8.0)
    assert status.replay_offset is None
    assert tile.overlay_text() == "LIVE"
    assert mean_luma(grab_tile(tile)) > 30


def test_replay_in_the_same_window_ends_by_itself_and_live_resumes(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    _wired(video_service, tile)
    video_service.play("t0", sub_url(camera_lab, 0), tile.video_window_id(), "CAM-01")
    _wait_state(qtbot, video_service, "t0", StreamState.LIVE, 8.0)
    qtbot.waitUntil(lambda: video_service.replay_seconds("t0") >= 4.0, timeout=20_000)
    states: list[StreamState] = []
    video_service.tile_status_changed.connect(lambda key, s: states.append(s.state))

    video_service.replay("t0", 3.0)  # about 3 s of buffer: it plays out, then live comes back
    assert video_service.status("t0").state is StreamState.REPLAY
    _wait_state(qtbot, video_service, "t0", StreamState.LIVE, 20.0)
    assert states[0] is StreamState.REPLAY and states[-1] is StreamState.LIVE
    qtbot.waitUntil(lambda: video_service.status("t0").fps > 10, timeout=5000)
    assert video_service.status("t0").state is StreamState.LIVE


def test_unmuting_one_tile_mutes_the_others(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    video_service.play("a", sub_url(camera_lab, 0), tile.video_window_id(), "CAM-01")
    video_service.play("b", sub_url(camera_lab, 1), tile.spare_window_id(), "CAM-02")
    assert video_service.status("a").muted and video_service.status("b").muted
    video_service.set_muted("a", False)
    assert not video_service.status("a").muted
    video_service.set_muted("b", False)
    assert video_service.status("a").muted and not video_service.status("b").muted
    _wait_state(qtbot, video_service, "a", StreamState.LIVE, 10.0)
    _wait_state(qtbot, video_service, "b", StreamState.LIVE, 10.0)


def test_udp_transport_per_tile(
    qtbot: QtBot, video_service: VideoService, tile: VideoTile, camera_lab: Any
) -> None:
    video_service.play("u", sub_url(camera_lab, 1), tile.video_window_id(), "CAM-02",
                       transport="udp")
    status = _wait_state(qtbot, video_service, "u", StreamState.LIVE, 10.0)
    assert status.transport == "udp"
