"""Build the media gateway's site package: ``dist/iocwall-gateway_<version>_all.deb``.

    .venv/bin/python -m installer.build_gateway          # what ``make package-gateway`` runs

For a machine near its cameras (a ward's box, a district's server): the source of ``gateway/``
and ``common/`` under ``/opt/iocwall-gateway/``, run by Debian's ``/usr/bin/python3`` with
Debian's ``gi``, GStreamer and ``nacl`` (no venv, no PyPI), under
``installer/iocwall-gateway.service``. Its ``postinst`` creates the system user
``iocwall-gateway``; it never writes ``/etc/iocwall/gateway.json`` (the control secret and the
backend's token key are the site's) and never starts a gateway that has none.
``/etc/iocwall/gateway.json.example`` is refused as it stands (placeholder secret and key).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from installer import site_deb
from installer.build_deb import DIST_DIR, ROOT, project_version
from installer.site_deb import SiteFile, SitePackage

PACKAGE = "iocwall-gateway"
INSTALL_DIR = Path("opt/iocwall-gateway")
USER = "iocwall-gateway"
STATE_DIR = "/var/lib/iocwall-gateway"
CONFIG = "/etc/iocwall/gateway.json"
CONFIG_EXAMPLE = Path("etc/iocwall/gateway.json.example")
UNIT = ROOT / "installer" / "iocwall-gateway.service"

# Each also in scripts/system-packages.txt (a test keeps it so). The elements the gateway
# links: rtspsrc, rtph264/265depay and -pay, rtpmp4g/pcma/pcmu (-plugins-good), h264parse and
# h265parse (-plugins-bad), aacparse (-good), appsrc/appsink (-base); it encodes nothing, so
# no -plugins-ugly and no libav.
DEPENDS = (
    "python3 (>= 3.11)",
    "python3-gi",
    "python3-nacl",  # session tokens (Ed25519), sealed camera passwords (X25519)
    "gir1.2-gst-rtsp-server-1.0",  # GstRtspServer; pulls GstRtsp, GstSdp and Gst's typelibs
    "gstreamer1.0-plugins-base",
    "gstreamer1.0-plugins-good",
    "gstreamer1.0-plugins-bad",
    "adduser",  # postinst: the system user
)
SUMMARY = "media gateway of the Đồng Hới Smart City IOC video wall"
DESCRIPTION = (
    "The iocwall media gateway for a machine near its cameras: the only holder of the\n"
    "cameras' passwords, one connection per camera stream fanned out to the walls'\n"
    "backend-signed sessions, and the PTZ lease holder's ONVIF broker.\n"
    "Configure /etc/iocwall/gateway.json (mode 0600, owned by iocwall-gateway), then:\n"
    "  systemctl enable --now iocwall-gateway\n"
    ".\n"
    "Cổng video của Trung tâm Giám sát, điều hành đô thị thông minh Đồng Hới."
)

POSTINST = f"""#!/bin/sh
# Creates the user; never starts a gateway without its configuration. An upgrade starts it
# again only if it was running (prerm noted it).
set -eu

if [ "$1" = configure ]; then
    adduser --system --group --home {STATE_DIR} --no-create-home \\
        --gecos "iocwall media gateway" {USER} >/dev/null
    install -d -o root -g root -m 0755 /etc/iocwall
    # the service's user cannot write caches into /opt: compile once here
    python3 -m compileall -q /{INSTALL_DIR}/gateway /{INSTALL_DIR}/common >/dev/null || true
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        if [ -e {{mark}} ]; then
            rm -f {{mark}}
            systemctl start iocwall-gateway.service || \\
                echo "iocwall-gateway did not start again: journalctl -u iocwall-gateway" >&2
        fi
    fi
fi
exit 0
"""

PRERM = f"""#!/bin/sh
# Stops the gateway before its files go (its viewers' sessions end with reason "shutdown").
set -eu
if [ -d /run/systemd/system ]; then
    if [ "$1" = upgrade ] && systemctl is-active --quiet iocwall-gateway.service; then
        touch {{mark}}
    fi
    systemctl stop iocwall-gateway.service || true
fi
if [ "$1" = remove ]; then
    find /{INSTALL_DIR} -name __pycache__ -type d -prune -exec rm -rf {{{{}}}} +
fi
exit 0
"""

POSTRM = f"""#!/bin/sh
# Never removes {STATE_DIR} (the gateway's key: the backend sealed the cameras' passwords
# to it) nor {CONFIG}; on purge, the system user goes.
set -eu
case "$1" in
    remove|purge)
        rmdir /{INSTALL_DIR} 2>/dev/null || true
        if [ -d /run/systemd/system ]; then
            systemctl daemon-reload || true
        fi
        ;;
esac
if [ "$1" = purge ]; then
    if getent passwd {USER} >/dev/null; then
        deluser --system {USER} >/dev/null || true
    fi
    if getent group {USER} >/dev/null; then
        delgroup --system {USER} >/dev/null || true
    fi
fi
exit 0
"""

RESTART_MARK = "/run/iocwall-gateway.upgrade-restart"


def package() -> SitePackage:
    return SitePackage(
        name=PACKAGE, install_dir=INSTALL_DIR, sources=("gateway", "common"), unit=UNIT,
        depends=DEPENDS, summary=SUMMARY, description=DESCRIPTION,
        maintainer_scripts={name: text.format(mark=RESTART_MARK) for name, text in
                            (("postinst", POSTINST), ("prerm", PRERM), ("postrm", POSTRM))},
        files={CONFIG_EXAMPLE: SiteFile((ROOT / "installer" / "gateway.json.example")
                                        .read_text(encoding="utf-8"))},
        conffiles=(CONFIG_EXAMPLE,),
    )


def build_gateway(out_dir: Path = DIST_DIR, build_dir: Path = ROOT / "build") -> Path:
    version = project_version()
    spec = package()
    tree = site_deb.deb_tree(spec, build_dir / "deb" / PACKAGE, version)
    return site_deb.build(tree, out_dir, spec, version)


def main() -> int:
    deb = build_gateway()
    print(f"build_gateway: {deb.relative_to(ROOT)}: {deb.stat().st_size / 2**10:.0f} KiB")
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
