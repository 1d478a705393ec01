"""Backup and restore of a whole site, and key rotation, for real: a live backend with its
embedded gateway playing the camera lab, ``python -m server backup`` while it runs, the data
dir deleted and the database dropped, ``restore`` into a new data dir path, the backend started
again: a user logs in, a camera plays (the gateway's key came back, so the sealed passwords
open), a clip signed before still verifies. Then the refusals, the missing-recordings report
and each rotation (evidence, token, credentials)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import av
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import select

from common.evidence import MANIFEST_FORMAT, sha256_file
from common.stream_tokens import CameraStream
from server import backup
from server.config import Settings
from server.demo import read_manifest, seed_demo
from server.main import create_app
from server.models import Camera, Gateway, RecordingSegment
from server.signing import key_id, load_or_create_signing_key, sign_manifest
from server.stream_sessions import issue_for
from tests.gateway.helpers import Reader
from tests.server.conftest import Backend, RealClock, TestDatabases, make_settings


def site_settings(data_dir: Path, url: str, **changes: Any) -> Settings:
    """A site as `init` makes one: the secret key in its file (make_settings gives it from the
    environment), an embedded gateway on free ports, its table kept in step."""
    return make_settings(data_dir, url).model_copy(update={
        "secret_key": None, "clip_worker": False, "gateway_sync": True, **changes})


def cli(*args: str, settings: Settings) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IOCWALL_DATA_DIR=str(settings.data_dir),
               IOCWALL_DATABASE_URL=settings.database_url,
               IOCWALL_STREAM_TOKEN_LIFETIME_S=str(settings.stream_token_lifetime_s))
    env.pop("IOCWALL_SECRET_KEY", None)
    return subprocess.run([sys.executable, "-m", "server", *args], env=env, text=True,
                          capture_output=True, timeout=120)


@contextmanager
def serving(settings: Settings, seed_lab: Any = None) -> Iterator[Backend]:
    """The backend with its lifespan (the supervisor starts the embedded gateway)."""
    clock = RealClock()
    app = create_app(settings, clock=clock)
    runtime = app.state.runtime
    if seed_lab is not None:
        with runtime.sessions() as session:
            seed_demo(session, runtime.passwords, runtime.secrets, clock(),
                      read_manifest(seed_lab.manifest_path), settings)
    try:
        with TestClient(app) as client:
            backend = Backend(client, clock, settings, None)  # type: ignore[arg-type]
            assert runtime.gateway_supervisor.ready.wait(30), "the gateway did not start"
            yield backend
    finally:
        runtime.engine.dispose()


def runtime_of(backend: Backend) -> Any:
    return backend.client.app.state.runtime  # type: ignore[attr-defined]


def lab_camera(backend: Backend, index: int = 0) -> int:
    with runtime_of(backend).sessions() as session:
        return int(session.execute(select(Camera.id).where(
            Camera.external_id == f"lab:{index}")).scalar_one())


def play(backend: Backend, camera_id: int, username: str = "ioc.operator") -> None:
    reply = backend.post(f"/cameras/{camera_id}/streams/sub/session", backend.login(username))
    assert reply.status_code == 201, reply.text
    reader = Reader(reply.json()["url"]).start()
    try:
        reader.wait_playing()
    finally:
        reader.close()


def make_clip(path: Path) -> Path:
    """A short real MP4 (ffmpeg), as evidence to sign."""
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=duration=1:size=160x120:rate=10", "-c:v", "libx264", "-y",
                    str(path)], check=True, timeout=60)
    return path


def sign_clip(signer: Ed25519PrivateKey, clip: Path, note: str = "") -> Path:
    """The clip's manifest signed as the clip worker signs one (``sign_manifest``)."""
    body = {"format": MANIFEST_FORMAT, "filename": clip.name, "sha256": sha256_file(clip),
            "size": clip.stat().st_size, "note": note}
    manifest = clip.with_name(f"{clip.stem}{note}.manifest.json")
    manifest.write_text(json.dumps(sign_manifest(body, signer), ensure_ascii=False),
                        encoding="utf-8")
    return manifest


def empty_database_url(database: TestDatabases, new_database: Callable[..., str],
                       data_dir: Path) -> str:
    """Where a site's database goes after a wipe: a new empty PostgreSQL database, or a SQLite
    file not made yet in the new data dir."""
    if database.dialect == "sqlite":
        return f"sqlite:///{data_dir / 'iocwall.db'}"
    return new_database(data_dir)


# -- the whole round trip ------------------------------------------------------------------------

@pytest.mark.lab
def test_backup_wipe_restore_to_a_new_path_and_the_site_works_again(
        lab: Any, database: TestDatabases, migrated_template: str,
        new_database: Callable[..., str], tmp_path: Path) -> None:
    first_dir = tmp_path / "site"
    first_dir.mkdir()
    settings = site_settings(first_dir, new_database(first_dir, migrated_template))
    clip = make_clip(tmp_path / "evidence.mp4")
    target = tmp_path / "backups" / "2026-12-07"
    with serving(settings, seed_lab=lab) as live:
        camera_id = lab_camera(live)
        play(live, camera_id)
        manifest = sign_clip(runtime_of(live).signer, clip)  # delivered before the loss
        gateway_key = (settings.gateway_dir / "x25519.key").read_bytes()
        runtime_of(live).audit_anchors.anchor()  # the tip signed, in the file outside the DB
        # while the server runs (the gateway writes sessions to the audit log meanwhile)
        done = cli("backup", "--to", str(target), settings=settings)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("OK: backup"), done.stdout
    written = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert target.stat().st_mode & 0o777 == 0o700
    assert not target.with_name(target.name + ".partial").exists()
    assert written["format"] == "iocwall-backup/1" and written["server_version"] == "0.1.0"
    assert datetime.fromisoformat(written["created_at"]).utcoffset() == timedelta(0)
    assert written["database"]["dialect"] == database.dialect
    for name in ("data/clip-signing.key", "data/stream-token.key", "data/secret.key",
                 "data/gateway-local/x25519.key", "data/audit-anchors.jsonl"):
        assert (target / name).stat().st_mode & 0o777 == 0o600, name
        assert written["files"][name]["sha256"] == sha256_file(target / name)
    assert written["audit_tip"]["last_id"] > 0 and len(written["audit_tip"]["hash"]) == 64

    # the wipe: the data dir gone, the database dropped
    shutil.rmtree(first_dir)
    if database.dialect == "postgresql":
        database.drop(settings.database_url)
    second_dir = tmp_path / "elsewhere" / "site"
    restored = settings.model_copy(update={
        "data_dir": second_dir,
        "database_url": empty_database_url(database, new_database, second_dir)})
    done = cli("restore", "--from", str(target), settings=restored)
    assert done.returncode == 0, done.stderr
    assert (second_dir / "gateway-local" / "x25519.key").read_bytes() == gateway_key
    assert (second_dir / "clip-signing.key").stat().st_mode & 0o777 == 0o600
    assert (second_dir / "audit-anchors.jsonl").read_bytes() == (
        target / "data/audit-anchors.jsonl").read_bytes()
    assert cli("audit", "verify", settings=restored).returncode == 0  # anchors checked too

    with serving(restored) as again:
        play(again, lab_camera(again))  # the restored gateway key opens the sealed password
        keys = again.client.get("/api/v1/keys").json()
        signed_by = json.loads(manifest.read_text(encoding="utf-8"))["signature"]["key_id"]
        assert [k["key_id"] for k in keys] == [signed_by]
        events = [r["event"] for r in again.audit_rows("site_restore")]
        assert events == ["site_restore"]
    verified = cli("clip", "verify", str(clip), str(manifest), settings=restored)
    assert verified.returncode == 0 and verified.stdout.startswith("intact"), verified.stdout


# -- refusals and the report ---------------------------------------------------------------------

def test_a_tampered_backup_is_refused_naming_the_file_and_nothing_is_written(
        demo: Backend, database: TestDatabases, new_database: Callable[..., str],
        tmp_path: Path) -> None:
    settings = demo.settings
    target = tmp_path / "backup"
    backup.backup(settings, target)
    key = target / "data" / "clip-signing.key"
    key.chmod(0o600)
    data = bytearray(key.read_bytes())
    data[40] ^= 0x01
    key.write_bytes(bytes(data))
    new_dir = tmp_path / "new"
    restored = settings.model_copy(update={
        "data_dir": new_dir, "database_url": empty_database_url(database, new_database,
                                                                new_dir)})
    done = cli("restore", "--from", str(target), settings=restored)
    assert done.returncode == 1
    assert "data/clip-signing.key" in done.stderr and "SHA-256" in done.stderr
    assert not new_dir.exists()
    if database.dialect == "postgresql":
        assert backup._database_empty(restored)


def test_restore_refuses_an_initialised_site_and_a_database_in_use(
        demo: Backend, database: TestDatabases, new_database: Callable[..., str],
        tmp_path: Path) -> None:
    settings = demo.settings
    target = tmp_path / "backup"
    backup.backup(settings, target)
    before = {p.name: p.read_bytes() for p in settings.data_dir.iterdir() if p.is_file()}
    over = cli("restore", "--from", str(target), settings=settings)
    assert over.returncode == 1 and "already a site" in over.stderr, over.stderr
    # a new data dir, but the site's database: refused whatever --force says
    in_use = settings.model_copy(update={"data_dir": tmp_path / "new"})
    if database.dialect == "postgresql":
        refused = cli("restore", "--from", str(target), "--force", settings=in_use)
        assert refused.returncode == 1
        assert "an initialised site" in refused.stderr, refused.stderr
    assert {p.name: p.read_bytes() for p in settings.data_dir.iterdir() if p.is_file()
            } == before
    assert not (tmp_path / "new").exists()


def test_restore_reports_the_recordings_it_does_not_find(
        demo: Backend, database: TestDatabases, new_database: Callable[..., str],
        tmp_path: Path) -> None:
    settings = demo.settings
    runtime = runtime_of(demo)
    recordings = settings.recordings_root / "cam1"
    recordings.mkdir(parents=True)
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    with runtime.sessions() as session:
        camera_id = session.execute(select(Camera.id)).scalars().first()
        for n in range(3):
            path = recordings / f"seg-{n}.ts"
            path.write_bytes(bytes([n]) * (1000 + n))
            session.add(RecordingSegment(camera_id=camera_id, start_at=now, end_at=now,
                                         storage_root=str(settings.recordings_root),
                                         path=str(path), size_bytes=1000 + n, created_at=now))
        session.commit()
    target = tmp_path / "backup"
    written = backup.backup(settings, target)
    assert sorted(r["path"] for r in written["references"]) == [
        "cam1/seg-0.ts", "cam1/seg-1.ts", "cam1/seg-2.ts"]
    assert all(r["storage"] == "recordings" for r in written["references"])

    def restore_into(name: str, *flags: str) -> tuple[Settings, subprocess.CompletedProcess[str]]:
        new_dir = tmp_path / name
        # the recordings were kept elsewhere and put back, but for one segment lost meanwhile
        shutil.copytree(settings.recordings_root, new_dir / "recordings")
        (new_dir / "recordings" / "cam1" / "seg-1.ts").unlink()
        (new_dir / "recordings" / "cam1" / "seg-2.ts").write_bytes(b"short")
        restored = settings.model_copy(update={
            "data_dir": new_dir, "database_url": empty_database_url(database, new_database,
                                                                    new_dir)})
        return restored, cli("restore", "--from", str(target), *flags, settings=restored)

    restored, done = restore_into("site-a")
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 2, done.stderr
    assert "seg-1.ts: missing" in warnings[0] and "seg-2.ts: 5 bytes, 1002 recorded" in warnings[1]
    # the stored paths moved with the data dir
    engine = backup.make_engine(restored.database_url)
    try:
        with engine.connect() as conn:
            paths = conn.execute(select(RecordingSegment.path)).scalars().all()
    finally:
        engine.dispose()
    assert sorted(paths) == [str(tmp_path / "site-a" / "recordings" / "cam1" / f"seg-{n}.ts")
                             for n in range(3)]
    _, strict = restore_into("site-b", "--strict")
    assert strict.returncode == 1 and "seg-1.ts: missing" in strict.stderr


# -- rotations -----------------------------------------------------------------------------------

def test_evidence_rotation_keeps_old_clips_verifying_and_refuses_a_forgery(
        demo: Backend, tmp_path: Path) -> None:
    settings = demo.settings
    runtime = runtime_of(demo)
    clip = make_clip(tmp_path / "clip.mp4")
    before = sign_clip(runtime.signer, clip, "-before")
    old_id = key_id(runtime.signer.public_key())
    done = cli("rotate-keys", "--evidence", settings=settings)
    assert done.returncode == 0, done.stderr
    after = sign_clip(runtime.signer, clip, "-after")  # the running backend, the new key
    new_id = json.loads(after.read_text(encoding="utf-8"))["signature"]["key_id"]
    assert new_id != old_id
    assert key_id(load_or_create_signing_key(settings.signing_key_file).public_key()) == new_id
    keys = demo.client.get("/api/v1/keys").json()
    assert [(k["key_id"], k["valid_until"] is None) for k in keys] == [(new_id, True),
                                                                        (old_id, False)]
    assert keys[0]["valid_from"] == keys[1]["valid_until"]
    # a manifest of before key ids verifies against any key of the ring
    anonymous = tmp_path / "anonymous.manifest.json"
    document = json.loads(before.read_text(encoding="utf-8"))
    del document["signature"]["key_id"]
    anonymous.write_text(json.dumps(document), encoding="utf-8")
    for manifest in (before, after, anonymous):
        verified = cli("clip", "verify", str(clip), str(manifest), settings=settings)
        assert verified.returncode == 0 and verified.stdout.startswith("intact"), verified.stdout
    # the client's check, with the keys the API lists
    from app.clips import parse_signing_key, verify_clip

    listed = [parse_signing_key(k) for k in keys]
    assert all(verify_clip(clip, m, listed).intact for m in (before, after, anonymous))
    # signed by another key in the old key's name: refused, by the CLI and the client
    forged = tmp_path / "forged.manifest.json"
    document = json.loads(sign_clip(Ed25519PrivateKey.generate(), clip, "-x").read_text("utf-8"))
    document["signature"]["key_id"] = old_id
    forged.write_text(json.dumps(document), encoding="utf-8")
    refused = cli("clip", "verify", str(clip), str(forged), settings=settings)
    assert refused.returncode == 2 and refused.stdout.startswith("signature invalid")
    assert not verify_clip(clip, forged, listed).intact
    (row,) = demo.audit_rows("key_rotate")
    assert row["detail"]["key"] == "evidence"
    assert (row["detail"]["retired"], row["detail"]["current"]) == (old_id, new_id)
    assert "PRIVATE" not in json.dumps(row) and "PUBLIC" not in json.dumps(row)


@pytest.mark.lab
def test_token_rotation_cuts_nobody_and_the_old_key_ends_with_its_last_token(
        lab: Any, migrated_template: str, new_database: Callable[..., str],
        tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    data_dir.mkdir()
    lifetime = 6
    settings = site_settings(data_dir, new_database(data_dir, migrated_template),
                             stream_token_lifetime_s=lifetime)
    with serving(settings, seed_lab=lab) as live:
        runtime = runtime_of(live)
        camera_id = lab_camera(live)
        old_key = Ed25519PrivateKey.from_private_bytes(runtime.stream_key.private_bytes_raw())
        token = live.login("ioc.operator")
        issued = live.post(f"/cameras/{camera_id}/streams/sub/session", token)
        assert issued.status_code == 201
        watching = Reader(live.post(f"/cameras/{camera_id}/streams/main/session", token
                                    ).json()["url"]).start()
        watching.wait_playing()
        done = cli("rotate-keys", "--token", settings=settings)
        rotated_at = time.time()
        assert done.returncode == 0, done.stderr
        assert "TODO" not in done.stderr, done.stderr  # the embedded gateway was told live
        # the session issued before the rotation opens after it; the viewer plays on
        before = Reader(issued.json()["url"]).start()
        before.wait_playing()
        before.close()
        packets = watching.packets
        time.sleep(1.0)
        assert watching.packets > packets and watching.error is None
        watching.close()
        # the backend signs with the new key now, and the gateway trusts it
        assert key_id(runtime.stream_key.public_key()) != key_id(old_key.public_key())
        play(live, camera_id)
        # a gateway starting within the window is told both keys
        config = runtime.gateway_supervisor._configuration()
        assert len(config["token_keys"]) == 2
        # once every token of the old key has expired, the old key opens nothing
        with runtime.sessions() as session:
            gateway = session.execute(select(Gateway)).scalar_one()
            time.sleep(max(0.0, rotated_at + lifetime + 1.5 - time.time()))
            late = issue_for(old_key, gateway, 1, "ioc.operator", camera_id, CameraStream.SUB,
                             datetime.now(UTC), lifetime)
        with pytest.raises(av.error.FFmpegError):
            Reader(late.session.url).start()
        refusals = [e for e in runtime.gateway_supervisor.process.events
                    if e.get("event") == "session_refused"]
        assert refusals and refusals[-1]["reason"] == "bad_signature"
        assert runtime.gateway_supervisor._configuration()["token_keys"] == [
            base64.b64encode(runtime.stream_key.public_key().public_bytes_raw()).decode()]
        (row,) = live.audit_rows("key_rotate")
        assert row["detail"]["key"] == "token"


@pytest.mark.lab
def test_credential_rotation_reseals_every_password_and_the_old_key_is_gone(
        lab: Any, database: TestDatabases, migrated_template: str,
        new_database: Callable[..., str], tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    data_dir.mkdir()
    settings = site_settings(data_dir, new_database(data_dir, migrated_template))
    key_file = settings.gateway_dir / "x25519.key"
    with serving(settings, seed_lab=lab) as live:
        play(live, lab_camera(live))
        running = cli("rotate-keys", "--credentials", settings=settings)
        assert running.returncode == 1 and "stop the backend" in running.stderr
    old_key = PrivateKey(base64.b64decode(key_file.read_bytes()))
    done = cli("rotate-keys", "--credentials", settings=settings)
    assert done.returncode == 0, done.stderr
    assert "re-sealed" in done.stdout
    new_key = PrivateKey(base64.b64decode(key_file.read_bytes()))
    assert bytes(new_key) != bytes(old_key)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in settings.gateway_dir.iterdir()) == ["x25519.key"]
    with serving(settings) as again:
        with runtime_of(again).sessions() as session:
            row = session.execute(select(Gateway)).scalar_one()
            assert row.public_key == base64.b64encode(bytes(new_key.public_key)).decode()
            sealed = [c.rtsp_password_sealed for c in session.execute(select(Camera)).scalars()]
        assert sealed and all(sealed)
        for box in sealed:
            assert SealedBox(new_key).decrypt(base64.b64decode(box or ""))
            with pytest.raises(CryptoError):
                SealedBox(old_key).decrypt(base64.b64decode(box or ""))
        play(again, lab_camera(again))
        play(again, lab_camera(again, 1))
        (rotation,) = again.audit_rows("key_rotate")
        assert rotation["detail"]["key"] == "credentials" and rotation["detail"]["resealed"] >= 2
