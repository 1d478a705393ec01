"""Whether this database is an initialised site, and whether it is the demo (the ``site`` row).

``python -m server init`` writes the row for a real site (``demo`` false); the demo seed
writes it with ``demo`` true. Serving refuses a database without it, so a site never starts
empty by accident (nobody could log in) and never becomes the demo by accident.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from server.models import Site

SITE_ID = 1


class SiteMismatch(RuntimeError):
    """The demo asked for on a site initialised for real use (or the reverse)."""


def site_row(session: Session) -> Site | None:
    return session.execute(select(Site).where(Site.id == SITE_ID)).scalar_one_or_none()


def is_demo(session: Session) -> bool:
    row = site_row(session)
    return row is not None and row.demo


def initialised(engine: Engine) -> bool:
    """A site row exists (a database not migrated yet is not initialised)."""
    if not inspect(engine).has_table("site"):
        return False
    with Session(engine) as session:
        return site_row(session) is not None


def mark_initialised(session: Session, now: datetime, *, demo: bool) -> Site:
    """Write the site row (the caller commits); the demo flag of an existing row never
    changes: a real site cannot become the demo, nor the demo a real site."""
    row = site_row(session)
    if row is None:
        row = Site(id=SITE_ID, created_at=now, demo=demo)
        session.add(row)
        session.flush()
    elif row.demo != demo:
        raise SiteMismatch("this database was initialised as a real site; the demo cannot "
                           "run on it" if demo else "this database is the demo site")
    return row
