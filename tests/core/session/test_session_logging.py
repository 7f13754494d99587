"""Core modules log through the redacting filter: a secret in a log call never reaches a handler."""

from __future__ import annotations

import importlib
import logging

import pytest

from b24desk.core.redact import RedactingFilter, forget_secret, register_secret

MODULES = [
    "b24desk.core.credentials.connections",
    "b24desk.core.credentials.oauth_flow",
    "b24desk.core.credentials.profiles",
    "b24desk.core.credentials.secrets",
    "b24desk.core.credentials.webhook_url",
    "b24desk.core.connection",
    "b24desk.core.session",
    "b24desk.cli",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_logger_redacts_its_records(name: str, caplog: pytest.LogCaptureFixture) -> None:
    module = importlib.import_module(name)
    loggers = [v for v in vars(module).values() if isinstance(v, logging.Logger)]
    if name.endswith("webhook_url"):
        assert loggers == [], "webhook_url logs nothing; give it a redacted logger if it starts"
        return
    (logger,) = loggers
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


def test_the_redacted_logger_helper_lives_in_redact_and_bitrix_reexports_it() -> None:
    from b24desk.core.bitrix import _log
    from b24desk.core.redact import redacted_logger

    assert _log.redacted_logger is redacted_logger
    logger = redacted_logger("b24desk.test.helper")
    redacted_logger("b24desk.test.helper")
    assert sum(isinstance(f, RedactingFilter) for f in logger.filters) == 1
