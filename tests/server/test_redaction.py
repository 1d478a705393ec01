"""The blurring plan: tracks checked, moving boxes covered wider never beside, and a real ffmpeg
run that blurs inside the boxes only."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from server import redaction
from server.redaction import Keyframe, RedactionInvalid


def test_tracks_are_checked_and_name_the_field() -> None:
    good = [[{"t": 0, "box": [0.1, 0.1, 0.2, 0.2]}, {"t": 2, "box": [0.5, 0.1, 0.2, 0.2]}]]
    assert redaction.parse_tracks(good, 3.0)[0][1] == Keyframe(2.0, (0.5, 0.1, 0.2, 0.2))
    for bad, words in (
        ([[{"t": 5, "box": [0.1, 0.1, 0.2, 0.2]}]], "outside the clip"),
        ([[{"t": 1, "box": [0.9, 0.1, 0.2, 0.2]}]], "outside the picture"),
        ([[{"t": 1, "box": [0.1, 0.1, 0, 0.2]}]], "empty box"),
        ([[{"t": 2, "box": [0.1, 0.1, 0.2, 0.2]}, {"t": 1, "box": [0.1, 0.1, 0.2, 0.2]}]],
         "not in order"),
        ([[]], "has no box"),
        ([[{"t": 1, "box": [0.1, 0.1]}]], "[x, y, width, height]"),
        ([[{"t": 1, "box": [0.1, 0.1, 0.2, 0.2]}]] * 17, "at most"),
    ):
        with pytest.raises(RedactionInvalid) as caught:
            redaction.parse_tracks(bad, 3.0)
        assert str(caught.value).startswith("tracks: ") and words in str(caught.value)


def test_a_moving_box_is_covered_at_every_moment() -> None:
    track = [Keyframe(0.0, (0.0, 0.0, 0.1, 0.1)), Keyframe(1.0, (0.5, 0.2, 0.2, 0.1)),
             Keyframe(2.0, (0.8, 0.8, 0.1, 0.2))]
    (sweep,) = redaction.sweeps([track], 2.0)
    assert (sweep.start, sweep.end) == (0.0, 2.0)
    for moment in [i / 40 for i in range(81)]:
        a, b = (track[0], track[1]) if moment <= 1.0 else (track[1], track[2])
        share = (moment - a.t) / (b.t - a.t)
        x, y, w, h = (a.box[k] + (b.box[k] - a.box[k]) * share for k in range(4))
        bx, by, bw, bh = sweep.box(moment)
        assert bx <= x and by <= y and bx + bw >= x + w - 1e-9 and by + bh >= y + h - 1e-9, \
            moment
        assert 0 <= bx and 0 <= by and bx + bw <= 1 + 1e-9 and by + bh <= 1 + 1e-9
    # one keyframe: the box stays, exactly, for the whole clip
    (still,) = redaction.sweeps([[Keyframe(1.0, (0.2, 0.2, 0.1, 0.1))]], 5.0)
    assert still.start == 0.0 and still.end > 5.0
    assert still.box(3.0) == pytest.approx((0.2, 0.2, 0.1, 0.1))


def test_the_graph_has_a_branch_per_track_whatever_the_clip_length() -> None:
    """Sixteen tracks of sixty-four keyframes over an hour: sixteen branches, a graph that
    fits in a file ffmpeg reads at once."""
    tracks = [[Keyframe(k * 56.0, (0.01 * (k % 50), 0.05 * i, 0.1, 0.05)) for k in range(64)]
              for i in range(16)]
    graph = redaction.filter_graph(redaction.sweeps(tracks, 3600.0))
    assert graph.count("gblur=") == graph.count("overlay=") == 16
    assert len(graph) < 1_000_000


def _gray_frame(path: Path, at: float) -> np.ndarray:
    out = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-ss", str(at), "-i",
                          str(path), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray",
                          "-"], capture_output=True, check=True)
    return np.frombuffer(out.stdout, dtype=np.uint8).reshape(240, 320).astype(np.int32)


def detail(frame: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """Mean second difference along rows inside a box (edges, not gradients): high on
    testsrc2's patterns and text, near zero once blurred."""
    x, y, w, h = box
    part = frame[int(y * 240):int((y + h) * 240), int(x * 320):int((x + w) * 320)]
    return float(np.abs(np.diff(part, n=2, axis=1)).mean())


def test_rendering_blurs_inside_the_box_only(tmp_path: Path) -> None:
    source = tmp_path / "clip.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=320x240:rate=10", "-t", "3", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", str(source)], check=True)
    box = (0.25, 0.25, 0.4, 0.4)
    plan = redaction.sweeps(redaction.parse_tracks([[{"t": 0, "box": list(box)}]], 3.0), 3.0)
    out = tmp_path / "blurred.mp4"
    redaction.render("ffmpeg", source, plan, out)
    assert not list(tmp_path.glob(".*.part"))
    before, after = _gray_frame(source, 1.5), _gray_frame(out, 1.5)
    assert detail(after, box) < 0.3 * detail(before, box), (detail(before, box),
                                                            detail(after, box))
    outside = (0.0, 0.75, 1.0, 0.25)
    assert detail(after, outside) > 0.6 * detail(before, outside)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type",
                            "-of", "csv=p=0", str(out)], capture_output=True, text=True,
                           check=True)
    assert probe.stdout.split() == ["video"]  # no sound


def test_a_moving_box_is_blurred_where_it_is_at_each_moment(tmp_path: Path) -> None:
    """The box follows its track frame by frame: blurred where it is, and where it was a
    moment ago the picture is sharp again."""
    source = tmp_path / "clip.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=320x240:rate=10", "-t", "4", "-c:v", "libx264", "-preset",
                    "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", str(source)], check=True)
    track = [{"t": 0, "box": [0.05, 0.3, 0.25, 0.3]}, {"t": 4, "box": [0.7, 0.3, 0.25, 0.3]}]
    plan = redaction.sweeps(redaction.parse_tracks([track], 4.0), 4.0)
    assert len(plan) == 1
    out = tmp_path / "blurred.mp4"
    redaction.render("ffmpeg", source, plan, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blurred.mp4", "clip.mp4"]
    start, end = (0.05, 0.3, 0.25, 0.3), (0.7, 0.3, 0.25, 0.3)
    early, late = plan[0].box(0.3), plan[0].box(3.7)  # where the track is at those moments
    early_before, early_after = _gray_frame(source, 0.3), _gray_frame(out, 0.3)
    late_before, late_after = _gray_frame(source, 3.7), _gray_frame(out, 3.7)
    # early the box is at the start, late at the end: blurred there, sharp at the other place
    # (the colour bars under the start leave little detail to lose: measured 0.35 blurred
    # against 0.94-1.02 sharp, so 0.5 parts them)
    assert detail(early_after, early) < 0.5 * detail(early_before, early)
    assert detail(early_after, end) > 0.8 * detail(early_before, end)
    assert detail(late_after, late) < 0.5 * detail(late_before, late)
    assert detail(late_after, start) > 0.8 * detail(late_before, start)
