"""What the end-to-end tests share beyond fixtures."""

from __future__ import annotations

import functools

from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.video import StreamState, VideoService
from app.video.sources import SessionSource
from tests.app.video.grabs import shown_tile
from widgets.tile import VideoTile


def play_four_tiles(qtbot: QtBot, video: VideoService, client: BackendClient,
                    prefix: str) -> tuple[list[str], list[VideoTile], list[int]]:
    """The first four cameras the client may view, each in a shown 480×270 tile through a
    gateway session of its sub stream, until all four are live: their keys, tiles and camera
    ids. The tiles have both surfaces (a reconnect keeps the last picture) and sit away from
    the screen's origin, where a libvlc player that could not embed would open its window."""
    cameras = sorted((c for c in client.cameras() if c.streams), key=lambda c: c.id)[:4]
    assert len(cameras) == 4
    keys, tiles = [], []
    for n, camera in enumerate(cameras):
        tile = shown_tile(qtbot, 300 + 480 * (n % 2), 200 + 280 * (n // 2), 480, 270, index=n)
        tiles.append(tile)
        keys.append(f"{prefix}{n}")
        issue = functools.partial(client.stream_session_url, camera.id, "sub")
        video.play(keys[-1], SessionSource(camera.id, "sub", issue), tile.video_window_id(),
                   camera.name, spare_window=tile.spare_window_id())
    by_key = dict(zip(keys, tiles, strict=True))
    video.stream_switched.connect(
        lambda key, window_id: by_key[key].show_surface(window_id) if key in by_key else None)
    qtbot.waitUntil(lambda: all(video.status(k).state is StreamState.LIVE for k in keys),
                    timeout=30000)
    return keys, tiles, [camera.id for camera in cameras]
