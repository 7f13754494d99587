"""One scenario end to end: a fresh portal, the tool in a worker process, the accounting.

"Accounted for" compares what the tool told its caller with the portal's final state:
- listing: each expected completed task listed once (duplicates, misses and strays count
  against it);
- renewing: a task reported renewed must now be status 2; a task reported not renewed must
  be unchanged; a task the tool said nothing about is not accounted for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from b24desk.sandbox import SandboxPortal, Status, serve
from benchmarks.config import Scenario, Settings
from benchmarks.portals import (
    Probe,
    Realism,
    completed_visible,
    iter_changed,
    list_portal,
    make_realistic,
    renew_job,
    server_workarounds,
    statuses_of,
)

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class ScenarioResult:
    scenario: str
    tool: str
    action: str
    tasks: int
    blocked: int
    http_requests: int
    http_503: int
    wall_s: float
    portal_busy_s: float
    """Time the sandbox spent answering (its own Python work, not the latency it adds)."""
    accounted: int
    wrong: int
    unaccounted: int
    inferred: bool
    portal_renewed: int | None
    method_calls: dict[str, int]
    peak_rss_mb: float
    rss_growth_mb: float
    client_503s: int | None
    http_statuses: dict[str, int]
    details: dict[str, float]
    error: str | None
    notes: list[str] = field(default_factory=list)
    seed: int = 0
    latency_ms: float = 0.0
    limits: str = ""
    time_scale: float = 0.0
    """Wall seconds per portal second (0: the portal answered at once)."""
    http_504: int = 0
    sent_twice: int | None = None
    """Tasks whose renew ran more than once on the portal (counted on realistic portals)."""
    first_rows_s: float | None = None
    """Listing: wall seconds until the tool handed over its first rows."""

    @property
    def portal_s(self) -> float:
        """The wall time in a real portal's seconds (wall / scale; at scale 0, wall)."""
        return self.wall_s / self.time_scale if self.time_scale > 0 else self.wall_s

    @property
    def all_accounted(self) -> bool:
        return self.accounted == self.tasks and not self.wrong

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Expectation:
    """What the portal looked like before the tool ran, for the accounting."""

    tasks: int
    listed: frozenset[int] = frozenset()
    task_ids: tuple[int, ...] = ()
    blocked_ids: frozenset[int] = frozenset()
    before: Mapping[int, int] = field(default_factory=dict)


def run_scenario(scenario: Scenario, settings: Settings) -> ScenarioResult:
    portal, job, expectation = _prepare(scenario, settings)
    realism = make_realistic(portal) if settings.time_scale > 0 else None
    job["time_scale"] = settings.time_scale
    probe = Probe(portal)
    with server_workarounds(probe), serve(portal, host="127.0.0.1", port=0) as base_url:
        job["webhook_url"] = portal.webhook_url(base_url)
        worker = _run_worker(job, settings.worker_timeout_s, portal.webhook_code)
        probe.wait_until_idle(quiet_s=max(0.3, 5 * settings.latency_ms / 1000))
    return _result(scenario, settings, portal, probe, worker, expectation, realism)


def _prepare(
    scenario: Scenario, settings: Settings
) -> tuple[SandboxPortal, dict[str, Any], Expectation]:
    job: dict[str, Any] = {"tool": scenario.tool, "action": scenario.action}
    if scenario.action == "list":
        portal = list_portal(settings)
        listed = frozenset(completed_visible(portal))
        return portal, job, Expectation(tasks=len(listed), listed=listed)
    renew = renew_job(settings, blocked=scenario.blocked)
    job["task_ids"] = renew.task_ids
    job["retry_pause_s"] = settings.retry_pause_s
    expectation = Expectation(
        tasks=len(renew.task_ids),
        task_ids=tuple(renew.task_ids),
        blocked_ids=renew.blocked_ids,
        before=statuses_of(renew.portal),
    )
    return renew.portal, job, expectation


def _run_worker(job: dict[str, Any], timeout_s: float, secret: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), _pythonpath()]))}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.worker"],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=timeout_s,
            cwd=ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"the worker did not finish within {timeout_s:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-3:]
        text = " | ".join(tail).replace(secret, "***")
        return {"error": f"the worker failed (exit {done.returncode}): {text}"}
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def _pythonpath() -> str:
    return os.environ.get("PYTHONPATH", "")


def _result(
    scenario: Scenario,
    settings: Settings,
    portal: SandboxPortal,
    probe: Probe,
    worker: dict[str, Any],
    expectation: Expectation,
    realism: Realism | None = None,
) -> ScenarioResult:
    if scenario.action == "list":
        accounted, wrong, unaccounted, notes = _account_listing(worker, expectation)
        renewed: int | None = None
    else:
        accounted, wrong, unaccounted, notes = _account_renew(worker, expectation, portal, probe)
        renewed = sum(portal.tasks[i].status == Status.PENDING for i in expectation.task_ids)
    rss_before = int(worker.get("rss_before_kb") or 0)
    rss_peak = int(worker.get("rss_peak_kb") or 0)
    return ScenarioResult(
        scenario=scenario.name,
        tool=scenario.tool,
        action=scenario.action,
        tasks=expectation.tasks,
        blocked=len(expectation.blocked_ids),
        http_requests=portal.http_requests,
        http_503=probe.rejected_503,
        wall_s=round(float(worker.get("wall_s") or 0.0), 3),
        portal_busy_s=round(probe.busy_s, 3),
        accounted=accounted,
        wrong=wrong,
        unaccounted=unaccounted,
        inferred=bool(worker.get("inferred")),
        portal_renewed=renewed,
        method_calls=dict(portal.method_calls),
        peak_rss_mb=round(rss_peak / 1024, 1),
        rss_growth_mb=round(max(0, rss_peak - rss_before) / 1024, 1),
        client_503s=worker.get("client_503s"),
        http_statuses={str(k): v for k, v in sorted(probe.statuses.items())},
        details=dict(worker.get("details") or {}),
        error=worker.get("error"),
        notes=[*worker.get("notes", []), *notes],
        seed=settings.seed,
        latency_ms=settings.latency_ms,
        limits=settings.limits,
        time_scale=settings.time_scale,
        http_504=probe.statuses[504],
        sent_twice=realism.sent_twice if realism is not None else None,
        first_rows_s=worker.get("first_rows_s"),
    )


def _account_listing(
    worker: Mapping[str, Any], expectation: Expectation
) -> tuple[int, int, int, list[str]]:
    times = Counter(int(i) for i in worker.get("listed") or [])
    once = sum(1 for task_id in expectation.listed if times[task_id] == 1)
    duplicates = sum(n - 1 for n in times.values() if n > 1)
    strays = sum(1 for task_id in times if task_id not in expectation.listed)
    missing = sum(1 for task_id in expectation.listed if task_id not in times)
    notes = []
    if duplicates:
        notes.append(f"{duplicates} extra row(s): tasks listed more than once")
    if strays:
        notes.append(f"{strays} listed task(s) are not completed or not visible")
    if missing:
        notes.append(f"{missing} completed task(s) missing from the listing")
    return once, duplicates + strays, missing, notes


def _account_renew(
    worker: Mapping[str, Any], expectation: Expectation, portal: SandboxPortal, probe: Probe
) -> tuple[int, int, int, list[str]]:
    renewed = {int(i) for i in worker.get("renewed") or []}
    not_renewed = {int(i) for i in (worker.get("not_renewed") or {})}
    correct = wrong = unaccounted = 0
    for task_id in expectation.task_ids:
        now = portal.tasks[task_id].status
        if task_id in renewed:
            ok = now == Status.PENDING
        elif task_id in not_renewed:
            ok = now == expectation.before[task_id]
        else:
            unaccounted += 1
            continue
        correct += ok
        wrong += not ok
    notes = []
    if probe.hang_ups:
        notes.append(f"the client hung up on {probe.hang_ups} answer(s) the portal had run")
    if worker.get("inferred"):
        notes.append("no per-task answer: counted from what the exception names")
    asked = set(expectation.task_ids)
    collateral = [i for i in iter_changed(dict(expectation.before), portal) if i not in asked]
    if collateral:
        notes.append(f"{len(collateral)} task(s) outside the job changed status")
    return correct, wrong, unaccounted, notes
