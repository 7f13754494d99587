"""The connection check: can b24desk reopen tasks on this portal, and if not, why not.

Four cheap calls, in the order that makes the answer most precise: `profile` (who are we,
and is the portal there at all?), `scope` (was `task` granted?), `method.get` for
`tasks.task.renew` (or the deprecated `task.item.renew` on old portals), and `app.info`
(the licence, which sets the request rate). The verdict is one sentence an admin without
technical knowledge understands, with what to do about it.

`verdict_for_error` gives the same sentences for an error met later (listing, renewing),
so the window and the CLI explain a broken connection the same way wherever it shows up.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.bitrix.auth import OAuthAuth
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.bitrix.errors import (
    AccessDenied,
    ApiError,
    AuthError,
    B24Error,
    ConnectFailed,
    InsufficientScope,
    InvalidCredentials,
    MethodNotFound,
    OperationTimeLimit,
    Overload,
    PortalDeleted,
    QueryLimitExceeded,
    RequestTimeout,
    RestUnavailable,
    ServerError,
    TLSError,
    TransportError,
    UnexpectedRedirect,
    UnexpectedResponse,
    portal_text,
)
from b24desk.core.bitrix.tasks import MethodState, method_state
from b24desk.core.i18n import translate
from b24desk.core.redact import redact, redacted_logger

__all__ = [
    "ConnectionVerdict",
    "VerdictKind",
    "check_connection",
    "portal_label",
    "verdict_for_error",
]

log = redacted_logger(__name__)

TASK_SCOPE = "task"

# getaddrinfo's texts for "no such name" on Linux, macOS and Windows.
_NAME_NOT_FOUND = re.compile(
    r"name or service not known|nodename nor servname|getaddrinfo failed|"
    r"no address associated|name resolution|errno -[235]\b|errno 1100[14]",
    re.IGNORECASE,
)


class VerdictKind(enum.StrEnum):
    READY = "ready"
    WRONG_CODE = "wrong_code"
    SIGN_IN_EXPIRED = "sign_in_expired"
    NO_TASK_SCOPE = "no_task_scope"
    NO_RENEW_METHOD = "no_renew_method"
    REST_UNAVAILABLE = "rest_unavailable"
    ACCESS_DENIED = "access_denied"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    TLS = "tls"
    NOT_BITRIX = "not_bitrix"
    PORTAL_DELETED = "portal_deleted"
    RATE_LIMITED = "rate_limited"
    OVERLOADED = "overloaded"
    SERVER_ERROR = "server_error"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ConnectionVerdict:
    """What the check found; `message` is the one sentence to show."""

    ok: bool
    kind: VerdictKind
    message: str
    portal: str
    """The portal as shown to people: host (and port, if not the default)."""
    user_name: str = ""
    user_id: int | None = None
    admin: bool = False
    legacy: bool = False
    """Only the deprecated task.item.renew is there (old self-hosted portals)."""
    rate_preset: str | None = None
    """"standard" or "enterprise", as far as the licence tells; None when not checked."""
    scopes: tuple[str, ...] = ()
    error_code: str = ""
    """The technical code behind a failed check (for logs and support), never a secret."""


def portal_label(portal_url: str) -> str:
    """`https://anna.bitrix24.com` -> `anna.bitrix24.com`; keeps a non-default port.

    A portal with a name in another alphabet is shown as people write it
    (`https://xn--80a1acny.xn--p1ai` -> `портал.рф`), not in its `xn--` transport form.
    """
    netloc = urlsplit(portal_url).netloc or portal_url
    if "xn--" not in netloc.lower():
        return netloc
    host, colon, port = netloc.rpartition(":") if not netloc.endswith("]") else (netloc, "", "")
    if not colon or not port.isdigit():
        host, colon, port = netloc, "", ""
    try:
        shown = host.encode("ascii").decode("idna")
    except UnicodeError:
        return netloc
    return f"{shown}{colon}{port}"


async def check_connection(client: BitrixClient) -> ConnectionVerdict:
    """Ask the portal who we are and whether tasks can be reopened; never raises B24Error."""
    portal = portal_label(client.auth.portal_url)
    oauth = isinstance(client.auth, OAuthAuth)
    try:
        return await _check(client, portal, oauth)
    except B24Error as error:
        verdict = verdict_for_error(error, portal, oauth=oauth)
        log.warning("connection check of %s failed: %s (%s)", portal, verdict.kind, error)
        return verdict


async def _check(client: BitrixClient, portal: str, oauth: bool) -> ConnectionVerdict:
    me = _mapping((await client.call("profile")).result)
    user_name, user_id, admin = _user_of(me)
    scopes = tuple(str(s) for s in _list((await client.call("scope")).result))
    known = ConnectionVerdict(
        False,
        VerdictKind.UNKNOWN,
        "",
        portal,
        user_name=user_name,
        user_id=user_id,
        admin=admin,
        scopes=scopes,
    )
    no_scope = replace(known, kind=VerdictKind.NO_TASK_SCOPE, message=_no_task_scope(portal, oauth))
    if TASK_SCOPE not in scopes:
        return no_scope
    renew = await method_state(client, tasks_api.RENEW)
    if renew is MethodState.UNAVAILABLE:
        return no_scope
    legacy = renew is MethodState.MISSING
    if legacy and await method_state(client, tasks_api.LEGACY_RENEW) is not (MethodState.AVAILABLE):
        return replace(
            known,
            kind=VerdictKind.NO_RENEW_METHOD,
            message=translate(
                "Connection",
                "The portal {portal} offers no way to reopen tasks through its REST "
                "interface, which happens only on very old Bitrix24 versions: update the "
                "portal, then check again.",
            ).format(portal=portal),
        )
    preset = await client.detect_rate_preset()
    log.info("connection check of %s: ready (legacy=%s, %s rate)", portal, legacy, preset.name)
    return replace(
        known,
        ok=True,
        kind=VerdictKind.READY,
        message=_ready(portal, user_name, admin, legacy),
        legacy=legacy,
        rate_preset=preset.name,
    )


def _ready(portal: str, user_name: str, admin: bool, legacy: bool) -> str:
    if admin:
        who = translate("Connection", "Connected to {portal} as {user} (administrator).")
    else:
        who = translate(
            "Connection",
            "Connected to {portal} as {user} (not an administrator, so only tasks this user "
            "may change can be reopened).",
        )
    if legacy:
        ready = translate(
            "Connection",
            "Ready to reopen tasks (with the older method this portal version offers).",
        )
    else:
        ready = translate("Connection", "Ready to reopen tasks.")
    return f"{who.format(portal=portal, user=user_name)} {ready}"


def _no_task_scope(portal: str, oauth: bool) -> str:
    if oauth:
        return translate(
            "Connection",
            "The application on the portal {portal} lacks the Tasks (task) permission: add "
            "it to the local application's permissions in Bitrix24, then sign in again.",
        ).format(portal=portal)
    return translate(
        "Connection",
        "The webhook works, but it lacks the Tasks (task) permission: in Bitrix24 open "
        "{place}, edit this webhook, add Tasks (task) to its permissions, save, and check "
        "again.",
    ).format(portal=portal, place=_webhook_place())


def _webhook_place() -> str:
    """Where incoming webhooks live, in both the older and the newer Bitrix24 menus."""
    return translate(
        "Connection",
        "Developer resources (under Applications in newer portals) > Other > Inbound webhook",
    )


def verdict_for_error(error: B24Error, portal: str, *, oauth: bool = False) -> ConnectionVerdict:
    """The verdict, in the same plain words as the check, for an error met at any time.

    Every sentence names the portal with a noun ("the portal {portal}", "the address
    {portal}"), so one whose name is not known yet (`portal=""`) still reads right.
    """
    kind, message = _explain(error, portal, oauth)
    if not portal.strip():
        message = _without_name(message)
    code = error.code if isinstance(error, ApiError) else type(error).__name__
    return ConnectionVerdict(False, kind, redact(message), portal, error_code=redact(code))


def _without_name(message: str) -> str:
    """A sentence formatted with an empty portal name, its gaps closed."""
    message = re.sub(r"[\s\u00a0]*«\s*»", "", message)
    message = re.sub(r"[ \u00a0]+([:;,.)])", r"\1", message)
    return re.sub(r"[ \u00a0]{2,}", " ", message)


def _explain(error: B24Error, portal: str, oauth: bool) -> tuple[VerdictKind, str]:
    if isinstance(error, InvalidCredentials) and not oauth:
        return VerdictKind.WRONG_CODE, translate(
            "Connection",
            "The portal {portal} did not accept this webhook, so its code is wrong or the "
            "webhook was deleted or has expired: in Bitrix24 open {place}, copy the webhook "
            "URL again (or create a new webhook) and add it again.",
        ).format(portal=portal, place=_webhook_place())
    if isinstance(error, AuthError):
        return VerdictKind.SIGN_IN_EXPIRED, translate(
            "Connection",
            "The sign-in to the portal {portal} is no longer valid (it expired, or the application "
            "was removed or its secret changed): sign in to the portal again.",
        ).format(portal=portal)
    if isinstance(error, InsufficientScope):
        return VerdictKind.NO_TASK_SCOPE, _no_task_scope(portal, oauth)
    if isinstance(error, RestUnavailable):
        return VerdictKind.REST_UNAVAILABLE, translate(
            "Connection",
            "The portal {portal} does not allow webhooks or applications on its current "
            "plan, because Bitrix24 offers them only on commercial plans: upgrade the "
            "portal's plan, then check again.",
        ).format(portal=portal)
    if isinstance(error, AccessDenied):
        detail = portal_text(error.description).rstrip("!") or translate(
            "Connection", "no reason given"
        )
        return VerdictKind.ACCESS_DENIED, translate(
            "Connection",
            "The portal {portal} refused access ({detail}): ask the portal's administrator "
            "to check this user's and this webhook's rights.",
        ).format(portal=portal, detail=detail)
    if isinstance(error, PortalDeleted):
        return VerdictKind.PORTAL_DELETED, translate(
            "Connection",
            "The portal {portal} has been deleted or closed: check the address, or ask "
            "Bitrix24 support if it should still exist.",
        ).format(portal=portal)
    if isinstance(error, Overload):
        return VerdictKind.OVERLOADED, translate(
            "Connection",
            "Bitrix24 support has blocked REST access to the portal {portal} because of "
            "overload, and retrying will not help: contact Bitrix24 support.",
        ).format(portal=portal)
    if isinstance(error, QueryLimitExceeded | OperationTimeLimit):
        return VerdictKind.RATE_LIMITED, translate(
            "Connection",
            "The portal {portal} is refusing requests because it received too many of them "
            "(from b24desk or other applications): wait a few minutes, then try again.",
        ).format(portal=portal)
    if isinstance(error, ServerError):
        return VerdictKind.SERVER_ERROR, translate(
            "Connection",
            "The portal {portal} had an internal error: try again in a few minutes, and "
            "contact Bitrix24 support if it keeps happening.",
        ).format(portal=portal)
    if isinstance(error, MethodNotFound):
        return VerdictKind.NOT_BITRIX, _not_bitrix(portal)
    if isinstance(error, ApiError):
        return VerdictKind.UNKNOWN, translate(
            "Connection",
            "The portal {portal} reported a problem ({detail}): "
            "check the connection settings, and try again later.",
        ).format(portal=portal, detail=error.detail)
    return _explain_transport(error, portal)


def _explain_transport(error: B24Error, portal: str) -> tuple[VerdictKind, str]:
    if isinstance(error, TLSError):
        return VerdictKind.TLS, translate(
            "Connection",
            "The secure connection to the portal {portal} could not be verified, so nothing "
            "was sent to it: check that the address starts with https:// and is your "
            "portal's, and if the portal runs on your company's own server, add its "
            "certificate authority file to the connection.",
        ).format(portal=portal)
    if isinstance(error, ConnectFailed):
        if _NAME_NOT_FOUND.search(str(error)):
            return VerdictKind.UNREACHABLE, translate(
                "Connection",
                "The address {portal} does not exist on the internet: check it for typing "
                "mistakes (it looks like yourcompany.bitrix24.com) and that this computer is "
                "online.",
            ).format(portal=portal)
        return VerdictKind.UNREACHABLE, translate(
            "Connection",
            "Nothing answers at the address {portal}: check the address and this computer's "
            "internet connection, and if the portal runs on your company's own server, that it is "
            "switched on.",
        ).format(portal=portal)
    if isinstance(error, RequestTimeout):
        return VerdictKind.TIMEOUT, translate(
            "Connection",
            "The portal {portal} did not answer in time: check this computer's internet "
            "connection, then try again in a few minutes.",
        ).format(portal=portal)
    if isinstance(error, TransportError):
        return VerdictKind.UNREACHABLE, translate(
            "Connection",
            "The connection to the portal {portal} broke off before it answered: check this "
            "computer's internet connection, then try again.",
        ).format(portal=portal)
    if isinstance(error, UnexpectedRedirect):
        return VerdictKind.NOT_BITRIX, translate(
            "Connection",
            "The address {portal} sent b24desk to a sign-in or other web page instead of "
            "answering as a Bitrix24 portal: check that it is your portal's address and that "
            "the webhook URL was copied completely.",
        ).format(portal=portal)
    if isinstance(error, UnexpectedResponse) and error.looks_like_html and error.http_status >= 500:
        return VerdictKind.SERVER_ERROR, translate(
            "Connection",
            "The portal {portal} answered with an error page (HTTP {status}): it "
            "may be briefly unavailable, so try again in a few minutes.",
        ).format(portal=portal, status=error.http_status)
    if isinstance(error, UnexpectedResponse):
        return VerdictKind.NOT_BITRIX, _not_bitrix(portal)
    return VerdictKind.UNKNOWN, translate(
        "Connection",
        "Something went wrong while talking to the portal {portal} ({detail}): try again later.",
    ).format(portal=portal, detail=error.user_message.rstrip("."))


def _not_bitrix(portal: str) -> str:
    return translate(
        "Connection",
        "The address {portal} answered, but not like a Bitrix24 portal: check that it is "
        "your portal's address and that the whole webhook URL was copied.",
    ).format(portal=portal)


def _user_of(me: Mapping[str, Any]) -> tuple[str, int | None, bool]:
    raw_id = str(me.get("ID") or "").strip()
    user_id = int(raw_id) if raw_id.isdigit() else None
    name = " ".join(str(me.get(k) or "").strip() for k in ("NAME", "LAST_NAME")).strip()
    if not name:
        name = (
            translate("Connection", "user #{id}").format(id=user_id)
            if user_id is not None
            else translate("Connection", "an unnamed user")
        )
    return name, user_id, _truthy(me.get("ADMIN"))


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().upper() in ("Y", "YES", "TRUE", "1")
    return bool(value)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    # PHP sends an empty list as [] and a list with holes as an object.
    if isinstance(value, Mapping):
        return list(value.values())
    return list(value) if isinstance(value, list) else []
