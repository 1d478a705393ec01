"""The demo launcher reads the lab's progress lines from the lab's log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.demo import DemoProgress, DemoStack
from lab.clips import report_progress


def test_progress_lines_written_by_the_lab_are_reported_once_each(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log_path = tmp_path / "lab.log"
    log_path.write_text("2026-12-06 10:00:00 iocwall.lab.progress INFO progress clips 1/8\n")
    start = log_path.stat().st_size  # an earlier run's lines are not this start's progress
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("iocwall.lab.progress")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    stack = DemoStack(tmp_path, "http://127.0.0.1:1")
    heard: list[DemoProgress] = []
    try:
        stack._lab_progress(log_path, start, heard.append)
        assert heard == []
        report_progress("clips", 3, 8)
        handler.flush()
        stack._lab_progress(log_path, start, heard.append)
        stack._lab_progress(log_path, start, heard.append)  # nothing new: not repeated
        report_progress("streams", 16, 16)
        handler.flush()
        stack._lab_progress(log_path, start, heard.append)
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert heard == [DemoProgress("clips", 3, 8), DemoProgress("streams", 16, 16)]
    assert heard[0].describe() == "preparing camera lab: 3/8 clips…"
    assert DemoProgress("backend", 4, 0).describe() == "starting the demo backend… 4 s"
