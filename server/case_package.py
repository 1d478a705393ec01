"""A violation case's evidence as one file a recipient checks without iocwall (Art. 11.3: the
IOC sends the images and video of a violation to the police; Art. 12.2: extracted video handed
over with its chain of custody).

The package is a ZIP of plain files: each ready clip's MP4 and its signed clip manifest, the
case record as the API shows it (with its events), the agencies' request letters, every public
evidence key as PEM, ``package-manifest.json`` (canonical JSON: what the package is, for whom
and why, and the SHA-256 and size of each file above) with its raw Ed25519 signature
``package-manifest.sig``, and ``SHA256SUMS`` (coreutils' format) over every other file. So
``sha256sum -c SHA256SUMS`` and ``openssl pkeyutl -verify`` check it (``docs/evidence.md``).
It is built in a temporary file (owner-only, in the data dir) and sent from there: a failure
half-way never reaches the recipient as a valid-looking package.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from common.evidence import canonical_json, sha256_file
from common.records import Case
from common.vocabulary import ClipState
from server.config import Settings
from server.key_ring import KeyOnFile, RingKey
from server.models import ClipRequest, User, ViolationCase
from server.signing import key_id, public_key_pem, vn_iso

PACKAGE_FORMAT = "iocwall-evidence-package/1"
MANIFEST = "package-manifest.json"
SIGNATURE = "package-manifest.sig"
SUMS = "SHA256SUMS"
CASE_RECORD = "case.json"
SIGNING_KEY = "signing-key.pem"  # the public key that signed the package manifest
PACKABLE = (ClipState.READY, ClipState.DELIVERED)


class StoredClipAltered(Exception):
    """A clip on disk no longer matches the SHA-256 recorded when it was cut."""


@dataclass
class Package:
    path: Path  # the temporary ZIP: the caller sends it, then removes it
    sha256: str
    size: int
    filename: str
    clips: list[int] = field(default_factory=list)
    letters: list[int] = field(default_factory=list)


def _clip_files(clip: ClipRequest) -> list[tuple[str, Path]]:
    if clip.state not in PACKABLE or clip.clip_path is None or clip.manifest_path is None:
        return []
    mp4 = Path(clip.clip_path)
    if sha256_file(mp4) != clip.clip_sha256:
        raise StoredClipAltered(f"clip {clip.id}: the stored MP4 does not match its recorded "
                                "SHA-256")
    return [(f"clips/clip-{clip.id}.mp4", mp4),
            (f"clips/clip-{clip.id}.manifest.json", Path(clip.manifest_path))]


def build(session: Session, settings: Settings, case: ViolationCase, record: Case,
          user: User, purpose: str, keys: list[RingKey], signer: Ed25519PrivateKey,
          now: datetime) -> Package:
    """The package of ``case`` for ``user`` (``record``: the case as the API shows them)."""
    key = signer.current() if isinstance(signer, KeyOnFile) else signer
    signing_id = key_id(key.public_key())
    entries: list[tuple[str, bytes | Path]] = []
    package = Package(Path(), "", 0, f"goi-chung-cu-vu-{case.id}-"
                                     f"{vn_iso(now)[:16].replace(':', '').replace('T', '-')}.zip")
    left_out: list[dict[str, Any]] = []
    for link in sorted(case.clips, key=lambda c: c.clip_request_id):
        clip = session.get(ClipRequest, link.clip_request_id)
        if clip is None:
            continue
        files = _clip_files(clip)
        if files:
            entries.extend(files)
            package.clips.append(clip.id)
        else:
            left_out.append({"clip_request_id": clip.id, "state": clip.state})
        if clip.letter_path is not None and Path(clip.letter_path).is_file():
            entries.append((f"letters/letter-{clip.id}.pdf", Path(clip.letter_path)))
            package.letters.append(clip.id)
    record_json = TypeAdapter(Case).dump_python(record, mode="json")
    entries.append((CASE_RECORD, canonical_json(record_json).encode("utf-8")))
    signing_pem = next((k.public_key_pem for k in keys if k.key_id == signing_id), None)
    if signing_pem is None:  # the file changed between reading the ring and signing
        signing_pem = public_key_pem(key.public_key())
    entries.append((SIGNING_KEY, signing_pem.encode("ascii")))
    for ring_key in keys:
        entries.append((f"keys/{ring_key.key_id}.pem", ring_key.public_key_pem.encode("ascii")))

    listed = [{"path": name, **_digest(content)} for name, content in entries]
    body = canonical_json({
        "format": PACKAGE_FORMAT,
        "case_id": case.id,
        "created_at": vn_iso(now),
        "created_by": {"username": user.username, "full_name": user.full_name,
                       "unit": user.unit.name},
        "purpose": purpose,
        "key_id": signing_id,
        "files": listed,
        "clips_not_included": left_out,
    }).encode("utf-8")
    signature = key.sign(body)
    entries.append((MANIFEST, body))
    entries.append((SIGNATURE, signature))
    sums = "".join(f"{_digest(content)['sha256']}  {name}\n" for name, content in entries)
    entries.append((SUMS, sums.encode("ascii")))

    fd, temporary = tempfile.mkstemp(prefix=".package-", suffix=".zip", dir=settings.data_dir)
    package.path = Path(temporary)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w") as archive:
                for name, content in entries:
                    # MP4 is compressed already: stored as is, it is read back at full speed
                    compress = (zipfile.ZIP_STORED if name.endswith((".mp4", ".pdf"))
                                else zipfile.ZIP_DEFLATED)
                    if isinstance(content, Path):
                        archive.write(content, name, compress_type=compress)
                    else:
                        archive.writestr(name, content, compress_type=compress)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        package.path.unlink(missing_ok=True)
        raise
    package.sha256 = sha256_file(package.path)
    package.size = package.path.stat().st_size
    return package


def _digest(content: bytes | Path) -> dict[str, Any]:
    if isinstance(content, Path):
        return {"sha256": sha256_file(content), "size": content.stat().st_size}
    return {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}

