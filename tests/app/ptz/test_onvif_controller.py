"""OnvifPtzController against the lab's ONVIF endpoints over real HTTP (WS-Security)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from app.ptz.base import PtzError, PtzErrorKind, Velocity
from app.ptz.onvif_controller import OnvifPtzController
from lab import Lab, LabCamera
from tests.app.ptz.conftest import run_async

pytestmark = pytest.mark.lab

CAM = 0
OTHER = 3


def controller(cam: LabCamera, password: str | None = None) -> OnvifPtzController:
    assert cam.onvif_host and cam.onvif_port and cam.onvif_username
    return OnvifPtzController(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                              password if password is not None else str(cam.onvif_password),
                              label=cam.name)


@pytest.fixture
def other(lab: Lab) -> Iterator[LabCamera]:
    cam = lab.cameras[OTHER]
    yield cam
    lab.set_clock_skew(OTHER, 0)
    lab.refuse_onvif(OTHER, ())
    lab.advertise_onvif_host(OTHER, None)
    lab.on_onvif_request(OTHER, None)


def test_capabilities_from_the_device(lab: Lab) -> None:
    async def go() -> None:
        ptz = controller(lab.cameras[CAM])
        try:
            caps = await ptz.connect()
        finally:
            await ptz.close()
        assert caps.probed
        assert (caps.continuous, caps.relative, caps.absolute, caps.presets, caps.home) == (
            True, True, True, True, True)
        assert caps.max_presets == 32
        assert (caps.pan_tilt_velocity.min, caps.pan_tilt_velocity.max) == (-1.0, 1.0)
        assert (caps.speed.min, caps.speed.max) == (0.0, 1.0)
        assert ptz.profile_token == "Profile_Main"

    run_async(go())


def test_move_stop_zoom_absolute_relative(lab: Lab) -> None:
    async def go() -> None:
        ptz = controller(lab.cameras[CAM])
        await ptz.connect()
        try:
            await ptz.absolute_move(0.0, 0.0, 0.0)
            start = await ptz.status()
            assert (start.pan, start.tilt, start.zoom, start.moving) == (0.0, 0.0, 0.0, False)
            await ptz.continuous_move(Velocity(1.0, -1.0, 1.0))
            moving = await ptz.status()
            assert moving.moving
            # Wait for motion on the device itself (not a timed assertion: any progress will do).
            while (await ptz.status()).pan <= 0.0:
                await asyncio.sleep(0.02)
            await ptz.stop()
            stopped = await ptz.status()
            assert not stopped.moving
            assert stopped.pan > 0 and stopped.tilt < 0 and stopped.zoom > 0
            again = await ptz.status()
            assert (again.pan, again.tilt, again.zoom) == (stopped.pan, stopped.tilt,
                                                           stopped.zoom)
            await ptz.relative_move(0.25, 0.1, 0.0)
            moved = await ptz.status()
            assert moved.pan == pytest.approx(stopped.pan + 0.25, abs=1e-4)
            assert moved.tilt == pytest.approx(stopped.tilt + 0.1, abs=1e-4)
            assert lab.ptz_position(CAM)[0] == pytest.approx(moved.pan, abs=1e-4)
        finally:
            await ptz.stop()
            await ptz.close()

    run_async(go())


def test_presets_and_home(lab: Lab) -> None:
    async def go() -> None:
        ptz = controller(lab.cameras[CAM])
        await ptz.connect()
        try:
            await ptz.absolute_move(0.5, 0.25, 0.5)
            token = await ptz.save_preset("Cổng trường")
            assert ("Cổng trường" in [p.name for p in await ptz.presets()])
            await ptz.absolute_move(-0.5, -0.5, 0.0)
            await ptz.goto_preset(token)
            pos = await ptz.status()
            assert (pos.pan, pos.tilt, pos.zoom) == pytest.approx((0.5, 0.25, 0.5), abs=1e-4)
            # Rename: SetPreset with the token (keeps the token, new name).
            again = await ptz.save_preset("Ngã tư", token)
            assert again == token
            names = {p.token: p.name for p in await ptz.presets()}
            assert names[token] == "Ngã tư"
            await ptz.remove_preset(token)
            assert token not in {p.token for p in await ptz.presets()}
            with pytest.raises(PtzError) as err:
                await ptz.goto_preset(token)
            assert err.value.kind is PtzErrorKind.REFUSED
            # Home: set here, go away, come back.
            await ptz.absolute_move(-0.25, 0.5, 0.25)
            await ptz.set_home()
            await ptz.absolute_move(0.9, -0.9, 1.0)
            await ptz.goto_home()
            home = await ptz.status()
            assert (home.pan, home.tilt, home.zoom) == pytest.approx((-0.25, 0.5, 0.25),
                                                                     abs=1e-4)
        finally:
            await ptz.close()

    run_async(go())


def test_wrong_password_is_an_auth_error(lab: Lab) -> None:
    async def go() -> PtzError:
        ptz = controller(lab.cameras[CAM], password="not-the-password")
        with pytest.raises(PtzError) as err:
            await ptz.connect()
        await ptz.close()
        return err.value

    error = run_async(go())
    assert error.kind is PtzErrorKind.AUTH_FAILED
    assert "not-the-password" not in str(error)


def test_unreachable_camera(lab: Lab) -> None:
    from tests.app.helpers import free_port

    async def go() -> PtzError:
        ptz = OnvifPtzController("127.0.0.1", free_port(), "admin", "x", label="gone")
        with pytest.raises(PtzError) as err:
            await ptz.connect()
        await ptz.close()
        return err.value

    assert run_async(go()).kind is PtzErrorKind.UNREACHABLE


def test_clock_skewed_one_hour_still_works(lab: Lab, other: LabCamera) -> None:
    lab.set_clock_skew(OTHER, 3600)

    async def go() -> None:
        ptz = controller(other)
        await ptz.connect()
        try:
            await ptz.absolute_move(0.1, 0.2, 0.3)
            pos = await ptz.status()
            assert (pos.pan, pos.tilt, pos.zoom) == pytest.approx((0.1, 0.2, 0.3), abs=1e-4)
        finally:
            await ptz.close()

    run_async(go())


def test_camera_refusing_getstatus_and_getnodes_still_moves(lab: Lab, other: LabCamera) -> None:
    lab.refuse_onvif(OTHER, {"GetStatus", "GetNodes", "GetConfigurationOptions"})

    async def go() -> None:
        ptz = controller(other)
        caps = await ptz.connect()
        try:
            assert not caps.probed and caps.continuous and caps.presets
            with pytest.raises(PtzError) as err:
                await ptz.status()
            assert err.value.kind is PtzErrorKind.NOT_SUPPORTED
            await ptz.absolute_move(0.0, 0.0, 0.0)
            await ptz.continuous_move(Velocity(1.0, 0.0, 0.0))
            while lab.ptz_position(OTHER)[0] <= 0.0:
                await asyncio.sleep(0.02)
            await ptz.stop()
            stopped = lab.ptz_position(OTHER)
            assert stopped == lab.ptz_position(OTHER)  # no longer moving
            token = await ptz.save_preset("P")
            await ptz.absolute_move(-1.0, -1.0, 0.0)
            await ptz.goto_preset(token)
            assert lab.ptz_position(OTHER) == pytest.approx(stopped, abs=1e-4)
            await ptz.remove_preset(token)
        finally:
            await ptz.close()

    run_async(go())


def test_advertised_private_address_is_rewritten_to_the_configured_host(
        lab: Lab, other: LabCamera) -> None:
    """The lab advertises 10.20.30.40 in its XAddrs; pytest-socket refuses any connection off
    loopback, so this passes only if every call went to 127.0.0.1."""
    lab.advertise_onvif_host(OTHER, "10.20.30.40")
    seen: list[str] = []
    lab.on_onvif_request(OTHER, seen.append)

    async def go() -> None:
        ptz = controller(other)
        await ptz.connect()
        try:
            assert ptz._camera is not None
            xaddrs = list(ptz._camera.xaddrs.values())
            assert xaddrs and all("127.0.0.1" in x and "10.20.30.40" not in x for x in xaddrs)
            await ptz.absolute_move(0.3, 0.3, 0.3)
            await ptz.stop()
        finally:
            await ptz.close()

    run_async(go())
    assert "GetServices" in seen and "AbsoluteMove" in seen and "Stop" in seen
