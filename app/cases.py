"""Violation cases (regulation Art. 11.3, 13) — the client of ``/cases``.

The server decides everything: which steps the reader's unit may take now (``actions``), every
deadline and its state (due / due soon / overdue, computed on each read from the working-day
calendar). The client lists, opens cases from a bookmark or a clip request, adds evidence clips,
records steps, and shows what the server said. Nothing here recomputes a deadline.

Overdue cases are told once through the message bridge: a case is announced when it becomes
overdue, and again only when its set of overdue deadlines changes (a later step overdue too), not
at every poll.

The list is ``CaseService.list``, an :class:`app.polled.PolledList` (its ``item_changed`` carries
a case an action answered, for the panel's row).

Signals (CaseService):
    cases_changed(list): the cases of the current filter (``Case``), newest detection first.
    overdue_changed(int): how many readable cases have an overdue deadline (the dock's badge).
    case_changed(object): a ``Case`` the user opened or acted on (the server's answer).
    action_failed(str): an open/step/add-clip failed; the server's readable message.
    sources_loaded(list, list): ``(bookmarks, clip requests)`` to open a case from.
    package_saved(int, str, str): ``(case id, file, SHA-256)``: a case's evidence package
        was saved whole.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.bookmarks import Bookmark, BookmarkFilter, vn_time
from app.clips import ClipRequest
from app.errors import BackendError
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import PolledList, report_action_failure
from common.records import Case, MalformedRecord, aware, from_json
from common.records import CaseEvent as CaseEvent
from common.records import Deadline as Deadline
from common.vocabulary import CaseAction, ClipBox, DeadlineStatus

# Case, CaseEvent, Deadline: common.records' (the server answers with the same records); the
# widgets import them from here

log = logging.getLogger("iocwall.cases")

POLL_INTERVAL_MS = 30_000
# more new overdue cases than this in one poll → one summary message instead of one each
NOTIFY_EACH_UP_TO = 5



class CaseBackend(Protocol):
    """The endpoints :class:`CaseService` uses (:class:`app.api.BackendApi`'s typed methods)."""

    def cases(self, where: CaseFilter) -> list[Case]: ...
    def case(self, case_id: int) -> Case: ...
    def open_case(self, kind: str, *, bookmark_id: int | None = None,
                  clip_request_id: int | None = None, detected_at: datetime | None = None,
                  note: str = "") -> Case: ...
    def add_case_clip(self, case_id: int, clip_request_id: int) -> Case: ...
    def case_step(self, case_id: int, action: CaseAction | str,
                  step: StepInput | None = None) -> Case: ...
    def edit_case(self, case_id: int, edit: CaseEditInput) -> Case: ...
    def approve_case_version(self, case_id: int, number: int, reason: str) -> Case: ...
    def bookmarks(self, where: BookmarkFilter) -> tuple[int, list[Bookmark]]: ...
    def clips(self, box: str = ClipBox.ALL) -> list[ClipRequest]: ...
    def download_case_package(self, case_id: int, destination: Path, *, purpose: str) -> str: ...


# the step column each action fills (``Case.steps``)
STEP_OF_ACTION = {
    CaseAction.SEND: "sent", CaseAction.CONCLUDE: "concluded",
    CaseAction.REPORT_CONCLUSION: "conclusion_reported",
    CaseAction.IDENTIFY_VIOLATOR: "violator_identified",
    CaseAction.MAKE_RECORD: "record_made", CaseAction.HAND_OVER: "record_handed",
    CaseAction.DECIDE: "decided", CaseAction.CLOSE: "closed",
}


@dataclass(frozen=True)
class CaseFilter:
    """``GET /cases`` filters; ``ward`` is applied by the client (the server has no such
    filter). Empty fields do not filter."""

    state: str | None = None
    kind: str | None = None
    deadline: str | None = None  # due | due_soon | overdue
    camera_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    ward: str | None = None

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("state", "kind", "deadline", "camera_id"):
            value = getattr(self, name)
            if value not in (None, ""):
                out[name] = value
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                out[name] = aware(value).isoformat()
        return out

    def keep(self, case: Case) -> bool:
        return not self.ward or case.ward == self.ward


def due_text(value: datetime | None) -> str:
    """A deadline in UTC+7 as the regulation says it: the end of a day is "24:00" of that day
    (the server gives it as 00:00 of the next one)."""
    if value is None:
        return ""
    local = vn_time(value)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return f"{(local - timedelta(days=1)).strftime('%d/%m/%Y')} 24:00"
    return local.strftime("%d/%m/%Y %H:%M")


def parse_case(data: Any) -> Case:
    try:
        return from_json(Case, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected case record") from exc


@dataclass(frozen=True)
class StepInput:
    """The body of one step (``POST /cases/{id}/{action}``); None fields are left out. The
    server records every step at its own clock: ``at`` (an earlier time declared) is for
    ``identify_violator`` only, and ``close`` needs its reason in ``note``."""

    at: datetime | None = None
    note: str = ""
    complex: bool | None = None
    decision_kind: str | None = None
    handover_needed: bool | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"note": self.note}
        if self.at is not None:
            out["at"] = aware(self.at).isoformat()
        for name in ("complex", "decision_kind", "handover_needed"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True)
class CaseEditInput:
    """The body of an edit (``POST /cases/{id}/edit``): why, and the fields that change."""

    reason: str
    note: str | None = None
    kind: str | None = None
    complex: bool | None = None
    decision_kind: str | None = None
    handover_needed: bool | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reason": self.reason}
        for name in ("note", "kind", "complex", "decision_kind", "handover_needed"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


# one fetch: the filter it used, its cases, and all overdue cases (the badge)
_Lists = tuple[CaseFilter, list[Case], list[Case]]


class CaseService(QObject):
    """Cases the user's unit handles; see the module docstring for the signals."""

    cases_changed = Signal(list)
    overdue_changed = Signal(int)
    case_changed = Signal(object)
    action_failed = Signal(str)
    sources_loaded = Signal(list, list)
    package_saved = Signal(int, str, str)

    def __init__(self, backend: CaseBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, poll_interval_ms: int = POLL_INTERVAL_MS
                 ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.overdue: list[Case] = []
        self._announced: dict[int, frozenset[str]] = {}  # case id → overdue rules told
        self.list: PolledList[Case, CaseFilter, _Lists] = PolledList(
            ops, self._fetch, CaseFilter(), items_of=lambda lists: lists[1],
            on_answer=self._on_lists, interval_ms=poll_interval_ms, label=self.tr("Cases"),
            logger=log, parent=self)
        self.list.items_changed.connect(self.cases_changed)

    # -- lists, polling, notifications ---------------------------------------------------------
    @property
    def filter(self) -> CaseFilter:
        return self.list.where

    @property
    def cases(self) -> list[Case]:
        """The cases of the current filter, as last read (an action's answer replaces its case
        at once)."""
        return self.list.items

    def start_polling(self) -> None:
        self.list.start()

    def stop_polling(self) -> None:
        self.list.stop()

    @property
    def polling(self) -> bool:
        return self.list.active

    def set_filter(self, where: CaseFilter) -> None:
        self.list.set_filter(where)

    def refresh(self) -> None:
        """The filtered list and the overdue ones (for the badge and the notifications)."""
        self.list.refresh()

    def _fetch(self, where: CaseFilter) -> _Lists:
        listed = self._backend.cases(where)
        overdue = self._backend.cases(CaseFilter(deadline=DeadlineStatus.OVERDUE.value))
        return where, [c for c in listed if where.keep(c)], overdue

    def _on_lists(self, result: _Lists, _current: bool) -> None:
        """Every answer counts for the badge, even one whose filter is no longer shown."""
        _where, _listed, overdue = result
        self._notify(overdue)
        self.overdue = overdue
        self.overdue_changed.emit(len(overdue))

    def _notify(self, overdue: list[Case]) -> None:
        """Tell each case once when it becomes overdue, and again only when its overdue
        deadlines change; forget cases no longer overdue (a later lapse is news again)."""
        fresh = [c for c in overdue if self._announced.get(c.id) != c.overdue_rules]
        self._announced = {c.id: c.overdue_rules for c in overdue}
        if len(fresh) > NOTIFY_EACH_UP_TO:
            self._messages.warning(arg(self.tr("%1 violation cases are overdue"), len(fresh)))
            return
        for case in fresh:
            due = min((d.due_at for d in case.deadlines if d.status == DeadlineStatus.OVERDUE),
                      default=None)
            self._messages.warning(
                arg(self.tr("Violation case #%1 (%2) is overdue: due %3 (UTC+7)"), case.id,
                    case.camera_name, due_text(due)))

    def case(self, case_id: int) -> Op[Case]:
        """One case, fresh (``case_changed`` on success)."""
        return (self._ops.run(functools.partial(self._get, case_id), label=self.tr("Case"),
                              owner=self)
                .success(self._on_read).failure(self._on_action_failed))

    def _on_read(self, case: Case) -> None:
        self.case_changed.emit(case)
        self.list.replace(case, refresh=False)

    def _get(self, case_id: int) -> Case:
        return self._backend.case(case_id)

    # -- open, evidence, steps -----------------------------------------------------------------
    def open_case(self, kind: str, *, bookmark_id: int | None = None,
                  clip_request_id: int | None = None, detected_at: datetime | None = None,
                  note: str = "") -> Op[Case]:
        """Open a case from exactly one bookmark or clip request (the server checks)."""
        return self._act(functools.partial(
            self._backend.open_case, kind, bookmark_id=bookmark_id,
            clip_request_id=clip_request_id, detected_at=detected_at, note=note),
            self.tr("Open case"))

    def add_clip(self, case_id: int, clip_request_id: int) -> Op[Case]:
        return self._act(functools.partial(self._backend.add_case_clip, case_id,
                                           clip_request_id), self.tr("Add evidence"))

    def act(self, case_id: int, action: str, step: StepInput | None = None) -> Op[Case]:
        return self._act(functools.partial(self._backend.case_step, case_id, CaseAction(action),
                                           step or StepInput()), self.tr("Case step"))

    def edit(self, case_id: int, edit: CaseEditInput) -> Op[Case]:
        """A new version of the case's record; a reclassification after sending waits for a
        police leader before the deadlines move (the server decides)."""
        return self._act(functools.partial(self._backend.edit_case, case_id, edit),
                         self.tr("Edit case"))

    def approve_version(self, case_id: int, number: int, reason: str) -> Op[Case]:
        return self._act(functools.partial(self._backend.approve_case_version, case_id, number,
                                           reason), self.tr("Approve reclassification"))

    def _act(self, work: Callable[[], Case], label: str) -> Op[Case]:
        return (self._ops.run(work, label=label, owner=self)
                .success(self._on_case).failure(self._on_action_failed))

    def _on_case(self, case: Case) -> None:
        log.info("case %d (%s): %s", case.id, case.camera_name, case.state)
        self.case_changed.emit(case)
        # shown at once; the refresh that follows reads the list again
        self.list.replace(case)

    def _on_action_failed(self, error: BaseException) -> None:
        self.action_failed.emit(report_action_failure(self._messages, log,
                                                      self.tr("Violation case: %1"), error))

    # -- the evidence package ------------------------------------------------------------------
    def download_package(self, case_id: int, destination: Path, purpose: str) -> Op[str]:
        """Save case ``case_id``'s evidence package (one ZIP, checked by its recipient with
        ``sha256sum`` and ``openssl``) to ``destination``; ``purpose`` goes to the audit log.
        ``package_saved`` on success; a failure leaves no file and reaches ``action_failed``."""
        destination = Path(destination)
        return (self._ops.run(functools.partial(self._backend.download_case_package, case_id,
                                                destination, purpose=purpose),
                              label=self.tr("Evidence package"), owner=self)
                .success(lambda sha256: self._on_package(case_id, destination, sha256))
                .failure(self._on_action_failed))

    def _on_package(self, case_id: int, destination: Path, sha256: str) -> None:
        log.info("case %d evidence package saved to %s", case_id, destination)
        self._messages.info(arg(self.tr("Evidence package of case #%1 saved to %2 (SHA-256 %3)"),
                                case_id, str(destination), sha256))
        self.package_saved.emit(case_id, str(destination), sha256)

    # -- where cases come from -----------------------------------------------------------------
    def load_sources(self) -> Op[Any]:
        """The bookmarks and clip requests the user may open a case from or add as evidence
        (``sources_loaded``)."""
        return (self._ops.run(self._fetch_sources, label=self.tr("Bookmarks and clips"),
                              owner=self)
                .success(lambda pair: self.sources_loaded.emit(*pair))
                .failure(self._on_action_failed))

    def _fetch_sources(self) -> tuple[list[Bookmark], list[ClipRequest]]:
        _total, bookmarks = self._backend.bookmarks(BookmarkFilter(limit=200))
        return bookmarks, self._backend.clips(ClipBox.ALL)
