"""The ONVIF onboarding probe (gateway/probe.py) against the lab's awkward ONVIF cameras.

The ONVIF half runs here, in the suite's own process, under its socket guard (loopback only):
a probe that followed a camera's advertised private address would fail the test. The whole
probe, with each proposed stream verified through GStreamer, runs in a real gateway behind its
control endpoint (``POST /probe``), the password sealed to the gateway's key.
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.public import PublicKey, SealedBox
from pytest_socket import SocketConnectBlockedError

from common.vocabulary import ProbeFailure
from gateway.onvif_soap import ProbeError, parse_xml
from gateway.probe import ProbeRequest, ProbeResult, probe
from gateway.process import GatewayProcess
from lab import Lab, LabCamera
from lab.testing import (
    DIGEST_ONLY,
    MEDIA2_H265,
    PLAIN_ONVIF,
    SKEWED_NAT_PTZ,
    TIME_LOGIN_PTZ,
)
from lab.util import free_port
from tests.gateway.helpers import public_pem

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def probe_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    """A gateway with no camera yet (an administrator is onboarding its first) and a key."""
    key_file = tmp_path_factory.mktemp("gw-probe") / "x25519.key"
    config = {"rtsp": {"address": "127.0.0.1", "port": 0},
              "control": {"address": "127.0.0.1", "port": 0,
                          "secret": secrets.token_urlsafe(24)},
              "token_keys": [public_pem(Ed25519PrivateKey.generate())],
              "max_token_lifetime_s": 600, "cameras": [], "key_file": str(key_file)}
    with GatewayProcess(config) as running:
        yield running


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every address this process connects to during the test."""
    seen: list[Any] = []
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        seen.append(address)
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def onvif(cam: LabCamera, password: str | None = None) -> ProbeRequest:
    assert cam.onvif_host and cam.onvif_port
    return ProbeRequest(cam.onvif_host, cam.onvif_port, cam.onvif_username or "",
                        cam.onvif_password if password is None else password)


def run(request: ProbeRequest, seconds: float = 20.0) -> ProbeResult:
    return probe(request, time.monotonic() + seconds, verify=None)


def failure_of(request: ProbeRequest) -> ProbeError:
    with pytest.raises(ProbeError) as caught:
        run(request)
    return caught.value


def by_token(result: ProbeResult) -> dict[str, Any]:
    return {p.token: p for p in result.profiles}


def test_clock_hours_off_and_a_foreign_address_rewritten_never_followed(
        onvif_lab: Lab, connections: list[Any]) -> None:
    cam = onvif_lab.cameras[SKEWED_NAT_PTZ]
    result = run(onvif(cam))
    assert abs((result.clock_offset_s or 0) - 7 * 3600) <= 2 and result.clock_source == "soap"
    assert result.rewritten == ["192.168.1.64"]  # advertised, and not followed:
    assert connections and {host for host, _port in connections} == {"127.0.0.1"}
    profiles = by_token(result)
    main_path = cam.main_url.split(f":{onvif_lab.rtsp_port}", 1)[1]
    assert profiles["Profile_Main"].stream_uri == f"rtsp://127.0.0.1:{onvif_lab.rtsp_port}" \
        f"{main_path}"
    assert profiles["Profile_Main"].stream_path() == main_path
    assert (result.main, result.sub) == ("Profile_Main", "Profile_Sub")
    assert result.device["model"] == "LabPTZ-1" and result.device["serial"] == "LAB-0001"
    assert result.ptz is not None and result.ptz["continuous"] and result.ptz["zoom"]
    assert result.ptz["nodes"][0]["token"] == "PTZNode0"
    assert set(result.services) == {"device", "media", "ptz"}


def test_digest_only_camera_that_wants_a_login_even_for_its_clock(onvif_lab: Lab) -> None:
    cam = onvif_lab.cameras[DIGEST_ONLY]
    result = run(onvif(cam))
    # learnt from the refusal's Date header, then read with the login
    assert abs((result.clock_offset_s or 0) + 5 * 3600 + 13 * 60) <= 2
    assert result.clock_source == "soap-login"
    assert result.device["model"] == "LabCam-1"
    assert [p.codec for p in result.profiles] == ["H264", "H264"]
    assert result.ptz is None
    wrong = failure_of(onvif(cam, "not-" + (cam.onvif_password or "")))
    assert wrong.failure == ProbeFailure.AUTH_FAILED and wrong.step == "GetSystemDateAndTime"


def test_media2_h265_profiles_found_through_undeclared_prefixes(onvif_lab: Lab) -> None:
    cam = onvif_lab.cameras[MEDIA2_H265]
    result = run(onvif(cam))
    assert "media2" in result.services
    profiles = by_token(result)
    assert {t: (p.codec, p.media) for t, p in profiles.items()} == {
        "Profile_Main": ("H265", "media2"), "Profile_Sub": ("H265", "media2")}
    assert (profiles["Profile_Main"].width, profiles["Profile_Main"].height) == (
        cam.main_width, cam.main_height)
    assert profiles["Profile_Main"].fps == 25.0
    assert (result.main, result.sub) == ("Profile_Main", "Profile_Sub")
    assert result.device["manufacturer"] == "iocwall lab"  # read through the undeclared tt:


def test_a_reply_with_an_undeclared_prefix_still_parses() -> None:
    root = parse_xml(b'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">'
                     b"<env:Body><ptz:GetNodesResponse><tt:Name>x</tt:Name>"
                     b"</ptz:GetNodesResponse></env:Body></env:Envelope>")
    assert root.tag.endswith("Envelope")
    with pytest.raises(ValueError, match="DTD"):
        parse_xml(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>')


def test_login_for_the_time_answered_by_a_fault(onvif_lab: Lab) -> None:
    result = run(onvif(onvif_lab.cameras[TIME_LOGIN_PTZ]))
    assert result.clock_source == "soap-login" and abs(result.clock_offset_s or 0) <= 2
    assert result.ptz is not None


def test_missing_optional_services(onvif_lab: Lab) -> None:
    cam = onvif_lab.cameras[PLAIN_ONVIF]
    result = run(onvif(cam))
    assert result.services == ["device", "media"] and result.ptz is None
    assert all(p.media == "media1" for p in result.profiles)
    wrong = failure_of(onvif(cam, "wrong"))
    assert wrong.failure == ProbeFailure.AUTH_FAILED and wrong.step == "GetDeviceInformation"


def test_closed_port_is_unreachable() -> None:
    error = failure_of(ProbeRequest("127.0.0.1", free_port(), "admin", "x"))
    assert error.failure == ProbeFailure.UNREACHABLE and error.step == "GetSystemDateAndTime"


def test_an_http_server_that_is_not_onvif() -> None:
    class Page(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b"<html><body>Router login</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        error = failure_of(ProbeRequest("127.0.0.1", server.server_address[1], "admin", "x"))
    finally:
        server.shutdown()
        server.server_close()
    assert error.failure == ProbeFailure.NOT_ONVIF and error.step == "GetSystemDateAndTime"


def test_a_probe_off_loopback_is_refused_by_the_suites_socket_guard() -> None:
    # 192.168.1.64 is what a NATed camera advertises: the probe never dials it itself, and
    # were anything in the suite to, the guard stops it before a packet leaves
    with pytest.warns(UserWarning, match='host "192.168.1.64"'), \
            pytest.raises(SocketConnectBlockedError):
        run(ProbeRequest("192.168.1.64", 80, "admin", "x"))


# -- through a real gateway: sealed password, GStreamer verification ------------------------------
def seal(gateway: GatewayProcess, password: str) -> str:
    assert gateway.public_key
    box = SealedBox(PublicKey(base64.b64decode(gateway.public_key)))
    return base64.b64encode(box.encrypt(password.encode())).decode()


def wait_logged(gateway: GatewayProcess, line: str, timeout: float = 5.0) -> str:
    """The gateway's stderr so far, once ``line`` is in it (it is read on another thread)."""
    deadline = time.monotonic() + timeout
    while True:
        logged = "\n".join(gateway.stderr_lines)
        if line in logged or time.monotonic() > deadline:
            assert line in logged
            return logged
        time.sleep(0.05)


def gateway_probe(gateway: GatewayProcess, cam: LabCamera,
                  password: str | None = None) -> tuple[int, dict[str, Any]]:
    body = {"host": cam.onvif_host, "port": cam.onvif_port, "username": cam.onvif_username,
            "sealed_password": seal(gateway, cam.onvif_password if password is None
                                    else password)}
    status, answer = gateway.control("POST", "/probe", body, timeout=40)
    text = json.dumps(answer)
    assert (cam.onvif_password or "") not in text and "@" not in text
    return status, answer


def test_gateway_probe_verifies_h265_main_and_sub_through_gstreamer(
        onvif_lab: Lab, probe_gateway: GatewayProcess) -> None:
    cam = onvif_lab.cameras[MEDIA2_H265]
    status, answer = gateway_probe(probe_gateway, cam)
    assert status == 200 and answer["ok"], answer
    assert answer["proposed"] == {"main": "Profile_Main", "sub": "Profile_Sub"}
    main, sub = answer["verification"]["main"], answer["verification"]["sub"]
    assert main["ok"] and main["codec"] == "h265"
    assert (main["width"], main["height"]) == (cam.main_width, cam.main_height)
    assert sub["ok"] and (sub["width"], sub["height"]) == (640, 360)
    assert main["fps"] and 20 <= main["fps"] <= 30
    assert all(p["stream_path"].startswith("/cam03/") for p in answer["profiles"])
    logged = wait_logged(probe_gateway, f"probe of 127.0.0.1 port {cam.onvif_port}: ok")
    assert (cam.onvif_password or "") not in logged


def test_gateway_probe_of_a_nated_skewed_ptz_camera(
        onvif_lab: Lab, probe_gateway: GatewayProcess) -> None:
    status, answer = gateway_probe(probe_gateway, onvif_lab.cameras[SKEWED_NAT_PTZ])
    assert status == 200 and answer["ok"], answer
    assert answer["rewritten_hosts"] == ["192.168.1.64"]
    assert answer["verification"]["main"]["ok"] and answer["verification"]["sub"]["ok"]
    assert answer["ptz"]["nodes"][0]["token"] == "PTZNode0"
    assert abs(answer["clock_offset_s"] - 7 * 3600) <= 2


def test_gateway_probe_wrong_password_and_dead_stream(
        onvif_lab: Lab, probe_gateway: GatewayProcess) -> None:
    cam = onvif_lab.cameras[PLAIN_ONVIF]
    status, answer = gateway_probe(probe_gateway, cam, "wrong")
    assert status == 200 and answer["failure"] == "auth_failed"
    assert answer["step"] == "GetDeviceInformation"
    onvif_lab.stop_stream(cam.index)
    try:
        status, answer = gateway_probe(probe_gateway, cam)
    finally:
        onvif_lab.start_stream(cam.index)
    assert status == 200 and not answer["ok"]
    assert answer["failure"] == "no_stream" and answer["step"].startswith("verify ")
    assert answer["partial"]["proposed"]["main"] == "Profile_Main"  # what was found is kept


def test_gateway_probe_refuses_bad_bodies_naming_the_field(
        probe_gateway: GatewayProcess) -> None:
    cases = [({"host": "cam.example; rm", "port": 80}, "host"),
             ({"host": "10.0.0.5", "port": 70000}, "port"),
             ({"host": "10.0.0.5", "rtsp_url": "rtsp://admin:pw@10.0.0.5/ch1"}, "rtsp_url"),
             ({"host": "10.0.0.5", "port": 80, "sealed_password": "bm90IHNlYWxlZA=="},
              "sealed_password"),
             ({"host": "10.0.0.5", "port": 80, "password": "clear"}, "password")]
    for body, field in cases:
        status, answer = probe_gateway.control("POST", "/probe", body)
        assert status == 400 and answer["error"].startswith(field), (body, answer)


def test_rtsp_only_camera_is_verified(onvif_lab: Lab, probe_gateway: GatewayProcess) -> None:
    cam = onvif_lab.cameras[PLAIN_ONVIF]
    body = {"host": "127.0.0.1", "port": None, "username": cam.rtsp_username,
            "sealed_password": seal(probe_gateway, cam.rtsp_password), "rtsp_url": cam.sub_url}
    status, answer = probe_gateway.control("POST", "/probe", body, timeout=40)
    assert status == 200 and answer["ok"], answer
    assert answer["verification"]["main"]["ok"] and answer["verification"]["main"]["width"] == 640


def test_a_clock_never_set_is_refused_as_clock_skew(onvif_lab: Lab) -> None:
    cam = onvif_lab.cameras[PLAIN_ONVIF]
    onvif_lab.set_clock_skew(cam.index, -400 * 86400)  # back at its factory date
    try:
        error = failure_of(onvif(cam))
    finally:
        onvif_lab.set_clock_skew(cam.index, 0)
    assert error.failure == ProbeFailure.CLOCK_SKEW and error.step == "GetSystemDateAndTime"


def test_without_get_services_the_capabilities_give_the_services(onvif_lab: Lab) -> None:
    cam = onvif_lab.cameras[SKEWED_NAT_PTZ]
    onvif_lab.refuse_onvif(cam.index, {"GetServices"})
    try:
        result = run(onvif(cam))
    finally:
        onvif_lab.refuse_onvif(cam.index, ())
    assert set(result.services) == {"device", "media", "ptz"}
    assert result.rewritten == ["192.168.1.64"] and result.ptz is not None


def test_a_silent_camera_ends_at_the_deadline(onvif_lab: Lab) -> None:
    cam = onvif_lab.cameras[PLAIN_ONVIF]
    onvif_lab.drop_onvif(cam.index)
    started = time.monotonic()
    try:
        with pytest.raises(ProbeError) as caught:
            run(onvif(cam), seconds=1.5)
    finally:
        onvif_lab.drop_onvif(cam.index, False)
    assert caught.value.failure == ProbeFailure.TIMEOUT
    assert caught.value.step == "GetSystemDateAndTime"
    assert time.monotonic() - started < 3.0


def test_an_echoed_password_is_masked_in_the_answer() -> None:
    from gateway.probing import without_secret

    answer = {"ok": True, "profiles": [{"stream_uri": "rtsp://10.0.0.5/ch1?user=a&pwd=S3cr3t!",
                                        "width": 1}]}
    assert "S3cr3t!" not in json.dumps(without_secret(answer, "S3cr3t!"))
    assert without_secret(answer, "1")["profiles"][0]["width"] == 1  # numbers stay numbers


def test_a_probe_waiting_on_a_silent_camera_does_not_hold_up_revocations(
        onvif_lab: Lab, probe_gateway: GatewayProcess) -> None:
    cam = onvif_lab.cameras[PLAIN_ONVIF]
    onvif_lab.drop_onvif(cam.index)
    answers: list[tuple[int, dict[str, Any]]] = []
    try:
        probing = threading.Thread(target=lambda: answers.append(
            gateway_probe(probe_gateway, cam)))
        probing.start()
        time.sleep(0.5)  # the probe now waits for the camera
        started = time.monotonic()
        status, _ = probe_gateway.control("POST", "/revoke", {"user_id": 7})
        assert status == 200 and time.monotonic() - started < 0.5
        assert probe_gateway.health()
        probing.join(30)
    finally:
        onvif_lab.drop_onvif(cam.index, False)
    ((status, answer),) = answers
    assert status == 200 and answer["failure"] == "unreachable"
    assert answer["step"] == "GetSystemDateAndTime"


def test_probe_needs_the_control_secret(probe_gateway: GatewayProcess) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{probe_gateway.control_port}/probe", method="POST",
        data=json.dumps({"host": "127.0.0.1", "port": 80}).encode(),
        headers={"Authorization": "Bearer not-the-secret", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback
    assert refused.value.code == 401


def test_stream_uris_keep_port_and_path_on_the_entered_host_without_user_info() -> None:
    from gateway.probe import clean_uri

    assert clean_uri("rtsp://admin:12345@192.168.1.64:554/Streaming/Channels/101?transportmode"
                     "=unicast", "10.20.0.7") == \
        "rtsp://10.20.0.7:554/Streaming/Channels/101?transportmode=unicast"
    assert clean_uri("rtsp://192.168.1.64/live", "fe80::1") == "rtsp://[fe80::1]/live"


def test_rtsp_only_camera_with_a_wrong_password(onvif_lab: Lab,
                                                probe_gateway: GatewayProcess) -> None:
    cam = onvif_lab.cameras[PLAIN_ONVIF]
    body = {"host": "127.0.0.1", "port": None, "username": cam.rtsp_username,
            "sealed_password": seal(probe_gateway, "wrong"), "rtsp_url": cam.main_url}
    status, answer = probe_gateway.control("POST", "/probe", body, timeout=40)
    assert status == 200 and answer["failure"] == "auth_failed", answer
    assert answer["step"] == "verify main stream"
