"""``POST /api/v1/admin/cameras/preview`` for real: the backend seals the password to a running
gateway's key, the gateway mounts the lab camera's stream as a preview, and the session URL
answered plays like a camera session's; administrators only, audited without the password."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gateway.previews import MAX_PREVIEWS
from gateway.process import GatewayProcess
from lab import Lab
from lab.testing import start_test_lab
from server.models import Gateway
from server.stream_sessions import public_key_base64
from tests.gateway.helpers import probe_video
from tests.server.conftest import Backend

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def preview_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("lab-admin-preview"), cameras=1) as running:
        yield running


@pytest.fixture
def preview_gateway(demo: Backend, tmp_path: Path) -> Iterator[tuple[GatewayProcess, int]]:
    """A gateway of the site trusting the backend's stream tokens, registered and heard from.
    The gateway checks tokens against the real time: the backend issues them at it."""
    demo.clock.now = datetime.now(UTC)
    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    config = {"rtsp": {"address": "127.0.0.1", "port": 0},
              "control": {"address": "127.0.0.1", "port": 0,
                          "secret": secrets.token_urlsafe(24)},
              "token_keys": [public_key_base64(runtime.stream_key)],
              "max_token_lifetime_s": 600, "cameras": [],
              "key_file": str(tmp_path / "x25519.key")}
    with GatewayProcess(config) as gateway:
        with runtime.sessions() as session:
            row = Gateway(name="preview-site", rtsp_host="127.0.0.1",
                          rtsp_port=gateway.rtsp_port,
                          control_url=f"http://127.0.0.1:{gateway.control_port}",
                          is_active=True, last_seen_at=datetime.now(UTC),
                          control_secret_enc=runtime.secrets.encrypt(gateway.secret),
                          public_key=gateway.public_key)
            session.add(row)
            session.commit()
            gateway_id = int(row.id)
        yield gateway, gateway_id


def preview_body(lab: Lab, gateway_id: int, changes: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    cam = lab.cameras[0]
    return {"gateway_id": gateway_id, "rtsp_url": cam.sub_url, "username": cam.rtsp_username,
            "password": cam.rtsp_password, "transport": "tcp", **(changes or {})}


def test_an_administrator_previews_a_stream_before_saving_its_camera(
        demo: Backend, preview_lab: Lab,
        preview_gateway: tuple[GatewayProcess, int]) -> None:
    gateway, gateway_id = preview_gateway
    cam = preview_lab.cameras[0]
    cameras_before = len(demo.get("/admin/cameras", demo.login("ioc.admin")).json())
    admin = demo.login("ioc.admin")
    reply = demo.post("/admin/cameras/preview", admin, json=preview_body(preview_lab, gateway_id))
    assert reply.status_code == 201, reply.text
    url = reply.json()["url"]
    assert url.startswith(f"rtsp://127.0.0.1:{gateway.rtsp_port}/preview/")
    assert cam.rtsp_password not in reply.text
    info = probe_video(url)
    assert info["codec_name"] == "h264"
    (row,) = demo.audit_rows("camera_preview")
    assert row["detail"]["outcome"] == "ok" and row["detail"]["host"] == "127.0.0.1"
    assert cam.rtsp_password not in json.dumps(row) and url.split("token=")[1] not in \
        json.dumps(row)
    # nothing was saved
    assert len(demo.get("/admin/cameras", admin).json()) == cameras_before
    assert url.split("token=")[1] not in "\n".join(gateway.stderr_lines)


def test_bad_input_names_the_field_and_a_busy_gateway_is_said_so(
        demo: Backend, preview_lab: Lab,
        preview_gateway: tuple[GatewayProcess, int]) -> None:
    _gateway, gateway_id = preview_gateway
    admin = demo.login("ioc.admin")
    cam = preview_lab.cameras[0]
    for changes, field in (({"gateway_id": 999_999}, "gateway_id"),
                           ({"rtsp_url": cam.sub_url.replace("rtsp://", "rtsp://u:p@")},
                            "rtsp_url"),
                           ({"rtsp_url": "http://127.0.0.1/x"}, "rtsp_url"),
                           ({"transport": "pigeon"}, "transport")):
        reply = demo.post("/admin/cameras/preview", admin,
                          json=preview_body(preview_lab, gateway_id, changes))
        assert reply.status_code == 422 and reply.json()["field"] == field, (changes,
                                                                             reply.text)
    for _ in range(MAX_PREVIEWS):
        assert demo.post("/admin/cameras/preview", admin,
                         json=preview_body(preview_lab, gateway_id)).status_code == 201
    busy = demo.post("/admin/cameras/preview", admin, json=preview_body(preview_lab, gateway_id))
    assert busy.status_code == 503 and busy.json()["code"] == "gateway_busy", busy.text


@pytest.mark.parametrize("username", ["ioc.operator", "police.commander", "ward.dongphu.police"])
def test_only_administrators_may_preview(demo: Backend, preview_lab: Lab,
                                         username: str) -> None:
    body = preview_body(preview_lab, 1)
    assert demo.post("/admin/cameras/preview", demo.login(username), json=body).status_code \
        == 403
    assert demo.post("/admin/cameras/preview", None, json=body).status_code == 401
