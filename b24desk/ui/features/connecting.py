"""Connecting: at start-up, to a saved profile, to the demo portal; switching and removing.

A connection is opened (`core.session`) and checked (`core.connection`) in one op; only a
connection the portal accepts for work replaces the one in use, and only then are the old
portal's rows, problems and runs forgotten (`portal_changed`). The profiles menu is
refreshed after every change.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from b24desk.core.connection import ConnectionVerdict, check_connection, portal_label
from b24desk.core.credentials import Profile, ProfileError, Removed, parse_webhook_url
from b24desk.core.session import (
    ConnectionTarget,
    NoConnectionGiven,
    PortalSession,
    open_session,
    resolve_target,
)
from b24desk.ui.bridge import AsyncOp, OpHandle, ProgressReporter
from b24desk.ui.dialogs.confirm import Confirmation
from b24desk.ui.features.state import DeskState, Phase
from b24desk.ui.services import Services

logger = logging.getLogger(__name__)


class Connecting(QObject):
    connected = Signal(object)
    """The `ConnectionVerdict` of a connection that is now in use."""
    portal_changed = Signal()
    """Another portal is in use now: what was shown of the old one means nothing."""
    setup_wanted = Signal()
    """No connection to start with: the setup dialog should open."""
    load_wanted = Signal()
    """The demo portal is connected: its tasks are shown at once."""
    leaving_for_demo = Signal()
    """The admin chose the demo portal: the setup dialog closes."""

    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state
        self.window = state.window
        self.demo_services: Callable[[], Services] = Services.for_demo
        """Builds the demo's services when the admin asks to try the demo portal."""
        self._desktop_services: Services | None = None

    @property
    def services(self) -> Services:
        return self.state.services

    def start(self) -> OpHandle[Any]:
        """Connect at start-up: the demo, the last profile, or (none yet) the setup dialog."""
        if self.services.demo is not None:
            return self.connect_demo()
        return self.state.start(
            Phase.CONNECTING,
            AsyncOp(self._initial_target, parent=self, label="choose connection")
            .on_success(self._initial_target_found)
            .on_failure(self._no_initial_target),
        )

    async def _initial_target(self, _: ProgressReporter) -> ConnectionTarget:
        connections = self.services.connections
        remembered = self.state.settings.last_profile()

        def choose() -> ConnectionTarget:
            if remembered:
                try:
                    return ConnectionTarget(connections.profiles.get(remembered), None, "window")
                except ProfileError:
                    logger.info("the last used profile is gone; choosing another")
            return resolve_target(connections, environ=self.services.environ)

        return await asyncio.to_thread(choose)

    def _initial_target_found(self, target: ConnectionTarget) -> None:
        self.state.phase = Phase.IDLE
        self.connect_to(target)

    def _no_initial_target(self, error: Exception) -> None:
        self.state.phase = Phase.IDLE
        self.window.set_disconnected()
        if not isinstance(error, NoConnectionGiven):
            self.state.report_problem(error, what="choosing the connection")
        self.refresh_profiles()
        self.setup_wanted.emit()

    def connect_demo(self) -> OpHandle[Any]:
        demo = self.services.demo
        assert demo is not None

        async def target(_: ProgressReporter) -> ConnectionTarget:
            await demo.start()
            return ConnectionTarget(None, parse_webhook_url(demo.webhook_url()), "demo")

        self.window.set_connecting(self.tr("demo sandbox"), demo=True)
        self.window.set_profiles([], None)
        return self.state.start(
            Phase.CONNECTING,
            AsyncOp(target, parent=self, label="start demo portal")
            .on_success(self._initial_target_found)
            .on_failure(self._demo_failed)
            .on_cancelled(self.state.set_idle),
        )

    def try_demo(self) -> OpHandle[Any] | None:
        """Setup's "Try the demo portal": from now on this window works on the sandbox.

        Everything of the demo (profiles, secrets, journal) lives in memory or a temporary
        folder; the next start of b24desk is a normal one again.
        """
        if self.services.is_demo:
            return None
        if self.state.busy:
            self.window.show_message(self.state.wait_text())
            return None
        self.leaving_for_demo.emit()
        self.close_session()
        self.state.profile_name = None
        self._desktop_services, self.state.services = self.state.services, self.demo_services()
        logger.info("switched to the demo portal at the admin's request")
        return self.connect_demo()

    def use_saved_profile(self, profile: Profile) -> None:
        """Setup saved (or signed in) `profile`: use it, unless an operation runs now."""
        if self.state.busy:
            self.refresh_profiles()
            self.window.show_message(
                self.tr(
                    "Saved the connection “{name}”. Choose it under Connection > Switch to "
                    "when the current operation has finished."
                ).format(name=profile.name),
                30000,
            )
            return
        self.connect_to(ConnectionTarget(profile, None, "setup"))

    def _demo_failed(self, error: Exception) -> None:
        self._connect_failed(error)
        self.state.set_idle()

    def connect_to(self, target: ConnectionTarget) -> OpHandle[Any] | None:
        """Open a session on `target` and check it; the old session is closed."""
        if self.state.busy:
            self.window.show_message(self.state.wait_text())
            return None
        self.close_session()
        self.state.profile_name = target.profile.name if target.profile else None
        self.state.target_portal = portal_label(target.portal_url)
        self.window.set_connecting(self.state.target_portal, demo=self.services.is_demo)

        async def work(_: ProgressReporter) -> tuple[PortalSession, ConnectionVerdict]:
            services = self.services
            transport = await services.transport()
            # open_session reads the password store in a worker thread (an unlock prompt
            # must not block the GUI thread).
            session = await open_session(
                services.connections,
                target,
                journal_path=services.journal_path,
                transport=transport,
                retry=services.retry,
            )
            try:
                verdict = await check_connection(session.client)
            except BaseException:
                await session.aclose()
                raise
            return session, verdict

        return self.state.start(
            Phase.CONNECTING,
            AsyncOp(work, parent=self, label="connect")
            .on_success(self._connected)
            .on_failure(self._connect_failed)
            .on_finished(self._connect_finished),
        )

    def _connected(self, result: tuple[PortalSession, ConnectionVerdict]) -> None:
        session, verdict = result
        if not verdict.ok:
            self._refused(session, verdict)
            return
        self.state.session, self.state.verdict = session, verdict
        self._forget_previous_portal()
        if self.services.round_pause_s is not None:
            session.engine.round_pause_s = self.services.round_pause_s
        self.window.set_connection(verdict.portal, verdict.user_name, demo=self.services.is_demo)
        self.window.set_current_user(verdict.user_id)
        self.window.show_message(verdict.message, 15000)
        profiles = self.services.connections.profiles
        if self.state.profile_name and not profiles.is_session_only(self.state.profile_name):
            self.state.settings.set_last_profile(self.state.profile_name)
        self.refresh_profiles()
        self.connected.emit(verdict)

    def _refused(self, session: PortalSession, verdict: ConnectionVerdict) -> None:
        """The portal answered, but no work can be done with this connection (a rejected
        webhook, a free plan, no Tasks permission...): say why; the window is not connected."""
        AsyncOp(lambda _: session.aclose(), label="close refused session").run()
        self.window.set_disconnected()
        self.window.add_error(verdict.message, code=verdict.error_code)
        self.window.show_message(verdict.message, 30000)
        self.refresh_profiles()

    def _forget_previous_portal(self) -> None:
        """A new connection is in use: the old portal's rows, problems and runs mean nothing
        here (a task id may name another task), so they go only now, not when switching
        starts: a switch that fails leaves them as they were."""
        self.window.clear_tasks()
        self.window.clear_errors()
        self.portal_changed.emit()

    def _connect_failed(self, error: Exception) -> None:
        self.window.set_disconnected()
        self.state.report_problem(error, what="connecting")
        self.refresh_profiles()

    def _connect_finished(self) -> None:
        self.state.set_idle()
        if (
            self.services.is_demo
            and self.state.session is not None
            and self.window.task_model.rowCount() == 0
        ):
            # The demo shows its tasks at once; a real portal waits for the admin.
            self.load_wanted.emit()

    def close_session(self) -> None:
        session, self.state.session, self.state.verdict = self.state.session, None, None
        if session is not None:
            AsyncOp(lambda _: session.aclose(), label="close session").run()

    async def aclose(self) -> None:
        """Close the session (at shutdown), and the demo's services if it was tried."""
        session, self.state.session = self.state.session, None
        if session is not None:
            await session.aclose()
        if self._desktop_services is not None:
            demo_services, self.state.services = self.state.services, self._desktop_services
            self._desktop_services = None
            demo_services.close()

    def refresh_profiles(self) -> None:
        if self.services.is_demo:
            self.window.set_profiles([], None)
            return
        names = self.services.connections.profiles.names
        (
            AsyncOp(lambda _: asyncio.to_thread(names), parent=self, label="list profiles")
            .on_success(lambda found: self.window.set_profiles(found, self.state.profile_name))
            .on_failure(lambda error: logger.warning("could not list the profiles: %s", error))
            .run()
        )

    def switch_profile(self, name: str) -> None:
        if name == self.state.profile_name and self.state.session is not None:
            return
        if self.state.busy:
            self.window.show_message(self.state.wait_text())
            self.refresh_profiles()
            return

        def found(profile: Profile) -> None:
            if self.state.busy:  # something started while the profile was read
                self.window.show_message(self.state.wait_text())
                self.refresh_profiles()
                return
            self.connect_to(ConnectionTarget(profile, None, "window"))

        profiles = self.services.connections.profiles
        (
            AsyncOp(
                lambda _: asyncio.to_thread(profiles.get, name), parent=self, label="switch profile"
            )
            .on_success(found)
            .on_failure(lambda e: self.state.report_problem(e, what="switching"))
            .run()
        )

    def remove_profile(self) -> None:
        """Connection > Remove this connection: asks, then forgets it (even when the password
        store cannot be reached: then the message says what may be left in it)."""
        name = self.state.profile_name
        if name is None or self.services.is_demo:
            return
        if self.state.busy:
            self.window.show_message(self.state.wait_text())
            return
        question = Confirmation(
            title=self.tr("Remove the connection"),
            question=self.tr("Remove the connection “{name}”?").format(name=name),
            details=self.tr(
                "b24desk forgets its address and deletes its secret from the password store. "
                "Nothing changes on the portal, and the history of runs stays."
            ),
            accept_text=self.tr("Remove"),
        )

        def answered(yes: bool) -> None:
            if yes and not self.state.busy and self.state.profile_name == name:
                self._remove_profile(name)

        self.state.ask(question, answered)

    def _remove_profile(self, name: str) -> None:
        connections = self.services.connections

        def removed(result: Removed) -> None:
            if self.state.profile_name == name:
                self.close_session()
                self.state.profile_name = None
                self.window.set_disconnected()
            if self.state.settings.last_profile() == result.profile.name:
                self.state.settings.set_last_profile("")
            text = self.tr("Removed the connection “{name}”.").format(name=result.profile.name)
            if result.secrets_problem:
                text = f"{text} {result.secrets_problem}"
            self.window.show_message(text, 30000)
            self.refresh_profiles()

        (
            AsyncOp(
                lambda _: asyncio.to_thread(connections.remove, name),
                parent=self,
                label="remove profile",
            )
            .on_success(removed)
            .on_failure(lambda e: self.state.report_problem(e, what="removing"))
            .run()
        )
