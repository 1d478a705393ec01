"""The site CA's certificate, for a workstation's first contact.

Served without a login over the very TLS it anchors: a workstation that does not know it yet
cannot check the answer, so it shows the operator the certificate's SHA-256 fingerprint to
compare with the one the administrator reads out (``python -m server tls-fingerprint``), and
pins it only then. Nothing here is secret.
"""

from fastapi import APIRouter
from fastapi.responses import Response

from server.api.errors import ApiError
from server.deps import RuntimeDep
from server.tls import site_tls

router = APIRouter(tags=["tls"])


@router.get("/tls/ca", response_class=Response,
            responses={200: {"content": {"application/x-pem-file": {}}}})
def site_ca(runtime: RuntimeDep) -> Response:
    """The site CA certificate (PEM); 404 when the site has none (plain HTTP development)."""
    ca = site_tls(runtime.settings.data_dir).ca_cert
    try:
        pem = ca.read_bytes()
    except FileNotFoundError:
        raise ApiError(404, "this site has no certificate authority (plain HTTP)") from None
    return Response(pem, media_type="application/x-pem-file")
