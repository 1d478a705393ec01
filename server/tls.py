"""The site's certificates: a certificate authority of its own, and the certificates it issues to
the backend and to the media gateways.

Everything the product sends between its machines (API and session tokens, camera pictures,
PTZ) goes over TLS whose peer is checked against this one CA: a workstation pins it at first
contact (the operator compares its SHA-256 fingerprint with the one the administrator reads
out), the backend's recorder and gateway calls trust it, and nothing else. A site that has its
own PKI imports its CA instead (:func:`import_site`); the backend then keeps no CA key and
gateway certificates are issued by the site's PKI, not by ``gateway-cert``.

Layout of ``<data dir>/tls`` (the folder 0700, keys 0600)::

    ca.crt  ca.key (absent when imported)  server.crt  server.key
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http.client import HTTPResponse
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from common.files import write_atomically

CA_DAYS = 20 * 365  # the fingerprint workstations pinned must outlive the hardware
LEAF_DAYS = 2 * 365
DEFAULT_NAMES = ("localhost", "127.0.0.1", "::1")


class TlsError(ValueError):
    """The certificates cannot be made or used (the message says which file and why)."""


@dataclass(frozen=True)
class SiteTls:
    """The files of a site's TLS folder."""

    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca.key"

    @property
    def cert(self) -> Path:
        return self.folder / "server.crt"

    @property
    def key(self) -> Path:
        return self.folder / "server.key"

    def exists(self) -> bool:
        return self.ca_cert.is_file() and self.cert.is_file() and self.key.is_file()

    def can_issue(self) -> bool:
        return self.ca_cert.is_file() and self.ca_key.is_file()

    def fingerprint(self) -> str:
        return fingerprint(self.ca_cert.read_bytes())


def site_tls(data_dir: Path) -> SiteTls:
    return SiteTls(data_dir / "tls")


def fingerprint(pem: bytes) -> str:
    """The SHA-256 of the (first) certificate in ``pem``, as ``AB:CD:…``: what the
    administrator reads out and the login dialog shows."""
    cert = x509.load_pem_x509_certificate(pem)
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write_private(path: Path, data: bytes) -> None:
    write_atomically(path, data, mode=0o600)


def _write_public(path: Path, data: bytes) -> None:
    write_atomically(path, data, mode=0o644)


def _now() -> dt.datetime:
    # an hour back: a workstation whose clock is a little behind still accepts a new cert
    return dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)


def create_ca(folder: Path, site_name: str) -> None:
    """A new certificate authority in ``folder`` (refused if one is there: workstations pinned
    it)."""
    tls = SiteTls(folder)
    if tls.ca_cert.exists():
        raise TlsError(f"{tls.ca_cert} exists: the workstations trust it; not replaced")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = _new_key()
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, site_name[:64]),
                      x509.NameAttribute(NameOID.COMMON_NAME, "iocwall site CA")])
    start = _now()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    _write_private(tls.ca_key, _key_pem(key))
    _write_public(tls.ca_cert, cert.public_bytes(serialization.Encoding.PEM))


def _alt_names(names: Iterable[str]) -> list[x509.GeneralName]:
    seen: list[x509.GeneralName] = []
    for name in names:
        name = name.strip().strip("[]")
        if not name:
            continue
        entry: x509.GeneralName
        try:
            entry = x509.IPAddress(ipaddress.ip_address(name))
        except ValueError:
            entry = x509.DNSName(name.lower())
        if entry not in seen:
            seen.append(entry)
    return seen


def issue(tls: SiteTls, common_name: str, names: Iterable[str], cert_file: Path,
          key_file: Path, *, days: int = LEAF_DAYS) -> None:
    """A server certificate for ``names`` (host names and IP addresses, as clients dial them),
    signed by the site CA; key and certificate written owner-only / world-readable."""
    if not tls.can_issue():
        raise TlsError(f"no CA key in {tls.folder}: the site imported its own CA; have its "
                       "PKI issue this certificate")
    alt = _alt_names(names)
    if not alt:
        raise TlsError("a certificate needs at least one host name or address")
    ca_key = serialization.load_pem_private_key(tls.ca_key.read_bytes(), None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise TlsError(f"{tls.ca_key}: not the EC key this module makes")
    ca_cert = x509.load_pem_x509_certificate(tls.ca_cert.read_bytes())
    key = _new_key()
    start = _now()
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_private(key_file, _key_pem(key))
    # the chain: a client given only the CA finds the issuer
    _write_public(cert_file, cert.public_bytes(serialization.Encoding.PEM))


def host_names(extra: Sequence[str] = ()) -> list[str]:
    """The names a backend certificate carries: loopback, this machine's name, and ``extra``
    (``--tls-host``: the names and addresses workstations dial)."""
    names = list(DEFAULT_NAMES)
    hostname = socket.gethostname()
    if hostname:
        names.append(hostname)
    names.extend(extra)
    return names


def create_site(data_dir: Path, site_name: str, hosts: Sequence[str] = ()) -> SiteTls:
    """A CA and the backend's certificate (``init``, the demo)."""
    tls = site_tls(data_dir)
    create_ca(tls.folder, site_name)
    issue(tls, "iocwall backend", host_names(hosts), tls.cert, tls.key)
    return tls


def ensure_site(data_dir: Path, site_name: str, hosts: Sequence[str] = ()) -> SiteTls:
    """The site's TLS folder, made the first time (the demo's: no question to ask)."""
    tls = site_tls(data_dir)
    if not tls.exists():
        if tls.ca_cert.exists():
            issue(tls, "iocwall backend", host_names(hosts), tls.cert, tls.key)
        else:
            create_site(data_dir, site_name, hosts)
    return tls


def import_site(data_dir: Path, ca_cert: Path, cert: Path, key: Path) -> SiteTls:
    """The site's own CA and the backend's certificate and key from it; checked to belong
    together before anything is written."""
    try:
        ca_pem, cert_pem, key_pem = ca_cert.read_bytes(), cert.read_bytes(), key.read_bytes()
    except OSError as err:
        raise TlsError(f"cannot read {err.filename}: {err.strerror}") from err
    try:
        ca = x509.load_pem_x509_certificate(ca_pem)
        leaf = x509.load_pem_x509_certificate(cert_pem)
        private = serialization.load_pem_private_key(key_pem, None)
    except ValueError as err:
        raise TlsError(f"not a PEM certificate or unencrypted PEM key: {err}") from err
    if private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) != \
            leaf.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo):
        raise TlsError(f"{key} is not the key of {cert}")
    try:
        leaf.verify_directly_issued_by(ca)
    except (ValueError, TypeError) as err:
        raise TlsError(f"{cert} is not issued by {ca_cert}: {err}") from err
    tls = site_tls(data_dir)
    if tls.ca_cert.exists():
        raise TlsError(f"{tls.ca_cert} exists: the workstations trust it; not replaced")
    tls.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_public(tls.ca_cert, ca_pem)
    _write_public(tls.cert, cert_pem)
    _write_private(tls.key, key_pem)
    return tls


def gateway_cert(tls: SiteTls, name: str, hosts: Sequence[str], out: Path) -> tuple[Path, Path]:
    """A gateway's certificate and key in ``out`` (``gateway.crt``/``gateway.key``) plus the
    site CA (``ca.crt``), for the gateway's configuration ``"tls"``."""
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    cert, key = out / "gateway.crt", out / "gateway.key"
    issue(tls, f"iocwall gateway {name}", hosts, cert, key)
    _write_public(out / "ca.crt", tls.ca_cert.read_bytes())
    return cert, key


# -- the backend's calls to its gateways --------------------------------------------------------

_trust_lock = threading.Lock()
_gateway_context: ssl.SSLContext | None = None


def trust_site_ca(ca_file: Path | None) -> None:
    """The CA the backend checks its gateways' control endpoints against: the site's, set when
    the app is built (``server.main.create_app``). Many services call gateways (the fleet's
    sync, revocations, PTZ holders, probes, previews) and all must trust this CA and no
    other; one setting here keeps any of them from opening ``https://`` with the system's
    trust store."""
    global _gateway_context
    context = ssl.create_default_context(cafile=str(ca_file)) if ca_file is not None else None
    with _trust_lock:
        _gateway_context = context


def open_gateway(request: urllib.request.Request, timeout: float) -> HTTPResponse:
    """``urlopen`` of a gateway control call; ``https://`` only against the site CA (a site
    without one refuses ``https://`` control URLs rather than trusting anything)."""
    with _trust_lock:
        context = _gateway_context
    if request.full_url.startswith("https://") and context is None:
        raise ssl.SSLError("an https:// gateway, but this site has no CA to check it against")
    answer: HTTPResponse = urllib.request.urlopen(request, timeout=timeout,  # noqa: S310
                                                  context=context)
    return answer

