"""Filling the markers of a translated string (reordered markers: tests/widgets/test_splash.py)."""

from __future__ import annotations

from app.i18n import arg


def test_a_value_is_inserted_as_it_is() -> None:
    """A path or an error may hold a marker of its own (URL encoding: ``%20``, ``%2F``)."""
    assert arg("cannot write %1: %2", "/tmp/a%2Fb", "full") == "cannot write /tmp/a%2Fb: full"
    assert arg("%1 (%2)", "x", "%1 done") == "x (%1 done)"


def test_a_marker_without_a_value_stays() -> None:
    assert arg("%1 of %2", 3) == "3 of %2"
