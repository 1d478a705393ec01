"""Publication of violation media (Art. 11.3.a, Art. 14) — the client of ``/publications``.

An operator proposes a case's public title and one evidence clip with the boxes to blur (drawn
on pictures of the clip the server cuts); the server blurs the clip; someone of the operating
unit reviews the blurred clip (named); an IOC leader who did not propose it approves; any of
them withdraws a published one at once, with a reason. The server decides who may do what
(``actions`` of each record); this only shows it and sends what the user chose.

Boxes are drawn at *keyframes* (moments of the clip); the n-th box of every keyframe is the same
object followed across the clip (one *track*), the server moving it in a straight line between
keyframes (``server.redaction``). :func:`tracks_from_keyframes` makes the tracks.

Signals (PublicationService):
    publications_changed(list): the proposals, newest first (``Publication``).
    publication_changed(object): one proposal as an action answered it.
    action_failed(str): a proposal or step failed; the server's readable message.
    frame_loaded(int, float, bytes): ``(clip request id, seconds, JPEG)`` to draw on.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polled import PolledList, report_action_failure
from common.records import Publication

log = logging.getLogger("iocwall.publications")

POLL_INTERVAL_MS = 30_000
STEPS = ("review", "approve", "reject", "withdraw")

Box = tuple[float, float, float, float]



def tracks_from_keyframes(keyframes: Mapping[float, Sequence[Box]]) -> list[list[dict[str, Any]]]:
    """The n-th box of each keyframe, in time order, is track n (a keyframe with fewer boxes
    simply does not continue the later tracks)."""
    tracks: list[list[dict[str, Any]]] = []
    for at in sorted(keyframes):
        for index, box in enumerate(keyframes[at]):
            while len(tracks) <= index:
                tracks.append([])
            tracks[index].append({"t": round(float(at), 3),
                                  "box": [round(float(v), 4) for v in box]})
    return [t for t in tracks if t]


class PublicationBackend(Protocol):
    """The endpoints :class:`PublicationService` uses (:class:`app.api.BackendApi`'s)."""

    def publications(self) -> list[Publication]: ...
    def propose_publication(self, case_id: int, title: str, clip_request_id: int | None,
                            tracks: list[list[dict[str, Any]]]) -> Publication: ...
    def publication_step(self, publication_id: int, step: str,
                         text: str | None = None) -> Publication: ...
    def publication_frame(self, clip_request_id: int, at_s: float) -> bytes: ...


class PublicationService(QObject):
    """See the module docstring for the signals."""

    publications_changed = Signal(list)
    publication_changed = Signal(object)
    action_failed = Signal(str)
    frame_loaded = Signal(int, float, bytes)

    def __init__(self, backend: PublicationBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None, *, poll_interval_ms: int = POLL_INTERVAL_MS
                 ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.list: PolledList[Publication, None, list[Publication]] = PolledList(
            ops, lambda _where: backend.publications(), None, interval_ms=poll_interval_ms,
            label=self.tr("Publications"), logger=log, parent=self)
        self.list.items_changed.connect(self.publications_changed)

    @property
    def publications(self) -> list[Publication]:
        return self.list.items

    def start_polling(self) -> None:
        self.list.start()

    def stop_polling(self) -> None:
        self.list.stop()

    def refresh(self) -> None:
        self.list.refresh()

    def propose(self, case_id: int, title: str, clip_request_id: int | None,
                keyframes: Mapping[float, Sequence[Box]]) -> Op[Publication]:
        tracks = tracks_from_keyframes(keyframes)
        return self._act(functools.partial(self._backend.propose_publication, case_id, title,
                                           clip_request_id, tracks), self.tr("Propose publication"))

    def step(self, publication_id: int, step: str, text: str | None = None
             ) -> Op[Publication]:
        """``review`` (note), ``approve``, ``reject`` (reason), ``withdraw`` (reason)."""
        if step not in STEPS:
            raise ValueError(step)
        return self._act(functools.partial(self._backend.publication_step, publication_id,
                                           step, text), self.tr("Publication"))

    def load_frame(self, clip_request_id: int, at_s: float) -> Op[bytes]:
        return (self._ops.run(functools.partial(self._backend.publication_frame,
                                                clip_request_id, at_s),
                              label=self.tr("Picture of the clip"), owner=self)
                .success(lambda picture: self.frame_loaded.emit(clip_request_id, at_s,
                                                                picture))
                .failure(self._on_failed))

    def _act(self, work: Callable[[], Publication], label: str) -> Op[Publication]:
        return (self._ops.run(work, label=label, owner=self)
                .success(self._on_publication).failure(self._on_failed))

    def _on_publication(self, item: Publication) -> None:
        log.info("publication %d (case %d): %s", item.id, item.case_id, item.state)
        self.publication_changed.emit(item)
        self.list.replace(item)

    def _on_failed(self, error: BaseException) -> None:
        self.action_failed.emit(report_action_failure(self._messages, log,
                                                      self.tr("Publication: %1"), error))
