"""The site's certificates (``server.tls``) and the API over HTTPS: real handshakes on loopback,
a client trusting another CA refused, plain HTTP refused off loopback."""

from __future__ import annotations

import ipaddress
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from cryptography import x509

from server import tls
from server.testing import CHEAP_ARGON2_ENV, start_test_server, stop_test_server


def _names(cert_file: Path) -> set[str]:
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(n) for n in alt.get_values_for_type(x509.DNSName)} | {
        str(n) for n in alt.get_values_for_type(x509.IPAddress)}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_site_ca_issues_the_backend_certificate(tmp_path: Path) -> None:
    site = tls.create_site(tmp_path, "IOC Đồng Hới", ["wall.iocdonghoi.vn", "10.20.0.5"])
    assert _mode(site.ca_key) == 0o600 and _mode(site.key) == 0o600
    assert _mode(site.folder) == 0o700
    names = _names(site.cert)
    assert {"localhost", "127.0.0.1", "wall.iocdonghoi.vn", "10.20.0.5"} <= names
    ca = x509.load_pem_x509_certificate(site.ca_cert.read_bytes())
    x509.load_pem_x509_certificate(site.cert.read_bytes()).verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    fingerprint = site.fingerprint()
    assert len(fingerprint.split(":")) == 32 and fingerprint == fingerprint.upper()
    with pytest.raises(tls.TlsError, match="not replaced"):
        tls.create_ca(site.folder, "again")
    assert site.fingerprint() == fingerprint


def test_a_gateway_certificate_from_the_site_ca(tmp_path: Path) -> None:
    site = tls.create_site(tmp_path / "site", "IOC")
    out = tmp_path / "gw"
    cert, key = tls.gateway_cert(site, "bao-ninh", ["gw-baoninh.lan", "10.30.0.2"], out)
    assert _names(cert) == {"gw-baoninh.lan", "10.30.0.2"}
    assert _mode(key) == 0o600
    assert (out / "ca.crt").read_bytes() == site.ca_cert.read_bytes()
    ca = x509.load_pem_x509_certificate(site.ca_cert.read_bytes())
    x509.load_pem_x509_certificate(cert.read_bytes()).verify_directly_issued_by(ca)


def test_importing_the_sites_own_ca_checks_that_the_files_belong_together(
        tmp_path: Path) -> None:
    own = tls.create_site(tmp_path / "pki", "Sở TT&TT")  # stands for the site's own PKI
    other = tls.create_site(tmp_path / "other", "other")
    with pytest.raises(tls.TlsError, match="not the key"):
        tls.import_site(tmp_path / "a", own.ca_cert, own.cert, other.key)
    with pytest.raises(tls.TlsError, match="not issued by"):
        tls.import_site(tmp_path / "b", other.ca_cert, own.cert, own.key)
    assert not (tmp_path / "a" / "tls").exists() and not (tmp_path / "b" / "tls").exists()
    site = tls.import_site(tmp_path / "c", own.ca_cert, own.cert, own.key)
    assert site.exists() and not site.can_issue()  # no CA key: the site's PKI issues
    assert site.fingerprint() == own.fingerprint()
    with pytest.raises(tls.TlsError, match="imported its own CA"):
        tls.gateway_cert(site, "gw", ["10.0.0.1"], tmp_path / "gw")


def _server(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IOCWALL_DATA_DIR=str(data_dir), IOCWALL_GATEWAY="off",
               **CHEAP_ARGON2_ENV)
    env.pop("IOCWALL_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "server", *args], env=env, text=True,
                          capture_output=True, timeout=120, start_new_session=True)


def test_gateway_cert_and_fingerprint_commands(tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    made = _server(["tls", "--tls-host", "ioc.example"], data_dir)
    assert made.returncode == 0, made.stderr
    fingerprint = tls.site_tls(data_dir).fingerprint()
    assert fingerprint in made.stdout
    shown = _server(["tls-fingerprint"], data_dir)
    assert shown.stdout.strip() == fingerprint
    again = _server(["tls"], data_dir)
    assert again.returncode == 1 and "not replaced" in again.stderr
    # renewal, another name: the backend's certificate anew from the same CA
    for name in ("server.crt", "server.key"):
        (data_dir / "tls" / name).unlink()
    renewed = _server(["tls", "--tls-host", "wall.ioc.example"], data_dir)
    assert renewed.returncode == 0, renewed.stderr
    assert tls.site_tls(data_dir).fingerprint() == fingerprint
    assert "wall.ioc.example" in _names(data_dir / "tls" / "server.crt")
    out = tmp_path / "gw-out"
    done = _server(["gateway-cert", "north", "--host", "10.1.2.3", "--host", "gw-north",
                    "--out", str(out)], data_dir)
    assert done.returncode == 0, done.stderr
    assert _names(out / "gateway.crt") == {"10.1.2.3", "gw-north"}


def test_plain_http_is_refused_on_an_address_that_is_not_loopback(tmp_path: Path) -> None:
    done = _server(["--demo", "--insecure-loopback", "--host", "0.0.0.0", "--port", "9"],
                   tmp_path / "demo")
    assert done.returncode == 2
    assert "not a loopback address" in done.stderr
    assert ipaddress.ip_address("0.0.0.0").is_unspecified


def test_serving_a_site_without_certificates_needs_the_loopback_switch(tmp_path: Path) -> None:
    site = tmp_path / "site"
    password = tmp_path / "pw"
    password.write_text("Site-Admin-Pass-31x\n", encoding="utf-8")
    made = _server(["init", "--data-dir", str(site), "--admin-username", "site.admin",
                    "--admin-password-file", str(password)], site)
    assert made.returncode == 0, made.stderr
    for name in ("ca.crt", "server.crt", "server.key", "ca.key"):
        (site / "tls" / name).unlink()
    done = _server(["--port", "9"], site)
    assert done.returncode == 2 and "holds no certificates" in done.stderr


def test_the_api_over_https_refuses_a_client_trusting_another_ca(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    other = tls.create_site(tmp_path / "other", "another site")
    base_url, process = start_test_server(data_dir, tls=True,
                                          env_overrides={"IOCWALL_GATEWAY": "off"})
    try:
        assert base_url.startswith("https://")
        ca = tls.site_tls(data_dir).ca_cert
        assert requests.get(f"{base_url}/api/v1/health", verify=str(ca), timeout=5).ok
        served = requests.get(f"{base_url}/api/v1/tls/ca", verify=str(ca), timeout=5)
        assert served.content == ca.read_bytes()
        with pytest.raises(requests.exceptions.SSLError):
            requests.post(f"{base_url}/api/v1/auth/login", verify=str(other.ca_cert),
                          json={"username": "ioc.operator", "password": "demo"}, timeout=5)
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(base_url.replace("https://", "http://") + "/api/v1/health", timeout=5)
    finally:
        stop_test_server(process)
