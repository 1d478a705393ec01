"""One cell of the video wall: a title strip and native surfaces libvlc renders into.

The surfaces are native X11/Win32/Cocoa child windows that Qt never paints (libvlc owns their
pixels), so the widget stays ignorant of VLC and the network: the wall asks for
:meth:`video_window_id`, hands it to the video service, and feeds :meth:`set_status` from the
service's signal. Two surfaces sit in the same place so that a new stream can start underneath
the one on screen and be raised once it has a picture (:meth:`spare_window_id`,
:meth:`show_surface`): a switch never shows black.

The overlay badge (connecting, LIVE, STALLED n s, offline with its countdown, REPLAY, no
permission) is a native window too, stacked above the surfaces: Qt cannot paint over a native
window libvlc draws into, and a native window cannot be transparent, so it is an opaque badge.
"""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QMimeData, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import arg
from app.video.status import OfflineReason, StreamState, TileStatus

CAMERA_MIME_TYPE = "application/x-iocwall-camera-id"


def camera_id_from_mime(mime: QMimeData) -> int | None:
    """The camera id carried by a drag from the camera tree, or None if it carries none."""
    if not mime.hasFormat(CAMERA_MIME_TYPE):
        return None
    raw = bytes(mime.data(CAMERA_MIME_TYPE).data()).decode("ascii", "replace").strip()
    try:
        return int(raw)
    except ValueError:
        return None


class VideoSurface(QWidget):
    """The native child window libvlc draws into; Qt paints it black around libvlc's window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # order matters: without DontCreateNativeAncestors first, going native drags every
        # ancestor (tile, wall, splitter) into a native window of its own
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        # Qt fills it black (autoFillBackground below): libvlc's picture is a child X window placed
        # on the letterboxed rectangle, and X clips Qt's fill by it, so only the margins are painted.
        # Opaque (no fill), Qt flushed whatever its backing store last held there on each expose:
        # after a template switch the margins showed earlier tiles' title strips and badges.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, False)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(32, 18)


class OverlayBadge(QLabel):
    """An opaque native label above the video surfaces (see the module docstring)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tileOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAutoFillBackground(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMargin(4)
        self.kind = ""

    def show_kind(self, kind: str, text: str) -> None:
        """Show ``text`` styled for ``kind`` (live, stalled, offline, connecting, replay, ...)."""
        self.kind = kind
        self.setText(text)
        background, foreground = _BADGE_COLOURS.get(kind, ("#202020", "#ffffff"))
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(foreground))
        self.setPalette(palette)
        font = self.font()
        font.setBold(kind in ("stalled", "replay", "no_permission", "offline"))
        self.setFont(font)
        self.setVisible(bool(text))


# (background, text): STALLED is amber (a warning: the picture under it is the last one, not
# live), OFFLINE dark red, REPLAY brown
_BADGE_COLOURS = {
    "live": ("#0b6e2e", "#ffffff"),
    "stalled": ("#ffb000", "#000000"),
    "offline": ("#3a0d0d", "#ffd0d0"),
    "connecting": ("#202020", "#e0e0e0"),
    "replay": ("#8a5a00", "#ffffff"),
    "no_permission": ("#2a2a2a", "#ffb000"),
}


class _VideoStack(QWidget):
    """Alien holder of the two surfaces and the badge (all native, no alien siblings)."""

    def __init__(self, tile: VideoTile) -> None:
        super().__init__(tile)
        self._tile = tile

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._tile._place_children()


class VideoTile(QWidget):
    """A wall cell showing one camera.

    Signals:
        activated(int): the operator double-clicked the tile (argument: tile index).
        camera_dropped(int, int): a camera was dropped from the tree (tile index, camera id).
        replay_requested(int): the replay button or the key R (tile index); the wall toggles
            the service's replay / back_to_live for the tile.
        menu_requested(int, QPoint): a right click (tile index, global position): the wall
            shows the tile's context menu (tours).
        bookmark_requested(int): the bookmark button or the key B on a tile with a camera (tile
            index); the main window opens the bookmark dialog for the tile's camera.
    """

    activated = Signal(int)
    camera_dropped = Signal(int, int)
    replay_requested = Signal(int)
    menu_requested = Signal(int, QPoint)
    bookmark_requested = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.camera_id: int | None = None
        self._camera_name = ""
        self._status: TileStatus | None = None
        self._status_at = 0.0  # monotonic time the status arrived (ages count from there)
        self._no_permission = False
        self.setAcceptDrops(True)
        self.setObjectName("videoTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._name_label = QLabel(self)
        self._name_label.setObjectName("tileCameraName")
        self._name_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._state_label = QLabel(self)
        self._state_label.setObjectName("tileState")
        self._state_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        strip = QWidget(self)
        strip.setObjectName("tileTitleStrip")
        strip_layout = QHBoxLayout(strip)
        strip_layout.setContentsMargins(6, 2, 6, 2)
        self._replay_button = QToolButton(strip)
        self._replay_button.setObjectName("tileReplayButton")
        self._replay_button.setText(self.tr("Replay"))
        self._replay_button.setToolTip(self.tr("Instant replay of the last 30 s (R)"))
        self._replay_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._replay_button.clicked.connect(lambda: self.replay_requested.emit(self.index))
        self._bookmark_button = QToolButton(strip)
        self._bookmark_button.setObjectName("tileBookmarkButton")
        self._bookmark_button.setText(self.tr("Bookmark"))
        self._bookmark_button.setToolTip(self.tr("Bookmark this moment of the camera (B)"))
        self._bookmark_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._bookmark_button.clicked.connect(lambda: self.bookmark_requested.emit(self.index))
        self._ptz_label = QLabel(strip)
        self._ptz_label.setObjectName("tilePtzHolder")
        self._ptz_label.hide()
        self._tour_label = QLabel(strip)
        self._tour_label.setObjectName("tileTourBadge")
        self._tour_label.setToolTip(self.tr("Tour position"))
        self._tour_label.hide()
        strip_layout.addWidget(self._name_label, 1)
        strip_layout.addWidget(self._tour_label, 0)
        strip_layout.addWidget(self._ptz_label, 0)
        strip_layout.addWidget(self._state_label, 0)
        strip_layout.addWidget(self._bookmark_button, 0)
        strip_layout.addWidget(self._replay_button, 0)
        self._strip = strip

        # The native surfaces and badge sit alone in an alien holder: a native widget with alien
        # siblings makes Qt (xcb) turn its parent native too, WA_DontCreateNativeAncestors or
        # not, and a wall of 64 tiles should not become 64 more X windows.
        holder = _VideoStack(self)
        holder.setObjectName("tileVideoHolder")
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        holder.setMinimumSize(32, 18)
        self._holder = holder
        self._surfaces = [VideoSurface(holder), VideoSurface(holder)]
        self._surface = self._surfaces[0]  # the one on top
        self._badge = OverlayBadge(holder)
        self._badge.hide()
        # stacking: the front surface, then the badge above it (siblings stack in creation order)
        self._surface.raise_()
        self._badge.raise_()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._refresh_overlay)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(strip, 0)
        layout.addWidget(holder, 1)
        self.clear()

    # -- what the wall calls ------------------------------------------------------------------

    def video_window_id(self) -> int:
        """The native window on top, to render into (created on first call)."""
        return int(self._surface.winId())

    def spare_window_id(self) -> int:
        """The native window underneath: where a switch or a replay starts before it is shown."""
        return int(self._spare().winId())

    def show_surface(self, window_id: int) -> None:
        """Raise the surface ``window_id`` (the service's ``stream_switched``); the badge stays
        above it. Unknown ids are ignored (a late signal for a tile that was reassigned)."""
        for surface in self._surfaces:
            if surface.internalWinId() and int(surface.internalWinId()) == window_id:
                self._surface = surface
                surface.raise_()
                self._badge.raise_()
                return

    def surface(self) -> QWidget:
        """The native video surface on top (tests grab its screen region)."""
        return self._surface

    def overlay(self) -> QLabel:
        """The badge over the picture (tests read it)."""
        return self._badge

    def overlay_text(self) -> str:
        """What the badge says now ("" when hidden)."""
        return self._badge.text() if self._badge.isVisible() else ""

    def set_tour_badge(self, text: str) -> None:
        """The tour position ("2/5") in the title strip; "" hides it (no tour)."""
        self._tour_label.setText(arg(self.tr("Tour %1"), text) if text else "")
        self._tour_label.setVisible(bool(text))

    def tour_badge(self) -> str:
        """What the tour badge says ("" when hidden)."""
        return self._tour_label.text() if not self._tour_label.isHidden() else ""

    def set_ptz_text(self, text: str, *, problem: bool = False) -> None:
        """Who holds PTZ on this camera, or why PTZ failed ("" hides it)."""
        self._ptz_label.setText(text)
        self._ptz_label.setToolTip(text)
        self._ptz_label.setProperty("problem", problem)
        self._ptz_label.setStyleSheet("color: #ff6060;" if problem else "color: #f0b400;")
        self._ptz_label.setVisible(bool(text))

    def ptz_text(self) -> str:
        """What the PTZ label says ("" when hidden)."""
        return self._ptz_label.text() if not self._ptz_label.isHidden() else ""

    def video_area(self) -> QRect:
        """The picture's rectangle in tile coordinates (PTZ input happens there)."""
        return self._holder.geometry()

    def set_no_permission(self, name: str) -> None:
        """A cell the user may not view (a saved layout names a camera no longer permitted):
        the name and a "no permission" badge, never a picture."""
        self.camera_id = None
        self._camera_name = name
        self._no_permission = True
        self._status = None
        self._name_label.setText(name)
        self._name_label.setToolTip(name)
        self._state_label.setText("")
        self._replay_button.setEnabled(False)
        self._bookmark_button.setEnabled(False)
        self._ticker.stop()
        self._badge.show_kind("no_permission", self.tr("No permission to view this camera"))
        self._place_children()

    def _spare(self) -> VideoSurface:
        return self._surfaces[1] if self._surface is self._surfaces[0] else self._surfaces[0]

    def _place_children(self) -> None:
        rect = self._holder.rect()
        for surface in self._surfaces:
            surface.setGeometry(rect)
        badge = self._badge
        kind = badge.kind
        if kind in ("live", "stalled", "replay"):
            # a corner badge: the picture stays visible around it
            badge.setWordWrap(False)
            hint = badge.sizeHint()
            width = min(hint.width(), max(24, rect.width() - 8))
            badge.setGeometry(QRect(4, 4, width, hint.height()))
        else:
            badge.setWordWrap(True)
            width = max(24, min(rect.width() - 16, 420))
            height = min(rect.height(), badge.heightForWidth(width) if badge.hasHeightForWidth()
                         else badge.sizeHint().height())
            badge.setGeometry(QRect((rect.width() - width) // 2,
                                    (rect.height() - height) // 2, width, max(height, 18)))
        badge.raise_()

    def set_camera(self, camera_id: int, name: str) -> None:
        """Show which camera this tile holds (the stream itself is the service's business)."""
        self.camera_id = camera_id
        self._camera_name = name
        self._name_label.setText(name)
        self._name_label.setToolTip(name)
        self._status = None
        self._no_permission = False
        self._replay_button.setEnabled(True)
        self._bookmark_button.setEnabled(True)
        self.set_ptz_text("")
        self._state_label.setText(self.tr("Connecting…"))
        self._badge.show_kind("connecting", self.tr("Connecting…"))
        self._place_children()

    def clear(self) -> None:
        """Back to an empty cell."""
        self.camera_id = None
        self._camera_name = ""
        self._status = None
        self._no_permission = False
        self._name_label.setText(self.tr("Empty — drop a camera here"))
        self._name_label.setToolTip("")
        self._state_label.setText("")
        self._state_label.setProperty("state", "")
        self._replay_button.setEnabled(False)
        self._bookmark_button.setEnabled(False)
        self.set_ptz_text("")
        self._ticker.stop()
        self._badge.show_kind("", "")

    def set_status(self, status: TileStatus) -> None:
        """Show the stream's health in the title strip and the overlay badge."""
        if self._no_permission:
            return  # the wall never plays such a tile; a late status must not hide the badge
        self._status = status
        self._status_at = time.monotonic()
        self._state_label.setProperty("state", status.state.value)
        # let the stylesheet colour the state (e.g. QLabel#tileState[state="offline"])
        self._state_label.style().unpolish(self._state_label)
        self._state_label.style().polish(self._state_label)
        self._refresh_overlay()
        counting = status.state in (StreamState.STALLED, StreamState.OFFLINE) or (
            status.state is StreamState.CONNECTING and status.reason == OfflineReason.KEYFRAME)
        if counting:
            self._ticker.start()  # (re)started: the ticks fall a whole second after this status
        elif not counting:
            self._ticker.stop()

    def _aged(self, status: TileStatus) -> TileStatus:
        """The status with its ages counted on to now (statuses arrive on changes only)."""
        elapsed = time.monotonic() - self._status_at
        age = None if status.last_frame_age is None else status.last_frame_age + elapsed
        retry = None if status.retry_in is None else max(0.0, status.retry_in - elapsed)
        waiting = None if status.waiting_s is None else status.waiting_s + elapsed
        return replace(status, last_frame_age=age, retry_in=retry, waiting_s=waiting)

    def _refresh_overlay(self) -> None:
        status = self._status
        if status is None or self._no_permission:
            return
        status = self._aged(status)
        self._state_label.setText(self.state_text(status))
        kind, text = self.overlay_for(status)
        self._badge.show_kind(kind, text)
        self._place_children()

    def overlay_for(self, status: TileStatus) -> tuple[str, str]:
        """The badge (kind, translated text) for a status."""
        state = status.state
        if state is StreamState.CONNECTING:
            if status.reason == OfflineReason.KEYFRAME:
                seconds = int(status.waiting_s or 0)
                return "connecting", self.tr(
                    "Waiting for the camera's key frame… %n s", "", seconds)
            return "connecting", self.tr("Connecting…")
        if state is StreamState.LIVE:
            return "live", self.tr("LIVE")
        if state is StreamState.STALLED:
            seconds = int(status.last_frame_age or 0)
            return "stalled", self.tr("STALLED — no new picture for %n s", "", seconds)
        if state is StreamState.OFFLINE:
            reason = self._reason_text(status.reason) or self.tr("offline")
            if status.retry_in is None:
                return "offline", arg(self.tr("Offline: %1"), reason)
            seconds = max(1, int(status.retry_in + 0.999))
            return "offline", arg(self.tr("Offline: %1 — reconnecting in %n s", "", seconds),
                                  reason)
        if state is StreamState.REPLAY:
            behind = int(status.replay_offset or 0)
            return "replay", self.tr("REPLAY — %n s behind live (R: back to live)", "", behind)
        return "", ""

    def status(self) -> TileStatus | None:
        """The last status shown (None before any)."""
        return self._status

    def camera_name(self) -> str:
        """The camera's display name ("" when empty)."""
        return self._camera_name

    def state_text(self, status: TileStatus) -> str:
        """The operator-facing text for a status, translated."""
        state = status.state
        if state is StreamState.CONNECTING:
            return self.tr("Connecting…")
        if state is StreamState.LIVE:
            return self.tr("Live")
        if state is StreamState.STALLED:
            if status.last_frame_age is not None:
                return self.tr("Frozen %n s", "", int(status.last_frame_age))
            return self.tr("Frozen")
        if state is StreamState.OFFLINE:
            reason = self._reason_text(status.reason)
            return arg(self.tr("Offline: %1"), reason) if reason else self.tr("Offline")
        if state is StreamState.REPLAY:
            return self.tr("Replay")
        return self.tr("Stopped")

    def _reason_text(self, reason: str | None) -> str:
        texts = {
            "refused": self.tr("connection refused"),
            "auth failed": self.tr("wrong camera credentials"),
            "timeout": self.tr("no answer"),
            "not found": self.tr("stream not found"),
            "forbidden": self.tr("access denied"),
            "disconnected": self.tr("disconnected"),
            "no video": self.tr("no video"),
            "renderer failed": self.tr("player error"),
            "gateway": self.tr("video gateway unreachable"),
            "camera unreachable": self.tr("the gateway cannot reach the camera"),
            "no session": self.tr("the server granted no viewing session"),
            "untrusted certificate": self.tr("the video gateway's certificate is not from this "
                                             "system's certificate authority: not connected"),
            "error": self.tr("error"),
        }
        if reason is None:
            return ""
        return texts.get(reason, reason)

    # -- input ----------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if (
            event.key() == Qt.Key.Key_R
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.camera_id is not None
        ):
            self.replay_requested.emit(self.index)
            event.accept()
            return
        if (
            event.key() == Qt.Key.Key_B
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.camera_id is not None
            and not event.isAutoRepeat()
        ):
            self.bookmark_requested.emit(self.index)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        self.menu_requested.emit(self.index, event.globalPos())
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.index)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if camera_id_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt override)
        if camera_id_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        camera_id = camera_id_from_mime(event.mimeData())
        if camera_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.camera_dropped.emit(self.index, camera_id)
