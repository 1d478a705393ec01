"""The ingest alone: real RTSP from the lab in, MPEG-TS out, failures named."""

from __future__ import annotations

import io
import logging
import threading
import time
from pathlib import Path
from typing import Any

import av
import pytest

from app.video import (
    ConnectionLimiter,
    IngestEvent,
    IngestOptions,
    OfflineReason,
    RtspIngest,
    TsByteBuffer,
    TsRemuxer,
)
from tests.app.video.conftest import closed_port, sub_url, with_credentials

pytestmark = pytest.mark.lab


class _Events:
    """Collects ingest events (they arrive on the ingest thread)."""

    def __init__(self) -> None:
        self.items: list[IngestEvent] = []
        self.ended = threading.Event()

    def __call__(self, event: IngestEvent) -> None:
        self.items.append(event)
        if event.kind == "ended":
            self.ended.set()


def _run_ingest(
    url: str, seconds: float, buffer: TsByteBuffer, packets: int | None = None
) -> tuple[RtspIngest, _Events]:
    """Run an ingest until it ends, ``seconds`` pass, or it has passed ``packets`` packets."""
    events = _Events()
    ingest = RtspIngest(url, "test cam", [TsRemuxer(buffer, "test cam")], events)
    ingest.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not events.ended.is_set():
        if packets is not None and ingest.stats.packets >= packets:
            break
        time.sleep(0.05)
    ingest.cancel()
    assert ingest.join(6.0), "the ingest thread did not end after cancel"
    return ingest, events


def test_ingest_produces_a_valid_ts_starting_at_a_keyframe(camera_lab: Any) -> None:
    buffer = TsByteBuffer(capacity=16 * 1024 * 1024)
    ingest, events = _run_ingest(sub_url(camera_lab, 0), 15.0, buffer, packets=100)

    assert [e.kind for e in events.items] == ["connected"], events.items
    info = events.items[0].info
    assert info is not None and (info.codec, info.width, info.height) == ("h264", 640, 360)
    assert ingest.stats.packets >= 100 and ingest.stats.keyframes >= 1

    data = buffer.read(len(buffer), timeout=0.1)
    assert len(data) > 10_000 and len(data) % 188 == 0
    assert data[0] == 0x47 and data[188] == 0x47  # TS sync bytes
    with av.open(io.BytesIO(data), format="mpegts") as ts:
        stream = ts.streams.video[0]
        assert stream.codec_context.name == "h264"
        packets = [p for p in ts.demux(stream) if p.size]
        assert packets[0].is_keyframe, "the TS must start at a keyframe"
        dts = [p.dts for p in packets]
        assert dts == sorted(dts) and len(set(dts)) == len(dts)
    with av.open(io.BytesIO(data), format="mpegts") as ts:
        frames = list(ts.decode(video=0))
    assert frames[0].key_frame
    assert (frames[0].width, frames[0].height) == (640, 360)
    assert len(frames) >= 50  # seconds of pictures, all decodable from the first keyframe on


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("wrong password", OfflineReason.AUTH_FAILED),
        ("closed port", OfflineReason.REFUSED),
        ("unknown path", OfflineReason.NOT_FOUND),
    ],
)
def test_ingest_names_the_failure(
    camera_lab: Any, caplog: pytest.LogCaptureFixture, case: str, reason: str
) -> None:
    camera = camera_lab.cameras[0]
    if case == "wrong password":
        url = sub_url(camera_lab, 0, password="not-the-password")
    elif case == "closed port":
        url = with_credentials(
            f"rtsp://127.0.0.1:{closed_port()}/cam01/sub",
            camera.rtsp_username, camera.rtsp_password,
        )
    else:
        url = sub_url(camera_lab, 0).rsplit("/", 1)[0] + "/no-such-stream"
    caplog.set_level(logging.DEBUG, logger="iocwall")
    buffer = TsByteBuffer()
    _, events = _run_ingest(url, 8.0, buffer)

    assert [e.kind for e in events.items] == ["ended"]
    assert events.items[0].reason == reason
    secret = "not-the-password" if case == "wrong password" else camera.rtsp_password
    assert secret not in caplog.text
    assert secret not in (events.items[0].detail or "")
    assert len(buffer) == 0


def test_limiter_queues_connection_attempts(camera_lab: Any) -> None:
    """With one slot, two ingests still both connect (one waits), and the slot is given back."""
    limiter = ConnectionLimiter(1)
    ingests = []
    for _ in range(2):
        events = _Events()
        connected = threading.Event()

        def on_event(event: IngestEvent, events: _Events = events, flag: threading.Event = connected
                     ) -> None:
            events(event)
            if event.kind == "connected":
                flag.set()

        ingest = RtspIngest(
            sub_url(camera_lab, 1), "cam", [TsRemuxer(TsByteBuffer(), "cam")], on_event,
            IngestOptions(), limiter,
        )
        ingest.start()
        ingests.append((ingest, connected))
    try:
        for _, connected in ingests:
            assert connected.wait(10.0)
        assert limiter.in_flight == 0
    finally:
        for ingest, _ in ingests:
            ingest.cancel()
        for ingest, _ in ingests:
            assert ingest.join(6.0)


def test_cancelled_ingest_waiting_for_a_slot_ends_quietly() -> None:
    limiter = ConnectionLimiter(1)
    stop = threading.Event()
    assert limiter.acquire(stop)  # the only slot is taken
    events = _Events()
    ingest = RtspIngest("rtsp://127.0.0.1:9/x", "cam", [], events, IngestOptions(), limiter)
    ingest.start()
    time.sleep(0.3)
    ingest.cancel()
    assert ingest.join(2.0)
    assert events.items == []
    limiter.release()
    assert limiter.in_flight == 0


def test_udp_transport_is_selectable(camera_lab: Any) -> None:
    buffer = TsByteBuffer(capacity=16 * 1024 * 1024)
    events = _Events()
    ingest = RtspIngest(
        sub_url(camera_lab, 1), "udp cam", [TsRemuxer(buffer, "udp cam")], events,
        IngestOptions(transport="udp"),
    )
    assert ingest.options.ffmpeg_options()["rtsp_transport"] == "udp"
    ingest.start()
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline and ingest.stats.packets < 50 and not events.ended.is_set():
        time.sleep(0.05)
    ingest.cancel()
    assert ingest.join(6.0)
    assert [e.kind for e in events.items][:1] == ["connected"], events.items
    assert ingest.stats.packets >= 50
    data = buffer.read(len(buffer), timeout=0.1)
    with av.open(io.BytesIO(data), format="mpegts") as ts:
        frames = list(ts.decode(video=0))
    assert frames and frames[0].key_frame


def test_rtsps_plays_only_against_the_site_ca(camera_lab: Any, tmp_path: Path) -> None:
    """The ingest checks an rtsps:// gateway against the pinned site CA: another CA's
    certificate (or none to check with) ends it as "untrusted certificate" before the token
    is sent; the right one plays."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from common import stream_tokens
    from common.stream_tokens import encode
    from gateway.process import GatewayProcess
    from server import tls
    from tests.gateway.helpers import camera_id, gateway_config, issue

    ours, other = tls.create_site(tmp_path / "ours", "IOC"), tls.create_site(tmp_path / "o", "x")
    cert, key_file = tls.gateway_cert(ours, "gw", ["127.0.0.1"], tmp_path / "gw")
    key = Ed25519PrivateKey.generate()
    config = gateway_config(camera_lab, key)
    config["tls"] = {"cert_file": str(cert), "key_file": str(key_file),
                     "ca_file": str(ours.ca_cert)}
    cam = camera_id(camera_lab.cameras[0])

    def url() -> str:
        return stream_tokens.session_url("127.0.0.1", gateway.rtsp_port, cam, "sub",
                                         encode(issue(key, cam), key.sign), secure=True)

    def run(ca: Path | None) -> tuple[RtspIngest, _Events]:
        events = _Events()
        ingest = RtspIngest(url(), "tls cam", [TsRemuxer(TsByteBuffer(), "tls cam")], events,
                            IngestOptions(ca_file=str(ca) if ca else None))
        ingest.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not events.ended.is_set() \
                and ingest.stats.packets < 20:
            time.sleep(0.05)
        ingest.cancel()
        assert ingest.join(6.0)
        return ingest, events

    with GatewayProcess(config) as gateway:
        for ca in (other.ca_cert, None):
            refused, events = run(ca)
            assert [e.kind for e in events.items] == ["ended"], events.items
            assert events.items[0].reason == OfflineReason.UNTRUSTED
            assert refused.stats.packets == 0
        assert not any(e.get("event") == "session_start" for e in gateway.events)
        played, events = run(ours.ca_cert)
        assert events.items[0].kind == "connected" and played.stats.packets >= 20
