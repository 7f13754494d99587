from __future__ import annotations

import json
from pathlib import Path

import pytest

from b24desk.core.bitrix import errors as e
from b24desk.core.redact import forget_secret, register_secret

FAKE_CODE = "fakewebhookcode0000"

# Every error string named in shared/bitrix24-api.md sections 1, 4, 5 and 6.
DOCUMENTED: list[tuple[str, str, type[e.ApiError]]] = [
    ("QUERY_LIMIT_EXCEEDED", "Too many requests", e.QueryLimitExceeded),
    ("OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit", e.OperationTimeLimit),
    ("INVALID_CREDENTIALS", "Invalid request credentials", e.InvalidCredentials),
    ("NO_AUTH_FOUND", "Wrong authorization data", e.InvalidCredentials),
    ("authorization_error", "Unable to authorize user", e.InvalidCredentials),
    ("invalid_client", "Invalid client", e.InvalidCredentials),
    ("expired_token", "The access token provided has expired.", e.ExpiredToken),
    ("invalid_token", "Unable to get application by token", e.InvalidToken),
    ("invalid_grant", "Invalid grant", e.InvalidGrant),
    ("insufficient_scope", "The request requires higher privileges", e.InsufficientScope),
    ("invalid_scope", "", e.InsufficientScope),
    ("ERROR_METHOD_NOT_FOUND", "Method not found!", e.MethodNotFound),
    ("1048582", "Action on the task is not allowed", e.ActionNotAllowed),
    ("OVERLOAD_LIMIT", "REST API is blocked due to overload.", e.Overload),
    ("ACCESS_DENIED", "REST is available only on commercial plans.", e.RestUnavailable),
    ("ACCESS_DENIED", "Access denied! Application context required", e.AccessDenied),
    ("WRONG_AUTH_TYPE", "Current authorization type is denied for this method", e.AccessDenied),
    ("user_access_error", "", e.AccessDenied),
    ("ALLOWED_ONLY_INTRANET_USER", "", e.AccessDenied),
    ("PORTAL_DELETED", "Portal was deleted", e.PortalDeleted),
    ("INTERNAL_SERVER_ERROR", "Internal server error", e.ServerError),
    ("ERROR_UNEXPECTED_ANSWER", "", e.ServerError),
    # Documented but with no dedicated class: the generic fallback.
    ("0", "wrong task id", e.ApiError),
    ("0", "Invalid sorting key (internal error)", e.ApiError),
    ("100", "Invalid value {} to match with parameter {select}.", e.ApiError),
    ("ERROR_CORE", "TASKS_ERROR_EXCEPTION_#256; Param #1 (itemId) expected", e.ApiError),
    ("ERROR_ARGUMENT", "Argument 'id' is null or empty", e.ApiError),
    ("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded", e.ApiError),
    ("ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage", e.ApiError),
    ("INVALID_REQUEST", "Https required.", e.ApiError),
    ("ERROR_MANIFEST_IS_NOT_AVAILABLE", "", e.ApiError),
    ("METHOD_CONFIRM_WAITING", "", e.ApiError),
    ("METHOD_CONFIRM_DENIED", "", e.ApiError),
    ("APPLICATION_NOT_FOUND", "", e.ApiError),
    ("PAYMENT_REQUIRED", "Payment required", e.ApiError),
    ("WRONG_ENCODING", "", e.ApiError),
    ("ERROR_HANDLER_ALREADY_EXIST", "Handler already exists!", e.ApiError),
]


@pytest.mark.parametrize(("code", "description", "expected"), DOCUMENTED)
def test_classification_uses_the_error_string_case_insensitively_never_the_status(
    code: str, description: str, expected: type[e.ApiError]
) -> None:
    for spelled in {code.upper(), code.lower(), code.swapcase()}:
        for http_status in (200, 400, 401, 403, 429, 503):
            error = e.classify(spelled, description, http_status, {})
            assert type(error) is expected, (spelled, http_status)
            assert error.http_status == http_status
            assert error.code == spelled


def test_text_alone_never_makes_a_refusal() -> None:
    # The generic codes are refusals only from a task write (below), whatever they say.
    assert type(e.classify("0", "Action on the task is not allowed")) is e.ApiError
    assert type(e.classify("ERROR_CORE", "")) is e.ApiError
    # An unrelated code whose text mentions the condition is not reclassified.
    assert type(e.classify("INVALID_REQUEST", "Action on the task is not allowed")) is e.ApiError


def _load(docs: Path, name: str) -> dict[str, object]:
    data = json.loads((docs / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("tasks.task.renew.error.action-not-allowed.json", e.ActionNotAllowed),
        ("tasks.task.complete.error.action-not-allowed.json", e.ActionNotAllowed),
        ("tasks.task.list.error.invalid-sort-key.json", e.ApiError),
        ("tasks.task.get.error.invalid-select.json", e.ApiError),
        ("app.info.error.access-denied.json", e.AccessDenied),
        ("oauth.error.payment_required.json", e.ApiError),
        ("error-envelope.example.json", e.ApiError),
    ],
)
def test_documented_error_fixtures(
    docs_fixtures: Path, fixture: str, expected: type[e.ApiError]
) -> None:
    body = _load(docs_fixtures, fixture)
    method = fixture.split(".error.")[0]  # the method the example answers
    error = e.classify(str(body["error"]), str(body["error_description"]), 400, body, method=method)
    assert type(error) is expected
    assert error.description == body["error_description"]


def test_batch_fixture_sub_errors(docs_fixtures: Path) -> None:
    body = _load(docs_fixtures, "batch.error.halt0.json")
    result = body["result"]
    assert isinstance(result, dict)
    for item in result["result_error"].values():
        assert type(e.classify(item["error"], item["error_description"])) is e.InsufficientScope


def test_operation_time_limit_carries_reset_at(docs_fixtures: Path) -> None:
    fragment = _load(docs_fixtures, "limits.time-operating.fragment.json")
    payload = {"error": "OPERATION_TIME_LIMIT", "error_description": "blocked", **fragment}
    error = e.classify("operation_time_limit", "blocked", 429, payload, method="tasks.task.list")
    assert isinstance(error, e.OperationTimeLimit)
    assert error.reset_at == 1778747792.0
    assert error.call_did_not_run
    assert error.user_message.startswith("Listing tasks is temporarily blocked")
    assert "tasks.task.list" not in error.user_message
    assert "available again at" in error.user_message


@pytest.mark.parametrize(
    "payload",
    [{}, {"time": []}, {"time": {"operating_reset_at": "soon"}}, {"time": {"x": 1}}],
)
def test_operation_time_limit_without_usable_reset_at(payload: dict[str, object]) -> None:
    error = e.classify("OPERATION_TIME_LIMIT", "", 429, payload)
    assert isinstance(error, e.OperationTimeLimit)
    assert error.reset_at is None
    assert "available again" not in error.user_message


def test_only_limit_errors_say_the_call_did_not_run() -> None:
    did_not_run = {
        type(err) for err in (e.classify(c, d) for c, d, _ in DOCUMENTED) if err.call_did_not_run
    }
    assert did_not_run == {e.QueryLimitExceeded, e.OperationTimeLimit}


@pytest.mark.parametrize(("code", "description", "expected"), DOCUMENTED)
def test_user_messages_are_plain_single_sentences(
    code: str, description: str, expected: type[e.ApiError]
) -> None:
    message = e.classify(code, description).user_message
    assert message[0].isupper()
    assert message.endswith(".")
    if expected is not e.ApiError:
        # A dedicated class explains the condition instead of echoing the portal's code.
        assert code.lower() not in message.lower()


def test_messages_never_carry_secrets() -> None:
    register_secret("FAKE-ACCESS-TOKEN")
    try:
        description = (
            f"bad https://p.example/rest/1/{FAKE_CODE}/tasks.task.list auth=FAKE-ACCESS-TOKEN"
        )
        errors: list[e.B24Error] = [
            e.classify("SOMETHING", description, 400, {}, method="profile"),
            e.classify("ACCESS_DENIED", description),
            e.UnexpectedResponse(description, http_status=500, body_excerpt=description),
            e.UnexpectedRedirect(description, http_status=302, location=description),
            e.ConnectFailed(description),
            e.RequestTimeout(description, may_have_run=True),
        ]
        for error in errors:
            for text in (str(error), error.user_message, repr(error.args)):
                assert FAKE_CODE not in text
                assert "FAKE-ACCESS-TOKEN" not in text
    finally:
        forget_secret("FAKE-ACCESS-TOKEN")


def test_unexpected_response_messages_tell_html_from_garbage() -> None:
    html = e.UnexpectedResponse("x", http_status=200, body_excerpt="<!DOCTYPE html><html>")
    down = e.UnexpectedResponse("x", http_status=502, body_excerpt="<html>Bad gateway")
    cut = e.UnexpectedResponse("x", http_status=200, body_excerpt='{"result": {"ta')
    redirect = e.UnexpectedRedirect("x", http_status=302, location="https://p/auth/")
    assert "web page" in html.user_message
    assert "try again later" in down.user_message
    assert "cut off" in cut.user_message
    assert "does not look like a Bitrix24 REST endpoint" in redirect.user_message
    assert isinstance(redirect, e.UnexpectedResponse)


def test_transport_errors_say_whether_the_call_may_have_run() -> None:
    assert e.ConnectFailed("x").may_have_run is False
    assert e.TLSError("x").may_have_run is False
    assert e.RequestTimeout("x", may_have_run=True).may_have_run is True
    assert e.ConnectionLost("x", may_have_run=True).may_have_run is True
    assert "certificate" in e.TLSError("x").user_message


# --- plain messages: no markup, no tasks-module wrapping, no method names --------------------

TASK_ITEM_TEXT = (
    "TASKS_ERROR_EXCEPTION_#256; Param #0 (taskId) for method ctaskitem::renew() expected to "
    'be of type "integer", but given something else.; 256/TE/WRONG_ARGUMENTS<br>'
)


@pytest.mark.parametrize(
    ("description", "detail"),
    [
        (
            TASK_ITEM_TEXT,
            'Param #0 (taskId) for method ctaskitem::renew() expected to be of type "integer", '
            "but given something else",
        ),
        ("TASKS_ERROR_EXCEPTION_#8; Task not found; 8/TE/ITEM_NOT_ACCESSIBLE", "Task not found"),
        ("<p>Something <b>odd</b> happened&nbsp;here.</p>", "Something odd happened here"),
        ("Plain words.", "Plain words"),
        ("<br>", "SOME_CODE"),
    ],
)
def test_unknown_errors_show_the_portal_words_cleaned(description: str, detail: str) -> None:
    error = e.classify("SOME_CODE", description, 400)
    assert error.detail == detail
    message = error.user_message
    for raw in ("TASKS_ERROR_EXCEPTION", "/TE/", "<", ">", "&nbsp;"):
        assert raw not in message
    assert message.endswith("ask your Bitrix24 administrator if it keeps happening.")
    assert description in str(error), "the technical message keeps the raw text"


@pytest.mark.parametrize(
    ("method", "words"),
    [
        ("tasks.task.renew", "Reopening tasks"),
        ("task.item.renew", "Reopening tasks"),
        ("tasks.task.complete", "Completing tasks"),
        ("tasks.task.list", "Listing tasks"),
        ("tasks.task.get", "Reading tasks"),
        ("crm.deal.list", "This operation"),
        (None, "This operation"),
    ],
)
def test_operation_time_limit_names_the_work_not_the_method(method: str | None, words: str) -> None:
    error = e.classify("OPERATION_TIME_LIMIT", "blocked", 429, {}, method=method)
    message = error.user_message
    assert message.startswith(f"{words} is temporarily blocked by Bitrix24")
    assert message.endswith("try again in about ten minutes.")
    if method:
        assert method not in message
        assert method in str(error)


@pytest.mark.parametrize(
    ("method", "words"),
    [
        ("tasks.task.complete", "completing tasks"),
        ("tasks.task.renew", "reopening tasks"),
        ("user.current", "reading your user profile"),
        ("crm.deal.list", "this request"),
    ],
)
def test_missing_methods_are_described_in_words(method: str, words: str) -> None:
    error = e.classify("ERROR_METHOD_NOT_FOUND", "Method not found!", 404, method=method)
    message = error.user_message
    assert f"does not support {words} through its REST API" in message
    assert method not in message
    assert method in str(error)
    assert message.endswith("check the webhook's permissions in Bitrix24.")


def test_access_denied_says_what_to_do() -> None:
    message = e.classify("ACCESS_DENIED", "Access denied!<br>", 403).user_message
    assert message == (
        "The portal denied access (Access denied): ask your Bitrix24 administrator to check "
        "the rights of this user and this webhook."
    )


@pytest.mark.parametrize(
    ("code", "description", "method"),
    [
        ("ERROR_CORE", "Action on the task is not allowed<br>", "task.item.renew"),
        (
            "ERROR_CORE",
            "TASKS_ERROR_EXCEPTION_#1048582; Action on the task is not allowed; "
            "1048582/TE/ACTION_NOT_ALLOWED<br>",
            "task.item.renew",
        ),
        ("ERROR_CORE", "Действие над задачей не разрешено<br>", "task.item.renew"),
        ("0", "Действие не доступно", "tasks.task.complete"),
        ("ERROR_CORE", "", "task.item.complete"),
        ("0", "", "tasks.task.approve"),
        ("1048582", "Действие не доступно", "tasks.task.renew"),
    ],
)
def test_a_refused_task_write_is_known_by_code_and_method_in_any_language(
    code: str, description: str, method: str
) -> None:
    assert isinstance(e.classify(code, description, 400, method=method), e.ActionNotAllowed)


def test_a_generic_code_outside_task_writes_stays_generic() -> None:
    error = e.classify(
        "ERROR_CORE", "Action on the task is not allowed<br>", method="tasks.task.list"
    )
    assert type(error) is e.ApiError
    assert type(e.classify("0", "wrong task id", 400, method=None)) is e.ApiError
    # tasks.task.renew refuses with 1048582; its "0" is a wrong id, its ERROR_CORE a fault
    assert type(e.classify("0", "wrong task id", method="tasks.task.renew")) is e.ApiError
    assert type(e.classify("ERROR_CORE", "Internal error", method="tasks.task.renew")) is e.ApiError
