"""The renew confirmation: the question, an optional comment for every reopened task, and,
when some tasks would be overdue at once, the portal's own deadline choices (keep them, set
one date, move each by N days, weeks or months, for all or only for those already past).
Passive: it only says what was chosen."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from b24desk.core.renew.deadline import DEFAULT_TIME, MAX_MOVE, DeadlineChange, MoveUnit

__all__ = ["MAX_COMMENT", "RenewDialog"]

MAX_COMMENT = 1000
"""Characters of the comment added to each reopened task."""


class RenewDialog(QDialog):
    """Question, details, deadline choices, and Reopen / Cancel."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        question: str,
        details: str,
        accept_text: str,
        offer_deadline: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("renewDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.question.font()
        bold.setBold(True)
        self.question.setFont(bold)
        layout.addWidget(self.question)
        self.details = QLabel(details)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.details)

        group = QGroupBox(self.tr("Deadlines of the reopened tasks"))
        grid = QGridLayout(group)
        self.keep = QRadioButton(self.tr("&Keep them as they are"))
        self.set_to = QRadioButton(self.tr("&Set them to"))
        self.move_by = QRadioButton(self.tr("&Move each by"))
        self._choice = QButtonGroup(self)
        for button in (self.keep, self.set_to, self.move_by):
            self._choice.addButton(button)
        self.keep.setChecked(True)
        tomorrow = (datetime.now() + timedelta(days=1)).date()
        self.date = QDateTimeEdit(
            QDateTime(
                QDate(tomorrow.year, tomorrow.month, tomorrow.day),
                QTime(DEFAULT_TIME.hour, DEFAULT_TIME.minute),
            )
        )
        self.date.setCalendarPopup(True)
        self.date.setObjectName("deadlineDate")
        self.amount = QSpinBox()
        self.amount.setRange(1, MAX_MOVE)
        self.amount.setValue(7)
        self.amount.setObjectName("deadlineAmount")
        self.unit = QComboBox()
        self.unit.setObjectName("deadlineUnit")
        for unit, text in (
            (MoveUnit.DAYS, self.tr("days")),
            (MoveUnit.WEEKS, self.tr("weeks")),
            (MoveUnit.MONTHS, self.tr("months")),
        ):
            self.unit.addItem(text, unit.value)
        moving = QHBoxLayout()
        moving.addWidget(self.amount)
        moving.addWidget(self.unit)
        moving.addStretch(1)
        grid.addWidget(self.keep, 0, 0, 1, 2)
        grid.addWidget(self.set_to, 1, 0)
        grid.addWidget(self.date, 1, 1)
        grid.addWidget(self.move_by, 2, 0)
        grid.addLayout(moving, 2, 1)
        self.only_past = QCheckBox(self.tr("Only for tasks whose deadline has &passed"))
        self.only_past.setChecked(True)
        grid.addWidget(self.only_past, 3, 0, 1, 2)
        layout.addWidget(group)
        group.setVisible(offer_deadline)
        self.deadline_group = group
        self._offer_deadline = offer_deadline

        self.comment = QLineEdit()
        self.comment.setObjectName("renewComment")
        self.comment.setMaxLength(MAX_COMMENT)
        self.comment.setPlaceholderText(self.tr("Reopened because …"))
        comment_label = QLabel(self.tr("&Comment on each reopened task (optional):"))
        comment_label.setBuddy(self.comment)
        layout.addWidget(comment_label)
        layout.addWidget(self.comment)

        self.buttons = QDialogButtonBox()
        self.accept_button = self.buttons.addButton(
            accept_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.accept_button.setObjectName("confirmAccept")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("confirmCancel")
        self.accept_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._choice.buttonToggled.connect(self._enable)
        self._enable()

    def _enable(self, *_: object) -> None:
        self.date.setEnabled(self.set_to.isChecked())
        self.amount.setEnabled(self.move_by.isChecked())
        self.unit.setEnabled(self.move_by.isChecked())
        self.only_past.setEnabled(not self.keep.isChecked())

    def comment_text(self) -> str:
        """The comment to add to every reopened task ("" for none)."""
        return " ".join(self.comment.text().split())

    def deadline_change(self) -> DeadlineChange | None:
        """What the admin chose; None: keep the deadlines."""
        if not self._offer_deadline:
            return None
        only = self.only_past.isChecked()
        if self.set_to.isChecked():
            moment = self.date.dateTime().toPython()
            assert isinstance(moment, datetime)
            return DeadlineChange(at=moment.replace(second=0, microsecond=0), only_overdue=only)
        if self.move_by.isChecked():
            unit = MoveUnit(self.unit.currentData())
            return DeadlineChange(move=self.amount.value(), unit=unit, only_overdue=only)
        return None
