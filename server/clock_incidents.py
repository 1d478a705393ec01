"""The site's clocks as faults for the duty desk (Art. 8): a gateway's or workstation's clock
off the server's by more than :data:`server.clocks.TOLERANCE_S`, and the server's own clock not
synchronised, are ``clock_drift`` incidents the system files by itself; they clear themselves
when the clock is right again.

Categories: a gateway runs beside the server and the server's clock is the server's, so both are
``server`` faults; a workstation is the client the operating unit installs and keeps, so its
clock is a ``software`` fault (see ``common.vocabulary.IncidentCategory``). Evidence times,
deadlines and session tokens count on these clocks: that is why a wrong one is a fault at all.

The callbacks run on the thread that saw the clock (a request's worker thread, the gateway sync,
the clock state check); a database that does not answer loses the word, logged, and the next
sighting says it again.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from common.vocabulary import IncidentCategory, IncidentKind
from server import audit
from server.clocks import TOLERANCE_S, ClockState, Offset
from server.deps import Runtime
from server.incidents import clear_system_incident, file_system_incident

log = logging.getLogger("iocwall.clock")

SERVER_CLOCK = "server clock"


def category_of(subject: str) -> IncidentCategory:
    """``subject`` as :class:`server.clocks.Offset` names it: "gateway …" or "workstation …"."""
    if subject.startswith("workstation "):
        return IncidentCategory.SOFTWARE
    return IncidentCategory.SERVER


def clock_off(runtime: Runtime, offset: Offset) -> None:
    """Audited (who can then say which evidence times it touched) and filed: the first sighting
    opens the subject's incident, each repeat (every :data:`server.clocks.REPEAT_S`) adds a
    report to it."""
    note = (f"Đồng hồ lệch {offset.offset_s:+.1f} s so với máy chủ "
            f"(cho phép {TOLERANCE_S:.0f} s)")
    try:
        with runtime.sessions() as session:
            incident, _opened = file_system_incident(
                session, category_of(offset.subject), IncidentKind.CLOCK_DRIFT, offset.subject,
                note, runtime.clock())
            audit.append(session, "clock_offset", now=runtime.clock(),
                         detail={"subject": offset.subject, "offset_s": offset.offset_s,
                                 "incident_id": incident.id})
            session.commit()
    except SQLAlchemyError as err:
        log.warning("clock offset of %s not audited: %s", offset.subject, err)


def clock_back(runtime: Runtime, offset: Offset) -> None:
    """The subject's clock is within the tolerance: its open incident, if any, clears."""
    note = (f"Tự hết: đồng hồ lệch {offset.offset_s:+.1f} s so với máy chủ, trong mức cho phép "
            f"({TOLERANCE_S:.0f} s)")
    try:
        with runtime.sessions() as session:
            if clear_system_incident(session, IncidentKind.CLOCK_DRIFT, offset.subject, note,
                                     runtime.clock()) is not None:
                session.commit()
                log.info("%s: clock incident cleared", offset.subject)
    except SQLAlchemyError as err:
        log.warning("clock incident of %s not cleared: %s", offset.subject, err)


def server_clock(runtime: Runtime, state: ClockState) -> None:
    """The time service says the server's clock is not synchronised: an incident; synchronised
    again: it clears. No time service at all (a container, a machine without one) is how the
    site was built, not a fault that began: nothing is filed."""
    if state.synchronized is None:
        return
    now = runtime.clock()
    try:
        with runtime.sessions() as session:
            if state.synchronized:
                if clear_system_incident(
                        session, IncidentKind.CLOCK_DRIFT, SERVER_CLOCK,
                        f"Tự hết: máy chủ đồng bộ thời gian lại ({state.detail})",
                        now) is None:
                    return
            else:
                file_system_incident(
                    session, IncidentCategory.SERVER, IncidentKind.CLOCK_DRIFT, SERVER_CLOCK,
                    f"Máy chủ không đồng bộ thời gian ({state.source}: {state.detail})", now)
            session.commit()
    except SQLAlchemyError as err:
        log.warning("server clock incident not recorded: %s", err)
