"""When a tile is live, stalled or dead: the rules, apart from the pipelines they judge.

The video service samples each live pipeline on its watchdog tick (what libvlc has shown, when
the last packet came) and asks :func:`judge`; the answer says what the tile is and, when the
pipeline must be rebuilt, why. Pure logic on monotonic seconds, so every rule is tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from app.video.status import OfflineReason


@dataclass
class HealthPolicy:
    """When a tile counts as stalled or dead (seconds)."""

    # no new picture for this many of the stream's frame intervals → STALLED, but never sooner
    # than stall_min (network jitter at 25 fps); stall_after while the interval is not known yet
    stall_frames: float = 6.0
    stall_min: float = 1.5
    stall_after: float = 3.0
    # no packet from the camera → drop the connection and reconnect; below FFmpeg's read timeout
    # (5 s), which on a frozen camera flushes a held RTP packet and so resets the clock once
    packet_timeout: float = 4.0
    renderer_timeout: float = 10.0  # a key frame arrived but no picture → rebuild the pipeline
    # connected, but no key frame yet: a camera's GOP can be 10 s and more (smart codecs), and
    # the gateway's first viewer of an idle camera waits for the camera's next one
    keyframe_timeout: float = 30.0
    healthy_after: float = 5.0  # LIVE this long → the next failure retries quickly again
    tick: float = 0.1  # watchdog period (also the granularity of retry delays)
    # every tile LIVE with nothing pending: a slower watchdog (16 tiles × 10 checks a second was
    # ≈ 1 % of a core); a stall is then seen ≤ this much later. Any change goes back to ``tick``.
    steady_tick: float = 0.5
    probe_interval: float = 1.0  # OFFLINE: DESCRIBE probe period between full attempts
    probe_timeout: float = 1.0
    switch_retry: float = 5.0  # a switch whose new stream failed is tried again after this


@dataclass(frozen=True)
class LiveSample:
    """One look at a live pipeline (monotonic seconds; None: not yet)."""

    now: float
    connected_at: float | None  # the ingest opened the stream
    opening_at: float | None  # the ingest started opening it (after any connection queue)
    last_packet_at: float | None
    last_picture_at: float | None  # libvlc last showed a new picture
    first_keyframe_at: float | None = None  # the ingest's first key frame (None: not yet)
    frame_interval: float | None = None  # the stream's measured seconds between frames
    rendering: bool = True  # the player draws in its window (not handed over to a replay)
    player_failed: bool = False  # libvlc ended the stream
    # a gateway session: before its first key frame the gateway may send nothing at all (it
    # starts viewers on a key frame), so silence then is waiting, not a dead camera
    keyframe_gated: bool = False


class Verdict(Enum):
    WAIT = "wait"  # connecting, or waiting for the first key frame: nothing to say yet
    LIVE = "live"
    STALLED = "stalled"
    FAIL = "fail"  # rebuild the pipeline (reason, detail)


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str | None = None  # an OfflineReason value
    detail: str | None = None


WAIT = Judgement(Verdict.WAIT)


def stall_limit(policy: HealthPolicy, frame_interval: float | None) -> float:
    """Seconds without a new picture after which a tile is STALLED, for its frame interval."""
    if frame_interval is None:
        return policy.stall_after
    return max(policy.stall_min, policy.stall_frames * frame_interval)


def judge(sample: LiveSample, policy: HealthPolicy, open_timeout: float) -> Judgement:
    """What the tile is now. A silent camera or a renderer that shows nothing fails the
    pipeline; a picture older than the stream's :func:`stall_limit` is STALLED (the last one
    stays on screen)."""
    now = sample.now
    if sample.connected_at is None:
        # FFmpeg's open timeout should end the attempt; this catches an ingest stuck anyway
        # (time spent queueing for a connection slot does not count)
        opening_limit = open_timeout + policy.packet_timeout
        if sample.opening_at is not None and now - sample.opening_at > opening_limit:
            return Judgement(Verdict.FAIL, OfflineReason.TIMEOUT, "no answer while connecting")
        return WAIT
    if sample.first_keyframe_at is None and (
        sample.keyframe_gated or sample.last_packet_at is not None
    ):
        # connected, waiting for the camera's first key frame (a long GOP): packets (or, behind
        # a gateway, silence) until then are no sign of a dead camera
        if now - sample.connected_at > policy.keyframe_timeout:
            return Judgement(Verdict.FAIL, OfflineReason.TIMEOUT,
                             f"no key frame in {policy.keyframe_timeout:.0f} s")
        if sample.player_failed:
            return Judgement(Verdict.FAIL, OfflineReason.RENDERER, "libvlc ended the stream")
        return WAIT
    last_packet = sample.last_packet_at or sample.connected_at
    if now - last_packet > policy.packet_timeout:
        return Judgement(Verdict.FAIL, OfflineReason.TIMEOUT,
                         f"no packet for {now - last_packet:.1f} s")
    if not sample.rendering:
        return WAIT  # the window shows a replay; the ingest is still watched above
    if sample.player_failed:
        return Judgement(Verdict.FAIL, OfflineReason.RENDERER, "libvlc ended the stream")
    picture_ref = sample.last_picture_at or sample.first_keyframe_at or sample.connected_at
    if now - picture_ref > policy.renderer_timeout:
        return Judgement(Verdict.FAIL, OfflineReason.RENDERER,
                         "packets arrive but no picture is shown")
    if sample.last_picture_at is None:
        return WAIT  # connected, waiting for the first key frame to be shown
    if now - sample.last_picture_at > stall_limit(policy, sample.frame_interval):
        return Judgement(Verdict.STALLED)
    return Judgement(Verdict.LIVE)
