from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication

from b24desk.core.model import TaskFilter
from b24desk.ui.models import (
    Column,
    ErrorLogModel,
    TaskFilterProxy,
    TaskIdRole,
    TaskTableModel,
)
from b24desk.ui.widgets import ErrorPanel, FilterBar, TaskTable
from b24desk.ui.widgets.task_table import complement_spans, merged_row_spans

SECRET = "fakewebhookcode0000"


@pytest.fixture
def table(qtbot, records) -> TaskTable:
    model = TaskTableModel()
    model.append_tasks(records)
    model.flush()
    proxy = TaskFilterProxy(model)
    view = TaskTable(proxy)
    view.resize(900, 500)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def row_center(view: TaskTable, row: int) -> QPoint:
    return view.visualRect(view.model().index(row, 1)).center()


@pytest.mark.parametrize(
    ("spans", "merged"),
    [
        ([], []),
        ([(5, 6), (0, 2), (3, 4)], [(0, 6)]),
        ([(0, 2), (4, 4)], [(0, 2), (4, 4)]),
        ([(0, 2), (1, 4), (8, 9)], [(0, 4), (8, 9)]),
    ],
)
def test_row_spans_merge(spans, merged):
    assert merged_row_spans(spans) == merged


def test_complement_of_spans():
    assert complement_spans([(0, 1), (4, 5)], 8) == [(2, 3), (6, 7)]
    assert complement_spans([], 3) == [(0, 2)]
    assert complement_spans([(0, 2)], 3) == []


def test_select_all_none_and_invert_update_the_count(qtbot, table):
    total = table.model().rowCount()
    with qtbot.waitSignal(table.selection_count_changed) as blocker:
        table.select_all_rows()
    assert blocker.args == [total]
    table.select_no_rows()
    assert table.selected_count() == 0
    for row in (2, 3, 10):
        table.selectionModel().select(
            table.model().index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )
    assert table.selected_count() == 3
    with qtbot.waitSignal(table.selection_count_changed) as blocker:
        table.invert_selection()
    assert blocker.args == [total - 3]
    selected_rows = {index.row() for index in table.selectionModel().selectedRows()}
    assert selected_rows == set(range(total)) - {2, 3, 10}


def test_selected_ids_follow_the_rows_shown(table, records):
    proxy = table.model()
    assert isinstance(proxy, TaskFilterProxy)
    proxy.set_filter(TaskFilter(responsible_id=1))
    table.select_all_rows()
    assert sorted(table.selected_task_ids()) == sorted(
        r.id for r in records if r.responsible_id == 1
    )


def test_double_click_asks_to_open_the_task(qtbot, table):
    expected = table.model().index(4, 0).data()
    where = row_center(table, 4)
    with qtbot.waitSignal(table.open_task_requested) as blocker:
        # QTest's double-click has no press of its own; item views want one first.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert blocker.args == [int(expected)]


def test_context_menu_opens_the_task_under_the_pointer(qtbot, table):
    expected = int(table.model().index(2, 0).data())
    menu = table.build_context_menu(row_center(table, 2))
    open_action = next(a for a in menu.actions() if a.objectName() == "openOnPortal")
    assert str(expected) in open_action.text()
    with qtbot.waitSignal(table.open_task_requested) as blocker:
        open_action.trigger()
    assert blocker.args == [expected]


def test_context_menu_on_empty_space_cannot_open_anything(table):
    table.model().set_filter(TaskFilter(search="no such task anywhere"))
    menu = table.build_context_menu(QPoint(10, 10))
    open_action = next(a for a in menu.actions() if a.objectName() == "openOnPortal")
    assert not open_action.isEnabled()


def test_select_task_reveals_it_or_says_it_is_hidden(table, records):
    target = records[-1].id
    assert table.select_task(target)
    assert table.selected_task_ids() == [target]
    table.model().set_filter(TaskFilter(search="no such task anywhere"))
    assert not table.select_task(target)


@pytest.fixture
def panel(qtbot) -> ErrorPanel:
    model = ErrorLogModel()
    widget = ErrorPanel(model)
    qtbot.addWidget(widget)
    widget.resize(700, 250)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_error_panel_shows_a_hint_until_the_first_error(panel):
    assert panel.empty_label.isVisible()
    assert not panel.copy_button.isEnabled()
    panel.model.add_error("Access denied", task_id=5)
    assert panel.view.isVisible()
    assert panel.windowTitle() == "Problems (1)"
    assert panel.copy_button.isEnabled()


def test_clicking_an_error_with_a_task_emits_its_id(qtbot, panel):
    panel.model.add_error("Network is down")
    panel.model.add_error("Access denied", task_id=4321)
    group = panel.groups.index(1, 0)
    task_line = panel.groups.index(0, 0, group)  # a cause with one task shows it at once
    task_cell = panel.view.visualRect(task_line).center()
    with qtbot.waitSignal(panel.task_activated) as blocker:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=task_cell)
    assert blocker.args == [4321]


def test_clicking_an_error_without_a_task_emits_nothing(qtbot, panel):
    panel.model.add_error("Network is down")
    cell = panel.view.visualRect(panel.groups.index(0, 0)).center()
    with qtbot.assertNotEmitted(panel.task_activated):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=cell)


def test_copy_details_puts_selected_entries_on_the_clipboard_without_secrets(qtbot, panel):
    panel.model.add_error("Timed out", code="TIMEOUT", task_id=1)
    panel.model.add_error(
        f"POST https://example.bitrix24.ru/rest/1/{SECRET}/tasks.task.renew failed",
        code="ERROR_CORE",
        task_id=2,
    )
    panel.model.add_error(f"refused: auth={SECRET}", task_id=3)
    panel.view.setCurrentIndex(panel.groups.index(1, 0))  # the ERROR_CORE cause
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert "task 2" in copied
    assert "ERROR_CORE" in copied
    assert "task 1" not in copied
    assert SECRET not in copied

    panel.view.clearSelection()
    everything = panel.copy_details()
    assert QApplication.clipboard().text() == everything
    assert everything.count("\n") == 2
    assert SECRET not in everything


@pytest.fixture
def bar(qtbot) -> FilterBar:
    widget = FilterBar(debounce_ms=30)
    qtbot.addWidget(widget)
    widget.set_choices({1: "Anna Smith", 2: "Иван Петров"}, {10: "Website", 0: ""})
    return widget


def test_typing_in_search_emits_one_debounced_filter(qtbot, bar):
    emitted: list[TaskFilter] = []
    bar.filter_changed.connect(emitted.append)
    with qtbot.waitSignal(bar.filter_changed):
        qtbot.keyClicks(bar.search, "report")
    qtbot.wait(60)  # longer than the debounce: a second emission would show up here
    assert emitted == [TaskFilter(search="report")]


def test_filter_bar_builds_the_full_filter(qtbot, bar):
    bar.responsible.setCurrentIndex(bar.responsible.findText("Иван Петров"))
    bar.group.setCurrentIndex(bar.group.findText("No group"))
    bar.date_check.setChecked(True)
    bar.date_from.setDate(date(2024, 3, 1))
    bar.date_to.setDate(date(2024, 3, 31))
    with qtbot.waitSignal(bar.filter_changed) as blocker:
        pass
    assert blocker.args == [
        TaskFilter(
            closed_after=date(2024, 3, 1),
            closed_before=date(2024, 3, 31),
            responsible_id=2,
            group_id=0,
        )
    ]
    assert bar.reset_button.isEnabled()


def test_clear_filters_returns_to_everything(qtbot, bar):
    bar.set_filter(TaskFilter(search="x", responsible_id=1))
    with qtbot.waitSignal(bar.filter_changed) as blocker:
        qtbot.mouseClick(bar.reset_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [TaskFilter()]
    assert bar.search.text() == ""
    assert bar.responsible.currentData() is None


def test_refreshing_choices_keeps_the_current_pick(bar):
    bar.responsible.setCurrentIndex(bar.responsible.findData(2))
    bar.set_choices({1: "Anna Smith", 2: "Иван Петров", 3: "Zoe"}, {})
    assert bar.responsible.currentData() == 2
    assert bar.responsible.count() == 4  # "Anyone" + three people


def test_a_pick_that_disappears_falls_back_to_anyone(qtbot, bar):
    bar.responsible.setCurrentIndex(bar.responsible.findData(2))
    bar.apply_now()
    with qtbot.waitSignal(bar.filter_changed) as blocker:
        bar.set_choices({1: "Anna Smith"}, {})
    assert blocker.args == [TaskFilter()]


def test_the_end_date_cannot_precede_the_start(bar):
    bar.date_check.setChecked(True)
    bar.date_to.setDate(date(2024, 3, 1))
    bar.date_from.setDate(date(2024, 3, 10))
    assert bar.current_filter().closed_before == date(2024, 3, 10)


class CountingModel(TaskTableModel):
    """Counts rowCount() calls: Qt's own per-row walks go through it."""

    def __init__(self) -> None:
        super().__init__()
        self.row_count_calls = 0

    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        self.row_count_calls += 1
        return super().rowCount(parent)


def test_select_all_does_not_make_the_header_walk_every_row(qtbot, make_record):
    # A stock QHeaderView asks isColumnSelected() per column on repaint, which visits
    # every row: 8 x 100,000 Python calls froze the window after a select-all.
    model = CountingModel()
    model.append_tasks(make_record(task_id) for task_id in range(1, 5001))
    model.flush()
    view = TaskTable(TaskFilterProxy(model))
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    model.row_count_calls = 0
    view.select_all_rows()
    view.grab()  # paints the header and the rows, as the next screen update would
    # One walk over the rows would be 5,000 calls; the stock header makes eight.
    assert model.row_count_calls < 5000, model.row_count_calls
    assert view.selected_count() == 5000


def test_fast_id_lookup_agrees_with_qt_mapping(table, records):
    proxy = table.model()
    assert isinstance(proxy, TaskFilterProxy)
    for task_filter in (TaskFilter(), TaskFilter(group_id=10), TaskFilter(search="1")):
        proxy.set_filter(task_filter)
        proxy.sort(Column.CLOSED, Qt.SortOrder.DescendingOrder)
        expected = [
            proxy.mapToSource(proxy.index(row, 0)).data(TaskIdRole)
            for row in range(proxy.rowCount())
        ]
        assert proxy.task_ids_in([(0, proxy.rowCount() - 1)]) == expected
        table.select_all_rows()
        assert table.selected_task_ids() == expected
