"""The gateway's stdout: one JSON object per line, for the parent to forward to the audit.

stdout carries nothing else (diagnostics go to stderr), and never a token or a password.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import IO, Any


class Events:
    """Writes event lines, whole and in order, from any thread."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdout
        self._lock = threading.Lock()

    def emit(self, event: dict[str, Any]) -> None:
        line = json.dumps({**event, "at": round(time.time(), 3)}, ensure_ascii=False)
        with self._lock:
            try:
                self._stream.write(line + "\n")
                self._stream.flush()
            except (BrokenPipeError, ValueError):
                pass  # the parent is gone; EOF on stdin ends us soon
