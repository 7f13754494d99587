"""The Problems panel sorts results out: identical causes grouped with what to do, tasks by
title, problems a later run put right taken off, a new load starting clean; texts follow
View > Language; the window fits 1024 px; one clock (local time) everywhere."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QStyleOptionViewItem

from b24desk.core.i18n import translate
from b24desk.core.model import TaskOutcome
from b24desk.core.renew.records import RunKind, RunRecord
from b24desk.ui import language
from b24desk.ui.dialogs.guide import SAFETY_PART
from b24desk.ui.dialogs.history import HistoryDialog
from b24desk.ui.message_keys import message_key, render
from b24desk.ui.models import Column, ErrorLogModel, make_entry
from b24desk.ui.models.problems import FIX_ADMIN, FIX_RETRY, ProblemColumn, ProblemGroupsModel
from b24desk.ui.widgets import MainWindow
from b24desk.ui.widgets.local_clock import CLOSED_TIP, LocalTimeDelegate, closed_tip

NOT_ALLOWED = "Your Bitrix24 user is not allowed to reopen this task."
NOT_ALLOWED_RU = "Вашему пользователю Битрикс24 нельзя возобновлять эту задачу."  # noqa: RUF001


@pytest.fixture
def window(qtbot, records) -> MainWindow:
    win = MainWindow(filter_debounce_ms=0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.append_tasks(records)
    win.task_model.flush()
    return win


def switch_to(lang: str) -> None:
    """View > Language: the widgets hear of it through posted LanguageChange events."""
    assert language.apply_language(lang) == lang
    QApplication.processEvents()


def refuse(window: MainWindow, task_ids: range | list[int], reason: str = NOT_ALLOWED) -> None:
    """What the controller does with a run's refusals: the row's status, then the entries."""
    for task_id in task_ids:
        window.set_outcome(task_id, TaskOutcome.NOT_ALLOWED, reason)
    window.add_errors(make_entry(reason, code="1048582", task_id=t) for t in task_ids)


def fail(
    window: MainWindow, task_ids: list[int], reason: str = "The portal did not answer."
) -> None:
    for task_id in task_ids:
        window.set_outcome(task_id, TaskOutcome.FAILED, reason)
    window.add_errors(make_entry(reason, code="RequestTimeout", task_id=t) for t in task_ids)


def group_lines(model: ProblemGroupsModel) -> list[tuple[str, str, str]]:
    return [
        (
            str(model.index(row, ProblemColumn.PROBLEM).data()),
            str(model.index(row, ProblemColumn.COUNT).data()),
            str(model.index(row, ProblemColumn.FIX).data()),
        )
        for row in range(model.rowCount())
    ]


# -- grouping -----------------------------------------------------------------------------------


def test_identical_causes_become_one_line_with_the_fix_in_words(window):
    refuse(window, range(1, 41))
    fail(window, [50, 51])
    groups = window.error_panel.groups
    assert group_lines(groups) == [
        (NOT_ALLOWED, "40", translate("Problems", FIX_ADMIN)),
        ("The portal did not answer.", "2", translate("Problems", FIX_RETRY)),
    ]
    assert "administrator's webhook" in group_lines(groups)[0][2]
    # 40 tasks start folded; a small group shows its tasks at once.
    assert not window.error_panel.view.isExpanded(groups.index(0, 0))
    assert window.error_panel.view.isExpanded(groups.index(1, 0))
    assert window.error_panel.windowTitle() == "Problems (42)"


def test_task_lines_show_titles_and_keep_the_code_for_details(window):
    refuse(window, [7])
    groups = window.error_panel.groups
    task_line = groups.index(0, ProblemColumn.PROBLEM, groups.index(0, 0))
    assert task_line.data() == "Task 7: prepare report (task 7)"
    assert "1048582" not in " ".join(
        str(groups.index(0, column, groups.index(0, 0)).data()) for column in ProblemColumn
    )
    details = groups.details(task_line)
    assert NOT_ALLOWED in details
    assert "Error code: 1048582" in details
    assert "administrator's webhook" in details


def test_selecting_a_line_shows_it_in_full_in_the_details_pane(qtbot, window):
    long_reason = "The portal refused: " + "a very long explanation " * 12
    fail(window, [3], long_reason.strip())
    groups = window.error_panel.groups
    window.error_panel.view.setCurrentIndex(groups.index(0, 0, groups.index(0, 0)))
    text = window.error_panel.details.toPlainText()
    assert long_reason.strip() in text
    assert "Task 3: prepare report" in text


def test_clicking_a_task_line_reveals_its_row(qtbot, window):
    refuse(window, [12])
    groups = window.error_panel.groups
    with qtbot.waitSignal(window.error_panel.task_activated) as signal:
        window.error_panel.view.clicked.emit(groups.index(0, 0, groups.index(0, 0)))
    assert signal.args == [12]
    with qtbot.assertNotEmitted(window.error_panel.task_activated):
        window.error_panel.view.clicked.emit(groups.index(0, 0))  # the cause's own line


# -- retries and loads --------------------------------------------------------------------------


def test_a_successful_retry_takes_problems_off_and_the_count_never_grows(qtbot, window):
    fail(window, list(range(1, 23)))
    assert window.error_model.rowCount() == 22
    # The retry: 18 reopened, 4 fail again (one of them now for another reason).
    for task_id in range(1, 19):
        window.set_outcome(task_id, TaskOutcome.RENEWED)
    fail(window, [19, 20, 21])
    refuse(window, [22])
    qtbot.waitUntil(lambda: window.error_model.rowCount() == 4)
    assert sorted(e.task_id for e in window.error_model.entries()) == [19, 20, 21, 22]
    assert window.error_panel.windowTitle() == "Problems (4)"
    assert window.error_panel.resolved_label.text() == "18 tasks put right by a later run"
    assert [line[1] for line in group_lines(window.error_panel.groups)] == ["3", "1"]


def test_found_open_also_puts_a_problem_right(qtbot, window):
    fail(window, [5])
    window.set_outcome(5, TaskOutcome.ALREADY_OPEN, "The task is already open (In progress).")
    qtbot.waitUntil(lambda: window.error_model.rowCount() == 0)


def test_a_new_load_starts_with_an_empty_list(window, records):
    refuse(window, [1, 2])
    window.add_error("The connection to the Bitrix24 portal broke off. Try again.")
    window.clear_tasks()  # what "Load tasks" does first
    assert window.error_model.rowCount() == 0
    assert window.error_panel.groups.rowCount() == 0
    assert window.error_panel.resolved_label.text() == ""


def test_unexpected_answers_say_to_save_a_report():
    model = ErrorLogModel()
    groups = ProblemGroupsModel(model)
    model.add_error("The portal answered something b24desk did not expect.", code="WEIRD_CODE_42")
    assert "diagnostic report" in str(groups.index(0, ProblemColumn.FIX).data())


# -- language -----------------------------------------------------------------------------------


def test_switching_language_rerenders_problems_and_statuses(window):
    refuse(window, [1, 2])
    window.set_outcome(3, TaskOutcome.FAILED, "Something only the portal says.")
    groups = window.error_panel.groups
    switch_to("ru")
    assert groups.index(0, ProblemColumn.PROBLEM).data() == NOT_ALLOWED_RU
    assert groups.index(0, ProblemColumn.FIX).data().startswith("Попросите")
    assert window.error_panel.windowTitle().startswith("Проблемы")
    status = window.task_model.outcome_of(1)
    assert status == (TaskOutcome.NOT_ALLOWED, NOT_ALLOWED_RU)
    row = window.task_model.row_of(1)
    assert row is not None
    shown = window.task_model.index(row, Column.STATUS).data()
    assert NOT_ALLOWED_RU in shown
    assert "Не разрешено" in shown  # noqa: RUF001
    # A text the catalog does not know stays as the portal wrote it.
    assert window.task_model.outcome_of(3) == (
        TaskOutcome.FAILED,
        "Something only the portal says.",
    )
    switch_to("en")
    assert groups.index(0, ProblemColumn.PROBLEM).data() == NOT_ALLOWED
    assert window.task_model.outcome_of(2) == (TaskOutcome.NOT_ALLOWED, NOT_ALLOWED)


def test_an_entry_made_in_russian_reads_in_english_after_switching(window):
    switch_to("ru")
    refuse(window, [4], NOT_ALLOWED_RU)
    switch_to("en")
    assert window.error_model.entry_at(0).reason == NOT_ALLOWED
    assert NOT_ALLOWED in window.error_panel.copy_details()


def test_undo_reads_as_roll_back_in_russian(window):
    switch_to("ru")
    assert window.action_undo.text() == "Откатить запуск"
    assert QCoreApplication.translate("History", "Undo") == "Откат"
    assert QCoreApplication.translate("HistoryDialog", "Undo this run…") == "Откатить запуск…"
    guide = QCoreApplication.translate("GuideDialog", SAFETY_PART)
    assert "Откатить запуск" in guide
    assert "Отменить" not in guide
    history = HistoryDialog(window)
    assert history.undo_button.text() == "Откатить запуск…"


def test_qt_file_dialog_speaks_russian(qtbot):
    switch_to("ru")
    dialog = QFileDialog(None, "x")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels
    untranslated = {"&Look in:", "File &name:", "Files of &type:"}.intersection(labels)
    assert not untranslated


# -- small screens ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_window_fits_1024_pixels(qtbot, window, lang):
    switch_to(lang)
    window.set_connection("portal.bitrix24.ru", "Administrator", demo=True)
    window.action_select_all.trigger()
    qtbot.wait(10)
    assert window.minimumSizeHint().width() <= 1024
    window.resize(1024, 560)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.filter_bar.is_wrapped()
    assert window.filter_bar.width() <= 1024
    window.resize(1900, 1000)
    qtbot.waitUntil(lambda: not window.filter_bar.is_wrapped())


# -- one clock ----------------------------------------------------------------------------------


@pytest.fixture
def berlin_clock(monkeypatch):
    """This computer in Berlin, so that a portal in Moscow is in another time zone."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_closed_column_shows_local_time_and_says_so(window, make_record, berlin_clock):
    moscow = timezone(timedelta(hours=3))
    closed = datetime(2024, 6, 3, 16, 15, tzinfo=moscow)  # 15:15 in Berlin (summer time)
    window.append_tasks([make_record(500, closed_date=closed)])
    window.task_model.flush()
    row = window.proxy.mapFromSource(
        window.task_model.index(window.task_model.row_of(500) or 0, Column.CLOSED)
    )
    delegate = window.table.itemDelegateForColumn(Column.CLOSED)
    assert isinstance(delegate, LocalTimeDelegate)
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, row)
    assert option.text == "2024-06-03 15:15"
    assert "local time" in closed_tip()
    assert "UTC+" in closed_tip()
    assert CLOSED_TIP.startswith("When the task was completed")


def test_history_and_problems_say_their_times_are_local(qtbot):
    history = HistoryDialog()
    qtbot.addWidget(history)
    run = RunRecord("r1", RunKind.RENEW, "p", "2024-01-01T00:00:00+00:00", None, {})
    history.set_runs([run])
    assert "local time (UTC" in history.intro.text()
    problems_time = ProblemGroupsModel(ErrorLogModel()).headerData(
        ProblemColumn.TIME, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert problems_time == "This computer's local time"


def test_causes_fold_by_size_until_the_user_opens_or_closes_them(window):
    view, groups = window.error_panel.view, window.error_panel.groups
    fail(window, [1, 2])
    assert view.isExpanded(groups.index(0, 0))  # two tasks: shown at once
    fail(window, [3, 4, 5])
    assert not view.isExpanded(groups.index(0, 0))  # five: folded
    view.expand(groups.index(0, 0))
    fail(window, [6])
    assert view.isExpanded(groups.index(0, 0))  # the user's choice stays


def test_a_rows_whole_reason_shows_in_the_details_pane(qtbot, window):
    reason = "Skipped because " + "someone changed the task in the meantime " * 6
    window.set_outcome(9, TaskOutcome.SKIPPED, reason.strip())
    row = window.proxy.mapFromSource(window.task_model.index(window.task_model.row_of(9) or 0, 0))
    window.table.setCurrentIndex(row)
    text = window.error_panel.details.toPlainText()
    assert reason.strip() in text
    assert "Task 9: prepare report (task 9)" in text
    assert "Skipped" in text


def test_reasons_with_filled_in_words_follow_the_language_too(window):
    already = translate("Renew", "The task is already open ({status}).").format(
        status=translate("Renew", "in progress")
    )
    window.set_outcome(8, TaskOutcome.ALREADY_OPEN, already)
    switch_to("ru")
    reason = window.task_model.outcome_of(8)
    assert reason is not None
    assert reason[1] == "Задача уже открыта (выполняется)."
    switch_to("en")
    assert window.task_model.outcome_of(8) == (TaskOutcome.ALREADY_OPEN, already)


@pytest.mark.parametrize(
    "text",
    [
        "Tom and Jerry",  # would fit "{first} and {second}"
        "The portal said something new.",
        "",
    ],
)
def test_texts_the_catalog_does_not_hold_are_not_taken_for_messages(text):
    assert message_key(text) is None


def test_a_message_with_a_filled_in_word_is_recognised_in_either_language():
    english = "Not completed at the moment: it is in progress."
    key = message_key(english)
    assert key is not None
    assert key.source == "Not completed at the moment: it is {status}."
    assert dict(key.args)["status"] == message_key("in progress")
    assert render(key) == english


def test_the_date_filter_offers_local_days(qtbot, berlin_clock, make_record):
    win = MainWindow(filter_debounce_ms=0)
    qtbot.addWidget(win)
    late = datetime(2024, 6, 3, 23, 30, tzinfo=UTC)  # 01:30 on June 4 in Berlin
    early = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    win.append_tasks([make_record(1, closed_date=late), make_record(2, closed_date=early)])
    qtbot.waitUntil(lambda: win.filter_bar.date_to.date().toPython() == date(2024, 6, 4))
    assert win.filter_bar.date_from.date().toPython() == date(2024, 5, 1)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_title_gets_room_on_a_narrow_window(qtbot, window, lang):
    switch_to(lang)
    header = window.table.horizontalHeader()
    wide = header.sectionSize(Column.CLOSED)
    window.resize(1024, 560)
    qtbot.waitUntil(lambda: header.sectionSize(Column.TITLE) >= 200)
    assert header.sectionSize(Column.CLOSED) == wide  # dates are never cut
    assert header.sectionSize(Column.STATUS) < 230


def test_columns_the_user_sized_are_left_alone(qtbot, window):
    header = window.table.horizontalHeader()
    window.resize(1600, 700)
    qtbot.wait(20)
    header.resizeSection(Column.RESPONSIBLE, 233)
    window.resize(1024, 560)
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.wait(20)
    assert header.sectionSize(Column.RESPONSIBLE) == 233
