"""How far the site's clocks can be trusted: the server's own time service, and the offsets the
gateways and workstations show at every contact.

Evidence times, deadlines and session tokens all count in seconds on these clocks. The server
asks its time service (systemd-timesyncd through ``timedatectl``, or chrony) whether it is
synchronised, and evidence manifests record that answer. Every gateway contact and every client
request carries the other side's time; an offset over :data:`TOLERANCE_S` is logged and audited
(once per subject per :data:`REPEAT_S`), and administrators read the table. A clock off, and the
server's own clock not synchronised, are faults for the duty desk: the callbacks let the server
file an incident and clear it when the clock is right again (``server.clock_incidents``).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from server.periodic import Periodic

log = logging.getLogger("iocwall.clock")

TOLERANCE_S = 2.0
REPEAT_S = 600.0  # an offset that stays off is said again every 10 minutes, not per request
STATE_TTL_S = 60.0  # the time service is asked at most once a minute


@dataclass(frozen=True)
class ClockState:
    """What the server's time service says. ``synchronized`` None: no service answered (a
    container, a machine without timesyncd or chrony): the time is the machine's word only."""

    source: str  # "timedatectl", "chronyc" or "none"
    synchronized: bool | None
    detail: str

    def public(self) -> dict[str, Any]:
        return asdict(self)


Runner = Callable[[list[str]], str | None]


def _run(command: list[str]) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_clock_state(run: Runner = _run) -> ClockState:
    said = run(["timedatectl", "show", "--property=NTPSynchronized", "--value"])
    if said is not None and said.strip() in ("yes", "no"):
        return ClockState("timedatectl", said.strip() == "yes",
                          "NTPSynchronized=" + said.strip())
    said = run(["chronyc", "tracking"])
    if said is not None:
        for line in said.splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "Leap status":
                return ClockState("chronyc", value.strip() == "Normal",
                                  "Leap status: " + value.strip())
    return ClockState("none", None, "no time service answered")


@dataclass(frozen=True)
class Offset:
    subject: str  # "gateway <name>" or "workstation <address>"
    offset_s: float  # its clock minus the server's
    at: datetime

    @property
    def off(self) -> bool:
        return abs(self.offset_s) > TOLERANCE_S


class ClockWatch:
    """The server's clock state (cached) and the latest offset of every subject that reported
    one.

    ``on_off(offset)`` is called when a subject is first seen off, and again every
    :data:`REPEAT_S` while it stays off (the caller audits it). ``on_back(offset)`` is called
    when a subject is seen within the tolerance after it was off, and the first time this
    process sees it at all (a clock found off before a restart may be right now).
    ``on_state(state)`` is called with each fresh reading of the time service whose answer
    (synchronised or not) differs from the reading before, the first one included."""

    def __init__(self, now: Callable[[], datetime], *, run: Runner = _run,
                 on_off: Callable[[Offset], None] | None = None,
                 on_back: Callable[[Offset], None] | None = None,
                 on_state: Callable[[ClockState], None] | None = None) -> None:
        self._now = now
        self._run = run
        self._on_off = on_off
        self._on_back = on_back
        self._on_state = on_state
        self._lock = threading.Lock()
        self._state: tuple[float, ClockState] | None = None
        self._offsets: dict[str, Offset] = {}
        self._said: dict[str, float] = {}  # subject → monotonic time it was last said off

    def state(self) -> ClockState:
        with self._lock:
            cached = self._state
        if cached is not None and time.monotonic() - cached[0] < STATE_TTL_S:
            return cached[1]
        fresh = read_clock_state(self._run)
        with self._lock:
            before = self._state
            self._state = (time.monotonic(), fresh)
        if self._on_state is not None and (
                before is None or before[1].synchronized != fresh.synchronized):
            self._on_state(fresh)
        return fresh

    def calls_back(self, subject: str, offset_s: float) -> bool:
        """Whether :meth:`note` of this would call a callback (which may write to the
        database): the caller then notes it off its event loop."""
        if abs(offset_s) > TOLERANCE_S:
            return True
        with self._lock:
            previous = self._offsets.get(subject)
        return self._on_back is not None and (previous is None or previous.off)

    def note(self, subject: str, offset_s: float) -> Offset:
        offset = Offset(subject, round(offset_s, 3), self._now())
        now = time.monotonic()
        with self._lock:
            previous = self._offsets.get(subject)
            self._offsets[subject] = offset
            last = self._said.get(subject)
            say = offset.off and (last is None or now - last >= REPEAT_S)
            if say:
                self._said[subject] = now
            elif not offset.off:
                self._said.pop(subject, None)
        back = not offset.off and (previous is None or previous.off)
        if say:
            log.warning("%s: clock %+.1f s off the server's", subject, offset.offset_s)
            if self._on_off is not None:
                self._on_off(offset)
        elif back:
            if previous is not None:
                log.info("%s: clock back within %.0f s of the server's", subject, TOLERANCE_S)
            if self._on_back is not None:
                self._on_back(offset)
        return offset

    def offsets(self) -> list[Offset]:
        with self._lock:
            return sorted(self._offsets.values(), key=lambda o: o.subject)


def state_check(watch: ClockWatch, interval_s: float = STATE_TTL_S) -> Periodic:
    """Reads the time service every :data:`STATE_TTL_S` while the server runs, so that a clock
    losing its synchronisation is seen (``ClockWatch``'s ``on_state``) even when no evidence
    asks for the state."""
    return Periodic("clock-state", interval_s, watch.state)
