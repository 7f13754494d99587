from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from b24desk.core.model import TaskOutcome, TaskRecord
from b24desk.ui.models import (
    Column,
    OutcomeRole,
    SortRole,
    TaskFilterProxy,
    TaskIdRole,
    TaskTableModel,
    Tone,
    tone_colour,
)
from b24desk.ui.models.titles import fold_text

MakeRecord = Callable[..., TaskRecord]


def loaded(records: list[TaskRecord]) -> TaskTableModel:
    model = TaskTableModel()
    model.append_tasks(records)
    model.flush()
    return model


def sortable(records: list[TaskRecord]) -> TaskFilterProxy:
    """Sorting lives in the proxy: the model keeps rows in the order they arrived."""
    return TaskFilterProxy(loaded(records))


def column_values(model: TaskTableModel | TaskFilterProxy, column: Column) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_model_passes_the_model_tester_while_rows_change(qtmodeltester, records, make_record):
    model = loaded(records[:20])
    model.set_outcome(3, TaskOutcome.FAILED, "No permission to edit the task")
    qtmodeltester.check(model)
    # The tester keeps watching: inserts, outcome updates and a reset must stay valid.
    model.append_tasks(records[20:])
    model.flush()
    model.set_outcome(40, TaskOutcome.RENEWED)
    model.append_tasks([make_record(5, title="Replaced title")])
    model.flush()
    model.clear()
    assert model.rowCount() == 0


def test_display_shows_names_dates_and_fallbacks(make_record):
    record = make_record(
        4,
        responsible_id=77,
        responsible_name="",
        group_id=0,
        group_name="",
        closed_date=datetime(2024, 5, 6, 7, 8, tzinfo=UTC),
    )
    model = loaded([record])
    assert column_values(model, Column.ID) == ["4"]
    assert column_values(model, Column.RESPONSIBLE) == ["User #77"]
    assert column_values(model, Column.GROUP) == [""]
    assert column_values(model, Column.CLOSED) == ["2024-05-06 07:08"]
    assert column_values(model, Column.STATUS) == [""]


def test_append_inserts_rows_from_the_loop_in_time_boxed_slices(qtbot, make_record, monkeypatch):
    monkeypatch.setattr(TaskTableModel, "COMMIT_S", 0.0)  # every slice becomes rows at once
    model = TaskTableModel(slice_ms=0.001)  # so short that every slice is one batch of 128
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.append_tasks(make_record(i) for i in range(1, 601))
    assert model.rowCount() == 0, "rows arrive from the event loop, not inside append_tasks"
    with qtbot.waitSignal(model.appending_finished):
        pass
    assert inserted == [(0, 127), (128, 255), (256, 383), (384, 511), (512, 599)]
    assert model.pending_count == 0
    assert [model.task_id_at(row) for row in (0, 599)] == [1, 600]


class RawTask(dict):  # type: ignore[type-arg]
    """A task as the portal lists it, that a weak reference can watch."""


def test_raw_tasks_are_let_go_of_together_once_the_queue_is_empty(qtbot):
    model = TaskTableModel(slice_ms=0.001)
    model.set_streaming(True)
    raw = [RawTask(id=str(i), title=f"Task {i}", status="5") for i in range(1, 601)]
    alive = [weakref.ref(task) for task in raw]
    model.append_tasks(raw)
    del raw
    model._drain()  # one slice: 128 tasks made rows (staged), the rest still queued
    assert 0 < model.pending_count < 600 + 128
    # Freed one by one amid the new rows, their memory would stay pinned by those rows'
    # strings: they are let go of together once the queue is empty.
    assert all(ref() is not None for ref in alive)
    with qtbot.waitSignal(model.appending_finished):
        pass
    assert model.rowCount() == 600
    model.jobs.finish()
    assert all(ref() is None for ref in alive)
    assert [model.task_id_at(row) for row in (0, 599)] == [1, 600]
    assert column_values(model, Column.TITLE)[599] == "Task 600"


def test_append_with_a_known_id_replaces_the_row(make_record):
    model = loaded([make_record(1), make_record(2)])
    model.set_outcome(2, TaskOutcome.FAILED, "timeout")
    model.append_tasks([make_record(2, title="New title"), make_record(2, title="Newest title")])
    model.flush()
    assert model.rowCount() == 2
    assert column_values(model, Column.TITLE)[1] == "Newest title"
    assert model.outcome_of(2) == (TaskOutcome.FAILED, "timeout")


def test_slice_time_must_be_positive():
    with pytest.raises(ValueError, match="slice_ms must be positive"):
        TaskTableModel(slice_ms=0)


def test_records_come_back_as_they_went_in(records, make_record):
    plus3 = timezone(timedelta(hours=3))
    odd = make_record(
        999, closed_date=datetime(2025, 1, 2, 3, 4, 5, 600, tzinfo=plus3), closed_by_name="X"
    )
    undated = make_record(1000, closed_date=None)
    model = loaded([*records, odd, undated])
    assert model.records() == [*records, odd, undated]
    assert model.records_of([1000, 4242, 999]) == [undated, odd]
    assert model.titles()[999] == odd.title
    closed = model.record_at(model.row_of(999) or 0).closed_date
    assert closed is not None
    assert closed.utcoffset() == timedelta(hours=3)


def test_set_outcome_repaints_only_that_row(records):
    model = loaded(records)
    changes: list[tuple[QModelIndex, QModelIndex]] = []
    model.dataChanged.connect(
        lambda top_left, bottom_right, _roles: changes.append(
            (QModelIndex(top_left), QModelIndex(bottom_right))
        )
    )
    row = model.row_of(17)
    assert row is not None

    assert model.set_outcome(17, TaskOutcome.FAILED, "Access denied")

    assert [(a.row(), b.row()) for a, b in changes] == [(row, row)]
    assert model.index(row, Column.STATUS).data() == "✗ Failed — Access denied"
    assert model.index(row, Column.STATUS).data(OutcomeRole) is TaskOutcome.FAILED
    assert model.index(row, Column.STATUS).data(Qt.ItemDataRole.ToolTipRole) == (
        "Failed: Access denied"
    )
    others = [model.index(r, Column.STATUS).data() for r in range(model.rowCount()) if r != row]
    assert set(others) == {""}


def test_outcome_counts_follow_changes(records):
    model = loaded(records)
    model.set_outcome(1, TaskOutcome.RENEWING)
    model.set_outcome(1, TaskOutcome.FAILED, "x")
    model.set_outcome(2, TaskOutcome.FAILED, "y")
    model.set_outcome(3, TaskOutcome.RENEWED)
    assert model.outcome_count(TaskOutcome.FAILED) == 2
    assert model.outcome_count(TaskOutcome.RENEWING) == 0
    assert sorted(model.task_ids_with(TaskOutcome.FAILED)) == [1, 2]
    model.clear_outcomes()
    assert model.outcome_count(TaskOutcome.FAILED) == 0
    assert model.outcome_of(1) is None


def test_outcome_for_an_unknown_task_is_reported_and_kept_for_later(make_record):
    model = loaded([make_record(1)])
    assert not model.set_outcome(99, TaskOutcome.RENEWED)
    model.append_tasks([make_record(99)])
    model.flush()
    assert model.outcome_of(99) == (TaskOutcome.RENEWED, "")


def test_sorting_by_closed_date_is_chronological_across_time_zones(make_record):
    plus5 = timezone(timedelta(hours=5))
    # As text, "2024-03-05 01:00" (+05:00) sorts after "2024-03-04 23:00" (UTC), but it is
    # two hours earlier in real time.
    early = make_record(1, closed_date=datetime(2024, 3, 5, 1, 0, tzinfo=plus5))
    late = make_record(2, closed_date=datetime(2024, 3, 4, 23, 0, tzinfo=UTC))
    undated = make_record(3, closed_date=None)
    model = sortable([late, undated, early])
    model.sort(Column.CLOSED, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 0).data(TaskIdRole) for r in range(3)] == [3, 1, 2]
    model.sort(Column.CLOSED, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data(TaskIdRole) for r in range(3)] == [2, 1, 3]


def test_sorting_by_id_is_numeric_not_textual(make_record):
    model = sortable([make_record(task_id) for task_id in (100, 9, 10)])
    model.sort(Column.ID)
    assert column_values(model, Column.ID) == ["9", "10", "100"]
    assert model.index(0, Column.ID).data(SortRole) == 9


def test_sorting_keeps_outcomes_and_lookups_with_their_tasks(records):
    model = sortable(records)
    model.task_model.set_outcome(5, TaskOutcome.FAILED, "boom")
    model.sort(Column.ID, Qt.SortOrder.DescendingOrder)
    row = model.proxy_row_of(5)
    assert row is not None
    assert model.index(row, Column.ID).data() == "5"
    assert model.index(row, Column.STATUS).data(OutcomeRole) is TaskOutcome.FAILED


def test_sorting_moves_persistent_indexes_with_their_rows(records):
    model = sortable(records)
    row = model.proxy_row_of(42)
    assert row is not None
    persistent = QPersistentModelIndex(model.index(row, Column.TITLE))
    model.sort(Column.ID, Qt.SortOrder.DescendingOrder)
    assert persistent.row() == model.proxy_row_of(42) != row
    assert persistent.column() == Column.TITLE


def test_rows_appended_under_an_active_sort_get_sorted(qtbot, make_record):
    model = sortable([make_record(task_id) for task_id in (5, 1)])
    model.sort(Column.ID)
    model.task_model.append_tasks([make_record(3)])
    model.task_model.flush()  # loading is not streaming: the rows settle, and are sorted in
    assert column_values(model, Column.ID) == ["1", "3", "5"]


def test_text_sorts_case_insensitively(make_record):
    model = sortable(
        [make_record(1, title="beta"), make_record(2, title="Ёлка"), make_record(3, title="Alpha")]
    )
    model.sort(Column.TITLE)
    assert column_values(model, Column.TITLE) == ["Alpha", "beta", "Ёлка"]


def test_folding_ignores_case_yo_and_runs_of_spaces():
    assert fold_text("  Оплатить  СЧЁТ\tврача ") == "оплатить счет врача"  # noqa: RUF001
    assert fold_text("Straße") == "strasse"


def test_status_colour_follows_light_and_dark_palettes():
    light = QPalette(QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    dark = QPalette(QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    for palette in (light, dark):
        base = palette.color(QPalette.ColorRole.Base)
        for tone in (Tone.GOOD, Tone.BAD, Tone.WARNING):
            colour = tone_colour(tone, palette)
            assert abs(colour.lightness() - base.lightness()) > 80, (tone, base.name())


def test_status_cell_has_a_foreground_only_once_it_has_an_outcome(records):
    model = loaded(records[:3])
    index = model.index(0, Column.STATUS)
    assert index.data(Qt.ItemDataRole.ForegroundRole) is None
    model.set_outcome(index.data(TaskIdRole), TaskOutcome.RENEWED)
    colour = index.data(Qt.ItemDataRole.ForegroundRole)
    assert colour == tone_colour(Tone.GOOD, QApplication.palette())


def test_asking_for_the_same_sort_twice_sorts_once(records):
    # QTableView.sortByColumn calls sort() twice; 100k rows should be sorted once.
    model = sortable(records)
    layouts: list[int] = []
    model.layoutChanged.connect(lambda *_: layouts.append(1))
    model.sort(Column.TITLE)
    model.sort(Column.TITLE)
    assert len(layouts) == 1
    model.sort(Column.TITLE, Qt.SortOrder.DescendingOrder)
    assert len(layouts) == 2


def test_sorting_by_status_again_picks_up_new_outcomes(records):
    model = sortable(records[:5])
    model.sort(Column.STATUS)
    last_id = model.index(4, 0).data(TaskIdRole)
    model.task_model.set_outcome(model.index(2, 0).data(TaskIdRole), TaskOutcome.QUEUED)
    model.sort(Column.STATUS)
    # No outcome sorts first; the queued row moves after the four untouched ones.
    assert model.index(4, 0).data(TaskIdRole) != last_id
    assert model.index(4, 0).data(OutcomeRole) is TaskOutcome.QUEUED
    model.task_model.set_outcome(model.index(0, 0).data(TaskIdRole), TaskOutcome.FAILED, "x")
    model.sort(Column.STATUS)
    assert model.index(4, Column.STATUS).data(OutcomeRole) is TaskOutcome.FAILED


def test_closed_by_is_named_after_people_the_list_names_elsewhere(make_record):
    closer_known = make_record(1, closed_by=2, closed_by_name="")
    named_elsewhere = make_record(2, responsible_id=2, responsible_name="Иван Петров")
    stranger = make_record(3, closed_by=77, closed_by_name="")
    model = loaded([closer_known, named_elsewhere, stranger])
    by_id = {model.record_at(row).id: row for row in range(model.rowCount())}
    assert model.index(by_id[1], Column.CLOSED_BY).data() == "Иван Петров"
    assert model.index(by_id[3], Column.CLOSED_BY).data() == "User #77"
    model.clear()
    model.append_tasks([make_record(3, closed_by=2, closed_by_name="")])
    model.flush()
    assert model.index(0, Column.CLOSED_BY).data() == "User #2"  # forgotten with the rows


def test_while_a_backlog_lasts_rows_are_added_at_most_every_commit_interval(qtbot, make_record):
    model = TaskTableModel(slice_ms=0.001)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.append_tasks(make_record(i) for i in range(1, 601))
    with qtbot.waitSignal(model.appending_finished):
        pass
    assert inserted[0] == (0, 127), "the first rows show at once"
    assert inserted[-1][1] == 599
    assert len(inserted) < 5, "the rest in few inserts, not one per slice"
    assert model.pending_count == 0


def test_repeats_and_out_of_order_ids_while_staged(make_record):
    model = loaded([make_record(5), make_record(9)])
    model.append_tasks(
        [
            make_record(12),
            make_record(3),
            make_record(12, title="again"),
            make_record(5, title="5b"),
        ]
    )
    model.flush()
    assert [model.task_id_at(row) for row in range(model.rowCount())] == [5, 9, 12, 3]
    assert model.index(model.row_of(12) or 0, Column.TITLE).data() == "again"
    assert model.index(0, Column.TITLE).data() == "5b"
    assert model.row_of(3) == 3
    assert model.row_of(4) is None


def test_a_trickle_of_rows_waits_a_little_a_full_load_does_not(make_record):
    model = TaskTableModel()
    model.append_tasks([make_record(i) for i in range(1, 51)])
    assert model._drain_timer.interval() == TaskTableModel.TRICKLE_MS
    model.append_tasks([make_record(i) for i in range(51, 51 + TaskTableModel.TRICKLE_ROWS)])
    assert model._drain_timer.interval() == 0
    model.flush()
    assert model.rowCount() == 50 + TaskTableModel.TRICKLE_ROWS


def test_while_streaming_a_sort_is_reapplied_rarely_then_once_at_the_end(qtbot, make_record):
    model = TaskTableModel()
    proxy = TaskFilterProxy(model)
    proxy.sort(Column.ID, Qt.SortOrder.DescendingOrder)
    model.set_streaming(True)
    with qtbot.waitSignal(model.appending_finished):
        model.append_tasks([make_record(i) for i in range(1, 301)])
    assert proxy._resort_timer.isActive()
    assert proxy._resort_timer.interval() >= TaskFilterProxy.STREAMING_RESORT_MS
    assert proxy.task_id_at(0) == 1  # arrival order for now
    assert not proxy.is_sorted()
    model.set_streaming(False)
    assert [proxy.task_id_at(r) for r in range(3)] == [300, 299, 298]
    assert proxy.proxy_row_of(300) == 0
    assert proxy.proxy_row_of(1) == 299
    assert proxy.is_sorted()


def test_a_big_sort_is_prepared_in_steps_and_applied_when_ready(qtbot, make_record, monkeypatch):
    monkeypatch.setattr(TaskFilterProxy, "SYNC_SORT_ROWS", 100)
    model = loaded([make_record(i, title=f"t{(i * 7919) % 1000:04d}") for i in range(1, 1001)])
    proxy = TaskFilterProxy(model)
    proxy.sort(Column.TITLE)
    assert not proxy.is_sorted(), "1,000 rows > SYNC_SORT_ROWS: prepared in the background"
    assert proxy.task_id_at(0) == 1
    with qtbot.waitSignal(proxy.order_applied):
        pass
    titles = column_values(proxy, Column.TITLE)
    assert titles == sorted(titles)
    # Once prepared, the other direction is immediate.
    proxy.sort(Column.TITLE, Qt.SortOrder.DescendingOrder)
    assert proxy.is_sorted()
    assert column_values(proxy, Column.TITLE) == sorted(titles, reverse=True)


def test_sort_orders_are_prepared_once_loading_settles(make_record):
    model = TaskTableModel()
    proxy = TaskFilterProxy(model)
    model.set_streaming(True)
    model.append_tasks([make_record(i) for i in range(1, 30)])
    model.flush()
    assert model.sorted_rows(Column.TITLE) is None
    model.set_streaming(False)
    model.jobs.finish()
    for column in Column:
        if column is not Column.STATUS:
            assert model.sorted_rows(column) is not None, column
    model.append_tasks([make_record(500)])
    model.flush()
    assert proxy.rowCount() == 30


def raw_task(task_id: int, **changes: object) -> dict[str, object]:
    task: dict[str, object] = {
        "id": str(task_id),
        "title": f"Счёт {task_id}",
        "status": "5",
        "responsibleId": "7",
        "createdBy": "8",
        "groupId": "3",
        "closedDate": "2025-06-04T23:15:55+03:00",
        "closedBy": "7",
        "responsible": {"id": "7", "name": "Анна Смирнова"},
        "creator": {"id": "8", "name": "Mark Brown"},
        "group": {"id": "3", "name": "Бухгалтерия"},
    }
    task.update(changes)
    return task


def test_raw_tasks_from_the_portal_are_decoded_into_rows(make_record):
    model = loaded([raw_task(1), make_record(2), raw_task(3, group=[], groupId="0")])
    assert [model.task_id_at(row) for row in range(3)] == [1, 2, 3]
    assert model.index(0, Column.RESPONSIBLE).data() == "Анна Смирнова"
    assert model.index(0, Column.GROUP).data() == "Бухгалтерия"
    assert model.index(2, Column.GROUP).data() == ""
    record = model.record_at(0)
    assert record.closed_date == datetime(2025, 6, 4, 20, 15, 55, tzinfo=UTC)
    assert model.index(0, Column.CLOSED).data() == "2025-06-04 23:15"  # the portal's clock
    assert model.people[7] == "Анна Смирнова"
    assert model.groups[3] == "Бухгалтерия"
    assert 0 not in model.groups, "no group is a fixed choice of the filter bar"
    # The portal's calendar day, not UTC's: 23:15 at +03:00 is still the 4th.
    span = model.closed_span()
    assert span is not None
    assert span[0] <= datetime(2025, 6, 4, 20, 15, 55, tzinfo=UTC) <= span[1]
    first, last = model.day_span() or (None, None)
    assert first is not None
    assert last is not None
    assert first <= datetime(2025, 6, 4).date() <= last


def test_a_raw_task_that_cannot_be_read_is_skipped_not_fatal(caplog):
    model = loaded([raw_task(1), raw_task(0), {"title": "no id"}, raw_task(2)])
    assert [model.task_id_at(row) for row in range(model.rowCount())] == [1, 2]
    assert "could not be read" in caplog.text


@pytest.mark.parametrize("total", [0, 1, 7, 100, 1001])
def test_stepwise_sort_equals_a_stable_sort(monkeypatch, total):
    import random

    from b24desk.ui.models import steps

    monkeypatch.setattr(steps, "RUN_ROWS", 16)
    monkeypatch.setattr(steps, "MERGE_ROWS", 5)
    rng = random.Random(total)
    keys = [rng.choice("abcde") + str(rng.randint(0, 3)) for _ in range(total)]
    out: list = []
    for _ in steps.sort_steps(keys, out):
        pass
    assert list(out[0]) == sorted(range(total), key=keys.__getitem__)


def test_rows_that_came_out_of_order_are_found_without_a_map_once_sorted_by_id(make_record):
    """Pages of several id ranges come in mixed: rows are found through a map while they
    arrive, then (once the ID order is prepared) by a binary search over it; rows added
    after that are found too, and a repeat still replaces its row."""
    ids = [40, 41, 42, 10, 11, 12, 70, 71, 20, 21]
    model = loaded([make_record(i) for i in ids])
    model.sort_now(Column.ID)
    assert model._index is None  # the map is gone: 12 bytes a row instead of over 100
    assert [model.row_of(i) for i in ids] == list(range(len(ids)))
    assert model.row_of(30) is None
    assert model.row_of(99) is None
    model.append_tasks([make_record(5), make_record(11, title="eleven again"), make_record(90)])
    model.flush()
    assert model.rowCount() == len(ids) + 2
    assert model.row_of(5) == len(ids)
    assert model.row_of(90) == len(ids) + 1
    assert model.index(model.row_of(11) or 0, Column.TITLE).data() == "eleven again"
    assert model.row_of(11) == 4
    model.sort_now(Column.ID)
    assert model._index is None
    assert [model.task_id_at(model.row_of(i) or 0) for i in [5, *ids, 90]] == [5, *ids, 90]
