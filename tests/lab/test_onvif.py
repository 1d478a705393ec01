"""The lab's ONVIF endpoints, driven by the client library the wall uses (onvif-zeep-async)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import pytest
import zeep.exceptions
from onvif import ONVIFCamera
from onvif.exceptions import ONVIFError

from lab import Lab, LabCamera

pytestmark = pytest.mark.lab

MOVE_CAM = 0  # PTZ tests move camera 0; skew/drop tests use camera 3 (also PTZ)
CONTROL_CAM = 3


def run(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(coro_fn(), timeout=60))


async def connect(cam: LabCamera, password: str | None = None, adjust_time: bool = True,
                  user: str | None = None) -> ONVIFCamera:
    client = ONVIFCamera(cam.onvif_host, cam.onvif_port, user or cam.onvif_username,
                         password or cam.onvif_password, adjust_time=adjust_time)
    await client.update_xaddrs()
    return client


@pytest.fixture
def control_cam(lab: Lab) -> Iterator[LabCamera]:
    cam = lab.cameras[CONTROL_CAM]
    yield cam
    lab.set_clock_skew(cam.index, 0)
    lab.drop_onvif(cam.index, False)


def subcodes(fault: zeep.exceptions.Fault) -> set[str]:
    """The ONVIF error subcodes of a fault, as ``{"NotAuthorized"}`` (namespace checked)."""
    names = set()
    for q in fault.subcodes or []:
        assert q.namespace == "http://www.onvif.org/ver10/error"
        names.add(q.localname)
    return names


async def position(ptz: Any, token: str) -> tuple[float, float, float, str]:
    status = await ptz.GetStatus({"ProfileToken": token})
    pos = status.Position
    return pos.PanTilt.x, pos.PanTilt.y, pos.Zoom.x, status.MoveStatus.PanTilt


def test_only_every_third_camera_has_onvif(lab: Lab) -> None:
    assert [c.ptz for c in lab.cameras] == [True, False, False, True]
    assert all(c.onvif_port is None and c.onvif_password is None for c in lab.cameras[1:3])
    with pytest.raises(RuntimeError):
        lab.set_clock_skew(1, 10)


def test_device_information_profiles_and_stream_uris(lab: Lab) -> None:
    cam = lab.cameras[MOVE_CAM]

    async def go() -> None:
        client = await connect(cam)
        try:
            dev = await client.create_devicemgmt_service()
            info = await dev.GetDeviceInformation()
            assert info.Manufacturer == "iocwall lab"
            assert info.SerialNumber == "LAB-0001"
            caps = await client.get_capabilities()
            assert caps is not None and caps["PTZ"]["XAddr"].startswith("http://127.0.0.1:")
            media = await client.create_media_service()
            profiles = await media.GetProfiles()
            assert [p.token for p in profiles] == ["Profile_Main", "Profile_Sub"]
            main = profiles[0].VideoEncoderConfiguration.Resolution
            assert (main.Width, main.Height) == (cam.main_width, cam.main_height)
            assert profiles[0].PTZConfiguration.NodeToken == "PTZNode0"
            uris = []
            for p in profiles:
                reply = await media.GetStreamUri({
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": p.token})
                uris.append(reply.Uri)
            assert uris == [cam.main_url, cam.sub_url]
            snapshot_uri = await client.get_snapshot_uri("Profile_Main")
            auth = base64.b64encode(f"{cam.onvif_username}:{cam.onvif_password}".encode())
            async with aiohttp.ClientSession() as http:
                async with http.get(snapshot_uri,
                                    headers={"Authorization": f"Basic {auth.decode()}"}) as r:
                    assert r.status == 200
                    assert (await r.read())[:2] == b"\xff\xd8"  # a JPEG
                async with http.get(snapshot_uri) as r:
                    assert r.status == 401
        finally:
            await client.close()

    run(go)


def test_ptz_nodes_configurations_and_options(lab: Lab) -> None:
    async def go() -> None:
        client = await connect(lab.cameras[MOVE_CAM])
        try:
            ptz = await client.create_ptz_service()
            (node,) = await ptz.GetNodes()
            assert node.token == "PTZNode0" and node.HomeSupported is True
            assert node.MaximumNumberOfPresets >= 8
            (config,) = await ptz.GetConfigurations()
            assert config.PanTiltLimits.Range.XRange.Min == -1.0
            options = await ptz.GetConfigurationOptions({"ConfigurationToken": config.token})
            vel = options.Spaces.ContinuousPanTiltVelocitySpace[0]
            assert (vel.XRange.Min, vel.XRange.Max) == (-1.0, 1.0)
        finally:
            await client.close()

    run(go)


def test_continuous_move_moves_over_time_clamps_and_stop_halts(lab: Lab) -> None:
    async def go() -> None:
        client = await connect(lab.cameras[MOVE_CAM])
        try:
            ptz = await client.create_ptz_service()
            token = "Profile_Main"
            await ptz.AbsoluteMove({"ProfileToken": token, "Position": {
                "PanTilt": {"x": 0, "y": 0}, "Zoom": {"x": 0}}})
            assert await position(ptz, token) == (0.0, 0.0, 0.0, "IDLE")
            await ptz.ContinuousMove({"ProfileToken": token, "Velocity": {
                "PanTilt": {"x": 1.0, "y": -0.5}, "Zoom": {"x": 1.0}}})
            await asyncio.sleep(0.4)
            pan1, tilt1, zoom1, moving = await position(ptz, token)
            assert moving == "MOVING"
            assert 0.1 < pan1 < 0.5 and -0.25 < tilt1 < -0.05 and 0.05 < zoom1 < 0.25
            await asyncio.sleep(0.4)
            pan2, tilt2, zoom2, _ = await position(ptz, token)
            assert pan2 > pan1 and tilt2 < tilt1 and zoom2 > zoom1  # keeps moving between reads
            await asyncio.sleep(2.0)  # pan reaches +1 after 2 s at 0.5/s: clamped there
            pan3, _, _, _ = await position(ptz, token)
            assert pan3 == 1.0
            await ptz.Stop({"ProfileToken": token, "PanTilt": True, "Zoom": True})
            stopped = await position(ptz, token)
            await asyncio.sleep(0.4)
            assert await position(ptz, token) == stopped
            assert stopped[3] == "IDLE"
            assert -1.0 <= stopped[1] <= 1.0 and 0.0 <= stopped[2] <= 1.0
            # A Timeout ends a move by itself.
            await ptz.ContinuousMove({"ProfileToken": token, "Velocity": {
                "PanTilt": {"x": -1.0, "y": 0.0}}, "Timeout": "PT0.3S"})
            await asyncio.sleep(0.6)
            after = await position(ptz, token)
            await asyncio.sleep(0.3)
            assert await position(ptz, token) == after
            assert 0.8 < after[0] < 0.9  # 0.3 s at 0.5/s from 1.0
            await ptz.RelativeMove({"ProfileToken": token, "Translation": {
                "PanTilt": {"x": -0.5, "y": 0.0}, "Zoom": {"x": 0.0}}})
            assert abs((await position(ptz, token))[0] - (after[0] - 0.5)) < 1e-5
        finally:
            await client.close()

    run(go)


def test_presets_and_home_position(lab: Lab) -> None:
    async def go() -> None:
        client = await connect(lab.cameras[MOVE_CAM])
        try:
            ptz = await client.create_ptz_service()
            token = "Profile_Main"

            async def move_to(x: float, y: float, z: float) -> None:
                await ptz.AbsoluteMove({"ProfileToken": token, "Position": {
                    "PanTilt": {"x": x, "y": y}, "Zoom": {"x": z}}})

            await move_to(0.25, -0.5, 0.75)
            await ptz.SetHomePosition({"ProfileToken": token})
            await move_to(0.5, 0.5, 0.5)
            preset = await ptz.SetPreset({"ProfileToken": token, "PresetName": "Cổng chợ"})
            presets = await ptz.GetPresets({"ProfileToken": token})
            assert [(p.token, p.Name) for p in presets] == [(preset, "Cổng chợ")]
            assert presets[0].PTZPosition.PanTilt.x == 0.5
            await move_to(-1, -1, 0)
            await ptz.GotoPreset({"ProfileToken": token, "PresetToken": preset})
            assert (await position(ptz, token))[:3] == (0.5, 0.5, 0.5)
            await ptz.GotoHomePosition({"ProfileToken": token})
            assert (await position(ptz, token))[:3] == (0.25, -0.5, 0.75)
            await ptz.RemovePreset({"ProfileToken": token, "PresetToken": preset})
            assert not await ptz.GetPresets({"ProfileToken": token})
            with pytest.raises(zeep.exceptions.Fault) as err:
                await ptz.GotoPreset({"ProfileToken": token, "PresetToken": preset})
            assert subcodes(err.value) == {"InvalidArgVal", "NoToken"}
        finally:
            await client.close()

    run(go)


def test_wrong_password_gets_not_authorized_fault(lab: Lab) -> None:
    cam = lab.cameras[MOVE_CAM]

    async def go() -> None:
        client = ONVIFCamera(cam.onvif_host, cam.onvif_port, cam.onvif_username, "wrong")
        try:
            dev = await client.create_devicemgmt_service()
            # Without auth, the clock is readable (clients need it to sign their requests).
            assert (await dev.GetSystemDateAndTime()).UTCDateTime.Date.Year >= 2024
            with pytest.raises(zeep.exceptions.Fault) as err:
                await dev.GetDeviceInformation()
            assert subcodes(err.value) == {"NotAuthorized"}
            with pytest.raises((zeep.exceptions.Fault, ONVIFError)):
                await client.update_xaddrs()
        finally:
            await client.close()

    run(go)


def test_raw_fault_is_soap12_with_http_400(lab: Lab) -> None:
    cam = lab.cameras[MOVE_CAM]
    body = (
        '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
        '<s:Body><GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'
        "</s:Body></s:Envelope>"
    )

    async def go() -> None:
        url = f"http://{cam.onvif_host}:{cam.onvif_port}/onvif/device_service"
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=body,
                                 headers={"Content-Type": "application/soap+xml"}) as r:
                text = await r.text()
                assert r.status == 400
                assert "ter:NotAuthorized" in text and "env:Sender" in text

    run(go)


def test_clock_skew_of_an_hour_needs_adjust_time(lab: Lab, control_cam: LabCamera) -> None:
    lab.set_clock_skew(control_cam.index, 3600)

    async def go() -> None:
        client = await connect(control_cam, adjust_time=True)
        try:
            dev = await client.create_devicemgmt_service()
            assert (await dev.GetDeviceInformation()).SerialNumber == "LAB-0004"
            assert client.dt_diff is not None
            assert 3590 < client.dt_diff.total_seconds() < 3610
        finally:
            await client.close()
        naive = ONVIFCamera(control_cam.onvif_host, control_cam.onvif_port,
                            control_cam.onvif_username, control_cam.onvif_password,
                            adjust_time=False)
        try:
            dev = await naive.create_devicemgmt_service()
            with pytest.raises(zeep.exceptions.Fault) as err:
                await dev.GetDeviceInformation()
            assert subcodes(err.value) == {"NotAuthorized"}
        finally:
            await naive.close()

    run(go)


def test_drop_onvif_makes_calls_time_out_and_recovers(lab: Lab, control_cam: LabCamera) -> None:
    async def go() -> None:
        client = await connect(control_cam)
        try:
            dev = await client.create_devicemgmt_service()
            await dev.GetDeviceInformation()
            lab.drop_onvif(control_cam.index, True)
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(dev.GetDeviceInformation(), timeout=1.5)
            lab.drop_onvif(control_cam.index, False)
            assert (await dev.GetDeviceInformation()).SerialNumber == "LAB-0004"
        finally:
            await client.close()

    run(go)
