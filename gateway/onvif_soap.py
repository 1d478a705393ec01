"""SOAP 1.2 to one ONVIF camera, on the host the administrator entered and no other.

What the onboarding probe (:mod:`gateway.probe`) needs of the wire, with the standard library
only (the gateway runs on Debian's Python, without the venv's zeep): WS-Security UsernameToken
(PasswordDigest, ``Created`` on the camera's clock), HTTP Digest (RFC 7616) when the camera
answers 401 with a Digest challenge, replies read by local name with a fallback for firmwares
that use namespace prefixes they never declare, and every failure mapped to the probe's shared
words (:class:`common.vocabulary.ProbeFailure`) with the step that met it.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import secrets
import socket
import ssl
import time
import xml.etree.ElementTree as ET  # noqa: N817 - the usual name
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from common.vocabulary import ProbeFailure

if TYPE_CHECKING:
    from gateway.probe import ProbeResult

SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PASSWORD_DIGEST = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-"
                   "profile-1.0#PasswordDigest")
NONCE_BASE64 = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-"
                "security-1.0#Base64Binary")
DEVICE_PATH = "/onvif/device_service"  # ONVIF Core: the device service's fixed address
CALL_TIMEOUT_S = 5.0
MAX_REPLY = 4 * 1024 * 1024


class ProbeError(Exception):
    """A probe step failed: ``failure`` (the shared word), ``step`` (the ONVIF call or stage)
    and a detail for people (never a credential); ``partial``: what was learnt before (a
    stream that does not play still shows the profiles found)."""

    def __init__(self, failure: ProbeFailure, step: str, detail: str,
                 partial: ProbeResult | None = None) -> None:
        super().__init__(f"{step}: {detail}")
        self.failure = failure
        self.step = step
        self.detail = detail
        self.partial = partial

    def to_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"ok": False, "failure": str(self.failure), "step": self.step,
                                  "detail": self.detail}
        if self.partial is not None:
            answer["partial"] = self.partial.to_json()
        return answer


class Refused(Exception):
    """The camera refused a call: HTTP 401, or a fault (its subcodes' local names)."""

    def __init__(self, status: int, subcodes: tuple[str, ...], reason: str,
                 date: datetime | None) -> None:
        super().__init__(reason)
        self.status = status
        self.subcodes = subcodes
        self.reason = reason
        self.date = date  # the camera's HTTP Date header, when it sent one

    @property
    def login(self) -> bool:
        return self.status == 401 or "NotAuthorized" in self.subcodes

    @property
    def unsupported(self) -> bool:
        return bool({"ActionNotSupported", "NoSuchService"} & set(self.subcodes)) \
            or self.status in (404, 405, 501)


# -- XML, read by local name ----------------------------------------------------------------------
def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def children(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if el is None else [c for c in el if local_name(c.tag) == name]


def child(el: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        found = children(el, name)
        el = found[0] if found else None
    return el


def text(el: ET.Element | None, *path: str) -> str | None:
    found = child(el, *path)
    return None if found is None or found.text is None else found.text.strip()


_PREFIX = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*=")


def parse_xml(data: bytes) -> ET.Element:
    """``data`` parsed; a reply using namespace prefixes it never declares (cheap firmwares)
    gets them declared with placeholder namespaces on a second try: the probe reads elements
    by local name, so what they stand for does not matter. A DTD is refused (entity bombs)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("a DTD in a SOAP reply")
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        if "unbound prefix" not in str(err):
            raise ValueError(f"not XML: {err}") from err
    source = data.decode("utf-8", "replace")
    declared = set(re.findall(r"xmlns:([\w.-]+)\s*=", source))
    used = {a or b for a, b in _PREFIX.findall(source)}
    missing = sorted(used - declared - {"xml", "xmlns"})
    declarations = "".join(f' xmlns:{p}="urn:iocwall:undeclared:{p}"' for p in missing)
    patched = re.sub(r"(<(?![?!])[^\s>/]+)", lambda m: m.group(1) + declarations, source,
                     count=1)
    try:
        return ET.fromstring(patched.encode("utf-8"))
    except ET.ParseError as err:
        raise ValueError(f"not XML: {err}") from err


# -- HTTP Digest (RFC 7616) -----------------------------------------------------------------------
def _challenge_fields(header: str) -> dict[str, str]:
    return {k.lower(): quoted or bare for k, quoted, bare in
            re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]*))', header)}


def digest_header(challenge: dict[str, str], method: str, uri: str, username: str,
                  password: str, nc: int) -> str:
    algorithm = challenge.get("algorithm", "MD5").upper()
    hash_name = {"MD5": "md5", "SHA-256": "sha256"}.get(algorithm.removesuffix("-SESS"), "md5")

    def h(value: str) -> str:
        return hashlib.new(hash_name, value.encode()).hexdigest()

    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    cnonce = secrets.token_hex(8)
    ha1 = h(f"{username}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    qops = [q.strip() for q in challenge.get("qop", "").split(",")]
    header = f'Digest username="{username}", realm="{realm}", nonce="{nonce}", uri="{uri}"'
    if "auth" in qops:
        count = f"{nc:08x}"
        response = h(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        header += f', qop=auth, nc={count}, cnonce="{cnonce}"'
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
    header += f', response="{response}", algorithm={challenge.get("algorithm", "MD5")}'
    if "opaque" in challenge:
        header += f', opaque="{challenge["opaque"]}"'
    return header


# -- the SOAP client ------------------------------------------------------------------------------
class OnvifSoap:
    """SOAP 1.2 to one camera, on the host the administrator entered only.

    Requests that need a login carry a WS-Security UsernameToken (PasswordDigest, ``Created``
    on the camera's clock: ``offset_s``); a 401 with a Digest challenge is answered once per
    request with HTTP Digest, and the challenge is kept for the next requests."""

    def __init__(self, host: str, username: str, password: str, deadline: float) -> None:
        self.host = host
        self.username = username
        self.password = password
        self.deadline = deadline
        self.offset_s = 0.0
        self.connected = False  # some connection to the camera succeeded
        self._digest: dict[str, str] | None = None
        self._nc = 0

    def address(self, advertised: str, fallback_port: int, note: list[str]) -> tuple[str, int,
                                                                                      str]:
        """(scheme, port, path) of an advertised service address, its host replaced by ours."""
        parts = urlsplit(advertised)
        if parts.hostname and parts.hostname != self.host:
            note.append(parts.hostname)
        scheme = parts.scheme if parts.scheme in ("http", "https") else "http"
        port = parts.port or (443 if scheme == "https" else 80 if parts.hostname
                              else fallback_port)
        return scheme, port, parts.path or DEVICE_PATH

    def _security(self) -> str:
        nonce = os.urandom(16)
        created = (datetime.now(UTC) + timedelta(seconds=self.offset_s)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z")
        digest = base64.b64encode(hashlib.sha1(nonce + created.encode()
                                               + self.password.encode()).digest()).decode()
        return (f'<s:Header><wsse:Security s:mustUnderstand="true" xmlns:wsse="{WSSE}" '
                f'xmlns:wsu="{WSU}"><wsse:UsernameToken>'
                f"<wsse:Username>{escape(self.username)}</wsse:Username>"
                f'<wsse:Password Type="{PASSWORD_DIGEST}">{digest}</wsse:Password>'
                f'<wsse:Nonce EncodingType="{NONCE_BASE64}">{base64.b64encode(nonce).decode()}'
                f"</wsse:Nonce><wsu:Created>{created}</wsu:Created></wsse:UsernameToken>"
                "</wsse:Security></s:Header>")

    def call(self, step: str, endpoint: tuple[str, int, str], ns: str, op: str,
             inner: str = "", login: bool = True) -> ET.Element:
        """The reply's ``<op>Response`` element. Raises :class:`Refused` (401 or a fault),
        :class:`ProbeError` (unreachable, not ONVIF, deadline)."""
        scheme, port, path = endpoint
        body = (f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{SOAP_ENV}">'
                f"{self._security() if login else ''}<s:Body>"
                f'<{op} xmlns="{ns}">{inner}</{op}></s:Body></s:Envelope>').encode()
        headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{ns}/{op}"'}
        for attempt in range(2):
            if login and self._digest is not None:
                self._nc += 1
                headers["Authorization"] = digest_header(self._digest, "POST", path,
                                                         self.username, self.password, self._nc)
            status, reply_headers, data = self._post(step, scheme, port, path, body, headers)
            date = _http_date(reply_headers.get("Date"))
            challenge = next((h for h in reply_headers.get_all("WWW-Authenticate") or []
                              if h.lower().startswith("digest")), None)
            if status == 401 and login and challenge is not None and attempt == 0:
                fields = _challenge_fields(challenge[7:])
                stale = fields.get("stale", "").lower() == "true"
                if self._digest is None or stale or "Authorization" not in headers:
                    self._digest, self._nc = fields, 0
                    continue
            break
        root = self._envelope(step, status, data)
        body_el = child(root, "Body")
        fault = child(body_el, "Fault")
        if status == 401 or fault is not None:
            raise Refused(status, _subcodes(fault), text(fault, "Reason", "Text")
                          or f"HTTP {status}", date)
        if status != 200:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"HTTP {status} without a SOAP fault")
        answer = child(body_el, f"{op}Response")
        if answer is None:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"no {op}Response in the reply")
        return answer

    def _post(self, step: str, scheme: str, port: int, path: str, body: bytes,
              headers: dict[str, str]) -> tuple[int, http.client.HTTPMessage, bytes]:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ProbeError(ProbeFailure.TIMEOUT, step, "the probe's deadline passed")
        timeout = min(CALL_TIMEOUT_S, remaining)
        if scheme == "https":
            # cameras carry self-signed certificates; the password never crosses in clear
            # text either way (WS-Security digest, HTTP Digest)
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                self.host, port, timeout=timeout, context=context)
        else:
            conn = http.client.HTTPConnection(self.host, port, timeout=timeout)
        try:
            conn.request("POST", path, body, headers)
            self.connected = True
            response = conn.getresponse()
            data = response.read(MAX_REPLY + 1)
            return response.status, response.msg, data
        except TimeoutError as err:
            if time.monotonic() >= self.deadline - 0.05:
                raise ProbeError(ProbeFailure.TIMEOUT, step,
                                 "the probe's deadline passed while the camera was silent") \
                    from err
            # a device that takes the request and never answers is as good as unreachable
            raise ProbeError(ProbeFailure.UNREACHABLE, step,
                             f"no answer from port {port} within {timeout:.0f} s") from err
        except (ConnectionError, socket.gaierror, OSError) as err:
            if not self.connected:
                raise ProbeError(ProbeFailure.UNREACHABLE, step,
                                 f"cannot connect to port {port}: {err.strerror or err}") from err
            raise ProbeError(ProbeFailure.NOT_ONVIF, step,
                             f"port {port} closed the connection: {err}") from err
        except http.client.HTTPException as err:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"not HTTP: {err}") from err
        finally:
            conn.close()

    def _envelope(self, step: str, status: int, data: bytes) -> ET.Element | None:
        if len(data) > MAX_REPLY:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, "reply too large")
        if status == 401 and not data.strip():
            return None
        try:
            root = parse_xml(data)
        except ValueError as err:
            if status == 401:
                return None
            raise ProbeError(ProbeFailure.NOT_ONVIF, step,
                             f"HTTP {status}, not a SOAP reply ({err})") from err
        if local_name(root.tag) != "Envelope" or child(root, "Body") is None:
            if status == 401:
                return None
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"HTTP {status}, not a SOAP envelope")
        return root


def _subcodes(fault: ET.Element | None) -> tuple[str, ...]:
    names: list[str] = []
    code = child(fault, "Code")
    while code is not None:
        value = text(code, "Value")
        if value:
            names.append(value.rsplit(":", 1)[-1])
        code = child(code, "Subcode")
    return tuple(names)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


