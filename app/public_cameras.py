"""Which cameras the public may see (Art. 14): among the traffic cameras of the shareable-data
catalogue (``GET /public-catalogue``, kept by administrators), the operating unit marks a
camera public (``PUT /cameras/{id}/public``) and ``/public/v1/cameras`` lists it, without
login.

Only what the choice needs is kept of a camera here (id, name, ward, location, the flag): never
its stream URLs, which ``GET /cameras`` carries with credentials for viewing.

Signals (PublicCameraService):
    cameras_loaded(list): ``PublicCameraRow`` of every camera in the user's scope, by name.
    camera_changed(object): the ``PublicCameraRow`` as the server answered a change.
    failed(int, str): ``(camera id or 0 for the list, readable message)``.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.errors import BackendError
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from common.records import PublicCatalogue

log = logging.getLogger("iocwall.public")



@dataclass(frozen=True)
class PublicCameraRow:
    id: int
    name: str
    ward: str
    location: str
    public: bool


def parse_row(data: Any) -> PublicCameraRow:
    try:
        return PublicCameraRow(id=int(data["id"]), name=str(data["name"]),
                               ward=str(data.get("ward") or ""),
                               location=str(data.get("location") or ""),
                               public=bool(data["public"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackendError("the server sent an unexpected camera record") from exc


class PublicCameraBackend(Protocol):
    """The endpoints :class:`PublicCameraService` uses (:class:`app.api.BackendApi`'s)."""

    def public_camera_rows(self) -> list[PublicCameraRow]: ...
    def public_catalogue(self) -> PublicCatalogue: ...
    def set_camera_public(self, camera_id: int, public: bool) -> PublicCameraRow: ...


class PublicCameraService(QObject):
    """See the module docstring for the signals."""

    cameras_loaded = Signal(list)
    camera_changed = Signal(object)
    failed = Signal(int, str)

    def __init__(self, backend: PublicCameraBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages

    def load(self) -> Op[list[PublicCameraRow]]:
        return (self._ops.run(self._fetch, label=self.tr("Cameras"), owner=self)
                .success(self.cameras_loaded.emit)
                .failure(functools.partial(self._on_failed, 0)))

    def _fetch(self) -> list[PublicCameraRow]:
        """The cameras the shareable-data catalogue lets the public see (administrators keep
        it); the operating unit chooses among them."""
        listed = set(self._backend.public_catalogue().camera_ids)
        rows = [r for r in self._backend.public_camera_rows() if r.id in listed]
        return sorted(rows, key=lambda r: (r.name, r.id))

    def set_public(self, camera_id: int, public: bool) -> Op[PublicCameraRow]:
        def work() -> PublicCameraRow:
            return self._backend.set_camera_public(camera_id, public)

        return (self._ops.run(work, label=self.tr("Public camera"), owner=self)
                .success(self._on_changed)
                .failure(functools.partial(self._on_failed, int(camera_id))))

    def _on_changed(self, row: PublicCameraRow) -> None:
        log.info("camera %s: public %s", row.name, row.public)
        self.camera_changed.emit(row)

    def _on_failed(self, camera_id: int, error: BaseException) -> None:
        text = str(error) if isinstance(error, BackendError) else \
            f"{type(error).__name__}: {error}"
        if not isinstance(error, BackendError):
            log.error("public camera change failed", exc_info=error)
        self._messages.error(arg(self.tr("Public cameras: %1"), text))
        self.failed.emit(camera_id, text)
