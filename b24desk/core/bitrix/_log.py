"""The HTTP libraries' loggers, redacted; `redacted_logger` itself lives in core.redact.

A filter on a logger only sees records logged on that very logger, not on its children, so
the HTTP libraries underneath get their own: httpx logs every request URL at INFO, and a
webhook URL carries the webhook code.
"""

from __future__ import annotations

from b24desk.core.redact import redacted_logger

__all__ = ["install_http_redaction", "redacted_logger"]

# Loggers of the HTTP stack that see URLs; httpcore logs on per-module children.
_LIBRARY_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)


def install_http_redaction() -> None:
    """Redact the package logger and the HTTP libraries' loggers (idempotent)."""
    for name in ("b24desk", *_LIBRARY_LOGGERS):
        redacted_logger(name)
