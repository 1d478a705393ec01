"""The running client: the login dialog ⇄ the main window, and an orderly shutdown.

At each login the session's services are built once (:class:`app.context.SessionContext`) and
handed to the widgets through their constructors and ``install_*`` functions; every signal between
a window and the services is connected here, in one place. At logout the context stops them all.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging

from PySide6.QtWidgets import QApplication, QDockWidget

from app.context import Runtime, SessionContext
from app.demo import DEMO_PASSWORD, DEMO_USER
from app.domain import Camera, Session
from app.errors import BackendError
from app.ptz.sessions import PtzSessions
from app.video import StreamState
from app.wall import WallController
from common.vocabulary import ViewEvent
from widgets.admin_panels import AdminPanels, install_admin_panels
from widgets.admin_window import SiteAdministration, install_admin_window
from widgets.login_dialog import LoginDialog
from widgets.main_window import MainWindow
from widgets.operations import Operations, install_operations
from widgets.panels import EvidencePanels, install_panels
from widgets.password_change import PasswordChangeDialog
from widgets.wall_window import WallWindows

log = logging.getLogger("iocwall.main")


class Client:
    """Login ⇄ main window. ``args`` are main.py's (``demo``, ``user``)."""

    def __init__(self, app: QApplication, args: argparse.Namespace, runtime: Runtime,
                 server_url: str) -> None:
        self.app = app
        self.args = args
        self.runtime = runtime
        self.settings = runtime.settings
        self.messages = runtime.messages
        self.ops = runtime.ops
        self.video = runtime.video
        self.auth = runtime.auth
        self.server_url = server_url
        self.context: SessionContext | None = None
        self.window: MainWindow | None = None
        self.wall_windows: WallWindows | None = None
        self.login_dialog: LoginDialog | None = None
        self.panels: EvidencePanels | None = None
        self.operations: Operations | None = None
        self.admin: AdminPanels | None = None
        self.site_admin: SiteAdministration | None = None
        self.password_dialog: PasswordChangeDialog | None = None
        self._logging_out = False
        self._live_reported = False

    @property
    def wall(self) -> WallController | None:
        return self.context.wall if self.context is not None else None

    @property
    def ptz(self) -> PtzSessions | None:
        return self.context.ptz if self.context is not None else None

    def start(self) -> None:
        saved = self.settings.load()
        if self.args.demo:
            self.ops.run(functools.partial(self.auth.login, self.server_url, self.demo_user,
                                           DEMO_PASSWORD, False), label="demo login") \
                .success(self.logged_in).failure(self._demo_login_failed)
        elif saved.remember_me and saved.last_user and self.args.user in (None,
                                                                          saved.last_user):
            self.ops.run(functools.partial(self.auth.resume, self.server_url, saved.last_user),
                         label="resume session") \
                .success(self._resumed).failure(lambda _error: self.show_login())
        else:
            self.show_login()

    @property
    def demo_user(self) -> str:
        return str(self.args.user or DEMO_USER)

    def _resumed(self, session: Session | None) -> None:
        if session is None:
            self.show_login()
        else:
            self.logged_in(session)

    def _demo_login_failed(self, error: BaseException) -> None:
        self.messages.error(f"demo login as {self.demo_user} failed: {error}")
        self.show_login()

    def show_login(self) -> None:
        saved = self.settings.load()
        dialog = LoginDialog(self.auth, self.ops, server_url=self.server_url,
                             username=self.args.user or saved.last_user,
                             remember=saved.remember_me)
        dialog.logged_in.connect(self.logged_in)
        dialog.rejected.connect(self._login_cancelled)
        self.login_dialog = dialog
        dialog.show()

    def logged_in(self, session: Session) -> None:
        """After a login: a user whose password an administrator set chooses their own first
        (the server refuses everything else until then), then the main window opens."""
        if not session.user.must_change_password:
            self.open_main_window(session)
            return
        self.login_dialog = None
        dialog = PasswordChangeDialog(self.auth, self.ops, session,
                                      remember=self.settings.load().remember_me)
        dialog.changed.connect(self.open_main_window)
        dialog.rejected.connect(self._password_change_cancelled)
        self.password_dialog = dialog
        dialog.show()

    def _password_change_cancelled(self) -> None:
        """No password chosen, no session: back to the login."""
        self.password_dialog = None
        self.ops.run(self.auth.logout, label="logout").success(lambda _r: self.show_login()) \
            .failure(lambda _e: self.show_login())

    def _login_cancelled(self) -> None:
        if self.window is None:
            self.app.quit()

    def open_main_window(self, session: Session, *, poll: bool = True) -> MainWindow:
        """Build the session's services, the main window and its docks, connect them, start."""
        self.login_dialog = None
        self.password_dialog = None
        context = SessionContext(self.runtime, session, poll=poll)
        self.context = context
        self.wall_windows = WallWindows(self.video, self.messages, self.settings,
                                        context.new_wall, context.forget_wall)
        window = MainWindow(session, self.auth, context.wall, self.video, self.ops,
                            self.messages, self.settings, layouts=context.layouts,
                            wall_windows=self.wall_windows, ptz=context.ptz)
        self.panels = panels = install_panels(window, context.bookmarks, context.clips,
                                              context.clip_player,
                                              download_dir=context.download_dir)
        self.admin = admin = install_admin_panels(
            window, context.capabilities, reports=context.reports, access=context.access,
            audit=context.audit, letter_dir=context.letter_dir)
        self.site_admin = install_admin_window(window, context.admin, admin.menu)
        self.operations = operations = install_operations(
            window, capabilities=context.capabilities, incidents=context.incidents,
            cases=context.cases, public_cameras=context.public_cameras,
            publications=context.publications, messages=self.messages,
            main_view=window.wall, wall_windows=self.wall_windows, evidence=panels,
            duty=context.duty)

        window.bookmark_requested.connect(panels.bookmark_camera)
        window.fault_report_requested.connect(operations.report_fault)
        for listener in (panels.set_cameras, admin.set_cameras, operations.set_cameras):
            window.cameras_loaded.connect(listener)
        if context.access is not None:  # a grant given or ended changes the cameras shown
            context.access.cameras_changed.connect(window.load_cameras)
        # cameras added, moved or deactivated by an administrator reach this wall on their own
        window.cameras_loaded.connect(context.cameras.shown)
        context.cameras.changed.connect(window.show_cameras)
        context.server.changed.connect(window.show_server_state)
        context.duty.on_duty.connect(window.show_on_duty)
        window.logout_requested.connect(self.logout)
        window.closing.connect(self._window_closing)
        if self.args.demo:
            window.cameras_loaded.connect(self._fill_wall)
        self.video.tile_status_changed.connect(self._watch_live)
        self.window = window
        context.start()
        window.show()
        log.info("main window: menus %s; docks %s",
                 ", ".join(a.text().replace("&", "") for a in window.menuBar().actions()),
                 ", ".join(d.objectName() for d in window.findChildren(QDockWidget)
                           if not d.isHidden()))
        self.wall_windows.restore()  # the other screens' walls, as the last run left them
        window.load_cameras()
        return window

    def _fill_wall(self, cameras: list[Camera]) -> None:
        """The demo's wall, once: later lists (an administrator's change) leave it as it is."""
        if self.window is None:
            return
        self.window.cameras_loaded.disconnect(self._fill_wall)
        for camera in sorted(cameras, key=lambda c: c.id)[: len(self.window.wall.tiles)]:
            self.window.wall.add_camera(camera.id)

    def _watch_live(self, _tile_key: str, _status: object) -> None:
        """Log once when every occupied tile is live (the smoke test and the duty desk read it)."""
        wall = self.wall
        if wall is None or self._live_reported:
            return
        keys = [wall.tile_key(i) for i, c in enumerate(wall.cells) if c is not None]
        live = [k for k in keys if self.video.status(k).state is StreamState.LIVE]
        if keys and len(live) == len(keys):
            self._live_reported = True
            log.info("wall live: %d/%d tiles", len(live), len(wall.cells))

    def logout(self) -> None:
        wall = self.wall
        if self.window is None or wall is None:
            return
        self._logging_out = True
        if self.wall_windows is not None:
            self.wall_windows.close_all()  # saved: the next login brings them back
            self.wall_windows = None
        wall.clear_all()
        window, self.window = self.window, None
        self._close_session()
        self.video.tile_status_changed.disconnect(self._watch_live)
        self._live_reported = False
        window.close()
        window.deleteLater()
        self.ops.run(self.auth.logout, label="logout").success(lambda _r: self.show_login()) \
            .failure(lambda _e: self.show_login())

    def _close_session(self) -> None:
        """Stop every service of the session (polling, watching, downloads) and close PTZ; the
        panels go with the window."""
        context, self.context = self.context, None
        if self.operations is not None:
            self.operations.close()
        self.panels = self.operations = self.admin = self.site_admin = None
        if context is None:
            return
        context.close()
        self.ops.run(context.ptz.a_close(), label="PTZ close")
        context.deleteLater()

    def _window_closing(self) -> None:
        if self._logging_out:
            self._logging_out = False
            return
        # the loop still runs: the health intervals measured so far are sent now
        if self.operations is not None:
            self.operations.close()
        if self.context is not None:
            self.context.close()
        self.quit()

    def quit(self) -> None:
        """End the application (window closed, SIGTERM/SIGINT): first stop what we drive and
        release our PTZ leases (at most 3 s), since no camera may be left moving; the loop ends
        after that. A second request while closing quits at once."""
        context = self.context
        if context is None or context.ptz.closing or not context.ptz.opened:
            self.app.quit()
            return
        context.ptz.closing = True
        self.ops.run(asyncio.wait_for(context.ptz.a_close(), 3.0), label="PTZ close") \
            .success(lambda _r: self.app.quit()).failure(lambda _e: self.app.quit())

    def shutdown(self) -> None:
        """Stop the tiles, report view_stop, stop the session's services, end a session that
        was not remembered."""
        shown: list[Camera] = []  # per wall: each wall reported its own view_start
        if self.wall_windows is not None:
            shown += self.wall_windows.stop_for_exit()  # saves the windows for the next start
        if self.wall is not None:
            shown += self.wall.stop_for_exit()
        for camera in shown:
            try:
                self.auth.audit_event(ViewEvent.VIEW_STOP, camera.id, "client exit")
            except BackendError as exc:
                log.warning("%s: view_stop not recorded: %s", camera.name, exc)
        if self.operations is not None:
            self.operations.close()
        if self.context is not None:
            self.context.close()
        self.runtime.stop()
        self.video.shutdown()
        if not self.settings.load().remember_me:
            self.auth.logout()
