"""The command room's main window: camera tree, 2×2 wall, messages, status bar with user, unit and
a UTC+7 clock; menus for language and logout.

Services are passed in (no globals); the window loads the camera list through ops and never talks
to the network itself.

Signals:
    cameras_loaded(list): the camera list arrived and the tree shows it.
    logout_requested(): the operator chose "Log out".
    language_chosen(str): "vi" or "en" was chosen (applied at the next start).
    closing(): the window is closing (the application shuts down its services).
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime, timedelta, timezone

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QWidget,
)

from app.domain import Camera, Session
from app.messages import Level, Message, MessageBridge
from app.ops import Ops
from app.ports import CameraSource, VideoPort
from app.settings import SettingsStore
from app.wall import WallController
from widgets.camera_tree import CameraTree
from widgets.wall_view import WallView

log = logging.getLogger("iocwall.ui")

VIETNAM_TIME = timezone(timedelta(hours=7), "UTC+7")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


class MainWindow(QMainWindow):
    cameras_loaded = Signal(list)
    logout_requested = Signal()
    language_chosen = Signal(str)
    closing = Signal()

    def __init__(self, session: Session, cameras: CameraSource, wall: WallController,
                 video: VideoPort, ops: Ops, messages: MessageBridge, settings: SettingsStore,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.session = session
        self._camera_source = cameras
        self._ops = ops
        self._messages = messages
        self._settings = settings
        self.wall_controller = wall
        self.setWindowTitle(self.tr("iocwall — Đồng Hới IOC video wall"))
        self.resize(1280, 800)

        self.wall = WallView(wall, video, self)
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

        self._build_menus()
        self._build_status_bar()

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
        self.user_label = QLabel(self.tr("User: %1 (%2)").replace("%1", user.full_name or
                                                                  user.username)
                                 .replace("%2", user.username))
        self.user_label.setObjectName("userLabel")
        self.unit_label = QLabel(self.tr("Unit: %1").replace("%1", user.unit.name))
        self.unit_label.setObjectName("unitLabel")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        bar.addWidget(self.unit_label)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()

    # -- behaviour ------------------------------------------------------------------------------
    def load_cameras(self) -> None:
        self._ops.run(self._camera_source.cameras, label=self.tr("Loading cameras"), owner=self) \
            .success(self._on_cameras)

    def _on_cameras(self, cameras: list[Camera]) -> None:
        self.wall_controller.set_cameras(cameras)
        self.tree.set_cameras(cameras)
        # Not statusBar().showMessage(): a temporary message hides the user and unit labels.
        self.tree_dock.setWindowTitle(self.tr("Cameras (%1)").replace("%1", str(len(cameras))))
        self.cameras_loaded.emit(cameras)

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
        return texts

    def closeEvent(self, event: QCloseEvent) -> None:
        self._clock.stop()
        self.closing.emit()
        super().closeEvent(event)
