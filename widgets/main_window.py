"""The command room's main window: camera tree, the wall, messages, status bar with user, unit,
layout and a UTC+7 clock; menus for the system, the wall's template and full screen, saved layouts
(save, save as, rename, delete, startup, share with the unit; own and shared lists) and language.
It opens maximised (a command-room wall, not a desktop window).

Services are passed in (no globals); the window loads the camera list through ops and never talks
to the network itself.

Signals:
    cameras_loaded(list): the camera list arrived and the tree shows it.
    logout_requested(): the operator chose "Log out".
    language_chosen(str): "vi" or "en" was chosen (applied at the next start).
    Wall windows (multi-monitor, ``widgets.wall_window.WallWindows``): the "Wall windows" menu opens
one on a chosen screen, and for each open one chooses its layout, full screen, its screen, or
closes it. Tours: the View menu tours the main wall through the saved layouts (tiles: their
context menu).

PTZ: a "PTZ control" dock with the pad follows the selected tile. When that tile's camera
has the ``ptz`` action the window asks the PTZ provider (passed in; the session context builds
sessions on ONVIF + the backend's lease) for the camera's session and binds it to the pad, to on-tile input
(the wall view) and to the joystick pump; otherwise the pad is disabled. The selected tile shows
who holds PTZ, a lost lease and PTZ errors. Deactivating the window stops any drive.

Evidence: the key B / a tile's bookmark button → ``bookmark_requested(camera id, name)``;
the shell connects it to the evidence panels (``widgets.panels.install_panels``).

Signals: (the window's own)
    closing(): the window is closing (the application shuts down its services).
    bookmark_requested(int, str): bookmark this camera (id, name) now.
    fault_report_requested(int): "Report a fault…" on this wall cell (``widgets.operations``).
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from app.bookmarks import vn_text
from app.domain import Camera, Layout, Session
from app.duty import DutyShift
from app.i18n import arg
from app.layout_store import LayoutLibrary
from app.messages import Level, Message, MessageBridge
from app.ops import Ops
from app.ports import CameraSource, VideoPort
from app.server_watch import ServerState
from app.settings import SettingsStore
from app.wall import CellKind, WallController
from layouts import TemplateError
from widgets.camera_tree import CameraTree
from widgets.forms import ask_text
from widgets.grid_editor import GridEditor
from widgets.ptz_binding import PtzBinding, PtzProvider
from widgets.ptz_pad import PtzPad
from widgets.wall_view import WallView
from widgets.wall_window import WallWindows

log = logging.getLogger("iocwall.ui")

VIETNAM_TIME = timezone(timedelta(hours=7), "UTC+7")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


class MainWindow(QMainWindow):
    cameras_loaded = Signal(list)
    logout_requested = Signal()
    language_chosen = Signal(str)
    closing = Signal()
    bookmark_requested = Signal(int, str)
    fault_report_requested = Signal(int)

    def __init__(self, session: Session, cameras: CameraSource, wall: WallController,
                 video: VideoPort, ops: Ops, messages: MessageBridge, settings: SettingsStore,
                 parent: QWidget | None = None, layouts: LayoutLibrary | None = None,
                 wall_windows: WallWindows | None = None,
                 ptz: PtzProvider | None = None) -> None:
        super().__init__(parent)
        self.wall_windows = wall_windows
        self.setObjectName("mainWindow")
        self.session = session
        self._camera_source = cameras
        self._ops = ops
        self._messages = messages
        self._settings = settings
        self.wall_controller = wall
        self.setWindowTitle(self.tr("iocwall — Đồng Hới IOC video wall"))
        # Maximised; the geometry first, for a desktop without a window manager (a kiosk X
        # session, Xvfb), where the state alone leaves the window at its size hint.
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.availableGeometry())
        self.setWindowState(Qt.WindowState.WindowMaximized)
        self.layouts = layouts  # None: no saved layouts (the Layouts menu stays empty)
        self._startup_asked = False
        self._remember = QTimer(self)  # coalesce wall changes into one cache write
        self._remember.setSingleShot(True)
        self._remember.setInterval(500)
        self._remember.timeout.connect(self._remember_wall)

        self.wall = WallView(wall, video, self, tour_dwell=settings.load().tour_dwell_s)
        self.setCentralWidget(self.wall)

        self.tree = CameraTree()
        self.tree.camera_activated.connect(self.wall.add_camera)
        self.tree_dock = QDockWidget(self.tr("Cameras"), self)
        self.tree_dock.setObjectName("camerasDock")
        self.tree_dock.setWidget(self.tree)
        self.tree_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)

        self.messages_list = QListWidget()
        self.messages_list.setObjectName("messages")
        self.messages_dock = QDockWidget(self.tr("Messages"), self)
        self.messages_dock.setObjectName("messagesDock")
        self.messages_dock.setWidget(self.messages_list)
        self.messages_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.messages_dock)
        self.resizeDocks([self.messages_dock], [110], Qt.Orientation.Vertical)
        self.resizeDocks([self.tree_dock], [300], Qt.Orientation.Horizontal)
        for message in messages.history():
            self._show_message(message)
        messages.posted.connect(self._show_message)

        self.ptz_pad = PtzPad()
        self.ptz_dock = QDockWidget(self.tr("PTZ control"), self)
        self.ptz_dock.setObjectName("ptzDock")
        self.ptz_dock.setWidget(self.ptz_pad)
        self.ptz_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                  | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.ptz_dock)
        self.resizeDocks([self.ptz_dock], [260], Qt.Orientation.Horizontal)
        self.ptz_binding = PtzBinding(self.wall, self.wall_controller, self.ptz_pad,
                                      self.ptz_dock, ptz, ops, messages, parent=self)
        self.wall.bookmark_requested.connect(self._on_bookmark_cell)
        self.wall.fault_report_requested.connect(self.fault_report_requested)

        self._build_menus()
        self._build_status_bar()
        # bound methods, not lambdas: a lambda holding self would keep a closed window's
        # wrapper alive as long as the controller lives
        wall.cell_updated.connect(self._wall_changed)
        wall.template_changed.connect(self._wall_changed)
        wall.cell_updated.connect(self.ptz_binding.cell_updated)
        if self.layouts is not None:
            self.layouts.layouts_changed.connect(self._on_layouts_changed)
            self.layouts.startup_ready.connect(self._on_startup_layout)
            self.layouts.saved.connect(self._on_layout_saved)
            if wall_windows is not None:
                wall_windows.set_layouts(self.layouts.layouts)
        self._update_layout_actions()

    # -- construction ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        self.system_menu = menu_bar.addMenu(self.tr("&System"))
        self.reload_action = QAction(self.tr("Reload camera list"), self)
        self.reload_action.triggered.connect(self.load_cameras)
        self.logout_action = QAction(self.tr("Log out"), self)
        self.logout_action.triggered.connect(self.logout_requested)
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.triggered.connect(self.close)
        self.system_menu.addAction(self.reload_action)
        self.system_menu.addSeparator()
        self.system_menu.addAction(self.logout_action)
        self.system_menu.addAction(self.quit_action)

        self.view_menu = menu_bar.addMenu(self.tr("&View"))
        self.template_menu = self.view_menu.addMenu(self.tr("Wall template"))
        for action in self.wall.template_actions:
            self.template_menu.addAction(action)
        self.template_menu.addSeparator()
        self.custom_grid_action = QAction(self.tr("Custom grid…"), self)
        self.custom_grid_action.triggered.connect(self._ask_custom_grid)
        self.template_menu.addAction(self.custom_grid_action)
        self.full_screen_action = QAction(self.tr("Full screen"), self, checkable=True)
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen_action.triggered.connect(self.set_full_screen)
        self.view_menu.addAction(self.full_screen_action)
        self.ptz_dock_action = self.ptz_dock.toggleViewAction()
        self.ptz_dock_action.setText(self.tr("PTZ control"))
        self.view_menu.addAction(self.ptz_dock_action)

        self.view_menu.addSeparator()
        self.wall_tour_action = QAction(self.tr("Tour the wall through my layouts"), self,
                                        checkable=True)
        self.wall_tour_action.triggered.connect(self.set_wall_tour)
        self.view_menu.addAction(self.wall_tour_action)
        self.wall.tours.tours_changed.connect(self._on_tours_changed)

        self.windows_menu = menu_bar.addMenu(self.tr("&Wall windows"))
        self.windows_menu.aboutToShow.connect(self._fill_windows_menu)
        self._fill_windows_menu()

        self.layouts_menu = menu_bar.addMenu(self.tr("La&youts"))
        self.save_layout_action = QAction(self.tr("Save layout"), self)
        self.save_layout_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_layout_action.triggered.connect(self.save_layout)
        self.save_layout_as_action = QAction(self.tr("Save layout as…"), self)
        self.save_layout_as_action.triggered.connect(self._ask_save_as)
        self.rename_layout_action = QAction(self.tr("Rename layout…"), self)
        self.rename_layout_action.triggered.connect(self._ask_rename)
        self.delete_layout_action = QAction(self.tr("Delete layout"), self)
        self.delete_layout_action.triggered.connect(self._ask_delete)
        self.startup_layout_action = QAction(self.tr("Open at start"), self, checkable=True)
        self.startup_layout_action.triggered.connect(self.set_startup_layout)
        self.share_layout_action = QAction(self.tr("Share with my unit"), self, checkable=True)
        self.share_layout_action.triggered.connect(self.share_layout)
        self.layout_actions: list[QAction] = []
        self._fill_layouts_menu([])

        self.language_menu = menu_bar.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        current = self._settings.load().language
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(functools.partial(self.choose_language, code))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

    def _build_status_bar(self) -> None:
        user = self.session.user
        self.user_label = QLabel(arg(self.tr("User: %1 (%2)"), user.full_name or user.username,
                                     user.username))
        self.user_label.setObjectName("userLabel")
        self.unit_label = QLabel(arg(self.tr("Unit: %1"), user.unit.name))
        self.unit_label.setObjectName("unitLabel")
        self.layout_label = QLabel()
        self.layout_label.setObjectName("layoutLabel")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        bar.addWidget(self.unit_label)
        bar.addWidget(self.layout_label)
        self.server_warning = QLabel()
        self.server_warning.setObjectName("serverWarning")
        self.server_warning.setStyleSheet("color: #ff6b5a; font-weight: bold;")
        self.server_warning.hide()
        bar.addPermanentWidget(self.server_warning)
        self.duty_label = QLabel()
        self.duty_label.setObjectName("dutyLabel")
        self.duty_label.hide()
        bar.addPermanentWidget(self.duty_label)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()

    # -- behaviour ------------------------------------------------------------------------------
    def load_cameras(self) -> None:
        """Load the camera list; the first time also the startup layout (which may arrive first:
        its tiles wait for the list)."""
        self._ops.run(self._camera_source.cameras, label=self.tr("Loading cameras"), owner=self) \
            .success(self.show_cameras)
        if not self._startup_asked and self.layouts is not None:
            self._startup_asked = True
            self.layouts.load_startup()

    def show_cameras(self, cameras: list[Camera]) -> None:
        """The cameras this user may see now (loaded here, or changed on the server): the
        tree, the walls (a tile whose camera left stops and says why), the docks."""
        self.wall_controller.set_cameras(cameras)
        if self.wall_windows is not None:
            self.wall_windows.set_cameras(cameras)
        self.tree.set_cameras(cameras)
        # Not statusBar().showMessage(): a temporary message hides the user and unit labels.
        self.tree_dock.setWindowTitle(arg(self.tr("Cameras (%1)"), len(cameras)))
        self.cameras_loaded.emit(cameras)

    def show_server_state(self, state: ServerState) -> None:
        """A warning of the server watch, shown until it is gone: the operator must not trust
        times on a clock that is off, nor expect an outdated client to keep working."""
        parts = []
        if state.database_unreachable:
            parts.append(self.tr("Server: database unreachable"))
        if state.too_old:
            parts.append(self.tr("iocwall too old for the server: update it"))
        if state.clock_off and state.clock_offset_s is not None:
            parts.append(arg(self.tr("Clock off by %1 s"), f"{state.clock_offset_s:+.0f}"))
        self.server_warning.setText(" · ".join(parts))
        self.server_warning.setVisible(bool(parts))

    def show_on_duty(self, shift: DutyShift) -> None:
        """Who is on duty now (Art. 8.1: faults are reported to the duty desk)."""
        people = shift.names or self.tr("nobody on the roster")
        self.duty_label.setText(arg(self.tr("On duty: %1 — %2"), shift.name, people))
        self.duty_label.setToolTip(arg(self.tr("%1 to %2 (UTC+7)"),
                                       vn_text(shift.start, seconds=False),
                                       vn_text(shift.end, seconds=False)))
        self.duty_label.show()

    # -- bookmarks ------------------------------------------------------------------------------
    def _on_bookmark_cell(self, cell: int) -> None:
        state = self.wall_controller.cell(cell)
        if state.kind is CellKind.CAMERA and state.camera_id is not None:
            self.bookmark_requested.emit(state.camera_id, state.name)

    # -- PTZ ------------------------------------------------------------------------------------
    @property
    def ptz_session(self) -> Any:
        """The PTZ session bound to the selected tile's camera (None: none)."""
        return self.ptz_binding.session

    def selected_camera(self) -> Camera | None:
        return self.ptz_binding.selected_camera()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            # another window came to the front: a camera must not go on moving
            if self.ptz_session is not None:
                self.ptz_session.window_deactivated()
        super().changeEvent(event)

    # -- saved layouts --------------------------------------------------------------------------
    def current_layout(self) -> Layout | None:
        """The saved layout on the wall (None: an unsaved arrangement)."""
        return self.wall_controller.layout

    def show_layout(self, layout: Layout) -> None:
        try:
            self.wall_controller.apply_layout(layout)
        except TemplateError as exc:
            self._messages.error(arg(self.tr("Layout %1 cannot be shown: %2"), layout.name, exc))
            return
        self._update_layout_actions()

    def save_layout(self) -> None:
        current = self.current_layout()
        if self.layouts is None:
            return
        if current is None or not current.editable:
            self._ask_save_as()
            return
        self.layouts.save(self._wall_as(current.name, current))

    def save_layout_as(self, name: str, shared: bool = False) -> None:
        if self.layouts is not None and name.strip():
            self.layouts.save_as(self._wall_as(name.strip(), None, shared_with_unit=shared))

    def rename_layout(self, name: str) -> None:
        current = self.current_layout()
        if self.layouts is not None and current is not None and current.editable \
                and name.strip():
            self.layouts.rename(current, name.strip())

    def delete_layout(self, layout: Layout | None = None) -> None:
        """Delete ``layout`` (the current one by default); the wall keeps its tiles, unsaved."""
        current = self.current_layout()
        target = layout if layout is not None else current
        if self.layouts is not None and target is not None and target.editable:
            self.layouts.delete(target)
            if current is not None and current.id == target.id:
                self.wall_controller.layout = None
            self._update_layout_actions()

    def set_startup_layout(self, startup: bool = True) -> None:
        current = self.current_layout()
        if self.layouts is not None and current is not None and current.editable:
            self.layouts.set_startup(current, bool(startup))

    def share_layout(self, shared: bool = True) -> None:
        current = self.current_layout()
        if self.layouts is not None and current is not None and current.editable:
            self.layouts.set_shared(current, bool(shared))

    def set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showMaximized()
        self.full_screen_action.setChecked(on)

    def _wall_as(self, name: str, base: Layout | None, **fields: object) -> Layout:
        if base is None:
            return self.wall_controller.to_layout(name, **fields)  # type: ignore[arg-type]
        return self.wall_controller.to_layout(
            name, id=base.id, version=base.version, shared_with_unit=base.shared_with_unit,
            is_startup=base.is_startup, editable=base.editable, owner=base.owner)

    # The questions below are opened, not exec()'d: a nested event loop would hold up the
    # qasync tasks (polling, PTZ leases, video health) for as long as the question stays open.
    def _ask_save_as(self) -> QInputDialog:
        current = self.current_layout()
        return ask_text(self, self.tr("Save layout as"), self.tr("Name:"), self.save_layout_as,
                        text=current.name if current is not None else "")

    def _ask_rename(self) -> QInputDialog | None:
        current = self.current_layout()
        if current is None:
            return None
        return ask_text(self, self.tr("Rename layout"), self.tr("New name:"), self.rename_layout,
                        text=current.name)

    def _ask_delete(self) -> QMessageBox | None:
        """Deleting is not undone: ask first. Yes deletes the layout the question named, even if
        a tour has moved the wall on meanwhile; No or closing the box keeps it."""
        current = self.current_layout()
        if current is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete layout"),
                          arg(self.tr("Delete the layout %1?"), current.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(
            lambda button: self.delete_layout(current) if button is yes else None)
        box.open()
        return box

    def _ask_custom_grid(self) -> None:
        """The grid editor (rows, columns, merged cells) on the wall's template; OK applies it."""
        editor = GridEditor.for_wall(self.wall_controller, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.accepted.connect(self._update_layout_actions)
        editor.open()

    def _on_layouts_changed(self, layouts: list[Layout]) -> None:
        if self.wall_windows is not None:
            self.wall_windows.set_layouts(layouts)
        current = self.current_layout()
        if current is not None and current.id is not None:
            fresh = next((x for x in layouts if x.id == current.id), None)
            # keep the wall as it is; take the fresh name, version and flags
            self.wall_controller.layout = fresh
        self._fill_layouts_menu(layouts)
        self._update_layout_actions()

    def _on_layout_saved(self, layout: Layout) -> None:
        self.wall_controller.layout = layout
        self._update_layout_actions()
        self._messages.info(arg(self.tr("Layout %1 saved."), layout.name))

    def _on_startup_layout(self, layout: Layout | None, source: str) -> None:
        if layout is None:
            return
        log.info("startup layout %r from the %s", layout.name, source)
        self.show_layout(layout)

    def _fill_layouts_menu(self, layouts: list[Layout]) -> None:
        menu = self.layouts_menu
        menu.clear()
        for action in (self.save_layout_action, self.save_layout_as_action,
                       self.rename_layout_action, self.delete_layout_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.startup_layout_action)
        menu.addAction(self.share_layout_action)
        self.layout_actions = []
        own = [x for x in layouts if x.editable]
        shared = [x for x in layouts if not x.editable]
        for title, group in ((self.tr("My layouts"), own),
                             (self.tr("Shared by my unit"), shared)):
            menu.addSection(title)
            for layout in group:
                text = layout.name
                if not layout.editable and layout.owner is not None:
                    text = arg(self.tr("%1 (by %2, read-only)"), layout.name,
                               layout.owner.full_name or layout.owner.username)
                elif layout.is_startup:
                    text = arg(self.tr("%1 (at start)"), layout.name)
                action = QAction(text, self)
                action.setData(layout.id)
                action.triggered.connect(functools.partial(self.show_layout, layout))
                menu.addAction(action)
                self.layout_actions.append(action)
            if not group:
                empty = QAction(self.tr("(none)"), self)
                empty.setEnabled(False)
                menu.addAction(empty)

    def _update_layout_actions(self) -> None:
        current = self.current_layout()
        available = self.layouts is not None
        editable = available and current is not None and current.editable
        self.save_layout_action.setEnabled(available)
        self.save_layout_as_action.setEnabled(available)
        for action in (self.rename_layout_action, self.delete_layout_action,
                       self.startup_layout_action, self.share_layout_action):
            action.setEnabled(editable)
        self.startup_layout_action.setChecked(bool(editable and current and current.is_startup))
        self.share_layout_action.setChecked(bool(editable and current
                                                 and current.shared_with_unit))
        if current is None:
            self.layout_label.setText(self.tr("Layout: (not saved)"))
        elif current.editable:
            self.layout_label.setText(arg(self.tr("Layout: %1"), current.name))
        else:
            self.layout_label.setText(arg(self.tr("Layout: %1 (read-only)"), current.name))

    # -- tours and wall windows -----------------------------------------------------------------
    def set_wall_tour(self, on: bool) -> None:
        """Tour the main wall through the saved layouts (own and shared), or stop it."""
        layouts = self.layouts.layouts if self.layouts is not None else []
        if on and not self.wall.tours.start_wall_tour(layouts, self.wall.tour_dwell):
            self._messages.info(self.tr("No saved layouts to tour."))
        if not on:
            self.wall.tours.stop(-1)
        self._on_tours_changed()

    def _on_tours_changed(self) -> None:
        self.wall_tour_action.setChecked(self.wall.tours.touring(-1))

    def _fill_windows_menu(self) -> None:
        """Rebuilt each time it opens: the screens and windows there are now."""
        menu = self.windows_menu
        menu.clear()
        manager = self.wall_windows
        if manager is None:
            none = menu.addAction(self.tr("(not available)"))
            none.setEnabled(False)
            return
        new = menu.addMenu(self.tr("New wall window on"))
        for screen in manager.screens():
            action = new.addAction(self._screen_label(screen.name()))
            action.triggered.connect(functools.partial(manager.open, screen.name()))
        layouts = self.layouts.layouts if self.layouts is not None else []
        for key, window in manager.windows.items():
            state = window.state()
            title = arg(self.tr("Wall %1 on %2"), key, state.screen or "?")
            sub = menu.addMenu(title)
            shows = sub.addMenu(self.tr("Show layout"))
            for layout in layouts:
                action = shows.addAction(layout.name)
                action.setCheckable(True)
                action.setChecked(layout.id is not None and layout.id == state.layout_id)
                action.triggered.connect(functools.partial(manager.show_layout, key, layout))
            if not layouts:
                empty = shows.addAction(self.tr("(none)"))
                empty.setEnabled(False)
            move = sub.addMenu(self.tr("Move to screen"))
            for screen in manager.screens():
                action = move.addAction(self._screen_label(screen.name()))
                action.setCheckable(True)
                action.setChecked(screen.name() == state.screen)
                action.triggered.connect(functools.partial(manager.move_to, key, screen.name()))
            full = sub.addAction(self.tr("Full screen"))
            full.setCheckable(True)
            full.setChecked(state.full_screen)
            full.triggered.connect(functools.partial(manager.set_full_screen, key))
            close = sub.addAction(self.tr("Close this wall window"))
            close.triggered.connect(functools.partial(manager.close, key))

    def _screen_label(self, name: str) -> str:
        own = self.screen()
        if own is not None and own.name() == name:
            return arg(self.tr("%1 (this window's screen)"), name)
        return name

    def _wall_changed(self, *_args: object) -> None:
        self._remember.start()

    def _remember_wall(self) -> None:
        if self.layouts is None:
            return
        current = self.current_layout()
        self.layouts.remember_current(self._wall_as(current.name if current else "", current))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.set_full_screen(False)
            event.accept()
            return
        super().keyPressEvent(event)

    def choose_language(self, code: str) -> None:
        settings = self._settings.load()
        if settings.language != code:
            settings.language = code
            self._settings.save(settings)
            self._messages.info(self.tr("The language changes at the next start."))
        self.language_chosen.emit(code)

    @staticmethod
    def clock_text(now: datetime | None = None) -> str:
        local = (now or datetime.now(UTC)).astimezone(VIETNAM_TIME)
        return local.strftime("%H:%M:%S  %d/%m/%Y  (UTC+7)")

    def _tick(self) -> None:
        self.clock_label.setText(self.clock_text())

    def _show_message(self, message: Message) -> None:
        stamp = message.at.astimezone(VIETNAM_TIME).strftime("%H:%M:%S")
        label = {Level.INFO: self.tr("Info"), Level.WARNING: self.tr("Warning"),
                 Level.ERROR: self.tr("Error")}[message.level]
        item = QListWidgetItem(f"{stamp}  {label}: {message.text}")
        item.setData(Qt.ItemDataRole.UserRole, message.level.value)
        self.messages_list.addItem(item)
        self.messages_list.scrollToBottom()
        while self.messages_list.count() > 500:
            self.messages_list.takeItem(0)

    def visible_texts(self) -> list[str]:
        """Texts an operator reads on the window (used to check the translation)."""
        texts = [self.windowTitle(), self.tree_dock.windowTitle(), self.messages_dock.windowTitle(),
                 self.tree.search_edit.placeholderText(), self.user_label.text(),
                 self.unit_label.text()]
        texts += [a.text() for a in self.menuBar().actions()]
        texts += [a.text() for a in self.system_menu.actions() if a.text()]
        texts += [a.text() for a in self.layouts_menu.actions() if a.text()]
        texts += [a.text() for a in self.view_menu.actions() if a.text()]
        texts += [self.ptz_dock.windowTitle()]
        return texts

    def closeEvent(self, event: QCloseEvent) -> None:
        self._clock.stop()
        if self._remember.isActive():
            self._remember.stop()
            self._remember_wall()
        self.closing.emit()
        super().closeEvent(event)
