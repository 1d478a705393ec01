"""The one place the client's services are built.

:class:`Runtime` holds what lives as long as the process (settings, the message bridge, ops, the
video service, login); :class:`SessionContext` builds every service of one logged-in user once —
the walls' controllers, saved layouts, evidence, operations, administration, PTZ — starts them,
and stops them at logout. Widgets receive the services they need through their constructors and
build none themselves (the shell, ``shell/``, composes the windows from a context).

Which services exist follows the user's unit (:class:`app.capabilities.Capabilities`); the
server stays the authority over every action.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject

from app.access_requests import AccessRequestService
from app.admin import AdminService
from app.audit_log import AuditLogService
from app.auth import AuthService
from app.backend import BackendClient
from app.bookmarks import BookmarkService
from app.camera_directory import CameraDirectory
from app.capabilities import Capabilities
from app.cases import CaseService
from app.clip_player import ClipPlayer
from app.clips import ClipService
from app.domain import Session
from app.duty import DutyService
from app.health_reports import HealthReporter
from app.incidents import IncidentService, OfflineWatcher
from app.layout_store import LayoutCache, LayoutLibrary
from app.messages import MessageBridge
from app.ops import Ops
from app.ptz.joystick_sdl import JoystickPump
from app.ptz.sessions import PtzSessions, start_joystick
from app.public_cameras import PublicCameraService
from app.publications import PublicationService
from app.reports import ReportService
from app.server_watch import ServerWatch
from app.settings import SettingsStore
from app.video import VideoService
from app.wall import CellKind, WallController

log = logging.getLogger("iocwall.context")

MAIN_WALL = "wall"  # the main window's wall: its tile keys are "wall:<cell>"


@dataclass
class Runtime:
    """The process-wide services, built once by the shell at start."""

    settings: SettingsStore
    messages: MessageBridge
    ops: Ops
    video: VideoService
    auth: AuthService
    data_dir: Path
    joystick: JoystickPump | None = None
    _joystick_tried: bool = field(default=False, repr=False)

    def joystick_pump(self) -> JoystickPump | None:
        """The USB joystick pump, started at the first login (SDL costs ≈ 0.1 s) and kept."""
        if not self._joystick_tried:
            self._joystick_tried = True
            self.joystick = start_joystick()
        return self.joystick

    def stop(self) -> None:
        if self.joystick is not None:
            self.joystick.stop()


def layout_library(backend: BackendClient, session: Session, ops: Ops, messages: MessageBridge,
                   settings: SettingsStore, parent: QObject | None = None) -> LayoutLibrary:
    """The user's saved layouts on the server, with the local copy used when it cannot answer."""
    cache = LayoutCache(settings.path.parent, session.server_url, session.user.username)
    return LayoutLibrary(backend, ops, messages, cache, parent)


class SessionContext(QObject):
    """Every service of one logged-in user. Built after login, :meth:`start`-ed once the windows
    are connected, :meth:`close`-d at logout or exit; Qt parent of the services, so that pending
    work addressed to them is dropped with it."""

    def __init__(self, runtime: Runtime, session: Session, *, poll: bool = True,
                 joystick: bool = True) -> None:
        super().__init__()
        backend = runtime.auth.client
        if backend is None or backend.session is None:
            raise RuntimeError("a session context needs a logged-in backend client")
        self.runtime = runtime
        self.session = session
        self.backend = backend
        self.poll = poll
        self.capabilities = Capabilities.of(session.user)
        ops, messages, video = runtime.ops, runtime.messages, runtime.video
        # the CA pinned for this server checks its gateways too (RTSPS, PTZ over HTTPS)
        video.trust_site_ca(str(backend.ca_file) if backend.ca_file is not None else None)
        self.closed = False

        # the cameras this user may see, followed while the wall runs
        self.cameras = CameraDirectory(runtime.auth.cameras, ops, self)
        self.server = ServerWatch(backend, ops, messages, self)

        # the walls: the main window's and one per wall window on another screen
        self._walls: dict[str, WallController] = {}
        self.wall = self.new_wall(MAIN_WALL)
        self.layouts = layout_library(backend, session, ops, messages, runtime.settings, self)

        # evidence (every user); no Qt parent: replies still in flight at logout reach a live
        # (disconnected) service, whatever happens to the context
        self.bookmarks = BookmarkService(backend, ops, messages)
        self.clips = ClipService(backend, ops, messages, user=session.user)
        self.clip_player = ClipPlayer()
        self.download_dir = runtime.data_dir / "clips"
        self.letter_dir = runtime.data_dir / "letters"

        # operations: every client watches its tiles; the desk handles incidents
        caps = self.capabilities
        self.incidents = IncidentService(backend, ops, messages, self,
                                         notify_new=caps.incident_desk)
        # who is on duty (every user: faults go to the duty desk); the desk's handovers
        self.duty = DutyService(backend, ops, messages, self, handovers=caps.handovers)
        self.watcher = OfflineWatcher(backend, ops, messages, video, self.camera_of, parent=self)
        self.health = HealthReporter(backend, ops, video, self.camera_of, parent=self)
        self.cases = CaseService(backend, ops, messages, self) if caps.cases else None
        self.public_cameras = (PublicCameraService(backend, ops, messages, self)
                               if caps.public_cameras else None)
        # the operating unit proposes, reviews and approves publications (Art. 14)
        self.publications = (PublicationService(backend, ops, messages, self)
                             if caps.public_cameras else None)

        # administration
        self.reports = ReportService(backend, ops, messages, self) if caps.reports else None
        self.access = (AccessRequestService(backend, ops, messages, self)
                       if caps.access_requests else None)
        self.audit = AuditLogService(backend, ops, messages, self) if caps.audit else None
        # site administration: wards, units, accounts, cameras (the Administration window)
        self.admin = (AdminService(backend, ops, messages, video, self)
                      if caps.administer else None)

        # PTZ over ONVIF with the backend's lease
        self.ptz = PtzSessions(backend, ops, runtime.joystick_pump() if joystick else None)

    # -- walls ----------------------------------------------------------------------------------
    def new_wall(self, key: str) -> WallController:
        """A wall controller whose tile keys start with ``key`` (the main wall, or a wall window
        on another screen), known to the watchers until :meth:`forget_wall`."""
        runtime = self.runtime
        controller = WallController(runtime.video, runtime.ops, runtime.messages,
                                    audit=runtime.auth, key_prefix=key,
                                    sessions=self.backend.stream_session_url)
        self._walls[key] = controller
        return controller

    def forget_wall(self, key: str) -> None:
        if key != MAIN_WALL:
            self._walls.pop(key, None)

    @property
    def walls(self) -> list[WallController]:
        return list(self._walls.values())

    def camera_of(self, tile_key: str) -> int | None:
        """The camera a tile of any wall shows now (None: none, or not a camera)."""
        for controller in self._walls.values():
            cell = controller.cell_of_tile_key(tile_key)
            if cell is not None:
                state = controller.cell(cell)
                return state.camera_id if state.kind is CellKind.CAMERA else None
        return None

    # -- life -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start watching the tiles and polling the lists this user sees."""
        self.watcher.start()
        self.health.start()
        self.bookmarks.refresh()
        if self.poll:
            self.cameras.start()
            self.server.start()
            self.clips.start_polling()
            self.duty.start()
            if self.capabilities.incident_desk:
                self.incidents.start_polling()
            if self.cases is not None:
                self.cases.start_polling()
            if self.publications is not None:
                self.publications.start_polling()
            if self.access is not None:
                self.access.start_polling()
        elif self.access is not None:
            self.access.refresh()

    def close(self) -> None:
        """Stop polling, watching and downloads; send the health intervals measured so far. The
        PTZ sessions are closed by the shell (they need the loop: :meth:`PtzSessions.a_close`)."""
        if self.closed:
            return
        self.closed = True
        self.health.flush_all()
        self.health.stop()
        self.watcher.stop()
        self.cameras.stop()
        self.server.stop()
        self.incidents.stop_polling()
        self.duty.stop()
        if self.cases is not None:
            self.cases.stop_polling()
        if self.publications is not None:
            self.publications.stop_polling()
        if self.access is not None:
            self.access.stop()
        self.clips.stop_polling()
        for job in list(self.clips.downloads.values()):
            job.cancel()
        self.clip_player.stop()
        for service in (self.bookmarks, self.clips):
            service.disconnect(service)  # every connection of its signals: no reply reaches a
            # deleted panel
        log.info("services of %s stopped", self.session.user.username)
