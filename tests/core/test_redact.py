from __future__ import annotations

import logging

import pytest

from b24desk.core.redact import MASK, RedactingFilter, forget_secret, redact, register_secret

FAKE_CODE = "fakewebhookcode0000"


def test_webhook_code_in_url_is_masked_without_registration() -> None:
    text = f"POST https://example.bitrix24.com/rest/1/{FAKE_CODE}/profile.json failed"
    assert FAKE_CODE not in redact(text)
    assert "/rest/1/***/profile.json" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "auth=FAKE-TOKEN-123&x=1",
        '{"access_token": "FAKE-TOKEN-123"}',
        "{'refresh_token': 'FAKE-TOKEN-123'}",
        "Authorization: Bearer FAKE-TOKEN-123",
        "client_secret=FAKE-TOKEN-123",
    ],
)
def test_token_shapes_are_masked(text: str) -> None:
    assert "FAKE-TOKEN-123" not in redact(text)
    assert MASK in redact(text)


def test_registered_secret_is_masked_anywhere() -> None:
    register_secret("fake-secret-abcdef")
    try:
        assert redact("the value fake-secret-abcdef leaked") == "the value *** leaked"
    finally:
        forget_secret("fake-secret-abcdef")
    assert redact("fake-secret-abcdef") == "fake-secret-abcdef"


def test_filter_masks_args_and_tracebacks() -> None:
    record = logging.LogRecord("b24desk.test", logging.WARNING, __file__, 1, "url %s", None, None)
    record.args = (f"https://p.example/rest/7/{FAKE_CODE}/",)
    try:
        raise RuntimeError(f"boom https://p.example/rest/7/{FAKE_CODE}/x")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    assert FAKE_CODE not in record.getMessage()
    assert record.exc_text is not None
    assert FAKE_CODE not in record.exc_text
