"""The diagnostic report: what a real portal answered, with nothing secret or personal in it.

`run_diagnosis(client, ...)` sends a fixed set of **read-only** probes (`PLAN`: who am I, the
granted scopes, the licence, whether each method b24desk may call exists, the server time,
one page of completed tasks, one task read and its access map, a two-call batch and one call
of a method that does not exist) and records, per probe, the HTTP status, the headers that
matter, the answer's shape (keys and value types at every path), the error code and text,
the `time` block, and a masked copy of the answer. Around them: b24desk's version and the
OS, the plan, the last runs' outcome counts from the journal and the unexpected answers the
log file mentions. `DiagnosticReport.text()` is the JSON text that is saved.

What never leaves: the webhook code and tokens (redacted, and never sent as a parameter),
task titles, descriptions and people's names (every string that is not an id, a date, a
short code or an error text becomes "<str N>", its type and length), and, on request, the
portal's host (replaced by `MASKED_HOST`).

Every request goes through `check_read_only`, an allow-list of methods that change nothing;
a probe outside it is refused before anything is sent. A maintainer turns a report into a
regression test by replaying `PLAN` against the sandbox and comparing shapes
(tests/support/diagnostic_report.py).

Why one file of ~700 lines: the allow-list, the probes and the masking are what a reviewer
must read together to know what can leave the machine; split, that check would span modules.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import platform
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from b24desk import __version__
from b24desk.core.bitrix import tasks as tasks_api
from b24desk.core.bitrix.auth import OAuthAuth
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.bitrix.encoding import batch_command
from b24desk.core.bitrix.errors import ApiError, B24Error, classify
from b24desk.core.bitrix.ratelimit import preset_for_license
from b24desk.core.i18n import plural, translate
from b24desk.core.model import TaskFilter
from b24desk.core.redact import redact, redacted_logger
from b24desk.core.renew.journal import Journal, JournalError

__all__ = [
    "MASKED_HOST",
    "PROBED_METHODS",
    "READ_ONLY_METHODS",
    "REPORT_FORMAT",
    "UNKNOWN_METHOD",
    "DiagnosticReport",
    "NotReadOnly",
    "Probe",
    "check_read_only",
    "is_unexpected_code",
    "json_shape",
    "masked_value",
    "run_diagnosis",
]

log = redacted_logger(__name__)

REPORT_FORMAT = "b24desk-diagnostic/1"
MASKED_HOST = "portal.masked.invalid"
UNKNOWN_METHOD = "b24desk.diagnostic.nosuchmethod"
"""The deliberately wrong call: a name no portal has, to capture the error envelope."""

GETACCESS = "tasks.task.getaccess"
PROBED_METHODS: tuple[str, ...] = (
    tasks_api.RENEW,
    tasks_api.LEGACY_RENEW,
    tasks_api.COMPLETE,
    tasks_api.LEGACY_COMPLETE,
    "tasks.task.approve",
    "tasks.task.disapprove",
    "tasks.task.update",
    GETACCESS,
)
"""Methods b24desk may call, asked about with `method.get` (never called themselves)."""

READ_ONLY_METHODS = frozenset(
    {
        "profile",
        "scope",
        "app.info",
        "method.get",
        "server.time",
        tasks_api.LIST,
        tasks_api.GET,
        GETACCESS,
        "batch",
        UNKNOWN_METHOD,
    }
)
"""The only methods a diagnosis may send; `batch` only with sub-calls from this list."""

_KEPT_HEADERS = ("content-type", "server", "retry-after", "location", "x-powered-cms")
_KEPT_HEADER_PATTERN = re.compile(r"^x-bitrix-|version", re.IGNORECASE)
_LONG_HEX = re.compile(r"\b[0-9a-fA-F]{16,}\b")
_LIST_ITEMS_KEPT = 3
_RUNS_KEPT = 10
_LOG_LINES_KEPT = 20
_LOG_BYTES_READ = 256_000
_GENERIC_TASK_CODES = frozenset({"0", "100", "ERROR_CORE", "ERROR_ARGUMENT", "WRONG_TASK_ID"})
_UNEXPECTED_TYPES = frozenset({"UnexpectedResponse", "UnexpectedRedirect"})
_OWN_CODES = frozenset({"JOURNAL", "RUN_STOPPED", "UNCONFIRMED"})
_TYPE_NAME = re.compile(r"(?=[A-Za-z]*[a-z])(?=[A-Za-z]*[A-Z])[A-Za-z]+")
"""Mixed case, letters only: a Python error type's name, never a Bitrix24 error code."""


class NotReadOnly(ValueError):
    """A probe asked for a method that may change something: never sent."""


def check_read_only(method: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise NotReadOnly unless `method` (and, for a batch, every sub-call) only reads."""
    name = method.strip().lower()
    if name not in READ_ONLY_METHODS:
        raise NotReadOnly(f"{method!r} is not on the diagnostic allow-list")
    if name != "batch":
        return
    commands = (params or {}).get("cmd")
    if not isinstance(commands, Mapping) or not commands:
        raise NotReadOnly("a diagnostic batch needs a non-empty cmd map")
    for command in commands.values():
        sub = str(command).split("?", 1)[0].strip().lower()
        if sub == "batch" or sub not in READ_ONLY_METHODS:
            raise NotReadOnly(f"batch sub-call {sub!r} is not on the diagnostic allow-list")


@functools.lru_cache(maxsize=512)
def is_unexpected_code(code: str) -> bool:
    """Whether an error code (or the error type name the app records) is one b24desk does
    not know: an answer that was not JSON, or an error code it has no meaning for."""
    code = code.strip()
    if not code:
        return False
    if code in _UNEXPECTED_TYPES:
        return True
    if _TYPE_NAME.fullmatch(code) or code in _OWN_CODES:
        return False  # an error type name (ConnectFailed, OSError, ...) or b24desk's own
    if code.upper() in _GENERIC_TASK_CODES:
        return False
    return type(classify(code)) is ApiError


# --- shapes and masking ----------------------------------------------------------------------


def json_shape(value: Any) -> Any:
    """Keys and value types at every path, as JSON (the conformance tests' shapes).

    Scalars: "null", "bool", "number", "str"; empty arrays and objects: "empty" (PHP prints
    both as `[]`); {"list": shape} (elements merged); {"idmap": shape} for objects keyed by
    digits; {"object": {key: shape}}; {"union": [shapes]} where elements differ.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return {"list": _merged(json_shape(v) for v in value)} if value else "empty"
    if isinstance(value, Mapping):
        if not value:
            return "empty"
        if all(str(key).isdigit() for key in value):
            return {"idmap": _merged(json_shape(v) for v in value.values())}
        return {"object": {str(k): json_shape(v) for k, v in sorted(value.items())}}
    return "str"


def _merged(shapes: Any) -> Any:
    result: Any = "empty"
    for shape in shapes:
        result = _merge(result, shape)
    return result


def _merge(left: Any, right: Any) -> Any:
    if left == right or right == "empty":
        return left
    if left == "empty":
        return right
    if isinstance(left, dict) and isinstance(right, dict) and left.keys() == right.keys():
        (kind,) = left.keys()
        if kind in ("list", "idmap"):
            return {kind: _merge(left[kind], right[kind])}
        if kind == "object":
            keys = dict(left[kind])
            for key, shape in right[kind].items():
                keys[key] = _merge(keys[key], shape) if key in keys else shape
            return {"object": dict(sorted(keys.items()))}
    members: dict[str, Any] = {}
    for side in (left, right):
        for member in side["union"] if isinstance(side, dict) and "union" in side else [side]:
            members[json.dumps(member, sort_keys=True)] = member
    return {"union": [members[k] for k in sorted(members)]}


_ID_KEY = re.compile(r"(?i)(^id$|id$|_id$|by$)")
_CODE_KEYS = frozenset(
    {"error", "license", "license_type", "license_family", "language_id", "status", "code"}
)
_DIGITS = re.compile(r"^\d{1,12}$")
_SHORT = re.compile(r"^(?:Y|N|-?\d{1,3})$")
_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
    r"|^\d{2}\.\d{2}\.\d{4}(?: \d{2}:\d{2}(?::\d{2})?)?$"
)
_CODE = re.compile(r"^[A-Za-z0-9_.#-]{1,40}$")
_SCOPE_NAME = re.compile(r"^[a-z_]{1,32}$")


def _kept_string(key: str, value: str, *, codes: bool) -> bool:
    """A string worth keeping that cannot be a title, a description or a name."""
    lowered = key.lower()
    if _SHORT.match(value):
        return True
    if _ID_KEY.search(key) and _DIGITS.match(value):
        return True
    if _DATE.match(value):
        return True
    if lowered in _CODE_KEYS and _CODE.match(value):
        return True
    return (codes or lowered == "scope") and bool(_SCOPE_NAME.match(value))


def masked_value(value: Any, key: str = "", *, codes: bool = False) -> Any:
    """A copy of an answer with every string that might be personal replaced by its shape
    ("<str N>": type and length); ids, dates, short codes, numbers and the portal's error
    text stay. Long lists keep their first items and say how many more there were."""
    if isinstance(value, str):
        if key.lower() == "error_description":
            return redact(value)
        if _kept_string(key, value, codes=codes):
            return value
        return f"<str {len(value)}>"
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return value
    if isinstance(value, list):
        kept: list[Any] = [masked_value(v, key, codes=codes) for v in value[:_LIST_ITEMS_KEPT]]
        if len(value) > _LIST_ITEMS_KEPT:
            kept.append(f"<{len(value) - _LIST_ITEMS_KEPT} more>")
        return kept
    if isinstance(value, Mapping):
        items = list(value.items())
        masked = {str(k): masked_value(v, str(k), codes=codes) for k, v in items[:50]}
        if len(items) > 50:
            masked["<more>"] = f"<{len(items) - 50} more keys>"
        return masked
    return f"<{type(value).__name__}>"


# --- the probes ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Probe:
    """One request of the diagnosis; `name` identifies it across reports and the sandbox."""

    name: str
    method: str
    params: Mapping[str, Any] = field(default_factory=dict)
    expect_error: str | None = None
    """The error code this probe is meant to get (the deliberately wrong call)."""
    codes: bool = False
    """The answer is a list of codes (scope names) that may be kept as they are."""


def first_probes() -> list[Probe]:
    """The probes that need nothing from earlier answers."""
    probes = [
        Probe("profile", "profile"),
        Probe("scope", "scope", codes=True),
        Probe("app.info", "app.info"),
        *(Probe(f"method.get {m}", "method.get", {"name": m}) for m in PROBED_METHODS),
        Probe("server.time", "server.time"),
        Probe(
            "tasks.task.list completed",
            tasks_api.LIST,
            {
                "order": {"ID": "asc"},
                "filter": {**tasks_api.completed_filter(TaskFilter()), ">ID": 0},
                "select": list(tasks_api.TASK_SELECT),
                "start": -1,
            },
        ),
    ]
    return probes


def task_probes(task_id: int | None, user_id: int | None) -> list[Probe]:
    """The probes on one listed task (when the portal listed one) and the batch."""
    probes: list[Probe] = []
    if task_id is not None:
        probes.append(
            Probe(
                "tasks.task.get",
                tasks_api.GET,
                {"taskId": task_id, "select": list(tasks_api.TASK_SELECT)},
            )
        )
        probes.append(
            Probe(
                "tasks.task.getaccess",
                GETACCESS,
                {"taskId": task_id, "users": [user_id] if user_id else []},
            )
        )
    reread = {
        "order": {"ID": "asc"},
        "filter": {"ID": [task_id] if task_id is not None else [0]},
        "select": list(tasks_api.STATE_SELECT),
        "start": -1,
    }
    commands = {
        "time": batch_command("server.time", {}),
        "tasks": batch_command(tasks_api.LIST, reread),
    }
    probes.append(Probe("batch", "batch", {"halt": 0, "cmd": commands}))
    probes.append(Probe("unknown method", UNKNOWN_METHOD, expect_error="ERROR_METHOD_NOT_FOUND"))
    return probes


@dataclass(slots=True)
class _Answer:
    record: dict[str, Any]
    payload: dict[str, Any] | None = None


async def _probe(client: BitrixClient, probe: Probe) -> _Answer:
    check_read_only(probe.method, probe.params)
    record: dict[str, Any] = {"probe": probe.name, "method": probe.method}
    if probe.method == "method.get":
        record["asks_about"] = probe.params.get("name")
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        response = await client.post_raw(probe.method, probe.params)
    except B24Error as error:
        record.update(outcome="failed", failure=type(error).__name__, detail=redact(str(error)))
        return _Answer(record)
    finally:
        record["elapsed_ms"] = round((loop.time() - started) * 1000, 1)
    record["http_status"] = response.status_code
    record["headers"] = _headers(response.headers)
    return _read_answer(probe, response, record)


def _read_answer(probe: Probe, response: httpx.Response, record: dict[str, Any]) -> _Answer:
    text = response.text
    try:
        payload = json.loads(text)
    except ValueError:
        stripped = text.lstrip()
        record.update(
            outcome="unexpected",
            unexpected="not JSON",
            body={"length": len(text), "looks_like_html": stripped[:1] == "<"},
        )
        return _Answer(record)
    record["shape"] = json_shape(payload)
    if not isinstance(payload, dict):
        record.update(outcome="unexpected", unexpected="JSON but not an object")
        return _Answer(record)
    answer = {k: v for k, v in payload.items() if k != "time"}
    record["answer"] = masked_value(answer, codes=probe.codes)
    if isinstance(payload.get("time"), Mapping):
        record["time"] = masked_value(payload["time"])
    if "error" in payload:
        code = str(payload.get("error"))
        record["error"] = {
            "code": code,
            "description": redact(str(payload.get("error_description") or "")),
        }
        if probe.expect_error is not None and code.upper() == probe.expect_error:
            record["outcome"] = "expected error"
        elif is_unexpected_code(code):
            record.update(outcome="unexpected", unexpected=f"unknown error code {code}")
        else:
            record["outcome"] = "error"
        return _Answer(record, payload)
    if "result" not in payload:
        record.update(outcome="unexpected", unexpected="neither result nor error")
        return _Answer(record, payload)
    record["outcome"] = "ok"
    problem = _parser_problem(probe, payload["result"])
    if problem:
        record.update(outcome="unexpected", unexpected=problem)
    return _Answer(record, payload)


def _parser_problem(probe: Probe, result: Any) -> str:
    """What b24desk's own parsers make of the answers it lives on; "" when all is well."""
    if probe.method == tasks_api.LIST:
        tasks = result.get("tasks") if isinstance(result, Mapping) else result
        if isinstance(tasks, Mapping):
            tasks = list(tasks.values())
        if not isinstance(tasks, list):
            return "tasks.task.list answer has no task list"
        try:
            for task in tasks:
                tasks_api.task_from_api(task)
        except (B24Error, AttributeError, TypeError) as error:
            return f"a listed task could not be read ({type(error).__name__})"
    if probe.method == "batch" and isinstance(result, Mapping):
        errors = result.get("result_error")
        if isinstance(errors, Mapping):
            for item in errors.values():
                code = str(item.get("error", "")) if isinstance(item, Mapping) else ""
                if is_unexpected_code(code) or not code:
                    return f"unknown error code {code or '(none)'} inside the batch"
    return ""


def _headers(headers: httpx.Headers) -> dict[str, str]:
    kept: dict[str, str] = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in _KEPT_HEADERS or _KEPT_HEADER_PATTERN.search(lowered):
            if lowered == "location":
                value = value.split("?", 1)[0]  # a login page's backurl quotes the request
            kept[lowered] = _LONG_HEX.sub(lambda m: f"<hex {len(m.group())}>", redact(value))
    return kept


# --- the whole diagnosis ---------------------------------------------------------------------


async def run_diagnosis(
    client: BitrixClient,
    *,
    journal: Journal | None = None,
    log_file: Path | None = None,
    mask_host: bool = False,
    now: datetime | None = None,
) -> DiagnosticReport:
    """Probe the portal and put the report together.

    Never raises for what the portal answers: a refused or unreachable portal is what the
    report is for. Only NotReadOnly (a bug) stops it.
    """
    answers: list[_Answer] = []
    for index, probe in enumerate(first_probes()):
        answer = await _probe(client, probe)
        if index == 0 and await _signed_in_again(client, answer):
            answer = await _probe(client, probe)
            answer.record["after_token_refresh"] = True
        answers.append(answer)
    by_name = {a.record["probe"]: a for a in answers}
    user_id = _user_id(by_name["profile"].payload)
    task_id = _first_task_id(by_name["tasks.task.list completed"].payload)
    for probe in task_probes(task_id, user_id):
        answers.append(await _probe(client, probe))
    portal_url = client.auth.portal_url
    report: dict[str, Any] = {
        "summary": [],
        "format": REPORT_FORMAT,
        "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "b24desk": {
            "version": __version__,
            "python": platform.python_version(),
            "os": platform.platform(terse=True),
            "platform": sys.platform,
        },
        "portal": _portal_section(client, answers, mask_host),
        "probes": [a.record for a in answers],
        "runs": await asyncio.to_thread(_runs_section, journal, portal_url),
        "logged_unexpected": await asyncio.to_thread(_log_section, log_file),
    }
    report["summary"] = summary_lines(report)
    parts = urlsplit(portal_url)
    return DiagnosticReport(report, hosts=(parts.netloc, parts.hostname or ""))


async def _signed_in_again(client: BitrixClient, answer: _Answer) -> bool:
    """An OAuth access token expired (hourly): refresh it the usual way, through one more
    read-only call, so that the probes show the portal rather than the stale token."""
    code = str(answer.record.get("error", {}).get("code", ""))
    if code.lower() != "expired_token" or not client.auth.can_refresh:
        return False
    check_read_only("profile")
    try:
        await client.call("profile")
    except B24Error as error:
        log.info("diagnosis: refreshing the sign-in failed: %s", error)
        return False
    return True


def _user_id(payload: dict[str, Any] | None) -> int | None:
    result = (payload or {}).get("result")
    raw = str(result.get("ID") or "") if isinstance(result, Mapping) else ""
    return int(raw) if raw.isdigit() else None


def _first_task_id(payload: dict[str, Any] | None) -> int | None:
    result = (payload or {}).get("result")
    tasks = result.get("tasks") if isinstance(result, Mapping) else None
    if isinstance(tasks, Mapping):
        tasks = list(tasks.values())
    if isinstance(tasks, list) and tasks and isinstance(tasks[0], Mapping):
        raw = str(tasks[0].get("id") or tasks[0].get("ID") or "")
        return int(raw) if raw.isdigit() else None
    return None


def _portal_section(
    client: BitrixClient, answers: Sequence[_Answer], mask_host: bool
) -> dict[str, Any]:
    info: Mapping[str, Any] = {}
    versions: dict[str, str] = {}
    for answer in answers:
        for name, value in answer.record.get("headers", {}).items():
            if name in ("server", "x-powered-cms") or "version" in name:
                versions.setdefault(name, value)
        if answer.record["probe"] == "app.info" and answer.payload is not None:
            result = answer.payload.get("result")
            info = result if isinstance(result, Mapping) else {}
    licence = str(info.get("LICENSE") or "")
    family = str(info.get("LICENSE_FAMILY") or "")
    if not family and "_" in licence:
        family = licence.split("_", 1)[1].rstrip("0123456789")
    if isinstance(info.get("VERSION"), int | str):
        versions["app.info VERSION"] = str(info["VERSION"])
    host = urlsplit(client.auth.portal_url).netloc
    return {
        "host": MASKED_HOST if mask_host else host,
        "host_masked": mask_host,
        "auth_kind": "oauth" if isinstance(client.auth, OAuthAuth) else "webhook",
        "license": licence if _CODE.match(licence) else "",
        "plan_family": family if _CODE.match(family) else "",
        "rate_preset": preset_for_license(licence).name,
        "versions": versions,
    }


def _runs_section(journal: Journal | None, portal_url: str) -> dict[str, Any]:
    if journal is None:
        return {"read": False, "runs": []}
    try:
        runs = journal.runs()
    except JournalError as error:
        return {"read": False, "problem": redact(str(error)), "runs": []}
    host = urlsplit(portal_url).netloc
    mine = [r for r in runs if urlsplit(r.portal).netloc == host]
    kept = []
    for run in mine[-_RUNS_KEPT:]:
        codes = Counter(r.code for r in run.results.values() if r.code)
        kept.append(
            {
                "kind": run.kind.value,
                "started_at": run.started_at,
                "finished": not run.crashed,
                "cancelled": run.cancelled,
                "tasks": len(run.before),
                "outcomes": {o.value: n for o, n in sorted(run.counts().items())},
                "error_codes": dict(sorted(codes.items())),
                "unexpected_codes": sorted(c for c in codes if is_unexpected_code(c)),
            }
        )
    return {"read": True, "runs_of_this_portal": len(mine), "runs": kept}


_LOG_LINE = re.compile(r"^(\S+ \S+) (WARNING|ERROR|CRITICAL) (\S+): (.*)$")
_LOG_UNEXPECTED = re.compile(
    r"not JSON|unexpected|no clear answer|neither|garbled|out of id order|no task list|"
    r"malformed|not an object|broke a chained",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _log_section(log_file: Path | None) -> list[dict[str, str]]:
    """Warnings about unexpected answers in the log, with quoted text reduced to its length."""
    if log_file is None:
        return []
    try:
        with log_file.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - _LOG_BYTES_READ))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    found: list[dict[str, str]] = []
    for line in text.splitlines():
        match = _LOG_LINE.match(line)
        if match is None or not _LOG_UNEXPECTED.search(match.group(4)):
            continue
        message = _QUOTED.sub(lambda m: f"<text {len(m.group()) - 2}>", redact(match.group(4)))
        found.append(
            {
                "at": match.group(1),
                "level": match.group(2),
                "where": match.group(3),
                "message": message[:300],
            }
        )
    return found[-_LOG_LINES_KEPT:]


def summary_lines(report: Mapping[str, Any]) -> list[str]:
    """The few sentences at the top of the report, for the admin and the maintainer."""
    probes: list[Mapping[str, Any]] = report["probes"]
    portal = report["portal"]
    outcomes = Counter(str(p.get("outcome")) for p in probes)
    lines = [
        translate("Diagnose", "b24desk {version} diagnostic report, made {when} on {os}.").format(
            version=report["b24desk"]["version"],
            when=report["created_at"],
            os=report["b24desk"]["os"],
        ),
        translate("Diagnose", "Portal: {host} ({auth}), plan: {plan}.").format(
            host=portal["host"],
            auth=portal["auth_kind"],
            plan=portal["license"] or translate("Diagnose", "not reported"),
        ),
        plural(
            translate(
                "Diagnose",
                "{n} read-only request: {ok} answered, {errors} refused, {unexpected} "
                "unexpected, {failed} without an answer.|{n} read-only requests: {ok} "
                "answered, {errors} refused, {unexpected} unexpected, {failed} without an "
                "answer.",
            ),
            len(probes),
        ).format(
            n=len(probes),
            ok=outcomes["ok"] + outcomes["expected error"],
            errors=outcomes["error"],
            unexpected=outcomes["unexpected"],
            failed=outcomes["failed"],
        ),
    ]
    for probe in probes:
        outcome = probe.get("outcome")
        if outcome == "unexpected":
            line = translate("Diagnose", "{probe}: an answer b24desk did not expect ({what})")
            what = probe.get("unexpected", "")
        elif outcome == "failed":
            line = translate("Diagnose", "{probe}: no answer ({what})")
            what = probe.get("failure", "")
        elif outcome == "error":
            line = translate("Diagnose", "{probe}: refused ({what})")
            what = probe["error"]["code"]
        else:
            continue
        lines.append("- " + line.format(probe=probe["probe"], what=what))
    lines.append(
        translate(
            "Diagnose",
            "Nothing in this file is secret: no webhook code, no token, no task title or "
            "description, no person's name.",
        )
    )
    return lines


@dataclass(slots=True)
class DiagnosticReport:
    """The report's data and how to write it; `text()` is what goes into the file."""

    data: dict[str, Any]
    hosts: tuple[str, ...] = ()
    """The portal's host as it may appear in answers and logs (masked on request)."""

    @property
    def summary(self) -> list[str]:
        return list(self.data.get("summary", []))

    @property
    def unexpected(self) -> int:
        """Probes whose answer b24desk did not expect, plus unexpected answers logged."""
        probes = sum(1 for p in self.data["probes"] if p.get("outcome") == "unexpected")
        return probes + len(self.data.get("logged_unexpected", []))

    @property
    def reached(self) -> bool:
        """Whether the portal answered anything at all (even an error page)."""
        return any("http_status" in p for p in self.data["probes"])

    def text(self) -> str:
        """JSON, redacted once more as a whole, and the host masked if asked."""
        text = json.dumps(self.data, ensure_ascii=False, indent=2)
        text = redact(text)
        if self.data["portal"].get("host_masked"):
            for host in sorted({h for h in self.hosts if h}, key=len, reverse=True):
                text = re.sub(re.escape(host), MASKED_HOST, text, flags=re.IGNORECASE)
        return text + "\n"

    def write(self, path: Path) -> None:
        """Write the report (UTF-8), whole or not at all; OSError when it cannot be."""
        partial = path.with_name(path.name + ".part")
        try:
            partial.write_text(self.text(), encoding="utf-8")
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
