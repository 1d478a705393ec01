"""The gateway's own X25519 key pair: camera passwords arrive sealed to its public half.

The private key lives in one file (``"key_file"`` of the configuration), created by the gateway
with mode 0600 and read by nobody else: the backend learns the public key from the ``ready``
event and seals each camera password to it (libsodium's sealed box), so what the backend stores
and sends down stdin is opened here and nowhere else.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from gateway.config import ConfigError, OpenSealed

log = logging.getLogger("iocwall.gateway")


def load_or_create_key(path: Path) -> PrivateKey:
    """The key pair in ``path`` (base64 of the 32 private bytes), created owner-only on first
    use (its folder too)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = PrivateKey.generate()
    with os.fdopen(fd, "wb") as handle:
        handle.write(base64.b64encode(bytes(key)) + b"\n")
    log.info("created the gateway key file %s", path)
    return key


def _read_key(path: Path) -> PrivateKey:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("gateway key file %s is readable by others (mode %o)", path, mode)
    try:
        raw = base64.b64decode(path.read_bytes().strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("key_file: not a gateway key") from exc
    if len(raw) != 32:
        raise ConfigError("key_file: not a gateway key")
    return PrivateKey(raw)


def public_key_text(key: PrivateKey) -> str:
    """The public half as the ``ready`` event reports it: base64 of 32 bytes."""
    return base64.b64encode(bytes(key.public_key)).decode("ascii")


def opener(key: PrivateKey) -> OpenSealed:
    """``open_sealed(box) -> plaintext``; a box sealed to another key is a :class:`ConfigError`
    (the backend sealed to a key this gateway no longer has: the password must be entered, or
    re-sealed by the gateway that holds it)."""
    box = SealedBox(key)

    def open_sealed(sealed: bytes) -> bytes:
        try:
            return bytes(box.decrypt(sealed))
        except CryptoError as exc:
            raise ConfigError("a sealed password was not sealed to this gateway's key") from exc

    return open_sealed


def resealer(key: PrivateKey) -> Callable[[str, str], str]:
    """``reseal(sealed, to_key) -> sealed``, all base64: a secret sealed to this gateway, sealed
    to another gateway's public key instead. The clear text exists only in this process, for
    the moment of the call: this is how a camera moves between gateways while the backend
    that carries the boxes can read neither."""
    open_sealed = opener(key)

    def reseal(sealed: str, to_key: str) -> str:
        try:
            box = base64.b64decode(sealed, validate=True)
            raw_key = base64.b64decode(to_key, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ConfigError("sealed, to: not base64") from exc
        if len(raw_key) != 32:
            raise ConfigError("to: not an X25519 public key")
        secret = open_sealed(box)
        return base64.b64encode(SealedBox(PublicKey(raw_key)).encrypt(secret)).decode("ascii")

    return reseal


def keygen_main(argv: list[str]) -> int:
    """``python3 -m gateway keygen --key-file F``: the key pair in ``F`` (made if missing); its
    public half on stdout. Exit 2 when the file is not a gateway key."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python3 -m gateway keygen")
    parser.add_argument("--key-file", type=Path, required=True)
    args = parser.parse_args(argv)
    if not args.key_file.is_absolute():
        print("--key-file: not an absolute path", file=sys.stderr)
        return 2
    os.umask(0o077)
    try:
        key = load_or_create_key(args.key_file)
    except (ConfigError, OSError) as err:
        print(f"gateway keygen: {err}", file=sys.stderr)
        return 2
    print(public_key_text(key))
    return 0
