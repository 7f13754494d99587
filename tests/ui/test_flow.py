"""The whole window against a sandbox portal: connect, load, filter, select, renew, cancel,
retry, undo, history and export (pattern B: every test runs on a qasync loop)."""

from __future__ import annotations

import asyncio
import csv
import threading
from typing import Any

import httpx
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt, QUrl
from ui_rig import Rig, sandbox, wait_until

from b24desk.core.model import TaskFilter, TaskOutcome
from b24desk.core.renew.journal import Journal
from b24desk.sandbox import FaultPlan, serve
from b24desk.ui.dialogs.setup import SetupDialog
from b24desk.ui.features import loading
from b24desk.ui.features.state import Phase
from b24desk.ui.models import ErrorColumn

pytestmark = pytest.mark.asyncio


def setup_dialog(rig: Rig) -> SetupDialog:
    dialog = rig.controller.setup_dialog
    assert dialog is not None, "the setup dialog is not open"
    return dialog


# -- connecting ----------------------------------------------------------------------------


async def test_first_run_sets_up_a_webhook_and_connects(tmp_path, qtbot):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.window.show()
        rig.controller.start()
        await wait_until(lambda: rig.controller.setup_dialog is not None)
        dialog = setup_dialog(rig)
        assert "Set up a connection" in rig.window.table.placeholder
        assert "Tasks (task)" in dialog.help_label.text()

        dialog.set_webhook_text(rig.webhook_url)
        assert dialog.name_edit.text() == "sandbox.invalid"
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.verdict_text().startswith("✓"))
        assert "Connected to sandbox.invalid as" in dialog.verdict_text()

        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: rig.window.is_connected)
        await rig.idle()
        user = rig.portal.users[rig.portal.config.user_id].full_name
        assert rig.window.windowTitle() == f"b24desk — sandbox.invalid — {user}"
        assert rig.controller.setup_dialog is None
        # The profile names no secret; the code went to the (memory) password store.
        profiles = (tmp_path / "profiles.json").read_text(encoding="utf-8")
        assert rig.portal.webhook_code not in profiles
        assert rig.portal.webhook_code in rig.keyring.entries.values()  # type: ignore[attr-defined]
        await wait_until(lambda: rig.window.profile_names() == ["sandbox.invalid"])
    finally:
        await rig.close()


async def test_a_malformed_address_is_explained_without_asking_the_portal(tmp_path, qtbot):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.window.show()
        dialog = rig.controller.open_setup()
        dialog.set_webhook_text("hello there")
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert dialog.verdict_text().startswith("✗")
        assert rig.transports == 0
        assert rig.portal.http_requests == 0
    finally:
        await rig.close()


async def test_a_wrong_webhook_code_gets_the_plain_verdict(tmp_path, qtbot):
    rig = Rig(tmp_path, sandbox())
    try:
        dialog = rig.controller.open_setup()
        wrong = rig.webhook_url.replace(rig.portal.webhook_code, "fakewebhookcode0000")
        dialog.set_webhook_text(wrong)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.verdict_text().startswith("✗"))
        assert "did not accept this webhook" in dialog.verdict_text()
        assert "fakewebhookcode0000" not in dialog.verdict_text()
    finally:
        await rig.close()


async def test_without_a_password_store_the_connection_can_be_used_for_this_session(
    tmp_path, qtbot
):
    rig = Rig(tmp_path, sandbox(), keyring=fail.Keyring())
    try:
        dialog = rig.controller.open_setup()
        dialog.set_webhook_text(rig.webhook_url)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.save_button.isEnabled())
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.keyring_box.isVisibleTo(dialog))
        assert "No password store is available" in dialog.keyring_label.text()
        assert not (tmp_path / "profiles.json").exists()

        qtbot.mouseClick(dialog.session_only_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: rig.window.is_connected)
        await rig.idle()
        assert rig.services.connections.secrets.is_session_only
        # Session only leaves nothing behind: no profile in the file, no "last profile".
        assert not (tmp_path / "profiles.json").exists()
        assert rig.services.settings.value("connection/last_profile") is None
        await wait_until(lambda: rig.window.profile_names() == ["sandbox.invalid"])
    finally:
        await rig.close()


async def test_a_task_link_is_named_for_what_it_is(tmp_path, qtbot):
    rig = Rig(tmp_path, sandbox())
    try:
        dialog = rig.controller.open_setup()
        dialog.set_webhook_text(
            "https://acme.bitrix24.ru/company/personal/user/1/tasks/task/view/7/"
        )
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert dialog.verdict_text().startswith("✗ This is a link to a task")
        assert not dialog.save_button.isEnabled()
        assert rig.portal.http_requests == 0
    finally:
        await rig.close()


async def test_the_certificate_file_is_checked_by_the_test_and_kept_with_the_profile(
    tmp_path, qtbot
):
    import certifi

    rig = Rig(tmp_path, sandbox())
    try:
        dialog = rig.controller.open_setup()
        dialog.set_webhook_text(rig.webhook_url)
        dialog.set_ca_bundle(str(tmp_path / "missing-ca.pem"))
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.verdict_text().startswith("✗"))
        assert "missing-ca.pem does not exist" in dialog.verdict_text()
        assert not dialog.save_button.isEnabled()

        dialog.set_ca_bundle(certifi.where())
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.save_button.isEnabled())
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: rig.window.is_connected)
        await rig.idle()
        profile = rig.services.connections.profiles.get("sandbox.invalid")
        assert profile.ca_bundle == certifi.where()
    finally:
        await rig.close()


async def test_first_run_offers_the_demo_portal(tmp_path, qtbot):
    from b24desk.demo import DemoPortal, demo_config
    from b24desk.ui.services import Services

    rig = Rig(tmp_path, sandbox())
    made: list[Services] = []

    def small_demo() -> Services:
        made.append(Services.for_demo(DemoPortal(demo_config(task_count=60, latency_ms=0))))
        made[-1].retry = rig.services.retry
        return made[-1]

    rig.controller.demo_services = small_demo
    loaded: list[int] = []
    rig.controller.loading_finished.connect(loaded.append)
    try:
        rig.window.show()
        rig.controller.start()
        await wait_until(lambda: rig.controller.setup_dialog is not None)
        dialog = setup_dialog(rig)
        assert dialog.demo_button.isVisibleTo(dialog)
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: bool(loaded), 30)  # the demo loads its tasks by itself
        await rig.idle()
        assert rig.controller.setup_dialog is None
        assert rig.controller.services is made[0]
        assert rig.window.is_connected
        assert rig.window.demo_banner.isVisibleTo(rig.window)
        assert "--demo" not in rig.window.demo_banner.text()
        assert "DEMO" in rig.window.windowTitle()
        assert rig.window.task_model.rowCount() > 0
        # Nothing of the demo is left in the real profiles or settings.
        assert not (tmp_path / "profiles.json").exists()
        # In demo mode the setup dialog does not offer the demo again.
        again = rig.controller.open_setup()
        assert not again.demo_button.isVisibleTo(again)
        again.reject()
    finally:
        await rig.close()
    folder = made[0].journal_path.parent
    assert not folder.exists(), "the demo's temporary folder is removed at the end"


async def test_the_last_profile_is_used_at_start_and_profiles_can_be_switched(tmp_path):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.add_profile("Main")
        # Another portal's address; the rig's transport takes it to the same sandbox.
        branch = rig.sandbox.webhook_url("https://branch.invalid")
        rig.services.connections.add_webhook("Branch", branch)
        rig.services.settings.setValue("connection/last_profile", "Main")
        await rig.start()
        assert rig.controller.profile_name == "Main"
        await wait_until(lambda: rig.window.profile_names() == ["Main", "Branch"])
        # Switching connects to the other profile's portal (here: the same transport).
        rig.window.profiles_menu.actions()[1].trigger()
        await wait_until(lambda: rig.controller.profile_name == "Branch")
        await rig.idle()
        assert rig.services.settings.value("connection/last_profile") == "Branch"
    finally:
        await rig.close()


def free_plan(request: httpx.Request) -> httpx.Response:
    answer = {
        "error": "ACCESS_DENIED",
        "error_description": "REST is available only on commercial plans.",
    }
    return httpx.Response(403, json=answer)


@pytest.mark.parametrize(
    ("case", "phrase"),
    [
        ("wrong code", "did not accept this webhook"),
        ("free plan", "only on commercial plans"),
        ("no task scope", "lacks the Tasks (task) permission"),
    ],
)
async def test_a_refused_connection_does_not_count_as_connected(tmp_path, case, phrase):
    portal = sandbox(webhook_scopes=("user",)) if case == "no task scope" else sandbox()
    rig = Rig(tmp_path, portal)
    try:
        address = portal.webhook_url("https://a.invalid")
        if case == "wrong code":
            address = address.replace(portal.webhook_code, "fakewebhookcode0000")
        if case == "free plan":

            async def transport() -> httpx.AsyncBaseTransport:
                return httpx.MockTransport(free_plan)

            rig.services.transport = transport
        rig.services.connections.add_webhook("Main", address)
        rig.window.show()
        rig.controller.start()
        await wait_until(lambda: rig.window.error_model.rowCount() > 0)
        await rig.idle()
        assert phrase in rig.window.error_model.entry_at(0).reason
        assert not rig.window.is_connected
        assert rig.controller.session is None
        assert rig.window.windowTitle() == "b24desk — not connected"
        assert "Not connected" in rig.window.table.placeholder
        # Load does not pretend either: it opens the setup dialog.
        rig.window.action_load.trigger()
        assert rig.controller.setup_dialog is not None
    finally:
        await rig.close()


async def test_a_connection_whose_secret_cannot_be_reached_can_still_be_removed(tmp_path):
    from keyring.errors import KeyringLocked
    from keyring_double import MemoryKeyring

    class Lockable(MemoryKeyring):
        locked = False

        def delete_password(self, service: str, username: str) -> None:
            if self.locked:
                raise KeyringLocked("locked")
            super().delete_password(service, username)

    keyring = Lockable()
    rig = Rig(tmp_path, sandbox(), keyring=keyring)
    try:
        rig.add_profile("Main")
        rig.add_profile("Other")
        rig.services.settings.setValue("connection/last_profile", "Main")
        await rig.start()
        await wait_until(lambda: rig.window.profile_names() == ["Main", "Other"])
        assert rig.window.action_remove_profile.isEnabled()
        keyring.locked = True
        rig.window.action_remove_profile.trigger()
        question = rig.confirm.asked[-1]
        assert question.question == "Remove the connection “Main”?"
        await wait_until(lambda: rig.window.profile_names() == ["Other"])
        assert rig.services.connections.profiles.names() == ["Other"]
        assert not rig.window.is_connected
        assert rig.controller.session is None
        assert "may still be in it" in rig.status_message()
        assert rig.services.settings.value("connection/last_profile") in (None, "")
        assert not rig.window.action_remove_profile.isEnabled()
    finally:
        await rig.close()


async def test_an_unreachable_portal_is_reported_in_plain_words(tmp_path):
    rig = Rig(tmp_path, sandbox(faults=FaultPlan.parse("reset=1.0")))
    try:
        rig.add_profile()
        rig.window.show()
        rig.controller.start()
        await wait_until(lambda: rig.window.error_model.rowCount() > 0)
        await rig.idle()
        entry = rig.window.error_model.entry_at(0)
        assert "broke off before it answered" in entry.reason
        # The portal being connected to is named, even though it never answered.
        assert "the portal sandbox.invalid broke off" in entry.reason
        assert not rig.window.is_connected
        assert rig.window.windowTitle() == "b24desk — not connected"
    finally:
        await rig.close()


# -- loading -------------------------------------------------------------------------------


async def test_a_portal_without_completed_tasks_says_so_after_loading(tmp_path):
    rig = Rig(tmp_path, sandbox(task_count=0))
    try:
        rig.add_profile()
        await rig.start()
        assert rig.window.table.placeholder.startswith("No tasks loaded yet")
        await rig.load()
        assert rig.window.task_model.rowCount() == 0
        assert rig.window.table.placeholder.startswith("The portal has no completed tasks")
        assert "Loaded 0 completed tasks." in rig.status_message()
    finally:
        await rig.close()


async def test_load_streams_every_completed_task_into_the_table(tmp_path):
    rig = Rig(tmp_path, sandbox(admin=False))
    progress: list[str] = []
    try:
        rig.add_profile()
        await rig.start()
        show_progress = rig.window.set_progress

        def recording(done: int, total: int | None = None, text: str = "") -> None:
            progress.append(text)
            show_progress(done, total, text)

        rig.window.set_progress = recording  # type: ignore[method-assign]
        await rig.load()
        expected = rig.visible_completed_ids()
        assert sorted(r.id for r in rig.window.task_model.records()) == expected
        assert rig.status_message().startswith(f"Loaded {len(expected):,} completed tasks. Select")
        await wait_until(lambda: rig.window.counters_text().startswith(f"{len(expected):,} tasks"))
        assert any(text.startswith("Loading tasks…") for text in progress)
    finally:
        await rig.close()


async def test_loading_a_small_portal_shows_progress_as_rows_arrive(tmp_path):
    from b24desk.ui.features.loading import LOADING_STEPS, pages_per_request

    rig = Rig(tmp_path, sandbox(task_count=1500, latency_ms=5))
    progress: list[tuple[int, int | None]] = []
    try:
        rig.add_profile()
        await rig.start()
        show_progress = rig.window.set_progress

        def recording(done: int, total: int | None = None, text: str = "") -> None:
            progress.append((done, total))
            show_progress(done, total, text)

        rig.window.set_progress = recording  # type: ignore[method-assign]
        before = rig.portal.http_requests
        await rig.load()
        loaded = rig.window.task_model.rowCount()
        assert loaded > 500
        # Not one request that brings everything at once: several, each adding rows.
        assert rig.portal.http_requests - before >= LOADING_STEPS // 2
        steps = {done for done, total in progress if total and 0 < done < loaded}
        assert len(steps) >= LOADING_STEPS // 2, progress
    finally:
        await rig.close()
    assert pages_per_request(None) == 20
    assert pages_per_request(100_000) == 20  # big portals: answers the window decodes quickly
    assert pages_per_request(2_000) == 5
    assert pages_per_request(10) == 1


async def test_loading_waits_for_the_table_instead_of_piling_pages_up(tmp_path, monkeypatch):
    """A table slow to take rows in holds the listing back: tasks read far ahead would only
    wait in memory. Every task still arrives, once."""
    monkeypatch.setattr(loading, "BACKLOG_TASKS", 300)
    rig = Rig(tmp_path, sandbox(task_count=6_000))
    model = rig.window.task_model
    model.slice_s = 0.0002  # a table that takes rows in slowly
    backlog: list[int] = []
    append = model.append_tasks

    def appending(items: Any) -> None:
        append(items)
        backlog.append(model.pending_count)

    model.append_tasks = appending  # type: ignore[method-assign]
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        ids = sorted(r.id for r in model.records())
        assert ids == rig.visible_completed_ids()
        assert len(ids) > 2_000
        # The inbox hands over what a loop turn gathered: at most a few pages past the mark.
        assert max(backlog) <= 300 + 4 * 50, max(backlog)
    finally:
        await rig.close()


async def test_stop_keeps_what_was_loaded(tmp_path):
    rig = Rig(tmp_path, sandbox(latency_ms=40))
    try:
        rig.add_profile()
        await rig.start()
        rig.window.action_load.trigger()
        await wait_until(lambda: rig.controller.phase is Phase.LOADING)
        rig.window.action_stop.trigger()
        await rig.idle()
        assert rig.status_message().startswith("Stopped loading:")
        assert rig.window.action_load.isEnabled()
    finally:
        await rig.close()


async def test_loading_errors_go_to_the_problems_panel(tmp_path):
    rig = Rig(tmp_path, sandbox(faults=FaultPlan.parse("on:tasks.task.list=overload*all")))
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        entries = rig.window.error_model.entries()
        assert entries, "no problem listed"
        assert "blocked REST access" in entries[-1].reason
        assert entries[-1].code == "OVERLOAD_LIMIT"
        assert rig.window.error_panel.isVisible()
    finally:
        await rig.close()


# -- renewing ------------------------------------------------------------------------------


async def test_renew_with_failures_then_retry_then_undo(tmp_path, qtbot):
    # Every renew batch fails three times in a row: the engine gives up on those tasks.
    portal = sandbox(admin=False, faults=FaultPlan.parse("on:tasks.task.renew=html500*3"))
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        # The 8 tasks go out as one measuring batch, the one the fault plan fails three
        # times (the default measuring batch holds 1 task: the plan would fail only it, and
        # the batches after it would reopen the rest).
        assert rig.controller.session is not None
        rig.controller.session.engine.probe_size = 10
        await rig.load()
        chosen = rig.visible_completed_ids()[:8]
        await rig.renew(chosen)

        question = rig.confirm.asked[-1]
        assert question.question == "Reopen 8 tasks?"
        assert "not an administrator" in question.details
        assert {rig.outcome(i) for i in chosen} <= {TaskOutcome.FAILED, TaskOutcome.NOT_ALLOWED}
        failed = [i for i in chosen if rig.outcome(i) is TaskOutcome.FAILED]
        assert failed, "the fault plan made nothing fail"
        entries = {e.task_id: e for e in rig.window.error_model.entries()}
        assert set(failed) <= set(entries)
        assert "error page (HTTP 500)" in entries[failed[0]].reason
        assert "Reopened 0 of 8 tasks" in rig.status_message()
        assert portal.tasks[failed[0]].status == 5

        # Clicking the problem selects the task's row.
        rig.window.table.clearSelection()
        row = next(r for r, e in enumerate(rig.window.error_model.entries()) if e.task_id)
        index = rig.window.error_model.index(row, ErrorColumn.REASON)
        rig.window.error_panel.view.clicked.emit(index)
        wanted = rig.window.error_model.entry_at(row).task_id
        assert rig.window.selected_task_ids() == [wanted]

        # Retry: the fault plan is used up, so the failed ones are reopened now (except
        # those this non-admin user may not reopen).
        await wait_until(lambda: rig.window.action_retry.isEnabled())
        rig.window.action_retry.trigger()
        await rig.idle()
        reopened = [i for i in failed if rig.outcome(i) is TaskOutcome.RENEWED]
        refused = [i for i in failed if rig.outcome(i) is TaskOutcome.NOT_ALLOWED]
        assert reopened
        assert len(reopened) + len(refused) == len(failed)
        assert all(portal.tasks[i].status == 2 for i in reopened)
        assert rig.status_message().startswith(
            f"Retry: reopened {len(reopened)} of {len(failed)} tasks"
        )
        assert not rig.window.action_retry.isEnabled()

        # Undo this run: the retried tasks are completed again.
        await wait_until(lambda: rig.window.action_undo.isEnabled())
        rig.window.action_undo.trigger()
        await rig.idle()
        assert rig.confirm.asked[-1].question.startswith(f"Complete again the {len(reopened)} ")
        outcomes = {i: rig.window.task_model.outcome_of(i) for i in reopened}
        assert all(o[0] is TaskOutcome.RECOMPLETED for o in outcomes.values()), outcomes
        assert all(portal.tasks[i].status in (4, 5) for i in reopened)  # 4: awaiting control
        assert not rig.window.action_undo.isEnabled()
        runs = Journal(tmp_path / "journal.jsonl").runs()
        assert [r.kind for r in runs] == ["renew", "retry", "undo"]
    finally:
        await rig.close()


async def test_not_allowed_tasks_are_listed_with_their_reason(tmp_path):
    portal = sandbox(admin=False)
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        ids = rig.visible_completed_ids()
        await rig.renew(ids)
        refused = [i for i in ids if rig.outcome(i) is TaskOutcome.NOT_ALLOWED]
        renewed = [i for i in ids if rig.outcome(i) is TaskOutcome.RENEWED]
        assert refused
        assert renewed
        assert len(refused) + len(renewed) == len(ids)
        problems = [e for e in rig.window.error_model.entries() if e.task_id in set(refused)]
        assert len(problems) == len(refused)
        assert problems[0].reason == "Your Bitrix24 user is not allowed to reopen this task."
        assert problems[0].code == "1048582"
        assert f"{len(refused)} not allowed" in rig.window.counters_text()
    finally:
        await rig.close()


async def test_tasks_changed_since_loading_are_skipped_after_saying_so(tmp_path):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        chosen = rig.visible_completed_ids()[:5]
        for task_id in chosen[:2]:  # a colleague reopens two of them meanwhile
            portal.tasks[task_id].status = 2
        await rig.renew(chosen)
        question = rig.confirm.asked[-1].question
        assert question == "Reopen 3 tasks? 2 are no longer completed and will be skipped."
        assert [rig.outcome(i) for i in chosen[:2]] == [TaskOutcome.SKIPPED] * 2
        assert "pending" in rig.window.task_model.outcome_of(chosen[0])[1]
        assert [rig.outcome(i) for i in chosen[2:]] == [TaskOutcome.RENEWED] * 3
    finally:
        await rig.close()


async def test_saying_no_changes_nothing(tmp_path):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        chosen = rig.visible_completed_ids()[:3]
        rig.confirm.answer = False
        await rig.renew(chosen)
        assert len(rig.confirm.asked) == 1
        assert all(portal.tasks[i].status == 5 for i in chosen)
        assert all(rig.outcome(i) is None for i in chosen)
        assert rig.status_message() == "Nothing was changed on the portal."
        assert Journal(tmp_path / "journal.jsonl").runs() == []
    finally:
        await rig.close()


async def test_the_real_confirmation_box_can_be_answered(tmp_path, qtbot):
    from PySide6.QtWidgets import QPushButton

    from b24desk.ui.dialogs.confirm import ask_with_message_box
    from b24desk.ui.dialogs.renew import RenewDialog

    portal = sandbox()
    rig = Rig(tmp_path, portal)
    rig.services.confirm = ask_with_message_box
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        chosen = rig.visible_completed_ids()[:2]
        await rig.renew(chosen, wait=False)
        await wait_until(lambda: rig.window.findChild(RenewDialog, "renewDialog") is not None)
        box = rig.window.findChild(RenewDialog, "renewDialog")
        assert box.question.text() == "Reopen 2 tasks?"
        assert box.isModal() or box.windowModality() == Qt.WindowModality.WindowModal
        accept = box.findChild(QPushButton, "confirmAccept")
        assert accept.text() == "Reopen 2 tasks"
        qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
        await rig.idle()
        assert [rig.outcome(i) for i in chosen] == [TaskOutcome.RENEWED] * 2
    finally:
        await rig.close()


async def test_cancel_stops_at_once_and_every_row_says_what_happened(tmp_path):
    portal = sandbox(task_count=900, latency_ms=15)
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        chosen = rig.visible_completed_ids()[:200]
        await rig.renew(chosen, wait=False)
        await wait_until(lambda: rig.window.task_model.outcome_count(TaskOutcome.RENEWED) > 0)
        # the first batch (1 task, measuring the portal) is back: the window shows progress
        await wait_until(lambda: rig.window.progress_bar.value() >= 1)
        assert rig.window.progress_bar.maximum() == 200
        assert rig.window.activity_label.text().startswith("Renewing… ")
        assert " of 200" in rig.window.activity_label.text()
        assert rig.window.action_cancel.isEnabled()
        rig.window.action_cancel.trigger()
        await rig.idle()
        outcomes = [rig.outcome(i) for i in chosen]
        # the first batch stays reopened; what was sent after it is read back: reopened, in
        # flight (checked before the next run) or never sent
        assert outcomes.count(TaskOutcome.RENEWED) >= 1
        assert set(outcomes) <= {
            TaskOutcome.RENEWED,
            TaskOutcome.NOT_ATTEMPTED,
            TaskOutcome.RENEWING,
        }
        assert rig.status_message().startswith("Cancelled. Reopened")
        untouched = [i for i in chosen if rig.outcome(i) is TaskOutcome.NOT_ATTEMPTED]
        assert all(portal.tasks[i].status == 5 for i in untouched)
        reopened = [i for i in chosen if rig.outcome(i) is TaskOutcome.RENEWED]
        assert reopened
        assert all(portal.tasks[i].status == 2 for i in reopened)
        # a row shown in flight is one the journal keeps in flight for the next run to read
        # back; a row shown reopened or never sent is settled there
        in_flight = [i for i in chosen if rig.outcome(i) is TaskOutcome.RENEWING]
        run = Journal(tmp_path / "journal.jsonl").runs()[-1]
        assert run.cancelled
        assert run.unsettled() == sorted(in_flight)
    finally:
        await rig.close()


async def test_rows_keep_their_outcome_until_the_next_load(tmp_path):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        chosen = rig.visible_completed_ids()[:2]
        await rig.renew(chosen)
        rig.window.filter_bar.set_filter(TaskFilter(search="zzz-no-such-title"))
        rig.window.filter_bar.reset()
        assert rig.outcome(chosen[0]) is TaskOutcome.RENEWED
        await rig.load()
        assert rig.window.task_model.outcome_count(TaskOutcome.RENEWED) == 0
        # Renewed tasks are no longer completed, so they are not listed again.
        assert rig.window.task_model.row_of(chosen[0]) is None
    finally:
        await rig.close()


async def test_filter_then_select_all_renews_only_what_is_shown(tmp_path):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        record = rig.window.task_model.records()[0]
        rig.window.filter_bar.set_filter(TaskFilter(responsible_id=record.responsible_id))
        shown = rig.window.proxy.rowCount()
        assert 0 < shown < rig.window.task_model.rowCount()
        rig.window.action_select_all.trigger()
        await wait_until(lambda: rig.window.action_renew.isEnabled())
        rig.window.action_renew.trigger()
        await rig.idle()
        assert rig.confirm.asked[-1].question == f"Reopen {shown} task{'s' * (shown != 1)}?"
        renewed = rig.window.task_model.task_ids_with(TaskOutcome.RENEWED)
        assert len(renewed) == shown
        assert {portal.tasks[i].responsible_id for i in renewed} == {record.responsible_id}
    finally:
        await rig.close()


# -- opening tasks, history, export --------------------------------------------------------


async def test_double_click_opens_the_task_on_the_portal(tmp_path, qtbot):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        index = rig.window.proxy.index(0, 1)
        task_id = rig.window.proxy.task_id_at(0)
        rig.window.table.doubleClicked.emit(index)
        user = rig.portal.config.user_id
        assert rig.opened == [
            f"https://sandbox.invalid/company/personal/user/{user}/tasks/task/view/{task_id}/"
        ]
        menu = rig.window.table.build_context_menu(rig.window.table.visualRect(index).center())
        menu.actions()[0].trigger()
        assert len(rig.opened) == 2
    finally:
        await rig.close()


async def test_history_lists_runs_and_exports_a_run_for_excel(tmp_path):
    portal = sandbox()
    title = "Согласовать счёт «Вектор», №7"
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        chosen_ids = rig.visible_completed_ids()[:3]
        portal.tasks[chosen_ids[0]].title = title
        await rig.load()
        portal.tasks[chosen_ids[2]].status = 2  # reopened meanwhile: skipped
        await rig.renew(chosen_ids)

        dialog = rig.controller.open_history()
        await wait_until(lambda: dialog.model.rowCount() == 1)
        assert dialog.model.index(0, 3).data() == "2"  # reopened
        assert dialog.undo_button.isEnabled()
        dialog.export_button.click()
        await wait_until(lambda: rig.saved_to.exists() and "Saved" in dialog.note.text())
        raw = rig.saved_to.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
        assert rows[0] == ["Task ID", "Title", "Outcome", "Reason", "Error code", "Time"]
        by_id = {int(row[0]): row for row in rows[1:]}
        assert set(by_id) == set(chosen_ids)
        assert by_id[chosen_ids[0]][1:3] == [title, "Renewed"]
        assert by_id[chosen_ids[2]][2] == "Skipped"
        assert "pending" in by_id[chosen_ids[2]][3]
        assert by_id[chosen_ids[0]][5][:4].isdigit()

        # Undo from the history.
        dialog.undo_button.click()
        await rig.idle()
        assert all(portal.tasks[i].status == 5 for i in chosen_ids[:2])
    finally:
        await rig.close()


async def test_export_to_an_unwritable_place_says_so(tmp_path):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        await rig.renew(rig.visible_completed_ids()[:1])
        blocker = tmp_path / "a-file"
        blocker.write_text("x")
        handle = rig.controller.export_run(rig.controller.last_run_id, str(blocker / "out.csv"))
        await handle
        assert rig.status_message().startswith(f"Could not write {blocker / 'out.csv'}")
    finally:
        await rig.close()


# -- feel ----------------------------------------------------------------------------------


async def test_window_settings_are_remembered(tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    rig = Rig(tmp_path, sandbox(), settings=settings)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        wanted = TaskFilter(search="report")
        rig.window.filter_bar.set_filter(wanted)
        header = rig.window.table.horizontalHeader()
        header.moveSection(7, 1)
        header.resizeSection(2, 233)
        rig.window.resize(rig.window.width(), 577)  # the offscreen screen is small: height only
        size = rig.window.size()
        assert rig.window.close_guard is not None
        assert rig.window.close_guard()
    finally:
        await rig.close()

    again = Rig(tmp_path, sandbox(), settings=settings, keyring=rig.keyring)
    try:
        await again.start()
        assert again.controller.profile_name == "Main"
        assert again.window.current_filter() == wanted
        assert again.window.filter_bar.search.text() == "report"
        header = again.window.table.horizontalHeader()
        assert header.visualIndex(7) == 1
        assert header.sectionSize(2) == 233
        assert again.window.size().height() == size.height() == 577
    finally:
        await again.close()


async def test_closing_mid_run_stops_cleanly_first(tmp_path):
    portal = sandbox(task_count=900, latency_ms=15)
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        await rig.renew(rig.visible_completed_ids()[:200], wait=False)
        await wait_until(lambda: rig.controller.phase is Phase.RENEWING)
        assert not rig.window.close()  # refused: the run stops first
        assert "Stopping: nothing more is sent" in rig.status_message()
        await wait_until(lambda: not rig.window.isVisible())
        runs = Journal(tmp_path / "journal.jsonl").runs()
        assert runs[-1].cancelled
        assert not runs[-1].crashed
    finally:
        await rig.close()


async def test_a_portal_that_refuses_to_go_on_stops_the_run_in_plain_words(tmp_path):
    portal = sandbox(faults=FaultPlan.parse("on:tasks.task.renew=overload*all"))
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        chosen = rig.visible_completed_ids()[:3]
        await rig.renew(chosen)
        assert [rig.outcome(i) for i in chosen] == [TaskOutcome.NOT_ATTEMPTED] * 3
        assert all(portal.tasks[i].status == 5 for i in chosen)
        assert rig.status_message().startswith("The portal stopped the run:")
        stopped = [e for e in rig.window.error_model.entries() if e.code == "RUN_STOPPED"]
        assert len(stopped) == 1
        assert "Bitrix24 support" in stopped[0].reason
    finally:
        await rig.close()


async def test_a_run_interrupted_earlier_is_settled_before_the_next_one(tmp_path):
    from b24desk.core.model import TaskSnapshot

    portal = sandbox()
    rig = Rig(tmp_path, portal)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        ids = rig.visible_completed_ids()
        journal = Journal(tmp_path / "journal.jsonl")
        journal.start_run(
            "20240101-000000-dead00",
            kind="renew",
            portal="https://sandbox.invalid",
            tasks=[TaskSnapshot(ids[-1], 5)],
        )
        journal.record_attempt("20240101-000000-dead00", [ids[-1]])  # then b24desk "crashed"
        assert journal.runs()[0].crashed
        await rig.renew(ids[:1])
        crashed = journal.run("20240101-000000-dead00")
        assert crashed is not None
        assert not crashed.crashed
        assert crashed.outcome_of(ids[-1]) is TaskOutcome.FAILED  # never reached the portal
    finally:
        await rig.close()


# -- OAuth sign-in -------------------------------------------------------------------------


class Browser:
    """Plays the admin's browser: follows the sign-in page in its own thread."""

    def __init__(self, follow: bool = True) -> None:
        self.opened: list[str] = []
        self.follow = follow
        self.threads: list[threading.Thread] = []

    def __call__(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        if self.follow:
            thread = threading.Thread(target=self._visit, args=(url.toString(),), daemon=True)
            self.threads.append(thread)
            thread.start()
        return True

    @staticmethod
    def _visit(url: str) -> None:
        httpx.get(url, follow_redirects=True, timeout=10)


async def test_oauth_sign_in_through_the_browser_then_connects(tmp_path, qtbot):
    portal = sandbox()
    with serve(portal) as base:
        rig = Rig(tmp_path, portal)
        browser = Browser()
        rig.services.open_url = browser
        rig.services.oauth_server = base  # the sandbox exchanges codes itself
        try:
            dialog = rig.controller.open_setup()
            dialog.tabs.setCurrentIndex(1)
            assert not dialog.sign_in_button.isEnabled()
            dialog.portal_edit.setText(base)
            dialog.client_id_edit.setText(portal.config.client_id)
            dialog.secret_edit.setText(portal.config.client_secret)
            dialog.oauth_name_edit.setText("App")
            qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
            assert dialog.oauth_status_text().startswith("Waiting for you to allow b24desk")
            await wait_until(lambda: rig.window.is_connected, 20)
            await rig.idle()
            assert browser.opened[0].startswith(f"{base}/oauth/authorize/?client_id=")
            profile = rig.services.connections.profiles.get("App")
            assert profile.auth_kind == "oauth"
            assert rig.controller.profile_name == "App"
            stored = set(rig.keyring.entries.values())  # type: ignore[attr-defined]
            assert portal.config.client_secret in stored
            profiles_file = (tmp_path / "profiles.json").read_text(encoding="utf-8")
            assert portal.config.client_secret not in profiles_file
        finally:
            for thread in browser.threads:
                thread.join(timeout=10)
            await rig.close()


async def test_oauth_sign_in_by_pasting_the_browsers_address(tmp_path, qtbot):
    portal = sandbox()
    with serve(portal) as base:
        rig = Rig(tmp_path, portal)
        browser = Browser(follow=False)
        rig.services.open_url = browser
        rig.services.oauth_server = base
        try:
            dialog = rig.controller.open_setup()
            dialog.portal_edit.setText(base)
            dialog.client_id_edit.setText(portal.config.client_id)
            dialog.secret_edit.setText(portal.config.client_secret)
            dialog.sign_in()
            await wait_until(lambda: bool(browser.opened) and dialog.paste_button.isEnabled())
            # The portal sent the browser to a page that did not load; the admin copies it.
            dialog.paste_edit.setText("https://app.example/h?code=sandboxcode0000&state=forged")
            dialog.paste_button.click()
            assert "does not belong to the sign-in" in dialog.oauth_status_text()
            assert dialog.paste_button.isEnabled()  # still waiting for the right one
            url = browser.opened[0] + "&redirect_uri=https%3A%2F%2Fapp.example%2Fh"
            answer = await asyncio.to_thread(httpx.get, url, timeout=10)
            dialog.paste_edit.setText(answer.headers["location"])
            dialog.paste_button.click()
            await wait_until(lambda: rig.window.is_connected, 20)
        finally:
            await rig.close()


async def test_a_refused_sign_in_is_explained(tmp_path):
    portal = sandbox()
    with serve(portal) as base:
        rig = Rig(tmp_path, portal)
        browser = Browser()
        rig.services.open_url = browser
        rig.services.oauth_server = base
        try:
            dialog = rig.controller.open_setup()
            dialog.portal_edit.setText(base)
            dialog.client_id_edit.setText(portal.config.client_id)
            dialog.secret_edit.setText("fakeclientsecret0000")
            dialog.sign_in()
            await wait_until(lambda: dialog.oauth_status_text().startswith("✗"), 20)
            assert not rig.window.is_connected
            assert "fakeclientsecret0000" not in dialog.oauth_status_text()
            assert dialog.sign_in_button.isEnabled()  # can be tried again
            dialog.secret_edit.setText(portal.config.client_secret)
            dialog.sign_in()
            await wait_until(lambda: rig.window.is_connected, 20)
            assert rig.services.connections.profiles.names() == ["Main"]
        finally:
            for thread in browser.threads:
                thread.join(timeout=10)
            await rig.close()


async def test_renew_selected_counts_only_rows_not_reopened_yet(tmp_path):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        ids = rig.visible_completed_ids()[:5]
        await rig.renew(ids[:3])
        assert {rig.outcome(i) for i in ids[:3]} == {TaskOutcome.RENEWED}

        await rig.select(ids[:3])
        rig.window._update_actions()
        assert not rig.window.action_renew.isEnabled()  # nothing left to reopen there
        await rig.select(ids)
        rig.window._update_actions()
        assert rig.window.action_renew.isEnabled()
        assert rig.window.action_renew.text().endswith("(2)")
        asked = len(rig.confirm.asked)
        rig.window.action_renew.trigger()
        await rig.idle()
        assert rig.confirm.asked[asked].question.startswith("Reopen 2 tasks?")
    finally:
        await rig.close()
