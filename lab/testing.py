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


# One camera of each kind an ONVIF onboarding probe must handle (tests/lab/test_onvif_traits.py,
# tests/gateway/test_probe.py): start_test_lab(tmp, cameras=5, traits=ONVIF_TRAITS).
SKEWED_NAT_PTZ = 0  # PTZ, clock 7 h ahead, advertises 192.168.1.64 (behind NAT)
DIGEST_ONLY = 1  # HTTP Digest only, login even for the time, clock 5 h 13 min behind
MEDIA2_H265 = 2  # H.265: profiles on Media2 only; replies use an undeclared tt: prefix
TIME_LOGIN_PTZ = 3  # PTZ, GetSystemDateAndTime answers ter:NotAuthorized without a login
PLAIN_ONVIF = 4  # Device and Media only: no PTZ, no Media2, no Imaging
ONVIF_TRAITS = {
    SKEWED_NAT_PTZ: CameraTraits(clock_skew_s=7 * 3600, advertise_host="192.168.1.64"),
    DIGEST_ONLY: CameraTraits(onvif_auth="http-digest", time_login="http-401",
                              clock_skew_s=-(5 * 3600 + 13 * 60)),
    MEDIA2_H265: CameraTraits(codec="h265", profile="main", media2=True,
                              undeclared_prefixes=True),
    TIME_LOGIN_PTZ: CameraTraits(time_login="fault"),
    PLAIN_ONVIF: CameraTraits(onvif=True),
}
