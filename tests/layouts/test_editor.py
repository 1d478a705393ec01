"""The grid editor's model: merges are rectangles that never cut a merged cell, the result always
covers the grid exactly once, built-ins are recognised, cameras of surviving cells are kept."""

from __future__ import annotations

import itertools

import pytest

from layouts import TEMPLATE_ORDER, Cell, TemplateError, template, uniform
from layouts.editor import GridDraft, carry_cameras


def covered_once(draft: GridDraft) -> bool:
    squares = [s for cell in draft.cells() for s in cell.squares()]
    return sorted(squares) == [(r, c) for r in range(draft.rows) for c in range(draft.columns)]


def test_every_builtin_round_trips_through_the_editor() -> None:
    for builtin in TEMPLATE_ORDER:
        assert GridDraft.from_grid(builtin).template() == builtin, builtin.key


def test_merge_extends_over_cut_merged_cells_and_reports_it() -> None:
    draft = GridDraft(4, 4)
    assert draft.merge((1, 1), (2, 2)).cell == Cell(1, 1, 2, 2)
    result = draft.merge((0, 0), (1, 1))  # ends inside the 2×2
    assert result.cell == Cell(0, 0, 3, 3) and result.extended
    assert draft.merged == (Cell(0, 0, 3, 3),)
    # a chain: growing over one merged cell makes the rectangle cut another one
    draft = GridDraft(4, 4, [Cell(0, 1, 2, 1), Cell(1, 2, 2, 1)])
    result = draft.merge((0, 0), (0, 2))
    assert result.cell == Cell(0, 0, 3, 3) and result.extended
    assert covered_once(draft)


def test_clicks_and_repeats_change_nothing() -> None:
    draft = GridDraft(3, 3)
    assert draft.merge((1, 1), (1, 1)).cell is None
    assert draft.merge((0, 0), (1, 1)).cell == Cell(0, 0, 2, 2)
    assert draft.merge((1, 1), (0, 0)).cell is None  # the same merged cell again
    assert draft.template() == template("1+5")


def test_every_drag_on_a_small_grid_keeps_the_invariants() -> None:
    draft = GridDraft(3, 4)
    squares = [(r, c) for r in range(3) for c in range(4)]
    for start, end in itertools.islice(itertools.product(squares, squares), 0, None, 7):
        draft.merge(start, end)
        assert covered_once(draft)
        draft.template()  # validated: never raises
        if len(draft.merged) > 2:
            draft.split(draft.merged[0])


def test_split_resize_reset_and_limits() -> None:
    draft = GridDraft(4, 4, [Cell(0, 0, 2, 2), Cell(2, 2, 2, 2)])
    assert not draft.split(Cell(0, 0))
    assert draft.split(Cell(2, 2, 2, 2)) and draft.merged == (Cell(0, 0, 2, 2),)
    draft.resize(2, 1)
    assert draft.template() == uniform(2, 1)
    draft.resize(8, 8)
    draft.merge((0, 0), (7, 7))
    assert draft.template().cells == (Cell(0, 0, 8, 8),)
    draft.reset()
    assert draft.template() == uniform(8, 8)
    with pytest.raises(TemplateError):
        draft.resize(9, 1)
    with pytest.raises(TemplateError):
        GridDraft(2, 2, [Cell(0, 0, 2, 2), Cell(1, 1, 1, 1), Cell(1, 0, 1, 2)])


def test_a_wall_larger_than_the_editor_is_cut_to_eight_by_eight() -> None:
    from layouts import custom

    big = custom(10, 10, [Cell(0, 0, 2, 2), Cell(7, 7, 3, 3)] + [
        Cell(r, c) for r in range(10) for c in range(10)
        if not (r < 2 and c < 2) and not (r >= 7 and c >= 7)][:60])
    draft = GridDraft.from_grid(big)
    assert (draft.rows, draft.columns) == (8, 8) and draft.merged == (Cell(0, 0, 2, 2),)


def test_carry_cameras_keeps_survivors_then_fills_free_cells_in_order() -> None:
    old = uniform(2, 2)
    merged = GridDraft(2, 2, [Cell(0, 0, 1, 2)]).template()
    assert merged.cells == (Cell(0, 0, 1, 2), Cell(1, 0), Cell(1, 1))
    assert carry_cameras(old, [1, 2, 3, 4], merged) == [1, 3, 4]
    assert carry_cameras(old, [None, 2, 3, 4], merged) == [2, 3, 4]
    # split the big cell of 1+5: its camera goes to the top-left piece
    split = GridDraft(3, 3).template()
    assert carry_cameras(template("1+5"), [9, 1, 2, 3, 4, 5], split) == [9, None, 1, None,
                                                                          None, 2, 3, 4, 5]
    # a wider grid: cameras without a surviving cell move into the free cells, first ones win
    wider = GridDraft(2, 3, [Cell(0, 0, 2, 2)]).template()
    assert carry_cameras(old, [1, 2, 3, 4], wider) == [1, 2, 3]
    # a camera shown twice stays twice only where its cells survive
    assert carry_cameras(old, [1, 1, None, 4], uniform(2, 2)) == [1, 1, None, 4]
