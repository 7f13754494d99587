"""One clock in the window: the Closed column in this computer's local time, as History shows.

The portal sends each task's dates with its own offset (`+03:00`); shown as sent, a task
closed at 16:15 Moscow time would read 16:15 next to a run that History lists at 14:15 for
a user in Berlin. The Closed column is therefore drawn in local time, and its header says so.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QPersistentModelIndex
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
)

from b24desk.core.i18n import QT_TRANSLATE_NOOP
from b24desk.ui import language
from b24desk.ui.models.tasks import Column, RecordRole

CLOSED_TIP = QT_TRANSLATE_NOOP(
    "TaskTable", "When the task was completed, in this computer's local time ({zone})"
)


def local_zone_text(moment: datetime | None = None) -> str:
    """This computer's offset from UTC, e.g. "UTC+03:00" (now, or at `moment`)."""
    local = (moment or datetime.now()).astimezone()
    offset = local.strftime("%z")  # +0300
    if len(offset) == 5:
        return f"UTC{offset[:3]}:{offset[3:]}"
    return "UTC"


def local_time_text(moment: datetime | None) -> str:
    """An aware moment as this computer's wall-clock time, in the language's format."""
    if moment is None:
        return ""
    return language.date_time_text(moment.astimezone() if moment.tzinfo else moment)


class LocalTimeDelegate(QStyledItemDelegate):
    """Draws the Closed column's dates in local time (the table model keeps the portal's)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        record = index.data(RecordRole)
        moment = getattr(record, "closed_date", None)
        if isinstance(moment, datetime):
            option.text = local_time_text(moment)


class _HeaderTips(QObject):
    """The Closed header's tooltip says which clock the column shows."""

    def __init__(self, header: QHeaderView) -> None:
        super().__init__(header)
        self._header = header

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            section = self._header.logicalIndexAt(event.pos())
            if section == Column.CLOSED:
                QToolTip.showText(event.globalPos(), closed_tip(), self._header)
                return True
        return False


def closed_tip() -> str:
    return QCoreApplication.translate("TaskTable", CLOSED_TIP).format(zone=local_zone_text())


def show_local_time(table: QTableView) -> LocalTimeDelegate:
    """Make `table` (a view of the task models) show Closed in local time."""
    delegate = LocalTimeDelegate(table)
    table.setItemDelegateForColumn(Column.CLOSED, delegate)
    header = table.horizontalHeader()
    header.viewport().installEventFilter(_HeaderTips(header))
    return delegate
