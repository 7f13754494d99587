"""Room for the Title column on a narrow window (a mixin of `MainWindow`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow

from b24desk.ui.models.tasks import Column
from b24desk.ui.widgets.task_table import TaskTable

TITLE_ROOM = 220
"""On a narrow window the name, group and status columns give way until Title has this much."""
SHRINKABLE_COLUMNS = (
    Column.RESPONSIBLE,
    Column.CREATOR,
    Column.GROUP,
    Column.CLOSED_BY,
    Column.STATUS,
)
SHRINK_AT_MOST = 0.6
"""A column keeps at least this share of its width (its header stays readable)."""

if TYPE_CHECKING:
    _Base = QMainWindow
else:
    _Base = object


class TitleRoom(_Base):
    """Narrows the name, group and status columns until Title has `TITLE_ROOM` pixels."""

    # Made by `MainWindow.__init__`.
    table: TaskTable
    _auto_widths: dict[Column, int]
    """The widths b24desk chose: columns the user sized (or restored) are left alone."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._give_title_room()
        return super().eventFilter(watched, event)

    def _give_title_room(self) -> None:
        """Title stretches into the spare width; on a narrow window (1024 px) there is
        little, so the name, group and status columns narrow until Title has some."""
        header = self.table.horizontalHeader()
        if header.sectionSize(Column.TITLE) >= TITLE_ROOM:
            return
        shrinkable = [c for c in SHRINKABLE_COLUMNS if not header.isSectionHidden(c)]
        widths = {c: header.sectionSize(c) for c in shrinkable}
        if any(width != self._auto_widths.get(c) for c, width in widths.items()):
            return  # the user's widths
        total = sum(widths.values())
        fixed = sum(
            header.sectionSize(c)
            for c in Column
            if c is not Column.TITLE and c not in widths and not header.isSectionHidden(c)
        )
        room = self.table.viewport().width() - fixed - TITLE_ROOM
        if total <= 0 or room >= total:
            return
        scale = max(room / total, SHRINK_AT_MOST)
        for column, width in widths.items():
            narrower = max(header.minimumSectionSize(), int(width * scale))
            self._auto_widths[column] = narrower
            header.resizeSection(column, narrower)
