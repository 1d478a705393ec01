"""Client video: RTSP ingest (PyAV) → MPEG-TS → libvlc, per tile, with health and reconnects.

The wall only uses :class:`VideoService`, :class:`TileStatus` and :class:`StreamState`; the other
names are exported for tests and benchmarks. The status types load eagerly; everything that pulls
in libvlc or FFmpeg loads on first use, so that widgets can show a :class:`TileStatus` without
importing ``vlc`` or ``av``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from app.video.status import OfflineReason, StreamState, TileStatus
from app.video.streams import StreamChoicePolicy, StreamChooser, StreamKind

if TYPE_CHECKING:
    from app.video.health import HealthPolicy
    from app.video.ingest import IngestEvent, IngestOptions, PacketSink, RtspIngest, StreamInfo
    from app.video.policy import Backoff, ConnectionLimiter
    from app.video.remux import TsRemuxer
    from app.video.service import VideoService
    from app.video.tsbuffer import TsByteBuffer

_LAZY = {
    "IngestEvent": "app.video.ingest",
    "IngestOptions": "app.video.ingest",
    "PacketSink": "app.video.ingest",
    "RtspIngest": "app.video.ingest",
    "StreamInfo": "app.video.ingest",
    "Backoff": "app.video.policy",
    "ConnectionLimiter": "app.video.policy",
    "TsRemuxer": "app.video.remux",
    "HealthPolicy": "app.video.health",
    "VideoService": "app.video.service",
    "TsByteBuffer": "app.video.tsbuffer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'app.video' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Backoff",
    "ConnectionLimiter",
    "HealthPolicy",
    "IngestEvent",
    "IngestOptions",
    "OfflineReason",
    "PacketSink",
    "RtspIngest",
    "StreamChoicePolicy",
    "StreamChooser",
    "StreamInfo",
    "StreamKind",
    "StreamState",
    "TileStatus",
    "TsByteBuffer",
    "TsRemuxer",
    "VideoService",
]
