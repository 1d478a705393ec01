"""The gateway benchmark cannot rot silently: its measurements, reduced, on a 2-camera lab.

Only sanity is checked (pictures were timed, one camera session served the gateway's viewers,
CPU was spent); the numbers belong to ``bench.bench_gateway`` and docs/benchmarks.md.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from bench.bench_gateway import (
    Site,
    connections,
    measure_cpu,
    measure_opens,
    percentile,
    site,
    timing_rows,
    verdicts,
)

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site(tmp_path_factory.mktemp("bench-gateway"), cameras=2, gop_seconds={1: 1}) as s:
        yield s


def test_the_bench_measures_opens_connections_and_cpu(small_site: Site) -> None:
    cam = small_site.lab.cameras[1]
    timings = measure_opens(small_site, cam, "sub", gop=1, viewers=2, repeats=1,
                            rng=random.Random(1), pause=lambda _seconds: None)
    assert len(timings.gateway) == len(timings.direct) == 2
    assert all(w.first_picture is not None and 0 < w.first_picture < 30
               for w in timings.gateway + timings.direct), timings
    text = "\n".join(timing_rows({("360p", 1, 2): timings}) + verdicts({("360p", 1, 2): timings}))
    assert "| 360p | 1 | 2 |" in text and "first picture p50 ≤ 0.5 s" in text

    assert connections(small_site, cam, "sub", (1, 2), timeout=30) == [(1, 1, 1), (2, 1, 2)]

    cpu = measure_cpu(small_site, [small_site.gateway_url(cam, "sub") for _ in range(2)], seconds=2,
                      timeout=30)
    assert cpu.gateway > 0 and cpu.readers > 0


def test_percentile_interpolates() -> None:
    assert percentile([1.0], 0.95) == 1.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
