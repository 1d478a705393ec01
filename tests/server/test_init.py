"""``python -m server init``: a new site from nothing — schema, keys, the operating unit and its
first administrator, no demo data — and serving refuses a data dir init has not made a site."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from server.testing import CHEAP_ARGON2_ENV, start_test_server, stop_test_server

PASSWORD = "Site-Admin-Pass-31x"


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("IOCWALL_DATABASE_URL", None)
    env.pop("IOCWALL_SECRET_KEY", None)
    env["IOCWALL_DATA_DIR"] = str(data_dir)
    env["IOCWALL_GATEWAY"] = "off"
    env.update(CHEAP_ARGON2_ENV)
    return env


def _run(args: list[str], data_dir: Path, stdin: str | None = None
         ) -> subprocess.CompletedProcess[str]:
    # a new session: no controlling terminal, so getpass reads the piped stdin
    return subprocess.run([sys.executable, "-m", "server", *args], env=_env(data_dir),
                          input=stdin, capture_output=True, text=True, timeout=120,
                          start_new_session=True)


def _init(data_dir: Path, tmp_path: Path, password: str = PASSWORD
          ) -> subprocess.CompletedProcess[str]:
    secret = tmp_path / "admin-password"
    secret.write_text(password + "\n", encoding="utf-8")
    return _run(["init", "--data-dir", str(data_dir), "--admin-username", "site.admin",
                 "--admin-password-file", str(secret)], data_dir)


def _rows(data_dir: Path, query: str) -> list[tuple[object, ...]]:
    engine = create_engine(f"sqlite:///{data_dir / 'iocwall.db'}")
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def test_init_makes_a_site_from_nothing_and_only_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    done = _init(data_dir, tmp_path)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    for name in ("iocwall.db", "secret.key", "clip-signing.key", "stream-token.key"):
        assert (data_dir / name).exists(), name
    assert [r[0] for r in _rows(data_dir, "SELECT demo FROM site")] == [0]
    assert _rows(data_dir, "SELECT kind, ward_id FROM units") == [("operating_unit", None)]
    assert _rows(data_dir, "SELECT username, role, must_change_password FROM users") == [
        ("site.admin", "admin", 0)]
    for table in ("wards", "cameras", "gateways"):
        assert _rows(data_dir, f"SELECT count(*) FROM {table}") == [(0,)], table
    hashes = _rows(data_dir, "SELECT password_hash FROM users")
    details = " ".join(str(r) for r in _rows(data_dir, "SELECT detail FROM audit_log"))
    assert PASSWORD not in details and str(hashes[0][0]) not in details
    again = _init(data_dir, tmp_path, "Another-Pass-77zz")
    assert again.returncode == 1 and "already" in again.stderr
    assert len(_rows(data_dir, "SELECT id FROM users")) == 1
    # the demo cannot take over a real site
    demo = _run(["--demo"], data_dir)
    assert demo.returncode == 2 and "demo" in demo.stderr


def test_serve_refuses_an_uninitialised_data_dir_with_the_way_out(tmp_path: Path) -> None:
    data_dir = tmp_path / "empty"
    done = _run(["--port", "9"], data_dir)
    assert done.returncode == 2
    assert "python -m server init --data-dir" in done.stderr
    assert "--admin-username" in done.stderr


def test_the_password_is_never_an_argument(tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    done = _run(["init", "--data-dir", str(data_dir), "--admin-username", "a",
                 "--admin-password", PASSWORD], data_dir)
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr
    assert not (data_dir / "iocwall.db").exists()


def test_the_password_is_asked_twice_and_must_follow_the_policy(tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    args = ["init", "--data-dir", str(data_dir), "--admin-username", "site.admin"]
    differ = _run(args, data_dir, stdin=f"{PASSWORD}\nSomething-Else-1\n")
    assert differ.returncode == 2 and "differ" in differ.stderr
    weak = _run(args, data_dir, stdin="matkhau123\nmatkhau123\n")
    assert weak.returncode == 2 and "common" in weak.stderr
    demo = _run(args, data_dir, stdin="demo\ndemo\n")
    assert demo.returncode == 2 and "at least 10" in demo.stderr
    assert not (data_dir / "iocwall.db").exists()  # nothing was done
    typed = _run(args, data_dir, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert typed.returncode == 0, typed.stderr


def test_an_initialised_site_serves_and_its_administrator_logs_in(tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    assert _init(data_dir, tmp_path).returncode == 0
    # its embedded media gateway too: the one the administrator onboards cameras onto
    base_url, process = start_test_server(data_dir, demo=False)
    try:
        login = requests.post(f"{base_url}/api/v1/auth/login", timeout=10,
                              json={"username": "site.admin", "password": PASSWORD})
        assert login.status_code == 200
        token = login.json()["access_token"]
        users = requests.get(f"{base_url}/api/v1/admin/users", timeout=10,
                             headers={"Authorization": f"Bearer {token}"})
        assert [u["username"] for u in users.json()] == ["site.admin"]
        def gateways() -> list[dict[str, object]]:
            reply = requests.get(f"{base_url}/api/v1/admin/gateways", timeout=10,
                                 headers={"Authorization": f"Bearer {token}"})
            listed: list[dict[str, object]] = reply.json()
            return listed

        deadline = time.monotonic() + 20  # its row is made as the gateway starts
        while not gateways() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [(g["name"], g["cameras"]) for g in gateways()] == [("local", 0)]
        assert gateways()[0]["public_key"]  # known: passwords can be sealed to it
        demo = requests.post(f"{base_url}/api/v1/auth/login", timeout=10,
                             json={"username": "ioc.admin", "password": "demo"})
        assert demo.status_code == 401
    finally:
        stop_test_server(process)
