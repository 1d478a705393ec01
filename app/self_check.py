"""The libraries a workstation's client cannot do without, each loaded for real (``--self-check``).

A frozen bundle breaks where the source tree works: a shared object or a package data file the
bundler did not see (the ONVIF library reads its WSDL files from disk at run time), or a Debian
package the installed system lacks (libvlc and its plugins come from Debian, not from the bundle).
These checks load each library the way the client does and say what they found, so a technician
at an offline workstation reads the cause instead of a traceback on the first PTZ tile.

Each check returns a short description of what it found and raises :class:`SelfCheckError` with
the reason when the library is unusable. ``widgets.self_check`` runs them after Qt's own check
(the widgets may not import this module: it loads libvlc, FFmpeg and ONVIF).
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The plugins a tile's pipeline loads: the MPEG-TS demuxer and FFmpeg decoder (vlc-plugin-base)
# and the X11 video output (vlc-plugin-video-output).
VLC_PLUGINS = {
    "demux/libts_plugin.so": "vlc-plugin-base",
    "codec/libavcodec_plugin.so": "vlc-plugin-base",
    "video_output/libxcb_x11_plugin.so": "vlc-plugin-video-output",
}


class SelfCheckError(RuntimeError):
    """A library is missing or unusable; the message says why (and which package would help)."""


@dataclass(frozen=True)
class LibraryCheck:
    name: str
    run: Callable[[], str]


def _loaded_library(fragment: str) -> Path | None:
    """The path of a shared library this process has mapped whose file name contains
    ``fragment`` (Linux), or None."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)  # address perms offset device inode path
        if len(fields) == 6 and fields[5].startswith("/") and fragment in Path(fields[5]).name:
            return Path(fields[5])
    return None


def _vlc_plugin_dirs(libvlccore: Path | None) -> list[Path]:
    """Where libvlc looks for plugins: ``VLC_PLUGIN_PATH``, then beside libvlccore (Debian:
    ``/usr/lib/<triplet>/vlc/plugins``)."""
    dirs = [Path(p) for p in os.environ.get("VLC_PLUGIN_PATH", "").split(os.pathsep) if p]
    if libvlccore is not None:
        dirs.append(libvlccore.parent / "vlc" / "plugins")
    return dirs


def check_libvlc() -> str:
    """python-vlc finds the system libvlc, an instance starts, the tile's plugins are there."""
    try:
        import vlc
    except (ImportError, OSError, NotImplementedError) as exc:  # python-vlc: no libvlc found
        raise SelfCheckError(f"libvlc not found ({exc}): install the libvlc5 package") from exc
    version = vlc.libvlc_get_version().decode("utf-8", "replace")
    instance = vlc.Instance(["--quiet", "--no-lua"])
    if instance is None:
        raise SelfCheckError(f"libvlc {version} loaded but could not start an instance")
    instance.release()
    library = _loaded_library("libvlc.so")
    if sys.platform.startswith("linux"):
        core = _loaded_library("libvlccore.so")
        dirs = _vlc_plugin_dirs(core)
        missing = [f"{plugin} ({package})" for plugin, package in VLC_PLUGINS.items()
                   if not any((d / plugin).is_file() for d in dirs)]
        if missing:
            where = ", ".join(str(d) for d in dirs) or "nowhere (libvlccore not mapped)"
            raise SelfCheckError(f"libvlc {version}: plugins missing in {where}: "
                                 + ", ".join(missing))
    return f"{version}, {library or vlc.dll._name}"


def check_pyav() -> str:
    """PyAV's own FFmpeg loads and has the H.264 decoder the cameras send."""
    try:
        import av
        import av.codec
    except ImportError as exc:
        raise SelfCheckError(f"PyAV does not load: {exc}") from exc
    try:
        decoder = av.codec.Codec("h264", "r")
    except av.codec.codec.UnknownCodecError as exc:
        raise SelfCheckError(f"PyAV {av.__version__}: no H.264 decoder") from exc
    libavcodec = ".".join(str(n) for n in av.library_versions.get("libavcodec", ()))
    return f"av {av.__version__}, libavcodec {libavcodec}, {decoder.name} decoder"


def check_onvif() -> str:
    """The ONVIF library imports and zeep parses its PTZ WSDL from the library's own directory
    (the data files a frozen bundle loses first)."""
    try:
        import onvif
        from zeep import __version__ as zeep_version
        from zeep.exceptions import Error as ZeepError
        from zeep.transports import Transport
        from zeep.wsdl import Document
    except ImportError as exc:
        raise SelfCheckError(f"the ONVIF library does not load: {exc}") from exc
    service = onvif.SERVICES["ptz"]
    # Where ONVIFCamera itself looks, so a check that passes means PTZ finds its files too.
    wsdl_dir = inspect.signature(onvif.ONVIFCamera).parameters["wsdl_dir"].default
    wsdl = Path(wsdl_dir) / service["wsdl"]
    if not wsdl.is_file():
        raise SelfCheckError(f"{wsdl} is missing (the ONVIF library's WSDL files were not "
                             "installed)")
    try:
        # zeep's hint asks for the Transport class; it takes (and zeep.Client passes) an instance
        document = Document(str(wsdl), Transport())  # type: ignore[arg-type]
    except (OSError, ZeepError, ValueError) as exc:
        raise SelfCheckError(f"zeep cannot parse {wsdl}: {exc}") from exc
    binding = f"{{{service['ns']}}}{service['binding']}"
    if binding not in document.bindings:
        raise SelfCheckError(f"{wsdl} parsed but has no {service['binding']}")
    return f"zeep {zeep_version}, {wsdl.name}: {service['binding']}"


LIBRARY_CHECKS: tuple[LibraryCheck, ...] = (
    LibraryCheck("libvlc", check_libvlc),
    LibraryCheck("pyav", check_pyav),
    LibraryCheck("onvif", check_onvif),
)
