"""Everything that can go wrong talking to a portal, as one typed tree (modelled on httpx).

B24Error
├── TransportError            the request or its answer was lost on the way
│   ├── ConnectFailed         nothing was sent: the call did not run
│   ├── RequestTimeout
│   ├── ConnectionLost
│   └── TLSError
├── UnexpectedResponse        an answer came, but not Bitrix24 REST JSON
│   └── UnexpectedRedirect
└── ApiError                  Bitrix24 answered with {"error": ..., "error_description": ...}
    ├── QueryLimitExceeded, OperationTimeLimit    (the call did not run; retry later)
    ├── AuthError: InvalidCredentials, ExpiredToken, InvalidToken > InvalidGrant
    ├── InsufficientScope, MethodNotFound, ActionNotAllowed, Overload, PortalDeleted
    ├── AccessDenied > RestUnavailable
    └── ServerError

API errors are classified by the `error` string, case-insensitively, never by the HTTP status:
the portal reports the same condition with different statuses across versions.
Every message is passed through `redact`, so no text from here can leak a secret.

Why one file of ~500 lines: the tree and the table that classifies each portal answer into it
must be read side by side.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.redact import redact

__all__ = [
    "AccessDenied",
    "ActionNotAllowed",
    "ApiError",
    "AuthError",
    "B24Error",
    "ConnectFailed",
    "ConnectionLost",
    "ExpiredToken",
    "InsufficientScope",
    "InvalidCredentials",
    "InvalidGrant",
    "InvalidToken",
    "MethodNotFound",
    "OperationTimeLimit",
    "Overload",
    "PortalDeleted",
    "QueryLimitExceeded",
    "RequestTimeout",
    "RestUnavailable",
    "ServerError",
    "TLSError",
    "TransportError",
    "UnexpectedRedirect",
    "UnexpectedResponse",
    "classify",
    "method_words",
    "portal_text",
]


class B24Error(Exception):
    """Base of every error the client raises; `user_message` is safe to show to an admin."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))

    @property
    def user_message(self) -> str:
        return redact(self._plain_message())

    def _plain_message(self) -> str:
        return translate(
            "Errors", "Something went wrong while talking to the Bitrix24 portal. Try again."
        )


# --- transport -------------------------------------------------------------------------------


class TransportError(B24Error):
    """The exchange broke before a complete answer arrived.

    `may_have_run` tells whether the portal might have executed the call anyway (the request
    left, the answer was lost): then a write must be verified before it is sent again.
    """

    def __init__(self, message: str, *, may_have_run: bool) -> None:
        super().__init__(message)
        self.may_have_run = may_have_run


class ConnectFailed(TransportError):
    def __init__(self, message: str) -> None:
        super().__init__(message, may_have_run=False)

    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "Could not reach the Bitrix24 portal. "
            "Check the portal address and your internet connection.",
        )


class RequestTimeout(TransportError):
    def _plain_message(self) -> str:
        return translate(
            "Errors", "The Bitrix24 portal did not answer in time. Try again in a few minutes."
        )


class ConnectionLost(TransportError):
    def _plain_message(self) -> str:
        return translate("Errors", "The connection to the Bitrix24 portal broke off. Try again.")


class TLSError(TransportError):
    def __init__(self, message: str) -> None:
        super().__init__(message, may_have_run=False)

    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "The portal's security certificate could not be verified. If your company runs "
            "its own Bitrix24 server, add its certificate authority file in the connection "
            "settings.",
        )


# --- answers that are not Bitrix24 REST JSON -------------------------------------------------


class UnexpectedResponse(B24Error):
    """The portal answered, but not with Bitrix24 JSON (HTML page, cut-off body, redirect)."""

    def __init__(self, message: str, *, http_status: int, body_excerpt: str = "") -> None:
        super().__init__(message)
        self.http_status = http_status
        self.body_excerpt = redact(body_excerpt)

    @property
    def looks_like_html(self) -> bool:
        return self.body_excerpt.lstrip()[:1] == "<"

    def _plain_message(self) -> str:
        if self.looks_like_html:
            if self.http_status >= 500:
                return translate(
                    "Errors",
                    "The portal answered with an error page (HTTP {status}) instead "
                    "of data. It may be briefly unavailable; try again later.",
                ).format(status=self.http_status)
            return translate(
                "Errors",
                "The address answered with a web page (HTTP {status}) instead of "
                "Bitrix24 data. Check that it is your Bitrix24 portal or webhook URL.",
            ).format(status=self.http_status)
        return translate("Errors", "The portal's answer was cut off or garbled. Try again.")


class UnexpectedRedirect(UnexpectedResponse):
    """A 3xx: REST endpoints never redirect, login pages and moved portals do."""

    def __init__(self, message: str, *, http_status: int, location: str) -> None:
        super().__init__(message, http_status=http_status)
        self.location = redact(location)

    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "This address does not look like a Bitrix24 REST endpoint: it redirects to "
            "another page, or the portal has moved. Check the portal address or webhook URL.",
        )


# --- API errors ------------------------------------------------------------------------------


class ApiError(B24Error):
    """Bitrix24 answered with an error envelope; the generic fallback for unknown codes."""

    call_did_not_run: ClassVar[bool] = False
    """True for the limit errors: the portal refused before executing, so resending is safe."""

    def __init__(
        self,
        code: str,
        description: str = "",
        http_status: int | None = None,
        payload: Mapping[str, Any] | None = None,
        *,
        method: str | None = None,
    ) -> None:
        self.code = code
        self.description = redact(description)
        self.http_status = http_status
        self.payload: Mapping[str, Any] = payload or {}
        self.method = method
        super().__init__(self._technical_message())

    def _technical_message(self) -> str:
        where = f" from {self.method}" if self.method else ""
        status = f", HTTP {self.http_status}" if self.http_status is not None else ""
        text = f": {self.description}" if self.description else ""
        return f"{self.code}{text} ({type(self).__name__}{where}{status})"

    @property
    def detail(self) -> str:
        """The portal's own words, without markup and internal codes (or the error code)."""
        return portal_text(self.description) or self.code

    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "Bitrix24 reported an error ({detail}): try again later, and ask your "
            "Bitrix24 administrator if it keeps happening.",
        ).format(detail=self.detail)


class QueryLimitExceeded(ApiError):
    call_did_not_run = True

    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "The portal is receiving too many requests at the moment. Wait a minute and try again.",
        )


class OperationTimeLimit(ApiError):
    """The method used up its server-time budget; it is blocked (for us) until `reset_at`."""

    call_did_not_run = True

    def __init__(
        self,
        code: str,
        description: str = "",
        http_status: int | None = None,
        payload: Mapping[str, Any] | None = None,
        *,
        method: str | None = None,
        reset_at: float | None = None,
    ) -> None:
        self.reset_at = reset_at if reset_at is not None else operating_reset_at(payload)
        self.operating = _time_number(payload, "operating")
        """The method's recorded time when it was refused (tells the plan's real limit)."""
        super().__init__(code, description, http_status, payload, method=method)

    def _plain_message(self) -> str:
        what = method_words(self.method) or translate("Errors", "this operation")
        if self.reset_at is not None:
            then = translate("Errors", "it will be available again at {time}").format(
                time=_local_clock(self.reset_at)
            )
        else:
            then = translate("Errors", "try again in about ten minutes")
        text = translate(
            "Errors",
            "{what} is temporarily blocked by Bitrix24 because it used too much server "
            "time: {then}.",
        ).format(what=what, then=then)
        return text[:1].upper() + text[1:]


class AuthError(ApiError):
    """The portal does not accept who we claim to be."""

    def _plain_message(self) -> str:
        return translate(
            "Errors", "The portal did not accept the sign-in. Check the connection settings."
        )


class InvalidCredentials(AuthError):
    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "The portal rejected the webhook or its user. Check the webhook URL, or create a "
            "new incoming webhook in Bitrix24 and paste its address.",
        )


class ExpiredToken(AuthError):
    def _plain_message(self) -> str:
        return translate("Errors", "The Bitrix24 sign-in has expired. Sign in again.")


class InvalidToken(AuthError):
    def _plain_message(self) -> str:
        return translate("Errors", "The Bitrix24 sign-in is no longer valid. Sign in again.")


class InvalidGrant(InvalidToken):
    """The refresh token was refused: only a new sign-in helps."""


class InsufficientScope(ApiError):
    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "The webhook or app lacks a permission this needs. In Bitrix24, edit the webhook "
            "and add the Tasks (task) permission, then try again.",
        )


class MethodNotFound(ApiError):
    def _plain_message(self) -> str:
        what = method_words(self.method) or translate("Errors", "this request")
        return translate(
            "Errors",
            "The portal does not support {what} through its REST API: it may be an older "
            "Bitrix24 version, or the webhook lacks the permission for it, so check the "
            "webhook's permissions in Bitrix24.",
        ).format(what=what)


class ActionNotAllowed(ApiError):
    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "Bitrix24 did not allow this action on the task: it may no longer be completed, "
            "may have been deleted, or your user lacks rights to it.",
        )


class Overload(ApiError):
    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "Bitrix24 support has blocked REST access to this portal because of overload. "
            "Retrying will not help; contact Bitrix24 support.",
        )


class AccessDenied(ApiError):
    def _plain_message(self) -> str:
        detail = portal_text(self.description).rstrip("!")
        if detail:
            return translate(
                "Errors",
                "The portal denied access ({detail}): ask your Bitrix24 administrator to check "
                "the rights of this user and this webhook.",
            ).format(detail=detail)
        return translate(
            "Errors",
            "The portal denied access: ask your Bitrix24 administrator to check the "
            "rights of this user and this webhook.",
        )


class RestUnavailable(AccessDenied):
    def _plain_message(self) -> str:
        return translate(
            "Errors",
            "Webhooks and apps (REST) are only available on commercial Bitrix24 plans. "
            "Upgrade the portal's plan to use b24desk.",
        )


class PortalDeleted(ApiError):
    def _plain_message(self) -> str:
        return translate("Errors", "This Bitrix24 portal has been deleted or closed.")


class ServerError(ApiError):
    def _plain_message(self) -> str:
        return translate("Errors", "The Bitrix24 portal had an internal error. Try again later.")


# --- classification --------------------------------------------------------------------------

_BY_CODE: dict[str, type[ApiError]] = {
    "QUERY_LIMIT_EXCEEDED": QueryLimitExceeded,
    "OPERATION_TIME_LIMIT": OperationTimeLimit,
    "INVALID_CREDENTIALS": InvalidCredentials,
    "NO_AUTH_FOUND": InvalidCredentials,
    "AUTHORIZATION_ERROR": InvalidCredentials,
    "INVALID_CLIENT": InvalidCredentials,
    "EXPIRED_TOKEN": ExpiredToken,
    "INVALID_TOKEN": InvalidToken,
    "INVALID_GRANT": InvalidGrant,
    "INSUFFICIENT_SCOPE": InsufficientScope,
    "INVALID_SCOPE": InsufficientScope,
    "ERROR_METHOD_NOT_FOUND": MethodNotFound,
    "1048582": ActionNotAllowed,
    "OVERLOAD_LIMIT": Overload,
    "PORTAL_DELETED": PortalDeleted,
    "ACCESS_DENIED": AccessDenied,
    "WRONG_AUTH_TYPE": AccessDenied,
    "USER_ACCESS_ERROR": AccessDenied,
    "ALLOWED_ONLY_INTRANET_USER": AccessDenied,
    "INTERNAL_SERVER_ERROR": ServerError,
    "ERROR_UNEXPECTED_ANSWER": ServerError,
}

_COMMERCIAL_ONLY_TEXT = re.compile(r"commercial plan", re.IGNORECASE)
# Task controllers other than renew answer a refusal with "0", and the deprecated task.item.*
# methods with ERROR_CORE: a refusal is recognised by code and method, never by its
# (localized) text. Reading the task back then says why.
_GENERIC_REFUSALS: Mapping[str, frozenset[str]] = {
    "0": frozenset(
        {
            "tasks.task.complete",
            "tasks.task.start",
            "tasks.task.approve",
            "tasks.task.disapprove",
            "tasks.task.update",
        }
    ),
    "ERROR_CORE": frozenset({"task.item.renew", "task.item.complete"}),
}


def classify(
    error: str,
    description: str = "",
    http_status: int | None = None,
    payload: Mapping[str, Any] | None = None,
    *,
    method: str | None = None,
) -> ApiError:
    """Turn an error envelope into the matching ApiError subclass (unknown codes: ApiError)."""
    code = str(error).strip()
    key = code.upper()
    text = str(description or "")
    cls = _BY_CODE.get(key, ApiError)
    if (method or "").strip().lower() in _GENERIC_REFUSALS.get(key, ()):
        cls = ActionNotAllowed
    elif cls is AccessDenied and key == "ACCESS_DENIED" and _COMMERCIAL_ONLY_TEXT.search(text):
        cls = RestUnavailable
    return cls(code, text, http_status, payload, method=method)


# What a method does, for messages: the raw method name stays in the technical message.
_METHOD_WORDS: dict[str, str] = {
    "tasks.task.renew": QT_TRANSLATE_NOOP("Errors", "reopening tasks"),
    "task.item.renew": QT_TRANSLATE_NOOP("Errors", "reopening tasks"),
    "tasks.task.complete": QT_TRANSLATE_NOOP("Errors", "completing tasks"),
    "task.item.complete": QT_TRANSLATE_NOOP("Errors", "completing tasks"),
    "tasks.task.list": QT_TRANSLATE_NOOP("Errors", "listing tasks"),
    "task.item.list": QT_TRANSLATE_NOOP("Errors", "listing tasks"),
    "tasks.task.get": QT_TRANSLATE_NOOP("Errors", "reading tasks"),
    "task.item.getdata": QT_TRANSLATE_NOOP("Errors", "reading tasks"),
    "profile": QT_TRANSLATE_NOOP("Errors", "reading your user profile"),
    "user.current": QT_TRANSLATE_NOOP("Errors", "reading your user profile"),
    "user.get": QT_TRANSLATE_NOOP("Errors", "reading users"),
    "app.info": QT_TRANSLATE_NOOP("Errors", "reading the portal's plan"),
    "scope": QT_TRANSLATE_NOOP("Errors", "reading the webhook's permissions"),
    "method.get": QT_TRANSLATE_NOOP("Errors", "checking which methods the portal offers"),
    "batch": QT_TRANSLATE_NOOP("Errors", "sending several requests at once"),
}

_MARKUP = re.compile(r"<[^>]*>")
_TASKS_EXCEPTION_PREFIX = re.compile(r"TASKS_ERROR_EXCEPTION_#\d+;\s*")
_TASKS_EXCEPTION_FLAGS = re.compile(r"[;\s]*\b\d+/TE/[A-Z_/]*")


def method_words(method: str | None) -> str | None:
    """What `method` does in plain words ("reopening tasks"), or None if unknown."""
    if not method:
        return None
    words = _METHOD_WORDS.get(method.strip().lower().removesuffix(".json"))
    return translate("Errors", words) if words else None


def portal_text(description: str) -> str:
    """A portal's error text without HTML and tasks-module wrapping, for people to read.

    `TASKS_ERROR_EXCEPTION_#256; Param #0 ...; 256/TE/WRONG_ARGUMENTS<br>` -> `Param #0 ...`
    """
    text = html.unescape(_MARKUP.sub(" ", description))
    text = _TASKS_EXCEPTION_PREFIX.sub("", text)
    text = _TASKS_EXCEPTION_FLAGS.sub("", text)
    return " ".join(text.split()).strip(" .;:")


def operating_reset_at(payload: Mapping[str, Any] | None) -> float | None:
    """`time.operating_reset_at` of an envelope (unix seconds), if the portal sent one."""
    return _time_number(payload, "operating_reset_at")


def _time_number(payload: Mapping[str, Any] | None, name: str) -> float | None:
    if not payload:
        return None
    time_info = payload.get("time")
    if not isinstance(time_info, Mapping):
        return None
    value = time_info.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _local_clock(unix_seconds: float) -> str:
    try:
        return datetime.fromtimestamp(unix_seconds).strftime("%H:%M")
    except (OverflowError, OSError, ValueError):
        return translate("Errors", "a later time")
