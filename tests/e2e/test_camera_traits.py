"""Cameras with the traits of real ones, end to end: camera (the lab) → media gateway → the
wall's video service into real tiles. One lab and one gateway for the module; each test plays
its own camera.

Lab cameras (every third index is a live-encoded PTZ camera with the lab's defaults):
1: UDP only, H.264 high profile with B-frames, G.711 A-law, Digest with qop=auth
2: H.265 with parameter sets only in the SDP, G.711 µ-law, Digest and Basic offered (Hikvision)
4: 5 fps, main stream 2560×1440, high profile, AAC
5: 5 fps, main stream 3840×2160, main profile, no audio, a 12 s GOP
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.video import StreamState, TileStatus, VideoService
from app.video.sources import SessionSource
from gateway.process import GatewayProcess
from lab import Lab
from lab.testing import start_test_lab
from lab.traits import CameraTraits
from tests.app.video.grabs import shown_tile
from tests.gateway.helpers import camera_id, gateway_config, issue, session_url
from widgets.tile import VideoTile

pytestmark = [pytest.mark.video, pytest.mark.lab]

TRAITS = {
    1: CameraTraits(transport="udp", profile="high", audio="pcma", auth="digest-qop"),
    2: CameraTraits(codec="h265", profile="main", parameter_sets="out-of-band", audio="pcmu",
                    auth="both"),
    4: CameraTraits(fps=5, size=(2560, 1440), profile="high", audio="aac"),
    5: CameraTraits(fps=5, size=(3840, 2160), profile="main", gop_seconds=12),
}


@dataclass
class Site:
    lab: Lab
    gateway: GatewayProcess
    key: Ed25519PrivateKey

    def source(self, index: int, stream: str) -> SessionSource:
        """A gateway session of the camera's stream, as the wall gets it from the backend."""
        cam = self.lab.cameras[index]

        def open_session(camera: int, name: str) -> str:
            return session_url(self.gateway, issue(self.key, camera, name), self.key)

        return SessionSource(camera_id(cam), stream,
                             functools.partial(open_session, camera_id(cam), stream))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    key = Ed25519PrivateKey.generate()
    with start_test_lab(tmp_path_factory.mktemp("traits"), cameras=6, traits=TRAITS) as lab:
        config = gateway_config(lab, key)
        for entry in config["cameras"]:  # every camera as a site sets it up: TCP, else UDP
            entry["transport"] = "auto"
        with GatewayProcess(config) as gateway:
            yield Site(lab, gateway, key)


@pytest.fixture
def wall(qapp: QApplication, qtbot: QtBot) -> Iterator[tuple[VideoService, VideoTile]]:
    service = VideoService()
    tile = shown_tile(qtbot, 400, 200, 960, 540)
    service.tile_status_changed.connect(lambda key, status: tile.set_status(status))
    service.stream_switched.connect(lambda key, window_id: tile.show_surface(window_id))
    yield service, tile
    service.shutdown()


def _play(service: VideoService, tile: VideoTile, site: Site, index: int, stream: str,
          statuses: list[TileStatus]) -> str:
    key = f"cam{index}-{stream}"
    service.tile_status_changed.connect(
        lambda k, status: statuses.append(status) if k == key else None)
    service.play(key, site.source(index, stream), tile.video_window_id(), f"CAM-{index}",
                 spare_window=tile.spare_window_id())
    return key


def _live(qtbot: QtBot, service: VideoService, key: str, timeout_s: float) -> TileStatus:
    qtbot.waitUntil(lambda: service.status(key).state is StreamState.LIVE,
                    timeout=int(timeout_s * 1000))
    return service.status(key)


def _steadily_live(qtbot: QtBot, service: VideoService, key: str, seconds: float
                   ) -> list[TileStatus]:
    """The tile's status every half second for ``seconds``: LIVE throughout."""
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qtbot.wait(500)
        status = service.status(key)
        seen.append(status)
        assert status.state is StreamState.LIVE, seen
    return seen


@pytest.mark.parametrize("index", [1, 2], ids=["udp-only-qop-high", "h265-sdp-only-both-auth"])
def test_the_camera_plays_through_the_gateway_without_a_gap(
        qtbot: QtBot, site: Site, wall: tuple[VideoService, VideoTile], index: int) -> None:
    """1: UDP only (the gateway falls back from TCP), Digest qop=auth, B-frames; 2: H.265
    whose parameter sets are only in the SDP, Digest chosen over Basic."""
    service, tile = wall
    statuses: list[TileStatus] = []
    key = _play(service, tile, site, index, "sub", statuses)
    status = _live(qtbot, service, key, 20.0)
    assert (status.width, status.height) == (640, 360)
    seen = _steadily_live(qtbot, service, key, 3.0)
    assert seen[-1].fps > 15, seen[-1]
    assert not [s for s in statuses if s.state is StreamState.OFFLINE], statuses


@pytest.mark.parametrize(("index", "size"), [(4, (2560, 1440)), (5, (3840, 2160))])
def test_five_fps_at_high_resolution_is_live_at_its_real_rate(
        qtbot: QtBot, site: Site, wall: tuple[VideoService, VideoTile], index: int,
        size: tuple[int, int]) -> None:
    service, tile = wall
    statuses: list[TileStatus] = []
    key = _play(service, tile, site, index, "main", statuses)
    status = _live(qtbot, service, key, 30.0)
    assert (status.width, status.height) == size
    seen = _steadily_live(qtbot, service, key, 12.0)
    # the rate shown is the camera's (5 fps), not libvlc's redisplays of the same picture;
    # from 6 s on: the first windows count the kept GOP's catch-up burst, and once the tile
    # knows the camera's pace it moves to a larger live cache (a new session, raised at its
    # first picture), whose rate is counted over 10 frames (2 s) from then
    rates = [s.fps for s in seen[12:]]
    assert all(3.5 <= rate <= 6.5 for rate in rates), rates
    assert not [s for s in statuses if s.state is StreamState.STALLED], statuses


@pytest.mark.parametrize("index", [1, 2, 4])
def test_camera_audio_plays_when_the_operator_unmutes(
        qtbot: QtBot, site: Site, wall: tuple[VideoService, VideoTile], index: int) -> None:
    """G.711 A-law (1), µ-law (2) and AAC (4): libvlc decodes the audio once unmuted."""
    service, tile = wall
    statuses: list[TileStatus] = []
    key = _play(service, tile, site, index, "sub", statuses)
    _live(qtbot, service, key, 30.0)
    assert service.audio_decoded(key) == 0  # muted: no audio is even received
    service.set_muted(key, False)
    qtbot.waitUntil(lambda: service.audio_decoded(key) > 20, timeout=20000)
    assert service.status(key).state is StreamState.LIVE


def test_a_camera_without_audio_plays_unmuted(
        qtbot: QtBot, site: Site, wall: tuple[VideoService, VideoTile]) -> None:
    service, tile = wall
    statuses: list[TileStatus] = []
    key = _play(service, tile, site, 0, "sub", statuses)
    _live(qtbot, service, key, 20.0)
    service.set_muted(key, False)
    _live(qtbot, service, key, 20.0)
    _steadily_live(qtbot, service, key, 3.0)
    assert service.audio_decoded(key) == 0


def test_a_twelve_second_gop_camera_is_not_killed_while_it_waits(
        qtbot: QtBot, site: Site, wall: tuple[VideoService, VideoTile]) -> None:
    """The gateway's first viewer of an idle 12 s GOP camera waits for its key frame."""
    service, tile = wall
    statuses: list[TileStatus] = []
    key = _play(service, tile, site, 5, "sub", statuses)
    _live(qtbot, service, key, 30.0)
    assert not [s for s in statuses if s.state is StreamState.OFFLINE], statuses
    _steadily_live(qtbot, service, key, 3.0)
