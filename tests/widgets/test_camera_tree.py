"""The camera tree groups by ward then system (Vietnamese labels through the translation), the
search box filters it, double-click and drag hand out camera ids (a group: all of its ids)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain import Action, Camera, CameraSystem
from app.i18n import install_translators, remove_translators
from widgets.camera_tree import CAMERA_ID_ROLE, CAMERA_LIST_MIME, CAMERA_MIME, CameraTree

S, P, T = CameraSystem.SMART_CITY, CameraSystem.PUBLIC, CameraSystem.TRAFFIC
VIEW = frozenset({Action.VIEW})


def cams() -> list[Camera]:
    return [
        Camera(1, "CAM-01 Quảng trường", "Đồng Phú", 1, S, actions=VIEW),
        Camera(2, "CAM-02 Cầu Nhật Lệ", "Hải Thành", 2, T, actions=VIEW),
        Camera(3, "CAM-03 Chợ Đồng Hới", "Đồng Phú", 1, P, actions=VIEW),
        Camera(4, "CAM-04 Ngã tư", "Đồng Phú", 1, T, actions=VIEW),
    ]


@pytest.fixture
def vietnamese(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "vi")
    yield
    remove_translators(qapp, translators)


def test_groups_by_ward_then_system_in_vietnamese(qtbot: QtBot, vietnamese: None) -> None:
    tree = CameraTree()
    qtbot.addWidget(tree)
    tree.set_cameras(cams())
    assert tree.structure() == [
        ("Đồng Phú (3)", [("Camera đô thị thông minh (1)", ["CAM-01 Quảng trường"]),
                          ("Camera công cộng (1)", ["CAM-03 Chợ Đồng Hới"]),
                          ("Camera giao thông (1)", ["CAM-04 Ngã tư"])]),
        ("Hải Thành (1)", [("Camera giao thông (1)", ["CAM-02 Cầu Nhật Lệ"])]),
    ]
    assert tree.search_edit.placeholderText() == "Tìm camera…"


def test_english_labels_without_translation(qtbot: QtBot) -> None:
    tree = CameraTree()
    qtbot.addWidget(tree)
    tree.set_cameras(cams())
    assert tree.structure()[1] == ("Hải Thành (1)", [("Traffic cameras (1)",
                                                      ["CAM-02 Cầu Nhật Lệ"])])


def test_search_filters(qtbot: QtBot) -> None:
    tree = CameraTree()
    qtbot.addWidget(tree)
    tree.set_cameras(cams())
    qtbot.keyClicks(tree.search_edit, "cho dong")
    assert tree.structure() == [("Đồng Phú (1)", [("Public cameras (1)",
                                                   ["CAM-03 Chợ Đồng Hới"])])]
    tree.search_edit.clear()
    assert len(tree.structure()) == 2
    tree.search_edit.setText("xyz")
    assert tree.structure() == []


def test_double_click_and_drag_give_camera_ids(qtbot: QtBot) -> None:
    tree = CameraTree()
    qtbot.addWidget(tree)
    tree.show()
    tree.set_cameras(cams())
    index = tree.camera_index(4)
    assert index is not None and index.data(CAMERA_ID_ROLE) == 4
    with qtbot.waitSignal(tree.camera_activated, timeout=1000) as blocker:
        tree.view.activated.emit(index)
    assert blocker.args == [4]
    mime = tree.model.mimeData([index])
    assert bytes(mime.data(CAMERA_MIME).data()) == b"4"
    # A ward or a system drags out as all of its cameras, in tree order (the wall fills free
    # tiles with them); never as a single camera.
    ward_index = tree.model.index(0, 0)
    assert ward_index.flags() & Qt.ItemFlag.ItemIsDragEnabled
    ward_mime = tree.model.mimeData([ward_index])
    assert not ward_mime.hasFormat(CAMERA_MIME)
    assert bytes(ward_mime.data(CAMERA_LIST_MIME).data()) == b"1,3,4"
    system_index = tree.model.index(0, 0, tree.model.index(1, 0))  # Hải Thành's traffic cameras
    assert bytes(tree.model.mimeData([system_index]).data(CAMERA_LIST_MIME).data()) == b"2"
