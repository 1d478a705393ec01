"""Evidence handed over with a case (Art. 11.3.b, 12.2): once the operating unit sends a case to
city police, the receiving units may open its clips — list them, read their signed manifests,
download and verify them (each download audited with who and why) — without having requested
them. Before the case is sent, nothing of it reaches them.

The receiving units are city police and its traffic & order police team: they verify the
violation (Art. 11.3.b). Ward police and others see the clips only through their own requests
(Art. 12.2.c).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import cases
from server import permissions as perm
from server.models import User, ViolationCase, ViolationCaseClip

RECEIVERS = frozenset({perm.UnitKind.CITY_POLICE, perm.UnitKind.TRAFFIC_POLICE})


def may_take_evidence(user: User) -> bool:
    """The units a case's evidence goes to whole: the operating unit that gathered it and the
    police units it is sent to."""
    kind = perm.UnitKind(user.unit.kind)
    return kind in RECEIVERS or kind is perm.UnitKind.OPERATING_UNIT


def received_cases(session: Session, user: User, clip_id: int,
                   now: datetime) -> list[ViolationCase]:
    """The sent cases citing the clip that the user's unit received and may read."""
    if perm.UnitKind(user.unit.kind) not in RECEIVERS:
        return []
    found = []
    for link in session.execute(select(ViolationCaseClip).where(
            ViolationCaseClip.clip_request_id == clip_id)).scalars():
        case = session.get(ViolationCase, link.case_id)
        if case is not None and case.sent_at is not None \
                and cases.can_read(session, user, case, now):
            found.append(case)
    return found


def received_evidence(session: Session, user: User, clip_id: int, now: datetime) -> bool:
    return bool(received_cases(session, user, clip_id, now))
