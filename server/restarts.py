"""Processes of the backend that restarted, for the duty desk (Art. 8): the embedded gateway
its supervisor started again after a crash, a record child killed and started again, the
backend itself started after a stop that was not clean. Each is a ``process_restarted``
incident the system files by itself.

A restart is an event, not a state that ends: nothing "comes back" to clear it. The incident
stays open for the desk to acknowledge and resolve with what they found (a crash has a cause
someone must look at). While it is open, more restarts of the same process join it (one open
incident per kind and subject): a crash loop is one incident, and its count is added as a report
at most once every :data:`REPORT_EVERY_S` (``flush``, from the fault watch, says the last count
of a loop that went quiet), not hundreds of reports. Once the desk resolved it, the next restart
opens a new one.

The backend's own unclean stop: :func:`mark_running` writes a marker file in the data dir at
start and :func:`mark_stopped` removes it at a clean shutdown; a marker found at start means the
last run did not stop cleanly (killed, crashed, the machine lost power).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.files import write_atomically
from common.vocabulary import IncidentCategory, IncidentKind
from server import audit
from server.incidents import file_system_incident, find_open, subject_key

log = logging.getLogger("iocwall.server")

REPORT_EVERY_S = 60.0
RUN_MARKER = "backend.running"
BACKEND = "backend"


@dataclass
class _Loop:
    """The restarts of one process since its open incident was filed."""

    count: int
    since: datetime
    note: str
    reported_count: int = 0
    reported_at: float = 0.0


class RestartNotices:
    """``restarted(subject, note)`` from any thread (the supervisors call it)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime], *,
                 report_every_s: float = REPORT_EVERY_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._sessions = sessions
        self._clock = clock
        self.report_every_s = report_every_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._loops: dict[str, _Loop] = {}

    def restarted(self, subject: str, note: str) -> None:
        log.warning("%s restarted: %s", subject, note)
        with self._lock:
            loop = self._loops.get(subject)
            if loop is not None:
                loop.count += 1
                loop.note = note
                if (self._monotonic() - loop.reported_at < self.report_every_s
                        and self._still_open(subject)):
                    return  # counted: the next report (or ``flush``) says it
            self._report(subject, loop, note)

    def _still_open(self, subject: str) -> bool:
        """Its incident is open (the desk has not resolved it); a database that does not
        answer: as if open (counted, said when it answers)."""
        try:
            with self._sessions() as session:
                return find_open(session, subject_key(IncidentKind.PROCESS_RESTARTED,
                                                      subject)) is not None
        except SQLAlchemyError:
            return True

    def flush(self) -> None:
        """Report the count of a loop whose last restarts were only counted."""
        with self._lock:
            for subject, loop in list(self._loops.items()):
                if (loop.count > loop.reported_count
                        and self._monotonic() - loop.reported_at >= self.report_every_s):
                    self._report(subject, loop, loop.note)

    def _report(self, subject: str, loop: _Loop | None, note: str) -> None:
        """File (or add to the open incident); the caller holds the lock."""
        now = self._clock()
        try:
            with self._sessions() as session:
                if loop is None or find_open(
                        session, subject_key(IncidentKind.PROCESS_RESTARTED, subject)) is None:
                    # the first restart, or the desk resolved the last one: counted from here
                    loop = _Loop(count=1, since=now, note=note)
                text = note if loop.count == 1 else (
                    f"{note} — đã khởi động lại {loop.count} lần từ "
                    f"{loop.since.isoformat(timespec='seconds')}")
                incident, _opened = file_system_incident(
                    session, IncidentCategory.SERVER, IncidentKind.PROCESS_RESTARTED, subject,
                    text[:1000], now)
                audit.append(session, "process_restart", now=now,
                             detail={"subject": subject, "count": loop.count,
                                     "incident_id": incident.id})
                session.commit()
        except SQLAlchemyError as err:
            log.warning("%s: restart not filed (%s)", subject, err)
            return
        loop.reported_count, loop.reported_at = loop.count, self._monotonic()
        self._loops[subject] = loop


def mark_running(data_dir: Path, now: datetime) -> str | None:
    """Write this run's marker; the last run's, when it was left (that run did not stop
    cleanly), as "pid N, started T"."""
    path = data_dir / RUN_MARKER
    left: str | None = None
    try:
        said = json.loads(path.read_text(encoding="utf-8"))
        left = f"pid {said.get('pid')}, chạy từ {said.get('started')}"
    except FileNotFoundError:
        pass
    except (OSError, ValueError, AttributeError):
        left = "không đọc được dấu của lần chạy trước"
    write_atomically(path, json.dumps({"pid": os.getpid(),
                                       "started": now.isoformat(timespec="seconds")}).encode())
    return left


def mark_stopped(data_dir: Path) -> None:
    (data_dir / RUN_MARKER).unlink(missing_ok=True)
