"""Clip requests, downloads and evidence verification — the client of ``/clips``.

The server decides who may endorse, approve, reject or download; the client shows what the
server's ``actions`` list says and reports its 4xx messages as they are (they are readable).

Every download is verified on the workstation with the check the server's ``clip verify`` runs
(``common.evidence.verify_clip``): the manifest's Ed25519 signature against the public keys the
server publishes (``GET /api/v1/keys``), over the canonical JSON of the ``manifest`` object; then
the MP4's SHA-256 against the signed one. A changed manifest is "signature invalid"; a changed
MP4 is "altered". The signature primitive (``cryptography``) and the wording (translated) are
this module's.

Both boxes are read in one round trip by ``ClipService.list``, an :class:`app.polled.PolledList`
whose items are the requests of either box (its ``item_changed`` carries a request a step
answered, for the panel's rows).

Signals (ClipService):
    mine_changed(list): my requests (``ClipRequest``), newest first, after each refresh.
    awaiting_changed(list): requests awaiting my endorsement/approval.
    received_changed(list): evidence clips of the violation cases sent to my unit (city police
        and its traffic team: they download, verify and play them).
    badge_changed(int): how many things need me: awaiting my action + mine ready to download.
    request_changed(object): a ``ClipRequest`` the user created or acted on.
    action_failed(str): a create/endorse/approve/reject failed; the server's message.
    download_progress(int, int, int): ``(request id, bytes done, bytes total)`` on the GUI thread.
    download_finished(int, object): ``(request id, DownloadResult)``: saved and verified.
    download_failed(int, str): ``(request id, message)``; cancelled downloads say so.
    verified(object): a ``Verification`` of :meth:`ClipService.verify_files`.
    user_known(object): the logged-in ``User`` (read once with the first refresh): the request
        dialog asks agencies (unit kind ``other_agency``) for the commitment and the letter.
    letter_saved(int, object): ``(request id, Path)``: an agency's letter fetched for reading.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from app.bookmarks import vn_text
from app.domain import User
from app.errors import BackendError
from app.i18n import arg
from app.letters import MAX_LETTER_BYTES, LetterFault, inspect_letter, save_letter
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import PolledList, readable, report_action_failure
from common import evidence
from common.evidence import Finding, TrustedKey, Verdict, Verification
from common.files import write_atomically
from common.records import ClipRequest, MalformedRecord, from_json
from common.vocabulary import ClipBox, ClipState, UnitKind

# ClipRequest: common.records' (the server answers with the same record); the widgets import it
# from here

log = logging.getLogger("iocwall.clips")

POLL_INTERVAL_MS = 10_000




def check_letter(path: Path | None) -> str | None:
    """Why ``path`` cannot be sent as the official letter (None when it can): it must be a
    readable PDF file (``%PDF-`` first, as the server checks), at most 10 MB. Blocking, but
    reads five bytes."""
    problem = inspect_letter(path)
    if problem is None:
        return None
    if problem.fault is LetterFault.MISSING:
        return QCoreApplication.translate(
            "ClipService", "Attach the official request letter (a PDF file).")
    if problem.fault is LetterFault.UNREADABLE:
        return arg(QCoreApplication.translate("ClipService", "Cannot read the letter %1: %2"),
                   problem.name, problem.reason)
    if problem.fault is LetterFault.NOT_PDF:
        return arg(QCoreApplication.translate(
            "ClipService", "The letter must be a PDF file; %1 is not a PDF."), problem.name)
    return arg(QCoreApplication.translate(
        "ClipService", "The letter may be at most %1 MB; %2 is larger."),
        MAX_LETTER_BYTES // (1024 * 1024), problem.name)


class DownloadCancelled(BackendError):
    """The user cancelled a download; nothing was left on disk."""


class ClipBackend(Protocol):
    """What the service needs of :class:`app.backend.BackendClient` (widgets import this module,
    so it must not pull the HTTP client in)."""

    def me(self) -> User: ...
    def clip_letter(self, request_id: int) -> bytes: ...
    def clips(self, box: str = ClipBox.ALL) -> list[ClipRequest]: ...
    def create_clip(self, camera_id: int, start: datetime, end: datetime, purpose: str,
                    commitment: str | None = None, letter: Path | None = None
                    ) -> ClipRequest: ...
    def clip_step(self, request_id: int, step: str, reason: str | None = None
                  ) -> ClipRequest: ...
    def clip_manifest(self, request_id: int) -> dict[str, Any]: ...
    def signing_keys(self) -> list[SigningKey]: ...
    def download_clip(self, request_id: int, destination: Path, *,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      chunk_size: int = ...) -> str: ...


def range_text(request: ClipRequest) -> str:
    """The requested span in UTC+7, as the panels show it."""
    return f"{vn_text(request.start)} – {vn_text(request.end)}"


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    algorithm: str
    public_key_pem: str


@dataclass(frozen=True)
class DownloadResult:
    request_id: int
    clip_path: Path
    manifest_path: Path
    verification: Verification


def parse_signing_key(data: Any) -> SigningKey:
    try:
        return SigningKey(str(data["key_id"]), str(data.get("algorithm") or "Ed25519"),
                          str(data["public_key_pem"]))
    except (KeyError, TypeError, AttributeError) as exc:
        raise BackendError("the server sent an unexpected key record") from exc


def parse_clip(data: Any) -> ClipRequest:
    try:
        return from_json(ClipRequest, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected clip request record") from exc


# -- verification (common.evidence's check, worded in the user's language) -------------------

def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _ed25519_valid(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """The signature primitive for the shared check: ``public_key`` is a server key's PEM
    (ValueError when it is not a usable Ed25519 key)."""
    try:
        load_public_key(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _reason(error: Exception | None) -> str:
    return getattr(error, "strerror", None) or type(error).__name__


def verify_clip(clip: Path, manifest_file: Path, keys: list[SigningKey]) -> Verification:
    """Check ``manifest_file``'s signature against the server's published ``keys``, then the
    clip's SHA-256 against the signed one. Blocking (hashes the whole file)."""
    trusted = [TrustedKey(k.key_id, k.public_key_pem.encode("utf-8")) for k in keys]
    found = evidence.verify_clip(Path(clip), Path(manifest_file), trusted, _ed25519_valid)
    for key_id, exc in found.unusable_keys:
        log.warning("server key %s unusable: %s", key_id, exc)
    if found.finding is Finding.MANIFEST_UNREADABLE:
        text = QCoreApplication.translate("ClipService",
                                          "signature invalid: cannot read the manifest (%1)")
        return Verification(Verdict.SIGNATURE_INVALID, arg(text, _reason(found.error)))
    if found.finding is Finding.MANIFEST_MALFORMED:
        text = QCoreApplication.translate("ClipService",
                                          "signature invalid: unreadable manifest (%1)")
        return Verification(Verdict.SIGNATURE_INVALID, arg(text, type(found.error).__name__))
    if found.finding is Finding.SIGNATURE_MISMATCH:
        return Verification(Verdict.SIGNATURE_INVALID, QCoreApplication.translate(
            "ClipService",
            "signature invalid: the manifest was changed or not signed by this server's key"))
    if found.finding is Finding.CLIP_UNREADABLE:
        text = QCoreApplication.translate("ClipService", "altered: cannot read the clip (%1)")
        return Verification(Verdict.ALTERED, arg(text, _reason(found.error)),
                            manifest=found.manifest)
    if found.finding is Finding.HASH_MISMATCH:
        text = QCoreApplication.translate(
            "ClipService", "altered: SHA-256 of the clip is %1, the signed manifest says %2")
        return Verification(Verdict.ALTERED, arg(text, found.sha256, found.expected_sha256),
                            found.sha256, found.manifest)
    text = QCoreApplication.translate(
        "ClipService", "intact: SHA-256 %1 matches the manifest signed by key %2")
    return Verification(Verdict.INTACT, arg(text, found.sha256, found.signed_by), found.sha256,
                        found.manifest)


# -- the service --------------------------------------------------------------------------------

class DownloadJob:
    """A running download; :meth:`cancel` stops it between two chunks (nothing is left)."""

    def __init__(self, request_id: int, destination: Path) -> None:
        self.request_id = request_id
        self.destination = destination
        self._cancel = threading.Event()
        self.op: Op[DownloadResult] | None = None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


# one fetch: my requests, those awaiting me, the evidence of cases sent to my unit, and the user
# when not known yet
_Boxes = tuple[list[ClipRequest], list[ClipRequest], list[ClipRequest], User | None]


def _every_box(boxes: _Boxes) -> list[ClipRequest]:
    mine, awaiting, received, _user = boxes
    found: dict[int, ClipRequest] = {}
    for request in (*mine, *awaiting, *received):
        found.setdefault(request.id, request)
    return list(found.values())


class ClipService(QObject):
    """Clip requests of the logged-in user; see the module docstring for the signals."""

    mine_changed = Signal(list)
    awaiting_changed = Signal(list)
    received_changed = Signal(list)
    badge_changed = Signal(int)
    request_changed = Signal(object)
    action_failed = Signal(str)
    download_progress = Signal(int, int, int)
    download_finished = Signal(int, object)
    download_failed = Signal(int, str)
    verified = Signal(object)
    user_known = Signal(object)
    letter_saved = Signal(int, object)
    _progress_queued = Signal(int, int, int)

    def __init__(self, backend: ClipBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, poll_interval_ms: int = POLL_INTERVAL_MS,
                 user: User | None = None) -> None:
        """``user``: the logged-in user when the caller knows it (the session does), so the
        first refresh need not ask ``GET /me`` again."""
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.mine: list[ClipRequest] = []
        self.awaiting: list[ClipRequest] = []
        self.received: list[ClipRequest] = []
        self.badge = 0
        self.user: User | None = user
        self._keys: list[SigningKey] | None = None
        self.downloads: dict[int, DownloadJob] = {}
        # progress comes from the download's worker thread: hop to the GUI thread
        self._progress_queued.connect(self.download_progress,
                                      Qt.ConnectionType.QueuedConnection)
        # both boxes in one round trip; the list's items are every request shown in either
        self.list: PolledList[ClipRequest, None, _Boxes] = PolledList(
            ops, self._fetch_boxes, None, items_of=_every_box, on_answer=self._on_boxes,
            interval_ms=poll_interval_ms, label="clip requests", logger=log, parent=self)

    # -- lists, polling, notifications ----------------------------------------------------------
    def start_polling(self) -> None:
        """Refresh now and then every ~10 s (off the GUI thread)."""
        self.list.start()

    def stop_polling(self) -> None:
        self.list.stop()

    @property
    def polling(self) -> bool:
        return self.list.active

    def refresh(self) -> None:
        self.list.refresh()

    def _fetch_boxes(self, _where: None) -> _Boxes:
        user = self._backend.me() if self.user is None else None
        return (self._backend.clips(ClipBox.MINE), self._backend.clips(ClipBox.AWAITING),
                self._backend.clips(ClipBox.RECEIVED), user)

    @property
    def needs_letter(self) -> bool | None:
        """Whether the user's requests take the written chain (another agency: a commitment and
        the official letter, decided by the operating unit); None until the user is known."""
        return None if self.user is None else self.user.unit.kind == UnitKind.OTHER_AGENCY

    def _on_boxes(self, boxes: _Boxes, current: bool) -> None:
        mine, awaiting, received, user = boxes
        if user is not None and self.user is None:
            self.user = user
            self.user_known.emit(user)
        if not current:
            return  # older than the user's own step: the next answer follows
        if self.list.loaded:
            self._notify(mine, awaiting, received)
        self.mine, self.awaiting, self.received = mine, awaiting, received
        self.mine_changed.emit(list(mine))
        self.awaiting_changed.emit(list(awaiting))
        self.received_changed.emit(list(received))
        badge = len(awaiting) + sum(1 for r in mine if r.state == ClipState.READY)
        self.badge = badge
        self.badge_changed.emit(badge)

    def _notify(self, mine: list[ClipRequest], awaiting: list[ClipRequest],
                received: list[ClipRequest]) -> None:
        before_received = {r.id for r in self.received}
        for request in received:
            if request.id not in before_received:
                text = QCoreApplication.translate(
                    "ClipService", "Evidence clip #%1 (%2) received with a violation case")
                self._messages.info(arg(text, request.id, request.camera_name))
        before_awaiting = {r.id for r in self.awaiting}
        before_state = {r.id: r.state for r in self.mine}
        for request in awaiting:
            if request.id not in before_awaiting:
                text = QCoreApplication.translate(
                    "ClipService", "Clip request #%1 (%2, %3) awaits your action")
                self._messages.info(arg(text, request.id, request.camera_name,
                                        request.requester.label))
        for request in mine:
            old = before_state.get(request.id)
            if old == request.state:
                continue
            if request.state == ClipState.READY:
                text = QCoreApplication.translate("ClipService",
                                                  "Clip #%1 (%2) is ready to download")
                self._messages.info(arg(text, request.id, request.camera_name))
            elif request.state == ClipState.REJECTED:
                text = QCoreApplication.translate("ClipService",
                                                  "Clip request #%1 was rejected: %2")
                self._messages.warning(arg(text, request.id, request.reject_reason or ""))
            elif request.state == ClipState.FAILED:
                text = QCoreApplication.translate("ClipService",
                                                  "Clip #%1 could not be extracted: %2")
                self._messages.error(arg(text, request.id, request.error or ""))

    # -- create and decide -----------------------------------------------------------------------
    def create_request(self, camera_id: int, start: datetime, end: datetime, purpose: str, *,
                       commitment: str | None = None, letter: Path | None = None) -> Op[Any]:
        return (self._ops.run(functools.partial(self._backend.create_clip, camera_id, start, end,
                                                purpose, commitment, letter),
                              label="clip request")
                .success(self._on_request).failure(self._on_action_failed))

    def endorse(self, request_id: int) -> Op[Any]:
        return self._step(request_id, "endorse")

    def approve(self, request_id: int) -> Op[Any]:
        return self._step(request_id, "approve")

    def reject(self, request_id: int, reason: str) -> Op[Any]:
        return self._step(request_id, "reject", reason)

    def _step(self, request_id: int, step: str, reason: str | None = None) -> Op[Any]:
        return (self._ops.run(functools.partial(self._backend.clip_step, request_id, step, reason),
                              label=f"clip {step}")
                .success(self._on_request).failure(self._on_action_failed))

    def _on_request(self, request: ClipRequest) -> None:
        log.info("clip request %d: %s", request.id, request.state)
        self.request_changed.emit(request)
        # shown at once in the box that lists it; the refresh that follows reads both again
        self.mine = [request if r.id == request.id else r for r in self.mine]
        self.awaiting = [request if r.id == request.id else r for r in self.awaiting]
        self.received = [request if r.id == request.id else r for r in self.received]
        self.list.replace(request)

    def _on_action_failed(self, error: BaseException) -> None:
        self.action_failed.emit(report_action_failure(
            self._messages, log, QCoreApplication.translate("ClipService", "Clip request: %1"),
            error))

    # -- the agency's letter -------------------------------------------------------------------
    def open_letter(self, request: ClipRequest, directory: Path) -> Op[Any]:
        """Fetch request ``request``'s official letter into ``directory`` (``letter-<id>.pdf``)
        for reading; ``letter_saved`` says where. Only a PDF is written."""
        destination = Path(directory) / f"letter-{int(request.id)}.pdf"
        return (self._ops.run(functools.partial(self._fetch_letter, request.id, destination),
                              label=f"clip {request.id} letter")
                .success(lambda path: self.letter_saved.emit(request.id, path))
                .failure(self._on_action_failed))

    def _fetch_letter(self, request_id: int, destination: Path) -> Path:
        return save_letter(self._backend.clip_letter(request_id), destination,
                           QCoreApplication.translate(
                               "ClipService", "the server's letter is not a PDF file"))

    # -- download and verify -------------------------------------------------------------------
    def download(self, request_id: int, directory: Path) -> DownloadJob:
        """Download clip ``request_id`` into ``directory`` (``clip-<id>.mp4`` + its manifest),
        then verify it; progress, result and failure come as signals."""
        destination = Path(directory) / f"clip-{int(request_id)}.mp4"
        job = DownloadJob(int(request_id), destination)
        self.downloads[job.request_id] = job
        job.op = (self._ops.run(functools.partial(self._download, job),
                                label=f"clip {request_id} download")
                  .success(self._on_downloaded).failure(
                      functools.partial(self._on_download_failed, job)))
        return job

    def _download(self, job: DownloadJob) -> DownloadResult:
        self._backend.download_clip(
            job.request_id, job.destination, cancelled=lambda: job.cancelled,
            progress=lambda done, total: self._progress_queued.emit(job.request_id, done, total))
        manifest_path = job.destination.with_name(f"clip-{job.request_id}.manifest.json")
        try:
            document = self._backend.clip_manifest(job.request_id)
            write_atomically(manifest_path, (json.dumps(document, ensure_ascii=False, indent=2)
                                             + "\n").encode("utf-8"))
            verification = verify_clip(job.destination, manifest_path, self._server_keys())
        except BaseException:
            job.destination.unlink(missing_ok=True)
            raise
        return DownloadResult(job.request_id, job.destination, manifest_path, verification)

    def _server_keys(self) -> list[SigningKey]:
        """The server's published keys, fetched once (blocking: worker thread only)."""
        if self._keys is None:
            self._keys = self._backend.signing_keys()
        return self._keys

    def _on_downloaded(self, result: DownloadResult) -> None:
        self.downloads.pop(result.request_id, None)
        level = self._messages.info if result.verification.intact else self._messages.error
        text = QCoreApplication.translate("ClipService", "Clip #%1 saved to %2: %3")
        level(arg(text, result.request_id, result.clip_path, result.verification.message))
        self.download_finished.emit(result.request_id, result)
        self.refresh()

    def _on_download_failed(self, job: DownloadJob, error: BaseException) -> None:
        self.downloads.pop(job.request_id, None)
        if isinstance(error, DownloadCancelled):
            text = "cancelled"
            self._messages.info(arg(QCoreApplication.translate(
                "ClipService", "Clip #%1: download cancelled"), job.request_id))
        else:
            text = readable(error)
            if not isinstance(error, BackendError):
                log.error("clip download failed", exc_info=error)
            self._messages.error(arg(QCoreApplication.translate(
                "ClipService", "Clip #%1: download failed: %2"), job.request_id, text))
        self.download_failed.emit(job.request_id, text)

    def verify_files(self, clip: Path, manifest: Path) -> Op[Verification]:
        """Verify any clip + manifest on disk against the server's public key."""
        return (self._ops.run(functools.partial(self._verify_files, Path(clip), Path(manifest)),
                              label="clip verify")
                .success(self._on_verified).failure(self._on_action_failed))

    def _verify_files(self, clip: Path, manifest: Path) -> Verification:
        return verify_clip(clip, manifest, self._server_keys())

    def _on_verified(self, verification: Verification) -> None:
        level = self._messages.info if verification.intact else self._messages.error
        level(arg(QCoreApplication.translate("ClipService", "Clip verification: %1"),
                  verification.message))
        self.verified.emit(verification)
