"""FastAPI dependencies: the database session, the clock, the current user, permissions.

The app's shared objects live in one ``Runtime`` on ``app.state`` (built by
``server.main.create_app``), so tests can run several apps on different databases side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from server import permissions as perm
from server.api.errors import ApiError
from server.api.params import Id
from server.config import Settings
from server.models import AuthToken, User
from server.security import Passwords, SecretBox, token_hash
from server.services import VisibleCamera, user_context, visible_camera

if TYPE_CHECKING:
    from server.audit_anchors import AuditAnchoring
    from server.clip_requests import ClipWorker
    from server.clocks import ClockWatch
    from server.database_watch import DatabaseWatch
    from server.gateway_fleet import GatewaySync, UpstreamState
    from server.gateways import Gateways, GatewaySupervisor, GrantEnds
    from server.login_guard import AddressLimiter
    from server.ptz_broker import HolderNotices
    from server.public import RateLimiter
    from server.publications import Redactor
    from server.recorder import Recorder

Clock = Callable[[], datetime]


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    passwords: Passwords
    secrets: SecretBox
    clock: Clock
    signer: Ed25519PrivateKey
    stream_key: Ed25519PrivateKey  # signs stream session tokens (server.stream_sessions)
    clocks: ClockWatch | None = None  # the server's time service and the others' offsets
    gateways: Gateways | None = None  # tells the media gateways what to revoke
    gateway_supervisor: GatewaySupervisor | None = None  # the embedded gateway (lifespan)
    ptz_holders: HolderNotices | None = None  # tells gateways who holds each PTZ lease
    grant_ends: GrantEnds | None = None  # cuts streams when access grants end (lifespan)
    gateway_sync: GatewaySync | None = None  # keeps the gateways' camera tables (lifespan)
    clip_worker: ClipWorker | None = None  # started by the app's lifespan (not in unit tests)
    recorder: Recorder | None = None
    redactor: Redactor | None = None  # blurs clips proposed for publication
    public_limiter: RateLimiter | None = None  # /public/v1 (server.public)
    login_addresses: AddressLimiter | None = None  # failed logins per address
    audit_anchors: AuditAnchoring | None = None  # signs the audit chain's tip (lifespan)
    database_watch: DatabaseWatch | None = None  # probes the database; /health says (lifespan)

    def upstream(self, camera_id: int, stream: str) -> UpstreamState | None:
        """What the camera's gateway last said of its connection to the stream (None: not
        heard, or no gateway sync in this process)."""
        sync = self.gateway_sync
        return None if sync is None else sync.upstream(camera_id, stream)


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_db(runtime: RuntimeDep) -> Iterator[Session]:
    with runtime.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


def get_now(runtime: RuntimeDep) -> datetime:
    """The request's "now", from the injected clock (tests move it)."""
    return runtime.clock()


NowDep = Annotated[datetime, Depends(get_now)]

_bearer = HTTPBearer(auto_error=False)
_UNAUTHENTICATED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Not authenticated: log in again",
    headers={"WWW-Authenticate": "Bearer"},
)


@dataclass(frozen=True)
class Authenticated:
    user: User
    token: AuthToken


def authenticate(session: Session, raw_token: str, now: datetime) -> Authenticated | None:
    """The live token's user, or None for an expired, revoked or unknown token or an inactive
    user (the request guard asks this before a body is read, the routes through ``get_auth``)."""
    token = session.execute(
        select(AuthToken).where(AuthToken.token_hash == token_hash(raw_token))
    ).scalar_one_or_none()
    if (
        token is None
        or token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.is_active
    ):
        return None
    return Authenticated(token.user, token)


def get_auth(
    session: SessionDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Authenticated:
    """The live token's user; expired, revoked or unknown tokens all get the same 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _UNAUTHENTICATED
    found = authenticate(session, credentials.credentials, now)
    if found is None:
        raise _UNAUTHENTICATED
    return found


AuthDep = Annotated[Authenticated, Depends(get_auth)]


PASSWORD_CHANGE_REQUIRED = "password_change_required"


def get_current_user(auth: AuthDep) -> User:
    """The logged-in user, once they chose their own password: while an administrator's
    password is still theirs (new account, reset), only ``POST /auth/password``,
    ``POST /auth/logout`` and ``GET /me`` (which use :data:`AuthDep` or
    :data:`UserWithAnyPassword`) answer; everything else is 403 ``password_change_required``."""
    if auth.user.must_change_password:
        raise ApiError(status.HTTP_403_FORBIDDEN,
                       "Change the password an administrator set before anything else "
                       "(POST /api/v1/auth/password)", code=PASSWORD_CHANGE_REQUIRED)
    return auth.user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_user_with_any_password(auth: AuthDep) -> User:
    return auth.user


UserWithAnyPassword = Annotated[User, Depends(get_user_with_any_password)]


def camera_not_found() -> HTTPException:
    """The one answer for a missing camera and a camera out of scope (no existence leak)."""
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Camera not found")


def require_camera_access(action: perm.Action) -> Callable[..., VisibleCamera]:
    """A dependency that resolves ``camera_id`` to a camera the user may ``action`` on.

    Without view the camera is invisible (404); visible but without this action is 403.
    """

    def dependency(camera_id: Id, session: SessionDep, user: CurrentUser,
                   now: NowDep) -> VisibleCamera:
        item = visible_camera(session, user, camera_id, now)
        if item is None:
            raise camera_not_found()
        if action not in item.actions:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN,
                                detail=f"Not allowed: {action.value} on this camera")
        return item

    return dependency


def require_operating_unit(user: CurrentUser) -> User:
    """Audit reading is the operating unit's job (Art. 10, 15)."""
    if user.unit.kind != perm.UnitKind.OPERATING_UNIT:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN,
                            detail="Only the operating unit may read the audit log")
    return user


OperatingUnitUser = Annotated[User, Depends(require_operating_unit)]


def require_admin(session: SessionDep, user: CurrentUser) -> User:
    """The operating unit's administrators (Art. 10): user lists, sessions, software."""
    if not perm.administers(user_context(session, user)):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN,
                            detail="Only the operating unit's administrators may do this")
    return user


AdminUser = Annotated[User, Depends(require_admin)]
