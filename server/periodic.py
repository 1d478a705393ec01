"""A check the server runs every so often while it serves: once at start, then every
``interval_s`` seconds, on a thread of its own, until ``stop``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("iocwall.server")


class Periodic:
    def __init__(self, name: str, interval_s: float, work: Callable[[], object]) -> None:
        self.name = name
        self._interval_s = interval_s
        self._work = work
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while True:
            try:
                self._work()
            except Exception:  # noqa: BLE001 - a failed check must not end the next ones
                log.exception("%s: check failed", self.name)
            if self._stop.wait(self._interval_s):
                return
