"""The Administration window's "Public data" tab: the shareable-data catalogue of Art. 14.

Administrators tick the traffic cameras the public may see and the kinds of traffic violation
whose (blurred, approved) media may be published. Only traffic cameras and traffic violations
are offered: the server refuses anything else. Saving replaces the catalogue; what is unticked
leaves the public at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.admin import AdminService
from app.domain.admin import AdminCamera
from app.i18n import arg
from common.records import PublicCatalogue
from common.vocabulary import TRAFFIC_CASE_KINDS, CameraSystem, CaseKind
from widgets.admin_forms import refusal
from widgets.case_dialogs import CaseTexts
from widgets.forms import ERROR_STYLE


def _checked(widget: QListWidget) -> list[object]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class CatalogueTab(QWidget):
    def __init__(self, admin: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publicCatalogue")
        self._admin = admin
        self._catalogue: PublicCatalogue | None = None
        self._cameras: list[AdminCamera] = []
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "The shareable-data catalogue (Art. 14): the public app shows only the traffic "
            "cameras and the kinds of traffic violation ticked here. A camera unticked leaves "
            "the public at once."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        lists = QHBoxLayout()
        layout.addLayout(lists, 1)
        column = QVBoxLayout()
        column.addWidget(QLabel(self.tr("Traffic cameras the public may see")))
        self.camera_list = QListWidget()
        column.addWidget(self.camera_list)
        lists.addLayout(column, 2)
        column = QVBoxLayout()
        column.addWidget(QLabel(self.tr("Violations whose media may be published")))
        self.kind_list = QListWidget()
        texts = CaseTexts(self)
        for kind in CaseKind:
            if kind.value in TRAFFIC_CASE_KINDS:
                item = QListWidgetItem(texts.kind(kind))
                item.setData(Qt.ItemDataRole.UserRole, kind.value)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.kind_list.addItem(item)
        column.addWidget(self.kind_list)
        lists.addLayout(column, 1)
        row = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        row.addWidget(self.status_label, 1)
        self.save_button = QPushButton(self.tr("Save the catalogue"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)

    def load(self) -> None:
        if self._catalogue is None:
            self.status_label.setStyleSheet("")
            self.status_label.setText(self.tr("Loading…"))
        self._admin.public_catalogue(owner=self).success(self.show_catalogue) \
            .failure(self._failed)

    def set_cameras(self, cameras: list[AdminCamera]) -> None:
        self._cameras = [c for c in cameras if c.system == CameraSystem.TRAFFIC and c.is_active]
        self._fill_cameras()

    def show_catalogue(self, catalogue: PublicCatalogue) -> None:
        if self._catalogue is None:
            self.status_label.setText("")
        self._catalogue = catalogue
        self._fill_cameras()
        for i in range(self.kind_list.count()):
            item = self.kind_list.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in
                               catalogue.violation_kinds else Qt.CheckState.Unchecked)

    def _fill_cameras(self) -> None:
        listed = set(self._catalogue.camera_ids) if self._catalogue else set()
        self.camera_list.clear()
        for camera in sorted(self._cameras, key=lambda c: (c.name, c.id)):
            item = QListWidgetItem(f"{camera.name} — {camera.ward}")
            item.setData(Qt.ItemDataRole.UserRole, camera.id)
            item.setCheckState(Qt.CheckState.Checked if camera.id in listed
                               else Qt.CheckState.Unchecked)
            self.camera_list.addItem(item)

    def save(self) -> None:
        cameras = [int(str(v)) for v in _checked(self.camera_list)]
        kinds = [str(v) for v in _checked(self.kind_list)]
        self.save_button.setEnabled(False)
        self._admin.set_public_catalogue(cameras, kinds, owner=self) \
            .success(self._saved).failure(self._failed)

    def _saved(self, catalogue: PublicCatalogue) -> None:
        self.save_button.setEnabled(True)
        self.show_catalogue(catalogue)
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("Saved: %1 camera(s), %2 kind(s) of violation."),
                                      len(catalogue.camera_ids),
                                      len(catalogue.violation_kinds)))

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(refusal(error)[1])
