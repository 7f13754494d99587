"""Connection credentials: webhook addresses, profiles (config file) and secrets (OS keyring)."""

from __future__ import annotations

from b24desk.core.credentials.webhook_url import (
    WebhookAddress,
    WebhookUrlError,
    parse_webhook_url,
    portal_address,
)

__all__ = [
    "WebhookAddress",
    "WebhookUrlError",
    "parse_webhook_url",
    "portal_address",
]
