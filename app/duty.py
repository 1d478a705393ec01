"""The IOC's 24/7 duty (Art. 8.1, 15.1): the client of ``/duty``.

Every client shows who is on duty now (every unit reports faults to the duty desk): the shift
is read every :data:`ON_DUTY_INTERVAL_MS`, and ``on_duty`` says so when it changed. The operating
unit also follows the shift handovers (a :class:`app.polled.PolledList`): the outgoing operator
writes the note — the server lists what is pending at that moment — and someone on the next
shift acknowledges it. Who may do what is the server's decision (the handover's ``actions``).

Signals (DutyService):
    on_duty(object): the :class:`DutyShift` on duty now, when it changed.
    listed(list): the handovers (:class:`Handover`), newest first.
    handover_changed(object): a :class:`Handover` the user wrote or acknowledged.
    action_failed(str): writing or acknowledging failed; the readable text (also on the bridge).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import PolledList, readable, report_action_failure
from app.polling import Poller
from common.records import DutyShift, Handover

# DutyShift, Handover: common.records' (the server answers with the same records); the widgets
# import them from here
__all__ = ["DutyBackend", "DutyService", "DutyShift", "Handover"]

log = logging.getLogger("iocwall.duty")

ON_DUTY_INTERVAL_MS = 60_000
HANDOVER_INTERVAL_MS = 30_000
NOTE_MIN = 3


class DutyBackend(Protocol):
    """The endpoints :class:`DutyService` uses (:class:`app.api.BackendApi`'s typed methods)."""

    def duty_now(self) -> DutyShift: ...
    def handovers(self) -> list[Handover]: ...
    def write_handover(self, note: str) -> Handover: ...
    def acknowledge_handover(self, handover_id: int) -> Handover: ...


class DutyService(QObject):
    """Who is on duty, and the handovers when ``handovers``; see the module docstring."""

    on_duty = Signal(object)
    listed = Signal(list)
    handover_changed = Signal(object)
    action_failed = Signal(str)

    def __init__(self, backend: DutyBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, handovers: bool = False,
                 interval_ms: int = ON_DUTY_INTERVAL_MS,
                 handover_interval_ms: int = HANDOVER_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.shift: DutyShift | None = None
        self._poller = Poller(self, interval_ms, self._start_ask)
        self.list: PolledList[Handover, None, list[Handover]] | None = None
        if handovers:
            self.list = PolledList(ops, self._list, None, interval_ms=handover_interval_ms,
                                   label=self.tr("Handovers"), logger=log, parent=self)
            self.list.items_changed.connect(self.listed)
            self.list.item_changed.connect(self.handover_changed)

    # -- who is on duty ---------------------------------------------------------------------------
    def start(self) -> None:
        self._poller.start(now=True)
        if self.list is not None:
            self.list.start()

    def stop(self) -> None:
        self._poller.stop()
        if self.list is not None:
            self.list.stop()

    def refresh(self) -> None:
        self._poller.request()
        if self.list is not None:
            self.list.refresh()

    def _start_ask(self) -> Op[DutyShift]:
        return (self._ops.run(self._backend.duty_now, label=self.tr("Who is on duty"),
                              owner=self)
                .success(self._settle).failure(self._ask_failed))

    def _settle(self, shift: DutyShift) -> None:
        changed = shift != self.shift
        self.shift = shift
        if changed:
            self.on_duty.emit(shift)
        self._poller.settled()

    def _ask_failed(self, error: BaseException) -> None:
        # logged, not posted: a poll failing every minute must not flood the message bridge
        log.warning("who is on duty: %s", readable(error))
        self._poller.settled()

    # -- handovers --------------------------------------------------------------------------------
    @property
    def handovers(self) -> list[Handover]:
        return self.list.items if self.list is not None else []

    def _list(self, _where: None) -> list[Handover]:
        return self._backend.handovers()

    def write(self, note: str) -> Op[Handover]:
        """The outgoing shift's note (the server lists what is pending now)."""
        return self._step(functools.partial(self._backend.write_handover, note.strip()),
                          self.tr("Write handover"))

    def acknowledge(self, handover_id: int) -> Op[Handover]:
        return self._step(functools.partial(self._backend.acknowledge_handover, handover_id),
                          self.tr("Acknowledge handover"))

    def _step(self, work: Callable[[], Handover], label: str) -> Op[Handover]:
        return (self._ops.run(work, label=label, owner=self)
                .success(self._on_handover).failure(self._on_action_failed))

    def _on_handover(self, handover: Handover) -> None:
        if self.list is not None:
            self.list.replace(handover)
        else:
            self.handover_changed.emit(handover)
        self._messages.info(self.tr("Handover saved"))

    def _on_action_failed(self, error: BaseException) -> None:
        self.action_failed.emit(report_action_failure(
            self._messages, log, self.tr("Handover: %1"), error))
