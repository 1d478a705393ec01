"""The pieces between ingest and libvlc: the TS byte buffer, timestamp repair, backoff, limiter."""

from __future__ import annotations

import threading
import time
from fractions import Fraction

import av

from app.video.ingest import _TimestampRepair
from app.video.policy import Backoff, ConnectionLimiter
from app.video.tsbuffer import TS_PACKET_SIZE, TsByteBuffer


def _ts_packets(first: int, count: int) -> bytes:
    """``count`` fake TS packets: sync byte, then the packet number repeated."""
    return b"".join(
        bytes([0x47]) + bytes([(first + i) % 256]) * (TS_PACKET_SIZE - 1) for i in range(count)
    )


def test_buffer_drops_oldest_whole_packets_when_full() -> None:
    buffer = TsByteBuffer(capacity=10 * TS_PACKET_SIZE)
    buffer.write(_ts_packets(0, 8))
    buffer.write(_ts_packets(8, 8))  # 16 packets into room for 10: the 6 oldest go
    assert len(buffer) == 10 * TS_PACKET_SIZE
    assert buffer.dropped_bytes == 6 * TS_PACKET_SIZE
    data = buffer.read(10**6, timeout=0)
    assert data == _ts_packets(6, 10)


def test_buffer_keeps_the_packet_being_read_whole() -> None:
    buffer = TsByteBuffer(capacity=10 * TS_PACKET_SIZE)
    buffer.write(_ts_packets(0, 10))
    head = buffer.read(100, timeout=0)  # the reader is 100 bytes into packet 0
    buffer.write(_ts_packets(10, 5))
    rest = buffer.read(10**6, timeout=0)
    stream = head + rest
    assert len(stream) % TS_PACKET_SIZE == 0, "a torn packet reached the reader"
    packets = [stream[i : i + TS_PACKET_SIZE] for i in range(0, len(stream), TS_PACKET_SIZE)]
    assert all(p[0] == 0x47 for p in packets)
    numbers = [p[1] for p in packets]
    assert numbers[0] == 0 and numbers[-5:] == [10, 11, 12, 13, 14]
    assert numbers == sorted(numbers)


def test_read_waits_for_data_and_returns_at_close() -> None:
    buffer = TsByteBuffer()
    assert buffer.read(100, timeout=0.05) == b""
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(buffer.read(1000)))
    reader.start()
    time.sleep(0.1)
    buffer.write(_ts_packets(0, 2))
    reader.join(1.0)
    assert result == [_ts_packets(0, 2)]

    # a reader blocked with no deadline (libvlc's read callback) returns 0 bytes at close
    reader = threading.Thread(target=lambda: result.append(buffer.read(1000)))
    reader.start()
    time.sleep(0.1)
    started = time.monotonic()
    buffer.close()
    reader.join(1.0)
    assert not reader.is_alive() and time.monotonic() - started < 0.5
    assert result[-1] == b""
    buffer.write(_ts_packets(0, 1))  # ignored after close
    assert len(buffer) == 0


class _Stream:
    average_rate = Fraction(25)
    time_base = Fraction(1, 90000)


def _packet(pts: int | None) -> av.Packet:
    packet = av.Packet(b"\x00\x00\x00\x01\x65")
    packet.pts = packet.dts = pts
    return packet


def test_timestamp_repair_backfills_the_first_keyframe_and_keeps_dts_increasing() -> None:
    repair = _TimestampRepair(_Stream())  # type: ignore[arg-type]
    assert repair.feed(_packet(None)) == []  # RTSP's first keyframe: no timestamp yet
    out = repair.feed(_packet(7200))
    assert [p.dts for p in out] == [3600, 7200]
    assert [p.dts for p in repair.feed(_packet(7200))] == [7201]  # repeated → nudged
    assert [p.dts for p in repair.feed(_packet(None))] == [7201 + 3600]
    out = repair.feed(_packet(14400))
    assert out[0].dts == 14400 and out[0].pts >= out[0].dts


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    highs = Backoff(0.5, 15.0, rng=lambda: 1.0)
    assert [highs.next_delay() for _ in range(8)] == [0.5, 1, 2, 4, 8, 15, 15, 15]
    lows = Backoff(0.5, 15.0, rng=lambda: 0.0)
    assert [lows.next_delay() for _ in range(3)] == [0.25, 0.5, 1.0]
    real = Backoff()
    delays = [real.next_delay() for _ in range(10)]
    assert all(0.25 <= d <= 15.0 for d in delays)
    assert len(set(delays)) > 1, "no jitter"
    real.reset()
    assert real.next_delay() <= 0.5


def test_limiter_caps_attempts_in_flight() -> None:
    limiter = ConnectionLimiter(3)
    never = threading.Event()
    peak = 0
    lock = threading.Lock()
    current = 0

    def attempt() -> None:
        nonlocal peak, current
        assert limiter.acquire(never)
        with lock:
            current += 1
            peak = max(peak, current)
        time.sleep(0.05)
        with lock:
            current -= 1
        limiter.release()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5.0)
    assert peak == 3 and limiter.in_flight == 0

    cancelled = threading.Event()
    for _ in range(3):
        assert limiter.acquire(never)
    cancelled.set()
    assert limiter.acquire(cancelled) is False  # full and cancelled: gives up at once
