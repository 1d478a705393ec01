
from fastapi import APIRouter

from common import versions
from server.api.errors import ApiError, documented
from server.clocks import read_clock_state
from server.deps import NowDep, RuntimeDep
from server.schemas import ClockStatePublic, HealthPublic, VersionPublic

router = APIRouter(tags=["health"])


@router.get("/health", responses=documented(503))
def health(runtime: RuntimeDep) -> HealthPublic:
    """Liveness for the client and test helpers; no auth. It does not query the database: it
    says what the database watch's last probe found (503 while the database does not answer,
    which the walls' status bar shows: code ``database_unreachable``, ``context.since``)."""
    watch = runtime.database_watch
    outage = watch.outage if watch is not None else None
    if outage is not None:
        # not the error's text: the answer is open to anyone, the database's address is not
        raise ApiError(503, "The server cannot reach its database", code="database_unreachable",
                       context={"since": outage.since.isoformat()})
    return HealthPublic()


@router.get("/version")
def version(now: NowDep, runtime: RuntimeDep) -> VersionPublic:
    """The server's version, the API levels it serves and its time; no auth, open to clients
    too old to be served (so they can say which version they need)."""
    return VersionPublic(version=versions.PRODUCT_VERSION, api_level=versions.API_LEVEL,
                         min_client_api_level=versions.MIN_CLIENT_API_LEVEL,
                         server_time=now, clock=ClockStatePublic(**(
                             runtime.clocks.state() if runtime.clocks is not None
                             else read_clock_state()).public()))
