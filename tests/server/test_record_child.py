"""``python -m server.record_child`` on files made with ffmpeg: the container follows the audio
(Matroska for G.711, MPEG-TS otherwise), the segment list starts at 0 and its segments abut,
every segment plays; a bad job line is refused; SIGINT closes the segment being written; a
Matroska segment cut by a crash is still measured."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest

from server.recorder import ROOT, child_environment, probe_duration

SECONDS = 7


def make_input(path: Path, audio: str | None) -> Path:
    """``SECONDS`` of H.264 (a key frame a second), with ``audio`` (an ffmpeg encoder) or
    none."""
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
            f"testsrc2=size=320x240:rate=25:duration={SECONDS}"]
    if audio is not None:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=8000:duration={SECONDS}"]
    args += ["-c:v", "libx264", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p"]
    if audio is not None:
        args += ["-c:a", audio, "-ar", "8000", "-ac", "1"]
    subprocess.run([*args, str(path)], check=True, timeout=60)
    return path


def run_child(job: dict[str, object] | str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    line = job if isinstance(job, str) else json.dumps(job)
    return subprocess.run([sys.executable, "-m", "server.record_child"], input=line + "\n",
                          capture_output=True, text=True, env=child_environment(),
                          cwd=str(ROOT), timeout=timeout, check=False)


def job(source: Path, out: Path, **extra: object) -> dict[str, object]:
    return {"url": str(source), "pattern": str(out / "seg-%03d"), "list": str(out / "list.csv"),
            "segment_seconds": 2, "strftime": False, **extra}


def listed(out: Path) -> list[tuple[str, float, float]]:
    with open(out / "list.csv", encoding="utf-8") as handle:
        return [(row[0], float(row[1]), float(row[2])) for row in csv.reader(handle)]


def codecs(path: Path) -> tuple[str, list[str]]:
    with av.open(str(path)) as container:
        return (container.format.name,
                sorted(s.codec_context.name for s in container.streams if s.type != "data"))


@pytest.mark.parametrize(("audio", "suffix", "container", "streams"), [
    ("pcm_alaw", ".mkv", "matroska,webm", ["h264", "pcm_alaw"]),
    ("pcm_mulaw", ".mkv", "matroska,webm", ["h264", "pcm_mulaw"]),
    ("aac", ".ts", "mpegts", ["aac", "h264"]),
    (None, ".ts", "mpegts", ["h264"]),
])
def test_the_container_follows_the_audio_and_the_segments_play(
        tmp_path: Path, audio: str | None, suffix: str, container: str,
        streams: list[str]) -> None:
    source = make_input(tmp_path / "in.mkv", audio)
    out = tmp_path / "out"
    out.mkdir()
    done = run_child(job(source, out))
    assert done.returncode == 0, done.stderr
    rows = listed(out)
    assert [name for name, _s, _e in rows] == [f"seg-{n:03d}{suffix}" for n in range(len(rows))]
    assert len(rows) >= 3
    # rebased to 0 as ffmpeg's were; each segment starts where the last ended
    assert rows[0][1] == 0.0
    assert all(a[2] == b[1] for a, b in zip(rows, rows[1:], strict=False))
    assert abs(rows[-1][2] - SECONDS) < 0.2
    for name, start, end in rows:
        path = out / name
        assert codecs(path) == (container, streams)
        duration = probe_duration("ffprobe", path)
        assert duration is not None and abs(duration - (end - start)) < 0.2, (name, duration)


def test_a_job_that_is_not_one_is_refused(tmp_path: Path) -> None:
    for line in ("", "not json", json.dumps({"url": "x"}),
                 json.dumps({**job(tmp_path, tmp_path), "segment_seconds": 0})):
        done = run_child(line)
        assert done.returncode == 2 and "record_child:" in done.stderr


def test_an_input_that_fails_exits_1_with_its_token_masked(tmp_path: Path) -> None:
    url = "rtsp://127.0.0.1:9/cam/1/main/live?token=eyJhbGciOi.c2lnbmF0dXJl"
    done = run_child(job(tmp_path, tmp_path, url=url, timeout_s=2))
    assert done.returncode == 1
    assert "eyJhbGciOi" not in done.stderr


class PacedChild:
    """The child reading a paced input (``ffmpeg -re`` into a FIFO), as from a camera."""

    def __init__(self, tmp_path: Path) -> None:
        source = make_input(tmp_path / "in.mkv", "pcm_alaw")
        self.out = tmp_path / "out"
        self.out.mkdir()
        fifo = tmp_path / "paced.mkv"
        os.mkfifo(fifo)
        self.child = subprocess.Popen([sys.executable, "-m", "server.record_child"],
                                      stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=child_environment(), cwd=str(ROOT))
        self.feeder = subprocess.Popen(
            ["ffmpeg", "-v", "error", "-re", "-i", str(source), "-map_metadata", "-1", "-c",
             "copy", "-f", "matroska", "-y", str(fifo)], stdin=subprocess.DEVNULL)
        assert self.child.stdin is not None
        self.child.stdin.write(json.dumps(job(fifo, self.out)) + "\n")
        self.child.stdin.close()

    def wait_listed(self) -> None:
        deadline = time.monotonic() + 30
        while not ((self.out / "list.csv").exists() and listed(self.out)):
            assert time.monotonic() < deadline and self.child.poll() is None
            time.sleep(0.05)

    def end(self, signum: int) -> tuple[int, str]:
        self.child.send_signal(signum)
        try:
            code = self.child.wait(30)
        finally:
            self.feeder.kill()
            self.feeder.wait(10)
        assert self.child.stderr is not None
        return code, self.child.stderr.read()


def test_sigint_closes_the_segment_being_written(tmp_path: Path) -> None:
    """Stopped mid-stream: the segment being written is closed and listed, and every file is
    in the list, as ffmpeg's were."""
    paced = PacedChild(tmp_path)
    paced.wait_listed()
    code, errors = paced.end(signal.SIGINT)
    assert code == 0, errors
    out = paced.out
    rows = listed(out)
    assert len(rows) >= 2 and rows[-1][2] < SECONDS - 1  # stopped early, its last one closed
    assert {p.name for p in out.glob("seg-*")} == {name for name, _s, _e in rows}
    duration = probe_duration("ffprobe", out / rows[-1][0])
    assert duration is not None and abs(duration - (rows[-1][2] - rows[-1][1])) < 0.2


def test_a_matroska_segment_cut_by_a_crash_is_measured(tmp_path: Path) -> None:
    """A killed child leaves no duration in the Matroska header of the segment it was
    writing: its packets tell it (what the recorder indexes after a crash)."""
    paced = PacedChild(tmp_path)
    paced.wait_listed()

    def mid_segment() -> bool:
        """The segment being written holds packets of 0.5 to 1.3 s (not one just begun, not
        one about to close): on disk, where the kill will leave it."""
        names = {name for name, _s, _e in listed(paced.out)}
        writing = [p for p in paced.out.glob("seg-*") if p.name not in names]
        measured = probe_duration("ffprobe", writing[0]) if len(writing) == 1 else None
        return measured is not None and 0.5 < measured < 1.3

    deadline = time.monotonic() + 20
    while not mid_segment():
        assert time.monotonic() < deadline and paced.child.poll() is None
        time.sleep(0.05)
    code, _errors = paced.end(signal.SIGKILL)
    assert code == -signal.SIGKILL
    names = {name for name, _s, _e in listed(paced.out)}
    (cut,) = [p for p in paced.out.glob("seg-*") if p.name not in names]
    header = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                             "default=nw=1:nk=1", str(cut)], capture_output=True, text=True,
                            check=False)
    assert header.stdout.strip() in ("", "N/A")  # what a crash leaves
    duration = probe_duration("ffprobe", cut)
    assert duration is not None and 0.3 < duration < 2.5
