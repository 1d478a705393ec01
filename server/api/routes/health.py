
from fastapi import APIRouter

from common import versions
from server.clocks import read_clock_state
from server.deps import NowDep, RuntimeDep
from server.schemas import ClockStatePublic, HealthPublic, VersionPublic

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> HealthPublic:
    """Liveness for the client and test helpers; no auth, no database."""
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
