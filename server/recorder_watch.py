"""The recorder, watched for the duty desk (Art. 8): a recorded camera whose recording has
stopped is a ``recorder_stopped`` incident the system files by itself, cleared when segments
flow again.

The signal: no finished segment for :attr:`Settings.recorder_stall_s` (60 s by default, six
10 s segments) while the camera's gateway does not say the camera itself is gone. A child that
hangs, one that keeps dying, a full or read-only folder, a gateway refusing the recorder's
session: all end in no new segment. A camera the gateway is trying to reach or gave up on
(``connecting``, ``failed``, ``auth_failed``) is its own fault (``stream_lost``, the wall's
``offline``), and a camera whose gateway has not been heard is the gateway's (``gateway_down``):
neither is filed again here. A camera's recording thread that ended by itself (a bug) is
filed at once, and started again.

Category ``storage``: recording is how the evidence gets stored (the vocabulary puts it beside
``disk_full``); what the desk must know is that footage is missing from now on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.vocabulary import IncidentCategory, IncidentKind
from server.gateway_fleet import UpstreamState
from server.incidents import clear_system_incident, file_system_incident, find_open, subject_key
from server.recorder import RECORDED_STREAM, CameraRecorder, Recorder
from server.stream_watch import DOWN_STATES

log = logging.getLogger("iocwall.recorder")


def subject_of(recorder: CameraRecorder) -> str:
    return f"recorder {recorder.target.name}"


class RecorderWatch:
    """``check()`` looks at every camera recorder of ``recorder``; the fault watch calls it
    every few seconds."""

    def __init__(self, recorder: Recorder, sessions: sessionmaker[Session],
                 upstream: Callable[[int, str], UpstreamState | None],
                 clock: Callable[[], datetime], stall_s: float, *,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._recorder = recorder
        self._sessions = sessions
        self._upstream = upstream
        self._clock = clock
        self.stall_s = stall_s
        self._monotonic = monotonic
        self._filed: set[int] = set()
        self._checked: set[int] = set()  # cameras looked at once since this server started

    def check(self) -> None:
        for camera_id, camera in list(self._recorder.cameras.items()):
            if camera.stopping:
                continue
            why = self._fault(camera)
            if why is not None:
                if camera_id not in self._filed:
                    self._file(camera, why)
            elif camera_id in self._filed or camera_id not in self._checked:
                # the first look also clears what the last run left open
                self._clear(camera)
            self._checked.add(camera_id)

    def _fault(self, camera: CameraRecorder) -> str | None:
        """Why the camera is not being recorded, None when it is (or when it is another
        fault's)."""
        if not camera.alive():
            log.error("%s: its recording thread ended; starting it again", camera.target.name)
            camera.start()
            return "luồng ghi hình của camera đã dừng bất thường (đã khởi động lại)"
        age = self._monotonic() - camera.last_segment_at
        if age < self.stall_s:
            return None
        upstream = self._upstream(camera.target.camera_id, RECORDED_STREAM.value)
        if upstream is None or upstream.state in DOWN_STATES:
            return None
        why = (f"không có đoạn ghi mới trong {age:.0f} s (ngưỡng {self.stall_s:.0f} s) dù cổng "
               f"truyền hình vẫn nhận được camera ({upstream.state}); tiến trình ghi đã khởi "
               f"động lại {camera.restarts} lần")
        if camera.last_error:
            why += f"; lỗi cuối: {camera.last_error}"
        return why

    def _file(self, camera: CameraRecorder, why: str) -> None:
        try:
            with self._sessions() as session:
                file_system_incident(session, IncidentCategory.STORAGE,
                                     IncidentKind.RECORDER_STOPPED, subject_of(camera),
                                     f"Ngừng ghi hình camera {camera.target.name}: {why}"[:1000],
                                     self._clock())
                session.commit()
        except SQLAlchemyError as err:
            log.warning("%s: recording stopped, not filed (%s)", camera.target.name, err)
            return
        log.error("%s: recording stopped (%s)", camera.target.name, why)
        self._filed.add(camera.target.camera_id)

    def _clear(self, camera: CameraRecorder) -> None:
        try:
            with self._sessions() as session:
                if find_open(session, subject_key(IncidentKind.RECORDER_STOPPED,
                                                  subject_of(camera))) is not None:
                    clear_system_incident(session, IncidentKind.RECORDER_STOPPED,
                                          subject_of(camera),
                                          "Tự hết: camera được ghi hình trở lại", self._clock())
                    session.commit()
                    log.info("%s: recording again", camera.target.name)
        except SQLAlchemyError as err:
            log.warning("%s: recording incident not cleared (%s)", camera.target.name, err)
            return
        self._filed.discard(camera.target.camera_id)
