"""A case's evidence package, on a clip cut from real recorded footage: the recipient's own
tools (coreutils' ``sha256sum -c`` and ``openssl pkeyutl -verify``, as ``docs/evidence.md``
says) accept it and refuse it once a byte changes; who may take it, and its audit."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import load_der_public_key
from sqlalchemy import update

from server.models import ClipRequest
from tests.server.conftest import Backend
from tests.server.test_clips import _camera, _extract, _range, _request

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PURPOSE = "Chuyển Công an thành phố xác minh vi phạm"


def _sha256sum(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=directory, capture_output=True,
                          text=True, timeout=60)


def _openssl_verify(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                           "signing-key.pem", "-rawin", "-in", "package-manifest.json",
                           "-sigfile", "package-manifest.sig"], cwd=directory,
                          capture_output=True, text=True, timeout=60)


def _key_id_by_openssl(pem: Path) -> str:
    """The fingerprint as docs/evidence.md computes it: SHA-256 of the raw public key."""
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", str(pem), "-outform", "DER"],
                         capture_output=True, timeout=60, check=True).stdout
    load_der_public_key(der)  # it is a public key, not anything else
    return hashlib.sha256(der[-32:]).hexdigest()[:16]


def _case_with_clip(backend: Backend) -> tuple[int, int, str]:
    """(case id, clip id, operator's token): a clip cut from the recording, with a letter."""
    token = backend.login("ioc.operator")
    start, end = _range(backend, 2.0)
    reply = _request(backend, token, _camera(backend), start, end, purpose="Vượt đèn đỏ")
    assert reply.status_code == 201, reply.text
    clip_id = reply.json()["id"]
    assert _extract(backend) == 1
    letter = backend.settings.data_dir / "letter.pdf"
    letter.write_bytes(PDF)
    with backend.client.app.state.runtime.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(ClipRequest).where(ClipRequest.id == clip_id).values(
            letter_path=str(letter), letter_sha256=hashlib.sha256(PDF).hexdigest(),
            letter_filename="cong-van.pdf"))
    case = backend.post("/cases", token, json={"kind": "red_light", "clip_request_id": clip_id})
    assert case.status_code == 201, case.text
    # sent to city police: the receiving units take the evidence from then on
    sent = backend.post(f"/cases/{case.json()['id']}/send", token, json={})
    assert sent.status_code == 200, sent.text
    return case.json()["id"], clip_id, token


def _unpack(content: bytes, directory: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(directory)
    return directory


def test_the_package_verifies_with_sha256sum_and_openssl_and_fails_when_changed(
        recorded_backend: Backend, tmp_path: Path) -> None:
    """City police, who received the case, export its package; the recipient checks it."""
    backend = recorded_backend
    case_id, clip_id, _operator = _case_with_clip(backend)
    police = backend.login("police.officer")
    reply = backend.get(f"/cases/{case_id}/package", police, params={"purpose": PURPOSE})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/zip"
    assert "attachment" in reply.headers["content-disposition"]
    zip_sha256 = hashlib.sha256(reply.content).hexdigest()
    assert reply.headers["X-Package-SHA256"] == zip_sha256
    folder = _unpack(reply.content, tmp_path / "package")
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    keys = backend.client.get("/api/v1/keys").json()
    assert names == sorted([
        f"clips/clip-{clip_id}.mp4", f"clips/clip-{clip_id}.manifest.json",
        f"letters/letter-{clip_id}.pdf", "case.json", "signing-key.pem",
        *(f"keys/{k['key_id']}.pem" for k in keys),
        "package-manifest.json", "package-manifest.sig", "SHA256SUMS"])

    # the recipient's checks, without iocwall
    done = _sha256sum(folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == len(names) - 1
    done = _openssl_verify(folder)
    assert done.returncode == 0 and "Signature Verified Successfully" in done.stdout, done
    assert _key_id_by_openssl(folder / "signing-key.pem") == keys[0]["key_id"]

    manifest = json.loads((folder / "package-manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "iocwall-evidence-package/1"
    assert manifest["case_id"] == case_id and manifest["purpose"] == PURPOSE
    assert manifest["created_by"]["username"] == "police.officer"
    assert manifest["created_at"].endswith("+07:00")
    assert manifest["key_id"] == keys[0]["key_id"]
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"package-manifest.json", "package-manifest.sig",
                                        "SHA256SUMS"}
    mp4 = folder / f"clips/clip-{clip_id}.mp4"
    clip_manifest = json.loads((folder / f"clips/clip-{clip_id}.manifest.json").read_text(
        encoding="utf-8"))
    assert listed[f"clips/clip-{clip_id}.mp4"] == {
        "path": f"clips/clip-{clip_id}.mp4", "sha256": clip_manifest["manifest"]["sha256"],
        "size": mp4.stat().st_size}
    record = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    assert record["id"] == case_id and record["clip_request_ids"] == [clip_id]
    assert [e["action"] for e in record["events"]] == ["open", "send"]

    # one byte of the MP4 changed: sha256sum names it
    original = mp4.read_bytes()
    changed = bytearray(original)
    changed[len(changed) // 2] ^= 0x01
    mp4.write_bytes(bytes(changed))
    done = _sha256sum(folder)
    assert done.returncode != 0 and f"clips/clip-{clip_id}.mp4: FAILED" in done.stdout
    mp4.write_bytes(original)
    # the manifest changed (and SHA256SUMS made to agree): the signature fails
    text = (folder / "package-manifest.json").read_text(encoding="utf-8")
    (folder / "package-manifest.json").write_text(text.replace(PURPOSE, "Mục đích khác"),
                                                  encoding="utf-8")
    done = _openssl_verify(folder)
    assert done.returncode != 0 and "Signature Verification Failure" in done.stdout, done

    # audited with the ZIP's hash and the purpose
    rows = backend.audit_rows("case_package_download")
    assert len(rows) == 1
    assert rows[0]["username"] == "police.officer"
    assert rows[0]["detail"]["sha256"] == zip_sha256
    assert rows[0]["detail"]["purpose"] == PURPOSE
    assert rows[0]["detail"]["case_id"] == case_id and rows[0]["detail"]["clips"] == [clip_id]
    # the temporary ZIP is gone once sent
    assert list(backend.settings.data_dir.glob(".package-*")) == []


def test_who_may_take_the_package_and_its_purpose(recorded_backend: Backend) -> None:
    backend = recorded_backend
    case_id, _clip, token = _case_with_clip(backend)
    # the purpose is required
    missing = backend.get(f"/cases/{case_id}/package", token)
    assert missing.status_code == 422 and "purpose" in missing.json()["message"]
    # Art. 11.3, 12.2: the operating unit, city police, traffic police; nobody else sees it
    expected = {"ioc.operator": 200, "police.commander": 200, "traffic.officer": 200,
                "ward.dongphu.police": 404, "ward.dongphu.committee": 404,
                "order.officer": 404, "agency.viewer": 404}
    got: dict[str, Any] = {}
    for username in expected:
        reply = backend.get(f"/cases/{case_id}/package", backend.login(username),
                            params={"purpose": PURPOSE})
        got[username] = reply.status_code
    assert got == expected
    assert backend.client.get(f"/api/v1/cases/{case_id}/package",
                              params={"purpose": PURPOSE}).status_code == 401
    assert [r["username"] for r in backend.audit_rows("case_package_download")] == [
        "ioc.operator", "police.commander", "traffic.officer"]
