"""The gateway's login to a camera (gateway/camera_login.py), against a camera talking RTSP on
a socket: the challenge is answered on the connection that got it, a refused login is tried
once, URLs the camera advertises are never followed, interleaved data passes untouched."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import socket
import threading
from collections.abc import Iterator

import pytest

from gateway import camera_login
from gateway.camera_login import CameraLogin, Challenge, authorization, choose_challenge

USER, PASSWORD = "admin", "Cam3ra-Pass"
FOREIGN = "rtsp://10.0.0.5:554"  # what a camera behind NAT calls itself


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 2617 Digest


def test_rfc_2617_example_with_qop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(camera_login.secrets, "token_hex", lambda _n: "0a4f113b")
    challenge = choose_challenge([
        'Basic realm="testrealm@host.com"',
        'Digest realm="testrealm@host.com", qop="auth,auth-int", '
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    ])
    assert challenge is not None and challenge.scheme == "digest" and challenge.qop
    value = authorization(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html")
    assert 'response="6629fae49393a05397450978507c4ef1"' in value
    assert "nc=00000001" in value and 'cnonce="0a4f113b"' in value
    assert 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in value
    # the next request of the connection counts on
    assert "nc=00000002" in authorization(challenge, "Mufasa", "Circle Of Life", "GET", "/")


def test_digest_is_chosen_over_basic_in_any_order_and_basic_alone_is_used() -> None:
    chosen = choose_challenge(['Digest realm="r", nonce="n"', 'Basic realm="r"'])
    assert chosen is not None and chosen.scheme == "digest" and not chosen.qop
    basic = choose_challenge(['Basic realm="cam"'])
    assert basic is not None and basic.scheme == "basic"
    assert authorization(basic, "u", "p", "DESCRIBE", "rtsp://x/") == "Basic dTpw"
    assert choose_challenge(['Bearer realm="x"']) is None
    rfc2069 = authorization(Challenge("digest", {"realm": "r", "nonce": "n"}), "u", "p",
                            "DESCRIBE", "rtsp://h/s")
    ha1, ha2 = md5("u:r:p"), md5("DESCRIBE:rtsp://h/s")
    assert f'response="{md5(f"{ha1}:n:{ha2}")}"' in rfc2069 and "qop" not in rfc2069


class Camera:
    """One RTSP camera: Digest with qop=auth and a nonce per connection (as some firmwares),
    or Basic; it calls itself by a foreign address; after PLAY it echoes interleaved data."""

    def __init__(self, password: str = PASSWORD, scheme: str = "digest") -> None:
        self.password = password
        self.scheme = scheme
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.uris: list[str] = []
        self.bad = 0
        self.unsigned = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _authorized(self, header: str | None, method: str, uri: str, nonce: str) -> bool:
        if header is None:
            self.unsigned += 1
            return False
        if self.scheme == "basic":
            ok = header == "Basic " + base64.b64encode(
                f"{USER}:{self.password}".encode()).decode()
        else:
            f = dict(re.findall(r'(\w+)="?([^",]*)"?', header))
            ha1 = md5(f"{USER}:cam:{self.password}")
            expected = md5(f"{ha1}:{nonce}:{f.get('nc')}:{f.get('cnonce')}:auth:"
                           f"{md5(f'{method}:{uri}')}")
            ok = (f.get("nonce") == nonce and f.get("qop") == "auth"
                  and f.get("uri") == uri and f.get("response") == expected)
        self.bad += not ok
        return ok

    def _serve(self, conn: socket.socket) -> None:
        nonce = secrets.token_hex(8)  # this connection's own
        buf = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buf:
                    if buf.startswith(b"$") and len(buf) >= 4:
                        size = 4 + int.from_bytes(buf[2:4], "big")
                        if len(buf) >= size:
                            conn.sendall(buf[:size])  # echo
                            buf = buf[size:]
                            continue
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                head, _, buf = buf.partition(b"\r\n\r\n")
                lines = head.decode().split("\r\n")
                method, uri, _ = lines[0].split(" ")
                headers = dict(line.split(": ", 1) for line in lines[1:])
                self.uris.append(uri)
                cseq = headers["CSeq"]
                if not self._authorized(headers.get("Authorization"), method, uri, nonce):
                    challenge = ('Basic realm="cam"' if self.scheme == "basic" else
                                 f'Digest realm="cam", nonce="{nonce}", qop="auth"')
                    conn.sendall(f"RTSP/1.0 401 Unauthorized\r\nCSeq: {cseq}\r\n"
                                 f"WWW-Authenticate: Basic realm=\"cam\"\r\n"
                                 f"WWW-Authenticate: {challenge}\r\n\r\n".encode())
                    continue
                extra, body = "", ""
                if method == "DESCRIBE":
                    body = (f"v=0\r\ns=cam\r\nm=video 0 RTP/AVP 96\r\n"
                            f"a=control:{FOREIGN}/stream/trackID=1\r\n")
                    extra = (f"Content-Base: {FOREIGN}/stream/\r\nContent-Type: "
                             f"application/sdp\r\nContent-Length: {len(body)}\r\n")
                conn.sendall(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\n{extra}\r\n{body}".encode())

    def close(self) -> None:
        self.server.close()


def exchange(sock: socket.socket, request: str) -> tuple[str, dict[str, str], str]:
    sock.sendall(request.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    while len(body) < int(headers.get("Content-Length", "0")):
        body += sock.recv(65536)
    return lines[0], headers, body.decode()


@pytest.fixture()
def camera() -> Iterator[Camera]:
    cam = Camera()
    yield cam
    cam.close()


def login_for(camera: Camera, password: str = PASSWORD) -> CameraLogin:
    return CameraLogin(f"rtsp://127.0.0.1:{camera.port}/stream?channel=1", USER, password)


def test_a_per_connection_nonce_with_qop_is_answered_and_advertised_urls_are_not_followed(
        camera: Camera) -> None:
    login = login_for(camera)
    try:
        assert login.local_url.endswith("/stream?channel=1")
        with socket.create_connection(("127.0.0.1", int(login.local_base.rsplit(":", 1)[1])),
                                      timeout=5) as sock:
            status, headers, body = exchange(
                sock, f"DESCRIBE {login.local_url} RTSP/1.0\r\nCSeq: 2\r\n\r\n")
            assert status == "RTSP/1.0 200 OK"
            assert headers["Content-Base"] == f"{login.local_base}/stream/"
            assert f"a=control:{login.local_base}/stream/trackID=1" in body
            assert "10.0.0.5" not in body
            status, _headers, _body = exchange(
                sock, f"SETUP {login.local_base}/stream/trackID=1 RTSP/1.0\r\nCSeq: 3\r\n\r\n")
            assert status == "RTSP/1.0 200 OK"
            # interleaved data passes both ways, byte for byte, between messages
            frame = b"$\x00\x00\x05hello"
            sock.sendall(frame)
            echoed = b""
            while len(echoed) < len(frame):
                echoed += sock.recv(64)
            assert echoed == frame
            status, _headers, _body = exchange(
                sock, f"OPTIONS {login.local_url} RTSP/1.0\r\nCSeq: 4\r\n\r\n")
            assert status == "RTSP/1.0 200 OK"
        camera_base = f"rtsp://127.0.0.1:{camera.port}"
        # every request named the configured address, none the advertised one
        assert camera.uris and all(uri.startswith(camera_base) for uri in camera.uris)
        assert f"{camera_base}/stream/trackID=1" in camera.uris
        assert camera.bad == 0 and camera.unsigned == 1  # only the first, answered once
    finally:
        login.close()


@pytest.mark.parametrize("scheme", ["digest", "basic"])
def test_a_refused_password_is_one_bad_login_and_reaches_the_client_as_401(
        scheme: str) -> None:
    camera = Camera(password="the-real-one", scheme=scheme)
    login = login_for(camera, password="wrong")
    try:
        with socket.create_connection(("127.0.0.1", int(login.local_base.rsplit(":", 1)[1])),
                                      timeout=5) as sock:
            status, headers, _body = exchange(
                sock, f"DESCRIBE {login.local_url} RTSP/1.0\r\nCSeq: 2\r\n\r\n")
        assert status.startswith("RTSP/1.0 401")
        assert headers["CSeq"] == "2"
        assert camera.bad == 1 and login.refused == 1
    finally:
        login.close()
        camera.close()


def test_no_camera_listening_closes_the_client_connection() -> None:
    spare = socket.create_server(("127.0.0.1", 0))
    port = spare.getsockname()[1]
    spare.close()
    login = CameraLogin(f"rtsp://127.0.0.1:{port}/s", USER, PASSWORD)
    try:
        with socket.create_connection(("127.0.0.1", int(login.local_base.rsplit(":", 1)[1])),
                                      timeout=5) as sock:
            sock.sendall(b"OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n")
            try:
                answer = sock.recv(100)
            except ConnectionResetError:
                answer = b""  # closed with the request unread
            assert answer == b""
    finally:
        login.close()
