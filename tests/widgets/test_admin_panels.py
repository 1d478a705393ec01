"""The administration panels as the shell wires them after login: the "Administration" menu lists
what the user's unit may use (operating unit: reports, access requests, audit log; other
agencies: access requests; anyone else: no menu), the docks are hidden until opened, opening
the audit log loads its rows and checks the chain, and logging out with a reply in flight
leaves no error behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.context import Runtime
from app.credentials import TokenStore
from app.messages import Level, Message, MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from main import parse_args
from shell.client import Client
from widgets.audit_panel import OK_STYLE, AuditPanel
from widgets.reports_panel import ReportsPanel


class _App:
    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


@pytest.fixture
def start(qapp: QApplication, qtbot: QtBot, tmp_path: Path, backend_url: str, ops: Ops,
          messages: MessageBridge) -> Iterator[Any]:
    started: list[tuple[Client, _App, VideoService, AuthService]] = []

    def run(username: str) -> Client:
        settings = SettingsStore(tmp_path / username)
        video = VideoService()
        auth = AuthService(settings, TokenStore())
        app = _App()
        client = Client(app, parse_args([]),  # type: ignore[arg-type]
        Runtime(settings, messages, ops, video, auth, client_data_dir()), backend_url)
        client.open_main_window(auth.login(backend_url, username, "demo", False))
        started.append((client, app, video, auth))
        return client

    yield run
    for client, app, video, auth in started:
        if client.window is not None:
            client.window.close()
            qtbot.waitUntil(lambda app=app: app.quit_calls == 1, timeout=10_000)
        video.shutdown()
        auth.logout()


def _admin_menu(client: Client) -> list[str] | None:
    assert client.window is not None
    for action in client.window.menuBar().actions():
        if action.text() == "&Administration":
            return [a.text() for a in action.menu().actions()]
    return None


def _dock(client: Client, name: str) -> QDockWidget | None:
    assert client.window is not None
    found = [d for d in client.window.findChildren(QDockWidget) if d.objectName() == name]
    return found[0] if found else None


def test_menu_entries_follow_the_unit(start: Any) -> None:
    operator = start("ioc.operator")
    assert _admin_menu(operator) == ["Reports", "Access requests", "Audit log"]
    for name in ("reports_dock", "access_requests_dock", "audit_dock"):
        dock = _dock(operator, name)
        assert dock is not None and dock.isHidden(), name
    police = start("police.commander")
    assert _admin_menu(police) is None
    assert _dock(police, "reports_dock") is None and _dock(police, "audit_dock") is None
    agency = start("agency.viewer")
    assert _admin_menu(agency) == ["Access requests"]
    assert _dock(agency, "reports_dock") is None


def test_opening_the_audit_log_loads_it_and_logout_is_clean(start: Any, qtbot: QtBot,
                                                            messages: MessageBridge) -> None:
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    operator = start("ioc.admin")
    window = operator.window
    assert window is not None
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Administration")
    next(a for a in menu.actions() if a.text() == "Audit log").trigger()
    dock = _dock(operator, "audit_dock")
    assert dock is not None and dock.isVisible()
    panel = dock.widget()
    assert isinstance(panel, AuditPanel)
    qtbot.waitUntil(lambda: panel.chain_label.styleSheet() == OK_STYLE and bool(panel.rows()),
                    timeout=20_000)
    # its own window, with room for a page of rows (it was a strip under the PTZ pad)
    assert dock.isFloating() and panel.table.viewport().height() >= 300
    next(a for a in menu.actions() if a.text() == "Reports").trigger()
    reports = _dock(operator, "reports_dock")
    assert reports is not None and reports.isVisible()
    assert isinstance(reports.widget(), ReportsPanel)
    reports.widget().show_button.click()  # a reply in flight at logout
    operator.logout()
    qtbot.waitUntil(lambda: operator.login_dialog is not None, timeout=20_000)
    qtbot.wait(500)
    assert not [m for m in posted if m.level is Level.ERROR], posted
    assert operator.login_dialog is not None
    operator.login_dialog.close()


def test_vietnamese_texts_reach_the_panels_and_services(qapp: QApplication, tmp_path: Path,
                                                        backend_url: str, ops: Ops,
                                                        messages: MessageBridge,
                                                        qtbot: QtBot) -> None:
    """The contexts lupdate extracts are the ones used at run time: a catalogue built from the
    sources (filled here with a few Vietnamese lines) translates the menu, a column header
    marked with QT_TRANSLATE_NOOP, a panel text and a service's message."""
    from PySide6.QtCore import QTranslator

    from app.audit_log import AuditLogService
    from app.backend import BackendClient
    from app.capabilities import Capabilities
    from app.reports import ReportKind, ReportQuery, ReportService
    from scripts import translations
    from widgets.admin_panels import install_admin_panels

    ts = tmp_path / "vi.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                  '<TS version="2.1" language="vi_VN"></TS>\n', encoding="utf-8")
    translations.lupdate(ts)
    assert translations.fill(ts, {
        ("AdminPanels", "&Administration"): "&Quản trị",
        ("AuditPanel", "Event"): "Sự kiện",
        ("ReportsPanel", "Show report"): "Xem báo cáo",
        ("ReportService", "Report: %1"): "Báo cáo: %1"}) == 4
    qm = tmp_path / "vi.qm"
    translations.lrelease(ts, qm)
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    auth = AuthService(SettingsStore(tmp_path), TokenStore())
    client = BackendClient(backend_url)
    try:
        session = auth.login(backend_url, "ioc.admin", "demo", False)
        client.login("police.commander", "demo")
        window = QMainWindow()
        qtbot.addWidget(window)
        backend = auth.client
        assert backend is not None
        admin = install_admin_panels(
            window, Capabilities.of(session.user),
            reports=ReportService(backend, ops, messages, window),
            audit=AuditLogService(backend, ops, messages, window), letter_dir=tmp_path)
        assert admin.menu is not None and admin.menu.title() == "&Quản trị"
        assert admin.audit_panel is not None and admin.reports_panel is not None
        assert admin.audit_panel.table.horizontalHeaderItem(2).text() == "Sự kiện"
        assert admin.reports_panel.show_button.text() == "Xem báo cáo"
        refused = ReportService(client, ops, messages)
        with qtbot.waitSignal(messages.posted, timeout=20_000) as posted:
            refused.fetch(ReportQuery(ReportKind.YEARLY, year=2026))
        assert posted.args[0].text.startswith("Báo cáo: ")
        window.close()
    finally:
        qapp.removeTranslator(translator)
        client.close()
        auth.logout()

