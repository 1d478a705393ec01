"""The disks the site's evidence lives on, watched for the duty desk (Art. 8): a disk filled
past the alert threshold (``IOCWALL_DISK_ALERT_PERCENT``, 90 % by default) is a ``disk_full``
storage incident the system files by itself, cleared when it falls below again. A full disk
stops recording and clip extraction: the operators must know before, not after.

Watched: the data dir (database, keys, clips) and the recordings' root, by the file system
each is on (two on the same disk are one subject).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.vocabulary import IncidentCategory, IncidentKind
from server.incidents import clear_system_incident, file_system_incident
from server.periodic import Periodic

log = logging.getLogger("iocwall.storage")

CHECK_INTERVAL_S = 60.0


class Usage(NamedTuple):
    total: int
    used: int
    free: int


class StorageWatch:
    """``check()`` once (tests call it), or every :data:`CHECK_INTERVAL_S` between ``start``
    and ``stop``."""

    def __init__(self, sessions: sessionmaker[Session], paths: Sequence[Path],
                 threshold_percent: float, clock: Callable[[], datetime], *,
                 usage: Callable[[Path], Usage] = lambda p: Usage(*shutil.disk_usage(p)),
                 interval_s: float = CHECK_INTERVAL_S) -> None:
        self._sessions = sessions
        self._paths = list(paths)
        self.threshold_percent = threshold_percent
        self._clock = clock
        self._usage = usage
        self._periodic = Periodic("storage-watch", interval_s, self.check)

    def subjects(self) -> dict[str, Path]:
        """One path per file system: "disk <the first watched path on it>"."""
        seen: dict[int, Path] = {}
        for path in self._paths:
            try:
                device = os.stat(path).st_dev
            except OSError:
                continue  # not made yet (no recording so far): nothing on it to fill
            seen.setdefault(device, path)
        return {f"disk {path}": path for path in seen.values()}

    def check(self) -> dict[str, float]:
        """Each watched disk's use in percent; files or clears its incident."""
        used: dict[str, float] = {}
        for subject, path in self.subjects().items():
            try:
                usage = self._usage(path)
            except OSError as err:
                log.warning("%s: usage not read (%s)", subject, err)
                continue
            percent = 100.0 * usage.used / usage.total if usage.total else 0.0
            used[subject] = percent
            try:
                with self._sessions() as session:
                    if percent >= self.threshold_percent:
                        _incident, opened = file_system_incident(
                            session, IncidentCategory.STORAGE, IncidentKind.DISK_FULL, subject,
                            f"Ổ đĩa đã dùng {percent:.1f} % (ngưỡng cảnh báo "
                            f"{self.threshold_percent:.0f} %), còn trống "
                            f"{usage.free / 1024 ** 3:.1f} GB", self._clock())
                        if opened:
                            log.warning("%s: %.1f %% used (alert at %.0f %%)", subject,
                                        percent, self.threshold_percent)
                    else:
                        clear_system_incident(
                            session, IncidentKind.DISK_FULL, subject,
                            f"Tự hết: ổ đĩa còn dùng {percent:.1f} %", self._clock())
                    session.commit()
            except SQLAlchemyError as err:
                log.warning("%s: incident not written (%s)", subject, err)
        return used

    def start(self) -> None:
        self._periodic.start()

    def stop(self) -> None:
        self._periodic.stop()
