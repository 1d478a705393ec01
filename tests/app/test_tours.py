"""Tours: the stepping rules on a fake clock, and the runner driving a real wall controller
(audit through the controller: every camera leaving is a view_stop, every new one a view_start)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain import Action, Camera, CameraSystem, Layout
from app.messages import MessageBridge
from app.ops import Ops
from app.tours import WALL, TourClock, TourRunner
from app.video import VideoService
from app.wall import WallController
from layouts import template


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_steps_after_the_dwell_and_wraps() -> None:
    clock = FakeClock()
    tours: TourClock[str] = TourClock(clock)
    tour = tours.start(3, ["a", "b", "c"], dwell=10)
    assert (tour.current, tour.badge) == ("a", "1/3")
    clock.now += 9.9
    assert tours.due() == []
    clock.now += 0.1
    assert [(k, t.current) for k, t in tours.due()] == [(3, "b")]
    assert tour.badge == "2/3"
    clock.now += 10
    tours.due()
    clock.now += 10
    tours.due()
    assert (tour.current, tour.badge, tour.step_count) == ("a", "1/3", 3)


def test_hover_pauses_and_leaving_gives_a_full_dwell() -> None:
    clock = FakeClock()
    tours: TourClock[str] = TourClock(clock)
    tour = tours.start(0, ["a", "b"], dwell=10)
    clock.now += 5
    tours.hover(0, True)
    clock.now += 60
    assert tours.due() == [] and tour.current == "a"
    tours.hover(0, False)
    clock.now += 9
    assert tours.due() == []
    clock.now += 1
    assert tours.due() and tour.current == "b"


def test_input_holds_a_full_dwell_from_the_last_input() -> None:
    clock = FakeClock()
    tours: TourClock[str] = TourClock(clock)
    tour = tours.start(0, ["a", "b"], dwell=10)
    clock.now += 8
    tours.touch(0)
    clock.now += 8
    tours.touch(0)
    clock.now += 9
    assert tours.due() == [] and tour.current == "a"
    clock.now += 1
    assert tours.due() and tour.current == "b"


def test_a_tour_needs_items_and_a_dwell() -> None:
    tours: TourClock[str] = TourClock(FakeClock())
    with pytest.raises(ValueError):
        tours.start(0, [])
    with pytest.raises(ValueError):
        tours.start(0, ["a"], dwell=0)


# -- the runner on a real controller --------------------------------------------------------------

class AuditLog:
    """An AuditSink that keeps what it was told (the backend's side is tests/app/test_wall.py)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def audit_event(self, event: str, camera_id: int | None = None,
                    detail: str | None = None) -> None:
        assert camera_id is not None
        self.events.append((event, camera_id))


def camera(n: int) -> Camera:
    return Camera(n, f"CAM-{n:02d}", "Đồng Phú", 1, CameraSystem.SMART_CITY,
                  actions=frozenset({Action.VIEW}),
                  main_stream_url=f"rtsp://u:p@127.0.0.1:9/cam{n:02d}/main",
                  sub_stream_url=f"rtsp://u:p@127.0.0.1:9/cam{n:02d}/sub")


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()


@pytest.fixture
def wall(ops: Ops, messages: MessageBridge, video: VideoService) -> Iterator[
        tuple[WallController, AuditLog]]:
    audit = AuditLog()
    controller = WallController(video, ops, messages, audit=audit)  # type: ignore[arg-type]
    controller.set_cameras([camera(n) for n in range(1, 9)])
    yield controller, audit
    controller.stop_for_exit()


def test_tile_tour_assigns_through_the_controller_and_audits(
        qtbot: QtBot, wall: tuple[WallController, AuditLog]) -> None:
    controller, audit = wall
    clock = FakeClock()
    runner = TourRunner(controller, clock=clock)
    badges: list[tuple[int, str]] = []
    runner.badge_changed.connect(lambda cell, text: badges.append((cell, text)))
    controller.assign(1, 8)
    assert runner.start_tile_tour(2, [3, 4, 5], dwell=10)
    assert controller.cells == [None, 8, 3, None] and badges[-1] == (2, "1/3")
    clock.now += 10
    runner.tick()
    assert controller.cells == [None, 8, 4, None] and badges[-1] == (2, "2/3")
    runner.hover(2, True)
    clock.now += 30
    runner.tick()
    assert controller.cells[2] == 4
    runner.hover(2, False)
    clock.now += 10
    runner.tick()
    assert controller.cells[2] == 5
    qtbot.waitUntil(lambda: len(audit.events) == 6, timeout=5000)
    assert audit.events == [("view_start", 8), ("view_start", 3), ("view_start", 4),
                            ("view_stop", 3), ("view_start", 5), ("view_stop", 4)]
    # the operator drops another camera on the touring tile: the tour ends there
    controller.assign(2, 7)
    assert not runner.touring(2) and badges[-1] == (2, "")
    clock.now += 10
    runner.tick()
    assert controller.cells[2] == 7


def test_wall_tour_through_layouts_and_pages(wall: tuple[WallController, AuditLog]) -> None:
    controller, _audit = wall
    clock = FakeClock()
    runner = TourRunner(controller, clock=clock)
    first = Layout.from_wall("Cầu Nhật Lệ", template("2x2"), [1, 2, None, None])
    second = Layout.from_wall("Chợ Đồng Hới", template("1x1"), [6])
    assert runner.start_tile_tour(0, [1, 2])
    assert runner.start_wall_tour([first, second], dwell=5)
    assert not runner.touring(0)  # a wall tour replaces the tiles' tours
    assert controller.cells == [1, 2, None, None] and runner.badge(WALL) == "1/2"
    clock.now += 5
    runner.tick()
    assert controller.grid.key == "1x1" and controller.cells == [6]
    assert runner.badge(WALL) == "2/2"
    runner.stop(WALL)
    controller.set_template("2x2")
    assert runner.start_wall_camera_tour([1, 2, 3, 4, 5, 6], dwell=5)
    assert controller.cells == [1, 2, 3, 4]
    clock.now += 5
    runner.tick()
    assert controller.cells == [5, 6, None, None] and runner.badge(WALL) == "2/2"
    controller.clear(0)  # the operator changes the wall: the wall's tour ends
    assert not runner.touring(WALL)
