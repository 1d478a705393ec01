"""A cheap "is the camera back?" check for OFFLINE tiles: TCP connect + RTSP DESCRIBE.

A full reconnect costs a connection slot, an RTSP session on the camera and a libvlc media; after
a few failures the backoff waits up to 15 s between them. Yet a camera that comes back must be
live within 2 s. So between full attempts the service probes about every second with one
DESCRIBE (digest auth from the URL's credentials) on a plain socket, and starts the full attempt
at once when the camera answers 200. Runs on a small worker pool, never on the GUI thread.
"""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
from urllib.parse import unquote, urlsplit, urlunsplit


def _without_credentials(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), user, password


def _digest(challenge: str, method: str, uri: str, user: str, password: str) -> str:
    fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()  # noqa: S324 (RFC 2617)
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()  # noqa: S324
    response = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()  # noqa: S324
    return (
        f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'response="{response}"'
    )


def rtsp_answers(url: str, timeout: float = 1.0) -> bool:
    """True when the camera answers DESCRIBE on ``url`` (credentials in it) with 200.

    Any socket error, timeout, malformed reply or other status is False: the caller keeps
    waiting. Basic auth is not attempted (it would send the password in clear on each probe).
    """
    return rtsp_status(url, timeout) == 200


def _connect(scheme: str, host: str, port: int, timeout: float,
             ca_file: str | None) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=timeout)
    if scheme != "rtsps":
        return sock
    if ca_file is None:
        sock.close()
        raise ssl.SSLError("an rtsps:// peer but no site CA to check it against")
    context = ssl.create_default_context(cafile=ca_file)
    try:
        return context.wrap_socket(sock, server_hostname=host)
    except (ssl.SSLError, OSError):
        sock.close()
        raise


def rtsp_status(url: str, timeout: float = 1.0, ca_file: str | None = None) -> int:
    """The status of a DESCRIBE on ``url`` (after a digest round when asked and possible); 0
    for no RTSP answer at all, and for an ``rtsps://`` peer whose certificate is not from
    ``ca_file`` (nothing is sent to it)."""
    plain, user, password = _without_credentials(url)
    parts = urlsplit(plain)
    host, port = parts.hostname or "127.0.0.1", parts.port or (322 if parts.scheme == "rtsps"
                                                                 else 554)
    try:
        with _connect(parts.scheme, host, port, timeout, ca_file) as sock:
            sock.settimeout(timeout)
            reader = sock.makefile("rb")
            cseq = 0

            def describe(extra: str = "") -> tuple[int, dict[str, str]]:
                nonlocal cseq
                cseq += 1
                sock.sendall(
                    f"DESCRIBE {plain} RTSP/1.0\r\nCSeq: {cseq}\r\nAccept: application/sdp\r\n"
                    f"User-Agent: iocwall-probe\r\n{extra}\r\n".encode()
                )
                status_line = reader.readline(200).decode("latin-1")
                if not status_line.startswith("RTSP/1.0 "):
                    return 0, {}
                status = int(status_line.split()[1])
                headers: dict[str, str] = {}
                for _ in range(64):
                    line = reader.readline(4096).decode("latin-1").strip()
                    if not line:
                        break
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = min(int(headers.get("content-length", "0") or 0), 65536)
                if length:
                    reader.read(length)
                return status, headers

            status, headers = describe()
            challenge = headers.get("www-authenticate", "")
            if status == 401 and user and challenge.lower().startswith("digest"):
                status, _ = describe(
                    f"Authorization: {_digest(challenge, 'DESCRIBE', plain, user, password)}\r\n"
                )
            return status
    except (OSError, ValueError):
        return 0
