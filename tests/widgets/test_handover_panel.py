"""The shift handover on a real backend: a leader puts the operator on the shift in progress and
the administrator on the next; the operator's Handover dock writes the note (the server lists an
open incident in it); the administrator's dock offers "Acknowledge handover" and acknowledges
it; the status bar's duty label reads who is on duty."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.duty import DutyService, DutyShift
from app.messages import MessageBridge
from app.ops import Ops
from common.vocabulary import IncidentCategory, IncidentKind
from server.duty import ShiftPlan
from tests.app.admin_helpers import LiveBackend, live_backend
from widgets.handover_panel import HandoverPanel


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("handover-panel")) as backend:
        yield backend


def _panel(client: BackendClient, ops: Ops, messages: MessageBridge,
           qtbot: QtBot) -> tuple[HandoverPanel, DutyService]:
    service = DutyService(client, ops, messages, handovers=True)
    panel = HandoverPanel(service)
    qtbot.addWidget(panel)
    panel.show()
    return panel, service


def test_write_and_acknowledge_a_handover(live: LiveBackend, ops: Ops, messages: MessageBridge,
                                          qtbot: QtBot) -> None:
    leader = live.client("ioc.leader")
    operator = live.client("ioc.operator")
    admin = live.client("ioc.admin")
    now = leader.duty_now()
    following = ShiftPlan((6, 14, 22)).following(now.day, now.shift)
    assert operator.session is not None and admin.session is not None
    leader.assign_duty(now.day, now.shift, [operator.session.user.id])
    leader.assign_duty(*following, [admin.session.user.id])
    incident = operator.report_fault(IncidentCategory.NETWORK, "cáp quang phường Đồng Phú",
                                     IncidentKind.NETWORK_DOWN, "mất kết nối")

    panel, service = _panel(operator, ops, messages, qtbot)
    shifts: list[DutyShift] = []
    service.on_duty.connect(shifts.append)
    service.start()
    qtbot.waitUntil(lambda: bool(shifts), timeout=20_000)
    assert [p.username for p in shifts[-1].people] == ["ioc.operator"]
    assert panel.buttons["write"].isEnabled()
    dialog = panel.ask_write()
    dialog.reason_edit.setPlainText("Cáp quang phường Đồng Phú đang mất kết nối.")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(panel.items()), timeout=20_000)
    written = panel.items()[0]
    assert incident.id in [i.id for i in written.open_incidents]
    panel.select(written.id)
    assert not panel.buttons["acknowledge"].isEnabled()  # not the writer's to acknowledge
    service.stop()

    incoming, incoming_service = _panel(admin, ops, messages, qtbot)
    incoming_service.start()
    qtbot.waitUntil(lambda: bool(incoming.items()), timeout=20_000)
    assert incoming.select(written.id)
    assert incoming.buttons["acknowledge"].isEnabled()
    assert "mất kết nối" in (incoming.detail.toPlainText() if incoming.detail else "")
    incoming.buttons["acknowledge"].click()
    qtbot.waitUntil(lambda: incoming.items()[0].acknowledged_at is not None, timeout=20_000)
    assert incoming.items()[0].acknowledged_by is not None
    assert not incoming.buttons["acknowledge"].isEnabled()
    incoming_service.stop()
    for client in (leader, operator, admin):
        client.close()

