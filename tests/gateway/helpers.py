"""What the gateway's tests share: tokens signed as the backend will sign them, session URLs,
the gateway's configuration for a lab, and viewers (ffprobe, a PyAV reader)."""

from __future__ import annotations

import json
import secrets
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common import stream_tokens
from common.stream_tokens import StreamToken, encode
from common.tls import ffmpeg_tls_options
from gateway.process import GatewayProcess
from lab import Lab, LabCamera

CONTROL_SECRET_BYTES = 24


def camera_id(cam: LabCamera) -> int:
    """The backend's id of a lab camera (ids start at 1)."""
    return cam.index + 1


def public_pem(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def gateway_config(lab: Lab, key: Ed25519PrivateKey, rtsp_port: int = 0) -> dict[str, Any]:
    cameras = [{"camera_id": camera_id(cam), "stream": stream, "url": url,
                "username": cam.rtsp_username, "password": cam.rtsp_password,
                "transport": "tcp", "name": cam.name}
               for cam in lab.cameras
               for stream, url in (("main", cam.main_url), ("sub", cam.sub_url))]
    return {"rtsp": {"address": "127.0.0.1", "port": rtsp_port},
            "control": {"address": "127.0.0.1", "port": 0,
                        "secret": secrets.token_urlsafe(CONTROL_SECRET_BYTES)},
            "token_keys": [public_pem(key)], "max_token_lifetime_s": 600, "cameras": cameras}


def issue(key: Ed25519PrivateKey, camera: int, stream: str = "sub", *, user_id: int = 7,
          username: str = "Nguyễn Văn An", lifetime: int = 60, issued_at: int | None = None,
          session_id: str | None = None) -> StreamToken:
    issued = int(time.time()) - 1 if issued_at is None else issued_at
    return StreamToken(session_id=session_id or "s-" + secrets.token_hex(8), user_id=user_id,
                       username=username, camera_id=camera, stream=stream, issued_at=issued,
                       expires_at=issued + lifetime)


def session_url(gateway: GatewayProcess, claims: StreamToken, key: Ed25519PrivateKey, *,
                camera: int | None = None, stream: str | None = None,
                token: str | None = None) -> str:
    """The session URL of ``claims`` (signed by ``key``, or ``token`` as given); the path may
    differ from the claims: a token used on another camera."""
    text = encode(claims, key.sign) if token is None else token
    return stream_tokens.session_url(
        "127.0.0.1", gateway.rtsp_port, claims.camera_id if camera is None else camera,
        stream or claims.stream, text)


def ffprobe(url: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_streams",
         "-select_streams", "v", "-of", "json", url],
        capture_output=True, text=True, timeout=timeout, check=False)


def probe_video(url: str) -> dict[str, Any]:
    result = ffprobe(url)
    assert result.returncode == 0, result.stderr
    (info,) = json.loads(result.stdout)["streams"]
    return dict(info)


def refused(url: str) -> bool:
    """ffprobe fails on it, with RTSP's own refusal (not a timeout)."""
    result = ffprobe(url)
    return result.returncode != 0 and ("401" in result.stderr or "404" in result.stderr
                                       or "Unauthorized" in result.stderr
                                       or "Not Found" in result.stderr)


@dataclass
class Reader:
    """PyAV reading one session URL on a thread, counting video packets until EOF or error."""

    url: str
    open_timeout: float = 10  # a camera with a long GOP and nothing kept: up to a GOP
    ca_file: Path | None = None  # an rtsps:// URL's certificate is checked against it
    packets: int = 0
    ended_at: float | None = None
    error: BaseException | None = None
    ended: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    first_packet: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Reader:
        options = {"rtsp_transport": "tcp", **ffmpeg_tls_options(self.url, self.ca_file)}
        self.container = av.open(self.url, options=options, timeout=(self.open_timeout, 10))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        # Demux and close on this thread only (closing while another thread demuxes crashes).
        try:
            for packet in self.container.demux(self.container.streams.video[0]):
                if packet.size == 0 or self.stopping.is_set():  # size 0: the server closed
                    break
                self.packets += 1
                self.first_packet.set()
        except av.error.FFmpegError as err:
            self.error = err
        finally:
            self.ended_at = time.monotonic()
            self.container.close()
            self.ended.set()

    def wait_playing(self, timeout: float = 15) -> None:
        assert self.first_packet.wait(timeout), f"no packet (error: {self.error})"

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(15)
        assert not self.thread.is_alive()


def wait_until(condition: Any, timeout: float, step: float = 0.05) -> bool:
    """Poll ``condition()`` until it holds (the lab's and gateway's states have no signal)."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
