"""Pinning the site CA per server (``app.trust``) against a real backend over HTTPS: first
contact offers the CA and its fingerprint, a pinned server is reached, a server whose
certificate is from another CA is refused at the handshake (no password sent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.auth import AuthService
from app.backend import BackendClient
from app.credentials import TokenStore
from app.errors import NotTheSiteCa, ServerNotTrusted, UntrustedCertificate
from app.settings import SettingsStore
from app.trust import TrustStore, fingerprint, first_contact
from server import tls
from tests.app.helpers import TlsBackend


def test_first_contact_offers_the_servers_ca_and_its_fingerprint(
        tls_backend_url: TlsBackend) -> None:
    contact = first_contact(tls_backend_url.url)
    assert contact.pem.strip() == tls_backend_url.ca_file.read_bytes().strip()
    # what the administrator reads out (python -m server tls-fingerprint)
    assert contact.fingerprint == tls.fingerprint(tls_backend_url.ca_file.read_bytes())
    assert len(contact.fingerprint) == 32 * 3 - 1


def test_login_asks_first_then_works_once_the_ca_is_pinned(tls_backend_url: TlsBackend,
                                                           tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    auth = AuthService(SettingsStore(tmp_path), TokenStore(), trust=store)
    with pytest.raises(ServerNotTrusted) as asked:
        auth.login(tls_backend_url.url, "ioc.operator", "demo", False)
    assert store.ca_file(tls_backend_url.url) is None
    auth.trust(asked.value.contact)
    pinned = store.ca_file(tls_backend_url.url)
    assert pinned is not None and (pinned.stat().st_mode & 0o077) == 0
    session = auth.login(tls_backend_url.url, "ioc.operator", "demo", False)
    assert session.user.username == "ioc.operator"
    assert auth.site_ca_file() == pinned
    auth.logout()


def test_a_server_with_a_certificate_of_another_ca_is_refused(tls_backend_url: TlsBackend,
                                                              tmp_path: Path) -> None:
    other = tls.create_site(tmp_path / "other", "someone in the middle")
    client = BackendClient(tls_backend_url.url, ca_file=other.ca_cert)
    with pytest.raises(UntrustedCertificate, match="not from the certificate authority"):
        client.login("ioc.operator", "demo")
    assert client.session is None
    # the same through the login service with the other CA pinned for this address
    store = TrustStore(tmp_path)
    store.pin(tls_backend_url.url, other.ca_cert.read_bytes())
    auth = AuthService(SettingsStore(tmp_path), TokenStore(), trust=store)
    with pytest.raises(UntrustedCertificate):
        auth.login(tls_backend_url.url, "ioc.operator", "demo", False)
    # and an https:// server with no CA at all is not contacted
    with pytest.raises(UntrustedCertificate, match="no certificate authority"):
        BackendClient(tls_backend_url.url).health()


def test_only_a_ca_certificate_can_be_pinned(tmp_path: Path) -> None:
    site = tls.create_site(tmp_path, "IOC")
    store = TrustStore(tmp_path / "client")
    with pytest.raises(NotTheSiteCa):
        store.pin("https://ioc:8700", site.cert.read_bytes())  # a server's, not a CA's
    with pytest.raises(NotTheSiteCa):
        store.pin("https://ioc:8700", b"not a certificate")
    path = store.import_file("https://ioc:8700", site.ca_cert)
    assert fingerprint(path.read_bytes()) == site.fingerprint()
    assert store.ca_file("https://ioc:8700/api/v1") == path
    assert store.ca_file("https://ioc:8701") is None  # per server address
