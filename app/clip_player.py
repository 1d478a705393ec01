"""The built-in player of a downloaded clip (libvlc; app side).

A local MP4 is played by libvlc straight from the file (no ingest, no buffer), rendered into a
native window id the widget hands over. Position and state are read on the GUI thread by a timer
(libvlc's own events arrive on its threads; polling avoids the hop). Times are shown in the
city's zone: the manifest's ``clip_start`` (the keyframe the file begins at) plus the position.

Signals:
    position_changed(int, int): ``(position ms, length ms)`` while a clip is open (length 0 until
        libvlc knows it).
    state_changed(str): ``opening``, ``playing``, ``paused``, ``ended``, ``error``, ``stopped``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import vlc
from PySide6.QtCore import QObject, QTimer, Signal

from app.bookmarks import parse_time, vn_time
from app.video.player import attach_window, instance_args

log = logging.getLogger("iocwall.video")

_STATES = {
    vlc.State.NothingSpecial: "stopped",
    vlc.State.Opening: "opening",
    vlc.State.Buffering: "playing",
    vlc.State.Playing: "playing",
    vlc.State.Paused: "paused",
    vlc.State.Stopped: "stopped",
    vlc.State.Ended: "ended",
    vlc.State.Error: "error",
}


class ClipPlayer(QObject):
    """One libvlc player for clips. GUI thread only; see the module docstring for signals."""

    position_changed = Signal(int, int)
    state_changed = Signal(str)

    def __init__(self, instance: vlc.Instance | None = None, parent: QObject | None = None,
                 *, poll_ms: int = 100) -> None:
        super().__init__(parent)
        self._own_instance = instance is None
        self._instance = instance or vlc.Instance(instance_args("auto", muted=False))
        if self._instance is None:
            raise RuntimeError("libvlc could not start (is the libvlc package installed?)")
        self._player: vlc.MediaPlayer = self._instance.media_player_new()
        self._player.video_set_mouse_input(False)
        self._player.video_set_key_input(False)
        self._media: vlc.Media | None = None
        self.path: Path | None = None
        self.clip_start: datetime | None = None
        self._state = "stopped"
        self._last = (-1, -1)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._poll)

    # -- control ---------------------------------------------------------------------------------
    def open(self, path: Path, window_id: int, manifest: dict[str, Any] | None = None,
             *, autoplay: bool = True) -> None:
        """Open ``path`` into ``window_id``; ``manifest`` (the body) gives the times in UTC+7."""
        self.stop()
        self.path = Path(path)
        self.clip_start = None
        if manifest:
            value = manifest.get("clip_start") or manifest.get("start")
            if value:
                self.clip_start = parse_time(value)
        media = self._instance.media_new_path(str(self.path))
        if media is None:
            raise RuntimeError(f"libvlc cannot open {self.path.name}")
        self._media = media
        self._player.set_media(media)
        attach_window(self._player, window_id)
        self._set_state("opening")
        if autoplay:
            self.play()
        self._timer.start()

    def play(self) -> None:
        if self._media is None:
            return
        if self._player.get_state() == vlc.State.Ended:
            self._player.stop()  # libvlc cannot resume an ended media: start it again
        if self._player.play() != 0:
            self._set_state("error")

    def pause(self) -> None:
        if self._media is not None and self._player.is_playing():
            self._player.set_pause(1)

    def toggle(self) -> None:
        if self._player.is_playing():
            self.pause()
        else:
            self.play()

    def seek(self, position_ms: int) -> None:
        """Jump to ``position_ms`` from the clip's start (clamped to the clip)."""
        if self._media is None:
            return
        length = self.length_ms()
        target = max(0, int(position_ms))
        if length > 0:
            target = min(target, max(0, length - 1))
        self._player.set_time(target)

    def stop(self) -> None:
        self._timer.stop()
        if self._media is not None:
            self._player.stop()
            self._media.release()
            self._media = None
        self._last = (-1, -1)
        self._set_state("stopped")

    def release(self) -> None:
        """Stop and free libvlc's player (and the instance when it is this player's own)."""
        self.stop()
        self._player.release()
        if self._own_instance:
            self._instance.release()

    # -- state -----------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def is_open(self) -> bool:
        return self._media is not None

    def position_ms(self) -> int:
        return max(0, int(self._player.get_time())) if self._media is not None else 0

    def length_ms(self) -> int:
        return max(0, int(self._player.get_length())) if self._media is not None else 0

    def wall_time(self, position_ms: int | None = None) -> datetime | None:
        """The recorded moment at ``position_ms`` (default: now playing), in UTC+7."""
        if self.clip_start is None:
            return None
        position = self.position_ms() if position_ms is None else position_ms
        return vn_time(self.clip_start + timedelta(milliseconds=position))

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _poll(self) -> None:
        if self._media is None:
            return
        self._set_state(_STATES.get(self._player.get_state(), self._state))
        now = (self.position_ms(), self.length_ms())
        if now != self._last:
            self._last = now
            self.position_changed.emit(*now)
