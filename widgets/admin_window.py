"""The Administration window of the operating unit's administrators: wards, units, accounts,
cameras and gateways as searchable lists (the list/detail panel base) with their add and edit
dialogs, the camera wizard and the CSV import. Opened from the main window's menu, which the
shell shows to administrators only (:func:`install_admin_window`).

Everything goes through :class:`app.admin.AdminService`; the window holds the last lists read so
that a dialog can offer the wards, units and gateways to choose from.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QMainWindow, QMenu, QTabWidget, QWidget

from app.admin import CAMERAS, CATALOGUE, GATEWAYS, UNITS, USERS, WARDS, AdminService
from app.domain.admin import (
    AdminCamera,
    AdminUnit,
    AdminUser,
    AdminWard,
    GatewayInfo,
    LoginSession,
)
from app.i18n import arg
from widgets import admin_words as words
from widgets.admin_catalogue import CatalogueTab
from widgets.admin_dialogs import (
    CameraDialog,
    GatewayDialog,
    ResetPasswordDialog,
    UnitDialog,
    UserDialog,
    WardDialog,
)
from widgets.admin_forms import refusal
from widgets.list_detail import Action, Column, Identified, ListDetailPanel, always, with_item
from widgets.privacy_masks import PrivacyMaskDialog

translate = QCoreApplication.translate  # lupdate reads translate("AdminWindow", "text")

T = TypeVar("T", bound=Identified)

ADMIN_WINDOW_SIZE = (1280, 780)


def _row(label: str, value: object) -> str:
    return f"<tr><td><b>{html.escape(label)}</b></td><td>{html.escape(str(value))}</td></tr>"


def _table(rows: Sequence[tuple[str, object]]) -> str:
    return "<table cellspacing='4'>" + "".join(_row(k, v) for k, v in rows) + "</table>"


class AdminListPanel(ListDetailPanel[T], Generic[T]):
    """A list of the window with a search box (over every column's text) and the actions."""

    def __init__(self, columns: Sequence[Column[T]], render: Callable[[T], str],
                 search_text: str) -> None:
        super().__init__(columns, render=render, keep=self._matches)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(search_text)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setObjectName("search")
        self.main_layout.insertWidget(0, self.search_edit)
        self._columns = list(columns)
        self._all: list[T] = []
        self.search_edit.textChanged.connect(lambda _t: self.set_items(self._all))

    def _matches(self, item: T) -> bool:
        needle = self.search_edit.text().strip().casefold()
        return not needle or any(needle in c.text(item).casefold() for c in self._columns)

    def show_all(self, items: Sequence[T]) -> None:
        self._all = list(items)
        self.set_items(self._all)
        self.show_status(arg(translate("AdminWindow", "%1 shown of %2"), len(self.items()),
                             len(self._all)))


class AdminWindow(QMainWindow):
    """See the module docstring. ``open_wizard`` and ``open_import`` open the camera wizard
    and the CSV import with the window as parent (passed in: :class:`SiteAdministration`
    composes them); without them the buttons are hidden."""

    def __init__(self, admin: AdminService, *,
                 open_wizard: Callable[[QWidget], Any] | None = None,
                 open_import: Callable[[QWidget], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_window")
        self.setWindowTitle(self.tr("Administration"))
        self.resize(*ADMIN_WINDOW_SIZE)
        self.admin = admin
        self._open_wizard = open_wizard
        self._open_import = open_import
        self.wards: list[AdminWard] = []
        self.units: list[AdminUnit] = []
        self.users: list[AdminUser] = []
        self.cameras: list[AdminCamera] = []
        self.gateways: list[GatewayInfo] = []
        self.sessions: list[LoginSession] = []  # the open sessions of the selected account
        self.sessions_of: int | None = None
        self.dialog: QDialog | None = None  # the dialog open now (tests read it)

        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.ward_panel = self._ward_panel()
        self.unit_panel = self._unit_panel()
        self.user_panel = self._user_panel()
        self.camera_panel = self._camera_panel()
        self.gateway_panel = self._gateway_panel()
        self.catalogue_tab = CatalogueTab(admin)
        for panel, title in ((self.ward_panel, self.tr("Wards")),
                             (self.unit_panel, self.tr("Units")),
                             (self.user_panel, self.tr("Accounts")),
                             (self.camera_panel, self.tr("Cameras")),
                             (self.gateway_panel, self.tr("Gateways")),
                             (self.catalogue_tab, self.tr("Public data"))):
            self.tabs.addTab(panel, title)
        admin.changed.connect(self.reload)

    # -- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        for what in (WARDS, UNITS, USERS, CAMERAS, GATEWAYS, CATALOGUE):
            self.reload(what)

    def reload(self, what: str) -> None:
        def failed(panel: ListDetailPanel[Any]) -> Callable[[BaseException], None]:
            return lambda error: panel.show_error(refusal(error)[1])

        panels: dict[str, ListDetailPanel[Any]] = {
            WARDS: self.ward_panel, UNITS: self.unit_panel, USERS: self.user_panel,
            CAMERAS: self.camera_panel, GATEWAYS: self.gateway_panel}
        panel = panels.get(what)
        if panel is not None and not panel.items():
            panel.show_status(self.tr("Loading…"))

        if what == WARDS:
            self.admin.wards(owner=self).success(self._wards).failure(failed(self.ward_panel))
        elif what == UNITS:
            self.admin.units(owner=self).success(self._units).failure(failed(self.unit_panel))
        elif what == USERS:
            self.admin.users(owner=self).success(self._users).failure(failed(self.user_panel))
        elif what == CAMERAS:
            self.admin.cameras(owner=self).success(self._cameras) \
                .failure(failed(self.camera_panel))
            self.reload(GATEWAYS)  # their camera counts
        elif what == GATEWAYS:
            self.admin.gateways(owner=self).success(self._gateways) \
                .failure(failed(self.gateway_panel))
        elif what == CATALOGUE:
            self.catalogue_tab.load()

    def _wards(self, wards: list[AdminWard]) -> None:
        self.wards = wards
        self.ward_panel.show_all(wards)

    def _units(self, units: list[AdminUnit]) -> None:
        self.units = units
        self.unit_panel.show_all(units)

    def _users(self, users: list[AdminUser]) -> None:
        self.users = users
        self.user_panel.show_all(users)
        self._load_sessions(self.user_panel.selected())

    def _cameras(self, cameras: list[AdminCamera]) -> None:
        self.cameras = cameras
        self.camera_panel.show_all(cameras)
        self.catalogue_tab.set_cameras(cameras)

    def _gateways(self, gateways: list[GatewayInfo]) -> None:
        self.gateways = gateways
        self.gateway_panel.show_all(gateways)

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _act(self, panel: ListDetailPanel[Any], op: Any, done: str) -> None:
        op.success(lambda _r: panel.show_status(done)) \
            .failure(lambda error: panel.show_error(refusal(error)[1]))

    # -- wards -----------------------------------------------------------------------------------
    def _ward_panel(self) -> AdminListPanel[AdminWard]:
        panel: AdminListPanel[AdminWard] = AdminListPanel(
            [Column(self.tr("Name"), lambda w: w.name, sort=lambda w: w.name),
             Column(self.tr("State"), lambda w: words.active(w.is_active))],
            lambda w: _table([(self.tr("Name"), w.name),
                              (self.tr("State"), words.active(w.is_active))]),
            self.tr("Search wards"))
        panel.add_action(Action("add", self.tr("New ward…"), self.new_ward, always,
                                object_name="new_ward"))
        panel.add_action(Action("edit", self.tr("Rename…"), self.edit_ward, with_item))
        panel.add_action(Action("toggle", self.tr("Deactivate / activate"), self.toggle_ward,
                                with_item))
        return panel

    def new_ward(self) -> QDialog:
        return self._open(WardDialog(self.admin, parent=self))

    def edit_ward(self) -> None:
        ward = self.ward_panel.selected()
        if ward is not None:
            self._open(WardDialog(self.admin, ward, parent=self))

    def toggle_ward(self) -> None:
        ward = self.ward_panel.selected()
        if ward is not None:
            self._act(self.ward_panel, self.admin.update_ward(ward.id, owner=self,
                                                              is_active=not ward.is_active),
                      self.tr("Saved."))

    # -- units -----------------------------------------------------------------------------------
    def _unit_panel(self) -> AdminListPanel[AdminUnit]:
        panel: AdminListPanel[AdminUnit] = AdminListPanel(
            [Column(self.tr("Name"), lambda u: u.name, sort=lambda u: u.name),
             Column(self.tr("Kind"), lambda u: words.unit_kind(u.kind)),
             Column(self.tr("Ward"), lambda u: u.ward.name if u.ward else ""),
             Column(self.tr("Accounts"), lambda u: str(u.users), sort=lambda u: u.users),
             Column(self.tr("State"), lambda u: words.active(u.is_active))],
            lambda u: _table([(self.tr("Name"), u.name),
                              (self.tr("Kind"), words.unit_kind(u.kind)),
                              (self.tr("Ward"), u.ward.name if u.ward else "—"),
                              (self.tr("Accounts"), u.users),
                              (self.tr("State"), words.active(u.is_active))]),
            self.tr("Search units"))
        panel.add_action(Action("add", self.tr("New unit…"), self.new_unit, always,
                                object_name="new_unit"))
        panel.add_action(Action("edit", self.tr("Edit…"), self.edit_unit, with_item))
        panel.add_action(Action("toggle", self.tr("Deactivate / activate"), self.toggle_unit,
                                with_item))
        return panel

    def new_unit(self) -> QDialog:
        return self._open(UnitDialog(self.admin, self.wards, parent=self))

    def edit_unit(self) -> None:
        unit = self.unit_panel.selected()
        if unit is not None:
            self._open(UnitDialog(self.admin, self.wards, unit, parent=self))

    def toggle_unit(self) -> None:
        unit = self.unit_panel.selected()
        if unit is not None:
            self._act(self.unit_panel, self.admin.update_unit(unit.id, owner=self,
                                                              is_active=not unit.is_active),
                      self.tr("Saved."))

    # -- accounts --------------------------------------------------------------------------------
    def _user_panel(self) -> AdminListPanel[AdminUser]:
        panel: AdminListPanel[AdminUser] = AdminListPanel(
            [Column(self.tr("User name"), lambda u: u.username, sort=lambda u: u.username),
             Column(self.tr("Full name"), lambda u: u.full_name),
             Column(self.tr("Unit"), lambda u: u.unit.name),
             Column(self.tr("Role"), lambda u: words.role(u.role)),
             Column(self.tr("Sessions"), lambda u: str(u.sessions), sort=lambda u: u.sessions),
             Column(self.tr("State"), lambda u: words.active(u.is_active))],
            self._render_user, self.tr("Search accounts"))
        panel.add_action(Action("add", self.tr("New account…"), self.new_user, always,
                                object_name="new_user"))
        panel.add_action(Action("edit", self.tr("Edit…"), self.edit_user, with_item))
        panel.add_action(Action("password", self.tr("Reset password…"), self.reset_password,
                                with_item))
        panel.add_action(Action("toggle", self.tr("Deactivate / activate"), self.toggle_user,
                                with_item))
        panel.add_action(Action("end_sessions", self.tr("End every session"),
                                self.end_sessions, lambda u: u is not None and u.sessions > 0))
        panel.selection_changed.connect(self._load_sessions)
        if panel.detail is not None:
            # each open session carries an "end session" link
            panel.detail.setOpenLinks(False)
            panel.detail.anchorClicked.connect(self._session_link)
        return panel

    def _render_user(self, user: AdminUser) -> str:
        rows: list[tuple[str, object]] = [
            (self.tr("User name"), user.username), (self.tr("Full name"), user.full_name),
            (self.tr("Unit"), user.unit.name), (self.tr("Role"), words.role(user.role)),
            (self.tr("State"), words.active(user.is_active))]
        if user.must_change_password:
            rows.append((self.tr("Password"), self.tr("must be changed at the next login")))
        sessions = self.sessions if self.sessions_of == user.id else []
        heading = html.escape(self.tr("Open sessions"))
        text = _table(rows) + f"<p><b>{heading}</b></p>"
        if not sessions:
            return text + "<p>" + html.escape(self.tr("None.")) + "</p>"
        end = html.escape(self.tr("End session"))
        lines = "".join(
            "<tr><td><b>{}</b></td><td>{}</td><td><a href='end-session:{}'>{}</a></td></tr>"
            .format(html.escape(arg(self.tr("Session %1"), s.id)),
                    html.escape(arg(self.tr("since %1, until %2"),
                                    s.created_at.astimezone().strftime("%d/%m/%Y %H:%M"),
                                    s.expires_at.astimezone().strftime("%d/%m/%Y %H:%M"))),
                    s.id, end)
            for s in sessions)
        return text + f"<table cellspacing='4'>{lines}</table>"

    def _load_sessions(self, user: object) -> None:
        if not isinstance(user, AdminUser):
            self.sessions, self.sessions_of = [], None
            return
        user_id = user.id
        self.admin.sessions(user_id, owner=self).success(
            lambda sessions: self._sessions(user_id, sessions))

    def _sessions(self, user_id: int, sessions: list[LoginSession]) -> None:
        selected = self.user_panel.selected()
        if selected is not None and selected.id == user_id:
            self.sessions, self.sessions_of = sessions, user_id
            if self.user_panel.detail is not None:
                self.user_panel.detail.setHtml(self._render_user(selected))

    def new_user(self) -> QDialog:
        return self._open(UserDialog(self.admin, self.units, parent=self))

    def edit_user(self) -> None:
        user = self.user_panel.selected()
        if user is not None:
            self._open(UserDialog(self.admin, self.units, user, parent=self))

    def reset_password(self) -> QDialog | None:
        user = self.user_panel.selected()
        if user is None:
            return None
        return self._open(ResetPasswordDialog(self.admin, user, parent=self))

    def toggle_user(self) -> None:
        user = self.user_panel.selected()
        if user is not None:
            self._act(self.user_panel, self.admin.set_user_active(user.id, not user.is_active,
                                                                  owner=self),
                      self.tr("Saved."))

    def _session_link(self, url: QUrl) -> None:
        if url.scheme() == "end-session" and url.path().isdigit():
            self.end_session(int(url.path()))

    def end_session(self, session_id: int) -> None:
        """End one open session of the selected account."""
        user = self.user_panel.selected()
        if user is not None:
            self._act(self.user_panel, self.admin.end_session(user.id, session_id, owner=self),
                      self.tr("The session has ended."))

    def end_sessions(self) -> None:
        user = self.user_panel.selected()
        if user is not None:
            self._act(self.user_panel, self.admin.end_session(user.id, None, owner=self),
                      self.tr("Every session of the account has ended."))

    # -- cameras ---------------------------------------------------------------------------------
    def _camera_panel(self) -> AdminListPanel[AdminCamera]:
        panel: AdminListPanel[AdminCamera] = AdminListPanel(
            [Column(self.tr("Name"), lambda c: c.name, sort=lambda c: c.name),
             Column(self.tr("Ward"), lambda c: c.ward),
             Column(self.tr("System"), lambda c: words.system(c.system)),
             Column(self.tr("Gateway"), lambda c: c.gateway or ""),
             Column(self.tr("Credentials"), lambda c: "✔" if c.has_credentials else ""),
             Column(self.tr("State"), lambda c: words.active(c.is_active))],
            self._render_camera, self.tr("Search cameras"))
        panel.add_action(Action("add", self.tr("Add camera…"), self.add_camera, always,
                                shown=self._open_wizard is not None, object_name="add_camera"))
        panel.add_action(Action("import", self.tr("Import CSV…"), self.import_cameras, always,
                                shown=self._open_import is not None,
                                object_name="import_cameras"))
        panel.add_action(Action("edit", self.tr("Edit…"), self.edit_camera, with_item))
        panel.add_action(Action("masks", self.tr("Privacy masks…"), self.privacy_masks,
                                with_item, object_name="privacy_masks"))
        panel.add_action(Action("toggle", self.tr("Deactivate / activate"), self.toggle_camera,
                                with_item))
        return panel

    def _render_camera(self, c: AdminCamera) -> str:
        def number(value: object) -> object:
            return "—" if value is None else value

        return _table([
            (self.tr("Name"), c.name), (self.tr("Ward"), c.ward),
            (self.tr("System"), words.system(c.system)),
            (self.tr("Owner category"), words.owner_category(c.owner_category) or "—"),
            (self.tr("Location"), c.location or "—"),
            (self.tr("Latitude"), number(c.latitude)), (self.tr("Longitude"), number(c.longitude)),
            (self.tr("Direction"), number(c.direction)),
            (self.tr("Main stream"), c.main_url), (self.tr("Sub stream"), c.sub_url or "—"),
            (self.tr("ONVIF"), f"{c.onvif_host}:{c.onvif_port}" if c.onvif_host else "—"),
            (self.tr("PTZ"), self.tr("yes") if c.ptz else self.tr("no")),
            (self.tr("Transport"), words.transport(c.transport)),
            (self.tr("Gateway"), c.gateway or "—"),
            (self.tr("Credentials"), self.tr("held by the gateway") if c.has_credentials
             else self.tr("none")),
            (self.tr("Privacy masks"), len(c.privacy_masks) or self.tr("none")),
            (self.tr("State"), words.active(c.is_active))])

    def add_camera(self) -> None:
        if self._open_wizard is not None:
            self._open_wizard(self)

    def import_cameras(self) -> None:
        if self._open_import is not None:
            self._open_import(self)

    def edit_camera(self) -> None:
        camera = self.camera_panel.selected()
        if camera is not None:
            self._open(CameraDialog(self.admin, self.wards, self.gateways, camera, parent=self))

    def privacy_masks(self) -> None:
        camera = self.camera_panel.selected()
        if camera is not None:
            self._open(PrivacyMaskDialog(self.admin, camera, parent=self))

    def toggle_camera(self) -> None:
        camera = self.camera_panel.selected()
        if camera is not None:
            self._act(self.camera_panel, self.admin.set_camera_active(
                camera.id, not camera.is_active, owner=self), self.tr("Saved."))

    # -- gateways --------------------------------------------------------------------------------
    def _gateway_panel(self) -> AdminListPanel[GatewayInfo]:
        def seen(g: GatewayInfo) -> str:
            return g.last_seen_at.astimezone().strftime("%d/%m/%Y %H:%M:%S") \
                if g.last_seen_at else self.tr("never")

        panel: AdminListPanel[GatewayInfo] = AdminListPanel(
            [Column(self.tr("Name"), lambda g: g.name, sort=lambda g: g.name),
             Column(self.tr("RTSP"), lambda g: f"{g.rtsp_host}:{g.rtsp_port}"),
             Column(self.tr("Cameras"), lambda g: str(g.cameras), sort=lambda g: g.cameras),
             Column(self.tr("Key"), lambda g: self.tr("reported") if g.public_key
                    else self.tr("not yet")),
             Column(self.tr("Last heard"), seen),
             Column(self.tr("State"), lambda g: words.active(g.is_active))],
            lambda g: _table([(self.tr("Name"), g.name),
                              (self.tr("RTSP"), f"{g.rtsp_host}:{g.rtsp_port}"),
                              (self.tr("PTZ port"), g.ptz_port or "—"),
                              (self.tr("Control"), g.control_url),
                              (self.tr("Cameras"), g.cameras), (self.tr("Last heard"), seen(g)),
                              (self.tr("State"), words.active(g.is_active))]),
            self.tr("Search gateways"))
        panel.add_action(Action("add", self.tr("Add gateway…"), self.new_gateway, always,
                                object_name="new_gateway"))
        panel.add_action(Action("edit", self.tr("Edit…"), self.edit_gateway, with_item))
        return panel

    def new_gateway(self) -> QDialog:
        return self._open(GatewayDialog(self.admin, parent=self))

    def edit_gateway(self) -> QDialog | None:
        gateway = self.gateway_panel.selected()
        if gateway is None:
            return None
        return self._open(GatewayDialog(self.admin, gateway, parent=self))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.dialog is not None:
            self.dialog.close()
        super().closeEvent(event)


class SiteAdministration:
    """The menu entry and the window it opens (built at the first opening, kept until the main
    window goes): what :func:`install_admin_window` installed."""

    def __init__(self, main: QMainWindow, admin: AdminService, action: QAction) -> None:
        self.main = main
        self.admin = admin
        self.action = action
        self.window: AdminWindow | None = None
        self.wizard: QWidget | None = None
        self.importer: QWidget | None = None

    def open(self) -> AdminWindow:
        if self.window is None:
            self.window = AdminWindow(self.admin, open_wizard=self.open_wizard,
                                      open_import=self.open_import, parent=self.main)
            self.window.setWindowFlag(Qt.WindowType.Window, True)
            self.window.refresh()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return self.window

    def open_wizard(self, parent: QWidget) -> QWidget:
        from widgets.camera_wizard import CameraWizard

        window = self.window
        wizard = CameraWizard(self.admin, window.wards if window else [],
                              window.gateways if window else [], parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard = wizard
        wizard.open()
        return wizard

    def open_import(self, parent: QWidget) -> QWidget:
        from widgets.camera_import import CameraImportDialog

        window = self.window
        dialog = CameraImportDialog(self.admin, window.gateways if window else [], parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.importer = dialog
        dialog.open()
        return dialog


def install_admin_window(main: QMainWindow, admin: AdminService | None,
                         menu: QMenu | None) -> SiteAdministration | None:
    """For administrators (``admin`` given: the context builds the service for them only), the
    "Site administration…" entry at the top of the Administration menu (made when the unit has
    none); nothing for anyone else."""
    if admin is None:
        return None
    if menu is None:
        menu = main.menuBar().addMenu(translate("AdminPanels", "&Administration"))
    action = QAction(translate("AdminWindow", "Site administration…"), main)
    action.setObjectName("site_administration")
    if menu.actions():
        first = menu.actions()[0]
        menu.insertAction(first, action)
        menu.insertSeparator(first)
    else:
        menu.addAction(action)
    installed = SiteAdministration(main, admin, action)
    action.triggered.connect(lambda _checked=False: installed.open())
    return installed
