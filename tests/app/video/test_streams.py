"""StreamChooser: sub/main by physical height, hysteresis, the 5 s rule, maximise, > 16 tiles."""

from __future__ import annotations

import pytest

from app.video.streams import StreamChoicePolicy, StreamChooser, StreamKind

MAIN, SUB = StreamKind.MAIN, StreamKind.SUB


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


def test_first_decision_follows_the_threshold() -> None:
    chooser = StreamChooser()
    assert chooser.decide("a", 1080, 1, False, 0.0) is MAIN
    assert chooser.decide("b", 270, 4, False, 0.0) is SUB
    assert chooser.decide("c", 400, 4, False, 0.0) is MAIN  # at the threshold: main
    assert chooser.decide("d", 399, 4, False, 0.0) is SUB
    assert chooser.current("a") is MAIN and chooser.current("b") is SUB
    assert chooser.current("never") is None


def test_same_answer_is_none() -> None:
    clock = FakeClock()
    chooser = StreamChooser()
    assert chooser.decide("a", 300, 4, False, clock.now) is SUB
    assert chooser.decide("a", 310, 4, False, clock.advance(10)) is None


def test_hysteresis_keeps_a_tile_near_the_threshold() -> None:
    clock = FakeClock()
    chooser = StreamChooser(StreamChoicePolicy(threshold_px=400, hysteresis=0.15))
    assert chooser.decide("a", 390, 4, False, clock.now) is SUB
    # above the threshold but within +15 %: stays sub
    assert chooser.decide("a", 450, 4, False, clock.advance(10)) is None
    assert chooser.decide("a", 461, 4, False, clock.advance(10)) is MAIN
    # below the threshold but within -15 %: stays main
    assert chooser.decide("a", 350, 4, False, clock.advance(10)) is None
    assert chooser.decide("a", 339, 4, False, clock.advance(10)) is SUB
    assert chooser.current("a") is SUB


def test_at_least_five_seconds_between_switches() -> None:
    clock = FakeClock()
    chooser = StreamChooser()
    assert chooser.decide("a", 300, 4, False, clock.now) is SUB
    assert chooser.decide("a", 1000, 1, False, clock.advance(1.0)) is None
    assert chooser.decide("a", 1000, 1, False, clock.advance(3.9)) is None
    assert chooser.decide("a", 1000, 1, False, clock.advance(0.2)) is MAIN  # 5.1 s after
    assert chooser.decide("a", 200, 9, False, clock.advance(4.0)) is None
    assert chooser.decide("a", 200, 9, False, clock.advance(1.5)) is SUB
    # the clock is per tile
    assert chooser.decide("b", 1000, 1, False, clock.now) is MAIN


def test_more_than_sixteen_visible_tiles_is_all_sub() -> None:
    clock = FakeClock()
    chooser = StreamChooser()
    assert chooser.decide("a", 800, 16, False, clock.now) is MAIN
    assert chooser.decide("b", 800, 17, False, clock.now) is SUB
    assert chooser.decide("a", 800, 25, False, clock.advance(6)) is SUB


def test_maximise_and_return_bypass_the_interval() -> None:
    clock = FakeClock()
    chooser = StreamChooser()
    assert chooser.decide("a", 200, 64, False, clock.now) is SUB
    # maximised 0.1 s later: main at once, even with 64 tiles on the wall
    assert chooser.decide("a", 1000, 64, True, clock.advance(0.1)) is MAIN
    assert chooser.decide("a", 1000, 64, True, clock.advance(0.1)) is None
    # back from maximise 0.5 s later: sub at once
    assert chooser.decide("a", 200, 64, False, clock.advance(0.5)) is SUB
    # a plain resize right after that waits for the 5 s rule again
    assert chooser.decide("a", 900, 1, False, clock.advance(0.5)) is None
    assert chooser.decide("a", 900, 1, False, clock.advance(5.0)) is MAIN


def test_return_from_maximise_to_a_big_tile_keeps_main() -> None:
    clock = FakeClock()
    chooser = StreamChooser()
    assert chooser.decide("a", 500, 4, False, clock.now) is MAIN
    assert chooser.decide("a", 1000, 4, True, clock.advance(1)) is None
    assert chooser.decide("a", 500, 4, False, clock.advance(1)) is None


def test_forget_makes_the_next_decision_fresh() -> None:
    clock = FakeClock()
    chooser = StreamChooser()
    assert chooser.decide("a", 300, 4, False, clock.now) is SUB
    chooser.forget("a")
    assert chooser.current("a") is None
    assert chooser.decide("a", 900, 1, False, clock.advance(0.1)) is MAIN


def test_invalid_policy_is_refused() -> None:
    with pytest.raises(ValueError):
        StreamChoicePolicy(threshold_px=0)
    with pytest.raises(ValueError):
        StreamChoicePolicy(hysteresis=1.0)
