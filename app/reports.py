"""Operating reports (Art. 15.3, 11.3.a): the client of ``GET /reports``.

The server computes every figure (``server.reports``); the client asks for a period, shows the
JSON answer as tables and plots, and saves the server's own Vietnamese CSV or PDF to a file the
user picks (written atomically: a temporary file, fsync, rename; nothing half-written on a
failure). Who may make reports is the server's decision (the operating unit today); a refusal
arrives as ``failed`` with the server's message.

Signals (ReportService):
    loaded(object): a :class:`Report` for the asked period.
    exported(object): the :class:`Path` a CSV or PDF was saved to.
    failed(str): a fetch or export failed; a readable message (also sent to the message bridge).
"""

from __future__ import annotations

import enum
import functools
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.bookmarks import parse_time
from app.errors import BackendError
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from common.files import write_atomically
from common.vocabulary import ReportFormat, ReportKind

log = logging.getLogger("iocwall.reports")


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    PDF = "pdf"


@dataclass(frozen=True)
class ReportQuery:
    """A period as the server names it: ``part`` is the quarter (1–4) or the half (1–2); an ad
    hoc report runs from ``start`` to ``end`` inclusive (dates in UTC+7)."""

    kind: ReportKind
    year: int | None = None
    part: int | None = None
    start: date | None = None
    end: date | None = None

    def params(self, fmt: str = ReportFormat.JSON) -> dict[str, Any]:
        params: dict[str, Any] = {"kind": self.kind.value, "format": fmt}
        if self.kind is ReportKind.AD_HOC:
            if self.start is not None:
                params["start"] = self.start.isoformat()
            if self.end is not None:
                params["end"] = self.end.isoformat()
            return params
        if self.year is not None:
            params["year"] = self.year
        if self.kind is not ReportKind.YEARLY and self.part is not None:
            params["part"] = self.part
        return params


@dataclass(frozen=True)
class CameraAvailability:
    camera_id: int
    camera: str
    ward: str
    recorded_seconds: float
    period_seconds: float
    availability_percent: float | None
    gap_seconds: float
    offline_incident_seconds: float
    client_live_seconds: float
    client_down_seconds: float
    client_availability_percent: float | None


@dataclass(frozen=True)
class IncidentFigures:
    count: int
    by_kind: dict[str, int]
    by_state: dict[str, int]
    mean_seconds_to_acknowledge: float | None
    mean_seconds_to_resolve: float | None


@dataclass(frozen=True)
class UnitClipFigures:
    unit: str
    count: int
    approved: int
    rejected: int
    pending: int
    mean_seconds_to_approve: float | None


@dataclass(frozen=True)
class ClipFigures:
    count: int
    by_unit: tuple[UnitClipFigures, ...]
    mean_seconds_to_approve: float | None


@dataclass(frozen=True)
class CaseFigures:
    count: int
    by_kind: dict[str, int]
    by_state: dict[str, int]
    overdue_now: int
    steps_done_late: int


@dataclass(frozen=True)
class Report:
    kind: str
    label: str
    start: datetime
    end: datetime
    generated_at: datetime
    availability: tuple[CameraAvailability, ...]
    incidents: IncidentFigures
    clip_requests: ClipFigures
    cases: CaseFigures


def _opt(value: Any) -> float | None:
    return None if value is None else float(value)


def _counts(value: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in dict(value or {}).items()}


def parse_report(data: Any) -> Report:
    try:
        inc, clips, cases = data["incidents"], data["clip_requests"], data["cases"]
        return Report(
            kind=str(data["kind"]), label=str(data["label"]), start=parse_time(data["start"]),
            end=parse_time(data["end"]), generated_at=parse_time(data["generated_at"]),
            availability=tuple(CameraAvailability(
                camera_id=int(r["camera_id"]), camera=str(r["camera"]), ward=str(r["ward"]),
                recorded_seconds=float(r["recorded_seconds"]),
                period_seconds=float(r["period_seconds"]),
                availability_percent=_opt(r.get("availability_percent")),
                gap_seconds=float(r["gap_seconds"]),
                offline_incident_seconds=float(r["offline_incident_seconds"]),
                client_live_seconds=float(r.get("client_live_seconds") or 0.0),
                client_down_seconds=float(r.get("client_down_seconds") or 0.0),
                client_availability_percent=_opt(r.get("client_availability_percent")))
                for r in data["availability"]),
            incidents=IncidentFigures(
                int(inc["count"]), _counts(inc["by_kind"]), _counts(inc["by_state"]),
                _opt(inc.get("mean_seconds_to_acknowledge")),
                _opt(inc.get("mean_seconds_to_resolve"))),
            clip_requests=ClipFigures(
                int(clips["count"]),
                tuple(UnitClipFigures(str(r["unit"]), int(r["count"]), int(r["approved"]),
                                      int(r["rejected"]), int(r["pending"]),
                                      _opt(r.get("mean_seconds_to_approve")))
                      for r in clips["by_unit"]),
                _opt(clips.get("mean_seconds_to_approve"))),
            cases=CaseFigures(int(cases["count"]), _counts(cases["by_kind"]),
                              _counts(cases["by_state"]), int(cases["overdue_now"]),
                              int(cases["steps_done_late"])))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackendError("the server sent an unexpected report") from exc


MAGIC = {ExportFormat.PDF: b"%PDF-", ExportFormat.CSV: "\ufeff".encode()}


class ReportBackend(Protocol):
    """The endpoints :class:`ReportService` uses (:class:`app.api.BackendApi`'s typed
    methods)."""

    def report(self, query: ReportQuery) -> Report: ...
    def report_file(self, query: ReportQuery, fmt: ExportFormat, *, purpose: str) -> bytes: ...


class ReportService(QObject):
    """Fetches reports and saves their exports; see the module docstring for the signals."""

    loaded = Signal(object)
    exported = Signal(object)
    failed = Signal(str)

    def __init__(self, backend: ReportBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.report: Report | None = None
        self.query: ReportQuery | None = None

    def fetch(self, query: ReportQuery) -> Op[Report]:
        return (self._ops.run(functools.partial(self._fetch, query), label=self.tr("Report"),
                              owner=self)
                .success(lambda report: self._on_loaded(query, report))
                .failure(self._on_failed))

    def _fetch(self, query: ReportQuery) -> Report:
        return self._backend.report(query)

    def _on_loaded(self, query: ReportQuery, report: Report) -> None:
        self.query, self.report = query, report
        self.loaded.emit(report)

    def export(self, query: ReportQuery, fmt: ExportFormat, path: Path,
               purpose: str) -> Op[Path]:
        """Save the server's CSV or PDF of ``query`` to ``path`` (atomically); ``purpose``:
        what it is for (Decree 13/2023: the audit keeps it)."""
        return (self._ops.run(functools.partial(self._export, query, ExportFormat(fmt),
                                                Path(path), purpose),
                              label=self.tr("Report export"), owner=self)
                .success(self._on_exported).failure(self._on_failed))

    def _export(self, query: ReportQuery, fmt: ExportFormat, path: Path, purpose: str) -> Path:
        body = self._backend.report_file(query, fmt, purpose=purpose)
        if not body.startswith(MAGIC[fmt]):
            raise BackendError(arg(self.tr("the server did not send a %1 file"), fmt.value.upper()))
        try:
            write_atomically(path, body)
        except OSError as exc:
            raise BackendError(arg(self.tr("cannot write %1: %2"), path,
                                   exc.strerror or type(exc).__name__)) from exc
        return path

    def _on_exported(self, path: Path) -> None:
        self._messages.info(arg(self.tr("Report saved to %1"), path))
        self.exported.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, BackendError):
            text = str(error)
        else:
            log.error("report failed", exc_info=error)
            text = f"{type(error).__name__}: {error}"
        self._messages.error(arg(self.tr("Report: %1"), text))
        self.failed.emit(text)
