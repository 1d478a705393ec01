"""The OS-pipe feed from a tile's TS buffer to libvlc: every byte in order, caps kept, clean ends.

Pure unit tests on real OS pipes (no libvlc): a thread reads the pipe's read end as libvlc would.
That libvlc plays from the pipe is covered by tests/app/video/test_service.py (the default feed)
and tests/app/video/test_vlc_options.py.
"""

from __future__ import annotations

import os
import random
import select
import threading
import time

import pytest

from app.video.tsbuffer import _PUMP, PIPE_BYTES, TS_PACKET_SIZE, TsByteBuffer


def _ts_packets(first: int, count: int) -> bytes:
    """``count`` fake TS packets: sync byte, then the packet number (mod 256) repeated."""
    return b"".join(
        bytes([0x47]) + bytes([(first + i) % 256]) * (TS_PACKET_SIZE - 1) for i in range(count)
    )


class _Reader:
    """Reads a pipe's read end on a thread until end of stream, optionally slowly."""

    def __init__(self, fd: int, chunk: int = 16 * 1024, pause: float = 0.0) -> None:
        self.fd = fd
        self.chunk = chunk
        self.pause = pause
        self.data = bytearray()
        self.eof_at: float | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            piece = os.read(self.fd, self.chunk)
            if not piece:
                self.eof_at = time.monotonic()
                return
            self.data += piece
            if self.pause:
                time.sleep(self.pause)

    def join(self, timeout: float) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()


def _wait(condition: object, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.01)
    return False


def test_pipe_delivers_every_byte_in_order_and_ends_at_finish() -> None:
    # a live-like stream: small P frames and key frames several times the pipe's size, written
    # by one thread while a slow reader drains the pipe (the pump moves what did not fit)
    buffer = TsByteBuffer(capacity=64 * 1024 * 1024)
    read_end = buffer.open_pipe()
    try:
        reader = _Reader(read_end, chunk=7 * 1024, pause=0.001)
        rng = random.Random(3)
        sent = bytearray()
        number = 0
        for frame in range(120):
            count = (4 * PIPE_BYTES if frame % 25 == 0 else rng.randint(1, 40) * TS_PACKET_SIZE)
            count //= TS_PACKET_SIZE
            data = _ts_packets(number, count)
            number += count
            # the muxer hands over one packet in a few pieces, not on TS boundaries
            cut = rng.randint(1, len(data) - 1) if len(data) > 1 else len(data)
            buffer.write(data[:cut])
            buffer.write(data[cut:])
            sent += data
        buffer.finish()
        assert reader.join(10.0), "the reader never saw end of stream after finish()"
        assert bytes(reader.data) == bytes(sent)
        assert buffer.dropped_bytes == 0 and buffer.written_bytes == len(sent)
        assert not buffer.feeds_pipe
        assert _wait(lambda: _PUMP.waiting() == 0), "the pump still holds a finished buffer"
    finally:
        os.close(read_end)


def test_bytes_written_before_the_pipe_opens_go_first_then_end() -> None:
    # a replay: the ring's bytes are in the buffer and finished before libvlc opens the pipe
    data = _ts_packets(0, 3 * PIPE_BYTES // TS_PACKET_SIZE + 7)
    buffer = TsByteBuffer(capacity=len(data) + 4 * TS_PACKET_SIZE)
    buffer.write(data)
    buffer.finish()
    read_end = buffer.open_pipe()
    try:
        reader = _Reader(read_end)
        assert reader.join(10.0)
        assert bytes(reader.data) == data
    finally:
        os.close(read_end)


def test_close_ends_the_readers_stream_at_once_and_releases_the_pump() -> None:
    buffer = TsByteBuffer(capacity=16 * PIPE_BYTES)
    read_end = buffer.open_pipe()
    try:
        # fill the pipe and more: nobody reads yet, so the rest waits for the pump
        buffer.write(_ts_packets(0, 3 * PIPE_BYTES // TS_PACKET_SIZE))
        assert _PUMP.waiting() >= 1
        reader = _Reader(read_end, pause=0.05)  # a slow reader: still busy when we close
        time.sleep(0.1)
        closed_at = time.monotonic()
        buffer.close()
        assert reader.join(2.0), "the reader did not see end of stream after close()"
        assert reader.eof_at is not None and reader.eof_at - closed_at < 1.0
        assert not buffer.feeds_pipe
        assert _wait(lambda: _PUMP.waiting() == 0)
        buffer.write(_ts_packets(0, 1))  # ignored after close, no error
        assert len(buffer) == 0
    finally:
        os.close(read_end)


def test_a_stalled_reader_keeps_the_caps_and_whole_packets() -> None:
    capacity = 40 * TS_PACKET_SIZE
    buffer = TsByteBuffer(capacity=capacity)
    read_end = buffer.open_pipe()
    try:
        total = (2 * PIPE_BYTES) // TS_PACKET_SIZE + 200
        for number in range(total):  # the renderer is stuck: nobody reads
            buffer.write(_ts_packets(number, 1))
        assert len(buffer) <= capacity, "the bytes beyond the pipe must stay within the cap"
        assert buffer.dropped_bytes > 0
        reader = _Reader(read_end)
        buffer.finish()
        assert reader.join(10.0)
        stream = bytes(reader.data)
        assert len(stream) % TS_PACKET_SIZE == 0, "a torn packet reached the reader"
        numbers = []
        for offset in range(0, len(stream), TS_PACKET_SIZE):
            packet = stream[offset : offset + TS_PACKET_SIZE]
            assert packet[0] == 0x47
            numbers.append(packet[1])
        # what the pipe held, then the newest packets; never the dropped middle, never reordered
        assert numbers[-1] == (total - 1) % 256
        assert len(numbers) < total
        unwrapped = [numbers[0]]
        for value in numbers[1:]:
            step = (value - unwrapped[-1]) % 256
            assert step >= 1, "packets out of order"
            unwrapped.append(unwrapped[-1] + step)
    finally:
        os.close(read_end)


def test_a_reader_gone_drops_the_bytes_without_error() -> None:
    buffer = TsByteBuffer()
    read_end = buffer.open_pipe()
    os.close(read_end)  # libvlc stopped and closed its end
    buffer.write(_ts_packets(0, 10))
    assert not buffer.feeds_pipe
    assert len(buffer) == 0
    buffer.close()


def test_the_writer_never_blocks_on_a_full_pipe() -> None:
    buffer = TsByteBuffer(capacity=8 * PIPE_BYTES)
    read_end = buffer.open_pipe()
    try:
        started = time.monotonic()
        for number in range(0, 6 * PIPE_BYTES // TS_PACKET_SIZE, 50):
            buffer.write(_ts_packets(number, 50))
        assert time.monotonic() - started < 1.0, "the ingest thread waited for the reader"
        readable, _, _ = select.select([read_end], [], [], 0)
        assert readable, "the pipe holds the first bytes"
    finally:
        buffer.close()
        os.close(read_end)


def test_a_buffer_feeds_one_pipe_only() -> None:
    buffer = TsByteBuffer()
    read_end = buffer.open_pipe()
    try:
        with pytest.raises(RuntimeError):
            buffer.open_pipe()
    finally:
        buffer.close()
        os.close(read_end)
