"""The redaction benchmark cannot rot silently: its measurements, reduced, on a short small clip.

Only sanity is checked (every case wrote a clip and spent CPU, the heaviest case carries the most
steps a publication may); the numbers belong to ``bench.bench_redaction`` and docs/benchmarks.md.
"""

from __future__ import annotations

import pytest

from bench.bench_redaction import main
from server.redaction import MAX_STEPS


def test_the_bench_times_every_case_beside_the_plain_re_encode(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seconds", "2", "--size", "320x180", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("start: load average")
    rows = [line.split("|")[1:-1] for line in out.splitlines()
            if line.startswith("| ") and not line.startswith("| ---")][1:]
    assert [r[0].strip() for r in rows] == ["baseline: re-encode, no box", "one fixed box",
                                            "two moving tracks",
                                            f"most steps allowed ({MAX_STEPS})"]
    steps = [int(r[1]) for r in rows]
    assert steps[:2] == [0, 1] and 0 < steps[2] < MAX_STEPS and steps[3] == MAX_STEPS
    # every case took time and CPU, and the baseline's ratios are 1 by construction
    assert all(float(r[2]) > 0 and float(r[4]) > 0 for r in rows), rows
    assert float(rows[0][3]) == float(rows[0][5]) == 1.0
