"""Turning raw httpx outcomes into answers or typed errors (shared by client and auth)."""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from typing import Any

import httpx

from b24desk.core.bitrix.errors import (
    B24Error,
    ConnectFailed,
    ConnectionLost,
    RequestTimeout,
    TLSError,
    TransportError,
    UnexpectedRedirect,
    UnexpectedResponse,
    classify,
)

_EXCERPT_CHARS = 200


def transport_error(exc: httpx.HTTPError, what: str) -> B24Error:
    """Map an httpx failure; `may_have_run` is True once the request may have left."""
    name = type(exc).__name__
    if isinstance(exc, httpx.ConnectError) and _is_tls_failure(exc):
        return TLSError(f"TLS handshake with the portal failed during {what}: {exc}")
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return RequestTimeout(f"{name} during {what}", may_have_run=False)
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(f"{name} during {what}", may_have_run=True)
    if isinstance(exc, httpx.ConnectError | httpx.UnsupportedProtocol | httpx.ProxyError):
        return ConnectFailed(f"{name} during {what}: {exc}")
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return ConnectionLost(f"{name} during {what}: {exc}", may_have_run=True)
    if isinstance(exc, httpx.DecodingError):
        return UnexpectedResponse(f"undecodable body during {what}: {exc}", http_status=0)
    return TransportError(f"{name} during {what}: {exc}", may_have_run=True)


def decode_json(response: httpx.Response, what: str) -> dict[str, Any]:
    """The JSON object of an answer, or the typed error it stands for."""
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers.get("location", "")
        raise UnexpectedRedirect(
            f"HTTP {status} redirect during {what} to {location or 'nowhere'}",
            http_status=status,
            location=location,
        )
    text = response.text
    try:
        payload = json.loads(text)
    except ValueError:
        raise UnexpectedResponse(
            f"HTTP {status} answer to {what} is not JSON: {_excerpt(text)!r}",
            http_status=status,
            body_excerpt=_excerpt(text),
        ) from None
    if not isinstance(payload, dict):
        raise UnexpectedResponse(
            f"HTTP {status} answer to {what} is JSON but not an object",
            http_status=status,
            body_excerpt=_excerpt(text),
        )
    if "error" in payload:
        raise classify(
            str(payload.get("error")),
            str(payload.get("error_description") or ""),
            status,
            payload,
            method=what,
        )
    return payload


def error_from_item(
    error: Any, method: str, time_info: Mapping[str, Any] | None = None
) -> B24Error:
    """A batch `result_error` entry as a classified error."""
    if not isinstance(error, Mapping):
        return UnexpectedResponse(f"malformed batch error for {method}: {error!r}", http_status=200)
    payload: dict[str, Any] = dict(error)
    if time_info is not None and "time" not in payload:
        payload["time"] = dict(time_info)
    return classify(
        str(error.get("error", "")),
        str(error.get("error_description") or ""),
        None,
        payload,
        method=method,
    )


def _excerpt(text: str) -> str:
    return text[:_EXCERPT_CHARS]


def _is_tls_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current) or "SSL:" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False
