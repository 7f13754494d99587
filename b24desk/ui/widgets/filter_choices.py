"""What the filter bar offers: the responsibles (namesakes told apart by what the portal
says of them), the groups, and the days tasks were closed (a mixin of `MainWindow`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from b24desk.core.bitrix.users import UserDetails, distinct_labels, namesakes
from b24desk.ui.models import TaskTableModel
from b24desk.ui.widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    _Base = QMainWindow
else:
    _Base = object


class WindowFilterChoices(_Base):
    """Keeps the filter bar's choices in step with the loaded tasks."""

    # Made by `MainWindow.__init__`.
    task_model: TaskTableModel
    filter_bar: FilterBar
    _user_details: dict[int, UserDetails]
    """What tells namesakes apart (department, e-mail), as the controller fetched it."""
    _choices_timer: QTimer

    def set_current_user(self, user_id: int | None) -> None:
        """The connection's own user: offered as "Me" in the Responsible filter."""
        self.filter_bar.set_me(user_id)

    def namesake_ids(self) -> list[int]:
        """Responsibles whose name another responsible shares and whose details are not
        known yet: the ids to ask the portal about (`set_user_details`)."""
        return [i for i in namesakes(self.task_model.people) if i not in self._user_details]

    def set_user_details(self, details: Mapping[int, UserDetails]) -> None:
        """Show namesakes with what tells them apart: "Maria Brown (Sales)"."""
        self._user_details.update(details)
        self._refresh_choices()

    def responsible_labels(self) -> dict[int, str]:
        """Responsible id -> the name the filter offers (namesakes told apart)."""
        return distinct_labels(self.task_model.people, self._user_details)

    def _refresh_choices(self) -> None:
        self.filter_bar.set_choices(self.responsible_labels(), self.task_model.groups)
        span = self.task_model.closed_span()
        if span is not None:
            # Local days, as the Closed column shows them.
            self.filter_bar.set_date_bounds(self._local_day(span[0]), self._local_day(span[1]))

    def _schedule_choices(self, *_: object) -> None:
        if not self._choices_timer.isActive():
            self._choices_timer.start()

    @staticmethod
    def _local_day(moment: datetime) -> date:
        return (moment.astimezone() if moment.tzinfo else moment).date()
