"""The IOC's 24/7 duty (Art. 8.1, 15.1): the client of ``/duty``.

Every client shows who is on duty now (every unit reports faults to the duty desk): the shift
is read every :data:`ON_DUTY_INTERVAL_MS`, and ``on_duty`` says so when it changed. The operating
unit also follows the shift handovers (a :class:`app.polled.PolledList`): the outgoing operator
writes the note — the server lists what is pending at that moment — and someone on the next
shift acknowledges it. Who may do what is the server's decision (the handover's ``actions``).

The roster is read a week (any span) at a time, on demand; its keepers (administrators and
leaders of the operating unit) read whom they may put on a shift and change a shift's people.
Which shift the reader may change is the server's decision too (the shift's ``actions``: the
keepers, and only until the shift ends — who was on duty is a record).

Signals (DutyService):
    on_duty(object): the :class:`DutyShift` on duty now, when it changed.
    listed(list): the handovers (:class:`Handover`), newest first.
    handover_changed(object): a :class:`Handover` the user wrote or acknowledged.
    action_failed(str): writing or acknowledging failed; the readable text (also on the bridge).
    roster_loaded(object): a :class:`Roster` asked for with :meth:`DutyService.roster`.
    people_loaded(list): the :class:`DutyPerson` a shift may be given to (:meth:`people`).
    shift_assigned(object): the :class:`DutyShift` as the server answered :meth:`assign`.
    roster_failed(str): reading the roster or the people, or assigning, failed; the readable
        text (also on the bridge).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.errors import BackendError, BackendUnreachable, Forbidden, ValidationFailed
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import PolledList, readable, report_action_failure
from app.polling import Poller
from common.records import DutyPerson, DutyShift, Handover

# DutyPerson, DutyShift, Handover: common.records' (the server answers with the same records);
# the widgets import them from here
__all__ = ["ASSIGN", "DutyBackend", "DutyPerson", "DutyService", "DutyShift", "Handover",
           "Roster"]

ASSIGN = "assign"  # a shift's action: its people may be changed

log = logging.getLogger("iocwall.duty")

ON_DUTY_INTERVAL_MS = 60_000
HANDOVER_INTERVAL_MS = 30_000
NOTE_MIN = 3


class DutyBackend(Protocol):
    """The endpoints :class:`DutyService` uses (:class:`app.api.BackendApi`'s typed methods)."""

    def duty_now(self) -> DutyShift: ...
    def duty_roster(self, start: date, end: date) -> list[DutyShift]: ...
    def duty_people(self) -> list[DutyPerson]: ...
    def assign_duty(self, day: date, shift: int, user_ids: list[int]) -> DutyShift: ...
    def handovers(self) -> list[Handover]: ...
    def write_handover(self, note: str) -> Handover: ...
    def acknowledge_handover(self, handover_id: int) -> Handover: ...


@dataclass(frozen=True)
class Roster:
    """The shifts of ``first``..``last`` (days in UTC+7, inclusive), in the server's order."""

    first: date
    last: date
    shifts: tuple[DutyShift, ...]


class DutyService(QObject):
    """Who is on duty, the roster, and the handovers when ``handovers``; see the module
    docstring."""

    on_duty = Signal(object)
    listed = Signal(list)
    handover_changed = Signal(object)
    action_failed = Signal(str)
    roster_loaded = Signal(object)
    people_loaded = Signal(list)
    shift_assigned = Signal(object)
    roster_failed = Signal(str)

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

    # -- the roster -------------------------------------------------------------------------------
    def roster(self, first: date, last: date) -> Op[list[DutyShift]]:
        """The shifts of ``first``..``last`` and who is on them (``roster_loaded``)."""
        return (self._ops.run(functools.partial(self._backend.duty_roster, first, last),
                              label=self.tr("Duty roster"), owner=self)
                .success(lambda shifts: self.roster_loaded.emit(
                    Roster(first, last, tuple(shifts))))
                .failure(self._on_roster_failed))

    def people(self) -> Op[list[DutyPerson]]:
        """Whom a shift may be given to (``people_loaded``; the keepers of the roster only)."""
        return (self._ops.run(self._backend.duty_people, label=self.tr("Duty people"),
                              owner=self)
                .success(self.people_loaded.emit).failure(self._on_roster_failed))

    def assign(self, day: date, shift: int, user_ids: list[int]) -> Op[DutyShift]:
        """Who is on ``shift`` of ``day`` from now on (the list replaces the one before)."""
        work = functools.partial(self._backend.assign_duty, day, shift, list(user_ids))
        return (self._ops.run(work, label=self.tr("Assign duty"), owner=self)
                .success(self._on_assigned).failure(self._on_roster_failed))

    def _on_assigned(self, shift: DutyShift) -> None:
        log.info("duty %s %s: %s", shift.day.isoformat(), shift.name,
                 ", ".join(p.username for p in shift.people) or "nobody")
        self.shift_assigned.emit(shift)
        self._messages.info(arg(self.tr("Duty roster saved: %1, %2"), shift.name,
                                f"{shift.day:%d/%m/%Y}"))
        if self.shift is not None and (self.shift.day, self.shift.shift) == (shift.day,
                                                                             shift.shift):
            self._poller.request()  # the shift on duty now: the status bar follows at once

    def refusal(self, error: BaseException) -> str:
        """A roster failure as the user reads it: the server's refusals it knows in the user's
        language; anything else as :func:`app.polled.readable` says it."""
        if isinstance(error, BackendUnreachable):
            return self.tr("The server cannot be reached; try again.")
        if isinstance(error, Forbidden):
            return self.tr("Only administrators and leaders of the operating unit keep the "
                           "duty roster.")
        if isinstance(error, ValidationFailed):
            if error.field == "day":
                return self.tr("This shift has ended: who was on duty is kept as a record and "
                               "cannot be changed.")
            if error.field is not None and error.field.startswith("user_ids"):
                return self.tr("Only active people of the operating unit can be put on a shift "
                               "(at most 20).")
            if error.field in ("start", "end"):
                return self.tr("The days asked for are not a span the roster is read in "
                               "(the first before the last, at most 62 days).")
        return readable(error)

    def _on_roster_failed(self, error: BaseException) -> None:
        text = self.refusal(error)
        if not isinstance(error, BackendError):
            log.error("duty roster failed", exc_info=error)
        self._messages.error(arg(self.tr("Duty roster: %1"), text))
        self.roster_failed.emit(text)
