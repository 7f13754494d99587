"""Issue 12 §2: namesakes told apart, type-to-search and "Me" in the Responsible filter;
the selection hidden by filters counted; a Problems click that keeps a big selection."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from ui_rig import Rig, sandbox, wait_until

from b24desk.core.bitrix.users import UserDetails
from b24desk.core.model import TaskFilter
from b24desk.ui.widgets.filter_bar import FilterBar
from b24desk.ui.widgets.main_window import MainWindow


@pytest.fixture
def window(qtbot, records) -> MainWindow:
    win = MainWindow(filter_debounce_ms=0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.append_tasks(records)
    win.task_model.flush()
    win._refresh_choices()
    return win


def people_texts(bar: FilterBar) -> list[str]:
    combo = bar.responsible
    return [combo.itemText(i) for i in range(combo.count())]


def select_rows(window: MainWindow, ids: list[int]) -> None:
    selection = window.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for task_id in ids:
        row = window.proxy.proxy_row_of(task_id)
        assert row is not None
        selection.select(window.proxy.index(row, 0), flags)


# -- namesakes, type-to-search, "Me" ---------------------------------------------------


def test_namesakes_are_told_apart_and_filtered_by_id(qtbot, window, make_record):
    window.append_tasks(
        [
            make_record(101, responsible_id=42, responsible_name="Maria Brown"),
            make_record(102, responsible_id=42, responsible_name="Maria Brown"),
            make_record(103, responsible_id=43, responsible_name="Maria Brown"),
        ]
    )
    window.task_model.flush()
    window._refresh_choices()
    assert window.namesake_ids() == [42, 43]
    texts = people_texts(window.filter_bar)
    assert "Maria Brown (ID 42)" in texts  # before the portal said more
    window.set_user_details(
        {42: UserDetails(42, "m.brown@a.example", ("Sales",)), 43: UserDetails(43, "", ("IT",))}
    )
    texts = people_texts(window.filter_bar)
    assert "Maria Brown (Sales)" in texts
    assert "Maria Brown (IT)" in texts
    assert "Maria Brown" not in texts
    assert window.namesake_ids() == []  # nothing left to ask
    combo = window.filter_bar.responsible
    combo.resize(60, combo.height())  # a narrow box: its list still shows whole names
    longest = combo.fontMetrics().horizontalAdvance("Maria Brown (Sales)")
    assert combo.view().minimumWidth() > longest
    assert combo.completer().popup().minimumWidth() > longest
    combo = window.filter_bar.responsible
    combo.setCurrentIndex(combo.findText("Maria Brown (IT)"))
    window.filter_bar.apply_now()
    assert window.current_filter().responsible_id == 43
    assert [window.proxy.task_id_at(r) for r in range(window.proxy.rowCount())] == [103]


def test_the_window_asks_about_namesakes_once_rows_settle_and_not_once_closed(
    qtbot, window, make_record
):
    namesakes = [
        make_record(201, responsible_id=50, responsible_name="Olga Кузнецова"),  # as id 3
    ]
    with qtbot.waitSignal(window.user_details_wanted) as asked:
        window.append_tasks(namesakes)
        window.task_model.flush()
    assert asked.args == [[3, 50]]
    window.close()
    with qtbot.assertNotEmitted(window.user_details_wanted):
        window.append_tasks([make_record(202, responsible_id=51, responsible_name="Anna Smith")])
        window.task_model.flush()


def test_typing_part_of_a_name_offers_the_matching_people(qtbot, window):
    bar = window.filter_bar
    combo = bar.responsible
    completer = combo.completer()
    assert combo.isEditable()
    assert completer is not None
    combo.lineEdit().setFocus()
    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), "LGA")  # inside "Olga Кузнецова", any case
    assert completer.completionCount() == 1
    offered = completer.completionModel().index(0, 0)
    assert offered.data() == "Olga Кузнецова"  # shown as written, matched folded
    popup = completer.popup()
    popup.setCurrentIndex(completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    bar.apply_now()
    assert combo.currentText() == "Olga Кузнецова"
    assert window.current_filter().responsible_id == 3


@pytest.mark.parametrize("typed", ["семен", "СЕМЁН", "семён  петров"])
def test_the_people_list_folds_yo_case_and_spaces_as_search_does(qtbot, window, typed):
    bar = window.filter_bar
    bar.set_choices({7: "Семён Петров", 8: "Семенова Анна", 9: "Olga Кузнецова"}, {})
    combo = bar.responsible
    completer = combo.completer()
    edit = combo.lineEdit()
    edit.setFocus()
    edit.setText(typed)  # as typed (QTest cannot type Cyrillic), then what typing emits
    edit.textEdited.emit(typed)
    model = completer.completionModel()
    offered = {model.index(row, 0).data() for row in range(model.rowCount())}
    expected = {"Семён Петров"} if "петров" in typed else {"Семён Петров", "Семенова Анна"}
    assert offered == expected


def test_text_that_matches_nobody_is_put_back(qtbot, window):
    combo = window.filter_bar.responsible
    combo.setCurrentIndex(combo.findData(1))
    chosen = combo.currentText()
    combo.lineEdit().setText("nobody by this name")
    combo.lineEdit().editingFinished.emit()
    assert combo.currentText() == chosen
    assert combo.currentData() == 1


def test_me_is_offered_under_anyone_and_filters_by_the_users_id(qtbot, window, records):
    bar = window.filter_bar
    window.set_current_user(2)
    assert people_texts(bar)[:2] == ["Anyone", "Me"]
    bar.responsible.setCurrentIndex(1)
    bar.apply_now()
    assert window.current_filter().responsible_id == 2
    assert window.proxy.rowCount() == sum(1 for r in records if r.responsible_id == 2)
    window._refresh_choices()  # more rows arriving keep "Me" chosen
    assert bar.responsible.currentIndex() == 1
    window.set_current_user(None)  # no user known (e.g. disconnected): "Anyone" again
    bar.apply_now()
    assert people_texts(bar)[0] == "Anyone"
    assert "Me" not in people_texts(bar)
    assert window.current_filter().responsible_id is None


# -- the selection hidden by filters ------------------------------------------------------


def test_selected_rows_hidden_by_a_filter_are_counted_and_come_back(qtbot, window, records):
    select_rows(window, [r.id for r in records])  # all 60
    qtbot.waitUntil(lambda: "60 selected" in window.counters_text())
    window.filter_bar.set_filter(TaskFilter(responsible_id=1))
    shown = sum(1 for r in records if r.responsible_id == 1)
    hidden = len(records) - shown
    qtbot.waitUntil(
        lambda: f"{shown} selected, {hidden} hidden by filters" in window.counters_text()
    )
    assert "left out of “Renew selected”" in window.counters_label.toolTip()
    assert window.selected_task_ids() == [
        window.proxy.task_id_at(r) for r in range(window.proxy.rowCount())
    ]
    window.filter_bar.reset()
    qtbot.waitUntil(lambda: "60 selected" in window.counters_text())
    assert "hidden" not in window.counters_text()
    assert sorted(window.selected_task_ids()) == sorted(r.id for r in records)
    assert window.counters_label.toolTip() == ""


def test_one_hidden_selected_task_is_singular(qtbot, window, records):
    target = next(r for r in records if r.responsible_id == 2)
    select_rows(window, [target.id])
    window.filter_bar.set_filter(TaskFilter(responsible_id=1))
    qtbot.waitUntil(lambda: "0 selected, 1 hidden by filters" in window.counters_text())


def test_select_none_forgets_the_hidden_selection_too(qtbot, window, records):
    select_rows(window, [r.id for r in records])
    window.filter_bar.set_filter(TaskFilter(responsible_id=1))
    qtbot.waitUntil(lambda: "hidden by filters" in window.counters_text())
    window.action_select_none.trigger()
    qtbot.waitUntil(lambda: "hidden" not in window.counters_text())
    window.filter_bar.reset()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == len(records))
    assert window.selected_task_ids() == []


# -- Problems clicks ------------------------------------------------------------------------


def test_a_problem_click_keeps_a_big_selection_and_highlights_the_row(qtbot, window, records):
    chosen = [r.id for r in records[:40]]
    target = records[55].id
    select_rows(window, chosen)
    window.add_error("Access denied", code="ACCESS_DENIED", task_id=target)
    window.error_panel.task_activated.emit(target)
    assert sorted(window.selected_task_ids()) == sorted(chosen)
    current = window.table.currentIndex()
    assert window.proxy.task_id_at(current.row()) == target
    assert "selection of 40 tasks is kept" in window.statusBar().currentMessage()
    # The row stands out by its tint (the selection's colour is left to the selection).
    assert window.proxy.marked_task() == target
    tint = current.data(Qt.ItemDataRole.BackgroundRole)
    assert tint is not None
    assert tint.color().alpha() > 0
    other = window.proxy.index(0 if current.row() else 1, 3)
    assert other.data(Qt.ItemDataRole.BackgroundRole) is None
    assert window.reveal_task(target, add=True)  # Ctrl+click
    assert sorted(window.selected_task_ids()) == sorted([*chosen, target])


def test_ctrl_clicking_a_problem_line_adds_its_task_to_the_selection(qtbot, window, records):
    chosen = [r.id for r in records[:20]]
    target = records[50].id
    select_rows(window, chosen)
    window.add_error("Access denied", code="ACCESS_DENIED", task_id=target)
    view = window.error_panel.view
    groups = window.error_panel.groups
    view.expandAll()
    line = groups.index(0, 0, groups.index(0, 0))
    view.scrollTo(line)
    where = view.visualRect(line).center()
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where
    )
    assert sorted(window.selected_task_ids()) == sorted(chosen)  # a plain click keeps it
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, where
    )
    assert sorted(window.selected_task_ids()) == sorted([*chosen, target])
    assert "added to the selection" in window.statusBar().currentMessage()


def test_the_tint_goes_when_the_user_moves_to_another_row(qtbot, window, records):
    select_rows(window, [r.id for r in records[:10]])
    target = records[40].id
    window.reveal_task(target)
    assert window.proxy.marked_task() == target
    window.table.selectionModel().setCurrentIndex(
        window.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    assert window.proxy.marked_task() is None
    row = window.proxy.proxy_row_of(target)
    assert window.proxy.index(row, 1).data(Qt.ItemDataRole.BackgroundRole) is None


def test_a_problem_click_selects_the_row_when_nothing_would_be_lost(qtbot, window, records):
    select_rows(window, [records[0].id])
    target = records[30].id
    window.error_panel.task_activated.emit(target)
    assert window.selected_task_ids() == [target]


# -- the whole flow on the sandbox ---------------------------------------------------------


@pytest.mark.asyncio
async def test_after_a_load_namesakes_show_their_departments_and_me_is_offered(tmp_path, qtbot):
    portal = sandbox(task_count=400, admin=True)
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        window = rig.window
        names = Counter(window.task_model.people.values())
        assert any(count > 1 for count in names.values()), "the sandbox must have namesakes"
        await wait_until(lambda: window.namesake_ids() == [])
        texts = people_texts(window.filter_bar)
        assert texts[1] == "Me"
        assert window.filter_bar.me_id == portal.config.user_id
        for person_id in window.task_model.people:
            if names[window.task_model.people[person_id]] > 1:
                user = portal.data.users[person_id]
                department = portal.data.departments[user.department_ids[0]].name
                label = window.responsible_labels()[person_id]
                assert label in texts
                assert department in label or user.email.partition("@")[0] in label
    finally:
        await rig.close()
