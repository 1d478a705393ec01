"""Simulated cameras for the demo and the tests: RTSP streams and ONVIF Device/Media/PTZ.

See docs/contracts.md (Lab) for the API the other parts rely on.
"""

from lab.cameras import LabCamera
from lab.core import Lab, LabError
from lab.traits import CameraTraits

__all__ = ["CameraTraits", "Lab", "LabCamera", "LabError"]
