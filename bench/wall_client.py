"""The client side of ``bench.bench_wall``: a grid of tiles in its own process, driven over pipes.

    python -m bench.wall_client --backend vlc|qtmm --tiles N

Runs in a child process so that psutil can count the client's CPU and memory alone (not the
lab's, not the bench's). The parent writes one JSON command per line on stdin; this process
answers with one JSON event per line on stdout. Times are ``time.monotonic()``, which on Linux is
the same clock in every process, so the parent can compare them with its own.

Commands: ``{"cmd": "play", "tiles": [[slot, url, label], ...]}``, ``{"cmd": "stop", "slots":
[...]}``, ``{"cmd": "stats"}`` (vlc: answered by ``{"ev": "stats", "slots": {slot: {"state",
"fps", "width", "height"}}}``, the tiles' own figures), ``{"cmd": "unmute", "slot"}`` (vlc:
the tile's audio on), ``{"cmd": "quit"}``. Events: ``{"ev": "ready"}`` once the tiles are shown,
``{"ev": "played", "slot", "t"}`` just before each play call, ``{"ev": "state", "slot", "state",
"t"}`` on every state change (``live`` = the first picture is on screen), ``{"ev": "stopped",
"slot", "t"}``, ``{"ev": "error", "detail"}``.

Backends:
- ``vlc``: the wall's own pipeline through the public API (``app.video.VideoService`` into
  ``widgets.tile.VideoTile`` surfaces). First picture = the first ``LIVE`` the service reports
  (its watchdog notices a new displayed picture within one 0.1 s tick).
- ``qtmm``: the peer a user could pick instead, PySide6's QtMultimedia (``QMediaPlayer`` +
  ``QVideoWidget``, FFmpeg backend). First picture = the first frame handed to the widget's video
  sink. Needs ``QT_XCB_GL_INTEGRATION=none`` on a GPU-less box (its software GL path costs more
  than all the decoding); the parent sets it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget


def emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class _StdinReader(QObject):
    """Reads command lines on a thread and hands them to the GUI thread (queued signal)."""

    line = Signal(str)

    def start(self) -> None:
        threading.Thread(target=self._run, name="bench-stdin", daemon=True).start()

    def _run(self) -> None:
        for raw in sys.stdin:
            self.line.emit(raw)
        self.line.emit('{"cmd": "quit"}')  # parent gone: leave


class _Backend(QObject):
    def __init__(self, grid: QGridLayout, tiles: int) -> None:
        super().__init__()
        self.grid = grid
        self.columns = max(1, math.ceil(math.sqrt(tiles)))

    def play(self, slot: int, url: str, label: str) -> None:
        raise NotImplementedError

    def stop(self, slot: int) -> None:
        raise NotImplementedError

    def stats(self) -> dict[str, dict[str, Any]]:
        """What each playing tile reports of itself (empty: the backend reports nothing)."""
        return {}

    def unmute(self, slot: int) -> None:
        """The tile's audio on (where the backend can)."""

    def shutdown(self) -> None:
        raise NotImplementedError


def _video_options() -> dict[str, Any]:
    """``VideoService`` keyword arguments from ``BENCH_WALL_VIDEO`` (JSON; bench A/B runs):
    ``feed``, and ``decoder_threads`` / ``scaler`` for its ``DecodeOptions``."""
    raw = json.loads(os.environ.get("BENCH_WALL_VIDEO") or "{}")
    options: dict[str, Any] = {}
    if "feed" in raw:
        options["feed"] = raw.pop("feed")
    if raw:
        from app.video.player import DecodeOptions

        options["decode"] = DecodeOptions(**raw)
    return options


class VlcBackend(_Backend):
    """The wall's pipeline: ``VideoService`` rendering into ``VideoTile`` native surfaces."""

    def __init__(self, grid: QGridLayout, tiles: int) -> None:
        super().__init__(grid, tiles)
        from app.video import StreamState, VideoService
        from widgets.tile import VideoTile

        self._stopped = StreamState.STOPPED
        self.video = VideoService(**_video_options())
        self.video.tile_status_changed.connect(self._on_status)
        self.tiles = []
        for i in range(tiles):
            tile = VideoTile(i)
            grid.addWidget(tile, i // self.columns, i % self.columns)
            self.tiles.append(tile)

    def play(self, slot: int, url: str, label: str) -> None:
        tile = self.tiles[slot]
        tile.set_camera(slot, label)
        window_id = tile.video_window_id()
        emit({"ev": "played", "slot": slot, "t": time.monotonic()})
        self.video.play(str(slot), url, window_id, label)

    def stop(self, slot: int) -> None:
        self.video.stop(str(slot))

    def unmute(self, slot: int) -> None:
        self.video.set_muted(str(slot), False)

    def stats(self) -> dict[str, dict[str, Any]]:
        out = {}
        for key in self.video.tile_keys():
            status = self.video.status(key)
            out[key] = {"state": status.state.value, "fps": status.fps,
                        "width": status.width, "height": status.height}
        return out

    @Slot(str, object)
    def _on_status(self, key: str, status: Any) -> None:
        now = time.monotonic()
        slot = int(key)
        self.tiles[slot].set_status(status)
        if status.state == self._stopped:
            emit({"ev": "stopped", "slot": slot, "t": now})
        else:
            emit({"ev": "state", "slot": slot, "state": status.state.value,
                  "reason": status.reason, "t": now})

    def shutdown(self) -> None:
        self.video.shutdown()


class QtMultimediaBackend(_Backend):
    """The peer: one ``QMediaPlayer`` per tile into a ``QVideoWidget``."""

    def __init__(self, grid: QGridLayout, tiles: int) -> None:
        super().__init__(grid, tiles)
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.widgets = []
        self.players: dict[int, Any] = {}
        self._first_seen: dict[int, bool] = {}
        for i in range(tiles):
            widget = QVideoWidget()
            grid.addWidget(widget, i // self.columns, i % self.columns)
            self.widgets.append(widget)

    def play(self, slot: int, url: str, label: str) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QMediaPlayer

        self.stop(slot)
        player = QMediaPlayer()
        widget = self.widgets[slot]
        player.setVideoOutput(widget)
        self._first_seen[slot] = False
        sink = widget.videoSink()
        sink.videoFrameChanged.connect(lambda _frame, s=slot: self._on_frame(s))
        player.errorOccurred.connect(
            lambda _error, text, s=slot: emit({"ev": "state", "slot": s, "state": "offline",
                                               "reason": text, "t": time.monotonic()})
        )
        self.players[slot] = player
        player.setSource(QUrl(url))
        emit({"ev": "played", "slot": slot, "t": time.monotonic()})
        emit({"ev": "state", "slot": slot, "state": "connecting", "reason": None,
              "t": time.monotonic()})
        player.play()

    def _on_frame(self, slot: int) -> None:
        if slot in self.players and not self._first_seen.get(slot, True):
            self._first_seen[slot] = True
            emit({"ev": "state", "slot": slot, "state": "live", "reason": None,
                  "t": time.monotonic()})

    def stop(self, slot: int) -> None:
        player = self.players.pop(slot, None)
        if player is None:
            return
        self._first_seen.pop(slot, None)
        widget = self.widgets[slot]
        widget.videoSink().videoFrameChanged.disconnect()
        player.stop()
        player.setVideoOutput(None)
        player.deleteLater()
        emit({"ev": "stopped", "slot": slot, "t": time.monotonic()})

    def shutdown(self) -> None:
        for slot in list(self.players):
            self.stop(slot)


class Controller(QObject):
    def __init__(self, app: QApplication, backend: _Backend) -> None:
        super().__init__()
        self.app = app
        self.backend = backend

    @Slot(str)
    def on_line(self, raw: str) -> None:
        raw = raw.strip()
        if not raw:
            return
        command = json.loads(raw)
        cmd = command["cmd"]
        if cmd == "play":
            for slot, url, label in command["tiles"]:
                self.backend.play(int(slot), str(url), str(label))
        elif cmd == "stop":
            for slot in command["slots"]:
                self.backend.stop(int(slot))
        elif cmd == "unmute":
            self.backend.unmute(int(command["slot"]))
        elif cmd == "stats":
            emit({"ev": "stats", "slots": self.backend.stats(), "t": time.monotonic()})
        elif cmd == "quit":
            self.backend.shutdown()
            self.app.quit()
        else:
            emit({"ev": "error", "detail": f"unknown command {cmd!r}"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("vlc", "qtmm"), required=True)
    parser.add_argument("--tiles", type=int, required=True)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args(argv)

    app = QApplication([sys.argv[0]])
    window = QWidget()
    window.setWindowTitle(f"bench wall ({args.backend}, {args.tiles} tiles)")
    grid = QGridLayout(window)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(1)
    backend: _Backend
    if args.backend == "vlc":
        backend = VlcBackend(grid, args.tiles)
    else:
        from PySide6.QtCore import QThreadPool

        # as in the probe behind the reference numbers (thread pool raised to 32)
        QThreadPool.globalInstance().setMaxThreadCount(32)
        backend = QtMultimediaBackend(grid, args.tiles)
    window.setGeometry(0, 0, args.width, args.height)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.show()
    controller = Controller(app, backend)
    reader = _StdinReader()
    reader.line.connect(controller.on_line, Qt.ConnectionType.QueuedConnection)
    reader.start()
    app.processEvents()
    emit({"ev": "ready", "pid": app.applicationPid()})
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
