"""Access requests in the client (Art. 12.2.d), end to end on a real backend: the agency
(agency.viewer, in the main window as main.py wires it) files a request with its PDF letter from
the Administration menu's panel (a non-PDF is refused with a clear message); the operating unit
(ioc.operator's panel) opens the letter, cannot reject without a reason, and grants one camera
for a few seconds; the agency's camera tree then shows that camera, and it is gone when the
grant ends, with nobody acting. The agency ticks the cameras it asks for in the catalogue the
server sends it (GET /access-requests/cameras), with real mouse clicks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.access_requests import AccessRequestService
from app.auth import AuthService
from app.backend import BackendClient
from app.context import Runtime
from app.credentials import TokenStore
from app.domain import CameraSystem
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from main import parse_args
from shell.client import Client
from tests.app.admin_helpers import PDF, LiveBackend, live_backend
from widgets.access_panel import (
    CAMERA_ROLE,
    AccessPanel,
    AccessRejectDialog,
    AccessRequestDialog,
    GrantDialog,
)
from widgets.camera_tree import CAMERA_ID_ROLE


class _App:
    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("access-panel")) as backend:
        yield backend


@pytest.fixture
def agency_client(qapp: QApplication, qtbot: QtBot, tmp_path: Path, live: LiveBackend,
                  ops: Ops, messages: MessageBridge) -> Iterator[Client]:
    settings = SettingsStore(tmp_path)
    video = VideoService()
    auth = AuthService(settings, TokenStore())
    app = _App()
    running = Client(app, parse_args([]),  # type: ignore[arg-type]
                     Runtime(settings, messages, ops, video, auth, client_data_dir()), live.url)
    running.open_main_window(auth.login(live.url, "agency.viewer", "demo", False))
    window = running.window
    assert window is not None
    qtbot.waitUntil(lambda: window.wall_controller.cameras_loaded, timeout=20_000)
    try:
        yield running
    finally:
        window.close()
        qtbot.waitUntil(lambda: app.quit_calls == 1, timeout=10_000)
        video.shutdown()
        auth.logout()


@pytest.fixture
def operator_panel(live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: QtBot,
                   tmp_path: Path) -> Iterator[AccessPanel]:
    client: BackendClient = live.client("ioc.operator")
    service = AccessRequestService(client, ops, messages)
    panel = AccessPanel(service, can_file=False, can_decide=True,
                        letter_dir=tmp_path / "letters", open_letters=False)
    panel.set_cameras(client.cameras())
    qtbot.addWidget(panel)
    panel.show()
    yield panel
    service.stop()
    client.close()


def _gone(dialog: Any) -> bool:
    """Closed (the dialogs delete themselves on close)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _tree_camera_ids(window: Any) -> list[int]:
    model = window.tree.model
    found: list[int] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            value = index.data(CAMERA_ID_ROLE)
            if value is not None:
                found.append(int(value))
            walk(index)

    walk(QModelIndex())
    return sorted(found)


def _click_check(qtbot: QtBot, dialog: AccessRequestDialog, camera_id: int) -> None:
    """A real mouse click on the camera's check box in the list."""
    view = dialog.cameras_list
    item = dialog.item_of(camera_id)
    assert item is not None, camera_id
    before = item.checkState()
    view.scrollToItem(item)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualItemRect(item)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option,
                                      view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    assert item.checkState() != before, camera_id


def _requestable_cameras(live: LiveBackend) -> list[int]:
    client = live.client("ioc.operator")
    try:
        return [c.id for c in client.cameras()
                if c.system in (CameraSystem.SMART_CITY, CameraSystem.PUBLIC)]
    finally:
        client.close()


def _camera_names(live: LiveBackend) -> dict[int, str]:
    client = live.client("ioc.operator")
    try:
        return {c.id: c.name for c in client.cameras()}
    finally:
        client.close()


def _smart_cameras(live: LiveBackend) -> list[int]:
    client = live.client("ioc.operator")
    try:
        return [c.id for c in client.cameras() if c.system is CameraSystem.SMART_CITY]
    finally:
        client.close()


def test_agency_request_granted_then_gone(agency_client: Client, operator_panel: AccessPanel,
                                         live: LiveBackend, qtbot: QtBot,
                                         tmp_path: Path) -> None:
    window = agency_client.window
    assert window is not None
    assert _tree_camera_ids(window) == []
    # the Administration menu has the agency's entry only
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Administration")
    assert [a.text() for a in menu.actions()] == ["Access requests"]
    dock = next(d for d in window.findChildren(type(window.tree_dock))
                if d.objectName() == "access_requests_dock")
    assert dock.isHidden()
    menu.actions()[0].trigger()
    assert dock.isVisible()
    panel = dock.widget()
    assert isinstance(panel, AccessPanel) and panel.new_button.isVisible()
    assert not panel.grant_button.isVisible() and not panel.revoke_button.isVisible()
    wanted = _smart_cameras(live)[:2]

    panel.new_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, AccessRequestDialog) and dialog.isVisible()
    dialog.content_edit.setPlainText("Xem camera khu vực chợ Đồng Hới")
    dialog.purpose_edit.setPlainText("Điều tra vụ trộm cắp tài sản ngày 12")
    dialog.commitment_edit.setPlainText("Cam kết chỉ sử dụng cho mục đích đã nêu")
    # the cameras are ticked in the catalogue the server sends (the agency sees no camera yet)
    qtbot.waitUntil(lambda: dialog.cameras_list.count() > 0, timeout=20_000)
    listed = [int(dialog.cameras_list.item(i).data(CAMERA_ROLE))
              for i in range(dialog.cameras_list.count())]
    assert sorted(listed) == sorted(_requestable_cameras(live))
    assert "0 of" in dialog.cameras_status.text()
    dialog.buttons.accepted.emit()  # nothing ticked: told, nothing sent
    assert dialog.error_label.text() == "Cameras: tick at least one camera in the list."
    assert dialog.isVisible() and panel.requests() == []
    dialog.filter_edit.setText("no such camera anywhere")
    assert all(dialog.cameras_list.item(i).isHidden() for i in range(len(listed)))
    dialog.filter_edit.clear()
    for camera_id in wanted:
        _click_check(qtbot, dialog, camera_id)
    assert dialog.camera_ids() == [c for c in listed if c in wanted]
    assert dialog.cameras_status.text().startswith("2 of ")
    notes = tmp_path / "cong-van.odt"
    notes.write_bytes(b"PK\x03\x04 a word processor file")
    dialog.letter_edit.setText(str(notes))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "cong-van.odt is not a PDF file" in dialog.error_label.text(),
                    timeout=20_000)
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    letter = tmp_path / "cong-van.pdf"
    letter.write_bytes(PDF)
    dialog.letter_edit.setText(str(letter))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _gone(dialog), timeout=20_000)
    qtbot.waitUntil(lambda: len(panel.requests()) == 1, timeout=20_000)
    filed = panel.requests()[0]
    assert filed.state == "requested" and sorted(filed.camera_ids) == wanted
    wanted = list(filed.camera_ids)  # the order ticked in (the catalogue's: ward, name)
    assert panel.row_texts(filed.id)[3] == "awaiting decision"
    names = _camera_names(live)
    assert panel.row_texts(filed.id)[4] == ", ".join(names[c] for c in wanted)

    # the operating unit: the letter, no rejection without a reason, then a short grant
    operator_panel.refresh_button.click()
    qtbot.waitUntil(lambda: operator_panel.select(filed.id), timeout=20_000)
    assert not operator_panel.new_button.isVisible() and operator_panel.grant_button.isEnabled()
    with qtbot.waitSignal(operator_panel.letter_opened, timeout=20_000) as opened:
        operator_panel.letter_button.click()
    assert Path(opened.args[0]).read_bytes() == PDF
    reject = operator_panel.ask_reject()
    assert isinstance(reject, AccessRejectDialog) and not reject.ok_button.isEnabled()
    reject.reason_edit.setPlainText("  ")
    assert not reject.ok_button.isEnabled()
    reject.reject()
    grant = operator_panel.ask_grant()
    assert isinstance(grant, GrantDialog) and grant.camera_ids() == wanted
    grant.cameras_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=8)
    grant.set_until(until)
    grant.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _gone(grant), timeout=20_000)
    assert "granted" in operator_panel.status_label.text()

    # the agency: at its panel's next poll (15 s; asked at once here) the granted camera
    # appears in the tree without a manual reload; it goes by the service's own timer
    agency_client_service(panel).refresh_now()
    qtbot.waitUntil(lambda: _tree_camera_ids(window) == wanted[:1], timeout=20_000)
    assert [c.id for c in window.wall_controller.camera_list()] == wanted[:1]
    row = panel.row_texts(filed.id)
    assert row[3] == "granted" and row[6] != ""
    qtbot.waitUntil(lambda: _tree_camera_ids(window) == [], timeout=30_000)
    assert datetime.now(UTC) >= until
    assert panel.row_texts(filed.id)[6].startswith("ended ")


def agency_client_service(panel: AccessPanel) -> AccessRequestService:
    service = panel._service
    assert isinstance(service, AccessRequestService)
    return service


def test_reject_with_reason(live: LiveBackend, operator_panel: AccessPanel, ops: Ops,
                           messages: MessageBridge, qtbot: QtBot, tmp_path: Path) -> None:
    agency = live.client("agency.viewer")
    try:
        letter = tmp_path / "cv.pdf"
        letter.write_bytes(PDF)
        service = AccessRequestService(agency, ops, messages)
        now = datetime.now(UTC)
        with qtbot.waitSignal(service.request_changed, timeout=20_000) as filed:
            service.file_request("Xem camera khu vực cầu Nhật Lệ", "Xác minh tai nạn giao thông",
                                 "Cam kết chỉ sử dụng cho mục đích đã nêu",
                                 _smart_cameras(live)[:1], now, now + timedelta(days=1), letter)
        request_id = filed.args[0].id
        # the agency's own panel names the camera it asked for (from the catalogue: it cannot
        # see the camera itself yet)
        agency_panel = AccessPanel(AccessRequestService(agency, ops, messages), can_file=True,
                                   can_decide=False, letter_dir=tmp_path / "own",
                                   open_letters=False)
        qtbot.addWidget(agency_panel)
        agency_panel._service.refresh()
        name = _camera_names(live)[_smart_cameras(live)[0]]
        qtbot.waitUntil(lambda: agency_panel.row_texts(request_id)[4:5] == [name],
                        timeout=20_000)
        operator_panel.refresh_button.click()
        qtbot.waitUntil(lambda: operator_panel.select(request_id), timeout=20_000)
        dialog = operator_panel.ask_reject()
        assert dialog is not None
        dialog.reason_edit.setPlainText("Thiếu chữ ký của thủ trưởng đơn vị")
        assert dialog.ok_button.isEnabled()
        dialog.buttons.accepted.emit()
        qtbot.waitUntil(lambda: _gone(dialog), timeout=20_000)
        qtbot.waitUntil(lambda: operator_panel.row_texts(request_id)[3] == "rejected",
                        timeout=20_000)
        operator_panel.select(request_id)
        assert "Reason: Thiếu chữ ký" in operator_panel.detail_label.text()
        assert not operator_panel.grant_button.isEnabled()
        assert not operator_panel.revoke_button.isEnabled()

        # a running grant is revoked after a confirmation ("No" changes nothing)
        camera = _smart_cameras(live)[:1]
        with qtbot.waitSignal(service.request_changed, timeout=20_000) as second:
            service.file_request("Xem camera khu vực cầu Nhật Lệ", "Xác minh tai nạn giao thông",
                                 "Cam kết chỉ sử dụng cho mục đích đã nêu", camera, now,
                                 now + timedelta(days=1), letter)
        second_id = second.args[0].id
        operator_panel.refresh_button.click()
        qtbot.waitUntil(lambda: operator_panel.select(second_id), timeout=20_000)
        grant = operator_panel.ask_grant()
        assert grant is not None
        grant.buttons.accepted.emit()
        qtbot.waitUntil(lambda: operator_panel.row_texts(second_id)[3] == "granted",
                        timeout=20_000)
        assert [c.id for c in agency.cameras()] == camera
        operator_panel.select(second_id)
        assert operator_panel.revoke_button.isEnabled()
        box = operator_panel.ask_revoke()
        assert box is not None and box.isVisible()
        box.button(QMessageBox.StandardButton.No).click()
        qtbot.wait(300)
        assert [c.id for c in agency.cameras()] == camera
        box = operator_panel.ask_revoke()
        assert box is not None
        with qtbot.waitSignal(operator_panel._service.request_changed, timeout=20_000):
            box.button(QMessageBox.StandardButton.Yes).click()
        assert agency.cameras() == []
        qtbot.waitUntil(lambda: operator_panel.row_texts(second_id)[6].startswith("ended "),
                        timeout=20_000)
    finally:
        agency.close()

