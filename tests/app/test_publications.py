"""The tracks sent for blurring: the n-th box of every keyframe is the same object, in time."""

from __future__ import annotations

from app.publications import tracks_from_keyframes


def test_the_nth_box_of_each_moment_is_one_track_in_time_order() -> None:
    keyframes = {2.5: [(0.5, 0.5, 0.1, 0.1), (0.2, 0.2, 0.05, 0.05)],
                 0.0: [(0.1, 0.1, 0.1, 0.1)],
                 1.0: [(0.3, 0.3, 0.1, 0.1), (0.25, 0.2, 0.05, 0.05)]}
    assert tracks_from_keyframes(keyframes) == [
        [{"t": 0.0, "box": [0.1, 0.1, 0.1, 0.1]}, {"t": 1.0, "box": [0.3, 0.3, 0.1, 0.1]},
         {"t": 2.5, "box": [0.5, 0.5, 0.1, 0.1]}],
        [{"t": 1.0, "box": [0.25, 0.2, 0.05, 0.05]}, {"t": 2.5, "box": [0.2, 0.2, 0.05, 0.05]}],
    ]
    assert tracks_from_keyframes({}) == []
    assert tracks_from_keyframes({1.23456: [(0.123456, 0, 0.5, 0.5)]}) == [
        [{"t": 1.235, "box": [0.1235, 0.0, 0.5, 0.5]}]]
