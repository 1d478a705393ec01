"""The tile health rules alone: connecting, silent camera, renderer without pictures, stall."""

from __future__ import annotations

from dataclasses import replace

from app.video.health import HealthPolicy, LiveSample, Verdict, judge
from app.video.status import OfflineReason

POLICY = HealthPolicy(stall_after=3.0, packet_timeout=4.0, renderer_timeout=10.0)
OPEN_TIMEOUT = 5.0
PLAYING = LiveSample(now=100.0, connected_at=90.0, opening_at=89.0, last_packet_at=99.9,
                     last_picture_at=99.9, rendering=True, player_failed=False,
                     first_keyframe_at=90.1)


def _judge(**changes: object):  # type: ignore[no-untyped-def]
    return judge(replace(PLAYING, **changes), POLICY, OPEN_TIMEOUT)  # type: ignore[arg-type]


def test_new_pictures_are_live_and_an_old_one_is_stalled() -> None:
    assert _judge().verdict is Verdict.LIVE
    assert _judge(last_picture_at=97.1).verdict is Verdict.LIVE
    assert _judge(last_picture_at=96.9).verdict is Verdict.STALLED


def test_an_open_that_hangs_past_its_timeout_fails_but_queueing_does_not_count() -> None:
    connecting = dict(connected_at=None, last_packet_at=None, last_picture_at=None)
    assert _judge(**connecting, opening_at=92.0).verdict is Verdict.WAIT
    failed = _judge(**connecting, opening_at=90.9)
    assert failed.verdict is Verdict.FAIL and failed.reason == OfflineReason.TIMEOUT
    assert _judge(**connecting, opening_at=None).verdict is Verdict.WAIT  # still queued


def test_a_silent_camera_fails_after_the_packet_timeout() -> None:
    failed = _judge(last_packet_at=95.9)
    assert failed.verdict is Verdict.FAIL and failed.reason == OfflineReason.TIMEOUT
    assert failed.detail == "no packet for 4.1 s"
    assert _judge(last_packet_at=96.1).verdict is Verdict.LIVE
    # no packet at all since connecting counts from the connection
    assert _judge(last_packet_at=None, connected_at=95.9).verdict is Verdict.FAIL


def test_a_key_frame_without_pictures_fails_the_renderer() -> None:
    assert _judge(last_picture_at=None, connected_at=95.0,
                  first_keyframe_at=95.1).verdict is Verdict.WAIT
    failed = _judge(last_picture_at=None, connected_at=89.0, first_keyframe_at=89.5)
    assert failed.verdict is Verdict.FAIL and failed.reason == OfflineReason.RENDERER
    failed = _judge(player_failed=True)
    assert failed.verdict is Verdict.FAIL and failed.detail == "libvlc ended the stream"


def test_a_tile_showing_a_replay_only_watches_the_camera() -> None:
    assert _judge(rendering=False, last_picture_at=50.0, player_failed=True).verdict \
        is Verdict.WAIT
    assert _judge(rendering=False, last_packet_at=90.0).verdict is Verdict.FAIL


def test_the_stall_limit_follows_the_stream_frame_interval() -> None:
    # unknown interval: the fixed limit
    assert _judge(last_picture_at=97.1).verdict is Verdict.LIVE
    # 25 fps: 6 frames are 0.24 s, but never sooner than 1.5 s (network jitter)
    assert _judge(frame_interval=0.04, last_picture_at=98.6).verdict is Verdict.LIVE
    assert _judge(frame_interval=0.04, last_picture_at=98.4).verdict is Verdict.STALLED
    # 5 fps at 4K: a picture every 0.2 s, still 1.5 s
    assert _judge(frame_interval=0.2, last_picture_at=98.6).verdict is Verdict.LIVE
    # 1 fps: 6 s without a picture is stalled, 5 s is not
    assert _judge(frame_interval=1.0, last_picture_at=95.0).verdict is Verdict.LIVE
    assert _judge(frame_interval=1.0, last_picture_at=93.9).verdict is Verdict.STALLED


def test_a_long_gop_waits_for_its_first_key_frame_without_failing() -> None:
    waiting = dict(first_keyframe_at=None, last_picture_at=None)
    # packets of a 12 s GOP camera flow, no key frame yet, 12 s after connecting: waiting
    assert _judge(**waiting, connected_at=88.0).verdict is Verdict.WAIT
    # behind a gateway nothing at all arrives before the key frame: waiting too
    assert _judge(**waiting, connected_at=88.0, last_packet_at=None,
                  keyframe_gated=True).verdict is Verdict.WAIT
    # a camera that sends no key frame at all gives up after the key frame timeout
    failed = _judge(**waiting, connected_at=69.0)
    assert failed.verdict is Verdict.FAIL and failed.reason == OfflineReason.TIMEOUT
    assert failed.detail == "no key frame in 30 s"
    # a direct camera that sends nothing is still a silent camera
    assert _judge(**waiting, connected_at=95.0, last_packet_at=None).verdict is Verdict.FAIL
    # the renderer gets its 10 s from the key frame, not from the connection
    assert _judge(last_picture_at=None, connected_at=70.0,
                  first_keyframe_at=91.0).verdict is Verdict.WAIT
