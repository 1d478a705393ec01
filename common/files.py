"""Files written whole or not at all, by the client and the server alike: a crash or a full disk
never leaves half of one under its final name. The bytes go to a hidden ``.<name>.part`` beside
it, are flushed to the disk, renamed over it, and the folder is flushed too (so the rename
survives a power cut); on failure the part file is removed and the old file stays as it was."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    """Flush a folder's entries (a rename into it) to the disk."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """``mode`` (e.g. ``0o600`` for a file only its user may read) applies to the new file;
    None keeps the process's default (its umask)."""
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
    fsync_dir(path.parent)
