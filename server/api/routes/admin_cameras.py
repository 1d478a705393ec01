"""``/admin/cameras``: onboarding cameras — one by one or from a CSV file — editing and
(de)activating them. The rules are :mod:`server.admin`'s and :mod:`server.camera_import`'s;
after a change the gateways get their new tables within seconds (``GatewaySync``), and the
clients, which poll ``/cameras``, see it at their next poll."""

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy import select

from common.urls import mask_url
from common.vocabulary import ProbeFailure
from server import admin as services
from server.api.errors import ApiError, documented
from server.api.params import Id
from server.api.routes.admin import refusals
from server.camera_import import (
    Discover,
    Discovered,
    ImportRefused,
    choose_gateway,
    import_cameras,
)
from server.camera_probe import (
    CameraProbeCreate,
    GatewayBusy,
    GatewayRefused,
    GatewayUnreachable,
    ProbeFailed,
    probe_camera,
)
from server.deps import AdminUser, NowDep, RuntimeDep, SessionDep
from server.gateways import privacy_masks
from server.models import Camera, Gateway
from server.schemas import (
    CameraAdminPublic,
    CameraCreate,
    CameraImportPublic,
    CameraUpdate,
    PrivacyMasksUpdate,
)
from server.security import SecretBox

router = APIRouter(prefix="/admin/cameras", tags=["admin"],
                   responses=documented(404, 409, 422))

CSV_BODY_CAP = 2 * 1024 * 1024  # the request guard's JSON cap: thousands of cameras


def camera_admin_public(camera: Camera, box: SecretBox,
                        gateway: Gateway | None) -> CameraAdminPublic:
    """A camera as its administrators manage it: whether credentials are held, never which."""
    port = box.decrypt(camera.onvif_port_enc)
    return CameraAdminPublic(
        id=camera.id, external_id=camera.external_id, name=camera.name,
        ward_id=camera.ward_id, ward=camera.ward.name, system=camera.system,
        owner_category=camera.owner_category, owner=camera.owner, location=camera.location,
        latitude=camera.latitude, longitude=camera.longitude, direction=camera.direction,
        # entered URLs hold no credentials (refused); masked anyway for rows older than that
        main_url=mask_url(camera.main_url), sub_url=mask_url(camera.sub_url) or None,
        onvif_host=box.decrypt(camera.onvif_host_enc), onvif_port=int(port) if port else None,
        ptz=camera.ptz, public=camera.public, record=camera.record,
        transport=camera.transport, gateway_id=camera.gateway_id,
        gateway=gateway.name if gateway is not None else None, is_active=camera.is_active,
        privacy_masks=privacy_masks(camera),
        has_credentials=camera.gateway_id is not None
        and camera.rtsp_password_sealed is not None,
        has_onvif_credentials=camera.gateway_id is not None
        and camera.onvif_password_sealed is not None,
    )


def _answer(session: SessionDep, camera: Camera, runtime: RuntimeDep) -> CameraAdminPublic:
    gateway = session.get(Gateway, camera.gateway_id) if camera.gateway_id else None
    return camera_admin_public(camera, runtime.secrets, gateway)


def _sync(runtime: RuntimeDep) -> None:
    if runtime.gateway_sync is not None:
        runtime.gateway_sync.sync_soon()


@router.get("")
def list_cameras(session: SessionDep, admin: AdminUser,
                 runtime: RuntimeDep) -> list[CameraAdminPublic]:
    """Every camera, deactivated ones too, by name."""
    gateways = {g.id: g for g in session.execute(select(Gateway)).scalars()}
    return [camera_admin_public(c, runtime.secrets, gateways.get(c.gateway_id or 0))
            for c in services.list_cameras(session)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_camera(body: CameraCreate, session: SessionDep, admin: AdminUser, now: NowDep,
                  runtime: RuntimeDep) -> CameraAdminPublic:
    """Onboard a camera; its gateway starts serving it within seconds."""
    with refusals(session):
        camera = services.create_camera(session, runtime.secrets, services.Actor.of(admin),
                                        now, body)
    session.commit()
    _sync(runtime)
    return _answer(session, camera, runtime)


BUSY_RETRIES_S = (2.0, 4.0)


def _discover(gateway: Gateway, box: SecretBox) -> Discover:
    """How an import row with only an ONVIF address gets its streams: the gateway's probe
    (the largest profile for main, the smallest for sub, each played to a key frame)."""

    def discover(host: str, port: int, username: str, password: str) -> Discovered:
        if gateway.public_key is None:
            return Discovered(error=f"the gateway {gateway.name} has not reported its key yet")
        try:
            body = CameraProbeCreate(gateway_id=gateway.id, host=host, port=port,
                                     username=username, password=password)
            for wait in BUSY_RETRIES_S:  # another administrator's probes hold the gateway
                try:
                    found = probe_camera(gateway, box, body)
                    break
                except GatewayBusy:
                    time.sleep(wait)
            else:
                found = probe_camera(gateway, box, body)
        except ValidationError as err:
            return Discovered(error=f"not an ONVIF address: {err.errors()[0]['msg']}")
        except ProbeFailed as failed:
            return Discovered(error=f"{failed.step}: {failed.failure}: {failed.detail}")
        except (GatewayUnreachable, GatewayRefused) as err:
            return Discovered(error=str(err))
        uris = {profile.token: profile.stream_uri for profile in found.profiles}
        main, sub = uris.get(found.proposed.main or ""), uris.get(found.proposed.sub or "")
        checked = found.verification.get("main")
        if main is None or (checked is not None and not checked.ok):
            why = checked.failure if checked is not None else "no stream"
            return Discovered(error=f"{ProbeFailure.NO_STREAM.value}: no playable main stream "
                                    f"({why})")
        return Discovered(main_url=main, sub_url=sub if sub and sub != main else None)

    return discover


@router.post("/import", responses=documented(404, 409, 422), openapi_extra={
    "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}})
async def import_csv(request: Request, session: SessionDep, admin: AdminUser, now: NowDep,
                     runtime: RuntimeDep, dry_run: bool = False,
                     gateway_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                     ) -> CameraImportPublic:
    """Create or update cameras from a CSV file (the body, ``text/csv``; columns in
    ``server.camera_import``), matched by ``external_id``. ``dry_run`` says what would be
    created or updated and every row's errors, writing nothing; a real import with any bad row
    imports nothing (422 listing the row errors in ``context.errors``)."""
    data = await request.body()
    with refusals(session):
        gateway = choose_gateway(session, gateway_id)
        try:
            # rows found over ONVIF wait for the gateway's probes: off the event loop
            result = await run_in_threadpool(
                import_cameras, session, runtime.secrets, services.Actor.of(admin), now, data,
                gateway, dry_run=dry_run, discover=_discover(gateway, runtime.secrets))
        except ImportRefused as err:
            raise services.Refused(services.INVALID, err.column, str(err)) from err
    answer = CameraImportPublic(dry_run=dry_run, gateway_id=gateway.id,
                                created=result.count("create"), updated=result.count("update"),
                                unchanged=result.count("unchanged"), rows=result.rows,
                                errors=result.errors)
    if dry_run or result.errors:
        session.rollback()
        if result.errors:
            first = result.errors[0]
            if not dry_run:
                raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                               f"{len(result.errors)} row error(s), nothing imported; line "
                               f"{first.row}, {first.column}: {first.reason}",
                               code="validation_error", field=first.column,
                               context={"errors": [e.model_dump() for e in result.errors]})
        return answer
    session.commit()
    _sync(runtime)
    return answer


@router.get("/{camera_id}")
def read_camera(camera_id: Id, session: SessionDep, admin: AdminUser,
                runtime: RuntimeDep) -> CameraAdminPublic:
    with refusals(session):
        camera = services.get_camera(session, camera_id)
    return _answer(session, camera, runtime)


@router.patch("/{camera_id}")
def update_camera(camera_id: Id, body: CameraUpdate, session: SessionDep, admin: AdminUser,
                  now: NowDep, runtime: RuntimeDep) -> CameraAdminPublic:
    """Change a camera: left-out fields stay. Its gateway reconnects to it with the new
    address, transport or password within seconds; a new ``gateway_id`` moves it (passwords
    re-sealed by the gateway holding them, or 409 ``credentials_needed`` naming the one to
    enter again)."""
    with refusals(session):
        camera, changed = services.update_camera(session, runtime.secrets,
                                                 services.Actor.of(admin), now, camera_id, body)
    session.commit()
    if changed:
        _sync(runtime)
    if {"ward_id", "system"} & set(changed) and runtime.gateways is not None:
        # who may see it changed: its viewers open their streams again under the new rights
        runtime.gateways.revoke_camera(camera.id)
    return _answer(session, camera, runtime)


def _set_active(camera_id: int, active: bool, session: SessionDep, admin: AdminUser,
                now: NowDep, runtime: RuntimeDep) -> CameraAdminPublic:
    with refusals(session):
        camera, changed = services.set_camera_active(session, services.Actor.of(admin), now,
                                                     camera_id, active)
    session.commit()
    if changed:
        _sync(runtime)
        if not active and runtime.gateways is not None:
            runtime.gateways.revoke_camera(camera.id)
    return _answer(session, camera, runtime)


@router.put("/{camera_id}/privacy-masks")
def set_privacy_masks(camera_id: Id, body: PrivacyMasksUpdate, session: SessionDep,
                      admin: AdminUser, now: NowDep, runtime: RuntimeDep) -> CameraAdminPublic:
    """Replace the camera's privacy masks (audited, before and after). Its gateway serves the
    masked picture from its next table: viewers reconnect to it, and recordings from then on
    hold it; what was recorded before stays as it was."""
    with refusals(session):
        camera, changed = services.set_privacy_masks(session, services.Actor.of(admin), now,
                                                     camera_id, body.masks)
    session.commit()
    if changed:
        _sync(runtime)
    return _answer(session, camera, runtime)


@router.post("/{camera_id}/deactivate")
def deactivate_camera(camera_id: Id, session: SessionDep, admin: AdminUser, now: NowDep,
                      runtime: RuntimeDep) -> CameraAdminPublic:
    """The camera is gone from every list at once, its viewers' streams end and its gateway
    stops serving it; its recordings, clips and cases stay."""
    return _set_active(camera_id, False, session, admin, now, runtime)


@router.post("/{camera_id}/activate")
def activate_camera(camera_id: Id, session: SessionDep, admin: AdminUser, now: NowDep,
                    runtime: RuntimeDep) -> CameraAdminPublic:
    return _set_active(camera_id, True, session, admin, now, runtime)
