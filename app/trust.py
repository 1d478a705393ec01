"""Which certificate authority each server is trusted with: the site CA pinned at first contact.

A site's backend and gateways present certificates from the site's own CA (``server/tls.py``),
which no operating system trusts. The first time a workstation meets a server, it fetches the
CA the server offers (``GET /api/v1/tls/ca``, over a TLS it cannot check yet), makes sure the
server's own certificate comes from it, and the login dialog shows its SHA-256 fingerprint for
the operator to compare with the one the administrator reads out. Only then is it pinned here,
per server address (``<data dir>/trust/<host>_<port>.crt``); from then on every connection to
that server and to its gateways (HTTPS, RTSPS, PTZ) is checked against that file and no other.
An administrator may hand the CA over as a file instead (``main.py --ca-file``). Nothing here
sends a password or a token: first contact asks for the public CA only.

Blocking: call through :mod:`app.ops`.
"""

from __future__ import annotations

import http.client
import re
import ssl
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from app.errors import (
    BackendError,
    BackendUnreachable,
    FirstContact,
    NotTheSiteCa,
)
from common.files import write_atomically

CA_PATH = "/api/v1/tls/ca"
MAX_CA_BYTES = 64 * 1024


def fingerprint(pem: bytes) -> str:
    """SHA-256 of a PEM certificate as ``AB:CD:…`` (as ``python -m server tls-fingerprint``
    prints it)."""
    cert = x509.load_pem_x509_certificate(pem)
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def _address(server_url: str) -> tuple[str, int]:
    parts = urlsplit(server_url)
    host = parts.hostname or "127.0.0.1"
    return host, parts.port or (443 if parts.scheme == "https" else 80)


class TrustStore:
    """The pinned CA file of each server address, in the client's data dir."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "trust"

    def path_for(self, server_url: str) -> Path:
        host, port = _address(server_url)
        return self.directory / f"{re.sub(r'[^A-Za-z0-9.-]', '_', host)}_{port}.crt"

    def ca_file(self, server_url: str) -> Path | None:
        path = self.path_for(server_url)
        return path if path.is_file() else None

    def pin(self, server_url: str, pem: bytes) -> Path:
        """Trust this CA (a PEM certificate) for the server from now on."""
        cert = _ca_certificate(pem)
        path = self.path_for(server_url)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(path, cert.public_bytes(Encoding.PEM), mode=0o600)
        return path

    def import_file(self, server_url: str, ca_file: Path) -> Path:
        """An administrator's copy of the site CA (``--ca-file``)."""
        try:
            pem = ca_file.read_bytes()
        except OSError as err:
            raise BackendError(f"cannot read the CA file {ca_file}: {err.strerror}") from err
        return self.pin(server_url, pem)


def _ca_certificate(pem: bytes) -> x509.Certificate:
    try:
        cert = x509.load_pem_x509_certificate(pem)
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except (ValueError, x509.ExtensionNotFound) as err:
        raise NotTheSiteCa("not a certificate authority's certificate") from err
    if not constraints.ca:
        raise NotTheSiteCa("not a certificate authority's certificate")
    return cert


def first_contact(server_url: str, timeout: float = 5.0) -> FirstContact:
    """The CA an ``https://`` server offers, once its own certificate is checked to come from
    it. The operator's comparison of the fingerprint is what makes it trusted, not this."""
    host, port = _address(server_url)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # not trusted yet: the fingerprint decides
    connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    try:
        connection.request("GET", CA_PATH, headers={"Accept": "application/x-pem-file"})
        answer = connection.getresponse()
        body = answer.read(MAX_CA_BYTES + 1)
        assert connection.sock is not None
        leaf_der = connection.sock.getpeercert(binary_form=True)
    except (OSError, http.client.HTTPException) as err:
        raise BackendUnreachable(f"cannot reach the server at {host}:{port}") from err
    finally:
        connection.close()
    if answer.status != 200 or len(body) > MAX_CA_BYTES or not leaf_der:
        raise NotTheSiteCa(f"the server at {host}:{port} offers no certificate authority")
    ca = _ca_certificate(body)
    try:
        x509.load_der_x509_certificate(leaf_der).verify_directly_issued_by(ca)
    except (ValueError, TypeError) as err:
        raise NotTheSiteCa("the server's certificate is not from the authority it offers") \
            from err
    return FirstContact(server_url, ca.public_bytes(Encoding.PEM), fingerprint(ca.public_bytes(Encoding.PEM)))
