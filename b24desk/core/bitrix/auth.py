"""Who the client speaks as: an incoming webhook, or an OAuth app with refreshable tokens.

An auth strategy tells the client where to send a method and what to add to the body, and
(OAuth only) how to get a new access token after the portal said `expired_token`.
"""

from __future__ import annotations

import abc
import asyncio
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from b24desk.core.bitrix._log import redacted_logger
from b24desk.core.bitrix._wire import decode_json, transport_error
from b24desk.core.bitrix.errors import (
    ApiError,
    B24Error,
    ExpiredToken,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from b24desk.core.credentials.webhook_url import (
    MSG_CODE_INVALID,
    WebhookUrlError,
    is_webhook_code,
    oauth_server_address,
    portal_address,
)
from b24desk.core.redact import MASK, register_secret

__all__ = ["Auth", "OAuthAuth", "PreparedAuth", "TokenPair", "WebhookAuth", "token_pair_from"]

logger = redacted_logger(__name__)

DEFAULT_OAUTH_SERVER = "https://oauth.bitrix.info"

_METHOD_NAME = re.compile(r"^[A-Za-z0-9_.]+$")


@dataclass(frozen=True, slots=True)
class PreparedAuth:
    """Where to send one call and what to add to its JSON body, for one token generation."""

    # The URL carries a webhook code and the body an access token: keep both out of reprs.
    url: str = field(repr=False)
    body: dict[str, str] = field(repr=False)
    generation: int


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: float | None = None

    def __repr__(self) -> str:
        return f"TokenPair(access_token={MASK!r}, refresh_token={MASK!r}, ...)"


class Auth(abc.ABC):
    """The part of the client that knows the credentials."""

    portal_url: str

    @abc.abstractmethod
    def prepare(self, method: str) -> PreparedAuth:
        """URL and body additions for calling `method` with the current credentials."""

    @property
    def can_refresh(self) -> bool:
        return False

    async def refresh(self, http: httpx.AsyncClient, seen_generation: int) -> None:
        """Get new credentials after `expired_token`; only OAuth can."""
        raise ExpiredToken("expired_token", "credentials cannot be refreshed")


class WebhookAuth(Auth):
    """`https://<portal>/rest/<user_id>/<code>/<method>`: the code is the password."""

    def __init__(self, portal_url: str, user_id: int, code: str) -> None:
        self.portal_url = portal_address(portal_url)
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
            raise ValueError("the webhook user id must be a positive whole number")
        if not is_webhook_code(code):
            # Never echo the code: it is the secret.
            raise WebhookUrlError(MSG_CODE_INVALID)
        register_secret(code)
        self.user_id = user_id
        self._code = code

    def prepare(self, method: str) -> PreparedAuth:
        _check_method(method)
        url = f"{self.portal_url}/rest/{self.user_id}/{self._code}/{method}"
        return PreparedAuth(url=url, body={}, generation=0)

    def __repr__(self) -> str:
        return f"WebhookAuth({self.portal_url!r}, user_id={self.user_id}, code={MASK!r})"


@dataclass(slots=True)
class _RefreshState:
    generation: int = 0
    failure: B24Error | None = None
    failed_generation: int = -1
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class OAuthAuth(Auth):
    """Access token in the body (`auth`); refreshed only after the portal says it expired.

    However many calls hit `expired_token` at once, exactly one refresh request goes out: the
    others wait on the lock and then see that the generation moved on. A refresh that failed
    for good (e.g. `invalid_grant`) is remembered for its generation, so the waiters re-raise
    it instead of each spending the dead refresh token again.
    """

    def __init__(
        self,
        portal_url: str,
        access_token: str,
        refresh_token: str,
        client_id: str,
        client_secret: str,
        oauth_server: str = DEFAULT_OAUTH_SERVER,
        on_tokens: Callable[[TokenPair], None] | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.portal_url = portal_address(portal_url)
        self.oauth_server = oauth_server_address(oauth_server)
        for name, value in (
            ("access token", access_token),
            ("refresh token", refresh_token),
            ("client id", client_id),
            ("client secret", client_secret),
        ):
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"the OAuth {name} is empty")
        for secret in (access_token, refresh_token, client_secret):
            register_secret(secret)
        self.client_id = client_id
        self._client_secret = client_secret
        self._tokens = TokenPair(access_token, refresh_token)
        self._on_tokens = on_tokens
        self._clock = clock
        self._state = _RefreshState()

    @property
    def tokens(self) -> TokenPair:
        return self._tokens

    @property
    def generation(self) -> int:
        return self._state.generation

    @property
    def can_refresh(self) -> bool:
        return True

    def prepare(self, method: str) -> PreparedAuth:
        _check_method(method)
        return PreparedAuth(
            url=f"{self.portal_url}/rest/{method}",
            body={"auth": self._tokens.access_token},
            generation=self._state.generation,
        )

    async def refresh(self, http: httpx.AsyncClient, seen_generation: int) -> None:
        state = self._state
        async with state.lock:
            if state.generation != seen_generation:
                return  # another call refreshed while this one waited
            if state.failure is not None and state.failed_generation == seen_generation:
                raise state.failure
            try:
                tokens = await self._request_tokens(http)
            except B24Error as error:
                if not _is_transient(error):
                    state.failure, state.failed_generation = error, seen_generation
                raise
            self._tokens = tokens
            state.generation += 1
            logger.info("OAuth access token refreshed (generation %d)", state.generation)
        self._hand_over(tokens)

    async def _request_tokens(self, http: httpx.AsyncClient) -> TokenPair:
        params = {
            "grant_type": "refresh_token",
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "refresh_token": self._tokens.refresh_token,
        }
        try:
            response = await http.get(f"{self.oauth_server}/oauth/token/", params=params)
        except httpx.HTTPError as exc:
            raise transport_error(exc, "oauth token refresh") from None
        payload = decode_json(response, "oauth token refresh")
        tokens = token_pair_from(payload, self._clock)
        if tokens is None:
            raise UnexpectedResponse(
                "the OAuth server's answer has no access_token/refresh_token", http_status=200
            )
        return tokens

    def _hand_over(self, tokens: TokenPair) -> None:
        if self._on_tokens is None:
            return
        try:
            self._on_tokens(tokens)
        except Exception:
            # The new pair is live in memory; losing it on disk only costs a sign-in later.
            logger.warning("saving the refreshed OAuth tokens failed", exc_info=True)

    def __repr__(self) -> str:
        return f"OAuthAuth({self.portal_url!r}, client_id={self.client_id!r}, tokens={MASK!r})"


def _check_method(method: str) -> None:
    if not _METHOD_NAME.match(method):
        raise ValueError(f"not a Bitrix24 method name: {method!r}")


def token_pair_from(payload: Mapping[str, Any], clock: Callable[[], float]) -> TokenPair | None:
    """The tokens of an OAuth server answer (registered for redaction), or None without them.

    `expires` (unix time) wins over `expires_in` (seconds from `clock()`).
    """
    access, refresh = payload.get("access_token"), payload.get("refresh_token")
    if not isinstance(access, str) or not access or not isinstance(refresh, str) or not refresh:
        return None
    register_secret(access)
    register_secret(refresh)
    return TokenPair(access, refresh, _expiry(payload, clock))


def _expiry(payload: Mapping[str, Any], clock: Callable[[], float]) -> float | None:
    expires, expires_in = payload.get("expires"), payload.get("expires_in")
    if isinstance(expires, int | float) and not isinstance(expires, bool):
        return float(expires)
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
        return clock() + float(expires_in)
    return None


def _is_transient(error: B24Error) -> bool:
    if isinstance(error, TransportError):
        return True
    if isinstance(error, UnexpectedResponse):
        return error.http_status >= 500 or error.http_status == 0
    # API errors by class (the `error` string), never by HTTP status: see errors.py.
    if not isinstance(error, ApiError):
        return False
    return error.call_did_not_run or isinstance(error, ServerError)
