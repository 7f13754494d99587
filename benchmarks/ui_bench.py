"""How the window feels, in numbers: event-loop stalls, memory and start-up time.

    .venv/bin/python benchmarks/ui_bench.py              # everything (about a minute)
    .venv/bin/python benchmarks/ui_bench.py --rows 20000 --renew 1000   # quicker
    .venv/bin/python benchmarks/ui_bench.py --only load --rows 1000000  # growth (minutes)

* **Stalls while loading** `--rows` tasks (100,000 by default) through the real controller:
  a heartbeat QTimer ticks every 5 ms on the GUI thread; a gap much longer than that is time
  the window could not repaint or react. The portal here is a synthetic one that answers at
  once (40 chained-list requests of 2,500 tasks) from another process, so every stall
  measured is the window's own work (decoding, the model's inserts, painting, sort orders
  prepared in the background), not the network's. `first_rows_s`: until the first rows show;
  `settled_s`: until the background work after the load is done.
* **Memory** of the process before and after those rows are in the table (RSS, after a GC).
* **Then, on those rows**: select all, invert, sort by every column both ways, a text filter
  and typing into the search box (a key every 80 ms). `*_ms` is the click's own time (the
  window is busy that long); `sort_any_shown_worst_ms` is until the new order is on screen
  (a sort not prepared yet is done in steps meanwhile); `*_stall_ms` is the longest heartbeat
  gap from the click until 100 ms after the result.
* **Stalls while renewing** `--renew` tasks (5,000) on the sandbox portal (in-process, in its
  worker thread as in demo mode, 30 ms latency per request, no rate limits): load, select,
  confirm, run with per-row statuses, progress and the problems panel.
* **Time to window shown**: `b24desk --demo` started as a process; the time from spawning it
  to the window's first turn of the event loop, and to the demo tasks being in the table.

The machine line gives the load average: on a shared machine, stalls grow with it.
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import gc
import json
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

if __package__ in (None, ""):  # run as a script: make `b24desk` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
from PySide6.QtCore import QElapsedTimer, QItemSelection, QItemSelectionModel, Qt, QTimer

ROOT = Path(__file__).resolve().parents[1]
FIRST_NAMES = ["Anna", "Иван", "Olga", "Дмитрий", "Julia", "Сергей", "Mark", "Елена"]
LAST_NAMES = ["Smith", "Петров", "Kuznetsova", "Соколов", "Fischer", "Иванова", "Brown"]
GROUPS = ["", "Website relaunch", "Отдел продаж", "Customer support", "Бухгалтерия"]


# -- measuring ---------------------------------------------------------------------------------


class Heartbeat:
    """A timer on the GUI thread; the gaps between its ticks are the loop's stalls."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval_ms = interval_ms
        # Gaps kept as raw doubles: a float object a tick, made all through a load, would
        # pin the allocator's arenas and add to the memory measured.
        self.gaps_ms = array("d")
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        del self.gaps_ms[:]
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        self.gaps_ms.append(self._clock.nsecsElapsed() / 1e6)
        self._clock.restart()

    def summary(self) -> dict[str, float]:
        gaps = sorted(self.gaps_ms) or [0.0]
        return {
            "ticks": len(self.gaps_ms),
            "max_stall_ms": round(gaps[-1], 1),
            "p99_ms": round(gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))], 1),
            "median_ms": round(statistics.median(gaps), 1),
            "over_50ms": sum(1 for g in gaps if g > 50),
            "over_100ms": sum(1 for g in gaps if g > 100),
        }


def cpu_times() -> list[int]:
    """The machine's CPU counters (Linux /proc/stat: user nice system idle iowait irq
    softirq steal), or zeros."""
    try:
        return [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    except (OSError, ValueError):
        return [0] * 8


def steal_percent(before: list[int], after: list[int]) -> float:
    """Share of the machine's CPU time taken by the host from this VM (steal) between two
    readings: a high figure means the stalls measured include waiting for a CPU."""
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent)
    return round(100 * spent[7] / total, 1) if total else 0.0


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1024 if sys.platform != "darwin" else peak / 2**20


async def until(condition: Callable[[], bool], within: float = 600.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("ui_bench: timed out")
        await asyncio.sleep(0.01)


# -- a portal that answers at once -------------------------------------------------------------


def synthetic_task(task_id: int) -> dict[str, Any]:
    responsible = task_id % 97 + 1
    creator = task_id % 89 + 1
    group = task_id % len(GROUPS)
    day = 1 + task_id % 28
    return {
        "id": str(task_id),
        "title": f"Task {task_id}: подготовить отчёт / prepare report",
        "status": "5",
        "responsibleId": str(responsible),
        "createdBy": str(creator),
        "groupId": str(group),
        "closedDate": f"2025-{1 + task_id % 12:02d}-{day:02d}T10:{task_id % 60:02d}:00+03:00",
        "closedBy": str(responsible),
        "responsible": {"id": str(responsible), "name": person(responsible)},
        "creator": {"id": str(creator), "name": person(creator)},
        "group": {"id": str(group), "name": GROUPS[group]} if group else [],
    }


def person(user_id: int) -> str:
    return f"{FIRST_NAMES[user_id % len(FIRST_NAMES)]} {LAST_NAMES[user_id % len(LAST_NAMES)]}"


class InstantPortal(httpx.AsyncBaseTransport):
    """Just enough of tasks.task.list (count and chained pages by id) for `rows` tasks.

    The answers are made in another process, as a server would make them elsewhere: what
    the GUI thread then spends is the client's own work (decoding, parsing, the UI). (Made
    in a thread of this process, as before 2026-12-07, the portal's own JSON encoding held
    Python's lock for ~10 ms a request and showed up as the window's stalls.)
    """

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.requests = 0
        context = multiprocessing.get_context("spawn")
        self._pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=context)

    async def warm_up(self) -> None:
        """Start the portal's process before anything is measured."""
        await asyncio.wrap_future(self._pool.submit(portal_answer, 1, "/x/batch.json", b"{}"))

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        await request.aread()
        job = self._pool.submit(portal_answer, self.rows, request.url.path, request.content)
        status, content = await asyncio.wrap_future(job)
        headers = {"Content-Type": "application/json"}
        return httpx.Response(status, headers=headers, content=content, request=request)


def portal_answer(rows: int, path: str, content: bytes) -> tuple[int, bytes]:
    """The instant portal's answer to one request (runs in the portal's process)."""
    body = json.loads(content or b"{}")
    method = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
    if method == "tasks.task.list":  # the count
        payload: dict[str, Any] = {"result": {"tasks": []}, "total": rows}
    elif method == "batch":
        payload = {"result": portal_pages(rows, body.get("cmd") or {})}
    else:
        payload = {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "not here"}
        return 404, json.dumps(payload).encode()
    payload["time"] = {"start": time.time(), "finish": time.time(), "duration": 0.001}
    return 200, json.dumps(payload, ensure_ascii=False).encode("utf-8")


def portal_pages(rows: int, commands: dict[str, str]) -> dict[str, Any]:
    """Chained pages by id (`>ID`, literal or `$result[...]`, and `<=ID`), the highest id
    (order desc) and the count (`start=0`), as the listing asks for them."""
    results: dict[str, Any] = {}
    totals: dict[str, int] = {}
    cursor = 0
    for key, command in commands.items():
        query = parse_qs(command.partition("?")[2])
        if query.get("order[ID]") == ["desc"]:
            results[key] = {"tasks": [{"id": str(i)} for i in range(rows, max(0, rows - 50), -1)]}
            continue
        after = (query.get("filter[>ID]") or ["0"])[0]
        if after.isdigit():
            cursor = int(after)
        upper = min(rows, int((query.get("filter[<=ID]") or [str(rows)])[0]))
        if query.get("start") == ["0"]:
            totals[key] = max(0, upper - cursor)
        if query.get("select[0]") == ["ID"] and len([k for k in query if "select" in k]) == 1:
            results[key] = {
                "tasks": [{"id": str(i)} for i in range(cursor + 1, min(upper, cursor + 50) + 1)]
            }
            continue
        last = min(upper, cursor + 50)
        results[key] = {"tasks": [synthetic_task(i) for i in range(cursor + 1, last + 1)]}
        cursor = last
    return {
        "result": results,
        "result_error": [],
        "result_total": totals or [],
        "result_next": [],
        "result_time": [],
    }


# -- scenarios ---------------------------------------------------------------------------------


def make_window(services: Any) -> tuple[Any, Any]:
    from b24desk.ui.app import build_main_window

    window, controller = build_main_window(services)
    window.resize(1280, 780)
    window.show()
    return window, controller


def bench_services(tmp: Path, transport: Callable[[], Any]) -> Any:
    from PySide6.QtCore import QSettings

    from b24desk.core.credentials import Connections, ProfileStore, SecretStore
    from b24desk.ui.services import Services

    secrets = SecretStore()
    secrets.use_session_only()
    services = Services(
        connections=Connections(ProfileStore(tmp / "profiles.json"), secrets),
        settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
        journal_path=tmp / "journal.jsonl",
        transport=transport,
        environ={},
        round_pause_s=0.0,
    )
    services.confirm = lambda parent, confirmation, answer: answer(confirmation.can_proceed)
    return services


async def load_rows(rows: int, tmp: Path) -> dict[str, Any]:
    from b24desk.core.connection import ConnectionVerdict, VerdictKind
    from b24desk.core.credentials import WebhookAddress
    from b24desk.core.session import ConnectionTarget, open_session

    portal = InstantPortal(rows)

    async def transport() -> httpx.AsyncBaseTransport:
        return portal

    services = bench_services(tmp, transport)
    window, controller = make_window(services)
    address = WebhookAddress("https://instant.invalid", 1, "fakewebhookcode0000")
    session = await open_session(
        services.connections,
        ConnectionTarget(None, address, "bench"),
        journal_path=services.journal_path,
        transport=portal,
        detect_rate=False,
    )
    controller.session = session
    controller.verdict = ConnectionVerdict(True, VerdictKind.READY, "", "instant.invalid")
    window.set_connection("instant.invalid", "Bench")
    await portal.warm_up()
    await asyncio.sleep(0.2)
    gc.collect()
    before = rss_mb()
    beat = Heartbeat()
    beat.start()
    cpu_before = cpu_times()
    started = time.perf_counter()
    controller.load()
    await until(lambda: window.task_model.rowCount() > 0)
    first_rows_s = time.perf_counter() - started
    await until(lambda: controller.phase.value == "idle" and window.task_model.pending_count == 0)
    loaded_s = time.perf_counter() - started
    # Sort orders are prepared in the background once the rows are in: count its stalls too.
    await until(lambda: not background_busy(window))
    settled_s = time.perf_counter() - started
    await asyncio.sleep(0.3)  # the coalesced counters and filter choices
    beat.stop()
    steal = steal_percent(cpu_before, cpu_times())
    gc.collect()
    after = rss_mb()
    result: dict[str, Any] = {
        "cpu_steal_pct": steal,
        "rows": window.task_model.rowCount(),
        "requests": portal.requests,
        "first_rows_s": round(first_rows_s, 2),
        "seconds": round(loaded_s, 2),
        "settled_s": round(settled_s, 2),
        **beat.summary(),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "rss_growth_mb": round(after - before, 1),
        "kb_per_row": round((after - before) * 1024 / max(1, rows), 2),
    }
    # What an admin does next with all of it. Each action's own call is timed (the time the
    # window is busy with the click), then the heartbeat runs on until the result is shown
    # (a sort may be finished in background steps) and 100 ms more: its longest gap is the
    # worst stall the action caused.
    from b24desk.core.model import TaskFilter

    def sort_by(column: int, order: Qt.SortOrder) -> Callable[[], None]:
        return lambda: window.table.sortByColumn(column, order)

    def is_sorted() -> bool:
        return bool(getattr(window.proxy, "is_sorted", lambda: True)())

    async def act(action: Callable[[], object], done: Callable[[], bool]) -> tuple[float, ...]:
        beat = Heartbeat()
        beat.start()
        started = time.perf_counter()
        action()
        call_ms = (time.perf_counter() - started) * 1000
        await until(done)
        done_ms = (time.perf_counter() - started) * 1000
        await asyncio.sleep(0.1)
        beat.stop()
        return round(call_ms, 1), round(done_ms, 1), beat.summary()["max_stall_ms"]

    result["select_all_ms"] = (await act(window.action_select_all.trigger, lambda: True))[0]
    result["invert_selection_ms"] = (await act(window.action_invert.trigger, lambda: True))[0]
    ascending, descending = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    result["sort_by_title_ms"] = (await act(sort_by(1, ascending), is_sorted))[0]
    result["sort_by_closed_ms"] = (await act(sort_by(5, descending), is_sorted))[0]
    sorts = [
        await act(sort_by(column, order), is_sorted)
        for column in range(window.proxy.columnCount())
        for order in (ascending, descending)
    ]
    result["sort_any_worst_ms"] = max(call for call, _, _ in sorts)
    result["sort_any_shown_worst_ms"] = max(done for _, done, _ in sorts)
    result["sort_any_worst_stall_ms"] = max(stall for _, _, stall in sorts)
    search = TaskFilter(search="отчёт 9")
    result["text_filter_ms"] = (
        await act(lambda: window.filter_bar.set_filter(search), lambda: True)
    )[0]
    result["clear_filter_ms"] = (await act(window.filter_bar.reset, lambda: True))[0]
    # Typing into the search box, a key every 80 ms: "отчет" without ё, as people type it.
    typed = "9: подготовить отчет"
    beat = Heartbeat()
    beat.start()
    for length in range(1, len(typed) + 1):
        window.filter_bar.search.setText(typed[:length])
        await asyncio.sleep(0.08)
    await asyncio.sleep(0.5)
    beat.stop()
    result["typing_worst_stall_ms"] = beat.summary()["max_stall_ms"]
    result["typing_shown_rows"] = window.proxy.rowCount()
    window.filter_bar.reset()
    await controller.aclose()
    dispose(window)
    portal.close()
    return result


def background_busy(window: Any) -> bool:
    jobs = getattr(window.task_model, "jobs", None)
    return bool(jobs is not None and jobs.busy())


def dispose(window: Any) -> None:
    """Close and delete on the GUI thread: left to Python's cyclic GC, a window may be
    destroyed from whatever thread triggered the collection (a worker's), which Qt forbids."""
    window.close_guard = None
    window.close()
    window.deleteLater()
    _disposed.append(window)


_disposed: list[Any] = []


async def renew_rows(count: int, tmp: Path) -> dict[str, Any]:
    from b24desk.core.model import TaskOutcome
    from b24desk.demo import DemoPortal, demo_config

    task_count = max(2_500, int(count * 2.45))  # about 41% of sandbox tasks are completed
    demo = DemoPortal(
        demo_config(
            task_count=task_count,
            latency_ms=30,
            faults="",
            limits="off",
            admin=True,
            time_scale=0,  # the window's own costs, not the portal's
        ),
        flaky_every=0,
        colleague_reopens=0,
    )
    await demo.start()
    services = bench_services(tmp, demo.transport)
    services.demo = None  # a normal window on the sandbox (demo mode would also auto-load)
    window, controller = make_window(services)
    from b24desk.core.credentials import parse_webhook_url
    from b24desk.core.session import ConnectionTarget

    target = ConnectionTarget(None, parse_webhook_url(demo.webhook_url()), "bench")
    controller.connect_to(target)
    await until(lambda: window.is_connected and controller.phase.value == "idle")
    controller.load()
    await until(lambda: controller.phase.value == "idle")
    window.task_model.flush()
    available = window.proxy.rowCount()
    chosen = min(count, available)
    selection = window.table.selectionModel()
    top = window.proxy.index(0, 0)
    bottom = window.proxy.index(chosen - 1, window.proxy.columnCount() - 1)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    selection.select(QItemSelection(top, bottom), flags | QItemSelectionModel.SelectionFlag.Rows)
    await until(lambda: window.action_renew.isEnabled())
    beat = Heartbeat()
    beat.start()
    started = time.perf_counter()
    window.action_renew.trigger()
    await asyncio.sleep(0.05)
    await until(lambda: controller.phase.value == "idle")
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.2)
    beat.stop()
    result = {
        "tasks": chosen,
        "renewed": window.task_model.outcome_count(TaskOutcome.RENEWED),
        "seconds": round(elapsed, 2),
        **beat.summary(),
    }
    await controller.aclose()
    dispose(window)
    services.close()
    return result


START_PROBE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from b24desk.ui.app import make_application
from b24desk.cli import main

app = make_application()
marks = {}

def tick():
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "mainWindow" and widget.isVisible():
            marks.setdefault("shown", time.time())
            if widget.task_model.rowCount() and "loaded" not in marks:
                marks["loaded"] = time.time()
                print(json.dumps(marks), flush=True)
                widget.close()
                return
    QTimer.singleShot(5, tick)

import json
QTimer.singleShot(0, tick)
sys.exit(main(["--demo"]))
"""


def start_times(runs: int, tmp: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "B24DESK_HOME": str(tmp / "home"),
        "XDG_CONFIG_HOME": str(tmp / "xdg"),
    }
    shown, loaded = [], []
    for _ in range(runs):
        spawned = time.time()
        result = subprocess.run(
            [sys.executable, "-c", START_PROBE],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        line = next((x for x in result.stdout.splitlines() if x.startswith("{")), None)
        if result.returncode != 0 or line is None:
            raise SystemExit(f"ui_bench: b24desk --demo failed:\n{result.stderr[-2000:]}")
        marks = json.loads(line)
        shown.append(marks["shown"] - spawned)
        loaded.append(marks["loaded"] - spawned)
    return {
        "runs": runs,
        "window_shown_s": round(statistics.median(shown), 2),
        "window_shown_min_s": round(min(shown), 2),
        "demo_tasks_in_table_s": round(statistics.median(loaded), 2),
    }


# -- main --------------------------------------------------------------------------------------


def machine_line() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.system()} "
        f"{platform.release()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def print_section(title: str, figures: dict[str, Any]) -> None:
    print(f"\n{title}")
    for key, value in figures.items():
        print(f"  {key:<24} {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="tasks to load (100000)")
    parser.add_argument("--renew", type=int, default=5_000, help="tasks to renew (5000)")
    parser.add_argument("--starts", type=int, default=3, help="start-up runs (3)")
    parser.add_argument(
        "--only",
        default="load,renew,start",
        help="which parts to run, comma-separated (load,renew,start)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    args = parser.parse_args(argv)
    for name in ("rows", "renew", "starts"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    parts = {part.strip() for part in args.only.split(",") if part.strip()}
    if not parts or parts - {"load", "renew", "start"}:
        parser.error("--only takes load, renew and/or start")

    import tempfile

    from b24desk.ui.app import make_application
    from b24desk.ui.bridge import install_event_loop

    app = make_application()
    app.setQuitOnLastWindowClosed(False)
    loop = install_event_loop(app)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="b24desk-ui-bench-") as folder:
        tmp = Path(folder)
        (tmp / "load").mkdir()
        (tmp / "renew").mkdir()

        async def everything() -> None:
            if "load" in parts:
                results["load"] = await load_rows(args.rows, tmp / "load")
            if "renew" in parts:
                results["renew"] = await renew_rows(args.renew, tmp / "renew")

        with loop:
            loop.run_until_complete(everything())
        if "start" in parts:
            results["start"] = start_times(args.starts, tmp)

    if args.json:
        results["machine"] = machine_line()
        print(json.dumps(results))
        return 0
    print(f"b24desk UI benchmark (Qt platform {app.platformName()}, heartbeat every 5 ms)")
    print(machine_line())
    titles = {
        "load": f"Loading {args.rows:,} tasks (instant synthetic portal, another process)",
        "renew": f"Renewing {args.renew:,} tasks on the sandbox (30 ms latency)",
        "start": "Start-up of b24desk --demo (median)",
    }
    for part, title in titles.items():
        if part in results:
            print_section(title, results[part])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
