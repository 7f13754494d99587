"""The async Bitrix24 REST client: one `call`, one `batch`, paced and retried.

An `httpx.AsyncClient` does the HTTP; tests (and the sandbox) plug in a transport. Answers
become `ApiResponse`s or typed errors (`errors.py`). Every request is JSON POST, never
follows redirects (a REST endpoint never redirects; login pages and moved portals do) and
always verifies TLS, against the OS trust store plus an optional CA bundle for self-hosted
portals.

Why one file of ~560 lines: `call`, `batch` and the one `_exchange` they share (pacing, the
budget, retries, decoding) are one path a request takes; its pieces (`errors.py`, `budget.py`,
`ratelimit.py`, `encoding.py`) already live beside it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import ssl
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
import truststore

from b24desk import __version__
from b24desk.core.bitrix._log import install_http_redaction, redacted_logger
from b24desk.core.bitrix._wire import decode_json, error_from_item, transport_error
from b24desk.core.bitrix.auth import Auth, PreparedAuth
from b24desk.core.bitrix.budget import WaitKind
from b24desk.core.bitrix.encoding import batch_command
from b24desk.core.bitrix.errors import (
    ApiError,
    B24Error,
    ExpiredToken,
    OperationTimeLimit,
    QueryLimitExceeded,
    ServerError,
    TLSError,
    TransportError,
    UnexpectedRedirect,
    UnexpectedResponse,
)
from b24desk.core.bitrix.ratelimit import (
    STANDARD,
    Pacer,
    PacerStats,
    RatePreset,
    RetryPolicy,
    backoff_delay,
    preset_for_license,
)

__all__ = [
    "MAX_BATCH",
    "ApiResponse",
    "BatchCall",
    "BatchItemResult",
    "BitrixClient",
    "is_read_only",
    "tls_context",
]

logger = redacted_logger(__name__)
install_http_redaction()

MAX_BATCH = 50
"""Commands per batch request; the portal refuses the rest of a longer one."""

DEFAULT_TIMEOUT = 65.0
"""A cloud portal aborts a request after 60 s; wait a little longer for its answer."""

_BATCH_KEY = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_READ_ONLY_METHODS = frozenset(
    {"profile", "scope", "methods", "method.get", "server.time", "app.info", "user.current"}
)
_READ_ONLY_SUFFIXES = (".get", ".list", ".fields", ".current")
_BATCH_MAPS = ("result", "result_error", "result_total", "result_next", "result_time")


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """A successful answer: `result`, plus `total`/`next` for list methods, and `time`."""

    result: Any
    total: int | None = None
    next: int | None = None
    time: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BatchCall:
    """One command of a batch; `key` names it (and lets later commands use `$result[key]`)."""

    method: str
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str | None = None


@dataclass(frozen=True, slots=True)
class BatchItemResult:
    """The outcome of one batch command: its result, or the error it alone got."""

    key: str
    method: str
    result: Any = None
    error: B24Error | None = None
    total: int | None = None
    next: int | None = None
    time: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    def unwrap(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


def is_read_only(method: str) -> bool:
    """Whether resending `method` after a lost answer is harmless."""
    name = method.lower()
    return name in _READ_ONLY_METHODS or name.endswith(_READ_ONLY_SUFFIXES)


def tls_context(ca_bundle: str | os.PathLike[str] | None = None) -> ssl.SSLContext:
    """Verification against the OS trust store, plus `ca_bundle` (PEM) when given."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle is not None:
        path = Path(ca_bundle)
        if not path.is_file():
            raise ValueError(f"the certificate authority file {str(path)!r} does not exist")
        try:
            context.load_verify_locations(cafile=str(path))
        except (ssl.SSLError, OSError) as exc:
            raise ValueError(
                f"the certificate authority file {str(path)!r} is not a PEM certificate: {exc}"
            ) from None
    return context


class BitrixClient:
    """`async with BitrixClient(auth) as client: await client.call("profile")`."""

    def __init__(
        self,
        auth: Auth,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        rate_preset: RatePreset | None = STANDARD,
        timeout: float = DEFAULT_TIMEOUT,
        verify: str | os.PathLike[str] | ssl.SSLContext | None = None,
        retry: RetryPolicy | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(verify, bool):
            raise ValueError(
                "verify takes a CA bundle path or an SSL context; TLS verification stays on"
            )
        if timeout <= 0:
            raise ValueError("the timeout must be a positive number of seconds")
        self.auth = auth
        self.pacer = Pacer(rate_preset, policy=retry, wall_clock=wall_clock)
        context: ssl.SSLContext | None = None
        if isinstance(verify, ssl.SSLContext):
            context = verify
        elif transport is None:
            context = tls_context(verify)
        self._http = httpx.AsyncClient(
            transport=transport,
            verify=context if context is not None else True,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": f"b24desk/{__version__}"},
        )
        self.http_requests = 0

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
        await self._http.aclose()

    @property
    def stats(self) -> PacerStats:
        return self.pacer.stats

    @property
    def policy(self) -> RetryPolicy:
        return self.pacer.policy

    # --- public calls ------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> ApiResponse:
        """Run one method; raises the classified error if the portal refuses it."""
        body = dict(params or {})
        read_only = is_read_only(method) if idempotent is None else idempotent
        budget = self.pacer.budget
        costs = {method: budget.recorded_cost(method, 1)}
        await budget.reserve(costs)
        try:
            payload = await self._exchange(method, body, gate=(method,), idempotent=read_only)
        finally:
            budget.release(costs)
        budget.observe(method, _as_mapping(payload.get("time")))
        if "result" not in payload:
            raise UnexpectedResponse(
                f"answer to {method} has neither result nor error", http_status=200
            )
        return ApiResponse(
            result=payload["result"],
            total=_optional_int(payload.get("total")),
            next=_optional_int(payload.get("next")),
            time=_as_mapping(payload.get("time")),
        )

    async def batch(
        self,
        calls: Sequence[BatchCall | tuple[str, Mapping[str, Any]]],
        *,
        idempotent: bool | None = None,
    ) -> list[BatchItemResult]:
        """Run `calls` in batches of up to 50 (`halt=0`); one result per call, in order.

        A command refused by a rate limit did not run; it is resent by itself unless
        other commands depend on it through `$result[...]`. Any other error stays with its
        own command and does not stop the others.
        """
        prepared = _keyed(calls)
        results: list[BatchItemResult] = []
        for start in range(0, len(prepared), MAX_BATCH):
            chunk = prepared[start : start + MAX_BATCH]
            read_only = (
                all(is_read_only(c.method) for c in chunk) if idempotent is None else idempotent
            )
            results.extend(await self._batch_with_resends(chunk, read_only))
        return results

    async def post_raw(
        self, method: str, params: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        """One paced POST of `method`, returned as it came: no decoding, no resends.

        For the diagnostic report, which records what the portal answered (status, headers,
        body) rather than what it means. Transport failures are raised classified.
        """
        await self.pacer.before_send((method,))
        prepared = self.auth.prepare(method)
        body = json.dumps(
            {**dict(params or {}), **prepared.body}, default=_json_default, ensure_ascii=False
        )
        self.http_requests += 1
        try:
            return await self._http.post(
                prepared.url,
                content=body.encode("utf-8"),
                headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc, method) from None

    async def detect_rate_preset(self) -> RatePreset:
        """Pace by the portal's plan, as far as `app.info` reveals its licence."""
        try:
            response = await self.call("app.info")
        except ApiError as error:
            logger.info("app.info unavailable (%s); keeping the standard rate", error.code)
            preset = STANDARD
        else:
            info = _as_mapping(response.result)
            licence = info.get("LICENSE_FAMILY") or info.get("LICENSE") or ""
            preset = preset_for_license(str(licence))
        self.pacer.preset = preset
        logger.debug("pacing for the %s plan", preset.name)
        return preset

    # --- batch internals ---------------------------------------------------------------------

    async def _batch_with_resends(
        self, chunk: list[BatchCall], read_only: bool
    ) -> list[BatchItemResult]:
        outcome = {item.key: item for item in await self._batch_once(chunk, read_only)}
        referenced = _referenced_keys(chunk)
        attempts: dict[str, int] = {}
        while True:
            resend = [
                c for c in chunk if self._should_resend(outcome[_key(c)], c, referenced, attempts)
            ]
            if not resend:
                return [outcome[_key(c)] for c in chunk]
            await self._wait_before_resend(resend, outcome, attempts)
            for item in await self._batch_once(resend, read_only):
                outcome[item.key] = item

    def _should_resend(
        self,
        item: BatchItemResult,
        call: BatchCall,
        referenced: set[str],
        attempts: dict[str, int],
    ) -> bool:
        error = item.error
        if not isinstance(error, ApiError) or not error.call_did_not_run:
            return False
        if _key(call) in referenced or _has_reference(call.params):
            return False
        limit = (
            self.policy.operation_limit_retries
            if isinstance(error, OperationTimeLimit)
            else self.policy.query_limit_retries
        )
        return attempts.get(_key(call), 0) < limit

    async def _wait_before_resend(
        self,
        resend: list[BatchCall],
        outcome: dict[str, BatchItemResult],
        attempts: dict[str, int],
    ) -> None:
        worst_attempt = 0
        for call in resend:
            key = _key(call)
            attempts[key] = attempts.get(key, 0) + 1
            error = outcome[key].error
            if isinstance(error, OperationTimeLimit):
                self.pacer.block_method(call.method, error.reset_at, error.operating)
            else:
                worst_attempt = max(worst_attempt, attempts[key])
        if worst_attempt:
            await self.pacer.after_query_limit(worst_attempt)

    async def _batch_once(self, chunk: list[BatchCall], read_only: bool) -> list[BatchItemResult]:
        cmd = {_key(c): batch_command(c.method, c.params) for c in chunk}
        gate = ("batch", *dict.fromkeys(c.method for c in chunk))
        budget = self.pacer.budget
        calls = Counter(c.method for c in chunk)
        costs = {m: budget.recorded_cost(m, n) for m, n in calls.items()}
        await budget.reserve(costs)
        try:
            payload = await self._exchange(
                "batch", {"halt": 0, "cmd": cmd}, gate=gate, idempotent=read_only
            )
        finally:
            budget.release(costs)
        outer = payload.get("result")
        if not isinstance(outer, Mapping):
            raise UnexpectedResponse("batch answer has no result object", http_status=200)
        maps = {name: _as_keyed_map(outer.get(name)) for name in _BATCH_MAPS}
        outer_time = _as_mapping(payload.get("time"))
        return [self._batch_item(c, maps, outer_time) for c in chunk]

    def _batch_item(
        self,
        call: BatchCall,
        maps: dict[str, dict[str, Any]],
        outer_time: Mapping[str, Any],
    ) -> BatchItemResult:
        key = _key(call)
        item_time = _as_mapping(maps["result_time"].get(key))
        self.pacer.budget.observe(call.method, item_time)
        common: dict[str, Any] = {
            "key": key,
            "method": call.method,
            "total": _optional_int(maps["result_total"].get(key)),
            "next": _optional_int(maps["result_next"].get(key)),
            "time": item_time,
        }
        if key in maps["result_error"]:
            error = error_from_item(maps["result_error"][key], call.method, item_time or outer_time)
            return BatchItemResult(error=error, **common)
        if key in maps["result"]:
            return BatchItemResult(result=maps["result"][key], **common)
        missing = UnexpectedResponse(
            f"batch answer has neither a result nor an error for {key} ({call.method})",
            http_status=200,
        )
        return BatchItemResult(error=missing, **common)

    # --- one HTTP exchange, with resends -----------------------------------------------------

    async def _exchange(
        self,
        method: str,
        params: dict[str, Any],
        *,
        gate: tuple[str, ...],
        idempotent: bool,
    ) -> dict[str, Any]:
        if "auth" in params:
            raise ValueError("'auth' is reserved for the client's own credentials")
        query_limit_attempts = operation_limit_attempts = transport_attempts = 0
        refreshed = False
        while True:
            await self.pacer.before_send(gate)
            prepared = self.auth.prepare(method)
            try:
                return await self._post(method, prepared, params)
            except QueryLimitExceeded:
                query_limit_attempts += 1
                if query_limit_attempts > self.policy.query_limit_retries:
                    raise
                await self.pacer.after_query_limit(query_limit_attempts)
            except OperationTimeLimit as error:
                operation_limit_attempts += 1
                self.pacer.block_method(method, error.reset_at, error.operating)
                if operation_limit_attempts > self.policy.operation_limit_retries:
                    raise
            except ExpiredToken:
                if refreshed or not self.auth.can_refresh:
                    raise
                refreshed = True
                await self.auth.refresh(self._http, prepared.generation)
            except (TransportError, UnexpectedResponse, ServerError) as error:
                if transport_attempts >= self.policy.transport_retries or not _may_resend(
                    error, idempotent
                ):
                    raise
                transport_attempts += 1
                delay = backoff_delay(transport_attempts, self.policy)
                logger.info("%s failed (%s); resending in %.1f s", method, error, delay)
                await self.pacer.budget.sleep(WaitKind.NETWORK, delay, method)

    async def _post(
        self, method: str, prepared: PreparedAuth, params: dict[str, Any]
    ) -> dict[str, Any]:
        body = json.dumps({**params, **prepared.body}, default=_json_default, ensure_ascii=False)
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.http_requests += 1
        try:
            response = await self._http.post(
                prepared.url,
                content=body.encode("utf-8"),
                headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as exc:
            error = transport_error(exc, method)
            logger.debug("%s failed after %.3f s: %s", method, loop.time() - started, error)
            raise error from None
        # httpx ties a response and its stream in a reference cycle; with the body read,
        # untie them so the answer (up to ~1 MB) is freed at once, not by a full collection.
        response.stream = httpx.ByteStream(b"")
        try:
            payload = decode_json(response, method)
        except B24Error as error:
            logger.debug(
                "%s refused after %.3f s (HTTP %d): %s",
                method,
                loop.time() - started,
                response.status_code,
                type(error).__name__,
            )
            raise
        logger.debug(
            "%s answered in %.3f s (HTTP %d)", method, loop.time() - started, response.status_code
        )
        return payload


# --- helpers ---------------------------------------------------------------------------------


def _may_resend(error: B24Error, idempotent: bool) -> bool:
    if isinstance(error, TLSError):
        return False  # a certificate problem does not heal by asking again
    if isinstance(error, TransportError):
        return idempotent or not error.may_have_run
    if isinstance(error, UnexpectedRedirect):
        return False
    if isinstance(error, UnexpectedResponse):
        # A cut-off body or a server/proxy error page may go away; a login page will not.
        return idempotent and (error.http_status >= 500 or not error.looks_like_html)
    return idempotent  # ServerError: the method may have half-run


def _keyed(calls: Sequence[BatchCall | tuple[str, Mapping[str, Any]]]) -> list[BatchCall]:
    keyed: list[BatchCall] = []
    seen: set[str] = set()
    for index, call in enumerate(calls):
        if isinstance(call, tuple):
            method, params = call
            call = BatchCall(method, params)
        if not isinstance(call, BatchCall):
            raise TypeError(f"batch call #{index} must be a BatchCall or (method, params)")
        key = call.key if call.key is not None else f"c{index}"
        if not _BATCH_KEY.match(key):
            raise ValueError(f"batch key {key!r} must be 1-64 letters, digits or underscores")
        if key in seen:
            raise ValueError(f"batch key {key!r} is used twice")
        seen.add(key)
        keyed.append(BatchCall(call.method, call.params, key))
    return keyed


def _key(call: BatchCall) -> str:
    assert call.key is not None  # set by _keyed
    return call.key


_REFERENCE = re.compile(r"\$result\[([A-Za-z0-9_]+)\]")


def _references(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(_REFERENCE.findall(value))
    if isinstance(value, Mapping):
        return set().union(*(_references(v) for v in value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(_references(v) for v in value))
    return set()


def _has_reference(params: Mapping[str, Any]) -> bool:
    return bool(_references(params))


def _referenced_keys(chunk: list[BatchCall]) -> set[str]:
    return set().union(*(_references(c.params) for c in chunk))


def _as_keyed_map(value: Any) -> dict[str, Any]:
    """A batch sub-map; PHP sends an empty one as `[]`, a list-keyed one as a JSON list."""
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    return {}


def _as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _optional_int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot send a {type(value).__name__} value to Bitrix24")
