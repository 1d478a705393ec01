"""The probe speaks ONVIF as its WSDLs have it, not as the lab happens to answer.

The gateway runs on Debian's Python without the venv's zeep, so its probe writes SOAP itself;
here every request it sends is read back by zeep (strict) against the WSDLs onvif-zeep-async
ships (Device, Media, PTZ: an element out of place or missing fails), and what the probe reads
from the camera is compared with what onvif-zeep-async itself reads from the same camera.
(onvif-zeep-async ships no Media2 WSDL: Media2 requests are checked in test_probe against the
lab only.)
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import onvif
import pytest
import zeep
from lxml import etree
from onvif import ONVIFCamera

from gateway.onvif_soap import OnvifSoap
from gateway.probe import ProbeRequest, probe
from lab import Lab
from lab.testing import PLAIN_ONVIF, SKEWED_NAT_PTZ

pytestmark = pytest.mark.lab

WSDL_DIR = os.path.join(os.path.dirname(onvif.__file__), "wsdl")
BINDINGS = {  # namespace → (WSDL file, binding)
    "http://www.onvif.org/ver10/device/wsdl": ("devicemgmt.wsdl", "DeviceBinding"),
    "http://www.onvif.org/ver10/media/wsdl": ("media.wsdl", "MediaBinding"),
    "http://www.onvif.org/ver20/ptz/wsdl": ("ptz.wsdl", "PTZBinding"),
}


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    bodies: list[bytes] = []
    real = OnvifSoap._post

    def record(self: OnvifSoap, step: str, scheme: str, port: int, path: str, body: bytes,
               headers: dict[str, str]) -> Any:
        bodies.append(body)
        return real(self, step, scheme, port, path, body, headers)

    monkeypatch.setattr(OnvifSoap, "_post", record)
    return bodies


def check_against_wsdl(bodies: list[bytes]) -> set[str]:
    clients: dict[str, Any] = {}
    checked = set()
    for body in bodies:
        envelope = etree.fromstring(body)
        (operation,) = envelope.find("{http://www.w3.org/2003/05/soap-envelope}Body")
        name = etree.QName(operation)
        wsdl_file, binding_name = BINDINGS[name.namespace]
        if wsdl_file not in clients:
            clients[wsdl_file] = zeep.Client(os.path.join(WSDL_DIR, wsdl_file),
                                             settings=zeep.Settings(strict=True))
        binding = clients[wsdl_file].wsdl.bindings[f"{{{name.namespace}}}{binding_name}"]
        binding.get(name.localname).input.deserialize(envelope)  # XMLParseError if not
        checked.add(name.localname)
    return checked


def test_every_request_is_valid_against_the_shipped_wsdls(onvif_lab: Lab,
                                                           sent: list[bytes]) -> None:
    cam = onvif_lab.cameras[SKEWED_NAT_PTZ]
    assert cam.onvif_host and cam.onvif_port
    probe(ProbeRequest(cam.onvif_host, cam.onvif_port, cam.onvif_username or "",
                       cam.onvif_password or ""), time.monotonic() + 20, verify=None)
    plain = onvif_lab.cameras[PLAIN_ONVIF]
    assert plain.onvif_host and plain.onvif_port
    onvif_lab.refuse_onvif(plain.index, {"GetServices"})
    try:
        probe(ProbeRequest(plain.onvif_host, plain.onvif_port, plain.onvif_username or "",
                           plain.onvif_password or ""), time.monotonic() + 20, verify=None)
    finally:
        onvif_lab.refuse_onvif(plain.index, ())
    assert check_against_wsdl(sent) == {
        "GetSystemDateAndTime", "GetDeviceInformation", "GetServices", "GetCapabilities",
        "GetProfiles", "GetStreamUri", "GetSnapshotUri", "GetNodes"}


def test_the_probe_reads_what_onvif_zeep_async_reads(onvif_lab: Lab) -> None:
    cam = onvif_lab.cameras[SKEWED_NAT_PTZ]
    assert cam.onvif_host and cam.onvif_port
    result = probe(ProbeRequest(cam.onvif_host, cam.onvif_port, cam.onvif_username or "",
                                cam.onvif_password or ""), time.monotonic() + 20, verify=None)

    async def library() -> dict[str, Any]:
        client = ONVIFCamera(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                             cam.onvif_password, adjust_time=True, nat_override=True)
        try:
            await client.update_xaddrs()
            info = await (await client.create_devicemgmt_service()).GetDeviceInformation()
            media = await client.create_media_service()
            profiles = {}
            for p in await media.GetProfiles():
                uri = await media.GetStreamUri({"StreamSetup": {
                    "Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": p.token})
                resolution = p.VideoEncoderConfiguration.Resolution
                profiles[p.token] = (p.Name, p.VideoEncoderConfiguration.Encoding,
                                     resolution.Width, resolution.Height, uri.Uri)
            nodes = await (await client.create_ptz_service()).GetNodes()
            assert client.dt_diff is not None
            return {"device": (info.Manufacturer, info.Model, info.FirmwareVersion,
                               info.SerialNumber),
                    "offset": client.dt_diff.total_seconds(), "profiles": profiles,
                    "nodes": [n.token for n in nodes]}
        finally:
            await client.close()

    theirs = asyncio.run(asyncio.wait_for(library(), 30))
    d = result.device
    assert (d["manufacturer"], d["model"], d["firmware"], d["serial"]) == theirs["device"]
    assert abs((result.clock_offset_s or 0) - theirs["offset"]) <= 2
    ours = {p.token: (p.name, p.codec, p.width, p.height, p.stream_uri) for p in result.profiles}
    # the library leaves stream URIs as advertised (192.168.1.64); the probe rewrites them
    assert ours == {token: (*values[:4], values[4].replace("192.168.1.64", "127.0.0.1"))
                    for token, values in theirs["profiles"].items()}
    assert result.ptz is not None
    assert [n["token"] for n in result.ptz["nodes"]] == theirs["nodes"]
