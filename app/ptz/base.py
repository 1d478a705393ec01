"""What every PTZ controller offers, whatever speaks to the camera (nx_open's abstract PTZ).

The controller is a plain async object (no Qt): the session (:mod:`app.ptz.session`) runs it on the
qasync loop, the throttle (:mod:`app.ptz.throttle`) decorates it, and the UI reads its capability
flags to decide which buttons exist. Errors are :class:`PtzError` with a :class:`PtzErrorKind` the
tile can show without knowing anything about SOAP.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from common.records import PtzAccess


class PtzErrorKind(enum.StrEnum):
    AUTH_FAILED = "auth failed"
    UNREACHABLE = "unreachable"
    NOT_SUPPORTED = "not supported"
    MALFORMED = "malformed reply"
    REFUSED = "refused"  # the device answered with another fault (bad argument, no token...)
    NO_LEASE = "no lease"  # the backend has not granted us the camera (queued, taken, lost)


class PtzError(Exception):
    """A PTZ command failed. ``str()`` is readable and never carries a password."""

    def __init__(self, kind: PtzErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Range:
    min: float
    max: float

    def clamp(self, value: float) -> float:
        return max(self.min, min(self.max, value))


UNIT = Range(-1.0, 1.0)


@dataclass(frozen=True)
class PtzCapabilities:
    """What the device said it can do (GetNodes / GetConfigurationOptions).

    When the device would not say (a broken stack), the flags stay optimistic for the commands
    a PTZ camera almost always has (continuous move, stop, presets) and each call reports
    ``NOT_SUPPORTED`` itself if the guess was wrong.
    """

    continuous: bool = True
    relative: bool = False
    absolute: bool = False
    presets: bool = True
    home: bool = False
    status: bool = True
    max_presets: int = 0
    pan_tilt_velocity: Range = UNIT
    zoom_velocity: Range = UNIT
    pan_tilt_translation: Range = UNIT
    zoom_translation: Range = UNIT
    speed: Range = Range(0.0, 1.0)
    zoom: bool = True
    probed: bool = False  # False: the device did not describe itself; flags are the defaults


@dataclass(frozen=True)
class Velocity:
    """Normalised -1..1 per axis (scaled to the device's ranges by the controller)."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0

    @property
    def is_zero(self) -> bool:
        return self.pan == 0.0 and self.tilt == 0.0 and self.zoom == 0.0

    def scaled(self, factor: float) -> Velocity:
        return Velocity(self.pan * factor, self.tilt * factor, self.zoom * factor)


@dataclass(frozen=True)
class PtzPosition:
    pan: float
    tilt: float
    zoom: float
    moving: bool = False


@dataclass(frozen=True)
class Preset:
    token: str
    name: str


@dataclass(frozen=True)
class PatrolStop:
    preset_token: str
    dwell_s: float


@dataclass(frozen=True)
class Patrol:
    """A tour of presets; each is held for its dwell time, then the next; it loops."""

    name: str
    stops: tuple[PatrolStop, ...] = field(default_factory=tuple)


# -- lease state (what the UI shows about who holds the camera) ----------------------------------
class LeaseStatus(enum.StrEnum):
    NONE = "none"
    GRANTED = "granted"
    QUEUED = "queued"
    TAKEN = "taken"


@dataclass(frozen=True)
class LeaseHolder:
    username: str
    full_name: str
    unit: str
    priority: str
    expires_at: str | None = None
    reserved_until: str | None = None

    @property
    def display(self) -> str:
        return f"{self.full_name}, {self.unit}"


@dataclass(frozen=True)
class LeaseState:
    camera_id: int
    status: LeaseStatus
    holder: LeaseHolder | None = None
    position: int | None = None
    detail: str = ""
    # a grant's way to the camera (its PTZ token changes with every renewal: not compared)
    access: PtzAccess | None = field(default=None, compare=False, repr=False)



class PtzController(ABC):
    """One camera's PTZ head. Methods raise :class:`PtzError`; ``connect`` first."""

    label: str = ""
    capabilities: PtzCapabilities = PtzCapabilities()

    @abstractmethod
    async def connect(self) -> PtzCapabilities: ...

    @abstractmethod
    async def continuous_move(self, velocity: Velocity) -> None: ...

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    async def relative_move(self, pan: float, tilt: float, zoom: float = 0.0) -> None: ...

    @abstractmethod
    async def absolute_move(self, pan: float, tilt: float, zoom: float) -> None: ...

    @abstractmethod
    async def status(self) -> PtzPosition: ...

    @abstractmethod
    async def presets(self) -> list[Preset]: ...

    @abstractmethod
    async def goto_preset(self, token: str) -> None: ...

    @abstractmethod
    async def save_preset(self, name: str, token: str | None = None) -> str:
        """Store the current position; with ``token`` overwrite/rename that preset."""

    @abstractmethod
    async def remove_preset(self, token: str) -> None: ...

    @abstractmethod
    async def goto_home(self) -> None: ...

    @abstractmethod
    async def set_home(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...
