"""A DESCRIBE with Basic credentials, by hand (FFmpeg would cut a long password)."""

from __future__ import annotations

import base64
import socket


def describe_with_basic(port: int, path: str, user: str, password: str) -> int:
    url = f"rtsp://127.0.0.1:{port}{path}"
    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = (f"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n"
               f"Authorization: Basic {basic}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        status_line = sock.makefile("rb").readline().decode("latin-1")
    return int(status_line.split()[1])
