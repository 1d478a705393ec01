"""The shared dialog pieces: a required reason keeps OK disabled until it is long enough; a
one-line question is opened, not run in a nested event loop."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from widgets.forms import ERROR_STYLE, ReasonDialog, ask_text, error_label


def test_error_label_starts_hidden_and_red(qtbot: QtBot) -> None:
    label = error_label()
    qtbot.addWidget(label)
    assert label.isHidden() and label.wordWrap() and label.styleSheet() == ERROR_STYLE


def test_ok_waits_for_the_reason_and_accepts(qtbot: QtBot) -> None:
    dialog = ReasonDialog("Reject", "Reason", "why", ok_text="Reject", hint="needs a reason")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok_button.isEnabled() and dialog.ok_button.toolTip() == "needs a reason"
    dialog.reason_edit.setPlainText("  ab  ")  # blanks do not count
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText(" abc ")
    assert dialog.ok_button.isEnabled() and dialog.ok_button.toolTip() == ""
    assert dialog.ok_button.text() == "Reject"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()
    assert dialog.reason() == "abc" and dialog.result() == QDialog.DialogCode.Accepted


def test_without_accept_on_ok_the_caller_decides(qtbot: QtBot) -> None:
    dialog = ReasonDialog("Reject", "Reason", "why", accept_on_ok=False)
    qtbot.addWidget(dialog)
    dialog.show()
    asked: list[str] = []
    dialog.buttons.accepted.connect(lambda: asked.append(dialog.reason()))
    dialog.reason_edit.setPlainText("the server will say")
    dialog.ok_button.click()
    assert asked == ["the server will say"] and dialog.isVisible()  # still open for an error
    dialog.show_error("409: already decided")
    assert dialog.error_label.isVisible() and "409" in dialog.error_label.text()


def test_the_clip_reject_dialog_is_a_reason_dialog(qtbot: QtBot) -> None:
    from app.clips import parse_clip
    from widgets.requests_panel import RejectDialog

    now = datetime(2026, 11, 28, 3, 0, tzinfo=UTC).isoformat()
    request = parse_clip({
        "id": 7, "camera_id": 1, "camera_name": "CAM-01", "ward": "Đồng Phú", "start": now,
        "end": now, "purpose": "p", "chain": "ward_police", "state": "requested",
        "commitment": None, "letter": None, "endorser": None, "approver": None,
        "reject_reason": None, "clip_start": None, "clip_sha256": None, "clip_size": None,
        "error": None, "created_at": now, "updated_at": now, "events": [], "actions": ["reject"],
        "requester": {"id": 1, "username": "u", "full_name": "U", "unit": "Công an phường"}})
    dialog = RejectDialog(request)
    qtbot.addWidget(dialog)
    assert "#7" in dialog.windowTitle() and not dialog.ok_button.isEnabled()


def test_ask_text_does_not_block_and_answers_on_ok_only(qtbot: QtBot) -> None:
    """The question is shown and the call returns at once (no nested event loop): OK hands the
    text over, Cancel nothing."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    answers: list[str] = []
    dialog = ask_text(parent, "Rename", "New name:", answers.append, text="Ca ngày")
    assert dialog.isVisible() and dialog.parent() is parent
    assert dialog.textValue() == "Ca ngày" and dialog.labelText() == "New name:"
    dialog.setTextValue("Ca đêm")
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        dialog.accept()
    assert answers == ["Ca đêm"]
    dialog = ask_text(parent, "Rename", "New name:", answers.append)
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        dialog.reject()
    assert answers == ["Ca đêm"]
