"""Connection credentials: webhook addresses, profiles (config file) and secrets (OS keyring)."""

from __future__ import annotations

from b24desk.core.credentials.connections import Connections, Removed
from b24desk.core.credentials.profiles import (
    AUTH_KINDS,
    RATE_PRESETS,
    AuthKind,
    Profile,
    ProfileConfigError,
    ProfileError,
    ProfileStore,
    RatePreset,
    clean_profile_name,
    default_profiles_path,
)
from b24desk.core.credentials.secrets import (
    SERVICE_NAME,
    KeyringProblem,
    KeyringUnavailable,
    SecretKind,
    SecretStore,
)
from b24desk.core.credentials.webhook_url import (
    WebhookAddress,
    WebhookUrlError,
    parse_webhook_url,
    portal_address,
)

__all__ = [
    "AUTH_KINDS",
    "RATE_PRESETS",
    "SERVICE_NAME",
    "AuthKind",
    "Connections",
    "KeyringProblem",
    "KeyringUnavailable",
    "Profile",
    "ProfileConfigError",
    "ProfileError",
    "ProfileStore",
    "RatePreset",
    "Removed",
    "SecretKind",
    "SecretStore",
    "WebhookAddress",
    "WebhookUrlError",
    "clean_profile_name",
    "default_profiles_path",
    "parse_webhook_url",
    "portal_address",
]
