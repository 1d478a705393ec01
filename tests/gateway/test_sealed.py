"""Camera passwords sealed to the gateway's own key: the gateway makes its key pair, reports the
public half, opens what was sealed to it and nothing sealed to another key."""

from __future__ import annotations

import base64
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.public import PrivateKey, PublicKey, SealedBox

from gateway.process import GatewayError, GatewayProcess
from lab import Lab
from tests.gateway.helpers import camera_id, gateway_config, issue, probe_video, session_url

pytestmark = pytest.mark.lab


def seal(public_key: str, password: str) -> str:
    box = SealedBox(PublicKey(base64.b64decode(public_key)))
    return base64.b64encode(box.encrypt(password.encode())).decode()


def sealed_config(lab: Lab, key: Ed25519PrivateKey, key_file: Path,
                  public_key: str | None) -> dict[str, Any]:
    """The lab's cameras with their passwords sealed to ``public_key`` (None: no camera)."""
    config = gateway_config(lab, key)
    config["key_file"] = str(key_file)
    passwords = {cam.rtsp_password for cam in lab.cameras}
    if public_key is None:
        config["cameras"] = []
    for entry in config["cameras"]:
        entry["sealed_password"] = seal(public_key, entry.pop("password")) if public_key \
            else None
    assert not passwords & set(str(config).split("'"))
    return config


def test_the_gateway_opens_what_was_sealed_to_its_key_and_plays(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path) -> None:
    key_file = tmp_path / "gw" / "x25519.key"
    with GatewayProcess(sealed_config(lab, signing_key, key_file, None)) as first:
        public_key = first.public_key
    assert public_key is not None and len(base64.b64decode(public_key)) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    with GatewayProcess(sealed_config(lab, signing_key, key_file, public_key)) as gateway:
        assert gateway.public_key == public_key  # the same key pair across starts
        claims = issue(signing_key, camera_id(lab.cameras[1]), "sub")
        info = probe_video(session_url(gateway, claims, signing_key))
        assert info["codec_name"] == "h264"
        joined = "\n".join(gateway.stderr_lines)
        assert not any(cam.rtsp_password in joined for cam in lab.cameras)


def test_a_password_sealed_to_another_key_is_refused_without_showing_it(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path) -> None:
    stranger = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    config = sealed_config(lab, signing_key, tmp_path / "x25519.key", stranger)
    with pytest.raises(GatewayError, match="not sealed to this gateway's key") as refused:
        GatewayProcess(config)
    # it still says which key it has: the backend seals again to that one
    assert refused.value.public_key is not None and refused.value.public_key != stranger


def test_a_sealed_password_without_a_key_file_is_refused(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path) -> None:
    stranger = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    config = sealed_config(lab, signing_key, tmp_path / "x25519.key", stranger)
    del config["key_file"]
    with pytest.raises(GatewayError, match="needs the gateway's key_file"):
        GatewayProcess(config)
