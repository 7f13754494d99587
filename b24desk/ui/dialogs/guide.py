"""Help > Getting started: a short guide a new admin reads in the window itself.

What a webhook is, how to make one, what each outcome in the Status column means, and
where to try things safely. No I/O: plain text in a scrolling browser, opened with `open()`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from b24desk.core.i18n import QT_TRANSLATE_NOOP
from b24desk.core.model import TaskOutcome
from b24desk.ui.models.outcomes import OUTCOME_LOOKS, outcome_label

# In English here, translated where they are shown.
WEBHOOK_PART = QT_TRANSLATE_NOOP(
    "GuideDialog",
    """
<h3>What b24desk does</h3>
<p>b24desk reopens ("renews") many completed Bitrix24 tasks at once, and tells you what
happened to each one. Nothing on the portal changes until you click <b>Renew selected</b>
and confirm.</p>
<h3>What a webhook is</h3>
<p>An <b>incoming webhook</b> is a private address your portal gives out so that a program
can work with it as the user who created it. It looks like
<code>https://yourcompany.bitrix24.com/rest/1/abc123xyz/</code>. The last part is a secret
code: treat the whole address like a password. b24desk keeps it in your computer's password
store, never in a file.</p>
""",
)
MAKE_PART = QT_TRANSLATE_NOOP(
    "GuideDialog",
    """
<h3>How to make one (about two minutes)</h3>
<ol>
<li>Open your portal in the browser, signed in as an administrator.</li>
<li>Open <b>Developer resources</b> (under <b>Applications</b> in newer portals), then
<b>Other</b>, then <b>Inbound webhook</b>.</li>
<li>Under <b>Assign permissions</b>, add <b>Tasks (task)</b>. Nothing else is needed.</li>
<li>Click <b>Save</b> and copy the address shown as <b>Webhook to call REST API</b>.</li>
<li>In b24desk choose <b>Connection &gt; Set up a connection…</b>, paste the address, click
<b>Test connection</b>, then <b>Save and connect</b>.</li>
</ol>
<p>Tasks are reopened with the rights of the user who made the webhook: an administrator's
webhook can reopen every completed task, another user's only the tasks that user may
change.</p>
""",
)
OUTCOMES_TITLE = QT_TRANSLATE_NOOP("GuideDialog", "What each result means")
OUTCOME_MEANINGS: dict[TaskOutcome, str] = {
    TaskOutcome.RENEWED: QT_TRANSLATE_NOOP(
        "GuideDialog", "The task was completed and is open again now."
    ),
    TaskOutcome.ALREADY_OPEN: QT_TRANSLATE_NOOP(
        "GuideDialog", "Someone had reopened it already; b24desk left it as it was."
    ),
    TaskOutcome.SKIPPED: QT_TRANSLATE_NOOP(
        "GuideDialog",
        "Left out on purpose: it was no longer completed when b24desk checked it just before "
        "renewing (for an undo: someone had changed it since), so it was not touched.",
    ),
    TaskOutcome.NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "GuideDialog",
        "The webhook's user may not change this task (or it was deleted). An administrator's "
        "webhook can reopen it.",
    ),
    TaskOutcome.FAILED: QT_TRANSLATE_NOOP(
        "GuideDialog",
        "The portal refused or did not answer; the reason is shown in the row and in the "
        "Problems panel. “Retry failed” tries these again.",
    ),
    TaskOutcome.NOT_ATTEMPTED: QT_TRANSLATE_NOOP(
        "GuideDialog", "The run was cancelled before this task's turn; nothing was changed."
    ),
    TaskOutcome.RECOMPLETED: QT_TRANSLATE_NOOP(
        "GuideDialog", "“Undo last run” completed the task again."
    ),
    TaskOutcome.CAN_RENEW: QT_TRANSLATE_NOOP(
        "GuideDialog",
        "“Check first” asked the portal: you may reopen this task. Nothing was changed yet.",
    ),
}
SAFETY_PART = QT_TRANSLATE_NOOP(
    "GuideDialog",
    """
<h3>Trying things safely</h3>
<p>Every run is written to a journal as it happens. <b>Undo last run</b> rolls a run back: it
completes again the tasks the run reopened, unless someone changed them since. <b>Tasks &gt;
History of runs</b> lists earlier runs and exports their results to a spreadsheet.</p>
<p>To look around first, choose <b>Try the demo portal</b> in the setup window: a built-in
sandbox with made-up tasks, where nothing real is touched.</p>
""",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("GuideDialog", text)


def guide_html() -> str:
    """The whole guide in the user's language, as rich text."""
    name_cell = "<td style='padding: 2px 12px 2px 0; white-space: nowrap'><b>{} {}</b></td>"
    rows = "".join(
        "<tr>"
        + name_cell.format(OUTCOME_LOOKS[outcome].symbol, outcome_label(outcome))
        + f"<td style='padding: 2px 0'>{_tr(meaning)}</td></tr>"
        for outcome, meaning in OUTCOME_MEANINGS.items()
    )
    outcomes = f"<h3>{_tr(OUTCOMES_TITLE)}</h3><table>{rows}</table>"
    return _tr(WEBHOOK_PART) + _tr(MAKE_PART) + outcomes + _tr(SAFETY_PART)


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle(self.tr("Getting started with b24desk"))
        self.setAccessibleName(self.tr("Getting started with b24desk"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.setMinimumSize(480, 320)
        # Fits a 1024x600 screen with room for the title bar and the panel.
        self.resize(660, 520)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def text(self) -> str:
        return self.browser.toPlainText()
