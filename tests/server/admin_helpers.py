"""What the administration tests share: requests as the IOC administrator, a gateway with a key
the test holds, and the raw rows to search for secrets."""

from __future__ import annotations

import base64
from typing import Any

from nacl.public import PrivateKey, SealedBox
from sqlalchemy import select

from server.models import AuditLog, Gateway, Unit, Ward
from tests.server.conftest import Backend


def patch(demo: Backend, path: str, token: str, **kwargs: Any) -> Any:
    return demo.client.patch(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                             **kwargs)


def runtime(demo: Backend) -> Any:
    return demo.client.app.state.runtime  # type: ignore[attr-defined]


def keyed_gateway(demo: Backend, name: str = "local") -> tuple[int, PrivateKey]:
    """The gateway ``name`` (the demo's embedded one by default) given a key the test holds,
    marked heard from: what is sealed to it the test can open."""
    key = PrivateKey.generate()
    with runtime(demo).sessions() as session:
        gateway = session.execute(select(Gateway).where(Gateway.name == name)
                                  ).scalar_one_or_none()
        if gateway is None:
            gateway = Gateway(name=name, rtsp_host="127.0.0.1", rtsp_port=8555,
                              control_url="http://127.0.0.1:9", is_active=True,
                              control_secret_enc=runtime(demo).secrets.encrypt("x" * 24))
            session.add(gateway)
        gateway.public_key = base64.b64encode(bytes(key.public_key)).decode()
        gateway.last_seen_at = demo.clock()
        session.commit()
        return gateway.id, key


def opened(key: PrivateKey, sealed: str | None) -> str | None:
    if sealed is None:
        return None
    return SealedBox(key).decrypt(base64.b64decode(sealed)).decode()


def ward_id(demo: Backend, name: str = "Đồng Phú") -> int:
    with runtime(demo).sessions() as session:
        return int(session.execute(select(Ward.id).where(Ward.name == name)).scalar_one())


def unit_id(demo: Backend, name: str) -> int:
    with runtime(demo).sessions() as session:
        return int(session.execute(select(Unit.id).where(Unit.name == name)).scalar_one())


def audit_details(demo: Backend) -> str:
    """Every audit row as stored (event, user name, detail), one text to search."""
    with runtime(demo).sessions() as session:
        rows = session.execute(select(AuditLog)).scalars().all()
        return "\n".join(f"{r.event} {r.username} {r.detail}" for r in rows)
