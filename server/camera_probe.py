"""Onboarding a camera: the backend asks the gateway that will serve it to probe it.

The probe runs on the gateway (:mod:`gateway.probe`): it sits near the cameras and is the only
holder of their passwords. The password the administrator typed is sealed here to that
gateway's public key (:func:`server.gateways.seal`) and sent with the host to its control
endpoint (``POST /probe``); the backend keeps no copy and cannot open the box. The gateway's
answer holds no password and no URI with user info.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from common.vocabulary import ProbeFailure
from server.gateway_fleet import (
    GatewayBusy,
    GatewayRefused,
    GatewayUnreachable,
    control_request,
)
from server.gateways import seal
from server.models import Gateway
from server.schemas import HOST_PATTERN, DbInt, StrictInput
from server.security import SecretBox

# the gateway's own deadline is 25 s; its answer needs a moment more to arrive
PROBE_TIMEOUT_S = 30.0
RTSP_URL_PATTERN = r"^rtsps?://[A-Za-z0-9.\-:\[\]]+(:\d{1,5})?(/[^\s@]*)?$"


class CameraProbeCreate(StrictInput):
    """A camera to probe: its ONVIF host and port with one login (ONVIF and RTSP use the same
    account on real cameras), or an RTSP URL for a camera without ONVIF (no user info in it)."""

    gateway_id: DbInt
    host: str = Field(min_length=1, max_length=255, pattern=HOST_PATTERN)
    port: int | None = Field(default=None, ge=1, le=65535,
                             description="the ONVIF port; none: only rtsp_url is verified")
    username: str = Field(default="", max_length=128)
    password: str = Field(default="", max_length=256, json_schema_extra={"writeOnly": True})
    rtsp_url: str | None = Field(default=None, max_length=2048, pattern=RTSP_URL_PATTERN)


class ProbeStreamCheck(BaseModel):
    """A proposed stream as GStreamer found it: DESCRIBE, then the first key frame."""

    token: str
    ok: bool
    failure: ProbeFailure | None = None
    detail: str = ""
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    audio: str | None = None
    seconds: float = 0.0


class ProbeProfile(BaseModel):
    token: str
    name: str
    codec: str | None
    width: int | None
    height: int | None
    fps: float | None
    media: str = Field(description="media2, media1, or entered (the rtsp_url given)")
    stream_uri: str | None = Field(description="on the host entered, no user info")
    stream_path: str | None
    snapshot_uri: str | None


class ProbeProposal(BaseModel):
    main: str | None
    sub: str | None


class CameraProbeResult(BaseModel):
    """What the camera is and which of its streams to use (never its password)."""

    ok: Literal[True] = True
    host: str
    port: int | None
    device: dict[str, str] = Field(description="manufacturer, model, firmware, serial, "
                                               "hardware_id")
    clock_offset_s: float | None = Field(description="the camera's clock minus the gateway's")
    clock_source: str
    services: list[str]
    rewritten_hosts: list[str] = Field(description="addresses the camera advertised, not "
                                                   "followed: the host entered was used")
    profiles: list[ProbeProfile]
    proposed: ProbeProposal
    ptz: dict[str, Any] | None
    verification: dict[str, ProbeStreamCheck]


class ProbeFailed(Exception):
    """The gateway probed and a step failed (``answer``: its failure, step, detail and what
    was learnt before)."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__(f"{answer.get('step')}: {answer.get('detail')}")
        self.failure = str(answer.get("failure") or ProbeFailure.NOT_ONVIF)
        self.step = str(answer.get("step") or "probe")
        self.detail = str(answer.get("detail") or "")
        self.partial = answer.get("partial")


def probe_camera(gateway: Gateway, box: SecretBox, body: CameraProbeCreate) -> CameraProbeResult:
    """The gateway's probe of the camera. Raises :class:`ProbeFailed`,
    :class:`GatewayUnreachable` (no answer in time), :class:`GatewayRefused` (it refused the
    request, e.g. a box sealed to a key it no longer has)."""
    assert gateway.public_key is not None
    request = {"host": body.host, "port": body.port, "username": body.username,
               "sealed_password": seal(gateway.public_key, body.password) if body.password
               else None, "rtsp_url": body.rtsp_url}
    answer = control_request(gateway, box, "POST", "/probe", request, timeout=PROBE_TIMEOUT_S)
    if not isinstance(answer, dict):
        raise GatewayUnreachable(f"gateway {gateway.name}: not a probe answer")
    if not answer.get("ok"):
        raise ProbeFailed(answer)
    return CameraProbeResult.model_validate(answer)


__all__ = ["CameraProbeCreate", "CameraProbeResult", "GatewayBusy", "GatewayRefused",
           "GatewayUnreachable",
           "ProbeFailed", "probe_camera"]
