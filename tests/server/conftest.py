"""Backend fixtures: a real database built by the Alembic migration, copied per test.

Every test that uses a database runs twice, on SQLite and on PostgreSQL (the ``database``
fixture's parameters): a site may run either. The migration runs once per session and database
into a template; the demo seed (from a synthetic manifest of 8 cameras) runs once into a second
template. Each test gets its own copy (a file copy, or ``CREATE DATABASE … TEMPLATE``), its own
app and a clock it can move.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError

from server.config import Settings
from server.db import migrate
from server.demo import read_manifest, seed_demo
from server.main import create_app
from tests.pg import PostgresCluster, start_cluster

SECRET_KEY = Fernet.generate_key().decode("ascii")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def camera_entry(index: int, rtsp_port: int = 8554, onvif_base: int = 8800) -> dict[str, Any]:
    """One manifest entry as the lab writes it (docs/contracts.md)."""
    n = index + 1
    ptz = index % 3 == 0
    return {
        "index": index,
        "name": f"CAM-{n:02d} Điểm giám sát {n}",
        "location": f"Đường số {n}, Đồng Hới",
        "main_url": f"rtsp://127.0.0.1:{rtsp_port}/cam{n:02d}/main",
        "sub_url": f"rtsp://127.0.0.1:{rtsp_port}/cam{n:02d}/sub",
        "rtsp_username": f"viewer{n}",
        "rtsp_password": f"RtspSecret-{n}-{rtsp_port}",
        "ptz": ptz,
        "onvif_host": "127.0.0.1" if ptz else None,
        "onvif_port": onvif_base + index if ptz else None,
        "onvif_username": "onvif-admin" if ptz else None,
        "onvif_password": f"OnvifSecret-{n}-{onvif_base}" if ptz else None,
        "main_width": 1920 if index % 4 == 0 else 1280,
        "main_height": 1080 if index % 4 == 0 else 720,
    }


def write_manifest(path: Path, cameras: int = 8, **kwargs: int) -> Path:
    path.write_text(json.dumps({"cameras": [camera_entry(i, **kwargs) for i in range(cameras)]},
                               ensure_ascii=False), encoding="utf-8")
    return path


def make_settings(data_dir: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=SecretStr(SECRET_KEY),
        argon2_time_cost=1,
        argon2_memory_cost=1024,
        argon2_parallelism=1,
        gateway_sync=False,  # the API's tests: no gateway to reach (test_gateway_live has them)
        gateway_rtsp_port=0,  # tests run side by side: each embedded gateway on a free port
        gateway_ptz_port=0,  # an embedded gateway's PTZ broker on any free port
        # the test machine's disk is no test's subject (test_storage_watch sets its own)
        disk_alert_percent=100.0,
    )


class MovableClock:
    """The app's clock in tests: starts at START, moved by ``advance``."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class RealClock(MovableClock):
    """The gateway checks tokens against the real time: so must a backend issuing them."""

    def __call__(self) -> datetime:
        return datetime.now(UTC)


# --- The databases: SQLite and PostgreSQL behind one interface ------------------------------

DATABASES = ("sqlite", "postgresql")


class TestDatabases(Protocol):
    """Where a test's databases come from; ``create`` copies a template, ``drop`` removes it."""

    __test__ = False  # not a test class, whatever its name

    dialect: str

    def create(self, directory: Path, template: str | None = None) -> str:
        """The URL of a new database: empty, or a copy of the ``template`` database (a URL).
        ``directory`` is the test's data dir (where SQLite keeps its file)."""
        ...

    def drop(self, url: str) -> None: ...

    def stored_bytes(self, url: str) -> bytes:
        """Everything the database holds on disk, to look for what must never be stored."""
        ...


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


class SqliteDatabases:
    dialect = "sqlite"

    def create(self, directory: Path, template: str | None = None) -> str:
        path = directory / "iocwall.db"
        if template is not None:
            shutil.copy(sqlite_path(template), path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        """Nothing: the file goes with the test's temporary directory."""

    def stored_bytes(self, url: str) -> bytes:
        path = sqlite_path(url)  # the database, its WAL and shared-memory files
        return b"".join(p.read_bytes() for p in sorted(path.parent.glob(f"{path.name}*")))


class PostgresDatabases:
    dialect = "postgresql"

    def __init__(self, cluster: PostgresCluster) -> None:
        self.cluster = cluster

    def create(self, directory: Path, template: str | None = None) -> str:
        source = make_url(template).database if template is not None else None
        name = (self.cluster.create_database() if source is None
                else self.cluster.copy_database(source))
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        database = make_url(url).database
        assert database is not None
        self.cluster.drop_database_later(database)

    def stored_bytes(self, url: str) -> bytes:
        database = make_url(url).database
        assert database is not None
        return b"".join(p.read_bytes() for p in self.cluster.database_files(database))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One throwaway cluster for the run, started only when a PostgreSQL test needs it."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session", params=DATABASES)
def database(request: pytest.FixtureRequest) -> TestDatabases:
    """The database every backend fixture builds on; each test that uses one runs on both."""
    if request.param == "postgresql":
        return PostgresDatabases(request.getfixturevalue("postgres_cluster"))
    return SqliteDatabases()


@dataclass
class Backend:
    client: TestClient
    clock: MovableClock
    settings: Settings
    database: TestDatabases

    @property
    def database_url(self) -> str:
        return self.settings.database_url

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def login(self, username: str, password: str = "demo") -> str:
        reply = self.client.post("/api/v1/auth/login",
                                 json={"username": username, "password": password})
        assert reply.status_code == 200, reply.text
        token: str = reply.json()["access_token"]
        return token

    def get(self, path: str, token: str, **kwargs: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                               **kwargs)

    def post(self, path: str, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post(f"/api/v1{path}", headers=headers, **kwargs)

    def put(self, path: str, token: str, **kwargs: Any) -> Any:
        return self.client.put(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                               **kwargs)

    def delete(self, path: str, token: str, **kwargs: Any) -> Any:
        return self.client.delete(f"/api/v1{path}",
                                  headers={"Authorization": f"Bearer {token}"}, **kwargs)

    def camera_ids(self) -> dict[int, int]:
        """Lab index → camera id (the operator sees all eight demo cameras)."""
        by_name = {c["name"]: c["id"] for c in self.get("/cameras", self.login("ioc.operator")
                                                       ).json()}
        return {index: by_name[camera_entry(index)["name"]] for index in range(8)}

    def audit_rows(self, event_prefix: str) -> list[dict[str, Any]]:
        """Audit rows whose event starts with the prefix, oldest first (read as the IOC admin)."""
        rows = self.get("/audit", self.login("ioc.admin"), params={"limit": 1000}).json()
        return [r for r in reversed(rows) if r["event"].startswith(event_prefix)]


@pytest.fixture(scope="session")
def migrated_template(database: TestDatabases, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a database at the newest migration, nothing in it."""
    url = database.create(tmp_path_factory.mktemp("template"))
    migrate(url)
    return url


@pytest.fixture(scope="session")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_manifest(tmp_path_factory.mktemp("lab") / "lab.json")


@pytest.fixture(scope="session")
def demo_template(database: TestDatabases, migrated_template: str, manifest_path: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a migrated database with the demo organisation and 8 cameras."""
    directory = tmp_path_factory.mktemp("demo-template")
    url = database.create(directory, migrated_template)
    app = create_app(make_settings(directory, url), clock=MovableClock())
    runtime = app.state.runtime
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, START,
                  read_manifest(manifest_path), runtime.settings)
    runtime.engine.dispose()  # a template is copied only while nobody is connected to it
    return url


@pytest.fixture
def new_database(database: TestDatabases, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """``new_database(directory, template=None)``: a database for this test, dropped after it
    (the test disposes its engines first)."""
    urls: list[str] = []

    def create(directory: Path, template: str | None = None) -> str:
        urls.append(database.create(directory, template))
        return urls[-1]

    yield create
    for url in urls:
        database.drop(url)


@pytest.fixture
def backend_factory(database: TestDatabases, new_database: Callable[..., str],
                    tmp_path: Path) -> Iterator[Callable[[str], Backend]]:
    engines: list[Engine] = []

    def build(template: str) -> Backend:
        data_dir = tmp_path / f"data{len(engines)}"
        data_dir.mkdir()
        settings = make_settings(data_dir, new_database(data_dir, template))
        clock = MovableClock()
        app = create_app(settings, clock=clock)
        engines.append(app.state.runtime.engine)
        return Backend(TestClient(app), clock, settings, database)

    yield build
    for engine in engines:
        engine.dispose()


@pytest.fixture
def demo(backend_factory: Callable[[str], Backend], demo_template: str) -> Backend:
    """A backend on a fresh copy of the seeded demo database."""
    return backend_factory(demo_template)


class DatabaseOutage:
    """A sessionmaker that refuses like an unreachable database (PostgreSQL restarting, the
    network) while ``down``, for the background threads that must outlive that."""

    def __init__(self, sessions: Callable[[], Any]) -> None:
        self.sessions = sessions
        self.down = True
        self.refused = 0

    def __call__(self) -> Any:
        if self.down:
            self.refused += 1
            raise OperationalError("SELECT 1", None, ConnectionRefusedError("the server is down"))
        return self.sessions()

    def wait_refused(self, times: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.refused < times:
            assert time.monotonic() < deadline, f"refused {self.refused} times, not {times}"
            time.sleep(0.05)


# --- Recording fixtures: a real lab, a real recorder, real segments ---------------------------

SEGMENT_SECONDS = 2


@dataclass
class Recorded:
    """The session's recording of lab camera 0 through the embedded gateway: a seeded database
    with its segment index, and what was seen of the record children while they ran."""

    lab: Any
    database_url: str  # a template: copy it (``backend_factory``) to change anything
    recordings: Path
    camera_id: int
    killed_pid: int
    restarted_pid: int | None
    session_urls: list[str]  # what the recorder was given, tokens included (one per run)
    exposed: dict[int, bytes]  # child pid → its /proc cmdline and environ, read while it ran


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from lab.testing import start_test_lab

    with start_test_lab(tmp_path_factory.mktemp("reallab"), cameras=2) as running:
        yield running


def proc_exposed(pid: int) -> bytes:
    """What anyone on the machine can read of a process: its command line and environment."""
    proc = Path(f"/proc/{pid}")
    return (proc / "cmdline").read_bytes() + b"\0" + (proc / "environ").read_bytes()


def wait_for(condition: Callable[[], Any], timeout: float, step: float = 0.05) -> Any:
    """Poll ``condition()`` until it is truthy (threads and children give no signal)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(step)


@pytest.fixture(scope="session")
def recorded(lab: Any, database: TestDatabases, migrated_template: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    """Record camera 0 through the embedded gateway for a few segments while a viewer watches
    its main stream too, kill the record child, let it restart, record more."""
    import os
    import signal

    from sqlalchemy import select

    from server.models import Camera
    from server.recorder import CameraRecorder, GatewaySessions, RecordTarget
    from tests.gateway.helpers import Reader

    directory = tmp_path_factory.mktemp("recorded")
    url = database.create(directory, migrated_template)
    settings = make_settings(directory, url).model_copy(
        update={"segment_seconds": SEGMENT_SECONDS, "gateway_rtsp_port": 0,
                "clip_worker": False})
    clock = RealClock()
    app = create_app(settings, clock=clock)
    runtime = app.state.runtime
    with runtime.sessions() as session:
        seed_demo(session, runtime.passwords, runtime.secrets, clock(),
                  read_manifest(lab.manifest_path), settings)
        camera_id = session.execute(select(Camera.id).where(Camera.external_id == "lab:0")
                                    ).scalar_one()
    urls: list[str] = []
    exposed: dict[int, bytes] = {}
    gateway_sessions = GatewaySessions(runtime.sessions, settings, runtime.stream_key)

    def session_url() -> str:
        urls.append(gateway_sessions.open(camera_id))
        return urls[-1]

    mount = f"/{lab.cameras[0].slug}/main"
    with TestClient(app):
        assert runtime.gateway_supervisor.ready.wait(30), "the embedded gateway did not start"
        recorder = CameraRecorder(RecordTarget(camera_id, "CAM-01", session_url),
                                  runtime.sessions, settings)
        recorder.start()
        viewer = None
        try:
            first = wait_for(lambda: recorder.pid, 20)
            exposed[first] = proc_exposed(first)
            wait_for(lambda: mount in lab.rtsp_stats(), 20)
            backend = Backend(TestClient(app), clock, settings, database)
            reply = backend.post(f"/cameras/{camera_id}/streams/main/session",
                                 backend.login("ioc.operator"))
            assert reply.status_code == 201, reply.text
            viewer = Reader(reply.json()["url"]).start()
            viewer.wait_playing()
            time.sleep(7.5)  # a few segments
            killed = recorder.pid
            assert killed is not None
            os.kill(killed, signal.SIGKILL)
            restarted = wait_for(lambda: recorder.restarts and recorder.pid, 15)
            exposed[restarted] = proc_exposed(restarted)
            time.sleep(4.5)  # the reconnect and a couple of segments
            restarted = recorder.pid
        finally:
            if viewer is not None:
                viewer.close()
            recorder.stop()
    runtime.engine.dispose()
    yield Recorded(lab, url, settings.recordings_root, camera_id, killed, restarted, urls,
                   exposed)


@pytest.fixture
def recorded_backend(backend_factory: Callable[[str], Backend], recorded: Recorded) -> Backend:
    """A backend on a copy of the recorded database, its clock at the real now."""
    backend = backend_factory(recorded.database_url)
    backend.clock.now = datetime.now(UTC)
    return backend


# --- Media gateways ---------------------------------------------------------------------------

def serve_by_gateway(backend: Backend, *, ready: bool = True, rtsp_port: int = 8555,
                     public_key: str | None = None, ptz_port: int | None = 8556) -> int:
    """Every camera served by the gateway named "local" (created if the seed did not), marked
    heard from when ``ready``, without running one: for the routes that only issue sessions.
    Returns its id."""
    from sqlalchemy import select, update

    from server.models import Camera, Gateway

    runtime = backend.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        gateway = session.execute(select(Gateway).where(Gateway.name == "local")
                                  ).scalar_one_or_none()
        if gateway is None:
            gateway = Gateway(name="local", rtsp_host="127.0.0.1", rtsp_port=rtsp_port,
                              control_url="http://127.0.0.1:9", is_active=True,
                              control_secret_enc=runtime.secrets.encrypt("x" * 24))
            session.add(gateway)
        gateway.rtsp_port = rtsp_port
        gateway.ptz_port = ptz_port
        gateway.public_key = public_key
        gateway.last_seen_at = backend.clock() if ready else None
        session.flush()
        session.execute(update(Camera).values(gateway_id=gateway.id))
        session.commit()
        return gateway.id
