"""The window's smaller parts: texts of confirmations, CSV export, saved settings, the runs
model, the setup dialog's own behaviour, outcome looks and the bridge's Inbox."""

from __future__ import annotations

import asyncio
import csv
import logging
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from b24desk.core.bitrix.tasks import task_url
from b24desk.core.connection import ConnectionVerdict, VerdictKind
from b24desk.core.model import TaskFilter, TaskOutcome, TaskSnapshot
from b24desk.core.renew.jobs import Precheck, RenewPlan, UndoPlan
from b24desk.core.renew.journal import Journal
from b24desk.core.renew.records import RunKind, RunRecord, RunReport, TaskResult
from b24desk.ui.bridge import Inbox
from b24desk.ui.dialogs.confirm import renew_confirmation, undo_confirmation
from b24desk.ui.dialogs.history import HistoryDialog
from b24desk.ui.dialogs.setup import SetupDialog
from b24desk.ui.export import local_time, run_rows, write_run_csv
from b24desk.ui.features.state import error_text
from b24desk.ui.features.summaries import run_summary
from b24desk.ui.models import OUTCOME_LOOKS, Tone, outcome_text, tone_colour
from b24desk.ui.models.runs import RunColumn, RunHistoryModel, can_undo, run_state
from b24desk.ui.settings import WindowSettings, filter_from_text, filter_to_text
from b24desk.ui.widgets import MainWindow


def snap(task_id: int, status: int = 5) -> TaskSnapshot:
    return TaskSnapshot(task_id, status)


def planned(precheck: Precheck) -> RenewPlan:
    """The plan a renew job makes of `precheck` (every task it was asked about selected)."""
    tasks = [
        *precheck.renewable,
        *precheck.no_longer_completed,
        *(snap(i) for i in precheck.missing),
        *(snap(i) for i in precheck.unread),
    ]
    return RenewPlan(RunKind.RENEW, None, tasks, precheck.skip_reasons(), precheck)


def undo_plan(*reopened: int) -> UndoPlan:
    """An undo of len(reopened) runs, each with that many tasks to complete again."""
    from b24desk.core.renew.jobs import _UndoStep

    steps = []
    for number, count in enumerate(reopened):
        run = RunRecord(f"r{number}", RunKind.RENEW, "p", "2024-01-01T00:00:00+00:00", None, {})
        steps.append(_UndoStep(run, [snap(i, 2) for i in range(count)], []))
    return UndoPlan(steps)


# -- confirmations -------------------------------------------------------------------------


def test_confirmation_reads_like_the_issue():
    precheck = Precheck([snap(i) for i in range(37)], [snap(100, 2), snap(101, 3)], [])
    confirmation = renew_confirmation(planned(precheck))
    assert (
        confirmation.question == "Reopen 37 tasks? 2 are no longer completed and will be skipped."
    )
    assert confirmation.accept_text == "Reopen 37 tasks"
    assert confirmation.can_proceed
    assert "not an administrator" not in confirmation.details


@pytest.mark.parametrize(
    ("renewable", "moved", "missing", "question"),
    [
        (1, 0, 0, "Reopen 1 task?"),
        (5, 1, 0, "Reopen 5 tasks? 1 is no longer completed and will be skipped."),
        (5, 0, 1, "Reopen 5 tasks? 1 was deleted or is hidden from you and will be skipped."),
        (
            2,
            2,
            3,
            "Reopen 2 tasks? 2 are no longer completed and 3 were deleted or are hidden "
            "from you; they will be skipped.",
        ),
        (1200, 0, 0, "Reopen 1,200 tasks?"),
    ],
)
def test_confirmation_counts_in_plain_words(renewable, moved, missing, question):
    precheck = Precheck(
        [snap(i) for i in range(renewable)],
        [snap(10_000 + i, 2) for i in range(moved)],
        [20_000 + i for i in range(missing)],
    )
    assert renew_confirmation(planned(precheck)).question == question


def test_nothing_left_to_reopen_only_informs():
    confirmation = renew_confirmation(planned(Precheck([], [snap(1, 2)], [2])))
    assert not confirmation.can_proceed
    assert confirmation.question.startswith("None of the 2 selected tasks can be reopened")


def test_a_non_admin_is_told_about_not_allowed_tasks():
    details = renew_confirmation(planned(Precheck([snap(1)], [], [])), admin=False).details
    assert "not an administrator" in details
    assert "Not allowed" in details


def test_undo_confirmation():
    assert (
        undo_confirmation(undo_plan(1)).question == "Complete again the 1 task this run reopened?"
    )
    assert (
        undo_confirmation(undo_plan(30, 10)).question
        == "Complete again the 40 tasks these 2 runs reopened?"
    )


def test_undo_confirmation_says_what_it_leaves_and_when_nothing_is_left():
    run = RunRecord("r1", RunKind.RENEW, "p", "2024-01-01T00:00:00+00:00", None, {})
    left = [TaskResult(7, TaskOutcome.SKIPPED, "moved on"), TaskResult(9, TaskOutcome.SKIPPED)]
    from b24desk.core.renew.jobs import _UndoStep

    some = undo_confirmation(UndoPlan([_UndoStep(run, [snap(1, 2)], left)]))
    assert some.question == (
        "Complete again the 1 task this run reopened? "
        "2 have changed since and will be left as they are."
    )
    assert "Left as they are: tasks 7, 9." in some.details
    assert some.can_proceed
    none = undo_confirmation(UndoPlan([_UndoStep(run, [], left)]))
    assert not none.can_proceed
    assert none.title == "Nothing to undo"
    assert none.question.startswith("None of the 2 tasks the run reopened can be completed again")


# -- status texts --------------------------------------------------------------------------


def report(kind: str, outcomes: list[TaskOutcome], cancelled: bool = False) -> RunReport:
    result = RunReport("r1", RunKind(kind), cancelled=cancelled)
    for number, outcome in enumerate(outcomes):
        result.record(TaskResult(number, outcome))
    return result


def test_run_summaries():
    r = TaskOutcome
    assert run_summary(report("renew", [r.RENEWED] * 3)) == "Reopened 3 of 3 tasks."
    assert (
        run_summary(report("renew", [r.RENEWED, r.FAILED, r.NOT_ALLOWED, r.SKIPPED]))
        == "Reopened 1 of 4 tasks; 1 not allowed, 1 failed, 1 skipped. "
        "“Retry failed” tries the failed ones again."
    )
    assert run_summary(report("retry", [r.RENEWED])) == "Retry: reopened 1 of 1 task."
    assert (
        run_summary(report("renew", [r.RENEWED, r.NOT_ATTEMPTED], cancelled=True))
        == "Cancelled. Reopened 1 of 2 tasks; 1 not attempted."
    )
    assert (
        run_summary(report("undo", [r.RECOMPLETED, r.SKIPPED]), report("undo", [r.RECOMPLETED]))
        == "Completed again 2 of 3 tasks; 1 left as they were."
    )


def test_task_url():
    assert (
        task_url("https://a.bitrix24.ru/", 7, 42)
        == "https://a.bitrix24.ru/company/personal/user/7/tasks/task/view/42/"
    )


@pytest.mark.allow_error_logs
def test_error_text_never_shows_a_secret():
    from b24desk.core.bitrix.errors import ConnectFailed
    from b24desk.core.redact import register_secret

    register_secret("fakewebhookcode0000")
    message, code = error_text(OSError(13, "denied fakewebhookcode0000"))
    assert "fakewebhookcode0000" not in message
    assert code == "PermissionError"
    message, code = error_text(ConnectFailed("boom fakewebhookcode0000"), "a.bitrix24.ru")
    assert "fakewebhookcode0000" not in message
    assert message.startswith("Nothing answers at the address a.bitrix24.ru")
    message, _ = error_text(ZeroDivisionError())
    assert "unexpected" in message


# -- export --------------------------------------------------------------------------------


def make_run() -> RunRecord:
    run = RunRecord(
        "20240301-101500-abcdef",
        RunKind.RENEW,
        "https://a.bitrix24.ru",
        "2024-03-01T10:15:00+00:00",
        None,
        {1: snap(1), 2: snap(2), 3: snap(3), 4: snap(4)},
    )
    run.results[1] = TaskResult(1, TaskOutcome.RENEWED)
    run.results[2] = TaskResult(2, TaskOutcome.FAILED, "Нет ответа, «сервер»", "ERROR_CORE")
    run.results[3] = TaskResult(3, TaskOutcome.SKIPPED, "No longer completed")
    run.in_flight.add(4)
    run.finished_at = "2024-03-01T10:16:00+00:00"
    return run


def test_export_writes_utf8_with_bom_for_excel(tmp_path):
    run = make_run()
    path = tmp_path / "sub" / "run.csv"
    titles = {1: "Отчёт за квартал, часть 1", 2: 'Title with "quotes"'}
    run.result_at[1] = "2024-03-01T10:15:30+00:00"
    assert write_run_csv(path, run, titles) == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Task ID", "Title", "Outcome", "Reason", "Error code", "Time"]
    assert rows[1][:3] == ["1", "Отчёт за квартал, часть 1", "Renewed"]
    assert rows[1][5] == local_time("2024-03-01T10:15:30+00:00")
    assert rows[2][1:5] == ['Title with "quotes"', "Failed", "Нет ответа, «сервер»", "ERROR_CORE"]
    assert rows[3][2:4] == ["Skipped", "No longer completed"]
    assert rows[4][2].startswith("Unknown")
    assert not list(tmp_path.glob("sub/.*"))  # no temporary file left behind


def test_result_times_come_from_the_journal(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.start_run("r1", kind=RunKind.RENEW, portal="https://a.b", tasks=[snap(1), snap(2)])
    journal.record_results("r1", [TaskResult(1, TaskOutcome.RENEWED)])
    journal.start_run("r2", kind=RunKind.RENEW, portal="https://a.b", tasks=[snap(1)])
    journal.record_results("r2", [TaskResult(1, TaskOutcome.FAILED)])
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"torn": \n')
    run = journal.require("r1")
    assert list(run.result_at) == [1]
    assert datetime.fromisoformat(run.result_at[1]).tzinfo is not None
    rows = run_rows(run, {})
    assert rows[0][5] == local_time(run.result_at[1])
    assert rows[1][5] == ""  # never answered: no time


def test_local_time_tolerates_junk():
    assert local_time(None) == ""
    assert local_time("yesterday") == ""
    moment = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert local_time(moment.isoformat()) == moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def test_rows_without_a_known_title_stay_blank():
    rows = run_rows(make_run(), {})
    assert [row[1] for row in rows] == ["", "", "", ""]


# -- settings ------------------------------------------------------------------------------


def test_filters_round_trip_through_text():
    wanted = TaskFilter(date(2024, 1, 2), date(2024, 2, 3), 7, None, 0, "отчёт")
    assert filter_from_text(filter_to_text(wanted)) == wanted
    assert filter_from_text(filter_to_text(TaskFilter())) == TaskFilter()


@pytest.mark.parametrize(
    "text",
    ["[]", '{"responsible_id": -1}', '{"group_id": "x"}', '{"closed_after": "2024-13-01"}', "{"],
)
def test_damaged_saved_filters_are_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011 - json and date errors are ValueErrors too
        filter_from_text(text)


def test_damaged_settings_are_ignored(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("table/filter", '{"responsible_id": "nobody"}')
    settings.setValue("window/geometry", "not bytes")
    settings.setValue("connection/last_profile", 5)
    window = MainWindow(filter_debounce_ms=0)
    qtbot.addWidget(window)
    store = WindowSettings(settings)
    store.restore(window)
    assert window.current_filter() == TaskFilter()
    assert store.last_profile() is None
    store.set_last_profile("Main")
    assert WindowSettings(settings).last_profile() == "Main"


# -- the history model and dialog ----------------------------------------------------------


def runs_for_history() -> list[RunRecord]:
    older = make_run()
    newer = RunRecord(
        "r2", RunKind.UNDO, "https://a.bitrix24.ru", "2024-03-02T09:00:00+00:00", "x", {}
    )
    crashed = RunRecord(
        "r3",
        RunKind.RENEW,
        "https://other.bitrix24.ru",
        "2024-03-03T09:00:00+00:00",
        None,
        {5: snap(5)},
    )
    newer.finished_at = "2024-03-02T09:01:00+00:00"
    newer.cancelled = True
    return [older, newer, crashed]


def test_runs_model_passes_the_model_tester(qtmodeltester):
    model = RunHistoryModel()
    qtmodeltester.check(model)
    model.set_runs(runs_for_history())
    qtmodeltester.check(model)
    assert [model.run_at(row).run_id for row in range(3)] == ["r3", "r2", "20240301-101500-abcdef"]
    oldest = model.rowCount() - 1
    assert model.index(oldest, RunColumn.KIND).data() == "Renew"
    assert model.index(oldest, RunColumn.TASKS).data() == "4"
    assert model.index(oldest, RunColumn.REOPENED).data() == "1"
    assert model.index(oldest, RunColumn.FAILED).data() == "1"
    assert model.index(oldest, RunColumn.OTHER).data() == "2"  # skipped + in flight
    assert model.index(oldest, RunColumn.STATE).data() == "Finished"
    assert model.index(1, RunColumn.STATE).data() == "Cancelled"
    assert model.index(0, RunColumn.STATE).data().startswith("Interrupted")


def test_only_runs_that_reopened_something_can_be_undone():
    runs = runs_for_history()
    older, undo_run, crashed = runs
    assert can_undo(older, runs)
    assert not can_undo(undo_run, runs)
    assert not can_undo(crashed, runs)
    undone = RunRecord(
        "r4", RunKind.UNDO, older.portal, "2024-03-04T09:00:00+00:00", older.run_id, {1: snap(1, 2)}
    )
    undone.results[1] = TaskResult(1, TaskOutcome.RECOMPLETED)
    assert not can_undo(older, [*runs, undone])
    assert run_state(crashed).startswith("Interrupted")


def test_history_dialog_shows_this_portals_runs_and_enables_buttons(qtbot):
    dialog = HistoryDialog()
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    dialog.set_runs(runs_for_history(), portal="https://a.bitrix24.ru")
    assert dialog.model.rowCount() == 2
    assert "a.bitrix24.ru" in dialog.intro.text()
    assert dialog.selected_run().run_id == "r2"  # the newest is selected
    assert dialog.export_button.isEnabled()
    assert not dialog.undo_button.isEnabled()
    assert dialog.select_run("20240301-101500-abcdef")
    assert dialog.undo_button.isEnabled()
    with qtbot.waitSignal(dialog.export_requested) as blocker:
        dialog.export_button.click()
    assert blocker.args == ["20240301-101500-abcdef"]
    with qtbot.waitSignal(dialog.undo_requested):
        dialog.undo_button.click()
    dialog.set_runs([], portal="https://a.bitrix24.ru")
    assert dialog.intro.text().startswith("No runs yet")


# -- the setup dialog ----------------------------------------------------------------------


def test_setup_dialog_hides_the_address_unless_asked(qtbot):
    dialog = SetupDialog()
    qtbot.addWidget(dialog)
    assert dialog.url_edit.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.test_button.isEnabled()
    assert not dialog.save_button.isEnabled()
    dialog.show_check.setChecked(True)
    assert dialog.url_edit.echoMode() == QLineEdit.EchoMode.Normal
    assert "OAuth" in dialog.tabs.tabText(1)


def test_setup_dialog_names_the_connection_after_the_portal_unless_typed(qtbot):
    dialog = SetupDialog()
    qtbot.addWidget(dialog)
    dialog.set_webhook_text("https://acme.bitrix24.com/rest/1/fakewebhookcode0000/")
    assert dialog.name_edit.text() == "acme.bitrix24.com"
    qtbot.keyClicks(dialog.name_edit, "x")
    dialog.set_webhook_text("https://other.bitrix24.com/rest/1/fakewebhookcode0000/")
    assert dialog.name_edit.text() == "acme.bitrix24.comx"
    dialog.test()
    dialog.show_verdict(ConnectionVerdict(True, VerdictKind.READY, "Connected.", "other"))
    with qtbot.waitSignal(dialog.save_requested) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [
        "acme.bitrix24.comx",
        "https://other.bitrix24.com/rest/1/fakewebhookcode0000/",
    ]


def test_setup_dialog_offers_saving_only_after_a_test_of_what_is_there_now(qtbot):
    dialog = SetupDialog()
    qtbot.addWidget(dialog)
    address = "https://acme.bitrix24.com/rest/1/fakewebhookcode0000/"
    ready = ConnectionVerdict(True, VerdictKind.READY, "Connected.", "acme.bitrix24.com")
    refused = ConnectionVerdict(False, VerdictKind.WRONG_CODE, "Not accepted.", "acme")
    dialog.set_webhook_text(address)
    assert dialog.test_button.isEnabled()
    assert not dialog.save_button.isEnabled()
    assert "Test the connection first" in dialog.save_button.toolTip()
    with qtbot.assertNotEmitted(dialog.save_requested):
        dialog.save()  # Enter in a field: nothing untested is saved
    dialog.test()
    assert not dialog.save_button.isEnabled()  # while the portal is asked
    dialog.show_verdict(refused)
    assert not dialog.save_button.isEnabled()
    dialog.test()
    dialog.show_verdict(ready)
    assert dialog.save_button.isEnabled()
    # Another address, or another certificate file, needs its own test.
    dialog.set_webhook_text(address.replace("acme", "other"))
    assert not dialog.save_button.isEnabled()
    dialog.set_webhook_text(address)
    assert dialog.save_button.isEnabled()
    dialog.set_ca_bundle("/etc/ssl/company-ca.pem")
    assert not dialog.save_button.isEnabled()
    dialog.set_ca_bundle("")
    assert dialog.save_button.isEnabled()
    dialog.show_saving()
    assert not dialog.save_button.isEnabled()
    dialog.show_problem("The profile name is taken.")
    assert dialog.save_button.isEnabled()


def test_setup_dialog_shows_a_long_answer_whole_on_a_small_screen(qtbot):
    parent = QWidget()
    parent.resize(1024, 600)
    qtbot.addWidget(parent)
    parent.show()
    dialog = SetupDialog(parent)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.set_webhook_text("https://acme.bitrix24.com/company/personal/user/1/tasks/task/view/9/")
    long_text = " ".join(["This is a long explanation of what went wrong."] * 8)
    dialog.show_problem(long_text)
    QApplication.processEvents()
    needed = dialog.verdict_label.heightForWidth(dialog.verdict_label.width())
    assert dialog.verdict_label.height() >= needed
    # The steps above give way (they scroll) rather than overlap the fields.
    help_bottom = dialog.help_area.mapTo(dialog, dialog.help_area.rect().bottomLeft()).y()
    fields_top = dialog.url_edit.mapTo(dialog, dialog.url_edit.rect().topLeft()).y()
    assert help_bottom < fields_top
    assert dialog.height() <= 600 or dialog.height() <= dialog.screen().availableGeometry().height()


def test_setup_dialog_shows_verdicts_with_words_first(qtbot):
    dialog = SetupDialog(demo=True)
    qtbot.addWidget(dialog)
    assert dialog.findChild(type(dialog.help_label), "setupDemoNote") is not None
    ok = ConnectionVerdict(True, VerdictKind.READY, "Connected to a.b as Ann.", "a.b")
    dialog.show_verdict(ok)
    assert dialog.verdict_text() == "✓ Connected to a.b as Ann."
    dialog.show_problem("The address is wrong.")
    assert dialog.verdict_text() == "✗ The address is wrong."
    dialog.offer_session_only("No password store is available.")
    assert dialog.keyring_box.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.session_only_requested):
        dialog.session_only_button.click()
    # A new address hides the stale answer.
    dialog.set_webhook_text("https://a.b/rest/1/fakewebhookcode0000/")
    assert dialog.verdict_text() == ""
    assert not dialog.keyring_box.isVisibleTo(dialog)


# -- outcome looks -------------------------------------------------------------------------


def test_every_outcome_has_a_look():
    assert set(OUTCOME_LOOKS) == set(TaskOutcome)
    ranks = [look.rank for look in OUTCOME_LOOKS.values()]
    assert len(set(ranks)) == len(ranks)
    assert outcome_text(TaskOutcome.SKIPPED, "No longer completed") == (
        "↷ Skipped — No longer completed"
    )
    assert outcome_text(TaskOutcome.RECOMPLETED) == "↩ Completed again"


def test_tones_follow_the_palette():
    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    for tone in (Tone.GOOD, Tone.BAD, Tone.WARNING):
        assert tone_colour(tone, light) != tone_colour(tone, dark)
        assert tone_colour(tone, dark).lightness() > tone_colour(tone, light).lightness()


# -- the bridge's Inbox --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_inbox_delivers_in_order_once_per_turn():
    deliveries: list[list[int]] = []
    inbox: Inbox[int] = Inbox(deliveries.append)

    async def producer() -> None:
        for number in range(1000):
            inbox.put(number)
            if number % 250 == 249:
                await asyncio.sleep(0)

    await producer()
    await asyncio.sleep(0)
    assert [n for batch in deliveries for n in batch] == list(range(1000))
    assert 1 <= len(deliveries) <= 5
    inbox.put_many([1, 2])
    inbox.flush()
    assert deliveries[-1] == [1, 2]
    assert inbox.pending == 0


@pytest.mark.asyncio
async def test_a_closed_inbox_delivers_nothing():
    deliveries: list[list[str]] = []
    inbox: Inbox[str] = Inbox(deliveries.append)
    inbox.put("a")
    inbox.close()
    inbox.put("b")
    await asyncio.sleep(0)
    assert deliveries == []


@pytest.mark.asyncio
@pytest.mark.allow_error_logs
async def test_an_inbox_whose_receiver_raises_logs_and_goes_on(caplog):
    received: list[list[int]] = []

    def receive(batch: list[int]) -> None:
        received.append(batch)
        if batch == [1]:
            raise RuntimeError("receiver broke")

    inbox: Inbox[int] = Inbox(receive, label="numbers")
    inbox.put(1)
    await asyncio.sleep(0)
    inbox.put(2)
    await asyncio.sleep(0)
    assert received == [[1], [2]]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "numbers" in errors[0].getMessage()


def test_loading_holds_back_full_collections_then_freezes_the_rows():
    import gc

    from b24desk.ui.features.loading import FULL_GC_EVERY_WHILE_LOADING, pause_gc

    before = gc.get_threshold()
    try:
        resume = pause_gc()
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] == max(before[2], FULL_GC_EVERY_WHILE_LOADING)
        rows = [[n] for n in range(1000)]  # tracked objects that outlive the load
        resume()
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() >= len(rows)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_setup_dialog_oauth_tab(qtbot):
    dialog = SetupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    assert not dialog.save_button.isVisible()  # the tab has its own button
    assert not dialog.sign_in_button.isEnabled()
    assert not dialog.paste_button.isEnabled()
    assert dialog.secret_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.portal_edit.setText("https://acme.bitrix24.com")
    dialog.client_id_edit.setText("local.abc.1")
    dialog.secret_edit.setText("fakeclientsecret0000")
    assert dialog.sign_in_button.isEnabled()
    with qtbot.waitSignal(dialog.oauth_requested) as blocker:
        dialog.sign_in_button.click()
    assert blocker.args == [
        "Main",
        "https://acme.bitrix24.com",
        "local.abc.1",
        "fakeclientsecret0000",
    ]
    dialog.show_oauth_waiting("acme.bitrix24.com")
    assert not dialog.sign_in_button.isEnabled()
    assert dialog.paste_button.isEnabled()
    dialog.show_oauth_problem("No answer came from the browser in time.")
    assert dialog.oauth_status_text().startswith("✗ No answer")
    assert dialog.sign_in_button.isEnabled()
    dialog.tabs.setCurrentIndex(0)
    assert dialog.save_button.isVisible()


def test_setup_dialog_oauth_is_off_in_demo_mode(qtbot):
    dialog = SetupDialog(demo=True)
    qtbot.addWidget(dialog)
    dialog.portal_edit.setText("https://acme.bitrix24.com")
    dialog.client_id_edit.setText("local.abc.1")
    dialog.secret_edit.setText("fakeclientsecret0000")
    assert not dialog.sign_in_button.isEnabled()
    assert "Demo mode" in dialog.oauth_label.text()
