"""The operating unit's "Public cameras" dialog (Art. 14): every camera of its scope
with a checkbox; ticking one marks it public at once (``/public/v1/cameras`` lists it without
login), unticking takes it back. Each change is the server's (audited there); a refused one
is shown in the dialog and the box goes back to what the server holds.

Non-modal (``open()``): polling and the wall go on while it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import arg
from app.public_cameras import PublicCameraRow, PublicCameraService
from widgets.forms import ERROR_STYLE
from widgets.tables import cell, is_checked, read_only_table, row_objects

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class PublicCamerasDialog(QDialog):
    COLUMNS = (QT_TRANSLATE_NOOP("PublicCamerasDialog", "Public"),
               QT_TRANSLATE_NOOP("PublicCamerasDialog", "Camera"),
               QT_TRANSLATE_NOOP("PublicCamerasDialog", "Ward"),
               QT_TRANSLATE_NOOP("PublicCamerasDialog", "Location"))

    def __init__(self, service: PublicCameraService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.setWindowTitle(self.tr("Public cameras"))
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "A ticked camera is shown to the public without login (Art. 14): its name, ward, "
            "location and a recent picture. Never its stream or its credentials."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = read_only_table([self.tr(str(c)) for c in self.COLUMNS],
                                     selection=QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.table, 1)
        self.status_label = QLabel(self.tr("Loading cameras…"))
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._filling = False
        self.table.itemChanged.connect(self._on_item_changed)
        service.cameras_loaded.connect(self._fill)
        service.camera_changed.connect(self._on_changed)
        service.failed.connect(self._on_failed)
        service.load()

    # -- rows ------------------------------------------------------------------------------------
    def rows(self) -> list[PublicCameraRow]:
        return row_objects(self.table, ROW_ROLE)

    def checkbox(self, camera_id: int) -> QTableWidgetItem | None:
        for row in range(self.table.rowCount()):
            item = cell(self.table, row)
            if item.data(ROW_ROLE).id == camera_id:
                return item
        return None

    def checked_ids(self) -> set[int]:
        found = set()
        for row in range(self.table.rowCount()):
            item = cell(self.table, row)
            if is_checked(item):
                found.add(item.data(ROW_ROLE).id)
        return found

    def _fill(self, rows: list[PublicCameraRow]) -> None:
        self._filling = True
        self.table.setRowCount(0)
        for camera in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            box = QTableWidgetItem()
            box.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            box.setCheckState(Qt.CheckState.Checked if camera.public
                              else Qt.CheckState.Unchecked)
            box.setData(ROW_ROLE, camera)
            self.table.setItem(row, 0, box)
            for column, text in enumerate((camera.name, camera.ward, camera.location), 1):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._filling = False
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("%1 of %2 cameras are public"),
                                      sum(r.public for r in rows), len(rows)))

    def _set_box(self, item: QTableWidgetItem, public: bool, enabled: bool = True) -> None:
        self._filling = True
        item.setCheckState(Qt.CheckState.Checked if public else Qt.CheckState.Unchecked)
        flags = Qt.ItemFlag.ItemIsUserCheckable | (Qt.ItemFlag.ItemIsEnabled if enabled
                                                   else Qt.ItemFlag.NoItemFlags)
        item.setFlags(flags)
        self._filling = False

    # -- changes ---------------------------------------------------------------------------------
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        camera: PublicCameraRow = item.data(ROW_ROLE)
        public = item.checkState() == Qt.CheckState.Checked
        if public == camera.public:
            return
        self._set_box(item, public, enabled=False)  # until the server answers
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("Saving %1…"), camera.name))
        self._service.set_public(camera.id, public)

    def _on_changed(self, camera: PublicCameraRow) -> None:
        item = self.checkbox(camera.id)
        if item is None:
            return
        self._filling = True
        item.setData(ROW_ROLE, camera)
        self._filling = False
        self._set_box(item, camera.public)
        self.status_label.setStyleSheet("")
        self.status_label.setText(
            arg(self.tr("%1 is public now") if camera.public else self.tr("%1 is no longer public"),
                camera.name))

    def _on_failed(self, camera_id: int, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)
        item = self.checkbox(camera_id) if camera_id else None
        if item is not None:
            self._set_box(item, item.data(ROW_ROLE).public)


def open_public_cameras(service: PublicCameraService,
                        parent: QWidget | None = None) -> PublicCamerasDialog:
    """The dialog over the session's service (the dialog is deleted when closed)."""
    dialog = PublicCamerasDialog(service, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
