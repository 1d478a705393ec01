"""The faults the server files by itself, with real parts: the embedded gateway killed, a run
that did not stop cleanly, a crash loop, PostgreSQL stopped and started again; and with the
camera lab, a record child that stops writing and a camera whose stream the gateway loses.
Each incident is filed once per fault and clears (or, for an event, stays for the desk)."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from common.vocabulary import IncidentCategory, IncidentKind, IncidentState
from server.config import Settings
from server.db import migrate
from server.demo import read_manifest, seed_demo
from server.main import create_app
from server.models import AuditLog, Camera, Incident, RecordingSegment
from server.restarts import RUN_MARKER, RestartNotices
from tests.pg import start_cluster
from tests.server.conftest import (
    Backend,
    MovableClock,
    RealClock,
    TestDatabases,
    make_settings,
    wait_for,
)

HEALTH = "/api/v1/health"


@contextmanager
def serving(settings: Settings, clock: MovableClock) -> Iterator[tuple[TestClient, Any]]:
    """The app with its lifespan (its background work) running."""
    app = create_app(settings, clock=clock)
    try:
        with TestClient(app) as client:
            yield client, app.state.runtime
    finally:
        app.state.runtime.engine.dispose()


def incidents(runtime: Any, kind: IncidentKind) -> list[Incident]:
    with runtime.sessions() as session:
        rows = session.execute(select(Incident).where(Incident.kind == kind.value)
                               .order_by(Incident.id)).unique().scalars().all()
        for row in rows:
            _ = list(row.reports)
        session.expunge_all()
        return list(rows)


def open_incidents(runtime: Any, kind: IncidentKind) -> list[Incident]:
    return [i for i in incidents(runtime, kind) if i.state != IncidentState.RESOLVED]


def audit_events(runtime: Any, event: str) -> list[dict[str, Any]]:
    with runtime.sessions() as session:
        return [json.loads(d) for d in session.execute(
            select(AuditLog.detail).where(AuditLog.event == event)).scalars()]


# -- processes restarted ----------------------------------------------------------------------

def test_a_killed_embedded_gateway_is_filed_once(demo_template: str, tmp_path: Path,
                                                 new_database: Callable[..., str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    settings = make_settings(data, new_database(data, demo_template)).model_copy(
        update={"clip_worker": False})
    with serving(settings, RealClock()) as (_client, runtime):
        supervisor = runtime.gateway_supervisor
        assert supervisor.ready.wait(30), "the embedded gateway did not start"
        assert incidents(runtime, IncidentKind.PROCESS_RESTARTED) == []
        pid = supervisor.pid
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: supervisor.restarts >= 1 and supervisor.ready.is_set(), 30)
        [incident] = wait_for(lambda: open_incidents(runtime, IncidentKind.PROCESS_RESTARTED),
                              10)
        assert (incident.category, incident.subject) == (IncidentCategory.SERVER, "gateway local")
        assert incident.automatic and incident.reported_by_id is None
        assert f"pid {pid}" in incident.note and "-9" in incident.note
        [said] = audit_events(runtime, "process_restart")
        assert said["subject"] == "gateway local" and said["count"] == 1


def test_an_unclean_stop_is_filed_at_the_next_start(migrated_template: str, tmp_path: Path,
                                                    new_database: Callable[..., str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    settings = make_settings(data, new_database(data, migrated_template)).model_copy(
        update={"gateway": "off", "clip_worker": False})
    with serving(settings, RealClock()):
        assert (data / RUN_MARKER).is_file()  # while it runs
    assert not (data / RUN_MARKER).exists()  # a clean stop removes it
    with serving(settings, RealClock()) as (_client, runtime):
        assert incidents(runtime, IncidentKind.PROCESS_RESTARTED) == []
    # the run that is killed (or loses power) leaves its marker behind
    (data / RUN_MARKER).write_text(json.dumps({"pid": 4242, "started": "2026-12-07T01:00:00"}))
    with serving(settings, RealClock()) as (_client, runtime):
        [incident] = incidents(runtime, IncidentKind.PROCESS_RESTARTED)
        assert incident.subject == "backend" and incident.state == IncidentState.OPEN
        assert "pid 4242" in incident.note


def test_a_crash_loop_is_one_incident_with_its_count(demo: Backend) -> None:
    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    ticks = [0.0]
    notices = RestartNotices(runtime.sessions, demo.clock, report_every_s=60.0,
                             monotonic=lambda: ticks[0])
    for n in range(200):  # one crash every half second for 100 s
        notices.restarted("gateway local", f"died (pid {1000 + n})")
        ticks[0] += 0.5
    ticks[0] += 60.0
    notices.flush()  # the loop went quiet: its last count is said
    [incident] = incidents(runtime, IncidentKind.PROCESS_RESTARTED)
    assert 2 <= len(incident.reports) <= 4, [r.note for r in incident.reports]
    assert "200 lần" in incident.reports[-1].note
    # the desk resolves it; the next crash is a new incident, counted from one
    with runtime.sessions() as session:
        row = session.get(Incident, incident.id)
        row.state, row.open_key, row.resolved_at = "resolved", None, demo.clock()
        session.commit()
    ticks[0] += 1.0
    notices.restarted("gateway local", "died (pid 9999)")
    first, second = incidents(runtime, IncidentKind.PROCESS_RESTARTED)
    assert second.note == "died (pid 9999)" and len(second.reports) == 1


# -- the database ---------------------------------------------------------------------------

def test_a_stopped_database_is_said_then_filed(database: TestDatabases, tmp_path: Path) -> None:
    if database.dialect != "postgresql":
        pytest.skip("SQLite is a file the server itself opens: there is no database server to "
                    "stop (a failing disk is the storage watch's)")
    cluster = start_cluster()  # its own: stopping the session's would stop the others' tests
    try:
        url = cluster.url(cluster.create_database())
        migrate(url)
        data = tmp_path / "data"
        data.mkdir()
        settings = make_settings(data, url).model_copy(
            update={"gateway": "off", "clip_worker": False, "database_probe_s": 0.2})
        with serving(settings, RealClock()) as (client, runtime):
            assert client.get(HEALTH).status_code == 200
            before = datetime.now(UTC)
            cluster.halt()
            try:
                reply = wait_for(lambda: (r := client.get(HEALTH)).status_code == 503 and r, 30)
                body = reply.json()
                assert body["code"] == "database_unreachable"
                assert body["message"] == "The server cannot reach its database"
                since = datetime.fromisoformat(body["context"]["since"])
                assert before - timedelta(seconds=1) <= since <= datetime.now(UTC)
                assert str(cluster.port) not in reply.text  # nothing of where it is
            finally:
                cluster.resume()
            wait_for(lambda: client.get(HEALTH).status_code == 200, 30)
            [incident] = wait_for(lambda: incidents(runtime, IncidentKind.DATABASE_UNREACHABLE),
                                  30)
            assert incident.state == IncidentState.RESOLVED and incident.subject == "database"
            assert incident.category == IncidentCategory.SERVER and incident.automatic
            assert abs((incident.reported_at - since).total_seconds()) < 1
            assert incident.resolved_at is not None and incident.resolved_at > since
            assert "không kết nối được cơ sở dữ liệu" in incident.note
            [said] = audit_events(runtime, "database_outage")
            assert said["seconds"] > 0
            runtime.database_watch.check()  # answering on: nothing more is filed
            assert len(incidents(runtime, IncidentKind.DATABASE_UNREACHABLE)) == 1
    finally:
        cluster.stop()


# -- with the camera lab: recording and streams -----------------------------------------------

STALL_S = 6.0
LOST_AFTER_S = 3.0


@pytest.fixture
def recording(lab: Any, database: TestDatabases, migrated_template: str,
              new_database: Callable[..., str], tmp_path: Path) -> Iterator[Backend]:
    """The backend with its embedded gateway and recorder, recording lab camera 0 only."""
    data = tmp_path / "data"
    data.mkdir()
    settings = make_settings(data, new_database(data, migrated_template)).model_copy(update={
        "gateway_rtsp_port": 0, "clip_worker": False, "gateway_sync": True, "record": True,
        "segment_seconds": 2, "recorder_stall_s": STALL_S, "stream_lost_after_s": LOST_AFTER_S,
        "fault_check_s": 0.5})
    clock = RealClock()
    app = create_app(settings, clock=clock)
    runtime = app.state.runtime
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, clock(),
                  read_manifest(lab.manifest_path), settings)
        session.execute(update(Camera).values(record=Camera.external_id == "lab:0"))
        session.commit()
    try:
        with TestClient(app) as client:
            assert runtime.gateway_supervisor.ready.wait(30), "the embedded gateway did not start"
            yield Backend(client, clock, settings, database)
    finally:
        runtime.engine.dispose()


def runtime_of(backend: Backend) -> Any:
    return backend.client.app.state.runtime  # type: ignore[attr-defined]


def recorded_camera(backend: Backend) -> int:
    [camera_id] = runtime_of(backend).recorder.cameras
    return int(camera_id)


def segments(runtime: Any, camera_id: int) -> int:
    with runtime.sessions() as session:
        return int(session.execute(select(func.count()).select_from(RecordingSegment).where(
            RecordingSegment.camera_id == camera_id)).scalar_one())


@pytest.mark.lab
def test_a_recording_that_stops_is_filed_and_clears(recording: Backend) -> None:
    runtime = runtime_of(recording)
    camera_id = recorded_camera(recording)
    camera = runtime.recorder.cameras[camera_id]
    wait_for(lambda: segments(runtime, camera_id) >= 2, 60)
    assert incidents(runtime, IncidentKind.RECORDER_STOPPED) == []
    pid = wait_for(lambda: camera.pid, 30)
    os.killpg(pid, signal.SIGSTOP)  # hung: alive, writing nothing
    try:
        [incident] = wait_for(lambda: open_incidents(runtime, IncidentKind.RECORDER_STOPPED),
                              STALL_S + 30)
    finally:
        try:
            os.killpg(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert incident.category == IncidentCategory.STORAGE
    assert incident.subject == f"recorder {camera.target.name}"
    assert incident.reported_by_id is None
    assert f"Ngừng ghi hình camera {camera.target.name}" in incident.note
    wait_for(lambda: not open_incidents(runtime, IncidentKind.RECORDER_STOPPED), 90)
    [cleared] = incidents(runtime, IncidentKind.RECORDER_STOPPED)
    assert cleared.resolution == "Tự hết: camera được ghi hình trở lại"
    assert len(cleared.reports) == 1


@pytest.mark.lab
def test_a_stream_the_gateway_loses_is_filed_and_clears(recording: Backend, lab: Any) -> None:
    runtime = runtime_of(recording)
    camera_id = recorded_camera(recording)
    camera = runtime.recorder.cameras[camera_id]
    wait_for(lambda: (u := runtime.upstream(camera_id, "main")) is not None
             and u.state == "connected", 60)
    lab.stop_stream(0)
    try:
        [incident] = wait_for(lambda: open_incidents(runtime, IncidentKind.STREAM_LOST),
                              LOST_AFTER_S + 30)
        assert incident.category == IncidentCategory.CAMERA and incident.camera_id == camera_id
        assert incident.reported_by_id is None and "mất luồng main" in incident.note
        # the wall's own "offline" report of the same camera joins it: no second incident
        token = recording.login("ioc.operator")
        reply = recording.post("/incidents", token, json={
            "camera_id": camera_id, "kind": "offline", "note": "5 phút mất hình",
            "automatic": True})
        assert reply.status_code == 200, reply.text
        assert reply.json()["id"] == incident.id
        # the recording stops with the camera, but that is the camera's fault, not filed again
        wait_for(lambda: time.monotonic() - camera.last_segment_at > STALL_S + 2, 30)
        assert incidents(runtime, IncidentKind.RECORDER_STOPPED) == []
    finally:
        lab.start_stream(0)
    wait_for(lambda: not open_incidents(runtime, IncidentKind.STREAM_LOST), 90)
    [cleared] = incidents(runtime, IncidentKind.STREAM_LOST)
    assert cleared.resolution is not None and cleared.resolution.startswith("Tự hết")


def test_a_stream_back_within_the_threshold_files_nothing(demo: Backend) -> None:
    """The threshold, on the gateways' word as the sync keeps it (no lab: the states are what
    a gateway's /stats says); a stream nobody asks for (idle) says nothing either way."""
    from server.gateway_fleet import UpstreamState
    from server.stream_watch import StreamWatch

    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    camera_id = demo.camera_ids()[0]
    said: dict[tuple[int, str], UpstreamState] = {}
    ticks = [0.0]
    watch = StreamWatch(runtime.sessions, lambda: dict(said), demo.clock, 60.0,
                        monotonic=lambda: ticks[0])

    def gateway_says(state: str, after_s: float) -> None:
        said[(camera_id, "main")] = UpstreamState({"state": state, "last_error": "404"}, 0.0, 1)
        ticks[0] += after_s
        watch.check()

    gateway_says("connected", 0)
    gateway_says("connecting", 1)
    gateway_says("failed", 50)  # 50 s: a camera rebooting
    gateway_says("connected", 5)
    assert incidents(runtime, IncidentKind.STREAM_LOST) == []
    gateway_says("failed", 1)
    gateway_says("failed", 59)
    assert incidents(runtime, IncidentKind.STREAM_LOST) == []
    gateway_says("failed", 2)
    gateway_says("failed", 30)  # still lost: no second report
    [incident] = open_incidents(runtime, IncidentKind.STREAM_LOST)
    assert incident.camera_id == camera_id and len(incident.reports) == 1
    gateway_says("idle", 5)
    assert open_incidents(runtime, IncidentKind.STREAM_LOST)
    gateway_says("connected", 5)
    assert open_incidents(runtime, IncidentKind.STREAM_LOST) == []
