"""The custom grid editor: merges by real mouse drags on the preview, cuts through merged cells
extended, Split, Reset, the size spin boxes; the result applied to a wall (tiles' geometry,
cameras of surviving cells kept); from the main window, saved as a layout on the real backend
and shown again from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.context import layout_library
from app.credentials import TokenStore
from app.domain import Action, Camera, CameraSystem
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.video import VideoService
from app.wall import WallController
from layouts import Cell, template, uniform
from widgets.grid_editor import GridEditor, GridPreview
from widgets.main_window import MainWindow
from widgets.wall_view import SPACING, WallView, cell_rects


def camera(n: int) -> Camera:
    return Camera(n, f"CAM-{n:02d} Phố {n}", "Đồng Phú", 1, CameraSystem.SMART_CITY,
                  actions=frozenset({Action.VIEW}),
                  main_stream_url=f"rtsp://u:p@127.0.0.1:9/cam{n:02d}/main",
                  sub_stream_url=f"rtsp://u:p@127.0.0.1:9/cam{n:02d}/sub")


def drag(qtbot: QtBot, preview: GridPreview, start: tuple[int, int],
         end: tuple[int, int]) -> None:
    """A real press, moves across the squares in between, release."""
    a, b = preview.square_center(*start), preview.square_center(*end)
    qtbot.mousePress(preview, Qt.MouseButton.LeftButton, pos=a)
    for step in range(1, 5):
        qtbot.mouseMove(preview, QPoint(a.x() + (b.x() - a.x()) * step // 4,
                                        a.y() + (b.y() - a.y()) * step // 4))
    qtbot.mouseRelease(preview, Qt.MouseButton.LeftButton, pos=b)


def click(qtbot: QtBot, preview: GridPreview, square: tuple[int, int]) -> None:
    qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=preview.square_center(*square))


def shown_editor(qtbot: QtBot, editor: GridEditor) -> GridEditor:
    qtbot.addWidget(editor)
    editor.resize(640, 520)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_drags_merge_rectangles_into_the_expected_geometry(qtbot: QtBot) -> None:
    editor = shown_editor(qtbot, GridEditor(uniform(3, 3)))
    preview = editor.preview
    drag(qtbot, preview, (1, 1), (0, 0))  # any corner first
    assert editor.template() == template("1+5")  # drawn 1+5 is the built-in one, key and order
    assert editor.template().key == "1+5"
    assert "2 rows × 2 columns" in editor.hint.text()
    drag(qtbot, preview, (2, 1), (2, 2))
    assert editor.template().key == "custom"
    assert editor.template().cells == (Cell(0, 0, 2, 2), Cell(2, 1, 1, 2), Cell(0, 2), Cell(1, 2),
                                       Cell(2, 0))
    assert editor.summary.text() == "5 tiles"
    # a press and release on one square selects it (no merge)
    click(qtbot, preview, (2, 0))
    assert preview.selected == Cell(2, 0) and editor.template().size == 5
    assert not editor.split_button.isEnabled()


def test_a_drag_cutting_through_a_merged_cell_takes_it_in(qtbot: QtBot) -> None:
    editor = shown_editor(qtbot, GridEditor(uniform(4, 4)))
    preview = editor.preview
    drag(qtbot, preview, (1, 1), (2, 2))
    assert editor.template().cells[0] == Cell(1, 1, 2, 2)
    drag(qtbot, preview, (0, 2), (1, 3))  # its rectangle (0,2)-(1,3) cuts the 2×2 at (1,2)
    cells = editor.template().cells
    assert cells[0] == Cell(0, 1, 3, 3)  # grew to hold the whole 2×2 merged cell
    assert Cell(1, 1, 2, 2) not in cells
    assert "extended" in editor.hint.text()
    squares = sorted(s for c in cells for s in c.squares())
    assert squares == [(r, c) for r in range(4) for c in range(4)]  # covered, once each
    assert len(cells) == 16 - 9 + 1


def test_split_reset_and_resizing(qtbot: QtBot) -> None:
    editor = shown_editor(qtbot, GridEditor(template("2+8")))
    preview = editor.preview
    assert (editor.rows_spin.value(), editor.columns_spin.value()) == (4, 4)
    assert editor.template() == template("2+8")
    click(qtbot, preview, (1, 3))  # inside the second 2×2
    assert preview.selected == Cell(0, 2, 2, 2)
    assert editor.split_button.isEnabled()
    qtbot.mouseClick(editor.split_button, Qt.MouseButton.LeftButton)
    assert editor.template().cells == (Cell(0, 0, 2, 2),) + tuple(
        Cell(r, c) for r in range(4) for c in range(4) if not (r < 2 and c < 2))
    assert not editor.split_button.isEnabled()
    # fewer columns: the 2×2 on the left still fits; then rows 1: it does not
    editor.columns_spin.setValue(3)
    assert editor.template().cells[0] == Cell(0, 0, 2, 2)
    assert editor.template().columns == 3
    editor.rows_spin.setValue(1)
    assert editor.template() == uniform(1, 3)
    editor.rows_spin.setValue(3)
    drag(qtbot, preview, (0, 0), (2, 2))
    assert editor.template().cells == (Cell(0, 0, 3, 3),)
    qtbot.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
    assert editor.template() == uniform(3, 3)


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()


def test_ok_puts_the_spans_on_the_wall_and_keeps_surviving_cameras(
        qtbot: QtBot, ops: Ops, messages: MessageBridge, video: VideoService) -> None:
    controller = WallController(video, ops, messages, grid=template("3x3"))
    controller.set_cameras([camera(n) for n in range(1, 10)])
    window = QMainWindow()
    view = WallView(controller, video, window)
    window.setCentralWidget(view)
    window.resize(900, 600)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        controller.fill([1, 2, 3, 4, 5, 6, 7, 8, 9])
        editor = shown_editor(qtbot, GridEditor.for_wall(controller, window))
        assert editor.preview.labels[Cell(0, 0)] == "CAM-01 Phố 1"
        drag(qtbot, editor.preview, (0, 1), (1, 2))  # the top right 2×2
        # the preview already says where each camera will be
        assert editor.preview.labels[Cell(0, 1, 2, 2)] == "CAM-02 Phố 2"
        ok = editor.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        grid = controller.grid
        assert (grid.rows, grid.columns) == (3, 3)
        assert grid.cells == (Cell(0, 1, 2, 2), Cell(0, 0), Cell(1, 0), Cell(2, 0), Cell(2, 1),
                              Cell(2, 2))
        # survivors keep their cameras; the merged cell takes camera 2 (first inside it); 3, 5
        # and 6 found no free cell: they left the wall
        assert controller.cells == [2, 1, 4, 7, 8, 9]
        assert controller.layout is None  # an unsaved arrangement stays unsaved
        area = view.rect().adjusted(SPACING, SPACING, -SPACING, -SPACING)
        expected = cell_rects(grid, area)
        tiles = view.tiles
        assert len(tiles) == 6
        assert [t.geometry() for t in tiles] == expected
        big, small = tiles[0].geometry(), tiles[1].geometry()
        assert big.width() > 2 * small.width() and big.height() > 2 * small.height()
        assert big.left() > small.right() and big.top() == small.top()
        assert all(not t.isHidden() for t in tiles)
        assert [t.camera_id for t in tiles] == [2, 1, 4, 7, 8, 9]
    finally:
        controller.stop_for_exit()


def test_cancel_changes_nothing(qtbot: QtBot, ops: Ops, messages: MessageBridge,
                                video: VideoService) -> None:
    controller = WallController(video, ops, messages)
    controller.set_cameras([camera(n) for n in range(1, 5)])
    try:
        controller.fill([1, 2, 3, 4])
        editor = shown_editor(qtbot, GridEditor.for_wall(controller))
        drag(qtbot, editor.preview, (0, 0), (1, 1))
        assert editor.template().size == 1
        qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)
        assert controller.grid == template("2x2") and controller.cells == [1, 2, 3, 4]
    finally:
        controller.stop_for_exit()


def test_main_window_edits_saves_and_reopens_a_spanning_layout(
        qtbot: QtBot, tmp_path: Path, backend_url: str, ops: Ops, messages: MessageBridge,
        video: VideoService) -> None:
    settings = SettingsStore(tmp_path)
    auth = AuthService(settings, TokenStore())
    session = auth.login(backend_url, "ioc.operator", "demo", False)
    wall = WallController(video, ops, messages, audit=auth,
                          sessions=auth.client.stream_session_url)  # type: ignore[union-attr]
    window = MainWindow(session, auth, wall, video, ops, messages, settings,
                        layouts=layout_library(auth.client, session, ops, messages, settings))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    library: Any = window.layouts
    try:
        with qtbot.waitSignal(window.cameras_loaded, timeout=15000) as loaded:
            window.load_cameras()
        ids = sorted(c.id for c in loaded.args[0])[:4]
        window.wall.template_actions[1].trigger()  # 2×2
        wall.fill(ids)

        window.custom_grid_action.trigger()
        editor = window.findChild(GridEditor)
        assert editor is not None and editor.isVisible()
        qtbot.waitExposed(editor)
        assert (editor.rows_spin.value(), editor.columns_spin.value()) == (2, 2)
        editor.columns_spin.setValue(3)
        drag(qtbot, editor.preview, (0, 0), (1, 1))  # a 2×2 left, two singles right
        qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
        expected = (Cell(0, 0, 2, 2), Cell(0, 2), Cell(1, 2))
        assert wall.grid.cells == expected and (wall.grid.rows, wall.grid.columns) == (2, 3)
        # the merged cell keeps camera 1; cameras 2–4 had no surviving cell: 2 and 3 are
        # carried into the free cells, 4 does not fit
        assert wall.cells == ids[:3]

        with qtbot.waitSignal(library.saved, timeout=15000) as saved:
            window.save_layout_as("Ca đêm — lưới riêng")
        stored = saved.args[0]
        assert stored.id is not None and stored.template == "custom"
        assert [i.cell for i in stored.items] == list(expected)

        # from the backend again, into a wall showing something else
        with qtbot.waitSignal(library.layouts_changed, timeout=15000) as listed:
            library.refresh()
        again = next(x for x in listed.args[0] if x.id == stored.id)
        assert [i.cell for i in again.items] == list(expected)
        assert again.camera_ids() == ids[:3]
        window.wall.template_actions[0].trigger()  # 1×1
        window.show_layout(again)
        assert wall.grid.cells == expected and wall.cells == ids[:3]
        tiles = window.wall.tiles
        assert tiles[0].geometry().height() > 1.9 * tiles[1].geometry().height()
        assert window.layout_label.text().endswith("Ca đêm — lưới riêng")
    finally:
        window.close()
        for shown in wall.stop_for_exit():
            auth.audit_event("view_stop", shown.id, "test end")
