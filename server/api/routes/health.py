from fastapi import APIRouter

from server.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> HealthPublic:
    """Liveness for the client and test helpers; no auth, no database."""
    return HealthPublic()
