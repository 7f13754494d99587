"""The window in Russian: texts, plurals, verdicts, confirmations, dates and the CSV export,
against the sandbox portal; switching language while the window is open; English by default.

Every test here switches to Russian itself; the `english_ui` fixture switches back.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QToolButton
from ui_rig import Rig, sandbox, wait_until

from b24desk.core import i18n
from b24desk.core.model import TaskOutcome
from b24desk.ui import language
from b24desk.ui.dialogs.confirm import Confirmation, ask_with_message_box
from b24desk.ui.models import Column
from b24desk.ui.widgets import MainWindow

ROOT = Path(__file__).resolve().parents[2]
RUSSIAN_DATE_TIME = re.compile(r"\d\d\.\d\d\.\d{4} \d\d:\d\d")


def tasks_ru(n: int) -> str:
    return f"{n} " + ("задача", "задачи", "задач")[i18n.plural_index(3, n)]


@pytest.fixture
def russian() -> None:
    assert language.apply_language("ru") == "ru"


def header(window: MainWindow, column: Column) -> str:
    return str(window.task_model.headerData(column, Qt.Orientation.Horizontal))


def toolbar_texts(window: MainWindow) -> list[str]:
    return [button.text() for button in window.toolbar.findChildren(QToolButton) if button.text()]


# -- the whole window --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_window_speaks_russian_from_setup_to_renew(tmp_path, qtbot, russian):
    portal = sandbox()
    rig = Rig(tmp_path, portal)
    try:
        rig.window.show()
        rig.controller.start()
        await wait_until(lambda: rig.controller.setup_dialog is not None)
        dialog = rig.controller.setup_dialog
        assert dialog is not None
        assert "Нет подключения к порталу Битрикс24" in rig.window.table.placeholder  # noqa: RUF001
        assert dialog.windowTitle() == "Подключение к Битрикс24"  # noqa: RUF001
        assert "<b>Входящий вебхук</b>" in dialog.help_label.text()
        assert "<b>Настройка прав</b>" in dialog.help_label.text()
        assert dialog.test_button.text() == "&Проверить подключение"
        assert dialog.save_button.text() == "Сохранить и подключиться"
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel.text() == "Отмена"  # Qt's own translation (qtbase_ru)

        # A wrong code, then the right one: both verdicts come from the portal, in Russian.
        dialog.set_webhook_text(rig.webhook_url.replace(portal.webhook_code, "wrongcode12345"))
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.verdict_text().startswith("✗"))
        assert "Портал sandbox.invalid не принял этот вебхук" in dialog.verdict_text()
        assert "«Входящий вебхук»" in dialog.verdict_text()
        dialog.set_webhook_text(rig.webhook_url)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.verdict_text().startswith("✓"))
        assert dialog.verdict_text().startswith("✓ Подключено к sandbox.invalid как ")
        assert "(администратор). Можно возобновлять задачи." in dialog.verdict_text()

        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: rig.window.is_connected)
        await rig.idle()
        assert toolbar_texts(rig.window)[:2] == ["Загрузить задачи", "Остановить"]
        assert header(rig.window, Column.RESPONSIBLE) == "Ответственный"
        assert header(rig.window, Column.CREATOR) == "Постановщик"
        assert header(rig.window, Column.STATUS) == "Результат"
        assert rig.window.tasks_menu.title() == "&Задачи"

        await rig.load()
        loaded = rig.window.task_model.rowCount()
        assert loaded > 20
        form = ("Загружена", "Загружено", "Загружено")[i18n.plural_index(3, loaded)]
        assert rig.status_message().startswith(f"{form} {loaded} завершённ")
        await wait_until(lambda: rig.window.counters_text() == f"{tasks_ru(loaded)} · выделено: 0")
        closed = rig.window.proxy.index(0, Column.CLOSED).data()
        assert RUSSIAN_DATE_TIME.fullmatch(closed), closed

        chosen = rig.visible_completed_ids()[:5]
        for task_id in chosen[:2]:  # a colleague reopens two of them meanwhile
            portal.tasks[task_id].status = 2
        rig.select_ids(chosen)
        await wait_until(lambda: "выделено: 5" in rig.window.counters_text())
        assert rig.window.action_renew.text() == "Возобновить выбранные (5)"
        rig.window.action_renew.trigger()
        await rig.idle()
        asked = rig.confirm.asked[-1]
        assert asked.question == "Возобновить 3 задачи? 2 уже не завершены и будут пропущены."
        assert asked.accept_text == "Возобновить 3 задачи"
        assert "«Ждёт выполнения»" in asked.details

        assert [rig.outcome(i) for i in chosen[2:]] == [TaskOutcome.RENEWED] * 3
        row = rig.window.proxy.proxy_row_of(chosen[2])
        assert row is not None
        assert rig.window.proxy.index(row, Column.STATUS).data() == "✓ Возобновлена"
        skipped_row = rig.window.proxy.proxy_row_of(chosen[0])
        assert skipped_row is not None
        skipped = rig.window.proxy.index(skipped_row, Column.STATUS).data()
        assert skipped == "↷ Пропущена — Сейчас не завершена: ждёт выполнения."
        assert rig.status_message() == "Возобновлено 3 из 5 задач; пропущено: 2."
        assert "возобновлено: 3" in rig.window.counters_text()
    finally:
        await rig.close()


@pytest.mark.asyncio
async def test_the_export_is_russian_excel_csv(tmp_path, russian):
    rig = Rig(tmp_path, sandbox())
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        chosen = rig.visible_completed_ids()[:2]
        rig.select_ids(chosen)
        await wait_until(lambda: "выделено: 2" in rig.window.counters_text())
        rig.window.action_renew.trigger()
        await rig.idle()
        run_id = rig.controller.last_run_id
        assert run_id is not None
        handle = rig.controller.export_run(run_id)
        assert handle is not None
        await handle
        assert rig.status_message() == f"Сохранено 2 задачи запуска в {rig.saved_to}."
        text = rig.saved_to.read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(text.splitlines(), delimiter=";"))
        assert rows[0] == ["ID задачи", "Название", "Результат", "Причина", "Код ошибки", "Время"]
        assert [row[2] for row in rows[1:]] == ["Возобновлена", "Возобновлена"]
        assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", row[5]) for row in rows[1:])
    finally:
        await rig.close()


# -- switching while the window is open -------------------------------------------------------


@pytest.mark.asyncio
async def test_view_language_switches_at_once_and_is_remembered(tmp_path, qtbot):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    rig = Rig(tmp_path, sandbox(), settings=settings)
    try:
        rig.add_profile()
        await rig.start()
        await rig.load()
        loaded = rig.window.task_model.rowCount()
        assert rig.window.action_load.text() == "Load tasks"
        assert rig.window.language_actions[language.SYSTEM].isChecked()

        rig.window.language_actions["ru"].trigger()
        await wait_until(lambda: rig.window.action_load.text() == "Загрузить задачи")
        assert rig.window.language_actions["ru"].isChecked()
        assert language.saved_choice(settings) == "ru"
        assert header(rig.window, Column.TITLE) == "Название"
        assert rig.window.error_panel.copy_button.text() == "Скопировать"
        assert rig.window.filter_bar.reset_button.text() == "Сбросить фильтры"
        assert rig.window.filter_bar.group.itemText(0) == "Все группы"  # noqa: RUF001
        assert rig.window.counters_text() == f"{tasks_ru(loaded)} · выделено: 0"
        assert RUSSIAN_DATE_TIME.fullmatch(rig.window.proxy.index(0, Column.CLOSED).data())

        rig.window.language_actions["en"].trigger()
        await wait_until(lambda: rig.window.action_load.text() == "Load tasks")
        assert rig.window.counters_text() == f"{loaded} tasks · 0 selected"
        assert language.saved_choice(settings) == "en"
        rig.window.language_actions[language.SYSTEM].trigger()
        assert language.saved_choice(settings) == language.SYSTEM
    finally:
        await rig.close()


def test_b24desk_lang_overrides_the_saved_choice(tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    language.save_choice(settings, "en")
    assert language.chosen_language(settings, {"B24DESK_LANG": "ru"}) == "ru"
    assert language.chosen_language(settings, {}) == "en"
    language.save_choice(settings, "ru")
    assert language.chosen_language(settings, {"B24DESK_LANG": "fr"}) == "ru"
    with pytest.raises(ValueError, match="not a language b24desk speaks"):
        language.save_choice(settings, "fr")


# -- pieces -------------------------------------------------------------------------------------


def test_a_confirmation_box_has_russian_buttons(qtbot, russian):
    parent = MainWindow()
    qtbot.addWidget(parent)
    answers: list[bool] = []
    confirmation = Confirmation("Заголовок", "Вопрос?", accept_text="Возобновить 3 задачи")
    ask_with_message_box(parent, confirmation, answers.append)
    box = parent.findChild(QMessageBox, "confirmDialog")
    assert box is not None
    texts = sorted(button.text() for button in box.buttons())
    assert texts == ["Возобновить 3 задачи", "Отмена"]
    box.reject()
    assert answers == [False]


def test_plural_counters_and_numbers_follow_russian(qtbot, make_record, russian):
    window = MainWindow()
    qtbot.addWidget(window)
    window.append_tasks(make_record(task_id) for task_id in range(1, 1_022))
    window.task_model.flush()
    qtbot.waitUntil(lambda: window.counters_text() == "1\u00a0021 задача · выделено: 0")
    window.set_progress(1_500, 12_000)
    assert window.activity_label.text() == "1\u00a0500 из 12\u00a0000"


def test_the_demo_banner_and_badge_are_russian(qtbot, russian):
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_connection("demo.b24desk.invalid", "Анна", demo=True)
    assert window.windowTitle() == "b24desk — ДЕМО — demo.b24desk.invalid — Анна"
    assert window.demo_banner.text().startswith("<b>ДЕМО</b> — окно работает")
    assert window.demo_label.text().strip() == "ДЕМО"
    window.set_disconnected()
    assert window.windowTitle() == "b24desk — нет подключения"


def test_qt_and_the_core_share_one_catalog(russian):
    assert QCoreApplication.translate("Outcome", "Renewed") == "Возобновлена"
    assert i18n.translate("Renew", "No answer from the portal.") == "Портал не ответил."
    assert i18n.language() == "ru"


# -- the language the app starts in -----------------------------------------------------------

SHOW_WINDOW = """
from b24desk.ui.app import make_application, build_main_window
from b24desk.ui.language import apply_language, chosen_language
from b24desk.ui.services import Services
app = make_application()
services = Services.for_demo()
print(apply_language(chosen_language(services.settings)))
window, _ = build_main_window(services)
window.set_disconnected()
placeholder = window.table.placeholder.splitlines()[0]
print(window.action_load.text(), "|", window.windowTitle(), "|", placeholder)
services.close()
"""


def start_app(**env: str) -> list[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LC_", "LANG", "B24DESK_", "XDG_CONFIG"))
    }
    environ.update(QT_QPA_PLATFORM="offscreen", HOME=env.pop("HOME"), **env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_WINDOW],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_english_by_default_on_a_c_locale(tmp_path):
    lines = start_app(HOME=str(tmp_path), LANG="C")
    assert lines == [
        "en",
        "Load tasks | b24desk — not connected | Not connected to a Bitrix24 portal yet.",
    ]


def test_a_russian_system_locale_gives_the_russian_window(tmp_path):
    lines = start_app(HOME=str(tmp_path), LANG="ru_RU.UTF-8")
    assert lines == [
        "ru",
        "Загрузить задачи | b24desk — нет подключения | Нет подключения к порталу Битрикс24.",  # noqa: RUF001
    ]


def test_b24desk_lang_beats_the_system_locale(tmp_path):
    assert start_app(HOME=str(tmp_path), LANG="ru_RU.UTF-8", B24DESK_LANG="en")[0] == "en"
    assert start_app(HOME=str(tmp_path), LANG="C", B24DESK_LANG="ru")[0] == "ru"
