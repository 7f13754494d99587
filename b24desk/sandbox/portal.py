"""The sandbox portal core: state plus `handle(request) -> reply`, no network I/O.

The clock is injected, so limits, token expiry, close dates and the `time` objects follow
it; tests drive it by hand instead of sleeping. Every request goes through two steps so
that adapters can stall between them: `admit` counts the request and rolls the fault dice,
`complete` runs it. `handle` does both.

Server time (brief 12.3): every call costs its method's time in portal seconds
(`PortalConfig.method_cost_s`); `complete` spends it as wall time times `time_scale` (0: not
at all). The portal lock is held only while a call reads or changes the state, never while
time passes, so separate requests run side by side; the sub-calls of a batch run one after
another, each spending its time before its change lands. A request whose server time passes
the gateway cut gets an HTML 504 at that moment while its work goes on to the end.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from b24desk.sandbox import errors
from b24desk.sandbox.access import caller_for
from b24desk.sandbox.auth import (
    TokenPair,
    TokenStore,
    authorize_page,
    token_endpoint,
    webhook_code_for,
)
from b24desk.sandbox.batch import SubOutcome, command_methods, run_batch
from b24desk.sandbox.config import Clock, PortalConfig
from b24desk.sandbox.datagen import generate
from b24desk.sandbox.errors import RestError
from b24desk.sandbox.faults import FaultDice, FaultKind
from b24desk.sandbox.limits import LeakyBucket, OperatingTimeMeter
from b24desk.sandbox.methods import CallContext, MethodResult, Methods
from b24desk.sandbox.model import SandboxDepartment, SandboxGroup, SandboxTask, SandboxUser
from b24desk.sandbox.params import request_params
from b24desk.sandbox.protocol import Admission, Effect, Reply, Request, html_reply, json_reply
from b24desk.sandbox.timefmt import iso

if TYPE_CHECKING:
    from b24desk.sandbox.transport import SandboxTransport

AUTH_PARAMS = ("auth", "access_token")
OVERHEAD_S = 0.0005  # what a call costs on top of its method's time, for `duration`


@dataclass(frozen=True)
class RestRoute:
    method: str
    webhook_user: str | None = None  # None: OAuth (`/rest/<method>`)
    webhook_code: str | None = None


def parse_rest_path(path: str) -> RestRoute | None:
    parts = path.removeprefix("/rest/").strip("/").split("/")
    if len(parts) == 3:
        user, code, method = parts
        route = RestRoute(method, user, code)
    elif len(parts) == 1 and parts[0]:
        route = RestRoute(parts[0])
    else:
        return None
    method = route.method.removesuffix(".json").lower()
    return RestRoute(method, route.webhook_user, route.webhook_code)


@dataclass(frozen=True)
class Session:
    """Who is calling and with which rights."""

    context: CallContext
    principal: str  # operating time is kept per credential and method


HTML_500 = (
    "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
    "<body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p>"
    "</body></html>"
)
LOGIN_PAGE = (
    '<!DOCTYPE html><html><head><title>Authorization</title></head><body><form method="post">'
    '<input name="USER_LOGIN"><input name="USER_PASSWORD" type="password"></form></body></html>'
)
NOT_FOUND_PAGE = "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"
GATEWAY_TIMEOUT_PAGE = (
    "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
    "<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class ServerTime:
    """The server time one HTTP request spends, in portal seconds.

    `spend` sleeps it (times the scale) and notices when the total passes the gateway cut:
    the cut fires exactly when that much time has passed, and the work goes on after it.
    """

    def __init__(
        self,
        scale: float,
        cut_after_s: float | None,
        on_cut: Callable[[], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.scale = scale
        self._sleeper = sleep
        self.cut_after_s = cut_after_s
        self.spent = 0.0
        self.cut = False
        self._on_cut = on_cut

    def spend(self, seconds: float) -> None:
        if seconds <= 0:
            return
        before = self.spent
        self.spent += seconds
        rest = seconds
        if self.cut_after_s is not None and not self.cut and self.spent > self.cut_after_s:
            up_to_cut = max(0.0, self.cut_after_s - before)
            self._sleep(up_to_cut)
            rest = seconds - up_to_cut
            self.cut = True
            if self._on_cut is not None:
                self._on_cut()
        self._sleep(rest)

    def _sleep(self, seconds: float) -> None:
        if self.scale > 0 and seconds > 0:
            self._sleeper(seconds * self.scale)


class SandboxPortal:
    def __init__(self, config: PortalConfig | None = None, clock: Clock = time.time) -> None:
        self.config = config or PortalConfig()
        self.clock = clock
        data = generate(
            seed=self.config.seed,
            now=clock(),
            task_count=self.config.task_count,
            user_count=self.config.user_count,
            caller_id=self.config.user_id,
            caller_admin=self.config.admin,
        )
        self.data = data
        self.webhook_code = self.config.webhook_code or webhook_code_for(self.config.seed)
        self.oauth = TokenStore(self.config)
        plan = self.config.rate_plan
        limited = self.config.limits != "off"
        self.bucket = LeakyBucket(plan.burst, plan.drain_per_s, enabled=limited)
        self.operating = OperatingTimeMeter(
            self.config.operating_budget_s,
            enabled=limited,
            min_recorded_s=self.config.operating_min_recorded_s,
            window_scale=self.config.window_scale,
        )
        self.methods = Methods(data, self.config)
        self.http_requests = 0
        self.method_calls: Counter[str] = Counter()
        self.answers: Counter[str] = Counter()
        """Answers by HTTP status ("200", "503"...), or "reset"/"timeout" for hang-ups."""
        self._dice = FaultDice(self.config.faults)
        self._lock = threading.RLock()
        self.requests_running = 0
        """Requests whose work is not done, including those the gateway already cut off."""
        self.sleep: Callable[[float], None] = time.sleep
        """How server time passes (wall seconds); tests swap in a gate to order events."""

    # --- state for inspection -----------------------------------------------------------

    @property
    def tasks(self) -> dict[int, SandboxTask]:
        return self.data.tasks

    @property
    def users(self) -> dict[int, SandboxUser]:
        return self.data.users

    @property
    def departments(self) -> dict[int, SandboxDepartment]:
        return self.data.departments

    @property
    def groups(self) -> dict[int, SandboxGroup]:
        return self.data.groups

    def webhook_url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/rest/{self.config.user_id}/{self.webhook_code}/"

    def issue_oauth_tokens(self) -> TokenPair:
        """Tokens as if the OAuth app had just been installed (no browser needed)."""
        with self._lock:
            return self.oauth.issue(self.clock())

    def mock_transport(self) -> SandboxTransport:
        from b24desk.sandbox.transport import SandboxTransport

        return SandboxTransport(self)

    # --- request flow ---------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        return self.complete(self.admit(request))

    def admit(self, request: Request) -> Admission:
        with self._lock:
            self.http_requests += 1
            fault = self._dice.draw(self.http_requests, self._methods_named(request))
            return Admission(request, self.http_requests, self.clock(), fault)

    def complete(self, admission: Admission) -> Reply:
        reply = self._complete(admission)
        outcome = str(reply.status) if reply.effect is None else reply.effect.name.lower()
        with self._lock:
            self.answers[outcome] += 1
        return reply

    def _complete(self, admission: Admission) -> Reply:
        fault = admission.fault
        if fault is FaultKind.RESET:
            return Reply(status=0, body=b"", effect=Effect.RESET)
        if fault is not None and (early := _early_fault_reply(fault, admission.request)):
            return early
        reply = self._run(admission.request)
        if fault is FaultKind.BADJSON:
            reply.body = reply.body[: max(1, len(reply.body) // 2)]
        elif fault is FaultKind.LOST:
            reply.effect = Effect.RESET
        elif fault is FaultKind.LOSTSLOW:
            reply.effect = Effect.TIMEOUT
        elif fault is FaultKind.SRV500:
            # Whatever the call answered, the client only sees the server error.
            error = errors.internal_server_error()
            reply = json_reply(error.http_status, error.body())
        return reply

    def _run(self, request: Request) -> Reply:
        """Route the request, spending its server time; a 504 once it passes the cut."""
        scale, cut_after = self.config.time_scale, self.config.gateway_timeout_s
        with self._lock:
            self.requests_running += 1  # counted down by _counted_route when the work ends
        if scale <= 0 or cut_after is None:
            server_time = ServerTime(scale, cut_after, sleep=self.sleep)
            reply = self._counted_route(request, server_time)
            return _gateway_timeout() if server_time.cut else reply
        # The client must see the 504 when the cut comes, while the work runs on: the work
        # gets a thread of its own and this one waits for the answer or the cut.
        settled = threading.Event()
        outcome: list[Reply | BaseException] = []
        server_time = ServerTime(scale, cut_after, on_cut=settled.set, sleep=self.sleep)

        def work() -> None:
            try:
                outcome.append(self._counted_route(request, server_time))
            except BaseException as error:  # handed to the waiting thread
                outcome.append(error)
            finally:
                settled.set()

        threading.Thread(target=work, name="sandbox-call", daemon=True).start()
        settled.wait()
        if server_time.cut:
            return _gateway_timeout()
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _counted_route(self, request: Request, server_time: ServerTime) -> Reply:
        """Route; the request stops counting as running when its work is done."""
        try:
            return self._route(request, server_time)
        finally:
            with self._lock:
                self.requests_running -= 1

    def _methods_named(self, request: Request) -> list[str]:
        if not request.path.startswith("/rest/"):
            return []
        route = parse_rest_path(request.path)
        if route is None:
            return []
        if route.method != "batch":
            return [route.method]
        try:
            return ["batch", *command_methods(request_params(request))]
        except RestError:
            return ["batch"]

    def _route(self, request: Request, server_time: ServerTime) -> Reply:
        path = request.path
        if path.startswith("/rest/"):
            return self._rest(request, server_time)
        with self._lock:
            return self._other(request, self.clock())

    def _other(self, request: Request, now: float) -> Reply:
        path = request.path
        if path.rstrip("/") in ("/oauth/token", "/oauth/authorize"):
            try:
                params = request_params(request)
            except RestError as error:
                return json_reply(error.http_status, error.body())
            if path.rstrip("/") == "/oauth/token":
                return token_endpoint(self.oauth, params, request.base_url, now)
            return authorize_page(self.oauth, params, request.base_url, now)
        if path.rstrip("/") == "/auth":
            return html_reply(200, LOGIN_PAGE)
        return html_reply(404, NOT_FOUND_PAGE)

    # --- REST ----------------------------------------------------------------------------

    def _rest(self, request: Request, server_time: ServerTime) -> Reply:
        now = self.clock()
        try:
            with self._lock:
                if not self.bucket.admit(now):
                    raise errors.query_limit_exceeded()
                route = parse_rest_path(request.path)
                if route is None:
                    raise errors.method_not_found()
                params = request_params(request)
                session = self._authenticate(route, params, request, now)
            for name in AUTH_PARAMS:
                params.pop(name, None)
            result, spent = self._call(session, route.method, params, server_time)
        except RestError as error:
            error = errors.localized(error, self.config.language)
            return json_reply(error.http_status, error.body())
        envelope: dict[str, Any] = {"result": result.result}
        if result.next is not None:
            envelope["next"] = result.next
        if result.total is not None:
            envelope["total"] = result.total
        with self._lock:
            envelope["time"] = self._time(session.principal, route.method, now, spent)
        return json_reply(200, envelope, _timing_headers(spent))

    def _authenticate(
        self, route: RestRoute, params: dict[str, Any], request: Request, now: float
    ) -> Session:
        config = self.config
        if route.webhook_code is not None:
            if route.webhook_user != str(config.user_id) or route.webhook_code != self.webhook_code:
                raise errors.invalid_credentials()
            scopes, kind, principal = config.webhook_scopes, "webhook", "webhook"
        else:
            token = _auth_token(params, request)
            if not token:
                raise errors.no_auth_found()
            grant = self.oauth.check_access(token, now)
            scopes, kind, principal = grant.scopes, "oauth", f"app:{config.client_id}"
        caller = caller_for(
            self.data, config.user_id, heads_edit_responsible=config.heads_edit_responsible_tasks
        )
        return Session(CallContext(caller, scopes, kind, now), principal)

    def _call(
        self, session: Session, method: str, params: dict[str, Any], server_time: ServerTime
    ) -> tuple[MethodResult, float]:
        """Run one method (top level or inside a batch); returns the result and time spent.

        Checks first (a blocked or unknown call costs nothing), then the call's server time
        passes with the lock released, then its change lands and is recorded.
        """
        context = session.context
        if method == "batch":
            if context.in_batch:
                raise errors.batch_method_not_allowed()
            return self._batch(session, params, server_time)
        with self._lock:
            spec = self.methods.lookup(method)
            if spec is None:
                raise errors.method_not_found()
            if spec.scopes and not any(scope in context.scopes for scope in spec.scopes):
                raise errors.insufficient_scope()
            self._check_operating(session.principal, method, self.clock())
        cost = self.config.cost_of(method)
        server_time.spend(cost)
        with self._lock:
            now = self.clock()
            self.method_calls[method] += 1
            try:
                return spec.handler(replace(context, now=now), params), cost
            finally:
                self.operating.charge(session.principal, method, now, cost)

    def _check_operating(self, principal: str, method: str, now: float) -> None:
        if self.operating.blocked(principal, method, now):
            error = errors.operation_time_limit()
            error.extra["time"] = self._time(principal, method, now, 0.0)
            raise error

    def _batch(
        self, session: Session, params: dict[str, Any], server_time: ServerTime
    ) -> tuple[MethodResult, float]:
        """Sub-calls one after another; `batch` itself is not recorded (brief 12.3)."""
        with self._lock:
            self.method_calls["batch"] += 1
        started_with = server_time.spent
        server_time.spend(self.config.cost_of("batch"))
        inner = Session(replace(session.context, in_batch=True), session.principal)

        def sub_call(method: str, sub_params: dict[str, Any]) -> SubOutcome:
            name = method.lower().removesuffix(".json")
            started = self.clock()
            try:
                result, cost = self._call(inner, name, sub_params, server_time)
            except RestError as error:
                if error.code == "insufficient_scope":
                    # Inside a batch the doc example shows this error with no text.
                    error = RestError(error.http_status, error.code, "")
                return SubOutcome(error=errors.localized(error, self.config.language))
            with self._lock:
                timing = self._time(session.principal, name, started, cost)
            return SubOutcome(result.result, result.total, result.next, timing)

        result = MethodResult(run_batch(params, sub_call))
        return result, server_time.spent - started_with

    def _time(self, principal: str, method: str, start: float, processing: float) -> dict[str, Any]:
        state = self.operating.state(principal, method, start)
        duration = processing + OVERHEAD_S
        offset = self.config.utc_offset_minutes
        return {
            "start": start,
            "finish": start + duration,
            "duration": duration,
            "processing": processing,
            "date_start": iso(start, offset),
            "date_finish": iso(start + duration, offset),
            "operating_reset_at": state.reset_at,
            "operating": round(state.operating, 6),
        }


def _auth_token(params: dict[str, Any], request: Request) -> str:
    for name in AUTH_PARAMS:
        value = params.get(name)
        if isinstance(value, str) and value:
            return value
    header = request.header("authorization")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return ""


def _timing_headers(spent: float) -> dict[str, str]:
    text = f"{spent:.6f}"
    return {
        "X-Bitrix-Rest-Time": text,
        "X-Bitrix-Rest-User-Time": text,
        "X-Bitrix-Rest-System-Time": "0.000000",
    }


def _gateway_timeout() -> Reply:
    return html_reply(504, GATEWAY_TIMEOUT_PAGE)


def _early_fault_reply(fault: FaultKind, request: Request) -> Reply | None:
    """Faults answered before the call runs (nothing is applied)."""
    if fault is FaultKind.HTML500:
        return html_reply(500, HTML_500)
    if fault is FaultKind.LOGIN302:
        backurl = quote(request.path + (f"?{request.query}" if request.query else ""), safe="")
        return html_reply(302, LOGIN_PAGE, {"Location": f"/auth/?backurl={backurl}"})
    if fault is FaultKind.OVERLOAD:
        error = errors.overload_limit()
        return json_reply(error.http_status, error.body())
    if fault is FaultKind.QLE:
        error = errors.query_limit_exceeded()
        return json_reply(error.http_status, error.body())
    return None
