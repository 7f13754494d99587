"""`b24desk profile add | list | check | remove`: saved connections."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from typing import Any

from b24desk.cli.connection import ca_bundle_of, portal_session, saved_connections, target_of
from b24desk.cli.console import EXIT_CONNECTION, EXIT_OK, EXIT_USAGE, CliError, Console
from b24desk.core.connection import ConnectionVerdict, check_connection
from b24desk.core.credentials import Connections, Profile
from b24desk.core.i18n import translate
from b24desk.core.session import ConnectionTarget


def command(args: argparse.Namespace, console: Console) -> int:
    return _ACTIONS[args.action](args, console)


def _profile_add(args: argparse.Namespace, console: Console) -> int:
    connections = saved_connections()
    profile = connections.add_webhook(
        args.name, args.webhook, args.rate, ca_bundle=ca_bundle_of(args)
    )
    connections.profiles.set_last_used(profile.name)
    console.note(
        translate(
            "Cli",
            'Saved the profile "{name}" for {portal}; its webhook code is in the password '
            "store. Test it with: b24desk profile check {quoted}",
        ).format(name=profile.name, portal=profile.portal_url, quoted=_quoted(profile.name))
    )
    return EXIT_OK


def _profile_list(args: argparse.Namespace, console: Console) -> int:
    store = saved_connections().profiles
    profiles = store.profiles()
    last = store.last_used()
    if not profiles:
        console.note(
            translate(
                "Cli",
                "There are no saved profiles yet: add one with "
                "b24desk profile add NAME --webhook URL.",
            )
        )
    for profile in profiles:
        is_last = last is not None and last.name == profile.name
        if args.json:
            console.json_line({**_profile_json(profile), "last_used": is_last})
        else:
            marker = "  " + translate("Cli", "(last used)") if is_last else ""
            rate = translate("Cli", "rate {preset}").format(preset=profile.rate_preset)
            console.result(
                f"{profile.name}\t{profile.portal_url}\t{profile.auth_kind}\t{rate}{marker}"
            )
    return EXIT_OK


def _profile_json(profile: Profile) -> dict[str, Any]:
    # Only the non-secret settings exist in a Profile; the secrets stay in the keyring.
    return profile.to_json()


def _profile_check(args: argparse.Namespace, console: Console) -> int:
    if args.name and args.profile and args.name != args.profile:
        raise CliError(
            EXIT_USAGE,
            translate("Cli", "Name the profile to check once, as NAME or as --profile."),
        )
    connections = saved_connections()
    target = target_of(connections, args, profile=args.name)
    verdict = asyncio.run(_check(connections, target, args))
    if args.json:
        console.json_line(_verdict_json(verdict))
    else:
        console.result(verdict.message)
    if not verdict.ok:
        return EXIT_CONNECTION
    if target.profile is not None:
        connections.profiles.set_last_used(target.profile.name)
    return EXIT_OK


async def _check(
    connections: Connections, target: ConnectionTarget, args: argparse.Namespace
) -> ConnectionVerdict:
    async with portal_session(connections, target, args, detect_rate=False) as session:
        verdict: ConnectionVerdict = await check_connection(session.client)
        return verdict


def _verdict_json(verdict: ConnectionVerdict) -> dict[str, Any]:
    return {
        "ok": verdict.ok,
        "verdict": verdict.kind.value,
        "message": verdict.message,
        "portal": verdict.portal,
        "user_name": verdict.user_name,
        "user_id": verdict.user_id,
        "admin": verdict.admin,
        "legacy": verdict.legacy,
        "rate_preset": verdict.rate_preset,
        "scopes": list(verdict.scopes),
        "error_code": verdict.error_code,
    }


def _profile_remove(args: argparse.Namespace, console: Console) -> int:
    removed = saved_connections().remove(args.name)
    if removed.secrets_problem is None:
        text = translate(
            "Cli", 'Removed the profile "{name}" and its secrets from the password store.'
        )
        console.note(text.format(name=removed.profile.name))
    else:
        text = translate("Cli", 'Removed the profile "{name}".')
        console.note(f"{text.format(name=removed.profile.name)} {removed.secrets_problem}")
    return EXIT_OK


_ACTIONS: dict[str, Callable[[argparse.Namespace, Console], int]] = {
    "add": _profile_add,
    "list": _profile_list,
    "check": _profile_check,
    "remove": _profile_remove,
}


def _quoted(name: str) -> str:
    return f'"{name}"' if any(ch.isspace() for ch in name) else name
