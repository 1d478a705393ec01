"""The lab's ONVIF traits (lab/traits.py): each checked over real HTTP on loopback, with the
client library the wall uses (onvif-zeep-async) where it copes, and raw SOAP where a real
device's quirk is the point (HTTP Digest, undeclared prefixes, Media2)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
import pytest
import zeep.exceptions
from lxml import etree
from onvif import ONVIFCamera

from lab import CameraTraits, Lab, LabCamera
from lab.testing import (
    DIGEST_ONLY,
    MEDIA2_H265,
    ONVIF_TRAITS,
    PLAIN_ONVIF,
    SKEWED_NAT_PTZ,
    TIME_LOGIN_PTZ,
    start_test_lab,
)

pytestmark = pytest.mark.lab

TDS = "http://www.onvif.org/ver10/device/wsdl"
TRT = "http://www.onvif.org/ver10/media/wsdl"
TR2 = "http://www.onvif.org/ver20/media/wsdl"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("lab-onvif-traits"), cameras=5,
                        traits=ONVIF_TRAITS) as running:
        yield running


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout=60))


def wsse_header(user: str, password: str, offset_s: float = 0.0) -> str:
    nonce = os.urandom(16)
    created = (datetime.now(UTC) + timedelta(seconds=offset_s)).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode())
                              .digest()).decode()
    wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
    kind = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
            "#PasswordDigest")
    return (f'<s:Header><wsse:Security xmlns:wsse="{wsse}" xmlns:wsu="{wsu}"><wsse:UsernameToken>'
            f"<wsse:Username>{user}</wsse:Username>"
            f'<wsse:Password Type="{kind}">{digest}</wsse:Password>'
            f"<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce>"
            f"<wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>"
            "</s:Header>")


def soap(op: str, ns: str, inner: str = "", header: str = "") -> bytes:
    return (f'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">{header}<s:Body>'
            f'<{op} xmlns="{ns}">{inner}</{op}></s:Body></s:Envelope>').encode()


async def post(cam: LabCamera, path: str, body: bytes,
               auth: aiohttp.DigestAuthMiddleware | None = None) -> tuple[int, Any, bytes]:
    url = f"http://{cam.onvif_host}:{cam.onvif_port}/onvif/{path}"
    async with aiohttp.ClientSession(middlewares=(auth,) if auth else ()) as http, \
            http.post(url, data=body,
                      headers={"Content-Type": "application/soap+xml; charset=utf-8"}) as r:
        return r.status, r.headers, await r.read()


def test_onvif_traits_are_checked_and_imply_an_endpoint() -> None:
    assert CameraTraits(media2=True).onvif and not CameraTraits().onvif
    with pytest.raises(ValueError):
        CameraTraits(onvif_auth="ntlm")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        CameraTraits(time_login="sometimes")  # type: ignore[arg-type]


def test_a_camera_with_the_onvif_trait_has_one_account_and_no_ptz(lab: Lab) -> None:
    cam = lab.cameras[PLAIN_ONVIF]
    assert not cam.ptz and cam.onvif_port
    assert (cam.onvif_username, cam.onvif_password) == (cam.rtsp_username, cam.rtsp_password)

    async def go() -> None:
        client = ONVIFCamera(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                             cam.onvif_password, adjust_time=True)
        try:
            await client.update_xaddrs()
            assert set(client.xaddrs) == {TDS, TRT}  # no PTZ, no Media2, no Imaging
            info = await (await client.create_devicemgmt_service()).GetDeviceInformation()
            assert info.Model == "LabCam-1"
            profiles = await (await client.create_media_service()).GetProfiles()
            assert [p.token for p in profiles] == ["Profile_Main", "Profile_Sub"]
            assert all(p.PTZConfiguration is None for p in profiles)
        finally:
            await client.close()

    run(go())


def test_skewed_clock_and_foreign_advertised_address(lab: Lab) -> None:
    cam = lab.cameras[SKEWED_NAT_PTZ]

    async def go() -> None:
        client = ONVIFCamera(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                             cam.onvif_password, adjust_time=True)
        try:
            await client.update_xaddrs()
            assert client.dt_diff is not None
            assert abs(client.dt_diff.total_seconds() - 7 * 3600) < 5
            # the device believes it is 192.168.1.64: every address it gives says so
            assert all(x.startswith(f"http://192.168.1.64:{cam.onvif_port}/onvif/")
                       for x in client.xaddrs.values())
            caps = await client.get_capabilities()
            assert caps["Media"]["XAddr"].startswith("http://192.168.1.64:")
        finally:
            await client.close()
        natted = ONVIFCamera(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                             cam.onvif_password, adjust_time=True, nat_override=True)
        try:
            await natted.update_xaddrs()
            media = await natted.create_media_service()
            uri = await media.GetStreamUri({
                "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                "ProfileToken": "Profile_Main"})
            main = cam.main_url.replace("127.0.0.1", "192.168.1.64")
            assert uri.Uri == main  # stream URIs too: the library does not rewrite those
        finally:
            await natted.close()
        # a WS-Security Created on our own clock is refused (7 h off the device's)
        status, _, body = await post(cam, "device_service", soap(
            "GetDeviceInformation", TDS, header=wsse_header(cam.onvif_username or "",
                                                           cam.onvif_password or "")))
        assert status == 400 and b"NotAuthorized" in body

    run(go())


def test_digest_only_camera_wants_http_digest_even_for_its_clock(lab: Lab) -> None:
    cam = lab.cameras[DIGEST_ONLY]
    user, password = cam.onvif_username or "", cam.onvif_password or ""

    async def go() -> None:
        status, headers, _ = await post(cam, "device_service", soap("GetSystemDateAndTime", TDS))
        assert status == 401
        assert re.match(r'Digest realm="[^"]+", qop="auth"', headers["WWW-Authenticate"])
        # its Date header carries its clock (5 h 13 min behind): how a client learns the skew
        date = parsedate_to_datetime(headers["Date"])
        assert abs((date - datetime.now(UTC)).total_seconds() + (5 * 3600 + 13 * 60)) < 5
        # WS-Security alone is not accepted
        status, _, _ = await post(cam, "device_service", soap(
            "GetDeviceInformation", TDS, header=wsse_header(user, password, -18780)))
        assert status == 401
        digest = aiohttp.DigestAuthMiddleware(user, password)
        status, _, body = await post(cam, "device_service", soap("GetSystemDateAndTime", TDS),
                                     digest)
        assert status == 200 and b"UTCDateTime" in body
        status, _, body = await post(cam, "device_service", soap("GetDeviceInformation", TDS),
                                     digest)
        assert status == 200 and b"LabCam-1" in body
        wrong = aiohttp.DigestAuthMiddleware(user, password + "x")
        status, _, _ = await post(cam, "device_service", soap("GetDeviceInformation", TDS),
                                  wrong)
        assert status == 401

    run(go())


def test_login_demanded_for_the_time_answers_a_fault(lab: Lab) -> None:
    cam = lab.cameras[TIME_LOGIN_PTZ]

    async def go() -> None:
        client = ONVIFCamera(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                             cam.onvif_password, adjust_time=False)
        try:
            dev = await client.create_devicemgmt_service()
            with pytest.raises(zeep.exceptions.Fault, match="not Authorized"):
                await dev.authless_GetSystemDateAndTime()
            answer = await dev.GetSystemDateAndTime()  # with the login it answers
            assert answer.UTCDateTime.Date.Year >= 2024
        finally:
            await client.close()

    run(go())


def test_media2_lists_the_h265_profiles_media1_does_not(lab: Lab) -> None:
    cam = lab.cameras[MEDIA2_H265]
    user, password = cam.onvif_username or "", cam.onvif_password or ""

    async def go() -> None:
        status, _, body = await post(cam, "media_service", soap(
            "GetProfiles", TRT, header=wsse_header(user, password)))
        assert status == 200 and b"Profiles" not in body.split(b"GetProfilesResponse")[1]
        status, _, body = await post(cam, "device_service", soap(
            "GetServices", TDS, "<IncludeCapability>false</IncludeCapability>",
            wsse_header(user, password)))
        assert status == 200 and TR2.encode() in body
        status, _, body = await post(cam, "media2_service", soap(
            "GetProfiles", TR2, "<Type>All</Type>", wsse_header(user, password)))
        assert status == 200
        # undeclared tt: prefix: a strict parser refuses the reply...
        with pytest.raises(etree.XMLSyntaxError, match="[Nn]amespace prefix tt"):
            etree.fromstring(body)
        assert b"xmlns:tt=" not in body and b"<tt:Encoding>H265</tt:Encoding>" in body
        # ...a recovering one still reads it
        root = etree.fromstring(body, etree.XMLParser(recover=True))
        tokens = [p.get("token") for p in root.iter(f"{{{TR2}}}Profiles")]
        assert tokens == ["Profile_Main", "Profile_Sub"]
        status, _, body = await post(cam, "media2_service", soap(
            "GetStreamUri", TR2, "<Protocol>RTSP</Protocol><ProfileToken>Profile_Sub"
            "</ProfileToken>", wsse_header(user, password)))
        assert status == 200 and cam.sub_url.encode() in body

    run(go())
