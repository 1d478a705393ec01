"""``/admin/clocks``: how far the site's clocks can be trusted (see :mod:`server.clocks`).
Administrators only."""

from __future__ import annotations

from fastapi import APIRouter

from server.deps import AdminUser, RuntimeDep
from server.schemas import ClockOffsetPublic, ClocksPublic, ClockStatePublic

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/clocks")
def clocks(_admin: AdminUser, runtime: RuntimeDep) -> ClocksPublic:
    """The server's time service and the latest clock offset of every gateway and workstation
    that contacted it (their clock minus the server's; ``off`` past the 2 s tolerance)."""
    watch = runtime.clocks
    if watch is None:
        return ClocksPublic(server=ClockStatePublic(source="none", synchronized=None,
                                                    detail="not watched"), offsets=[])
    return ClocksPublic(
        server=ClockStatePublic(**watch.state().public()),
        offsets=[ClockOffsetPublic(subject=o.subject, offset_s=o.offset_s, at=o.at, off=o.off)
                 for o in watch.offsets()])
