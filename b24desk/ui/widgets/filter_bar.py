"""The row of filters above the table; emits a `TaskFilter` once the user pauses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QWidget,
)

from b24desk.core.model import TaskFilter
from b24desk.ui.language import date_edit_format
from b24desk.ui.models.titles import fold_text


def _to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _to_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
"""A list entry's name as search compares it (`fold_text`)."""


class _FoldedCompleter(QCompleter):
    """Matches on the folded name (`SEARCH_ROLE`) but puts the name as written in the box."""

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class FilterBar(QWidget):
    """Closed-date range, responsible, group and text search.

    Every change restarts a short timer; `filter_changed(TaskFilter)` fires when it runs
    out, so typing "report" filters once, not six times.
    """

    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, debounce_ms: int = 250) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._last_emitted = TaskFilter()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.apply_now)

        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)

        self.date_check = QCheckBox()
        self.date_check.setObjectName("closedDateCheck")
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        self._set_dates_enabled(False)

        self.responsible = self._combo()
        self._searchable(self.responsible)
        self._me_id: int | None = None
        """The connection's own user, offered as "Me" under "Anyone" (None: not known)."""
        self.group = self._combo()
        self.group.addItem("", 0)  # "No group"

        self.reset_button = QPushButton()
        self.reset_button.setObjectName("clearFilters")
        self.reset_button.setEnabled(False)
        self.to_label = QLabel()
        self.responsible_label = self._label(self.responsible)
        self.group_label = self._label(self.group)
        self.reset_button.clicked.connect(self.reset)

        # Two halves side by side; on a narrow window (1024 px, longer Russian labels) the
        # second half wraps under the first instead of widening the window (`_wrap`).
        self.first_half = QWidget()
        first = QHBoxLayout(self.first_half)
        first.setContentsMargins(0, 0, 0, 0)
        first.addWidget(self.search, 2)
        first.addSpacing(8)
        first.addWidget(self.date_check)
        first.addWidget(self.date_from)
        first.addWidget(self.to_label)
        first.addWidget(self.date_to)
        self.second_half = QWidget()
        second = QHBoxLayout(self.second_half)
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.responsible_label)
        second.addWidget(self.responsible, 1)
        second.addWidget(self.group_label)
        second.addWidget(self.group, 1)
        second.addWidget(self.reset_button)
        self._halves = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._halves.setContentsMargins(0, 0, 0, 0)
        self._halves.addWidget(self.first_half, 3)
        self._halves.addWidget(self.second_half, 2)

        self.search.textChanged.connect(self._changed)
        self.date_check.toggled.connect(self._set_dates_enabled)
        self.date_check.toggled.connect(self._changed)
        # An end before the start would silently show nothing: keep the end after the start.
        self.date_from.dateChanged.connect(self.date_to.setMinimumDate)
        self.date_from.dateChanged.connect(self._changed)
        self.date_to.dateChanged.connect(self._changed)
        self.responsible.currentIndexChanged.connect(self._changed)
        self.group.currentIndexChanged.connect(self._changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        search = self.tr("Search title or task ID")
        self.search.setPlaceholderText(search)
        self.search.setAccessibleName(search)
        self.date_check.setText(self.tr("Closed from"))
        self.date_check.setToolTip(self.tr("Only show tasks completed between these two days"))
        self.date_from.setAccessibleName(self.tr("Closed on or after"))
        self.date_to.setAccessibleName(self.tr("Closed on or before"))
        self.to_label.setText(self.tr("to", "the end of a date range"))
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat(date_edit_format())
        self.responsible.setAccessibleName(self.tr("Responsible person"))
        self.responsible.setToolTip(
            self.tr("Choose a person, or type part of a name to find one; “Me” is you")
        )
        typed = self.responsible.lineEdit()
        if typed is not None:
            typed.setAccessibleName(self.tr("Responsible person"))
            typed.setPlaceholderText(self.tr("Type a name"))
        self.responsible.setItemText(0, self.tr("Anyone"))
        if self._me_id is not None:
            self.responsible.setItemText(1, self.tr("Me", "the connection's own user"))
        self.responsible_label.setText(self.tr("Responsible:"))
        self.group.setAccessibleName(self.tr("Group or project"))
        self.group.setItemText(0, self.tr("All groups"))
        self.group.setItemText(1, self.tr("No group"))
        for combo in (self.responsible, self.group):
            self._entries_changed(combo)  # their first entries were renamed
        self.group_label.setText(self.tr("Group:"))
        self.reset_button.setText(self.tr("Clear filters"))
        self.reset_button.setToolTip(self.tr("Show all loaded tasks again"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "group_label"):
            self.retranslate_ui()
            self._wrap(self.width())

    # -- wrapping on narrow windows ----------------------------------------------------------

    def _one_row_width(self) -> int:
        return (
            self.first_half.minimumSizeHint().width()
            + self._halves.spacing()
            + self.second_half.minimumSizeHint().width()
        )

    def minimumSizeHint(self) -> QSize:
        """As narrow as the wider half: the halves go on two rows when both do not fit."""
        hint = super().minimumSizeHint()
        narrowest = max(
            self.first_half.minimumSizeHint().width(), self.second_half.minimumSizeHint().width()
        )
        return QSize(narrowest, hint.height())

    def is_wrapped(self) -> bool:
        return self._halves.direction() is QBoxLayout.Direction.TopToBottom

    def _wrap(self, width: int) -> None:
        wanted = (
            QBoxLayout.Direction.TopToBottom
            if width < self._one_row_width()
            else QBoxLayout.Direction.LeftToRight
        )
        if self._halves.direction() is not wanted:
            self._halves.setDirection(wanted)
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap(event.size().width())

    # -- building -------------------------------------------------------------------------

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setCalendarPopup(True)
        return edit

    @staticmethod
    def _combo() -> QComboBox:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.setMaxVisibleItems(20)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        combo.addItem("", None)  # "Anyone" or "All groups"
        return combo

    def _searchable(self, combo: QComboBox) -> None:
        """Type part of a name (anywhere in it, any case) and pick from what matches; text
        that matches nobody is put back to the chosen entry when the box is left."""
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = _FoldedCompleter(combo.model(), combo)
        completer.setCompletionColumn(combo.modelColumn())
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(15)
        # Matched on folded names (case, the letter yo, spaces), as the table's search:
        # "семен" finds "Семён"; what the box shows stays the name as written.
        completer.setCompletionRole(SEARCH_ROLE)
        combo.setCompleter(completer)
        edit = combo.lineEdit()
        assert edit is not None
        edit.editingFinished.connect(lambda: self._settle_text(combo))
        edit.textEdited.connect(lambda text: self._complete_folded(completer, text))

    @staticmethod
    def _complete_folded(completer: QCompleter, text: str) -> None:
        """The line edit set the prefix as typed; match it folded, as the names are."""
        folded = fold_text(text)
        if folded and completer.completionPrefix() != folded:
            completer.setCompletionPrefix(folded)
            completer.complete()

    @staticmethod
    def _entries_changed(combo: QComboBox) -> None:
        """After a list's entries change: fold them for typing, size its drop-down."""
        FilterBar._index_for_search(combo)
        FilterBar._fit_popup(combo)

    @staticmethod
    def _index_for_search(combo: QComboBox) -> None:
        for index in range(combo.count()):
            combo.setItemData(index, fold_text(combo.itemText(index)), SEARCH_ROLE)

    @staticmethod
    def _settle_text(combo: QComboBox) -> None:
        """Leaving the box: a typed name that is an entry picks it; anything else shows the
        chosen entry again (the filter never follows half-typed text)."""
        text = combo.currentText().strip()
        position = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if text and position >= 0 and position != combo.currentIndex():
            combo.setCurrentIndex(position)
        else:
            combo.setEditText(combo.itemText(combo.currentIndex()))

    @staticmethod
    def _label(buddy: QWidget) -> QLabel:
        label = QLabel()
        label.setBuddy(buddy)
        return label

    def _set_dates_enabled(self, enabled: bool) -> None:
        self.date_from.setEnabled(enabled)
        self.date_to.setEnabled(enabled)

    # -- choices fed from the loaded rows -----------------------------------------------

    def set_choices(self, people: Mapping[int, str], groups: Mapping[int, str]) -> None:
        """Offer these responsibles and groups (id -> label); keeps the current pick if
        present. Namesakes come with what tells them apart ("Maria Brown (Sales)"): the
        filter is by id, so two people of the same name are never mixed up."""
        self._fill(self.responsible, people, fixed=self._people_fixed())
        self._fill(self.group, {k: v for k, v in groups.items() if k != 0}, fixed=2)

    def _people_fixed(self) -> int:
        """Entries above the people: "Anyone", and "Me" when the user is known."""
        return 1 if self._me_id is None else 2

    def set_me(self, user_id: int | None) -> None:
        """Offer "Me" (the connection's own user, `user_id`) right under "Anyone"."""
        if user_id == self._me_id:
            return
        combo = self.responsible
        current = combo.currentData()
        on_me = self._me_id is not None and combo.currentIndex() == 1
        with QSignalBlocker(combo):
            if self._me_id is not None:
                combo.removeItem(1)
            self._me_id = user_id
            if user_id is not None:
                combo.insertItem(1, self.tr("Me", "the connection's own user"), user_id)
            if on_me:  # "Me" stays "Me" (or, with no user known, becomes "Anyone")
                position = 1 if user_id is not None else 0
            else:
                position = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(position, 0))
        FilterBar._entries_changed(combo)
        if combo.currentData() != current:
            combo.currentIndexChanged.emit(combo.currentIndex())

    @property
    def me_id(self) -> int | None:
        return self._me_id

    @staticmethod
    def _fit_popup(combo: QComboBox) -> None:
        """The list drops down as wide as its longest entry ("Maria Brown (Sales)" whole,
        not "Maria Br…(Sales)"), however narrow the box itself is."""
        metrics = combo.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
            default=0,
        )
        style = combo.style()
        scroll_bar = style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = widest + scroll_bar + 4 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
        width += 2 * metrics.averageCharWidth()  # the entries' own margins
        completer = combo.completer()
        views = [combo.view(), completer.popup() if completer is not None else None]
        for view in views:
            if view is not None:
                view.setMinimumWidth(width)

    @staticmethod
    def _fill(combo: QComboBox, choices: Mapping[int, str], *, fixed: int) -> None:
        current = combo.currentData()
        wanted = sorted(choices.items(), key=lambda item: (item[1].casefold(), item[0]))
        present = [combo.itemData(i) for i in range(fixed, combo.count())]
        texts = [combo.itemText(i) for i in range(fixed, combo.count())]
        if present == [choice_id for choice_id, _ in wanted] and texts == [
            name for _, name in wanted
        ]:
            return
        with QSignalBlocker(combo):
            while combo.count() > fixed:
                combo.removeItem(fixed)
            for choice_id, name in wanted:
                combo.addItem(name, choice_id)
            position = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(position, 0))
        FilterBar._entries_changed(combo)
        if combo.currentData() != current:
            combo.currentIndexChanged.emit(combo.currentIndex())

    def set_date_bounds(self, first: date, last: date) -> None:
        """Pre-set the date range to the loaded tasks' span (only while it is not in use)."""
        if self.date_check.isChecked():
            return
        with QSignalBlocker(self.date_from), QSignalBlocker(self.date_to):
            self.date_from.setDate(_to_qdate(first))
            self.date_to.setDate(_to_qdate(last))

    # -- the filter -----------------------------------------------------------------------

    def current_filter(self) -> TaskFilter:
        dated = self.date_check.isChecked()
        return TaskFilter(
            closed_after=_to_date(self.date_from.date()) if dated else None,
            closed_before=_to_date(self.date_to.date()) if dated else None,
            responsible_id=self.responsible.currentData(),
            group_id=self.group.currentData(),
            search=self.search.text().strip(),
        )

    def set_filter(self, task_filter: TaskFilter) -> None:
        """Show `task_filter` in the controls (e.g. restored settings) and apply it."""
        with (
            QSignalBlocker(self.search),
            QSignalBlocker(self.date_check),
            QSignalBlocker(self.responsible),
            QSignalBlocker(self.group),
        ):
            self.search.setText(task_filter.search)
            dated = task_filter.closed_after is not None or task_filter.closed_before is not None
            self.date_check.setChecked(dated)
            self._set_dates_enabled(dated)
            if task_filter.closed_after is not None:
                self.date_from.setDate(_to_qdate(task_filter.closed_after))
            if task_filter.closed_before is not None:
                self.date_to.setDate(_to_qdate(task_filter.closed_before))
            self._pick(self.responsible, task_filter.responsible_id)
            self._pick(self.group, task_filter.group_id)
        self.apply_now()

    @staticmethod
    def _pick(combo: QComboBox, choice_id: int | None) -> None:
        """Select `choice_id`; an id not offered yet (e.g. a filter restored before any
        rows arrived) gets a stand-in entry that the real name replaces later."""
        if choice_id is None:
            combo.setCurrentIndex(0)
            return
        position = combo.findData(choice_id)
        if position < 0:
            combo.addItem(f"#{choice_id}", choice_id)
            position = combo.count() - 1
        combo.setCurrentIndex(position)

    def reset(self) -> None:
        self.set_filter(TaskFilter())

    def _changed(self, *_: object) -> None:
        self._debounce.start()

    def apply_now(self) -> None:
        """Emit the filter at once if it differs from the last one emitted."""
        self._debounce.stop()
        task_filter = self.current_filter()
        self.reset_button.setEnabled(task_filter != TaskFilter())
        if task_filter != self._last_emitted:
            self._last_emitted = task_filter
            self.filter_changed.emit(task_filter)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
