"""The Operations menu: one entry per dock, each showing its own dock's count.

The cases and incidents docks count what needs attention in their titles and menu entries; each
count must land on its own entry (a badge that wrote onto whichever dock's entry was made last
showed the handover entry as "Cases" and the cases entry without its count)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.cases import CaseService
from app.duty import DutyService
from app.incidents import IncidentService
from app.messages import MessageBridge
from app.ops import Ops
from app.publications import PublicationService
from tests.app.admin_helpers import LiveBackend, live_backend
from tests.widgets.operations_helpers import operations_window


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("operations-menu")) as backend:
        yield backend


def test_each_dock_count_lands_on_its_own_menu_entry(
        live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: QtBot) -> None:
    leader = live.client("ioc.leader")
    cases = CaseService(leader, ops, messages)
    incidents = IncidentService(leader, ops, messages)
    try:
        with operations_window(leader, ops, messages, qtbot, incidents=incidents, cases=cases,
                               publications=PublicationService(leader, ops, messages),
                               duty=DutyService(leader, ops, messages, handovers=True)
                               ) as operations:
            entries = {key: operations.actions[key]
                       for key in ("cases", "incidents", "publications", "handover")}
            assert {k: a.text() for k, a in entries.items()} == {
                "cases": "Cases", "incidents": "Incidents", "publications": "Publications",
                "handover": "Handover"}
            cases.overdue_changed.emit(2)
            incidents.open_count_changed.emit(3)
            assert {k: a.text() for k, a in entries.items()} == {
                "cases": "Cases (2 overdue)", "incidents": "Incidents (3 open)",
                "publications": "Publications", "handover": "Handover"}
            assert operations.cases_dock is not None and operations.incidents_dock is not None
            assert operations.cases_dock.windowTitle() == "Cases (2 overdue)"
            assert operations.incidents_dock.windowTitle() == "Incidents (3 open)"
            cases.overdue_changed.emit(0)
            assert entries["cases"].text() == "Cases"
            assert entries["handover"].text() == "Handover"
    finally:
        leader.close()
