"""Telling people with the same name apart: their department or e-mail, from `user.get`.

The task list names each responsible person, but two people can share a name ("Maria
Brown" in Sales and "Maria Brown" in Support). For the names that occur with more than one
id, `fetch_user_details` asks `user.get` (filter `@ID`, IN; 50 ids per call, calls batched)
for their e-mail and departments, and `department.get` for the departments' names.
`distinct_labels` then picks, for each group of namesakes, the first detail that tells all
of them apart: department, then e-mail, then position, else the user's ID.

What the webhook may read decides what is shown: `user_brief` gives departments but no
e-mail, and a webhook with only the Tasks permission reads no users at all. Every refusal
is logged and leaves the ID as the fallback; nothing here raises for a portal's answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from b24desk.core.bitrix.client import BatchCall, BitrixClient
from b24desk.core.bitrix.errors import B24Error
from b24desk.core.i18n import translate
from b24desk.core.redact import redacted_logger

__all__ = [
    "UserDetails",
    "distinct_labels",
    "fetch_user_details",
    "namesakes",
]

log = redacted_logger(__name__)

USER_GET = "user.get"
DEPARTMENT_GET = "department.get"
IDS_PER_CALL = 50
"""user.get answers in pages of 50: one call per 50 ids reads them all in one page."""


@dataclass(frozen=True, slots=True)
class UserDetails:
    """What tells a user apart from a namesake; empty where the portal did not say."""

    id: int
    email: str = ""
    departments: tuple[str, ...] = ()
    """Department names (or, where department.get was refused, nothing)."""
    position: str = ""


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("ё", "е").split())  # noqa: RUF001


def namesakes(people: Mapping[int, str]) -> list[int]:
    """Ids (sorted) whose name (case, the letter ё and spaces folded) another id also has."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for person_id, name in people.items():
        if person_id > 0 and name.strip():
            by_name[_fold(name)].append(person_id)
    return sorted(i for ids in by_name.values() if len(ids) > 1 for i in ids)


async def fetch_user_details(
    client: BitrixClient, user_ids: Iterable[int]
) -> dict[int, UserDetails]:
    """The details of `user_ids` the portal lets this connection read (possibly none)."""
    wanted = sorted({int(i) for i in user_ids if int(i) > 0})
    if not wanted:
        return {}
    calls = [
        BatchCall(USER_GET, {"FILTER": {"@ID": wanted[start : start + IDS_PER_CALL]}})
        for start in range(0, len(wanted), IDS_PER_CALL)
    ]
    records: dict[int, Mapping[str, Any]] = {}
    try:
        results = await client.batch(calls)
    except B24Error as error:
        log.info("user details unavailable: %s", error)
        return {}
    for item in results:
        if item.error is not None:
            log.info("user.get refused (%s); namesakes are told apart by ID", item.error)
            continue
        for record in _rows(item.result):
            user_id = _int(record.get("ID"))
            if user_id in wanted:  # a portal that ignored the filter sends others too
                records[user_id] = record
    names = await _department_names(
        client, {d for r in records.values() for d in _ints(r.get("UF_DEPARTMENT"))}
    )
    return {
        user_id: UserDetails(
            id=user_id,
            email=str(record.get("EMAIL") or "").strip(),
            departments=tuple(names[d] for d in _ints(record.get("UF_DEPARTMENT")) if names.get(d)),
            position=str(record.get("WORK_POSITION") or "").strip(),
        )
        for user_id, record in records.items()
    }


async def _department_names(client: BitrixClient, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    calls = [BatchCall(DEPARTMENT_GET, {"ID": department}) for department in sorted(ids)]
    try:
        results = await client.batch(calls)
    except B24Error as error:
        log.info("department names unavailable: %s", error)
        return {}
    names: dict[int, str] = {}
    for item in results:
        if item.error is not None:
            log.info("department.get refused (%s)", item.error)
            continue
        for row in _rows(item.result):
            department, name = _int(row.get("ID")), str(row.get("NAME") or "").strip()
            if department in ids and name:
                names[department] = name
    return names


def distinct_labels(
    people: Mapping[int, str], details: Mapping[int, UserDetails]
) -> dict[int, str]:
    """`people` (id -> name) with every namesake's name followed by what tells it apart:
    "Maria Brown (Sales)", "Maria Brown (m.brown@…)", or "Maria Brown (ID 17)"."""
    labels = dict(people)
    groups: dict[str, list[int]] = defaultdict(list)
    for person_id in namesakes(people):
        groups[_fold(people[person_id])].append(person_id)
    for ids in groups.values():
        hints = _hints(ids, details)
        for person_id in ids:
            labels[person_id] = f"{people[person_id]} ({hints[person_id]})"
    return labels


def _hints(ids: Sequence[int], details: Mapping[int, UserDetails]) -> dict[int, str]:
    empty = UserDetails(0)
    kinds = (
        lambda d: ", ".join(d.departments),
        lambda d: _short_email(d.email, [details.get(i, empty).email for i in ids]),
        lambda d: d.position,
    )
    for kind in kinds:
        hints = {i: kind(details.get(i, empty)) for i in ids}
        values = [hint.casefold() for hint in hints.values()]
        if all(values) and len(set(values)) == len(values):
            return hints
    by_id = translate("Users", "ID {id}")
    return {i: by_id.format(id=i) for i in ids}


def _short_email(email: str, group: Sequence[str]) -> str:
    """ "m.brown@…" when the part before @ alone tells this group apart, else the whole."""
    local, at, _ = email.partition("@")
    if not at:
        return email
    locals_ = [e.partition("@")[0].casefold() for e in group if e]
    return f"{local}@…" if locals_.count(local.casefold()) == 1 else email


def _rows(result: object) -> list[Mapping[str, Any]]:
    # PHP sends a list with holes as an object.
    values = result.values() if isinstance(result, Mapping) else result
    if not isinstance(values, Iterable) or isinstance(values, str | bytes):
        return []
    return [row for row in values if isinstance(row, Mapping)]


def _int(value: object) -> int:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else 0


def _ints(value: object) -> list[int]:
    if isinstance(value, list | tuple):
        return [i for i in (_int(v) for v in value) if i > 0]
    single = _int(value)
    return [single] if single > 0 else []
