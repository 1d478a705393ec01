"""The gateway's login to a camera's RTSP server, done by the gateway itself.

``rtspsrc`` never gets a camera's credentials: it connects to a loopback listener of this
module, which opens the camera connection and relays both ways, answering the camera's
``401`` challenges on that same connection. Why not let ``rtspsrc`` log in (GStreamer 1.22):

* its Digest answer is RFC 2069's, without ``qop``/``nc``/``cnonce``: a camera that asks
  for ``qop="auth"`` refuses it as if the password were wrong, and a challenge learnt on
  another connection does not help a camera that gives each connection its own nonce;
* it repeats refused credentials (measured: up to 8 DESCRIBEs per attempt): a camera that
  locks an account after a few bad logins is locked by one reconnect.

Here each request gets at most one signed retry per challenge (two when the camera says its
nonce was merely ``stale``); a refused one reaches ``rtspsrc`` as the camera's ``401``, which
it reports as ``NOT_AUTHORIZED`` (one bad login per attempt). Several ``WWW-Authenticate``
headers: Digest is chosen over Basic, ``qop=auth`` when offered (RFC 2617).

URLs are rewritten both ways so that every request of the session goes through here, never
to an address the camera advertises: requests name the camera's configured address,
responses (``Content-Base``, ``Content-Location``, ``RTP-Info``, the SDP's ``a=control``)
name the loopback listener. Interleaved RTP/RTCP (``$`` frames) passes untouched; with UDP
transport the camera sends RTP to this host, as it would to ``rtspsrc``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import socket
import threading
from base64 import b64encode
from dataclasses import dataclass, field
from urllib.parse import urlsplit

log = logging.getLogger("iocwall.gateway.login")

CONNECT_TIMEOUT_S = 5.0
READ_CHUNK = 262_144
MAX_HEAD = 65_536  # an RTSP message head longer than this is not a camera talking
_URL = re.compile(r"rtsp://[^/\s;,\"]*", re.IGNORECASE)
_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 2617 Digest


@dataclass
class Challenge:
    """A camera's ``WWW-Authenticate`` choice for one connection."""

    scheme: str  # "digest" or "basic"
    params: dict[str, str] = field(default_factory=dict)
    nc: int = 0

    @property
    def qop(self) -> bool:
        return "auth" in [q.strip().lower() for q in self.params.get("qop", "").split(",")]


def choose_challenge(values: list[str]) -> Challenge | None:
    """The strongest of a response's ``WWW-Authenticate`` values: Digest over Basic."""
    chosen: Challenge | None = None
    for value in values:
        scheme, _, rest = value.strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "digest":
            params = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                      for m in _PARAM.finditer(rest)}
            if (params.get("algorithm") or "MD5").upper() != "MD5":
                continue  # MD5-sess, SHA-256…: not offered by the cameras met so far
            return Challenge("digest", params)
        if scheme == "basic" and chosen is None:
            chosen = Challenge("basic")
    return chosen


def authorization(challenge: Challenge, username: str, password: str, method: str,
                  uri: str) -> str:
    """The ``Authorization`` value answering ``challenge`` for one request."""
    if challenge.scheme == "basic":
        return "Basic " + b64encode(f"{username}:{password}".encode()).decode()
    params = challenge.params
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    ha1 = _md5(f"{username}:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    value = (f'Digest username="{username}", realm="{realm}", nonce="{nonce}", '
             f'uri="{uri}"')
    if challenge.qop:
        challenge.nc += 1
        nc = f"{challenge.nc:08x}"
        cnonce = secrets.token_hex(8)
        response = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        value += f', response="{response}", qop=auth, nc={nc}, cnonce="{cnonce}"'
    else:
        value += f', response="{_md5(f"{ha1}:{nonce}:{ha2}")}"'
    if "opaque" in params:
        value += f', opaque="{params["opaque"]}"'
    if "algorithm" in params:
        value += f", algorithm={params['algorithm']}"
    return value


@dataclass
class Message:
    """One RTSP message: its first line, headers in order, body."""

    first: str
    headers: list[tuple[str, str]]
    body: bytes

    @classmethod
    def parse(cls, head: bytes, body: bytes) -> Message:
        lines = head.decode("latin-1").split("\r\n")
        headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers.append((name.strip(), value.strip()))
        return cls(lines[0], headers, body)

    @property
    def is_response(self) -> bool:
        return self.first.startswith("RTSP/")

    @property
    def status(self) -> int:
        parts = self.first.split(" ", 2)
        return int(parts[1]) if self.is_response and len(parts) > 1 and parts[1].isdigit() else 0

    def get(self, name: str) -> str | None:
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)

    def all(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def without(self, name: str) -> list[tuple[str, str]]:
        return [(n, v) for n, v in self.headers if n.lower() != name.lower()]

    def encode(self, extra: list[tuple[str, str]] | None = None) -> bytes:
        headers = [(n, v) for n, v in self.headers if n.lower() != "content-length"]
        headers += extra or []
        if self.body:
            headers.append(("Content-Length", str(len(self.body))))
        head = "\r\n".join([self.first] + [f"{n}: {v}" for n, v in headers]) + "\r\n\r\n"
        return head.encode("latin-1") + self.body


class _Stream:
    """Reads a socket as RTSP: whole messages, and runs of interleaved ``$`` frames."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()

    def _fill(self) -> bool:
        chunk = self.sock.recv(READ_CHUNK)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def next(self) -> bytes | Message | None:
        """Interleaved data (as bytes, every whole frame buffered), a message, or None at the
        end of the connection."""
        while True:
            buf = self.buf
            if buf[:1] == b"$":
                end = 0
                while len(buf) >= end + 4 and buf[end:end + 1] == b"$":
                    size = int.from_bytes(buf[end + 2:end + 4], "big")
                    if len(buf) < end + 4 + size:
                        break
                    end += 4 + size
                if end:
                    data = bytes(buf[:end])
                    del buf[:end]
                    return data
            elif buf:
                split = buf.find(b"\r\n\r\n")
                if split < 0 and len(buf) > MAX_HEAD:
                    raise ValueError("RTSP message head too long")
                if split >= 0:
                    head = bytes(buf[:split])
                    length = 0
                    for line in head.split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value.strip() or b"0")
                    if len(buf) >= split + 4 + length:
                        body = bytes(buf[split + 4:split + 4 + length])
                        del buf[:split + 4 + length]
                        return Message.parse(head, body)
            if not self._fill():
                return None


class CameraLogin:
    """A loopback RTSP listener standing for one camera stream (``local_url``), logging in
    to the camera for whoever connects. ``refused``: requests whose credentials the camera
    refused (each one a bad login on the camera)."""

    def __init__(self, url: str, username: str, password: str, label: str = "") -> None:
        parts = urlsplit(url)
        self._host = parts.hostname or ""
        self._port = parts.port or 554
        self.camera_base = f"rtsp://{parts.netloc.rpartition('@')[2]}"
        self._username = username
        self._password = password
        self._label = label or self.camera_base
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.local_base = f"rtsp://127.0.0.1:{self._listener.getsockname()[1]}"
        rest = url[len(parts.scheme) + 3 + len(parts.netloc):]
        self.local_url = self.local_base + rest
        self.refused = 0
        self.signed = 0
        self._closed = False
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        threading.Thread(target=self._accept, name=f"login {self._label}", daemon=True).start()

    def close(self) -> None:
        self._closed = True
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True,
                             name=f"login {self._label}").start()

    def _serve(self, client: socket.socket) -> None:
        try:
            camera = socket.create_connection((self._host, self._port), CONNECT_TIMEOUT_S)
        except OSError as exc:
            log.warning("%s: cannot reach the camera: %s", self._label, exc)
            client.close()
            return
        camera.settimeout(None)
        for sock in (client, camera):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._conns.update((client, camera))
        session = _Session(self, client, camera)
        up = threading.Thread(target=session.requests, daemon=True, name=f"login↑ {self._label}")
        up.start()
        try:
            session.responses()
        finally:
            session.close()
            up.join(timeout=5)
            with self._lock:
                self._conns.difference_update((client, camera))

    def to_camera(self, text: str) -> str:
        return text.replace(self.local_base, self.camera_base, 1) \
            if text.startswith(self.local_base) else text

    def to_local(self, text: str) -> str:
        return _URL.sub(self.local_base, text)


class _Session:
    """One ``rtspsrc`` connection and its camera connection."""

    def __init__(self, login: CameraLogin, client: socket.socket, camera: socket.socket) -> None:
        self.login = login
        self.client = client
        self.camera = camera
        self.send_camera = threading.Lock()
        self.challenge: Challenge | None = None
        self.pending: dict[str, tuple[Message, int]] = {}  # CSeq → request, signed tries
        self.lock = threading.Lock()

    def close(self) -> None:
        for sock in (self.client, self.camera):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _send_request(self, request: Message) -> None:
        """To the camera, signed when a challenge is known for this connection."""
        extra: list[tuple[str, str]] = []
        with self.lock:
            challenge = self.challenge
            cseq = request.get("CSeq") or ""
            tries = self.pending.get(cseq, (request, 0))[1]
            if challenge is not None:
                method, _, rest = request.first.partition(" ")
                uri = rest.rsplit(" ", 1)[0]
                extra.append(("Authorization", authorization(
                    challenge, self.login._username, self.login._password, method, uri)))
                tries += 1
                self.login.signed += 1
            self.pending[cseq] = (request, tries)
        data = request.encode(extra)
        with self.send_camera:
            self.camera.sendall(data)

    def requests(self) -> None:
        """``rtspsrc`` → camera."""
        stream = _Stream(self.client)
        try:
            while (item := stream.next()) is not None:
                if isinstance(item, bytes):
                    with self.send_camera:
                        self.camera.sendall(item)
                    continue
                if item.is_response:  # to a request of the camera's
                    with self.send_camera:
                        self.camera.sendall(item.encode())
                    continue
                method, _, rest = item.first.partition(" ")
                uri, _, version = rest.rpartition(" ")
                item.first = f"{method} {self.login.to_camera(uri)} {version}"
                item.headers = item.without("Authorization")
                self._send_request(item)
        except (OSError, ValueError):
            pass
        finally:
            try:
                self.camera.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def responses(self) -> None:
        """camera → ``rtspsrc``."""
        stream = _Stream(self.camera)
        try:
            while (item := stream.next()) is not None:
                if isinstance(item, bytes):
                    self.client.sendall(item)
                    continue
                if item.is_response and self._answered_here(item):
                    continue
                self.client.sendall(self._localised(item).encode())
        except (OSError, ValueError):
            pass

    def _answered_here(self, response: Message) -> bool:
        """A 401 this session answers by resending the request signed (True), or one that
        goes on to ``rtspsrc`` (False): no credentials, or the camera refused them."""
        cseq = response.get("CSeq") or ""
        with self.lock:
            request, tries = self.pending.pop(cseq, (None, 0))
        if response.status != 401 or request is None or not self.login._username:
            return False
        challenge = choose_challenge(response.all("WWW-Authenticate"))
        if challenge is None:
            return False
        stale = challenge.params.get("stale", "").lower() == "true"
        if tries >= 1 and not (stale and tries < 2):
            self.login.refused += 1
            log.warning("%s: the camera refused the credentials", self.login._label)
            return False
        with self.lock:
            self.challenge = challenge
            self.pending[cseq] = (request, tries)
        self._send_request(request)
        return True

    def _localised(self, message: Message) -> Message:
        if not message.is_response:
            return message
        headers = []
        for name, value in message.headers:
            if name.lower() in ("content-base", "content-location", "rtp-info"):
                value = self.login.to_local(value)
            headers.append((name, value))
        message.headers = headers
        if message.body and (message.get("Content-Type") or "").lower().startswith(
                "application/sdp"):
            message.body = self.login.to_local(message.body.decode("latin-1")).encode("latin-1")
        return message
