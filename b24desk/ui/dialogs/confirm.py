"""Plain-words confirmations, asked without blocking the event loop.

A confirmation is a value (`Confirmation`); asking is a function `(parent, confirmation,
answer)` that calls `answer(True/False)` later. The default shows a window-modal message box
with `open()`, never `exec()`: a nested event loop inside a qasync callback would let other
asyncio tasks run re-entrantly. Tests pass their own function (or click the box's button).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from b24desk.core.renew.engine import Precheck

Answer = Callable[[bool], None]
Confirm = Callable[[QWidget, "Confirmation", Answer], None]


@dataclass(frozen=True, slots=True)
class Confirmation:
    title: str
    question: str
    details: str = ""
    accept_text: str = "OK"
    can_proceed: bool = True
    """False: nothing can be done; the box only informs (one button, the answer is False)."""


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _is_are(count: int) -> str:
    return "is" if count == 1 else "are"


def _skipped_parts(precheck: Precheck) -> list[str]:
    parts: list[str] = []
    moved = len(precheck.no_longer_completed)
    missing = len(precheck.missing)
    if moved:
        parts.append(f"{moved:,} {_is_are(moved)} no longer completed")
    if missing:
        verb = "was" if missing == 1 else "were"
        parts.append(f"{missing:,} {verb} deleted or {_is_are(missing)} hidden from you")
    return parts


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def renew_confirmation(selected: int, precheck: Precheck, *, admin: bool = True) -> Confirmation:
    """ "Reopen 37 tasks? 2 are no longer completed and will be skipped." and the like."""
    count = len(precheck.renewable)
    parts = _skipped_parts(precheck)
    skipped = " and ".join(parts)
    if count == 0:
        return Confirmation(
            title="Nothing to reopen",
            question=(
                f"None of the {plural(selected, 'selected task')} can be reopened: "
                f"{skipped or 'none of them is completed any more'}."
            ),
            details="Click “Load tasks” to see the tasks as they are on the portal now.",
            can_proceed=False,
        )
    question = f"Reopen {plural(count, 'task')}?"
    if len(parts) == 1:
        question += f" {_capitalised(skipped)} and will be skipped."
    elif parts:
        question += f" {_capitalised(skipped)}; they will be skipped."
    details = [
        "Each task goes back to “Pending” for its responsible person, as if someone had "
        "clicked “Resume” in Bitrix24.",
        "If you change your mind, “Undo last run” completes them again.",
    ]
    skipped_ids = [t.id for t in precheck.no_longer_completed] + list(precheck.missing)
    if skipped_ids:
        shown = ", ".join(str(task_id) for task_id in skipped_ids[:12])
        more = f" and {len(skipped_ids) - 12:,} more" if len(skipped_ids) > 12 else ""
        details.insert(
            0,
            f"Skipped: task {shown}{more}."
            if len(skipped_ids) == 1
            else f"Skipped: tasks {shown}{more}.",
        )
    if not admin:
        details.append(
            "Your Bitrix24 user is not an administrator: tasks it may not change will be "
            "reported as “Not allowed” and left as they are."
        )
    return Confirmation(
        title="Reopen tasks",
        question=question,
        details="\n\n".join(details),
        accept_text=f"Reopen {plural(count, 'task')}",
    )


def undo_confirmation(renewed: int, runs: int = 1) -> Confirmation:
    where = "this run" if runs == 1 else f"these {runs} runs"
    return Confirmation(
        title="Undo the run",
        question=f"Complete again the {plural(renewed, 'task')} {where} reopened?",
        details=(
            "Tasks that someone has changed since they were reopened are left as they are, "
            "so nobody's new work is lost."
        ),
        accept_text=f"Complete {plural(renewed, 'task')} again",
    )


def ask_with_message_box(parent: QWidget, confirmation: Confirmation, answer: Answer) -> None:
    """Show a window-modal box and return at once; `answer` is called when it closes."""
    box = QMessageBox(parent)
    box.setObjectName("confirmDialog")
    box.setWindowTitle(confirmation.title)
    box.setText(confirmation.question)
    box.setInformativeText(confirmation.details)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    if confirmation.can_proceed:
        box.setIcon(QMessageBox.Icon.Question)
        accept = box.addButton(confirmation.accept_text, QMessageBox.ButtonRole.AcceptRole)
        accept.setObjectName("confirmAccept")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("confirmCancel")
        box.setDefaultButton(accept)
        box.setEscapeButton(cancel)
    else:
        box.setIcon(QMessageBox.Icon.Information)
        accept = None
        box.addButton(QMessageBox.StandardButton.Ok).setObjectName("confirmCancel")

    def finished(_: int) -> None:
        answer(accept is not None and box.clickedButton() is accept)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
