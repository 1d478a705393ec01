"""The reports panel on a real backend with the server tests' seeded day: the figures appear in
the tables and the plots, the period controls follow the kind, and Export PDF / CSV save files
that parse (through the file dialog the user sees)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.messages import MessageBridge
from app.ops import Ops
from app.reports import ExportFormat, ReportKind, ReportService
from tests.app.admin_helpers import LiveBackend, live_backend
from widgets.reports_panel import ReportsPanel, cells


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[LiveBackend, dict[str, Any]]]:
    with live_backend(tmp_path_factory.mktemp("reports-panel")) as live:
        yield live, live.seed_report_data()


@pytest.fixture
def panel(seeded: tuple[LiveBackend, dict[str, Any]], ops: Ops, messages: MessageBridge,
          qtbot: QtBot) -> Iterator[ReportsPanel]:
    client: BackendClient = seeded[0].client("ioc.operator")
    widget = ReportsPanel(ReportService(client, ops, messages))
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    yield widget
    client.close()


def _show_day(panel: ReportsPanel, qtbot: QtBot) -> None:
    panel.set_period(ReportKind.AD_HOC, start=date(2026, 3, 2), end=date(2026, 3, 2))
    panel.show_button.click()
    qtbot.waitUntil(lambda: panel.report is not None, timeout=20_000)


def test_period_controls_follow_the_kind(panel: ReportsPanel) -> None:
    panel.set_period(ReportKind.QUARTERLY, year=2026, part=3)
    assert panel.part_combo.isVisible() and panel.part_combo.count() == 4
    assert not panel.start_edit.isVisible()
    assert panel.query().params() == {"kind": "quarterly", "format": "json", "year": 2026,
                                      "part": 3}
    panel.set_period(ReportKind.SIX_MONTHLY, part=2)
    assert panel.part_combo.count() == 2 and panel.query().part == 2
    panel.set_period(ReportKind.YEARLY, year=2025)
    assert not panel.part_combo.isVisible() and panel.query().params()["year"] == 2025
    assert "part" not in panel.query().params()
    panel.set_period(ReportKind.AD_HOC, start=date(2026, 3, 2), end=date(2026, 3, 4))
    assert panel.start_edit.isVisible() and not panel.year_spin.isVisible()
    assert panel.query().params() == {"kind": "ad_hoc", "format": "json",
                                      "start": "2026-03-02", "end": "2026-03-04"}


def test_figures_in_tables_and_plots(panel: ReportsPanel, qtbot: QtBot,
                                     seeded: tuple[LiveBackend, dict[str, Any]]) -> None:
    names = seeded[1]
    _show_day(panel, qtbot)
    assert "02/03/2026 – 02/03/2026" in panel.title_label.text()
    rows = {r[0]: r for r in cells(panel.cameras_table)}
    # recorded 7 h of 24, 5 h gap, 2 h offline; no client health reports were seeded
    assert rows[names["a"]][2:] == ["7.00", "29.17 %", "5.00", "2.00", "—"]
    assert rows[names["b"]][3] == "0.00 %"
    # two camera incidents and a server clock the system filed and cleared
    assert panel.incidents_label.text() == (
        "3 incidents; mean time to acknowledge 15.0 min, to resolve 120.0 min")
    assert ["Kind: offline", "1"] in cells(panel.incidents_table)
    assert ["Kind: clock off", "1"] in cells(panel.incidents_table)
    assert ["State: acknowledged", "1"] in cells(panel.incidents_table)
    clips = {r[0]: r for r in cells(panel.clips_table)}
    assert clips[names["ward_unit"]] == [names["ward_unit"], "3", "1", "1", "1", "120.0"]
    assert clips[names["ioc_unit"]][1:3] == ["1", "1"]
    assert panel.clips_label.text() == "4 clip requests; mean time to approve 60.0 min"
    case_cells = cells(panel.cases_table)
    assert ["Kind: red light", "1"] in case_cells and ["Steps done late", "1"] in case_cells
    assert panel.cases_label.text().startswith("2 violation cases;")
    assert dict(panel.availability_chart.bars)[names["a"]] == 29.17
    assert dict(panel.incidents_chart.bars) == {"clock off": 1.0, "obstructed": 1.0,
                                                "offline": 1.0}
    assert dict(panel.clips_chart.bars)[names["ward_unit"]] == 3.0
    assert dict(panel.cases_chart.bars) == {"opened": 1.0, "sent to police": 1.0}
    panel.tabs.setCurrentIndex(panel.tabs.count() - 1)  # the plots paint without warnings
    qtbot.waitUntil(lambda: panel.availability_chart.isVisible())
    assert not panel.availability_chart.grab().isNull()


def _save_through_dialog(panel: ReportsPanel, qtbot: QtBot, fmt: ExportFormat,
                         path: Path) -> None:
    panel.purpose_edit.clear()
    assert panel.ask_export(fmt) is None, "no export without its purpose"
    assert "what the export is for" in panel.status_label.text()
    panel.purpose_edit.setText("Báo cáo UBND thành phố")
    dialog = panel.ask_export(fmt)
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    with qtbot.waitSignal(panel._service.exported, timeout=60_000):
        dialog.selectFile(str(path))
        dialog.accept()
    assert panel.status_label.text() == f"Saved to {path}"


def test_export_pdf_and_csv(panel: ReportsPanel, qtbot: QtBot, tmp_path: Path,
                            seeded: tuple[LiveBackend, dict[str, Any]]) -> None:
    _show_day(panel, qtbot)
    csv_path = tmp_path / "quy.csv"
    _save_through_dialog(panel, qtbot, ExportFormat.CSV, csv_path)
    table = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig")),
                            delimiter=";"))
    assert table[0][0] == "Báo cáo đột xuất"
    assert ["Thời gian tiếp nhận trung bình (phút)", "15,0"] in table
    pdf_path = tmp_path / "quy.pdf"
    _save_through_dialog(panel, qtbot, ExportFormat.PDF, pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert "Vụ việc vi phạm" in " ".join(p.extract_text() for p in reader.pages)


def test_a_refusal_is_shown(seeded: tuple[LiveBackend, dict[str, Any]], ops: Ops,
                            messages: MessageBridge, qtbot: QtBot) -> None:
    client = seeded[0].client("police.commander")
    try:
        widget = ReportsPanel(ReportService(client, ops, messages))
        qtbot.addWidget(widget)
        widget.show_button.click()
        qtbot.waitUntil(lambda: "operating unit" in widget.status_label.text(), timeout=20_000)
        assert widget.report is None
    finally:
        client.close()
