"""Placement of wall windows on the screens there are (pure logic)."""

from __future__ import annotations

import pytest

from app.screens import Match, Rect, ScreenInfo, WallWindowState, choose_screen, fit, place

LEFT = ScreenInfo("DP-1", Rect(0, 0, 1920, 1080), primary=True)
RIGHT = ScreenInfo("DP-2", Rect(1920, 0, 2560, 1440))
TV = ScreenInfo("HDMI-1", Rect(0, 1080, 1920, 1080))


def test_restore_by_name_even_when_the_screens_moved() -> None:
    moved_right = ScreenInfo("DP-2", Rect(0, 0, 2560, 1440))
    moved_left = ScreenInfo("DP-1", Rect(2560, 0, 1920, 1080), primary=True)
    window = WallWindowState("screen-2", "DP-2", Rect(1920, 0, 2560, 1440), full_screen=True)
    [p] = place([window], [moved_left, moved_right])
    assert (p.screen.name, p.match, p.geometry) == ("DP-2", Match.NAME, Rect(0, 0, 2560, 1440))


def test_a_windowed_window_keeps_its_geometry_on_its_screen() -> None:
    window = WallWindowState("w", "DP-2", Rect(2000, 100, 800, 600), full_screen=False)
    [p] = place([window], [LEFT, RIGHT])
    assert p.geometry == Rect(2000, 100, 800, 600)


def test_unknown_name_falls_back_to_the_overlapped_screen_then_the_primary() -> None:
    on_tv = WallWindowState("a", "gone", Rect(100, 1200, 800, 600), full_screen=False)
    nowhere = WallWindowState("b", "gone", Rect(9000, 9000, 800, 600), full_screen=True)
    no_geometry = WallWindowState("c", "gone")
    placed = place([on_tv, nowhere, no_geometry], [RIGHT, TV, LEFT])
    assert [(p.screen.name, p.match) for p in placed] == [
        ("HDMI-1", Match.OVERLAP), ("DP-1", Match.PRIMARY), ("DP-1", Match.PRIMARY)]
    assert placed[0].geometry == Rect(100, 1200, 800, 600)
    assert placed[1].geometry == LEFT.geometry  # full screen: the whole screen


def test_the_most_overlapped_screen_wins() -> None:
    window = WallWindowState("a", "", Rect(1800, 0, 1000, 500), full_screen=False)
    assert choose_screen(window, [LEFT, RIGHT]) == (RIGHT, Match.OVERLAP)


def test_no_primary_flag_means_the_first_screen() -> None:
    a, b = ScreenInfo("A", Rect(0, 0, 10, 10)), ScreenInfo("B", Rect(10, 0, 10, 10))
    assert choose_screen(WallWindowState("x"), [a, b]) == (a, Match.PRIMARY)
    with pytest.raises(ValueError):
        choose_screen(WallWindowState("x"), [])


def test_a_removed_screens_window_keeps_its_place_relative_to_the_screen_and_fits() -> None:
    window = WallWindowState("w", "DP-2", Rect(1920 + 300, 200, 2400, 900), full_screen=False)
    [p] = place([window], [LEFT], old_screens=[LEFT, RIGHT])
    assert p.screen == LEFT and p.match is Match.PRIMARY
    # same offset (300, 200) where it fits, width shrunk to the screen, kept inside it
    assert p.geometry == Rect(0, 180, 1920, 900)
    assert fit(Rect(50, 60, 100, 100), Rect(0, 0, 500, 500), Rect(1000, 0, 500, 500)) \
        == Rect(1050, 60, 100, 100)


def test_saved_state_round_trip_and_damaged_entries() -> None:
    state = WallWindowState("screen-1", "DP-2", Rect(1, 2, 3, 4), False, 7, "Cầu Nhật Lệ",
                            "2x2", (3, None, 5, None))
    assert WallWindowState.from_dict(state.to_dict()) == state
    assert WallWindowState.from_dict({"key": ""}) is None
    assert WallWindowState.from_dict("x") is None
    partial = WallWindowState.from_dict({"key": "k", "geometry": [1, 2], "layout_id": "7"})
    assert partial == WallWindowState("k")
