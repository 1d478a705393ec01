"""What the operator must know of the server itself: this client too old for it, this
computer's clock off the server's, or the server unable to reach its database (it answers, but
serves nothing that needs the database: lists, searches, clips, incidents).

Every answer of the backend carries the server's version and time (:mod:`common.versions`);
the backend client keeps the last clock offset and any "too old" refusal. :class:`ServerWatch`
asks the server's ``/version`` and ``/health`` every :data:`POLL_INTERVAL_MS` (so the offset
stays fresh on a quiet wall, and a database outage shows within seconds) and says ``changed`` when what must be shown changes; the window shows it until it
is gone. A client too old keeps its tiles playing: only what needs the API stops.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.errors import ClientTooOld
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import readable
from app.polling import Poller

log = logging.getLogger("iocwall.server")

POLL_INTERVAL_MS = 15_000
CLOCK_TOLERANCE_S = 2.0  # evidence and deadlines count in seconds: more than this is a fault


@dataclass(frozen=True)
class ServerState:
    too_old: bool = False
    clock_offset_s: float | None = None  # this computer minus the server
    database_unreachable: bool = False  # the server says it cannot reach its database

    @property
    def clock_off(self) -> bool:
        return self.clock_offset_s is not None and abs(self.clock_offset_s) > CLOCK_TOLERANCE_S


class ServerPort(Protocol):
    """The backend client as :class:`ServerWatch` reads it."""

    too_old: ClientTooOld | None
    clock_offset_s: float | None

    def version(self) -> dict[str, Any]: ...

    def health(self) -> bool: ...


class ServerWatch(QObject):
    """``changed(ServerState)``: a warning appears or goes; each appearance is also posted once
    on the message bridge."""

    changed = Signal(object)

    def __init__(self, server: ServerPort, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, interval_ms: int = POLL_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._server = server
        self._ops = ops
        self._messages = messages
        self.state = ServerState()
        self._poller = Poller(self, interval_ms, self._start_ask)

    def start(self) -> None:
        self._poller.start(now=True)

    def stop(self) -> None:
        self._poller.stop()

    def check(self) -> None:
        """Ask now (or once more after the ask in flight)."""
        self._poller.request()

    def _start_ask(self) -> Op[bool]:
        return (self._ops.run(self._ask, label=self.tr("Checking the server"), owner=self)
                .success(self._settle).failure(self._on_failure))

    def _ask(self) -> bool:
        """Off the GUI thread: the version (the clock offset, a refusal) and whether the
        server reaches its database."""
        self._server.version()
        return self._server.health()

    def _on_failure(self, error: BaseException) -> None:
        log.warning("server version not read: %s", readable(error))
        self._settle(None)

    def _settle(self, healthy: object) -> None:
        try:
            # no answer at all says nothing of the database: what was shown stays
            self.note(database_unreachable=self.state.database_unreachable
                      if healthy is None else healthy is False)
        finally:
            self._poller.settled()

    def note(self, database_unreachable: bool | None = None) -> None:
        """Read what the client saw in its last answers and say what changed."""
        offset = self._server.clock_offset_s
        new = ServerState(too_old=self._server.too_old is not None, clock_offset_s=offset,
                          database_unreachable=self.state.database_unreachable
                          if database_unreachable is None else database_unreachable)
        old, self.state = self.state, new
        if new.database_unreachable and not old.database_unreachable:
            log.error("the server cannot reach its database")
            self._messages.error(self.tr(
                "The server cannot reach its database: lists, searches, clips and incidents "
                "do not work until it is back. Live video keeps playing. Tell the "
                "administrator."))
        if new.too_old and not old.too_old:
            log.warning("the server refuses this client's version")
            self._messages.error(self.tr("This workstation's iocwall is too old for the server: "
                                         "update it. Live video keeps playing."))
        if new.clock_off and not old.clock_off and offset is not None:
            log.warning("this computer's clock is %+.1f s off the server's", offset)
            self._messages.warning(arg(self.tr(
                "This computer's clock is %1 s off the server's: tell the administrator."),
                f"{offset:+.1f}"))
        if (new.too_old, new.clock_off, new.database_unreachable) != (
                old.too_old, old.clock_off, old.database_unreachable) or (
                new.clock_off and old.clock_offset_s is not None and offset is not None
                and round(offset) != round(old.clock_offset_s)):
            self.changed.emit(new)
