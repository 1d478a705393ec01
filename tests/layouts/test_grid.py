"""Every template's geometry: the cells cover the grid exactly once, the count is right, the big
cells are where they belong and come first; custom grids are validated like the backend does."""

from __future__ import annotations

import pytest

from layouts import (
    TEMPLATE_ORDER,
    TEMPLATES,
    Cell,
    GridTemplate,
    TemplateError,
    custom,
    from_layout,
    template,
    uniform,
)

EXPECTED = {  # key: (rows, columns, cells)
    "1x1": (1, 1, 1), "2x2": (2, 2, 4), "3x3": (3, 3, 9), "4x4": (4, 4, 16), "5x5": (5, 5, 25),
    "6x6": (6, 6, 36), "8x8": (8, 8, 64), "1+5": (3, 3, 6), "1+7": (4, 4, 8),
    "1+12": (4, 4, 13), "2+8": (4, 4, 10),
}


def coverage(t: GridTemplate) -> dict[tuple[int, int], list[int]]:
    owners: dict[tuple[int, int], list[int]] = {}
    for index, cell in enumerate(t.cells):
        for square in cell.squares():
            owners.setdefault(square, []).append(index)
    return owners


def test_the_list_and_its_order() -> None:
    # Ctrl+1…9 switch to the first nine, in this order.
    assert [t.key for t in TEMPLATE_ORDER] == list(EXPECTED)
    assert list(TEMPLATES) == list(EXPECTED)
    assert [t.key for t in TEMPLATE_ORDER[:9]] == ["1x1", "2x2", "3x3", "4x4", "5x5", "6x6",
                                                   "8x8", "1+5", "1+7"]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_cells_cover_the_grid_exactly_once(key: str) -> None:
    t = template(key)
    rows, columns, count = EXPECTED[key]
    assert (t.rows, t.columns, t.size) == (rows, columns, count)
    owners = coverage(t)
    every_square = {(r, c) for r in range(rows) for c in range(columns)}
    assert set(owners) == every_square, "a square is outside the grid or left uncovered"
    assert all(len(o) == 1 for o in owners.values()), "two cells overlap"
    assert sum(cell.area for cell in t.cells) == rows * columns
    assert t.is_builtin


@pytest.mark.parametrize("key", ["1x1", "2x2", "3x3", "4x4", "5x5", "6x6", "8x8"])
def test_uniform_grids_are_in_reading_order(key: str) -> None:
    t = template(key)
    assert [(c.row, c.column) for c in t.cells] == [
        (r, c) for r in range(t.rows) for c in range(t.columns)]
    assert all(c.area == 1 for c in t.cells)


def small_cells_in_reading_order(t: GridTemplate, big: int) -> bool:
    small = [(c.row, c.column) for c in t.cells[big:]]
    return small == sorted(small) and all(c.area == 1 for c in t.cells[big:])


def test_one_plus_five() -> None:
    t = template("1+5")
    assert t.cells[0] == Cell(0, 0, 2, 2)
    assert [(c.row, c.column) for c in t.cells[1:]] == [(0, 2), (1, 2), (2, 0), (2, 1), (2, 2)]


def test_one_plus_seven() -> None:
    t = template("1+7")
    assert t.cells[0] == Cell(0, 0, 3, 3)
    assert [(c.row, c.column) for c in t.cells[1:]] == [
        (0, 3), (1, 3), (2, 3), (3, 0), (3, 1), (3, 2), (3, 3)]


def test_one_plus_twelve_has_the_big_picture_in_the_centre() -> None:
    t = template("1+12")
    assert t.cells[0] == Cell(1, 1, 2, 2)
    assert small_cells_in_reading_order(t, 1)
    assert (1, 1) not in [(c.row, c.column) for c in t.cells[1:]]


def test_two_plus_eight() -> None:
    t = template("2+8")
    assert t.cells[:2] == (Cell(0, 0, 2, 2), Cell(0, 2, 2, 2))
    assert [(c.row, c.column) for c in t.cells[2:]] == [(r, c) for r in (2, 3) for c in range(4)]


def test_custom_grid_with_spans() -> None:
    t = custom(2, 3, [Cell(0, 0, 2, 2), Cell(0, 2), Cell(1, 2)])
    assert (t.key, t.size) == ("custom", 3)
    assert not t.is_builtin
    # gaps are allowed in a custom grid (an empty corner of the wall)
    assert custom(2, 2, [Cell(0, 0)]).size == 1


@pytest.mark.parametrize(("rows", "columns", "cells", "message"), [
    (2, 2, [Cell(0, 0, 2, 2), Cell(1, 1)], "cell 1 overlaps cell 0 at row 1, column 1"),
    (2, 2, [Cell(1, 1, 1, 2)], "cell 0 (row 1, column 1, span 1×2) is outside the 2×2 grid"),
    (2, 2, [Cell(-1, 0)], "outside"),
    (2, 2, [Cell(0, 0, 0, 1)], "spans must be at least 1"),
    (0, 2, [Cell(0, 0)], "1–16 rows and columns"),
    (17, 1, [Cell(0, 0)], "1–16 rows and columns"),
    (2, 2, [], "at least one cell"),
    (9, 8, [Cell(r, c) for r in range(9) for c in range(8)], "at most 64 cells"),
])
def test_custom_grid_validation(rows: int, columns: int, cells: list[Cell],
                                message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        custom(rows, columns, cells)


def test_unknown_key() -> None:
    with pytest.raises(KeyError, match="unknown grid template '5x7'"):
        template("5x7")


def test_from_layout_recognises_builtins_and_keeps_the_rest() -> None:
    one_plus_five = template("1+5")
    assert from_layout("1+5", 3, 3, one_plus_five.cells) is one_plus_five
    assert from_layout("2x3", 2, 3, uniform(2, 3).cells) == uniform(2, 3)
    odd = from_layout("1+5", 3, 3, one_plus_five.cells[:3])
    assert odd.key == "custom" and odd.size == 3
    with pytest.raises(TemplateError):
        from_layout("custom", 2, 2, [Cell(0, 0, 2, 2), Cell(0, 0)])
