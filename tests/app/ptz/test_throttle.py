"""ThrottledMover with a hand-driven clock: ≤ 10 updates/s, latest wins, Stop never overtaken."""

from __future__ import annotations

import asyncio

from app.ptz.base import Velocity
from app.ptz.throttle import ThrottledMover
from tests.app.ptz.conftest import run_async
from tests.app.ptz.fakes import RecordingController


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def test_updates_are_coalesced_to_ten_per_second_latest_wins() -> None:
    clock = FakeClock()
    fake = RecordingController(clock)
    mover = ThrottledMover(fake, clock=clock, sleep=clock.sleep)

    async def go() -> None:
        # 200 updates, one every 5 ms of (fake) time: a fast drag for one second.
        for i in range(200):
            mover.set_velocity(Velocity(pan=(i + 1) / 200))
            clock.now += 0.005
            await asyncio.sleep(0)
        await mover.drain()

    run_async(go())
    moves = [v for name, v in fake.calls if name == "move"]
    assert moves[0] == Velocity(pan=1 / 200)  # the first update goes out at once
    assert moves[-1] == Velocity(pan=1.0)  # the newest always gets through
    gaps = [b - a for a, b in zip(fake.times, fake.times[1:], strict=False)]
    assert all(gap >= 0.1 - 1e-9 for gap in gaps), gaps
    span = fake.times[-1] - fake.times[0]
    assert len(moves) <= span / 0.1 + 1
    assert len(moves) >= 5  # and it does keep sending while the drag goes on


def test_stop_drops_pending_update_and_is_sent_last() -> None:
    clock = FakeClock()
    fake = RecordingController(clock)
    mover = ThrottledMover(fake, clock=clock, sleep=clock.sleep)

    async def go() -> None:
        mover.set_velocity(Velocity(pan=0.5))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        mover.set_velocity(Velocity(pan=0.7))  # pending behind the 100 ms window
        await mover.stop()
        await mover.drain()
        for _ in range(5):
            await clock.sleep(0.1)

    run_async(go())
    assert fake.names() == ["move", "stop"]
    assert fake.calls[0][1] == Velocity(pan=0.5)
    assert not mover.moving


def test_zero_velocity_is_a_stop() -> None:
    clock = FakeClock()
    fake = RecordingController(clock)
    mover = ThrottledMover(fake, clock=clock, sleep=clock.sleep)

    async def go() -> None:
        mover.set_velocity(Velocity(tilt=1.0))
        await mover.drain()
        mover.set_velocity(Velocity())
        for _ in range(3):
            await asyncio.sleep(0)

    run_async(go())
    assert fake.names() == ["move", "stop"]
