"""The shared letter checks and atomic writes behind the clip and access-request services."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from app.api import BackendApi
from app.errors import BackendError
from app.letters import MAX_LETTER_BYTES, LetterFault, inspect_letter, save_letter
from common.files import write_atomically

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_inspect_letter_names_each_fault(tmp_path: Path) -> None:
    good = tmp_path / "cong-van.pdf"
    good.write_bytes(PDF)
    assert inspect_letter(good) is None
    assert inspect_letter(None) is not None and inspect_letter(None).fault is LetterFault.MISSING
    missing = inspect_letter(tmp_path / "khong-co.pdf")
    assert missing is not None and missing.fault is LetterFault.UNREADABLE
    assert missing.name == "khong-co.pdf" and missing.reason
    word = tmp_path / "de-nghi.pdf"
    word.write_bytes(b"PK\x03\x04 a docx renamed")
    not_pdf = inspect_letter(word)
    assert not_pdf is not None and not_pdf.fault is LetterFault.NOT_PDF
    big = tmp_path / "scan.pdf"
    with open(big, "wb") as handle:
        handle.write(PDF)
        handle.truncate(MAX_LETTER_BYTES + 1)
    problem = inspect_letter(big)
    assert problem is not None and problem.fault is LetterFault.TOO_LARGE
    assert str(tmp_path) not in problem.name  # the name only, never the folder


class _Server(BackendApi):
    """The typed client over a transport that answers every download with ``body``."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.asked: list[tuple[str, int]] = []

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        raise AssertionError(f"unexpected {method} {path}")

    def _get_bytes(self, path: str, *, params: dict[str, Any] | None = None,
                   limit: int = 0) -> tuple[bytes, str]:
        self.asked.append((path, limit))
        return self.body, "application/pdf"


def test_save_letter_writes_only_a_pdf(tmp_path: Path) -> None:
    target = tmp_path / "letters" / "letter-7.pdf"
    server = _Server(PDF)
    assert save_letter(server.clip_letter(7), target, "not a PDF") == target
    assert target.read_bytes() == PDF
    assert server.access_request_letter(9) == PDF
    assert server.asked == [("/clips/7/letter", MAX_LETTER_BYTES + 1024),
                            ("/access-requests/9/letter", MAX_LETTER_BYTES + 1024)]
    other = tmp_path / "letters" / "letter-8.pdf"
    with pytest.raises(BackendError, match="not a PDF"):
        save_letter(_Server(b"<html>error</html>").clip_letter(8), other, "not a PDF")
    assert not other.exists() and sorted(p.name for p in other.parent.iterdir()) == [target.name]


def test_write_atomically_replaces_whole_and_leaves_no_part(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"old")
    write_atomically(path, b"new", mode=0o600)
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    path.write_bytes(b"old")

    with pytest.raises(TypeError):  # the write fails after the part file was opened
        write_atomically(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]
