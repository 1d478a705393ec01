"""iocwall — the video wall of the Đồng Hới IOC.

``python main.py`` shows the login dialog; ``python main.py --demo`` starts the camera lab and a demo
backend when none answers, logs in as the demo duty operator (``--user NAME``: another demo user)
and fills the 2×2 wall.
Here the services are built once and passed into the windows (no globals).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import signal
import sys
from collections.abc import Callable

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDockWidget

# The ONVIF stack takes ≈ 0.6 s to import: pay it at start, not on the first PTZ tile.
from app.ptz.onvif_controller import OnvifPtzController  # isort: skip
from app.auth import AuthService
from app.backend import BackendClient
from app.bookmarks import BookmarkService
from app.clip_player import ClipPlayer
from app.clips import ClipService
from app.crash import CrashHandler
from app.credentials import TokenStore
from app.demo import DemoProgress, DemoStack, LabPorts, backend_answers
from app.domain import Camera, Session
from app.errors import BackendError
from app.i18n import install_translators
from app.messages import MessageBridge
from app.ops import Ops
from app.ptz.base import LeaseHolder
from app.ptz.joystick_sdl import JoystickPump, SdlJoystickSource
from app.ptz.lease import LeaseApi, PtzLease
from app.ptz.session import PtzSession
from app.self_check import LIBRARY_CHECKS
from app.settings import DEFAULT_SERVER_URL, LANGUAGES, SettingsStore, data_dir
from app.video import StreamState, VideoService
from app.wall import WallController
from common.vocabulary import ViewEvent
from widgets.admin_panels import install_admin_panels
from widgets.login_dialog import LoginDialog
from widgets.main_window import MainWindow
from widgets.operations import install_operations
from widgets.panels import EvidencePanels, install_panels
from widgets.self_check import run_self_check
from widgets.splash import StartupSplash
from widgets.theme import apply_theme
from widgets.wall_window import WallWindows

log = logging.getLogger("iocwall.main")

DEMO_USER = "ioc.operator"
DEMO_PASSWORD = "demo"  # the published password of every demo account (README, make run)


class PtzSessions:
    """The logged-in user's PTZ sessions, one per camera, opened on first use and kept until
    logout (the lease itself is released by the session after 30 s idle).

    ``open(camera)`` fetches the camera's ONVIF endpoint from the backend (only cameras with the
    ptz action have one), builds ``OnvifPtzController`` + ``PtzLease`` + ``PtzSession`` and
    connects (capabilities, presets). Concurrent opens of one camera share one attempt; a failed
    attempt is forgotten so the next selection tries again."""

    def __init__(self, backend: BackendClient, ops: Ops,
                 joystick: JoystickPump | None = None) -> None:
        self.api = LeaseApi(backend)
        self.ops = ops
        self.joystick = joystick
        self.username = backend.session.user.username if backend.session is not None else ""
        self._sessions: dict[int, asyncio.Future[PtzSession]] = {}

    async def open(self, camera: Camera) -> PtzSession:
        future = self._sessions.get(camera.id)
        if future is None or (future.done() and (future.cancelled() or future.exception())):
            future = asyncio.ensure_future(self._open(camera))
            self._sessions[camera.id] = future
        return await asyncio.shield(future)

    @property
    def opened(self) -> bool:
        return bool(self._sessions)

    async def _open(self, camera: Camera) -> PtzSession:
        endpoint = await self.api.onvif_endpoint(camera.id)
        controller = OnvifPtzController(endpoint.host, endpoint.port, endpoint.username,
                                        endpoint.password, label=camera.name)
        session = PtzSession(controller, PtzLease(self.api, camera.id), self.ops,
                             label=camera.name)
        try:
            await session.a_connect()
        except BaseException:  # failed or cancelled (closed meanwhile): no ONVIF left open
            await session.a_close()
            raise
        return session

    async def holder(self, camera_id: int) -> LeaseHolder | None:
        holder, _queue = await self.api.holder(camera_id)
        return holder

    async def a_close(self) -> None:
        """Stop what moves, release every lease, close ONVIF and the lease client."""
        futures, self._sessions = list(self._sessions.values()), {}
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                await future.result().a_close()
            elif not future.done():
                future.cancel()
        await self.api.close()


def start_joystick() -> JoystickPump | None:
    """USB joysticks through SDL (dummy video driver, ≈ 0.1 s); None when SDL cannot start."""
    try:
        pump = JoystickPump(SdlJoystickSource())
    except (ImportError, RuntimeError, OSError) as exc:  # pygame.error is a RuntimeError
        log.warning("joystick input unavailable: %s", exc)
        return None
    pump.start()
    return pump


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="iocwall", description=__doc__)
    parser.add_argument("--demo", action="store_true",
                        help="start the lab and a demo backend if none answers; log in as "
                             f"{DEMO_USER}; fill the wall")
    parser.add_argument("--user", metavar="NAME",
                        help="with --demo: log in as this demo user (every demo password is "
                             "'demo'); otherwise: the user name the login dialog starts with. "
                             "A password is never taken from the command line")
    parser.add_argument("--server", help=f"backend URL (default: last used, {DEFAULT_SERVER_URL})")
    parser.add_argument("--lang", choices=LANGUAGES, help="UI language for this run")
    parser.add_argument("--lab-cameras", type=int, help="demo: number of lab cameras")
    parser.add_argument("--lab-rtsp-port", type=int, help="demo: the lab's RTSP port")
    parser.add_argument("--lab-onvif-base-port", type=int, help="demo: first ONVIF port")
    parser.add_argument("--lab-control-port", type=int, help="demo: the lab's control port")
    parser.add_argument("--self-check", action="store_true",
                        help="check that Qt, libvlc, PyAV and ONVIF load and that a stream URL "
                             "read from standard input plays in a tile; exit 0 when all pass")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


class Client:
    """The running client: login dialog ⇄ main window, and an orderly shutdown."""

    def __init__(self, app: QApplication, args: argparse.Namespace, settings: SettingsStore,
                 messages: MessageBridge, ops: Ops, video: VideoService, auth: AuthService,
                 server_url: str) -> None:
        self.app = app
        self.args = args
        self.settings = settings
        self.messages = messages
        self.ops = ops
        self.video = video
        self.auth = auth
        self.server_url = server_url
        self.window: MainWindow | None = None
        self.wall: WallController | None = None
        self.wall_windows: WallWindows | None = None
        self.login_dialog: LoginDialog | None = None
        self.panels: EvidencePanels | None = None
        self.ptz: PtzSessions | None = None
        self.joystick: JoystickPump | None = None
        self._logging_out = False
        self._live_reported = False

    def start(self) -> None:
        saved = self.settings.load()
        if self.args.demo:
            self.ops.run(functools.partial(self.auth.login, self.server_url, self.demo_user,
                                           DEMO_PASSWORD, False), label="demo login") \
                .success(self.open_main_window).failure(self._demo_login_failed)
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
            self.open_main_window(session)

    def _demo_login_failed(self, error: BaseException) -> None:
        self.messages.error(f"demo login as {self.demo_user} failed: {error}")
        self.show_login()

    def show_login(self) -> None:
        saved = self.settings.load()
        dialog = LoginDialog(self.auth, self.ops, server_url=self.server_url,
                             username=self.args.user or saved.last_user,
                             remember=saved.remember_me)
        dialog.logged_in.connect(self.open_main_window)
        dialog.rejected.connect(self._login_cancelled)
        self.login_dialog = dialog
        dialog.show()

    def _login_cancelled(self) -> None:
        if self.window is None:
            self.app.quit()

    def open_main_window(self, session: Session) -> None:
        self.login_dialog = None
        self.wall = WallController(self.video, self.ops, self.messages, audit=self.auth)
        self.wall_windows = WallWindows(self.video, self.ops, self.messages, self.settings,
                                        audit=self.auth)
        backend = self.auth.client
        assert backend is not None  # logged in
        if self.joystick is None:
            self.joystick = start_joystick()
        self.ptz = PtzSessions(backend, self.ops, self.joystick)
        window = MainWindow(session, self.auth, self.wall, self.video, self.ops, self.messages,
                            self.settings, wall_windows=self.wall_windows, ptz=self.ptz)
        self.panels = install_panels(
            window, BookmarkService(backend, self.ops, self.messages),
            ClipService(backend, self.ops, self.messages, user=session.user), ClipPlayer(),
            download_dir=data_dir() / "clips")
        install_admin_panels(window, backend, self.ops, self.messages, session.user)
        window.bookmark_requested.connect(self.panels.bookmark_camera)
        install_operations(window, backend, self.ops, self.messages, self.video,
                           evidence=self.panels)
        window.logout_requested.connect(self.logout)
        window.closing.connect(self._window_closing)
        if self.args.demo:
            window.cameras_loaded.connect(self._fill_wall)
        self.video.tile_status_changed.connect(self._watch_live)
        self.window = window
        window.show()
        log.info("main window: menus %s; docks %s",
                 ", ".join(a.text().replace("&", "") for a in window.menuBar().actions()),
                 ", ".join(d.objectName() for d in window.findChildren(QDockWidget)
                           if not d.isHidden()))
        self.wall_windows.restore()  # the other screens' walls, as the last run left them
        window.load_cameras()

    def _fill_wall(self, cameras: list[Camera]) -> None:
        if self.window is None:
            return
        for camera in sorted(cameras, key=lambda c: c.id)[: len(self.window.wall.tiles)]:
            self.window.wall.add_camera(camera.id)

    def _watch_live(self, _tile_key: str, _status: object) -> None:
        """Log once when every occupied tile is live (the smoke test and the duty desk read it)."""
        if self.wall is None or self._live_reported:
            return
        keys = [self.wall.tile_key(i) for i, c in enumerate(self.wall.cells) if c is not None]
        live = [k for k in keys if self.video.status(k).state is StreamState.LIVE]
        if keys and len(live) == len(keys):
            self._live_reported = True
            log.info("wall live: %d/%d tiles", len(live), len(self.wall.cells))

    def logout(self) -> None:
        if self.window is None or self.wall is None:
            return
        self._logging_out = True
        if self.wall_windows is not None:
            self.wall_windows.close_all()  # saved: the next login brings them back
            self.wall_windows = None
        self.wall.clear_all()
        window, self.window, self.wall = self.window, None, None
        self._close_panels()
        self._close_ptz()
        self.video.tile_status_changed.disconnect(self._watch_live)
        self._live_reported = False
        window.close()
        window.deleteLater()
        self.ops.run(self.auth.logout, label="logout").success(lambda _r: self.show_login()) \
            .failure(lambda _e: self.show_login())

    def _close_panels(self) -> None:
        """Stop polling and downloads; cut the services off the window's panels (which are
        deleted with the window) so a reply still in flight reaches no deleted widget."""
        panels, self.panels = self.panels, None
        if panels is None:
            return
        panels.close()
        for service in (panels.bookmarks, panels.clips):
            service.disconnect(service)  # every connection of its signals

    def _close_ptz(self) -> None:
        ptz, self.ptz = self.ptz, None
        if ptz is not None:
            self.ops.run(ptz.a_close(), label="PTZ close")

    def _window_closing(self) -> None:
        if self._logging_out:
            self._logging_out = False
            return
        self.quit()

    def quit(self) -> None:
        """End the application (window closed, SIGTERM/SIGINT): first stop what we drive and
        release our PTZ leases (at most 3 s), since no camera may be left moving; the loop ends
        after that. A second request while closing quits at once."""
        ptz, self.ptz = self.ptz, None
        if ptz is None or not ptz.opened:
            self.app.quit()
            return
        self.ops.run(asyncio.wait_for(ptz.a_close(), 3.0), label="PTZ close") \
            .success(lambda _r: self.app.quit()).failure(lambda _e: self.app.quit())

    def shutdown(self) -> None:
        """Stop the tiles, report view_stop, end a session that was not remembered."""
        if self.joystick is not None:
            self.joystick.stop()
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
        self.video.shutdown()
        if not self.settings.load().remember_me:
            self.auth.logout()


def _install_signal_handlers(app: QApplication, loop_running: list[bool],
                             quit_app: Callable[[], None] | None = None) -> QTimer:
    """SIGINT/SIGTERM end the run through ``quit_app`` (``Client.quit``: PTZ stopped and released
    first), or ``app.quit`` when there is no client."""
    def request_quit(signum: int, _frame: object) -> None:
        log.info("signal %d: quitting", signum)
        if not loop_running[0]:
            # Still starting (e.g. waiting for the demo lab): abort; main()'s finally cleans up.
            raise KeyboardInterrupt
        QTimer.singleShot(0, quit_app or app.quit)

    signal.signal(signal.SIGINT, request_quit)
    signal.signal(signal.SIGTERM, request_quit)
    # Python runs signal handlers only when it gets control; Qt's loop is C++: wake it regularly.
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    return wake


def start_demo(demo: DemoStack, app: QApplication) -> None:
    """Start the demo's lab and backend under a splash, each step also printed in the terminal
    (the first start encodes the lab's clips: a minute on a loaded machine)."""
    splash = StartupSplash()
    splash.show()
    app.processEvents()
    printed = [""]

    def progress(step: DemoProgress) -> None:
        line = step.describe()
        if line != printed[0]:
            printed[0] = line
            print(f"iocwall: {line}", flush=True)
        splash.show_step(step.stage, step.done, step.total)

    try:
        demo.start(progress=progress)
    finally:
        splash.close()
        splash.deleteLater()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The tiles are native X windows (libvlc draws into them): never Wayland or offscreen.
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    if args.self_check:  # the URL comes on stdin: a camera password never on the command line
        url = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.readline().strip()
        return run_self_check(url or None, LIBRARY_CHECKS, VideoService)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    data = data_dir()
    settings = SettingsStore(data)
    saved = settings.load()
    server_url = args.server or saved.server_url
    language = args.lang or saved.language

    app = QApplication(sys.argv[:1])
    app.setApplicationName("iocwall")
    app.setQuitOnLastWindowClosed(False)
    translators = install_translators(app, language)
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    messages = MessageBridge()
    crash = CrashHandler(data, notify=messages.error)
    crash.install()
    ops = Ops(messages)
    loop_running = [False]
    client: Client | None = None

    def quit_app() -> None:
        if client is not None:
            client.quit()
        else:
            app.quit()

    wake = _install_signal_handlers(app, loop_running, quit_app)

    demo: DemoStack | None = None
    try:
        if args.demo and not backend_answers(server_url):
            demo = DemoStack(data, server_url, LabPorts(
                rtsp=args.lab_rtsp_port, onvif_base=args.lab_onvif_base_port,
                control=args.lab_control_port, cameras=args.lab_cameras))
            log.info("no backend at %s: starting the demo lab and backend", server_url)
            start_demo(demo, app)
        video = VideoService()
        auth = AuthService(settings, TokenStore())
        client = Client(app, args, settings, messages, ops, video, auth, server_url)
        client.start()
        loop_running[0] = True
        with loop:
            loop.run_forever()
        return 0
    except KeyboardInterrupt:
        log.info("interrupted while starting")
        return 130
    finally:
        loop_running[0] = False
        wake.stop()
        if client is not None:
            client.shutdown()
        if demo is not None:
            demo.stop()
        crash.uninstall()
        del translators
        log.info("iocwall stopped")


if __name__ == "__main__":
    sys.exit(main())
