"""One log file setup for the window and the command line; secrets never reach the file."""

from __future__ import annotations

import logging
from pathlib import Path

from b24desk.core.logfile import logging_to
from b24desk.core.redact import forget_secret, register_secret

FAKE = "fakewebhooksecret0000log"


def test_every_b24desk_logger_goes_to_the_file_redacted(tmp_path: Path) -> None:
    register_secret(FAKE)
    try:
        path = tmp_path / "logs" / "b24desk.log"
        with logging_to(path) as handler:
            assert handler is not None
            # a plain getLogger (no filter of its own): the handler's filter still redacts
            logging.getLogger("b24desk.somewhere.new").warning("called %s/rest/1/%s/", "x", FAKE)
            logging.getLogger("b24desk").info("https://a.bitrix24.ru/rest/1/%s/profile", FAKE)
        text = path.read_text(encoding="utf-8")
        assert FAKE not in text
        assert "b24desk.somewhere.new" in text
        assert len(text.splitlines()) == 2
        assert handler not in logging.getLogger("b24desk").handlers
    finally:
        forget_secret(FAKE)


def test_a_log_file_that_cannot_be_opened_is_no_reason_to_stop(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with logging_to(blocker / "b24desk.log") as handler:
        assert handler is None
        logging.getLogger("b24desk").info("still fine")
