"""The setup dialog: test and save a webhook, or sign in with OAuth through the browser.

A saved (or signed-in) connection goes out as `profile_saved`, and "Try the demo portal" as
`demo_wanted`: using them is the `connecting` feature's job. The dialog itself is passive;
this feature answers its requests with ops and puts their outcome back in it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal

from b24desk.core.connection import ConnectionVerdict, check_connection, portal_label
from b24desk.core.credentials import (
    KeyringUnavailable,
    Profile,
    ProfileError,
    WebhookUrlError,
    parse_webhook_url,
)
from b24desk.core.credentials.oauth_flow import OAuthFlowError, OAuthSignIn, sign_in_profile
from b24desk.core.redact import redact
from b24desk.core.session import ConnectionTarget, open_session
from b24desk.ui.bridge import AsyncOp, OpHandle, ProgressReporter
from b24desk.ui.dialogs.setup import SetupDialog
from b24desk.ui.features.state import DeskState, error_text


class Setup(QObject):
    profile_saved = Signal(object)
    """The `Profile` saved (or signed in) through the dialog, which is closed now."""
    demo_wanted = Signal()
    """The admin clicked "Try the demo portal"."""

    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state
        self.dialog: SetupDialog | None = None
        self._oauth_flow: OAuthSignIn | None = None

    def open(self) -> SetupDialog:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        services = self.state.services
        dialog = SetupDialog(self.state.window, demo=services.is_demo)
        if services.demo is not None and services.demo.portal is not None:
            dialog.set_example(services.demo.webhook_url())
        dialog.test_requested.connect(self.test_webhook)
        dialog.save_requested.connect(self.save_webhook)
        dialog.session_only_requested.connect(self._use_session_only)
        dialog.oauth_requested.connect(self.sign_in_oauth)
        dialog.oauth_pasted.connect(self.paste_oauth_answer)
        dialog.demo_requested.connect(self.demo_wanted)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, _: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def test_webhook(self, text: str) -> OpHandle[Any] | None:
        dialog = self.dialog
        if dialog is None:
            return None
        try:
            address = parse_webhook_url(text)
        except WebhookUrlError as error:
            dialog.show_problem(str(error))
            return None
        dialog.show_testing(portal_label(address.portal_url))
        ca_bundle = dialog.ca_bundle()

        async def work(_: ProgressReporter) -> ConnectionVerdict:
            services = self.state.services
            # The same checks of the certificate file as when connecting for real.
            session = await open_session(
                services.connections,
                ConnectionTarget(None, address, "setup"),
                journal_path=services.journal_path,
                ca_bundle=ca_bundle,
                detect_rate=False,
                transport=await services.transport(),
                retry=services.retry,
            )
            async with session:
                return await check_connection(session.client)

        def failed(error: Exception) -> None:
            message, _ = error_text(error, portal_label(address.portal_url))
            if self.dialog is not None:
                self.dialog.show_problem(message)

        return (
            AsyncOp(work, parent=dialog, label="test connection")
            .on_success(dialog.show_verdict)
            .on_failure(failed)
            .run()
        )

    def save_webhook(self, name: str, text: str) -> OpHandle[Any] | None:
        dialog = self.dialog
        if dialog is None:
            return None
        connections = self.state.services.connections
        ca_bundle = dialog.ca_bundle()
        dialog.show_saving()

        def saved(profile: Profile) -> None:
            self._saved(dialog, profile)

        def failed(error: Exception) -> None:
            if isinstance(error, KeyringUnavailable):
                dialog.offer_session_only(str(error))
            elif isinstance(error, ProfileError | WebhookUrlError | ValueError):
                dialog.show_problem(redact(str(error)))
            else:
                message, _ = error_text(error)
                dialog.show_problem(message)

        return (
            AsyncOp(
                lambda _: asyncio.to_thread(
                    connections.add_webhook, name, text, ca_bundle=ca_bundle
                ),
                parent=dialog,
                label="save connection",
            )
            .on_success(saved)
            .on_failure(failed)
            .run()
        )

    def sign_in_oauth(
        self, name: str, portal: str, client_id: str, client_secret: str
    ) -> OpHandle[Any] | None:
        """Save an OAuth profile (once), sign it in through the browser, then connect."""
        dialog = self.dialog
        if dialog is None:
            return None
        services = self.state.services
        connections = services.connections

        def saved_profile() -> Profile:
            try:
                existing = connections.profiles.get(name)
            except ProfileError:
                existing = None
            if existing is not None and existing.auth_kind == "oauth":
                # Signing in again (say, after a typo in the key): the fields win.
                connections.remove(existing.name)
            return connections.add_oauth(
                name, portal, client_id, client_secret, oauth_server=services.oauth_server
            )

        def open_browser(url: str) -> object:
            return services.open_url(QUrl(url))

        async def work(_: ProgressReporter) -> Profile:
            profile = await asyncio.to_thread(saved_profile)
            await sign_in_profile(
                connections,
                profile.name,
                open_browser=open_browser,
                paste=self._keep_oauth_flow,
                wait_s=services.oauth_wait_s,
                transport=await services.transport(),
            )
            return profile

        def signed_in(profile: Profile) -> None:
            self._saved(dialog, profile)

        def failed(error: Exception) -> None:
            if isinstance(error, OAuthFlowError | ProfileError | WebhookUrlError):
                dialog.show_oauth_problem(redact(str(error)))
            elif isinstance(error, KeyringUnavailable):
                dialog.show_oauth_problem(str(error))
            else:
                dialog.show_oauth_problem(error_text(error, portal)[0])

        def finished() -> None:
            self._oauth_flow = None

        dialog.show_oauth_waiting(portal)
        return (
            AsyncOp(work, parent=dialog, label="OAuth sign-in")
            .on_success(signed_in)
            .on_failure(failed)
            .on_cancelled(lambda: dialog.set_signing_in(False))
            .on_finished(finished)
            .run()
        )

    def _keep_oauth_flow(self, flow: OAuthSignIn) -> None:
        self._oauth_flow = flow

    def paste_oauth_answer(self, text: str) -> None:
        """Hand what the admin pasted from the browser to the sign-in that waits for it."""
        flow, dialog = self._oauth_flow, self.dialog
        if flow is None or dialog is None:
            return
        try:
            flow.paste(text)
        except OAuthFlowError as error:
            dialog.show_oauth_problem(redact(str(error)))
            dialog.set_signing_in(True)

    def _use_session_only(self) -> None:
        self.state.services.connections.secrets.use_session_only()
        if self.dialog is not None:
            self.dialog.save()

    def _saved(self, dialog: SetupDialog, profile: Profile) -> None:
        dialog.accept()
        self.profile_saved.emit(profile)

    def close(self) -> None:
        """Close the dialog, if open (the admin chose the demo portal)."""
        if self.dialog is not None:
            self.dialog.accept()
