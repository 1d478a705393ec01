"""The wall benchmark cannot rot silently: its measurement functions, for one tile, for real.

Real lab (one camera), real client child process (libvlc under the suite's Xvfb), real ffmpeg.
Only sanity is checked (a picture was measured, CPU was spent); the numbers belong to
``bench.bench_wall`` and docs/benchmarks.md, never to a test.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.bench_wall import (
    Scenario,
    lab_streams,
    measure_client,
    measure_floor,
    percentile,
    report,
)

pytestmark = [pytest.mark.video, pytest.mark.lab]


@pytest.fixture(scope="module")
def one_camera_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from lab.testing import start_test_lab

    with start_test_lab(tmp_path_factory.mktemp("bench-lab"), cameras=1) as lab:
        yield lab


def test_client_measures_one_tile(one_camera_lab: Any, tmp_path: Path) -> None:
    streams = lab_streams(one_camera_lab, [0], "sub")
    log = tmp_path / "client.log"
    result = measure_client("vlc", streams, seconds=2.0, settle=0.5, log_path=log)
    assert result.failed == 0, log.read_text(errors="replace")[-2000:]
    assert len(result.first_frame) == 1
    assert 0.0 < result.first_frame[0] < 30.0
    assert result.cpu_percent > 0.0  # the tile decodes and renders: it cannot be free
    assert result.rss_mb > result.rss_idle_mb > 0.0

    # one 360p decode costs ≈ 1 % of a core here and the kernel counts CPU in 10 ms ticks:
    # a window of a few seconds is the shortest that cannot read zero
    floor = measure_floor(streams, seconds=4.0, settle=1.0)
    assert floor.cpu_percent > 0.0

    text = report([Scenario("360p", 1, client=result, floor=floor)], (0.0, 0.0, 0.0))
    assert "| 360p | 1 |" in text
    assert "client CPU ≤ 1.3× decode floor (1 × 360p)" in text


def test_peer_measures_one_tile(one_camera_lab: Any, tmp_path: Path) -> None:
    # find, not import: importing QtMultimedia here would log its pipewire warnings in this
    # process (the suite fails on Qt warnings); the peer runs in the child anyway
    if importlib.util.find_spec("PySide6.QtMultimedia") is None:
        pytest.skip("QtMultimedia is in the bench extra: pip install -e '.[dev,bench]'")
    streams = lab_streams(one_camera_lab, [0], "sub")
    log = tmp_path / "client.log"
    result = measure_client("qtmm", streams, seconds=2.0, settle=0.5, log_path=log)
    assert result.failed == 0, log.read_text(errors="replace")[-2000:]
    assert len(result.first_frame) == 1 and result.first_frame[0] > 0.0
    assert result.cpu_percent > 0.0


def test_percentile_interpolates() -> None:
    assert percentile([1.0], 0.95) == 1.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert percentile([0.0, 10.0], 0.95) == pytest.approx(9.5)
