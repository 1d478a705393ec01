"""The video plumbing without a network: the live buffer bound, the replay ring, the limiter's
high-water mark (fake clocks, real threads)."""

from __future__ import annotations

import threading

from app.video.policy import ConnectionLimiter
from app.video.replay import ReplayRing
from app.video.tsbuffer import TS_PACKET_SIZE, TsByteBuffer


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _packets(tag: int, count: int) -> bytes:
    return (bytes([0x47, tag % 256]) + bytes(TS_PACKET_SIZE - 2)) * count


def test_live_buffer_skips_to_the_newest_keyframe_when_the_reader_falls_behind() -> None:
    clock = FakeClock()
    buffer = TsByteBuffer(capacity=64 * 1024 * 1024, max_delay=0.3, clock=clock)
    frame = 5 * TS_PACKET_SIZE  # 5 TS packets per frame, 25 fps, keyframe every 25 frames
    worst_delay, worst_len = 0.0, 0
    for n in range(25 * 20):  # 20 s with nobody reading
        if n % 25 == 0:
            buffer.mark_keyframe()
        buffer.write(_packets(n, 5))
        clock.now += 0.04
        worst_delay = max(worst_delay, buffer.delay())
        worst_len = max(worst_len, len(buffer))
    # never more than the live buffer plus one GOP (1 s) behind, and bounded in bytes accordingly
    assert worst_delay <= 0.3 + 1.0 + 0.05, worst_delay
    assert worst_len <= 26 * frame, worst_len
    assert buffer.skips >= 19
    # what is left starts at a keyframe (tag of a multiple of 25), on a TS packet boundary
    data = buffer.read(10**9, timeout=0)
    assert len(data) % TS_PACKET_SIZE == 0 and data[0] == 0x47
    assert data[1] == 475 % 256  # frame 475: the last keyframe written


def test_live_buffer_does_not_skip_for_a_reader_that_keeps_up() -> None:
    clock = FakeClock()
    buffer = TsByteBuffer(capacity=64 * 1024 * 1024, max_delay=0.3, clock=clock)
    received = bytearray()
    sent = bytearray()
    for n in range(200):
        if n % 25 == 0:
            buffer.mark_keyframe()
        chunk = _packets(n, 3)
        buffer.write(chunk)
        sent += chunk
        clock.now += 0.04
        received += buffer.read(10**6, timeout=0)
    assert buffer.skips == 0 and buffer.dropped_bytes == 0
    assert bytes(received) == bytes(sent)


def test_live_buffer_keeps_the_packet_being_read_whole_when_skipping() -> None:
    clock = FakeClock()
    buffer = TsByteBuffer(capacity=64 * 1024 * 1024, max_delay=0.3, clock=clock)
    buffer.mark_keyframe()
    buffer.write(_packets(1, 4))
    head = buffer.read(100, timeout=0)
    clock.now += 1.0
    buffer.mark_keyframe()
    buffer.write(_packets(2, 4))  # the reader is 1 s behind: skip to this keyframe
    stream = head + buffer.read(10**6, timeout=0)
    assert buffer.skips == 1
    assert len(stream) % TS_PACKET_SIZE == 0
    tags = [stream[i + 1] for i in range(0, len(stream), TS_PACKET_SIZE)]
    assert tags == [1, 2, 2, 2, 2]


def test_finished_buffer_drains_then_ends() -> None:
    buffer = TsByteBuffer()
    buffer.write(_packets(0, 2))
    buffer.finish()
    buffer.write(_packets(1, 2))  # ignored
    assert buffer.read(10**6) == _packets(0, 2)
    assert buffer.read(10**6) == b""  # end of stream at once, no waiting


def test_replay_ring_keeps_sixty_seconds_of_keyframe_chunks() -> None:
    clock = FakeClock()
    ring = ReplayRing(seconds=60, max_bytes=10**9, clock=clock)
    ring.write(b"before any keyframe")  # dropped: a replay must start at a keyframe
    assert ring.nbytes == 0
    for second in range(120):
        ring.start_chunk()
        ring.write(bytes([second]) * 1000)
        clock.now += 1.0
    assert 60 <= ring.span() <= 61
    data, offset = ring.snapshot(30)
    # chunk k started k + 1 s before now: the newest one at least 30 s back is chunk 90
    assert offset == 30.0
    assert data[0] == 90 and data[-1] == 119
    assert len(data) == 30 * 1000
    data, offset = ring.snapshot(1000)  # more than held: from the oldest chunk
    assert offset == ring.span() and data[0] == 120 - int(offset)


def test_replay_ring_is_bounded_in_bytes() -> None:
    clock = FakeClock()
    ring = ReplayRing(seconds=60, max_bytes=50_000, clock=clock)
    for _second in range(60):
        ring.start_chunk()
        for _ in range(10):
            ring.write(bytes(1000))
        clock.now += 1.0
        assert ring.nbytes <= 50_000 + 10_000  # at most the chunk being written on top
    assert ring.span() <= 6.0


def test_limiter_high_water_never_exceeds_the_limit() -> None:
    limiter = ConnectionLimiter(8)
    cancelled = threading.Event()
    holding = threading.Barrier(9)  # 8 holders + the test
    release = threading.Event()
    done = []

    def attempt() -> None:
        assert limiter.acquire(cancelled)
        try:
            if not release.is_set():  # the first 8 meet the test at the barrier
                holding.wait(timeout=30)
            release.wait(30)
        finally:
            limiter.release()
            done.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for thread in threads:
        thread.start()
    holding.wait(timeout=30)  # 8 attempts hold a slot; the other 8 queue
    assert limiter.in_flight == 8 and limiter.high_water == 8
    release.set()
    for thread in threads:
        thread.join(30)
    assert len(done) == 16 and limiter.in_flight == 0
    assert limiter.high_water == 8
    limiter.reset_high_water()
    assert limiter.high_water == 0
