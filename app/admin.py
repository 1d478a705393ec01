"""Site administration for the operating unit's administrators: wards, units, accounts, cameras,
gateways, camera probes and CSV imports, through the backend's ``/admin`` routes, off the GUI
thread (:mod:`app.ops`). Built by :mod:`app.context` for administrators only; the server stays
the authority and refuses anyone else.

Every call answers an :class:`app.ops.Op`: the caller (a dialog) chains ``.success`` and
``.failure`` and passes itself as ``owner``, so a closed dialog never gets a late answer. A
refusal is an :class:`app.errors.BackendError`; :class:`app.errors.ValidationFailed` and
:class:`app.errors.Conflict` carry the field the server named.

Signals:
    changed(str): something was written (``wards``, ``units``, ``users``, ``cameras``,
        ``gateways``): the lists showing it read it again.
    preview_status(str, object): ``(tile_key, TileStatus)`` of a live picture started with
        :meth:`preview` or :meth:`preview_stream` (on the GUI thread).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.api import BackendApi
from app.domain.admin import (
    AdminCamera,
    AdminUnit,
    AdminUser,
    AdminWard,
    CameraFields,
    GatewayInfo,
    ImportResult,
    LoginSession,
    ProbeResult,
)
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.ports import VideoPort
from app.video.sources import SessionSource
from common.records import PublicCatalogue
from common.stream_tokens import PREVIEW_STREAM
from common.vocabulary import CameraStream, Role, UnitKind

log = logging.getLogger("iocwall.admin")

T = TypeVar("T")

WARDS, UNITS, USERS, CAMERAS, GATEWAYS = "wards", "units", "users", "cameras", "gateways"
CATALOGUE = "catalogue"  # the shareable-data catalogue (Art. 14)


class AdminService(QObject):
    """See the module docstring."""

    changed = Signal(str)
    preview_status = Signal(str, object)

    def __init__(self, backend: BackendApi, ops: Ops, messages: MessageBridge,
                 video: VideoPort | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self._video = video
        self._previews: set[str] = set()
        if video is not None:
            video.tile_status_changed.connect(self._tile_status)

    def _tile_status(self, tile_key: str, status: object) -> None:
        if tile_key in self._previews:
            self.preview_status.emit(tile_key, status)

    def _read(self, work: Callable[[], T], label: str, owner: QObject | None) -> Op[T]:
        return self._ops.run(work, label=label, owner=owner)

    def _write(self, what: str, work: Callable[[], T], label: str,
               owner: QObject | None) -> Op[T]:
        """A change: the lists of ``what`` are read again once the server agreed (whatever
        the caller chains after)."""
        op = self._ops.run(work, label=label, owner=owner)
        op.task.add_done_callback(
            lambda task: self.changed.emit(what) if not task.cancelled()
            and task.exception() is None else None)
        return op

    # -- reading ----------------------------------------------------------------------------------
    def wards(self, owner: QObject | None = None) -> Op[list[AdminWard]]:
        return self._read(self._backend.admin_wards, self.tr("Wards"), owner)

    def units(self, owner: QObject | None = None) -> Op[list[AdminUnit]]:
        return self._read(self._backend.admin_units, self.tr("Units"), owner)

    def users(self, owner: QObject | None = None) -> Op[list[AdminUser]]:
        return self._read(self._backend.admin_users, self.tr("Accounts"), owner)

    def sessions(self, user_id: int, owner: QObject | None = None) -> Op[list[LoginSession]]:
        return self._read(functools.partial(self._backend.user_sessions, user_id), "sessions",
                          owner)

    def cameras(self, owner: QObject | None = None) -> Op[list[AdminCamera]]:
        return self._read(self._backend.admin_cameras, self.tr("Cameras"), owner)

    def camera(self, camera_id: int, owner: QObject | None = None) -> Op[AdminCamera]:
        return self._read(functools.partial(self._backend.admin_camera, camera_id), "camera",
                          owner)

    def gateways(self, owner: QObject | None = None) -> Op[list[GatewayInfo]]:
        return self._read(self._backend.gateways, self.tr("Gateways"), owner)

    def public_catalogue(self, owner: QObject | None = None) -> Op[PublicCatalogue]:
        return self._read(self._backend.public_catalogue, self.tr("Public data catalogue"),
                          owner)

    def set_public_catalogue(self, camera_ids: list[int], violation_kinds: list[str],
                             owner: QObject | None = None) -> Op[PublicCatalogue]:
        """Replace the catalogue; what leaves it leaves the public at once (the server)."""
        return self._write(CATALOGUE, functools.partial(self._backend.set_public_catalogue,
                                                        camera_ids, violation_kinds),
                           self.tr("Public data catalogue"), owner)

    # -- wards and units -------------------------------------------------------------------------
    def create_ward(self, name: str, owner: QObject | None = None) -> Op[AdminWard]:
        return self._write(WARDS, functools.partial(self._backend.create_ward, name),
                           self.tr("New ward"), owner)

    def update_ward(self, ward_id: int, owner: QObject | None = None,
                    **changes: Any) -> Op[AdminWard]:
        return self._write(WARDS, functools.partial(self._backend.update_ward, ward_id,
                                                    **changes), self.tr("Ward change"), owner)

    def create_unit(self, name: str, kind: UnitKind, ward_id: int | None,
                    owner: QObject | None = None) -> Op[AdminUnit]:
        return self._write(UNITS, functools.partial(self._backend.create_unit, name, kind,
                                                    ward_id), self.tr("New unit"), owner)

    def update_unit(self, unit_id: int, owner: QObject | None = None,
                    **changes: Any) -> Op[AdminUnit]:
        return self._write(UNITS, functools.partial(self._backend.update_unit, unit_id,
                                                    **changes), self.tr("Unit change"), owner)

    # -- accounts --------------------------------------------------------------------------------
    def create_user(self, username: str, full_name: str, unit_id: int, role: Role,
                    password: str, owner: QObject | None = None) -> Op[AdminUser]:
        return self._write(USERS, functools.partial(self._backend.create_user, username,
                                                    full_name, unit_id, role, password),
                           self.tr("New account"), owner)

    def update_user(self, user_id: int, owner: QObject | None = None,
                    **changes: Any) -> Op[AdminUser]:
        return self._write(USERS, functools.partial(self._backend.update_user, user_id,
                                                    **changes), self.tr("Account change"), owner)

    def reset_password(self, user_id: int, password: str,
                       owner: QObject | None = None) -> Op[None]:
        return self._write(USERS, functools.partial(self._backend.reset_password, user_id,
                                                    password), self.tr("Password reset"), owner)

    def set_user_active(self, user_id: int, active: bool,
                        owner: QObject | None = None) -> Op[None]:
        return self._write(USERS, functools.partial(self._backend.set_user_active, user_id,
                                                    active), self.tr("Account state"), owner)

    def end_session(self, user_id: int, session_id: int | None,
                    owner: QObject | None = None) -> Op[None]:
        return self._write(USERS, functools.partial(self._backend.end_user_session, user_id,
                                                    session_id), self.tr("End session"), owner)

    # -- gateways --------------------------------------------------------------------------------
    def create_gateway(self, name: str, rtsp_host: str, rtsp_port: int, control_url: str,
                       control_secret: str, ptz_port: int | None = None,
                       owner: QObject | None = None) -> Op[GatewayInfo]:
        return self._write(GATEWAYS, functools.partial(
            self._backend.create_gateway, name, rtsp_host, rtsp_port, control_url,
            control_secret, ptz_port), self.tr("New gateway"), owner)

    def update_gateway(self, gateway_id: int, owner: QObject | None = None,
                       **changes: Any) -> Op[GatewayInfo]:
        return self._write(GATEWAYS, functools.partial(self._backend.update_gateway, gateway_id,
                                                       **changes),
                           self.tr("Gateway change"), owner)

    # -- cameras ---------------------------------------------------------------------------------
    def create_camera(self, fields: CameraFields,
                      owner: QObject | None = None) -> Op[AdminCamera]:
        return self._write(CAMERAS, functools.partial(self._backend.create_camera, fields),
                           self.tr("New camera"), owner)

    def update_camera(self, camera_id: int, changes: dict[str, Any],
                      owner: QObject | None = None) -> Op[AdminCamera]:
        return self._write(CAMERAS, functools.partial(self._backend.update_camera, camera_id,
                                                      changes), self.tr("Camera change"), owner)

    def set_privacy_masks(self, camera_id: int,
                          masks: Sequence[tuple[float, float, float, float]],
                          owner: QObject | None = None) -> Op[AdminCamera]:
        work = functools.partial(self._backend.set_privacy_masks, camera_id, list(masks))
        return self._write(CAMERAS, work, self.tr("Saving privacy masks"), owner)

    def set_camera_active(self, camera_id: int, active: bool,
                          owner: QObject | None = None) -> Op[AdminCamera]:
        return self._write(CAMERAS, functools.partial(self._backend.set_camera_active,
                                                      camera_id, active), self.tr("Camera state"), owner)

    def probe(self, gateway_id: int, host: str, port: int | None, username: str, password: str,
              rtsp_url: str | None = None, owner: QObject | None = None) -> Op[ProbeResult]:
        """The gateway's probe (up to 30 s); the password goes to the server and nowhere else."""
        return self._read(functools.partial(self._backend.probe_camera, gateway_id, host, port,
                                            username, password, rtsp_url), self.tr("Camera probe"), owner)

    def import_csv(self, csv_text: bytes, gateway_id: int | None, dry_run: bool,
                   owner: QObject | None = None) -> Op[ImportResult]:
        work = functools.partial(self._backend.import_cameras, csv_text, gateway_id, dry_run)
        if dry_run:
            return self._read(work, self.tr("Import check"), owner)
        return self._write(CAMERAS, work, self.tr("Camera import"), owner)

    # -- a saved camera's live picture -------------------------------------------------------------
    def preview(self, camera: AdminCamera, tile_key: str, window_id: int) -> None:
        """Play the saved camera's sub stream (its main one when it has no other) into the
        native window ``window_id``. The backend issues stream sessions only for saved cameras;
        the video service asks for one (and a new one at each reconnect) itself. Stop with
        :meth:`stop_preview`."""
        if self._video is None:
            return
        self._previews.add(tile_key)
        camera_id = camera.id
        stream = str(CameraStream.SUB if camera.sub_url else CameraStream.MAIN)
        source = SessionSource(camera_id, stream, functools.partial(
            self._backend.stream_session_url, camera_id, stream))
        self._video.play(tile_key, source, window_id, camera.name)

    def preview_stream(self, gateway_id: int, rtsp_url: str, username: str, password: str,
                       tile_key: str, window_id: int, label: str) -> None:
        """Play a camera's stream before the camera is saved (a probed profile's
        ``stream_uri``) into the native window ``window_id``: the backend has its gateway
        mount it as a preview and answers a session like a camera's; the video service asks
        for one (a new preview at each reconnect) itself. Nothing is saved. Stop with
        :meth:`stop_preview`."""
        if self._video is None:
            return
        self._previews.add(tile_key)
        source = SessionSource(0, PREVIEW_STREAM, functools.partial(
            self._backend.preview_stream_url, gateway_id, rtsp_url, username, password))
        self._video.play(tile_key, source, window_id, label)

    def stop_preview(self, tile_key: str) -> None:
        self._previews.discard(tile_key)
        if self._video is not None:
            self._video.stop(tile_key)
