"""The database, watched (Art. 8): a backend that cannot reach its database (PostgreSQL
stopped, its host or the network down) serves nothing but live video already playing.

A probe (``SELECT 1`` on a connection of its own) every :attr:`Settings.database_probe_s`
seconds. While it fails, the fault lives in memory and in the log — it cannot be filed into the
database it is about — and ``/health`` answers 503 "database unreachable", which the walls'
status bar shows. When the database answers again, the ``database_unreachable`` incident is
filed with the time the outage began as its report time, and resolved by the system at the time
it ended: the duty desk sees that it happened and for how long. A filing that fails (the
database went again) is tried at the next probe; the outage's start is kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.vocabulary import IncidentCategory, IncidentKind
from server import audit
from server.incidents import clear_system_incident, file_system_incident
from server.periodic import Periodic

log = logging.getLogger("iocwall.server")

SUBJECT = "database"


@dataclass(frozen=True)
class Outage:
    since: datetime
    error: str


class DatabaseWatch:
    """``check()`` probes once (tests call it); ``outage`` is the current one, None while the
    database answers."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session],
                 clock: Callable[[], datetime], interval_s: float) -> None:
        self._engine = engine
        self._sessions = sessions
        self._clock = clock
        self._lock = threading.Lock()
        self.outage: Outage | None = None
        self._ended: tuple[Outage, datetime] | None = None  # answered again, not filed yet
        self._periodic = Periodic("database-watch", interval_s, self.check)

    def check(self) -> bool:
        """Whether the database answers; files an outage that ended."""
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as err:
            error = " ".join(str(getattr(err, "orig", None) or err).split())[:300]
            with self._lock:
                if self.outage is None:
                    # an outage not filed yet goes on: it began when the first one did
                    since = self._ended[0].since if self._ended else self._clock()
                    self._ended = None
                    self.outage = Outage(since, error)
                    log.error("the database is unreachable: %s", error)
            return False
        with self._lock:
            if self.outage is not None:
                self._ended = (self.outage, self._clock())
                self.outage = None
                log.warning("the database answers again (unreachable since %s)",
                            self._ended[0].since.isoformat())
            ended = self._ended
        if ended is not None:
            self._file(*ended)
        return True

    def _file(self, outage: Outage, end: datetime) -> None:
        seconds = (end - outage.since).total_seconds()
        try:
            with self._sessions() as session:
                # the audit rows are stamped when they are written (now); the incident carries
                # the outage's times: reported when it began, resolved when it ended
                incident, _opened = file_system_incident(
                    session, IncidentCategory.SERVER, IncidentKind.DATABASE_UNREACHABLE, SUBJECT,
                    f"Máy chủ không kết nối được cơ sở dữ liệu trong {_duration(seconds)} "
                    f"(từ {outage.since.isoformat(timespec='seconds')} đến "
                    f"{end.isoformat(timespec='seconds')}); lỗi: {outage.error}"[:1000],
                    self._clock())
                incident.reported_at = outage.since
                for report in incident.reports:
                    report.at = outage.since
                clear_system_incident(
                    session, IncidentKind.DATABASE_UNREACHABLE, SUBJECT,
                    "Tự hết: cơ sở dữ liệu trả lời trở lại", end)
                audit.append(session, "database_outage", now=self._clock(),
                             detail={"from": outage.since.isoformat(), "to": end.isoformat(),
                                     "seconds": round(seconds, 1), "error": outage.error})
                session.commit()
        except SQLAlchemyError as err:
            log.warning("the database outage not filed yet: %s", err)
            return
        with self._lock:
            if self._ended is not None and self._ended[0] is outage:
                self._ended = None

    def start(self) -> None:
        self._periodic.start()

    def stop(self) -> None:
        self._periodic.stop()


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} phút {rest} giây" if minutes else f"{rest} giây"
