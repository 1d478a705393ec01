"""The redaction benchmark cannot rot silently: its measurements, reduced, on a short small clip.

Only sanity is checked (every case wrote a clip and spent CPU, the heaviest case carries the most
tracks and keyframes a publication may); the numbers belong to ``bench.bench_redaction`` and docs/benchmarks.md.
"""

from __future__ import annotations

import pytest

from bench.bench_redaction import main
from server.redaction import MAX_KEYFRAMES, MAX_TRACKS


def test_the_bench_times_every_case_beside_the_plain_re_encode(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seconds", "2", "--size", "320x180", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("start: load average")
    rows = [line.split("|")[1:-1] for line in out.splitlines()
            if line.startswith("| ") and not line.startswith("| ---")][1:]
    assert [r[0].strip() for r in rows] == ["baseline: re-encode, no box", "one fixed box",
                                            "two moving tracks", "the most allowed"]
    tracks, keyframes = [int(r[1]) for r in rows], [int(r[2]) for r in rows]
    assert tracks == [0, 1, 2, MAX_TRACKS] and keyframes == [0, 1, 4, MAX_TRACKS * MAX_KEYFRAMES]
    # every case took time and CPU, and the baseline's ratios are 1 by construction
    assert all(float(r[3]) > 0 and float(r[5]) > 0 for r in rows), rows
    assert float(rows[0][4]) == float(rows[0][6]) == 1.0
