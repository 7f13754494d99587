"""Help > Save a diagnostic report… and the Problems panel's offer, on a sandbox portal."""

from __future__ import annotations

import json

import pytest
from ui_rig import SANDBOX_BASE, Rig, sandbox, wait_until

from b24desk.core.diagnose import MASKED_HOST, READ_ONLY_METHODS
from b24desk.ui.models import make_entry

pytestmark = pytest.mark.asyncio


async def test_help_menu_saves_a_masked_report_where_the_admin_chose(tmp_path, qtbot):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    chosen = tmp_path / "chosen.json"
    asked: list[tuple[str, str]] = []

    def save_path(parent, title, suggested):
        asked.append((title, suggested))
        return str(chosen)

    rig.services.save_path = save_path
    try:
        rig.add_profile()
        await rig.start()
        before = {t.id: t.status for t in portal.tasks.values()}
        assert rig.window.action_diagnose in rig.window.help_menu.actions()

        rig.window.action_diagnose.trigger()
        await wait_until(chosen.exists)
        await wait_until(lambda: "Saved the diagnostic report" in rig.status_message())

        assert rig.confirm.asked[-1].accept_text == "Hide the address"
        assert asked[0][0] == "Save a diagnostic report"
        assert asked[0][1].endswith(".json")
        text = chosen.read_text(encoding="utf-8")
        assert str(chosen) in rig.status_message()
        assert "sandbox.invalid" not in text  # the rig's confirm said "hide it"
        assert MASKED_HOST in text
        assert portal.webhook_code not in text
        assert json.loads(text)["probes"]
        assert {t.id: t.status for t in portal.tasks.values()} == before
        assert set(portal.method_calls) <= READ_ONLY_METHODS
    finally:
        await rig.close()


async def test_keeping_the_host_and_cancelling_the_file_dialog(tmp_path, qtbot):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    rig.confirm.answer = False  # "keep the address"
    rig.saved_to = tmp_path / "kept.json"
    try:
        rig.add_profile()
        await rig.start()
        calls = portal.http_requests
        rig.services.save_path = lambda parent, title, suggested: None
        rig.window.action_diagnose.trigger()
        assert portal.http_requests == calls  # cancelled: nothing asked of the portal

        target = tmp_path / "kept.json"
        rig.services.save_path = lambda parent, title, suggested: str(target)
        rig.window.action_diagnose.trigger()
        await wait_until(target.exists)
        await wait_until(lambda: "Saved the diagnostic report" in rig.status_message())
        assert SANDBOX_BASE.removeprefix("https://") in target.read_text(encoding="utf-8")
    finally:
        await rig.close()


async def test_without_a_connection_it_says_to_connect_first(tmp_path, qtbot):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.window.show()
        rig.window.action_diagnose.trigger()
        assert rig.status_message() == "Connect to the portal first."
        assert rig.confirm.asked == []
    finally:
        await rig.close()


async def test_problems_panel_offers_the_report_only_for_unexpected_answers(tmp_path, qtbot):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    target = tmp_path / "from-panel.json"
    rig.services.save_path = lambda parent, title, suggested: str(target)
    try:
        rig.add_profile()
        await rig.start()
        panel = rig.window.error_panel
        button = panel.diagnose_button
        rig.window.add_error("The task may not be reopened.", code="1048582")
        assert not button.isVisibleTo(panel)

        rig.window.add_error("The portal answered with an error page.", code="UnexpectedResponse")
        assert button.isVisibleTo(panel)
        assert button.text() == "Save a diagnostic report…"
        button.click()
        await wait_until(lambda: "Saved the diagnostic report" in rig.status_message())
        assert target.exists()

        panel.model.clear()
        assert not button.isVisibleTo(panel)
        rig.window.add_errors([make_entry("Odd answer", code="SOME_NEW_CODE")])
        assert button.isVisibleTo(panel)
    finally:
        await rig.close()


async def test_the_demo_portal_gives_a_report_too(tmp_path, qtbot):
    from b24desk.demo import DemoPortal, demo_config
    from b24desk.ui.services import Services

    services = Services.for_demo(DemoPortal(demo_config(task_count=300, latency_ms=0, faults="")))
    rig = Rig(tmp_path, None, services=services)
    target = tmp_path / "demo-report.json"
    rig.services.save_path = lambda parent, title, suggested: str(target)
    try:
        await rig.start()
        await rig.idle()
        rig.window.action_diagnose.trigger()
        await wait_until(lambda: "Saved the diagnostic report" in rig.status_message(), 20)
        report = json.loads(target.read_text(encoding="utf-8"))
        listed = next(p for p in report["probes"] if p["probe"] == "tasks.task.list completed")
        assert listed["outcome"] == "ok"
        assert rig.sandbox.webhook_code not in target.read_text(encoding="utf-8")
    finally:
        await rig.close()


async def test_a_file_that_cannot_be_written_is_said_plainly(tmp_path, qtbot):
    rig = Rig(tmp_path, sandbox())
    target = tmp_path / "missing folder" / "report.json"
    rig.services.save_path = lambda parent, title, suggested: str(target)
    try:
        rig.add_profile()
        await rig.start()
        rig.window.action_diagnose.trigger()
        await wait_until(lambda: "Could not write" in rig.status_message())
        assert str(target) in rig.status_message()
        assert rig.window.error_model.rowCount() == 0
    finally:
        await rig.close()
