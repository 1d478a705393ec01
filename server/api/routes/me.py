from fastapi import APIRouter

from server.deps import CurrentUser, NowDep, SessionDep
from server.schemas import MePublic
from server.services import me_public

router = APIRouter(tags=["me"])


@router.get("/me")
def read_me(session: SessionDep, user: CurrentUser, now: NowDep) -> MePublic:
    return me_public(session, user, now)
