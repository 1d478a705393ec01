"""Small helpers of the lab: free ports and an RTSP DESCRIBE probe.

The lab imports nothing of the product (import-linter): it prints no credentialed URL, so it
needs no ``mask_url`` (the product's is ``common.urls.mask_url``).
"""

from __future__ import annotations

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


def _digest_header(challenge: str, method: str, uri: str, user: str, password: str) -> str:
    fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()  # noqa: S324 - RFC 2617
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()  # noqa: S324
    response = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()  # noqa: S324
    return (
        f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'response="{response}"'
    )


def rtsp_describe(url: str, user: str, password: str, timeout: float = 5.0) -> int:
    """DESCRIBE ``url`` (no credentials in it) with digest auth; return the final status code.

    A plain-socket client, because the lab must know its mounts answer before it reports ready
    and PyAV would also set up and play the stream.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 554
    with socket.create_connection((host, port), timeout=timeout) as sock:
        reader = sock.makefile("rb")
        cseq = 0

        def request(extra: str = "") -> tuple[int, dict[str, str]]:
            nonlocal cseq
            cseq += 1
            msg = f"DESCRIBE {url} RTSP/1.0\r\nCSeq: {cseq}\r\nAccept: application/sdp\r\n{extra}\r\n"
            sock.sendall(msg.encode())
            status_line = reader.readline().decode("latin-1")
            if not status_line.startswith("RTSP/1.0"):
                raise RtspProbeError(f"{url}: not an RTSP reply: {status_line[:40]!r}")
            status = int(status_line.split()[1])
            headers: dict[str, str] = {}
            while True:
                line = reader.readline().decode("latin-1").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if length:
                reader.read(length)
            return status, headers

        status, headers = request()
        challenge = headers.get("www-authenticate", "")
        if status == 401 and challenge.lower().startswith("digest"):
            auth = _digest_header(challenge, "DESCRIBE", url, user, password)
            status, _ = request(f"Authorization: {auth}\r\n")
        return status
