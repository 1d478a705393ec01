"""The server's periodic checks (clock state, disks): at start, then at each interval, past a
failing run, until stopped."""
from __future__ import annotations

import threading

from server.periodic import Periodic


def test_a_check_runs_at_once_then_each_interval_survives_a_failure_and_stops() -> None:
    runs: list[int] = []
    third = threading.Event()

    def work() -> None:
        runs.append(len(runs))
        if len(runs) == 2:
            raise RuntimeError("a disk that cannot be read")
        if len(runs) >= 3:
            third.set()

    periodic = Periodic("test-check", 0.01, work)
    periodic.start()
    try:
        assert third.wait(5), "the check stopped after it failed"
    finally:
        periodic.stop()
    done = len(runs)
    assert not any(t.name == "test-check" for t in threading.enumerate())
    assert len(runs) == done  # stopped: no more runs
