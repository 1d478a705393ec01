"""The FastAPI application factory."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI

from common import versions
from server import clock_incidents
from server.api import errors
from server.api.guards import RequestGuard
from server.api.main import api_router
from server.api.public import public_router
from server.api.versions import VersionGuard
from server.audit_anchors import AuditAnchoring
from server.clip_requests import ClipWorker
from server.clocks import ClockWatch
from server.clocks import state_check as clocks_state_check
from server.config import Settings, prepare_private_dir
from server.database_watch import DatabaseWatch
from server.db import make_engine, make_sessionmaker
from server.deps import Clock, Runtime
from server.gateway_fleet import GatewaySync
from server.gateways import Gateways, GatewaySupervisor, GrantEnds
from server.key_ring import KeyOnFile
from server.periodic import Periodic
from server.ptz_broker import HolderNotices
from server.publications import Redactor
from server.recorder import Recorder
from server.recorder_watch import RecorderWatch
from server.restarts import BACKEND, RestartNotices, mark_running, mark_stopped
from server.security import Passwords, SecretBox
from server.storage_watch import StorageWatch
from server.stream_sessions import gateway_token_keys
from server.stream_watch import StreamWatch
from server.tls import trust_site_ca

log = logging.getLogger("iocwall.api")

API_PREFIX = "/api/v1"
PUBLIC_PREFIX = "/public/v1"


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings, clock: Clock = utc_now) -> FastAPI:
    """Build the app on ``settings``' database (already migrated: see ``server.db.migrate``).

    ``clock`` is injectable so tests can move time (lockout, token expiry, grants).
    """
    prepare_private_dir(settings.data_dir)
    if settings.record:
        prepare_private_dir(settings.recordings_root)
    engine = make_engine(settings.database_url)
    trust_site_ca(settings.site_ca_file)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        passwords=Passwords(settings),
        secrets=SecretBox.from_settings(settings),
        clock=clock,
        # read again when `python -m server rotate-keys` replaces the file
        signer=KeyOnFile(settings.signing_key_file),
        stream_key=KeyOnFile(settings.stream_token_key_file),
    )
    # a clock off (or the server's not synchronised) is audited and filed as an incident;
    # right again, the incident clears
    runtime.clocks = ClockWatch(
        clock, on_off=functools.partial(clock_incidents.clock_off, runtime),
        on_back=functools.partial(clock_incidents.clock_back, runtime),
        on_state=functools.partial(clock_incidents.server_clock, runtime))
    state_check = clocks_state_check(runtime.clocks)
    # a process of the backend that restarted (the embedded gateway, a record child, the
    # backend itself after an unclean stop) is an incident, a crash loop one with its count
    restarts = RestartNotices(runtime.sessions, clock)
    runtime.gateways = Gateways(runtime.sessions, runtime.secrets,
                                settings.stream_token_lifetime_s)
    runtime.grant_ends = GrantEnds(runtime.sessions, runtime.gateways, clock)
    runtime.ptz_holders = HolderNotices(runtime.secrets)
    if settings.gateway_sync:
        runtime.gateway_sync = GatewaySync(
            runtime.sessions, runtime.secrets, clock,
            embedded=settings.gateway_name if settings.gateway == "embedded" else None,
            holders=runtime.ptz_holders, clocks=runtime.clocks,
            token_keys=lambda: gateway_token_keys(settings.stream_token_key_file, clock()))
    if settings.gateway == "embedded":
        runtime.gateway_supervisor = GatewaySupervisor(
            runtime.sessions, settings, runtime.secrets,
            lambda: gateway_token_keys(settings.stream_token_key_file, clock()),
            runtime.gateways, clock, on_restart=restarts.restarted)
    if settings.clip_worker:
        runtime.clip_worker = ClipWorker(runtime.sessions, settings, runtime.signer,
                                         clock_state=runtime.clocks.state)
    runtime.redactor = Redactor(runtime.sessions, settings, clock)
    if settings.record:
        runtime.recorder = Recorder(runtime.sessions, settings, runtime.stream_key, clock=clock,
                                    on_restart=restarts.restarted)

    # the audit chain's tip signed every 10 minutes and at shutdown (a cut tail shows)
    anchoring = AuditAnchoring(runtime.sessions, settings, runtime.signer, clock)
    runtime.audit_anchors = anchoring
    storage = StorageWatch(runtime.sessions, [settings.data_dir, settings.recordings_root],
                           settings.disk_alert_percent, clock)
    # The faults the server sees for itself, each filed once and cleared when it ends
    # (server.stream_watch, server.recorder_watch, server.database_watch, server.restarts).
    # Each runs on a Periodic: a check that raises is logged and runs again next time.
    database_watch = DatabaseWatch(runtime.engine, runtime.sessions, clock,
                                   settings.database_probe_s)
    runtime.database_watch = database_watch
    watches = [Periodic("restart-notices", settings.fault_check_s, restarts.flush)]
    if runtime.gateway_sync is not None:
        watches.append(Periodic("stream-watch", settings.fault_check_s, StreamWatch(
            runtime.sessions, runtime.gateway_sync.upstreams, clock,
            settings.stream_lost_after_s).check))
    if runtime.recorder is not None:
        watches.append(Periodic("recorder-watch", settings.fault_check_s, RecorderWatch(
            runtime.recorder, runtime.sessions, runtime.upstream, clock,
            settings.recorder_stall_s).check))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Background work runs only while the app serves (uvicorn, or ``with TestClient``)."""
        left = mark_running(settings.data_dir, clock())
        if left is not None:
            restarts.restarted(BACKEND, f"Máy chủ iocwall khởi động lại sau khi dừng bất thường "
                                        f"(lần chạy trước: {left})")
        database_watch.start()
        if runtime.gateway_supervisor is not None:
            runtime.gateway_supervisor.start()
        if runtime.grant_ends is not None:
            runtime.grant_ends.start()
        if runtime.gateway_sync is not None:
            runtime.gateway_sync.start()
        if runtime.clip_worker is not None:
            runtime.clip_worker.start()
        if runtime.recorder is not None:
            runtime.recorder.start()
        if runtime.redactor is not None:
            runtime.redactor.start()
        state_check.start()
        storage.start()
        for watch in watches:
            watch.start()
        anchoring.start()
        try:
            yield
        finally:
            for watch in watches:
                watch.stop()
            storage.stop()
            state_check.stop()
            if runtime.redactor is not None:
                runtime.redactor.stop()
            if runtime.recorder is not None:
                runtime.recorder.stop()
            if runtime.clip_worker is not None:
                runtime.clip_worker.stop()
            if runtime.grant_ends is not None:
                runtime.grant_ends.stop()
            if runtime.gateway_sync is not None:
                runtime.gateway_sync.stop()
            if runtime.gateway_supervisor is not None:
                runtime.gateway_supervisor.stop()
            database_watch.stop()
            # last: what the work above audited while stopping is in the final anchor
            anchoring.stop()
            mark_stopped(settings.data_dir)

    app = FastAPI(
        lifespan=lifespan,
        title="iocwall backend",
        summary="Camera access under Decision 790/QĐ-UBND of Đồng Hới",
        version=versions.PRODUCT_VERSION,
        openapi_url="/openapi.json",
    )
    app.state.runtime = runtime
    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(public_router, prefix=PUBLIC_PREFIX)
    errors.install(app)
    app.add_middleware(RequestGuard, runtime=runtime)
    app.add_middleware(VersionGuard, now=runtime.clock, clocks=runtime.clocks)  # outermost: every answer is stamped
    return app
