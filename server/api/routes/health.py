
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from common import versions
from server.clocks import read_clock_state
from server.deps import NowDep, RuntimeDep
from server.schemas import ClockStatePublic, HealthDownPublic, HealthPublic, VersionPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic, responses={503: {"model": HealthDownPublic,
                                        "description": "The database does not answer"}})
def health(runtime: RuntimeDep) -> HealthPublic | JSONResponse:
    """Liveness for the client and test helpers; no auth. It does not query the database: it
    says what the database watch's last probe found (503 while the database does not answer,
    which the walls' status bar shows)."""
    watch = runtime.database_watch
    outage = watch.outage if watch is not None else None
    if outage is not None:
        # no error text: the answer is open to anyone, the database's address is not
        body = HealthDownPublic(detail="The server cannot reach its database", since=outage.since)
        return JSONResponse(status_code=503, content=body.model_dump(mode="json"))
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
