"""The custom grid editor (View → Wall template → Custom grid…).

Rows and columns (1–8), a preview where a drag across cells merges them into one spanning cell,
Split for a selected merged cell, Reset, OK/Cancel. The grid itself is ``layouts.editor.GridDraft``
(plain data: every merged cell a rectangle, nothing overlaps, every square covered); a drag that
cuts through a merged cell grows to include it, and the hint line says so.

It starts from the wall's template and shows, in each cell, the camera that will be there: cells
that survive the edit keep their cameras (``layouts.editor.carry_cameras``). OK applies the grid
to the wall as a layout (the saved layout the wall shows, if any, keeps its identity: Layouts →
Save then stores the new grid in it; Save as… makes a new one).

Signals (GridPreview):
    clicked(object): a press and release on the same cell: (row, column) of the square.
    dragged(object, object): a drag from one cell to another: the two (row, column) squares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import Layout
from app.i18n import arg
from app.wall import WallController
from layouts import Cell, GridTemplate
from layouts.editor import MAX_EDITOR_GRID, GridDraft, Square, carry_cameras

_CELL_FILL = QColor("#2b3440")
_MERGED_FILL = QColor("#25405c")
_BORDER = QColor("#8a96a3")
_SELECTED = QColor("#f0b400")
_DRAG = QColor(240, 180, 0, 90)
_TEXT = QColor("#e8edf2")


class GridPreview(QWidget):
    """The grid drawn to scale; drags and clicks on it become the editor's merges and
    selections. Mouse state is tracked here (press → anchor, release → end), not read from
    the event's button state."""

    clicked = Signal(object)
    dragged = Signal(object, object)

    def __init__(self, draft: GridDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gridPreview")
        self.draft = draft
        self.selected: Cell | None = None
        self.labels: dict[Cell, str] = {}
        self._anchor: Square | None = None
        self._hover: Square | None = None
        self.setMinimumSize(360, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(480, 320)

    # -- geometry (tests use it to aim their drags) ---------------------------------------------
    def _area(self) -> QRect:
        return self.rect().adjusted(4, 4, -4, -4)

    def _edges(self) -> tuple[list[int], list[int]]:
        area = self._area()
        xs = [area.x() + round(area.width() * c / self.draft.columns)
              for c in range(self.draft.columns + 1)]
        ys = [area.y() + round(area.height() * r / self.draft.rows)
              for r in range(self.draft.rows + 1)]
        return xs, ys

    def cell_rect(self, cell: Cell) -> QRect:
        """The cell's rectangle in widget coordinates."""
        xs, ys = self._edges()
        left, right = xs[cell.column], xs[min(cell.column + cell.column_span, len(xs) - 1)]
        top, bottom = ys[cell.row], ys[min(cell.row + cell.row_span, len(ys) - 1)]
        return QRect(left, top, right - left, bottom - top)

    def square_center(self, row: int, column: int) -> QPoint:
        """The centre of one grid square (row, column)."""
        return self.cell_rect(Cell(row, column)).center()

    def square_at(self, point: QPoint) -> Square:
        """The square under ``point`` (clamped to the grid: a drag may leave the widget)."""
        xs, ys = self._edges()
        column = sum(1 for x in xs[1:-1] if point.x() >= x)
        row = sum(1 for y in ys[1:-1] if point.y() >= y)
        return row, column

    # -- input ----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._anchor = self._hover = self.square_at(event.position().toPoint())
        self.update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._anchor is None:
            super().mouseMoveEvent(event)
            return
        square = self.square_at(event.position().toPoint())
        if square != self._hover:
            self._hover = square
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton or self._anchor is None:
            super().mouseReleaseEvent(event)
            return
        start, end = self._anchor, self.square_at(event.position().toPoint())
        self._anchor = self._hover = None
        self.update()
        event.accept()
        if self.draft.cell_at(*start) == self.draft.cell_at(*end):
            self.clicked.emit(start)
        else:
            self.dragged.emit(start, end)

    # -- painting -------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#161b22"))
        for number, cell in enumerate(self.draft.cells(), start=1):
            rect = self.cell_rect(cell).adjusted(1, 1, -1, -1)
            painter.fillRect(rect, _MERGED_FILL if cell.area > 1 else _CELL_FILL)
            painter.setPen(QPen(_BORDER, 1))
            painter.drawRect(rect)
            painter.setPen(_TEXT)
            text = str(number)
            label = self.labels.get(cell)
            if label:
                text += "\n" + painter.fontMetrics().elidedText(
                    label, Qt.TextElideMode.ElideRight, max(8, rect.width() - 8))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        if self._anchor is not None and self._hover is not None:
            span, _extended = self.draft.span(self._anchor, self._hover)
            rect = self.cell_rect(span).adjusted(1, 1, -1, -1)
            painter.fillRect(rect, _DRAG)
            painter.setPen(QPen(_SELECTED, 2, Qt.PenStyle.DashLine))
            painter.drawRect(rect)
        elif self.selected is not None:
            painter.setPen(QPen(_SELECTED, 3))
            painter.drawRect(self.cell_rect(self.selected).adjusted(2, 2, -2, -2))
        painter.end()


class GridEditor(QDialog):
    """Edit a custom grid with spanning cells; :meth:`template` is the result and
    :meth:`apply_to_wall` puts it on a wall (cameras of surviving cells kept)."""

    def __init__(self, grid: GridTemplate, cameras: Sequence[int | None] = (),
                 names: Mapping[int, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gridEditor")
        self.setWindowTitle(self.tr("Custom grid"))
        self._start_grid = grid
        self._start_cameras = list(cameras)
        self._names = dict(names or {})
        self.draft = GridDraft.from_grid(grid)

        self.rows_spin = QSpinBox(self)
        self.rows_spin.setRange(1, MAX_EDITOR_GRID)
        self.rows_spin.setValue(self.draft.rows)
        self.columns_spin = QSpinBox(self)
        self.columns_spin.setRange(1, MAX_EDITOR_GRID)
        self.columns_spin.setValue(self.draft.columns)
        self.preview = GridPreview(self.draft, self)
        self.split_button = QPushButton(self.tr("Split"), self)
        self.split_button.setToolTip(self.tr("Split the selected merged cell into single cells"))
        self.reset_button = QPushButton(self.tr("Reset"), self)
        self.reset_button.setToolTip(self.tr("Make every cell single again"))
        self.hint = QLabel(self)
        self.hint.setObjectName("gridEditorHint")
        self.hint.setWordWrap(True)
        self.summary = QLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)

        size = QFormLayout()
        size.addRow(self.tr("Rows:"), self.rows_spin)
        size.addRow(self.tr("Columns:"), self.columns_spin)
        actions = QHBoxLayout()
        actions.addWidget(self.split_button)
        actions.addWidget(self.reset_button)
        actions.addStretch(1)
        actions.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(size)
        layout.addWidget(self.preview, 1)
        layout.addLayout(actions)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)

        self.rows_spin.valueChanged.connect(self._resize)
        self.columns_spin.valueChanged.connect(self._resize)
        self.preview.clicked.connect(self._select)
        self.preview.dragged.connect(self._merge)
        self.split_button.clicked.connect(self.split_selected)
        self.reset_button.clicked.connect(self.reset)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._say(self._default_hint())
        self._refresh()

    @classmethod
    def for_wall(cls, controller: WallController, parent: QWidget | None = None) -> GridEditor:
        """An editor starting from what the wall shows; OK applies it to that wall."""
        names = {state.camera_id: state.name for state in
                 (controller.cell(i) for i in range(controller.grid.size))
                 if state.camera_id is not None and state.name}
        editor = cls(controller.grid, controller.cells, names, parent)
        editor.accepted.connect(lambda: editor.apply_to_wall(controller))
        return editor

    # -- results --------------------------------------------------------------------------------
    def template(self) -> GridTemplate:
        return self.draft.template()

    def cameras(self) -> list[int | None]:
        """The camera each cell of :meth:`template` will show (see ``carry_cameras``)."""
        return carry_cameras(self._start_grid, self._start_cameras, self.template())

    def apply_to_wall(self, controller: WallController) -> Layout:
        """Show the edited grid on ``controller``'s wall, carrying its cameras over from what it
        shows now. The saved layout on the wall (if any) keeps its name and identity."""
        grid = self.template()
        cameras = carry_cameras(controller.grid, controller.cells, grid)
        base = controller.layout
        if base is None:
            layout = Layout.from_wall("", grid, cameras)
        else:
            layout = Layout.from_wall(
                base.name, grid, cameras, id=base.id, version=base.version,
                shared_with_unit=base.shared_with_unit, is_startup=base.is_startup,
                editable=base.editable, owner=base.owner)
        controller.apply_layout(layout)
        controller.layout = None if base is None else layout  # unsaved stays unsaved
        return layout

    # -- editing --------------------------------------------------------------------------------
    def merge(self, start: Square, end: Square) -> Cell | None:
        """Merge the squares from ``start`` to ``end`` (what a drag on the preview does)."""
        result = self.draft.merge(start, end)
        if result.cell is None:
            self._say(self._default_hint())
        elif result.extended:
            self._say(self.tr("The selection was extended to include the merged cells it cut "
                              "through: merged cells cannot be cut."))
        else:
            self._say(arg(self.tr("Merged into one cell of %1 rows × %2 columns."),
                          result.cell.row_span, result.cell.column_span))
        self.preview.selected = result.cell
        self._refresh()
        return result.cell

    def split_selected(self) -> bool:
        selected = self.preview.selected
        if selected is None or not self.draft.split(selected):
            self._say(self.tr("Select a merged cell first (click it), then Split."))
            return False
        self.preview.selected = None
        self._say(self.tr("Split into single cells."))
        self._refresh()
        return True

    def reset(self) -> None:
        self.draft.reset()
        self.preview.selected = None
        self._say(self._default_hint())
        self._refresh()

    def _merge(self, start: Square, end: Square) -> None:
        self.merge(start, end)

    def _select(self, square: Square) -> None:
        self.preview.selected = self.draft.cell_at(*square)
        self._refresh()

    def _resize(self) -> None:
        self.draft.resize(self.rows_spin.value(), self.columns_spin.value())
        if self.preview.selected is not None and self.preview.selected not in self.draft.cells():
            self.preview.selected = None
        self._refresh()

    def _refresh(self) -> None:
        grid = self.template()
        self.preview.labels = {
            cell: self._names.get(camera, arg(self.tr("Camera #%1"), camera))
            for cell, camera in zip(grid.cells, self.cameras(), strict=True) if camera is not None}
        selected = self.preview.selected
        self.split_button.setEnabled(selected is not None and selected.area > 1)
        self.summary.setText(arg(self.tr("%1 tiles"), grid.size))
        self.preview.update()

    def _default_hint(self) -> str:
        return self.tr("Drag across cells to merge them into one; click a merged cell and press "
                       "Split to undo it.")

    def _say(self, text: str) -> None:
        self.hint.setText(text)
