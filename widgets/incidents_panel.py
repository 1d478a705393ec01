"""Incidents (Art. 8, 15.4): the fault report from a tile, and the duty desk's dock.

"Report a fault…" (a tile's context menu) grabs the tile's picture first — from the screen, as
the X server shows libvlc's pixels (the widget never touches VLC) — then asks kind and note;
the snapshot is attached unless the user unticks it. The "Incidents" dock (operating unit) lists
open / acknowledged / resolved incidents of cameras and of the system (category, the camera or
the subject, "System" as the reporter of those the server filed itself) with their times to
acknowledge and resolve, shows each report and its snapshot, acknowledges or resolves with a
note, and reports a fault that is not a camera's ("Report a fault…": category, kind, subject,
note). The dock is a :class:`widgets.list_detail.ListDetailPanel` with the snapshots under its
detail.

Signals (IncidentsPanel):
    badge_changed(int): open incidents not yet acknowledged (forwarded from the service).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.bookmarks import vn_text
from app.i18n import arg
from app.incidents import Incident, IncidentService
from common.records import UserRef
from common.vocabulary import INCIDENT_KINDS, IncidentCategory, IncidentKind, IncidentState
from widgets.forms import ReasonDialog, form_footer
from widgets.list_detail import Action, Column, ListDetailPanel, always

STATE_COLOURS = {IncidentState.OPEN: "#e06c6c", IncidentState.ACKNOWLEDGED: "#f0b400",
                 IncidentState.RESOLVED: "#4caf50"}


def _state_colour(incident: Incident) -> str:
    return STATE_COLOURS.get(IncidentState(incident.state), "#ffffff")


SNAPSHOT_QUALITY = 85


def grab_picture(surface: QWidget) -> bytes | None:
    """The picture of a native video surface as the screen shows it, as JPEG; None when the
    surface is not on screen. libvlc draws into the X window, so only the screen has it."""
    if not surface.isVisible() or surface.width() < 2 or surface.height() < 2:
        return None
    screen = surface.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    origin = surface.mapToGlobal(surface.rect().topLeft()) - screen.geometry().topLeft()
    pixmap = screen.grabWindow(0, origin.x(), origin.y(), surface.width(), surface.height())
    if pixmap.isNull():
        return None
    return jpeg_bytes(pixmap.toImage())


def jpeg_bytes(image: QImage) -> bytes | None:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "JPG", SNAPSHOT_QUALITY):  # type: ignore[call-overload]
        return None
    return bytes(data.data())


def kind_names(owner: QWidget) -> dict[str, str]:
    """The fault kinds' names (one context, "IncidentKinds", whoever shows them)."""
    return {
        IncidentKind.OFFLINE: QCoreApplication.translate("IncidentKinds", "Offline / no picture"),
        IncidentKind.OBSTRUCTED: QCoreApplication.translate("IncidentKinds", "View obstructed"),
        IncidentKind.TOO_DARK: QCoreApplication.translate("IncidentKinds", "Too dark"),
        IncidentKind.PTZ_BROKEN: QCoreApplication.translate("IncidentKinds", "PTZ broken"),
        IncidentKind.CLOCK_DRIFT: QCoreApplication.translate("IncidentKinds", "Clock off"),
        IncidentKind.GATEWAY_DOWN: QCoreApplication.translate("IncidentKinds", "Gateway down"),
        IncidentKind.STREAM_LOST: QCoreApplication.translate("IncidentKinds", "Stream lost"),
        IncidentKind.RECORDER_STOPPED: QCoreApplication.translate("IncidentKinds",
                                                                  "Recording stopped"),
        IncidentKind.DISK_FULL: QCoreApplication.translate("IncidentKinds", "Disk full"),
        IncidentKind.STORAGE_FAILURE: QCoreApplication.translate("IncidentKinds",
                                                                 "Storage failure"),
        IncidentKind.DATABASE_UNREACHABLE: QCoreApplication.translate(
            "IncidentKinds", "Database unreachable"),
        IncidentKind.PROCESS_RESTARTED: QCoreApplication.translate("IncidentKinds",
                                                                   "Process restarted"),
        IncidentKind.SOFTWARE_ERROR: QCoreApplication.translate("IncidentKinds",
                                                                "Software error"),
        IncidentKind.NETWORK_DOWN: QCoreApplication.translate("IncidentKinds", "Network down"),
        IncidentKind.OTHER: QCoreApplication.translate("IncidentKinds", "Other"),
    }


def category_names() -> dict[str, str]:
    """The categories' names, in the order a form offers them."""
    return {
        IncidentCategory.CAMERA: QCoreApplication.translate("IncidentKinds", "Camera"),
        IncidentCategory.SERVER: QCoreApplication.translate("IncidentKinds", "Server"),
        IncidentCategory.SOFTWARE: QCoreApplication.translate("IncidentKinds", "Software"),
        IncidentCategory.STORAGE: QCoreApplication.translate("IncidentKinds", "Storage"),
        IncidentCategory.NETWORK: QCoreApplication.translate("IncidentKinds", "Network"),
    }


def who_text(user: UserRef | None) -> str:
    """A person, or the system for what the server filed or cleared by itself."""
    return user.label if user is not None else QCoreApplication.translate("IncidentKinds",
                                                                          "System")


def duration_text(owner: QWidget, seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    if minutes < 60:
        return arg(QCoreApplication.translate("IncidentKinds", "%1 min"), minutes)
    text = QCoreApplication.translate("IncidentKinds", "%1 h %2 min")
    return arg(text, minutes // 60, minutes % 60)


class FaultReportDialog(QDialog):
    """Kind, note and the tile's snapshot (taken when the user asked, before this opened)."""

    def __init__(self, camera_id: int, camera_name: str, snapshot: bytes | None,
                 parent: QWidget | None = None, *, kind: str | None = None) -> None:
        super().__init__(parent)
        self.camera_id = camera_id
        self.snapshot = snapshot
        self.setWindowTitle(arg(self.tr("Report a fault: %1"), camera_name))
        form = QFormLayout(self)
        self.kind_combo = QComboBox()
        names = kind_names(self)
        for value in INCIDENT_KINDS[IncidentCategory.CAMERA]:  # a camera's faults only
            self.kind_combo.addItem(names[value], value.value)
        if kind is not None:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        form.addRow(self.tr("Fault"), self.kind_combo)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("What do you see? (optional)"))
        self.note_edit.setMaximumHeight(80)
        form.addRow(self.tr("Note"), self.note_edit)
        self.preview = QLabel()
        self.preview.setObjectName("faultSnapshot")
        self.attach_check = QCheckBox(self.tr("Attach the tile's picture"))
        if snapshot:
            pixmap = QPixmap()
            pixmap.loadFromData(snapshot)
            self.preview.setPixmap(pixmap.scaledToWidth(min(320, max(1, pixmap.width()))))
            self.attach_check.setChecked(True)
        else:
            self.preview.setText(self.tr("No picture to attach"))
            self.attach_check.setEnabled(False)
        form.addRow(self.preview)
        form.addRow(self.attach_check)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Report"))

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def attached(self) -> bytes | None:
        return self.snapshot if self.attach_check.isChecked() else None

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)


def _open_report(dialog: Any, service: IncidentService, send: Callable[[], None],
                 answered: Callable[[Incident], bool]) -> None:
    """Report sends (``send``); the dialog closes on the service's answer for it (``answered``)
    and stays open with the error on a refusal; its connections to the service end with it."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(incident: Incident, _opened: bool) -> None:
        if answered(incident):
            dialog.accept()

    def cleanup() -> None:
        service.reported.disconnect(done)
        service.action_failed.disconnect(dialog.show_error)

    dialog.buttons.accepted.connect(send)
    service.reported.connect(done)
    service.action_failed.connect(dialog.show_error)
    dialog.finished.connect(lambda _r: cleanup())
    dialog.open()


def ask_fault_report(parent: QWidget, service: IncidentService, camera_id: int,
                     camera_name: str, snapshot: bytes | None) -> FaultReportDialog:
    """Open the fault dialog; Report sends it (the dialog stays open on an error)."""
    dialog = FaultReportDialog(camera_id, camera_name, snapshot, parent)

    def send() -> None:
        dialog.buttons.setEnabled(False)
        service.report(camera_id, dialog.kind(), dialog.note(), dialog.attached())

    _open_report(dialog, service, send, lambda incident: incident.camera_id == camera_id)
    return dialog


class SystemFaultDialog(QDialog):
    """A fault that is not a camera's: its category, kind, what it is about, and a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Report a fault of the system"))
        form = QFormLayout(self)
        self.category_combo = QComboBox()
        for value, name in category_names().items():
            if value != IncidentCategory.CAMERA:
                self.category_combo.addItem(name, value)
        form.addRow(self.tr("Category"), self.category_combo)
        self.kind_combo = QComboBox()
        form.addRow(self.tr("Fault"), self.kind_combo)
        self.subject_edit = QLineEdit()
        self.subject_edit.setMaxLength(200)
        self.subject_edit.setPlaceholderText(
            self.tr("What it is about: a server, a workstation, a disk, a line"))
        form.addRow(self.tr("Subject"), self.subject_edit)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("What do you see? (optional)"))
        self.note_edit.setMaximumHeight(80)
        form.addRow(self.tr("Note"), self.note_edit)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Report"))
        self.category_combo.currentIndexChanged.connect(self._fill_kinds)
        self._fill_kinds()

    def _fill_kinds(self) -> None:
        names = kind_names(self)
        self.kind_combo.clear()
        for kind in INCIDENT_KINDS[IncidentCategory(self.category())]:
            self.kind_combo.addItem(names.get(kind, kind), kind.value)

    def category(self) -> str:
        return str(self.category_combo.currentData())

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def subject(self) -> str:
        return " ".join(self.subject_edit.text().split())

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)


def ask_system_fault(parent: QWidget, service: IncidentService) -> SystemFaultDialog:
    """Open the system fault dialog; Report sends it (the dialog stays open on an error)."""
    dialog = SystemFaultDialog(parent)

    def send() -> None:
        if not dialog.subject():
            dialog.show_error(QCoreApplication.translate("SystemFaultDialog",
                                                         "Say what the fault is about"))
            return
        dialog.buttons.setEnabled(False)
        service.report_fault(dialog.category(), dialog.subject(), dialog.kind(), dialog.note())

    _open_report(dialog, service, send, lambda incident: incident.camera_id is None
                 and incident.subject.casefold() == dialog.subject().casefold())
    return dialog


class ResolveDialog(ReasonDialog):
    """What was done (the server keeps it with the time to resolve)."""

    def __init__(self, incident: Incident, parent: QWidget | None = None) -> None:
        super().__init__(
            arg(self.tr("Resolve incident #%1"), incident.id),
            self.tr("Resolution"), self.tr("What was done (at least 3 characters)"),
            parent=parent)
        self.resolution_edit = self.reason_edit

    def resolution(self) -> str:
        return self.reason()


class IncidentsPanel(ListDetailPanel[Incident]):
    badge_changed = Signal(int)

    COLUMNS = (
        QT_TRANSLATE_NOOP("IncidentsPanel", "#"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "Category"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "Camera / subject"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "Ward"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "Fault"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "State"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "Reported (UTC+7)"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "Reported by"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "Reports"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "To acknowledge"),
        QT_TRANSLATE_NOOP("IncidentsPanel", "To resolve"),
    )
    STATE_COLUMN = 5

    def __init__(self, service: IncidentService, *, can_handle: bool = True,
                 parent: QWidget | None = None) -> None:
        categories = category_names()
        cells: tuple[Callable[[Incident], str], ...] = (
            lambda i: str(i.id), lambda i: categories.get(i.category, i.category),
            lambda i: i.subject, lambda i: i.ward or "", self._fault_text,
            lambda i: self.state_text(i.state), lambda i: vn_text(i.reported_at),
            lambda i: who_text(i.reported_by), lambda i: str(len(i.reports)),
            lambda i: duration_text(self, i.seconds_to_acknowledge),
            lambda i: duration_text(self, i.seconds_to_resolve))
        columns = [Column(QCoreApplication.translate("IncidentsPanel", str(title)), text,
                          colour=_state_colour if index == self.STATE_COLUMN else None)
                   for index, (title, text) in enumerate(zip(self.COLUMNS, cells, strict=True))]
        super().__init__(columns, render=self.detail_html, keep=self._visible, parent=parent)
        self._service = service
        self.kinds = kind_names(self)
        self.can_handle = can_handle
        self._snapshot: tuple[int, int] | None = None
        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("Open and acknowledged"), "active")
        for state in IncidentState:
            self.state_combo.addItem(self.state_text(state), state.value)
        self.state_combo.addItem(self.tr("All"), None)
        self.add_filter(self.tr("Show"), self.state_combo, self.apply_filter)

        self.snapshot_label = QLabel()
        self.snapshot_label.setObjectName("incidentSnapshot")
        self.snapshot_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.snapshot_label.setMinimumHeight(120)
        self.report_combo = QComboBox()
        self.detail_column.addWidget(self.report_combo)
        self.detail_column.addWidget(self.snapshot_label, 1)

        self.acknowledge_button = self.add_action(Action(
            "acknowledge", self.tr("Acknowledge"), self.acknowledge_selected,
            lambda i: self.can_handle and i is not None and i.state == IncidentState.OPEN))
        self.resolve_button = self.add_action(Action(
            "resolve", self.tr("Resolve…"), self.ask_resolve,
            lambda i: self.can_handle and i is not None and i.state in (
                IncidentState.OPEN, IncidentState.ACKNOWLEDGED)))
        self.report_button = self.add_action(Action(
            "report_fault", self.tr("Report a fault…"), self.ask_system_fault, always))
        self.refresh_button = self.add_action(Action(
            "refresh", self.tr("Refresh"), service.refresh, always))

        self.selection_changed.connect(self._show_snapshots)
        self.report_combo.currentIndexChanged.connect(self._load_snapshot)
        service.incidents_changed.connect(self.set_items)
        service.list.item_changed.connect(self.replace_item)
        service.open_count_changed.connect(self.badge_changed)
        service.incident_changed.connect(self._on_incident)
        service.action_failed.connect(self.show_error)
        service.snapshot_loaded.connect(self._on_snapshot)
        self.update_selection()

    def state_text(self, state: str) -> str:
        return {IncidentState.OPEN: self.tr("open"),
                IncidentState.ACKNOWLEDGED: self.tr("acknowledged"),
                IncidentState.RESOLVED: self.tr("resolved")}.get(state, state)  # type: ignore

    def _fault_text(self, incident: Incident) -> str:
        return self.kinds.get(incident.kind, incident.kind) \
            + (" " + self.tr("(automatic)") if incident.automatic else "")

    # -- list -------------------------------------------------------------------------------------
    def apply_filter(self) -> None:
        value = self.state_combo.currentData()
        self._service.set_state_filter(None if value in (None, "active") else value)

    def _visible(self, incident: Incident) -> bool:
        if self.state_combo.currentData() == "active":
            return incident.state != IncidentState.RESOLVED
        return True

    def incidents(self) -> list[Incident]:
        return self.items()

    # -- detail -------------------------------------------------------------------------------------
    def _show_snapshots(self, incident: Incident | None) -> None:
        """The selected incident's snapshots to choose from; the one shown stays shown."""
        shown = self._snapshot
        self.report_combo.blockSignals(True)
        self.report_combo.clear()
        for report in incident.snapshots if incident else []:
            self.report_combo.addItem(
                arg(self.tr("Snapshot of report #%1 (%2, %3)"), report.id, who_text(report.user),
                    vn_text(report.at)),
                (incident.id if incident else 0, report.id))
        self.report_combo.blockSignals(False)
        self.report_combo.setVisible(self.report_combo.count() > 0)
        if self.report_combo.count() == 0:
            self._snapshot = None
            self.snapshot_label.clear()
        elif shown is None or self.report_combo.findData(shown) < 0:
            self._load_snapshot()
        else:
            self.report_combo.setCurrentIndex(self.report_combo.findData(shown))

    def detail_html(self, incident: Incident) -> str:
        e = html.escape
        categories = category_names()
        parts = [f"<h3>{e(arg(self.tr('Incident #%1'), incident.id))} — "
                 f"{e(self.kinds.get(incident.kind, incident.kind))}</h3>",
                 f"<p>{e(categories.get(incident.category, incident.category))}: "
                 f"{e(incident.subject)}{', ' + e(incident.ward) if incident.ward else ''}<br>"
                 f"{e(self.tr('State'))}: <b>{e(self.state_text(incident.state))}</b></p>",
                 "<table cellspacing='4'>"]
        rows = [(self.tr("Reported"), incident.reported_at, incident.reported_by, None),
                (self.tr("Acknowledged"), incident.acknowledged_at, incident.acknowledged_by,
                 incident.seconds_to_acknowledge),
                (self.tr("Resolved"), incident.resolved_at, incident.resolved_by,
                 incident.seconds_to_resolve)]
        for label, at, who, seconds in rows:
            if at is None or (who is None and label == self.tr("Acknowledged")):
                continue
            after = arg(self.tr("after %1"), duration_text(self, seconds)) \
                if seconds is not None else ""
            parts.append(f"<tr><td>{e(label)}</td><td>{e(vn_text(at))} (UTC+7)</td>"
                         f"<td>{e(who_text(who))}</td><td>{e(after)}</td></tr>")
        parts.append("</table>")
        if incident.resolution:
            parts.append(f"<p>{e(self.tr('Resolution'))}: {e(incident.resolution)}</p>")
        parts.append(f"<h4>{e(self.tr('Reports'))}</h4><ul>")
        for report in incident.reports:
            auto = f" — {e(self.tr('automatic'))}" if report.automatic else ""
            note = f": {e(report.note)}" if report.note else ""
            parts.append(f"<li>{e(vn_text(report.at))} — {e(who_text(report.user))} — "
                         f"{e(self.kinds.get(report.kind, report.kind))}{auto}{note}</li>")
        parts.append("</ul>")
        return "".join(parts)

    def _load_snapshot(self) -> None:
        data = self.report_combo.currentData()
        if not data:
            return
        self._snapshot = (int(data[0]), int(data[1]))
        self._service.load_snapshot(*self._snapshot)

    def _on_snapshot(self, incident_id: int, report_id: int, content: bytes,
                     _media: str) -> None:
        if self._snapshot != (incident_id, report_id):
            return
        pixmap = QPixmap()
        if not pixmap.loadFromData(content):
            self.snapshot_label.setText(self.tr("The snapshot cannot be shown"))
            return
        self.snapshot_label.setPixmap(pixmap.scaled(
            max(1, self.snapshot_label.width()), max(120, self.snapshot_label.height()),
            Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def snapshot_shown(self) -> bool:
        pixmap = self.snapshot_label.pixmap()
        return pixmap is not None and not pixmap.isNull()

    # -- actions ------------------------------------------------------------------------------------
    def acknowledge_selected(self) -> None:
        incident = self.selected()
        if incident is not None:
            self._service.acknowledge(incident.id)

    def ask_system_fault(self) -> SystemFaultDialog:
        return ask_system_fault(self, self._service)

    def ask_resolve(self) -> ResolveDialog | None:
        incident = self.selected()
        if incident is None:
            return None
        dialog = ResolveDialog(incident, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._service.resolve(incident.id, dialog.resolution()))
        dialog.open()
        return dialog

    def _on_incident(self, incident: Incident) -> None:
        self.show_status(arg(self.tr("Incident #%1: %2"), incident.id,
                             self.state_text(incident.state)))
