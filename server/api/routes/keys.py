"""The server's public evidence keys, to verify clip manifests without an account: the current
one and every retired one (a clip signed before a rotation verifies against its key)."""

from fastapi import APIRouter

from server.deps import RuntimeDep
from server.key_ring import all_keys
from server.schemas import SigningKeyPublic

router = APIRouter(tags=["keys"])


@router.get("/keys")
def list_keys(runtime: RuntimeDep) -> list[SigningKeyPublic]:
    return [SigningKeyPublic(key_id=k.key_id, public_key_pem=k.public_key_pem,
                             valid_from=k.valid_from, valid_until=k.valid_until)
            for k in all_keys(runtime.settings.signing_key_file)]
