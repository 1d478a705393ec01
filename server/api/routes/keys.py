"""The server's public signing key(s), to verify clip manifests without an account."""

from fastapi import APIRouter

from server.deps import RuntimeDep
from server.schemas import SigningKeyPublic
from server.signing import key_id, public_key_pem

router = APIRouter(tags=["keys"])


@router.get("/keys")
def list_keys(runtime: RuntimeDep) -> list[SigningKeyPublic]:
    public = runtime.signer.public_key()
    return [SigningKeyPublic(key_id=key_id(public), public_key_pem=public_key_pem(public))]
