"""Crash handler: an uncaught exception (GUI thread or any worker thread) is written to a crash log
in the data dir, scrubbed of secrets, and announced on the message bridge when one is given.

Why: in a 24/7 command room nobody sees a console; the duty desk needs the log file to report the
fault (Art. 9), and the log must not leak camera credentials (Art. 5).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from app.security import scrub

log = logging.getLogger("iocwall.crash")


class CrashHandler:
    def __init__(self, data_dir: Path, notify: Callable[[str], None] | None = None) -> None:
        self.crash_dir = data_dir / "crash"
        self._notify = notify
        self._previous_excepthook = sys.excepthook
        self._previous_threading_hook = threading.excepthook

    def install(self) -> None:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous_excepthook
        threading.excepthook = self._previous_threading_hook

    def write(self, exc_type: type[BaseException], exc: BaseException,
              tb: TracebackType | None, where: str) -> Path:
        """Write one crash report and return its path."""
        self.crash_dir.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        path = self.crash_dir / f"crash-{now:%Y%m%d-%H%M%S-%f}.log"
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        path.write_text(f"iocwall crash at {now.isoformat()} in {where}\n{scrub(text)}",
                        encoding="utf-8")
        log.error("uncaught %s in %s; crash log %s", exc_type.__name__, where, path)
        if self._notify is not None:
            self._notify(f"Internal error ({exc_type.__name__}); details in {path}")
        return path

    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_excepthook(exc_type, exc, tb)
            return
        self.write(exc_type, exc, tb, "main thread")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "thread"
        self.write(args.exc_type, args.exc_value, args.exc_traceback, name)
