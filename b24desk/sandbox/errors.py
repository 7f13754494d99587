"""REST errors the sandbox answers with, as Bitrix24 spells them (brief sections 1, 4, 5)."""

from __future__ import annotations

from typing import Any


class RestError(Exception):
    """A method or system error: becomes `{"error": code, "error_description": text}`."""

    def __init__(
        self,
        http_status: int,
        code: str,
        description: str,
        *,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {description}")
        self.http_status = http_status
        self.code = code
        self.description = description
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "error_description": self.description, **self.extra}


ACTION_NOT_ALLOWED = "Action on the task is not allowed"
INTERNAL = " (internal error)"  # what the REST layer appends to a controller's own errors
NO_COMMENT_TEXT = "Comment text not specified"
NO_COMMENT_RIGHTS = "Insufficient permissions to add a comment."
# TasksException code for "not found / no access / action not allowed":
# TE_ACTION_NOT_ALLOWED (0x4) | TE_ACCESS_DENIED (0x100002) = 0x100006.
TASKS_ACTION_NOT_ALLOWED_CODE = 1048582


def method_not_found() -> RestError:
    return RestError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")


def insufficient_scope() -> RestError:
    # The docs table says 403; PYSDK's live-portal tests see 401 (brief section 5).
    return RestError(
        401,
        "insufficient_scope",
        "The request requires higher privileges than provided by the webhook token",
    )


def invalid_credentials() -> RestError:
    return RestError(401, "INVALID_CREDENTIALS", "Invalid request credentials")


def no_auth_found() -> RestError:
    return RestError(401, "NO_AUTH_FOUND", "Wrong authorization data")


def expired_token() -> RestError:
    return RestError(401, "expired_token", "The access token provided has expired.")


def invalid_token() -> RestError:
    return RestError(401, "invalid_token", "Unable to get application by token")


def internal_server_error() -> RestError:
    return RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error")


def query_limit_exceeded() -> RestError:
    return RestError(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")


def overload_limit() -> RestError:
    return RestError(503, "OVERLOAD_LIMIT", "REST API is blocked due to overload.")


def operation_time_limit() -> RestError:
    return RestError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.")


def action_not_allowed(code: str = str(TASKS_ACTION_NOT_ALLOWED_CODE)) -> RestError:
    return RestError(400, code, ACTION_NOT_ALLOWED)


def wrong_task_id() -> RestError:
    return RestError(400, "0", "wrong task id")


def missing_task_id() -> RestError:
    return RestError(
        400, "100", "CTaskItem All parameters in the constructor must have real class type"
    )


def not_an_array(parameter: str, value: object) -> RestError:
    shown = "" if value is None or isinstance(value, bool) else str(value)
    return RestError(
        400,
        "100",
        f"Invalid value {{{shown}}} to match with parameter {{{parameter}}}. "
        "Should be value of type array. (internal error)",
    )


def invalid_sort_key() -> RestError:
    return RestError(400, "0", "Invalid sorting key (internal error)")


def invalid_request(description: str) -> RestError:
    return RestError(400, "INVALID_REQUEST", description)


def argument_error(description: str) -> RestError:
    return RestError(400, "ERROR_ARGUMENT", description)


def batch_length_exceeded() -> RestError:
    return RestError(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")


def batch_method_not_allowed() -> RestError:
    return RestError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")


def action_not_allowed_internal() -> RestError:
    """The update controller's refusal (its doc page): code "0" with the REST suffix."""
    return RestError(400, "0", ACTION_NOT_ALLOWED + INTERNAL)


def missing_parameter(name: str) -> RestError:
    return RestError(400, "100", f"Could not find value for parameter {{{name}}}{INTERNAL}")


def users_not_an_array() -> RestError:
    """tasks.task.getaccess with a `users` value that is not an array (brief 12.5)."""
    return RestError(400, "100", f"Invalid value for parameter {{users}}{INTERNAL}")


def core_error(message: str) -> RestError:
    """A task.* legacy method's plain ERROR_CORE: the message and `<br>` (restservice.php)."""
    return RestError(400, "ERROR_CORE", f"{message}<br>")


def task_item_refused() -> RestError:
    """`task.item.*` not allowed: code 1048582 has the serialized-errors flag bit, so the
    adapter prints the bare message plus `<br>` (brief 12.1), not the TASKS_ERROR form."""
    return core_error(ACTION_NOT_ALLOWED)


def task_item_error(code: int, message: str, flags: str) -> RestError:
    """A deprecated `task.item.*` failure: ERROR_CORE with the TasksException text form."""
    return RestError(
        400,
        "ERROR_CORE",
        f"TASKS_ERROR_EXCEPTION_#{code}; {message}; {code}/TE/{flags}<br>",
    )


# What a portal whose language is Russian says instead (the tasks module's texts are
# localized; the REST layer's own system errors stay English). "Действие не доступно" is
# what a live Russian portal answered to a refused renew (brief 12.1).
RUSSIAN: dict[str, str] = {
    ACTION_NOT_ALLOWED: "Действие не доступно",
    NO_COMMENT_TEXT: "Не указан текст комментария",  # noqa: RUF001 - Cyrillic on purpose
    NO_COMMENT_RIGHTS: "Недостаточно прав для добавления комментария.",
}


def _translate(text: str, table: dict[str, str]) -> str:
    for english, translated in table.items():
        if text == english:
            return translated
        for suffix in ("<br>", INTERNAL):
            if text == english + suffix:
                return translated + suffix
    return text


def localized(error: RestError, language: str) -> RestError:
    """The same error as a portal in `language` describes it; the code never changes."""
    if language != "ru":
        return error
    text = _translate(error.description, RUSSIAN)
    if text == error.description:
        return error
    return RestError(error.http_status, error.code, text, extra=error.extra)
