"""The Administration window against a real backend, as the shell wires it after login: it is
offered to administrators only; creating a ward, a unit and an account through its dialogs
reaches the server; a refusal is said next to the field it names, in Vietnamese, and the dialog
stays open; a CSV file with bad rows shows them after the dry run and cannot be imported; a user
whose password an administrator set chooses their own before the main window opens; a gateway
is added and edited through its dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.backend import BackendClient
from app.context import Runtime
from app.credentials import TokenStore
from app.errors import SessionExpired
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from common.vocabulary import CameraTransport, Role, UnitKind
from main import parse_args
from shell.client import Client
from widgets.admin_dialogs import (
    CameraDialog,
    GatewayDialog,
    ResetPasswordDialog,
    UnitDialog,
    UserDialog,
    WardDialog,
)
from widgets.admin_window import AdminWindow
from widgets.camera_import import CameraImportDialog
from widgets.password_change import PasswordChangeDialog


class _App:
    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


@pytest.fixture
def start(qapp: QApplication, qtbot: QtBot, tmp_path: Path, backend_url: str, ops: Ops,
          messages: MessageBridge) -> Iterator[Any]:
    started: list[tuple[Client, _App, VideoService, AuthService]] = []

    def run(username: str, password: str = "demo", *, login: bool = True) -> Client:
        settings = SettingsStore(tmp_path / username)
        video = VideoService()
        auth = AuthService(settings, TokenStore())
        app = _App()
        client = Client(app, parse_args([]),  # type: ignore[arg-type]
                        Runtime(settings, messages, ops, video, auth, client_data_dir()),
                        backend_url)
        started.append((client, app, video, auth))
        if login:
            client.logged_in(auth.login(backend_url, username, password, False))
        return client

    yield run
    for client, app, video, auth in started:
        if client.password_dialog is not None:
            client.password_dialog.close()
        if client.window is not None:
            client.window.close()
            qtbot.waitUntil(lambda app=app: app.quit_calls == 1, timeout=10_000)
        video.shutdown()
        auth.logout()


@pytest.fixture
def admin_client(backend_url: str) -> Iterator[BackendClient]:
    client = BackendClient(backend_url)
    client.login("ioc.admin", "demo")
    yield client
    client.logout()
    client.close()


def open_admin(client: Client, qtbot: QtBot) -> AdminWindow:
    assert client.site_admin is not None
    client.site_admin.action.trigger()
    window = client.site_admin.window
    assert window is not None
    qtbot.waitUntil(lambda: bool(window.wards) and bool(window.units) and bool(window.users),
                    timeout=20_000)
    return window


def error_of(dialog: QDialog, field: str) -> str:
    label = dialog.findChild(QLabel, f"{field}_error")
    assert label is not None
    return label.text() if label.isVisibleTo(dialog) else ""


def test_the_window_is_offered_to_administrators_only(start: Any, qtbot: QtBot) -> None:
    for username in ("ioc.operator", "police.commander", "agency.viewer"):
        client = start(username)
        assert client.site_admin is None
        assert client.context is not None and client.context.admin is None
        assert client.window is not None
        assert not [a for a in client.window.findChildren(QAction)
                    if a.objectName() == "site_administration"]
    admin = start("ioc.admin")
    assert admin.site_admin is not None
    menu = next(a.menu() for a in admin.window.menuBar().actions()
                if a.text() == "&Administration")
    assert menu.actions()[0].objectName() == "site_administration"
    window = open_admin(admin, qtbot)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Wards", "Units", "Accounts", "Cameras", "Gateways", "Public data"]
    qtbot.waitUntil(lambda: bool(window.cameras), timeout=20_000)
    names = {w.name for w in window.wards}
    assert "Đồng Phú" in names
    # the search box filters the list on any column
    window.ward_panel.search_edit.setText("đồng phú")
    assert [w.name for w in window.ward_panel.items()] == ["Đồng Phú"]


def test_a_ward_a_unit_and_an_account_are_created_through_the_dialogs(
        start: Any, qtbot: QtBot, admin_client: BackendClient) -> None:
    window = open_admin(start("ioc.admin"), qtbot)
    ward_dialog = window.new_ward()
    assert isinstance(ward_dialog, WardDialog)
    ward_dialog.name_edit.setText("Phường Thử Nghiệm")
    ward_dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.dialog is None, timeout=20_000)
    ward = next(w for w in admin_client.admin_wards() if w.name == "Phường Thử Nghiệm")
    qtbot.waitUntil(lambda: any(w.id == ward.id for w in window.wards), timeout=20_000)

    unit_dialog = window.new_unit()
    assert isinstance(unit_dialog, UnitDialog)
    unit_dialog.name_edit.setText("Công an phường Thử Nghiệm")
    unit_dialog.kind_combo.setCurrentIndex(unit_dialog.kind_combo.findData(UnitKind.WARD_POLICE))
    # a ward police unit without its ward is refused before anything is sent
    unit_dialog.ok_button.click()
    assert error_of(unit_dialog, "ward_id") == "Required."
    unit_dialog.ward_combo.setCurrentIndex(unit_dialog.ward_combo.findData(ward.id))
    unit_dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.dialog is None, timeout=20_000)
    unit = next(u for u in admin_client.admin_units() if u.name == "Công an phường Thử Nghiệm")
    assert unit.kind == UnitKind.WARD_POLICE and unit.ward is not None
    assert unit.ward.id == ward.id
    qtbot.waitUntil(lambda: any(u.id == unit.id for u in window.units), timeout=20_000)

    user_dialog = window.new_user()
    assert isinstance(user_dialog, UserDialog)
    user_dialog.username_edit.setText("thu.nghiem")
    user_dialog.full_name_edit.setText("Nguyễn Văn Thử")
    user_dialog.unit_combo.setCurrentIndex(user_dialog.unit_combo.findData(unit.id))
    assert user_dialog.password_edit is not None and user_dialog.repeat_edit is not None
    user_dialog.password_edit.setText("Hoa-Phuong-do-2026")
    user_dialog.repeat_edit.setText("Hoa-Phuong-do-2027")
    user_dialog.ok_button.click()
    assert error_of(user_dialog, "password") == "The two passwords differ."
    user_dialog.repeat_edit.setText("Hoa-Phuong-do-2026")
    user_dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.dialog is None, timeout=20_000)
    user = next(u for u in admin_client.admin_users() if u.username == "thu.nghiem")
    assert user.unit.id == unit.id and user.role == Role.OFFICER and user.must_change_password


def test_a_refusal_is_said_next_to_its_field_in_vietnamese(
        start: Any, qtbot: QtBot, vietnamese: Any) -> None:
    window = open_admin(start("ioc.admin"), qtbot)
    assert window.windowTitle() == "Quản trị hệ thống"
    dialog = window.new_ward()
    assert isinstance(dialog, WardDialog)
    dialog.name_edit.setText("Đồng Phú")  # taken
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(error_of(dialog, "name")), timeout=20_000)
    assert error_of(dialog, "name") == "Tên này đã được dùng."
    assert dialog.isVisible() and window.dialog is dialog
    dialog.reject()

    window.tabs.setCurrentWidget(window.user_panel)
    assert window.user_panel.select(next(u.id for u in window.users
                                         if u.username == "police.officer"))
    reset = window.reset_password()
    assert isinstance(reset, ResetPasswordDialog)
    reset.password_edit.setText("ngắn")
    reset.repeat_edit.setText("ngắn")
    reset.ok_button.click()  # refused before sending
    assert error_of(reset, "password") == "Mật khẩu cần ít nhất 10 ký tự."
    reset.password_edit.setText("1234567890")
    reset.repeat_edit.setText("1234567890")
    reset.ok_button.click()  # long enough, but the server's list knows it
    qtbot.waitUntil(lambda: bool(error_of(reset, "password")) and
                    error_of(reset, "password") != "Mật khẩu cần ít nhất 10 ký tự.",
                    timeout=20_000)
    assert error_of(reset, "password") == "Mật khẩu này quá phổ biến: hãy chọn mật khẩu khác."
    assert reset.isVisible()
    reset.reject()


def test_a_csv_with_bad_rows_shows_them_and_cannot_be_imported(
        start: Any, qtbot: QtBot, tmp_path: Path, admin_client: BackendClient) -> None:
    window = open_admin(start("ioc.admin"), qtbot)
    qtbot.waitUntil(lambda: bool(window.gateways), timeout=20_000)
    csv_file = tmp_path / "cameras.csv"
    csv_file.write_text(
        "external_id,name,ward,system,lat,lon,rtsp_url\n"
        "T-1,Ngã tư Thử,Đồng Phú,smart_city,17.47,106.62,rtsp://10.9.0.1:554/main\n"
        "T-2,Cổng Thử,Phường Không Có,smart_city,17.47,106.62,rtsp://10.9.0.2:554/main\n"
        "T-3,Chợ Thử,Đồng Phú,smart_city,abc,106.62,rtsp://u:p@10.9.0.3:554/main\n",
        encoding="utf-8")
    dialog = CameraImportDialog(window.admin, window.gateways, window)
    qtbot.addWidget(dialog)
    dialog.load(csv_file)
    assert dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20_000)
    errors = dialog.error_rows()
    assert ("3", "ward", "no ward of this name") in errors
    assert any(line == "4" and column == "lat" for line, column, _ in errors)
    assert not dialog.import_button.isEnabled()
    before = {c.name for c in admin_client.admin_cameras()}
    assert "Ngã tư Thử" not in before


def test_a_user_whose_password_was_set_chooses_their_own_first(
        start: Any, qtbot: QtBot, admin_client: BackendClient, backend_url: str) -> None:
    units = admin_client.admin_units()
    police = next(u for u in units if u.kind == UnitKind.CITY_POLICE)
    admin_client.create_user("doi.matkhau", "Trần Thị Đổi", police.id, Role.OFFICER,
                             "Mat-khau-dau-tien")
    client = start("doi.matkhau", "Mat-khau-dau-tien")
    assert client.window is None
    dialog = client.password_dialog
    assert isinstance(dialog, PasswordChangeDialog) and dialog.isVisible()
    dialog.current_edit.setText("sai-mat-khau-roi")
    dialog.new_edit.setText("Song-Nhat-Le-2026")
    dialog.repeat_edit.setText("Song-Nhat-Le-2026")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(error_of(dialog, "current_password")), timeout=20_000)
    assert error_of(dialog, "current_password") == "The current password is wrong."
    assert client.window is None
    dialog.current_edit.setText("Mat-khau-dau-tien")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: client.window is not None, timeout=20_000)
    assert client.password_dialog is None
    check = BackendClient(backend_url)
    try:
        assert not check.login("doi.matkhau", "Song-Nhat-Le-2026").user.must_change_password
    finally:
        check.logout()
        check.close()


def test_an_open_session_is_listed_and_ended_from_the_account(
        start: Any, qtbot: QtBot, backend_url: str) -> None:
    officer = BackendClient(backend_url)
    officer.login("traffic.officer", "demo")
    try:
        window = open_admin(start("ioc.admin"), qtbot)
        window.tabs.setCurrentWidget(window.user_panel)
        account = next(u for u in window.users if u.username == "traffic.officer")
        assert window.user_panel.select(account.id)
        qtbot.waitUntil(lambda: window.sessions_of == account.id and bool(window.sessions),
                        timeout=20_000)
        detail = window.user_panel.detail
        assert detail is not None and "end-session:" in detail.toHtml()
        session_id = window.sessions[0].id
        detail.anchorClicked.emit(QUrl(f"end-session:{session_id}"))
        qtbot.waitUntil(lambda: window.sessions_of == account.id and not window.sessions,
                        timeout=20_000)
        with pytest.raises(SessionExpired):
            officer.me()
    finally:
        officer.close()


def test_editing_a_camera_keeps_its_credentials_unless_a_password_is_typed(
        start: Any, qtbot: QtBot, admin_client: BackendClient) -> None:
    window = open_admin(start("ioc.admin"), qtbot)
    qtbot.waitUntil(lambda: bool(window.cameras) and bool(window.gateways), timeout=20_000)
    camera = next(c for c in window.cameras if c.has_credentials)
    window.tabs.setCurrentWidget(window.camera_panel)
    assert window.camera_panel.select(camera.id)
    window.edit_camera()
    dialog = window.dialog
    assert isinstance(dialog, CameraDialog)
    form = dialog.fields_form
    assert form.password_edit.text() == "" and form.password_edit.placeholderText()
    assert form.credentials_label.text().startswith("✔")
    form.direction_edit.setText("400")
    form.sub_edit.setText("rtsp://user:pw@10.1.1.1/sub")
    dialog.ok_button.click()
    assert error_of(dialog, "direction") == "Direction is between 0 and 359 degrees."
    assert error_of(dialog, "sub_url").startswith("No user name or password in the address")
    form.sub_edit.setText(camera.sub_url or "")
    form.direction_edit.setText("90")
    form.transport_combo.setCurrentIndex(form.transport_combo.findData(CameraTransport.TCP))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.dialog is None, timeout=20_000)
    stored = admin_client.admin_camera(camera.id)
    assert stored.direction == 90 and stored.transport == CameraTransport.TCP
    assert stored.has_credentials
    # a deactivated camera leaves the walls; it comes back on activation
    window.camera_panel.select(camera.id)
    window.toggle_camera()
    qtbot.waitUntil(lambda: not admin_client.admin_camera(camera.id).is_active, timeout=20_000)
    qtbot.waitUntil(lambda: any(c.id == camera.id and not c.is_active for c in window.cameras),
                    timeout=20_000)
    window.camera_panel.select(camera.id)
    window.toggle_camera()
    qtbot.waitUntil(lambda: admin_client.admin_camera(camera.id).is_active, timeout=20_000)


def test_cancelling_the_password_change_goes_back_to_the_login(
        start: Any, qtbot: QtBot, admin_client: BackendClient) -> None:
    police = next(u for u in admin_client.admin_units() if u.kind == UnitKind.CITY_POLICE)
    admin_client.create_user("bo.doi", "Phan Văn Bỏ", police.id, Role.OFFICER,
                             "Mat-khau-cua-admin")
    client = start("bo.doi", "Mat-khau-cua-admin")
    dialog = client.password_dialog
    assert isinstance(dialog, PasswordChangeDialog)
    dialog.reject()
    qtbot.waitUntil(lambda: client.login_dialog is not None, timeout=20_000)
    assert client.window is None and client.password_dialog is None
    client.login_dialog.close()


def test_a_clean_csv_is_checked_then_imported(start: Any, qtbot: QtBot, tmp_path: Path,
                                              admin_client: BackendClient) -> None:
    window = open_admin(start("ioc.admin"), qtbot)
    qtbot.waitUntil(lambda: bool(window.gateways), timeout=20_000)
    csv_file = tmp_path / "good.csv"
    csv_file.write_text(
        "external_id,name,ward,system,lat,lon,rtsp_url\n"
        "G-1,Cầu Dài Thử,Hải Thành,traffic,17.48,106.63,rtsp://10.9.1.1:554/main\n",
        encoding="utf-8")
    dialog = CameraImportDialog(window.admin, window.gateways, window)
    qtbot.addWidget(dialog)
    dialog.load(csv_file)
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20_000)
    assert dialog.error_rows() == [] and dialog.import_button.isEnabled()
    assert dialog.table.item(0, 2).text() == "Cầu Dài Thử"
    assert not [c for c in admin_client.admin_cameras() if c.external_id == "G-1"]
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None and not dialog.outcome.dry_run,
                    timeout=20_000)
    assert dialog.outcome.created == 1 and not dialog.import_button.isEnabled()
    imported = [c for c in admin_client.admin_cameras() if c.external_id == "G-1"]
    assert [c.name for c in imported] == ["Cầu Dài Thử"]
    qtbot.waitUntil(lambda: any(c.external_id == "G-1" for c in window.cameras),
                    timeout=20_000)


def test_a_gateway_is_added_and_edited_through_its_dialogs(
        start: Any, qtbot: QtBot, admin_client: BackendClient) -> None:
    window = open_admin(start("ioc.admin"), qtbot)
    qtbot.waitUntil(lambda: bool(window.gateways), timeout=20_000)
    taken = window.gateways[0].name
    dialog = window.new_gateway()
    assert isinstance(dialog, GatewayDialog)
    # refused before anything is sent: each problem beside its field
    dialog.name_edit.setText("gw-thu-nghiem")
    dialog.rtsp_host_edit.setText("10.0.0.9/x")
    dialog.rtsp_port_edit.setText("99999")
    dialog.ptz_port_edit.setText("abc")
    dialog.control_url_edit.setText("ftp://10.0.0.9")
    dialog.control_secret_edit.setText("short")
    dialog.ok_button.click()
    assert error_of(dialog, "rtsp_host") == "Enter a host name or an IP address."
    assert error_of(dialog, "rtsp_port") == "A port is between 1 and 65535."
    assert error_of(dialog, "ptz_port") == "A port is between 1 and 65535."
    assert error_of(dialog, "control_url") == "Enter an address of the form http://host:port."
    assert error_of(dialog, "control_secret") == "The secret needs at least 16 characters."
    assert not any(g.name == "gw-thu-nghiem" for g in admin_client.gateways())
    # a name the server knows is refused next to the name
    dialog.name_edit.setText(taken)
    dialog.rtsp_host_edit.setText("10.0.0.9")
    dialog.rtsp_port_edit.setText("8554")
    dialog.ptz_port_edit.setText("")
    dialog.control_url_edit.setText("http://127.0.0.1:9")
    dialog.control_secret_edit.setText("a-control-secret-of-the-test")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(error_of(dialog, "name")), timeout=20_000)
    assert error_of(dialog, "name") == "A gateway with this name already exists."
    assert dialog.isVisible()
    dialog.name_edit.setText("gw-thu-nghiem")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.dialog is None, timeout=20_000)
    created = next(g for g in admin_client.gateways() if g.name == "gw-thu-nghiem")
    assert (created.rtsp_host, created.rtsp_port, created.ptz_port, created.control_url) == (
        "10.0.0.9", 8554, None, "http://127.0.0.1:9")
    qtbot.waitUntil(lambda: any(g.id == created.id for g in window.gateways), timeout=20_000)

    # the edit keeps the secret unless one is typed, and switches the gateway off
    window.tabs.setCurrentWidget(window.gateway_panel)
    assert window.gateway_panel.select(created.id)
    edit = window.edit_gateway()
    assert isinstance(edit, GatewayDialog)
    assert edit.name_edit.isReadOnly() and edit.control_secret_edit.text() == ""
    edit.rtsp_port_edit.setText("8555")
    edit.ptz_port_edit.setText("8081")
    edit.active_check.setChecked(False)
    edit.ok_button.click()
    qtbot.waitUntil(lambda: window.dialog is None, timeout=20_000)
    changed = next(g for g in admin_client.gateways() if g.id == created.id)
    assert (changed.rtsp_port, changed.ptz_port, changed.is_active) == (8555, 8081, False)
    assert changed.control_url == "http://127.0.0.1:9"


@pytest.mark.video  # the dialog plays the camera's live picture (libvlc): with the serial tests
def test_privacy_masks_are_drawn_removed_and_saved_from_the_camera_panel(
        start: Any, qtbot: QtBot, admin_client: BackendClient) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt

    from widgets.privacy_masks import MaskCanvas, PrivacyMaskDialog

    window = open_admin(start("ioc.admin"), qtbot)
    qtbot.waitUntil(lambda: bool(window.cameras), timeout=20_000)
    camera = window.cameras[0]
    window.tabs.setCurrentWidget(window.camera_panel)
    assert window.camera_panel.select(camera.id)
    window.privacy_masks()
    dialog = window.dialog
    assert isinstance(dialog, PrivacyMaskDialog)
    canvas: MaskCanvas = dialog.canvas
    qtbot.waitUntil(lambda: canvas.frame().width() > 100, timeout=5_000)

    def at(x: float, y: float) -> QPoint:
        frame = canvas.frame()
        return QPointF(frame.left() + x * frame.width(),
                       frame.top() + y * frame.height()).toPoint()

    def drag(a: tuple[float, float], b: tuple[float, float]) -> None:
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at(*a))
        qtbot.mouseMove(canvas, at(*b))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at(*b))

    drag((0.1, 0.2), (0.5, 0.6))
    drag((0.7, 0.7), (0.9, 0.95))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=at(0.3, 0.3))  # no drag: nothing
    assert len(canvas.masks) == 2
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=at(0.8, 0.8))  # removed
    assert len(canvas.masks) == 1
    x, y, width, height = canvas.masks[0]
    assert abs(x - 0.1) < 0.01 and abs(y - 0.2) < 0.01
    assert abs(width - 0.4) < 0.01 and abs(height - 0.4) < 0.01
    assert dialog.count_label.text().startswith("1 ")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: len(admin_client.admin_camera(camera.id).privacy_masks) == 1,
                    timeout=20_000)
    assert admin_client.admin_camera(camera.id).privacy_masks[0] == canvas.masks[0]
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5_000)
    assert dialog.count_label.text().startswith("Saved: 1")
    canvas.clear()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: admin_client.admin_camera(camera.id).privacy_masks == (),
                    timeout=20_000)
    dialog.reject()
    qtbot.waitUntil(lambda: window.dialog is None, timeout=5_000)


def test_the_public_data_catalogue_is_kept_in_its_tab(
        start: Any, qtbot: QtBot, admin_client: BackendClient) -> None:
    """Only traffic cameras and traffic violations are offered; a tick saved is in the server's
    catalogue, an untick takes it out again (the catalogue is put back as it was)."""
    window = open_admin(start("ioc.admin"), qtbot)
    tab = window.catalogue_tab
    before = admin_client.public_catalogue()
    traffic = [c for c in admin_client.admin_cameras() if c.system == "traffic" and c.is_active]
    qtbot.waitUntil(lambda: tab.camera_list.count() == len(traffic), timeout=20_000)
    offered = {tab.kind_list.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(tab.kind_list.count())}
    assert offered == {"red_light", "lane", "stopping_parking", "other_traffic"}

    def items() -> dict[int, Any]:
        """The rows as shown now (the list is filled again when the catalogue arrives)."""
        return {tab.camera_list.item(i).data(Qt.ItemDataRole.UserRole): tab.camera_list.item(i)
                for i in range(tab.camera_list.count())}

    qtbot.waitUntil(lambda: tab.camera_list.count() == len(traffic) and {
        k for k, item in items().items() if item.checkState() == Qt.CheckState.Checked}
        == set(before.camera_ids), timeout=20_000)
    try:
        unlisted = next(c.id for c in traffic if c.id not in before.camera_ids)
        items()[unlisted].setCheckState(Qt.CheckState.Checked)
        for i in range(tab.kind_list.count()):
            if tab.kind_list.item(i).data(Qt.ItemDataRole.UserRole) == "lane":
                tab.kind_list.item(i).setCheckState(Qt.CheckState.Unchecked)
        tab.save_button.click()
        qtbot.waitUntil(lambda: "Saved" in tab.status_label.text(), timeout=20_000)
        after = admin_client.public_catalogue()
        assert set(after.camera_ids) == set(before.camera_ids) | {unlisted}
        assert "lane" not in after.violation_kinds
    finally:
        admin_client.set_public_catalogue(before.camera_ids, before.violation_kinds)
