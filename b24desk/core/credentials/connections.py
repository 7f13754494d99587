"""Profiles and their secrets kept in step: what the window and the CLI call."""

from __future__ import annotations

from dataclasses import dataclass

from b24desk.core.credentials.profiles import (
    Profile,
    ProfileError,
    ProfileStore,
    RatePreset,
)
from b24desk.core.credentials.secrets import (
    SERVICE_NAME,
    KeyringUnavailable,
    SecretKind,
    SecretStore,
)
from b24desk.core.credentials.webhook_url import (
    WebhookAddress,
    parse_webhook_url,
    portal_address,
)
from b24desk.core.i18n import translate
from b24desk.core.redact import redacted_logger

__all__ = ["Connections", "Removed"]

log = redacted_logger(__name__)


@dataclass(frozen=True)
class Removed:
    """A removed profile, and why its secrets may still be in the password store."""

    profile: Profile
    secrets_problem: str | None = None


class Connections:
    """Adds, reads and removes connection profiles together with their secrets."""

    def __init__(self, profiles: ProfileStore, secrets: SecretStore) -> None:
        self.profiles = profiles
        self.secrets = secrets

    def add_webhook(
        self,
        name: str,
        webhook_text: str,
        rate_preset: RatePreset = "auto",
        *,
        ca_bundle: str | None = None,
    ) -> Profile:
        """Parse the pasted webhook URL, keep its code in the password store, save the profile.

        When the secrets are kept for this session only, so is the profile: nothing is
        written. Raises WebhookUrlError, ProfileError or KeyringUnavailable, each with a
        plain message.
        """
        address = parse_webhook_url(webhook_text)
        profile = Profile(
            name=name,
            portal_url=address.portal_url,
            auth_kind="webhook",
            webhook_user_id=address.user_id,
            rate_preset=rate_preset,
            ca_bundle=ca_bundle,
        )
        self.profiles.check_name_free(profile.name)
        self.secrets.set(profile.name, SecretKind.WEBHOOK_CODE, address.code)
        self._save_or_roll_back(profile)
        return profile

    def add_oauth(
        self,
        name: str,
        portal_text: str,
        client_id: str,
        client_secret: str,
        rate_preset: RatePreset = "auto",
        *,
        ca_bundle: str | None = None,
        oauth_server: str | None = None,
    ) -> Profile:
        """Save an OAuth profile; its tokens come later, from the authorisation flow."""
        if not client_secret.strip():
            raise ProfileError(
                translate(
                    "Profiles",
                    "The client secret is empty: copy it from the local application's settings "
                    "in Bitrix24.",
                )
            )
        profile = Profile(
            name=name,
            portal_url=portal_address(portal_text),
            auth_kind="oauth",
            oauth_client_id=client_id.strip(),
            rate_preset=rate_preset,
            ca_bundle=ca_bundle,
            oauth_server=portal_address(oauth_server) if oauth_server else None,
        )
        self.profiles.check_name_free(profile.name)
        self.secrets.set(profile.name, SecretKind.CLIENT_SECRET, client_secret.strip())
        self._save_or_roll_back(profile)
        return profile

    def webhook_address(self, name: str) -> WebhookAddress:
        """The full webhook address of a webhook profile, its code read from the store."""
        profile = self.profiles.get(name)
        if profile.auth_kind != "webhook" or profile.webhook_user_id is None:
            raise ProfileError(
                translate(
                    "Profiles",
                    'The profile "{name}" connects through OAuth, not a webhook: use its '
                    "OAuth sign-in instead.",
                ).format(name=profile.name)
            )
        code = self.secrets.get(profile.name, SecretKind.WEBHOOK_CODE)
        if code is None:
            raise ProfileError(
                translate(
                    "Profiles",
                    'The webhook code of the profile "{name}" is not in the password store: '
                    "remove the profile and add it again with its webhook URL.",
                ).format(name=profile.name)
            )
        return WebhookAddress(profile.portal_url, profile.webhook_user_id, code)

    def remove(self, name: str) -> Removed:
        """Delete the profile's secrets, then the profile.

        A profile whose secrets cannot be reached (no password store, a locked one) is
        removed all the same: `Removed.secrets_problem` then says why its secrets may still
        be in the password store, and how to delete them by hand.
        """
        profile = self.profiles.get(name)
        problem: str | None = None
        try:
            self.secrets.delete_profile(profile.name)
        except KeyringUnavailable as error:
            log.warning('secrets of profile "%s" not removed: %s', profile.name, error.problem)
            problem = translate(
                "Profiles",
                'The password store could not be reached, so a secret of "{name}" may still be '
                "in it. Nothing uses it any more; to delete it too, remove the entries named "
                '"{name}:…" of the service "{service}" in your password manager (Passwords and '
                "Keys, KWalletManager, Keychain Access or Credential Manager).",
            ).format(name=profile.name, service=SERVICE_NAME)
        return Removed(self.profiles.remove(profile.name), problem)

    def _save_or_roll_back(self, profile: Profile) -> None:
        try:
            self.profiles.add(profile, session_only=self.secrets.is_session_only)
        except BaseException:
            # A secret without a profile would never be found or deleted again.
            log.warning('profile "%s" not saved; removing its secrets again', profile.name)
            self.secrets.delete_profile(profile.name)
            raise
