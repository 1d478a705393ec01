"""Which stream a tile should play: the camera's main (high resolution) or its sub stream.

A 360p sub stream costs a fraction of a 1080p main one to receive and decode; the wall plays main
only where the picture is big enough to show it. The decision is pure logic (no Qt, no clock of
its own) so it can be tested with a fake clock: the wall feeds it each tile's physical pixel height
on resize, layout change and maximise, and switches the stream when it answers.

Hysteresis keeps a tile near the threshold from flapping; the minimum interval keeps a wall that
is being resized from churning connections (each switch opens a new RTSP session). Maximising is
an explicit operator request: it and its return act at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.vocabulary import CameraStream

StreamKind = CameraStream  # the wall's name for the shared word


@dataclass(frozen=True)
class StreamChoicePolicy:
    """Thresholds of :class:`StreamChooser`.

    ``threshold_px`` is in physical pixels (height × devicePixelRatio). A tile on SUB goes MAIN
    above ``threshold_px × (1 + hysteresis)``; a tile on MAIN goes SUB below
    ``threshold_px × (1 - hysteresis)``. More than ``max_main_visible`` visible tiles → all SUB.
    """

    threshold_px: float = 400.0
    hysteresis: float = 0.15
    min_interval: float = 5.0
    max_main_visible: int = 16

    def __post_init__(self) -> None:
        if self.threshold_px <= 0 or not 0 <= self.hysteresis < 1 or self.min_interval < 0:
            raise ValueError("invalid stream choice policy")


@dataclass
class _Choice:
    kind: StreamKind
    at: float
    maximized: bool


class StreamChooser:
    """Decides MAIN or SUB per tile; remembers what each tile plays and since when."""

    def __init__(self, policy: StreamChoicePolicy | None = None) -> None:
        self.policy = policy or StreamChoicePolicy()
        self._choices: dict[str, _Choice] = {}

    def current(self, tile_key: str) -> StreamKind | None:
        """What the tile was last told to play (None for a tile never decided)."""
        choice = self._choices.get(tile_key)
        return None if choice is None else choice.kind

    def forget(self, tile_key: str) -> None:
        """The tile no longer plays (cleared, camera changed): its next decision is fresh."""
        self._choices.pop(tile_key, None)

    def wanted(self, pixel_height: float, visible_tiles: int, current: StreamKind | None) -> StreamKind:
        """The stream a tile of this size should play, ignoring timing."""
        policy = self.policy
        if visible_tiles > policy.max_main_visible:
            return StreamKind.SUB
        if current is StreamKind.MAIN:
            low = policy.threshold_px * (1 - policy.hysteresis)
            return StreamKind.SUB if pixel_height < low else StreamKind.MAIN
        if current is StreamKind.SUB:
            high = policy.threshold_px * (1 + policy.hysteresis)
            return StreamKind.MAIN if pixel_height > high else StreamKind.SUB
        return StreamKind.MAIN if pixel_height >= policy.threshold_px else StreamKind.SUB

    def decide(
        self,
        tile_key: str,
        pixel_height: float,
        visible_tiles: int,
        maximized: bool,
        now: float,
    ) -> StreamKind | None:
        """The stream to switch to, or None to keep what plays.

        The first call for a tile always answers (and starts its 5 s clock). A maximised tile
        gets MAIN at once; the call that sees it no longer maximised answers at once too.
        Otherwise a change is answered only ``min_interval`` after the tile's last change.
        """
        choice = self._choices.get(tile_key)
        if maximized:
            target = StreamKind.MAIN
        else:
            target = self.wanted(pixel_height, visible_tiles, None if choice is None else choice.kind)
        if choice is None:
            self._choices[tile_key] = _Choice(target, now, maximized)
            return target
        bypass = maximized != choice.maximized
        choice.maximized = maximized
        if target is choice.kind:
            return None
        if not bypass and now - choice.at < self.policy.min_interval:
            return None
        choice.kind, choice.at = target, now
        return target
