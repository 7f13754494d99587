"""Widgets of the main window; none of them does I/O."""

from b24desk.ui.widgets.error_panel import ErrorPanel
from b24desk.ui.widgets.filter_bar import FilterBar
from b24desk.ui.widgets.main_window import Activity, MainWindow
from b24desk.ui.widgets.task_table import TaskTable

__all__ = ["Activity", "ErrorPanel", "FilterBar", "MainWindow", "TaskTable"]
