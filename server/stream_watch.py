"""Camera streams lost as their gateways report them, for the duty desk (Art. 8): a stream the
gateway has been trying to reach (``connecting``), or given up on (``failed``, ``auth_failed``),
for :attr:`Settings.stream_lost_after_s` (60 s by default: a camera that reconnects in seconds
files nothing) is a ``stream_lost`` incident the system files by itself; connected again, it
clears.

It is filed as the camera's incident (category ``camera``, the camera named), not as a system
fault beside it: a camera has one open incident, so the wall's own ``offline`` report (its
OfflineWatcher, after 5 minutes dark) joins this one as one more report instead of opening a
second for the same dark camera; and the camera's viewers see it, as they see its other faults.
Main and sub streams lost together are one incident; it clears when every lost stream of the
camera is connected again. A stream nobody asks for (``idle``) says nothing either way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.vocabulary import IncidentKind
from server.gateway_fleet import UpstreamState
from server.incidents import clear_camera_fault, file_camera_fault

log = logging.getLogger("iocwall.gateway")

DOWN_STATES = frozenset({"connecting", "failed", "auth_failed"})
UP_STATE = "connected"
Key = tuple[int, str]


class StreamWatch:
    """``check()`` reads the gateways' last word (``upstreams()``, :class:`GatewaySync`'s) and
    files or clears; the fault watch calls it every few seconds."""

    def __init__(self, sessions: sessionmaker[Session],
                 upstreams: Callable[[], dict[Key, UpstreamState]],
                 clock: Callable[[], datetime], after_s: float, *,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._sessions = sessions
        self._upstreams = upstreams
        self._clock = clock
        self.after_s = after_s
        self._monotonic = monotonic
        self._down_since: dict[Key, float] = {}
        self._lost: dict[int, set[str]] = {}  # camera → its streams filed as lost
        # cameras seen connected since this server started: the first time, an incident the
        # last run left open (it stopped while the stream was lost) is cleared too
        self._seen: set[int] = set()

    def check(self) -> None:
        now = self._monotonic()
        states = self._upstreams()
        for key, state in states.items():
            if state.state in DOWN_STATES:
                since = self._down_since.setdefault(key, now)
                if now - since >= self.after_s and key[1] not in self._lost.get(key[0], set()):
                    self._file(key, state, now - since)
            else:
                self._down_since.pop(key, None)
                if state.state == UP_STATE:
                    if key[0] not in self._seen:
                        self._seen.add(key[0])
                        self._lost.setdefault(key[0], set()).add(key[1])
                    self._back(key, "kết nối lại")
        for key in [k for k in self._down_since if k not in states]:
            del self._down_since[key]
        for camera_id, streams in list(self._lost.items()):
            for stream in [s for s in streams if (camera_id, s) not in states]:
                # no gateway serves it any more (moved, deactivated): nothing to wait for
                self._back((camera_id, stream), "không còn cổng nào phục vụ luồng này")

    def _file(self, key: Key, state: UpstreamState, down_s: float) -> None:
        camera_id, stream = key
        said = state.public()
        why = f"{state.state}" + (f": {said['last_error']}" if said.get("last_error") else "")
        note = (f"Cổng truyền hình mất luồng {stream} của camera đã {down_s:.0f} s "
                f"(ngưỡng {self.after_s:.0f} s; {why})")
        try:
            with self._sessions() as session:
                file_camera_fault(session, camera_id, IncidentKind.STREAM_LOST, note[:1000],
                                  self._clock())
                session.commit()
        except SQLAlchemyError as err:
            log.warning("camera %d: stream %s lost, not filed (%s)", camera_id, stream, err)
            return
        log.warning("camera %d: stream %s lost for %.0f s (%s)", camera_id, stream, down_s, why)
        self._lost.setdefault(camera_id, set()).add(stream)

    def _back(self, key: Key, how: str) -> None:
        camera_id, stream = key
        lost = self._lost.get(camera_id)
        if lost is None or stream not in lost:
            return
        if len(lost) == 1:
            try:
                with self._sessions() as session:
                    clear_camera_fault(session, camera_id, IncidentKind.STREAM_LOST,
                                       f"Tự hết: luồng {stream} {how}", self._clock())
                    session.commit()
            except SQLAlchemyError as err:
                log.warning("camera %d: stream incident not cleared (%s)", camera_id, err)
                return
            log.info("camera %d: stream %s back", camera_id, stream)
        lost.discard(stream)
        if not lost:
            del self._lost[camera_id]
