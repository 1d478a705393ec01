"""The remuxer alone, on files made by Debian's ffmpeg: G.711 audio becomes AAC in the TS."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import av
import pytest

from app.video.ingest import FrameClock, _TimestampRepair
from app.video.remux import TsRemuxer
from app.video.tsbuffer import TsByteBuffer


def _camera_file(tmp_path: Path, audio_codec: str, fps: int = 25) -> Path:
    """Three seconds of H.264 (GOP 1 s) with 8 kHz mono ``audio_codec``, as a camera sends."""
    path = tmp_path / f"camera-{audio_codec}.mkv"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc=size=320x240:rate={fps}",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
         "-t", "3", "-c:v", "libx264", "-g", str(fps), "-pix_fmt", "yuv420p",
         "-c:a", audio_codec, "-ac", "1", "-ar", "8000", str(path)],
        check=True, timeout=60)
    return path


def _feed(path: Path, remuxer: TsRemuxer,
          after_video: Callable[[int], None] | None = None) -> None:
    """The file's packets into ``remuxer`` as the ingest gives them; ``after_video(n)`` after
    the n-th video packet."""
    videos = 0
    with av.open(str(path)) as source:
        streams = [source.streams.video[0], source.streams.audio[0]]
        remuxer.begin(streams)
        repairs = {stream.index: _TimestampRepair(stream) for stream in streams}
        for packet in source.demux(streams):
            if packet.size == 0:
                continue  # the demuxer's end marker
            for ready in repairs[packet.stream.index].feed(packet):  # as the ingest does
                remuxer.write(ready)
                if ready.stream.type == "video" and after_video is not None:
                    videos += 1
                    after_video(videos)
        remuxer.end()


def _drain(buffer: TsByteBuffer) -> bytes:
    buffer.finish()
    data = bytearray()
    while chunk := buffer.read(65536, timeout=0.1):
        data += chunk
    return bytes(data)


def _remux(path: Path) -> bytes:
    buffer = TsByteBuffer(capacity=16 * 1024 * 1024)
    _feed(path, TsRemuxer(buffer, "test"))
    return _drain(buffer)


@pytest.mark.parametrize("audio_codec", ["pcm_alaw", "pcm_mulaw"])
def test_g711_audio_is_transcoded_to_aac_that_decodes(tmp_path: Path, audio_codec: str) -> None:
    ts = tmp_path / "out.ts"
    ts.write_bytes(_remux(_camera_file(tmp_path, audio_codec)))
    with av.open(str(ts)) as out:
        assert out.streams.video[0].codec_context.name == "h264"
        audio = out.streams.audio[0]
        assert audio.codec_context.name == "aac"
        assert audio.codec_context.sample_rate == 8000
        samples = sum(frame.samples for packet in out.demux(audio) for frame in packet.decode())
    # about 3 s of sound came through (the encoder holds back its last partial frame)
    assert 2.5 * 8000 <= samples <= 3.2 * 8000, samples


def test_aac_audio_is_copied_as_it_is(tmp_path: Path) -> None:
    ts = tmp_path / "out.ts"
    ts.write_bytes(_remux(_camera_file(tmp_path, "aac")))
    with av.open(str(ts)) as out:
        assert out.streams.audio[0].codec_context.name == "aac"
        assert out.streams.video[0].codec_context.name == "h264"


def test_the_frame_clock_measures_the_camera_pace_not_a_burst() -> None:
    clock = FrameClock()
    for n in range(30):  # a gateway's kept GOP: frames 1 ms apart
        clock.add(n * 0.001)
    assert clock.interval is None
    for n in range(1, 10):  # then the camera's 5 fps, with one lost frame
        clock.add(0.029 + n * 0.2 + (0.2 if n > 5 else 0.0))
    assert clock.interval == pytest.approx(0.2)


@pytest.mark.parametrize("at_once", [True, False])
def test_a_player_started_over_mid_gop_gets_the_gop_so_far_at_once(
        tmp_path: Path, at_once: bool) -> None:
    """A player replaced before its first picture (the stream turned out to be 4K at 5 fps)
    starts on the current GOP's key frame, not one GOP later."""
    path = _camera_file(tmp_path, "aac")  # GOP 1 s at 25 fps, 3 s
    first = TsByteBuffer(capacity=16 * 1024 * 1024)
    second = TsByteBuffer(capacity=16 * 1024 * 1024)
    remuxer = TsRemuxer(first, "test")

    def after_video(count: int) -> None:
        if count == 10:  # 10 frames into the first GOP
            remuxer.retarget(second, at_once=at_once)

    _feed(path, remuxer, after_video)
    ts = tmp_path / "second.ts"
    ts.write_bytes(_drain(second))
    with av.open(str(ts)) as out:
        frames = [frame for packet in out.demux(out.streams.video[0])
                  for frame in packet.decode()]
    assert frames[0].key_frame
    # at once: the first GOP's frames from its key frame on; else from the second GOP on
    assert len(frames) == (75 if at_once else 50), len(frames)
