"""`b24desk diagnose`: a report file from a profile, a webhook or stdin, and bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from cli_support import Cli, Sandbox, closed_port

from b24desk.core.diagnose import MASKED_HOST, READ_ONLY_METHODS, REPORT_FORMAT


def read_report(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_diagnose_with_a_profile_writes_the_report_and_says_where(
    cli: Cli, home: Path, sandbox: Sandbox, tmp_path: Path
) -> None:
    assert cli("profile", "add", "office", "--webhook", sandbox.url).code == 0
    before = {t.id: t.status for t in sandbox.portal.tasks.values()}
    out = tmp_path / "report.json"

    result = cli("diagnose", "--profile", "office", "--out", str(out))

    assert result.code == 0, result.err
    assert f"Saved the diagnostic report to {out}" in result.err
    assert "read-only requests" in result.err
    report = read_report(out)
    assert report["format"] == REPORT_FORMAT
    text = out.read_text(encoding="utf-8")
    assert sandbox.code not in text
    assert sandbox.code not in result.out + result.err
    assert "127.0.0.1" in text  # the host stays unless asked to mask it
    assert {t.id: t.status for t in sandbox.portal.tasks.values()} == before
    assert set(sandbox.portal.method_calls) <= READ_ONLY_METHODS


def test_diagnose_with_the_webhook_on_stdin_masks_the_host(
    cli: Cli, home: Path, sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(sandbox.url + "\n"))
    out = tmp_path / "masked.json"

    result = cli("diagnose", "--webhook", "-", "--out", str(out), "--mask-host")

    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "127.0.0.1" not in text
    assert MASKED_HOST in text
    assert sandbox.code not in text


def test_diagnose_of_an_unreachable_portal_still_writes_a_report(
    cli: Cli, home: Path, sandbox: Sandbox, tmp_path: Path
) -> None:
    unreachable = sandbox.url.replace(sandbox.base, f"http://127.0.0.1:{closed_port()}")
    out = tmp_path / "unreachable.json"

    result = cli("diagnose", "--webhook", unreachable, "--out", str(out))

    assert result.code == 3
    probes = read_report(out)["probes"]
    assert isinstance(probes, list)
    assert {p["outcome"] for p in probes} == {"failed"}


def test_diagnose_into_a_missing_folder_is_refused_before_connecting(
    cli: Cli, home: Path, sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "no such folder" / "report.json"
    result = cli("diagnose", "--webhook", sandbox.url, "--out", str(out))
    assert result.code == 2
    assert "does not exist" in result.err
    assert sandbox.portal.http_requests == 0


def test_diagnose_needs_out(cli: Cli, home: Path, sandbox: Sandbox) -> None:
    result = cli("diagnose", "--webhook", sandbox.url)
    assert result.code == 2
    assert "--out" in result.err
