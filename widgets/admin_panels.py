"""Install the administration panels (reports, access requests, audit log) into the
main window, as docks hidden until opened from an "Administration" menu. The shell calls it once
after login with the session's services (``app.context``), which exist only for the units that
may use them (``app.capabilities``; the server stays the authority and refuses anything else):

- Reports and Audit log: the operating unit (``/reports``, ``/audit`` answer 403 to others);
- Access requests: the operating unit (decides) and other agencies (file theirs).

::

    admin = install_admin_panels(window, capabilities, reports=..., access=..., audit=...,
                                 letter_dir=data_dir / "letters")
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from app.access_requests import AccessRequestService
from app.audit_log import AuditLogService
from app.capabilities import Capabilities
from app.domain import Camera
from app.reports import ReportService
from widgets.access_panel import AccessPanel
from widgets.audit_panel import AuditPanel
from widgets.reports_panel import ReportsPanel

translate = QCoreApplication.translate  # lupdate reads translate("AdminPanels", "text")


@dataclass
class AdminPanels:
    """What was installed (no reference to the window: nothing here keeps it alive)."""

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


def install_admin_panels(window: QMainWindow, capabilities: Capabilities, *,
                         reports: ReportService | None = None,
                         access: AccessRequestService | None = None,
                         audit: AuditLogService | None = None,
                         letter_dir: Path) -> AdminPanels:
    """Add the docks of the services given and the "Administration" menu listing them (no menu
    at all when none is given)."""
    reports_title = translate("AdminPanels", "Reports")
    access_title = translate("AdminPanels", "Access requests")
    audit_title = translate("AdminPanels", "Audit log")
    panels = AdminPanels(None)
    entries: list[tuple[str, QDockWidget]] = []
    if reports is not None:
        panels.reports = reports
        panels.reports_panel = ReportsPanel(reports)
        panels.reports_dock = _dock(window, reports_title, "reports_dock", panels.reports_panel)
        entries.append((reports_title, panels.reports_dock))
    if access is not None:
        panels.access = access
        panels.access_panel = AccessPanel(
            access, can_file=capabilities.file_access, can_decide=capabilities.decide_access,
            letter_dir=letter_dir)
        panels.access_dock = _dock(window, access_title, "access_requests_dock",
                                   panels.access_panel)
        entries.append((access_title, panels.access_dock))
    if audit is not None:
        panels.audit = audit
        panels.audit_panel = AuditPanel(audit)
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
    return panels
