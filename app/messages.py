"""The one bridge for user-facing info, warnings and errors.

Services never open dialogs: they call :meth:`MessageBridge.error` (or info/warning) and whatever
window is showing listens to :attr:`MessageBridge.posted`. The bridge keeps a short history so a
window created later (after login) can show what happened before it existed.

Signals:
    posted(Message): a new message, emitted on the thread that owns the bridge (the GUI thread);
        calls from other threads are queued there.
"""

from __future__ import annotations

import enum
import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal, Slot

from app.security import scrub

log = logging.getLogger("iocwall.messages")


class Level(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Message:
    level: Level
    text: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class MessageBridge(QObject):
    posted = Signal(object)  # Message
    _post_queued = Signal(object)

    def __init__(self, history: int = 200, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._history: deque[Message] = deque(maxlen=history)
        # A queued hop so that a worker thread posting a message never touches GUI objects itself.
        self._post_queued.connect(self._deliver)

    def info(self, text: str) -> None:
        self.post(Level.INFO, text)

    def warning(self, text: str) -> None:
        self.post(Level.WARNING, text)

    def error(self, text: str) -> None:
        self.post(Level.ERROR, text)

    def post(self, level: Level, text: str) -> None:
        message = Message(level, scrub(text))
        log.log(
            {Level.INFO: logging.INFO, Level.WARNING: logging.WARNING}.get(level, logging.ERROR),
            "%s",
            message.text,
        )
        self._post_queued.emit(message)

    def history(self) -> list[Message]:
        return list(self._history)

    @Slot(object)
    def _deliver(self, message: Message) -> None:
        self._history.append(message)
        self.posted.emit(message)
