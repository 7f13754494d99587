"""Demo mode in-process, and `b24desk` / `b24desk --demo` as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ui_rig import Rig, wait_until

from b24desk.core.model import TaskOutcome
from b24desk.demo import DemoPortal, demo_config
from b24desk.ui.app import app_icon, resource_path
from b24desk.ui.services import Services

ROOT = Path(__file__).resolve().parents[2]


def small_demo() -> DemoPortal:
    return DemoPortal(demo_config(task_count=2500, latency_ms=0, faults=""))


@pytest.mark.asyncio
async def test_the_demo_portal_is_built_once_from_when_its_services_are_made(tmp_path):
    demo = small_demo()
    assert demo._building is None
    services = Services.for_demo(demo)
    try:
        assert demo._building is not None  # begun before anything awaits it
        demo.begin()  # a second call starts nothing new
        first, second = await demo.start(), await demo.start()
        assert first is second is demo.portal
        assert demo.webhook_url().startswith("https://demo.b24desk.invalid/")
    finally:
        services.close()


@pytest.mark.asyncio
async def test_a_demo_portal_that_cannot_be_built_says_why(monkeypatch) -> None:
    def broken(config: object) -> None:
        raise MemoryError("no room for the sample tasks")

    monkeypatch.setattr("b24desk.demo.SandboxPortal", broken)
    demo = small_demo()
    with pytest.raises(MemoryError, match="no room"):
        await demo.start()
    assert demo.portal is None


@pytest.mark.asyncio
async def test_demo_mode_opens_on_the_sandbox_and_shows_its_scripted_events(tmp_path):
    services = Services.for_demo(small_demo())
    rig = Rig(tmp_path, None, services=services)
    loaded: list[int] = []
    rig.controller.loading_finished.connect(loaded.append)
    try:
        await rig.start()
        await wait_until(lambda: bool(loaded), 30)  # the demo loads its tasks by itself
        await rig.idle()
        rig.window.task_model.flush()
        user = rig.sandbox.users[rig.sandbox.config.user_id].full_name
        assert rig.window.windowTitle() == f"b24desk — DEMO — demo.b24desk.invalid — {user}"
        assert rig.window.demo_banner.isVisible()
        assert rig.window.demo_label.isVisible()
        ids = rig.visible_completed_ids()
        assert sorted(r.id for r in rig.window.task_model.records()) == ids
        # Nothing real is touched: secrets in memory, files in a temporary folder.
        assert services.connections.secrets.is_session_only
        assert services.journal_path.parent.name.startswith("b24desk-demo-")

        chosen = ids[:120]
        await rig.renew(chosen)
        question = rig.confirm.asked[-1]
        assert question.question.endswith("2 are no longer completed and will be skipped.")
        assert "not an administrator" in question.details
        counts = {o: rig.window.task_model.outcome_count(o) for o in TaskOutcome}
        assert counts[TaskOutcome.SKIPPED] == 2
        assert counts[TaskOutcome.NOT_ALLOWED] > 0  # the demo user is not an administrator
        assert counts[TaskOutcome.FAILED] > 0  # one task in 37 fails once
        codes = {e.code for e in rig.window.error_model.entries()}
        assert {"ERROR_CORE", "1048582"} <= codes
        failed = rig.window.failed_task_ids()
        assert all(rig.sandbox.tasks[i].status == 5 for i in failed)  # truly not reopened

        rig.window.action_retry.trigger()
        await rig.idle()
        assert all(rig.outcome(i) is TaskOutcome.RENEWED for i in failed)

        rig.controller.open_task(chosen[0])
        assert rig.opened == []  # a sandbox task has no page to open
        assert rig.status_message().startswith("Demo mode:")
    finally:
        await rig.close()


@pytest.mark.asyncio
async def test_demo_setup_dialog_tests_against_the_sandbox(tmp_path, qtbot):
    services = Services.for_demo(small_demo())
    rig = Rig(tmp_path, None, services=services)
    try:
        await rig.start()
        dialog = rig.controller.open_setup()
        assert dialog.webhook_text() == services.demo.webhook_url()  # type: ignore[union-attr]
        dialog.test_button.click()
        await wait_until(lambda: dialog.verdict_text().startswith("✓"), 20)
        assert "not an administrator" in dialog.verdict_text()
        dialog.save_button.click()
        await wait_until(lambda: rig.controller.setup_dialog is None)
        await rig.idle()
        assert services.connections.profiles.names() == ["demo.b24desk.invalid"]
    finally:
        await rig.close()


def test_the_icon_is_found_from_source_and_from_a_bundle(qtbot, tmp_path, monkeypatch):
    assert resource_path("b24desk.png") == ROOT / "resources" / "b24desk.png"
    assert not app_icon().isNull()
    bundle = tmp_path / "bundle"
    (bundle / "resources").mkdir(parents=True)
    (bundle / "resources" / "b24desk.png").write_bytes(
        (ROOT / "resources/b24desk.png").read_bytes()
    )
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resource_path("b24desk.png") == bundle / "resources" / "b24desk.png"
    assert resource_path("no-such-file.png") is None


CLOSE_WHEN_READY = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from b24desk.ui.app import make_application
from b24desk.cli import main

app = make_application()
ticks = [0]

def check():
    ticks[0] += 1
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "mainWindow" and widget.isVisible():
            title = widget.windowTitle()
            rows = widget.task_model.rowCount()
            ready = {ready}
            if ready or ticks[0] > 600:
                print("TITLE", title, flush=True)
                print("ROWS", rows, flush=True)
                dialogs = [w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()]
                print("VISIBLE", sorted(dialogs), flush=True)
                widget.close()
                return
    QTimer.singleShot(50, check)

QTimer.singleShot(50, check)
sys.exit(main({argv}))
"""


def run_window(tmp_path: Path, argv: list[str], ready: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "B24DESK_HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "HOME": str(tmp_path),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    script = textwrap.dedent(CLOSE_WHEN_READY).format(ready=ready, argv=argv)
    return subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_b24desk_demo_starts_loads_and_closes_cleanly(tmp_path):
    result = run_window(tmp_path, ["--demo"], "rows > 500 and 'connecting' not in title")
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["TITLE"].startswith("b24desk — DEMO — demo.b24desk.invalid — ")
    assert int(lines["ROWS"]) > 500
    assert "Traceback" not in result.stderr
    # The terminal stays quiet: the demo's log lines go to its log, not to stderr.
    noise = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert noise == []
    # Demo mode writes nothing outside its temporary folder.
    assert not (tmp_path / "home").exists()
    assert not (tmp_path / "xdg-config").exists()


@pytest.mark.slow
def test_first_start_without_a_connection_opens_the_setup_dialog(tmp_path):
    result = run_window(tmp_path, [], "'not connected' in title")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "TITLE b24desk — not connected" in result.stdout
    assert "setupDialog" in result.stdout
    assert "Traceback" not in result.stderr
    log = tmp_path / "home" / "data" / "logs" / "b24desk.log"
    assert "window shown" in log.read_text(encoding="utf-8")
    # The window's settings (geometry, columns, filter) were saved on close.
    assert list((tmp_path / "xdg-config").rglob("*.conf"))


def test_scripts_demo_says_what_it_does_before_installing(tmp_path):
    tree = tmp_path / "tree"
    (tree / "scripts").mkdir(parents=True)
    (tree / "scripts" / "demo").write_bytes((ROOT / "scripts" / "demo").read_bytes())
    stub = "#!/usr/bin/env bash\necho {what} >&2\n"
    (tree / "scripts" / "bootstrap").write_text(stub.format(what="BOOTSTRAP"))
    (tree / ".venv" / "bin").mkdir(parents=True)
    fake_app = tree / ".venv" / "bin" / "b24desk"
    fake_app.write_text(stub.format(what='"APP $*"'))
    for path in (tree / "scripts" / "demo", tree / "scripts" / "bootstrap", fake_app):
        path.chmod(0o755)
    result = subprocess.run(
        [str(tree / "scripts" / "demo")], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines.index("BOOTSTRAP") > 0, "something is said before the silent install"
    assert "Python packages" in " ".join(lines[: lines.index("BOOTSTRAP")])
    assert "demo portal" in " ".join(lines[lines.index("BOOTSTRAP") :])
    assert lines[-1] == "APP --demo"
