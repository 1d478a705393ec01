"""The session context builds each logged-in user's services once, as the unit allows, knows every
wall's tiles, and stops everything it started."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.capabilities import Capabilities
from app.context import MAIN_WALL, Runtime, SessionContext
from app.credentials import TokenStore
from app.domain import Scope, Unit, User
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.video import VideoService
from common.vocabulary import UnitKind


def _user(kind: str) -> User:
    return User(1, "u", "U", "operator", Unit(1, "unit", kind, None), Scope(True, (), ()))


def test_capabilities_follow_the_unit_kind() -> None:
    desk = Capabilities.of(_user(UnitKind.OPERATING_UNIT))
    assert desk.cases and desk.open_cases and desk.incident_desk and desk.reports and desk.audit
    assert desk.decide_access and not desk.file_access and desk.access_requests
    assert desk.handovers  # the 24/7 duty's handover is the operating unit's (Art. 8.1, 15.1)
    # its administrators and leaders keep the duty roster (Art. 10.1, 15.2); its operators not
    assert not desk.keep_roster
    for role in ("admin", "leader"):
        keeper = User(1, "u", "U", role, Unit(1, "unit", UnitKind.OPERATING_UNIT, None),
                      Scope(True, (), ()))
        assert Capabilities.of(keeper).keep_roster, role
    police_leader = User(1, "u", "U", "leader", Unit(1, "unit", UnitKind.CITY_POLICE, None),
                         Scope(True, (), ()))
    assert not Capabilities.of(police_leader).keep_roster
    police = Capabilities.of(_user(UnitKind.CITY_POLICE))
    assert police.cases and not police.open_cases and not police.incident_desk
    assert not police.reports and not police.audit and not police.access_requests
    assert not police.handovers
    agency = Capabilities.of(_user(UnitKind.OTHER_AGENCY))
    assert agency.file_access and agency.access_requests and not agency.cases
    ward = Capabilities.of(_user(UnitKind.WARD_COMMITTEE))
    assert ward == Capabilities()


@pytest.fixture
def runtime(qapp: QApplication, tmp_path: Path, ops: Ops,
            messages: MessageBridge) -> Iterator[Runtime]:
    settings = SettingsStore(tmp_path)
    video = VideoService()
    running = Runtime(settings, messages, ops, video, AuthService(settings, TokenStore()),
                      tmp_path)
    try:
        yield running
    finally:
        video.shutdown()
        running.auth.logout()


def _context(runtime: Runtime, url: str, username: str) -> SessionContext:
    session = runtime.auth.login(url, username, "demo", False)
    return SessionContext(runtime, session, poll=False, joystick=False)


def test_the_services_follow_the_user_and_stop_with_the_session(
        runtime: Runtime, backend_url: str, qtbot: QtBot) -> None:
    desk = _context(runtime, backend_url, "ioc.operator")
    assert desk.cases is not None and desk.reports is not None and desk.audit is not None
    assert desk.access is not None and desk.public_cameras is not None
    assert desk.incidents.notify_new
    assert desk.duty.list is not None  # the desk follows the handovers
    assert desk.download_dir == runtime.data_dir / "clips"
    desk.start()
    assert desk.watcher.active and desk.health.active
    desk.close()
    assert not desk.watcher.active and not desk.health.active and not desk.clips.polling
    desk.close()  # a second close (window closed, then exit) does nothing more

    police = _context(runtime, backend_url, "police.commander")
    assert police.cases is not None
    assert police.reports is police.audit is police.access is police.public_cameras is None
    assert not police.incidents.notify_new
    assert police.duty.list is None  # who is on duty only
    police.close()


def test_camera_of_knows_every_wall_until_it_is_forgotten(runtime: Runtime,
                                                          backend_url: str) -> None:
    context = _context(runtime, backend_url, "ioc.operator")
    try:
        cameras = runtime.auth.cameras()
        other = context.new_wall("screen-1")
        assert context.walls == [context.wall, other]
        for controller in context.walls:
            controller.set_cameras(cameras)
        context.wall.assign(0, cameras[0].id)
        other.assign(1, cameras[1].id)
        assert context.camera_of(context.wall.tile_key(0)) == cameras[0].id
        assert context.camera_of(other.tile_key(1)) == cameras[1].id
        assert context.camera_of(other.tile_key(0)) is None  # an empty cell
        context.forget_wall("screen-1")
        context.forget_wall(MAIN_WALL)  # the main wall stays for the whole session
        assert context.walls == [context.wall]
        assert context.camera_of(other.tile_key(1)) is None
    finally:
        context.wall.clear_all()
        other.clear_all()
        context.close()
