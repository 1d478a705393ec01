"""The camera tree: wards, then camera systems, then cameras; a search box filters it.

Grouping and matching live in :mod:`app.camera_groups`; this widget only renders them. Cameras can
be double-clicked (``camera_activated``) or dragged onto a tile (mime
``application/x-iocwall-camera-id``, the camera id as ASCII digits); a ward or system group drags
out as the ids of every camera under it, in tree order (mime ``application/x-iocwall-camera-ids``,
comma-separated), and the wall fills free tiles with them.

Signals:
    camera_activated(int): a camera was double-clicked (or Enter pressed on it).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from app.camera_groups import group_cameras
from app.domain import Camera
from common.vocabulary import CameraSystem

CAMERA_MIME = "application/x-iocwall-camera-id"
CAMERA_LIST_MIME = "application/x-iocwall-camera-ids"
CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


class CameraModel(QStandardItemModel):
    """Standard item model whose camera rows drag out as camera ids."""

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME, CAMERA_LIST_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        for index in indexes:
            camera_id = index.data(CAMERA_ID_ROLE)
            if camera_id is not None:
                data.setData(CAMERA_MIME, str(int(camera_id)).encode("ascii"))
                data.setText(str(index.data(Qt.ItemDataRole.DisplayRole)))
                break
            ids = self.camera_ids_under(index)
            if ids:
                data.setData(CAMERA_LIST_MIME, ",".join(map(str, ids)).encode("ascii"))
                data.setText(str(index.data(Qt.ItemDataRole.DisplayRole)))
                break
        return data

    def camera_ids_under(self, index: QModelIndex) -> list[int]:
        """Every camera id below a ward or system row, in tree order."""
        ids: list[int] = []
        for row in range(self.rowCount(index)):
            child = self.index(row, 0, index)
            camera_id = child.data(CAMERA_ID_ROLE)
            if camera_id is not None:
                ids.append(int(camera_id))
            else:
                ids.extend(self.camera_ids_under(child))
        return ids

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


class CameraTree(QWidget):
    camera_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cameras: list[Camera] = []
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("cameraSearch")
        self.search_edit.setPlaceholderText(self.tr("Search cameras…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._refresh)

        self.model = CameraModel(self)
        self.view = QTreeView()
        self.view.setObjectName("cameraTree")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.activated.connect(self._on_activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.view)

    def system_label(self, system: CameraSystem) -> str:
        return {
            CameraSystem.SMART_CITY: self.tr("Smart-city cameras"),
            CameraSystem.PUBLIC: self.tr("Public cameras"),
            CameraSystem.TRAFFIC: self.tr("Traffic cameras"),
        }[system]

    def set_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = list(cameras)
        self._refresh()

    def _refresh(self) -> None:
        self.model.clear()
        root = self.model.invisibleRootItem()
        for ward in group_cameras(self._cameras, self.search_edit.text()):
            ward_item = _group_item(f"{ward.ward} ({ward.camera_count})", "ward")
            for system in ward.systems:
                system_item = _group_item(
                    f"{self.system_label(system.system)} ({len(system.cameras)})", "system")
                for camera in system.cameras:
                    item = QStandardItem(camera.name)
                    item.setData(camera.id, CAMERA_ID_ROLE)
                    item.setData("camera", KIND_ROLE)
                    item.setToolTip(camera.location)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                  | Qt.ItemFlag.ItemIsDragEnabled)
                    system_item.appendRow(item)
                ward_item.appendRow(system_item)
            root.appendRow(ward_item)
        self.view.expandAll()

    def _on_activated(self, index: QModelIndex) -> None:
        camera_id = index.data(CAMERA_ID_ROLE)
        if camera_id is not None:
            self.camera_activated.emit(int(camera_id))

    # -- introspection used by tests and the main window ----------------------------------------
    def structure(self) -> list[tuple[str, list[tuple[str, list[str]]]]]:
        """(ward text, [(system text, [camera names])]) as currently shown."""
        result = []
        for w in range(self.model.rowCount()):
            ward = self.model.item(w)
            systems = []
            for s in range(ward.rowCount()):
                system = ward.child(s)
                systems.append((system.text(),
                                [system.child(c).text() for c in range(system.rowCount())]))
            result.append((ward.text(), systems))
        return result

    def camera_index(self, camera_id: int) -> QModelIndex | None:
        matches = self.model.match(self.model.index(0, 0), CAMERA_ID_ROLE, camera_id, 1,
                                   Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
        return matches[0] if matches else None


def _group_item(text: str, kind: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(kind, KIND_ROLE)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDragEnabled)
    return item
