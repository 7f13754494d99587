"""From "which portal" to a ready connection: one place for the CLI and the window.

A connection is named by a saved profile, or given as a webhook URL (on the command line or
in B24DESK_WEBHOOK). `resolve_target` decides which one applies, `open_session` turns it into
a `PortalSession`: the auth strategy, a client paced for the portal's plan and trusting its
CA file, the journal and a renew engine writing to it.

OAuth profiles get their tokens from the password store, and every refreshed pair goes back
there at once (a refresh token works only once: losing the new one means signing in again).
"""

from __future__ import annotations

import asyncio
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from b24desk.core import paths
from b24desk.core.bitrix.auth import DEFAULT_OAUTH_SERVER, Auth, OAuthAuth, TokenPair, WebhookAuth
from b24desk.core.bitrix.client import BitrixClient, tls_context
from b24desk.core.bitrix.ratelimit import ENTERPRISE, STANDARD, RetryPolicy
from b24desk.core.bitrix.ratelimit import RatePreset as Pace
from b24desk.core.credentials import (
    Connections,
    Profile,
    ProfileError,
    ProfileStore,
    SecretKind,
    SecretStore,
    WebhookAddress,
    parse_webhook_url,
)
from b24desk.core.i18n import translate
from b24desk.core.redact import redacted_logger
from b24desk.core.renew.engine import RenewEngine
from b24desk.core.renew.journal import Journal

__all__ = [
    "WEBHOOK_ENV",
    "ConnectionTarget",
    "NoConnectionGiven",
    "NotSignedIn",
    "PortalSession",
    "default_connections",
    "open_session",
    "resolve_target",
]

log = redacted_logger(__name__)

WEBHOOK_ENV = "B24DESK_WEBHOOK"


class NoConnectionGiven(ProfileError):
    """Nothing says which portal to use."""


class NotSignedIn(ProfileError):
    """An OAuth profile whose tokens are not (or no longer) in the password store."""


@dataclass(frozen=True, slots=True)
class ConnectionTarget:
    """The portal to talk to: a saved profile, or a webhook given for this run only."""

    profile: Profile | None
    webhook: WebhookAddress | None
    source: str
    """Where it came from, for messages: "profile", "--webhook", "B24DESK_WEBHOOK", ..."""

    @property
    def portal_url(self) -> str:
        if self.profile is not None:
            return self.profile.portal_url
        assert self.webhook is not None
        return self.webhook.portal_url

    @property
    def name(self) -> str:
        """The profile's name, or the portal's address for a webhook given directly."""
        return self.profile.name if self.profile is not None else self.portal_url


def default_connections(environ: Mapping[str, str] | None = None) -> Connections:
    """Profiles in the config dir (B24DESK_HOME aware), secrets in the OS password store."""
    return Connections(ProfileStore(paths.profiles_path(environ)), SecretStore())


def resolve_target(
    connections: Connections,
    *,
    profile: str | None = None,
    webhook: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ConnectionTarget:
    """Which portal to use: --profile, else --webhook, else B24DESK_WEBHOOK, else the last
    used profile, else the only one. Raises ProfileError / WebhookUrlError with a plain
    message (NoConnectionGiven when nothing applies)."""
    if profile is not None and webhook is not None:
        raise ProfileError(
            translate(
                "Session", "Both a profile and a webhook URL were given: use only one of them."
            )
        )
    if profile is not None:
        return ConnectionTarget(connections.profiles.get(profile), None, "profile")
    if webhook is not None:
        return ConnectionTarget(None, parse_webhook_url(webhook), "--webhook")
    env_webhook = (os.environ if environ is None else environ).get(WEBHOOK_ENV, "").strip()
    if env_webhook:
        return ConnectionTarget(None, parse_webhook_url(env_webhook), WEBHOOK_ENV)
    last = connections.profiles.last_used()
    if last is not None:
        return ConnectionTarget(last, None, "last used profile")
    saved = connections.profiles.profiles()
    if len(saved) == 1:
        return ConnectionTarget(saved[0], None, "only profile")
    if saved:
        raise NoConnectionGiven(
            translate(
                "Session",
                "No portal was named: pass --profile NAME or --webhook URL, or set {env} to "
                "the webhook URL.",
            ).format(env=WEBHOOK_ENV)
        )
    raise NoConnectionGiven(
        translate(
            "Session",
            "There is no saved connection yet: add one with "
            "b24desk profile add NAME --webhook URL, or pass --webhook URL.",
        )
    )


def build_auth(connections: Connections, target: ConnectionTarget) -> Auth:
    """The auth strategy of a target, its secrets read from the password store."""
    if target.webhook is not None:
        address = target.webhook
        return WebhookAuth(address.portal_url, address.user_id, address.code)
    profile = target.profile
    assert profile is not None
    if profile.auth_kind == "webhook":
        address = connections.webhook_address(profile.name)
        return WebhookAuth(address.portal_url, address.user_id, address.code)
    return _oauth_auth(connections, profile)


def _oauth_auth(connections: Connections, profile: Profile) -> OAuthAuth:
    secrets = connections.secrets
    client_secret = secrets.get(profile.name, SecretKind.CLIENT_SECRET)
    access = secrets.get(profile.name, SecretKind.ACCESS_TOKEN)
    refresh = secrets.get(profile.name, SecretKind.REFRESH_TOKEN)
    if not (client_secret and access and refresh and profile.oauth_client_id):
        raise NotSignedIn(
            translate(
                "Session",
                'The profile "{name}" is not signed in to Bitrix24 yet (or its sign-in was '
                "removed): sign in to it from the b24desk window.",
            ).format(name=profile.name)
        )

    def keep(tokens: TokenPair) -> None:
        secrets.save_tokens(profile.name, tokens.access_token, tokens.refresh_token)
        log.info('refreshed OAuth tokens of "%s" saved', profile.name)

    return OAuthAuth(
        profile.portal_url,
        access,
        refresh,
        profile.oauth_client_id,
        client_secret,
        oauth_server=profile.oauth_server or DEFAULT_OAUTH_SERVER,
        on_tokens=keep,
    )


def _pace(target: ConnectionTarget) -> Pace | None:
    """A fixed pace from the profile, or None when the portal's plan decides ("auto")."""
    preset = target.profile.rate_preset if target.profile is not None else "auto"
    return {"standard": STANDARD, "enterprise": ENTERPRISE}.get(preset)


def _tls(target: ConnectionTarget, ca_bundle: str | None) -> ssl.SSLContext | None:
    """The TLS context trusting the chosen CA file, or None for the OS trust store alone.

    Checked here, before any client exists, so that a wrong file is a plain settings
    problem rather than an error deep inside the HTTP client.
    """
    chosen = ca_bundle or (target.profile.ca_bundle if target.profile is not None else None)
    if chosen is None:
        return None
    if not Path(chosen).is_file():
        raise ProfileError(
            translate(
                "Session",
                "The certificate authority file {path} does not exist: choose the PEM file "
                "your company's IT gave you, or leave it out.",
            ).format(path=chosen)
        )
    try:
        return tls_context(chosen)
    except ValueError:
        raise ProfileError(
            translate(
                "Session",
                "The certificate authority file {path} is not a PEM certificate file: choose "
                "the file your company's IT gave you (it starts with -----BEGIN "
                "CERTIFICATE-----), or leave it out.",
            ).format(path=chosen)
        ) from None


class PortalSession:
    """Everything needed to work with one portal; close it (or use `async with`) when done."""

    def __init__(
        self,
        target: ConnectionTarget,
        client: BitrixClient,
        journal: Journal,
        engine: RenewEngine,
    ) -> None:
        self.target = target
        self.client = client
        self.journal = journal
        self.engine = engine

    @property
    def profile(self) -> Profile | None:
        return self.target.profile

    @property
    def auth(self) -> Auth:
        return self.client.auth

    @property
    def portal_url(self) -> str:
        return self.target.portal_url

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


async def open_session(
    connections: Connections,
    target: ConnectionTarget,
    *,
    journal_path: Path | None = None,
    ca_bundle: str | None = None,
    detect_rate: bool = True,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
) -> PortalSession:
    """A ready session for `target`.

    With the "auto" rate preset and `detect_rate`, the portal's licence is asked once
    (`app.info`) to pace for its plan; that call is where an unreachable portal shows up
    (as a B24Error). Raises ProfileError, KeyringUnavailable or B24Error.
    """
    # Reading the password store can mean a D-Bus round trip or an unlock prompt: off the
    # loop, which in the window is the GUI thread.
    auth = await asyncio.to_thread(build_auth, connections, target)
    pace = _pace(target)
    client = BitrixClient(
        auth,
        transport=transport,
        rate_preset=pace or STANDARD,
        verify=_tls(target, ca_bundle),
        retry=retry,
    )
    try:
        if pace is None and detect_rate:
            await client.detect_rate_preset()
        journal = Journal(journal_path or paths.journal_path())
        engine = RenewEngine(client, journal, portal=target.portal_url)
    except BaseException:
        await client.aclose()
        raise
    log.info("session opened for %s (%s)", target.portal_url, target.source)
    return PortalSession(target, client, journal, engine)
