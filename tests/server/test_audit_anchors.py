"""Signed anchors of the audit chain: written while the server serves and at shutdown; a cut
tail (rows deleted and ``audit_head`` set back), a deleted or forged anchor are found; anchors
signed before a key rotation still verify, with openssl alone too."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update

from server import audit
from server.audit_anchors import AuditAnchoring, anchors_file
from server.key_ring import rotate
from server.main import create_app
from server.models import AuditAnchor, AuditHead, AuditLog
from tests.server.conftest import Backend, wait_for


def _runtime(demo: Backend) -> Any:
    return demo.client.app.state.runtime  # type: ignore[attr-defined]


def _anchoring(demo: Backend) -> AuditAnchoring:
    anchoring = _runtime(demo).audit_anchors
    assert anchoring is not None
    return anchoring  # type: ignore[no-any-return]


def _activity(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    camera_id = demo.get("/cameras", token).json()[0]["id"]
    demo.post("/audit/events", token, json={"event": "view_start", "camera_id": camera_id})
    demo.post("/audit/events", token, json={"event": "view_stop", "camera_id": camera_id})


def _verdict(demo: Backend) -> dict[str, Any]:
    reply = demo.get("/audit/verify", demo.login("ioc.admin"))
    assert reply.status_code == 200, reply.text
    return reply.json()  # type: ignore[no-any-return]


def _head(demo: Backend) -> int:
    with _runtime(demo).sessions() as session:
        return int(session.execute(select(AuditHead.last_id)).scalar_one())


def _cut_tail(demo: Backend, keep: int) -> None:
    """What someone with the database's password can do: delete the newest rows and set the
    tip back to the last row kept, so the shorter chain is intact."""
    with _runtime(demo).engine.begin() as conn:
        last_hash = conn.execute(select(AuditLog.hash).where(AuditLog.id == keep)).scalar_one()
        conn.execute(delete(AuditLog).where(AuditLog.id > keep))
        conn.execute(update(AuditHead).values(last_id=keep, last_hash=last_hash))


def test_anchors_are_written_while_serving_and_at_shutdown(demo: Backend) -> None:
    _activity(demo)
    # the server's own lifespan (no gateway, no clip worker: not this test's subject)
    settings = demo.settings.model_copy(update={"gateway": "off", "clip_worker": False})
    app = create_app(settings, clock=demo.clock)
    runtime = app.state.runtime
    try:
        with TestClient(app) as client:
            # the periodic run's first pass, at start: the tip moved since no anchor
            rows = wait_for(lambda: _stored(runtime), timeout=10)
            assert rows[-1].last_id == _head(demo)
            assert runtime.audit_anchors.anchor_if_moved() is None  # unmoved: no new anchor
            token = client.post("/api/v1/auth/login",
                                json={"username": "ioc.operator", "password": "demo"}
                                ).json()["access_token"]
            client.get("/api/v1/cameras", headers={"Authorization": f"Bearer {token}"})
            moved_to = _head(demo)
            assert _stored(runtime)[-1].last_id < moved_to
        # stopped: the shutdown anchor covers what was audited up to the end
        final = _stored(runtime)
        assert final[-1].last_id == moved_to == _head(demo)
        assert len(final) == len(rows) + 1
    finally:
        runtime.engine.dispose()
    lines = anchors_file(demo.settings).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["signature"] for line in lines] == [r.signature for r in final]
    assert stat.S_IMODE(os.stat(anchors_file(demo.settings)).st_mode) == 0o600
    assert _verdict(demo)["ok"] is True


def _stored(runtime: Any) -> list[AuditAnchor]:
    with runtime.sessions() as session:
        return list(session.execute(select(AuditAnchor).order_by(AuditAnchor.id)).scalars())


def test_a_cut_tail_with_the_tip_set_back_is_found(demo: Backend) -> None:
    _activity(demo)
    anchored = _head(demo)
    _anchoring(demo).anchor()
    _activity(demo)
    keep = anchored - 3
    _cut_tail(demo, keep)
    # the chain alone holds: the guard is the anchor
    with _runtime(demo).sessions() as session:
        assert audit.verify(session).ok
    verdict = _verdict(demo)
    # (the verifying login is audited after the cut: one row more)
    assert verdict["ok"] is False and verdict["broken_id"] == verdict["rows"] + 1 == keep + 2
    assert verdict["reason"].startswith("truncated tail: the chain ends at row ")
    assert f"covers row {anchored}" in verdict["reason"]


def test_a_cut_tail_is_found_from_the_file_when_the_anchors_are_deleted_too(
        demo: Backend) -> None:
    _activity(demo)
    anchored = _head(demo)
    _anchoring(demo).anchor()
    _cut_tail(demo, anchored - 4)
    with _runtime(demo).engine.begin() as conn:
        conn.execute(delete(AuditAnchor))
    verdict = _verdict(demo)
    assert verdict["ok"] is False
    assert verdict["reason"].startswith("truncated tail: the chain ends at row "), verdict
    # the chain grows again past the anchored row: that row's hash is not the anchored one
    _activity(demo)
    _activity(demo)
    assert _head(demo) > anchored
    verdict = _verdict(demo)
    assert verdict["ok"] is False and verdict["broken_id"] == anchored
    assert verdict["reason"].startswith(f"truncated tail: row {anchored} does not have the hash")


def test_an_anchor_deleted_from_the_database_is_found_in_the_file(demo: Backend) -> None:
    _activity(demo)
    _anchoring(demo).anchor()
    first = _head(demo)
    _activity(demo)
    _anchoring(demo).anchor()
    assert _verdict(demo)["ok"] is True
    with _runtime(demo).engine.begin() as conn:
        conn.execute(delete(AuditAnchor).where(AuditAnchor.last_id == first))
        assert conn.execute(select(func.count()).select_from(AuditAnchor)).scalar_one() == 1
    verdict = _verdict(demo)
    assert verdict["ok"] is False and verdict["broken_id"] == first
    assert verdict["reason"].startswith("anchor deleted from the database: the anchor of row "
                                        f"{first} ")


def test_a_forged_anchor_signature_is_found(demo: Backend) -> None:
    _activity(demo)
    _anchoring(demo).anchor()
    with _runtime(demo).engine.begin() as conn:
        row = conn.execute(select(AuditAnchor)).one()
        # a body claiming a shorter chain, with the real signature of the longer one
        body = json.loads(row.body)
        body["last_id"] -= 2
        forged = json.dumps(body, sort_keys=True, separators=(",", ":"))
        conn.execute(update(AuditAnchor).values(body=forged))
    verdict = _verdict(demo)
    assert verdict["ok"] is False
    assert verdict["reason"].startswith("anchor signature does not hold: an anchor in the "
                                        "anchors table"), verdict
    with _runtime(demo).engine.begin() as conn:
        conn.execute(update(AuditAnchor).values(body=row.body))
    assert _verdict(demo)["ok"] is True
    # the same in the file: one changed character of the signature
    path = anchors_file(demo.settings)
    line = json.loads(path.read_text(encoding="utf-8"))
    raw = bytearray(base64.b64decode(line["signature"]))
    raw[0] ^= 1
    line["signature"] = base64.b64encode(bytes(raw)).decode("ascii")
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    verdict = _verdict(demo)
    assert verdict["ok"] is False
    assert verdict["reason"].startswith("anchor signature does not hold: an anchor in line 1 "
                                        "of audit-anchors.jsonl"), verdict


def test_an_anchor_of_a_rotated_key_verifies_and_openssl_checks_the_export(
        demo: Backend, tmp_path: Path) -> None:
    _activity(demo)
    old = _anchoring(demo).anchor()
    assert old is not None
    retired, new = rotate(demo.settings.signing_key_file, demo.clock())
    assert retired.key_id == old.key_id
    _activity(demo)
    latest = _anchoring(demo).anchor()
    assert latest is not None and latest.key_id == new.key_id != old.key_id
    assert _verdict(demo)["ok"] is True
    admin = demo.login("ioc.admin")
    assert demo.get("/audit/anchors", demo.login("police.commander")).status_code == 403
    reply = demo.get("/audit/anchors", admin, params={"purpose": "Thanh tra Sở TT&TT"})
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in reply.text.splitlines()]
    keys = {item["key_id"]: item for item in lines if item["kind"] == "key"}
    anchors = [item for item in lines if item["kind"] == "anchor"]
    assert set(keys) == {old.key_id, new.key_id}
    assert [a["signature"] for a in anchors] == [old.signature, latest.signature]
    for index, anchor in enumerate(anchors):
        # docs/evidence.md, "Checking an audit anchor": openssl alone
        (tmp_path / "body.json").write_bytes(anchor["body"].encode("utf-8"))
        (tmp_path / "anchor.sig").write_bytes(base64.b64decode(anchor["signature"]))
        (tmp_path / "key.pem").write_text(keys[anchor["key_id"]]["public_key_pem"])
        done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem",
                               "-rawin", "-in", "body.json", "-sigfile", "anchor.sig"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, (index, done.stdout, done.stderr)
    (tmp_path / "body.json").write_bytes(anchors[-1]["body"].replace('"count":', '"count":1')
                                         .encode("utf-8"))
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem",
                           "-rawin", "-in", "body.json", "-sigfile", "anchor.sig"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    exported = demo.audit_rows("audit_anchors_export")
    assert exported[-1]["detail"] == {"anchors": 2, "purpose": "Thanh tra Sở TT&TT"}


def test_an_anchor_made_while_the_chain_is_checked_is_no_false_alarm(
        demo: Backend, monkeypatch: Any) -> None:
    """Anchoring goes on while a check runs: an anchor made just as the checker reads the file
    (its row committed, its line written) must not look deleted from the database."""
    from server import audit_anchors

    _activity(demo)
    _anchoring(demo).anchor()
    _activity(demo)
    reading = audit_anchors.file_anchors

    def anchored_meanwhile(path: Path) -> Any:
        _anchoring(demo).anchor()
        return reading(path)

    monkeypatch.setattr(audit_anchors, "file_anchors", anchored_meanwhile)
    verdict = _verdict(demo)
    assert verdict["ok"] is True, verdict
