"""Files over 2 GiB: a two-hour main-stream clip and a long recording segment are that large,
and their sizes must fit the database (PostgreSQL's INTEGER is 32-bit, SQLite's is not)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from server.models import Camera, ClipRequest, RecordingSegment, User
from server.recorder import apply_retention
from tests.server.conftest import START, Backend

BIG = 5 * 2**30  # a 2 h clip of a 1080p main stream at about 6 Mbit/s


def test_a_clip_and_segments_over_2_gib_are_stored_listed_and_retained(demo: Backend,
                                                                        tmp_path: Path) -> None:
    runtime = demo.client.app.state.runtime
    with runtime.sessions() as session:
        camera = session.execute(select(Camera).order_by(Camera.id)).scalars().first()
        assert camera is not None
        user = session.execute(select(User).where(User.username == "ioc.operator")
                               ).scalar_one()
        request = ClipRequest(camera_id=camera.id, requester_id=user.id,
                              requester_unit_id=user.unit_id, chain="auto", state="ready",
                              start_at=START, end_at=START + timedelta(hours=2), purpose="p",
                              clip_size=BIG, attempts=1, created_at=START, updated_at=START)
        session.add(request)
        for hour in range(3):
            start = START - timedelta(days=60, hours=hour)
            session.add(RecordingSegment(
                camera_id=camera.id, start_at=start, end_at=start + timedelta(hours=1),
                storage_root=str(tmp_path), path=str(tmp_path / f"{hour}.ts"), size_bytes=BIG,
                created_at=start))
        session.commit()
        request_id = request.id
    reply = demo.get(f"/clips/{request_id}", demo.login("ioc.operator"))
    assert reply.status_code == 200, reply.text
    assert reply.json()["clip_size"] == BIG
    settings = runtime.settings.model_copy(update={"retention_days": 10_000,
                                                   "retention_max_bytes": 2 * BIG})
    with runtime.sessions() as session:
        report = apply_retention(session, settings, START)
    assert (report.removed, report.removed_bytes) == (1, BIG)  # the oldest goes: 3 x 5 > 10 GiB
