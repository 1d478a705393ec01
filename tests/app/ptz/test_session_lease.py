"""PtzSession + PtzLease against the real backend (leases) and the lab (ONVIF over HTTP).

Two users on one camera: ioc.operator drives; police.commander preempts and the operator's
session stops the camera; ioc.admin (same priority as the operator) queues and gets the camera
when the operator releases. Waiting is done with qtbot.waitUntil on observable state, never on
time.
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.ops import Ops
from app.ptz.base import PtzError, PtzErrorKind, Velocity
from app.ptz.lease import LeaseApi, LeaseStatus, PtzLease
from app.ptz.onvif_controller import OnvifPtzController
from app.ptz.session import PtzSession
from lab import Lab
from tests.app.ptz.conftest import run_on
from tests.app.ptz.fakes import RecordingController
from tests.gateway.helpers import wait_until

pytestmark = pytest.mark.lab

CAM = 0  # lab index of the PTZ camera the users fight over
FAST_RENEW = 0.2  # seconds between renewals in these tests (the product renews every 4 s)


@pytest.fixture(scope="module")
def server(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from server.testing import start_test_server, stop_test_server

    url, process = start_test_server(tmp_path_factory.mktemp("ptz-backend") / "data",
                                     Path(lab.manifest_path))
    try:
        yield url
    finally:
        stop_test_server(process)


def login(server: str, username: str) -> BackendClient:
    client = BackendClient(server)
    client.login(username, "demo")
    return client


@pytest.fixture(scope="module")
def camera_id(server: str, lab: Lab) -> int:
    """The PTZ camera's id, once the backend's embedded gateway brokers its PTZ."""
    client = login(server, "ioc.operator")
    try:
        name = lab.cameras[CAM].name
        found = next(c.id for c in client.cameras() if c.name == name)
        assert client.session is not None
        request = urllib.request.Request(
            f"{server}/api/v1/cameras/{found}/ptz/access", method="POST",
            headers={"Authorization": f"Bearer {client.session.access_token}"})

        def brokered() -> bool:
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
                    return bool(answer.status == 201)
            except urllib.error.HTTPError as err:
                assert err.code == 503, err  # the gateway is still starting
                return False

        assert wait_until(brokered, 30), "the backend's gateway never brokered PTZ"
        return found
    finally:
        client.close()


class User:
    """One logged-in client with a session on the camera (real lease, real ONVIF)."""

    def __init__(self, server: str, username: str, camera_id: int, ops: Ops, qtbot: QtBot,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.backend = login(server, username)
        self.api = LeaseApi(self.backend)
        self.qtbot = qtbot
        self.loop = loop
        self.lease = PtzLease(self.api, camera_id, renew_interval_s=FAST_RENEW,
                              poll_interval_s=FAST_RENEW)
        # the camera's ONVIF through the backend's embedded gateway, as sessions.py does
        access = run_on(qtbot, loop, self.lease.access())
        self.controller = OnvifPtzController(access.host, access.port, access.token,
                                             access.token, label=username,
                                             credentials=self.lease.credentials)
        self.session = PtzSession(self.controller, self.lease, ops, label=username)
        self.errors: list[PtzError] = []
        self.lost: list[str] = []
        self.session.error.connect(self.errors.append)
        self.session.lease_lost.connect(self.lost.append)
        run_on(qtbot, loop, self.session.a_connect())

    def close(self) -> None:
        run_on(self.qtbot, self.loop, self.session.a_close())
        run_on(self.qtbot, self.loop, self.api.close())
        self.backend.close()


@pytest.fixture
def users(server: str, camera_id: int, ops: Ops, qtbot: QtBot,
          qloop: asyncio.AbstractEventLoop, lab: Lab) -> Iterator[dict[str, User]]:
    made: dict[str, User] = {}

    def make(username: str) -> User:
        made[username] = User(server, username, camera_id, ops, qtbot, qloop)
        return made[username]

    yield make  # type: ignore[misc]
    for user in made.values():
        user.close()


def wait_moving(qtbot: QtBot, lab: Lab, index: int = CAM) -> None:
    start = lab.ptz_position(index)
    qtbot.waitUntil(lambda: lab.ptz_position(index) != start, timeout=10000)


def wait_still(qtbot: QtBot, lab: Lab, index: int = CAM) -> None:
    """The head stopped: two reads a Qt event-loop turn apart are equal (the lab's position is
    a function of time while a velocity is set)."""
    last = [lab.ptz_position(index)]

    def still() -> bool:
        now = lab.ptz_position(index)
        same = now == last[0]
        last[0] = now
        return same and lab.ptz_position(index) == now

    qtbot.waitUntil(still, timeout=10000)


def centre(qtbot: QtBot, loop: asyncio.AbstractEventLoop, user: User) -> None:
    run_on(qtbot, loop, user.lease.ensure())
    run_on(qtbot, loop, user.controller.absolute_move(0.0, 0.0, 0.0))


def test_move_then_release_sends_stop(users, lab: Lab, qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    op = users("ioc.operator")
    centre(qtbot, qloop, op)
    op.session.move_direction(1, 0)
    wait_moving(qtbot, lab)
    assert op.lease.state.status is LeaseStatus.GRANTED
    op.session.stop()
    wait_still(qtbot, lab)
    assert lab.ptz_position(CAM)[0] > 0.0
    assert op.errors == []


def test_focus_loss_and_window_deactivation_stop(users, lab: Lab, qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    op = users("ioc.operator")
    centre(qtbot, qloop, op)
    op.session.move_direction(0, 1)
    wait_moving(qtbot, lab)
    op.session.focus_lost()
    wait_still(qtbot, lab)
    op.session.move_direction(0, -1)
    wait_moving(qtbot, lab)
    op.session.window_deactivated()
    wait_still(qtbot, lab)
    assert op.errors == []


def test_commander_preempts_operator_whose_session_stops_the_camera(
        users, lab: Lab, qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    op = users("ioc.operator")
    boss = users("police.commander")
    centre(qtbot, qloop, op)
    op.session.move_direction(1, 1)
    wait_moving(qtbot, lab)
    # The commander takes the camera (no motion of their own yet).
    granted = run_on(qtbot, qloop, boss.lease.ensure())
    assert granted.status is LeaseStatus.GRANTED
    qtbot.waitUntil(lambda: bool(op.lost), timeout=10000)
    assert op.lost[0].startswith("PTZ taken by ")
    assert boss.backend.session is not None
    assert boss.backend.session.user.full_name in op.lost[0]
    wait_still(qtbot, lab)  # the gateway stopped what the operator left moving
    assert op.errors == []  # its own Stop, refused (the camera is the commander's), is no error
    # The loser sends nothing but Stop any more: a move is refused without a lease.
    seen: list[str] = []
    lab.on_onvif_request(CAM, seen.append)
    try:
        with pytest.raises(PtzError) as err:
            run_on(qtbot, qloop, op.session.a_move(Velocity(pan=1.0)))
        assert err.value.kind is PtzErrorKind.NO_LEASE
        assert "ContinuousMove" not in seen
    finally:
        lab.on_onvif_request(CAM, None)
    # The commander drives.
    run_on(qtbot, qloop, boss.session.a_goto_home())


def test_equal_priority_waits_in_the_queue_until_release(
        users, lab: Lab, qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    op = users("ioc.operator")
    admin = users("ioc.admin")
    centre(qtbot, qloop, op)
    with pytest.raises(PtzError) as err:
        run_on(qtbot, qloop, admin.session.a_goto_home())
    assert err.value.kind is PtzErrorKind.NO_LEASE
    assert "queue" in str(err.value)
    assert admin.lease.state.status is LeaseStatus.QUEUED
    assert admin.lease.state.position == 1
    # its controller, past its own lease check, is refused by the gateway: not the holder
    before = lab.ptz_position(CAM)
    with pytest.raises(PtzError) as refused:
        run_on(qtbot, qloop, admin.controller.continuous_move(Velocity(pan=1.0)))
    assert refused.value.kind is PtzErrorKind.NO_LEASE
    assert "PTZ held by Nguyễn Thị Hà (trực IOC)" in str(refused.value)
    assert lab.ptz_position(CAM) == before
    run_on(qtbot, qloop, op.lease.release())
    # The admin's client keeps polling and becomes the holder.
    qtbot.waitUntil(lambda: admin.lease.state.status is LeaseStatus.GRANTED, timeout=10000)
    run_on(qtbot, qloop, admin.session.a_goto_home())
    assert op.lost == []  # a voluntary release is not a loss


def test_no_lease_for_a_user_without_ptz(server: str, camera_id: int, ops: Ops,
                                         qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    backend = login(server, "agency.viewer")
    api = LeaseApi(backend)
    fake = RecordingController()
    session = PtzSession(fake, PtzLease(api, camera_id), ops)
    try:
        with pytest.raises(PtzError) as err:
            run_on(qtbot, qloop, session.a_move(Velocity(pan=1.0)))
        assert err.value.kind is PtzErrorKind.NO_LEASE
        assert "move" not in fake.names()
    finally:
        run_on(qtbot, qloop, api.close())
        backend.close()


def test_lease_that_cannot_be_renewed_expires_and_stops(ops: Ops, qtbot: QtBot,
                                                        qloop) -> None:  # type: ignore[no-untyped-def]
    """The backend becomes unreachable while driving: after the 15 s TTL (fake clock) the
    session declares the lease lost and sends Stop."""
    from app.ptz.lease import LeaseState

    class Backend:
        server_url = "http://127.0.0.1:9"  # nothing listens there

        class session:  # noqa: N801
            access_token = "t"

    now = [0.0]
    api = LeaseApi(Backend())  # type: ignore[arg-type]
    lease = PtzLease(api, 1, renew_interval_s=0.01, clock=lambda: now[0])
    fake = RecordingController()
    session = PtzSession(fake, lease, ops)
    lost: list[str] = []
    session.lease_lost.connect(lost.append)
    lease._set(LeaseState(1, LeaseStatus.GRANTED))  # granted a moment ago
    run_on(qtbot, qloop, session.a_move(Velocity(pan=1.0)))
    run_on(qtbot, qloop, session.mover.drain())
    assert fake.names() == ["move"]
    lease._start_keeper()
    qtbot.waitUntil(lambda: lease.state.status is LeaseStatus.GRANTED, timeout=2000)
    now[0] = 16.0  # past LEASE_TTL with every renewal failing
    qtbot.waitUntil(lambda: bool(lost), timeout=10000)
    assert "expired" in lost[0]
    qtbot.waitUntil(lambda: fake.names()[-1:] == ["stop"], timeout=5000)
    run_on(qtbot, qloop, api.close())


def test_patrol_visits_its_presets_until_manual_input_stops_it(
        users, lab: Lab, qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    from app.ptz.base import Patrol, PatrolStop

    op = users("ioc.operator")
    centre(qtbot, qloop, op)
    tokens = []
    for pan in (-0.5, 0.5):
        run_on(qtbot, qloop, op.controller.absolute_move(pan, 0.0, 0.0))
        qtbot.waitUntil(lambda pan=pan: abs(lab.ptz_position(CAM)[0] - pan) < 0.01,
                        timeout=5000)
        tokens.append(run_on(qtbot, qloop, op.controller.save_preset(f"patrol {pan:+.1f}")))
    try:
        visits: list[float] = [0.5]  # where the head is (the second preset was saved last)

        def record() -> bool:
            pan = round(lab.ptz_position(CAM)[0], 2)
            if pan in (-0.5, 0.5) and (not visits or visits[-1] != pan):
                visits.append(pan)
            return len(visits) >= 4  # then -0.5, +0.5, -0.5: it goes round and loops

        op.session.start_patrol(Patrol("test", tuple(PatrolStop(t, 0.4) for t in tokens)))
        assert op.session.patrolling
        qtbot.waitUntil(record, timeout=15000)
        assert visits[:4] == [0.5, -0.5, 0.5, -0.5]
        op.session.move_direction(0, 1)  # any manual input ends the patrol
        qtbot.waitUntil(lambda: not op.session.patrolling, timeout=5000)
        wait_moving(qtbot, lab)
        op.session.stop()
        wait_still(qtbot, lab)
        assert op.errors == []
    finally:
        for token in tokens:
            run_on(qtbot, qloop, op.controller.remove_preset(token))


def test_the_product_opens_a_session_through_the_gateway_and_drives(
        server: str, camera_id: int, lab: Lab, ops: Ops, qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    """``PtzSessions.open`` as the wall does it: no ONVIF address nor password from the backend,
    the camera driven through the gateway's broker."""
    from app.ptz.sessions import PtzSessions

    backend = login(server, "ioc.operator")
    sessions = PtzSessions(backend, ops)
    try:
        camera = next(c for c in backend.cameras() if c.id == camera_id)
        session = run_on(qtbot, qloop, sessions.open(camera))
        controller = session.controller
        assert isinstance(controller, OnvifPtzController)
        assert controller.port != lab.cameras[CAM].onvif_port
        assert session.capabilities.probed and session.capabilities.presets
        run_on(qtbot, qloop, session.a_move(Velocity(pan=-1.0)))
        wait_moving(qtbot, lab)
        run_on(qtbot, qloop, session.a_stop())
        wait_still(qtbot, lab)
    finally:
        run_on(qtbot, qloop, sessions.a_close())
        backend.close()


def test_the_access_is_reused_while_it_lives_and_a_grants_one_wins(qtbot: QtBot, qloop) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from app.ptz.base import LeaseState
    from common.records import PtzAccess

    def access(token: str, seconds: float = 15) -> PtzAccess:
        return PtzAccess("127.0.0.1", 8556, token, datetime.now(UTC) + timedelta(seconds=seconds))

    class Api:
        asked = 0

        async def onvif_endpoint(self, camera_id: int) -> PtzAccess:
            self.asked += 1
            return access(f"asked-{self.asked}")

    now = [0.0]
    api = Api()
    lease = PtzLease(api, 1, clock=lambda: now[0])  # type: ignore[arg-type]
    assert run_on(qtbot, qloop, lease.credentials()) == ("asked-1", "asked-1")
    now[0] = 12.0  # 13 s of its 15 left
    assert run_on(qtbot, qloop, lease.credentials())[0] == "asked-1"
    now[0] = 13.5  # under the margin: asked again
    assert run_on(qtbot, qloop, lease.credentials())[0] == "asked-2"
    lease._set(LeaseState(1, LeaseStatus.GRANTED, access=access("granted")))
    assert run_on(qtbot, qloop, lease.credentials())[0] == "granted" and api.asked == 2
