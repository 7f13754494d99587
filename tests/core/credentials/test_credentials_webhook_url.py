from __future__ import annotations

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from b24desk.core import redact as redact_module
from b24desk.core.credentials.webhook_url import (
    ALL_MESSAGES,
    MSG_BAD_HOST,
    MSG_BAD_PORT,
    MSG_BAD_SCHEME,
    MSG_CODE_INVALID,
    MSG_CODE_MISSING,
    MSG_EMPTY,
    MSG_NO_WEBHOOK_PART,
    MSG_NOT_A_URL,
    MSG_OAUTH_ENDPOINT,
    MSG_OAUTH_LINK,
    MSG_PLAIN_HTTP,
    MSG_PORTAL_EMPTY,
    MSG_PORTAL_HAS_PATH,
    MSG_PORTAL_NOT_A_URL,
    MSG_PORTAL_PAGE,
    MSG_PORTAL_PLAIN_HTTP,
    MSG_REST_NOT_FIRST,
    MSG_TASK_LINK,
    MSG_USER_ID_NOT_NUMBER,
    MSG_USER_INFO,
    WebhookAddress,
    WebhookUrlError,
    parse_webhook_url,
    portal_address,
)

CODE = "fakewebhookcode0000"
PORTAL = "https://example.bitrix24.com"


# --- forgiving on form ------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        f"{PORTAL}/rest/1/{CODE}/",
        f"{PORTAL}/rest/1/{CODE}",
        f"  {PORTAL}/rest/1/{CODE}/  \n",
        f'"{PORTAL}/rest/1/{CODE}/"',
        f"'{PORTAL}/rest/1/{CODE}/'",
        f"\u201c{PORTAL}/rest/1/{CODE}/\u201d",
        f"<{PORTAL}/rest/1/{CODE}/>",
        f"\u200b{PORTAL}/rest/1/{CODE}/\ufeff",
        f"example.bitrix24.com/rest/1/{CODE}/",
        f"{PORTAL}/rest/1/{CODE}/profile.json",
        f"{PORTAL}/rest/1/{CODE}/profile",
        f"{PORTAL}/rest/1/{CODE}/tasks.task.list",
        f"{PORTAL}/rest/1/{CODE}/tasks.task.list.json?filter[STATUS]=5",
        f"{PORTAL}/rest/1/{CODE}/?x=1#frag",
        f"HTTPS://EXAMPLE.Bitrix24.COM/rest/1/{CODE}/",
        f"https://example.bitrix24.com:443/rest/1/{CODE}/",
        f"https://example.bitrix24.com./rest/1/{CODE}/",
        f"{PORTAL}/REST/1/{CODE}/",
        f"{PORTAL}//rest//1//{CODE}//",
    ],
)
def test_pasted_forms_of_the_same_webhook_give_the_same_address(pasted: str) -> None:
    address = parse_webhook_url(pasted)
    assert address == WebhookAddress(PORTAL, 1, CODE)


def test_user_id_and_code_are_taken_as_written() -> None:
    address = parse_webhook_url(f"{PORTAL}/rest/4207/AbC-def_123456/")
    assert (address.user_id, address.code) == (4207, "AbC-def_123456")


def test_base_url_is_ready_for_a_method_name() -> None:
    address = parse_webhook_url(f"{PORTAL}/rest/1/{CODE}/profile.json")
    assert address.base_url == f"{PORTAL}/rest/1/{CODE}/"


@pytest.mark.parametrize(
    ("pasted", "portal"),
    [
        (f"https://example.bitrix24.com:8443/rest/1/{CODE}/", "https://example.bitrix24.com:8443"),
        (f"example.bitrix24.com:8443/rest/1/{CODE}/", "https://example.bitrix24.com:8443"),
        (f"http://127.0.0.1:8000/rest/1/{CODE}/", "http://127.0.0.1:8000"),
        (f"http://127.5.6.7/rest/1/{CODE}/", "http://127.5.6.7"),
        (f"http://localhost:5000/rest/1/{CODE}/", "http://localhost:5000"),
        (f"http://LOCALHOST:80/rest/1/{CODE}/", "http://localhost"),
        (f"http://[::1]:8000/rest/1/{CODE}/", "http://[::1]:8000"),
        (
            f"https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/rest/1/{CODE}/",
            "https://xn--e1afmkfd.xn--p1ai",
        ),
    ],
)
def test_portal_url_keeps_scheme_host_and_non_default_port(pasted: str, portal: str) -> None:
    assert parse_webhook_url(pasted).portal_url == portal


# --- strict on meaning ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("", MSG_EMPTY),
        ("   \n\t ", MSG_EMPTY),
        ('""', MSG_EMPTY),
        ("hello world", MSG_NOT_A_URL),
        (f"{PORTAL}/rest/1/ {CODE}/", MSG_NOT_A_URL),
        (f"https:{PORTAL[8:]}/rest/1/{CODE}/", MSG_NOT_A_URL),
        ("https://", MSG_NOT_A_URL),
        ("https://[::1/rest/1/x", MSG_NOT_A_URL),
        (f"ftp://example.bitrix24.com/rest/1/{CODE}/", MSG_BAD_SCHEME),
        ("mailto:admin@example.com", MSG_BAD_SCHEME),
        (f"https://exa_mple.com/rest/1/{CODE}/", MSG_BAD_HOST),
        (f"https://example..com/rest/1/{CODE}/", MSG_BAD_HOST),
        (f"https://-example.com/rest/1/{CODE}/", MSG_BAD_HOST),
        (f"https://127.0.0.300/rest/1/{CODE}/", MSG_BAD_HOST),
        (f"https://example.com:99999/rest/1/{CODE}/", MSG_BAD_PORT),
        (f"https://example.com:abc/rest/1/{CODE}/", MSG_BAD_PORT),
        (f"https://example.com:0/rest/1/{CODE}/", MSG_BAD_PORT),
        (f"https://admin:pw@example.com/rest/1/{CODE}/", MSG_USER_INFO),
        (f"http://example.bitrix24.com/rest/1/{CODE}/", MSG_PLAIN_HTTP),
        (f"http://10.0.0.5/rest/1/{CODE}/", MSG_PLAIN_HTTP),
        (f"http://localhost.example.com/rest/1/{CODE}/", MSG_PLAIN_HTTP),
        (PORTAL, MSG_NO_WEBHOOK_PART),
        (f"{PORTAL}/", MSG_NO_WEBHOOK_PART),
        ("example.bitrix24.com", MSG_NO_WEBHOOK_PART),
        ("hello", MSG_NOT_A_URL),
        ("Привет", MSG_NOT_A_URL),
        (f"{PORTAL}/company/personal/user/1/tasks/", MSG_TASK_LINK),
        (f"{PORTAL}/company/personal/user/1/tasks/task/view/4321/", MSG_TASK_LINK),
        (f"{PORTAL}/workgroups/group/7/tasks/task/view/12/?IFRAME=Y", MSG_TASK_LINK),
        (f"{PORTAL}/oauth/authorize/?client_id=local.fake.1", MSG_OAUTH_LINK),
        ("https://oauth.bitrix.info/oauth/token/?grant_type=refresh_token", MSG_OAUTH_LINK),
        (f"{PORTAL}/?code=fakeauthcode&state=x&domain=example.bitrix24.com", MSG_OAUTH_LINK),
        (f"{PORTAL}/crm/deal/details/5/", MSG_PORTAL_PAGE),
        (f"{PORTAL}/stream/", MSG_PORTAL_PAGE),
        (f"{PORTAL}/portal/rest/1/{CODE}/", MSG_REST_NOT_FIRST),
        (f"{PORTAL}/rest/", MSG_OAUTH_ENDPOINT),
        (f"{PORTAL}/rest", MSG_OAUTH_ENDPOINT),
        (f"{PORTAL}/rest/profile.json", MSG_OAUTH_ENDPOINT),
        (f"{PORTAL}/rest/tasks.task.list?auth=FAKE-ACCESS-TOKEN", MSG_OAUTH_ENDPOINT),
        (f"{PORTAL}/rest/admin/{CODE}/", MSG_USER_ID_NOT_NUMBER),
        (f"{PORTAL}/rest/-1/{CODE}/", MSG_USER_ID_NOT_NUMBER),
        (f"{PORTAL}/rest/0/{CODE}/", MSG_USER_ID_NOT_NUMBER),
        (f"{PORTAL}/rest/12345678901/{CODE}/", MSG_USER_ID_NOT_NUMBER),
        (f"{PORTAL}/rest/1/", MSG_CODE_MISSING),
        (f"{PORTAL}/rest/1", MSG_CODE_MISSING),
        (f"{PORTAL}/rest/1/profile.json", MSG_CODE_MISSING),
        (f"{PORTAL}/rest/1/short/", MSG_CODE_INVALID),
        (f"{PORTAL}/rest/1/fake%20webhook%20code/", MSG_CODE_INVALID),
        (f"{PORTAL}/rest/1/fakewebhook$code/", MSG_CODE_INVALID),
        (f"{PORTAL}/rest/1/{'x' * 65}/", MSG_CODE_INVALID),
    ],
)
def test_each_problem_gets_its_own_message(pasted: str, message: str) -> None:
    with pytest.raises(WebhookUrlError) as caught:
        parse_webhook_url(pasted)
    assert str(caught.value) == message


def test_webhook_url_error_is_a_value_error() -> None:
    assert issubclass(WebhookUrlError, ValueError)


@pytest.mark.parametrize("message", ALL_MESSAGES)
def test_messages_are_one_plain_sentence_with_a_fix(message: str) -> None:
    assert message[0].isupper()
    assert message.endswith(".")
    assert "\n" not in message
    # "problem: what to do" -- every message names the fix after the colon.
    assert ": " in message


def test_loopback_http_is_allowed_only_for_loopback_hosts() -> None:
    assert parse_webhook_url(f"http://127.0.0.1/rest/1/{CODE}/").portal_url == "http://127.0.0.1"
    with pytest.raises(WebhookUrlError, match="http://"):
        parse_webhook_url(f"http://128.0.0.1/rest/1/{CODE}/")


# --- the code never shows ---------------------------------------------------------------


def test_repr_and_str_never_contain_the_code() -> None:
    address = parse_webhook_url(f"{PORTAL}/rest/1/{CODE}/")
    for text in (repr(address), str(address), f"{address}", f"{address!r}", repr([address])):
        assert CODE not in text
        assert "***" in text


def test_redacted_url_masks_the_code() -> None:
    address = parse_webhook_url(f"{PORTAL}/rest/1/{CODE}/profile.json")
    assert address.redacted_url == f"{PORTAL}/rest/1/***/"


def test_parsed_code_is_registered_for_redaction() -> None:
    code = "registeredcode1234"
    parse_webhook_url(f"{PORTAL}/rest/1/{code}/")
    try:
        assert redact_module.redact(f"token {code} in free text") == "token *** in free text"
    finally:
        redact_module.forget_secret(code)


# --- portal_address ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("Example.Bitrix24.com", PORTAL),
        (f" {PORTAL}/ ", PORTAL),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_portal_address_is_normalised(pasted: str, expected: str) -> None:
    assert portal_address(pasted) == expected


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        (f"{PORTAL}/rest/1/{CODE}/", MSG_PORTAL_HAS_PATH),
        (f"{PORTAL}/crm/", MSG_PORTAL_HAS_PATH),
        ("http://example.bitrix24.com", MSG_PORTAL_PLAIN_HTTP),
        ("", MSG_PORTAL_EMPTY),
        ("not a url", MSG_PORTAL_NOT_A_URL),
        ("ftp://example.bitrix24.com", MSG_BAD_SCHEME),
        ("https://exa_mple.com", MSG_BAD_HOST),
    ],
)
def test_portal_address_refuses_paths_http_and_garbage(pasted: str, message: str) -> None:
    with pytest.raises(WebhookUrlError) as caught:
        portal_address(pasted)
    assert str(caught.value) == message


# --- properties -------------------------------------------------------------------------

CODE_ALPHABET = string.ascii_lowercase + string.digits
codes = st.text(CODE_ALPHABET, min_size=16, max_size=16).filter(
    lambda c: sum(ch.isdigit() for ch in c) >= 3 and not c.isdigit()
)
ALL_MESSAGE_TEXT = " ".join(ALL_MESSAGES)


def _outcome_is_valid(text: str) -> WebhookAddress | WebhookUrlError:
    try:
        address = parse_webhook_url(text)
    except WebhookUrlError as error:
        outcome: WebhookUrlError = error
    else:
        _assert_valid_address(address, text)
        return address
    assert str(outcome) in ALL_MESSAGES
    return outcome


def _assert_valid_address(address: WebhookAddress, text: str) -> None:
    assert address.portal_url.startswith(("https://", "http://"))
    assert not address.portal_url.endswith("/")
    assert address.user_id > 0
    assert address.code in text
    assert address.code not in repr(address)


@given(st.text())
def test_any_text_gives_an_address_or_a_webhook_url_error(text: str) -> None:
    _outcome_is_valid(text)


url_pieces = st.sampled_from(
    [
        "https://",
        "http://",
        "",
        "/",
        "rest",
        "/rest/",
        "1",
        "/",
        "?",
        "#",
        ":",
        "@",
        "[",
        "]",
        ".",
        "..",
        "%",
        " ",
        '"',
        "example.bitrix24.com",
        "127.0.0.1",
        "::1",
        "profile.json",
        "localhost",
        ":8000",
        "\u0430",
        "xn--",
        "-",
        "_",
    ]
)


@given(
    prefix=st.lists(url_pieces, max_size=6).map("".join),
    user=st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), st.text(max_size=4)),
    code=codes,
    suffix=st.lists(url_pieces, max_size=6).map("".join),
)
def test_mangled_webhook_urls_never_leak_the_code(
    prefix: str, user: str, code: str, suffix: str
) -> None:
    assume(code not in ALL_MESSAGE_TEXT)
    text = f"{prefix}/rest/{user}/{code}/{suffix}"
    outcome = _outcome_is_valid(text)
    if isinstance(outcome, WebhookUrlError):
        assert code not in str(outcome)
        assert code not in repr(outcome)
    redact_module.forget_secret(code)


@given(code=codes, user=st.integers(min_value=1, max_value=10**9), method=url_pieces)
def test_well_formed_webhooks_always_parse(code: str, user: int, method: str) -> None:
    address = parse_webhook_url(f"https://example.bitrix24.com/rest/{user}/{code}/{method}")
    assert (address.portal_url, address.user_id, address.code) == (PORTAL, user, code)
    redact_module.forget_secret(code)


@pytest.mark.parametrize(
    "host", ["junk[::1]", "[::1]junk", "xn--broken-punycode0000", "[fe80::1%25eth0]", "a:1:2"]
)
def test_malformed_hosts_are_refused(host: str) -> None:
    with pytest.raises(WebhookUrlError) as caught:
        parse_webhook_url(f"https://{host}/rest/1/{CODE}/")
    assert str(caught.value) == MSG_BAD_HOST
