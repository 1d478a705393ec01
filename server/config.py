"""Backend settings, read from the environment so the same code runs the demo, tests and a site.

Environment:
- ``IOCWALL_DATA_DIR``: where the SQLite file and the secret key file live (default: the user's
  data dir "iocwall", per docs/contracts.md).
- ``IOCWALL_DATABASE_URL``: any SQLAlchemy URL (PostgreSQL in a real deployment); default SQLite
  file ``<data dir>/iocwall.db``.
- ``IOCWALL_SECRET_KEY``: a Fernet key that encrypts camera credentials at rest; default a key file
  ``<data dir>/secret.key`` created with mode 0600.
- ``IOCWALL_GATEWAY``: ``embedded`` (default: run and supervise a local media gateway) or
  ``off``; ``IOCWALL_GATEWAY_RTSP_PORT`` (8555; 0 any free port), ``_RTSP_HOST`` (as viewers
  reach it), ``_RTSP_ADDRESS`` (where it listens), ``_PTZ_PORT`` (8556: its PTZ broker, on the
  same address); ``IOCWALL_STREAM_TOKEN_LIFETIME_S`` (60).
- ``IOCWALL_ARGON2_TIME_COST`` / ``_MEMORY_COST`` / ``_PARALLELISM``: password hash cost (tests
  lower it; production keeps the argon2-cffi defaults).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, SecretStr

from common.vocabulary import CameraSystem


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The data dir the whole product agrees on (contracts.md: Environment)."""
    env = os.environ if env is None else env
    configured = env.get("IOCWALL_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("iocwall"))


class Settings(BaseModel):
    """Everything the backend needs to know at start; immutable once the app is built."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path
    database_url: str
    secret_key: SecretStr | None = None
    token_ttl: timedelta = timedelta(hours=12)  # one command-room shift
    # Login protection (server.login_guard): after this many failures in a row a user name
    # waits before its next attempt, 30 s, then twice as long each time, at most 15 min; known
    # and unknown names alike. A client address with this many failed logins in 15 min waits
    # too (0: off; workstations behind one NAT share an address).
    login_free_attempts: int = 5
    login_first_delay: timedelta = timedelta(seconds=30)
    login_max_delay: timedelta = timedelta(minutes=15)
    login_address_limit: int = 50
    # Reverse proxies whose X-Forwarded-For is believed (never a client's own header).
    trusted_proxies: tuple[str, ...] = ()
    max_sessions_per_user: int = 10
    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536
    argon2_parallelism: int = 4
    record: bool = False
    recordings_dir: Path | None = None
    segment_seconds: int = 10
    retention_days: float = 30.0
    # Per camera system (Decree 13/2023: kept no longer than its purpose needs): a system not
    # listed keeps ``retention_days``.
    retention_days_by_system: dict[str, float] = {}
    retention_max_bytes: int | None = None
    disk_alert_percent: float = 90.0  # a disk this full is an incident (server.storage_watch)
    # The faults the server files by itself (server.fault_watch): a camera stream its gateway
    # has lost this long (a reconnect takes seconds), a recorded camera without a new segment
    # this long while its stream is live; how often they and the database are looked at.
    stream_lost_after_s: float = 60.0
    recorder_stall_s: float = 60.0
    fault_check_s: float = 5.0
    database_probe_s: float = 5.0
    clip_max_seconds: int = 7200
    clip_worker: bool = True
    clip_readrate: float | None = None
    public_rate_per_minute: int = 60  # /public/v1 requests per client address
    # How far back a user may declare a case's detection or the identification of its violator
    # (server.cases): an earlier time than this is refused, the record then says "late".
    declared_time_window: timedelta = timedelta(hours=72)
    # Stream sessions at the media gateway (server.stream_sessions, server.gateways): a token
    # opens a session until this long after it was issued (expiry gates only the start).
    stream_token_lifetime_s: int = 60
    # "embedded": the backend runs and supervises a local gateway for the cameras assigned to
    # it (the demo, `python -m server`); "off": it starts none (gateways run elsewhere, or a
    # test that needs none).
    gateway: Literal["embedded", "off"] = "embedded"
    gateway_name: str = "local"
    gateway_rtsp_host: str = "127.0.0.1"  # as viewers reach it (session URLs)
    gateway_rtsp_address: str = "127.0.0.1"  # where it listens
    gateway_rtsp_port: int = 8555  # 0: any free port (tests)
    # Keep every gateway's camera table equal to the database (server.gateway_fleet); off only
    # for a backend whose gateways nobody may reach (tests of the API alone)
    gateway_sync: bool = True
    gateway_ptz_port: int = 8556  # its PTZ broker (ONVIF), on the RTSP address; 0: any
    ffmpeg: str = "ffmpeg"
    ffprobe: str = "ffprobe"
    # development on loopback (``--insecure-loopback``): the whole site in clear, the embedded
    # gateway too, whatever certificates the data dir holds
    insecure_loopback: bool = False
    # the IOC's 24/7 duty (server.duty): the hours (UTC+7) each shift of a day starts at
    duty_shift_starts: tuple[int, ...] = (6, 14, 22)
    # the periodic report's letterhead (Decree 30/2020/NĐ-CP): the governing body, the issuing
    # unit, the place of issue, the signer, the recipients
    report_governing_body: str = "UBND THÀNH PHỐ ĐỒNG HỚI"
    report_issuing_unit: str = "TRUNG TÂM GIÁM SÁT, ĐIỀU HÀNH ĐÔ THỊ THÔNG MINH"
    report_place: str = "Đồng Hới"
    report_signer_title: str = "GIÁM ĐỐC"
    report_signer_name: str = ""
    report_recipients: tuple[str, ...] = ("UBND thành phố (để b/c)",
                                          "Văn phòng HĐND-UBND thành phố",
                                          "Công an thành phố", "Lưu: VT, IOC")

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret.key"

    @property
    def recordings_root(self) -> Path:
        return self.recordings_dir or self.data_dir / "recordings"

    @property
    def clips_dir(self) -> Path:
        return self.data_dir / "clips"

    @property
    def signing_key_file(self) -> Path:
        return self.data_dir / "clip-signing.key"

    @property
    def stream_token_key_file(self) -> Path:
        """The Ed25519 key that signs stream session tokens: not the evidence key (another
        purpose, another key; replacing one must not invalidate the other)."""
        return self.data_dir / "stream-token.key"

    @property
    def gateway_dir(self) -> Path:
        """The embedded gateway's own directory: its X25519 key file, which only the gateway
        reads (the backend seals to the public half it reports)."""
        return self.data_dir / "gateway-local"

    @property
    def tls_dir(self) -> Path:
        """The site's certificates (``server.tls``): ``ca.crt``, ``server.crt``…"""
        return self.data_dir / "tls"

    @property
    def site_ca_file(self) -> Path | None:
        """The site CA's certificate, None for a site without certificates (development on
        loopback): gateways, the recorder and workstations trust it and nothing else."""
        ca = self.tls_dir / "ca.crt"
        return ca if ca.is_file() and not self.insecure_loopback else None

    @property
    def calendar_file(self) -> Path:
        """The operating unit's working-day adjustments (``server.working_calendar``)."""
        return self.data_dir / "working-calendar.json"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``IOCWALL_*`` variables; keyword overrides win."""
        env = os.environ if env is None else env
        data_dir = Path(overrides.pop("data_dir", None) or default_data_dir(env))
        values: dict[str, Any] = {
            "data_dir": data_dir,
            "database_url": env.get("IOCWALL_DATABASE_URL")
            or f"sqlite:///{data_dir / 'iocwall.db'}",
        }
        if env.get("IOCWALL_SECRET_KEY"):
            values["secret_key"] = SecretStr(env["IOCWALL_SECRET_KEY"])
        for field, var in (
            ("argon2_time_cost", "IOCWALL_ARGON2_TIME_COST"),
            ("argon2_memory_cost", "IOCWALL_ARGON2_MEMORY_COST"),
            ("argon2_parallelism", "IOCWALL_ARGON2_PARALLELISM"),
        ):
            if env.get(var):
                values[field] = int(env[var])
        for field, var, kind in (
            ("record", "IOCWALL_RECORD", _flag),
            ("recordings_dir", "IOCWALL_RECORDINGS_DIR", Path),
            ("segment_seconds", "IOCWALL_SEGMENT_SECONDS", int),
            ("retention_days", "IOCWALL_RETENTION_DAYS", float),
            ("retention_days_by_system", "IOCWALL_RETENTION_DAYS_BY_SYSTEM", _days_by_system),
            ("retention_max_bytes", "IOCWALL_RETENTION_MAX_GB", _gigabytes),
            ("disk_alert_percent", "IOCWALL_DISK_ALERT_PERCENT", float),
            ("stream_lost_after_s", "IOCWALL_STREAM_LOST_AFTER_S", float),
            ("recorder_stall_s", "IOCWALL_RECORDER_STALL_S", float),
            ("clip_max_seconds", "IOCWALL_CLIP_MAX_SECONDS", int),
            ("clip_worker", "IOCWALL_CLIP_WORKER", _flag),
            ("clip_readrate", "IOCWALL_CLIP_READRATE", float),
            ("public_rate_per_minute", "IOCWALL_PUBLIC_RATE_PER_MINUTE", int),
            ("declared_time_window", "IOCWALL_DECLARED_TIME_WINDOW_HOURS", _hours),
            ("login_address_limit", "IOCWALL_LOGIN_ADDRESS_LIMIT", int),
            ("trusted_proxies", "IOCWALL_TRUSTED_PROXIES", _addresses),
            ("max_sessions_per_user", "IOCWALL_MAX_SESSIONS_PER_USER", int),
            ("stream_token_lifetime_s", "IOCWALL_STREAM_TOKEN_LIFETIME_S", int),
            ("gateway", "IOCWALL_GATEWAY", _gateway_mode),
            ("gateway_rtsp_host", "IOCWALL_GATEWAY_RTSP_HOST", str),
            ("gateway_rtsp_address", "IOCWALL_GATEWAY_RTSP_ADDRESS", str),
            ("gateway_rtsp_port", "IOCWALL_GATEWAY_RTSP_PORT", int),
            ("gateway_ptz_port", "IOCWALL_GATEWAY_PTZ_PORT", int),
            ("duty_shift_starts", "IOCWALL_DUTY_SHIFT_STARTS", _shift_starts),
            ("report_governing_body", "IOCWALL_REPORT_GOVERNING_BODY", str),
            ("report_issuing_unit", "IOCWALL_REPORT_ISSUING_UNIT", str),
            ("report_place", "IOCWALL_REPORT_PLACE", str),
            ("report_signer_title", "IOCWALL_REPORT_SIGNER_TITLE", str),
            ("report_signer_name", "IOCWALL_REPORT_SIGNER_NAME", str),
        ):
            if env.get(var):
                values[field] = kind(env[var])
        values.update(overrides)
        return cls(**values)


def _addresses(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _days_by_system(value: str) -> dict[str, float]:
    """``traffic=90,public=15``: days per camera system (the regulation's three)."""
    known = {system.value for system in CameraSystem}
    days: dict[str, float] = {}
    for part in value.split(","):
        if not part.strip():
            continue
        system, _, number = part.partition("=")
        system = system.strip()
        if system not in known:
            raise ValueError(f"IOCWALL_RETENTION_DAYS_BY_SYSTEM: {system!r} is not one of "
                             + ", ".join(sorted(known)))
        try:
            days[system] = float(number)
        except ValueError:
            raise ValueError(f"IOCWALL_RETENTION_DAYS_BY_SYSTEM: {system}: {number!r} is not "
                             "a number of days") from None
        if not days[system] > 0:
            raise ValueError(f"IOCWALL_RETENTION_DAYS_BY_SYSTEM: {system}: days must be > 0")
    return days


def _gateway_mode(value: str) -> str:
    mode = value.strip().lower()
    if mode in ("0", "off", "no", "false"):
        return "off"
    if mode in ("1", "on", "yes", "true", "embedded"):
        return "embedded"
    raise ValueError(f"IOCWALL_GATEWAY: {value!r} is neither embedded nor off")


def _hours(value: str) -> timedelta:
    hours = float(value)
    if hours < 0:
        raise ValueError(f"a number of hours (0 or more) expected, got {value!r}")
    return timedelta(hours=hours)


def _shift_starts(value: str) -> tuple[int, ...]:
    """``6,14,22``: the hours shifts start at, ascending, within a day."""
    hours = tuple(int(part) for part in value.split(","))
    if not hours or list(hours) != sorted(set(hours)) or not 0 <= hours[0] <= hours[-1] <= 23:
        raise ValueError(f"IOCWALL_DUTY_SHIFT_STARTS: ascending hours 0–23, not {value!r}")
    return hours


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def _gigabytes(value: str) -> int:
    return int(float(value) * 1024**3)


PRIVATE_UMASK = 0o077  # files 0600, folders 0700: recordings, letters and keys are personal data


def prepare_private_dir(path: Path) -> None:
    """Create ``path`` (or tighten an existing one) so that only this service's user may enter
    it; what the server writes inside is private by its umask (``server.__main__``)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_uid == os.getuid():
        path.chmod(0o700)
