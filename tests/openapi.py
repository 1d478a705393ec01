"""The server's OpenAPI description, built in-process from a throwaway data dir (the contract
tests and tests/common/test_records.py read it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from pydantic import SecretStr


def server_openapi(data_dir: Path) -> dict[str, Any]:
    from server.config import Settings
    from server.main import create_app

    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/iocwall.db",
                        secret_key=SecretStr(Fernet.generate_key().decode("ascii")),
                        argon2_time_cost=1, argon2_memory_cost=1024, argon2_parallelism=1)
    spec: dict[str, Any] = create_app(settings).openapi()
    return spec
