"""PTZ brokered by the embedded gateway, for real: the backend with its lifespan, the lab's
ONVIF cameras behind the gateway, users with tokens from the routes, commands by hand (urllib
SOAP). Only the lease holder moves the camera; the gateway learns every change of holder from
the backend, and a restarted gateway learns them again."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from tests.gateway.helpers import wait_until
from tests.gateway.test_ptz_broker import continuous_move, soap
from tests.server.conftest import Backend
from tests.server.test_gateway_live import camera_of, live, supervisor_of  # noqa: F401

pytestmark = pytest.mark.lab

STOP = ('<Stop xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
        "<ProfileToken>Profile_Main</ProfileToken></Stop>")


def lease(backend: Backend, token: str, camera_id: int) -> Any:
    return backend.post(f"/cameras/{camera_id}/ptz/lease", token)


def command(access: dict[str, Any], operation: str) -> tuple[int, str]:
    assert access["host"] == "127.0.0.1"
    return soap(int(access["port"]), operation, access["token"])


def test_only_the_holder_moves_the_camera_and_the_others_see_who_holds_it(
        live: Backend, lab: Any) -> None:  # noqa: F811
    camera_id = camera_of(live, 0)
    seen: list[str] = []
    lab.on_onvif_request(0, seen.append)
    try:
        operator = live.login("ioc.operator")
        admin = live.login("ioc.admin")
        commander = live.login("police.commander")
        granted = lease(live, operator, camera_id)
        assert granted.status_code == 200, granted.text
        access = granted.json()["access"]
        assert access is not None and access["port"] == supervisor_of(live).process.ptz_port
        assert command(access, continuous_move(0.4))[0] == 200
        # same priority: queued, no access in the answer; its own read access moves nothing
        assert lease(live, admin, camera_id).status_code == 202
        reader = live.post(f"/cameras/{camera_id}/ptz/access", admin)
        assert reader.status_code == 201, reader.text
        status, body = command(reader.json(), continuous_move(-0.4))
        assert status == 400 and "PTZ held by Nguyễn Thị Hà (trực IOC)" in body
        assert seen.count("ContinuousMove") == 1
        # a commander preempts: the operator's token is worth nothing now
        taken = lease(live, commander, camera_id)
        assert taken.status_code == 200
        status, body = command(access, continuous_move(0.4))
        assert status == 400 and "PTZ held by Lê Quang Dũng" in body
        assert command(taken.json()["access"], STOP)[0] == 200
        # released: the lease passes to the administrator (queued), whose grant drives
        assert live.delete(f"/cameras/{camera_id}/ptz/lease", commander).status_code == 204
        status, body = command(taken.json()["access"], continuous_move(0.4))
        assert status == 400 and "PTZ held by Trần Văn Bình (quản trị IOC)" in body
        handed = lease(live, admin, camera_id)
        assert handed.status_code == 200
        assert command(handed.json()["access"], STOP)[0] == 200
        # the one move, the gateway's own Stop when the mover lost the lease, then the
        # commander's and the administrator's
        assert seen.count("ContinuousMove") == 1 and seen.count("Stop") == 3
    finally:
        lab.on_onvif_request(0, None)


def test_a_restarted_gateway_knows_the_holder_again(live: Backend) -> None:  # noqa: F811
    supervisor = supervisor_of(live)
    camera_id = camera_of(live, 0)
    operator = live.login("ioc.operator")
    granted = lease(live, operator, camera_id)
    assert granted.status_code == 200
    access = granted.json()["access"]
    pid = supervisor.pid
    assert pid is not None
    supervisor.ready.clear()
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: supervisor.ready.is_set() and supervisor.pid not in (None, pid), 20)
    # the same port, and the holder told again: the token from before the restart still drives
    assert command(access, STOP)[0] == 200
    status, body = command(live.post(f"/cameras/{camera_id}/ptz/access",
                                      live.login("police.officer")).json(), STOP)
    assert status == 400 and "PTZ held by Nguyễn Thị Hà (trực IOC)" in body


def test_no_onvif_secret_reaches_a_client_or_the_gateways_stdin(
        live: Backend, lab: Any) -> None:  # noqa: F811
    token = live.login("ioc.operator")
    camera_id = camera_of(live, 0)
    config = supervisor_of(live)._configuration()
    secrets = [cam.onvif_password for cam in lab.cameras if cam.onvif_password]
    assert config["ptz_cameras"] and all("sealed_password" in e and "password" not in e
                                         for e in config["ptz_cameras"])
    answers = str(live.get(f"/cameras/{camera_id}", token).json()) + \
        lease(live, token, camera_id).text + \
        live.post(f"/cameras/{camera_id}/ptz/access", token).text
    for secret in secrets:
        assert secret not in str(config) and secret not in answers
    assert str(lab.cameras[0].onvif_port) not in answers


def test_a_deactivated_holder_is_cut_from_ptz_at_once(live: Backend) -> None:  # noqa: F811
    camera_id = camera_of(live, 0)
    holder = live.login("ward.dongphu.police")
    granted = lease(live, holder, camera_id)
    assert granted.status_code == 200, granted.text
    access = granted.json()["access"]
    assert command(access, continuous_move(0.2))[0] == 200
    me = live.get("/me", holder).json()
    assert live.post(f"/admin/users/{me['id']}/deactivate",
                     live.login("ioc.admin")).status_code == 204
    status, body = command(access, STOP)
    assert status == 400 and "NotAuthorized" in body
