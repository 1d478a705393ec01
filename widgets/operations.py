"""Install the operations into the main window: violation cases, incidents and fault reports.
The shell calls it once after login with the session's services (``app.context``)::

    operations = install_operations(window, capabilities=..., incidents=..., cases=...,
                                    public_cameras=..., messages=..., main_view=window.wall,
                                    wall_windows=walls, evidence=panels)

- "Cases" dock (operating unit, city police, traffic & order police): the overdue count on its
  title; overdue cases told once through the message bridge.
- "Incidents" dock (the operating unit's duty desk): open/acknowledged/resolved, acknowledge,
  resolve, snapshots; the open count on its title; each new incident told.
- Any user: "Report a fault…" from a tile's context menu (:meth:`Operations.report_fault`, also
  for the other screens' walls) or the Operations menu (the selected tile), with the tile's
  picture; "Report a system fault…" (Operations menu) for a fault of the server, software,
  storage or network (:meth:`Operations.report_system_fault`).
- "Publications" dock (the operating unit, Art. 14): proposals to publish violation media,
  their review, a leader's approval, withdrawal.
- "Handover" dock (the operating unit, Art. 8.1, 15.1): the shift handover notes, "Write
  handover note…", "Acknowledge handover", "Duty roster…".
- "Duty roster…" (Operations menu, any user: every unit reports to the duty desk): the week's
  shifts and who is on them; the operating unit's administrators and leaders assign people.
- An "Operations" menu with the docks, "Open case…", "Open case from the selected bookmark /
  clip request…" (when the evidence panels are given), "Public cameras…" (the operating unit,
  Art. 14) and "Report a fault…".

The offline watcher and the health reports run in the session context, not here. Nothing here
talks to the network or libvlc: the services in ``app/`` do, through ops.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from app.capabilities import Capabilities
from app.cases import CaseService
from app.domain import Camera
from app.duty import DutyService
from app.i18n import arg
from app.incidents import IncidentService
from app.messages import MessageBridge
from app.public_cameras import PublicCameraService
from app.publications import PublicationService
from app.video.status import StreamState
from app.wall import CellKind
from common.vocabulary import IncidentKind
from widgets.cases_panel import CasesPanel
from widgets.handover_panel import HandoverPanel
from widgets.incidents_panel import (
    FaultReportDialog,
    IncidentsPanel,
    SystemFaultDialog,
    ask_fault_report,
    ask_system_fault,
    grab_picture,
)
from widgets.panels import EvidencePanels
from widgets.public_cameras import PublicCamerasDialog, open_public_cameras
from widgets.publications_panel import PublicationsPanel
from widgets.roster_panel import RosterDialog, open_roster
from widgets.wall_view import WallView
from widgets.wall_window import WallWindows

BOTTOM_DOCK_HEIGHT = 230  # px: the evidence/operations tab strip under the wall


@dataclass
class Operations:
    window_ref: weakref.ref[QMainWindow]  # no cycle: the window's children hold this object
    incidents: IncidentService
    menu: QMenu
    messages: MessageBridge
    main_view: WallView
    wall_windows: WallWindows | None = None
    cases: CaseService | None = None
    cases_panel: CasesPanel | None = None
    cases_dock: QDockWidget | None = None
    publications_panel: PublicationsPanel | None = None
    publications_dock: QDockWidget | None = None
    incidents_panel: IncidentsPanel | None = None
    incidents_dock: QDockWidget | None = None
    handover_panel: HandoverPanel | None = None
    handover_dock: QDockWidget | None = None
    evidence: EvidencePanels | None = None
    actions: dict[str, QAction] = field(default_factory=dict)
    # the operating unit's "Public cameras…" (Art. 14)
    public_cameras: PublicCameraService | None = None
    public_cameras_dialog: PublicCamerasDialog | None = None
    # the duty roster window (any user reads it; its keepers assign)
    duty: DutyService | None = None
    keep_roster: bool = False
    roster_dialog: RosterDialog | None = None
    closed: bool = False

    @property
    def window(self) -> QMainWindow | None:
        return self.window_ref()

    def tr(self, text: str) -> str:
        """This module's strings have one context, "Operations" (lupdate reads it from the class
        name for ``self.tr`` and from the literal in ``install_operations``)."""
        return QCoreApplication.translate("Operations", text)

    def report_fault(self, cell: int | None = None, view: WallView | None = None
                     ) -> FaultReportDialog | None:
        """The fault dialog for a cell of ``view`` (default: the main wall; cell default: the
        selected tile), with its picture grabbed now, before the dialog covers anything."""
        window = self.window
        wall = view if view is not None else self.main_view
        if window is None:
            return None
        cell = wall.selected_cell if cell is None else cell
        if not 0 <= cell < len(wall.tiles):
            return None
        state = wall.controller.cell(cell)
        if state.kind is not CellKind.CAMERA or state.camera_id is None:
            self.messages.info(self.tr("Choose a tile that shows a camera."))
            return None
        tile = wall.tiles[cell]
        snapshot = grab_picture(tile.surface())
        dialog = ask_fault_report(wall.window() if view is not None else window,
                                  self.incidents, state.camera_id, state.name, snapshot)
        status = tile.status()
        if status is not None and status.state in (StreamState.OFFLINE, StreamState.STALLED):
            dialog.kind_combo.setCurrentIndex(
                dialog.kind_combo.findData(IncidentKind.OFFLINE.value))
        return dialog

    def report_system_fault(self) -> SystemFaultDialog | None:
        window = self.window
        if window is None:
            return None
        return ask_system_fault(window, self.incidents)

    def wire_wall_windows(self) -> None:
        """The other screens' walls: their tiles' "Report a fault…" too."""
        if self.wall_windows is None:
            return
        for wall_window in list(self.wall_windows.windows.values()):
            view = wall_window.wall
            if view.property("operationsWired"):
                continue
            view.setProperty("operationsWired", True)
            view.fault_report_requested.connect(functools.partial(self._report_on, view))

    def _report_on(self, view: WallView, cell: int) -> None:
        self.report_fault(cell, view)

    def open_case(self) -> None:
        if self.cases_panel is not None and self.cases_dock is not None:
            self.cases_dock.show()
            self.cases_dock.raise_()
            self.cases_panel.open_case()

    def open_case_from_bookmark(self) -> None:
        bookmark = self.evidence.bookmarks_panel.selected() if self.evidence is not None else None
        if bookmark is None:
            self.messages.info(self.tr("Select a bookmark first."))
            return
        if self.cases_panel is not None and self.cases_dock is not None:
            self.cases_dock.show()
            self.cases_dock.raise_()
            self.cases_panel.open_case(bookmark=bookmark)

    def open_case_from_clip(self) -> None:
        clip = self.evidence.requests_panel.selected() if self.evidence is not None else None
        if clip is None:
            self.messages.info(self.tr("Select a clip request first."))
            return
        if self.cases_panel is not None and self.cases_dock is not None:
            self.cases_dock.show()
            self.cases_dock.raise_()
            self.cases_panel.open_case(clip=clip)

    def open_public_cameras(self) -> PublicCamerasDialog | None:
        """The "Public cameras" dialog (one at a time; raised when open already)."""
        if self.public_cameras is None or self.window is None:
            return None
        if self.public_cameras_dialog is not None:
            self.public_cameras_dialog.raise_()
            return self.public_cameras_dialog
        dialog = open_public_cameras(self.public_cameras, self.window)
        dialog.finished.connect(lambda _r: setattr(self, "public_cameras_dialog", None))
        self.public_cameras_dialog = dialog
        return dialog

    def open_roster(self) -> RosterDialog | None:
        """The "Duty roster" window (one at a time; raised when open already)."""
        if self.duty is None or self.window is None:
            return None
        if self.roster_dialog is not None:
            self.roster_dialog.raise_()
            self.roster_dialog.activateWindow()
            return self.roster_dialog
        dialog = open_roster(self.duty, can_assign=self.keep_roster, parent=self.window)
        dialog.finished.connect(lambda _r: setattr(self, "roster_dialog", None))
        self.roster_dialog = dialog
        return dialog

    def set_cameras(self, cameras: list[Camera]) -> None:
        if self.cases_panel is not None:
            self.cases_panel.set_wards(sorted({str(c.ward) for c in cameras}))

    def close(self) -> None:
        """Close the dialog it opened; the services stop with the session context."""
        if self.closed:
            return
        self.closed = True
        self.evidence = None  # it holds the window: no cycle left behind
        if self.public_cameras_dialog is not None:
            self.public_cameras_dialog.close()
        if self.roster_dialog is not None:
            self.roster_dialog.close()


def _share_the_evidence_tabs(window: QMainWindow, evidence: EvidencePanels | None,
                             docks: list[QDockWidget | None]) -> None:
    """The wall keeps the screen: the operations docks join the evidence docks' tab group at the
    bottom (one strip of tabs, not a second column of panels squeezing the tiles), the clip
    requests stay in front, and the strip keeps a modest height."""
    anchor = evidence.requests_dock if evidence is not None else None
    present = [dock for dock in docks if dock is not None]
    if anchor is None or not present:
        return
    for dock in present:
        window.tabifyDockWidget(anchor, dock)
    anchor.raise_()
    window.resizeDocks([anchor], [BOTTOM_DOCK_HEIGHT], Qt.Orientation.Vertical)


def install_operations(window: QMainWindow, *, capabilities: Capabilities,
                       incidents: IncidentService, cases: CaseService | None,
                       public_cameras: PublicCameraService | None, messages: MessageBridge,
                       publications: PublicationService | None = None,
                       main_view: WallView, wall_windows: WallWindows | None = None,
                       evidence: EvidencePanels | None = None,
                       duty: DutyService | None = None) -> Operations:
    """Add the docks and the Operations menu the user's unit may use (see the module
    docstring)."""
    desk = capabilities.incident_desk
    menu = window.menuBar().addMenu(QCoreApplication.translate("Operations", "&Operations"))
    result = Operations(weakref.ref(window), incidents, menu, messages, main_view,
                        wall_windows=wall_windows, evidence=evidence, duty=duty,
                        keep_roster=capabilities.keep_roster)

    if cases is not None:
        panel = CasesPanel(cases, can_open=capabilities.open_cases, publications=publications)
        dock = QDockWidget(QCoreApplication.translate("Operations", "Cases"), window)
        dock.setObjectName("cases_dock")
        dock.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        result.cases, result.cases_panel, result.cases_dock = cases, panel, dock
        cases_action = dock.toggleViewAction()
        cases_action.setText(QCoreApplication.translate("Operations", "Cases"))
        menu.addAction(cases_action)
        result.actions["cases"] = cases_action

        # (each badge names its own dock and action: a shared name, bound late, would write
        # onto whichever dock's action was made last)
        def cases_badge(count: int) -> None:
            title = QCoreApplication.translate("Operations", "Cases")
            text = QCoreApplication.translate("Operations", "%1 (%2 overdue)")
            text = arg(text, title, count) if count else title
            dock.setWindowTitle(text)
            cases_action.setText(text)

        cases.overdue_changed.connect(cases_badge)

    if desk:
        incidents_panel = IncidentsPanel(incidents, can_handle=True)
        incidents_dock = QDockWidget(QCoreApplication.translate("Operations", "Incidents"), window)
        incidents_dock.setObjectName("incidents_dock")
        incidents_dock.setWidget(incidents_panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, incidents_dock)
        if result.cases_dock is not None:
            window.tabifyDockWidget(result.cases_dock, incidents_dock)
        result.incidents_panel, result.incidents_dock = incidents_panel, incidents_dock
        incidents_action = incidents_dock.toggleViewAction()
        incidents_action.setText(QCoreApplication.translate("Operations", "Incidents"))
        menu.addAction(incidents_action)
        result.actions["incidents"] = incidents_action

        def incidents_badge(count: int) -> None:
            title = QCoreApplication.translate("Operations", "Incidents")
            text = QCoreApplication.translate("Operations", "%1 (%2 open)")
            text = arg(text, title, count) if count else title
            incidents_dock.setWindowTitle(text)
            incidents_action.setText(text)

        incidents.open_count_changed.connect(incidents_badge)

    if publications is not None:
        publications_panel = PublicationsPanel(publications)
        publications_dock = QDockWidget(QCoreApplication.translate("Operations", "Publications"),
                                        window)
        publications_dock.setObjectName("publications_dock")
        publications_dock.setWidget(publications_panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, publications_dock)
        result.publications_panel = publications_panel
        result.publications_dock = publications_dock
        action = publications_dock.toggleViewAction()
        action.setText(QCoreApplication.translate("Operations", "Publications"))
        menu.addAction(action)
        result.actions["publications"] = action

    if duty is not None and capabilities.handovers:
        handover_panel = HandoverPanel(duty, open_roster=result.open_roster)
        handover_dock = QDockWidget(QCoreApplication.translate("Operations", "Handover"), window)
        handover_dock.setObjectName("handover_dock")
        handover_dock.setWidget(handover_panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, handover_dock)
        result.handover_panel, result.handover_dock = handover_panel, handover_dock
        action = handover_dock.toggleViewAction()
        action.setText(QCoreApplication.translate("Operations", "Handover"))
        menu.addAction(action)
        result.actions["handover"] = action

    _share_the_evidence_tabs(window, evidence, [result.cases_dock, result.incidents_dock,
                                                result.publications_dock, result.handover_dock])

    menu.addSeparator()
    if result.cases is not None and capabilities.open_cases:
        open_case = menu.addAction(QCoreApplication.translate("Operations", "Open case…"))
        open_case.triggered.connect(result.open_case)
        result.actions["open_case"] = open_case
        if evidence is not None:
            from_bookmark = menu.addAction(
                QCoreApplication.translate("Operations", "Open case from the selected bookmark…"))
            from_bookmark.triggered.connect(result.open_case_from_bookmark)
            from_clip = menu.addAction(
                QCoreApplication.translate("Operations", "Open case from the selected clip request…"))
            from_clip.triggered.connect(result.open_case_from_clip)
            result.actions["open_case_bookmark"] = from_bookmark
            result.actions["open_case_clip"] = from_clip
    if duty is not None:
        roster = menu.addAction(QCoreApplication.translate("Operations", "Duty roster…"))
        roster.triggered.connect(result.open_roster)
        result.actions["duty_roster"] = roster
    if public_cameras is not None:
        result.public_cameras = public_cameras
        public = menu.addAction(QCoreApplication.translate("Operations", "Public cameras…"))
        public.triggered.connect(result.open_public_cameras)
        result.actions["public_cameras"] = public
    fault = menu.addAction(
        QCoreApplication.translate("Operations", "Report a fault on the selected tile…"))
    fault.triggered.connect(lambda: result.report_fault())
    result.actions["report_fault"] = fault
    # a fault of the system around the cameras (server, software, storage, network): any user
    # reports it to the duty desk (Art. 8, 10), not only the desk itself
    system_fault = menu.addAction(
        QCoreApplication.translate("Operations", "Report a system fault…"))
    system_fault.triggered.connect(result.report_system_fault)
    result.actions["report_system_fault"] = system_fault

    if wall_windows is not None:
        wall_windows.windows_changed.connect(result.wire_wall_windows)
        result.wire_wall_windows()
    return result
