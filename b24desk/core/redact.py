"""Secrets never reach a log, a message or a file: redaction lives in one place.

Two nets: a registry of the exact secrets this process knows (webhook codes, tokens,
client secrets), and patterns for secret-shaped text it was never told about
(`/rest/<user>/<code>/`, `auth=...`, token fields in JSON or queries).
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"

_known: set[str] = set()
_lock = threading.Lock()

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # https://portal/rest/<user>/<code>/method  ->  /rest/<user>/***/
    (re.compile(r"(/rest/\d+/)([^/\s?#\"']+)"), r"\1" + MASK),
    # auth=..., access_token=..., refresh_token=..., client_secret=..., code=... in queries/forms
    (
        re.compile(
            r"(?i)\b(auth|access_token|refresh_token|client_secret|code|password)=([^&\s\"']+)"
        ),
        r"\1=" + MASK,
    ),
    # "access_token": "...", 'refresh_token': '...' in JSON or reprs
    (
        re.compile(
            r"(?i)([\"'](?:auth|access_token|refresh_token|client_secret|webhook_code|secret)"
            r"[\"']\s*:\s*[\"'])([^\"']*)"
        ),
        r"\1" + MASK,
    ),
    # Authorization: Bearer ...
    (re.compile(r"(?i)(bearer\s+)([A-Za-z0-9._~+/=-]+)"), r"\1" + MASK),
)


def register_secret(secret: str | None) -> None:
    """Remember a secret so that any later text containing it is masked."""
    if secret and len(secret) >= 4:
        with _lock:
            _known.add(secret)


def forget_secret(secret: str | None) -> None:
    if secret:
        with _lock:
            _known.discard(secret)


def redact(text: str) -> str:
    """Return `text` with every known secret and every secret-shaped fragment masked."""
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's final message, including its args and traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg = message
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redacted_logger(name: str) -> logging.Logger:
    """`logging.getLogger(name)` with the redaction filter attached (once).

    A filter on a logger only sees records logged on that very logger, not on its children,
    so every module that may log a URL, an error or a payload takes its logger from here.
    """
    logger = logging.getLogger(name)
    _add_filter(logger)
    return logger


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (root by default) and to the logger."""
    target = logger or logging.getLogger()
    _add_filter(target)
    for handler in target.handlers:
        _add_filter(handler)


def _add_filter(target: logging.Logger | logging.Handler) -> None:
    if not any(isinstance(f, RedactingFilter) for f in target.filters):
        target.addFilter(RedactingFilter())
