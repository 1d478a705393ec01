"""The ``/api/v1`` router: one module per resource under ``routes``."""

from fastapi import APIRouter, Depends

from server.api.errors import documented
from server.api.params import refuse_nul, strict_query
from server.api.routes import (
    access_requests,
    admin,
    admin_cameras,
    admin_clocks,
    admin_probe,
    audit,
    auth,
    bookmarks,
    calendar,
    cameras,
    cases,
    clips,
    duty,
    gateways,
    health,
    incidents,
    keys,
    layouts,
    me,
    ptz,
    publications,
    reports,
    tls,
)

# Every route may answer these, in the one error shape (server.api.errors).
api_router = APIRouter(responses=documented(400, 401, 403, 404, 409, 413, 422, 429),
                       dependencies=[Depends(refuse_nul), Depends(strict_query)])
api_router.include_router(health.router)
api_router.include_router(auth.router)
api_router.include_router(me.router)
api_router.include_router(cameras.router)
api_router.include_router(ptz.router)
# before the routes with a {camera_id}: /admin/cameras/probe is not a camera's id
api_router.include_router(admin_probe.router)
api_router.include_router(gateways.router)
api_router.include_router(audit.router)
api_router.include_router(layouts.router)
api_router.include_router(bookmarks.router)
api_router.include_router(clips.router)
api_router.include_router(keys.router)
api_router.include_router(tls.router)
api_router.include_router(calendar.router)
api_router.include_router(cases.router)
api_router.include_router(publications.router)
api_router.include_router(incidents.router)
api_router.include_router(access_requests.router)
api_router.include_router(reports.router)
api_router.include_router(duty.router)
api_router.include_router(admin.router)
api_router.include_router(admin_cameras.router)
api_router.include_router(admin_clocks.router)
