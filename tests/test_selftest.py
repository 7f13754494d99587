from __future__ import annotations

import io

import pytest

from b24desk import selftest


def test_every_check_passes_from_source() -> None:
    out = io.StringIO()
    assert selftest.run_checks(out) == 0, out.getvalue()
    text = out.getvalue()
    for name, _check in selftest.CHECKS:
        assert f"ok   {name}" in text
    assert "20 tasks renewed" in text
    assert text.rstrip().endswith("self-test passed")


def test_a_failing_check_fails_the_self_test_and_says_which(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> str:
        raise RuntimeError("keyring found no backends: its modules are missing")

    monkeypatch.setattr(selftest, "CHECKS", [("tls", selftest.check_tls), ("keyring", broken)])
    out = io.StringIO()
    assert selftest.run_checks(out) == 1
    assert "FAIL keyring" in out.getvalue()
    assert "its modules are missing" in out.getvalue()
    assert "self-test FAILED: keyring" in out.getvalue()


def test_the_cli_flag_runs_it_and_returns_its_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    from b24desk.cli import main

    assert main(["--self-test"]) == 0
    assert "self-test passed" in capsys.readouterr().out
