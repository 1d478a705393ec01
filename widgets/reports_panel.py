"""The "Reports" panel (Art. 15.3, 11.3.a): pick a quarterly, 6-monthly, yearly or ad hoc
period, see the server's figures in tables and as bar plots, and save the server's PDF or
CSV (Vietnamese) to a file the user picks.

The figures are the server's (``ReportService``); this panel only lays them out. File dialogs
are opened with ``open()`` so the event loop keeps running.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bookmarks import vn_text, vn_time
from app.i18n import arg
from app.reports import ExportFormat, Report, ReportQuery, ReportService
from common.vocabulary import ReportKind
from widgets.export_purpose import export_purpose, purpose_edit
from widgets.forms import ERROR_STYLE
from widgets.tables import read_only_table, texts

BAR_COLOUR = QColor("#2b6cb0")


def hours_text(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 3600:.2f}"


def minutes_text(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} %"


class BarChart(QWidget):
    """A horizontal bar plot of labelled values (the PDF's plots, drawn by Qt)."""

    ROW = 22

    def __init__(self, title: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.bars: list[tuple[str, float]] = []
        self.setMinimumHeight(60)

    def set_bars(self, bars: list[tuple[str, float]]) -> None:
        self.bars = list(bars)
        self.setMinimumHeight(40 + self.ROW * max(1, len(self.bars)))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return QSize(520, 40 + self.ROW * max(1, len(self.bars)))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().windowText().color()
        painter.setPen(text_colour)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignmentFlag.AlignLeft,
                         f"{self.title} ({self.unit})")
        font.setBold(False)
        painter.setFont(font)
        if not self.bars:
            painter.drawText(QRectF(0, 22, self.width(), 20), Qt.AlignmentFlag.AlignLeft,
                             self.tr("No data in this period"))
            return
        label_width = min(self.width() * 0.4, 240.0)
        plot_width = max(10.0, self.width() - label_width - 70)
        top = max(v for _l, v in self.bars) or 1.0
        metrics = painter.fontMetrics()
        for index, (label, value) in enumerate(self.bars):
            y = 26 + index * self.ROW
            painter.setPen(text_colour)
            painter.drawText(QRectF(0, y, label_width - 6, self.ROW - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                int(label_width - 6)))
            width = plot_width * value / top
            painter.fillRect(QRectF(label_width, y + 2, width, self.ROW - 8), BAR_COLOUR)
            painter.drawText(QRectF(label_width + width + 4, y, 66, self.ROW - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{value:g}")


def _table(headers: list[str]) -> QTableWidget:
    return read_only_table(headers, selection=QAbstractItemView.SelectionMode.ExtendedSelection)


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(0)
    for cells in rows:
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column > 0 and text[:1].isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


def cells(table: QTableWidget) -> list[list[str]]:
    """The table's texts, row by row (for tests and copy)."""
    return texts(table)


class ReportsPanel(QWidget):
    """Period choice, figures, plots and exports of the operating reports."""

    def __init__(self, service: ReportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.report: Report | None = None
        self.file_dialog: QFileDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        form = QFormLayout()
        self.kind_combo = QComboBox()
        for kind, text in ((ReportKind.QUARTERLY, self.tr("Quarterly")),
                           (ReportKind.SIX_MONTHLY, self.tr("6-monthly")),
                           (ReportKind.YEARLY, self.tr("Yearly")),
                           (ReportKind.AD_HOC, self.tr("Ad hoc"))):
            self.kind_combo.addItem(text, kind)
        form.addRow(self.tr("Report"), self.kind_combo)
        today = vn_time(datetime.now(UTC)).date()
        period_row = QHBoxLayout()
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(today.year)
        self.part_combo = QComboBox()
        period_row.addWidget(self.year_spin)
        period_row.addWidget(self.part_combo, 1)
        self.period_label = QLabel(self.tr("Year and part"))
        form.addRow(self.period_label, period_row)
        range_row = QHBoxLayout()
        self.start_edit = QDateEdit()
        self.end_edit = QDateEdit()
        for editor in (self.start_edit, self.end_edit):
            editor.setDisplayFormat("dd/MM/yyyy")
            editor.setCalendarPopup(True)
        self.start_edit.setDate(QDate(today.year, today.month, 1))
        self.end_edit.setDate(QDate(today.year, today.month, today.day))
        range_row.addWidget(self.start_edit)
        range_row.addWidget(QLabel("–"))
        range_row.addWidget(self.end_edit)
        range_row.addStretch(1)
        self.range_label = QLabel(self.tr("From – to (UTC+7, inclusive)"))
        form.addRow(self.range_label, range_row)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.show_button = QPushButton(self.tr("Show report"))
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        for button in (self.show_button, self.pdf_button, self.csv_button):
            buttons.addWidget(button)
        self.purpose_edit = purpose_edit()
        buttons.addWidget(self.purpose_edit, 1)
        layout.addLayout(buttons)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.title_label)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

        self.tabs = QTabWidget()
        self.cameras_table = _table([
            self.tr("Camera"), self.tr("Ward"), self.tr("Recorded (h)"),
            self.tr("Availability"), self.tr("Recording gaps (h)"),
            self.tr("Offline incidents (h)"),
            self.tr("Seen live by clients")])
        self.tabs.addTab(self.cameras_table, self.tr("Cameras"))
        incidents = QWidget()
        incidents_layout = QVBoxLayout(incidents)
        self.incidents_label = QLabel()
        self.incidents_label.setWordWrap(True)
        self.incidents_table = _table([self.tr("Figure"), self.tr("Count")])
        incidents_layout.addWidget(self.incidents_label)
        incidents_layout.addWidget(self.incidents_table, 1)
        self.tabs.addTab(incidents, self.tr("Incidents"))
        clips = QWidget()
        clips_layout = QVBoxLayout(clips)
        self.clips_label = QLabel()
        self.clips_label.setWordWrap(True)
        self.clips_table = _table([self.tr("Unit"), self.tr("Requests"), self.tr("Approved"),
                                   self.tr("Rejected"), self.tr("Pending"),
                                   self.tr("Mean time to approve (min)")])
        clips_layout.addWidget(self.clips_label)
        clips_layout.addWidget(self.clips_table, 1)
        self.tabs.addTab(clips, self.tr("Clip requests"))
        cases = QWidget()
        cases_layout = QVBoxLayout(cases)
        self.cases_label = QLabel()
        self.cases_label.setWordWrap(True)
        self.cases_table = _table([self.tr("Figure"), self.tr("Count")])
        cases_layout.addWidget(self.cases_label)
        cases_layout.addWidget(self.cases_table, 1)
        self.tabs.addTab(cases, self.tr("Violation cases"))
        plots = QWidget()
        plots_layout = QVBoxLayout(plots)
        self.availability_chart = BarChart(self.tr("Availability by camera"), "%")
        self.incidents_chart = BarChart(self.tr("Incidents by kind"), self.tr("incidents"))
        self.clips_chart = BarChart(self.tr("Clip requests by unit"), self.tr("requests"))
        self.cases_chart = BarChart(self.tr("Violation cases by state"), self.tr("cases"))
        self.charts = (self.availability_chart, self.incidents_chart, self.clips_chart,
                       self.cases_chart)
        for chart in self.charts:
            plots_layout.addWidget(chart)
        plots_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(plots)
        self.tabs.addTab(scroll, self.tr("Plots"))
        layout.addWidget(self.tabs, 1)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.show_button.clicked.connect(self.show_report)
        self.pdf_button.clicked.connect(lambda: self.ask_export(ExportFormat.PDF))
        self.csv_button.clicked.connect(lambda: self.ask_export(ExportFormat.CSV))
        service.loaded.connect(self.set_report)
        service.exported.connect(self._on_exported)
        service.failed.connect(self._on_failed)
        self._kind_changed()
        self.part_combo.setCurrentIndex((today.month - 1) // 3)

    # -- the period -------------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        kind = self.kind()
        ad_hoc = kind is ReportKind.AD_HOC
        shown: list[tuple[QWidget, bool]] = [
            (self.start_edit, ad_hoc), (self.end_edit, ad_hoc), (self.range_label, ad_hoc),
            (self.year_spin, not ad_hoc), (self.period_label, not ad_hoc)]
        for widget, visible in shown:
            widget.setVisible(visible)
        self.part_combo.setVisible(kind in (ReportKind.QUARTERLY, ReportKind.SIX_MONTHLY))
        self.part_combo.clear()
        if kind is ReportKind.QUARTERLY:
            for quarter in range(1, 5):
                self.part_combo.addItem(arg(self.tr("Quarter %1"), quarter), quarter)
        elif kind is ReportKind.SIX_MONTHLY:
            self.part_combo.addItem(self.tr("First half"), 1)
            self.part_combo.addItem(self.tr("Second half"), 2)

    def kind(self) -> ReportKind:
        return ReportKind(self.kind_combo.currentData())

    def set_period(self, kind: ReportKind, *, year: int | None = None, part: int | None = None,
                   start: date | None = None, end: date | None = None) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        if year is not None:
            self.year_spin.setValue(year)
        if part is not None:
            self.part_combo.setCurrentIndex(max(0, self.part_combo.findData(part)))
        if start is not None:
            self.start_edit.setDate(QDate(start.year, start.month, start.day))
        if end is not None:
            self.end_edit.setDate(QDate(end.year, end.month, end.day))

    def query(self) -> ReportQuery:
        kind = self.kind()
        if kind is ReportKind.AD_HOC:
            start, end = self.start_edit.date(), self.end_edit.date()
            return ReportQuery(kind, start=date(start.year(), start.month(), start.day()),
                               end=date(end.year(), end.month(), end.day()))
        part = self.part_combo.currentData() if kind is not ReportKind.YEARLY else None
        return ReportQuery(kind, year=self.year_spin.value(), part=part)

    # -- fetch and show ---------------------------------------------------------------------------
    def show_report(self) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading the report…"))
        self._service.fetch(self.query())

    def set_report(self, report: Report) -> None:
        self.report = report
        self.status_label.setText("")
        self.title_label.setText(arg(self.tr("%1: %2 (%3 – %4, UTC+7); made %5"),
                                     self.kind_combo.itemText(
                                         max(0, self.kind_combo.findData(ReportKind(report.kind)))),
                                     report.label, vn_text(report.start, seconds=False),
                                     vn_text(report.end, seconds=False),
                                     vn_text(report.generated_at)))
        _fill(self.cameras_table, [
            [r.camera, r.ward, hours_text(r.recorded_seconds),
             percent_text(r.availability_percent), hours_text(r.gap_seconds),
             hours_text(r.offline_incident_seconds),
             percent_text(r.client_availability_percent)] for r in report.availability])
        inc = report.incidents
        self.incidents_label.setText(
            arg(self.tr("%1 incidents; mean time to acknowledge %2 min, to resolve %3 min"),
                inc.count, minutes_text(inc.mean_seconds_to_acknowledge),
                minutes_text(inc.mean_seconds_to_resolve)))
        _fill(self.incidents_table,
              [[arg(self.tr("Kind: %1"), self.incident_kind(k)), str(v)]
               for k, v in inc.by_kind.items()]
              + [[arg(self.tr("State: %1"), self.incident_state(s)), str(v)]
                 for s, v in inc.by_state.items()])
        clips = report.clip_requests
        self.clips_label.setText(arg(self.tr("%1 clip requests; mean time to approve %2 min"),
                                     clips.count, minutes_text(clips.mean_seconds_to_approve)))
        _fill(self.clips_table, [
            [r.unit, str(r.count), str(r.approved), str(r.rejected), str(r.pending),
             minutes_text(r.mean_seconds_to_approve)] for r in clips.by_unit])
        cases = report.cases
        self.cases_label.setText(
            arg(self.tr("%1 violation cases; %2 overdue now; %3 steps done late"),
                cases.count, cases.overdue_now, cases.steps_done_late))
        _fill(self.cases_table,
              [[arg(self.tr("Kind: %1"), self.case_kind(k)), str(v)]
               for k, v in cases.by_kind.items()]
              + [[arg(self.tr("State: %1"), self.case_state(s)), str(v)]
                 for s, v in cases.by_state.items()]
              + [[self.tr("Overdue now"), str(cases.overdue_now)],
                 [self.tr("Steps done late"), str(cases.steps_done_late)]])
        self.availability_chart.set_bars([(r.camera, r.availability_percent or 0.0)
                                          for r in report.availability])
        self.incidents_chart.set_bars([(self.incident_kind(k), float(v))
                                       for k, v in inc.by_kind.items()])
        self.clips_chart.set_bars([(r.unit, float(r.count)) for r in clips.by_unit])
        self.cases_chart.set_bars([(self.case_state(s), float(v))
                                   for s, v in cases.by_state.items()])

    def incident_kind(self, kind: str) -> str:
        return {"offline": self.tr("offline"), "obstructed": self.tr("obstructed"),
                "too_dark": self.tr("too dark"), "ptz_broken": self.tr("PTZ broken"),
                "clock_drift": self.tr("clock off"), "gateway_down": self.tr("gateway down"),
                "stream_lost": self.tr("stream lost"),
                "recorder_stopped": self.tr("recording stopped"),
                "disk_full": self.tr("disk full"), "storage_failure": self.tr("storage failure"),
                "database_unreachable": self.tr("database unreachable"),
                "process_restarted": self.tr("process restarted"),
                "software_error": self.tr("software error"),
                "network_down": self.tr("network down"),
                "other": self.tr("other")}.get(kind, kind)

    def incident_state(self, state: str) -> str:
        return {"open": self.tr("open"), "acknowledged": self.tr("acknowledged"),
                "resolved": self.tr("resolved")}.get(state, state)

    def case_kind(self, kind: str) -> str:
        return {"red_light": self.tr("red light"), "lane": self.tr("wrong lane"),
                "stopping_parking": self.tr("stopping, parking"),
                "other_traffic": self.tr("other traffic"),
                "public_order": self.tr("public order"), "other": self.tr("other")
                }.get(kind, kind)

    def case_state(self, state: str) -> str:
        return {"opened": self.tr("opened"), "sent": self.tr("sent to police"),
                "concluded": self.tr("verified"),
                "conclusion_reported": self.tr("conclusion reported"),
                "record_made": self.tr("record made"), "decided": self.tr("decided"),
                "closed": self.tr("closed")}.get(state, state)

    # -- export -----------------------------------------------------------------------------------
    def ask_export(self, fmt: ExportFormat) -> QFileDialog | None:
        """Ask where to save the PDF or CSV of the chosen period, then export (nothing without
        the export's purpose)."""
        if export_purpose(self.purpose_edit, self.status_label) is None:
            return None
        query = self.query()
        suffix = fmt.value
        name = f"bao-cao-{query.kind.value}.{suffix}"
        dialog = QFileDialog(self, self.tr("Save the report"), str(Path.home() / name),
                             self.tr("PDF (*.pdf)") if fmt is ExportFormat.PDF
                             else self.tr("CSV (*.csv)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export_to(fmt, Path(path), query))
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, fmt: ExportFormat, path: Path, query: ReportQuery | None = None) -> None:
        purpose = export_purpose(self.purpose_edit, self.status_label)
        if purpose is None:
            return
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Exporting…"))
        self._service.export(query or self.query(), fmt, path, purpose)

    def _on_exported(self, path: Path) -> None:
        self.status_label.setStyleSheet("color: #4caf50;")
        self.status_label.setText(arg(self.tr("Saved to %1"), path))

    def _on_failed(self, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)
