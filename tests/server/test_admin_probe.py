"""``POST /api/v1/admin/cameras/probe`` for real: the backend seals the password to a running
gateway's key, the gateway probes a lab camera over ONVIF (clock off, behind NAT) and plays its
proposed streams through GStreamer; administrators only, audited without the password."""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.public import PrivateKey

from gateway.process import GatewayProcess
from lab import CameraTraits, Lab
from lab.testing import start_test_lab
from lab.util import free_port
from server.models import Gateway
from tests.gateway.helpers import public_pem
from tests.server.conftest import Backend

pytestmark = pytest.mark.lab

NAT_PTZ = 0  # PTZ, clock an hour ahead, advertises 10.0.0.5
PLAIN = 1  # ONVIF without PTZ


@pytest.fixture(scope="module")
def probe_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    traits = {NAT_PTZ: CameraTraits(clock_skew_s=3600, advertise_host="10.0.0.5"),
              PLAIN: CameraTraits(onvif=True)}
    with start_test_lab(tmp_path_factory.mktemp("lab-admin-probe"), cameras=2,
                        traits=traits) as running:
        yield running


@pytest.fixture(scope="module")
def site_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    """A gateway of the site, near the cameras: no camera yet, a key to seal passwords to."""
    config = {"rtsp": {"address": "127.0.0.1", "port": 0},
              "control": {"address": "127.0.0.1", "port": 0,
                          "secret": secrets.token_urlsafe(24)},
              "token_keys": [public_pem(Ed25519PrivateKey.generate())],
              "max_token_lifetime_s": 600, "cameras": [],
              "key_file": str(tmp_path_factory.mktemp("site-gw") / "x25519.key")}
    with GatewayProcess(config) as running:
        yield running


def register(backend: Backend, gateway: GatewayProcess | None, name: str = "site") -> int:
    """The gateway as the backend knows it, its key learnt (what GatewaySync does); None: a
    gateway that does not answer."""
    runtime = backend.client.app.state.runtime  # type: ignore[attr-defined]
    port = gateway.control_port if gateway else free_port()
    secret = gateway.secret if gateway else "x" * 24
    with runtime.sessions() as session:
        row = Gateway(name=name, rtsp_host="127.0.0.1", rtsp_port=8555,
                      control_url=f"http://127.0.0.1:{port}", is_active=True,
                      control_secret_enc=runtime.secrets.encrypt(secret),
                      public_key=gateway.public_key if gateway else base64.b64encode(
                          bytes(PrivateKey.generate().public_key)).decode())
        session.add(row)
        session.commit()
        return int(row.id)


def probe_body(lab: Lab, index: int, gateway_id: int,
               changes: dict[str, Any] | None = None) -> dict[str, Any]:
    cam = lab.cameras[index]
    return {"gateway_id": gateway_id, "host": cam.onvif_host, "port": cam.onvif_port,
            "username": cam.onvif_username, "password": cam.onvif_password, **(changes or {})}


def test_an_administrator_probes_a_camera_through_its_gateway(
        demo: Backend, probe_lab: Lab, site_gateway: GatewayProcess) -> None:
    gateway_id = register(demo, site_gateway)
    cam = probe_lab.cameras[NAT_PTZ]
    admin = demo.login("ioc.admin")
    reply = demo.post("/admin/cameras/probe", admin,
                      json=probe_body(probe_lab, NAT_PTZ, gateway_id))
    assert reply.status_code == 200, reply.text
    answer = reply.json()
    assert answer["device"]["model"] == "LabPTZ-1"
    assert abs(answer["clock_offset_s"] - 3600) <= 2
    assert answer["rewritten_hosts"] == ["10.0.0.5"]
    assert answer["proposed"] == {"main": "Profile_Main", "sub": "Profile_Sub"}
    main = answer["verification"]["main"]
    assert main["ok"] and main["codec"] == "h264"
    assert (main["width"], main["height"]) == (cam.main_width, cam.main_height)
    assert answer["verification"]["sub"]["ok"]
    assert answer["ptz"]["continuous"]
    assert (cam.onvif_password or "") not in reply.text
    (row,) = demo.audit_rows("camera_probe")
    assert row["detail"]["host"] == "127.0.0.1" and row["detail"]["outcome"] == "ok"
    assert (cam.onvif_password or "") not in json.dumps(row)


def test_a_failed_probe_names_its_step_and_is_audited(
        demo: Backend, probe_lab: Lab, site_gateway: GatewayProcess) -> None:
    gateway_id = register(demo, site_gateway)
    admin = demo.login("ioc.admin")
    reply = demo.post("/admin/cameras/probe", admin, json=probe_body(
        probe_lab, PLAIN, gateway_id, {"password": "not-the-password"}))
    assert reply.status_code == 502, reply.text
    error = reply.json()
    assert error["code"] == "probe_failed"
    assert error["context"]["failure"] == "auth_failed"
    assert error["context"]["step"] == "GetDeviceInformation"
    assert "not-the-password" not in reply.text
    closed = demo.post("/admin/cameras/probe", admin, json=probe_body(
        probe_lab, PLAIN, gateway_id, {"port": free_port()}))
    assert closed.status_code == 502 and closed.json()["context"]["failure"] == "unreachable"
    rows = demo.audit_rows("camera_probe")
    assert [(r["detail"]["outcome"], r["detail"]["step"]) for r in rows] == [
        ("auth_failed", "GetDeviceInformation"), ("unreachable", "GetSystemDateAndTime")]
    assert "not-the-password" not in json.dumps(rows)


def test_bad_input_is_refused_naming_the_field(demo: Backend, probe_lab: Lab) -> None:
    gateway_id = register(demo, None)
    admin = demo.login("ioc.admin")
    cases = [({"port": None}, "port"),
             ({"gateway_id": 999_999}, "gateway_id"),
             ({"host": "cam/../x"}, "host"),
             ({"port": None, "rtsp_url": "rtsp://192.168.1.64:554/ch1"}, "rtsp_url"),
             ({"rtsp_url": "rtsp://admin:pw@127.0.0.1/ch1"}, "rtsp_url")]
    for changes, field in cases:
        reply = demo.post("/admin/cameras/probe", admin,
                          json=probe_body(probe_lab, PLAIN, gateway_id, changes))
        assert reply.status_code == 422 and reply.json()["field"] == field, (changes, reply.text)
    # a gateway that does not answer: 504 naming the gateway as the step
    reply = demo.post("/admin/cameras/probe", admin, json=probe_body(probe_lab, PLAIN,
                                                                     gateway_id))
    assert reply.status_code == 504 and reply.json()["context"]["step"] == "gateway"


@pytest.mark.parametrize("username", ["ioc.operator", "police.commander", "ward.dongphu.police"])
def test_only_administrators_may_probe(demo: Backend, probe_lab: Lab, username: str) -> None:
    reply = demo.post("/admin/cameras/probe", demo.login(username),
                      json=probe_body(probe_lab, PLAIN, 1))
    assert reply.status_code == 403
    assert demo.post("/admin/cameras/probe", None,
                     json=probe_body(probe_lab, PLAIN, 1)).status_code == 401


def test_a_csv_row_with_only_an_onvif_address_gets_its_streams_from_the_gateway(
        demo: Backend, probe_lab: Lab, site_gateway: GatewayProcess) -> None:
    gateway_id = register(demo, site_gateway)
    admin = demo.login("ioc.admin")
    cam = probe_lab.cameras[PLAIN]
    header = "external_id,name,ward,system,onvif,username,password\n"
    good = (f"lab-onvif-1,CAM ONVIF,Đồng Phú,smart_city,{cam.onvif_host}:{cam.onvif_port},"
            f"{cam.onvif_username},{cam.onvif_password}\n")
    closed = (f"lab-onvif-2,CAM TẮT,Đồng Phú,smart_city,127.0.0.1:{free_port()},"
              f"{cam.onvif_username},{cam.onvif_password}\n")

    def imported(body: str, dry_run: bool) -> Any:
        return demo.client.post(
            "/api/v1/admin/cameras/import", params={"dry_run": dry_run, "gateway_id": gateway_id},
            content=body.encode(), headers={"Authorization": f"Bearer {admin}",
                                            "Content-Type": "text/csv"})

    dry = imported(header + good + closed, True)
    assert dry.status_code == 200, dry.text
    answer = dry.json()
    assert [(r["row"], r["action"]) for r in answer["rows"]] == [(2, "create")]
    assert [(e["row"], e["column"]) for e in answer["errors"]] == [(3, "onvif")]
    assert "unreachable" in answer["errors"][0]["reason"]
    assert (cam.onvif_password or "") not in dry.text
    # all or nothing: the closed camera's row keeps the good one out too
    assert imported(header + good + closed, False).status_code == 422
    assert "CAM ONVIF" not in [c["name"] for c in demo.get("/admin/cameras", admin).json()]

    done = imported(header + good, False)
    assert done.status_code == 200, done.text
    camera_id = done.json()["rows"][0]["camera_id"]
    camera = demo.get(f"/admin/cameras/{camera_id}", admin).json()
    assert camera["main_url"].startswith("rtsp://127.0.0.1:") and camera["sub_url"]
    assert camera["main_url"] != camera["sub_url"] and camera["has_credentials"]


def test_a_gateway_busy_with_other_probes_is_said_so_not_called_unreachable(
        demo: Backend, probe_lab: Lab, site_gateway: GatewayProcess) -> None:
    gateway_id = register(demo, site_gateway)
    admin = demo.login("ioc.admin")
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers: probes wait
    held: list[socket.socket] = []
    answers: list[Any] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                held.append(silent.accept()[0])

    def probe() -> None:
        answers.append(demo.post("/admin/cameras/probe", admin, json=probe_body(
            probe_lab, PLAIN, gateway_id, {"port": silent.getsockname()[1]})))

    threading.Thread(target=accept, daemon=True).start()
    probes = [threading.Thread(target=probe) for _ in range(3)]
    try:
        for thread in probes:
            thread.start()
        for thread in probes:
            thread.join(60)
    finally:
        silent.close()
        for sock in held:
            sock.close()
    codes = sorted(reply.status_code for reply in answers)
    # two probes run (and fail on the silent camera); the third is told the gateway is busy
    assert codes.count(503) == 1 and set(codes) - {503} <= {502, 504}, \
        [(r.status_code, r.text) for r in answers]
    (busy,) = [reply for reply in answers if reply.status_code == 503]
    assert busy.json()["code"] == "gateway_busy"
    assert busy.json()["context"]["step"] == "gateway"
