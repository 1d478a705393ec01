"""Typed, versioned settings of the client, stored as JSON in the data dir.

Only non-secret preferences live here (language, server URL, last user, the wall windows and
where they go, the tour dwell time). Secrets — the remembered
session token — go to the OS keyring through :mod:`app.credentials`, never to this file.
The data dir is ``IOCWALL_DATA_DIR`` when set, else platformdirs' user data dir.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from app.screens import WallWindowState
from common.files import write_atomically

log = logging.getLogger("iocwall.settings")

SETTINGS_VERSION = 2  # 2: wall_windows, tour_dwell_s
LANGUAGES = ("vi", "en")
DEFAULT_SERVER_URL = "https://127.0.0.1:8700"


def data_dir() -> Path:
    configured = os.environ.get("IOCWALL_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("iocwall"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    language: str = "vi"
    server_url: str = DEFAULT_SERVER_URL
    last_user: str = ""
    remember_me: bool = False
    # the extra wall windows (multi-monitor), restored at the next start
    wall_windows: list[WallWindowState] = field(default_factory=list)
    tour_dwell_s: float = 10.0

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            self.language = "vi"
        if not isinstance(self.tour_dwell_s, int | float) or not 1 <= self.tour_dwell_s <= 3600:
            self.tour_dwell_s = 10.0

    def to_dict(self) -> dict[str, Any]:
        raw = asdict(self)
        raw["wall_windows"] = [w.to_dict() for w in self.wall_windows]
        return raw


class SettingsStore:
    """Loads and saves :class:`Settings` at ``<data dir>/settings.json`` (atomic replace)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or data_dir()) / "settings.json"

    def load(self) -> Settings:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", self.path, exc)
            return Settings()
        return _migrate(raw)

    def save(self, settings: Settings) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(settings.to_dict(), ensure_ascii=False,
                                               indent=2).encode("utf-8"))


def _migrate(raw: Any) -> Settings:
    """Bring an older settings file up to :data:`SETTINGS_VERSION`; unknown keys are dropped."""
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    values["version"] = SETTINGS_VERSION
    # version 1 had no wall windows; later ones store a list of dicts
    windows = values.get("wall_windows")
    parsed = [WallWindowState.from_dict(w) for w in windows] if isinstance(windows, list) else []
    values["wall_windows"] = [w for w in parsed if w is not None]
    try:
        return Settings(**values)
    except TypeError:
        return Settings()
