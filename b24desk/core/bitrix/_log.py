"""Loggers whose every line goes through the redaction filter.

A filter on a logger only sees records logged on that very logger, not on its children, so
each module logger gets its own, and so do the HTTP libraries underneath: httpx logs every
request URL at INFO, and a webhook URL carries the webhook code.
"""

from __future__ import annotations

import logging

from b24desk.core.redact import RedactingFilter

# Loggers of the HTTP stack that see URLs; httpcore logs on per-module children.
_LIBRARY_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)


def redacted_logger(name: str) -> logging.Logger:
    """`logging.getLogger(name)` with the redaction filter attached (once)."""
    logger = logging.getLogger(name)
    _attach(logger)
    return logger


def install_http_redaction() -> None:
    """Redact the package logger and the HTTP libraries' loggers (idempotent)."""
    for name in ("b24desk", *_LIBRARY_LOGGERS):
        _attach(logging.getLogger(name))


def _attach(logger: logging.Logger) -> None:
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
