"""The reports client against a real backend with the server tests' seeded day
(2/3/2026, UTC+7): the figures arrive parsed; the PDF and CSV exports are saved atomically and
parse; a refused or invalid request becomes a readable failure; nothing half-written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.backend import BackendClient
from app.messages import Level, Message, MessageBridge
from app.ops import Ops
from app.reports import ExportFormat, Report, ReportKind, ReportQuery, ReportService
from tests.app.admin_helpers import LiveBackend, live_backend

DAY = ReportQuery(ReportKind.AD_HOC, start=date(2026, 3, 2), end=date(2026, 3, 2))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[LiveBackend, dict[str, Any]]]:
    with live_backend(tmp_path_factory.mktemp("reports-client")) as live:
        yield live, live.seed_report_data()


@pytest.fixture
def operator(seeded: tuple[LiveBackend, dict[str, Any]]) -> Iterator[BackendClient]:
    client = seeded[0].client("ioc.operator")
    yield client
    client.close()


def test_ad_hoc_report_figures(seeded: tuple[LiveBackend, dict[str, Any]],
                               operator: BackendClient, ops: Ops, messages: MessageBridge,
                               qtbot: Any) -> None:
    names = seeded[1]
    service = ReportService(operator, ops, messages)
    with qtbot.waitSignal(service.loaded, timeout=20_000) as loaded:
        service.fetch(DAY)
    report: Report = loaded.args[0]
    assert report.label == "02/03/2026 – 02/03/2026" and report.kind == "ad_hoc"
    rows = {r.camera: r for r in report.availability}
    assert rows[names["a"]].recorded_seconds == 7 * 3600
    assert rows[names["a"]].availability_percent == 29.17
    assert rows[names["a"]].offline_incident_seconds == 2 * 3600
    assert rows[names["b"]].availability_percent == 0.0
    assert report.incidents.count == 3  # two camera faults and a server clock drift
    assert report.incidents.mean_seconds_to_acknowledge == 900.0
    assert report.incidents.mean_seconds_to_resolve == 7200.0
    assert report.incidents.by_kind == {"clock_drift": 1, "obstructed": 1, "offline": 1}
    units = {u.unit: u for u in report.clip_requests.by_unit}
    assert report.clip_requests.count == 4
    assert (units[names["ward_unit"]].approved, units[names["ward_unit"]].rejected,
            units[names["ward_unit"]].pending) == (1, 1, 1)
    assert report.cases.count == 2 and report.cases.by_kind == {"lane": 1, "red_light": 1}
    assert report.cases.steps_done_late == 1
    assert service.report is report and service.query == DAY


def test_exports_are_saved_and_parse(seeded: tuple[LiveBackend, dict[str, Any]],
                                     operator: BackendClient, ops: Ops, messages: MessageBridge,
                                     qtbot: Any, tmp_path: Path) -> None:
    service = ReportService(operator, ops, messages)
    target = tmp_path / "bao-cao.csv"
    with qtbot.waitSignal(service.exported, timeout=20_000) as saved:
        service.export(DAY, ExportFormat.CSV, target, "báo cáo quý")
    assert saved.args == [target]
    table = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")),
                            delimiter=";"))
    assert table[0] == ["Báo cáo đột xuất", "02/03/2026 – 02/03/2026"]
    assert next(r for r in table if r and r[0] == seeded[1]["a"])[2:4] == ["7,00", "29,17"]
    pdf = tmp_path / "bao-cao.pdf"
    with qtbot.waitSignal(service.exported, timeout=60_000):
        service.export(DAY, ExportFormat.PDF, pdf, "báo cáo quý")
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    words = " ".join(page.extract_text() for page in reader.pages)
    assert "BÁO CÁO" in words and "Báo cáo đột xuất" in words and "29,17 %" in words
    assert sum(len(page.images) for page in reader.pages) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.csv", "bao-cao.pdf"]


def test_refusals_are_readable_and_leave_no_file(seeded: tuple[LiveBackend, dict[str, Any]],
                                                 operator: BackendClient, ops: Ops,
                                                 messages: MessageBridge, qtbot: Any,
                                                 tmp_path: Path) -> None:
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    police = seeded[0].client("police.commander")
    try:
        service = ReportService(police, ops, messages)
        with qtbot.waitSignal(service.failed, timeout=20_000) as failed:
            service.fetch(DAY)
        assert "operating unit" in failed.args[0]
        with qtbot.waitSignal(service.failed, timeout=20_000):
            service.export(DAY, ExportFormat.PDF, tmp_path / "x.pdf", "báo cáo quý")
    finally:
        police.close()
    service = ReportService(operator, ops, messages)
    with qtbot.waitSignal(service.failed, timeout=20_000) as failed:
        service.fetch(ReportQuery(ReportKind.AD_HOC, start=date(2026, 3, 2),
                                  end=date(2026, 3, 1)))
    assert failed.args[0].startswith("end:")
    with qtbot.waitSignal(service.failed, timeout=20_000) as failed:
        service.export(DAY, ExportFormat.CSV, tmp_path / "missing-dir" / "x.csv",
                       "báo cáo quý")
    assert "cannot write" in failed.args[0]
    assert list(tmp_path.iterdir()) == []
    qtbot.waitUntil(lambda: sum(m.level is Level.ERROR for m in posted) >= 4)
