"""A test-only camera: GStreamer's RTSP server with launch lines, for traits the lab lacks.

Runs under Debian's ``/usr/bin/python3`` (it has ``gi``); stdlib and ``gi`` only. Protocol with
the parent, one JSON object per line: the first stdin line is
``{"mounts": [{"path": "/x", "launch": "( ... )", "protocols": "tcp+udp" | "udp",
"auth": null | {"user": "u", "password": "p"}}]}``; stdout answers ``{"ready": true, "port": N}``,
then one reply per ``{"cmd": "stats"}`` (per path: ``describes``, ``authorized``,
``unauthorized``, ``bad_credentials``, ``basic``, ``requests``, ``media``). EOF on stdin ends it.

Authentication imitates Hikvision-style cameras, which GStreamer's server cannot: a front on
the public port answers every request of a mount with ``auth`` that lacks good credentials
with 401 and two ``WWW-Authenticate`` headers, Digest with ``qop="auth"`` first and Basic
second, and accepts only a Digest response computed with that qop (RFC 2617: ``nc``,
``cnonce``); ``"qop": false`` in ``auth`` offers and accepts Digest without qop (RFC 2069).
Each connection has its own nonce. ``basic`` counts requests that tried Basic. Accepted requests lose their ``Authorization`` and go on to the GStreamer server
on a private port; everything else (responses, interleaved data) is forwarded as it is.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import socket
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

REALM = "IP Camera(test)"
PROTOCOLS = {"tcp+udp": GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP,
             "udp": GstRtsp.RTSPLowerTrans.UDP}
lock = threading.Lock()
counts: dict[str, dict[str, int]] = {}


def count(path: str, key: str) -> None:
    with lock:
        row = counts.setdefault(path, {"requests": 0, "describes": 0, "authorized": 0, "unauthorized": 0,
                                       "bad_credentials": 0, "basic": 0,
                                       "media": 0})
        row[key] += 1


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 2617


def digest_ok(header: str, method: str, user: str, password: str, nonce: str,
              qop: bool) -> bool:
    if not header.lower().startswith("digest "):
        return False
    fields = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))',
                                                   header[7:])}
    if fields.get("username") != user or fields.get("nonce") != nonce:
        return False
    ha1 = md5(f"{user}:{REALM}:{password}")
    ha2 = md5(f"{method}:{fields.get('uri', '')}")
    if not qop:  # RFC 2069, as GStreamer's own server
        return fields.get("response") == md5(f"{ha1}:{nonce}:{ha2}")
    if fields.get("qop") != "auth" or not fields.get("nc") or not fields.get("cnonce"):
        return False  # the camera insists on qop=auth, as its challenge says
    expected = md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
    return fields.get("response") == expected


class Front:
    """The public port: checks each request's credentials, forwards the rest."""

    def __init__(self, backend_port: int, mounts: list[dict]) -> None:
        self.backend_port = backend_port
        self.mounts = mounts
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            client, _ = self.sock.accept()
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def mount_of(self, uri: str) -> dict | None:
        path = re.sub(r"^rtsp://[^/]*", "", uri).split("?")[0]
        for mount in self.mounts:
            if path == mount["path"] or path.startswith(mount["path"] + "/"):
                return mount
        return None

    def serve(self, client: socket.socket) -> None:
        backend = socket.create_connection(("127.0.0.1", self.backend_port))
        write = threading.Lock()

        def pump() -> None:
            try:
                while data := backend.recv(65536):
                    with write:
                        client.sendall(data)
            except OSError:
                pass
            finally:
                client.close()

        threading.Thread(target=pump, daemon=True).start()
        nonce = secrets.token_hex(16)
        buf = b""
        try:
            while True:
                while not buf or (buf[:1] != b"$" and b"\r\n\r\n" not in buf) or (
                        buf[:1] == b"$" and (len(buf) < 4
                                             or len(buf) < 4 + int.from_bytes(buf[2:4], "big"))):
                    data = client.recv(65536)
                    if not data:
                        return
                    buf += data
                if buf[:1] == b"$":
                    size = 4 + int.from_bytes(buf[2:4], "big")
                    backend.sendall(buf[:size])
                    buf = buf[size:]
                    continue
                head, _, rest = buf.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = [line.split(":", 1) for line in lines[1:] if ":" in line]
                length = int(next((v for k, v in headers if k.lower() == "content-length"), 0))
                while len(rest) < length:
                    rest += client.recv(65536)
                body, buf = rest[:length], rest[length:]
                method, uri = lines[0].split()[:2]
                mount = self.mount_of(uri)
                auth = (mount or {}).get("auth")
                path = mount["path"] if mount else re.sub(r"^rtsp://[^/]*", "", uri).split("?")[0]
                count(path, "requests")
                if method == "DESCRIBE":
                    count(path, "describes")
                if auth:
                    given = next((v.strip() for k, v in headers
                                  if k.lower() == "authorization"), "")
                    qop = auth.get("qop", True)
                    if given.lower().startswith("basic"):
                        count(path, "basic")
                    if not digest_ok(given, method, auth["user"], auth["password"], nonce, qop):
                        count(path, "unauthorized")
                        if given:
                            count(path, "bad_credentials")
                        qop_param = ', qop="auth"' if qop else ""
                        cseq = next((v.strip() for k, v in headers if k.lower() == "cseq"), "0")
                        reply = (f"RTSP/1.0 401 Unauthorized\r\nCSeq: {cseq}\r\n"
                                 f'WWW-Authenticate: Digest realm="{REALM}", '
                                 f'nonce="{nonce}"{qop_param}, stale="FALSE"\r\n'
                                 f'WWW-Authenticate: Basic realm="{REALM}"\r\n\r\n')
                        with write:
                            client.sendall(reply.encode())
                        continue
                    if method == "DESCRIBE":
                        count(path, "authorized")
                kept = [line for line in lines[1:] if not line.lower().startswith(
                    "authorization:")]
                backend.sendall(("\r\n".join([lines[0], *kept]) + "\r\n\r\n").encode("latin-1")
                                + body)
        except OSError:
            pass
        finally:
            backend.close()


def main() -> None:
    Gst.init(None)
    config = json.loads(sys.stdin.readline())
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")
    points = server.get_mount_points()
    for mount in config["mounts"]:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(mount["launch"])
        factory.set_shared(True)
        factory.set_protocols(PROTOCOLS[mount.get("protocols", "tcp+udp")])
        factory.connect("media-configure",
                        lambda _f, _m, path=mount["path"]: count(path, "media"))
        points.add_factory(mount["path"], factory)
    server.attach(None)
    front = Front(server.get_bound_port(), config["mounts"])
    loop = GLib.MainLoop()

    def commands() -> None:
        for line in sys.stdin:
            if json.loads(line).get("cmd") == "stats":
                with lock:
                    reply = json.dumps({"ok": True, "counts": counts})
                sys.stdout.write(reply + "\n")
                sys.stdout.flush()
        GLib.idle_add(loop.quit)

    threading.Thread(target=commands, daemon=True).start()
    sys.stdout.write(json.dumps({"ready": True, "port": front.port}) + "\n")
    sys.stdout.flush()
    loop.run()


if __name__ == "__main__":
    main()
