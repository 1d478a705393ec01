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

    stall_after: float = 3.0  # no new picture → STALLED
    # no packet from the camera → drop the connection and reconnect; below FFmpeg's read timeout
    # (5 s), which on a frozen camera flushes a held RTP packet and so resets the clock once
    packet_timeout: float = 4.0
    renderer_timeout: float = 10.0  # packets arrive but no picture → rebuild the pipeline
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
    rendering: bool  # the player draws in its window (not handed over to a replay)
    player_failed: bool  # libvlc ended the stream


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


def judge(sample: LiveSample, policy: HealthPolicy, open_timeout: float) -> Judgement:
    """What the tile is now. A silent camera or a renderer that shows nothing fails the
    pipeline; a picture older than ``stall_after`` is STALLED (the last one stays on screen)."""
    now = sample.now
    if sample.connected_at is None:
        # FFmpeg's open timeout should end the attempt; this catches an ingest stuck anyway
        # (time spent queueing for a connection slot does not count)
        opening_limit = open_timeout + policy.packet_timeout
        if sample.opening_at is not None and now - sample.opening_at > opening_limit:
            return Judgement(Verdict.FAIL, OfflineReason.TIMEOUT, "no answer while connecting")
        return WAIT
    last_packet = sample.last_packet_at or sample.connected_at
    if now - last_packet > policy.packet_timeout:
        return Judgement(Verdict.FAIL, OfflineReason.TIMEOUT,
                         f"no packet for {now - last_packet:.1f} s")
    if not sample.rendering:
        return WAIT  # the window shows a replay; the ingest is still watched above
    if sample.player_failed:
        return Judgement(Verdict.FAIL, OfflineReason.RENDERER, "libvlc ended the stream")
    picture_ref = sample.last_picture_at or sample.connected_at
    if now - picture_ref > policy.renderer_timeout:
        return Judgement(Verdict.FAIL, OfflineReason.RENDERER,
                         "packets arrive but no picture is shown")
    if sample.last_picture_at is None:
        return WAIT  # connected, waiting for the first key frame to be shown
    if now - sample.last_picture_at > policy.stall_after:
        return Judgement(Verdict.STALLED)
    return Judgement(Verdict.LIVE)
