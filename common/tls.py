"""How FFmpeg checks an ``rtsps://`` peer: the one place client ingest and the recorder ask.

Measured with PyAV 18 (its FFmpeg 8): the RTSP demuxer hands ``tls_verify`` and ``ca_file`` to
its TLS layer, which then checks both the chain (against that file only) and the host name, and
an RTSPS server with a certificate of another CA fails the open (EIO). FFmpeg's own default is
``tls_verify=0``: any certificate passes, so an ``rtsps://`` URL is never opened without them.
Debian 12's ffmpeg/ffprobe 5.1 do *not* forward them (a foreign CA plays): network input goes
through PyAV only.
"""

from __future__ import annotations

from pathlib import Path


class NoTrustAnchor(ValueError):
    """An ``rtsps://`` URL but no CA file to check its certificate against."""


def ffmpeg_tls_options(url: str, ca_file: Path | str | None) -> dict[str, str]:
    """The demuxer options that make FFmpeg check an ``rtsps://`` peer against ``ca_file``;
    none for ``rtsp://``."""
    if not url.startswith("rtsps://"):
        return {}
    if ca_file is None:
        raise NoTrustAnchor("an rtsps:// stream needs the site CA to check the gateway against")
    return {"tls_verify": "1", "ca_file": str(ca_file)}
