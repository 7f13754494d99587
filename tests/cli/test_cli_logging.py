"""Every module of the CLI package logs through the redacting filter (the CLI's part of
tests/core/session/test_session_logging.py, which checks the package's own logger)."""

from __future__ import annotations

import importlib
import logging
import pkgutil

import pytest

import b24desk.cli
from b24desk.core.redact import RedactingFilter, forget_secret, register_secret

CLI_MODULES = sorted(m.name for m in pkgutil.walk_packages(b24desk.cli.__path__, "b24desk.cli."))


def loggers_of(name: str) -> list[logging.Logger]:
    module = importlib.import_module(name)
    return [v for v in vars(module).values() if isinstance(v, logging.Logger)]


def test_the_cli_package_has_modules_and_loggers() -> None:
    assert "b24desk.cli.console" in CLI_MODULES
    assert any(loggers_of(name) for name in CLI_MODULES), "no CLI module logs: drop this test"


@pytest.mark.parametrize("name", CLI_MODULES)
def test_cli_module_loggers_redact(name: str, caplog: pytest.LogCaptureFixture) -> None:
    for logger in loggers_of(name):
        assert logger.name == name
        assert any(isinstance(f, RedactingFilter) for f in logger.filters)
        register_secret("fakewebhookcode0000")
        try:
            with caplog.at_level(logging.INFO, logger=name):
                logger.warning("calling https://p.example/rest/1/%s/profile", "fakewebhookcode0000")
        finally:
            forget_secret("fakewebhookcode0000")
        assert "fakewebhookcode0000" not in caplog.text
        assert "/rest/1/***/profile" in caplog.text
