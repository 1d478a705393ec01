"""The recorder against a real lab camera through the embedded gateway: indexed segments, restart
after a killed record child with the gap recorded, no password or token where others can read
it, one camera session shared with a viewer; retention by age and size that never removes a
segment under evidence lock."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from common.vocabulary import CameraSystem, IncidentCategory, IncidentKind, IncidentState
from server.config import Settings
from server.models import (
    Bookmark,
    Camera,
    ClipRequest,
    Incident,
    RecordingGap,
    RecordingSegment,
    User,
)
from server.recorder import (
    CameraRecorder,
    Recorder,
    RecordTarget,
    apply_retention,
    mask_text,
    probe_duration,
    sha256_file,
)
from tests.server.conftest import SEGMENT_SECONDS, Backend, DatabaseOutage, Recorded


def _segments(backend: Backend) -> list[RecordingSegment]:
    with backend.client.app.state.runtime.sessions() as session:
        return list(session.execute(select(RecordingSegment)
                                    .order_by(RecordingSegment.start_at)).scalars())


def test_segments_are_indexed_and_playable(recorded: Recorded,
                                           recorded_backend: Backend) -> None:
    segments = _segments(recorded_backend)
    assert len(segments) >= 4
    for segment in segments:
        path = Path(segment.path)
        assert path.parent == recorded.recordings / str(recorded.camera_id)
        assert path.stat().st_size == segment.size_bytes
        assert sha256_file(path) == segment.sha256
        assert segment.end_at > segment.start_at
        duration = probe_duration("ffprobe", path)
        assert duration is not None
        # the index's span is the file's media duration (within a frame or two)
        assert abs((segment.end_at - segment.start_at).total_seconds() - duration) < 0.2
        assert (segment.end_at - segment.start_at).total_seconds() < SEGMENT_SECONDS + 1.5
    # no list files or fragments are left behind
    assert not list((recorded.recordings / str(recorded.camera_id)).glob(".*.csv"))
    assert {Path(s.path).name for s in segments} == {
        p.name for p in (recorded.recordings / str(recorded.camera_id)).glob("*.ts")}


def test_killed_ffmpeg_restarts_and_the_gap_is_recorded(recorded: Recorded,
                                                        recorded_backend: Backend) -> None:
    assert recorded.restarted_pid is not None and recorded.restarted_pid != recorded.killed_pid
    assert not psutil.pid_exists(recorded.killed_pid) or \
        psutil.Process(recorded.killed_pid).status() == psutil.STATUS_ZOMBIE
    segments = _segments(recorded_backend)
    with recorded_backend.client.app.state.runtime.sessions() as session:
        gaps = list(session.execute(select(RecordingGap)).scalars())
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap.reason.startswith("record child exited with code -9")
    assert gap.to_at is not None and gap.to_at > gap.from_at
    assert (gap.to_at - gap.from_at).total_seconds() < 10
    before = [s for s in segments if s.end_at <= gap.from_at + timedelta(milliseconds=1)]
    after = [s for s in segments if s.start_at >= gap.to_at - timedelta(milliseconds=1)]
    assert before and after and len(before) + len(after) == len(segments)
    assert before[-1].end_at == gap.from_at and after[0].start_at == gap.to_at
    # the record children are gone after stop (no orphan recording on)
    assert recorded.restarted_pid is not None
    assert not psutil.pid_exists(recorded.restarted_pid) or \
        psutil.Process(recorded.restarted_pid).status() == psutil.STATUS_ZOMBIE


def test_child_output_is_masked() -> None:
    line = "[rtsp @ 0x1] method DESCRIBE failed: rtsp://viewer1:S3cret@127.0.0.1:8554/cam01/main"
    masked = mask_text(line, ["S3cret"])
    assert "S3cret" not in masked and "viewer1" not in masked
    assert "rtsp://***@127.0.0.1:8554/cam01/main" in masked
    assert mask_text("bad password S3cret here", ["S3cret"]) == "bad password *** here"
    line = "404: rtsp://127.0.0.1:8555/cam/1/main/live?token=eyJh.c2ln failed"
    assert mask_text(line) == "404: rtsp://127.0.0.1:8555/cam/1/main/live?token=*** failed"


def test_no_password_or_token_where_others_can_read_it(recorded: Recorded) -> None:
    """Every record child's command line and environment (``ps``, ``/proc``), read while it
    ran: no camera password, no session token, nor the backend's own secrets."""
    assert len(recorded.exposed) == 2 and len(recorded.session_urls) >= 2
    tokens = [url.split("token=", 1)[1] for url in recorded.session_urls]
    assert all(len(token) > 100 for token in tokens)
    secrets = [*tokens, *(cam.rtsp_password for cam in recorded.lab.cameras),
               *(cam.onvif_password for cam in recorded.lab.cameras if cam.onvif_password)]
    for pid, exposed in recorded.exposed.items():
        assert b"server.record_child" in exposed, pid
        for secret in secrets:
            assert secret.encode() not in exposed, pid
        assert b"IOCWALL_" not in exposed  # not the backend's environment either
    # each run had its own session (a token is short-lived), on the stream's live mount
    assert len(set(tokens)) == len(tokens)
    assert all(f"/cam/{recorded.camera_id}/main/live?token=" in url
               for url in recorded.session_urls)


def test_the_recorders_sessions_are_audited_as_the_recorder(recorded: Recorded,
                                                            recorded_backend: Backend) -> None:
    issued = [r for r in recorded_backend.audit_rows("stream_session_issue")
              if r["username"] == "recorder"]
    started = [r for r in recorded_backend.audit_rows("stream_session_start")
               if r["username"] == "recorder"]
    assert len(issued) == len(recorded.session_urls)
    assert started and {r["user_id"] for r in started} == {0}
    assert {r["camera_id"] for r in started} == {recorded.camera_id}
    assert {r["detail"]["session_id"] for r in started} <= {
        r["detail"]["session_id"] for r in issued}


def _local_copy(backend: Backend, recorded: Recorded, tmp_path: Path) -> list[RecordingSegment]:
    """Copy the segment files so retention can delete them; shift them two days back."""
    target = tmp_path / "store"
    target.mkdir()
    runtime = backend.client.app.state.runtime
    with runtime.sessions() as session:
        for segment in session.execute(select(RecordingSegment)).scalars():
            copy = target / Path(segment.path).name
            shutil.copy(segment.path, copy)
            segment.path, segment.storage_root = str(copy), str(target)
            segment.start_at -= timedelta(days=2)
            segment.end_at -= timedelta(days=2)
        session.commit()
    return _segments(backend)


def _bookmark_over(backend: Backend, segment: RecordingSegment) -> None:
    runtime = backend.client.app.state.runtime
    with runtime.sessions() as session:
        user = session.execute(select(User).where(User.username == "ioc.operator")).scalar_one()
        at = segment.start_at + (segment.end_at - segment.start_at) / 2
        session.add(Bookmark(camera_id=segment.camera_id, author_id=user.id,
                             unit_id=user.unit_id, at=at, window_start=at, window_end=at,
                             note="", tags="[]", created_at=at))
        session.commit()


def _open_request_over(backend: Backend, segment: RecordingSegment, state: str) -> int:
    runtime = backend.client.app.state.runtime
    with runtime.sessions() as session:
        user = session.execute(select(User).where(User.username == "ward.dongphu.police")
                               ).scalar_one()
        request = ClipRequest(camera_id=segment.camera_id, requester_id=user.id,
                              requester_unit_id=user.unit_id, chain="ward_police", state=state,
                              start_at=segment.start_at, end_at=segment.end_at, purpose="x",
                              attempts=0, created_at=segment.start_at,
                              updated_at=segment.start_at)
        session.add(request)
        session.commit()
        return request.id


def test_retention_by_age_keeps_protected_segments(recorded: Recorded,
                                                   recorded_backend: Backend,
                                                   tmp_path: Path) -> None:
    segments = _local_copy(recorded_backend, recorded, tmp_path)
    bookmarked, requested, closed = segments[0], segments[2], segments[3]
    _bookmark_over(recorded_backend, bookmarked)
    request_id = _open_request_over(recorded_backend, requested, "endorsed")
    _open_request_over(recorded_backend, closed, "delivered")
    runtime = recorded_backend.client.app.state.runtime
    settings = runtime.settings.model_copy(update={"retention_days": 1.0})
    with runtime.sessions() as session:
        report = apply_retention(session, settings, datetime.now(UTC))
    left = {s.id for s in _segments(recorded_backend)}
    assert left == {bookmarked.id, requested.id}
    assert report.removed == len(segments) - 2 and report.kept_protected == 2
    for segment in segments:
        assert Path(segment.path).exists() == (segment.id in left)
    # closing the request lifts its lock; the bookmark's stays
    with runtime.sessions() as session:
        session.execute(update(ClipRequest).where(ClipRequest.id == request_id)
                        .values(state="rejected"))
        session.commit()
        apply_retention(session, settings, datetime.now(UTC))
    assert {s.id for s in _segments(recorded_backend)} == {bookmarked.id}
    rows = recorded_backend.audit_rows("recording_retention")
    assert [r["detail"]["removed"] for r in rows] == [len(segments) - 2, 1]


def test_a_segment_that_will_not_go_is_a_storage_incident_and_the_rest_still_goes(
        recorded: Recorded, recorded_backend: Backend, tmp_path: Path) -> None:
    """A disk that refuses to give space back would fill while recording went on: the round
    removes what it can, keeps the stuck segment indexed, and the duty desk gets a storage
    incident that the first clean round resolves."""
    segments = _local_copy(recorded_backend, recorded, tmp_path)
    stuck = Path(segments[1].path)
    stuck.unlink()
    stuck.mkdir()  # a non-empty directory where the file was: unlink fails even for root
    (stuck / "held").write_bytes(b"x")
    runtime = recorded_backend.client.app.state.runtime
    settings = runtime.settings.model_copy(update={"retention_days": 1.0})
    recorder = Recorder(runtime.sessions, settings, Ed25519PrivateKey.generate(), camera_ids=[])

    def incident() -> Incident | None:
        with runtime.sessions() as session:
            return session.execute(select(Incident).where(
                Incident.kind == IncidentKind.STORAGE_FAILURE.value)).scalar_one_or_none()

    report = recorder.retention_pass(datetime.now(UTC))
    assert report is not None and report.removed == len(segments) - 1
    assert len(report.failed) == 1 and report.failed[0].startswith(stuck.name)
    assert [s.id for s in _segments(recorded_backend)] == [segments[1].id]
    opened = incident()
    assert opened is not None and opened.state == IncidentState.OPEN.value
    assert opened.category == IncidentCategory.STORAGE.value and stuck.name in opened.note
    # the disk mended: the next round removes it and resolves the incident by itself
    shutil.rmtree(stuck)
    stuck.write_bytes(b"")
    report = recorder.retention_pass(datetime.now(UTC))
    assert report is not None and report.removed == 1 and not report.failed
    assert _segments(recorded_backend) == [] and not stuck.exists()
    resolved = incident()
    assert resolved is not None and resolved.state == IncidentState.RESOLVED.value


def test_retention_follows_each_camera_systems_own_period(recorded: Recorded,
                                                          recorded_backend: Backend,
                                                          tmp_path: Path) -> None:
    """Decree 13/2023: a system's recordings are kept as long as its purpose needs, the site's
    default otherwise; a bookmark's segment is held whatever the period."""
    segments = _local_copy(recorded_backend, recorded, tmp_path)  # two days old
    _bookmark_over(recorded_backend, segments[0])
    runtime = recorded_backend.client.app.state.runtime
    with runtime.sessions() as session:
        system = session.get(Camera, recorded.camera_id).system
    others = {s.value: 1.0 for s in CameraSystem if s.value != system}
    # the other systems keep one day, this camera's keeps the site's 30: nothing goes
    settings = runtime.settings.model_copy(update={"retention_days": 30.0,
                                                   "retention_days_by_system": others})
    with runtime.sessions() as session:
        assert apply_retention(session, settings, datetime.now(UTC)).removed == 0
    assert len(_segments(recorded_backend)) == len(segments)
    # its own system keeps one day: all but the bookmarked one go, the site default aside
    settings = settings.model_copy(update={"retention_days_by_system": {**others, system: 1.0}})
    with runtime.sessions() as session:
        report = apply_retention(session, settings, datetime.now(UTC))
    assert [s.id for s in _segments(recorded_backend)] == [segments[0].id]
    assert report.removed == len(segments) - 1 and report.kept_protected == 1


def test_retention_days_by_system_is_read_from_the_environment(tmp_path: Path) -> None:
    env = {"IOCWALL_DATA_DIR": str(tmp_path),
           "IOCWALL_RETENTION_DAYS_BY_SYSTEM": "traffic=90, public=15"}
    assert Settings.from_env(env).retention_days_by_system == {"traffic": 90.0, "public": 15.0}
    for wrong, named in (("school=3", "school"), ("traffic=x", "traffic"),
                         ("public=0", "public")):
        with pytest.raises(ValueError, match=named):
            Settings.from_env({**env, "IOCWALL_RETENTION_DAYS_BY_SYSTEM": wrong})


def test_retention_by_size_removes_oldest_unprotected_first(recorded: Recorded,
                                                            recorded_backend: Backend,
                                                            tmp_path: Path) -> None:
    segments = _local_copy(recorded_backend, recorded, tmp_path)
    _bookmark_over(recorded_backend, segments[0])
    runtime = recorded_backend.client.app.state.runtime
    quota = segments[0].size_bytes + segments[-1].size_bytes + segments[-2].size_bytes
    settings = runtime.settings.model_copy(update={"retention_days": 365.0,
                                                   "retention_max_bytes": quota})
    with runtime.sessions() as session:
        apply_retention(session, settings, datetime.now(UTC))
    # protected bytes count against the quota but are never removed; the oldest go first
    assert [s.id for s in _segments(recorded_backend)] == [
        segments[0].id, segments[-2].id, segments[-1].id]
    # with a quota below the protected bytes alone, only the protected segment is left
    settings = settings.model_copy(update={"retention_max_bytes": 1})
    with runtime.sessions() as session:
        apply_retention(session, settings, datetime.now(UTC))
    assert [s.id for s in _segments(recorded_backend)] == [segments[0].id]
    assert Path(segments[0].path).exists()


def test_no_route_deletes_or_changes_recordings(recorded_backend: Backend) -> None:
    for route in recorded_backend.client.app.routes:
        path = getattr(route, "path", "")
        if "record" in path or "segment" in path:
            assert set(getattr(route, "methods", set())) <= {"GET", "HEAD"}, path


def test_a_database_outage_neither_stops_the_recorder_nor_loses_a_segment(
        demo: Backend, tmp_path: Path) -> None:
    """PostgreSQL restarting (or the network to it failing) must not end the recording: a
    finished segment waits for the database, the thread lives on and catches up."""
    runtime = demo.client.app.state.runtime
    camera_id = demo.camera_ids()[0]
    outage = DatabaseOutage(runtime.sessions)
    # a session URL nothing answers: each run ends at once, a gap is due, the recorder restarts
    settings = runtime.settings.model_copy(update={"recordings_dir": tmp_path / "recordings"})
    recorder = CameraRecorder(RecordTarget(camera_id, "CAM-01",
                                           lambda: "rtsp://127.0.0.1:9/cam/1/main/live?token=x"),
                              outage, settings)  # type: ignore[arg-type]
    segment = tmp_path / "finished.ts"
    segment.write_bytes(b"\x47" + bytes(187))
    end = datetime.now(UTC)
    recorder._store(segment, end - timedelta(seconds=10), end)
    assert outage.refused == 1 and _segments(demo) == []
    recorder.start()
    try:
        outage.wait_refused(3)  # the resume check, the gap, the waiting segment
        outage.down = False
        deadline = time.monotonic() + 15
        while not (_segments(demo) and _gaps(demo)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert recorder._thread is not None and recorder._thread.is_alive()
    finally:
        recorder.stop()
    assert [s.path for s in _segments(demo)] == [str(segment)]
    reasons = [g.reason for g in _gaps(demo)]
    assert reasons[:1] and reasons[0].startswith("record child exited with code 1: "), reasons
    assert "token=x" not in reasons[0]


def _gaps(backend: Backend) -> list[RecordingGap]:
    with backend.client.app.state.runtime.sessions() as session:
        return list(session.execute(select(RecordingGap).order_by(RecordingGap.id)).scalars())
