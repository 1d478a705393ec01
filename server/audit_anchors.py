"""Signed anchors of the audit chain (Art. 5: the log must be tamper-evident).

The hash chain of ``server.audit`` finds an edited or removed row, but not a cut tail: whoever
can write the database can delete the newest rows and set ``audit_head`` back to the last one
kept, and the shorter chain is intact. So every :data:`ANCHOR_INTERVAL_S` (when the tip moved)
and at shutdown the server signs the tip — last id, last hash, row count, its own time — with
the evidence key, stores the anchor in ``audit_anchors`` and appends it to
``<data dir>/audit-anchors.jsonl``, a file outside the database (fsync'd, owner-only). A tail
cut after an anchor leaves that anchor pointing past the chain's end, or at a row whose hash is
not the signed one; an anchor deleted from the table is still in the file; nobody without the
private key can sign a new one. Anchors are not audited themselves: that would move the tip they
record.

An anchor is one line of canonical JSON: ``{"algorithm", "body", "key_id", "signature"}``,
``body`` the exact text signed (canonical JSON itself), ``signature`` its raw Ed25519 signature
in base64. ``docs/evidence.md`` verifies one with openssl alone.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.evidence import canonical_json
from common.files import fsync_dir
from common.records import ChainVerdict
from server import audit
from server.config import Settings
from server.key_ring import KeyOnFile, RingKey, all_keys, retired_keys
from server.models import AuditAnchor, AuditHead, AuditLog
from server.periodic import Periodic
from server.signing import key_id, vn_iso

log = logging.getLogger("iocwall.audit")

ANCHOR_FORMAT = "iocwall-audit-anchor/1"
ANCHOR_INTERVAL_S = 600.0  # Art. 5 asks for tamper evidence: at most 10 minutes unanchored
ANCHORS_FILE = "audit-anchors.jsonl"


def anchors_file(settings: Settings) -> Path:
    return settings.data_dir / ANCHORS_FILE


@dataclass(frozen=True)
class SignedAnchor:
    body: str  # canonical JSON, exactly the bytes signed (UTF-8)
    key_id: str
    signature: str  # base64 of the raw 64-byte Ed25519 signature

    def line(self) -> str:
        return canonical_json({"algorithm": "Ed25519", "body": self.body, "key_id": self.key_id,
                               "signature": self.signature})

    def fields(self) -> dict[str, Any]:
        value = json.loads(self.body)
        if not isinstance(value, dict):
            raise ValueError("an anchor's body is not an object")
        return value

    @classmethod
    def from_line(cls, text: str) -> SignedAnchor:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("an anchor line is not an object")
        return cls(str(data["body"]), str(data["key_id"]), str(data["signature"]))


def sign_tip(last_id: int, last_hash: str, now: datetime,
             key: Ed25519PrivateKey) -> SignedAnchor:
    kid = key_id(key.public_key())
    body = canonical_json({"format": ANCHOR_FORMAT, "last_id": last_id, "last_hash": last_hash,
                           "count": last_id, "signed_at": vn_iso(now), "key_id": kid})
    signature = key.sign(body.encode("utf-8"))
    return SignedAnchor(body, kid, base64.b64encode(signature).decode("ascii"))


def append_line(path: Path, line: str) -> None:
    """Append one line and flush it to the disk; the file is created owner-only (0600)."""
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)


class AuditAnchoring:
    """``anchor()`` signs the tip now; ``start``/``stop`` run it every ``interval_s`` while the
    server serves (when the tip moved) and once more at ``stop`` (always)."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 signer: Ed25519PrivateKey, clock: Callable[[], datetime], *,
                 interval_s: float = ANCHOR_INTERVAL_S) -> None:
        self._sessions = sessions
        self._settings = settings
        self._signer = signer
        self._clock = clock
        self._lock = threading.Lock()
        self.periodic = Periodic("audit-anchor", interval_s, self.anchor_if_moved)

    def start(self) -> None:
        self.periodic.start()

    def stop(self) -> None:
        self.periodic.stop()
        try:
            self.anchor(force=True)
        except Exception:  # noqa: BLE001 - a database already gone must not hang the shutdown
            log.exception("audit anchor at shutdown failed")

    def anchor_if_moved(self) -> SignedAnchor | None:
        return self.anchor(force=False)

    def anchor(self, *, force: bool = True) -> SignedAnchor | None:
        """Sign the tip (None: it has not moved since the last anchor and ``force`` is off).
        The row is committed before the line is written: a line in the file always has its
        row, and a row whose line a crash lost is still checked against the chain."""
        key = self._signer.current() if isinstance(self._signer, KeyOnFile) else self._signer
        with self._lock, self._sessions() as session:
            head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
            last = session.execute(select(AuditAnchor).order_by(AuditAnchor.id.desc()).limit(1)
                                   ).scalar_one_or_none()
            unmoved = (head.last_id == 0 if last is None
                       else (last.last_id, last.last_hash) == (head.last_id, head.last_hash))
            if unmoved and not force:
                return None
            now = self._clock()
            anchor = sign_tip(head.last_id, head.last_hash, now, key)
            session.add(AuditAnchor(last_id=head.last_id, last_hash=head.last_hash,
                                    signed_at=now, key_id=anchor.key_id, body=anchor.body,
                                    signature=anchor.signature))
            session.commit()
            append_line(anchors_file(self._settings), anchor.line())
        log.info("audit chain anchored at row %d (key %s)", head.last_id, anchor.key_id)
        return anchor


# -- reading and verifying ---------------------------------------------------------------------

def trusted_keys(settings: Settings) -> list[RingKey]:
    """Every evidence key that ever signed: the current one first, then the retired ones
    (a reader without the key file still has the ring)."""
    try:
        return all_keys(settings.signing_key_file)
    except OSError:
        return list(reversed(retired_keys(settings.signing_key_file)))


def stored_anchors(session: Session) -> list[SignedAnchor]:
    return [SignedAnchor(row.body, row.key_id, row.signature)
            for row in session.execute(select(AuditAnchor).order_by(AuditAnchor.id)).scalars()]


def file_anchors(path: Path) -> Iterator[tuple[int, SignedAnchor | None]]:
    """(line number, anchor) for each line of the file; None for a line that does not parse."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, SignedAnchor.from_line(line)
        except (ValueError, KeyError):
            yield number, None


def signature_holds(anchor: SignedAnchor, keys: Sequence[RingKey]) -> bool:
    """The anchor's signature over its body, by the key it names (which must also be the key
    its body names)."""
    key = next((k for k in keys if k.key_id == anchor.key_id), None)
    if key is None:
        return False
    try:
        signature = base64.b64decode(anchor.signature, validate=True)
        key.public_key.verify(signature, anchor.body.encode("utf-8"))
        return anchor.fields().get("key_id") == anchor.key_id
    except (InvalidSignature, ValueError):
        return False


def _broken(rows: int, at: int, reason: str) -> ChainVerdict:
    return ChainVerdict(False, rows, at, reason)


def check_anchors(session: Session, settings: Settings, rows: int) -> ChainVerdict:
    """The anchors (table and file) against an intact chain of ``rows`` rows: every signature
    holds, the chain reaches every anchored row with the anchored hash, and every anchor in the
    file is in the table. The first failure, in that order, is the verdict."""
    keys = trusted_keys(settings)
    # the file first, then the table in a read that starts after it: an anchor's row is
    # committed before its line is written, so every line read has its row in that read (the
    # caller's session may hold an older snapshot, from before an anchor made meanwhile)
    in_file = list(file_anchors(anchors_file(settings)))
    with Session(session.get_bind()) as fresh:
        return _check(fresh, keys, in_file, rows)


def _check(session: Session, keys: list[RingKey],
           in_file: list[tuple[int, SignedAnchor | None]], rows: int) -> ChainVerdict:
    in_table = stored_anchors(session)
    for number, maybe in in_file:
        if maybe is None:
            return _broken(rows, rows + 1, f"anchor signature does not hold: line {number} of "
                                           f"{ANCHORS_FILE} is not a signed anchor")
    checked: dict[str, SignedAnchor] = {}
    for where, anchor in [("the anchors table", a) for a in in_table] + [
            (f"line {n} of {ANCHORS_FILE}", a) for n, a in in_file if a is not None]:
        if not signature_holds(anchor, keys):
            return _broken(rows, rows + 1, f"anchor signature does not hold: an anchor in "
                                           f"{where} (key {anchor.key_id}) is not signed by "
                                           "any of this site's evidence keys")
        checked[anchor.signature] = anchor
    for anchor in sorted(checked.values(), key=lambda a: int(a.fields()["last_id"])):
        fields = anchor.fields()
        last_id, last_hash = int(fields["last_id"]), str(fields["last_hash"])
        if last_id == 0:
            continue
        stored = session.execute(select(AuditLog.hash).where(AuditLog.id == last_id)
                                 ).scalar_one_or_none()
        if last_id > rows and stored != last_hash:
            return _broken(rows, rows + 1, f"truncated tail: the chain ends at row {rows} but "
                                           f"an anchor signed at {fields['signed_at']} covers "
                                           f"row {last_id}")
        # (a row past ``rows`` with the anchored hash was appended and anchored while the
        # chain was walked: the chain grew, nothing was cut)
        if stored != last_hash:
            return _broken(rows, last_id, f"truncated tail: row {last_id} does not have the hash "
                                          f"anchored at {fields['signed_at']} (the chain was "
                                          "rewritten from there)")
    table = {a.signature for a in in_table}
    for number, maybe in in_file:
        if maybe is not None and maybe.signature not in table:
            fields = maybe.fields()
            return _broken(rows, int(fields["last_id"]),
                           f"anchor deleted from the database: the anchor of row "
                           f"{fields['last_id']} signed at {fields['signed_at']} (line {number} "
                           f"of {ANCHORS_FILE}) is not in the anchors table")
    return ChainVerdict(True, rows, None, None)


def verify(session: Session, settings: Settings) -> ChainVerdict:
    """The chain (``server.audit.verify``: an edited or removed row), then its anchors (a cut
    tail, a forged or deleted anchor)."""
    chain = audit.verify(session)
    if not chain.ok:
        return chain
    return check_anchors(session, settings, chain.rows)


def export_lines(session: Session, settings: Settings) -> Iterator[str]:
    """What ``GET /audit/anchors`` answers: the public keys, then every anchor (table and file,
    once each, oldest first), one canonical JSON object a line."""
    for key in trusted_keys(settings):
        yield canonical_json({"kind": "key", **key.to_json()})
    seen: set[str] = set()
    anchors = stored_anchors(session) + [a for _n, a in file_anchors(anchors_file(settings))
                                         if a is not None]
    for anchor in anchors:
        if anchor.signature in seen:
            continue
        seen.add(anchor.signature)
        yield canonical_json({"kind": "anchor", "algorithm": "Ed25519", "body": anchor.body,
                              "key_id": anchor.key_id, "signature": anchor.signature})
