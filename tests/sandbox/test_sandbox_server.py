"""The loopback server adapter and the `python -m b24desk.sandbox` command line."""

from __future__ import annotations

import queue
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sandbox_support import self_signed_certificate

from b24desk.sandbox import FaultPlan, PortalConfig, SandboxPortal, serve
from b24desk.sandbox.__main__ import build_parser, config_from
from b24desk.sandbox.phpquery import build_query


def live_portal(faults: str = "", **settings: object) -> SandboxPortal:
    config = PortalConfig(
        task_count=100,
        limits="off",
        faults=FaultPlan.parse(faults),
        **settings,  # type: ignore[arg-type]
    )
    return SandboxPortal(config)


def completed(portal: SandboxPortal) -> int:
    return next(t.id for t in portal.tasks.values() if t.status == 5)


def wait_until(condition: Callable[[], bool], limit_s: float = 20.0) -> bool:
    """Wait for something the server does in its own thread (a bound, not a measurement)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_serve_answers_like_the_mock_transport() -> None:
    portal = live_portal()
    with serve(portal, host="127.0.0.1", port=0) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        url = portal.webhook_url(base_url)
        with httpx.Client() as http:
            profile = http.post(url + "profile.json")
            listed = http.get(url + "tasks.task.list?filter[REAL_STATUS]=5&select[]=ID&start=-1")
            form = http.post(
                url + "user.get",
                content=build_query({"FILTER": {"ID": 3}}),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
    assert profile.json()["result"]["ID"] == "1"
    assert profile.headers["Content-Type"].startswith("application/json")
    assert "X-Bitrix-Rest-Time" in profile.headers
    done = sum(t.status == 5 for t in portal.tasks.values())
    assert len(listed.json()["result"]["tasks"]) == min(done, 50)
    assert [u["ID"] for u in form.json()["result"]] == ["3"]
    assert portal.http_requests == 3


def test_renew_over_http_changes_the_portal() -> None:
    portal = live_portal()
    task_id = completed(portal)
    with serve(portal) as base_url, httpx.Client() as http:
        answer = http.post(
            portal.webhook_url(base_url) + "tasks.task.renew", json={"taskId": task_id}
        )
    assert answer.json()["result"]["task"]["status"] == "2"
    assert portal.tasks[task_id].status == 2


@pytest.mark.parametrize(("fault", "applied"), [("reset", False), ("lost", True)])
def test_server_resets_the_connection(fault: str, applied: bool) -> None:
    portal = live_portal(f"at:1={fault}")
    task_id = completed(portal)
    with serve(portal) as base_url, httpx.Client() as http:
        url = portal.webhook_url(base_url) + "tasks.task.renew"
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            http.post(url, json={"taskId": task_id})
        assert (portal.tasks[task_id].status == 2) is applied
        again = http.post(url, json={"taskId": task_id})
    assert again.status_code == 200


@pytest.mark.parametrize(("fault", "applied_before_timeout"), [("slow", False), ("lostslow", True)])
def test_server_stalls_past_the_client_timeout(fault: str, applied_before_timeout: bool) -> None:
    portal = live_portal(f"at:1={fault},slow_s=1.5")
    task_id = completed(portal)
    with serve(portal) as base_url, httpx.Client(timeout=0.3) as http:
        url = portal.webhook_url(base_url) + "tasks.task.renew"
        with pytest.raises(httpx.ReadTimeout):
            http.post(url, json={"taskId": task_id})
        assert (portal.tasks[task_id].status == 2) is applied_before_timeout
        # A slow call still runs on the server once its stall is over.
        assert wait_until(lambda: portal.tasks[task_id].status == 2)


def test_server_answers_html_and_redirect_faults() -> None:
    portal = live_portal("at:1=html500,at:2=login302")
    with serve(portal) as base_url, httpx.Client() as http:
        url = portal.webhook_url(base_url) + "profile"
        page = http.post(url)
        redirect = http.post(url)
    assert page.status_code == 500
    assert "<html>" in page.text.lower() or "<!doctype html>" in page.text.lower()
    assert redirect.status_code == 302
    assert redirect.headers["Location"].startswith("/auth/?backurl=")


def test_server_sleeps_for_latency(monkeypatch: pytest.MonkeyPatch) -> None:
    import b24desk.sandbox.server as server_module

    waits: list[float] = []
    real_sleep = time.sleep

    def recording_sleep(delay: float) -> None:
        waits.append(delay)
        real_sleep(0)

    monkeypatch.setattr(server_module.time, "sleep", recording_sleep)
    portal = live_portal(latency_ms=120)
    with serve(portal) as base_url, httpx.Client() as http:
        assert http.post(portal.webhook_url(base_url) + "profile").status_code == 200
    assert 0.12 in waits


def test_serve_over_https_with_a_trusted_certificate(tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    portal = live_portal()
    with serve(portal, ssl_context=context) as base_url:
        assert base_url.startswith("https://127.0.0.1:")
        with httpx.Client(verify=ssl.create_default_context(cafile=str(cert))) as http:
            response = http.post(portal.webhook_url(base_url) + "profile")
        with httpx.Client() as untrusting, pytest.raises(httpx.ConnectError):
            untrusting.post(portal.webhook_url(base_url) + "profile")
    assert response.json()["result"]["ID"] == "1"


# --- command line ----------------------------------------------------------------------


@contextmanager
def sandbox_process(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "b24desk.sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        yield process, lines.get(timeout=60).strip()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_the_webhook_url_first_and_stops_on_a_signal(stop: signal.Signals) -> None:
    with sandbox_process("--port", "0", "--tasks", "40", "--seed", "3") as (process, url):
        assert url.startswith("http://127.0.0.1:")
        assert "/rest/1/sandbox" in url
        answer = httpx.post(url + "profile", timeout=10).json()
        assert answer["result"]["ADMIN"] is True
        listed = httpx.post(url + "tasks.task.list", json={"select": ["ID"]}, timeout=10).json()
        assert listed["total"] == 40
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0


def test_cli_options_reach_the_portal() -> None:
    args = ["--port", "0", "--tasks", "30", "--not-admin", "--legacy", "--limits", "enterprise"]
    with sandbox_process(*args, "--faults", "at:3=html500", "--latency-ms", "1") as (
        process,
        url,
    ):
        assert httpx.post(url + "profile", timeout=10).json()["result"]["ADMIN"] is False
        renew = httpx.post(url + "tasks.task.renew", json={"taskId": 1}, timeout=10)
        assert renew.json()["error"] == "ERROR_METHOD_NOT_FOUND"
        assert httpx.post(url + "profile", timeout=10).status_code == 500
        info = httpx.post(url + "app.info", timeout=10).json()["result"]
        assert info["LICENSE"] == "en_ent250"
        process.terminate()
        assert process.wait(timeout=30) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the following arguments are required: --port"),
        (["--port", "abc"], "port must be a number"),
        (["--port", "70000"], "port must be 0..65535"),
        (["--port", "0", "--tasks", "-5"], "must not be negative"),
        (["--port", "0", "--limits", "turbo"], "invalid choice: 'turbo'"),
        (["--port", "0", "--faults", "boom=1"], "unknown fault 'boom'"),
        (["--port", "0", "--latency-ms", "x"], "expected a number"),
        (["--port", "0", "--keyfile", "k.pem"], "--keyfile needs --certfile"),
        (["--port", "0", "--certfile", "/nonexistent.pem"], "cannot load the TLS certificate"),
        (["--port", "0", "--time-scale", "fast"], "expected a number, got 'fast'"),
        (["--port", "0", "--time-scale", "11"], "must be at most 10"),
        (["--port", "0", "--costs", "tasks.task.renew"], "is not METHOD=SECONDS"),
        (["--port", "0", "--costs", "tasks.task.renew=-2"], "must be a non-negative number"),
        (["--port", "0", "--lang", "de"], "invalid choice: 'de'"),
        (["--port", "0", "--gateway-timeout", "-1"], "must not be negative"),
        (["--port", "0", "--operating-budget", "0"], "--operating-budget must be positive"),
    ],
)
def test_cli_bad_arguments_exit_2_with_a_clear_message(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "b24desk.sandbox", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_cli_time_options_make_the_portal() -> None:
    parser = build_parser()
    timing = ["--time-scale", "0.05", "--costs", "tasks.task.renew=1.5,profile=0"]
    limits = ["--gateway-timeout", "0", "--operating-budget", "120", "--lang", "ru"]
    args = parser.parse_args(["--port", "0", *timing, *limits])
    config = config_from(parser, args)
    assert config.time_scale == 0.05
    assert config.cost_of("tasks.task.renew") == 1.5
    assert config.cost_of("profile") == 0
    assert config.cost_of("tasks.task.list") == 0.35, "the rest keep the docs' figures"
    assert config.gateway_timeout_s is None
    assert config.operating_budget_s == 120
    assert config.language == "ru"
    defaults = config_from(parser, parser.parse_args(["--port", "0"]))
    assert (defaults.time_scale, defaults.gateway_timeout_s, defaults.language) == (0, 60, "en")


def test_cli_serves_a_timed_russian_portal() -> None:
    args = ["--port", "0", "--tasks", "30", "--not-admin", "--lang", "ru"]
    with sandbox_process(*args, "--time-scale", "0.01", "--costs", "tasks.task.list=2.5") as (
        process,
        url,
    ):
        listed = httpx.post(
            url + "tasks.task.list",
            json={"filter": {"REAL_STATUS": 3, "RESPONSIBLE_ID": 1}, "select": ["ID"]},
            timeout=10,
        ).json()
        assert listed["time"]["processing"] == 2.5
        task_id = listed["result"]["tasks"][0]["id"]
        refused = httpx.post(url + "tasks.task.renew", json={"taskId": task_id}, timeout=10)
        assert refused.json() == {"error": "1048582", "error_description": "Действие не доступно"}
        process.terminate()
        assert process.wait(timeout=30) == 0


def test_server_logs_never_show_a_webhook_code_or_token() -> None:
    from b24desk.sandbox.server import redact

    line = '"POST /rest/1/sandboxabc123/profile.json?auth=sandboxaccess99&x=1 HTTP/1.1" 400'
    assert redact(line) == '"POST /rest/1/***/profile.json?auth=***&x=1 HTTP/1.1" 400'
    assert redact("GET /oauth/token/?refresh_token=r1&client_secret=s2") == (
        "GET /oauth/token/?refresh_token=***&client_secret=***"
    )


def test_server_error_log_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    import socket

    portal = live_portal()
    caplog.set_level("DEBUG", logger="b24desk.sandbox")
    with serve(portal) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            raw.sendall(f"BREW /rest/1/{portal.webhook_code}/profile HTTP/1.1\r\n\r\n".encode())
            assert raw.recv(4096).startswith(b"HTTP/1.1 501")
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "sandbox server:" in logged
    assert portal.webhook_code not in logged


def test_server_reads_chunked_request_bodies() -> None:
    portal = live_portal()

    def chunks() -> Iterator[bytes]:
        yield b'{"FILTER": '
        yield b'{"ID": 5}}'

    with serve(portal) as base_url, httpx.Client() as http:
        response = http.post(
            portal.webhook_url(base_url) + "user.get",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
    assert [u["ID"] for u in response.json()["result"]] == ["5"]


def test_answers_are_counted_by_status_and_hang_up() -> None:
    portal = live_portal("at:2=qle,at:3=reset")
    with serve(portal) as base_url, httpx.Client() as http:
        url = portal.webhook_url(base_url) + "profile"
        assert http.post(url).status_code == 200
        assert http.post(url).status_code == 503
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            http.post(url)
    assert portal.answers == {"200": 1, "503": 1, "reset": 1}


def test_a_client_hanging_up_early_prints_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    portal = live_portal("at:1=slow,slow_s=0.3", latency_ms=0)
    body = b"x" * 2_000_000  # big enough that writing it to a closed socket fails
    with serve(portal) as base_url, httpx.Client(timeout=0.05) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.post(portal.webhook_url(base_url) + "profile", content=body)
        http.close()
        assert wait_until(lambda: portal.answers["200"] == 1)
        time.sleep(0.5)  # let the handler thread finish writing to the closed socket
    assert "Traceback" not in capfd.readouterr().err
