"""Shared by the tests of the administration clients and panels (reports, access requests,
audit viewer): a real backend child with its database file at hand, so a test can seed report
data the way tests/server/test_reports.py does and tamper with an audit row directly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import create_engine, update
from sqlalchemy.orm import sessionmaker

from app.backend import BackendClient
from server.models import AuditLog
from server.testing import start_test_server, stop_test_server
from tests.app.helpers import fake_manifest

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class LiveBackend:
    url: str
    db_path: Path

    def client(self, username: str) -> BackendClient:
        client = BackendClient(self.url)
        client.login(username, "demo")
        return client

    def seed_report_data(self) -> dict[str, Any]:
        """tests/server/test_reports.py's seeding (2/3/2026, UTC+7) on this backend's DB."""
        from tests.server.test_reports import _seed

        engine = create_engine(f"sqlite:///{self.db_path}")
        try:
            shim = SimpleNamespace(client=SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(
                runtime=SimpleNamespace(sessions=sessionmaker(engine))))))
            return _seed(shim)  # type: ignore[arg-type]
        finally:
            engine.dispose()

    def tamper_audit_row(self, row_id: int) -> None:
        """Change a stored audit row behind the application's back."""
        engine = create_engine(f"sqlite:///{self.db_path}")
        try:
            with sessionmaker(engine)() as session:
                session.execute(update(AuditLog).where(AuditLog.id == row_id)
                                .values(detail='{"detail":"xoá dấu vết"}'))
                session.commit()
        finally:
            engine.dispose()


@contextmanager
def live_backend(root: Path) -> Iterator[LiveBackend]:
    data_dir = root / "data"
    url, process = start_test_server(data_dir, fake_manifest(root / "lab.json"))
    try:
        yield LiveBackend(url, data_dir / "iocwall.db")
    finally:
        stop_test_server(process)
