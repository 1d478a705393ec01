"""The grid editor's model: a rows×columns grid where rectangles of squares are merged into
spanning cells (plain data, no Qt; ``widgets.grid_editor`` draws it and feeds it mouse drags).

Invariants: every square belongs to exactly one cell and every merged cell is a rectangle, so
:meth:`GridDraft.template` is always a valid :class:`GridTemplate` (no overlap, no gap). A drag
whose rectangle cuts through a merged cell is extended until it contains every merged cell it
touches (the caller tells the operator: :attr:`Merge.extended`).

Cell order of the result follows the built-in "N+M" templates: spanning cells first (reading
order of their top-left squares), then the single squares in reading order. A drawn 1+5 is
therefore exactly the built-in 1+5 (and keeps its key).

Cameras (:func:`carry_cameras`): a cell that survives an edit (same place, same size) keeps its
camera; a new cell (a merge, a piece of a split) takes the camera of the first old cell it
overlaps whose camera is not placed yet; cameras still left are carried over, in order, into the
cells left empty (as the wall does on a template switch: the first ones win).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from layouts.grid import TEMPLATE_ORDER, Cell, GridTemplate, TemplateError, custom, uniform

MAX_EDITOR_GRID = 8  # rows or columns the editor offers (8×8 = 64 tiles, the largest wall)

Square = tuple[int, int]  # (row, column)


@dataclass(frozen=True)
class Merge:
    """What a drag did: the cell it made (None: nothing to merge, e.g. one square) and whether
    the rectangle had to grow to take in merged cells it cut through."""

    cell: Cell | None
    extended: bool = False


def _overlaps(a: Cell, b: Cell) -> bool:
    return (a.row < b.row + b.row_span and b.row < a.row + a.row_span
            and a.column < b.column + b.column_span and b.column < a.column + a.column_span)


def _contains(outer: Cell, inner: Cell) -> bool:
    return (outer.row <= inner.row and outer.column <= inner.column
            and inner.row + inner.row_span <= outer.row + outer.row_span
            and inner.column + inner.column_span <= outer.column + outer.column_span)


def _bounding(a: Cell, b: Cell) -> Cell:
    top, left = min(a.row, b.row), min(a.column, b.column)
    bottom = max(a.row + a.row_span, b.row + b.row_span)
    right = max(a.column + a.column_span, b.column + b.column_span)
    return Cell(top, left, bottom - top, right - left)


class GridDraft:
    """A grid being edited: its size and its merged (spanning) cells."""

    def __init__(self, rows: int = 2, columns: int = 2, merged: Sequence[Cell] = ()) -> None:
        self._check_size(rows, columns)
        self.rows = rows
        self.columns = columns
        self._merged: list[Cell] = []
        for cell in merged:
            if cell.area > 1:
                self._place(cell)

    @classmethod
    def from_grid(cls, grid: GridTemplate) -> GridDraft:
        """Start from a wall's template. Gaps become single cells; a grid larger than the
        editor's 8×8 is cut to it (merged cells that no longer fit are split)."""
        rows, columns = min(grid.rows, MAX_EDITOR_GRID), min(grid.columns, MAX_EDITOR_GRID)
        bounds = Cell(0, 0, rows, columns)
        return cls(rows, columns, [c for c in grid.cells if c.area > 1 and _contains(bounds, c)])

    # -- reading --------------------------------------------------------------------------------
    @property
    def merged(self) -> tuple[Cell, ...]:
        return tuple(sorted(self._merged, key=lambda c: (c.row, c.column)))

    def cells(self) -> tuple[Cell, ...]:
        """Every cell: spanning ones first, then single squares, each in reading order."""
        covered = {square for cell in self._merged for square in cell.squares()}
        singles = [Cell(r, c) for r in range(self.rows) for c in range(self.columns)
                   if (r, c) not in covered]
        return self.merged + tuple(singles)

    def cell_at(self, row: int, column: int) -> Cell:
        """The cell covering square (row, column)."""
        if not (0 <= row < self.rows and 0 <= column < self.columns):
            raise IndexError(f"square ({row}, {column}) outside the {self.rows}×{self.columns} grid")
        for cell in self._merged:
            if _contains(cell, Cell(row, column)):
                return cell
        return Cell(row, column)

    def template(self) -> GridTemplate:
        """The grid as a template: a built-in one when it is exactly that, a uniform "RxC" when
        nothing is merged, else a custom one."""
        cells = self.cells()
        for builtin in TEMPLATE_ORDER:
            if (builtin.rows, builtin.columns, builtin.cells) == (self.rows, self.columns, cells):
                return builtin
        if not self._merged:
            return uniform(self.rows, self.columns)
        return custom(self.rows, self.columns, cells)

    # -- editing --------------------------------------------------------------------------------
    def span(self, start: Square, end: Square) -> tuple[Cell, bool]:
        """The rectangle from ``start`` to ``end`` (squares, either corner first), grown until no
        merged cell sticks out of it; and whether it grew."""
        rectangle = _bounding(self.cell_at(*start), self.cell_at(*end))
        plain = _bounding(Cell(*start), Cell(*end))
        while True:
            grown = rectangle
            for cell in self._merged:
                if _overlaps(grown, cell) and not _contains(grown, cell):
                    grown = _bounding(grown, cell)
            if grown == rectangle:
                return rectangle, rectangle != plain
            rectangle = grown

    def merge(self, start: Square, end: Square) -> Merge:
        """Merge the rectangle from ``start`` to ``end`` into one cell (see :meth:`span`)."""
        rectangle, extended = self.span(start, end)
        if rectangle.area == 1 or rectangle in self._merged:
            return Merge(None, extended)
        self._merged = [c for c in self._merged if not _contains(rectangle, c)]
        self._merged.append(rectangle)
        return Merge(rectangle, extended)

    def split(self, cell: Cell) -> bool:
        """Split a merged cell back into single squares (False: it is not a merged cell)."""
        if cell not in self._merged:
            return False
        self._merged.remove(cell)
        return True

    def resize(self, rows: int, columns: int) -> None:
        """A new grid size; merged cells that no longer fit are split."""
        self._check_size(rows, columns)
        self.rows, self.columns = rows, columns
        bounds = Cell(0, 0, rows, columns)
        self._merged = [c for c in self._merged if _contains(bounds, c)]

    def reset(self) -> None:
        """Every cell single again (the size stays)."""
        self._merged.clear()

    def _place(self, cell: Cell) -> None:
        if not _contains(Cell(0, 0, self.rows, self.columns), cell):
            raise TemplateError(f"cell {cell} is outside the {self.rows}×{self.columns} grid")
        if any(_overlaps(cell, other) for other in self._merged):
            raise TemplateError(f"cell {cell} overlaps another merged cell")
        self._merged.append(cell)

    @staticmethod
    def _check_size(rows: int, columns: int) -> None:
        if not (1 <= rows <= MAX_EDITOR_GRID and 1 <= columns <= MAX_EDITOR_GRID):
            raise TemplateError(f"the editor makes grids of 1–{MAX_EDITOR_GRID} rows and "
                                f"columns, not {rows}×{columns}")


def carry_cameras(old: GridTemplate, cameras: Sequence[int | None],
                  new: GridTemplate) -> list[int | None]:
    """The camera of each of ``new``'s cells after an edit of ``old`` (``cameras[i]`` is in
    ``old.cells[i]``); see the module docstring for the rule."""
    old_cameras = [cameras[i] if i < len(cameras) else None for i in range(old.size)]
    result: list[int | None] = [None] * new.size
    placed: set[int] = set()
    where = {cell: index for index, cell in enumerate(old.cells)}
    for index, cell in enumerate(new.cells):  # survivors first: they never lose their camera
        camera = old_cameras[where[cell]] if cell in where else None
        if camera is not None:
            result[index] = camera
            placed.add(camera)
    for index, cell in enumerate(new.cells):
        if cell in where:
            continue
        for old_index, old_cell in enumerate(old.cells):
            camera = old_cameras[old_index]
            if camera is not None and camera not in placed and _overlaps(cell, old_cell):
                result[index] = camera
                placed.add(camera)
                break
    left = [c for c in dict.fromkeys(old_cameras) if c is not None and c not in placed]
    for index in range(new.size):
        if not left:
            break
        if result[index] is None:
            result[index] = left.pop(0)
    return result
