"""Other agencies' access requests (Art. 12.2.d): the client of ``/access-requests``.

An agency files a request (content, purpose, commitment, the cameras and the time wanted, and
its official letter as a PDF); the operating unit reads the letter and grants named cameras for
a limited time, rejects with a reason, or revokes a running grant. The server decides who may do
what and its grant rows are what the agency's camera list follows; this service only tells the
window when that list should be read again: when a refresh shows the set of running grants
changed, and at the moment a grant starts or ends (a timer), so granted cameras appear after the
decision and disappear when the grant ends without anyone acting.

The list is ``AccessRequestService.list``, an :class:`app.polled.PolledList` (its
``item_changed`` carries a request the user filed or decided, for the panel's row).

Signals (AccessRequestService):
    listed(list): the requests the user may read (:class:`AccessRequest`), newest first.
    request_changed(object): an :class:`AccessRequest` the user filed or decided.
    action_failed(str): filing/deciding failed; the readable message (also on the bridge).
    letter_saved(int, object): ``(request id, Path)`` — the letter saved for reading.
    catalogue_loaded(list): the cameras an agency may ask for (:class:`RequestableCamera`).
    cameras_changed(): the cameras this user may see have changed: reload the camera list.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal

from app.bookmarks import vn_text
from app.errors import BackendError, ValidationFailed
from app.i18n import arg
from app.letters import LetterFault, inspect_letter, save_letter
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import PolledList, report_action_failure
from common.records import AccessRequest, MalformedRecord, RequestableCamera, from_json
from common.vocabulary import AccessRequestState

# AccessRequest, RequestableCamera: common.records' (the server answers with the
# same records); the widgets import them from here

log = logging.getLogger("iocwall.access")

POLL_INTERVAL_MS = 15_000
REASON_MIN = 3
# a grant boundary is acted on this long after it (the server's "now" decides; clocks drift)
BOUNDARY_SLACK_MS = 1_000


def _letter_error(source: object, name: str = "", reason: str = "") -> ValidationFailed:
    """A refused letter (context ``AccessRequestService``; sources marked where they are)."""
    text = QCoreApplication.translate("AccessRequestService", str(source))
    return ValidationFailed(arg(text, name, reason), "letter")


def parse_requestable_camera(data: Any) -> RequestableCamera:
    try:
        return from_json(RequestableCamera, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected camera catalogue") from exc


def parse_access_request(data: Any) -> AccessRequest:
    try:
        return from_json(AccessRequest, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected access request record") from exc


def read_letter(path: Path) -> bytes:
    """The letter's bytes, or a readable :class:`ValidationFailed` (not a PDF, too large,
    unreadable) before anything is sent."""
    problem = inspect_letter(Path(path))
    if problem is not None:
        messages = {
            LetterFault.MISSING: QT_TRANSLATE_NOOP(
                "AccessRequestService", "letter: choose the official letter (a PDF file)"),
            LetterFault.TOO_LARGE: QT_TRANSLATE_NOOP(
                "AccessRequestService", "letter: %1 is larger than 10 MB"),
            LetterFault.UNREADABLE: QT_TRANSLATE_NOOP(
                "AccessRequestService", "letter: cannot read %1 (%2)"),
            LetterFault.NOT_PDF: QT_TRANSLATE_NOOP(
                "AccessRequestService",
                "letter: %1 is not a PDF file; attach the official letter as a PDF"),
        }
        raise _letter_error(messages[problem.fault], problem.name, problem.reason)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise _letter_error(QT_TRANSLATE_NOOP("AccessRequestService",
                                              "letter: cannot read %1 (%2)"),
                            Path(path).name, exc.strerror or type(exc).__name__) from exc


class AccessRequestBackend(Protocol):
    """The endpoints :class:`AccessRequestService` uses (:class:`app.api.BackendApi`'s typed
    methods)."""

    def access_requests(self) -> list[AccessRequest]: ...
    def requestable_cameras(self) -> list[RequestableCamera]: ...
    def file_access_request(self, *, content: str, purpose: str, commitment: str,
                            camera_ids: list[int], wanted_from: datetime,
                            wanted_until: datetime, letter_name: str,
                            letter: bytes) -> AccessRequest: ...
    def grant_access(self, request_id: int, camera_ids: list[int], valid_until: datetime,
                     valid_from: datetime | None = None) -> AccessRequest: ...
    def reject_access(self, request_id: int, reason: str) -> AccessRequest: ...
    def revoke_access(self, request_id: int) -> AccessRequest: ...
    def access_request_letter(self, request_id: int) -> bytes: ...


class AccessRequestService(QObject):
    """Access requests of the logged-in user; see the module docstring for the signals."""

    listed = Signal(list)
    request_changed = Signal(object)
    action_failed = Signal(str)
    letter_saved = Signal(int, object)
    cameras_changed = Signal()
    catalogue_loaded = Signal(list)

    def __init__(self, backend: AccessRequestBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, poll_interval_ms: int = POLL_INTERVAL_MS
                 ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self._active: frozenset[int] = frozenset()
        self.list: PolledList[AccessRequest, None, list[AccessRequest]] = PolledList(
            ops, self._list, None, on_answer=self._on_listed, interval_ms=poll_interval_ms,
            label=self.tr("Access requests"), logger=log, parent=self)
        self.list.items_changed.connect(self.listed)
        self._boundary = QTimer(self)
        self._boundary.setSingleShot(True)
        self._boundary.timeout.connect(self._boundary_reached)
        self.next_boundary: datetime | None = None

    # -- lists ------------------------------------------------------------------------------------
    @property
    def requests(self) -> list[AccessRequest]:
        """The requests as last read (one the user just filed or decided included)."""
        return self.list.items

    def start_polling(self) -> None:
        self.list.start()

    def stop(self) -> None:
        self.list.stop()
        self._boundary.stop()

    def stop_polling(self) -> None:
        self.stop()

    @property
    def polling(self) -> bool:
        return self.list.active

    def refresh(self) -> None:
        self.list.refresh()

    def _list(self, _where: None) -> list[AccessRequest]:
        return self._backend.access_requests()

    def _on_listed(self, requests: list[AccessRequest], current: bool) -> None:
        """Before the list is replaced: tell what changed since the last reading, and whether
        the cameras the user may see changed."""
        if not current:
            return  # an answer older than the user's own step: the next one follows
        loaded = self.list.loaded
        if loaded:
            self._notify(requests)
        active = frozenset().union(*(r.active_camera_ids for r in requests))
        changed = loaded and active != self._active
        self._active = active
        self._schedule(requests)
        if changed:
            log.info("running grants changed: cameras %s", sorted(active))
            # after the list is shown: the window reads its camera list again
            QTimer.singleShot(0, self, self.cameras_changed.emit)

    def _notify(self, requests: list[AccessRequest]) -> None:
        before = {r.id: r.state for r in self.requests}
        for request in requests:
            old = before.get(request.id)
            if old is None:
                if request.state == AccessRequestState.REQUESTED:
                    self._messages.info(arg(self.tr("Access request #%1 from %2 awaits a decision"),
                                            request.id, request.unit))
            elif old != request.state:
                if request.state == AccessRequestState.GRANTED:
                    self._messages.info(arg(self.tr("Access request #%1 was granted until %2"),
                                            request.id, _vn(request.grant_end)))
                elif request.state == AccessRequestState.REJECTED:
                    self._messages.warning(arg(self.tr("Access request #%1 was rejected: %2"),
                                               request.id, request.reject_reason or ""))

    def _schedule(self, requests: list[AccessRequest]) -> None:
        """Wake at the next start or end of a grant, to read the camera list again then."""
        now = datetime.now(UTC)
        moments = [t for r in requests for g in r.grants for t in (g.valid_from, g.valid_until)
                   if t > now]
        self._boundary.stop()
        self.next_boundary = min(moments, default=None)
        if self.next_boundary is None:
            return
        delay = (self.next_boundary - now) / timedelta(milliseconds=1) + BOUNDARY_SLACK_MS
        self._boundary.start(int(min(delay, 24 * 3600 * 1000)))

    def _boundary_reached(self) -> None:
        log.info("a grant started or ended: refreshing")
        self.refresh()

    # -- file and decide --------------------------------------------------------------------------
    def load_catalogue(self, *, quiet: bool = False) -> Op[Any]:
        """The cameras an agency may ask for → ``catalogue_loaded`` (the server's order: by ward
        and name). An agency sees no camera before a grant: this is what it chooses from.
        ``quiet``: a failure is only logged (a background lookup of names, not the user's act)."""
        return (self._ops.run(self._catalogue, label=self.tr("Cameras to request"), owner=self)
                .success(self.catalogue_loaded.emit)
                .failure(self._on_lookup_failed if quiet else self._on_action_failed))

    def _on_lookup_failed(self, error: BaseException) -> None:
        log.warning("camera catalogue lookup failed: %s", error)
        if not isinstance(error, BackendError):
            log.error("camera catalogue lookup failed", exc_info=error)

    def _catalogue(self) -> list[RequestableCamera]:
        return self._backend.requestable_cameras()

    def file_request(self, content: str, purpose: str, commitment: str, camera_ids: list[int],
                     wanted_from: datetime, wanted_until: datetime, letter: Path) -> Op[Any]:
        return (self._ops.run(functools.partial(self._file, content, purpose, commitment,
                                                list(camera_ids), wanted_from, wanted_until,
                                                Path(letter)),
                              label=self.tr("Access request"), owner=self)
                .success(self._on_request).failure(self._on_action_failed))

    def _file(self, content: str, purpose: str, commitment: str, camera_ids: list[int],
              wanted_from: datetime, wanted_until: datetime, letter: Path) -> AccessRequest:
        if not camera_ids:
            raise ValidationFailed(self.tr("camera_ids: name at least one camera"), "camera_ids")
        pdf = read_letter(letter)
        return self._backend.file_access_request(
            content=content.strip(), purpose=purpose.strip(), commitment=commitment.strip(),
            camera_ids=camera_ids, wanted_from=wanted_from, wanted_until=wanted_until,
            letter_name=letter.name, letter=pdf)

    def grant(self, request_id: int, camera_ids: list[int], valid_until: datetime,
              valid_from: datetime | None = None) -> Op[Any]:
        def work() -> AccessRequest:
            if not camera_ids:
                raise ValidationFailed(self.tr("camera_ids: choose at least one camera to grant"),
                                       "camera_ids")
            return self._backend.grant_access(request_id, list(camera_ids), valid_until,
                                              valid_from)

        return self._step(work)

    def reject(self, request_id: int, reason: str) -> Op[Any]:
        def work() -> AccessRequest:
            if len(reason.strip()) < REASON_MIN:
                raise ValidationFailed(self.tr("reason: a rejection needs a reason (at least 3 "
                                           "characters)"), "reason")
            return self._backend.reject_access(request_id, reason.strip())

        return self._step(work)

    def revoke(self, request_id: int) -> Op[Any]:
        return self._step(functools.partial(self._backend.revoke_access, request_id))

    def _step(self, work: Callable[[], AccessRequest]) -> Op[Any]:
        return (self._ops.run(work, label=self.tr("Access request"), owner=self)
                .success(self._on_request).failure(self._on_action_failed))

    def _on_request(self, request: AccessRequest) -> None:
        log.info("access request %d: %s", request.id, request.state)
        self.request_changed.emit(request)
        # kept in the list at once, so what this user did needs no notification at the next
        # refresh; a refresh in flight predates the change and is followed by a fresh one
        self.list.replace(request)

    def refresh_now(self) -> None:
        """Read the list now, or right after the reading in flight (its answer may predate a
        change)."""
        self.refresh()

    def _on_action_failed(self, error: BaseException) -> None:
        self.action_failed.emit(report_action_failure(
            self._messages, log, self.tr("Access request: %1"), error))

    # -- the letter -------------------------------------------------------------------------------
    def save_letter(self, request_id: int, directory: Path) -> Op[Any]:
        """Save request ``request_id``'s letter as ``access-<id>.pdf`` in ``directory``."""
        return (self._ops.run(functools.partial(self._save_letter, int(request_id),
                                                Path(directory)),
                              label=self.tr("Letter"), owner=self)
                .success(lambda path: self.letter_saved.emit(int(request_id), path))
                .failure(self._on_action_failed))

    def _save_letter(self, request_id: int, directory: Path) -> Path:
        return save_letter(self._backend.access_request_letter(request_id),
                           directory / f"access-{request_id}.pdf",
                           self.tr("the server did not send a PDF letter"))


def _vn(value: datetime | None) -> str:
    return vn_text(value, seconds=False) if value is not None else ""
