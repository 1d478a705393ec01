"""Clip requests along each chain with the demo users, on real recorded footage; extraction with
real ffmpeg; signed manifests and ``python -m server clip verify`` on intact and tampered files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clip_requests import ClipWorker
from server.clocks import read_clock_state
from server.db import make_engine
from server.models import AccessGrant, Camera, RecordingGap, RecordingSegment, Unit, User
from server.permissions import Role
from tests.server.conftest import Backend, DatabaseOutage

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _runtime(backend: Backend) -> Any:
    return backend.client.app.state.runtime


def _camera(backend: Backend, index: int = 0) -> int:
    with _runtime(backend).sessions() as session:
        return int(session.execute(select(Camera.id).where(
            Camera.external_id == f"lab:{index}")).scalar_one())


def _range(backend: Backend, seconds: float = 3.0) -> tuple[datetime, datetime]:
    """A span inside the first recorder run (before the gap)."""
    with _runtime(backend).sessions() as session:
        first = session.execute(select(RecordingSegment).order_by(RecordingSegment.start_at)
                                ).scalars().first()
        gap = session.execute(select(RecordingGap)).scalars().first()
    assert first is not None and gap is not None
    start = first.start_at + timedelta(seconds=1.3)
    end = start + timedelta(seconds=seconds)
    assert end < gap.from_at
    return start, end


def _extract(backend: Backend) -> int:
    runtime = _runtime(backend)
    worker = ClipWorker(runtime.sessions, runtime.settings, runtime.signer)
    count = 0
    while worker.run_one():
        count += 1
    return count


def _request(backend: Backend, token: str, camera_id: int, start: datetime, end: datetime,
             **extra: Any) -> Any:
    return backend.post("/clips", token, json={"camera_id": camera_id, "start": start.isoformat(),
                                               "end": end.isoformat(), **extra})


def _verify(backend: Backend, clip: Path, manifest: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IOCWALL_DATA_DIR=str(backend.settings.data_dir))
    return subprocess.run([sys.executable, "-m", "server", "clip", "verify", str(clip),
                           str(manifest)], env=env, capture_output=True, text=True, timeout=60)


def _download(backend: Backend, token: str, request_id: int, tmp_path: Path) -> tuple[Path, Path]:
    reply = backend.get(f"/clips/{request_id}/download", token)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "video/mp4"
    clip = tmp_path / f"clip-{request_id}.mp4"
    clip.write_bytes(reply.content)
    assert hashlib.sha256(reply.content).hexdigest() == reply.headers["X-Clip-SHA256"]
    manifest_reply = backend.get(f"/clips/{request_id}/manifest", token)
    assert manifest_reply.status_code == 200
    manifest = tmp_path / f"clip-{request_id}.manifest.json"
    manifest.write_text(manifest_reply.text, encoding="utf-8")
    return clip, manifest


def _probe(path: Path) -> dict[str, Any]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams",
                          "-show_entries", "packet=flags,pts_time", "-select_streams", "v:0",
                          "-of", "json", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_ioc_operator_is_auto_approved_extracted_and_verifies(recorded_backend: Backend,
                                                             tmp_path: Path) -> None:
    backend = recorded_backend
    token = backend.login("ioc.operator")
    start, end = _range(backend)
    reply = _request(backend, token, _camera(backend), start, end, purpose="Sự cố giao thông")
    assert reply.status_code == 201, reply.text
    created = reply.json()
    assert (created["chain"], created["state"]) == ("auto", "approved")
    assert [e["action"] for e in created["events"]] == ["request", "approve"]
    assert created["events"][1]["detail"]["auto"] is True
    assert backend.get(f"/clips/{created['id']}/download", token).status_code == 409
    no_letter = backend.get(f"/clips/{created['id']}/letter", token)
    assert no_letter.status_code == 404 and "letter" in no_letter.json()["message"]
    assert _extract(backend) == 1
    ready = backend.get(f"/clips/{created['id']}", token).json()
    assert ready["state"] == "ready" and ready["actions"] == ["download"]
    clip_start = datetime.fromisoformat(ready["clip_start"])
    assert start - timedelta(seconds=1.05) <= clip_start <= start  # GOP is 1 s in the lab
    clip, manifest = _download(backend, token, created["id"], tmp_path)
    # a real MP4 cut by stream copy: starts on a keyframe, moov first, the requested length
    info = _probe(clip)
    assert info["format"]["format_name"].startswith("mov,mp4")
    assert info["packets"][0]["flags"].startswith("K")
    expected = (end - clip_start).total_seconds()
    assert abs(float(info["format"]["duration"]) - expected) < 0.3
    head = clip.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (head.find(b"mdat") == -1
                                         or head.find(b"moov") < head.find(b"mdat"))
    document = json.loads(manifest.read_text(encoding="utf-8"))
    body = document["manifest"]
    assert body["request_id"] == created["id"] and body["ward"] == "Đồng Phú"
    assert body["start"].endswith("+07:00") and body["requester"]["username"] == "ioc.operator"
    assert body["sha256"] == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert document["signature"]["algorithm"] == "Ed25519"
    # its times are as good as the server's clock was: the manifest says what that was
    assert body["server_clock"] == read_clock_state().public()
    assert body["server_clock"]["source"] in ("timedatectl", "chronyc", "none")
    keys = backend.client.get("/api/v1/keys").json()
    assert keys[0]["key_id"] == document["signature"]["key_id"]
    assert backend.get(f"/clips/{created['id']}", token).json()["state"] == "delivered"
    events = [r["event"] for r in backend.audit_rows("clip_")]
    assert events == ["clip_request", "clip_approve", "clip_extracting", "clip_ready",
                      "clip_download", "clip_manifest_read"]
    download = backend.audit_rows("clip_download")[0]
    assert download["detail"]["purpose"] == "Sự cố giao thông"
    key_path = backend.settings.signing_key_file
    assert key_path.stat().st_mode & 0o777 == 0o600

    ok = _verify(backend, clip, manifest)
    assert ok.returncode == 0 and ok.stdout.startswith("intact"), ok.stdout + ok.stderr
    # one flipped byte in the MP4: altered (1)
    altered = tmp_path / "altered.mp4"
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    bad = _verify(backend, altered, manifest)
    assert bad.returncode == 1 and bad.stdout.startswith("altered"), bad.stdout
    # a changed manifest (even a consistent-looking hash): signature invalid (2)
    forged = tmp_path / "forged.json"
    document["manifest"]["sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    forged.write_text(json.dumps(document), encoding="utf-8")
    bad = _verify(backend, altered, forged)
    assert bad.returncode == 2 and bad.stdout.startswith("signature invalid"), bad.stdout
    document["manifest"]["purpose"] = "khác"
    bad = _verify(backend, clip, forged)
    assert bad.returncode == 2


def _seed_haithanh_leader(backend: Backend) -> None:
    runtime = _runtime(backend)
    with runtime.sessions() as session:
        unit = session.execute(select(Unit).where(Unit.name == "Công an phường Hải Thành")
                               ).scalar_one()
        session.add(User(username="ward.haithanh.leader", full_name="Trưởng CA Hải Thành",
                         unit_id=unit.id, role=Role.LEADER.value,
                         password_hash=runtime.passwords.hash("demo"),
                         is_active=True))
        session.commit()


def test_ward_police_chain_endorse_approve_ready_download(recorded_backend: Backend,
                                                          tmp_path: Path) -> None:
    backend = recorded_backend
    _seed_haithanh_leader(backend)
    officer = backend.login("ward.dongphu.police")
    leader = backend.login("ward.dongphu.leader")
    commander = backend.login("police.commander")
    start, end = _range(backend, 2.0)
    reply = _request(backend, officer, _camera(backend), start, end, purpose="Trộm cắp xe máy")
    assert reply.status_code == 201, reply.text
    request_id = reply.json()["id"]
    assert (reply.json()["chain"], reply.json()["state"]) == ("ward_police", "requested")
    assert [r["id"] for r in backend.get("/clips", officer, params={"box": "mine"}).json()] \
        == [request_id]
    # city police cannot approve before the leader proposes it
    early = backend.post(f"/clips/{request_id}/approve", commander)
    assert early.status_code == 409 and "endorsed" in early.json()["message"]
    # the officer cannot endorse their own; a leader of another ward does not even see it
    assert backend.post(f"/clips/{request_id}/endorse", officer).status_code == 403
    other = backend.login("ward.haithanh.leader")
    assert backend.post(f"/clips/{request_id}/endorse", other).status_code == 404
    assert backend.get("/clips", other, params={"box": "awaiting"}).json() == []
    # the own leader has it waiting, and endorses
    waiting = backend.get("/clips", leader, params={"box": "awaiting"}).json()
    assert [r["id"] for r in waiting] == [request_id]
    assert waiting[0]["actions"] == ["endorse", "reject"]
    endorsed = backend.post(f"/clips/{request_id}/endorse", leader)
    assert endorsed.status_code == 200 and endorsed.json()["state"] == "endorsed"
    assert endorsed.json()["endorser"]["username"] == "ward.dongphu.leader"  # in the answer too
    # nobody approves their own request; ward police, the IOC and police officers do not approve
    own = backend.post(f"/clips/{request_id}/approve", officer)
    assert own.status_code == 403 and "own request" in own.json()["message"]
    for username in ("ward.dongphu.leader", "police.officer"):
        assert backend.post(f"/clips/{request_id}/approve", backend.login(username)
                            ).status_code in (403, 404)
    ioc = backend.post(f"/clips/{request_id}/approve", backend.login("ioc.operator"))
    assert ioc.status_code == 403 and "city police" in ioc.json()["message"]
    assert [r["id"] for r in backend.get("/clips", commander, params={"box": "awaiting"}
                                         ).json()] == [request_id]
    approved = backend.post(f"/clips/{request_id}/approve", commander)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["approver"]["username"] == "police.commander"
    assert _extract(backend) == 1
    # only the requester downloads
    assert backend.get(f"/clips/{request_id}/download", commander).status_code == 403
    clip, manifest = _download(backend, officer, request_id, tmp_path)
    body = json.loads(manifest.read_text(encoding="utf-8"))["manifest"]
    assert body["requester"]["username"] == "ward.dongphu.police"
    assert body["endorser"]["username"] == "ward.dongphu.leader"
    assert body["approver"]["username"] == "police.commander"
    assert _verify(backend, clip, manifest).returncode == 0
    final = backend.get(f"/clips/{request_id}", officer).json()
    assert [(e["action"], e["state"], e["user"] and e["user"]["username"])
            for e in final["events"]] == [
        ("request", "requested", "ward.dongphu.police"),
        ("endorse", "endorsed", "ward.dongphu.leader"),
        ("approve", "approved", "police.commander"),
        ("extracting", "extracting", None),
        ("ready", "ready", None),
        ("download", "delivered", "ward.dongphu.police"),
    ]


def test_rejection_needs_a_reason_and_ends_the_chain(recorded_backend: Backend) -> None:
    backend = recorded_backend
    officer = backend.login("ward.dongphu.police")
    leader = backend.login("ward.dongphu.leader")
    start, end = _range(backend, 2.0)
    request_id = _request(backend, officer, _camera(backend), start, end,
                          purpose="Kiểm tra").json()["id"]
    assert backend.post(f"/clips/{request_id}/reject", leader, json={}).status_code == 422
    reply = backend.post(f"/clips/{request_id}/reject", leader,
                         json={"reason": "Không đủ căn cứ"})
    assert reply.status_code == 200
    assert (reply.json()["state"], reply.json()["reject_reason"]) == ("rejected",
                                                                     "Không đủ căn cứ")
    assert backend.post(f"/clips/{request_id}/endorse", leader).status_code == 409
    assert _extract(backend) == 0


def test_leader_request_is_the_proposal_and_goes_to_city_police(recorded_backend: Backend
                                                                ) -> None:
    backend = recorded_backend
    leader = backend.login("ward.dongphu.leader")
    start, end = _range(backend, 2.0)
    reply = _request(backend, leader, _camera(backend), start, end, purpose="Đề nghị trích xuất")
    assert reply.json()["state"] == "endorsed"
    assert reply.json()["events"][1]["detail"] == {"proposed_by_leader": True}
    assert backend.post(f"/clips/{reply.json()['id']}/approve", leader).status_code == 403


def test_agency_needs_purpose_commitment_and_a_pdf_letter(recorded_backend: Backend,
                                                          tmp_path: Path) -> None:
    backend = recorded_backend
    camera_id = _camera(backend)
    now = datetime.now(UTC)
    with _runtime(backend).sessions() as session:
        agency = session.execute(select(User).where(User.username == "agency.viewer")
                                 ).scalar_one()
        session.add(AccessGrant(unit_id=agency.unit_id, camera_id=camera_id,
                                valid_from=now - timedelta(days=1),
                                valid_until=now + timedelta(days=1), purpose="Dự án"))
        session.commit()
    token = backend.login("agency.viewer")
    start, end = _range(backend, 2.0)
    fields = {"camera_id": str(camera_id), "start": start.isoformat(), "end": end.isoformat(),
              "purpose": "Xác minh thi công công trình", "commitment": "Cam kết sử dụng đúng "
              "mục đích"}
    missing = _request(backend, token, camera_id, start, end, purpose=fields["purpose"])
    assert missing.status_code == 422
    assert "letter" in missing.json()["message"] and "commitment" in missing.json()["message"]
    not_pdf = backend.post("/clips", token, data=fields,
                           files={"letter": ("cv.pdf", b"hello", "application/pdf")})
    assert not_pdf.status_code == 422 and "PDF" in not_pdf.json()["message"]
    reply = backend.post("/clips", token, data=fields,
                         files={"letter": ("cong-van.pdf", PDF, "application/pdf")})
    assert reply.status_code == 201, reply.text
    created = reply.json()
    assert (created["chain"], created["state"]) == ("written", "requested")
    assert created["letter"] == {"filename": "cong-van.pdf",
                                 "sha256": hashlib.sha256(PDF).hexdigest()}
    stored = backend.settings.data_dir / "letters" / f"request-{created['id']}.pdf"
    assert stored.read_bytes() == PDF
    # the operating unit deciding it reads the letter (audited); others do not see it
    operator = backend.login("ioc.operator")
    letter = backend.get(f"/clips/{created['id']}/letter", operator)
    assert letter.status_code == 200 and letter.content == PDF
    assert letter.headers["content-type"] == "application/pdf"
    assert "cong-van.pdf" in letter.headers["content-disposition"]
    assert backend.get(f"/clips/{created['id']}/letter", backend.login("ward.dongphu.police")
                       ).status_code == 404
    assert [r["event"] for r in backend.audit_rows("clip_letter")] == ["clip_letter_read"]
    # city police do not decide agency requests; the operating unit does
    assert backend.post(f"/clips/{created['id']}/approve", backend.login("police.commander")
                        ).status_code in (403, 404)
    approved = backend.post(f"/clips/{created['id']}/approve", operator)
    assert approved.status_code == 200, approved.text
    assert _extract(backend) == 1
    clip, manifest = _download(backend, token, created["id"], tmp_path)
    body = json.loads(manifest.read_text(encoding="utf-8"))["manifest"]
    assert body["letter_sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["commitment"].startswith("Cam kết") and body["approver"]["username"] == \
        "ioc.operator"


def test_range_must_be_recorded_ordered_and_bounded(recorded_backend: Backend) -> None:
    backend = recorded_backend
    token = backend.login("ioc.operator")
    camera_id = _camera(backend)
    start, end = _range(backend)
    outside = _request(backend, token, camera_id, start - timedelta(minutes=30),
                       start - timedelta(minutes=29), purpose="x")
    assert outside.status_code == 422
    detail = outside.json()["message"]
    assert detail.startswith("start: the range") and "not entirely within recorded footage" in \
        detail and "recorded ranges on this camera around it (UTC+7):" in detail
    # the listing shows the two runs around the recorder's restart
    assert detail.count(" – ") == 3
    with _runtime(backend).sessions() as session:
        gap = session.execute(select(RecordingGap)).scalars().one()
    across = _request(backend, token, camera_id, gap.from_at - timedelta(seconds=1),
                      gap.to_at + timedelta(seconds=1), purpose="x")  # type: ignore[operator]
    assert across.status_code == 422 and "recorded footage" in across.json()["message"]
    backwards = _request(backend, token, camera_id, end, start, purpose="x")
    assert backwards.status_code == 422 and backwards.json()["message"] == \
        "end: must be after start"
    long = _request(backend, token, camera_id, start, start + timedelta(hours=2, seconds=1),
                    purpose="x")
    assert long.status_code == 422 and "at most 7200 s" in long.json()["message"]
    # the camera's recordings are listed for the client too
    listing = backend.get(f"/cameras/{camera_id}/recordings", token).json()
    assert len(listing["ranges"]) == 2 and len(listing["gaps"]) == 1
    assert listing["gaps"][0]["reason"].startswith("record child exited")
    assert shutil.which("ffmpeg")


def test_ts_scan_finds_what_ffprobe_finds_on_recorded_segments(recorded: Any) -> None:
    """The keyframe search reads the TS packets itself (no ffprobe at cut time): on every segment
    the real recorder wrote, its start time and keyframes are ffprobe's."""
    from server.clips import _ffprobe_reference
    from server.ts_index import scan_ts

    segments = sorted(recorded.recordings.rglob("*.ts"))
    assert len(segments) >= 4
    for path in segments:
        scanned = scan_ts(path)
        assert scanned is not None, path
        reference = _ffprobe_reference("ffprobe", path)
        assert reference[1], path
        assert abs(scanned[0] - reference[0]) < 1e-6, path
        assert len(scanned[1]) == len(reference[1]), path
        assert all(abs(a - b) < 1e-6 for a, b in zip(scanned[1], reference[1], strict=True))


def test_ts_scan_declines_a_file_that_is_not_mpeg_ts(tmp_path: Path) -> None:
    from server.ts_index import scan_ts

    other = tmp_path / "x.ts"
    other.write_bytes(PDF * 20)
    assert scan_ts(other) is None


def _packets(path: Path) -> list[tuple[int, int, int, bytes]]:
    """``(stream, pts in 1/90000 s, dts, payload)`` of every video packet, in file order."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        scale = float(stream.time_base) * 90000
        return [(0, round((p.pts or 0) * scale), round((p.dts or 0) * scale), bytes(p))
                for p in container.demux(stream) if p.size]


@pytest.mark.parametrize(("count", "into_first", "into_last", "way"),
                         [(3, 1.3, 1.0, "in process"), (1, 0.5, 1.7, "in process"),
                          (2, 0.0, 2.0, "in process"), (3, 1.3, 1.0, "parsed"),
                          (2, 0.0, 2.0, "parsed"), (3, 1.3, 1.0, "mislabelled"),
                          (3, 1.3, 1.0, "command"),
                          (1, 0.5, 1.7, "command")])
def test_cut_is_byte_identical_to_the_concat_demuxer_cut(recorded: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          count: int, into_first: float,
                                                          into_last: float, way: str) -> None:
    """The byte-level cut (in process through PyAV's libavformat without the h264 parser, or with
    it when the parser-free demux declines — forced here by seeing no IDR picture —, or on its
    fallback the ffmpeg command over the concat protocol) gives the packets of the ffmpeg
    command's concat demuxer fully probing every segment with ffprobe's keyframe as inpoint:
    the same packets in the same order, at the recording's own times. The concat demuxer starts
    each further segment where the previous one's estimated duration ends: with a camera's
    jittering frame times (the recorder stamps frames as they arrive) that is off by a fraction
    of a frame, which the byte-level cut, reading the segments as one stream, is not. The
    in-process MP4 names PyAV's libavformat in its version tag (proof the fast path ran)."""
    import av

    import server.clips
    from server.clips import _ffprobe_reference, extract_clip

    if way == "command":
        def refuse(*args: Any, **kwargs: Any) -> None:
            raise server.clips.ExtractionError("in-process remux switched off by the test")
        monkeypatch.setattr(server.clips, "_remux_in_process", refuse)
    declined: list[str] = []
    real_remux = server.clips._remux

    def remux(url: str, part: Path, **kwargs: Any) -> None:
        try:
            real_remux(url, part, **kwargs)
        except server.clips._NeedsParser as exc:
            declined.append(str(exc))
            raise
    monkeypatch.setattr(server.clips, "_remux", remux)
    if way == "parsed":
        monkeypatch.setattr(server.clips, "_is_idr", lambda packet: False)
    elif way == "mislabelled":  # keyframes unlike the TS's random-access marks: not trusted
        monkeypatch.setattr(server.clips, "_is_idr", lambda packet: True)
    engine = make_engine(recorded.database_url)
    with Session(engine) as session:
        rows = session.execute(select(RecordingSegment).order_by(RecordingSegment.start_at)
                               ).scalars().all()
    engine.dispose()
    def abut(chosen: list[Any]) -> bool:
        return all(a.end_at == b.start_at for a, b in zip(chosen, chosen[1:], strict=False))

    # segments that follow each other within one recorder run (the fixture kills ffmpeg once),
    # preferably not the first of a run
    windows = [rows[i:i + count] for i in range(len(rows) - count + 1)
               if abut(rows[i:i + count])]
    inner = [w for w in windows if rows.index(w[0]) > 0
             and rows[rows.index(w[0]) - 1].end_at == w[0].start_at]
    assert windows
    run = (inner or windows)[0]
    start = run[0].start_at + timedelta(seconds=into_first)
    end = run[-1].start_at + timedelta(seconds=into_last)
    result = extract_clip(list(run), start, end, tmp_path / "fast.mp4")
    origin, keyframes = _ffprobe_reference("ffprobe", Path(run[0].path))
    inpoint = max(k for k in keyframes if k <= origin + into_first + 1e-3)
    last_origin = _ffprobe_reference("ffprobe", Path(run[-1].path))[0]
    outpoint = last_origin + into_last
    lines = ["ffconcat version 1.0"]
    for index, row in enumerate(run):
        lines.append(f"file '{row.path}'")
        if index == 0 and inpoint > origin:
            lines.append(f"inpoint {inpoint:.6f}")
        if index == count - 1 and end < row.end_at:
            lines.append(f"outpoint {outpoint:.6f}")
    listing = tmp_path / "ref.ffconcat"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = tmp_path / "reference.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe",
                    "0", "-i", str(listing), "-map", "0", "-c", "copy", "-movflags",
                    "+faststart", "-f", "mp4", str(reference)], check=True)
    assert result.clip_start == run[0].start_at + timedelta(seconds=inpoint - origin)
    ours = result.path.read_bytes()
    assert result.sha256 == hashlib.sha256(ours).hexdigest() and result.size == len(ours)
    major, minor, micro = av.library_versions["libavformat"]
    tag = f"Lavf{major}.{minor}.{micro}".encode()
    # the parser-free demux ran in process (and declined only when forced to)
    assert declined == {"parsed": ["the cut does not start on an IDR picture"],
                        "mislabelled": ["keyframes differ from the segment's index"]
                        }.get(way, [])
    if way != "command":
        assert tag in ours[:8192]
        assert ours.find(b"moov") < ours.find(b"mdat")  # fast start, without the command
    mine, reference_packets = _packets(result.path), _packets(reference)
    assert [p[3] for p in mine] == [p[3] for p in reference_packets]  # the same packets
    frame = min(b[1] - a[1] for a, b in zip(mine, mine[1:], strict=False) if b[1] > a[1])
    # the concat demuxer's times differ by less than a frame per segment joined
    assert all(abs(p[1] - q[1]) < frame * len(run) for p, q in
               zip(mine, reference_packets, strict=True))
    assert not list(tmp_path.glob("*.part"))


def test_the_clip_worker_outlives_a_database_outage(demo: Backend) -> None:
    runtime = _runtime(demo)
    outage = DatabaseOutage(runtime.sessions)
    worker = ClipWorker(outage, runtime.settings, runtime.signer)  # type: ignore[arg-type]
    worker.start()
    try:
        outage.wait_refused(2)  # one round, and the next after the poll
        outage.down = False
        worker.wake()
        time.sleep(0.5)
        assert worker._thread is not None and worker._thread.is_alive()
    finally:
        worker.stop()
    assert not worker._thread.is_alive()


def test_a_clip_of_matroska_segments_with_g711_sound(tmp_path: Path) -> None:
    """The recorder writes Matroska for a camera with G.711 sound (MPEG-TS cannot carry it
    playably): a clip of its segments is an MP4 with the pictures copied and the sound in AAC
    (MP4 cannot hold G.711), covering the range asked."""
    import av

    from server.clips import extract_clip
    from tests.server.test_record_child import job, listed, make_input, run_child

    source = make_input(tmp_path / "in.mkv", "pcm_alaw")
    out = tmp_path / "out"
    out.mkdir()
    done = run_child(job(source, out))
    assert done.returncode == 0, done.stderr
    anchor = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    segments = [RecordingSegment(camera_id=1, start_at=anchor + timedelta(seconds=start),
                                 end_at=anchor + timedelta(seconds=end), storage_root=str(out),
                                 path=str(out / name), size_bytes=(out / name).stat().st_size)
                for name, start, end in listed(out)]
    assert all(s.path.endswith(".mkv") for s in segments) and len(segments) >= 3
    start, end = anchor + timedelta(seconds=1), anchor + timedelta(seconds=5)
    covering = [s for s in segments if s.end_at > start and s.start_at < end]
    clip = extract_clip(covering, start, end, tmp_path / "clip.mp4")
    with av.open(str(clip.path)) as container:
        assert "mp4" in container.format.name
        assert {s.codec_context.name for s in container.streams} == {"h264", "aac"}
        duration = float(container.duration or 0) / 1_000_000
    assert clip.clip_start <= start
    assert abs(duration - (end - clip.clip_start).total_seconds()) < 0.3
    assert hashlib.sha256(clip.path.read_bytes()).hexdigest() == clip.sha256
