"""What the logged-in user's unit may use in the client, derived from its kind (the server stays
the authority and refuses anything else; this only decides which panels and menus to offer)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import User
from common.vocabulary import Role, UnitKind

# units that read cases (the server answers 403/404 to others)
CASE_UNITS = frozenset({UnitKind.OPERATING_UNIT, UnitKind.CITY_POLICE, UnitKind.TRAFFIC_POLICE})


@dataclass(frozen=True)
class Capabilities:
    cases: bool = False           # the Cases dock
    open_cases: bool = False      # "Open case…": the operating unit opens them (Art. 11.3)
    incident_desk: bool = False   # acknowledge/resolve incidents, told of each new one
    public_cameras: bool = False  # choose the cameras shown to the public (Art. 14)
    reports: bool = False         # periodic reports (Art. 15)
    handovers: bool = False       # the shift handover of the 24/7 duty (Art. 8.1, 15.1)
    keep_roster: bool = False     # "Assign…" on the duty roster: the operating unit's
    #                               administrators and leaders (Art. 10.1, 15.2)
    audit: bool = False           # the audit log
    decide_access: bool = False   # grant or refuse other agencies' access requests (Art. 12)
    file_access: bool = False     # an outside agency files its own access requests
    administer: bool = False      # the operating unit's administrators: the Administration
    #                               window (wards, units, accounts, cameras, gateways; Art. 10)

    @classmethod
    def of(cls, user: User) -> Capabilities:
        kind = user.unit.kind
        desk = kind == UnitKind.OPERATING_UNIT
        return cls(cases=kind in CASE_UNITS, open_cases=desk, incident_desk=desk,
                   public_cameras=desk, reports=desk, handovers=desk, audit=desk, decide_access=desk,
                   file_access=kind == UnitKind.OTHER_AGENCY,
                   keep_roster=desk and user.role in (Role.ADMIN, Role.LEADER),
                   administer=desk and user.role == Role.ADMIN)

    @property
    def access_requests(self) -> bool:
        return self.decide_access or self.file_access
