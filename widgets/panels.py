"""Install the evidence panels (bookmarks, clip requests, clip player) into an existing
QMainWindow, as docks, with an "Evidence" menu. The shell calls it once after login with the
session's services (``app.context``) and connects the window to it::

    panels = install_panels(window, bookmark_service, clip_service, clip_player,
                            download_dir=data_dir() / "clips")
    tile B / bookmark button  →  panels.bookmark_camera(camera_id, camera_name)
    camera list loaded        →  panels.set_cameras(cameras)

The services poll and stop with the session (``SessionContext.start``/``close``); nothing here
talks to the network or libvlc.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from app.bookmarks import Bookmark, BookmarkService
from app.clips import ClipService
from app.domain import Camera
from widgets.bookmarks_panel import BookmarkDialog, BookmarksPanel, ask_bookmark
from widgets.clip_player import ClipPlayerWidget
from widgets.requests_panel import RequestsPanel


@dataclass
class EvidencePanels:
    window: QMainWindow
    bookmarks: BookmarkService
    clips: ClipService
    bookmarks_panel: BookmarksPanel
    requests_panel: RequestsPanel
    player_widget: ClipPlayerWidget
    bookmarks_dock: QDockWidget
    requests_dock: QDockWidget
    player_dock: QDockWidget
    menu: QMenu
    requests_action: QAction

    def bookmark_camera(self, camera_id: int, camera_name: str) -> BookmarkDialog:
        """Key B on a tile / the bookmark button: the moment is "now", then note and tags."""
        return ask_bookmark(self.window, self.bookmarks, camera_id, camera_name)

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.bookmarks_panel.set_cameras(cameras)
        self.requests_panel.set_cameras(cameras)

    def request_clip(self, bookmark: Bookmark | None = None) -> None:
        self.requests_dock.show()
        self.requests_dock.raise_()
        self.requests_panel.new_request(bookmark)

    def play(self, path: Path, manifest: dict[str, Any] | None = None) -> None:
        self.player_dock.show()
        self.player_dock.raise_()
        self.player_widget.open_clip(path, manifest)



def install_panels(window: QMainWindow, bookmarks: BookmarkService, clips: ClipService,
                   clip_player: Any, *, download_dir: Path) -> EvidencePanels:
    """Add the docks (bookmarks, requests — tabbed at the bottom; the player floating, hidden
    until a clip is played) and an "Evidence" menu."""
    bookmarks_panel = BookmarksPanel(bookmarks)
    requests_panel = RequestsPanel(clips, download_dir)
    player_widget = ClipPlayerWidget(clip_player)

    bookmarks_dock = QDockWidget(QCoreApplication.translate("EvidencePanels", "Bookmarks"), window)
    bookmarks_dock.setObjectName("bookmarks_dock")
    bookmarks_dock.setWidget(bookmarks_panel)
    requests_dock = QDockWidget(QCoreApplication.translate("EvidencePanels", "Requests"), window)
    requests_dock.setObjectName("requests_dock")
    requests_dock.setWidget(requests_panel)
    player_dock = QDockWidget(QCoreApplication.translate("EvidencePanels", "Clip player"), window)
    player_dock.setObjectName("clip_player_dock")
    player_dock.setWidget(player_widget)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, bookmarks_dock)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, requests_dock)
    window.tabifyDockWidget(bookmarks_dock, requests_dock)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, player_dock)
    player_dock.hide()

    menu = window.menuBar().addMenu(QCoreApplication.translate("EvidencePanels", "&Evidence"))
    bookmarks_action = bookmarks_dock.toggleViewAction()
    bookmarks_action.setText(QCoreApplication.translate("EvidencePanels", "Bookmarks"))
    requests_action = requests_dock.toggleViewAction()
    requests_action.setText(QCoreApplication.translate("EvidencePanels", "Requests"))
    menu.addAction(bookmarks_action)
    menu.addAction(requests_action)
    menu.addAction(player_dock.toggleViewAction())
    menu.addSeparator()
    new_request = menu.addAction(
        QCoreApplication.translate("EvidencePanels", "New clip request…"))
    verify = menu.addAction(QCoreApplication.translate("EvidencePanels", "Verify clip file…"))
    refresh = menu.addAction(QCoreApplication.translate("EvidencePanels", "Refresh requests"))

    panels = EvidencePanels(window, bookmarks, clips, bookmarks_panel, requests_panel,
                            player_widget, bookmarks_dock, requests_dock, player_dock, menu,
                            requests_action)
    new_request.triggered.connect(lambda: panels.request_clip())
    def verify_file() -> None:
        requests_dock.show()
        requests_panel.ask_verify()

    verify.triggered.connect(verify_file)
    refresh.triggered.connect(clips.refresh)
    bookmarks_panel.clip_requested.connect(panels.request_clip)
    requests_panel.play_requested.connect(panels.play)

    def show_badge(count: int) -> None:
        title = QCoreApplication.translate("EvidencePanels", "Requests")
        text = f"{title} ({count})" if count else title
        requests_dock.setWindowTitle(text)
        requests_action.setText(text)

    clips.badge_changed.connect(show_badge)
    return panels
