"""Signing in a local Bitrix24 application (OAuth 2.0 authorization code), from the desktop.

The admin gives the application's client id and secret (Connections.add_oauth keeps them).
Then `OAuthSignIn`:

1. listens once on 127.0.0.1 at a random port (the redirect address),
2. opens the browser at `https://<portal>/oauth/authorize/?client_id=...&state=...`,
3. takes the code from the redirect (or from what the admin pastes: the code itself or the
   whole address the browser ended on), checking that `state` is the one it sent,
4. exchanges the code at the OAuth server (`https://oauth.bitrix.info/oauth/token/`, or the
   sandbox's own `/oauth/token/`) at once: a code is valid for 30 seconds, and only once.

`sign_in_profile` runs all of it for a saved OAuth profile and puts the tokens in the
password store. Codes and tokens are registered for redaction and never logged.

Why one file of ~570 lines: the sign-in is one sequence (listen, open, take the code, exchange
it at once) that reads top to bottom; its parts have no other user.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import secrets as random_secrets
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from b24desk.core.bitrix._wire import decode_json, transport_error
from b24desk.core.bitrix.auth import (
    DEFAULT_OAUTH_SERVER,
    TokenPair,
    token_pair_from,
)
from b24desk.core.bitrix.client import tls_context
from b24desk.core.bitrix.errors import (
    AuthError,
    B24Error,
    InvalidCredentials,
    InvalidGrant,
    UnexpectedResponse,
)
from b24desk.core.credentials.connections import Connections
from b24desk.core.credentials.profiles import Profile, ProfileError
from b24desk.core.credentials.secrets import SecretKind
from b24desk.core.credentials.webhook_url import oauth_server_address, portal_address
from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.redact import MASK, redact, redacted_logger, register_secret

__all__ = [
    "CALLBACK_PATH",
    "DEFAULT_OAUTH_SERVER",
    "OAuthFlowError",
    "OAuthSignIn",
    "StateMismatch",
    "TokenGrant",
    "authorize_url",
    "code_from_pasted",
    "exchange_code",
    "sign_in_profile",
]

log = redacted_logger(__name__)

CALLBACK_PATH = "/b24desk/oauth/callback"
DEFAULT_TIMEOUT_S = 300.0
_MAX_REQUEST_BYTES = 16 * 1024

_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>b24desk</title></head>"
    "<body style='font-family:sans-serif;margin:3em'><h2>{title}</h2><p>{text}</p></body></html>"
)
# (title, text) of the pages the browser shows, translated when one is served.
_DONE_PAGE = (
    QT_TRANSLATE_NOOP("OAuth", "b24desk is signed in"),
    QT_TRANSLATE_NOOP("OAuth", "You can close this tab and go back to b24desk."),
)
_REFUSED_PAGE = (
    QT_TRANSLATE_NOOP("OAuth", "Sign-in not completed"),
    QT_TRANSLATE_NOOP("OAuth", "Go back to b24desk to see what to do next."),
)
_FOREIGN_PAGE = (
    QT_TRANSLATE_NOOP("OAuth", "Not for b24desk"),
    QT_TRANSLATE_NOOP(
        "OAuth", "This answer does not belong to the sign-in b24desk started, so it was ignored."
    ),
)


def _page(texts: tuple[str, str]) -> str:
    title, text = (html.escape(translate("OAuth", part)) for part in texts)
    return _PAGE.format(title=title, text=text)


OpenBrowser = Callable[[str], object]


class OAuthFlowError(Exception):
    """The sign-in did not complete; the message says why and what to do."""


class StateMismatch(OAuthFlowError):
    """An answer carrying another `state`: not produced by this sign-in (maybe forged)."""


@dataclass(frozen=True, slots=True, repr=False)
class TokenGrant:
    """What the OAuth server gave for a code: tokens, and where they belong."""

    access_token: str
    refresh_token: str
    expires_at: float | None
    domain: str = ""
    client_endpoint: str = ""
    member_id: str = ""
    scope: str = ""

    @property
    def pair(self) -> TokenPair:
        return TokenPair(self.access_token, self.refresh_token, self.expires_at)

    def __repr__(self) -> str:
        return f"TokenGrant(domain={self.domain!r}, scope={self.scope!r}, tokens={MASK!r})"


def authorize_url(
    portal_url: str, client_id: str, state: str, redirect_uri: str | None = None
) -> str:
    """The portal's page where the signed-in user allows the application."""
    portal = portal_address(portal_url)
    query = {"client_id": client_id, "state": state}
    if redirect_uri:
        query["redirect_uri"] = redirect_uri
    return f"{portal}/oauth/authorize/?{urlencode(query)}"


def code_from_pasted(text: str, expected_state: str) -> str:
    """The authorization code in what the admin pasted: the code, or the whole address.

    An address carrying a different `state` was not produced by this sign-in and is refused.
    """
    cleaned = text.strip().strip("\"'<>")
    if not cleaned:
        raise OAuthFlowError(
            translate(
                "OAuth",
                "Nothing was pasted: copy the whole address the browser shows after you "
                "allowed the application, and paste it here.",
            )
        )
    if "=" not in cleaned and "/" not in cleaned and "?" not in cleaned:
        if not _looks_like_code(cleaned):
            raise OAuthFlowError(
                translate(
                    "OAuth",
                    "This is not an authorization code: copy the whole address the browser "
                    "shows after you allowed the application, and paste it here.",
                )
            )
        register_secret(cleaned)
        return cleaned
    query = urlsplit(cleaned).query if "?" in cleaned else cleaned
    return _code_from_query(parse_qs(query), expected_state)


def _looks_like_code(text: str) -> bool:
    return 8 <= len(text) <= 512 and all(ch.isalnum() or ch in "-_.~" for ch in text)


def _code_from_query(params: dict[str, list[str]], expected_state: str) -> str:
    def first(name: str) -> str:
        values = params.get(name) or [""]
        return values[0].strip()

    if first("error"):
        denied = first("error") in ("access_denied", "ACCESS_DENIED")
        if denied:
            raise OAuthFlowError(
                translate(
                    "OAuth",
                    "The sign-in was refused in the browser: allow the application on the "
                    "portal's page, then try again.",
                )
            )
        raise OAuthFlowError(
            translate(
                "OAuth",
                "The portal did not complete the sign-in ({reason}): check the application's "
                "settings in Bitrix24, then try again.",
            ).format(reason=redact(first("error_description") or first("error")))
        )
    code = first("code")
    if not code:
        raise OAuthFlowError(
            translate(
                "OAuth",
                "The pasted address has no authorization code in it: copy the whole address "
                "the browser shows after you allowed the application, and paste it here.",
            )
        )
    register_secret(code)
    if first("state") != expected_state:
        raise StateMismatch(
            translate(
                "OAuth",
                "This answer does not belong to the sign-in b24desk started (its state does "
                "not match), so it was not used: start the sign-in again.",
            )
        )
    return code


async def exchange_code(
    code: str,
    client_id: str,
    client_secret: str,
    *,
    oauth_server: str = DEFAULT_OAUTH_SERVER,
    transport: httpx.AsyncBaseTransport | None = None,
    verify: str | None = None,
    http_timeout_s: float = 30.0,
) -> TokenGrant:
    """Trade an authorization code for tokens at the OAuth server (GET /oauth/token/)."""
    server = oauth_server_address(oauth_server)
    register_secret(code)
    register_secret(client_secret)
    params = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "client_secret": client_secret,
        "code": code,
    }
    context = None if transport is not None else tls_context(verify)
    async with httpx.AsyncClient(
        transport=transport,
        verify=context if context is not None else True,
        timeout=http_timeout_s,
        follow_redirects=False,
    ) as http:
        try:
            response = await http.get(f"{server}/oauth/token/", params=params)
        except httpx.HTTPError as exc:
            raise _flow_error(transport_error(exc, "oauth code exchange")) from None
        try:
            payload = decode_json(response, "oauth code exchange")
        except B24Error as error:
            raise _flow_error(error) from None
    return _grant_from(payload)


def _grant_from(payload: dict[str, Any], clock: Callable[[], float] = time.time) -> TokenGrant:
    tokens = token_pair_from(payload, clock)
    if tokens is None:
        raise OAuthFlowError(
            translate(
                "OAuth",
                "The OAuth server's answer had no tokens in it: check the OAuth server "
                "address, then sign in again.",
            )
        )
    return TokenGrant(
        tokens.access_token,
        tokens.refresh_token,
        tokens.expires_at,
        domain=str(payload.get("domain") or ""),
        client_endpoint=str(payload.get("client_endpoint") or ""),
        member_id=str(payload.get("member_id") or ""),
        scope=str(payload.get("scope") or ""),
    )


def _flow_error(error: B24Error) -> OAuthFlowError:
    if isinstance(error, InvalidGrant):
        message = translate(
            "OAuth",
            "The authorization code was refused (a code works only once and only for 30 "
            "seconds): sign in again.",
        )
    elif isinstance(error, InvalidCredentials | AuthError):
        message = translate(
            "OAuth",
            "The OAuth server did not accept the client id or client secret: copy both again "
            "from the local application's settings in Bitrix24.",
        )
    elif isinstance(error, UnexpectedResponse):
        message = translate(
            "OAuth",
            "The OAuth server address did not answer like a Bitrix24 OAuth server: check it "
            "(normally https://oauth.bitrix.info), then sign in again.",
        )
    else:
        message = translate("OAuth", "The sign-in could not be completed: {reason}").format(
            reason=error.user_message
        )
    log.warning("OAuth code exchange failed: %s", error)
    return OAuthFlowError(redact(message))


# --- the loopback redirect listener ----------------------------------------------------------


class _Listener:
    """A one-shot HTTP server on 127.0.0.1 that waits for the redirect with the code."""

    def __init__(self, expected_state: str, port: int, resolve: Callable[[str], None]) -> None:
        self._state = expected_state
        self._port = port
        self._resolve = resolve
        self._fail: Callable[[OAuthFlowError], None] | None = None
        self._server: asyncio.Server | None = None

    async def start(self, fail: Callable[[OAuthFlowError], None]) -> str:
        self._fail = fail
        try:
            self._server = await asyncio.start_server(self._serve, "127.0.0.1", self._port)
        except OSError as exc:
            raise OAuthFlowError(
                translate(
                    "OAuth",
                    "b24desk could not listen for the sign-in on this computer (port {port}: "
                    "{reason}): choose another port or paste the address instead.",
                ).format(port=self._port, reason=exc.strerror or exc)
            ) from exc
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}{CALLBACK_PATH}"

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            target = await self._request_target(reader)
            status, page = self._handle(target)
            body = page.encode("utf-8")
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n"
                "Cache-Control: no-store\r\n\r\n"
            )
            writer.write(head.encode("ascii") + body)
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            log.debug("a connection to the sign-in listener broke off")
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    @staticmethod
    async def _request_target(reader: asyncio.StreamReader) -> str:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        if len(head) > _MAX_REQUEST_BYTES:
            raise ValueError("request head too large")
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3 or parts[0] != "GET":
            return ""
        return parts[1]

    def _handle(self, target: str) -> tuple[str, str]:
        split = urlsplit(target)
        if split.path != CALLBACK_PATH:
            return "404 Not Found", _page(_FOREIGN_PAGE)  # favicon.ico and the like
        try:
            code = _code_from_query(parse_qs(split.query), self._state)
        except StateMismatch:
            # Someone else's request: ignore it and keep waiting for ours.
            log.warning("ignored a sign-in redirect with a foreign state")
            return "400 Bad Request", _page(_FOREIGN_PAGE)
        except OAuthFlowError as error:
            if self._fail is not None:
                self._fail(error)
            return "400 Bad Request", _page(_REFUSED_PAGE)
        self._resolve(code)
        return "200 OK", _page(_DONE_PAGE)


# --- the whole flow ----------------------------------------------------------------------


class OAuthSignIn:
    """One sign-in attempt: `start()`, then `finish()` (or `paste(text)` then `finish()`).

    async with OAuthSignIn(portal, client_id, secret, oauth_server=...) as flow:
        url = await flow.start()        # opens the browser; show url as a fallback
        grant = await flow.finish()     # waits for the redirect or a pasted answer
    """

    def __init__(
        self,
        portal_url: str,
        client_id: str,
        client_secret: str,
        *,
        oauth_server: str | None = None,
        open_browser: OpenBrowser | None = None,
        listen: bool = True,
        port: int = 0,
        redirect_uri: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: str | None = None,
    ) -> None:
        if not client_id.strip() or not client_secret.strip():
            raise OAuthFlowError(
                translate(
                    "OAuth",
                    "The client id and the client secret are both needed: copy them from the "
                    "local application's settings in Bitrix24.",
                )
            )
        self.portal_url = portal_address(portal_url)
        self.client_id = client_id.strip()
        self._client_secret = client_secret.strip()
        register_secret(self._client_secret)
        self.oauth_server = oauth_server or DEFAULT_OAUTH_SERVER
        self.state = random_secrets.token_urlsafe(24)
        self._open_browser = open_browser if open_browser is not None else webbrowser.open
        self._listener = _Listener(self.state, port, self._resolve) if listen else None
        self._redirect_uri = redirect_uri
        self._transport = transport
        self._verify = verify
        self._code: asyncio.Future[str] | None = None
        self.url: str | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._listener is not None:
            await self._listener.close()

    @property
    def redirect_uri(self) -> str | None:
        return self._redirect_uri

    async def start(self) -> str:
        """Listen for the redirect, open the browser; the URL is returned to show as well."""
        self._code = asyncio.get_running_loop().create_future()
        if self._listener is not None:
            self._redirect_uri = await self._listener.start(self._reject)
        self.url = authorize_url(self.portal_url, self.client_id, self.state, self._redirect_uri)
        try:
            opened = self._open_browser(self.url)
        except Exception as exc:  # webbrowser raises webbrowser.Error and OS errors
            log.warning("could not open the browser: %s", type(exc).__name__)
            opened = False
        if opened is False:
            log.info("no browser opened; the sign-in address has to be opened by hand")
        log.info("OAuth sign-in started for %s", self.portal_url)
        return self.url

    def paste(self, text: str) -> None:
        """Use what the admin pasted (code or redirect address); raises OAuthFlowError."""
        self._resolve(code_from_pasted(text, self.state))

    async def finish(self, wait_s: float | None = DEFAULT_TIMEOUT_S) -> TokenGrant:
        """Wait for the code, then exchange it for tokens at once."""
        if self._code is None:
            raise RuntimeError("call start() before finish()")
        try:
            code = await asyncio.wait_for(asyncio.shield(self._code), wait_s)
        except TimeoutError:
            raise OAuthFlowError(
                translate(
                    "OAuth",
                    "No answer came from the browser in time: start the sign-in again, or "
                    "paste the address the browser shows after you allowed the application.",
                )
            ) from None
        finally:
            await self.aclose()
        return await exchange_code(
            code,
            self.client_id,
            self._client_secret,
            oauth_server=self.oauth_server,
            transport=self._transport,
            verify=self._verify,
        )

    def _resolve(self, code: str) -> None:
        if self._code is not None and not self._code.done():
            self._code.set_result(code)

    def _reject(self, error: OAuthFlowError) -> None:
        if self._code is not None and not self._code.done():
            self._code.set_exception(error)


async def sign_in_profile(
    connections: Connections,
    name: str,
    *,
    open_browser: OpenBrowser | None = None,
    listen: bool = True,
    port: int = 0,
    paste: Callable[[OAuthSignIn], object] | None = None,
    wait_s: float | None = DEFAULT_TIMEOUT_S,
    transport: httpx.AsyncBaseTransport | None = None,
) -> TokenGrant:
    """Sign a saved OAuth profile in and keep its tokens in the password store.

    `paste`, if given, is called once the browser is open, with the flow, so that the caller
    can hand over a pasted answer through `flow.paste(text)`.
    """
    profile = connections.profiles.get(name)
    client_id, client_secret = _oauth_settings(connections, profile)
    async with OAuthSignIn(
        profile.portal_url,
        client_id,
        client_secret,
        oauth_server=profile.oauth_server,
        open_browser=open_browser,
        listen=listen,
        port=port,
        transport=transport,
        verify=profile.ca_bundle,
    ) as flow:
        await flow.start()
        if paste is not None:
            paste(flow)
        grant = await flow.finish(wait_s)
    _warn_if_other_portal(profile, grant)
    connections.secrets.save_tokens(profile.name, grant.access_token, grant.refresh_token)
    log.info('OAuth profile "%s" signed in', profile.name)
    return grant


def _oauth_settings(connections: Connections, profile: Profile) -> tuple[str, str]:
    if profile.auth_kind != "oauth" or not profile.oauth_client_id:
        raise ProfileError(
            translate(
                "OAuth", 'The profile "{name}" connects through a webhook, which needs no sign-in.'
            ).format(name=profile.name)
        )
    secret = connections.secrets.get(profile.name, SecretKind.CLIENT_SECRET)
    if not secret:
        raise ProfileError(
            translate(
                "OAuth",
                'The client secret of the profile "{name}" is not in the password store: '
                "remove the profile and add it again with its client id and secret.",
            ).format(name=profile.name)
        )
    return profile.oauth_client_id, secret


def _warn_if_other_portal(profile: Profile, grant: TokenGrant) -> None:
    expected = urlsplit(profile.portal_url).netloc.lower()
    if grant.domain and grant.domain.lower() != expected:
        # Portals can have several names; the first call will tell if the tokens fit.
        log.warning(
            'OAuth tokens for profile "%s" name the portal %s, not %s',
            profile.name,
            grant.domain,
            expected,
        )
