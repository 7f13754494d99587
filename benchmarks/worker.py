"""The client side of one scenario, run in its own process.

`python -m benchmarks.worker` reads a job (JSON) on stdin, runs one tool against the
sandbox's webhook URL and prints what the tool reported (JSON) on stdout. A process per
scenario keeps the client's memory apart from the sandbox's and stops the two from taking
turns on one interpreter lock. Only the tool under test is imported, and only the tool's
own work is timed (not the interpreter start or imports).

The job holds the webhook URL, so it travels on stdin and is never printed.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SELECT = ["ID", "TITLE", "STATUS", "RESPONSIBLE_ID", "CREATED_BY", "GROUP_ID", "CLOSED_DATE"]
"""The fields every listing tool asks for (what b24desk's list shows), so all fetch the same."""

RENEW = "tasks.task.renew"
PENDING = 2
MAX_LIMIT_RETRIES = 100


@dataclass
class Job:
    tool: str
    action: str
    webhook_url: str
    task_ids: list[int] = field(default_factory=list)
    retry_pause_s: float = 1.0
    time_scale: float = 0.0
    """The portal's wall seconds per portal second. When above 0, every client's own clocks
    (request rate, operating-time window, pauses) are shrunk by the same factor, as the
    portal's are: the tools' settings stay the defaults, measured in portal seconds."""

    def scaled(self, seconds: float) -> float:
        return seconds * self.time_scale if self.time_scale > 0 else seconds


@dataclass
class Report:
    """What the tool told its caller, in plain ids."""

    wall_s: float = 0.0
    listed: list[int] | None = None
    renewed: list[int] = field(default_factory=list)
    not_renewed: dict[int, str] = field(default_factory=dict)
    """Tasks the tool said it could not renew, with its reason or error code."""
    inferred: bool = False
    """True when the tool gave no per-task answer and the ids were worked out from what it did
    give (an exception's text)."""
    error: str | None = None
    client_503s: int | None = None
    first_rows_s: float | None = None
    """Listing: seconds from the start until the tool handed over its first rows."""
    details: dict[str, float] = field(default_factory=dict)
    """Where the tool's own time went, where it says (b24desk: pacing waits, journal)."""
    notes: list[str] = field(default_factory=list)
    rss_before_kb: int = 0
    rss_peak_kb: int = 0


def _max_rss_kb() -> int:
    """This process's peak resident memory so far, in KiB.

    On Linux the peak of the current address space (VmHWM) is read: `ru_maxrss` also keeps
    the parent's size from before `exec`, which would report the sandbox's memory.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(usage // 1024) if sys.platform == "darwin" else int(usage)  # macOS: bytes


# --- b24desk ---------------------------------------------------------------------------------


async def b24desk_list(job: Job, report: Report) -> None:
    from b24desk.core.bitrix import BitrixClient, WebhookAuth, iter_completed_tasks
    from b24desk.core.credentials import parse_webhook_url
    from b24desk.core.model import TaskFilter

    address = parse_webhook_url(job.webhook_url)
    auth = WebhookAuth(address.portal_url, address.user_id, address.code)
    listed: list[int] = []
    started = time.perf_counter()
    async with BitrixClient(auth, rate_preset=_b24desk_rate(job)) as client:
        async for page in iter_completed_tasks(client, TaskFilter()):
            if report.first_rows_s is None:
                report.first_rows_s = time.perf_counter() - started
            listed.extend(record.id for record in page)
        report.client_503s = client.stats.query_limit_hits
        report.details["paced_s"] = round(client.stats.waited_seconds, 3)
        report.details["blocked_429"] = client.stats.operation_limit_hits
    report.listed = listed


async def b24desk_renew(job: Job, report: Report) -> None:
    from b24desk.core.bitrix import BitrixClient, WebhookAuth
    from b24desk.core.credentials import parse_webhook_url
    from b24desk.core.model import TaskOutcome, TaskSnapshot
    from b24desk.core.renew.engine import RenewEngine
    from b24desk.core.renew.jobs import RenewJob
    from b24desk.core.renew.journal import Journal

    address = parse_webhook_url(job.webhook_url)
    auth = WebhookAuth(address.portal_url, address.user_id, address.code)
    # As the window does: the snapshots come from the listing the user picked from, and
    # the job re-reads them (pre-check) before it sends anything.
    tasks = [TaskSnapshot(id=i, status=5) for i in job.task_ids]
    with tempfile.TemporaryDirectory(prefix="b24desk-bench-") as directory:
        journal = _timed_journal(Journal)(Path(directory) / "journal.jsonl")
        async with BitrixClient(auth, rate_preset=_b24desk_rate(job)) as client:
            engine = RenewEngine(client, journal, portal=address.portal_url)
            run = await RenewJob(engine, tasks).run()
            report.client_503s = client.stats.query_limit_hits
            report.details["paced_s"] = round(client.stats.waited_seconds, 3)
            report.details["blocked_429"] = client.stats.operation_limit_hits
            # The speed the engine sized its batches by (portal seconds a renew): above
            # 0.6 s, 50 renews would pass its 30 s a request, so batches get smaller.
            report.details["renew_call_s"] = round(
                client.pacer.budget.call_seconds("tasks.task.renew"), 3
            )
        report.details["journal_s"] = round(journal.spent_s, 3)
    for task_id, result in run.results.items():
        if result.outcome is TaskOutcome.RENEWED:
            report.renewed.append(task_id)
        else:
            report.not_renewed[task_id] = f"{result.outcome.value}: {result.code}".rstrip(": ")


def _b24desk_rate(job: Job) -> Any:
    """b24desk's standard bucket (50 at once, 2 a second), in the portal's seconds."""
    from b24desk.core.bitrix.ratelimit import STANDARD, RatePreset

    if job.time_scale <= 0:
        return STANDARD
    return RatePreset(STANDARD.name, STANDARD.burst, STANDARD.per_second / job.time_scale)


def _timed_journal(base: type[Any]) -> type[Any]:
    """The journal with a stopwatch on its writes (each one is flushed and fsynced)."""

    class TimedJournal(base):  # type: ignore[misc]
        spent_s = 0.0

        def _append(self, record: dict[str, Any]) -> None:
            started = time.perf_counter()
            try:
                super()._append(record)
            finally:
                self.spent_s += time.perf_counter() - started

    return TimedJournal


# --- fast_bitrix24 ---------------------------------------------------------------------------


async def fast_bitrix24_list(job: Job, report: Report) -> None:
    started = time.perf_counter()
    bitrix = _fast_bitrix24(job)
    tasks = await bitrix.get_all(
        "tasks.task.list", params={"filter": {"REAL_STATUS": 5}, "select": SELECT}
    )
    report.listed = [int(task["id"]) for task in tasks]
    report.first_rows_s = time.perf_counter() - started  # get_all hands over all rows at once


async def fast_bitrix24_renew(job: Job, report: Report) -> None:
    from fast_bitrix24.server_response import ErrorInServerResponseException  # type: ignore[import-untyped, unused-ignore]

    bitrix = _fast_bitrix24(job)
    try:
        answers = await bitrix.call(RENEW, [{"taskId": i} for i in job.task_ids])
    except ErrorInServerResponseException as error:
        # It raises on the first batch with any error and drops every other batch's answers.
        report.error = f"ErrorInServerResponseException ({_summary(error.args)})"
        report.inferred = True
        report.not_renewed = _failures_from_labels(error.args, job.task_ids)
        report.notes.append(
            "fast_bitrix24 raised on a batch with an error; per-task results of the other "
            "batches were not returned; failures inferred from the exception's labels"
        )
        return
    # `{"task": {...}}` answers arrive unwrapped, in the order batches finished.
    for answer in answers if isinstance(answers, list | tuple) else [answers]:
        task_id = int(answer["id"])
        if int(answer.get("status") or 0) == PENDING:
            report.renewed.append(task_id)
        else:
            report.not_renewed[task_id] = f"status {answer.get('status')}"


def _fast_bitrix24(job: Job) -> Any:
    """fast_bitrix24 with its defaults (pool 50, 2 requests/s, 480 s of operating time per
    10 minutes), its clocks shrunk with the portal's time scale."""
    from fast_bitrix24 import BitrixAsync  # type: ignore[import-untyped, unused-ignore]

    if job.time_scale <= 0:
        return BitrixAsync(job.webhook_url, verbose=False)
    srh = importlib.import_module("fast_bitrix24.srh")
    srh.BITRIX_MEASUREMENT_PERIOD = 10 * 60 * job.time_scale
    return BitrixAsync(job.webhook_url, verbose=False, requests_per_second=2.0 / job.time_scale)


def _failures_from_labels(args: tuple[Any, ...], task_ids: list[int]) -> dict[int, str]:
    """`{"order0000000025": {"error": "1048582", ...}}`: the label is the index in the input."""
    failures: dict[int, str] = {}
    errors = args[0] if args and isinstance(args[0], Mapping) else {}
    for label, error in errors.items():
        digits = str(label).removeprefix("order")
        if digits.isdigit() and int(digits) < len(task_ids):
            code = error.get("error", "?") if isinstance(error, Mapping) else "?"
            failures[task_ids[int(digits)]] = str(code)
    return failures


def _summary(args: tuple[Any, ...]) -> str:
    errors = args[0] if args and isinstance(args[0], Mapping) else {}
    codes = sorted({str(e.get("error")) for e in errors.values() if isinstance(e, Mapping)})
    return f"{len(errors)} command error(s): {', '.join(codes) or 'unknown'}"


# --- b24pysdk --------------------------------------------------------------------------------


def b24pysdk_list(job: Job, report: Report) -> None:
    _b24pysdk_over_http()
    from b24pysdk import BitrixWebhook, Client  # type: ignore[import-untyped, unused-ignore]

    domain, token = _split_webhook(job.webhook_url)
    client = Client(BitrixWebhook(domain=domain, webhook_token=token))
    request = client.tasks.task.list(filter={"REAL_STATUS": 5}, select=SELECT)
    report.listed = [int(task["id"]) for task in request.as_list_fast().result]
    report.notes.append(
        "b24pysdk hard-codes https://; its method URL was patched to http:// for the loopback"
    )


def _b24pysdk_over_http() -> None:
    """b24pysdk 1.3.2 builds every URL as `https://{domain}/rest`: make it http:// here.

    The package re-exports the function `call_method` under the module's own name, so the
    module is fetched by its dotted path.
    """
    module = importlib.import_module("b24pysdk.api.callers.call_method")
    caller = module._MethodCaller
    caller._base_url = property(lambda self: f"http://{self._domain}/rest")


def _split_webhook(url: str) -> tuple[str, str]:
    """`http://host:port/rest/1/code/` -> (`host:port`, `1/code`)."""
    rest = url.split("://", 1)[1].rstrip("/")
    domain, _, path = rest.partition("/rest/")
    return domain, path


# --- one plain call per task -----------------------------------------------------------------


def per_task_renew(job: Job, report: Report) -> None:
    """What a careful hand-written script does: one call per task, in turn; after a 503
    QUERY_LIMIT_EXCEEDED it sleeps `retry_pause_s` and tries the same task again."""
    import httpx

    rejected = blocked = 0
    with httpx.Client(timeout=65.0) as http:
        for task_id in job.task_ids:
            for _attempt in range(MAX_LIMIT_RETRIES):
                response = http.post(job.webhook_url + RENEW, json={"taskId": task_id})
                payload = _json_or_none(response)
                error = str(payload.get("error", "")) if isinstance(payload, dict) else ""
                if response.status_code == 503 and error.upper() == "QUERY_LIMIT_EXCEEDED":
                    rejected += 1
                    time.sleep(job.scaled(job.retry_pause_s))
                    continue
                if response.status_code == 429 and error.upper() == "OPERATION_TIME_LIMIT":
                    blocked += 1
                    time.sleep(_until_reset(payload, job))
                    continue
                _record_single(task_id, response.status_code, payload, report)
                break
            else:
                report.not_renewed[task_id] = "gave up after repeated 503s"
    report.client_503s = rejected
    if blocked:
        report.notes.append(f"waited for the operating-time reset {blocked} time(s) (HTTP 429)")


def _until_reset(payload: Any, job: Job) -> float:
    """Seconds until the portal's `operating_reset_at`; a portal minute when it gives none."""
    timing = payload.get("time") if isinstance(payload, dict) else None
    reset_at = timing.get("operating_reset_at") if isinstance(timing, dict) else None
    if isinstance(reset_at, int | float):
        return max(0.0, float(reset_at) - time.time()) + job.scaled(0.5)
    return job.scaled(60.0)


def _json_or_none(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _record_single(task_id: int, status: int, payload: Any, report: Report) -> None:
    result = payload.get("result") if isinstance(payload, dict) else None
    task = result.get("task") if isinstance(result, dict) else None
    if status == 200 and isinstance(task, dict) and int(task.get("status") or 0) == PENDING:
        report.renewed.append(task_id)
    elif isinstance(payload, dict) and payload.get("error"):
        report.not_renewed[task_id] = str(payload["error"])
    else:
        report.not_renewed[task_id] = f"HTTP {status}, unexpected answer"


# --- dispatch --------------------------------------------------------------------------------

Runner = Callable[[Job, Report], Any]
RUNNERS: dict[tuple[str, str], Runner] = {
    ("b24desk", "list"): b24desk_list,
    ("b24desk", "renew"): b24desk_renew,
    ("fast_bitrix24", "list"): fast_bitrix24_list,
    ("fast_bitrix24", "renew"): fast_bitrix24_renew,
    ("b24pysdk", "list"): b24pysdk_list,
    ("per-task", "renew"): per_task_renew,
}
PRELOAD: dict[str, tuple[str, ...]] = {
    "b24desk": (
        "b24desk.core.bitrix",
        "b24desk.core.credentials",
        "b24desk.core.model",
        "b24desk.core.renew.engine",
        "b24desk.core.renew.journal",
        "b24desk.core.bitrix.ratelimit",
    ),
    "fast_bitrix24": ("fast_bitrix24", "fast_bitrix24.server_response", "fast_bitrix24.srh"),
    "b24pysdk": ("b24pysdk", "b24pysdk.api.callers.call_method"),
    "per-task": ("httpx",),
}
"""Everything each runner imports, loaded before the clock starts (lazy imports inside the
libraries on first use still count, as they would for any user)."""


def run_job(job: Job) -> Report:
    runner = RUNNERS.get((job.tool, job.action))
    if runner is None:
        raise ValueError(f"no benchmark runner for {job.tool} {job.action}")
    for module in PRELOAD[job.tool]:
        importlib.import_module(module)  # imports are not part of the timed work
    report = Report(rss_before_kb=_max_rss_kb())
    started = time.perf_counter()
    try:
        outcome = runner(job, report)
        if asyncio.iscoroutine(outcome):
            asyncio.run(outcome)
    except Exception as error:  # the report says what broke; the run goes on
        report.error = f"{type(error).__name__}: {error}"
    report.wall_s = time.perf_counter() - started
    report.rss_peak_kb = _max_rss_kb()
    return report


def main() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    raw = json.loads(sys.stdin.read())
    job = Job(**raw)
    report = run_job(job)
    code = job.webhook_url.rstrip("/").rsplit("/", 1)[-1]
    text = json.dumps(asdict(report))
    sys.stdout.write(text.replace(code, "***") + "\n")


if __name__ == "__main__":
    main()
