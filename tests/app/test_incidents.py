"""The incident client on a real backend: a fault reported with a snapshot opens an
incident, a second report joins it, the duty desk acknowledges and resolves it; a real video
tile that cannot reach its camera goes offline and, 5 minutes later on an injected clock, the
watchers of two workstations file one incident between them and no second one; the health
reporter's measurements reach the server's availability report."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.domain import Camera
from app.health_reports import (
    Availability,
    CameraStates,
    HealthReport,
    HealthReporter,
)
from app.incidents import Incident, IncidentService, OfflineWatcher, snapshot_type
from app.messages import Message, MessageBridge
from app.ops import Ops
from app.reports import ReportQuery
from app.video import StreamState, VideoService
from common.vocabulary import IncidentState, ReportKind


def login(url: str, username: str) -> BackendClient:
    client = BackendClient(url)
    client.login(username, "demo")
    return client


def jpeg(colour: str = "#3366aa") -> bytes:
    image = QImage(64, 36, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "JPG")
    return bytes(data.data())


class Clock:
    """An injected clock the test moves."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def operator(backend_url: str) -> Iterator[BackendClient]:
    client = login(backend_url, "ioc.operator")
    yield client
    client.close()


def _cameras(client: BackendClient) -> list[Camera]:
    return sorted(client.cameras(), key=lambda c: c.id)


def test_report_with_snapshot_then_acknowledge_and_resolve(
        qtbot: QtBot, ops: Ops, messages: MessageBridge, backend_url: str,
        operator: BackendClient) -> None:
    camera = _cameras(operator)[2]
    police = login(backend_url, "police.officer")
    try:
        reporter = IncidentService(police, ops, messages)
        desk = IncidentService(operator, ops, messages, notify_new=True)
        picture = jpeg()
        assert snapshot_type(picture) == "image/jpeg"
        with qtbot.waitSignal(reporter.reported, timeout=15_000) as first:
            reporter.report(camera.id, "obstructed", "Cây che khuất ống kính", picture)
        incident: Incident = first.args[0]
        assert first.args[1] is True
        assert (incident.camera_id, incident.kind, incident.state) == \
            (camera.id, "obstructed", "open")
        assert incident.reports[0].snapshot_sha256 and incident.snapshots

        with qtbot.waitSignal(desk.reported, timeout=15_000) as second:
            desk.report(camera.id, "too_dark", "Thêm: quá tối")
        assert second.args[0].id == incident.id and second.args[1] is False
        assert len(second.args[0].reports) == 2

        with qtbot.waitSignal(desk.snapshot_loaded, timeout=15_000) as shot:
            desk.load_snapshot(incident.id, incident.reports[0].id)
        assert shot.args[2] == picture and shot.args[3] == "image/jpeg"

        # police may not acknowledge: 403 as a readable message
        with qtbot.waitSignal(reporter.action_failed, timeout=15_000) as refused:
            reporter.acknowledge(incident.id)
        assert "operating unit" in refused.args[0]

        with qtbot.waitSignal(desk.incident_changed, timeout=15_000) as acked:
            desk.acknowledge(incident.id)
        assert acked.args[0].state == "acknowledged"
        assert acked.args[0].seconds_to_acknowledge is not None
        with qtbot.waitSignal(desk.action_failed, timeout=15_000) as short:
            desk.resolve(incident.id, "ok")
        assert short.args[0].startswith("resolution")
        with qtbot.waitSignal(desk.incident_changed, timeout=15_000) as resolved:
            desk.resolve(incident.id, "Đã cắt tỉa cây, camera thông thoáng")
        assert resolved.args[0].state == "resolved"
        assert resolved.args[0].seconds_to_resolve >= resolved.args[0].seconds_to_acknowledge

        with qtbot.waitSignal(desk.incidents_changed, timeout=15_000) as listed:
            desk.set_state_filter("resolved")
        assert incident.id in {i.id for i in listed.args[0]}
        assert {i.state for i in listed.args[0]} == {"resolved"}
    finally:
        police.close()


def test_a_bad_snapshot_is_refused_with_a_message(qtbot: QtBot, ops: Ops,
                                                  messages: MessageBridge,
                                                  operator: BackendClient) -> None:
    camera = _cameras(operator)[3]
    service = IncidentService(operator, ops, messages)
    with qtbot.waitSignal(service.action_failed, timeout=15_000) as failed:
        service.report(camera.id, "other", "not an image", b"GIF89a....")
    assert failed.args[0].startswith("snapshot")


def test_camera_states_fold_tiles_into_cameras() -> None:
    states = CameraStates()
    changes = states.update("wall/0", 7, StreamState.CONNECTING)
    assert [(c.camera_id, c.old, c.new) for c in changes] == [(7, None, Availability.PENDING)]
    assert [c.new for c in states.update("wall/0", 7, StreamState.OFFLINE, "refused")] == \
        [Availability.DOWN]
    assert states.reason(7) == "refused"
    # the same camera live on a wall window: up
    assert [c.new for c in states.update("win-1/3", 7, StreamState.LIVE)] == [Availability.UP]
    assert states.update("wall/0", 7, StreamState.OFFLINE) == []
    # the tile changes camera without stopping: camera 7 left it, 8 arrived
    moved = states.update("win-1/3", 8, StreamState.LIVE)
    assert {(c.camera_id, c.new) for c in moved} == {(7, Availability.DOWN),
                                                     (8, Availability.UP)}
    assert [c.new for c in states.update("wall/0", None, StreamState.STOPPED)] == [None]
    assert states.cameras() == {8}


def _refused_url() -> str:
    """An RTSP address on loopback where nothing listens: a camera that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"rtsp://127.0.0.1:{port}/down"


def _play(video: VideoService, qtbot: QtBot, camera: dict[str, Any], window: int) -> None:
    video.play("wall/0", _refused_url(), window, camera.name)
    qtbot.waitUntil(lambda: video.status("wall/0").state is StreamState.OFFLINE, timeout=20_000)


def test_offline_five_minutes_files_one_incident_across_two_clients(
        qtbot: QtBot, ops: Ops, backend_url: str, operator: BackendClient) -> None:
    camera = _cameras(operator)[1]
    messages = MessageBridge()
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    second = login(backend_url, "police.officer")
    surface = QWidget()
    surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
    surface.resize(320, 180)
    surface.show()
    qtbot.addWidget(surface)
    video = VideoService()
    # both clocks start 6 minutes back so the 5 minutes end before the server's "now"
    clock = Clock(datetime.now(UTC) - timedelta(minutes=6))

    def camera_of(key: str) -> int | None:
        return int(camera.id) if key == "wall/0" else None

    watchers = [OfflineWatcher(client, ops, messages, video, camera_of, clock=clock,
                               sweep_ms=3_600_000) for client in (operator, second)]
    try:
        for watcher in watchers:
            watcher.start()
        _play(video, qtbot, camera, int(surface.winId()))
        qtbot.waitUntil(lambda: all(camera.id in w.down_since for w in watchers),
                        timeout=5000)
        clock.now += timedelta(minutes=4, seconds=50)
        for watcher in watchers:
            watcher.sweep()
        qtbot.wait(300)
        assert not any(w.filed_cameras for w in watchers), "filed before 5 minutes"

        clock.now += timedelta(seconds=15)
        with qtbot.waitSignal(watchers[0].filed, timeout=15_000) as one, \
                qtbot.waitSignal(watchers[1].filed, timeout=15_000) as two:
            for watcher in watchers:
                watcher.sweep()
        assert one.args[0].id == two.args[0].id
        assert sorted([one.args[1], two.args[1]]) == [False, True]  # one opened, one joined
        # later sweeps of a camera still down file nothing more
        clock.now += timedelta(minutes=10)
        for watcher in watchers:
            watcher.sweep()
        qtbot.wait(500)
        open_ones = [i for i in operator.incidents(IncidentState.OPEN) if i.camera_id == camera.id]
        assert len(open_ones) == 1
        reports = open_ones[0].reports
        assert len(reports) == 2 and all(r.automatic for r in reports)
        assert {r.user.username for r in reports} == {"ioc.operator", "police.officer"}
        assert open_ones[0].kind == "offline" and open_ones[0].automatic
        assert sum("offline for 5 min" in m.text for m in posted) == 2
    finally:
        for watcher in watchers:
            watcher.stop()
        video.shutdown()
        second.close()


def test_health_reports_reach_the_availability_report(
        qtbot: QtBot, ops: Ops, backend_url: str, operator: BackendClient) -> None:
    camera = _cameras(operator)[4]
    surface = QWidget()
    surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
    surface.resize(320, 180)
    surface.show()
    qtbot.addWidget(surface)
    video = VideoService()
    clock = Clock(datetime.now(UTC) - timedelta(minutes=3))
    reporter = HealthReporter(operator, ops, video,
                              lambda key: int(camera.id) if key == "wall/0" else None,
                              clock=clock, sweep_ms=3_600_000)
    sent: list[HealthReport] = []
    reporter.sent.connect(sent.append)
    try:
        reporter.start()
        video.play("wall/0", _refused_url(), int(surface.winId()), camera.name)
        qtbot.waitUntil(lambda: video.status("wall/0").state is StreamState.OFFLINE,
                        timeout=20_000)
        qtbot.waitUntil(lambda: reporter.states.camera(camera.id) is Availability.DOWN,
                        timeout=5000)
        clock.now += timedelta(seconds=30)
        reporter.sweep()
        qtbot.wait(200)
        assert not sent, "a report before the minute"
        clock.now += timedelta(seconds=31)
        with qtbot.waitSignal(reporter.sent, timeout=15_000) as first:
            reporter.sweep()
        report: HealthReport = first.args[0]
        assert report.camera_id == camera.id and report.live_seconds == 0
        assert 60 <= report.down_seconds <= 62
        # the camera leaves the wall: its last interval is sent
        clock.now += timedelta(seconds=20)
        with qtbot.waitSignal(reporter.sent, timeout=15_000) as last:
            video.stop("wall/0")
        assert 19 <= last.args[0].down_seconds <= 21
        today = (datetime.now(UTC) + timedelta(hours=7)).date()  # UTC+7
        answer = operator.report(ReportQuery(ReportKind.AD_HOC, start=today, end=today))
        row = next(r for r in answer.availability if r.camera_id == camera.id)
        assert row.client_down_seconds >= 80, row
        assert row.client_availability_percent == 0
    finally:
        reporter.stop()
        video.shutdown()
