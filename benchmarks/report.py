"""Printing results: one JSON object per line, or a table a person can read."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime

from benchmarks.config import Settings
from benchmarks.harness import ScenarioResult

COLUMNS = (
    ("Scenario", "<"),
    ("HTTP req", ">"),
    ("503s", ">"),
    ("Wall s", ">"),
    ("Portal s", ">"),
    ("Accounted", ">"),
    ("Renewed on portal", ">"),
    ("Peak RSS MB (+run)", ">"),
)


def json_line(result: ScenarioResult) -> str:
    return json.dumps(result.as_json(), ensure_ascii=False, sort_keys=False)


def machine() -> str:
    cpu = _cpu_name() or platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def header(settings: Settings, quick: bool) -> list[str]:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    blocked = len(settings.blocked_positions())
    return [
        f"b24desk benchmarks ({'quick' if quick else 'full'}), {stamp}",
        f"Machine: {machine()}; load average at start {load_average()}",
        (
            f"Sandbox: loopback HTTP, limits {settings.limits} (burst 50, 2 req/s), "
            f"{settings.latency_ms:g} ms latency per request, seed {settings.seed}, "
            "one fresh portal per scenario"
        ),
        (
            f"List {settings.list_tasks} completed tasks (admin webhook); renew "
            f"{settings.renew_tasks} tasks (ordinary user's webhook), blocked variant: "
            f"{blocked} of them ({settings.blocked_every // 2 + 1}th of every "
            f"{settings.blocked_every}) only audited, so the portal refuses them"
        ),
        (
            f"per-task = one tasks.task.renew per task with httpx, in turn; after a 503 "
            f"it sleeps {settings.retry_pause_s:g} s and retries"
        ),
        (
            "Workarounds: TCP_NODELAY set on the sandbox server's sockets (else ~40 ms "
            "Nagle/delayed-ACK stall per answer); b24pysdk's https:// URL patched to http://"
        ),
        (
            "HTTP req and 503s are counted by the portal; Portal s = time the sandbox spent "
            "running requests; Peak RSS = the tool's process (+ growth during the run)"
        ),
    ]


def table(results: Sequence[ScenarioResult]) -> list[str]:
    rows = [_row(r) for r in results]
    widths = [
        max(len(title), *(len(row[i]) for row in rows)) if rows else len(title)
        for i, (title, _) in enumerate(COLUMNS)
    ]
    lines = [
        "| " + " | ".join(t.ljust(w) for (t, _), w in zip(COLUMNS, widths, strict=True)) + " |",
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if a == ">" else ("-" * (w + 2))
            for (_, a), w in zip(COLUMNS, widths, strict=True)
        )
        + "|",
    ]
    for row in rows:
        cells = [
            cell.rjust(w) if align == ">" else cell.ljust(w)
            for cell, (_, align), w in zip(row, COLUMNS, widths, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def notes(results: Sequence[ScenarioResult]) -> list[str]:
    lines = []
    for result in results:
        for note in dict.fromkeys(result.notes):
            lines.append(f"- {result.scenario}: {note}")
        slow = {name: value for name, value in result.details.items() if value >= 0.5}
        if slow:
            spent = ", ".join(f"{name} {value:.1f} s" for name, value in slow.items())
            lines.append(f"- {result.scenario}: of the wall time, {spent}")
        odd = {code: n for code, n in result.http_statuses.items() if code not in ("200", "503")}
        if odd:
            answers = ", ".join(f"{n} x HTTP {code}" for code, n in odd.items())
            lines.append(f"- {result.scenario}: the portal also answered {answers}")
        if result.error:
            lines.append(f"- {result.scenario}: the tool ended with {result.error}")
    return lines


def _row(result: ScenarioResult) -> list[str]:
    accounted = f"{result.accounted}/{result.tasks}"
    if result.wrong:
        accounted += f" ({result.wrong} wrong)"
    if result.inferred:
        accounted += " (inferred)"
    renewed = "" if result.portal_renewed is None else str(result.portal_renewed)
    memory = f"{result.peak_rss_mb:.0f} (+{result.rss_growth_mb:.0f})"
    return [
        result.scenario,
        str(result.http_requests),
        str(result.http_503),
        f"{result.wall_s:.2f}",
        f"{result.portal_busy_s:.2f}",
        accounted,
        renewed,
        memory,
    ]
