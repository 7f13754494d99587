"""The log file, one way for the window and the command line: rotating, and every record
passes the secret-redacting filter on its way to the file (a filter on the handler sees
the records of every b24desk module, whichever logger they came from)."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

from b24desk.core.redact import RedactingFilter

__all__ = ["LOG_BACKUPS", "LOG_BYTES", "attach_log_file", "detach_log_file", "logging_to"]

LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def attach_log_file(path: Path) -> logging.Handler | None:
    """Log b24desk's INFO and above to `path`; None when the file cannot be opened (no log
    file is no reason to refuse to work)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    handler.setLevel(logging.INFO)
    package = logging.getLogger("b24desk")
    package.addHandler(handler)
    if package.getEffectiveLevel() > logging.INFO:
        package.setLevel(logging.INFO)
    return handler


def detach_log_file(handler: logging.Handler | None) -> None:
    if handler is not None:
        logging.getLogger("b24desk").removeHandler(handler)
        handler.close()


@contextlib.contextmanager
def logging_to(path: Path) -> Iterator[logging.Handler | None]:
    """`with logging_to(path):` the block's logging goes to the file (then it is closed)."""
    package = logging.getLogger("b24desk")
    previous_level = package.level
    handler = attach_log_file(path)
    try:
        yield handler
    finally:
        detach_log_file(handler)
        package.setLevel(previous_level)
