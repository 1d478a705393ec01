"""Install the administration panels (reports, access requests, audit log) into the
main window, as docks hidden until opened from an "Administration" menu. Only the entries the
user's unit may use are added (the server stays the authority and refuses anything else):

- Reports and Audit log: the operating unit (``/reports``, ``/audit`` answer 403 to others);
- Access requests: the operating unit (decides) and other agencies (file theirs).

The owner calls it once after login::

    admin = install_admin_panels(window, backend, ops, messages, session.user)

The services are children of the window: they go with it at logout, and their pending work
(``ops`` with the service as owner) is dropped then. When the running grants of the user's unit
change (granted, revoked, ended by time) the window reads its camera list again
(``window.load_cameras()``), so granted cameras appear and disappear in the tree and the wall.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from app.access_requests import AccessRequestService
from app.audit_log import AuditLogService
from app.domain import Camera, User
from app.messages import MessageBridge
from app.ops import Ops
from app.reports import ReportBackend, ReportService
from app.settings import data_dir
from common.vocabulary import UnitKind
from widgets.access_panel import AccessPanel
from widgets.audit_panel import AuditPanel
from widgets.reports_panel import ReportsPanel

translate = QCoreApplication.translate  # lupdate reads translate("AdminPanels", "text")
OPERATING_UNIT = UnitKind.OPERATING_UNIT
OTHER_AGENCY = UnitKind.OTHER_AGENCY


def may_use_reports(user: User) -> bool:
    return user.unit.kind == OPERATING_UNIT


def may_use_audit(user: User) -> bool:
    return user.unit.kind == OPERATING_UNIT


def may_decide_access(user: User) -> bool:
    return user.unit.kind == OPERATING_UNIT


def may_file_access(user: User) -> bool:
    return user.unit.kind == OTHER_AGENCY


@dataclass
class AdminPanels:
    """What was installed (no reference to the window: nothing here keeps it alive)."""

    user: User
    menu: QMenu | None
    reports: ReportService | None = None
    reports_panel: ReportsPanel | None = None
    reports_dock: QDockWidget | None = None
    access: AccessRequestService | None = None
    access_panel: AccessPanel | None = None
    access_dock: QDockWidget | None = None
    audit: AuditLogService | None = None
    audit_panel: AuditPanel | None = None
    audit_dock: QDockWidget | None = None

    def set_cameras(self, cameras: list[Camera]) -> None:
        if self.access_panel is not None:
            self.access_panel.set_cameras(cameras)
        if self.audit_panel is not None:
            self.audit_panel.set_cameras(cameras)

    def open(self, dock: QDockWidget | None) -> None:
        if dock is not None:
            dock.show()
            dock.raise_()

    def close(self) -> None:
        if self.access is not None:
            self.access.stop()

    @property
    def docks(self) -> list[QDockWidget]:
        return [d for d in (self.reports_dock, self.access_dock, self.audit_dock)
                if d is not None]


ADMIN_WINDOW_SIZE = (1100, 700)  # px: a report or a page of the audit log readable at once


def _dock(window: QMainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    """Administration is desk work beside the wall, not a strip squeezed under the PTZ pad: each
    panel opens as its own floating window (still dockable), centred over the main window the
    first time it is shown."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.setFloating(True)
    dock.resize(*ADMIN_WINDOW_SIZE)
    dock.hide()
    placed: list[bool] = []

    def place(shown: bool) -> None:
        if shown and not placed and dock.isFloating():
            placed.append(True)
            frame = window.frameGeometry()
            dock.move(frame.center().x() - dock.width() // 2,
                      frame.center().y() - dock.height() // 2)

    dock.visibilityChanged.connect(place)
    return dock


def install_admin_panels(window: QMainWindow, backend: ReportBackend, ops: Ops,
                         messages: MessageBridge, user: User, *, poll: bool = True,
                         letter_dir: Path | None = None) -> AdminPanels:
    """Add the docks the user may use and the "Administration" menu listing them (no menu at all
    for a user who may use none)."""
    reports_title = translate("AdminPanels", "Reports")
    access_title = translate("AdminPanels", "Access requests")
    audit_title = translate("AdminPanels", "Audit log")
    panels = AdminPanels(user, None)
    entries: list[tuple[str, QDockWidget]] = []
    if may_use_reports(user):
        panels.reports = ReportService(backend, ops, messages, window)
        panels.reports_panel = ReportsPanel(panels.reports)
        panels.reports_dock = _dock(window, reports_title, "reports_dock", panels.reports_panel)
        entries.append((reports_title, panels.reports_dock))
    if may_decide_access(user) or may_file_access(user):
        panels.access = AccessRequestService(backend, ops, messages, window)
        panels.access_panel = AccessPanel(
            panels.access, can_file=may_file_access(user), can_decide=may_decide_access(user),
            letter_dir=letter_dir or data_dir() / "letters")
        panels.access_dock = _dock(window, access_title, "access_requests_dock",
                                   panels.access_panel)
        entries.append((access_title, panels.access_dock))
        load_cameras: Any = getattr(window, "load_cameras", None)
        if load_cameras is not None:
            panels.access.cameras_changed.connect(load_cameras)
        if poll:
            panels.access.start_polling()
        else:
            panels.access.refresh()
    if may_use_audit(user):
        panels.audit = AuditLogService(backend, ops, messages, window)
        panels.audit_panel = AuditPanel(panels.audit)
        panels.audit_dock = _dock(window, audit_title, "audit_dock", panels.audit_panel)
        entries.append((audit_title, panels.audit_dock))
        audit_panel, audit_dock = panels.audit_panel, panels.audit_dock
        audit_dock.visibilityChanged.connect(
            lambda shown: audit_panel.refresh() if shown and audit_panel.page is None else None)
    if entries:
        menu = window.menuBar().addMenu(translate("AdminPanels", "&Administration"))
        for text, dock in entries:
            action = dock.toggleViewAction()
            action.setText(text)
            menu.addAction(action)
        panels.menu = menu
    cameras_loaded = getattr(window, "cameras_loaded", None)
    if cameras_loaded is not None:
        cameras_loaded.connect(panels.set_cameras)
    closing = getattr(window, "closing", None)
    if closing is not None:
        closing.connect(panels.close)
    return panels
