from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from b24desk.core.model import TaskFilter, TaskOutcome
from b24desk.ui.widgets import Activity, MainWindow


@pytest.fixture
def window(qtbot, records) -> MainWindow:
    win = MainWindow(filter_debounce_ms=0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.append_tasks(records)
    win.task_model.flush()
    return win


def counters(window: MainWindow) -> str:
    return window.counters_text()


def test_counters_read_like_the_issue(qtbot, window, records):
    qtbot.waitUntil(lambda: counters(window) == "60 tasks · 0 selected")
    window.action_select_all.trigger()
    qtbot.waitUntil(lambda: counters(window) == "60 tasks · 60 selected")
    window.set_outcome(records[0].id, TaskOutcome.FAILED, "x")
    window.set_outcome(records[1].id, TaskOutcome.FAILED, "y")
    qtbot.waitUntil(lambda: counters(window) == "60 tasks · 60 selected · 2 failed")


def test_thousands_are_grouped(qtbot, make_record):
    win = MainWindow()
    qtbot.addWidget(win)
    win.append_tasks(make_record(task_id) for task_id in range(1, 12_346))
    win.task_model.flush()
    qtbot.waitUntil(lambda: counters(win).startswith("12,345 tasks"))


def test_select_none_and_invert_actions(qtbot, window):
    window.table.selectRow(0)
    window.action_invert.trigger()
    qtbot.waitUntil(lambda: "59 selected" in counters(window))
    window.action_select_none.trigger()
    qtbot.waitUntil(lambda: "· 0 selected" in counters(window))


def test_selection_shortcuts_work_from_the_keyboard(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.table.selected_count() == 60
    qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.table.selected_count() == 0


def test_filtered_counters_show_how_many_are_shown(qtbot, window, records):
    window.filter_bar.set_filter(TaskFilter(responsible_id=1))
    shown = sum(1 for r in records if r.responsible_id == 1)
    qtbot.waitUntil(lambda: counters(window).startswith(f"60 tasks ({shown} shown)"))


def test_renew_sends_the_selected_ids(qtbot, window):
    assert not window.action_renew.isEnabled()
    for row in (1, 2):
        window.table.selectionModel().select(
            window.proxy.index(row, 0),
            window.table.selectionModel().SelectionFlag.Select
            | window.table.selectionModel().SelectionFlag.Rows,
        )
    expected = [window.proxy.task_id_at(1), window.proxy.task_id_at(2)]
    qtbot.waitUntil(window.action_renew.isEnabled)
    assert window.action_renew.text() == "Renew selected (2)"
    with qtbot.waitSignal(window.renew_requested) as blocker:
        window.action_renew.trigger()
    assert blocker.args == [expected]


def test_retry_sends_only_failed_ids(qtbot, window, records):
    window.set_outcome(records[3].id, TaskOutcome.FAILED, "timeout")
    window.set_outcome(records[4].id, TaskOutcome.RENEWED)
    window.set_outcome(records[5].id, TaskOutcome.NOT_ALLOWED, "rights")
    qtbot.waitUntil(window.action_retry.isEnabled)
    with qtbot.waitSignal(window.retry_failed_requested) as blocker:
        window.action_retry.trigger()
    assert blocker.args == [[records[3].id]]


@pytest.mark.parametrize(
    ("activity", "enabled"),
    [
        (Activity.IDLE, {"actionLoad"}),
        (Activity.LOADING, {"actionStop"}),
        (Activity.RENEWING, {"actionCancel"}),
    ],
)
def test_busy_states_enable_only_what_makes_sense(window, activity, enabled):
    window.set_busy(activity)
    actions = [
        window.action_load,
        window.action_stop,
        window.action_renew,
        window.action_cancel,
        window.action_retry,
        window.action_undo,
    ]
    assert {a.objectName() for a in actions if a.isEnabled()} == enabled
    assert window.progress_bar.isVisible() == (activity is not Activity.IDLE)


def test_undo_is_offered_only_when_available_and_idle(window):
    window.set_undo_available(True)
    assert window.action_undo.isEnabled()
    window.set_busy(Activity.RENEWING)
    assert not window.action_undo.isEnabled()


def test_escape_stops_loading_or_cancels_renewal(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    window.set_busy(Activity.LOADING)
    with qtbot.waitSignal(window.stop_requested), qtbot.assertNotEmitted(window.cancel_requested):
        qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    window.set_busy(Activity.RENEWING)
    with qtbot.waitSignal(window.cancel_requested), qtbot.assertNotEmitted(window.stop_requested):
        qtbot.keyClick(window.table, Qt.Key.Key_Escape)


def test_toolbar_buttons_emit_their_requests(qtbot, window):
    with qtbot.waitSignal(window.load_requested):
        window.action_load.trigger()
    window.set_undo_available(True)
    with qtbot.waitSignal(window.undo_requested):
        window.action_undo.trigger()


def test_progress_with_and_without_a_total(window):
    window.set_busy(Activity.RENEWING)
    window.set_progress(5, 20)
    assert (window.progress_bar.value(), window.progress_bar.maximum()) == (5, 20)
    assert window.activity_label.text() == "5 of 20"
    window.set_progress(0, None, "Connecting…")
    assert window.progress_bar.maximum() == 0  # busy indicator
    assert window.activity_label.text() == "Connecting…"
    window.set_busy(Activity.IDLE)
    assert not window.progress_bar.isVisible()


def test_clicking_a_problem_selects_its_task(qtbot, window, records):
    target = records[30].id
    window.add_error("Access denied", code="ACCESS_DENIED", task_id=target)
    window.error_panel.task_activated.emit(target)
    assert window.selected_task_ids() == [target]


def test_a_problem_for_a_hidden_task_explains_why_nothing_is_selected(qtbot, window, records):
    target = next(r.id for r in records if r.responsible_id != 1)
    window.filter_bar.set_filter(TaskFilter(responsible_id=1))
    window.error_panel.task_activated.emit(target)
    assert window.selected_task_ids() == []
    assert "hidden by the filters" in window.statusBar().currentMessage()


def test_filters_apply_to_the_table_and_are_announced(qtbot, window, records):
    with qtbot.waitSignal(window.filter_changed) as blocker:
        window.filter_bar.set_filter(TaskFilter(group_id=10))
    assert blocker.args == [TaskFilter(group_id=10)]
    assert window.proxy.rowCount() == sum(1 for r in records if r.group_id == 10)


def test_loaded_rows_feed_the_filter_choices(qtbot, window):
    # Anyone + the four people of the sample data; All groups + No group + two named groups.
    qtbot.waitUntil(lambda: window.filter_bar.responsible.count() == 5)
    names = {window.filter_bar.group.itemText(i) for i in range(window.filter_bar.group.count())}
    assert names == {"All groups", "No group", "Website relaunch", "Отдел продаж"}
    window.clear_tasks()
    assert window.filter_bar.responsible.count() == 1


def test_placeholder_explains_the_empty_table(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    assert "Set up a connection" in win.table.placeholder
    win.set_connecting("example.bitrix24.ru")
    assert win.table.placeholder.startswith("Connecting")
    assert win.windowTitle() == "b24desk — example.bitrix24.ru — connecting…"
    win.set_connection("example.bitrix24.ru", "Anna Smith")
    assert "Load tasks" in win.table.placeholder
    win.set_busy(Activity.LOADING)
    assert win.table.placeholder.startswith("Loading")
    win.set_busy(Activity.IDLE)
    win.set_loaded()  # and not a single task came
    assert win.table.placeholder.startswith("The portal has no completed tasks")
    assert "No tasks loaded yet" not in win.table.placeholder
    win.clear_tasks()  # a new load, or another portal
    assert win.table.placeholder.startswith("No tasks loaded yet")
    win.set_disconnected()
    assert "Set up a connection" in win.table.placeholder
    assert win.windowTitle() == "b24desk — not connected"


def test_profile_switcher_lists_saved_connections(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    assert not win.profiles_menu.isEnabled()
    win.set_profiles(["Main", "Филиал"], "Филиал")
    assert win.profile_names() == ["Main", "Филиал"]
    checked = [a.text() for a in win.profiles_menu.actions() if a.isChecked()]
    assert checked == ["Филиал"]
    with qtbot.waitSignal(win.profile_requested) as blocker:
        win.profiles_menu.actions()[0].trigger()
    assert blocker.args == ["Main"]
    win.set_profiles([], None)
    assert not win.profiles_menu.isEnabled()


def test_close_guard_can_keep_the_window_open(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    answers = [False]
    win.close_guard = lambda: answers[0]
    assert not win.close()
    assert win.isVisible()
    answers[0] = True
    assert win.close()


def test_title_names_portal_user_and_demo(window):
    window.set_connection("example.bitrix24.ru", "Anna Smith", demo=True)
    assert window.windowTitle() == "b24desk — DEMO — example.bitrix24.ru — Anna Smith"
    assert window.demo_label.isVisible()
    assert window.demo_banner.isVisible()
    window.set_connection("example.bitrix24.ru", "Anna Smith")
    assert "DEMO" not in window.windowTitle()
    assert not window.demo_label.isVisible()
    assert not window.demo_banner.isVisible()


def test_add_error_shows_the_problems_panel_and_redacts(window):
    window.error_panel.hide()
    entry = window.add_error("auth=fakewebhookcode0000 rejected", task_id=1)
    assert window.error_panel.isVisible()
    assert "fakewebhookcode0000" not in entry.reason


def test_inputs_and_actions_have_accessible_names(window):
    inputs = [
        *window.findChildren(QLineEdit),
        window.filter_bar.responsible,
        window.filter_bar.group,
        window.filter_bar.date_from,
        window.filter_bar.date_to,
        window.table,
        window.error_panel.view,
        window.progress_bar,
        window.counters_label,
    ]
    unnamed = [
        w.objectName() or type(w).__name__
        for w in inputs
        if isinstance(w, QWidget)
        and not w.accessibleName()
        # the line edits inside date/spin boxes are named through their owner
        and not (isinstance(w, QLineEdit) and w.parent() in inputs)
    ]
    assert unnamed == []
    for action in window.actions():
        assert action.text(), action.objectName()
        assert action.toolTip(), action.objectName()
    shortcuts = {a.objectName(): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["actionSelectAll"] == "Ctrl+A"
    assert shortcuts["actionSelectNone"] == "Ctrl+Shift+A"
    assert shortcuts["actionInvertSelection"] == "Ctrl+I"
    assert shortcuts["actionRenew"] == "Ctrl+R"


def _ink_lightness(window: MainWindow) -> int:
    """Lightness of the opaque pixels of the Load icon (black-only in the stock style)."""
    image = window.action_load.icon().pixmap(16, 16).toImage()
    inked = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert inked, "the icon has no visible pixels"
    return max(colour.lightness() for colour in inked)


def test_monochrome_icons_follow_a_dark_palette(window):
    light = QPalette(QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.ButtonText, QColor("#101010"))
    window.setPalette(light)
    assert _ink_lightness(window) < 100
    dark = QPalette(QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.ButtonText, QColor("#eeeeee"))
    window.setPalette(dark)
    assert _ink_lightness(window) > 200


def test_renew_tooltip_says_what_to_do_when_nothing_is_selected(qtbot, window):
    assert window.action_renew.toolTip() == "Select tasks in the table first"
    window.table.selectRow(0)
    qtbot.waitUntil(window.action_renew.isEnabled)
    assert window.action_renew.toolTip().startswith("Reopen the selected tasks")


def test_a_narrow_window_keeps_every_toolbar_button_in_sight(qtbot, window):
    """Too narrow for every button's text: those that cannot be clicked now show only their
    icon (their tooltip names them), so none hides behind the toolbar's overflow arrow."""
    toolbar = window.toolbar

    def styles() -> dict[str, Qt.ToolButtonStyle]:
        return {
            action.objectName() or action.text(): toolbar.widgetForAction(action).toolButtonStyle()
            for action in toolbar.actions()
            if not action.isSeparator()
        }

    text = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    icon = Qt.ToolButtonStyle.ToolButtonIconOnly
    window.resize(1600, 700)
    qtbot.waitUntil(lambda: set(styles().values()) == {text})
    window.resize(560, 600)
    qtbot.waitUntil(lambda: icon in styles().values())
    buttons = [(a, toolbar.widgetForAction(a)) for a in toolbar.actions() if not a.isSeparator()]
    for action, button in buttons:
        assert button.toolButtonStyle() == (text if action.isEnabled() else icon), action.text()
        assert button.isVisible(), f"{action.text()!r} went behind the overflow arrow"
        assert action.toolTip()
    # A button that becomes clickable shows its text again (there is room for it).
    window.action_undo.setEnabled(True)
    undo = toolbar.widgetForAction(window.action_undo)
    qtbot.waitUntil(lambda: undo.toolButtonStyle() == text)
    window.resize(1600, 700)
    qtbot.waitUntil(lambda: set(styles().values()) == {text})
