"""One cell of the video wall: a title strip and a native surface libvlc renders into.

The surface is a native X11/Win32/Cocoa child window that Qt never paints (libvlc owns its pixels),
so the widget stays ignorant of VLC and the network: the wall asks for :meth:`video_window_id`,
hands it to the video service, and feeds :meth:`set_status` from the service's signal.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.video.status import StreamState, TileStatus

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
    """The native child window libvlc draws into; Qt paints nothing on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # order matters: without DontCreateNativeAncestors first, going native drags every
        # ancestor (tile, wall, splitter) into a native window of its own
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        # No Qt painting over libvlc's pixels; the black comes from the native window background.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, False)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(32, 18)


class VideoTile(QWidget):
    """A wall cell showing one camera.

    Signals:
        activated(int): the operator double-clicked the tile (argument: tile index).
        camera_dropped(int, int): a camera was dropped from the tree (tile index, camera id).
    """

    activated = Signal(int)
    camera_dropped = Signal(int, int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.camera_id: int | None = None
        self._camera_name = ""
        self._status: TileStatus | None = None
        self.setAcceptDrops(True)
        self.setObjectName("videoTile")

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
        strip_layout.addWidget(self._name_label, 1)
        strip_layout.addWidget(self._state_label, 0)
        self._strip = strip

        # The native surface sits alone in an alien holder: a native widget with alien siblings
        # makes Qt (xcb) turn its parent native too, WA_DontCreateNativeAncestors or not, and a
        # wall of 64 tiles should not become 64 more X windows.
        holder = QWidget(self)
        holder.setObjectName("tileVideoHolder")
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        self._surface = VideoSurface(holder)
        holder_layout.addWidget(self._surface)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(strip, 0)
        layout.addWidget(holder, 1)
        self.clear()

    # -- what the wall calls ------------------------------------------------------------------

    def video_window_id(self) -> int:
        """The native window handle to render into (created on first call)."""
        return int(self._surface.winId())

    def surface(self) -> QWidget:
        """The native video surface (tests grab its screen region)."""
        return self._surface

    def set_camera(self, camera_id: int, name: str) -> None:
        """Show which camera this tile holds (the stream itself is the service's business)."""
        self.camera_id = camera_id
        self._camera_name = name
        self._name_label.setText(name)
        self._name_label.setToolTip(name)
        self._status = None
        self._state_label.setText(self.tr("Connecting…"))

    def clear(self) -> None:
        """Back to an empty cell."""
        self.camera_id = None
        self._camera_name = ""
        self._status = None
        self._name_label.setText(self.tr("Empty — drop a camera here"))
        self._name_label.setToolTip("")
        self._state_label.setText("")
        self._state_label.setProperty("state", "")

    def set_status(self, status: TileStatus) -> None:
        """Show the stream's health in the title strip."""
        self._status = status
        self._state_label.setText(self.state_text(status))
        self._state_label.setProperty("state", status.state.value)
        # let the stylesheet colour the state (e.g. QLabel#tileState[state="offline"])
        self._state_label.style().unpolish(self._state_label)
        self._state_label.style().polish(self._state_label)

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
            return self.tr("Offline: %1").replace("%1", reason) if reason else self.tr("Offline")
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
            "error": self.tr("error"),
        }
        if reason is None:
            return ""
        return texts.get(reason, reason)

    # -- input ----------------------------------------------------------------------------------

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
