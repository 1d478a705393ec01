"""The gateway's configuration, read once (the first line of stdin, or an owner-only file),
and its camera table.

Nothing here comes from argv or the environment: both are readable by others (``ps``,
``/proc/<pid>/environ``), and this is where camera passwords and the control secret arrive. A
gateway on another machine reads the same JSON from a file (``--config FILE``,
:func:`read_config_file`), which must be a regular file its owner alone may read or write.
:class:`CameraTable` is the only holder of the upstream credentials; the relay asks it for one
camera stream at a time. A camera's password arrives in clear (``"password"``: tests, a site
without a backend) or sealed to the gateway's own X25519 key (``"sealed_password"``: base64 of a
libsodium sealed box, what the backend stores and sends); the gateway opens it with the private
key in its ``"key_file"``, which it creates and nobody else reads.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from common.stream_tokens import LIVE_MOUNT, STREAMS, preview_path
from common.urls import mask_url

TRANSPORTS = ("auto", "tcp", "udp")
MAX_CONFIG_FILE = 16 * 1024 * 1024  # a site without a backend may list its cameras there
DEFAULT_MAX_TOKEN_LIFETIME_S = 3600
DEFAULT_PREVIEW_LIFETIME_S = 120
# DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows it.
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


class ConfigError(ValueError):
    """The configuration cannot be used (the message names the field, never a secret)."""


OpenSealed = Callable[[bytes], bytes]
"""``open_sealed(sealed box) -> plaintext`` with the gateway's private key; raises
:class:`ConfigError` when the box was not sealed to it."""


@dataclass(frozen=True)
class Upstream:
    """One camera stream as the gateway reaches it. The password stays out of ``repr``."""

    camera_id: int
    stream: str
    url: str  # never with credentials in it: they are split off into username/password
    username: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    transport: str = "auto"
    name: str = ""
    keeper: bool = True  # serve viewers from the GOP keeper (gateway/keeper.py), else relay
    # privacy masks: (x, y, width, height) as fractions of the picture, blacked out before any
    # viewer or the recorder gets the stream (Decree 13/2023); masked streams are re-encoded
    masks: tuple[tuple[float, float, float, float], ...] = ()
    # a preview's id (camera 0, stream "preview"): a stream of a camera not saved yet
    preview_id: str = ""

    @property
    def path(self) -> str:
        """The gateway's mount for this stream."""
        if self.preview_id:
            return preview_path(self.preview_id)
        return mount_path(self.camera_id, self.stream)

    @property
    def label(self) -> str:
        """How logs name it: the camera's name first, then its id and the stream."""
        if self.preview_id:
            return f"preview {self.preview_id[:6]}…"
        ident = f"camera {self.camera_id} {self.stream}"
        return f"{self.name} ({ident})" if self.name else ident

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)


@dataclass(frozen=True)
class OnvifTarget:
    """One camera's ONVIF service as the gateway's PTZ broker reaches it: always this host and
    port (never an address the device advertises). The password stays out of ``repr``."""

    camera_id: int
    host: str
    port: int
    username: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} (camera {self.camera_id})" if self.name else \
            f"camera {self.camera_id}"


# a host name or an address literal: nothing that could carry a path, user info or a port
_HOST = re.compile(r"[A-Za-z0-9._-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]")


def onvif_targets(entries: Any, open_sealed: OpenSealed | None = None) -> dict[int, OnvifTarget]:
    """From ``[{"camera_id", "host", "port", "username", "password" | "sealed_password",
    "name"}]`` (``"ptz_cameras"``), by camera id."""
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise ConfigError("ptz_cameras: not a list")
    targets: dict[int, OnvifTarget] = {}
    for n, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ConfigError(f"ptz_cameras[{n}]: not an object")
        camera_id = entry.get("camera_id")
        if not isinstance(camera_id, int) or isinstance(camera_id, bool) or camera_id < 0:
            raise ConfigError(f"ptz_cameras[{n}].camera_id: not a non-negative integer")
        if camera_id in targets:
            raise ConfigError(f"ptz_cameras[{n}]: camera {camera_id} is listed twice")
        host = entry.get("host")
        if not isinstance(host, str) or not _HOST.fullmatch(host):
            raise ConfigError(f"ptz_cameras[{n}].host: not a host name or address")
        port = _port(entry.get("port"), f"ptz_cameras[{n}].port")
        if port == 0:
            raise ConfigError(f"ptz_cameras[{n}].port: not a port number")
        password = entry.get("password") or ""
        sealed = entry.get("sealed_password")
        if sealed is not None:
            password = _open_password(sealed, open_sealed, f"ptz_cameras[{n}].sealed_password")
        targets[camera_id] = OnvifTarget(
            camera_id=camera_id, host=host, port=port, username=str(entry.get("username") or ""),
            password=str(password), name=str(entry.get("name", "")))
    return targets


def mount_path(camera_id: int, stream: str) -> str:
    return f"/cam/{camera_id}/{stream}"


def live_path(path: str) -> str:
    """A stream's live mount: the same upstream, no kept GOP (the recorder's)."""
    return f"{path}/{LIVE_MOUNT}"


def parse_mount_path(path: str) -> tuple[int, str] | None:
    """``/cam/<id>/<stream>`` (or a control URL under it, ``.../stream=0``) → (id, stream)."""
    parts = path.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "cam" or parts[2] not in STREAMS:
        return None
    if not parts[1].isdigit() or len(parts[1]) > 12:
        return None
    return int(parts[1]), parts[2]


def split_credentials(url: str) -> tuple[str, str, str]:
    """``(url without user info, user, password)``: a URL's own credentials become properties."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, "", ""
    userinfo, host = parts.netloc.rsplit("@", 1)
    user, _, password = userinfo.partition(":")
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return bare, unquote(user), unquote(password)


class CameraTable:
    """The camera streams the gateway may relay, by (camera id, stream)."""

    def __init__(self, upstreams: list[Upstream]) -> None:
        self._streams: dict[tuple[int, str], Upstream] = {}
        for upstream in upstreams:
            key = (upstream.camera_id, upstream.stream)
            if key in self._streams:
                raise ConfigError(f"cameras: {upstream.label} is listed twice")
            self._streams[key] = upstream

    @classmethod
    def from_config(cls, entries: Any, open_sealed: OpenSealed | None = None) -> CameraTable:
        """From ``[{"camera_id", "stream", "url", "username", "password" | "sealed_password",
        "transport", "name"}]`` (credentials inside ``url`` are split off as well; a sealed
        password is opened with ``open_sealed``)."""
        if not isinstance(entries, list):
            raise ConfigError("cameras: not a list")
        upstreams = []
        for n, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                raise ConfigError(f"cameras[{n}]: not an object")
            camera_id, stream = entry.get("camera_id"), entry.get("stream")
            if not isinstance(camera_id, int) or isinstance(camera_id, bool) or camera_id < 0:
                raise ConfigError(f"cameras[{n}].camera_id: not a non-negative integer")
            if stream not in STREAMS:
                raise ConfigError(f"cameras[{n}].stream: not one of {', '.join(STREAMS)}")
            url = entry.get("url")
            if not isinstance(url, str) or not url.startswith(("rtsp://", "rtsps://")):
                raise ConfigError(f"cameras[{n}].url: not an rtsp:// URL")
            bare, user, password = split_credentials(url)
            transport = entry.get("transport", "auto")
            if transport not in TRANSPORTS:
                raise ConfigError(f"cameras[{n}].transport: not one of {', '.join(TRANSPORTS)}")
            sealed = entry.get("sealed_password")
            if sealed is not None:
                password = _open_password(sealed, open_sealed, f"cameras[{n}].sealed_password")
            keeper = entry.get("keeper", True)  # the GOP keeper's switch
            if not isinstance(keeper, bool):
                raise ConfigError(f"cameras[{n}].keeper: not true or false")
            masks = parse_masks(entry.get("masks", []), f"cameras[{n}].masks")
            upstreams.append(Upstream(
                camera_id=camera_id, stream=stream, url=bare,
                username=str(entry.get("username") or user),
                password=str(entry.get("password") or password),
                transport=transport, name=str(entry.get("name", "")),
                keeper=keeper or bool(masks), masks=masks))
        return cls(upstreams)

    def get(self, camera_id: int, stream: str) -> Upstream | None:
        return self._streams.get((camera_id, stream))

    def __iter__(self) -> Iterator[Upstream]:
        return iter(self._streams.values())

    def __len__(self) -> int:
        return len(self._streams)


MAX_MASKS = 16


def parse_masks(value: Any, name: str) -> tuple[tuple[float, float, float, float], ...]:
    """``[[x, y, width, height], ...]``, fractions of the picture inside it."""
    if not isinstance(value, list) or len(value) > MAX_MASKS:
        raise ConfigError(f"{name}: not a list of at most {MAX_MASKS} rectangles")
    masks = []
    for i, rect in enumerate(value):
        if (not isinstance(rect, list) or len(rect) != 4
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in rect)):
            raise ConfigError(f"{name}[{i}]: not [x, y, width, height]")
        x, y, w, h = (float(v) for v in rect)
        if not (0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 - x + 1e-9 and 0 < h <= 1 - y + 1e-9):
            raise ConfigError(f"{name}[{i}]: not inside the picture (fractions 0–1)")
        masks.append((x, y, w, h))
    return tuple(masks)


def _open_password(sealed: Any, open_sealed: OpenSealed | None, name: str) -> str:
    if open_sealed is None:
        raise ConfigError(f"{name}: a sealed password needs the gateway's key_file")
    if not isinstance(sealed, str):
        raise ConfigError(f"{name}: not base64")
    try:
        box = base64.b64decode(sealed, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError(f"{name}: not base64") from exc
    try:
        return open_sealed(box).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: not UTF-8 once opened") from exc


def public_key_bytes(text: str) -> bytes:
    """A raw Ed25519 public key from PEM (SubjectPublicKeyInfo, as the backend publishes it at
    ``GET /keys``) or from base64 of the 32 raw bytes."""
    body = text.strip()
    if body.startswith("-----BEGIN PUBLIC KEY-----"):
        lines = [line for line in body.splitlines() if not line.startswith("-----")]
        body = "".join(lines)
    try:
        data = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("token_keys: a key is neither PEM nor base64") from exc
    if len(data) == 44 and data.startswith(ED25519_SPKI_PREFIX):
        data = data[len(ED25519_SPKI_PREFIX):]
    if len(data) != 32:
        raise ConfigError("token_keys: a key is not an Ed25519 public key")
    return data


def token_keys_of(keys: Any) -> tuple[tuple[bytes, float | None], ...]:
    """``token_keys`` as (raw key, trusted until): an entry is a key (trusted for as long as
    the configuration says it) or ``{"key": ..., "until": <Unix seconds>}``, a retired key
    the backend rotated away from, trusted until the last token it signed expires."""
    if not isinstance(keys, list) or not keys:
        raise ConfigError("token_keys: not a non-empty list of keys")
    parsed: list[tuple[bytes, float | None]] = []
    for entry in keys:
        if isinstance(entry, str):
            parsed.append((public_key_bytes(entry), None))
        elif (isinstance(entry, Mapping) and set(entry) == {"key", "until"}
              and isinstance(entry["key"], str) and isinstance(entry["until"], int | float)
              and not isinstance(entry["until"], bool)):
            parsed.append((public_key_bytes(entry["key"]), float(entry["until"])))
        else:
            raise ConfigError('token_keys: an entry is neither a key nor {"key", "until"}')
    return tuple(parsed)


@dataclass(frozen=True)
class GatewayConfig:
    """Everything the gateway is told at start."""

    cameras: CameraTable
    token_keys: tuple[bytes, ...]
    control_secret: str = field(repr=False)
    rtsp_address: str = "127.0.0.1"
    rtsp_port: int = 8554
    control_address: str = "127.0.0.1"
    control_port: int = 0
    max_token_lifetime_s: int = DEFAULT_MAX_TOKEN_LIFETIME_S
    key_file: Path | None = None
    cameras_version: str = ""  # the backend's name for this camera table (``GET /health``)
    ptz_address: str = "127.0.0.1"
    ptz_port: int = 0
    ptz_cameras: Mapping[int, OnvifTarget] = field(default_factory=dict)
    preview_lifetime_s: int = DEFAULT_PREVIEW_LIFETIME_S
    # a retired key's end of trust (Unix seconds), by raw key; a key not here has none
    token_keys_until: Mapping[bytes, float] = field(default_factory=dict)
    # TLS (``"tls": {"cert_file", "key_file"}``, absolute paths; from the site CA): RTSPS for
    # viewers, HTTPS for PTZ and control. None: all in clear (a site without certificates).
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None

    @property
    def tls(self) -> bool:
        return self.tls_cert_file is not None

    @staticmethod
    def key_file_of(data: Any) -> Path | None:
        """The configuration's ``"key_file"`` (read before the cameras: their sealed passwords
        need the key it holds)."""
        if not isinstance(data, Mapping) or data.get("key_file") is None:
            return None
        value = data["key_file"]
        if not isinstance(value, str) or not value.startswith("/"):
            raise ConfigError("key_file: not an absolute path")
        return Path(value)

    @classmethod
    def from_json(cls, data: Any, open_sealed: OpenSealed | None = None) -> GatewayConfig:
        if not isinstance(data, Mapping):
            raise ConfigError("configuration: not a JSON object")
        rtsp = data.get("rtsp", {})
        control = data.get("control", {})
        ptz = data.get("ptz", {})
        if not all(isinstance(part, Mapping) for part in (rtsp, control, ptz)):
            raise ConfigError("rtsp/control/ptz: not objects")
        secret = control.get("secret")
        if not isinstance(secret, str) or len(secret) < 16:
            raise ConfigError("control.secret: missing or shorter than 16 characters")
        keys = token_keys_of(data.get("token_keys"))
        lifetime = data.get("max_token_lifetime_s", DEFAULT_MAX_TOKEN_LIFETIME_S)
        if not isinstance(lifetime, int) or lifetime <= 0:
            raise ConfigError("max_token_lifetime_s: not a positive integer")
        preview_lifetime = data.get("preview_lifetime_s", DEFAULT_PREVIEW_LIFETIME_S)
        if not isinstance(preview_lifetime, int) or not 0 < preview_lifetime <= 3600:
            raise ConfigError("preview_lifetime_s: not an integer between 1 and 3600")
        tls = data.get("tls")
        cert_file = key_file = None
        if tls is not None:
            if not isinstance(tls, Mapping):
                raise ConfigError("tls: not an object")
            cert_file, key_file = (_absolute(tls.get(name), f"tls.{name}")
                                   for name in ("cert_file", "key_file"))
        return cls(
            tls_cert_file=cert_file, tls_key_file=key_file,
            # a gateway on another machine starts with none: the backend sends them
            cameras=CameraTable.from_config(data.get("cameras", []), open_sealed),
            token_keys=tuple(key for key, _until in keys),
            token_keys_until={key: until for key, until in keys if until is not None},
            control_secret=secret,
            rtsp_address=str(rtsp.get("address", "127.0.0.1")),
            rtsp_port=_port(rtsp.get("port", 8554), "rtsp.port"),
            control_address=str(control.get("address", "127.0.0.1")),
            control_port=_port(control.get("port", 0), "control.port"),
            max_token_lifetime_s=lifetime,
            key_file=cls.key_file_of(data),
            cameras_version=str(data.get("cameras_version", "")),
            ptz_address=str(ptz.get("address", "127.0.0.1")),
            ptz_port=_port(ptz.get("port", 0), "ptz.port"),
            ptz_cameras=onvif_targets(data.get("ptz_cameras"), open_sealed),
            preview_lifetime_s=preview_lifetime,
        )


def read_config_file(path: Path) -> str:
    """The text of a configuration file (``--config``). It holds the control secret, and whoever
    can write it can name the keys whose tokens the gateway trusts: :class:`ConfigError` unless
    it is a regular file with no permission for group or others. The checks are on the open
    descriptor, so the file cannot be swapped between the check and the read."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        raise ConfigError(f"{path}: cannot be opened ({err.strerror})") from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path}: not a regular file")
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise ConfigError(f"{path}: file mode {mode:04o} lets group or others read or write "
                              f"it (it holds the control secret): chmod 600 {path}")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_CONFIG_FILE + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_FILE:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_FILE // 2**20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8") from err


def _absolute(value: Any, name: str) -> Path:
    if not isinstance(value, str) or not value.startswith("/"):
        raise ConfigError(f"{name}: not an absolute path")
    return Path(value)


def _port(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 65535:
        raise ConfigError(f"{name}: not a port number")
    return value
