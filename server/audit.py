"""The tamper-evident audit log (Art. 5: every access and change leaves a trace).

Each row stores ``hash = SHA-256(prev_hash + canonical content)`` where the canonical content is
the row's own fields as sorted, compact JSON. Changing, removing or inserting a row breaks the
chain at that row; ``verify`` finds the first break. Appends first update the single
``audit_head`` row, which takes the database's write lock (a row lock on PostgreSQL, the write
lock on SQLite) until commit, so concurrent requests queue instead of forking the chain.
Nothing here updates or deletes audit rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from common.evidence import canonical_json
from common.records import ChainVerdict
from server.models import AuditHead, AuditLog

GENESIS_HASH = "0" * 64


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_content(
    *,
    id: int,
    ts: datetime,
    event: str,
    user_id: int | None,
    username: str | None,
    camera_id: int | None,
    detail: str,
) -> str:
    """The canonical text a row's hash covers (``detail`` is already canonical JSON)."""
    return canonical_json(
        {
            "id": id,
            "ts": _ts(ts),
            "event": event,
            "user_id": user_id,
            "username": username,
            "camera_id": camera_id,
            "detail": detail,
        }
    )


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def append(
    session: Session,
    event: str,
    *,
    now: datetime,
    user_id: int | None = None,
    username: str | None = None,
    camera_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditLog:
    """Add one row to the chain in the caller's transaction (the caller commits).

    ``detail`` must hold no secret: it is stored and shown in clear.
    """
    # Take the write lock before reading the tip; held until the caller's commit/rollback.
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_id=AuditHead.last_id))
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    session.refresh(head)
    detail_json = canonical_json(dict(detail or {}))
    row_id = head.last_id + 1
    content = row_content(id=row_id, ts=now, event=event, user_id=user_id, username=username,
                          camera_id=camera_id, detail=detail_json)
    row = AuditLog(id=row_id, ts=now, event=event, user_id=user_id, username=username,
                   camera_id=camera_id, detail=detail_json, prev_hash=head.last_hash,
                   hash=chain_hash(head.last_hash, content))
    session.add(row)
    head.last_id = row_id
    head.last_hash = row.hash
    session.flush()
    return row


def verify(session: Session, batch: int = 1000) -> ChainVerdict:
    """Walk the chain in order; report the first row whose link or content does not hold."""
    expected_prev = GENESIS_HASH
    expected_id = 1
    count = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(AuditLog).where(AuditLog.id > last_id).order_by(AuditLog.id).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for row in rows:
            if row.id != expected_id:
                return ChainVerdict(False, count, row.id,
                                    f"row {expected_id} is missing before row {row.id}")
            if row.prev_hash != expected_prev:
                return ChainVerdict(False, count, row.id, "previous-hash link does not match")
            content = row_content(id=row.id, ts=row.ts, event=row.event, user_id=row.user_id,
                                  username=row.username, camera_id=row.camera_id,
                                  detail=row.detail)
            if chain_hash(row.prev_hash, content) != row.hash:
                return ChainVerdict(False, count, row.id, "content does not match its hash")
            expected_prev = row.hash
            expected_id += 1
            count += 1
            last_id = row.id
        session.expunge_all()
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None or head.last_id != count or head.last_hash != expected_prev:
        return ChainVerdict(False, count, count + 1,
                            "rows after the last intact row are missing (chain tip differs)")
    return ChainVerdict(True, count, None, None)


def decoded_detail(row: AuditLog) -> dict[str, Any]:
    value = json.loads(row.detail)
    return value if isinstance(value, dict) else {"value": value}
