"""ListDetailPanel: the columns a panel configures, its filters, its actions enabled by the
selected item's server-listed actions and the role, the selection kept by id across a refresh,
an action's answer shown in its row and the detail at once, and several lists as tabs."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QComboBox
from pytestqt.qtbot import QtBot

from widgets.list_detail import Action, Column, ListDetailPanel, always, with_item
from widgets.tables import texts


@dataclass(frozen=True)
class Ticket:
    id: int
    title: str
    state: str
    actions: frozenset[str] = frozenset()

    def may(self, action: str) -> bool:
        return action in self.actions


A = Ticket(1, "Camera 7 dark", "open", frozenset({"close"}))
B = Ticket(2, "Camera 9 offline", "open")
C = Ticket(3, "Camera 3 tilted", "closed")


class Recorder:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, name: str) -> None:
        self.calls.append(name)


def panel_of(qtbot: QtBot, *, boxes: tuple[str, ...] = (), manager: bool = True,
             keep_closed: QCheckBox | None = None) -> tuple[ListDetailPanel[Ticket], Recorder]:
    ran = Recorder()
    columns = [Column[Ticket]("#", lambda t: str(t.id)),
               Column[Ticket]("Title", lambda t: t.title),
               Column[Ticket]("State", lambda t: t.state,
                              colour=lambda t: "#e06c6c" if t.state == "open" else None)]
    keep = None if keep_closed is None else \
        (lambda t: keep_closed.isChecked() or t.state != "closed")
    panel: ListDetailPanel[Ticket] = ListDetailPanel(
        columns, render=lambda t: f"<h3>Ticket #{t.id}</h3><p>{t.title}</p>", boxes=boxes,
        keep=keep)
    qtbot.addWidget(panel)
    panel.add_action(Action("new", "New…", lambda: ran("new"), always, shown=manager))
    panel.add_action(Action("close", "Close", lambda: ran("close")))  # the server decides
    panel.add_action(Action("print", "Print", lambda: ran("print"), with_item))
    return panel, ran


def test_columns_texts_and_colours(qtbot: QtBot) -> None:
    panel, _ran = panel_of(qtbot)
    panel.set_items([A, B, C])
    assert [panel.table.horizontalHeaderItem(c).text() for c in range(3)] == \
        ["#", "Title", "State"]
    assert texts(panel.table) == [["1", "Camera 7 dark", "open"],
                                  ["2", "Camera 9 offline", "open"],
                                  ["3", "Camera 3 tilted", "closed"]]
    assert panel.items() == [A, B, C]
    state = panel.cell(1, 2)
    assert state is not None and state.foreground().color() == QColor("#e06c6c")


def test_actions_follow_the_selected_items_actions_and_the_role(qtbot: QtBot) -> None:
    panel, ran = panel_of(qtbot, manager=False)
    panel.set_items([A, B])
    new, close, print_ = (panel.buttons[k] for k in ("new", "close", "print"))
    assert new.isHidden()  # not for this role
    assert not close.isEnabled() and not print_.isEnabled()  # nothing selected
    assert panel.select(1)
    assert close.isEnabled() and print_.isEnabled()  # the server lists "close" for A
    close.click()
    assert ran.calls == ["close"]
    assert panel.select(2)
    assert not close.isEnabled() and print_.isEnabled()  # ...but not for B


def test_the_selection_is_kept_by_id_across_a_refresh(qtbot: QtBot) -> None:
    panel, _ran = panel_of(qtbot)
    panel.set_items([A, B, C])
    assert panel.select(2)
    seen: list[object] = []
    panel.selection_changed.connect(seen.append)
    moved = Ticket(2, "Camera 9 offline", "open", frozenset({"close"}))
    panel.set_items([C, moved])  # A gone, B moved up and changed
    assert panel.selected() == moved
    assert panel.buttons["close"].isEnabled()  # the buttons follow the fresh item
    assert panel.detail is not None and "Ticket #2" in panel.detail.toPlainText()
    assert seen[-1] == moved
    panel.set_items([C])  # the selected one is gone: nothing selected, no detail
    assert panel.selected() is None and panel.detail.toPlainText() == ""


def test_an_actions_answer_replaces_its_row_and_detail_at_once(qtbot: QtBot) -> None:
    panel, _ran = panel_of(qtbot)
    panel.set_items([A, B])
    panel.select(1)
    closed = Ticket(1, "Camera 7 dark (fixed)", "closed")
    panel.replace_item(closed)
    assert texts(panel.table)[0] == ["1", "Camera 7 dark (fixed)", "closed"]
    assert panel.selected() == closed and not panel.buttons["close"].isEnabled()
    assert panel.detail is not None and "(fixed)" in panel.detail.toPlainText()
    panel.replace_item(Ticket(42, "not listed", "open"))  # nothing to replace: no row added
    assert [t.id for t in panel.items()] == [1, 2]


def test_filters_ask_again_and_keep_hides_rows(qtbot: QtBot) -> None:
    show_closed = QCheckBox("Closed too")
    panel, _ran = panel_of(qtbot, keep_closed=show_closed)
    state = QComboBox()
    state.addItem("All", None)
    state.addItem("Open", "open")
    asked: list[object] = []
    panel.add_filter("State", state, lambda: asked.append(state.currentData()))
    panel.add_filter(None, show_closed, lambda: asked.append(show_closed.isChecked()))
    panel.set_items([A, C])
    assert [t.id for t in panel.items()] == [1]  # the closed one is hidden
    state.setCurrentIndex(1)
    show_closed.setChecked(True)
    assert asked == ["open", True]
    panel.set_items([A, C])
    assert [t.id for t in panel.items()] == [1, 3]


def test_several_lists_as_tabs(qtbot: QtBot) -> None:
    panel, _ran = panel_of(qtbot, boxes=("Mine", "Awaiting"))
    assert panel.tabs is not None and panel.tabs.count() == 2
    panel.set_items([A], 0)
    panel.set_items([B, A], 1)
    panel.show_box(1)
    assert panel.select(2) and panel.selected() == B
    panel.show_box(0)
    assert panel.selected() is None  # the shown list's selection
    panel.replace_item(Ticket(1, "renamed", "open"))  # in every list showing it
    assert panel.items(0)[0].title == "renamed" and panel.items(1)[1].title == "renamed"


def test_a_sort_key_orders_by_value(qtbot: QtBot) -> None:
    columns = [Column[Ticket]("#", lambda t: str(t.id), sort=lambda t: t.id)]
    panel: ListDetailPanel[Ticket] = ListDetailPanel(columns, render=lambda t: t.title,
                                                     detail_beside=False)
    qtbot.addWidget(panel)
    many = [Ticket(i, f"t{i}", "open") for i in (10, 9, 100)]
    panel.set_items(many)
    panel.table.sortItems(0)
    assert [t.id for t in panel.items()] == [9, 10, 100]  # not "10" < "100" < "9"
    panel.select(100)
    panel.set_items(many)  # refilled: still sorted, still selected
    assert [t.id for t in panel.items()] == [9, 10, 100] and panel.selected() == many[2]
    assert panel.detail_label is not None and panel.detail_label.text() == "t100"
