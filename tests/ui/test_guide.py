"""Help > Getting started: the in-app guide."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from b24desk.core.model import TaskOutcome
from b24desk.ui.dialogs.guide import OUTCOME_MEANINGS, GuideDialog
from b24desk.ui.language import apply_language
from b24desk.ui.models.outcomes import outcome_label
from b24desk.ui.widgets.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    yield window
    apply_language("en")


def test_help_menu_opens_a_guide_to_webhooks_and_results(window: MainWindow) -> None:
    assert window.help_menu.actions()[0] is window.action_guide
    assert window.action_guide.text() == "Getting started"
    assert not window.action_guide.shortcut().isEmpty()  # F1 on most systems
    window.action_guide.trigger()
    guide = window.findChild(GuideDialog)
    assert guide is not None
    assert guide.isVisible()
    text = guide.text()
    assert "What a webhook is" in text
    assert "Tasks (task)" in text
    assert "Inbound webhook" in text
    assert "Try the demo portal" in text
    # Every result a row can end with is explained.
    finished = set(TaskOutcome) - {TaskOutcome.QUEUED, TaskOutcome.RENEWING}
    assert set(OUTCOME_MEANINGS) == finished
    for outcome in finished:
        assert outcome_label(outcome) in text
    # A second request brings the same guide forward instead of another copy.
    window.action_guide.trigger()
    assert len([g for g in window.findChildren(GuideDialog) if g.isVisible()]) == 1
    guide.close()


def test_the_guide_speaks_russian(window: MainWindow) -> None:
    apply_language("ru")
    guide = window.show_guide()
    text = guide.text()
    assert guide.windowTitle() == "Как начать работу с b24desk"  # noqa: RUF001
    assert "Что такое вебхук" in text
    assert "Возобновлена" in text
    assert "What a webhook is" not in text
    guide.close()
