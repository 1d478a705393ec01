"""Official letters (PDF) that agencies attach to clip and access requests: the checks before
sending and the fetch for reading. One place for what the server enforces (``%PDF-`` first, at most
10 MB); each service words the problem in its own panel's terms."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from app.errors import BackendError
from common.files import write_atomically

PDF_MAGIC = b"%PDF-"
MAX_LETTER_BYTES = 10 * 1024 * 1024  # server.clip_requests / server.access_requests


class LetterFault(enum.Enum):
    MISSING = "missing"
    UNREADABLE = "unreadable"
    NOT_PDF = "not_pdf"
    TOO_LARGE = "too_large"


@dataclass(frozen=True)
class LetterProblem:
    fault: LetterFault
    name: str = ""      # the file's name (never its folder)
    reason: str = ""    # the OS's words for an unreadable file


def inspect_letter(path: Path | None) -> LetterProblem | None:
    """What is wrong with ``path`` as an official letter, or None. Reads five bytes."""
    if path is None or not str(path).strip() or not Path(path).name:
        return LetterProblem(LetterFault.MISSING)
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(len(PDF_MAGIC))
    except OSError as exc:
        return LetterProblem(LetterFault.UNREADABLE, path.name,
                             exc.strerror or type(exc).__name__)
    if head != PDF_MAGIC:
        return LetterProblem(LetterFault.NOT_PDF, path.name)
    if size > MAX_LETTER_BYTES:
        return LetterProblem(LetterFault.TOO_LARGE, path.name)
    return None


def save_letter(body: bytes, destination: Path, not_pdf_message: str) -> Path:
    """Save a letter the server sent (``body``) to ``destination`` (atomically) for reading; a
    body that is not a PDF is refused with ``not_pdf_message`` and nothing is written."""
    if not body.startswith(PDF_MAGIC):
        raise BackendError(not_pdf_message)
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(destination, body)
    return destination
