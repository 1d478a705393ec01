"""The wall: a grid of VideoTiles built from a layout template, driven by the WallController.

The view only relays: drops and double-clicks become controller commands (with the tile's native
window id, which the video service renders into); controller and video signals become tile updates.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QGridLayout, QWidget

from app.domain import Camera
from app.ports import VideoPort
from app.wall import WallController
from widgets.tile import VideoTile

log = logging.getLogger("iocwall.ui")


class WallView(QWidget):
    def __init__(self, controller: WallController, video: VideoPort,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wall")
        self.controller = controller
        self.selected_cell = 0
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setSpacing(2)
        self.tiles: list[VideoTile] = []
        for index, cell in enumerate(controller.grid.cells):
            tile = VideoTile(index, self)
            tile.activated.connect(self._on_tile_activated)
            tile.camera_dropped.connect(self._on_camera_dropped)
            grid.addWidget(tile, cell.row, cell.column, cell.row_span, cell.column_span)
            self.tiles.append(tile)
        for row in range(controller.grid.rows):
            grid.setRowStretch(row, 1)
        for column in range(controller.grid.columns):
            grid.setColumnStretch(column, 1)
        controller.cell_changed.connect(self._on_cell_changed)
        video.tile_status_changed.connect(self._on_tile_status)

    def add_camera(self, camera_id: int) -> bool:
        """Put a camera in the next free tile, or in the selected tile when the wall is full."""
        cell = self.controller.next_free_cell()
        if cell is None:
            cell = self.selected_cell
        return self.show_camera(cell, camera_id)

    def show_camera(self, cell: int, camera_id: int) -> bool:
        tile = self.tiles[cell]
        return self.controller.assign(cell, camera_id, tile.video_window_id())

    def _on_tile_activated(self, index: int) -> None:
        self.selected_cell = index

    def _on_camera_dropped(self, index: int, camera_id: int) -> None:
        self.selected_cell = index
        self.show_camera(index, camera_id)

    def _on_cell_changed(self, cell: int, camera: Camera | None) -> None:
        tile = self.tiles[cell]
        if camera is None:
            tile.clear()
        else:
            tile.set_camera(camera.id, camera.name)

    def _on_tile_status(self, tile_key: str, status: object) -> None:
        cell = self.controller.cell_of_tile_key(tile_key)
        if cell is not None:
            self.tiles[cell].set_status(status)  # type: ignore[arg-type]
