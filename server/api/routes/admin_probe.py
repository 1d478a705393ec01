"""``POST /admin/cameras/probe``: what a camera an administrator is onboarding is, and which of its
streams to use, found by the gateway that will serve it (:mod:`server.camera_probe`);
``POST /admin/cameras/preview``: the chosen stream live, before the camera is saved
(:mod:`server.camera_preview`).

Administrators only. Every probe is audited (``camera_probe``: gateway, host, port, outcome and
the failed step), every preview too (``camera_preview``: gateway, host, outcome), never with
the password, which the backend seals to the gateway's key and forgets. A probe that failed
answers 502 (504 when it ran out of time) naming the step.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from fastapi import APIRouter, status

from common.records import StreamSession
from common.vocabulary import ProbeFailure
from server import audit, stream_sessions
from server.api.errors import ApiError, documented
from server.camera_preview import CameraPreviewCreate, open_preview
from server.camera_probe import (
    CameraProbeCreate,
    CameraProbeResult,
    GatewayBusy,
    GatewayRefused,
    GatewayUnreachable,
    ProbeFailed,
    probe_camera,
)
from server.deps import AdminUser, NowDep, RuntimeDep, SessionDep
from server.models import Gateway

log = logging.getLogger("iocwall.api")

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/cameras/probe", responses=documented(502, 503, 504))
def probe(body: CameraProbeCreate, session: SessionDep, admin: AdminUser, now: NowDep,
          runtime: RuntimeDep) -> CameraProbeResult:
    """Probe a camera through a gateway (ONVIF: clock, device, services, profiles over Media2
    and Media1, stream URIs, PTZ; then the proposed main and sub streams played up to their
    first key frame). Takes up to 30 s."""
    if body.port is None and body.rtsp_url is None:
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                       "port: give the ONVIF port, or an rtsp_url", code="validation_error",
                       field="port")
    if body.rtsp_url is not None:
        try:
            parts = urlsplit(body.rtsp_url)
            rtsp_host, _port = parts.hostname, parts.port
        except ValueError:
            rtsp_host = None
        if rtsp_host != body.host.strip("[]").lower():
            # the probe never opens a connection off the host entered
            raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                           "rtsp_url: not a URL on the host entered", code="validation_error",
                           field="rtsp_url")
    gateway = session.get(Gateway, body.gateway_id)
    if gateway is None or not gateway.is_active:
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                       "gateway_id: no active gateway of that id", code="validation_error",
                       field="gateway_id")
    if gateway.public_key is None:
        raise ApiError(status.HTTP_409_CONFLICT, f"gateway_id: the gateway {gateway.name} has "
                       "not reported its key yet: start it, then probe", code="conflict",
                       field="gateway_id")
    where = {"gateway_id": gateway.id, "host": body.host, "port": body.port,
             "rtsp_url_given": body.rtsp_url is not None}

    def audited(outcome: str, step: str | None = None) -> None:
        audit.append(session, "camera_probe", now=now, user_id=admin.id,
                     username=admin.username,
                     detail={**where, "outcome": outcome, **({"step": step} if step else {})})
        session.commit()

    try:
        result = probe_camera(gateway, runtime.secrets, body)
    except ProbeFailed as failed:
        audited(failed.failure, failed.step)
        timeout = failed.failure == ProbeFailure.TIMEOUT
        raise ApiError(status.HTTP_504_GATEWAY_TIMEOUT if timeout else status.HTTP_502_BAD_GATEWAY,
                       f"{failed.step}: {failed.failure}: {failed.detail}",
                       code="probe_timeout" if timeout else "probe_failed",
                       context={"failure": failed.failure, "step": failed.step,
                                "detail": failed.detail, "partial": failed.partial}) from failed
    except GatewayBusy as err:
        audited("gateway_busy", "gateway")
        raise ApiError(status.HTTP_503_SERVICE_UNAVAILABLE,
                       f"gateway: the gateway {gateway.name} is probing other cameras; try "
                       "again in a few seconds", code="gateway_busy",
                       context={"failure": "gateway_busy", "step": "gateway"}) from err
    except GatewayUnreachable as err:
        audited("gateway_unreachable", "gateway")
        log.warning("probe of %s through gateway %s: %s", body.host, gateway.name, err)
        raise ApiError(status.HTTP_504_GATEWAY_TIMEOUT,
                       f"gateway: the gateway {gateway.name} did not answer the probe",
                       code="gateway_unreachable",
                       context={"failure": "gateway_unreachable", "step": "gateway"}) from err
    except GatewayRefused as err:
        audited("gateway_refused", "gateway")
        raise ApiError(status.HTTP_502_BAD_GATEWAY, f"gateway: {err}", code="gateway_refused",
                       context={"failure": "gateway_refused", "step": "gateway"}) from err
    audited("ok")
    return result


@router.post("/cameras/preview", status_code=status.HTTP_201_CREATED,
             responses=documented(409, 502, 503, 504))
def preview(body: CameraPreviewCreate, session: SessionDep, admin: AdminUser, now: NowDep,
            runtime: RuntimeDep) -> StreamSession:
    """A session URL of a camera's stream before the camera is saved (the probed profile's
    ``stream_uri`` and the camera's login), played like a camera session's. The gateway keeps
    it for two minutes, or until its viewer has watched and left; 503 while it has as many
    previews open as it allows."""
    gateway = session.get(Gateway, body.gateway_id)
    if gateway is None or not gateway.is_active:
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                       "gateway_id: no active gateway of that id", code="validation_error",
                       field="gateway_id")
    if gateway.public_key is None or not stream_sessions.gateway_ready(gateway):
        raise ApiError(status.HTTP_409_CONFLICT, f"gateway_id: the gateway {gateway.name} has "
                       "not reported its key yet: start it, then preview", code="conflict",
                       field="gateway_id")
    try:
        host = urlsplit(body.rtsp_url).hostname
    except ValueError:
        host = None
    where = {"gateway_id": gateway.id, "host": host, "transport": str(body.transport)}

    def audited(outcome: str, **extra: str) -> None:
        audit.append(session, "camera_preview", now=now, user_id=admin.id,
                     username=admin.username, detail={**where, "outcome": outcome, **extra})
        session.commit()

    try:
        opened = open_preview(gateway, runtime.secrets, runtime.stream_key, admin, body, now,
                              runtime.settings.stream_token_lifetime_s)
    except GatewayBusy as err:
        audited("gateway_busy")
        raise ApiError(status.HTTP_503_SERVICE_UNAVAILABLE,
                       f"gateway: the gateway {gateway.name} has as many previews open as it "
                       "allows; try again shortly", code="gateway_busy") from err
    except GatewayUnreachable as err:
        audited("gateway_unreachable")
        log.warning("preview of %s through gateway %s: %s", host, gateway.name, err)
        raise ApiError(status.HTTP_504_GATEWAY_TIMEOUT,
                       f"gateway: the gateway {gateway.name} did not answer",
                       code="gateway_unreachable") from err
    except GatewayRefused as err:
        audited("gateway_refused")
        raise ApiError(status.HTTP_502_BAD_GATEWAY, f"gateway: {err}",
                       code="gateway_refused") from err
    audited("ok", session_id=opened.token.session_id)
    return opened.session
