"""A camera served by the media gateway reaches the video service as a session source: the wall
never holds its address; each connection asks the backend for a session of the stream it chose."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from app.domain import Action, Camera, CameraSystem
from app.messages import MessageBridge
from app.ops import Ops
from app.video.sources import SessionSource
from app.wall import WallController


class RecordingVideo(QObject):
    tile_status_changed = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self.played: list[tuple[str, Any, int]] = []

    def play(self, tile_key: str, url: Any, window_id: int, label: str,
             **kwargs: Any) -> None:
        self.played.append((tile_key, url, window_id))

    def stop(self, tile_key: str) -> None:
        pass

    def status(self, tile_key: str) -> Any:
        return None


def _camera(camera_id: int, streams: tuple[str, ...]) -> Camera:
    return Camera(camera_id, f"CAM-{camera_id}", "Đồng Phú", 1, CameraSystem.SMART_CITY,
                  actions=frozenset({Action.VIEW}), streams=streams)


def test_a_gateway_camera_plays_a_session_of_the_chosen_stream(ops: Ops,
                                                                messages: MessageBridge) -> None:
    asked: list[tuple[int, str]] = []

    def issue(camera_id: int, stream: str) -> str:
        asked.append((camera_id, stream))
        return f"rtsp://gateway:8654/cam/{camera_id}/{stream}?token=t"

    video = RecordingVideo()
    wall = WallController(video, ops, messages, sessions=issue)
    wall.set_cameras([_camera(11, ("main", "sub")), _camera(12, ("main",))])
    assert wall.assign(0, 11, window_id=101) and wall.assign(1, 12, window_id=102)
    (key0, source0, window0), (key1, source1, window1) = video.played
    assert (key0, window0, key1, window1) == (wall.tile_key(0), 101, wall.tile_key(1), 102)
    assert source0 == SessionSource(11, "sub", issue)  # a small tile: the sub stream
    assert source1 == SessionSource(12, "main", issue)  # the only stream it has
    assert asked == []  # nothing asked on the GUI thread: the ingest thread opens it
    assert source0.open() == "rtsp://gateway:8654/cam/11/sub?token=t"
    assert asked == [(11, "sub")]


def test_without_a_session_issuer_a_gateway_camera_is_not_played(
        ops: Ops, messages: MessageBridge) -> None:
    video = RecordingVideo()
    wall = WallController(video, ops, messages)
    wall.set_cameras([_camera(13, ("main", "sub"))])
    wall.assign(0, 13, window_id=103)
    assert video.played == []
