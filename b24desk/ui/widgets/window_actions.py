"""The main window's actions, toolbar, menus and status bar, and their texts.

A mixin of `MainWindow`: it builds the chrome the window's methods and tests reach as
`window.action_undo`, `window.tasks_menu`, `window.counters_label`, ... Its strings keep the
"MainWindow" translation context (written with `translate("MainWindow", ...)`, not
`self.tr`, which lupdate would file under this class's name).
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QProgressBar, QStyle, QToolBar

from b24desk import __version__ as B24DESK_VERSION
from b24desk.core import paths
from b24desk.ui.dialogs.guide import GuideDialog
from b24desk.ui.language import LANGUAGE_NAMES, SYSTEM
from b24desk.ui.widgets.error_panel import ErrorPanel

translate = QCoreApplication.translate  # the name lupdate looks for

if TYPE_CHECKING:
    _Base = QMainWindow
else:
    _Base = object


class WindowActions(_Base):
    """Builds and (re)translates the actions, toolbar, menus and status bar."""

    # Made by `MainWindow.__init__` before `_build_actions` runs.
    error_panel: ErrorPanel
    demo_banner: QLabel
    _icon_sources: dict[QAction, QStyle.StandardPixmap]
    _action_texts: dict[QAction, tuple[str, str]]

    def _action(
        self,
        name: str,
        *,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: QStyle.StandardPixmap | None = None,
    ) -> QAction:
        """An action whose texts `retranslate_ui` sets (through `_set_texts`)."""
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            self._icon_sources[action] = icon
            action.setIcon(self._icon(icon))
        self.addAction(action)  # shortcuts work even when the toolbar is hidden
        return action

    def _set_texts(self, action: QAction, text: str, tip: str) -> None:
        if not action.shortcut().isEmpty():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({keys})"
        action.setText(text)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self._action_texts[action] = (text, tip)

    # Black-only standard icons vanish on a dark palette; those are repainted in the
    # palette's text colour. The coloured ones (stop, cancel, reload) are left alone.
    _MONOCHROME_ICONS = (
        QStyle.StandardPixmap.SP_ArrowDown,
        QStyle.StandardPixmap.SP_MediaPlay,
        QStyle.StandardPixmap.SP_ArrowBack,
    )

    def _icon(self, which: QStyle.StandardPixmap) -> QIcon:
        icon = self.style().standardIcon(which)
        if which not in self._MONOCHROME_ICONS:
            return icon
        tinted = QIcon()
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        for size in (16, 24, 32):
            pixmap = QPixmap(icon.pixmap(size, size))
            painter = QPainter(pixmap)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(pixmap.rect(), colour)
            painter.end()
            tinted.addPixmap(pixmap)
        return tinted

    def _build_actions(self) -> None:
        pixmap = QStyle.StandardPixmap
        self.action_load = self._action(
            "actionLoad", shortcut=QKeySequence.StandardKey.Refresh, icon=pixmap.SP_ArrowDown
        )
        self.action_stop = self._action("actionStop", shortcut="Esc", icon=pixmap.SP_BrowserStop)
        self.action_renew = self._action("actionRenew", shortcut="Ctrl+R", icon=pixmap.SP_MediaPlay)
        self._renew_tip = ""
        self.action_check = self._action(
            "actionCheck", shortcut="Ctrl+Shift+K", icon=pixmap.SP_FileDialogInfoView
        )
        self.action_awaiting = self._action("actionAwaitingControl")
        self.action_awaiting.setCheckable(True)
        self.action_cancel = self._action(
            "actionCancel", shortcut="Esc", icon=pixmap.SP_DialogCancelButton
        )
        self.action_retry = self._action(
            "actionRetry", shortcut="Ctrl+Shift+R", icon=pixmap.SP_BrowserReload
        )
        self.action_undo = self._action(
            "actionUndo", shortcut=QKeySequence.StandardKey.Undo, icon=pixmap.SP_ArrowBack
        )
        self.action_select_all = self._action("actionSelectAll", shortcut="Ctrl+A")
        self.action_select_none = self._action("actionSelectNone", shortcut="Ctrl+Shift+A")
        self.action_invert = self._action("actionInvertSelection", shortcut="Ctrl+I")
        self.action_copy_ids = self._action("actionCopyIds")
        self.action_find = self._action("actionFind", shortcut="Ctrl+F")
        self.action_clear_filters = self._action("actionClearFilters")
        self.action_history = self._action("actionHistory", shortcut="Ctrl+H")
        self.action_setup = self._action("actionSetup", shortcut="Ctrl+,")
        self.action_remove_profile = self._action("actionRemoveProfile")
        self.action_remove_profile.setEnabled(False)
        self.action_about = self._action("actionAbout")
        self.action_guide = self._action(
            "actionGuide", shortcut=QKeySequence.StandardKey.HelpContents
        )
        self.action_diagnose = self._action("actionDiagnose")
        self.action_toggle_problems = self.error_panel.toggleViewAction()
        self.action_toggle_problems.setShortcut(QKeySequence("Ctrl+E"))
        self._language_group = QActionGroup(self)
        self._language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for choice in (SYSTEM, *LANGUAGE_NAMES):
            action = QAction(LANGUAGE_NAMES.get(choice, ""), self)
            action.setObjectName(f"language:{choice}")
            action.setCheckable(True)
            self._language_group.addAction(action)
            self.language_actions[choice] = action

    def _retranslate_actions(self) -> None:
        texts = self._set_texts
        texts(
            self.action_load,
            translate("MainWindow", "Load tasks"),
            translate("MainWindow", "Fetch the completed tasks from the portal"),
        )
        texts(
            self.action_stop,
            translate("MainWindow", "Stop loading"),
            translate("MainWindow", "Stop fetching tasks; the ones already loaded stay"),
        )
        texts(
            self.action_renew,
            translate("MainWindow", "Renew selected"),
            translate("MainWindow", "Reopen the selected tasks on the portal (you confirm first)"),
        )
        self._renew_tip = self.action_renew.toolTip()
        texts(
            self.action_awaiting,
            translate("MainWindow", "Include tasks awaiting control"),
            translate(
                "MainWindow",
                "Also load tasks finished but not yet accepted by their creator; they are "
                "reopened or returned for rework, whichever Bitrix24 allows you",
            ),
        )
        texts(
            self.action_check,
            translate("MainWindow", "Check first"),
            translate(
                "MainWindow",
                "Ask the portal whether you may reopen each selected task; nothing is changed",
            ),
        )
        texts(
            self.action_cancel,
            translate("MainWindow", "Cancel renewal"),
            translate("MainWindow", "Stop renewing; tasks already reopened stay reopened"),
        )
        texts(
            self.action_retry,
            translate("MainWindow", "Retry failed"),
            translate("MainWindow", "Try again to reopen the tasks that failed"),
        )
        texts(
            self.action_undo,
            translate("MainWindow", "Undo last run"),
            translate("MainWindow", "Complete again the tasks the last run reopened"),
        )
        texts(
            self.action_select_all,
            translate("MainWindow", "Select all"),
            translate("MainWindow", "Select every task shown"),
        )
        texts(
            self.action_select_none,
            translate("MainWindow", "Select none"),
            translate("MainWindow", "Clear the selection"),
        )
        texts(
            self.action_invert,
            translate("MainWindow", "Invert selection"),
            translate(
                "MainWindow",
                "Select the shown tasks that are not selected, and unselect the others",
            ),
        )
        texts(
            self.action_copy_ids,
            translate("MainWindow", "Copy task IDs"),
            translate("MainWindow", "Copy the selected task numbers"),
        )
        texts(
            self.action_find,
            translate("MainWindow", "Search"),
            translate("MainWindow", "Search the loaded tasks"),
        )
        texts(
            self.action_clear_filters,
            translate("MainWindow", "Clear filters"),
            translate("MainWindow", "Show all loaded tasks again"),
        )
        texts(
            self.action_history,
            translate("MainWindow", "History of runs…"),
            translate(
                "MainWindow", "Earlier renew runs: undo one, or export its results to a CSV file"
            ),
        )
        texts(
            self.action_setup,
            translate("MainWindow", "Set up a connection…"),
            translate(
                "MainWindow", "Add your Bitrix24 portal by pasting its incoming webhook address"
            ),
        )
        texts(
            self.action_remove_profile,
            translate("MainWindow", "Remove this connection…"),
            translate("MainWindow", "Forget the connection in use: its settings and its secret"),
        )
        texts(
            self.action_guide,
            translate("MainWindow", "Getting started"),
            translate(
                "MainWindow", "What a webhook is, how to make one, and what each result means"
            ),
        )
        texts(
            self.action_about,
            translate("MainWindow", "About b24desk"),
            translate("MainWindow", "The version of b24desk and where it keeps its files"),
        )
        texts(
            self.action_diagnose,
            translate("MainWindow", "Save a diagnostic report…"),
            translate(
                "MainWindow",
                "Save what the portal answers to a few read-only requests, to send when "
                "something does not work (no secrets, no names)",
            ),
        )
        self.action_toggle_problems.setText(translate("MainWindow", "Problems panel"))
        self.language_actions[SYSTEM].setText(translate("MainWindow", "System language"))

    def _retranslate_chrome(self) -> None:
        """The toolbar's, menus' and status bar's own texts, and the demo labels."""
        self.toolbar.setWindowTitle(translate("MainWindow", "Main toolbar"))
        self.toolbar.setAccessibleName(translate("MainWindow", "Main toolbar"))
        self.tasks_menu.setTitle(translate("MainWindow", "&Tasks"))
        self.connection_menu.setTitle(translate("MainWindow", "&Connection"))
        self.profiles_menu.setTitle(translate("MainWindow", "&Switch to"))
        self.selection_menu.setTitle(translate("MainWindow", "&Selection"))
        self.view_menu.setTitle(translate("MainWindow", "&View"))
        self.language_menu.setTitle(translate("MainWindow", "&Language"))
        self.help_menu.setTitle(translate("MainWindow", "&Help"))
        self.language_menu.setToolTip(
            translate("MainWindow", "The language of b24desk's window and messages")
        )
        self.demo_banner.setText(
            translate(
                "MainWindow",
                "<b>DEMO</b> — this window works on a built-in sandbox portal with made-up "
                "tasks. Nothing you do here touches a real Bitrix24 portal. To work on your "
                "own portal, close b24desk and start it again from its icon or menu entry.",
            )
        )
        demo_name = translate("MainWindow", "Demo mode: a built-in sandbox portal, not a real one")
        self.demo_banner.setAccessibleName(demo_name)
        self.demo_label.setText(" {} ".format(translate("MainWindow", "DEMO")))
        self.demo_label.setAccessibleName(demo_name)
        self.demo_label.setToolTip(
            translate("MainWindow", "A built-in sandbox portal: nothing real is changed")
        )
        self.progress_bar.setAccessibleName(translate("MainWindow", "Progress"))
        self.counters_label.setAccessibleName(translate("MainWindow", "Task counters"))

    def _build_toolbar(self) -> None:
        toolbar = QToolBar()
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.action_load)
        toolbar.addAction(self.action_stop)
        toolbar.addSeparator()
        toolbar.addAction(self.action_check)
        toolbar.addAction(self.action_renew)
        toolbar.addAction(self.action_cancel)
        toolbar.addSeparator()
        toolbar.addAction(self.action_retry)
        toolbar.addAction(self.action_undo)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.tasks_menu = bar.addMenu("")
        self.tasks_menu.addActions([self.action_load, self.action_stop, self.action_awaiting])
        self.tasks_menu.addSeparator()
        self.tasks_menu.addActions([self.action_check, self.action_renew, self.action_cancel])
        self.tasks_menu.addSeparator()
        self.tasks_menu.addActions([self.action_retry, self.action_undo])
        self.tasks_menu.addSeparator()
        self.tasks_menu.addAction(self.action_history)
        self.connection_menu = bar.addMenu("")
        self.connection_menu.addAction(self.action_setup)
        self.profiles_menu = self.connection_menu.addMenu("")
        self.profiles_menu.setObjectName("profilesMenu")
        self.profiles_menu.setEnabled(False)
        self.connection_menu.addSeparator()
        self.connection_menu.addAction(self.action_remove_profile)
        self._profile_group = QActionGroup(self)
        self._profile_group.setExclusive(True)
        self.selection_menu = bar.addMenu("")
        self.selection_menu.addActions(
            [self.action_select_all, self.action_select_none, self.action_invert]
        )
        self.selection_menu.addSeparator()
        self.selection_menu.addAction(self.action_copy_ids)
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([self.action_find, self.action_clear_filters])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.action_toggle_problems)
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        self.language_menu.addAction(self.language_actions[SYSTEM])
        self.language_menu.addSeparator()
        self.language_menu.addActions([self.language_actions[code] for code in LANGUAGE_NAMES])
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.action_guide)
        self.help_menu.addAction(self.action_diagnose)
        self.help_menu.addAction(self.action_about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.demo_label = QLabel()
        self.demo_label.setObjectName("demoBadge")
        self.demo_label.setStyleSheet(
            "QLabel { background: #c62828; color: white; font-weight: bold; border-radius: 3px; }"
        )
        self.demo_label.hide()
        self.activity_label = QLabel()
        self.activity_label.setObjectName("activityLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setFixedWidth(180)
        self.progress_bar.setFormat("%p%")
        self.progress_bar.hide()
        self.counters_label = QLabel()
        self.counters_label.setObjectName("countersLabel")
        status.addPermanentWidget(self.activity_label)
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.counters_label)
        status.addPermanentWidget(self.demo_label)

    def about_text(self) -> str:
        """What the About box says: the version, the stack, and where the files are."""
        facts = [
            f"<h3>b24desk {B24DESK_VERSION}</h3>",
            "<p>{}</p>".format(translate("MainWindow", "Reopen completed Bitrix24 tasks in bulk.")),
            "<p>{}</p>".format(
                translate("MainWindow", "Journal and log: {folder}").format(folder=paths.data_dir())
            ),
            "<p>{}</p>".format(
                translate("MainWindow", "Connection profiles: {folder}").format(
                    folder=paths.config_dir()
                )
            ),
            "<p>{}</p>".format(
                translate(
                    "MainWindow",
                    "Webhook addresses and tokens are kept only in the system's password store.",
                )
            ),
            "<p><small>Qt {} · PySide6 {} · Python {}</small></p>".format(  # noqa: UP032
                qVersion(), PYSIDE_VERSION, platform.python_version()
            ),
        ]
        return "".join(facts)

    def show_guide(self) -> GuideDialog:
        """Help > Getting started (one at a time; it does not block the window)."""
        shown = self.findChild(GuideDialog)
        if shown is not None and shown.isVisible():
            shown.raise_()
            shown.activateWindow()
            return shown
        guide = GuideDialog(self)
        guide.show()
        return guide

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(translate("MainWindow", "About b24desk"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def set_language_choice(self, choice: str) -> None:
        """Tick "System language", "English" or "Русский" in View > Language."""
        action = self.language_actions.get(choice)
        if action is not None:
            action.setChecked(True)

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout_ms)
