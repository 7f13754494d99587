"""First run and Connection > Set up: paste the webhook, test it, save it to the keyring.

The dialog does no I/O: it asks (`test_requested`, `save_requested`,
`session_only_requested`, `demo_requested`) and the controller answers through
`show_verdict`, `show_problem`, `offer_session_only`, ... It is opened with `open()`
(window-modal, never a nested event loop), so tests drive it like a user would.

"Save and connect" is offered only once a test of the address (and certificate file) as
they are now has passed: nothing is saved that was never seen to work.

Why one file of ~560 lines: one dialog, most of it layout and the states it shows; its logic
lives in the core (`webhook_url.py`, `connection.py`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from b24desk.core.connection import ConnectionVerdict, portal_label
from b24desk.core.credentials import WebhookUrlError, parse_webhook_url
from b24desk.core.i18n import QT_TRANSLATE_NOOP
from b24desk.ui.models.outcomes import Tone, tone_colour

# Shown in the dialog; in English here, translated where they are shown. Bitrix24 moved its
# developer pages under "Applications" in newer portals: the steps name both places.
WEBHOOK_HELP = QT_TRANSLATE_NOOP(
    "SetupDialog",
    """
<p><b>How to get your portal's webhook address</b> (once, about two minutes):</p>
<ol style="margin-left: -20px">
<li>Open your Bitrix24 portal in the browser, signed in as an administrator.</li>
<li>Open <b>Developer resources</b> (in newer portals it is under <b>Applications</b> in the
left menu), then <b>Common use cases</b> if the portal shows it, then <b>Other</b>, then
<b>Inbound webhook</b> (<b>Incoming webhook</b> in older portals).</li>
<li>Under <b>Assign permissions</b> (<b>Permissions</b> in older portals), add
<b>Tasks (task)</b>. Nothing else is needed.</li>
<li>Click <b>Create</b> or <b>Save</b>, then copy the address shown as <b>Webhook to call REST
API</b>. It looks like <code>https://yourcompany.bitrix24.com/rest/1/abc123xyz/</code>.</li>
<li>Paste it below and click <b>Test connection</b>.</li>
</ol>
<p>The address works like a password: b24desk keeps it in your computer's password store,
never in a file. Tasks are reopened with the rights of the user who created the webhook.</p>
""",
)
DEMO_NOTE = QT_TRANSLATE_NOOP(
    "SetupDialog",
    "<b>Demo mode:</b> addresses are tested against the built-in sandbox portal and kept "
    "only until b24desk closes. The sandbox's own address is filled in. To connect to your "
    "real portal, close b24desk and start it again from its icon or menu entry.",
)
OAUTH_HELP = QT_TRANSLATE_NOOP(
    "SetupDialog",
    """
<p><b>Sign in with a local application</b> instead of a webhook, for example when your
company does not allow webhooks. A portal administrator creates it once:</p>
<ol style="margin-left: -20px">
<li>In Bitrix24 open <b>Developer resources</b> (under <b>Applications</b> in newer portals),
then <b>Other</b>, then <b>Local application</b>.</li>
<li>Choose <b>Server</b>, tick <b>Uses only API</b>, and under <b>Assign permissions</b> add
<b>Tasks (task)</b>. As handler path any address will do, such as
<code>http://127.0.0.1/</code>.</li>
<li>Click <b>Save</b> and copy the <b>Application ID</b> (client_id) and the
<b>Application key</b> (client_secret) into the fields below.</li>
</ol>
<p>Then click <b>Sign in in the browser</b> and allow the application there; b24desk
finishes by itself. If the browser ends on a page that does not load, copy that page's
address from the address bar and paste it below.</p>
""",
)
OAUTH_DEMO_TEXT = QT_TRANSLATE_NOOP(
    "SetupDialog",
    "Demo mode uses the sandbox's webhook; signing in with a local application needs a "
    "real portal and a browser. Close b24desk and start it again from its icon or menu "
    "entry to use it.",
)


def _tr(text: str) -> str:
    """A module text marked above, in the user's language."""
    return QCoreApplication.translate("SetupDialog", text)


class _HelpArea(QScrollArea):
    """The setup steps: as tall as their text when there is room, scrolling when not."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        label = self.widget()
        if label is None:
            return hint
        width = max(self.viewport().width(), label.minimumSizeHint().width(), 400)
        needed = label.heightForWidth(width)
        return QSize(hint.width(), max(needed, 0) + 2 * self.frameWidth())


class SetupDialog(QDialog):
    test_requested = Signal(str)
    """The webhook address to test."""
    save_requested = Signal(str, str)
    """(connection name, webhook address) to save and connect to."""
    session_only_requested = Signal()
    """The password store cannot be used: keep the secret in memory for this session."""
    oauth_requested = Signal(str, str, str, str)
    """(connection name, portal address, client id, client secret): sign in in the browser."""
    oauth_pasted = Signal(str)
    """What the admin pasted from the browser's address bar during a sign-in."""
    demo_requested = Signal()
    """Look around on the built-in sandbox portal instead."""

    def __init__(self, parent: QWidget | None = None, *, demo: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("setupDialog")
        self.setWindowTitle(self.tr("Set up a connection to Bitrix24"))
        self.setAccessibleName(self.tr("Set up a connection to Bitrix24"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(640)
        self._name_edited = False
        self._last_tested: tuple[str, str] | None = None
        self._passed: tuple[str, str] | None = None
        """The address and certificate file of the last test that passed."""
        self._saving = False

        self.tabs = QTabWidget()
        self.tabs.setObjectName("setupTabs")
        self.tabs.addTab(self._webhook_tab(demo), self.tr("Incoming webhook"))
        self.tabs.addTab(self._oauth_tab(demo), self.tr("Local application (OAuth)"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(
            self.tr("Save and connect"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("setupSave")
        self.save_button.setDefault(True)
        self.demo_button = QPushButton(self.tr("Try the &demo portal"))
        self.demo_button.setObjectName("setupDemo")
        self.demo_button.setToolTip(
            self.tr(
                "Look around on a built-in sandbox portal with made-up tasks; nothing real is "
                "touched"
            )
        )
        self.demo_button.setVisible(not demo)
        self.demo_button.clicked.connect(self.demo_requested)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.demo_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.url_edit.textChanged.connect(self._url_changed)
        self.ca_edit.textChanged.connect(self._ca_changed)
        self.ca_button.clicked.connect(self._choose_ca_file)
        self.name_edit.textEdited.connect(self._name_typed)
        self.show_check.toggled.connect(self._show_address)
        self.test_button.clicked.connect(self.test)
        self.session_only_button.clicked.connect(self.session_only_requested)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.paste_button.clicked.connect(self._paste)
        for edit in (self.portal_edit, self.client_id_edit, self.secret_edit):
            edit.textChanged.connect(self._oauth_fields_changed)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._url_changed(self.url_edit.text())
        self._oauth_fields_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._make_room()

    # -- building -------------------------------------------------------------------------

    def _webhook_tab(self, demo: bool) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        if demo:
            note = QLabel(_tr(DEMO_NOTE))
            note.setObjectName("setupDemoNote")
            note.setWordWrap(True)
            note.setStyleSheet(
                "QLabel { background: #fff1c2; color: #4a3500; border: 1px solid #d9a400; "
                "border-radius: 4px; padding: 6px; }"
            )
            layout.addWidget(note)
        self.help_label = QLabel(_tr(WEBHOOK_HELP))
        self.help_label.setObjectName("setupHelp")
        self.help_label.setWordWrap(True)
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self.help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # On a small screen the steps scroll; they are never squeezed under the fields.
        self.help_area = _HelpArea()
        self.help_area.setObjectName("setupHelpArea")
        self.help_area.setWidget(self.help_label)
        self.help_area.setWidgetResizable(True)
        self.help_area.setFrameShape(QFrame.Shape.NoFrame)
        self.help_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.help_area.setMinimumHeight(120)
        self.help_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.help_area.viewport().setAutoFillBackground(False)
        self.help_label.setAutoFillBackground(False)
        layout.addWidget(self.help_area)

        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("webhookUrl")
        self.url_edit.setAccessibleName(self.tr("Webhook address"))
        self.url_edit.setPlaceholderText(
            self.tr("https://yourcompany.bitrix24.com/rest/1/abc123xyz/")
        )
        self.url_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.url_edit.setClearButtonEnabled(True)
        self.show_check = QCheckBox(self.tr("Show"))
        self.show_check.setToolTip(
            self.tr("Show the address (it contains the webhook's secret code)")
        )
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.show_check)

        self.name_edit = QLineEdit(self.tr("Main", "the default name of a connection"))
        self.name_edit.setObjectName("profileName")
        self.name_edit.setAccessibleName(self.tr("Name for this connection"))
        self.name_edit.setToolTip(
            self.tr("A short name to tell your portals apart, such as “Main”")
        )

        self.ca_edit = QLineEdit()
        self.ca_edit.setObjectName("caBundle")
        self.ca_edit.setAccessibleName(self.tr("Certificate authority file"))
        self.ca_edit.setPlaceholderText(
            self.tr("Only for a portal on your company's own server (optional)")
        )
        self.ca_edit.setToolTip(
            self.tr(
                "The PEM file of your company's certificate authority, if your IT gave you "
                "one: needed only when the test says the secure connection could not be "
                "verified"
            )
        )
        self.ca_edit.setClearButtonEnabled(True)
        self.ca_button = QPushButton(self.tr("C&hoose…"))
        self.ca_button.setObjectName("caBundleChoose")
        self.ca_button.setToolTip(self.tr("Choose the certificate authority file (PEM)"))
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)

        form = QFormLayout()
        address_label = QLabel(self.tr("&Webhook address:"))
        address_label.setBuddy(self.url_edit)
        name_label = QLabel(self.tr("&Name:"))
        name_label.setBuddy(self.name_edit)
        ca_label = QLabel(self.tr("&Certificate file:"))
        ca_label.setBuddy(self.ca_edit)
        form.addRow(address_label, url_row)
        form.addRow(name_label, self.name_edit)
        form.addRow(ca_label, ca_row)
        layout.addLayout(form)

        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.setObjectName("setupTest")
        self.test_button.setToolTip(
            self.tr("Ask the portal whether b24desk can reopen tasks with it")
        )
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("setupVerdict")
        self.verdict_label.setAccessibleName(self.tr("Connection test result"))
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict_label.setMinimumWidth(300)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.verdict_label, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(test_row)

        self.keyring_box = QFrame()
        self.keyring_box.setObjectName("keyringProblem")
        self.keyring_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        self.session_only_button = QPushButton(self.tr("Use for this session only"))
        self.session_only_button.setObjectName("sessionOnly")
        self.session_only_button.setToolTip(
            self.tr("Connect now without saving; b24desk forgets the address when it closes")
        )
        box_layout = QVBoxLayout(self.keyring_box)
        box_layout.addWidget(self.keyring_label)
        box_layout.addWidget(self.session_only_button, 0, Qt.AlignmentFlag.AlignRight)
        self.keyring_box.hide()
        layout.addWidget(self.keyring_box)
        layout.addStretch(1)
        return page

    def _oauth_tab(self, demo: bool) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.oauth_label = QLabel(_tr(OAUTH_DEMO_TEXT if demo else OAUTH_HELP))
        self.oauth_label.setObjectName("oauthHelp")
        self.oauth_label.setWordWrap(True)
        self.oauth_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.oauth_label)

        self.portal_edit = self._line("portalAddress", self.tr("Portal address"))
        self.portal_edit.setPlaceholderText(self.tr("https://yourcompany.bitrix24.com"))
        self.client_id_edit = self._line("clientId", self.tr("Application ID (client_id)"))
        self.client_id_edit.setPlaceholderText("local.0123456789abcd.01234567")
        self.secret_edit = self._line("clientSecret", self.tr("Application key (client_secret)"))
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.oauth_name_edit = self._line("oauthProfileName", self.tr("Name for this connection"))
        self.oauth_name_edit.setText(self.tr("Main", "the default name of a connection"))
        form = QFormLayout()
        form.addRow(self.tr("Portal address:"), self.portal_edit)
        form.addRow(self.tr("Application ID:"), self.client_id_edit)
        form.addRow(self.tr("Application key:"), self.secret_edit)
        form.addRow(self.tr("Name:"), self.oauth_name_edit)
        layout.addLayout(form)

        self.sign_in_button = QPushButton(self.tr("Sign in in the &browser"))
        self.sign_in_button.setObjectName("oauthSignIn")
        self.sign_in_button.setToolTip(self.tr("Open the portal's page where you allow b24desk"))
        self.oauth_status = QLabel()
        self.oauth_status.setObjectName("oauthStatus")
        self.oauth_status.setAccessibleName(self.tr("Sign-in status"))
        self.oauth_status.setWordWrap(True)
        self.oauth_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.oauth_status, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)

        self.paste_edit = self._line("pastedAddress", self.tr("Address from the browser"))
        self.paste_edit.setPlaceholderText(
            self.tr("Only if needed: the address the browser ended on")
        )
        self.paste_button = QPushButton(self.tr("Use this address"))
        self.paste_button.setObjectName("oauthPaste")
        paste_row = QHBoxLayout()
        paste_row.addWidget(self.paste_edit, 1)
        paste_row.addWidget(self.paste_button)
        layout.addLayout(paste_row)
        self.set_signing_in(False)
        if demo:
            for widget in (self.portal_edit, self.client_id_edit, self.secret_edit):
                widget.setEnabled(False)
            self.oauth_name_edit.setEnabled(False)
        self._demo = demo
        return page

    @staticmethod
    def _line(name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        return edit

    # -- what the user did ----------------------------------------------------------------

    def webhook_text(self) -> str:
        return self.url_edit.text().strip()

    def ca_bundle(self) -> str | None:
        """The certificate authority file typed or chosen, or None."""
        return self.ca_edit.text().strip() or None

    def set_ca_bundle(self, path: str) -> None:
        self.ca_edit.setText(path)

    def _current(self) -> tuple[str, str]:
        return self.webhook_text(), self.ca_bundle() or ""

    def _update_save(self) -> None:
        passed = self._passed is not None and self._passed == self._current()
        self.save_button.setEnabled(passed and not self._saving)
        self.save_button.setToolTip(
            self.tr("Keep this connection in the password store and start working with it")
            if passed
            else self.tr("Test the connection first: saving is offered once the test passes")
        )

    def set_webhook_text(self, text: str) -> None:
        self.url_edit.setText(text)

    def set_example(self, url: str) -> None:
        """Pre-fill an address (demo mode: the sandbox's own)."""
        self.url_edit.setText(url)

    def _url_changed(self, text: str) -> None:
        ready = bool(text.strip())
        self.test_button.setEnabled(ready)
        self._inputs_changed()
        if not self._name_edited and ready:
            try:
                address = parse_webhook_url(text)
            except WebhookUrlError:
                return
            self.name_edit.setText(portal_label(address.portal_url))

    def _ca_changed(self, _: str) -> None:
        self._inputs_changed()

    def _inputs_changed(self) -> None:
        self.keyring_box.hide()
        if self._current() != self._last_tested:
            self._set_verdict("", None)
        self._update_save()

    def _choose_ca_file(self) -> QFileDialog:
        chooser = QFileDialog(self, self.tr("Choose the certificate authority file"))
        chooser.setObjectName("caBundleDialog")
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilters(
            [self.tr("Certificate files (*.pem *.crt *.cer)"), self.tr("All files (*)")]
        )
        chooser.fileSelected.connect(self.ca_edit.setText)
        chooser.finished.connect(chooser.deleteLater)
        chooser.open()
        return chooser

    def _name_typed(self, _: str) -> None:
        self._name_edited = True

    def _show_address(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.url_edit.setEchoMode(mode)

    def _oauth_fields_changed(self, *_: object) -> None:
        ready = all(
            e.text().strip() for e in (self.portal_edit, self.client_id_edit, self.secret_edit)
        )
        self.sign_in_button.setEnabled(ready and not self._demo and not self._signing_in)

    def _tab_changed(self, index: int) -> None:
        # "Save and connect" belongs to the webhook; the OAuth tab has its own button.
        self.save_button.setVisible(index == 0)

    def set_signing_in(self, signing_in: bool) -> None:
        """While a sign-in waits for the browser, offer the paste field instead."""
        self._signing_in = signing_in
        self.paste_edit.setEnabled(signing_in)
        self.paste_button.setEnabled(signing_in)
        if hasattr(self, "_demo"):
            self._oauth_fields_changed()

    def sign_in(self) -> None:
        fields = (self.portal_edit, self.client_id_edit, self.secret_edit)
        if all(e.text().strip() for e in fields) and not self._signing_in:
            self.oauth_requested.emit(
                self.oauth_name_edit.text(),
                self.portal_edit.text().strip(),
                self.client_id_edit.text().strip(),
                self.secret_edit.text().strip(),
            )

    def _paste(self) -> None:
        if self.paste_edit.text().strip():
            self.oauth_pasted.emit(self.paste_edit.text().strip())

    def show_oauth_waiting(self, portal: str) -> None:
        self.set_signing_in(True)
        self._set_oauth_status(
            self.tr("Waiting for you to allow b24desk on {portal} in the browser…").format(
                portal=portal
            ),
            Tone.BUSY,
        )

    def show_oauth_problem(self, text: str) -> None:
        self.set_signing_in(False)
        self._set_oauth_status(f"✗ {text}", Tone.BAD)

    def oauth_status_text(self) -> str:
        return self.oauth_status.text()

    def _set_oauth_status(self, text: str, tone: Tone) -> None:
        self.oauth_status.setStyleSheet(f"color: {tone_colour(tone, self.palette()).name()};")
        self.oauth_status.setText(text)

    def test(self) -> None:
        if self.webhook_text():
            self._last_tested = self._current()
            self._passed = None
            self._update_save()
            self.test_requested.emit(self.webhook_text())

    def save(self) -> None:
        if self.webhook_text() and self._passed == self._current():
            self.save_requested.emit(self.name_edit.text(), self.webhook_text())

    # -- the controller's answers ---------------------------------------------------------

    def _set_verdict(self, text: str, tone: Tone | None) -> None:
        colour = tone_colour(tone, self.palette()).name() if tone is not None else ""
        self.verdict_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.verdict_label.setText(text)
        self._make_room()

    def _make_room(self) -> None:
        """Grow to show a long answer whole (within the screen); the steps scroll instead."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        wanted = self.sizeHint().height()
        screen = self.screen()
        ceiling = screen.availableGeometry().height() - 40 if screen is not None else wanted
        height = min(max(self.height(), wanted), ceiling)
        if height > self.height():
            self.resize(self.width(), height)

    def verdict_text(self) -> str:
        return self.verdict_label.text()

    def show_testing(self, portal: str) -> None:
        self._set_verdict(self.tr("Asking {portal}…").format(portal=portal), Tone.BUSY)
        self.test_button.setEnabled(False)

    def show_verdict(self, verdict: ConnectionVerdict) -> None:
        self.test_button.setEnabled(bool(self.webhook_text()))
        symbol = "✓" if verdict.ok else "✗"
        if verdict.ok and self._last_tested == self._current():
            self._passed = self._last_tested
        self._update_save()
        self._set_verdict(f"{symbol} {verdict.message}", Tone.GOOD if verdict.ok else Tone.BAD)

    def show_problem(self, text: str) -> None:
        self.test_button.setEnabled(bool(self.webhook_text()))
        self._saving = False
        self._update_save()
        self._set_verdict(f"✗ {text}", Tone.BAD)

    def show_saving(self) -> None:
        self._saving = True
        self._update_save()
        self._set_verdict(self.tr("Saving the connection…"), Tone.BUSY)

    def offer_session_only(self, message: str) -> None:
        self._saving = False
        self._update_save()
        self._set_verdict("", None)
        self.keyring_label.setText(message)
        self.keyring_box.show()
        self._make_room()
