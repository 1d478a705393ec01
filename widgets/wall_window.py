"""Extra wall windows, one per screen of the command room (multi-monitor).

A :class:`WallWindow` is a top-level window hosting its own :class:`WallView` over its own
:class:`WallController` (made by the session context with its own ``key_prefix``, so its tiles are
its own in the video service and the watchers know them),
frameless full screen on its screen or an ordinary window. :class:`WallWindows` keeps them: opens
one on a chosen screen, closes one, shows a saved layout in one, saves what each shows and where
(settings ``wall_windows``) and restores them at the next start (``app.screens.place``: the same
screen by name, else the one the old geometry overlaps, else the primary).

A screen that goes away (``QGuiApplication.screenRemoved``) sends its windows to a remaining
screen: the top-level moves and its native video windows with it, so playback goes on untouched.

Signals (WallWindows):
    windows_changed(): a window opened, closed, moved or shows another layout (menus rebuild).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.domain import Camera, Layout
from app.i18n import arg
from app.messages import MessageBridge
from app.ports import VideoPort
from app.screens import Rect, ScreenInfo, WallWindowState, place
from app.settings import SettingsStore
from app.wall import WallController
from layouts import TemplateError, template
from widgets.wall_view import WallView

log = logging.getLogger("iocwall.ui")


def screen_info(screen: QScreen) -> ScreenInfo:
    g = screen.geometry()
    return ScreenInfo(screen.name(), Rect(g.x(), g.y(), g.width(), g.height()),
                      screen is QGuiApplication.primaryScreen())


def _rect(r: QRect) -> Rect:
    return Rect(r.x(), r.y(), r.width(), r.height())


class WallWindow(QWidget):
    """A wall of its own on one screen. Signals: closed(str) (its key)."""

    closed = Signal(str)

    def __init__(self, key: str, controller: WallController, video: VideoPort,
                 tour_dwell: float = 10.0) -> None:
        super().__init__(None)
        self.setObjectName("wallWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.key = key
        self.screen_name = ""
        self.full_screen = True
        self.controller = controller
        self.wall = WallView(self.controller, video, self, tour_dwell=tour_dwell)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.wall)
        for action in self.wall.template_actions:
            self.addAction(action)
        self._pending_layout: tuple[int | None, str] = (None, "")
        self._closing_for_exit = False
        self.setWindowTitle(arg(self.tr("iocwall — wall %1"), key))

    def place(self, screen: QScreen, geometry: Rect, full_screen: bool) -> None:
        """Put the window on ``screen`` (the native video windows move with it)."""
        self.screen_name = screen.name()
        self.full_screen = full_screen
        was_visible = self.isVisible()
        flags = self.windowFlags()
        frameless = bool(flags & Qt.WindowType.FramelessWindowHint)
        if frameless != full_screen:
            # changing flags re-creates the window: only before it is shown (tiles keep their
            # streams: a native window re-created under libvlc would lose its picture)
            if not was_visible:
                self.setWindowFlag(Qt.WindowType.FramelessWindowHint, full_screen)
        handle = self.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
        else:
            self.setScreen(screen)
        # geometry first: a desktop without a window manager (kiosk X, Xvfb) ignores the state
        self.setGeometry(QRect(geometry.x, geometry.y, geometry.width, geometry.height))
        if full_screen:
            self.showFullScreen()
        else:
            self.showNormal()
        self.setGeometry(QRect(geometry.x, geometry.y, geometry.width, geometry.height))

    def state(self) -> WallWindowState:
        layout = self.controller.layout
        layout_id, name = self._pending_layout if layout is None else (layout.id, layout.name)
        return WallWindowState(
            self.key, self.screen_name, _rect(self.geometry()), self.full_screen, layout_id,
            name, self.controller.grid.key, tuple(self.controller.cells))

    def restore(self, state: WallWindowState, layouts: Sequence[Layout]) -> None:
        """Show what the window showed: its saved layout when known, else its cells."""
        self._pending_layout = (state.layout_id, state.layout_name)
        if state.layout_id is not None and self.show_layout_id(state.layout_id, layouts):
            return
        if state.template:
            try:
                grid = template(state.template)
            except KeyError:
                return
            cells = list(state.cells[: grid.size]) + [None] * (grid.size - len(state.cells))
            try:
                self.controller.apply_layout(Layout.from_wall(state.layout_name, grid, cells))
            except TemplateError as exc:
                log.warning("wall %s: saved cells not shown: %s", self.key, exc)
                return
            self.controller.layout = None  # an unsaved arrangement, not a saved layout

    def show_layout_id(self, layout_id: int, layouts: Sequence[Layout]) -> bool:
        found = next((x for x in layouts if x.id == layout_id), None)
        if found is None:
            return False
        self.show_layout(found)
        return True

    def show_layout(self, layout: Layout) -> None:
        self.controller.apply_layout(layout)
        self._pending_layout = (layout.id, layout.name)

    def close_for_exit(self) -> list[Camera]:
        """Stop the tiles without audit calls (the caller reports view_stop); close."""
        shown = self.controller.stop_for_exit()
        self._closing_for_exit = True
        self.close()
        return shown

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self._closing_for_exit:
            self.wall.tours.stop_all()
            self.controller.clear_all()  # view_stop for its cameras
        self.controller.detach()
        super().closeEvent(event)
        self.closed.emit(self.key)


class WallWindows(QObject):
    windows_changed = Signal()

    def __init__(self, video: VideoPort, messages: MessageBridge, settings: SettingsStore,
                 new_wall: Callable[[str], WallController],
                 forget_wall: Callable[[str], None] | None = None,
                 parent: QObject | None = None, *,
                 screens: Callable[[], list[QScreen]] | None = None) -> None:
        """``new_wall(key)`` makes the controller of a new window's wall (``key`` its tile key
        prefix); ``forget_wall(key)`` is told when that window is gone."""
        super().__init__(parent)
        self._video = video
        self._messages = messages
        self._settings = settings
        self._new_wall = new_wall
        self._forget_wall = forget_wall
        self._screens = screens or QGuiApplication.screens
        self.windows: dict[str, WallWindow] = {}
        self._cameras: list[Camera] | None = None
        self._layouts: list[Layout] = []
        self._exiting = False
        self._save_timer = QTimer(self)  # coalesce moves and wall changes into one write
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(self.save)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self.screen_removed)

    # -- screens --------------------------------------------------------------------------------
    def screens(self, without: str = "") -> list[QScreen]:
        return [s for s in self._screens() if s.name() != without]

    def _qscreen(self, name: str) -> QScreen | None:
        return next((s for s in self._screens() if s.name() == name), None)

    # -- commands -------------------------------------------------------------------------------
    def open(self, screen_name: str = "", full_screen: bool = True) -> WallWindow | None:
        """A new wall window on that screen (the primary when unknown)."""
        state = WallWindowState(self._new_key(), screen_name, None, full_screen)
        return self._open(state)

    def restore(self) -> list[WallWindow]:
        """The wall windows of the last run, each on its screen (or the best remaining one)."""
        saved = self._settings.load().wall_windows
        opened = [w for w in (self._open(state) for state in saved) if w is not None]
        if opened:
            log.info("restored %d wall window(s)", len(opened))
        return opened

    def close(self, key: str) -> None:
        window = self.windows.get(key)
        if window is not None:
            window.close()

    def show_layout(self, key: str, layout: Layout) -> None:
        window = self.windows.get(key)
        if window is None:
            return
        try:
            window.show_layout(layout)
        except TemplateError as exc:
            self._messages.error(arg(self.tr("Layout %1 cannot be shown: %2"), layout.name, exc))
            return
        self._changed()

    def move_to(self, key: str, screen_name: str, full_screen: bool | None = None) -> None:
        window = self.windows.get(key)
        screen = self._qscreen(screen_name)
        if window is None or screen is None:
            return
        state = window.state()
        old = self._qscreen(state.screen)
        wanted = WallWindowState(key, screen_name, state.geometry,
                                 state.full_screen if full_screen is None else full_screen)
        [placement] = place([wanted], [screen_info(screen)],
                            [screen_info(old)] if old is not None else [])
        window.place(screen, placement.geometry, placement.window.full_screen)
        self._changed()

    def set_full_screen(self, key: str, on: bool) -> None:
        window = self.windows.get(key)
        if window is not None:
            self.move_to(key, window.screen_name, full_screen=on)

    def set_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = list(cameras)
        for window in self.windows.values():
            window.controller.set_cameras(cameras)

    def set_layouts(self, layouts: list[Layout]) -> None:
        """The saved layouts known now: windows restored before the list arrived show theirs."""
        self._layouts = list(layouts)
        for window in self.windows.values():
            layout_id = window.state().layout_id
            if window.controller.layout is None and layout_id is not None:
                window.show_layout_id(layout_id, layouts)

    def save(self) -> None:
        """Write every open window's state to the settings (the next start restores them)."""
        self._save_timer.stop()
        settings = self._settings.load()
        settings.wall_windows = [w.state() for w in self.windows.values()]
        self._settings.save(settings)

    def stop_for_exit(self) -> list[Camera]:
        """Save, then stop every window's tiles (no audit calls: the caller reports them)."""
        self.save()
        self._exiting = True
        shown: list[Camera] = []  # per window: each reported its own view_start
        for window in list(self.windows.values()):
            shown += window.close_for_exit()
        self.windows.clear()
        return shown

    def close_all(self) -> None:
        """Close every window but keep them in the settings (a logout: the next login restores
        them)."""
        self.save()
        self._exiting = True
        for window in list(self.windows.values()):
            window.close()
        self.windows.clear()
        self._exiting = False

    # -- screens going away ---------------------------------------------------------------------
    def screen_removed(self, removed: QScreen) -> None:
        name = removed.name()
        remaining = self.screens(without=name)
        if not remaining:
            return
        infos = [screen_info(s) for s in remaining]
        moved = [w for w in self.windows.values() if w.screen_name == name]
        for window in moved:
            [placement] = place([window.state()], infos, [screen_info(removed)])
            target = next(s for s in remaining if s.name() == placement.screen.name)
            log.info("screen %s removed: wall %s moves to %s", name, window.key, target.name())
            window.place(target, placement.geometry, window.full_screen)
        if moved:
            self._changed()

    # -- internals ------------------------------------------------------------------------------
    def _open(self, state: WallWindowState) -> WallWindow | None:
        available = self.screens()
        if not available:
            return None
        infos = [screen_info(s) for s in available]
        [placement] = place([state], infos)
        screen = next(s for s in available if s.name() == placement.screen.name)
        window = WallWindow(state.key, self._new_wall(state.key), self._video,
                            self._settings.load().tour_dwell_s)
        self.windows[state.key] = window
        window.closed.connect(self._on_closed)
        window.controller.cell_updated.connect(self._wall_changed)
        window.controller.template_changed.connect(self._wall_changed)
        if self._cameras is not None:
            window.controller.set_cameras(self._cameras)
        window.restore(state, self._layouts)
        window.place(screen, placement.geometry, state.full_screen)
        log.info("wall window %s on %s (%s)", state.key, screen.name(), placement.match.value)
        self._changed()
        return window

    def _new_key(self) -> str:
        number = 1
        while f"screen-{number}" in self.windows:
            number += 1
        return f"screen-{number}"

    def _on_closed(self, key: str) -> None:
        if self._exiting:
            return
        window = self.windows.pop(key, None)
        if window is not None:
            window.deleteLater()
        if self._forget_wall is not None:
            self._forget_wall(key)
        self._changed()

    def _wall_changed(self, *_args: object) -> None:
        if not self._exiting:
            self._save_timer.start()

    def _changed(self) -> None:
        if not self._exiting:
            self._save_timer.start()
            self.windows_changed.emit()
