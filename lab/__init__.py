"""Simulated cameras for the demo and the tests: RTSP streams and ONVIF Device/Media/PTZ.

Cameras behave alike unless given real cameras' traits (UDP or TCP only, H.265, B-frames, low
fps at 1440p/4K, long GOPs, out-of-band parameter sets, G.711/AAC audio, Basic/qop/two-header
auth): ``Lab.start(..., traits={index: CameraTraits(...)})``, see ``lab.traits``.
See docs/contracts.md (Lab) for the API the other parts rely on.
"""

from lab.cameras import LabCamera
from lab.core import Lab, LabError
from lab.traits import CameraTraits

__all__ = ["CameraTraits", "Lab", "LabCamera", "LabError"]
