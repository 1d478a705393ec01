"""Small helpers of the lab: free ports and an RTSP DESCRIBE probe.

The lab imports nothing of the product (import-linter): it prints no credentialed URL, so it
needs no ``mask_url`` (the product's is ``common.urls.mask_url``).
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
from urllib.parse import urlsplit


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class RtspProbeError(RuntimeError):
    """A DESCRIBE did not get 200 (the message says which status, never the credentials)."""


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 2617


def digest_authorization(challenge: str, method: str, uri: str, user: str, password: str,
                         cnonce: str = "0a4f113b") -> str:
    """The ``Authorization`` value answering a Digest ``challenge``; with qop="auth" when the
    challenge offers it (RFC 2617 §3.2.2), without it (RFC 2069) otherwise."""
    fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    ha1 = _md5(f"{user}:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    common = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}"'
    if "auth" in [q.strip() for q in fields.get("qop", "").split(",")]:
        nc = "00000001"
        response = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        return f'{common}, response="{response}", qop=auth, nc={nc}, cnonce="{cnonce}"'
    return f'{common}, response="{_md5(f"{ha1}:{nonce}:{ha2}")}"'


def rtsp_describe(url: str, user: str, password: str, timeout: float = 5.0) -> int:
    """DESCRIBE ``url`` (no credentials in it) answering its Digest challenge (Basic if it offers
    no Digest); return the final status code.

    A plain-socket client, because the lab must know its mounts answer before it reports ready
    and PyAV would also set up and play the stream.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 554
    with socket.create_connection((host, port), timeout=timeout) as sock:
        reader = sock.makefile("rb")
        cseq = 0

        def request(extra: str = "") -> tuple[int, dict[str, list[str]]]:
            nonlocal cseq
            cseq += 1
            msg = f"DESCRIBE {url} RTSP/1.0\r\nCSeq: {cseq}\r\nAccept: application/sdp\r\n{extra}\r\n"
            sock.sendall(msg.encode())
            status_line = reader.readline().decode("latin-1")
            if not status_line.startswith("RTSP/1.0"):
                raise RtspProbeError(f"{url}: not an RTSP reply: {status_line[:40]!r}")
            status = int(status_line.split()[1])
            headers: dict[str, list[str]] = {}  # a camera may send a header twice
            while True:
                line = reader.readline().decode("latin-1").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers.setdefault(name.strip().lower(), []).append(value.strip())
            length = int(headers.get("content-length", ["0"])[0])
            if length:
                reader.read(length)
            return status, headers

        status, headers = request()
        challenges = headers.get("www-authenticate", [])
        digest = [c for c in challenges if c.lower().startswith("digest")]
        if status == 401 and digest:
            auth = digest_authorization(digest[0], "DESCRIBE", url, user, password)
            status, _ = request(f"Authorization: {auth}\r\n")
        elif status == 401 and any(c.lower().startswith("basic") for c in challenges):
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            status, _ = request(f"Authorization: Basic {token}\r\n")
        return status
