from fastapi import APIRouter

from server.deps import NowDep, SessionDep, UserWithAnyPassword
from server.schemas import MePublic
from server.services import me_public

router = APIRouter(tags=["me"])


@router.get("/me")
def read_me(session: SessionDep, user: UserWithAnyPassword, now: NowDep) -> MePublic:
    """Who is logged in, their unit and scope; answered even while the user must change their
    password first (``must_change_password``), so the client knows to ask for it."""
    return me_public(session, user, now)
