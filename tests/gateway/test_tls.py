"""The gateway with a certificate from the site CA: RTSPS for viewers, HTTPS for control and PTZ,
real handshakes against the real lab; a peer trusting another CA (or dialling a name the
certificate does not carry) is refused before anything is sent."""

from __future__ import annotations

import asyncio
import http.client
import signal
import ssl
import subprocess
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.ptz.base import PtzError
from app.ptz.onvif_controller import OnvifPtzController
from common import stream_tokens
from common.ptz_tokens import PtzToken
from common.ptz_tokens import encode as encode_ptz
from common.stream_tokens import encode
from common.tls import NoTrustAnchor, ffmpeg_tls_options
from gateway.process import GatewayProcess
from lab import Lab
from server import tls
from tests.gateway.helpers import camera_id, gateway_config, issue

pytestmark = [pytest.mark.lab]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[tls.SiteTls, tls.SiteTls]:
    root = tmp_path_factory.mktemp("sites")
    return tls.create_site(root / "ours", "IOC"), tls.create_site(root / "other", "other")


def _tls_config(lab: Lab, key: Ed25519PrivateKey, site: tls.SiteTls, out: Path,
                hosts: list[str]) -> dict[str, object]:
    cert, cert_key = tls.gateway_cert(site, "test", hosts, out)
    config = gateway_config(lab, key)
    config["tls"] = {"cert_file": str(cert), "key_file": str(cert_key),
                     "ca_file": str(site.ca_cert)}
    config["ptz_cameras"] = [
        {"camera_id": camera_id(cam), "host": cam.onvif_host, "port": cam.onvif_port,
         "username": cam.onvif_username, "password": cam.onvif_password, "name": cam.name}
        for cam in lab.cameras if cam.ptz]
    return config


@pytest.fixture(scope="module")
def secure(lab: Lab, signing_key: Ed25519PrivateKey, sites: tuple[tls.SiteTls, tls.SiteTls],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    config = _tls_config(lab, signing_key, sites[0], tmp_path_factory.mktemp("gw"),
                         ["127.0.0.1", "localhost"])
    with GatewayProcess(config) as running:
        yield running


def _session(gateway: GatewayProcess, key: Ed25519PrivateKey, lab: Lab) -> tuple[str, str]:
    """A session URL (``rtsps://``) and its session id."""
    cam = camera_id(lab.cameras[0])
    claims = issue(key, cam)
    return stream_tokens.session_url("127.0.0.1", gateway.rtsp_port, cam, "sub",
                                     encode(claims, key.sign), secure=True), claims.session_id


def _url(gateway: GatewayProcess, key: Ed25519PrivateKey, lab: Lab) -> str:
    return _session(gateway, key, lab)[0]


def _open(url: str, ca: Path) -> int:
    """Video packets read (up to 5) through PyAV with the site CA's check."""
    options = {"rtsp_transport": "tcp", **ffmpeg_tls_options(url, ca)}
    with av.open(url, options=options, timeout=(10, 10)) as container:
        count = 0
        for packet in container.demux(container.streams.video[0]):
            if packet.size:
                count += 1
            if count >= 5:
                break
        return count


def test_a_session_plays_over_rtsps_with_the_site_ca(
        secure: GatewayProcess, signing_key: Ed25519PrivateKey, lab: Lab,
        sites: tuple[tls.SiteTls, tls.SiteTls]) -> None:
    assert secure.scheme == "https" and secure.health()  # control over HTTPS, CA checked
    url = _url(secure, signing_key, lab)
    assert url.startswith("rtsps://")
    assert _open(url, sites[0].ca_cert) == 5


def test_rtsps_is_refused_by_a_viewer_trusting_another_ca(
        secure: GatewayProcess, signing_key: Ed25519PrivateKey, lab: Lab,
        sites: tuple[tls.SiteTls, tls.SiteTls]) -> None:
    url, session_id = _session(secure, signing_key, lab)
    started = time.monotonic()
    with pytest.raises(av.error.OSError):
        _open(url, sites[1].ca_cert)
    # refused at the handshake: the token never reached the gateway (no session began)
    assert time.monotonic() - started < 5
    assert secure.wait_for(lambda e: e.get("session_id") == session_id, 1.0) is None
    with pytest.raises(NoTrustAnchor):
        ffmpeg_tls_options(url, None)
    # plain RTSP to the same port gets nothing either
    plain = url.replace("rtsps://", "rtsp://")
    with pytest.raises(av.error.FFmpegError):
        av.open(plain, options={"rtsp_transport": "tcp"}, timeout=(5, 5))


def test_the_recorders_check_refuses_another_ca_too(
        secure: GatewayProcess, signing_key: Ed25519PrivateKey, lab: Lab,
        sites: tuple[tls.SiteTls, tls.SiteTls], tmp_path: Path) -> None:
    """``python -m server.record_child`` reads the job's ``ca_file``."""
    import json
    import sys

    url = _url(secure, signing_key, lab)
    job = {"url": url, "pattern": str(tmp_path / "r-%Y%m%dT%H%M%S"),
           "list": str(tmp_path / "list.csv"), "segment_seconds": 2, "timeout_s": 5,
           "strftime": True, "ca_file": str(sites[1].ca_cert)}
    done = subprocess.run([sys.executable, "-m", "server.record_child"],
                          input=json.dumps(job) + "\n", capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert "cannot open the input" in done.stderr and "token=***" in done.stderr
    assert not list(tmp_path.glob("r-*"))
    # the same job with the site CA records (a fresh token: the first one was not used)
    job.update(url=_url(secure, signing_key, lab), ca_file=str(sites[0].ca_cert))
    child = subprocess.Popen([sys.executable, "-m", "server.record_child"],
                             stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdin is not None
    child.stdin.write(json.dumps(job) + "\n")
    child.stdin.close()
    try:
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob("r-*")) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
    finally:
        child.send_signal(signal.SIGINT)
        assert child.wait(30) == 0, child.stderr.read() if child.stderr else ""
    assert any(segment.stat().st_size > 0 for segment in tmp_path.glob("r-*"))


def test_a_certificate_without_the_dialled_name_is_refused(
        lab: Lab, signing_key: Ed25519PrivateKey, sites: tuple[tls.SiteTls, tls.SiteTls],
        tmp_path: Path) -> None:
    config = _tls_config(lab, signing_key, sites[0], tmp_path, ["gw.example"])
    with GatewayProcess(config) as gateway:
        # the backend's control call checks the name too
        with pytest.raises(urllib.error.URLError, match="certificate"):
            gateway.health()
        with pytest.raises(av.error.OSError):
            _open(_url(gateway, signing_key, lab), sites[0].ca_cert)


def _ptz_post(port: int, ca: Path) -> int:
    context = ssl.create_default_context(cafile=str(ca))
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    body = ('<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
            '<s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'
            "</s:Body></s:Envelope>")
    try:
        connection.request("POST", "/onvif/device_service", body,
                           {"Content-Type": "application/soap+xml; charset=utf-8"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_ptz_is_served_over_https_and_refuses_another_ca(
        secure: GatewayProcess, sites: tuple[tls.SiteTls, tls.SiteTls]) -> None:
    assert _ptz_post(secure.ptz_port, sites[0].ca_cert) == 200
    with pytest.raises(ssl.SSLCertVerificationError):
        _ptz_post(secure.ptz_port, sites[1].ca_cert)
    # and a plain-HTTP client gets no answer at all
    plain = http.client.HTTPConnection("127.0.0.1", secure.ptz_port, timeout=10)
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        plain.request("POST", "/onvif/device_service", "x")
        plain.getresponse()
    plain.close()


def test_the_product_ptz_controller_speaks_https_with_the_site_ca_only(
        secure: GatewayProcess, lab: Lab, signing_key: Ed25519PrivateKey,
        sites: tuple[tls.SiteTls, tls.SiteTls]) -> None:
    camera = camera_id(lab.cameras[0])
    user = (7, "ioc.operator", "Trần Thị Bình")
    secure.set_ptz_holder(camera, {"user_id": user[0], "username": user[1],
                                   "full_name": user[2], "until": time.time() + 30})
    issued = int(time.time()) - 1
    text = encode_ptz(PtzToken(user_id=user[0], username=user[1], camera_id=camera,
                               issued_at=issued, expires_at=issued + 30), signing_key.sign)
    heard: list[str] = []
    lab.on_onvif_request(0, heard.append)

    async def drive(ca: Path) -> None:
        ptz = OnvifPtzController("127.0.0.1", secure.ptz_port, text, text, label="TLS",
                                 ca_file=str(ca))
        try:
            await ptz.connect()
            await ptz.relative_move(0.1, 0.0, 0.0)
        finally:
            await ptz.close()

    try:
        with pytest.raises(PtzError, match="certificate"):
            asyncio.run(asyncio.wait_for(drive(sites[1].ca_cert), 30))
        assert heard == []  # the camera heard nothing
        asyncio.run(asyncio.wait_for(drive(sites[0].ca_cert), 30))
        assert "RelativeMove" in heard
    finally:
        lab.on_onvif_request(0, None)
