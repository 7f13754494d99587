from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail, null
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
    PasswordSetError,
)
from keyring_double import MemoryKeyring
from keyring_doubles import (
    FAKE_ACCESS_TOKEN,
    FAKE_CLIENT_SECRET,
    FAKE_REFRESH_TOKEN,
    FAKE_WEBHOOK_CODE,
    REQUIRE_REAL_KEYRING_ENV,
    FakeChain,
    InstallKeyring,
    PlaintextKeyring,
    RaisingKeyring,
    require_real_keyring,
)

from b24desk.core.credentials import (
    SERVICE_NAME,
    KeyringProblem,
    KeyringUnavailable,
    SecretKind,
    SecretStore,
)
from b24desk.core.redact import redact

SESSION_ONLY_HINT = "for this session only"


# --- normal use through the process keyring ---------------------------------------------


def test_secrets_are_stored_under_service_and_profile_kind_usernames(
    memory_keyring: MemoryKeyring,
) -> None:
    store = SecretStore()
    store.set("Main", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    store.set("Main", SecretKind.CLIENT_SECRET, FAKE_CLIENT_SECRET)
    assert memory_keyring.entries == {
        (SERVICE_NAME, "Main:webhook_code"): FAKE_WEBHOOK_CODE,
        (SERVICE_NAME, "Main:client_secret"): FAKE_CLIENT_SECRET,
    }
    assert SERVICE_NAME == "b24desk"


def test_get_returns_what_was_set_and_none_when_absent(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    assert store.get("Main", SecretKind.ACCESS_TOKEN) == FAKE_ACCESS_TOKEN
    assert store.get("Main", SecretKind.REFRESH_TOKEN) is None
    assert store.get("Other", SecretKind.ACCESS_TOKEN) is None


def test_set_overwrites(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set("Main", SecretKind.ACCESS_TOKEN, "FAKE-OLD-TOKEN")
    store.set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    assert store.get("Main", SecretKind.ACCESS_TOKEN) == FAKE_ACCESS_TOKEN


def test_delete_removes_one_secret_and_tolerates_absence(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    store.set("Main", SecretKind.REFRESH_TOKEN, FAKE_REFRESH_TOKEN)
    store.delete("Main", SecretKind.ACCESS_TOKEN)
    store.delete("Main", SecretKind.ACCESS_TOKEN)
    assert store.get("Main", SecretKind.ACCESS_TOKEN) is None
    assert store.get("Main", SecretKind.REFRESH_TOKEN) == FAKE_REFRESH_TOKEN


def test_delete_profile_removes_every_kind_and_only_that_profile(
    memory_keyring: MemoryKeyring,
) -> None:
    store = SecretStore()
    for kind, value in zip(
        SecretKind,
        (FAKE_WEBHOOK_CODE, FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN, FAKE_CLIENT_SECRET),
        strict=True,
    ):
        store.set("Main", kind, value)
    store.set("Other", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    store.delete_profile("Main")
    assert memory_keyring.entries == {(SERVICE_NAME, "Other:webhook_code"): FAKE_WEBHOOK_CODE}


def test_save_tokens_replaces_both_tokens_in_one_call(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.save_tokens("Main", "FAKE-OLD-ACCESS", "FAKE-OLD-REFRESH")
    store.save_tokens("Main", FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN)
    assert store.get("Main", SecretKind.ACCESS_TOKEN) == FAKE_ACCESS_TOKEN
    assert store.get("Main", SecretKind.REFRESH_TOKEN) == FAKE_REFRESH_TOKEN


@pytest.mark.parametrize(("access", "refresh"), [("", FAKE_REFRESH_TOKEN), (FAKE_ACCESS_TOKEN, "")])
def test_save_tokens_refuses_an_empty_token_and_writes_nothing(
    memory_keyring: MemoryKeyring, access: str, refresh: str
) -> None:
    with pytest.raises(ValueError, match="must be non-empty"):
        SecretStore().save_tokens("Main", access, refresh)
    assert memory_keyring.entries == {}


def test_empty_secret_and_empty_profile_are_refused(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    with pytest.raises(ValueError, match="webhook code to store is empty"):
        store.set("Main", SecretKind.WEBHOOK_CODE, "")
    with pytest.raises(ValueError, match="profile name is needed"):
        store.set("", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    assert memory_keyring.entries == {}


def test_secrets_set_or_read_are_registered_for_redaction(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.entries[(SERVICE_NAME, "Main:refresh_token")] = FAKE_REFRESH_TOKEN
    store = SecretStore()
    store.set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    store.get("Main", SecretKind.REFRESH_TOKEN)
    assert redact(f"{FAKE_ACCESS_TOKEN} {FAKE_REFRESH_TOKEN}") == "*** ***"


def test_explicit_backend_wins_over_the_process_keyring(memory_keyring: MemoryKeyring) -> None:
    own = MemoryKeyring()
    SecretStore(own).set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    assert own.entries
    assert not memory_keyring.entries


def test_process_keyring_is_looked_up_on_each_call(use_keyring: InstallKeyring) -> None:
    store = SecretStore()
    first, second = MemoryKeyring(), MemoryKeyring()
    use_keyring(first)
    store.set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    use_keyring(second)
    assert store.get("Main", SecretKind.ACCESS_TOKEN) is None
    assert first.entries


def test_check_passes_on_a_working_store(memory_keyring: MemoryKeyring) -> None:
    SecretStore().check()
    assert memory_keyring.entries == {}


# --- no usable store --------------------------------------------------------------------


def _all_operations_raise(store: SecretStore) -> list[KeyringUnavailable]:
    errors: list[KeyringUnavailable] = []
    operations = (
        store.check,
        lambda: store.set("Main", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE),
        lambda: store.get("Main", SecretKind.WEBHOOK_CODE),
        lambda: store.delete("Main", SecretKind.WEBHOOK_CODE),
        lambda: store.delete_profile("Main"),
        lambda: store.save_tokens("Main", FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN),
    )
    for operation in operations:
        with pytest.raises(KeyringUnavailable) as caught:
            operation()
        errors.append(caught.value)
    return errors


def test_fail_backend_means_no_password_store(use_keyring: InstallKeyring) -> None:
    use_keyring(fail.Keyring())
    errors = _all_operations_raise(SecretStore())
    assert {e.problem for e in errors} == {KeyringProblem.NO_BACKEND}
    message = str(errors[0])
    assert message.startswith("No password store is available on this computer")
    assert "GNOME Keyring or KWallet" in message
    assert SESSION_ONLY_HINT in message


def test_null_backend_is_refused_because_it_drops_secrets(use_keyring: InstallKeyring) -> None:
    use_keyring(null.Keyring())
    errors = _all_operations_raise(SecretStore())
    assert {e.problem for e in errors} == {KeyringProblem.NO_BACKEND}


@pytest.mark.parametrize(
    ("error", "problem", "words"),
    [
        (NoKeyringError("no backend"), KeyringProblem.NO_BACKEND, "No password store"),
        (KeyringLocked("Failed to unlock the collection!"), KeyringProblem.LOCKED, "locked"),
        (InitError("Failed to create the collection"), KeyringProblem.FAILED, "opened"),
        (PasswordSetError("refused"), KeyringProblem.FAILED, "PasswordSetError"),
        (KeyringError("refused"), KeyringProblem.FAILED, "KeyringError"),
        (OSError("dbus gone"), KeyringProblem.FAILED, "OSError"),
        (EOFError("no stdin for a master password"), KeyringProblem.FAILED, "EOFError"),
    ],
)
def test_backend_errors_become_keyring_unavailable(
    use_keyring: InstallKeyring, error: Exception, problem: KeyringProblem, words: str
) -> None:
    backend = RaisingKeyring(error)
    use_keyring(backend)
    errors = _all_operations_raise(SecretStore())
    assert {e.problem for e in errors} == {problem}
    assert all(words in str(e) and SESSION_ONLY_HINT in str(e) for e in errors)
    assert all(e.__cause__ is error for e in errors)
    assert backend.calls >= len(errors)


def test_failure_message_does_not_repeat_the_backend_error_text(
    use_keyring: InstallKeyring,
) -> None:
    use_keyring(RaisingKeyring(KeyringError(f"item {FAKE_WEBHOOK_CODE} rejected")))
    with pytest.raises(KeyringUnavailable) as caught:
        SecretStore().set("Main", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    assert FAKE_WEBHOOK_CODE not in str(caught.value)


def test_failure_is_logged_as_a_warning_without_the_secret(
    use_keyring: InstallKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    use_keyring(RaisingKeyring(KeyringError(f"item {FAKE_WEBHOOK_CODE} rejected")))
    with pytest.raises(KeyringUnavailable):
        SecretStore().set("Main", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("b24desk")]
    assert warnings
    assert all(FAKE_WEBHOOK_CODE not in w for w in warnings)


def test_plaintext_backend_is_refused_and_never_touched(use_keyring: InstallKeyring) -> None:
    plaintext = use_keyring(PlaintextKeyring())
    assert isinstance(plaintext, PlaintextKeyring)
    errors = _all_operations_raise(SecretStore())
    assert {e.problem for e in errors} == {KeyringProblem.INSECURE}
    assert "keyrings.alt.file.PlaintextKeyring" in str(errors[0])
    assert "not safely encrypted" in str(errors[0])
    assert SESSION_ONLY_HINT in str(errors[0])
    assert plaintext.entries == {}


def test_chain_uses_its_first_trustworthy_member_only(use_keyring: InstallKeyring) -> None:
    plaintext, safe = PlaintextKeyring(), MemoryKeyring()
    plaintext.entries[(SERVICE_NAME, "Main:access_token")] = "FAKE-PLAINTEXT-TOKEN"
    use_keyring(FakeChain(plaintext, safe))
    store = SecretStore()
    assert store.get("Main", SecretKind.ACCESS_TOKEN) is None
    store.set("Main", SecretKind.REFRESH_TOKEN, FAKE_REFRESH_TOKEN)
    assert safe.entries == {(SERVICE_NAME, "Main:refresh_token"): FAKE_REFRESH_TOKEN}
    assert plaintext.entries == {(SERVICE_NAME, "Main:access_token"): "FAKE-PLAINTEXT-TOKEN"}


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        ((PlaintextKeyring(), fail.Keyring()), KeyringProblem.INSECURE),
        ((fail.Keyring(),), KeyringProblem.NO_BACKEND),
        ((), KeyringProblem.NO_BACKEND),
    ],
)
def test_chain_without_a_trustworthy_member_is_refused(
    use_keyring: InstallKeyring, members: tuple[MemoryKeyring, ...], problem: KeyringProblem
) -> None:
    use_keyring(FakeChain(*members))
    errors = _all_operations_raise(SecretStore())
    assert {e.problem for e in errors} == {problem}


class _DeleteRefusingKeyring(MemoryKeyring):
    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("Permission denied")


def test_delete_that_leaves_the_secret_behind_is_an_error(use_keyring: InstallKeyring) -> None:
    backend = _DeleteRefusingKeyring()
    backend.entries[(SERVICE_NAME, "Main:webhook_code")] = FAKE_WEBHOOK_CODE
    use_keyring(backend)
    with pytest.raises(KeyringUnavailable) as caught:
        SecretStore().delete("Main", SecretKind.WEBHOOK_CODE)
    assert caught.value.problem is KeyringProblem.FAILED
    assert isinstance(caught.value.__cause__, PasswordDeleteError)


# --- session only -----------------------------------------------------------------------


def test_session_only_keeps_secrets_in_memory_and_never_in_the_keyring(
    use_keyring: InstallKeyring,
) -> None:
    broken = RaisingKeyring(KeyringLocked("locked"))
    use_keyring(broken)
    store = SecretStore()
    assert not store.is_session_only
    with pytest.raises(KeyringUnavailable):
        store.set("Main", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    broken.calls = 0
    store.use_session_only()
    assert store.is_session_only
    assert "session only" in store.backend_name
    store.check()
    store.set("Main", SecretKind.WEBHOOK_CODE, FAKE_WEBHOOK_CODE)
    store.save_tokens("Main", FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN)
    assert store.get("Main", SecretKind.WEBHOOK_CODE) == FAKE_WEBHOOK_CODE
    assert store.get("Main", SecretKind.REFRESH_TOKEN) == FAKE_REFRESH_TOKEN
    store.delete_profile("Main")
    assert store.get("Main", SecretKind.WEBHOOK_CODE) is None
    assert broken.calls == 0


def test_session_only_stores_do_not_share_secrets(memory_keyring: MemoryKeyring) -> None:
    first, second = SecretStore(), SecretStore()
    first.use_session_only()
    second.use_session_only()
    first.set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    assert second.get("Main", SecretKind.ACCESS_TOKEN) is None
    assert memory_keyring.entries == {}


def test_switching_to_session_only_twice_keeps_what_is_in_memory() -> None:
    store = SecretStore(MemoryKeyring())
    store.use_session_only()
    store.set("Main", SecretKind.ACCESS_TOKEN, FAKE_ACCESS_TOKEN)
    store.use_session_only()
    assert store.get("Main", SecretKind.ACCESS_TOKEN) == FAKE_ACCESS_TOKEN


def test_backend_name_names_the_active_backend(memory_keyring: MemoryKeyring) -> None:
    assert SecretStore().backend_name.endswith(".MemoryKeyring")
    assert keyring.get_keyring() is memory_keyring


# --- the real-keyring gate --------------------------------------------------------------


def test_real_keyring_tests_skip_without_a_keyring(use_keyring: InstallKeyring) -> None:
    use_keyring(fail.Keyring())
    with pytest.raises(pytest.skip.Exception, match=r"scripts/kr_session\.sh"):
        require_real_keyring({})
    with pytest.raises(pytest.skip.Exception, match=r"fail\.Keyring"):
        require_real_keyring({REQUIRE_REAL_KEYRING_ENV: "0"})


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), PlaintextKeyring(), RaisingKeyring(KeyringLocked("locked"))],
)
def test_real_keyring_tests_fail_without_a_keyring_when_required(
    use_keyring: InstallKeyring, backend: MemoryKeyring
) -> None:
    use_keyring(backend)
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_REAL_KEYRING_ENV}=1"):
        require_real_keyring({REQUIRE_REAL_KEYRING_ENV: "1"})


def test_real_keyring_gate_never_accepts_a_test_double(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(pytest.fail.Exception, match="test double"):
        require_real_keyring({})
