"""Webhook codes and the OAuth side (brief section 6): tokens, refresh, authorization codes.

The portal plays both the portal and the OAuth server (`/oauth/token/`), so a client under
test is pointed at the sandbox instead of oauth.bitrix.info. Every secret it issues starts
with "sandbox" so that nobody mistakes it for a real one.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from b24desk.sandbox import errors
from b24desk.sandbox.config import PortalConfig
from b24desk.sandbox.errors import RestError
from b24desk.sandbox.protocol import Reply, html_reply, json_reply


@dataclass
class Grant:
    user_id: int
    scopes: tuple[str, ...]
    expires_at: float


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: float
    expires_in: int


def webhook_code_for(seed: int) -> str:
    return "sandbox" + hashlib.sha256(f"webhook-{seed}".encode()).hexdigest()[:13]


def member_id_for(seed: int) -> str:
    return hashlib.md5(f"sandbox-member-{seed}".encode(), usedforsecurity=False).hexdigest()


def oauth_error(status: int, code: str, description: str) -> RestError:
    return RestError(status, code, description)


class TokenStore:
    """Issued OAuth access tokens, refresh tokens and authorization codes."""

    def __init__(self, config: PortalConfig) -> None:
        self.config = config
        self._random = random.Random(f"tokens-{config.seed}")
        self._access: dict[str, Grant] = {}
        self._refresh: dict[str, Grant] = {}
        self._codes: dict[str, Grant] = {}

    def _secret(self, kind: str) -> str:
        return f"sandbox{kind}{self._random.getrandbits(96):024x}"

    def issue(self, now: float) -> TokenPair:
        config = self.config
        access = self._secret("access")
        refresh = self._secret("refresh")
        expires_at = now + config.access_token_lifetime_s
        self._access[access] = Grant(config.user_id, config.app_scopes, expires_at)
        self._refresh[refresh] = Grant(
            config.user_id, config.app_scopes, now + config.refresh_token_lifetime_s
        )
        return TokenPair(access, refresh, expires_at, int(config.access_token_lifetime_s))

    def check_access(self, token: str, now: float) -> Grant:
        grant = self._access.get(token)
        if grant is None:
            raise errors.invalid_token()
        if now >= grant.expires_at:
            raise errors.expired_token()
        return grant

    def refresh(self, refresh_token: str, now: float) -> TokenPair:
        grant = self._refresh.pop(refresh_token, None)  # single use
        if grant is None or now >= grant.expires_at:
            raise oauth_error(400, "invalid_grant", "Invalid refresh token")
        return self.issue(now)

    def new_code(self, now: float) -> str:
        code = self._secret("code")
        config = self.config
        self._codes[code] = Grant(
            config.user_id, config.app_scopes, now + config.auth_code_lifetime_s
        )
        return code

    def redeem(self, code: str, now: float) -> TokenPair:
        grant = self._codes.pop(code, None)  # single use
        if grant is None:
            raise oauth_error(400, "invalid_grant", "Invalid authorization code")
        if now >= grant.expires_at:
            raise oauth_error(400, "invalid_grant", "Authorization code has expired")
        return self.issue(now)


def _host(base_url: str) -> str:
    return urlsplit(base_url).netloc


def _token_payload(
    config: PortalConfig, pair: TokenPair, base_url: str, *, refreshed: bool
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "access_token": pair.access_token,
        "client_endpoint": f"{base_url}/rest/",
        "domain": _host(base_url),
        "expires_in": pair.expires_in,
        "member_id": member_id_for(config.seed),
        "refresh_token": pair.refresh_token,
        "scope": ",".join(config.app_scopes),
        "server_endpoint": f"{base_url}/rest/",
        "status": "L",
    }
    if refreshed:
        # Only the refresh example in the docs carries these two.
        payload["expires"] = int(pair.expires_at)
        payload["user_id"] = config.user_id
        payload = dict(sorted(payload.items()))
    return payload


def _check_client(config: PortalConfig, params: dict[str, Any]) -> None:
    if str(params.get("client_id", "")) != config.client_id:
        raise oauth_error(401, "invalid_client", "Unknown client_id")
    if str(params.get("client_secret", "")) != config.client_secret:
        raise oauth_error(401, "invalid_client", "Wrong client_secret")


def token_endpoint(store: TokenStore, params: dict[str, Any], base_url: str, now: float) -> Reply:
    """`/oauth/token/`: grant_type refresh_token or authorization_code."""
    config = store.config
    try:
        grant_type = str(params.get("grant_type", ""))
        if grant_type not in ("refresh_token", "authorization_code"):
            raise oauth_error(400, "invalid_request", f"Unsupported grant_type {grant_type!r}")
        _check_client(config, params)
        if grant_type == "refresh_token":
            token = str(params.get("refresh_token", ""))
            if not token:
                raise oauth_error(400, "invalid_request", "refresh_token is required")
            pair = store.refresh(token, now)
        else:
            code = str(params.get("code", ""))
            if not code:
                raise oauth_error(400, "invalid_request", "code is required")
            pair = store.redeem(code, now)
    except RestError as error:
        return json_reply(error.http_status, error.body())
    payload = _token_payload(config, pair, base_url, refreshed=grant_type == "refresh_token")
    return json_reply(200, payload)


def authorize_page(store: TokenStore, params: dict[str, Any], base_url: str, now: float) -> Reply:
    """`/oauth/authorize/`: the user is already logged in and allows the app at once."""
    config = store.config
    if str(params.get("client_id", "")) != config.client_id:
        error = oauth_error(400, "invalid_client", "Unknown client_id")
        return json_reply(error.http_status, error.body())
    redirect_uri = str(params.get("redirect_uri", ""))
    if not redirect_uri:
        error = oauth_error(400, "invalid_request", "redirect_uri is required")
        return json_reply(error.http_status, error.body())
    answer = {
        "code": store.new_code(now),
        "state": str(params.get("state", "")),
        "domain": _host(base_url),
        "member_id": member_id_for(config.seed),
        "scope": ",".join(config.app_scopes),
        "server_domain": _host(base_url),
    }
    separator = "&" if "?" in redirect_uri else "?"
    location = f"{redirect_uri}{separator}{urlencode(answer)}"
    return html_reply(
        302, '<html><body><a href="redirect">Redirecting</a></body></html>', {"Location": location}
    )
