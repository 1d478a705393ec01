"""Starting a lab from other parts' test fixtures.

    from lab.testing import start_test_lab

    @pytest.fixture(scope="session")
    def lab(tmp_path_factory):
        with start_test_lab(tmp_path_factory.mktemp("lab")) as running:
            yield running

Short clips (4 s) keep the first encode quick and let tests cross a loop point soon; the ports
are free ones on 127.0.0.1 and no HTTP control endpoint is started. Cameras with real cameras'
traits (not PTZ ones: index % 3 == 0 takes only transport, auth and GOP)::

    start_test_lab(tmp, cameras=5, traits={1: CameraTraits(transport="udp", audio="pcma"),
                                           2: CameraTraits(codec="h265", profile="main")})

The first start encodes their clips (a 4 s 4K H.265 clip ≈ 6 s on one core), later starts in
the same data dir reuse them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from lab.core import Lab
from lab.traits import CameraTraits

TEST_CLIP_SECONDS = 4


def start_test_lab(data_dir: Path, cameras: int = 4, clip_seconds: int = TEST_CLIP_SECONDS,
                   control_port: int | None = None, gop_seconds: int | Mapping[int, int] = 1,
                   key_frame_on_connect: bool = True,
                   traits: Mapping[int, CameraTraits] | None = None) -> Lab:
    """A running lab in ``data_dir`` (camera 0 and 3 are PTZ; camera 3 is 1920×1080); see
    ``Lab.start`` for ``gop_seconds``, ``key_frame_on_connect`` and ``traits``
    (``{index: CameraTraits(...)}``, real cameras' traits; PTZ cameras take only transport, auth
    and GOP)."""
    return Lab.start(cameras=cameras, data_dir=data_dir, rtsp_port=0, onvif_base_port=0,
                     control_port=control_port, clip_seconds=clip_seconds, ready_timeout=120,
                     gop_seconds=gop_seconds, key_frame_on_connect=key_frame_on_connect,
                     traits=traits)
