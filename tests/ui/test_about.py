from __future__ import annotations

from pytestqt.qtbot import QtBot

from b24desk import __version__
from b24desk.ui.widgets.main_window import MainWindow


def test_help_menu_offers_the_about_box_with_version_and_file_places(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.action_about in window.help_menu.actions()
    assert window.help_menu.title() == "&Help"

    box = window.show_about()
    qtbot.addWidget(box)

    assert box.isVisible()
    assert f"b24desk {__version__}" in box.text()
    assert "Journal and log:" in box.text()
    assert "password store" in box.text()
    box.close()
