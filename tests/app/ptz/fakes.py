"""A recording PtzController for tests that need to see exactly what was sent."""

from __future__ import annotations

from collections.abc import Callable

from app.ptz.base import Preset, PtzCapabilities, PtzController, PtzPosition, Velocity


class RecordingController(PtzController):
    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.label = "fake"
        self.capabilities = PtzCapabilities(relative=True, home=True, probed=True)
        self.calls: list[tuple[str, object]] = []
        self.times: list[float] = []
        self._clock = clock
        self._presets: dict[str, str] = {}

    def _record(self, name: str, arg: object = None) -> None:
        self.calls.append((name, arg))
        if self._clock is not None:
            self.times.append(self._clock())

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    async def connect(self) -> PtzCapabilities:
        self._record("connect")
        return self.capabilities

    async def continuous_move(self, velocity: Velocity) -> None:
        self._record("move", velocity)

    async def stop(self) -> None:
        self._record("stop")

    async def relative_move(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        self._record("relative", (pan, tilt, zoom))

    async def absolute_move(self, pan: float, tilt: float, zoom: float) -> None:
        self._record("absolute", (pan, tilt, zoom))

    async def status(self) -> PtzPosition:
        return PtzPosition(0.0, 0.0, 0.0)

    async def presets(self) -> list[Preset]:
        return [Preset(t, n) for t, n in self._presets.items()]

    async def goto_preset(self, token: str) -> None:
        self._record("goto", token)

    async def save_preset(self, name: str, token: str | None = None) -> str:
        token = token or f"P{len(self._presets) + 1}"
        self._presets[token] = name
        self._record("save", (name, token))
        return token

    async def remove_preset(self, token: str) -> None:
        self._presets.pop(token, None)
        self._record("remove", token)

    async def goto_home(self) -> None:
        self._record("home")

    async def set_home(self) -> None:
        self._record("set_home")

    async def close(self) -> None:
        self._record("close")
