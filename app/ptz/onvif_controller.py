"""PTZ over ONVIF with onvif-zeep-async (Home Assistant's onvif integration, in miniature).

Facts this module leans on (``/work/shared/notes/video-pipeline.md``, ONVIF):
- ``ONVIFCamera`` is created inside a coroutine and closed with ``await close()``; the parsed WSDL
  documents are cached per process by the library (``_cached_document``), so only the first camera
  pays the ≈ 0.45 s parse; every service keeps its own aiohttp session (keep-alive), which we
  reuse for the controller's whole life.
- ``adjust_time=True``: the library reads the device clock (unauthenticated
  GetSystemDateAndTime) and shifts the WS-Security ``Created`` stamp, so a camera whose clock is
  an hour off still accepts us.
- ``nat_override=True``: every XAddr the device advertises is rewritten to the host:port we were
  configured with (cameras behind NAT advertise their private address). The lab serves all three
  services on one port, as most cameras do.
- ``import onvif`` costs ≈ 0.6 s and calls ``logging.basicConfig``: import this module at start-up
  (``main.py``), not on the first click.

A camera with a partly broken ONVIF stack still works where it can: a failed capability probe
leaves optimistic defaults, and each command reports its own error kind.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import zeep.exceptions
from onvif import ONVIFCamera
from onvif.exceptions import ONVIFAuthError, ONVIFError, ONVIFTimeoutError

from app.ptz.base import (
    UNIT,
    Preset,
    PtzCapabilities,
    PtzController,
    PtzError,
    PtzErrorKind,
    PtzPosition,
    Range,
    Velocity,
)

log = logging.getLogger("iocwall.ptz")

Credentials = Callable[[], Awaitable[tuple[str, str]]]
"""``await credentials()`` → (user name, password) to sign the next call with."""

# Expected failures of a device call (Home Assistant's GET_CAPABILITIES_EXCEPTIONS style).
ONVIF_ERRORS = (ONVIFError, zeep.exceptions.Fault, zeep.exceptions.Error, aiohttp.ClientError,
                asyncio.TimeoutError, ValueError, AttributeError, TypeError)
CALL_TIMEOUT_S = 5.0
_AUTH_SUBCODES = {"NotAuthorized", "FailedAuthentication", "InvalidSecurity"}
_UNSUPPORTED_SUBCODES = {"ActionNotSupported", "NotSupported", "NoPTZProfile",
                         "InvalidActionNotSupported"}
# the media gateway's PTZ broker (gateway/ptz.py): its reason is meant for people
_NOT_HOLDER_SUBCODES = {"PtzNotHolder", "TokenExpired"}
_GATEWAY_UNREACHABLE_SUBCODES = {"CameraUnreachable"}


def _subcodes(fault: zeep.exceptions.Fault) -> set[str]:
    names: set[str] = set()
    for qname in fault.subcodes or []:
        localname = getattr(qname, "localname", None) or str(qname).rsplit(":", 1)[-1]
        names.add(localname)
    return names


def classify(error: BaseException, what: str) -> PtzError:
    """Map whatever the library raised to one of the tile's error kinds."""
    seen: BaseException | None = error
    chain: list[BaseException] = []
    while seen is not None and len(chain) < 6:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    for err in chain:
        if isinstance(err, PtzError):
            return err
        if isinstance(err, zeep.exceptions.Fault):
            codes = _subcodes(err)
            if codes & _NOT_HOLDER_SUBCODES:
                return PtzError(PtzErrorKind.NO_LEASE, f"{what}: {err.message or 'PTZ held'}")
            if codes & _GATEWAY_UNREACHABLE_SUBCODES:
                return PtzError(PtzErrorKind.UNREACHABLE, f"{what}: {err.message}")
            if codes & _AUTH_SUBCODES:
                return PtzError(PtzErrorKind.AUTH_FAILED, f"{what}: the camera refused the "
                                "user name or password")
            if codes & _UNSUPPORTED_SUBCODES:
                return PtzError(PtzErrorKind.NOT_SUPPORTED,
                                f"{what}: the camera does not support this")
            return PtzError(PtzErrorKind.REFUSED, f"{what}: the camera refused: "
                            f"{err.message or ', '.join(sorted(codes)) or 'fault'}")
        if isinstance(err, ONVIFAuthError):
            return PtzError(PtzErrorKind.AUTH_FAILED,
                            f"{what}: the camera refused the user name or password")
        if isinstance(err, ONVIFTimeoutError | asyncio.TimeoutError | TimeoutError):
            return PtzError(PtzErrorKind.UNREACHABLE, f"{what}: the camera did not answer in time")
        if isinstance(err, aiohttp.ClientResponseError):
            if err.status == 401:
                return PtzError(PtzErrorKind.AUTH_FAILED,
                                f"{what}: the camera refused the user name or password")
            return PtzError(PtzErrorKind.MALFORMED, f"{what}: the camera answered HTTP "
                            f"{err.status}")
        if _certificate_refused(err):
            return PtzError(PtzErrorKind.UNREACHABLE, f"{what}: the gateway's certificate is not "
                            "from the site's certificate authority (nothing was sent)")
        if isinstance(err, aiohttp.ClientError | ConnectionError | OSError):
            return PtzError(PtzErrorKind.UNREACHABLE, f"{what}: cannot reach the camera")
        if isinstance(err, zeep.exceptions.TransportError):
            if err.status_code == 401:
                return PtzError(PtzErrorKind.AUTH_FAILED,
                                f"{what}: the camera refused the user name or password")
            return PtzError(PtzErrorKind.MALFORMED, f"{what}: the camera answered HTTP "
                            f"{err.status_code}")
        if isinstance(err, zeep.exceptions.XMLSyntaxError | zeep.exceptions.XMLParseError
                      | zeep.exceptions.ValidationError | ValueError | AttributeError
                      | TypeError):
            return PtzError(PtzErrorKind.MALFORMED, f"{what}: the camera sent a malformed reply")
    return PtzError(PtzErrorKind.MALFORMED, f"{what}: {type(error).__name__}")


def _range(space: Any, axis: str = "XRange") -> Range | None:
    if space is None:
        return None
    spaces = space if isinstance(space, list) else [space]
    for item in spaces:
        rng = getattr(item, axis, None)
        if rng is not None and rng.Min is not None and rng.Max is not None:
            return Range(float(rng.Min), float(rng.Max))
    return None


def _certificate_refused(err: BaseException) -> bool:
    """The TLS peer's certificate failed the site CA's check, however deep the library wrapped
    it."""
    seen: BaseException | None = err
    for _depth in range(5):
        if seen is None:
            return False
        if isinstance(seen, aiohttp.ClientConnectorCertificateError | ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class PinnedOnvifCamera(ONVIFCamera):
    """onvif-zeep-async over HTTPS checking the peer against one CA (the site's).

    The library gives every service an aiohttp connector with certificate checks switched off,
    and builds the device service's address as ``http://``. Here the device service is
    ``https://`` (the gateway's broker then hands out ``https://`` addresses for the others),
    and each service's session is replaced, before its first call, by one whose connector
    checks ``tls``."""

    def __init__(self, *args: Any, tls: ssl.SSLContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tls = tls

    def get_definition(self, name: str, port_type: str | None = None) -> tuple[str, str, str]:
        xaddr, wsdl, binding = super().get_definition(name, port_type)
        if xaddr.startswith("http://"):
            xaddr = "https://" + xaddr[len("http://"):]
        return xaddr, wsdl, binding

    async def create_onvif_service(self, name: str, port_type: str | None = None,
                                   read_timeout: int | None = None,
                                   write_timeout: int | None = None) -> Any:
        service = await super().create_onvif_service(name, port_type, read_timeout,
                                                     write_timeout)
        if not getattr(service, "iocwall_pinned", False):
            old_session, old_connector = service._session, service._connector
            connector = aiohttp.TCPConnector(ssl=self._tls)
            session = aiohttp.ClientSession(connector=connector, timeout=old_session.timeout)
            service._connector, service._session = connector, session
            service.transport.session = session
            service.iocwall_pinned = True
            await old_session.close()
            await old_connector.close()
        return service


class OnvifPtzController(PtzController):
    """One camera's PTZ over ONVIF. Create and use it on one event loop; ``await close()``."""

    def __init__(self, host: str, port: int, username: str, password: str, *, label: str = "",
                 profile_token: str | None = None, timeout_s: float = CALL_TIMEOUT_S,
                 credentials: Credentials | None = None, ca_file: str | None = None) -> None:
        """``credentials``: asked before each call for the (user name, password) to sign it
        with, when they change over time (a PTZ token at the media gateway, renewed with the
        lease); ``ca_file``: speak HTTPS, trusting this CA only (a gateway of a site with
        certificates)."""
        self._ca_file = ca_file
        self.host = host
        self.port = int(port)
        self.label = label or f"{host}:{port}"
        self._username = username
        self._password = password
        self._wanted_profile = profile_token
        self._timeout = timeout_s
        self._credentials = credentials
        self._camera: ONVIFCamera | None = None
        self._ptz: Any = None
        self.profile_token: str | None = None
        self.capabilities = PtzCapabilities()

    def __repr__(self) -> str:  # never the password
        return f"OnvifPtzController({self.label!r}, {self.host}:{self.port})"

    def set_credentials(self, username: str, password: str) -> None:
        """Sign the next calls with these. The library keeps the credentials in each service's
        WS-Security object, made once per service: those are updated in place."""
        self._username, self._password = username, password
        camera = self._camera
        if camera is None:
            return
        camera.user, camera.passwd = username, password
        for service in camera.services.values():
            service.user, service.passwd = username, password
            wsse = getattr(service.zeep_client, "wsse", None)
            if wsse is not None:
                wsse.username, wsse.password = username, password

    async def _call(self, what: str, coro_factory: Any) -> Any:
        if self._credentials is not None:
            username, password = await self._credentials()
            if (username, password) != (self._username, self._password):
                self.set_credentials(username, password)
        try:
            return await asyncio.wait_for(coro_factory(), self._timeout)
        except ONVIF_ERRORS as err:
            error = classify(err, what)
            log.info("%s: %s failed (%s): %s", self.label, what, error.kind, error)
            raise error from err

    # -- set-up ---------------------------------------------------------------------------------
    async def connect(self) -> PtzCapabilities:
        if self._ptz is not None:
            return self.capabilities
        camera: ONVIFCamera
        if self._ca_file is not None:
            tls = ssl.create_default_context(cafile=self._ca_file)
            camera = PinnedOnvifCamera(self.host, self.port, self._username, self._password,
                                       adjust_time=True, nat_override=True, tls=tls)
        else:
            camera = ONVIFCamera(self.host, self.port, self._username, self._password,
                                 adjust_time=True, nat_override=True)
        self._camera = camera
        try:
            await self._call("connect", camera.update_xaddrs)
            media = await self._call("media service", camera.create_media_service)
            profiles = await self._call("GetProfiles", media.GetProfiles)
            self.profile_token = self._pick_profile(profiles)
            self._ptz = await self._call("PTZ service", camera.create_ptz_service)
        except PtzError:
            await self.close()
            raise
        self.capabilities = await self._probe(profiles)
        log.info("%s: PTZ ready (profile %s, continuous=%s relative=%s absolute=%s presets=%s "
                 "home=%s)", self.label, self.profile_token, self.capabilities.continuous,
                 self.capabilities.relative, self.capabilities.absolute,
                 self.capabilities.presets, self.capabilities.home)
        return self.capabilities

    def _pick_profile(self, profiles: Any) -> str:
        if not profiles:
            raise PtzError(PtzErrorKind.NOT_SUPPORTED, "the camera has no media profile")
        tokens = [str(p.token) for p in profiles]
        if self._wanted_profile in tokens:
            return str(self._wanted_profile)
        for profile in profiles:
            if getattr(profile, "PTZConfiguration", None) is not None:
                return str(profile.token)
        raise PtzError(PtzErrorKind.NOT_SUPPORTED, "no media profile has a PTZ configuration")

    async def _probe(self, profiles: Any) -> PtzCapabilities:
        """Capabilities from GetNodes (spaces, presets, home) and GetConfigurationOptions."""
        config = next((p.PTZConfiguration for p in profiles
                       if str(p.token) == self.profile_token), None)
        node_token = getattr(config, "NodeToken", None)
        node = None
        try:
            nodes = await self._call("GetNodes", self._ptz.GetNodes)
            node = next((n for n in nodes or [] if n.token == node_token),
                        (nodes or [None])[0])
        except PtzError as err:
            log.warning("%s: GetNodes failed (%s); assuming the usual PTZ commands",
                        self.label, err.kind)
        spaces = getattr(node, "SupportedPTZSpaces", None)
        if spaces is None and config is not None:
            try:
                options = await self._call(
                    "GetConfigurationOptions",
                    lambda: self._ptz.GetConfigurationOptions(
                        {"ConfigurationToken": config.token}))
                spaces = getattr(options, "Spaces", None)
            except PtzError as err:
                log.warning("%s: GetConfigurationOptions failed (%s)", self.label, err.kind)
        if spaces is None:
            return PtzCapabilities(home=True, probed=False)

        def has(name: str) -> bool:
            value = getattr(spaces, name, None)
            return bool(value)

        return PtzCapabilities(
            continuous=has("ContinuousPanTiltVelocitySpace") or has("ContinuousZoomVelocitySpace"),
            relative=has("RelativePanTiltTranslationSpace"),
            absolute=has("AbsolutePanTiltPositionSpace"),
            presets=int(getattr(node, "MaximumNumberOfPresets", 0) or 0) > 0 if node else True,
            home=bool(getattr(node, "HomeSupported", False)) if node else True,
            max_presets=int(getattr(node, "MaximumNumberOfPresets", 0) or 0) if node else 0,
            pan_tilt_velocity=_range(spaces.ContinuousPanTiltVelocitySpace) or UNIT,
            zoom_velocity=_range(getattr(spaces, "ContinuousZoomVelocitySpace", None)) or UNIT,
            pan_tilt_translation=_range(spaces.RelativePanTiltTranslationSpace) or UNIT,
            zoom_translation=_range(getattr(spaces, "RelativeZoomTranslationSpace", None))
            or UNIT,
            speed=_range(getattr(spaces, "PanTiltSpeedSpace", None)) or Range(0.0, 1.0),
            zoom=has("ContinuousZoomVelocitySpace") or has("AbsoluteZoomPositionSpace"),
            probed=True,
        )

    def _service(self) -> Any:
        if self._ptz is None:
            raise PtzError(PtzErrorKind.UNREACHABLE, "not connected to the camera")
        return self._ptz

    def _scaled(self, v: float, rng: Range) -> float:
        # -1..1 → the device's own range (symmetric ranges only scale; others are clamped).
        if rng.min == -rng.max:
            return round(max(-1.0, min(1.0, v)) * rng.max, 4)
        return round(rng.clamp(v), 4)

    # -- commands -------------------------------------------------------------------------------
    async def continuous_move(self, velocity: Velocity) -> None:
        caps = self.capabilities
        speed: dict[str, Any] = {
            "PanTilt": {"x": self._scaled(velocity.pan, caps.pan_tilt_velocity),
                        "y": self._scaled(velocity.tilt, caps.pan_tilt_velocity)},
        }
        if caps.zoom:
            speed["Zoom"] = {"x": self._scaled(velocity.zoom, caps.zoom_velocity)}
        ptz = self._service()
        await self._call("ContinuousMove", lambda: ptz.ContinuousMove(
            {"ProfileToken": self.profile_token, "Velocity": speed}))

    async def stop(self) -> None:
        ptz = self._service()
        await self._call("Stop", lambda: ptz.Stop(
            {"ProfileToken": self.profile_token, "PanTilt": True, "Zoom": True}))

    async def relative_move(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        caps = self.capabilities
        translation: dict[str, Any] = {
            "PanTilt": {"x": self._scaled(pan, caps.pan_tilt_translation),
                        "y": self._scaled(tilt, caps.pan_tilt_translation)},
            "Zoom": {"x": self._scaled(zoom, caps.zoom_translation)},
        }
        ptz = self._service()
        await self._call("RelativeMove", lambda: ptz.RelativeMove(
            {"ProfileToken": self.profile_token, "Translation": translation}))

    async def absolute_move(self, pan: float, tilt: float, zoom: float) -> None:
        ptz = self._service()
        await self._call("AbsoluteMove", lambda: ptz.AbsoluteMove(
            {"ProfileToken": self.profile_token,
             "Position": {"PanTilt": {"x": pan, "y": tilt}, "Zoom": {"x": zoom}}}))

    async def status(self) -> PtzPosition:
        ptz = self._service()
        reply = await self._call("GetStatus", lambda: ptz.GetStatus(
            {"ProfileToken": self.profile_token}))
        try:
            pos = reply.Position
            moving = reply.MoveStatus is not None and "MOVING" in (
                str(reply.MoveStatus.PanTilt), str(reply.MoveStatus.Zoom))
            return PtzPosition(float(pos.PanTilt.x), float(pos.PanTilt.y), float(pos.Zoom.x),
                               moving)
        except (AttributeError, TypeError, ValueError) as err:
            raise PtzError(PtzErrorKind.MALFORMED,
                           "GetStatus: the camera sent a malformed reply") from err

    async def presets(self) -> list[Preset]:
        ptz = self._service()
        reply = await self._call("GetPresets", lambda: ptz.GetPresets(
            {"ProfileToken": self.profile_token}))
        return [Preset(str(p.token), str(p.Name or p.token)) for p in reply or []]

    async def goto_preset(self, token: str) -> None:
        ptz = self._service()
        await self._call("GotoPreset", lambda: ptz.GotoPreset(
            {"ProfileToken": self.profile_token, "PresetToken": token}))

    async def save_preset(self, name: str, token: str | None = None) -> str:
        request: dict[str, Any] = {"ProfileToken": self.profile_token, "PresetName": name}
        if token is not None:
            request["PresetToken"] = token
        ptz = self._service()
        reply = await self._call("SetPreset", lambda: ptz.SetPreset(request))
        return str(reply if isinstance(reply, str) else getattr(reply, "PresetToken", reply))

    async def remove_preset(self, token: str) -> None:
        ptz = self._service()
        await self._call("RemovePreset", lambda: ptz.RemovePreset(
            {"ProfileToken": self.profile_token, "PresetToken": token}))

    async def goto_home(self) -> None:
        ptz = self._service()
        await self._call("GotoHomePosition", lambda: ptz.GotoHomePosition(
            {"ProfileToken": self.profile_token}))

    async def set_home(self) -> None:
        ptz = self._service()
        await self._call("SetHomePosition", lambda: ptz.SetHomePosition(
            {"ProfileToken": self.profile_token}))

    async def close(self) -> None:
        camera, self._camera, self._ptz = self._camera, None, None
        if camera is not None:
            await camera.close()
