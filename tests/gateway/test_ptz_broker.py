"""The gateway's PTZ broker, for real: the lab's ONVIF cameras behind a gateway process, the
product's ONVIF controller (onvif-zeep-async) and hand-made SOAP in front of it. Only the lease
holder moves a camera; nobody reaches an operation outside the whitelist; the camera's ONVIF
password stays in the gateway."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.ptz.base import PtzError, PtzErrorKind, Velocity
from app.ptz.onvif_controller import OnvifPtzController
from common.ptz_tokens import PtzToken, encode
from gateway.process import GatewayProcess
from lab import Lab
from tests.gateway.helpers import camera_id, gateway_config, wait_until
from tests.gateway.test_sealed import seal

pytestmark = pytest.mark.lab

CAM, OTHER = 0, 3  # the lab's PTZ cameras
DRIVER = (7, "ioc.operator", "Trần Thị Bình")
BYSTANDER = (8, "ward.police", "Lê Văn Cường")
SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"


def ptz_entries(lab: Lab) -> list[dict[str, Any]]:
    return [{"camera_id": camera_id(cam), "host": cam.onvif_host, "port": cam.onvif_port,
             "username": cam.onvif_username, "password": cam.onvif_password, "name": cam.name}
            for cam in lab.cameras if cam.ptz]


@pytest.fixture(scope="module")
def broker(lab: Lab, signing_key: Ed25519PrivateKey) -> Iterator[GatewayProcess]:
    config = gateway_config(lab, signing_key)
    config["ptz_cameras"] = ptz_entries(lab)
    with GatewayProcess(config) as running:
        yield running


@pytest.fixture
def seen(lab: Lab) -> Iterator[list[str]]:
    """The ONVIF actions the lab's camera CAM receives during the test."""
    actions: list[str] = []
    lab.on_onvif_request(CAM, actions.append)
    yield actions
    lab.on_onvif_request(CAM, None)
    lab.set_clock_skew(CAM, 0)
    lab.advertise_onvif_host(CAM, None)


def token(key: Ed25519PrivateKey, user: tuple[int, str, str], camera: int, *,
          lifetime: int = 15, issued_at: int | None = None) -> str:
    issued = int(time.time()) - 1 if issued_at is None else issued_at
    return encode(PtzToken(user_id=user[0], username=user[1], camera_id=camera,
                           issued_at=issued, expires_at=issued + lifetime), key.sign)


def hold(gateway: GatewayProcess, camera: int, user: tuple[int, str, str] | None,
         seconds: float = 15) -> None:
    gateway.set_ptz_holder(camera, None if user is None else {
        "user_id": user[0], "username": user[1], "full_name": user[2],
        "until": time.time() + seconds})


def controller(gateway: GatewayProcess, text: str) -> OnvifPtzController:
    return OnvifPtzController("127.0.0.1", gateway.ptz_port, text, text, label="via gateway")


def soap(gateway: GatewayProcess | int, operation: str, username: str | None = None, *,
         password: str | None = None, service: str = "ptz_service") -> tuple[int, str]:
    """A hand-made SOAP 1.2 request (urllib) to a gateway's PTZ port, signed like any ONVIF
    client signs it."""
    port = gateway if isinstance(gateway, int) else gateway.ptz_port
    header = ""
    if username is not None:
        nonce = os.urandom(16)
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        digest = base64.b64encode(hashlib.sha1(
            nonce + created.encode() + (password or username).encode()).digest()).decode()
        header = (f'<s:Header><wsse:Security xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}">'
                  f"<wsse:UsernameToken><wsse:Username>{username}</wsse:Username>"
                  '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-'
                  f'wss-username-token-profile-1.0#PasswordDigest">{digest}</wsse:Password>'
                  f"<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce>"
                  f"<wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>"
                  "</s:Header>")
    data = (f'<?xml version="1.0"?><s:Envelope xmlns:s="{SOAP_ENV}">{header}<s:Body>'
            f"{operation}</s:Body></s:Envelope>").encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/onvif/{service}", data=data, method="POST",
        headers={"Content-Type": "application/soap+xml; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def continuous_move(pan: float) -> str:
    return ('<ContinuousMove xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
            "<ProfileToken>Profile_Main</ProfileToken><Velocity>"
            f'<PanTilt xmlns="http://www.onvif.org/ver10/schema" x="{pan}" y="0"/>'
            "</Velocity></ContinuousMove>")


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 30))


def test_the_holder_drives_the_camera_through_the_gateway_with_the_product_controller(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)

    async def go() -> None:
        ptz = controller(broker, token(signing_key, DRIVER, camera))
        try:
            caps = await ptz.connect()
            assert caps.probed and caps.continuous and caps.absolute and caps.presets
            await ptz.absolute_move(0.0, 0.0, 0.0)
            await ptz.continuous_move(Velocity(1.0, 0.0, 0.0))
            while lab.ptz_position(CAM)[0] <= 0.05:
                await asyncio.sleep(0.02)
            await ptz.stop()
            stopped = await ptz.status()
            assert not stopped.moving and stopped.pan > 0.05
            preset = await ptz.save_preset("Cổng chợ")
            assert any(p.token == preset for p in await ptz.presets())
            await ptz.goto_home()
            await ptz.remove_preset(preset)
        finally:
            await ptz.close()

    run(go())
    # the camera heard every command, from the gateway (the client never had its address)
    assert {"ContinuousMove", "Stop", "AbsoluteMove", "SetPreset", "GotoHomePosition"} <= set(seen)
    logs = "\n".join(broker.stderr_lines)
    assert not any(cam.onvif_password and cam.onvif_password in logs for cam in lab.cameras)


def test_someone_else_is_refused_with_the_holders_name_and_the_camera_hears_nothing(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)

    async def go() -> PtzError:
        ptz = controller(broker, token(signing_key, BYSTANDER, camera))
        try:
            await ptz.connect()  # reading the camera needs no lease
            with pytest.raises(PtzError) as refused:
                await ptz.continuous_move(Velocity(1.0, 0.0, 0.0))
            return refused.value
        finally:
            await ptz.close()

    error = run(go())
    assert error.kind is PtzErrorKind.NO_LEASE
    assert "PTZ held by Trần Thị Bình" in str(error)
    assert "ContinuousMove" not in seen and "GetProfiles" in seen


def test_a_raw_soap_command_without_the_lease_is_refused(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)
    before = lab.ptz_position(CAM)
    status, body = soap(broker, continuous_move(1.0), token(signing_key, BYSTANDER, camera))
    assert status == 400 and "PtzNotHolder" in body and "PTZ held by Trần Thị Bình" in body
    # without any login, with a token signed by another key, with a wrong digest
    stranger = Ed25519PrivateKey.generate()
    for username, password in ((None, None), (token(stranger, DRIVER, camera), None),
                               (token(signing_key, DRIVER, camera), "guess")):
        status, body = soap(broker, continuous_move(1.0), username, password=password)
        assert status == 400 and "NotAuthorized" in body, body
    assert "ContinuousMove" not in seen and lab.ptz_position(CAM) == before
    # the holder's own hand-made request goes through
    status, body = soap(broker, continuous_move(0.5), token(signing_key, DRIVER, camera))
    assert status == 200, body
    status, body = soap(broker, '<Stop xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                        "<ProfileToken>Profile_Main</ProfileToken></Stop>",
                        token(signing_key, DRIVER, camera))
    assert status == 200 and seen.count("ContinuousMove") == 1


def test_operations_outside_the_whitelist_are_refused_even_for_the_holder(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)
    holder = token(signing_key, DRIVER, camera)
    device = "http://www.onvif.org/ver10/device/wsdl"
    for operation in (f'<SystemReboot xmlns="{device}"/>',
                      f'<CreateUsers xmlns="{device}"><User><Username>x</Username>'
                      "<Password>y</Password><UserLevel>Administrator</UserLevel></User>"
                      "</CreateUsers>",
                      f'<SetSystemDateAndTime xmlns="{device}"><DateTimeType>Manual'
                      "</DateTimeType><DaylightSavings>false</DaylightSavings>"
                      "</SetSystemDateAndTime>",
                      f'<SetNetworkInterfaces xmlns="{device}"/>',
                      '<GetStreamUri xmlns="http://www.onvif.org/ver10/media/wsdl"/>',
                      # a PTZ name in another service's namespace is not the PTZ command
                      f'<Stop xmlns="{device}"/>'):
        status, body = soap(broker, operation, holder, service="device_service")
        assert status == 500 and "ActionNotSupported" in body, operation
    assert seen == []


def test_service_addresses_are_the_gateways_and_the_camera_is_called_where_configured(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    lab.advertise_onvif_host(CAM, "192.0.2.7")  # what a camera behind NAT says
    camera = camera_id(lab.cameras[CAM])
    status, body = soap(broker, '<GetServices xmlns="http://www.onvif.org/ver10/device/wsdl">'
                        "<IncludeCapability>false</IncludeCapability></GetServices>",
                        token(signing_key, BYSTANDER, camera), service="device_service")
    assert status == 200, body
    assert "192.0.2.7" not in body and str(lab.cameras[CAM].onvif_port) not in body
    assert f"http://127.0.0.1:{broker.ptz_port}/onvif/ptz_service" in body
    status, body = soap(broker, '<GetCapabilities xmlns="http://www.onvif.org/ver10/device/'
                        'wsdl"><Category>All</Category></GetCapabilities>',
                        token(signing_key, BYSTANDER, camera), service="device_service")
    assert status == 200 and "192.0.2.7" not in body
    assert f"http://127.0.0.1:{broker.ptz_port}/onvif/media_service" in body
    assert seen.count("GetServices") >= 1 and "GetCapabilities" in seen


def test_a_camera_an_hour_off_is_still_driven(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)
    lab.set_clock_skew(CAM, 3600)
    status, body = soap(broker, '<GotoHomePosition xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                        "<ProfileToken>Profile_Main</ProfileToken></GotoHomePosition>",
                        token(signing_key, DRIVER, camera))
    assert status == 200, body
    # refused once for its clock (the lab hears a request before it checks the login), then
    # the gateway reads the camera's clock again and signs on it
    assert seen == ["GotoHomePosition", "GetSystemDateAndTime", "GotoHomePosition"]


def test_a_camera_fault_comes_back_as_a_soap_fault(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)
    status, body = soap(broker, '<GotoPreset xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                        "<ProfileToken>Profile_Main</ProfileToken>"
                        "<PresetToken>nope</PresetToken></GotoPreset>",
                        token(signing_key, DRIVER, camera))
    assert status == 400 and "NoToken" in body and "GotoPreset" in seen


def test_when_the_lease_ends_only_its_last_holder_may_still_stop_the_camera(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)
    stop = ('<Stop xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
            "<ProfileToken>Profile_Main</ProfileToken></Stop>")
    hold(broker, camera, None)
    status, body = soap(broker, continuous_move(0.3), token(signing_key, DRIVER, camera))
    assert status == 400 and "lease not held" in body
    assert soap(broker, stop, token(signing_key, BYSTANDER, camera))[0] == 400
    # the last holder's token ran out a moment ago: its Stop still goes through
    late = token(signing_key, DRIVER, camera, issued_at=int(time.time()) - 20)
    assert soap(broker, stop, late)[0] == 200
    assert soap(broker, continuous_move(0.3), late)[0] == 400
    assert seen == ["Stop"]
    # a lease that ran out by its own end is nobody's either
    hold(broker, camera, BYSTANDER, seconds=0.3)
    assert wait_until(lambda: soap(broker, continuous_move(0.3), token(
        signing_key, BYSTANDER, camera))[0] == 400, 5)


def test_a_camera_left_moving_by_a_holder_who_lost_the_lease_is_stopped_by_the_gateway(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    hold(broker, camera, DRIVER)
    assert soap(broker, continuous_move(-0.2), token(signing_key, DRIVER, camera))[0] == 200
    seen[:] = [a for a in seen if a == "ContinuousMove"]  # no first contact's clock, paths
    hold(broker, camera, DRIVER)  # a renewal: it drives on
    assert seen == ["ContinuousMove"]
    hold(broker, camera, BYSTANDER)  # taken: stopped before the new holder is told it holds
    assert seen == ["ContinuousMove", "Stop"]
    still = lab.ptz_position(CAM)
    assert soap(broker, '<GetStatus xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                "<ProfileToken>Profile_Main</ProfileToken></GetStatus>",
                token(signing_key, BYSTANDER, camera))[0] == 200
    assert lab.ptz_position(CAM) == still
    hold(broker, camera, None)  # nothing moving: nothing sent
    assert seen == ["ContinuousMove", "Stop", "GetStatus"]


def test_a_token_for_a_camera_without_ptz_here_and_the_date_without_login(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    status, body = soap(broker, '<GetPresets xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                        "<ProfileToken>Profile_Main</ProfileToken></GetPresets>",
                        token(signing_key, DRIVER, camera_id(lab.cameras[1])))
    assert status == 500 and "NoPtzCamera" in body
    status, body = soap(broker, '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/'
                        'device/wsdl"/>', service="device_service")
    assert status == 200 and f"<tt:Year>{datetime.now(UTC).year}</tt:Year>" in body


def test_a_token_is_renewed_in_the_running_controller(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    camera = camera_id(lab.cameras[OTHER])
    hold(broker, camera, DRIVER)
    issued = [0]

    async def credentials() -> tuple[str, str]:
        issued[0] += 1
        text = token(signing_key, DRIVER, camera)
        return text, text

    async def go() -> None:
        first = token(signing_key, DRIVER, camera, lifetime=2)
        ptz = OnvifPtzController("127.0.0.1", broker.ptz_port, first, first,
                                 credentials=credentials)
        try:
            await ptz.connect()
            await ptz.stop()
        finally:
            await ptz.close()

    run(go())
    assert issued[0] >= 2


def test_the_onvif_password_arrives_sealed_and_is_opened_by_the_gateway(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path) -> None:
    key_file = tmp_path / "x25519.key"
    config = gateway_config(lab, signing_key)
    config["cameras"] = []
    config["key_file"] = str(key_file)
    with GatewayProcess(config) as first:
        public_key = first.public_key
    assert public_key is not None
    config["ptz_cameras"] = ptz_entries(lab)
    for entry in config["ptz_cameras"]:
        entry["sealed_password"] = seal(public_key, entry.pop("password"))
    assert not any(cam.onvif_password and cam.onvif_password in str(config)
                   for cam in lab.cameras)
    camera = camera_id(lab.cameras[OTHER])
    with GatewayProcess(config) as gateway:
        hold(gateway, camera, DRIVER)
        status, body = soap(gateway, '<GetStatus xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                            "<ProfileToken>Profile_Main</ProfileToken></GetStatus>",
                            token(signing_key, DRIVER, camera))
        assert status == 200 and "PTZStatus" in body
        logs = "\n".join(gateway.stderr_lines)
    assert not any(cam.onvif_password and cam.onvif_password in logs for cam in lab.cameras)


def test_holders_are_told_and_cleared_on_the_control_endpoint(broker: GatewayProcess) -> None:
    hold(broker, 991, DRIVER)
    assert broker.stats()["ptz_holders"] >= 1
    for body in ({"camera_id": 1, "user_id": 7}, {"camera_id": "1"},
                 {"camera_id": 1, "user_id": 7, "username": "a", "full_name": "b",
                  "until": "soon"}):
        assert broker.control("POST", "/ptz/holder", body)[0] == 400
    before = broker.stats()["ptz_holders"]
    hold(broker, 991, None)
    assert broker.stats()["ptz_holders"] == before - 1


def test_concurrent_holders_on_two_cameras(broker: GatewayProcess, lab: Lab,
                                           signing_key: Ed25519PrivateKey) -> None:
    """Two users each drive their own camera at once; neither blocks the other."""
    results: list[int] = []
    pairs = ((camera_id(lab.cameras[CAM]), DRIVER), (camera_id(lab.cameras[OTHER]), BYSTANDER))
    for camera, user in pairs:
        hold(broker, camera, user)

    def drive(camera: int, user: tuple[int, str, str]) -> None:
        for _ in range(5):
            results.append(soap(broker, '<Stop xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                                "<ProfileToken>Profile_Main</ProfileToken></Stop>",
                                token(signing_key, user, camera))[0])

    threads = [threading.Thread(target=drive, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [200] * 10


def test_a_revoked_user_is_no_holder_and_its_tokens_are_refused(
        broker: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        seen: list[str]) -> None:
    camera = camera_id(lab.cameras[CAM])
    revoked = (31, "ward.leaving", "Đỗ Văn Khoa")
    hold(broker, camera, revoked)
    before = token(signing_key, revoked, camera)
    assert soap(broker, continuous_move(0.2), before)[0] == 200
    broker.revoke(session_ids=["s-someone-else"])  # a viewer's session: PTZ untouched
    assert soap(broker, continuous_move(0.1), before)[0] == 200
    broker.revoke(user_id=revoked[0])  # deactivated
    assert seen[-1] == "Stop"  # what it left moving is stopped
    status, body = soap(broker, continuous_move(0.2), before)
    assert status == 400 and "revoked" in body
    assert soap(broker, STOP_CAM, token(signing_key, DRIVER, camera))[0] == 400  # no holder
    assert seen.count("ContinuousMove") == 2


STOP_CAM = ('<Stop xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
            "<ProfileToken>Profile_Main</ProfileToken></Stop>")
