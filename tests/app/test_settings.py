"""Settings round trip, migration, and "remember me" keeping the token (never the password)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.credentials import TokenStore
from app.settings import SETTINGS_VERSION, Settings, SettingsStore
from app.settings import data_dir as resolve_data_dir


class MemoryKeyring(KeyringBackend):
    """A real keyring backend kept in memory, so the test can look at what was stored."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError("nothing stored")
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_round_trip(data_dir: Path) -> None:
    store = SettingsStore()
    assert store.path.parent == data_dir
    assert store.load() == Settings()  # defaults: Vietnamese UI
    assert store.load().language == "vi"
    store.save(Settings(language="en", server_url="http://127.0.0.1:9999", last_user="ward.x",
                        remember_me=True))
    loaded = SettingsStore().load()
    assert loaded == Settings(language="en", server_url="http://127.0.0.1:9999",
                              last_user="ward.x", remember_me=True)


def test_data_dir_follows_the_environment(data_dir: Path) -> None:
    assert resolve_data_dir() == data_dir
    assert SettingsStore().path == data_dir / "settings.json"


def test_old_or_broken_files_are_migrated(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    store.path.write_text(json.dumps({"version": 0, "language": "fr", "junk": 1,
                                      "last_user": "a"}), encoding="utf-8")
    settings = store.load()
    assert settings.version == SETTINGS_VERSION
    assert settings.language == "vi"  # unknown language falls back to the default
    assert settings.last_user == "a"
    store.path.write_text("{not json", encoding="utf-8")
    assert store.load() == Settings()


def test_settings_file_holds_no_secret(tmp_path: Path) -> None:
    SettingsStore(tmp_path).save(Settings(last_user="ioc.operator", remember_me=True))
    text = (tmp_path / "settings.json").read_text(encoding="utf-8")
    assert "token" not in text and "password" not in text


def test_token_store_round_trip(memory_keyring: MemoryKeyring) -> None:
    tokens = TokenStore()
    assert tokens.load("http://127.0.0.1:8700", "ioc.operator") is None
    assert tokens.save("http://127.0.0.1:8700/", "ioc.operator", "tok-123")
    assert tokens.load("http://127.0.0.1:8700", "ioc.operator") == "tok-123"
    tokens.forget("http://127.0.0.1:8700", "ioc.operator")
    tokens.forget("http://127.0.0.1:8700", "ioc.operator")  # idempotent
    assert tokens.load("http://127.0.0.1:8700", "ioc.operator") is None
    assert memory_keyring.store == {}


def test_data_dir_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x" / "y"
    monkeypatch.setenv("IOCWALL_DATA_DIR", str(target))
    assert resolve_data_dir() == target and target.is_dir()


def test_wall_windows_round_trip_and_version_1_migration(data_dir: Path) -> None:
    from app.screens import Rect, WallWindowState

    store = SettingsStore(data_dir)
    store.path.write_text(json.dumps({"version": 1, "language": "en", "remember_me": True}),
                          encoding="utf-8")
    old = store.load()
    assert (old.version, old.wall_windows, old.tour_dwell_s) == (SETTINGS_VERSION, [], 10.0)
    windows = [WallWindowState("screen-1", "DP-2", Rect(1920, 0, 1920, 1080), True, 4, "Cầu",
                               "2x2", (1, None, 3, None)),
               WallWindowState("screen-2", "HDMI-1", None, False)]
    old.wall_windows = windows
    old.tour_dwell_s = 5.0
    store.save(old)
    again = store.load()
    assert again.wall_windows == windows and again.tour_dwell_s == 5.0
    raw = json.loads(store.path.read_text(encoding="utf-8"))
    raw["wall_windows"].append({"nonsense": 1})
    raw["tour_dwell_s"] = -3
    store.path.write_text(json.dumps(raw), encoding="utf-8")
    damaged = store.load()
    assert damaged.wall_windows == windows and damaged.tour_dwell_s == 10.0
