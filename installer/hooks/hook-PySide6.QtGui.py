"""PyInstaller hook for PySide6.QtGui (replaces PyInstaller's own): Qt's GUI plugins, minus those
the wall never loads.

The wall runs on X11 only (its tiles are native X windows libvlc renders into; the launcher sets
``QT_QPA_PLATFORM=xcb``) with its own Fusion theme, so the Wayland, EGLFS, VNC and framebuffer
platforms, the GTK theme, the virtual keyboard and the PDF image plugin are left out — with the
GTK, QML and PDF libraries they would pull into the bundle (more than a third of its size).
The compose and IBus input contexts stay: operators type Vietnamese through them.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGINS = {
    "platforms": {"libqeglfs.so", "libqlinuxfb.so", "libqminimalegl.so", "libqvkkhrdisplay.so",
                  "libqvnc.so", "libqwayland.so"},
    "platformthemes": {"libqgtk3.so"},
    "platforminputcontexts": {"libqtvirtualkeyboardplugin.so"},
    "imageformats": {"libqpdf.so"},
}
UNUSED_PLUGIN_TYPES = {"egldeviceintegrations", "wayland-decoration-client",
                       "wayland-graphics-integration-client", "wayland-shell-integration"}


def _used(source: str) -> bool:
    path = Path(source)
    plugin_type = path.parent.name
    return plugin_type not in UNUSED_PLUGIN_TYPES and path.name not in UNUSED_PLUGINS.get(
        plugin_type, set())


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, target) for source, target in binaries if _used(source)]
