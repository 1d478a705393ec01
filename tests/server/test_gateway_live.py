"""The embedded media gateway, for real: a lab of two cameras, the backend with its lifespan
(the supervisor starts the gateway as `python -m server` does), viewers reading session URLs
the route issued. Passwords reach the gateway sealed; sessions are audited with their
duration; a killed gateway comes back; a deactivated user or an ended grant is cut in ≤ 5 s."""

from __future__ import annotations

import base64
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import av
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import select, update

from common.tls import ffmpeg_tls_options
from gateway.process import GatewayProcess
from server import tls
from server.demo import read_manifest, seed_demo
from server.gateways import GatewaySupervisor
from server.main import create_app
from server.models import AccessGrant, Camera, Gateway, Unit
from server.stream_sessions import public_key_base64
from tests.gateway.helpers import Reader, refused, wait_until
from tests.server.conftest import Backend, MovableClock, TestDatabases, make_settings

pytestmark = pytest.mark.lab

CUT_WITHIN_S = 5.0


class RealClock(MovableClock):
    """The gateway checks tokens against the real time: so must the backend issue them."""

    def __call__(self) -> datetime:
        return datetime.now(UTC)


def runtime_of(backend: Backend) -> Any:
    return backend.client.app.state.runtime  # type: ignore[attr-defined]


def supervisor_of(backend: Backend) -> GatewaySupervisor:
    supervisor = runtime_of(backend).gateway_supervisor
    assert supervisor is not None
    return supervisor  # type: ignore[no-any-return]


@pytest.fixture
def live(lab: Any, database: TestDatabases, migrated_template: str,
         new_database: Callable[..., str], tmp_path: Path) -> Iterator[Backend]:
    yield from _live(lab, database, migrated_template, new_database, tmp_path)


@pytest.fixture
def live_tls(lab: Any, database: TestDatabases, migrated_template: str,
             new_database: Callable[..., str], tmp_path: Path) -> Iterator[Backend]:
    """A site with its CA (``python -m server init`` made it): the gateway gets its
    certificate at start."""
    tls.create_site(tmp_path / "data", "IOC")
    yield from _live(lab, database, migrated_template, new_database, tmp_path)


def _live(lab: Any, database: TestDatabases, migrated_template: str,
          new_database: Callable[..., str], tmp_path: Path) -> Iterator[Backend]:
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    settings = make_settings(data_dir, new_database(data_dir, migrated_template)).model_copy(
        update={"gateway_rtsp_port": 0, "clip_worker": False, "gateway_sync": True})
    clock = RealClock()
    app = create_app(settings, clock=clock)
    runtime = app.state.runtime
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, clock(),
                  read_manifest(lab.manifest_path), settings)
    try:
        with TestClient(app) as client:
            backend = Backend(client, clock, settings, database)
            assert supervisor_of(backend).ready.wait(30), "the embedded gateway did not start"
            yield backend
    finally:
        runtime.engine.dispose()


def camera_of(backend: Backend, index: int) -> int:
    with runtime_of(backend).sessions() as session:
        return int(session.execute(select(Camera.id).where(
            Camera.external_id == f"lab:{index}")).scalar_one())


def open_session(backend: Backend, token: str, camera_id: int, stream: str = "sub") -> Any:
    return backend.post(f"/cameras/{camera_id}/streams/{stream}/session", token)


def play(backend: Backend, token: str, camera_id: int, stream: str = "sub") -> Reader:
    reply = open_session(backend, token, camera_id, stream)
    assert reply.status_code == 201, reply.text
    reader = Reader(reply.json()["url"]).start()
    reader.wait_playing()
    return reader


def audit_rows(backend: Backend, event: str) -> list[dict[str, Any]]:
    return backend.audit_rows(event)


def test_passwords_reach_the_gateway_sealed_and_it_plays_without_a_clear_copy(
        live: Backend, lab: Any) -> None:
    supervisor = supervisor_of(live)
    runtime = runtime_of(live)
    key_file = live.settings.gateway_dir / "x25519.key"
    gateway_key = PrivateKey(base64.b64decode(key_file.read_bytes()))  # the test, not the backend
    with runtime.sessions() as session:
        row = session.execute(select(Gateway)).scalar_one()
        cameras = session.execute(select(Camera).order_by(Camera.external_id)).scalars().all()
        assert row.public_key == base64.b64encode(bytes(gateway_key.public_key)).decode()
        for camera, lab_camera in zip(cameras, lab.cameras, strict=True):
            assert camera.gateway_id == row.id
            sealed = base64.b64decode(camera.rtsp_password_sealed or "")
            assert lab_camera.rtsp_password.encode() not in sealed
            # the gateway's private key opens it; no key the backend holds does
            assert SealedBox(gateway_key).decrypt(sealed).decode() == lab_camera.rtsp_password
            for other in (PrivateKey.generate(),
                          PrivateKey(runtime.stream_key.private_bytes_raw()),
                          PrivateKey(runtime.signer.private_bytes_raw())):
                with pytest.raises(CryptoError):
                    SealedBox(other).decrypt(sealed)
    # what goes down the gateway's stdin: sealed passwords only, no clear one
    config = supervisor._configuration()
    text = str(config)
    assert all("sealed_password" in entry and "password" not in entry
               for entry in config["cameras"])
    assert not any(cam.rtsp_password in text for cam in lab.cameras)
    # the backend keeps no other copy (no column could hold one): a gateway started afresh
    # opens what was sealed to it and plays
    assert not any("password" in c.name and not c.name.endswith("_sealed")
                   for c in Camera.__table__.columns)
    old_pid = supervisor.pid
    assert old_pid is not None
    supervisor.ready.clear()
    os.kill(old_pid, signal.SIGKILL)
    assert supervisor.ready.wait(20)
    reader = play(live, live.login("ioc.operator"), camera_of(live, 0))
    reader.close()
    with runtime.sessions() as session:
        assert all(c.rtsp_password_sealed for c in session.execute(select(Camera)).scalars())
    process = supervisor.process
    assert process is not None
    logs = "\n".join(process.stderr_lines)
    assert not any(cam.rtsp_password in logs for cam in lab.cameras)


def test_a_gateway_back_with_a_new_key_leaves_its_cameras_needing_credentials(
        live: Backend, caplog: pytest.LogCaptureFixture) -> None:
    """Nothing can seal the passwords to the new key (the backend cannot open the old boxes,
    and keeps no clear copy): they are dropped, the administrator sees it, the gateway runs."""
    supervisor = supervisor_of(live)
    runtime = runtime_of(live)
    key_file = live.settings.gateway_dir / "x25519.key"
    old_pid = supervisor.pid
    assert old_pid is not None
    key_file.unlink()  # lost with a disk, or replaced
    supervisor.ready.clear()
    os.kill(old_pid, signal.SIGKILL)
    with caplog.at_level("WARNING", logger="iocwall.gateway"):
        assert supervisor.ready.wait(20)
    assert "enter the credentials of" in caplog.text
    with runtime.sessions() as session:
        row = session.execute(select(Gateway)).scalar_one()
        assert row.public_key == base64.b64encode(
            bytes(PrivateKey(base64.b64decode(key_file.read_bytes())).public_key)).decode()
        cameras = session.execute(select(Camera)).scalars().all()
        assert {c.rtsp_password_sealed for c in cameras} == {None}
        assert {c.onvif_password_sealed for c in cameras} == {None}
    answer = live.get("/cameras", live.login("ioc.admin")).json()
    assert answer and {c["has_credentials"] for c in answer} == {False}
    assert supervisor.pid not in (None, old_pid)


def test_each_session_start_and_end_is_audited_with_its_duration(live: Backend) -> None:
    token = live.login("ioc.operator")
    camera_id = camera_of(live, 1)
    reader = play(live, token, camera_id, "main")
    time.sleep(1.5)
    reader.close()
    assert wait_until(lambda: audit_rows(live, "stream_session_end"), 10)
    (issued,) = audit_rows(live, "stream_session_issue")
    (start,) = audit_rows(live, "stream_session_start")
    (end,) = audit_rows(live, "stream_session_end")
    for row in (issued, start, end):
        assert (row["username"], row["camera_id"]) == ("ioc.operator", camera_id)
        assert row["detail"]["stream"] == "main"
        assert row["detail"]["session_id"] == issued["detail"]["session_id"]
    assert start["user_id"] == end["user_id"] == issued["user_id"]
    assert 1.0 <= end["detail"]["duration_s"] < 30
    assert end["detail"]["reason"] in ("teardown", "closed")
    assert "token" not in str([issued, start, end])  # no token (nor URL) in the log


def test_a_preview_on_the_embedded_gateway_plays_and_its_session_is_audited_without_a_camera(
        live: Backend, lab: Any) -> None:
    cam = lab.cameras[1]
    with runtime_of(live).sessions() as session:
        gateway_id = int(session.execute(select(Gateway.id).where(
            Gateway.name == live.settings.gateway_name)).scalar_one())
    reply = live.post("/admin/cameras/preview", live.login("ioc.admin"), json={
        "gateway_id": gateway_id, "rtsp_url": cam.sub_url, "username": cam.rtsp_username,
        "password": cam.rtsp_password, "transport": "tcp"})
    assert reply.status_code == 201, reply.text
    reader = Reader(reply.json()["url"]).start()
    reader.wait_playing()
    reader.close()
    assert wait_until(lambda: audit_rows(live, "stream_session_end"), 10)
    (opened,) = audit_rows(live, "camera_preview")
    (start,) = audit_rows(live, "stream_session_start")
    (end,) = audit_rows(live, "stream_session_end")
    for row in (start, end):
        assert (row["username"], row["camera_id"]) == ("ioc.admin", None)
        assert row["detail"]["stream"] == "preview"
        assert row["detail"]["session_id"] == opened["detail"]["session_id"]
    assert cam.rtsp_password not in str([opened, start, end])


def test_on_a_site_with_a_ca_sessions_are_rtsps_and_only_the_site_ca_opens_them(
        live_tls: Backend, tmp_path: Path) -> None:
    """End to end through the embedded gateway and the lab: the route hands out ``rtsps://``,
    PyAV plays it checking the site CA, a viewer trusting another CA is refused, and the
    backend's control calls (here a revocation) reach the gateway over HTTPS."""
    ca = live_tls.settings.site_ca_file
    assert ca is not None
    other = tls.create_site(tmp_path / "other", "other").ca_cert
    with runtime_of(live_tls).sessions() as session:
        row = session.execute(select(Gateway)).scalar_one()
        assert row.control_url.startswith("https://127.0.0.1:")
    admin = live_tls.login("ioc.admin")
    token = live_tls.login("ward.dongphu.police")
    camera_id = camera_of(live_tls, 0)
    url = open_session(live_tls, token, camera_id).json()["url"]
    assert url.startswith("rtsps://")
    with pytest.raises(av.error.OSError):
        av.open(url, options={"rtsp_transport": "tcp", **ffmpeg_tls_options(url, other)},
                timeout=(5, 5))
    reader = Reader(url, ca_file=ca).start()
    reader.wait_playing()
    me = live_tls.get("/me", token).json()
    assert live_tls.post(f"/admin/users/{me['id']}/deactivate", admin).status_code == 204
    assert reader.ended.wait(CUT_WITHIN_S), "the revocation did not reach the gateway"
    reader.close()


def test_a_killed_gateway_is_restarted_and_a_new_session_plays(live: Backend) -> None:
    supervisor = supervisor_of(live)
    token = live.login("ioc.operator")
    camera_id = camera_of(live, 0)
    play(live, token, camera_id).close()
    pid = supervisor.pid
    assert pid is not None
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: supervisor.restarts == 1 and supervisor.ready.is_set()
                      and supervisor.pid not in (None, pid), 15)
    reader = play(live, token, camera_id)
    assert time.monotonic() - killed_at < 10, "a new session plays within a few seconds"
    reader.close()


def test_a_deactivated_user_is_cut_within_5_s_and_cannot_start_again(live: Backend) -> None:
    admin = live.login("ioc.admin")
    token = live.login("ward.dongphu.police")
    bystander = live.login("ioc.operator")
    camera_id = camera_of(live, 0)
    reader = play(live, token, camera_id)
    other = play(live, bystander, camera_id)
    # a URL issued before the deactivation, not opened yet
    unused = open_session(live, token, camera_id).json()["url"]
    me = live.get("/me", token).json()
    asked = time.monotonic()
    assert live.post(f"/admin/users/{me['id']}/deactivate", admin).status_code == 204
    assert reader.ended.wait(CUT_WITHIN_S), "the deactivated user's stream still plays"
    assert reader.ended_at is not None and reader.ended_at - asked <= CUT_WITHIN_S
    assert not other.ended.is_set(), "another user's stream was cut"
    other.close()
    # a new session: refused by the route; and the unused URL by the gateway
    assert open_session(live, token, camera_id).status_code == 401
    with pytest.raises(av.error.FFmpegError):
        Reader(unused).start()
    assert wait_until(lambda: any(r["detail"]["reason"] == "revoked"
                                  for r in audit_rows(live, "stream_session_end")), 10)


def test_an_ending_grant_cuts_the_agency_on_that_camera_within_5_s(live: Backend) -> None:
    agency = live.login("agency.viewer")
    camera_id = camera_of(live, 0)  # smart city: grantable
    runtime = runtime_of(live)
    with runtime.sessions() as session:
        unit_id = session.execute(select(Unit.id).where(Unit.kind == "other_agency")
                                  ).scalars().first()
        now = datetime.now(UTC)
        session.add(AccessGrant(unit_id=unit_id, camera_id=camera_id,
                                valid_from=now - timedelta(minutes=1),
                                valid_until=now + timedelta(seconds=4), purpose="Điều tra"))
        session.commit()
    reader = play(live, agency, camera_id)
    ends = now + timedelta(seconds=4)
    assert reader.ended.wait(20)
    cut_after = datetime.now(UTC) - ends
    assert cut_after <= timedelta(seconds=CUT_WITHIN_S), cut_after
    assert open_session(live, agency, camera_id).status_code == 404


def test_no_secret_on_the_gateways_argv_environment_or_logs(live: Backend, lab: Any) -> None:
    supervisor = supervisor_of(live)
    process = supervisor.process
    assert process is not None and supervisor.pid is not None
    runtime = runtime_of(live)
    with runtime.sessions() as session:
        row = session.execute(select(Gateway)).scalar_one()
        control_secret = runtime.secrets.decrypt(row.control_secret_enc)
    assert control_secret
    secrets = [control_secret, *(cam.rtsp_password for cam in lab.cameras),
               *(cam.onvif_password for cam in lab.cameras if cam.onvif_password)]
    proc = Path(f"/proc/{supervisor.pid}")
    exposed = (proc / "cmdline").read_bytes() + (proc / "environ").read_bytes()
    play(live, live.login("ioc.operator"), camera_of(live, 0)).close()
    logs = "\n".join(process.stderr_lines).encode()
    for secret in secrets:
        assert secret.encode() not in exposed
        assert secret.encode() not in logs
    assert "IOCWALL_DATABASE_URL" not in exposed.decode(errors="replace")


def test_an_early_revoke_of_a_grant_cuts_the_agency(live: Backend) -> None:
    from tests.server.test_access_requests import _file

    agency = live.login("agency.viewer")
    ioc = live.login("ioc.operator")
    camera_id = camera_of(live, 0)
    filed = _file(live, agency, [camera_id])
    assert filed.status_code == 201, filed.text
    request_id = filed.json()["id"]
    until = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    granted = live.post(f"/access-requests/{request_id}/grant", ioc,
                        json={"camera_ids": [camera_id], "valid_until": until})
    assert granted.status_code == 200, granted.text
    reader = play(live, agency, camera_id)
    asked = time.monotonic()
    assert live.post(f"/access-requests/{request_id}/revoke", ioc).status_code == 200
    assert reader.ended.wait(CUT_WITHIN_S), "the agency still plays after the revoke"
    assert reader.ended_at is not None and reader.ended_at - asked <= CUT_WITHIN_S
    assert open_session(live, agency, camera_id).status_code == 404


def test_a_gateway_that_does_not_come_up_gets_no_sessions(
        database: TestDatabases, demo_template: str, new_database: Callable[..., str],
        tmp_path: Path) -> None:
    """An earlier run's address is not handed out while this run's gateway is not up: 503."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    settings = make_settings(data_dir, new_database(data_dir, demo_template)).model_copy(
        update={"gateway_rtsp_address": "192.0.2.1", "clip_worker": False})  # not ours: no bind
    app = create_app(settings, clock=RealClock())
    runtime = app.state.runtime
    with runtime.sessions() as session:  # as an earlier run left it
        session.execute(update(Gateway).values(last_seen_at=datetime.now(UTC), rtsp_port=8555))
        session.commit()
    try:
        with TestClient(app) as client:
            backend = Backend(client, RealClock(), settings, database)
            supervisor = supervisor_of(backend)
            camera_id = backend.camera_ids()[0]
            token = backend.login("ioc.operator")
            assert wait_until(lambda: open_session(backend, token, camera_id).status_code
                              == 503, 10)
            time.sleep(1.0)  # it tried, and failed
            assert not supervisor.ready.is_set() and supervisor.pid is None
            assert open_session(backend, token, camera_id).status_code == 503
    finally:
        runtime.engine.dispose()


def test_the_recorder_shares_the_viewers_camera_session_and_a_gateway_restart_is_a_gap(
        live: Backend, lab: Any, tmp_path: Path) -> None:
    """The recorder reads the live mount of the stream a viewer watches: the lab camera sees
    one session. The gateway killed under it: a gap, then it records again on its own."""
    from server.models import RecordingGap, RecordingSegment
    from server.recorder import CameraRecorder, GatewaySessions, RecordTarget

    runtime = runtime_of(live)
    supervisor = supervisor_of(live)
    camera_id = camera_of(live, 1)  # a clip camera: the lab gives each session a pipeline
    mount = f"/{lab.cameras[1].slug}/main"
    settings = live.settings.model_copy(update={"segment_seconds": 1,
                                                "recordings_dir": tmp_path / "recordings"})
    sessions = GatewaySessions(runtime.sessions, settings, runtime.stream_key)
    recorder = CameraRecorder(RecordTarget(camera_id, "CAM-02", sessions.for_camera(camera_id)),
                              runtime.sessions, settings)

    def segments() -> list[Any]:
        with runtime.sessions() as session:
            return list(session.execute(select(RecordingSegment).where(
                RecordingSegment.camera_id == camera_id).order_by(RecordingSegment.start_at)
            ).scalars())

    def gaps() -> list[Any]:
        with runtime.sessions() as session:
            return list(session.execute(select(RecordingGap).where(
                RecordingGap.camera_id == camera_id)).scalars())

    recorder.start()
    try:
        assert wait_until(lambda: mount in lab.rtsp_stats() and segments(), 30)
        viewer = play(live, live.login("ioc.operator"), camera_id, "main")
        try:
            assert lab.rtsp_stats()[mount]["pipelines"] == 1
            process = supervisor.process
            assert process is not None
            (row,) = [s for s in process.stats()["streams"]
                      if s["path"] == f"/cam/{camera_id}/main"]
            assert row["viewers"] == 2 and row["live_readers"] == 1
        finally:
            viewer.close()
        pid = supervisor.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: any(g.to_at is not None for g in gaps()), 45), gaps()
    finally:
        recorder.stop()
    (gap,) = gaps()
    after = [s for s in segments() if s.start_at >= gap.to_at]
    assert after and gap.to_at > gap.from_at
    assert "record child" in gap.reason or "no session" in gap.reason
    assert "token=" not in gap.reason or "token=***" in gap.reason


# -- a site of several gateways ---------------------------------------------------------------

@pytest.fixture
def remote(live: Backend, tmp_path: Path) -> Iterator[GatewayProcess]:
    """A second gateway, as a site runs one near its cameras (``--config FILE``, as systemd
    starts it): its own key, no camera yet."""
    runtime = runtime_of(live)
    config = {"rtsp": {"address": "127.0.0.1", "port": 0},
              "control": {"address": "127.0.0.1", "port": 0,
                          "secret": "remote-control-secret-0123456789"},
              "ptz": {"address": "127.0.0.1", "port": 0},
              "token_keys": [public_key_base64(runtime.stream_key)],
              "key_file": str(remote_key_file(live))}
    config_file = tmp_path / "remote-gateway.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    config_file.chmod(0o600)
    with GatewayProcess(config, config_file=config_file) as process:
        yield process


def remote_key_file(backend: Backend) -> Path:
    return backend.data_dir.parent / "remote" / "x25519.key"


def register(backend: Backend, admin: str, gateway: GatewayProcess) -> dict[str, Any]:
    reply = backend.post("/admin/gateways", admin, json={
        "name": "ward-box", "rtsp_host": "127.0.0.1", "rtsp_port": gateway.rtsp_port,
        "ptz_port": gateway.ptz_port, "control_url": f"http://127.0.0.1:{gateway.control_port}",
        "control_secret": gateway.secret})
    assert reply.status_code == 201, reply.text
    info: dict[str, Any] = reply.json()
    assert "secret" not in str(info).replace("control_url", "")
    return info


def gateway_row(backend: Backend, gateway_id: int) -> Gateway:
    with runtime_of(backend).sessions() as session:
        row = session.get(Gateway, gateway_id)
        assert row is not None
        session.expunge(row)
        return row


def test_a_camera_moves_to_another_gateway_sealed_and_its_viewers_follow(
        live: Backend, remote: GatewayProcess, lab: Any) -> None:
    admin = live.login("ioc.admin")
    operator = live.login("ioc.operator")
    info = register(live, admin, remote)
    runtime = runtime_of(live)
    sync = runtime.gateway_sync
    assert sync is not None
    # the backend learns the new gateway's key from the gateway itself
    assert wait_until(lambda: sync.sync([info["id"]]) == {info["id"]: True}, 10)
    assert gateway_row(live, info["id"]).public_key == remote.public_key
    camera_id = camera_of(live, 1)
    viewer = play(live, operator, camera_id)
    try:
        reply = live.put(f"/admin/cameras/{camera_id}/gateway", admin,
                         json={"gateway_id": info["id"]})
        assert reply.status_code == 200, reply.text
        assert reply.json() == {"camera_id": camera_id, "gateway_id": info["id"],
                                "gateway": "ward-box", "has_credentials": True}
        # the old gateway lets the viewer go; a new session plays through the new gateway
        assert viewer.ended.wait(CUT_WITHIN_S + 3), "the viewer stayed on the old gateway"
    finally:
        viewer.close()
    session_reply = open_session(live, operator, camera_id)
    assert session_reply.status_code == 201, session_reply.text
    assert f":{remote.rtsp_port}/cam/{camera_id}/" in session_reply.json()["url"]
    assert wait_until(lambda: any(s["camera_id"] == camera_id
                                  for s in remote.stats()["streams"]), 10)
    moved = play(live, operator, camera_id)
    moved.close()
    # the password went from one gateway's key to the other's through the gateways only
    with runtime.sessions() as session:
        camera = session.get(Camera, camera_id)
        assert camera is not None and camera.gateway_id == info["id"]
        sealed = base64.b64decode(camera.rtsp_password_sealed or "")
    remote_key = PrivateKey(base64.b64decode(remote_key_file(live).read_bytes()))
    assert SealedBox(remote_key).decrypt(sealed).decode() == lab.cameras[1].rtsp_password
    (row,) = [r for r in live.audit_rows("camera_gateway_change")
              if r["camera_id"] == camera_id]
    assert row["detail"]["after"] == info["id"] and row["detail"]["passwords_entered"] == []


def test_a_camera_whose_gateway_is_down_moves_only_with_its_password_entered(
        live: Backend, remote: GatewayProcess, lab: Any) -> None:
    admin = live.login("ioc.admin")
    info = register(live, admin, remote)
    sync = runtime_of(live).gateway_sync
    assert sync is not None and wait_until(lambda: sync.sync([info["id"]])[info["id"]], 10)
    camera_id = camera_of(live, 0)
    assert live.put(f"/admin/cameras/{camera_id}/gateway", admin,
                    json={"gateway_id": info["id"]}).status_code == 200
    remote.stop()  # the gateway holding the password is gone
    local = runtime_of(live).gateway_supervisor
    assert local is not None
    with runtime_of(live).sessions() as session:
        local_id = session.execute(select(Gateway.id).where(Gateway.name == "local")
                                   ).scalar_one()
    back = live.put(f"/admin/cameras/{camera_id}/gateway", admin, json={"gateway_id": local_id})
    assert back.status_code == 409, back.text
    assert back.json()["code"] == "credentials_needed"
    assert back.json()["field"] == "rtsp_password"
    with runtime_of(live).sessions() as session:
        assert session.get(Camera, camera_id).gateway_id == info["id"]  # type: ignore[union-attr]
    passwords = {"rtsp_password": lab.cameras[0].rtsp_password}
    half = live.put(f"/admin/cameras/{camera_id}/gateway", admin,
                    json={"gateway_id": local_id, **passwords})
    assert half.status_code == 409 and half.json()["field"] == "onvif_password"  # a PTZ camera
    passwords["onvif_password"] = lab.cameras[0].onvif_password
    entered = live.put(f"/admin/cameras/{camera_id}/gateway", admin,
                       json={"gateway_id": local_id, **passwords})
    assert entered.status_code == 200, entered.text
    audit_text = str(live.audit_rows("camera_gateway_change"))
    for secret in passwords.values():
        assert secret not in entered.text and secret not in audit_text
    # the embedded gateway gets it back in its table and plays it
    assert wait_until(lambda: sync.sync() is not None and any(
        s["camera_id"] == camera_id for s in local.process.stats()["streams"]  # type: ignore[union-attr]
    ), 10)
    play(live, live.login("ioc.operator"), camera_id).close()


def test_only_administrators_manage_gateways_and_a_busy_one_stays_on(
        live: Backend, remote: GatewayProcess) -> None:
    admin = live.login("ioc.admin")
    for user in ("ioc.operator", "police.commander", "ward.dongphu.police"):
        token = live.login(user)
        assert live.get("/admin/gateways", token).status_code == 403
        assert live.post("/admin/gateways", token, json={}).status_code == 403
    short = live.post("/admin/gateways", admin, json={
        "name": "x", "rtsp_host": "127.0.0.1", "rtsp_port": 8554,
        "control_url": "http://127.0.0.1:1", "control_secret": "short"})
    assert short.status_code == 422 and short.json()["field"] == "control_secret"
    listed = live.get("/admin/gateways", admin).json()
    local = next(g for g in listed if g["name"] == "local")
    assert local["cameras"] == 2 and local["public_key"]
    off = live.client.patch(f"/api/v1/admin/gateways/{local['id']}", json={"is_active": False},
                            headers={"Authorization": f"Bearer {admin}"})
    assert off.status_code == 409 and off.json()["field"] == "is_active"
    info = register(live, admin, remote)
    again = live.post("/admin/gateways", admin, json={
        "name": "ward-box", "rtsp_host": "127.0.0.1", "rtsp_port": 1,
        "control_url": "http://127.0.0.1:1", "control_secret": "x" * 16})
    assert again.status_code == 409 and again.json()["field"] == "name"
    quiet = live.client.patch(f"/api/v1/admin/gateways/{info['id']}", json={"is_active": False},
                              headers={"Authorization": f"Bearer {admin}"})
    assert quiet.status_code == 200 and quiet.json()["is_active"] is False
    (row,) = live.audit_rows("gateway_update")
    assert row["detail"]["before"]["is_active"] is True
    assert remote.secret not in str(live.audit_rows("gateway_create")) + str(row)


def test_a_ptz_camera_moved_to_another_gateway_is_driven_there_and_refused_by_the_first(
        live: Backend, remote: GatewayProcess, lab: Any) -> None:
    from tests.gateway.test_ptz_broker import continuous_move, soap

    stop = ('<Stop xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
            "<ProfileToken>Profile_Main</ProfileToken></Stop>")
    status_of = ('<GetStatus xmlns="http://www.onvif.org/ver20/ptz/wsdl">'
                 "<ProfileToken>Profile_Main</ProfileToken></GetStatus>")
    admin = live.login("ioc.admin")
    operator = live.login("ioc.operator")
    info = register(live, admin, remote)
    assert info["ptz_port"] == remote.ptz_port
    sync = runtime_of(live).gateway_sync
    assert sync is not None and wait_until(lambda: sync.sync([info["id"]])[info["id"]], 10)
    local = supervisor_of(live).process
    assert local is not None
    camera_id = camera_of(live, 0)  # a PTZ camera
    seen: list[str] = []
    lab.on_onvif_request(0, seen.append)
    try:
        granted = live.post(f"/cameras/{camera_id}/ptz/lease", operator)
        assert granted.status_code == 200, granted.text
        before = granted.json()["access"]
        assert before["port"] == local.ptz_port
        assert soap(before["port"], continuous_move(0.3), before["token"])[0] == 200
        moved = live.put(f"/admin/cameras/{camera_id}/gateway", admin,
                         json={"gateway_id": info["id"]})
        assert moved.status_code == 200, moved.text
        # the first gateway lets it go (stopping what its holder left moving) ...
        assert wait_until(lambda: soap(before["port"], status_of, before["token"])[0] == 500,
                          10)
        status, body = soap(before["port"], continuous_move(0.3), before["token"])
        assert status == 500 and "ActionNotSupported" in body and "NoPtzCamera" in body
        assert "Stop" in seen[seen.index("ContinuousMove"):]
        # ... and the second drives it for the lease holder, who kept the lease — even when
        # the holder's access comes before the new gateway heard who holds it (the table push
        # and its replay of holders run apart from the holder's requests): here it forgets
        from server.ptz_broker import holder_body, post_holder

        assert wait_until(lambda: sync.sync([info["id"]])[info["id"]], 10)
        post_holder(f"http://127.0.0.1:{remote.control_port}", remote.secret,
                    holder_body(camera_id, None))
        access = live.post(f"/cameras/{camera_id}/ptz/access", operator)
        assert access.status_code == 201, access.text
        after = access.json()
        assert after["port"] == remote.ptz_port
        seen.clear()
        assert soap(after["port"], continuous_move(-0.3), after["token"])[0] == 200
        assert soap(after["port"], stop, after["token"])[0] == 200
        assert seen[-2:] == ["ContinuousMove", "Stop"]
        # somebody else is refused there, naming the holder
        other = live.post(f"/cameras/{camera_id}/ptz/access", admin).json()
        status, body = soap(other["port"], continuous_move(0.3), other["token"])
        assert status == 400 and "PTZ held by Nguyễn Thị Hà (trực IOC)" in body
        # the table the backend sends names the PTZ camera: its password sealed, not clear
        with runtime_of(live).sessions() as session:
            from server.gateways import gateway_table

            table = gateway_table(session, gateway_row(live, info["id"]), runtime_of(live).secrets)
        (entry,) = table.ptz_cameras
        assert entry["camera_id"] == camera_id and "password" not in entry
        assert remote.control("GET", "/health")[1]["cameras_version"] == table.version
    finally:
        lab.on_onvif_request(0, None)


def test_the_backend_prints_the_token_key_a_gateway_elsewhere_trusts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.__main__ import main as server_main
    from server.config import Settings
    from server.stream_sessions import load_or_create_token_key

    monkeypatch.setenv("IOCWALL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("IOCWALL_DATABASE_URL", raising=False)
    assert server_main(["gateway-token-key"]) == 0
    printed = capsys.readouterr().out.strip()
    key = load_or_create_token_key(Settings.from_env().stream_token_key_file)
    assert printed == public_key_base64(key) and len(base64.b64decode(printed)) == 32
    assert server_main(["gateway-token-key"]) == 0  # the same key, not a new one
    assert capsys.readouterr().out.strip() == printed


def test_a_camera_refusing_its_password_is_shown_to_administrators_and_gets_no_sessions(
        live: Backend, lab: Any) -> None:
    """A wrong password entered for a camera: the gateway tries it three times, then once a
    minute; meanwhile no viewer gets a session (the tile says why), administrators see the
    stream's state, and the right password brings it back at once."""
    from tests.gateway.helpers import ffprobe

    admin, operator = live.login("ioc.admin"), live.login("ioc.operator")
    camera_id = camera_of(live, 1)
    with runtime_of(live).sessions() as session:
        gateway_id = session.get(Camera, camera_id).gateway_id  # type: ignore[union-attr]
    moved = live.put(f"/admin/cameras/{camera_id}/gateway", admin,
                     json={"gateway_id": gateway_id, "rtsp_password": "not-the-password-1"})
    assert moved.status_code == 200, moved.text
    refused, shown = None, {}
    deadline = time.monotonic() + 60
    # viewers keep asking (as tiles do) until the gateway has given up for a minute
    while time.monotonic() < deadline:
        shown = live.get(f"/cameras/{camera_id}", admin).json()["stream_status"].get("sub", {})
        if refused is not None and shown.get("auth_failures", 0) >= 3 \
                and (shown.get("next_attempt_in_s") or 0) > 30:
            break
        reply = open_session(live, operator, camera_id)
        if reply.status_code == 201:
            assert ffprobe(reply.json()["url"], timeout=20).returncode != 0  # never plays
        elif reply.status_code == 503 and reply.json()["code"] == "camera_login_failed":
            refused = reply.json()
        else:
            raise AssertionError(reply.text)
        time.sleep(0.3)
    assert refused is not None, "sessions were never refused for the camera's wrong password"
    assert "password" in refused["message"]
    assert shown["state"] == "auth_failed" and shown["auth_failures"] >= 3, shown
    # locked out for a minute: every session is refused without asking the camera
    again = open_session(live, operator, camera_id)
    assert again.status_code == 503 and again.json()["code"] == "camera_login_failed"
    assert live.get(f"/cameras/{camera_id}", operator).json()["stream_status"] is None
    answers = json.dumps(live.get("/cameras", admin).json())
    assert lab.cameras[1].rtsp_password not in answers and "not-the-password-1" not in answers

    fixed = live.put(f"/admin/cameras/{camera_id}/gateway", admin,
                     json={"gateway_id": gateway_id, "rtsp_password": lab.cameras[1].rtsp_password})
    assert fixed.status_code == 200, fixed.text

    def plays() -> bool:
        reply = open_session(live, operator, camera_id)
        return reply.status_code == 201 and ffprobe(reply.json()["url"]).returncode == 0

    assert wait_until(plays, 20), "the right password did not bring the camera back"


def test_a_camera_onboarded_by_an_administrator_plays_and_a_deactivated_one_is_cut(
        live: Backend, lab: Any) -> None:
    """The administrators' path end to end: a camera entered through ``POST /admin/cameras``
    (its password sealed to the embedded gateway's key) reaches the gateway's table and plays;
    deactivated, its viewers are cut and no new session opens."""
    admin = live.login("ioc.admin")
    operator = live.login("ioc.operator")
    entry = read_manifest(lab.manifest_path)[1]
    with runtime_of(live).sessions() as session:
        gateway_id = session.execute(select(Gateway.id)).scalar_one()
        ward_id = session.execute(select(Camera.ward_id).where(
            Camera.external_id == "lab:0")).scalar_one()
    created = live.post("/admin/cameras", admin, json={
        "name": "CAM-ONBOARDED", "ward_id": ward_id, "system": "smart_city",
        "main_url": entry.main_url, "sub_url": entry.sub_url, "gateway_id": gateway_id,
        "username": entry.rtsp_username, "password": entry.rtsp_password})
    assert created.status_code == 201, created.text
    assert entry.rtsp_password not in created.text
    camera_id = created.json()["id"]
    viewer = play(live, operator, camera_id)
    sync = runtime_of(live).gateway_sync
    assert sync is not None
    sync.sync()
    heard = sync.upstream(camera_id, "main")
    assert heard is not None and heard.gateway_id == gateway_id
    asked = time.monotonic()
    assert live.post(f"/admin/cameras/{camera_id}/deactivate", admin).status_code == 200
    assert viewer.ended.wait(CUT_WITHIN_S), "the deactivated camera still plays"
    assert viewer.ended_at is not None and viewer.ended_at - asked <= CUT_WITHIN_S
    assert open_session(live, operator, camera_id).status_code == 404
    assert camera_id not in [c["id"] for c in live.get("/cameras", operator).json()]
    # the gateway no longer serves it: what it said of the camera's connection goes too
    sync.sync()
    assert sync.upstream(camera_id, "main") is None


def test_a_client_too_old_after_an_upgrade_keeps_its_live_video(
        live: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server is upgraded past the client's API level while a tile plays: the client's API
    calls are refused with the reason, and the session it holds keeps bringing pictures."""
    from common import versions
    operator = live.login("ioc.operator")
    viewer = play(live, operator, camera_of(live, 0))
    try:
        monkeypatch.setattr(versions, "MIN_CLIENT_API_LEVEL", versions.API_LEVEL + 1)
        refused = live.client.get("/api/v1/cameras", headers={
            versions.API_LEVEL_HEADER: str(versions.API_LEVEL),
            "Authorization": f"Bearer {operator}"})
        assert refused.status_code == 426 and refused.json()["code"] == "client_too_old"
        seen = viewer.packets
        assert wait_until(lambda: viewer.packets >= seen + 25, 10), "the tile stopped playing"
        assert not viewer.ended.is_set()
    finally:
        viewer.close()


def test_the_gateways_clock_is_measured_at_every_contact_and_an_offset_is_audited(
        live: Backend) -> None:
    runtime = runtime_of(live)
    sync, watch = runtime.gateway_sync, runtime.clocks
    assert sync is not None and watch is not None
    sync.sync()
    with runtime.sessions() as session:
        subject = "gateway " + session.execute(select(Gateway.name)).scalar_one()
    measured = {o.subject: o for o in watch.offsets() if o.subject.startswith("gateway ")}
    assert list(measured) == [subject]
    offset = measured[subject]
    assert abs(offset.offset_s) < 1.0 and not offset.off  # the same machine's clock
    assert not [r for r in live.audit_rows("clock_offset") if r["detail"]["subject"] == subject]
    # the server's clock 10 s ahead of the gateway's: the same as the gateway 10 s behind
    sync.wall_time = lambda: time.time() + 10
    try:
        sync.sync()
    finally:
        sync.wall_time = time.time
    rows = [r for r in live.audit_rows("clock_offset") if r["detail"]["subject"] == subject]
    assert len(rows) == 1 and -11 < rows[0]["detail"]["offset_s"] < -9, rows
    assert {o.subject: o.off for o in watch.offsets()}[subject] is True


def test_a_gateway_trusting_other_token_keys_is_sent_the_backends_at_the_next_pass(
        live: Backend) -> None:
    """A remote gateway restarted from its file after a rotation trusts the old key only: the
    backend sees it in the gateway's health and sends the keys it must trust, so sessions the
    backend issues open again without anybody editing the gateway's file."""
    from common.stream_tokens import trusted_keys_digest
    from server.gateway_fleet import control_request
    from server.stream_sessions import gateway_token_keys, token_key_pairs
    runtime = runtime_of(live)
    sync = runtime.gateway_sync
    assert sync is not None
    operator = live.login("ioc.operator")
    camera_id = camera_of(live, 0)
    wanted = gateway_token_keys(live.settings.stream_token_key_file, live.clock())
    with runtime.sessions() as session:
        gateway = session.execute(select(Gateway)).scalar_one()
    health = control_request(gateway, runtime.secrets, "GET", "/health")
    assert health["token_keys_digest"] == trusted_keys_digest(token_key_pairs(wanted))
    stale = public_key_base64(Ed25519PrivateKey.generate())
    control_request(gateway, runtime.secrets, "PUT", "/token-keys", {"token_keys": [stale]})
    reply = open_session(live, operator, camera_id)
    assert reply.status_code == 201 and refused(reply.json()["url"]), \
        "a gateway not trusting the backend's key must refuse its sessions"
    sync.sync()
    assert control_request(gateway, runtime.secrets, "GET", "/health")["token_keys_digest"] \
        == trusted_keys_digest(token_key_pairs(wanted))
    viewer = play(live, operator, camera_id)
    viewer.close()


def test_a_privacy_mask_set_by_an_administrator_is_black_live_recorded_and_exported(
        live: Backend, tmp_path: Path) -> None:
    """Decree 13/2023: an administrator masks the top-left quarter of a camera; from its
    gateway's next table every viewer, the recording and a clip cut from it show it black,
    and the change is audited with the masks before and after."""
    from server.clips import extract_clip
    from server.models import RecordingSegment
    from server.recorder import CameraRecorder, GatewaySessions, RecordTarget
    from tests.gateway.test_privacy_masks import pictures, quarters

    admin, operator = live.login("ioc.admin"), live.login("ioc.operator")
    camera_id = camera_of(live, 0)
    refused_mask = live.put(f"/admin/cameras/{camera_id}/privacy-masks", admin,
                            json={"masks": [[0.6, 0.0, 0.5, 0.5]]})
    assert refused_mask.status_code == 422 and refused_mask.json()["field"] == "masks.0"
    reply = live.put(f"/admin/cameras/{camera_id}/privacy-masks", admin,
                     json={"masks": [[0.0, 0.0, 0.5, 0.5]]})
    assert reply.status_code == 200, reply.text
    assert reply.json()["privacy_masks"] == [[0.0, 0.0, 0.5, 0.5]]
    assert live.put(f"/admin/cameras/{camera_id}/privacy-masks", operator,
                    json={"masks": []}).status_code == 403
    row = live.audit_rows("camera_privacy_masks")[-1]
    assert (row["detail"]["before"], row["detail"]["after"]) == ([], [[0.0, 0.0, 0.5, 0.5]])

    def masked_live() -> bool:
        session = open_session(live, operator, camera_id)
        if session.status_code != 201:
            return False
        codec, planes = pictures(session.json()["url"], 3)
        return codec == "h264" and all(quarters(p)[0] < 20 < 40 < quarters(p)[1]
                                       for p in planes)

    assert wait_until(masked_live, 30, step=0.5), "live viewers still see the masked region"

    runtime = runtime_of(live)
    settings = live.settings.model_copy(update={"segment_seconds": 2})
    recorder = CameraRecorder(
        RecordTarget(camera_id, "CAM-01", lambda: GatewaySessions(
            runtime.sessions, settings, runtime.stream_key).open(camera_id)),
        runtime.sessions, settings)
    recorder.start()
    try:
        def segments() -> list[RecordingSegment]:
            with runtime.sessions() as session:
                return list(session.execute(select(RecordingSegment).where(
                    RecordingSegment.camera_id == camera_id)
                    .order_by(RecordingSegment.start_at)).scalars())

        assert wait_until(lambda: len(segments()) >= 2, 40, step=0.5), "nothing recorded"
    finally:
        recorder.stop()
    recorded = segments()
    for segment in recorded:
        _codec, planes = pictures(segment.path, 3)
        assert planes and all(quarters(p)[0] < 20 for p in planes), "recorded unmasked"
    clip = tmp_path / "clip.mp4"
    extract_clip(recorded, recorded[0].start_at, recorded[-1].end_at, clip)
    _codec, planes = pictures(str(clip), 10)
    assert len(planes) == 10 and all(quarters(p)[0] < 20 < 40 < quarters(p)[1] for p in planes)


def test_a_gateway_silent_past_its_grace_is_an_incident_that_clears_when_it_answers(
        live: Backend, remote: GatewayProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every duty operator sees a gateway that stopped answering (its cameras are dark) as a
    server incident the system files by itself; a restart within the grace is none, and the
    incident clears when the gateway answers again."""
    import socket

    from server import gateway_fleet
    from server.models import Incident

    admin, desk = live.login("ioc.admin"), live.login("ioc.operator")
    info = register(live, admin, remote)
    sync = runtime_of(live).gateway_sync
    assert sync is not None
    assert wait_until(lambda: sync.sync([info["id"]]) == {info["id"]: True}, 10)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    answering = f"http://127.0.0.1:{remote.control_port}"
    moved = live.client.patch(f"/api/v1/admin/gateways/{info['id']}",
                              headers={"Authorization": f"Bearer {admin}"},
                              json={"control_url": f"http://127.0.0.1:{closed}"})
    assert moved.status_code == 200, moved.text

    def down_incidents() -> list[Incident]:
        with runtime_of(live).sessions() as session:
            return list(session.execute(select(Incident).where(
                Incident.kind == "gateway_down")).scalars())

    assert sync.sync([info["id"]]) == {info["id"]: False}
    assert down_incidents() == [], "silent within the grace (a restart): no incident yet"
    monkeypatch.setattr(gateway_fleet, "GATEWAY_DOWN_AFTER_S", 0.0)
    sync.sync([info["id"]])
    sync.sync([info["id"]])  # still down: the same incident, not a second one
    (incident,) = down_incidents()
    assert (incident.category, incident.subject, incident.state, incident.reported_by_id) == (
        "server", "gateway ward-box", "open", None)
    listed = live.get("/incidents?category=server", desk).json()
    assert [(i["kind"], i["subject"]) for i in listed] == [("gateway_down", "gateway ward-box")]

    back = live.client.patch(f"/api/v1/admin/gateways/{info['id']}",
                             headers={"Authorization": f"Bearer {admin}"},
                             json={"control_url": answering})
    assert back.status_code == 200, back.text
    assert sync.sync([info["id"]]) == {info["id"]: True}
    (cleared,) = down_incidents()
    assert (cleared.state, cleared.open_key, cleared.resolved_by_id) == ("resolved", None, None)
