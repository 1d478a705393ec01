"""What the public may see (Art. 14): the cameras and the violation media the operating
unit marked public, through ``/public/v1`` without login, read-only and rate-limited.

Only an allow-list of fields leaves: a public camera's id, name, ward, location and whether a
picture exists; a published case's id, type, ward, date, the operating unit's title and its
published clip. Never a stream URL, credentials, ONVIF data, a user (name or id), a unit, a
note, a conclusion, or anything about a non-public camera (a published case on a non-public
camera shows no camera at all). The snapshot is one frame of the camera's latest recorded
segment, cut by ffmpeg and cached per segment.

Rate limit: a token bucket per client address (``IOCWALL_PUBLIC_RATE_PER_MINUTE``, 60 by
default, bursts up to that many), on the app's clock; over it → 429 with ``Retry-After``.
"""

from __future__ import annotations

import math
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from common.vocabulary import PublicationState
from server.models import Camera, Publication, RecordingSegment, ViolationCase
from server.publications import (
    camera_may_be_public,
    catalogued_cameras,
    catalogued_kinds,
    published,
)
from server.schemas import PublicCamera, PublicViolation
from server.working_calendar import VIETNAM


@dataclass
class RateLimiter:
    per_minute: int
    _buckets: dict[str, tuple[float, datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, now: datetime) -> float | None:
        """None when allowed; else the seconds until the next request would be."""
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute),
                         tokens + max(0.0, (now - last).total_seconds()) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 10000:  # forget the quietest addresses
                for stale in sorted(self._buckets, key=lambda k: self._buckets[k][1])[:5000]:
                    del self._buckets[stale]
            return None


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


def public_cameras(session: Session) -> list[Camera]:
    """Cameras marked public that the catalogue lists (and that may be public at all)."""
    listed = catalogued_cameras(session)
    return [c for c in session.execute(select(Camera).where(Camera.public.is_(True),
                                                            Camera.is_active.is_(True))
                                       .order_by(Camera.name, Camera.id)).scalars().all()
            if c.id in listed and camera_may_be_public(session, c) is None]


def is_public_camera(session: Session, camera: Camera) -> bool:
    return (camera.public and camera.is_active
            and camera_may_be_public(session, camera) is None)


def latest_segment(session: Session, camera_id: int) -> RecordingSegment | None:
    return session.execute(select(RecordingSegment)
                           .where(RecordingSegment.camera_id == camera_id)
                           .order_by(RecordingSegment.end_at.desc()).limit(1)).scalars().first()


def camera_view(session: Session, camera: Camera) -> PublicCamera:
    return PublicCamera(id=camera.id, name=camera.name, ward=camera.ward.name,
                        location=camera.location,
                        snapshot=(f"/public/v1/cameras/{camera.id}/snapshot"
                                  if latest_segment(session, camera.id) else None))


class SnapshotCache:
    """The last frame cut per camera, keyed by the segment it came from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frames: dict[int, tuple[str, bytes]] = {}

    def frame(self, camera_id: int, segment: Path, ffmpeg: str) -> bytes:
        with self._lock:
            cached = self._frames.get(camera_id)
            if cached and cached[0] == str(segment):
                return cached[1]
        out = subprocess.run(
            [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-sseof", "-1.5", "-i",
             str(segment), "-frames:v", "1", "-an", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2",
             "-"], capture_output=True, timeout=20, check=False)
        if out.returncode != 0 or not out.stdout.startswith(b"\xff\xd8"):
            raise RuntimeError("no picture in the latest segment")
        with self._lock:
            self._frames[camera_id] = (str(segment), out.stdout)
        return out.stdout


SNAPSHOTS = SnapshotCache()


def _public_cases(session: Session) -> Select[ViolationCase]:
    """Cases published (by two people, blurred) whose kind the catalogue still lists — one
    query, whatever the number of cases: the public API is open to anyone."""
    return select(ViolationCase).where(
        ViolationCase.public.is_(True),
        ViolationCase.kind.in_(catalogued_kinds(session)),
        select(Publication.id).where(
            Publication.case_id == ViolationCase.id,
            Publication.state == PublicationState.PUBLISHED.value).exists())


def public_violations(session: Session) -> list[ViolationCase]:
    return list(session.execute(_public_cases(session).order_by(
        ViolationCase.detected_at.desc(), ViolationCase.id.desc())).scalars().all())


def public_violation(session: Session, case_id: int) -> ViolationCase | None:
    """The case if it is one of :func:`public_violations`."""
    return session.execute(_public_cases(session).where(ViolationCase.id == case_id)
                           ).scalar_one_or_none()


def published_media(session: Session, case: ViolationCase) -> Path | None:
    """The blurred clip of the case's publication (never the evidence clip itself)."""
    item = published(session, case)
    if item is None or item.redacted_path is None or item.clip_request_id is None:
        return None
    path = Path(item.redacted_path)
    return path if path.exists() else None


def violation_view(session: Session, case: ViolationCase) -> PublicViolation:
    camera = case.camera
    return PublicViolation(
        id=case.id, kind=case.kind, title=case.public_title or "", ward=camera.ward.name,
        detected_on=case.detected_at.astimezone(VIETNAM).date().isoformat(),
        camera=camera_view(session, camera) if is_public_camera(session, camera) else None,
        media=(f"/public/v1/violations/{case.id}/media"
               if published_media(session, case) else None))
