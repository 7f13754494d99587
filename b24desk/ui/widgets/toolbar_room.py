"""Room for the toolbar's buttons on a narrow window (a mixin of `MainWindow`).

On a 1024-pixel window in Russian the buttons' texts are wider than the window, and Qt hides
the last buttons behind an arrow ("Undo last run" among them), where a new user never looks.
So when the buttons do not fit with their texts, the ones that cannot be clicked now show
only their icons (their tooltip still names them), which leaves room for those that can.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar, QToolButton

if TYPE_CHECKING:
    _Base = QMainWindow
else:
    _Base = object

SLACK = 8
"""Pixels kept free beyond the buttons' own widths (the toolbar's frame)."""


class ToolbarRoom(_Base):
    """Shows disabled toolbar buttons as icons only while the texts would not fit."""

    # Made by `MainWindow.__init__`.
    toolbar: QToolBar

    def _watch_toolbar_room(self) -> None:
        self._toolbar_fit = QTimer(self)
        self._toolbar_fit.setSingleShot(True)
        self._toolbar_fit.setInterval(0)
        self._toolbar_fit.timeout.connect(self._fit_toolbar)
        self.toolbar.installEventFilter(self)
        for action in self.toolbar.actions():
            action.changed.connect(self._toolbar_fit.start)  # enabled, text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "toolbar", None):
            self._toolbar_fit.start()
        return super().eventFilter(watched, event)

    def _fit_toolbar(self) -> None:
        buttons = self._toolbar_buttons()
        for _, button in buttons:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        if self._toolbar_fits():
            return
        for action, button in buttons:
            if not action.isEnabled():
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def _toolbar_buttons(self) -> list[tuple[QAction, QToolButton]]:
        found: list[tuple[QAction, QToolButton]] = []
        for action in self.toolbar.actions():
            widget = self.toolbar.widgetForAction(action)
            if isinstance(widget, QToolButton) and action.isVisible():
                found.append((action, widget))
        return found

    def _toolbar_fits(self) -> bool:
        toolbar = self.toolbar
        widgets = [toolbar.widgetForAction(a) for a in toolbar.actions() if a.isVisible()]
        shown = [w for w in widgets if w is not None]
        layout = toolbar.layout()
        spacing = layout.spacing() if layout is not None else 0
        margins = toolbar.contentsMargins()
        needed = (
            sum(w.sizeHint().width() for w in shown)
            + spacing * max(0, len(shown) - 1)
            + margins.left()
            + margins.right()
            + SLACK
        )
        return needed <= toolbar.width()
