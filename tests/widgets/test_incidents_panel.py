"""Incidents end to end on the real lab and backend: a city police officer's client (as main.py
wires it) shows a live lab camera; "Report a fault…" in the tile's context menu opens the
dialog with the tile's picture; Report files the incident with that snapshot; the duty desk's
Incidents panel (operating unit) lists it, shows the snapshot, acknowledges and resolves it
with a note, and shows the times. The operator's own window has the Incidents dock. A fault the
server filed itself (a workstation's clock off) is listed in Vietnamese with the system as its
reporter and resolved; "Report a fault…" files one that is not a camera's."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDockWidget
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.backend import BackendClient
from app.context import Runtime
from app.credentials import TokenStore
from app.incidents import Incident, IncidentService
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import StreamState, VideoService
from lab.testing import start_test_lab
from main import parse_args
from server.testing import start_test_server, stop_test_server
from shell.client import Client
from widgets.incidents_panel import (
    FaultReportDialog,
    IncidentsPanel,
    ResolveDialog,
    SystemFaultDialog,
)

LAB = [pytest.mark.video, pytest.mark.lab]


class _App:
    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


@pytest.fixture(scope="module")
def live_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("incidents-lab")
    lab = start_test_lab(root / "lab", cameras=2)
    try:
        url, process = start_test_server(root / "data", lab.manifest_path)
        try:
            yield url
        finally:
            stop_test_server(process)
    finally:
        lab.close()


def _client(qtbot: QtBot, tmp_path: Path, url: str, username: str, ops: Ops,
            messages: MessageBridge) -> tuple[Client, _App, VideoService, AuthService]:
    settings = SettingsStore(tmp_path / username)
    video = VideoService()
    auth = AuthService(settings, TokenStore())
    app = _App()
    running = Client(app, parse_args([]),  # type: ignore[arg-type]
        Runtime(settings, messages, ops, video, auth, client_data_dir()), url)
    running.open_main_window(auth.login(url, username, "demo", False))
    window = running.window
    assert window is not None
    qtbot.waitUntil(lambda: bool(window.wall_controller.camera_list()), timeout=20_000)
    return running, app, video, auth


def _close(qtbot: QtBot, running: Client, app: _App, video: VideoService,
           auth: AuthService) -> None:
    window = running.window
    if running.wall_windows is not None:
        running.wall_windows.close_all()
    if running.wall is not None:
        running.wall.clear_all()
    if window is not None:
        window.close()
        qtbot.waitUntil(lambda: app.quit_calls == 1, timeout=10_000)
    video.shutdown()
    auth.logout()


def _fault_dialog(window: Any) -> FaultReportDialog | None:
    found = [d for d in window.findChildren(FaultReportDialog) if d.isVisible()]
    return found[-1] if found else None


def _spread(jpeg: bytes) -> int:
    """How different the picture's pixels are (0: one flat colour)."""
    image = QImage.fromData(jpeg).convertToFormat(QImage.Format.Format_Grayscale8)
    values = [image.pixelColor(x, y).value() for x in range(0, image.width(), 7)
              for y in range(0, image.height(), 7)]
    return max(values) - min(values)


@LAB[0]
@LAB[1]
def test_a_fault_reported_from_a_tile_reaches_the_duty_desk(
        qapp: QApplication, qtbot: QtBot, tmp_path: Path, live_backend: str, ops: Ops,
        messages: MessageBridge) -> None:
    running, app, video, auth = _client(qtbot, tmp_path, live_backend, "police.officer", ops,
                                        messages)
    desk_client = BackendClient(live_backend)
    desk_client.login("ioc.operator", "demo")
    try:
        window = running.window
        assert window is not None
        operations = running.operations
        assert operations is not None
        assert operations.incidents_dock is None  # not the duty desk
        assert "report_fault" in operations.actions
        camera = sorted(window.wall_controller.camera_list(), key=lambda c: c.id)[1]
        assert window.wall.show_camera(0, camera.id)
        key = window.wall_controller.tile_key(0)
        qtbot.waitUntil(lambda: video.status(key).state is StreamState.LIVE, timeout=30_000)
        qtbot.wait(500)  # a few pictures on screen

        menu = window.wall.tile_menu(0)
        action = next(a for a in menu.actions() if a.text() == "Report a fault…")
        assert action.isEnabled()
        action.trigger()
        qtbot.waitUntil(lambda: _fault_dialog(window) is not None, timeout=5000)
        dialog = _fault_dialog(window)
        assert dialog is not None and dialog.camera_id == camera.id
        assert dialog.snapshot is not None and dialog.attach_check.isChecked()
        assert QImage.fromData(dialog.snapshot).width() > 100
        assert _spread(dialog.snapshot) > 40, "the lab's picture, not a flat surface"
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("obstructed"))
        dialog.note_edit.setPlainText("Biển quảng cáo che một phần khung hình")
        with qtbot.waitSignal(operations.incidents.reported, timeout=20_000) as reported:
            dialog.buttons.accepted.emit()
        incident, opened = reported.args
        assert opened and incident.camera_id == camera.id and incident.kind == "obstructed"
        qtbot.waitUntil(lambda: _fault_dialog(window) is None, timeout=5000)
        assert incident.reports[0].snapshot_sha256 == hashlib.sha256(dialog.snapshot).hexdigest()

        # the duty desk
        desk = IncidentService(desk_client, ops, messages)
        panel = IncidentsPanel(desk)
        qtbot.addWidget(panel)
        panel.resize(1000, 500)
        panel.show()
        with qtbot.waitSignal(desk.incidents_changed, timeout=15_000):
            desk.refresh()
        assert panel.select(incident.id)
        assert panel.acknowledge_button.isEnabled() and panel.resolve_button.isEnabled()
        assert "Biển quảng cáo" in panel.detail.toPlainText()
        qtbot.waitUntil(panel.snapshot_shown, timeout=15_000)

        with qtbot.waitSignal(desk.incident_changed, timeout=15_000) as acked:
            panel.acknowledge_button.click()
        assert acked.args[0].state == "acknowledged"
        qtbot.waitUntil(lambda: panel.select(incident.id) and
                        panel.selected().state == "acknowledged", timeout=15_000)
        assert not panel.acknowledge_button.isEnabled()
        row = next(r for r in range(panel.table.rowCount())
                   if panel.table.item(r, 0).text() == str(incident.id))
        assert panel.table.item(row, 9).text().endswith("min")  # time to acknowledge

        def fill_resolution() -> None:
            dialogs = [d for d in panel.findChildren(ResolveDialog) if d.isVisible()]
            dialogs[-1].resolution_edit.setPlainText("Đã yêu cầu tháo biển quảng cáo")
            dialogs[-1].accept()

        QTimer.singleShot(200, fill_resolution)
        with qtbot.waitSignal(desk.incident_changed, timeout=15_000) as resolved:
            panel.ask_resolve()
        assert resolved.args[0].state == "resolved"
        assert resolved.args[0].resolution == "Đã yêu cầu tháo biển quảng cáo"
        assert resolved.args[0].seconds_to_resolve is not None
        # "open and acknowledged" no longer lists it; "resolved" does
        qtbot.waitUntil(lambda: incident.id not in {i.id for i in panel.incidents()},
                        timeout=15_000)
        with qtbot.waitSignal(desk.incidents_changed, timeout=15_000):
            panel.state_combo.setCurrentIndex(panel.state_combo.findData("resolved"))
        assert panel.select(incident.id)
        assert "Đã yêu cầu tháo" in panel.detail.toPlainText()
    finally:
        desk_client.close()
        _close(qtbot, running, app, video, auth)


@LAB[0]
@LAB[1]
def test_the_operator_window_has_the_incidents_and_cases_docks(
        qapp: QApplication, qtbot: QtBot, tmp_path: Path, live_backend: str, ops: Ops,
        messages: MessageBridge) -> None:
    running, app, video, auth = _client(qtbot, tmp_path, live_backend, "ioc.operator", ops,
                                        messages)
    try:
        window = running.window
        assert window is not None
        names = {d.objectName() for d in window.findChildren(QDockWidget)}
        assert {"cases_dock", "incidents_dock"} <= names
        # one tab strip under the wall, not a second column of panels squeezing the tiles
        requests_dock = window.findChild(QDockWidget, "requests_dock")
        assert requests_dock is not None
        tabbed = {d.objectName() for d in window.tabifiedDockWidgets(requests_dock)}
        assert {"cases_dock", "incidents_dock", "bookmarks_dock"} <= tabbed
        qtbot.waitUntil(lambda: window.wall.height() > window.height() / 2, timeout=5_000)
        menus = [a.text() for a in window.menuBar().actions()]
        assert "&Operations" in menus
        operations = running.operations
        assert operations is not None
        assert {"cases", "incidents", "open_case", "open_case_bookmark", "report_fault"} <= \
            set(operations.actions)
        # an empty tile offers no fault report
        window.wall.controller.clear(0)
        action = next(a for a in window.wall.tile_menu(0).actions()
                      if a.text() == "Report a fault…")
        assert not action.isEnabled()
        # a wall window on another screen: its tiles report faults too
        assert running.wall_windows is not None
        other = running.wall_windows.open("", full_screen=False)
        assert other is not None
        camera = sorted(window.wall_controller.camera_list(), key=lambda c: c.id)[0]
        qtbot.waitUntil(lambda: other.wall.show_camera(0, camera.id), timeout=10_000)
        action = next(a for a in other.wall.tile_menu(0).actions()
                      if a.text() == "Report a fault…")
        assert action.isEnabled()
        action.trigger()

        def dialogs() -> list[FaultReportDialog]:
            return [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, FaultReportDialog) and w.isVisible()]

        qtbot.waitUntil(lambda: bool(dialogs()), timeout=5000)
        assert dialogs()[0].camera_id == camera.id
        dialogs()[0].reject()
    finally:
        _close(qtbot, running, app, video, auth)


class SkewedClient(BackendClient):
    """A workstation whose clock runs 5 s ahead of the server's: every request says so."""

    @property  # type: ignore[override]
    def clock_offset_s(self) -> float:
        return 5.0

    @clock_offset_s.setter
    def clock_offset_s(self, _measured: float | None) -> None:
        """The measurement keeps finding the same clock."""


def _row(panel: IncidentsPanel, incident_id: int) -> list[str]:
    row = next(r for r in range(panel.table.rowCount())
               if panel.table.item(r, 0).text() == str(incident_id))
    return [panel.table.item(row, c).text() for c in range(panel.table.columnCount())]


def test_the_desk_resolves_what_the_system_filed_and_reports_a_fault_of_its_own(
        qtbot: QtBot, ops: Ops, messages: MessageBridge, backend_url: str,
        vietnamese: list[QTranslator]) -> None:
    desk_client = SkewedClient(backend_url)
    desk_client.login("ioc.operator", "demo")
    try:
        desk = IncidentService(desk_client, ops, messages)
        panel = IncidentsPanel(desk)
        qtbot.addWidget(panel)
        panel.resize(1200, 500)
        panel.show()

        def clock_incident() -> Incident | None:
            return next((i for i in panel.incidents() if i.kind == "clock_drift"
                         and i.subject.startswith("workstation ")), None)

        def refreshed() -> None:
            with qtbot.waitSignal(desk.incidents_changed, timeout=15_000):
                desk.refresh()

        refreshed()
        incident = clock_incident()
        assert incident is not None and incident.reported_by is None
        cells = _row(panel, incident.id)
        assert cells[1:3] == ["Phần mềm", incident.subject]
        assert cells[4].startswith("Lệch đồng hồ") and cells[7] == "Hệ thống"
        assert cells[5] == panel.state_text("open") != "open"
        assert panel.select(incident.id)
        assert "Hệ thống" in panel.detail.toPlainText()
        assert panel.acknowledge_button.isEnabled() and panel.resolve_button.isEnabled()

        def fill_resolution() -> None:
            dialogs = [d for d in panel.findChildren(ResolveDialog) if d.isVisible()]
            dialogs[-1].resolution_edit.setPlainText("Đã chỉnh NTP cho máy trạm")
            dialogs[-1].accept()

        QTimer.singleShot(200, fill_resolution)
        with qtbot.waitSignal(desk.incident_changed, timeout=15_000) as resolved:
            panel.ask_resolve()
        done: Incident = resolved.args[0]
        assert (done.id, done.state, done.resolution) == (
            incident.id, "resolved", "Đã chỉnh NTP cho máy trạm")
        assert done.resolved_by is not None and done.resolved_by.username == "ioc.operator"

        # a fault that is not a camera's, from the panel
        panel.report_button.click()
        dialog = next(d for d in panel.findChildren(SystemFaultDialog) if d.isVisible())
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("network"))
        assert dialog.kind_combo.itemText(0) == "Mất kết nối mạng"
        dialog.subject_edit.setText("Cáp quang phường  Đồng Phú")
        dialog.note_edit.setPlainText("mất mạng từ 8 giờ")
        with qtbot.waitSignal(desk.reported, timeout=15_000) as reported:
            dialog.buttons.accepted.emit()
        filed: Incident = reported.args[0]
        assert (filed.category, filed.subject, filed.kind, filed.camera_id) == (
            "network", "Cáp quang phường Đồng Phú", "network_down", None)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
        refreshed()
        cells = _row(panel, filed.id)
        assert cells[1:3] == ["Mạng", "Cáp quang phường Đồng Phú"]
        assert cells[3] == "" and cells[7] != "Hệ thống"
    finally:
        desk_client.close()


def test_a_camera_fault_offers_a_camera_s_kinds_and_a_system_fault_its_category_s(
        qtbot: QtBot) -> None:
    camera = FaultReportDialog(1, "CAM-01", None)
    system = SystemFaultDialog()
    qtbot.addWidget(camera)
    qtbot.addWidget(system)
    assert [camera.kind_combo.itemData(i) for i in range(camera.kind_combo.count())] == [
        "offline", "obstructed", "too_dark", "ptz_broken", "other"]
    system.category_combo.setCurrentIndex(system.category_combo.findData("storage"))
    assert [system.kind_combo.itemData(i) for i in range(system.kind_combo.count())] == [
        "disk_full", "storage_failure", "recorder_stopped", "other"]
    assert system.category_combo.findData("camera") == -1


def test_any_user_reports_a_fault_of_the_system_from_the_operations_menu(
        qapp: QApplication, qtbot: QtBot, tmp_path: Path, backend_url: str, ops: Ops,
        messages: MessageBridge) -> None:
    """A ward police officer (not the duty desk) reports a network fault; the desk lists it
    with its category and the officer as reporter."""
    running, app, video, auth = _client(qtbot, tmp_path, backend_url, "ward.dongphu.police",
                                        ops, messages)
    desk = BackendClient(backend_url)
    desk.login("ioc.operator", "demo")
    try:
        operations = running.operations
        assert operations is not None and operations.incidents_dock is None
        operations.actions["report_system_fault"].trigger()
        dialog = next(d for d in running.window.findChildren(SystemFaultDialog)  # type: ignore
                      if d.isVisible())
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("network"))
        dialog.subject_edit.setText("Đường truyền phường Đồng Phú")
        dialog.note_edit.setPlainText("Mất kết nối từ 14:00")
        with qtbot.waitSignal(operations.incidents.reported, timeout=20_000) as reported:
            dialog.buttons.accepted.emit()
        incident = reported.args[0]
        assert (incident.category, incident.camera_id) == ("network", None)
        assert incident.subject == "Đường truyền phường Đồng Phú"
        listed = {i.id: i for i in desk.incidents()}
        assert listed[incident.id].reports[0].user.username == "ward.dongphu.police"
    finally:
        desk.close()
        _close(qtbot, running, app, video, auth)
