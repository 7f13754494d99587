from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt

from b24desk.core.model import TaskFilter, TaskOutcome, TaskRecord
from b24desk.ui.models import Column, TaskFilterProxy, TaskIdRole, TaskTableModel


def proxy_over(records: list[TaskRecord]) -> TaskFilterProxy:
    model = TaskTableModel()
    model.append_tasks(records)
    model.flush()
    return TaskFilterProxy(model)


def visible_ids(proxy: TaskFilterProxy) -> list[int]:
    return sorted(proxy.index(row, 0).data(TaskIdRole) for row in range(proxy.rowCount()))


def expected_ids(records: list[TaskRecord], keep) -> list[int]:
    return sorted(record.id for record in records if keep(record))


def test_proxy_passes_the_model_tester_while_filters_change(qtmodeltester, records):
    proxy = proxy_over(records)
    proxy.set_filter(TaskFilter(responsible_id=2))
    qtmodeltester.check(proxy)
    proxy.set_filter(TaskFilter(search="report", group_id=10))
    proxy.sort(Column.CLOSED, Qt.SortOrder.DescendingOrder)
    proxy.task_model.set_outcome(records[0].id, TaskOutcome.RENEWED)
    proxy.set_filter(TaskFilter())
    assert proxy.rowCount() == len(records)


def test_no_filter_shows_everything(records):
    proxy = proxy_over(records)
    assert not proxy.is_filtering()
    assert visible_ids(proxy) == [record.id for record in records]


def test_filter_by_responsible_and_group(records):
    proxy = proxy_over(records)
    proxy.set_filter(TaskFilter(responsible_id=2, group_id=11))
    want = expected_ids(records, lambda r: r.responsible_id == 2 and r.group_id == 11)
    assert want, "the sample data must exercise this filter"
    assert visible_ids(proxy) == want


def test_group_zero_means_tasks_without_a_group(records):
    proxy = proxy_over(records)
    proxy.set_filter(TaskFilter(group_id=0))
    assert visible_ids(proxy) == expected_ids(records, lambda r: r.group_id == 0)


def test_closed_date_range_is_inclusive_and_hides_undated(records, make_record):
    undated = make_record(1000, closed_date=None)
    edge = make_record(1001, closed_date=datetime(2024, 3, 10, 23, 59, tzinfo=UTC))
    rows = [*records, undated, edge]
    proxy = proxy_over(rows)
    after, before = date(2024, 3, 5), date(2024, 3, 10)
    proxy.set_filter(TaskFilter(closed_after=after, closed_before=before))
    want = expected_ids(
        rows,
        lambda r: r.closed_date is not None and after <= r.closed_date.date() <= before,
    )
    assert 1001 in want
    assert visible_ids(proxy) == want


def test_text_search_is_case_insensitive_on_title_and_matches_ids(make_record):
    rows = [
        make_record(1, title="Подготовить ОТЧЁТ"),
        make_record(2, title="Fix the login page"),
        make_record(345, title="Unrelated"),
    ]
    proxy = proxy_over(rows)
    proxy.set_filter(TaskFilter(search="отчёт"))
    assert visible_ids(proxy) == [1]
    proxy.set_filter(TaskFilter(search="  LOGIN "))
    assert visible_ids(proxy) == [2]
    proxy.set_filter(TaskFilter(search="#34"))
    assert visible_ids(proxy) == [345]


def test_setting_the_same_filter_twice_does_not_refilter(records):
    proxy = proxy_over(records)
    resets: list[int] = []
    proxy.layoutChanged.connect(lambda *_: resets.append(1))
    assert proxy.set_filter(TaskFilter(responsible_id=1))
    assert not proxy.set_filter(TaskFilter(responsible_id=1))
    assert len(resets) == 1


def test_proxy_row_of_a_filtered_out_task_is_none(records):
    proxy = proxy_over(records)
    proxy.set_filter(TaskFilter(responsible_id=1))
    shown = visible_ids(proxy)[0]
    hidden = next(r.id for r in records if r.responsible_id != 1)
    row = proxy.proxy_row_of(shown)
    assert row is not None
    assert proxy.task_id_at(row) == shown
    assert proxy.proxy_row_of(hidden) is None
    assert proxy.proxy_row_of(999_999) is None


def test_sorting_through_the_proxy_sorts_the_rows(records):
    proxy = proxy_over(records)
    proxy.set_filter(TaskFilter(group_id=10))
    proxy.sort(Column.ID, Qt.SortOrder.DescendingOrder)
    ids = [proxy.task_id_at(row) for row in range(proxy.rowCount())]
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == len(expected_ids(records, lambda r: r.group_id == 10))


def test_search_folds_yo_case_and_spaces(make_record):
    rows = [
        make_record(1, title="Оплатить  СЧЁТ поставщику"),
        make_record(2, title="счет-фактура"),
        make_record(3, title="Счетчик воды"),
        make_record(4, title="Отчёт за май"),
    ]
    proxy = proxy_over(rows)
    proxy.set_filter(TaskFilter(search="счет"))
    assert visible_ids(proxy) == [1, 2, 3]
    proxy.set_filter(TaskFilter(search="оплатить счёт"))
    assert visible_ids(proxy) == [1]
    proxy.set_filter(TaskFilter(search="ОТЧЕТ   ЗА"))  # noqa: RUF001
    assert visible_ids(proxy) == [4]


def test_typing_on_narrows_and_deleting_widens_again(make_record):
    rows = [make_record(i, title=f"Report {i}") for i in range(1, 40)]
    proxy = proxy_over(rows)
    proxy.set_filter(TaskFilter(search="report 1"))
    assert len(visible_ids(proxy)) == 11  # 1, 10..19
    proxy.set_filter(TaskFilter(search="report 12"))
    assert visible_ids(proxy) == [12]
    proxy.set_filter(TaskFilter(search="report 3"))
    assert visible_ids(proxy) == [3, *range(30, 40)]


def test_rows_arriving_under_a_filter_are_filtered_and_sorted_in(make_record):
    model = TaskTableModel()
    proxy = TaskFilterProxy(model)
    proxy.set_filter(TaskFilter(search="keep"))
    proxy.sort(Column.ID, Qt.SortOrder.DescendingOrder)
    model.append_tasks([make_record(i, title="keep" if i % 2 else "drop") for i in range(1, 11)])
    model.flush()
    assert [proxy.task_id_at(row) for row in range(proxy.rowCount())] == [9, 7, 5, 3, 1]


def test_selection_of_rows_still_shown_survives_a_filter_and_a_sort(qtmodeltester, records):
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    proxy = proxy_over(records)
    selection = QItemSelectionModel(proxy)
    wanted = [proxy.proxy_row_of(task_id) for task_id in (2, 5, 6)]
    for row in wanted:
        assert row is not None
        rows = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(QItemSelection(proxy.index(row, 0), proxy.index(row, 7)), rows)
    proxy.set_filter(TaskFilter(responsible_id=proxy.task_model.record_at(1).responsible_id))
    proxy.sort(Column.ID, Qt.SortOrder.DescendingOrder)
    chosen = sorted(proxy.task_id_at(index.row()) for index in selection.selectedRows())
    shown = set(visible_ids(proxy))
    assert chosen == sorted(task_id for task_id in (2, 5, 6) if task_id in shown)
    assert chosen, "the sample data must keep one selected row in view"


def test_proxy_passes_the_model_tester_while_rows_stream_in_sorted_and_filtered(
    qtmodeltester, make_record
):
    model = TaskTableModel()
    proxy = TaskFilterProxy(model)
    qtmodeltester.check(proxy)
    proxy.sort(Column.TITLE, Qt.SortOrder.DescendingOrder)
    proxy.set_filter(TaskFilter(search="task 1"))
    model.set_streaming(True)
    model.append_tasks(make_record(i, title=f"Task {i}") for i in range(1, 40))
    model.flush()
    model.set_streaming(False)
    model.set_outcome(12, TaskOutcome.FAILED, "x")
    model.clear_outcomes()
    proxy.set_filter(TaskFilter())
    assert proxy.rowCount() == 39
    model.clear()
    assert proxy.rowCount() == 0


def test_closed_dates_are_filtered_by_local_days(make_record, monkeypatch):
    """The Closed column shows this computer's clock, so the date filter counts its days."""
    import time

    monkeypatch.setenv("TZ", "Asia/Yekaterinburg")  # UTC+5, no daylight saving
    time.tzset()
    try:
        # 22:30 on the 1st at UTC (the portal's zone here) is 03:30 on the 2nd locally
        late = make_record(1, closed_date=datetime(2026, 3, 1, 22, 30, tzinfo=UTC))
        proxy = proxy_over([late])
        proxy.set_filter(TaskFilter(closed_after=date(2026, 3, 2), closed_before=date(2026, 3, 2)))
        assert visible_ids(proxy) == [1]
        proxy.set_filter(TaskFilter(closed_after=date(2026, 3, 1), closed_before=date(2026, 3, 1)))
        assert visible_ids(proxy) == []
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_cell_painted_after_a_coloured_one_is_not_coloured(records):
    """Views hand `multiData` the same role span cell after cell: a role the cell has no
    value for must come back empty, not with the previous cell's colour or alignment."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    proxy = proxy_over(records)
    proxy.task_model.set_outcome(records[0].id, TaskOutcome.RENEWED)
    row = next(
        r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(TaskIdRole) == records[0].id
    )
    for role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole):
        item = QModelRoleData(int(role))
        span = QModelRoleDataSpan(item)
        coloured = Column.STATUS if role == Qt.ItemDataRole.ForegroundRole else Column.ID
        proxy.multiData(proxy.index(row, coloured), span)
        assert span[0].data() is not None
        proxy.multiData(proxy.index(row, Column.TITLE), span)
        assert span[0].data() is None
