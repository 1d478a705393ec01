"""The client process: the Qt application with its asyncio loop (qasync), translations and theme,
the crash handler, the demo stack under a splash when asked, signals, and an orderly end."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.auth import AuthService
from app.context import Runtime
from app.crash import CrashHandler
from app.credentials import TokenStore
from app.demo import DemoProgress, DemoStack, LabPorts, backend_answers, demo_site_ca
from app.errors import BackendError
from app.i18n import install_translators
from app.messages import MessageBridge
from app.ops import Ops
from app.self_check import LIBRARY_CHECKS
from app.settings import SettingsStore, data_dir
from app.trust import TrustStore
from app.video import VideoService
from shell.client import Client
from widgets.self_check import run_self_check
from widgets.splash import StartupSplash
from widgets.theme import apply_theme

log = logging.getLogger("iocwall.main")


def install_signal_handlers(app: QApplication, loop_running: list[bool],
                            quit_app: Callable[[], None] | None = None) -> QTimer:
    """SIGINT/SIGTERM end the run through ``quit_app`` (``Client.quit``: PTZ stopped and released
    first), or ``app.quit`` when there is no client."""
    def request_quit(signum: int, _frame: object) -> None:
        log.info("signal %d: quitting", signum)
        if not loop_running[0]:
            # Still starting (e.g. waiting for the demo lab): abort; run()'s finally cleans up.
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


def self_check(url: str | None) -> int:
    """``--self-check``: Qt, libvlc, PyAV and ONVIF load, and ``url`` plays in a tile."""
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    return run_self_check(url, LIBRARY_CHECKS, VideoService)


def run(args: argparse.Namespace) -> int:
    """The client until its window closes (or a signal); the exit status."""
    # The tiles are native X windows (libvlc draws into them): never Wayland or offscreen.
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
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

    wake = install_signal_handlers(app, loop_running, quit_app)

    trust = TrustStore(data)
    demo: DemoStack | None = None
    try:
        if args.ca_file is not None:
            try:
                trust.import_file(server_url, args.ca_file)
            except BackendError as err:
                print(f"iocwall: --ca-file: {err}", file=sys.stderr)
                return 2
        if args.demo and not backend_answers(server_url, ca_file=demo_site_ca(data)):
            demo = DemoStack(data, server_url, LabPorts(
                rtsp=args.lab_rtsp_port, onvif_base=args.lab_onvif_base_port,
                control=args.lab_control_port, cameras=args.lab_cameras))
            log.info("no backend at %s: starting the demo lab and backend", server_url)
            start_demo(demo, app)
        if args.demo and demo_site_ca(data).is_file():
            # the demo backend is ours (this data dir's): its CA needs no question
            trust.import_file(server_url, demo_site_ca(data))
        runtime = Runtime(settings, messages, ops, VideoService(),
                          AuthService(settings, TokenStore(), trust=trust), data)
        client = Client(app, args, runtime, server_url)
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
