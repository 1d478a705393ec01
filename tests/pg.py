"""A throwaway PostgreSQL cluster for the tests: Debian's server, loopback only, nothing kept.

One cluster per test session: ``initdb`` into a temporary directory, then ``postgres`` itself as
a child of the test process (not daemonised by ``pg_ctl``), so the kernel stops it when the test
process dies, however it dies. Durability is switched off (``fsync``, ``synchronous_commit``,
``full_page_writes``): the data lives for one run. Tests get their databases as copies of a
template (``CREATE DATABASE … TEMPLATE``), which is a file copy instead of a migration.

The cluster's time zone is Đồng Hới's (Asia/Ho_Chi_Minh) and not UTC, as on a site's server: a
timestamp that is naive, or that the database interprets in its own zone, shows up as seven
hours off instead of passing unnoticed.

PostgreSQL refuses to run as root; as root the cluster runs as Debian's ``postgres`` user (or a
system user ``iocwall-test`` created for it), otherwise as the current user.
"""

from __future__ import annotations

import itertools
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

DEBIAN_PACKAGE = "postgresql"
SUPERUSER = "iocwall"
TIME_ZONE = "Asia/Ho_Chi_Minh"
SERVICE_USERS = ("postgres", "iocwall-test")  # Debian's, then our own

# Only for a run that lives a few minutes: nothing here is safe for data that must survive.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "autovacuum": "off",
    "jit": "off",
    "max_connections": "200",
    "timezone": TIME_ZONE,
    "log_timezone": "UTC",
    "logging_collector": "off",
    "log_min_messages": "warning",
}


class PostgresMissing(RuntimeError):
    """Debian's PostgreSQL server is not installed."""


class PostgresStartError(RuntimeError):
    """initdb or the server failed; the message holds the end of its log."""


def server_bindir() -> Path:
    """The newest of Debian's ``/usr/lib/postgresql/N/bin``. Never ``/usr/local``, and not
    PATH: Debian does not put the server programs on it."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
             if (p.parent / "postgres").is_file()]

    def version(bindir: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in bindir.parent.name.split(".") if part.isdigit())

    if not found:
        raise PostgresMissing(
            "PostgreSQL's server (initdb, postgres) is not installed under /usr/lib/postgresql: "
            f"install the Debian package '{DEBIAN_PACKAGE}' (apt-get install {DEBIAN_PACKAGE}; "
            "it is listed in scripts/system-packages.txt, so `make test` installs it)")
    return max(found, key=version)


def service_user() -> pwd.struct_passwd | None:
    """Who runs the cluster: None (this process's user) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in SERVICE_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                    "--shell", "/usr/sbin/nologin", SERVICE_USERS[-1]], check=True,
                   capture_output=True)
    return pwd.getpwnam(SERVICE_USERS[-1])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:
    """In the server's process before exec (after it became the service user): an immediate
    shutdown when the test process dies, so a crashed run leaves no cluster behind."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGQUIT)  # PR_SET_PDEATHSIG


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class PostgresCluster:
    """A running throwaway cluster; ``stop`` ends it and removes its files."""

    root: Path
    bindir: Path
    port: int
    password: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _spares: dict[str, Future[str]] = field(default_factory=dict)
    _ahead: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="iocwall-pg-copies"))
    _drops: list[Future[None]] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one of the cluster's databases (the psycopg 3 driver)."""
        return (f"postgresql+psycopg://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/"
                f"{database}")

    def connect(self, database: str = "postgres") -> psycopg.Connection[Any]:
        """A plain autocommit connection (CREATE/DROP DATABASE refuse to run in a transaction)."""
        return psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                               password=self.password, dbname=database, autocommit=True,
                               connect_timeout=10)

    def create_database(self, template: str | None = None) -> str:
        """A new database's name: empty, or a copy of ``template`` (which nobody may be connected
        to while it is copied)."""
        name = f"test_{next(self._numbers)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        with self.connect() as conn:
            if template is not None:
                statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
                if conn.info.server_version >= 150000:
                    # a small template copies several times faster as files than through
                    # the WAL (15's default), and this runs once per test
                    statement = sql.SQL("{} STRATEGY FILE_COPY").format(statement)
            conn.execute(statement)
        return name

    def copy_database(self, template: str) -> str:
        """A copy of ``template``, as ``create_database``; the next copy of the same template is
        made meanwhile, so the server copies files while the test runs (another core)."""
        spare = self._spares.pop(template, None)
        name = spare.result() if spare is not None else self.create_database(template)
        self._spares[template] = self._ahead.submit(self.create_database, template)
        return name

    def drop_database(self, name: str) -> None:
        """Drop it, ending any connection a test left open."""
        with self.connect() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(name)))

    def drop_database_later(self, name: str) -> None:
        """``drop_database`` beside the next test; a failure is raised by ``stop``."""
        self._drops.append(self._ahead.submit(self.drop_database, name))

    def database_files(self, name: str) -> list[Path]:
        """The files of one database as they are on disk now (after a checkpoint)."""
        with self.connect() as conn:
            conn.execute("CHECKPOINT")
            row = conn.execute("SELECT oid FROM pg_database WHERE datname = %s",
                               (name,)).fetchone()
        assert row is not None, name
        return sorted(p for p in (self.data_dir / "base" / str(row[0])).iterdir() if p.is_file())

    def halt(self) -> None:
        """Stop the server as an administrator would (its sessions ended), keeping its files:
        ``resume`` starts it again on the same port."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)

    def resume(self, timeout: float = 60.0) -> None:
        started = _start_server(self.root, self.bindir, self.password, self.log_path,
                                _run_as(service_user()), timeout, port=self.port)
        if started is None:
            raise PostgresStartError(f"postgres did not start again:\n{_tail(self.log_path)}")
        self.process = started.process

    def stop(self) -> None:
        """Stop the server and remove its files; raise the first failed later drop."""
        self._ahead.shutdown(wait=True, cancel_futures=True)
        failed = next((f.exception() for f in self._drops
                       if not f.cancelled() and f.exception() is not None), None)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown: end sessions, then exit
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)
        if failed is not None:
            raise failed


def start_cluster(timeout: float = 60.0) -> PostgresCluster:
    """initdb and start a cluster in a new temporary directory; raise with its log if it fails.

    The directory is made with ``tempfile`` (not pytest's, which only root may enter)."""
    bindir = server_bindir()
    user = service_user()
    root = Path(tempfile.mkdtemp(prefix="iocwall-pg-"))
    run_as = _run_as(user)
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    password = secrets.token_urlsafe(24)
    password_file = root / "password"
    password_file.write_text(password + "\n")
    if user is not None:
        os.chown(password_file, user.pw_uid, user.pw_gid)
    log_path = root / "server.log"
    initdb = bindir / "initdb"
    try:
        with open(log_path, "ab") as log:
            done = subprocess.run(
                [str(initdb), "--pgdata", str(root / "data"), "--username", SUPERUSER,
                 "--pwfile", str(password_file), "--auth", "scram-sha-256", "--encoding", "UTF8",
                 "--locale", _locale(), "--no-sync", "--no-instructions"],
                cwd=root, stdout=log, stderr=subprocess.STDOUT, check=False, timeout=timeout,
                **run_as)
        password_file.unlink()
        if done.returncode != 0:
            raise PostgresStartError(f"initdb failed ({done.returncode}):\n{_tail(log_path)}")
        for _attempt in range(3):
            cluster = _start_server(root, bindir, password, log_path, run_as, timeout)
            if cluster is not None:
                return cluster
        raise PostgresStartError(f"postgres did not start:\n{_tail(log_path)}")
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _run_as(user: pwd.struct_passwd | None) -> dict[str, Any]:
    if user is None:
        return {}
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _locale() -> str:
    """C.UTF-8 (Unicode case mapping for lower() and ILIKE, code-point order for sorting, as a
    site's UTF-8 cluster has) where the C library ships it (Debian 12 does), else C."""
    return "C.UTF-8" if Path("/usr/lib/locale/C.utf8").is_dir() else "C"


def _start_server(root: Path, bindir: Path, password: str, log_path: Path,
                  run_as: dict[str, Any], timeout: float,
                  port: int | None = None) -> PostgresCluster | None:
    """Start postgres on ``port`` (a free one when None) and wait until it answers; None when
    the port was taken meanwhile (the caller tries another)."""
    port = port or _free_port()
    settings = dict(SERVER_SETTINGS, port=str(port), unix_socket_directories=str(root))
    command = [str(bindir / "postgres"), "-D", str(root / "data")]
    for name, value in settings.items():
        command += ["-c", f"{name}={value}"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT,
                                   preexec_fn=_die_with_parent if sys.platform == "linux"
                                   else None, **run_as)
    cluster = PostgresCluster(root, bindir, port, password, process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        try:
            with cluster.connect():
                return cluster
        except psycopg.OperationalError:
            time.sleep(0.1)
    process.kill()
    process.wait(timeout=10)
    raise PostgresStartError(f"postgres did not answer in {timeout:.0f} s:\n{_tail(log_path)}")
