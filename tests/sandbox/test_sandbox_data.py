"""The seeded portal data: reproducible, realistic, and with the roles tests rely on."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from b24desk.sandbox import PortalConfig, SandboxPortal, Status
from b24desk.sandbox.access import caller_for, can_read, renew_allowed

CYRILLIC = re.compile("[\u0400-\u04ff]")


def test_same_seed_and_clock_give_the_same_portal(
    make_portal: Callable[..., SandboxPortal],
) -> None:
    first, second = make_portal(seed=3), make_portal(seed=3)
    assert first.tasks == second.tasks
    assert first.users == second.users
    assert first.webhook_code == second.webhook_code


def test_another_seed_gives_other_data(make_portal: Callable[..., SandboxPortal]) -> None:
    assert make_portal(seed=3).tasks != make_portal(seed=4).tasks


def test_thousands_of_tasks_in_every_status(make_portal: Callable[..., SandboxPortal]) -> None:
    portal = make_portal(task_count=3000)
    assert len(portal.tasks) == 3000
    counts = {status: 0 for status in Status}
    for task in portal.tasks.values():
        counts[Status(task.status)] += 1
    assert all(count >= 100 for count in counts.values()), counts


def test_even_a_tiny_portal_has_every_status(make_portal: Callable[..., SandboxPortal]) -> None:
    portal = make_portal(task_count=7)
    assert sorted(t.status for t in portal.tasks.values()) == [1, 2, 3, 4, 5, 6, 7]


def test_users_have_latin_and_cyrillic_names(make_portal: Callable[..., SandboxPortal]) -> None:
    names = [u.full_name for u in make_portal().users.values()]
    assert any(CYRILLIC.search(n) for n in names)
    assert any(re.fullmatch(r"[A-Za-z ]+", n) for n in names)


def test_tasks_have_people_groups_and_dates(make_portal: Callable[..., SandboxPortal]) -> None:
    tasks = list(make_portal(task_count=3000).tasks.values())
    assert any(t.accomplices for t in tasks)
    assert any(t.auditors for t in tasks)
    assert any(t.group_id for t in tasks)
    assert any(t.checklist for t in tasks)
    assert any(t.parent_id for t in tasks)
    closed = [t for t in tasks if t.status in (4, 5)]
    assert all(t.closed_date and t.created_date <= t.closed_date for t in closed)
    assert all(t.closed_date is None for t in tasks if t.status in (1, 2, 3, 6, 7))


def test_data_lies_in_the_past_of_the_clock(make_portal: Callable[..., SandboxPortal]) -> None:
    portal = make_portal()
    now = portal.clock()
    for task in portal.tasks.values():
        assert task.created_date < now
        assert task.changed_date <= now
        assert (task.closed_date or 0) <= now


def test_non_admin_caller_may_renew_some_and_not_many(
    make_portal: Callable[..., SandboxPortal],
) -> None:
    portal = make_portal(task_count=3000, admin=False)
    me = caller_for(portal.data, 1)
    assert not me.admin
    assert not me.managed, "user 1 must see only its own tasks"
    done = [t for t in portal.tasks.values() if t.status in (4, 5, 6)]
    renewable = [t for t in done if can_read(me, t) and renew_allowed(me, t)]
    refused = [t for t in done if not (can_read(me, t) and renew_allowed(me, t))]
    visible_refused = [t for t in refused if can_read(me, t)]
    assert len(renewable) >= 20
    assert len(refused) > 5 * len(renewable)
    assert visible_refused, "some visible tasks (as auditor, as creator of a 4) must be refused"


def test_admin_flag_is_the_callers(make_portal: Callable[..., SandboxPortal]) -> None:
    assert make_portal(admin=True).users[1].admin
    assert not make_portal(admin=False).users[1].admin
    assert not any(u.admin for u in make_portal().users.values() if u.id != 1)


def test_webhook_code_looks_fake_and_url_has_user_and_code() -> None:
    portal = SandboxPortal(PortalConfig(task_count=10))
    assert portal.webhook_code.startswith("sandbox")
    assert portal.webhook_url("https://sandbox.invalid/") == (
        f"https://sandbox.invalid/rest/1/{portal.webhook_code}/"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"limits": "turbo"}, "limits must be one of standard, enterprise, off"),
        ({"task_count": -1}, "task_count must not be negative"),
        ({"user_count": 3}, "user_count must be at least 8"),
        ({"user_id": 999}, "user_id must be a generated user"),
        ({"latency_ms": -5}, "latency_ms must not be negative"),
        ({"operating_budget_s": 0}, "operating_budget_s must be positive"),
        ({"webhook_code": "bad/code"}, "webhook_code must be letters and digits"),
    ],
)
def test_bad_config_is_refused_with_a_clear_message(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        PortalConfig(**settings)  # type: ignore[arg-type]
