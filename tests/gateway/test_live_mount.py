"""The live mount (``/cam/<id>/<stream>/live``): the recorder's way into a kept stream.

It shares the viewers' one upstream session, gets no kept GOP (the first packet is the ingest's
next key frame) and its timestamps are the frames' arrival: DTS always growing, at the camera's
pace. The same token as the stream's mount opens it; nothing else does.
"""

from __future__ import annotations

import av
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.viewer import FRAME_INTERVAL_S
from common import stream_tokens
from common.stream_tokens import encode
from gateway.process import GatewayProcess
from lab import Lab
from tests.gateway.helpers import (
    Reader,
    camera_id,
    issue,
    refused,
    session_url,
    wait_until,
)

pytestmark = pytest.mark.lab

CAMERA = 1  # a clip camera: the lab gives each of its sessions its own pipeline
PACKETS = 50


def live_url(gateway: GatewayProcess, key: Ed25519PrivateKey, camera: int, stream: str = "sub",
             **claims: object) -> str:
    token = encode(issue(key, camera, stream, **claims), key.sign)  # type: ignore[arg-type]
    return stream_tokens.session_url("127.0.0.1", gateway.rtsp_port, camera, stream, token,
                                     live=True)


def read_packets(url: str, count: int) -> list[tuple[int | None, bool, float | None]]:
    """``(dts, key frame, dts in seconds)`` of the first ``count`` video packets."""
    packets: list[tuple[int | None, bool, float | None]] = []
    with av.open(url, options={"rtsp_transport": "tcp"}, timeout=(15, 10)) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        for packet in container.demux(video):
            if packet.size == 0:
                break
            seconds = (float(packet.dts * packet.time_base)
                       if packet.dts is not None and packet.time_base is not None else None)
            packets.append((packet.dts, packet.is_keyframe, seconds))
            if len(packets) == count:
                break
    return packets


def timed(packets: list[tuple[int | None, bool, float | None]]) -> list[tuple[int, float]]:
    """The packets' ``(dts, seconds)``; FFmpeg's RTSP demuxer gives the very first packet of a
    session no timestamp (through the gateway or not): it is left out, none after it may be."""
    start = 1 if packets and packets[0][0] is None else 0
    rest = packets[start:]
    assert all(dts is not None and seconds is not None for dts, _key, seconds in rest), rest
    return [(dts, seconds) for dts, _key, seconds in rest]  # type: ignore[misc]


def test_a_viewer_and_a_live_reader_share_one_camera_session(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    cam = lab.cameras[CAMERA]
    ident = camera_id(cam)
    mount = f"/{cam.slug}/sub"
    viewer = Reader(session_url(gateway, issue(signing_key, ident), signing_key)).start()
    try:
        viewer.wait_playing()
        # the viewer's stream has a kept GOP now: a live reader must not get it
        (row,) = [s for s in gateway.stats()["streams"] if s["path"] == f"/cam/{ident}/sub"]
        assert row["kept_frames"] >= 1
        recorder = Reader(live_url(gateway, signing_key, ident, user_id=0,
                                   username="recorder")).start()
        try:
            recorder.wait_playing()
            assert lab.rtsp_stats()[mount]["pipelines"] == 1
            (row,) = [s for s in gateway.stats()["streams"]
                      if s["path"] == f"/cam/{ident}/sub"]
            assert row["viewers"] == 2 and row["live_readers"] == 1
            assert row["upstream_connected"]
            packets = read_packets(live_url(gateway, signing_key, ident), PACKETS)
            assert lab.rtsp_stats()[mount]["pipelines"] == 1
        finally:
            recorder.close()
    finally:
        viewer.close()
    assert wait_until(lambda: mount not in lab.rtsp_stats(), 15), lab.rtsp_stats()
    # the first packet is a key frame (no half GOP to throw away), DTS always grows, and the
    # frames come at the camera's pace: a kept GOP's burst would put its frames 1 ms apart
    assert packets[0][1], "the live mount did not start at a key frame"
    stamped = timed(packets)
    dts = [d for d, _seconds in stamped]
    assert all(b > a for a, b in zip(dts, dts[1:], strict=False)), dts
    span = stamped[-1][1] - stamped[0][1]
    print(f"\nlive mount: {len(stamped)} packets over {span:.2f} s of DTS")
    assert span >= 0.7 * (len(stamped) - 1) * FRAME_INTERVAL_S


def test_a_live_reader_alone_starts_and_releases_the_upstream(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    cam = lab.cameras[2]
    mount = f"/{cam.slug}/main"
    packets = read_packets(live_url(gateway, signing_key, camera_id(cam), "main"), 10)
    assert packets[0][1] and len(packets) == 10
    assert wait_until(lambda: mount not in lab.rtsp_stats(), 15), lab.rtsp_stats()


def test_the_live_mount_asks_the_same_token_as_the_stream(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    ident = camera_id(lab.cameras[CAMERA])
    other = camera_id(lab.cameras[2])
    port = gateway.rtsp_port
    # no token; a token of another camera; of the other stream; signed by another key
    assert refused(f"rtsp://127.0.0.1:{port}/cam/{ident}/sub/live")
    token = encode(issue(signing_key, other), signing_key.sign)
    assert refused(stream_tokens.session_url("127.0.0.1", port, ident, "sub", token, live=True))
    token = encode(issue(signing_key, ident, "main"), signing_key.sign)
    assert refused(stream_tokens.session_url("127.0.0.1", port, ident, "sub", token, live=True))
    stranger = Ed25519PrivateKey.generate()
    token = encode(issue(stranger, ident), stranger.sign)
    assert refused(stream_tokens.session_url("127.0.0.1", port, ident, "sub", token, live=True))
    refusals = [e for e in gateway.events if e.get("event") == "session_refused"
                and e.get("camera_id") == ident]
    assert {"wrong_stream", "bad_signature"} <= {e["reason"] for e in refusals}
