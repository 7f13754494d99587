"""What the window remembers between sessions: geometry, docks, columns, filters, profile.

Everything goes through one `QSettings` handed in from outside (the app's default one, a
demo's temporary file, or a test's own), so nothing here decides where settings live.
Values that do not parse (an older version, a hand-edited file) are ignored, never fatal.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from b24desk.core.model import TaskFilter
from b24desk.ui.widgets.main_window import MainWindow

logger = logging.getLogger(__name__)

GEOMETRY = "window/geometry"
STATE = "window/state"
COLUMNS = "table/header"
FILTER = "table/filter"
LAST_PROFILE = "connection/last_profile"
VERSION = "settings/version"
SETTINGS_VERSION = 1


def filter_to_text(task_filter: TaskFilter) -> str:
    data: dict[str, Any] = {
        "closed_after": task_filter.closed_after.isoformat() if task_filter.closed_after else None,
        "closed_before": (
            task_filter.closed_before.isoformat() if task_filter.closed_before else None
        ),
        "responsible_id": task_filter.responsible_id,
        "creator_id": task_filter.creator_id,
        "group_id": task_filter.group_id,
        "search": task_filter.search,
    }
    return json.dumps(data, ensure_ascii=False)


def filter_from_text(text: str) -> TaskFilter:
    """The filter saved by `filter_to_text`; ValueError when it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a saved filter is a JSON object")

    def day(key: str) -> date | None:
        value = data.get(key)
        return date.fromisoformat(value) if isinstance(value, str) else None

    def number(key: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{key} must be a whole number of at least 0")
        return value

    search = data.get("search", "")
    return TaskFilter(
        closed_after=day("closed_after"),
        closed_before=day("closed_before"),
        responsible_id=number("responsible_id"),
        creator_id=number("creator_id"),
        group_id=number("group_id"),
        search=search if isinstance(search, str) else "",
    )


class WindowSettings:
    def __init__(self, settings: QSettings) -> None:
        self.qsettings = settings

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def restore(self, window: MainWindow) -> None:
        geometry = self._bytes(GEOMETRY)
        if geometry is not None:
            window.restoreGeometry(geometry)
        state = self._bytes(STATE)
        if state is not None:
            window.restoreState(state, SETTINGS_VERSION)
        columns = self._bytes(COLUMNS)
        if columns is not None and not window.table.horizontalHeader().restoreState(columns):
            logger.info("saved column layout ignored")
        text = self.qsettings.value(FILTER)
        if isinstance(text, str) and text:
            try:
                window.filter_bar.set_filter(filter_from_text(text))
            except (ValueError, TypeError) as error:
                logger.info("saved filter ignored: %s", error)

    def save(self, window: MainWindow) -> None:
        self.qsettings.setValue(VERSION, SETTINGS_VERSION)
        self.qsettings.setValue(GEOMETRY, window.saveGeometry())
        self.qsettings.setValue(STATE, window.saveState(SETTINGS_VERSION))
        self.qsettings.setValue(COLUMNS, window.table.horizontalHeader().saveState())
        self.qsettings.setValue(FILTER, filter_to_text(window.current_filter()))
        self.qsettings.sync()

    def last_profile(self) -> str | None:
        value = self.qsettings.value(LAST_PROFILE)
        return value if isinstance(value, str) and value else None

    def set_last_profile(self, name: str) -> None:
        self.qsettings.setValue(LAST_PROFILE, name)
        self.qsettings.sync()
