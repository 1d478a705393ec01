"""The clip client against a real backend recording a real lab camera with ffmpeg:
requests along the chains, polling and badge, streamed download with progress, independent
Ed25519 + SHA-256 verification, and the libvlc clip player seeking in a downloaded clip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.backend import BackendClient
from app.clip_player import ClipPlayer
from app.clips import ClipRequest, ClipService, DownloadResult, Verdict, Verification
from app.messages import Message, MessageBridge
from app.ops import Ops
from tests.footage import Footage, recorded_footage

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Footage]:
    with recorded_footage(tmp_path_factory.mktemp("clips-client")) as recorded:
        yield recorded


def _service(client: BackendClient, ops: Ops, messages: MessageBridge,
             poll_ms: int = 10_000) -> ClipService:
    return ClipService(client, ops, messages, poll_interval_ms=poll_ms)


def _wait_state(qtbot: Any, service: ClipService, request_id: int, state: str,
                box: str = "mine", timeout: int = 60_000) -> ClipRequest:
    """Refresh until request ``request_id`` is in ``state`` in ``box`` (robust wait)."""
    found: dict[str, ClipRequest] = {}

    def check() -> None:
        items = service.mine if box == "mine" else service.awaiting
        match = [r for r in items if r.id == request_id and r.state == state]
        if not match:
            service.refresh()
            raise AssertionError(f"request {request_id} not {state} yet")
        found["request"] = match[0]

    qtbot.waitUntil(check, timeout=timeout)
    return found["request"]


def _server_verify(footage: Footage, clip: Path, manifest: Path) -> int:
    env = dict(os.environ, IOCWALL_DATA_DIR=str(footage.data_dir))
    return subprocess.run([sys.executable, "-m", "server", "clip", "verify", str(clip),
                           str(manifest)], env=env, capture_output=True, text=True,
                          timeout=60).returncode


@pytest.fixture(scope="module")
def operator_clip(footage: Footage, tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[Path, Path]:
    """A ready clip of the operator, downloaded with the blocking client (for the player and
    tamper tests; the service's own download is tested below)."""
    client = footage.client("ioc.operator")
    try:
        start, end = footage.recorded_range(4.0)
        request = client.create_clip(footage.camera_id, start, end, "Kiểm tra trình phát")
        deadline = time.monotonic() + 60
        while client.clip(request.id).state != "ready":
            assert time.monotonic() < deadline, "the clip was not extracted in 60 s"
            time.sleep(0.3)
        folder = tmp_path_factory.mktemp("operator-clip")
        clip = folder / f"clip-{request.id}.mp4"
        client.download_clip(request.id, clip)
        manifest = folder / f"clip-{request.id}.manifest.json"
        manifest.write_text(json.dumps(client.clip_manifest(request.id)), encoding="utf-8")
        return clip, manifest
    finally:
        client.close()


def test_operator_request_is_ready_downloads_with_progress_and_verifies_intact(
        footage: Footage, ops: Ops, messages: MessageBridge, qtbot: Any, tmp_path: Path) -> None:
    client = footage.client("ioc.operator")
    service = _service(client, ops, messages)
    start, end = footage.recorded_range(4.0)
    with qtbot.waitSignal(service.request_changed, timeout=30_000) as created:
        service.create_request(footage.camera_id, start, end, "Va chạm giao thông")
    request: ClipRequest = created.args[0]
    assert request.chain == "auto"
    ready = _wait_state(qtbot, service, request.id, "ready")
    assert ready.may("download")
    assert ready.clip_sha256 and ready.clip_size

    progress: list[tuple[int, int, int]] = []
    service.download_progress.connect(lambda *args: progress.append(args))
    with qtbot.waitSignal(service.download_finished, timeout=60_000) as finished:
        service.download(request.id, tmp_path)
    result: DownloadResult = finished.args[1]
    assert result.clip_path == tmp_path / f"clip-{request.id}.mp4"
    assert result.verification.verdict is Verdict.INTACT, result.verification.message
    assert result.verification.sha256 == ready.clip_sha256
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"clip-{request.id}.mp4", f"clip-{request.id}.manifest.json"])  # no .part left
    # progress: rises to the whole file, for this request
    assert progress and progress[-1] == (request.id, ready.clip_size, ready.clip_size)
    assert [p[1] for p in progress] == sorted(p[1] for p in progress)
    # the server's own verifier agrees with the client's
    assert _server_verify(footage, result.clip_path, result.manifest_path) == 0
    # the first download made it delivered (audited on the server)
    delivered = _wait_state(qtbot, service, request.id, "delivered")
    assert any(e.action == "download" for e in delivered.events)
    client.close()


def test_cancelled_download_leaves_nothing(footage: Footage, ops: Ops, messages: MessageBridge,
                                           qtbot: Any, tmp_path: Path) -> None:
    client = footage.client("ioc.operator")
    service = _service(client, ops, messages)
    ready = [r for r in client.clips("mine") if r.state in ("ready", "delivered")]
    if not ready:
        start, end = footage.recorded_range(3.0)
        with qtbot.waitSignal(service.request_changed, timeout=30_000) as created:
            service.create_request(footage.camera_id, start, end, "Hủy tải xuống")
        ready = [_wait_state(qtbot, service, created.args[0].id, "ready")]
    with qtbot.waitSignal(service.download_failed, timeout=30_000) as failed:
        job = service.download(ready[0].id, tmp_path)
        job.cancel()  # before the first chunk is written
    assert failed.args == [ready[0].id, "cancelled"]
    assert list(tmp_path.iterdir()) == []
    client.close()


def test_tampered_clip_is_altered_and_tampered_manifest_is_signature_invalid(
        footage: Footage, operator_clip: tuple[Path, Path], ops: Ops, messages: MessageBridge,
        qtbot: Any, tmp_path: Path) -> None:
    clip, manifest = operator_clip
    client = footage.client("ioc.operator")
    service = _service(client, ops, messages)

    def verify(clip_path: Path, manifest_path: Path) -> Verification:
        with qtbot.waitSignal(service.verified, timeout=30_000) as done:
            service.verify_files(clip_path, manifest_path)
        result: Verification = done.args[0]
        return result

    assert verify(clip, manifest).verdict is Verdict.INTACT

    altered = tmp_path / "altered.mp4"
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, in the middle of the media data
    altered.write_bytes(bytes(data))
    outcome = verify(altered, manifest)
    assert outcome.verdict is Verdict.ALTERED
    assert outcome.message.startswith("altered:")
    assert _server_verify(footage, altered, manifest) == 1

    forged = tmp_path / "forged.manifest.json"
    document = json.loads(manifest.read_text(encoding="utf-8"))
    document["manifest"]["purpose"] = "Mục đích khác"
    forged.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    outcome = verify(clip, forged)
    assert outcome.verdict is Verdict.SIGNATURE_INVALID
    assert outcome.message.startswith("signature invalid:")
    assert _server_verify(footage, clip, forged) == 2

    # a manifest re-hashed for the altered clip is still not signed by the server
    document = json.loads(manifest.read_text(encoding="utf-8"))
    document["manifest"]["sha256"] = outcome.sha256 or "0" * 64
    forged.write_text(json.dumps(document), encoding="utf-8")
    assert verify(altered, forged).verdict is Verdict.SIGNATURE_INVALID
    client.close()


def test_ward_chain_through_the_client(footage: Footage, ops: Ops, messages: MessageBridge,
                                       qtbot: Any) -> None:
    """ward.dongphu.police requests → ward.dongphu.leader endorses from "awaiting my action" →
    police.commander approves → the requester's badge and a notification say it is ready."""
    officer_client = footage.client("ward.dongphu.police")
    leader_client = footage.client("ward.dongphu.leader")
    commander_client = footage.client("police.commander")
    officer = _service(officer_client, ops, messages, poll_ms=300)
    leader = _service(leader_client, ops, messages)
    commander = _service(commander_client, ops, messages)
    posted: list[Message] = []
    messages.posted.connect(posted.append)

    start, end = footage.recorded_range(3.0)
    with qtbot.waitSignal(officer.request_changed, timeout=30_000) as created:
        officer.create_request(footage.camera_id, start, end, "Trộm cắp tài sản tại chợ")
    request: ClipRequest = created.args[0]
    assert (request.chain, request.state) == ("ward_police", "requested")
    officer.start_polling()  # the requester's window polls while the others act
    qtbot.waitUntil(lambda: any(r.id == request.id for r in officer.mine), timeout=30_000)
    assert officer.badge == 0

    # the officer cannot approve: the server's 403 comes back readable
    with qtbot.waitSignal(officer.action_failed, timeout=30_000) as refused:
        officer.approve(request.id)
    assert refused.args[0] and "403" not in refused.args[0]

    awaiting = _wait_state(qtbot, leader, request.id, "requested", box="awaiting")
    assert awaiting.may("endorse") and not awaiting.may("approve")
    assert leader.badge >= 1
    with qtbot.waitSignal(leader.request_changed, timeout=30_000) as endorsed:
        leader.endorse(request.id)
    assert endorsed.args[0].state == "endorsed"

    pending = _wait_state(qtbot, commander, request.id, "endorsed", box="awaiting")
    assert pending.may("approve")
    assert pending.endorser is not None and pending.endorser.username == "ward.dongphu.leader"
    with qtbot.waitSignal(commander.request_changed, timeout=30_000) as approved:
        commander.approve(request.id)
    assert approved.args[0].state in ("approved", "extracting", "ready")

    with qtbot.waitSignal(officer.badge_changed, timeout=90_000,
                          check_params_cb=lambda badge: badge >= 1):
        pass
    ready = next(r for r in officer.mine if r.id == request.id)
    assert ready.state == "ready" and ready.may("download")
    assert ready.approver is not None and ready.approver.username == "police.commander"
    assert any(m.text == f"Clip #{request.id} ({request.camera_name}) is ready to download"
               for m in posted)
    officer.stop_polling()
    for client in (officer_client, leader_client, commander_client):
        client.close()


def test_rejecting_needs_a_reason_and_tells_the_requester(
        footage: Footage, ops: Ops, messages: MessageBridge, qtbot: Any) -> None:
    officer = _service(footage.client("ward.dongphu.police"), ops, messages)
    leader = _service(footage.client("ward.dongphu.leader"), ops, messages)
    start, end = footage.recorded_range(3.0)
    with qtbot.waitSignal(officer.request_changed, timeout=30_000) as created:
        officer.create_request(footage.camera_id, start, end, "Kiểm tra từ chối")
    request_id = created.args[0].id
    with qtbot.waitSignal(leader.action_failed, timeout=30_000) as short:
        leader.reject(request_id, "x")
    assert "reason" in short.args[0]
    with qtbot.waitSignal(leader.request_changed, timeout=30_000) as rejected:
        leader.reject(request_id, "Không đủ căn cứ")
    assert rejected.args[0].state == "rejected"
    assert rejected.args[0].reject_reason == "Không đủ căn cứ"


def test_a_range_outside_the_footage_is_refused_clearly(
        footage: Footage, ops: Ops, messages: MessageBridge, qtbot: Any) -> None:
    service = _service(footage.client("ioc.operator"), ops, messages)
    long_ago = datetime(2020, 1, 1, 8, 0).astimezone()
    with qtbot.waitSignal(service.action_failed, timeout=30_000) as failed:
        service.create_request(footage.camera_id, long_ago, long_ago + timedelta(seconds=10),
                               "Ngoài phạm vi ghi hình")
    assert "not entirely within recorded footage" in failed.args[0]


@pytest.mark.video
def test_player_plays_a_downloaded_clip_and_seeks(operator_clip: tuple[Path, Path],
                                                  qtbot: Any) -> None:
    clip, manifest_file = operator_clip
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))["manifest"]
    surface = QWidget()
    surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    surface.resize(320, 180)
    qtbot.addWidget(surface)
    surface.show()
    qtbot.waitExposed(surface)
    player = ClipPlayer()
    try:
        player.open(clip, int(surface.winId()), manifest)
        qtbot.waitUntil(lambda: player.state == "playing" and player.length_ms() > 2000,
                        timeout=30_000)
        player.pause()
        qtbot.waitUntil(lambda: player.state == "paused", timeout=10_000)
        player.seek(0)
        qtbot.waitUntil(lambda: player.position_ms() < 500, timeout=10_000)
        start_time = player.wall_time(0)
        assert start_time is not None and start_time.utcoffset() == timedelta(hours=7)
        assert start_time.isoformat(timespec="milliseconds") == manifest["clip_start"]
        target = player.length_ms() - 1200
        with qtbot.waitSignal(player.position_changed, timeout=10_000,
                              check_params_cb=lambda pos, _length: pos >= target - 300):
            player.seek(target)
        assert abs(player.position_ms() - target) <= 300
        player.play()
        qtbot.waitUntil(lambda: player.state in ("playing", "ended"), timeout=10_000)
    finally:
        player.release()


def test_check_letter_names_what_is_wrong(tmp_path: Path) -> None:
    """The request dialog's check of the agency's letter, before anything is sent: a PDF passes;
    none, a missing file, a renamed Word file and one over the server's 10 MB each get a
    sentence naming the file."""
    from app.clips import MAX_LETTER_BYTES, check_letter

    pdf = tmp_path / "cong-van.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert check_letter(pdf) is None
    assert check_letter(None) == "Attach the official request letter (a PDF file)."
    assert check_letter(tmp_path / "missing.pdf") == \
        "Cannot read the letter missing.pdf: No such file or directory"
    word = tmp_path / "de-nghi.pdf"
    word.write_bytes(b"PK\x03\x04 word/document.xml")
    assert check_letter(word) == "The letter must be a PDF file; de-nghi.pdf is not a PDF."
    big = tmp_path / "scan.pdf"
    with open(big, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(MAX_LETTER_BYTES + 1)
    assert check_letter(big) == "The letter may be at most 10 MB; scan.pdf is larger."


def test_a_known_user_is_not_asked_for_again(ops: Ops, messages: MessageBridge,
                                             qtbot: Any) -> None:
    """The session knows who logged in: the first refresh asks for the two boxes, not /me."""
    from app.domain import Scope, Unit, User

    calls: list[str] = []

    class Backend:
        def me(self) -> User:
            calls.append("me")
            raise AssertionError("GET /me asked again")

        def clips(self, box: str = "all") -> list[ClipRequest]:
            calls.append(box)
            return []

    agency = User(7, "agency.viewer", "Lý Văn Phúc", "officer",
                  Unit(9, "Sở Tài nguyên", "other_agency", None), Scope(False, ()))
    service = ClipService(Backend(), ops, messages, user=agency)  # type: ignore[arg-type]
    assert service.needs_letter is True  # known before any refresh
    with qtbot.waitSignal(service.badge_changed, timeout=5000):
        service.refresh()
    assert calls == ["mine", "awaiting", "received"]


def test_police_open_play_and_verify_the_clips_of_a_case_sent_to_them(
        footage: Footage, tmp_path: Path) -> None:
    """A case's evidence travels with it (Art. 11.3.b): before the IOC sends the case, city
    police cannot even read its clip; once sent, they list it, download it (audited, the
    request stays the requester's), verify signature and hash, and their verification step
    flows back to the IOC. Ward police never get it through the case."""
    from app.cases import StepInput
    from app.clips import verify_clip
    from common.vocabulary import CaseAction

    operator, police = footage.client("ioc.operator"), footage.client("police.officer")
    ward = footage.client("ward.dongphu.police")
    try:
        start, end = footage.recorded_range(3.0)
        request = operator.create_clip(footage.camera_id, start, end, "Bằng chứng vi phạm")
        deadline = time.monotonic() + 60
        while operator.clip(request.id).state != "ready":
            assert time.monotonic() < deadline, "the clip was not extracted in 60 s"
            time.sleep(0.3)
        case = operator.open_case("red_light", clip_request_id=request.id)
        assert request.id not in {r.id for r in police.clips()}
        with pytest.raises(Exception, match="not found"):
            police.clip_manifest(request.id)

        sent = operator.case_step(case.id, CaseAction.SEND, StepInput(note="Chuyển công an"))
        assert sent.state == "sent"
        received = police.case(case.id)
        verify = next(d for d in received.deadlines if d.rule == "verify")
        assert verify.starts_at == sent.steps["sent"]  # the clock runs from receipt
        listed = {r.id: r for r in police.clips()}
        assert listed[request.id].may("download")
        assert [r.id for r in police.clips("received")] == [request.id]
        assert request.id not in {r.id for r in operator.clips("received")}
        clip = tmp_path / f"clip-{request.id}.mp4"
        police.download_clip(request.id, clip)
        manifest = tmp_path / f"clip-{request.id}.manifest.json"
        manifest.write_text(json.dumps(police.clip_manifest(request.id)), encoding="utf-8")
        verification = verify_clip(clip, manifest, police.signing_keys())
        assert verification.verdict is Verdict.INTACT, verification.message
        assert _server_verify(footage, clip, manifest) == 0
        after = operator.clip(request.id)
        assert after.state == "ready"  # delivered only to the one who asked for it
        download = [e for e in after.events if e.action == "download"]
        assert len(download) == 1 and download[0].user.username == "police.officer"

        assert request.id not in {r.id for r in ward.clips()}
        with pytest.raises(Exception, match="not found"):
            ward.clip_manifest(request.id)

        concluded = police.case_step(case.id, CaseAction.CONCLUDE,
                                     StepInput(note="Xác minh đúng vi phạm"))
        assert concluded.state == "concluded"
        back = operator.case(case.id)
        assert back.state == "concluded" and back.conclusion == "Xác minh đúng vi phạm"
    finally:
        for client in (operator, police, ward):
            client.close()
