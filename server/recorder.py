"""The recorder: one child per camera writing fixed-length segments, indexed in the database.

A camera flagged for recording is recorded through the media gateway that serves it: from the
live mount of its main stream (``/cam/<id>/main/live``, the viewers' one upstream session, no
kept GOP, arrival timestamps), with a session token the backend signs for the recorder (user id
0, ``recorder``: the gateway's session events, hence the audit log, name it), a fresh one at
every (re)connection. The recorder never holds a camera password; a camera served by no gateway
is not recorded (logged, and in ``Recorder.unrecorded``).

Each camera gets a thread that runs ``python -m server.record_child`` (this venv's Python),
hands it the session URL as a JSON line on its stdin (never on its command line or in its
environment, which others can read), and lets it write segments into
``<recordings>/<camera id>/``. The child appends a line to a CSV segment list (one per run) when
it closes a segment; the thread polls that list and indexes each finished segment (start, end,
path, size, SHA-256). The list's times are relative to the run's first packet, so each run gets
one wall-clock anchor (the first segment's last write minus its relative end) and consecutive
segments of a run abut exactly. Segments are MPEG-TS, or Matroska when the stream carries G.711
audio (``server.record_child``); both keep a segment cut short by a crash readable: after the
child dies the unlisted file is probed with ffprobe and indexed too.

A dead child (or a gateway not up: no session to open) restarts with exponential backoff and
the span without recording is stored as a ``RecordingGap`` (closed when the next segment
arrives). Children run in their own process group with PDEATHSIG, so they die with the server
even when it is killed. Everything logged goes through ``mask_token``.

Retention (``apply_retention``) removes segments older than the retention age and, per storage
folder, the oldest ones beyond the size limit, but never a segment overlapping a bookmark's window
or the range of a clip request that is not closed yet (evidence lock). Nothing else deletes
segments; no API alters them.
"""

from __future__ import annotations

import csv
import ctypes
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.evidence import sha256_file
from common.stream_tokens import mask_token
from common.vocabulary import CameraStream, CameraSystem, IncidentCategory, IncidentKind
from server import audit, stream_sessions
from server.config import Settings
from server.incidents import clear_system_incident, file_system_incident
from server.models import Bookmark, Camera, ClipRequest, Gateway, RecordingGap, RecordingSegment

log = logging.getLogger("iocwall.recorder")

SEGMENT_SUFFIXES = (".ts", ".mkv")  # server.record_child: MPEG-TS, Matroska for G.711 audio
RECORDER_USER_ID = 0  # the recorder's sessions at a gateway: no row of ``users`` has id 0
RECORDER_USERNAME = "recorder"
RECORDED_STREAM = CameraStream.MAIN
# What a child may inherit: never the backend's own (its database URL, its secret key).
CHILD_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TZ")
ROOT = Path(__file__).resolve().parent.parent
BACKOFF_START = 1.0
BACKOFF_MAX = 30.0
STABLE_RUN = 30.0  # a child that lived this long resets the backoff
POLL_SECONDS = 0.5
RETENTION_PERIOD = 60.0
RETENTION_SUBJECT = "recording retention"
# Clip requests in these states no longer lock their footage.
CLOSED_CLIP_STATES = ("delivered", "rejected", "failed")

_PR_SET_PDEATHSIG = 1
_CREDENTIALS_IN_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")


def mask_text(text: str, secrets: Iterable[str | None] = ()) -> str:
    """A line of child output with user info in any URL, any token and the given secrets
    masked."""
    text = mask_token(_CREDENTIALS_IN_URL.sub(r"\1***@", text))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _child_setup() -> None:  # pragma: no cover - runs in the forked child
    """Own process group; SIGKILL when the parent thread dies (Linux PDEATHSIG)."""
    os.setsid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def start_child(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    """Start a helper process (ffmpeg, the record child) that cannot outlive the thread that
    started it."""
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.Popen(args, preexec_fn=_child_setup,
                            **kwargs)  # type: ignore[call-overload]


def child_environment() -> dict[str, str]:
    """The environment of a Python child of the backend: the few variables it needs."""
    env = {name: os.environ[name] for name in CHILD_ENVIRONMENT if name in os.environ}
    env["PYTHONPATH"] = str(ROOT)
    return env


def stop_child(process: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    """Ask the child to finish (SIGINT closes the current segment), then kill its group."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        process.wait(timeout=timeout)


def probe_duration(ffprobe: str, path: Path) -> float | None:
    """The media duration in seconds, None if ffprobe finds no playable content. A Matroska
    file cut by a crash has no duration in its header: its packets' last end tells it."""
    try:
        out = subprocess.run([ffprobe, "-v", "error", "-show_entries", "format=duration",
                              "-of", "default=nw=1:nk=1", str(path)],
                             capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        value = float(out.stdout.strip())
    except ValueError:
        return _packets_span(ffprobe, path)
    return value if value > 0 else None


def _packets_span(ffprobe: str, path: Path) -> float | None:
    try:
        out = subprocess.run([ffprobe, "-v", "error", "-show_entries",
                              "packet=pts_time,duration_time", "-of", "csv=p=0", str(path)],
                             capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    starts, ends = [], []
    for line in out.stdout.splitlines():
        pts, _, duration = line.partition(",")
        try:
            start = float(pts)
        except ValueError:
            continue
        starts.append(start)
        try:
            ends.append(start + float(duration))
        except ValueError:
            ends.append(start)
    if not starts:
        return None
    span = max(ends) - min(starts)
    return span if span > 0 else None


SessionUrl = Callable[[], str]
"""A fresh session URL (its token signed now) for one run; :class:`NoSession` when none can
be had now (the gateway is down)."""


class NoSession(RuntimeError):
    """No session can be opened now (the message says why; it carries no token)."""


@dataclass(frozen=True)
class RecordTarget:
    camera_id: int
    name: str
    session_url: SessionUrl  # its URL carries a token: log it through mask_token only


class GatewaySessions:
    """Session URLs at a camera's gateway for the recorder, signed with the stream token key,
    each issue in the audit log (the gateway's session events follow under the same id)."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 stream_key: Ed25519PrivateKey,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._sessions = sessions
        self._settings = settings
        self._key = stream_key
        self._clock = clock

    def for_camera(self, camera_id: int) -> SessionUrl:
        return lambda: self.open(camera_id)

    def open(self, camera_id: int) -> str:
        now = self._clock()
        with self._sessions() as session:
            camera = session.get(Camera, camera_id)
            gateway = (session.get(Gateway, camera.gateway_id)
                       if camera is not None and camera.gateway_id is not None else None)
            if gateway is None:
                raise NoSession("served by no media gateway")
            if not stream_sessions.gateway_ready(gateway):
                raise NoSession(f"media gateway {gateway.name} not available")
            issued = stream_sessions.issue_for(
                self._key, gateway, RECORDER_USER_ID, RECORDER_USERNAME, camera_id,
                RECORDED_STREAM, now, self._settings.stream_token_lifetime_s, live=True)
            audit.append(session, "stream_session_issue", now=now, user_id=RECORDER_USER_ID,
                         username=RECORDER_USERNAME, camera_id=camera_id,
                         detail={"stream": RECORDED_STREAM.value,
                                 "session_id": issued.token.session_id,
                                 "gateway": gateway.name, "live": True,
                                 "expires_at": issued.session.expires_at.isoformat()})
            session.commit()
        return issued.session.url


def record_targets(session: Session, gateway_sessions: GatewaySessions,
                   camera_ids: Iterable[int] | None = None
                   ) -> tuple[list[RecordTarget], dict[int, str]]:
    """The cameras flagged for recording (optionally only ``camera_ids``) that a gateway
    serves, and why each other one is not recorded (camera id → reason)."""
    query = select(Camera).where(Camera.record.is_(True), Camera.is_active.is_(True)
                                 ).order_by(Camera.id)
    if camera_ids is not None:
        query = query.where(Camera.id.in_(list(camera_ids)))
    targets = []
    unrecorded = {}
    for camera in session.execute(query).scalars():
        if camera.gateway_id is None:
            unrecorded[camera.id] = "served by no media gateway"
            continue
        targets.append(RecordTarget(camera.id, camera.name,
                                    gateway_sessions.for_camera(camera.id)))
    return targets, unrecorded


@dataclass
class _Run:
    """One record child's output: its files share ``prefix``; its list is ``list_path``."""

    prefix: str
    list_path: Path
    started: datetime
    anchor: datetime | None = None
    rows_done: int = 0
    listed: set[str] = field(default_factory=set)
    last_rel_end: float | None = None


class CameraRecorder:
    """Records one camera until ``stop``; restarts its child with backoff, records gaps."""

    def __init__(self, target: RecordTarget, sessions: sessionmaker[Session], settings: Settings,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC), *,
                 on_restart: Callable[[str, str], None] | None = None) -> None:
        """``on_restart(subject, note)``: a child was killed (by a signal, not ended by its
        stream), for the restart notices (``server.restarts``)."""
        self.target = target
        self._on_restart = on_restart
        self._sessions = sessions
        self._settings = settings
        self._now = now
        self.directory = settings.recordings_root / str(target.camera_id)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._last_error = ""
        self.restarts = 0
        # monotonic time of the last finished segment (or of the start): the recorder watch
        # (server.recorder_watch) tells a stalled recording by it
        self.last_segment_at = time.monotonic()
        # finished segments the database could not take yet (oldest first), and whether that
        # has been logged: a database that restarts must not stop the recording
        self._unindexed: list[tuple[Path, datetime, datetime]] = []
        self._database_down = False

    # -- control ----------------------------------------------------------------------------
    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._run_forever, daemon=True,
                                        name=f"recorder-{self.target.camera_id}")
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        with self._lock:
            process = self._process
        if process is not None:
            stop_child(process)
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process is not None else None

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def alive(self) -> bool:
        """Its thread runs (or it was stopped on purpose)."""
        return self._stop.is_set() or (self._thread is not None and self._thread.is_alive())

    @property
    def last_error(self) -> str:
        return self._last_error

    # -- the loop ----------------------------------------------------------------------------
    def _job(self, run: _Run, url: str) -> dict[str, Any]:
        settings = self._settings
        # numbered, not named by the second a segment starts: two segments starting within one
        # second (a short one after a keyframe gap) would share a name, and the second would
        # truncate the first after it was listed (the run's prefix is unique to the microsecond)
        return {"url": url, "pattern": str(self.directory / f"{run.prefix}-%06d"),
                "strftime": False,
                "list": str(run.list_path), "segment_seconds": settings.segment_seconds,
                "timeout_s": 10,
                "ca_file": str(settings.site_ca_file) if settings.site_ca_file else None}

    def _run_forever(self) -> None:
        backoff = BACKOFF_START
        self._unless_database_down(self._open_gap_if_resuming)
        while not self._stop.is_set():
            started = time.monotonic()
            code = self._run_once()
            if self._stop.is_set():
                break
            self.restarts += 1
            lived = time.monotonic() - started
            if lived >= STABLE_RUN:
                backoff = BACKOFF_START
            reason = (f"record child exited with code {code}" if code is not None
                      else "record child not started")
            if self._last_error:
                reason += f": {self._last_error}"
            if code is not None and code < 0 and self._on_restart is not None:
                # killed (a crash, the OOM killer, someone): a stream that ended exits by itself
                self._on_restart(f"record child {self.target.name}",
                                 f"Tiến trình ghi hình của camera {self.target.name} bị dừng "
                                 f"(tín hiệu {-code}); đã khởi động lại")
            log.warning("%s: recorder stopped (%s); restarting in %.0f s", self.target.name,
                        reason, backoff)
            self._unless_database_down(self._open_gap, reason[:500])
            if self._stop.wait(backoff):
                break
            backoff = min(backoff * 2, BACKOFF_MAX)
        if self._unindexed:
            log.error("%s: stopped with %d recorded segments the database never took: %s",
                      self.target.name, len(self._unindexed),
                      ", ".join(str(path) for path, _start, _end in self._unindexed))

    def _run_once(self) -> int | None:
        stamp = self._now()
        prefix = stamp.strftime("r%Y%m%d%H%M%S%f")
        run = _Run(prefix=prefix, list_path=self.directory / f".{prefix}.csv", started=stamp)
        self._last_error = ""
        try:
            url = self.target.session_url()
        except (NoSession, OperationalError) as exc:
            self._last_error = f"no session: {exc}"
            return None
        try:
            process = start_child([sys.executable, "-m", "server.record_child"],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, env=child_environment(),
                                  cwd=str(ROOT))
        except OSError as exc:
            self._last_error = f"cannot start the record child ({exc.strerror})"
            return None
        with self._lock:
            self._process = process
        assert process.stdin is not None
        try:
            process.stdin.write((json.dumps(self._job(run, url)) + "\n").encode("utf-8"))
            process.stdin.close()
        except BrokenPipeError:
            pass  # it died at once: its exit code and stderr say why
        del url
        reader = threading.Thread(target=self._read_errors, args=(process,), daemon=True)
        reader.start()
        log.info("%s: recording through its gateway (pid %d)", self.target.name, process.pid)
        try:
            while process.poll() is None and not self._stop.is_set():
                self._index_listed(run)
                self._index_unindexed()
                self._stop.wait(POLL_SECONDS)
        finally:
            stop_child(process)
            reader.join(5)
            with self._lock:
                self._process = None
            self._index_listed(run)
            self._index_leftovers(run)
            self._index_unindexed()
        return process.returncode

    def _read_errors(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = mask_text(raw.decode("utf-8", "replace").strip())
            if line:
                self._last_error = line[-300:]
                log.debug("%s: record child: %s", self.target.name, line)

    # -- indexing ----------------------------------------------------------------------------
    def _index_listed(self, run: _Run) -> None:
        try:
            text = run.list_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        rows = [r for r in csv.reader(io.StringIO(text)) if len(r) >= 3]
        if text and not text.endswith("\n") and rows:
            rows = rows[:-1]  # the last line is still being written
        for row in rows[run.rows_done:]:
            name, rel_start, rel_end = row[0], float(row[1]), float(row[2])
            path = self.directory / name
            if not path.exists():
                run.rows_done += 1
                continue
            if run.anchor is None:
                written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                run.anchor = written - timedelta(seconds=rel_end)
            start = run.anchor + timedelta(seconds=rel_start)
            end = run.anchor + timedelta(seconds=rel_end)
            self._store(path, start, end)
            run.listed.add(name)
            run.last_rel_end = rel_end
            run.rows_done += 1

    def _index_leftovers(self, run: _Run) -> None:
        """The segment the child was writing when it died: keep it if it plays."""
        for path in sorted(self.directory.glob(f"{run.prefix}-*")):
            if path.suffix not in SEGMENT_SUFFIXES or path.name in run.listed:
                continue
            duration = probe_duration(self._settings.ffprobe, path)
            if duration is None:
                log.info("%s: dropping unplayable fragment %s", self.target.name, path.name)
                path.unlink(missing_ok=True)
                continue
            if run.anchor is not None and run.last_rel_end is not None:
                start = run.anchor + timedelta(seconds=run.last_rel_end)
            else:
                start = datetime.fromtimestamp(path.stat().st_mtime, UTC) - timedelta(
                    seconds=duration)
            self._store(path, start, start + timedelta(seconds=duration))
        run.list_path.unlink(missing_ok=True)

    def _store(self, path: Path, start: datetime, end: datetime) -> None:
        """Index a finished segment, after any the database could not take before."""
        self.last_segment_at = time.monotonic()
        self._unindexed.append((path, start, end))
        self._index_unindexed()

    def _index_unindexed(self) -> None:
        while self._unindexed:
            path, start, end = self._unindexed[0]
            if not self._unless_database_down(self._insert, path, start, end):
                return  # the child records on; the next poll tries again
            self._unindexed.pop(0)

    def _unless_database_down(self, work: Callable[..., None], *args: Any) -> bool:
        """Run ``work(*args)``; False when the database cannot be reached (PostgreSQL
        restarting, the network), logged once per outage, instead of ending the thread."""
        try:
            work(*args)
        except OperationalError as exc:
            if not self._database_down:
                log.error("%s: the database is unreachable; recording goes on, its index "
                          "waits (%s)", self.target.name, exc.orig or exc)
            self._database_down = True
            return False
        if self._database_down:
            log.warning("%s: the database is back; indexing what was recorded meanwhile",
                        self.target.name)
            self._database_down = False
        return True

    def _insert(self, path: Path, start: datetime, end: datetime) -> None:
        size = path.stat().st_size
        digest = sha256_file(path)
        with self._sessions() as session:
            exists = session.execute(select(RecordingSegment.id)
                                     .where(RecordingSegment.path == str(path))).first()
            if exists:
                return
            session.add(RecordingSegment(
                camera_id=self.target.camera_id, start_at=start, end_at=end,
                storage_root=str(self._settings.recordings_root), path=str(path),
                size_bytes=size, sha256=digest, created_at=self._now()))
            session.execute(update(RecordingGap)
                            .where(RecordingGap.camera_id == self.target.camera_id,
                                   RecordingGap.to_at.is_(None))
                            .values(to_at=start))
            session.commit()

    # -- gaps --------------------------------------------------------------------------------
    def _last_end(self, session: Session) -> datetime | None:
        value: datetime | None = session.execute(
            select(func.max(RecordingSegment.end_at))
            .where(RecordingSegment.camera_id == self.target.camera_id)).scalar_one_or_none()
        return value

    def _open_gap(self, reason: str, at: datetime | None = None) -> None:
        """Open a gap from the last recorded moment, unless one is already open."""
        with self._sessions() as session:
            open_gap = session.execute(
                select(RecordingGap).where(RecordingGap.camera_id == self.target.camera_id,
                                           RecordingGap.to_at.is_(None))).scalar_one_or_none()
            if open_gap is not None:
                return
            start = at or self._last_end(session) or self._now()
            session.add(RecordingGap(camera_id=self.target.camera_id, from_at=start, to_at=None,
                                     reason=reason))
            audit.append(session, "recording_gap", now=self._now(), username="system",
                         camera_id=self.target.camera_id,
                         detail={"from": start.isoformat(), "reason": reason})
            session.commit()

    def _open_gap_if_resuming(self) -> None:
        with self._sessions() as session:
            last = self._last_end(session)
        if last is not None:
            self._open_gap("recorder was not running (server stopped)", last)


class Recorder:
    """All camera recorders of this server, plus periodic retention. ``unrecorded``: the
    cameras flagged for recording that are not, and why."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 stream_key: Ed25519PrivateKey, camera_ids: Iterable[int] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), *,
                 on_restart: Callable[[str, str], None] | None = None) -> None:
        self._on_restart = on_restart
        self._sessions = sessions
        self._settings = settings
        self._gateway_sessions = GatewaySessions(sessions, settings, stream_key, clock)
        self._camera_ids = list(camera_ids) if camera_ids is not None else None
        self.cameras: dict[int, CameraRecorder] = {}
        self.unrecorded: dict[int, str] = {}
        self._stop = threading.Event()
        self._retention: threading.Thread | None = None

    def start(self) -> None:
        with self._sessions() as session:
            targets, self.unrecorded = record_targets(session, self._gateway_sessions,
                                                      self._camera_ids)
            names = dict(session.execute(select(Camera.id, Camera.name)
                                         .where(Camera.id.in_(list(self.unrecorded)))).all())
        for camera_id, reason in self.unrecorded.items():
            log.warning("%s: not recorded: %s", names.get(camera_id, camera_id), reason)
        for target in targets:
            recorder = CameraRecorder(target, self._sessions, self._settings,
                                      on_restart=self._on_restart)
            self.cameras[target.camera_id] = recorder
            recorder.start()
        self._retention = threading.Thread(target=self._retention_loop, daemon=True,
                                           name="recorder-retention")
        self._retention.start()
        log.info("Recording %d cameras into %s", len(targets), self._settings.recordings_root)

    def stop(self) -> None:
        self._stop.set()
        for recorder in self.cameras.values():
            recorder.stop()
        if self._retention is not None:
            self._retention.join(5)

    def _retention_loop(self) -> None:
        while not self._stop.wait(RETENTION_PERIOD):
            self.retention_pass(datetime.now(UTC))

    def retention_pass(self, now: datetime) -> RetentionReport | None:
        """One round of retention. It never ends the loop: a disk that refuses to give space
        back is a storage incident the duty desk sees (the disk would fill while recording
        went on), cleared by the first round that removes all it should."""
        problem = ""
        report: RetentionReport | None = None
        try:
            with self._sessions() as session:
                report = apply_retention(session, self._settings, now)
        except OperationalError as exc:
            log.error("Retention skipped: the database is unreachable (%s)", exc.orig or exc)
            return None
        except Exception as exc:  # noqa: BLE001 — the round fails, the loop lives on
            log.exception("Retention failed")
            problem = f"{type(exc).__name__}: {exc}"
        if report is not None and report.failed:
            problem = (f"{len(report.failed)} đoạn ghi hình hết hạn không xoá được: "
                       + "; ".join(report.failed[:3]))
        self._note_retention(problem, now)
        return report

    def _note_retention(self, problem: str, now: datetime) -> None:
        try:
            with self._sessions() as session:
                if problem:
                    file_system_incident(session, IncidentCategory.STORAGE,
                                         IncidentKind.STORAGE_FAILURE, RETENTION_SUBJECT,
                                         f"Xoá ghi hình theo thời hạn lỗi: {problem}"[:1000], now)
                else:
                    clear_system_incident(session, IncidentKind.STORAGE_FAILURE,
                                          RETENTION_SUBJECT,
                                          "Tự hết: xoá ghi hình theo thời hạn chạy lại bình thường",
                                          now)
                session.commit()
        except SQLAlchemyError as exc:
            log.warning("Retention incident not written (%s)", exc)


# -- retention --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RetentionReport:
    removed: int
    removed_bytes: int
    kept_protected: int
    # the expired segments whose file would not go ("name: why"); their rows stay, so the next
    # round tries again and nothing indexed points at a file that is gone
    failed: tuple[str, ...] = ()


def _protected_ranges(session: Session) -> dict[int, list[tuple[datetime, datetime]]]:
    ranges: dict[int, list[tuple[datetime, datetime]]] = {}
    for camera_id, start, end in session.execute(
            select(Bookmark.camera_id, Bookmark.window_start, Bookmark.window_end)):
        ranges.setdefault(camera_id, []).append((start, end))
    for camera_id, start, end in session.execute(
            select(ClipRequest.camera_id, ClipRequest.start_at, ClipRequest.end_at)
            .where(ClipRequest.state.not_in(CLOSED_CLIP_STATES))):
        ranges.setdefault(camera_id, []).append((start, end))
    return ranges


def is_protected(segment: RecordingSegment,
                 ranges: dict[int, list[tuple[datetime, datetime]]]) -> bool:
    return any(start < segment.end_at and segment.start_at < end
               for start, end in ranges.get(segment.camera_id, ()))


def retention_days(settings: Settings, system: str) -> float:
    """How long a camera system's recordings are kept (its own setting, else the site's)."""
    return settings.retention_days_by_system.get(system, settings.retention_days)


def apply_retention(session: Session, settings: Settings, now: datetime) -> RetentionReport:
    """Remove expired and over-quota segments that no evidence lock protects; commits. A
    segment expires after its camera system's retention (:func:`retention_days`)."""
    ranges = _protected_ranges(session)
    doomed: dict[int, RecordingSegment] = {}
    kept = 0
    for system in CameraSystem:
        cutoff = now - timedelta(days=retention_days(settings, system.value))
        expired = (select(RecordingSegment).join(Camera, Camera.id == RecordingSegment.camera_id)
                   .where(Camera.system == system.value, RecordingSegment.end_at < cutoff))
        for segment in session.execute(expired).scalars():
            if is_protected(segment, ranges):
                kept += 1
            else:
                doomed[segment.id] = segment
    if settings.retention_max_bytes is not None:
        roots = session.execute(select(RecordingSegment.storage_root,
                                       func.sum(RecordingSegment.size_bytes))
                                .group_by(RecordingSegment.storage_root)).all()
        for root, total in roots:
            excess = int(total or 0) - settings.retention_max_bytes
            excess -= sum(s.size_bytes for s in doomed.values() if s.storage_root == root)
            if excess <= 0:
                continue
            oldest = session.execute(select(RecordingSegment)
                                     .where(RecordingSegment.storage_root == root)
                                     .order_by(RecordingSegment.start_at)).scalars()
            for segment in oldest:
                if excess <= 0:
                    break
                if segment.id in doomed:
                    continue
                if is_protected(segment, ranges):
                    kept += 1
                    continue
                doomed[segment.id] = segment
                excess -= segment.size_bytes
    removed_bytes = 0
    failed: list[str] = []
    for segment in doomed.values():
        try:
            Path(segment.path).unlink(missing_ok=True)
        except OSError as err:
            failed.append(f"{Path(segment.path).name}: {err.strerror or err}")
            continue
        removed_bytes += segment.size_bytes
        session.delete(segment)
    removed = len(doomed) - len(failed)
    if removed:
        audit.append(session, "recording_retention", now=now, username="system",
                     detail={"removed": removed, "bytes": removed_bytes,
                             "kept_protected": kept})
        log.info("Retention removed %d segments (%d bytes); %d protected kept", removed,
                 removed_bytes, kept)
    if failed:
        log.error("Retention could not remove %d segments: %s", len(failed), "; ".join(failed[:3]))
    session.commit()
    return RetentionReport(removed, removed_bytes, kept, tuple(failed))


# -- what is recorded -------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordedRange:
    start: datetime
    end: datetime


def recorded_ranges(session: Session, camera_id: int, since: datetime | None = None,
                    until: datetime | None = None, tolerance: float = 1.0) -> list[RecordedRange]:
    """Contiguous recorded spans of a camera (segments closer than ``tolerance`` s merge)."""
    query = select(RecordingSegment.start_at, RecordingSegment.end_at).where(
        RecordingSegment.camera_id == camera_id)
    if since is not None:
        query = query.where(RecordingSegment.end_at > since)
    if until is not None:
        query = query.where(RecordingSegment.start_at < until)
    ranges: list[RecordedRange] = []
    slack = timedelta(seconds=tolerance)
    for start, end in session.execute(query.order_by(RecordingSegment.start_at)):
        if ranges and start <= ranges[-1].end + slack:
            if end > ranges[-1].end:
                ranges[-1] = RecordedRange(ranges[-1].start, end)
        else:
            ranges.append(RecordedRange(start, end))
    return ranges


def covering_segments(session: Session, camera_id: int, start: datetime,
                      end: datetime) -> list[RecordingSegment]:
    return list(session.execute(
        select(RecordingSegment).where(RecordingSegment.camera_id == camera_id,
                                       RecordingSegment.end_at > start,
                                       RecordingSegment.start_at < end)
        .order_by(RecordingSegment.start_at)).scalars())
