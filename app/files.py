"""Writing the client's files so that a crash or a full disk never leaves half of one under its
final name: the bytes go to a hidden ``.<name>.part`` beside it, are flushed to the disk, then
renamed over it; on failure the part file is removed and the old file stays as it was."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """``mode`` (e.g. ``0o600`` for a file only the user may read) applies to the new file;
    None keeps the process's default."""
    part = path.with_name(f".{path.name}.part")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        fd = os.open(part, flags, 0o666 if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
