"""Turn whatever an admin pastes into a checked incoming-webhook address.

Forgiving on form (spaces, quotes, no scheme, a trailing method, a query string, upper-case
host), strict on meaning. Error messages are fixed sentences: they never echo the input,
because the input may contain the webhook code.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.redact import MASK, register_secret

__all__ = [
    "WebhookAddress",
    "WebhookUrlError",
    "is_loopback",
    "is_webhook_code",
    "oauth_server_address",
    "parse_webhook_url",
    "portal_address",
]

# Every message is "what is wrong: how to fix it", in English as written here; the error's
# text is translated when it is raised (`WebhookUrlError(MSG_...)`), its `source` stays this.
MSG_EMPTY = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The webhook address is empty: in Bitrix24 open Developer resources (under Applications "
    "in newer portals) > Other > Inbound webhook and copy the whole webhook URL, which looks "
    "like https://yourcompany.bitrix24.com/rest/1/abcdef123456/.",
)
MSG_NOT_A_URL = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "This is not a web address: in Bitrix24 open Developer resources (under Applications in "
    "newer portals) > Other > Inbound webhook and copy the whole webhook URL, which looks "
    "like https://yourcompany.bitrix24.com/rest/1/abcdef123456/.",
)
MSG_BAD_SCHEME = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The address must start with https://: paste the incoming webhook URL exactly as "
    "Bitrix24 shows it.",
)
MSG_BAD_HOST = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The portal name in this address is not a valid host name: check that the address "
    "was copied completely and without typing mistakes.",
)
MSG_BAD_PORT = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The port number in this address is not valid: remove the part after the colon or "
    "copy the address again from Bitrix24.",
)
MSG_USER_INFO = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The address contains a user name or password before the portal name: remove the "
    "part before the @ sign or copy the address again from Bitrix24.",
)
MSG_PLAIN_HTTP = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The address uses http://, which would send the webhook code unencrypted: use the "
    "https:// address of your portal (http:// is accepted only for this computer, such as "
    "the sandbox on 127.0.0.1).",
)
MSG_NO_WEBHOOK_PART = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "This is only the address of your portal, not of a webhook: a webhook's address is "
    "longer, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/. In Bitrix24 open "
    "Developer resources (under Applications in newer portals) > Other > Inbound webhook "
    "and copy the whole webhook URL from there.",
)
MSG_TASK_LINK = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "This is a link to a task (or a list of tasks), not a webhook: b24desk needs the "
    "webhook's address, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/. In "
    "Bitrix24 open Developer resources (under Applications in newer portals) > Other > "
    "Inbound webhook and copy the whole webhook URL from there.",
)
MSG_OAUTH_LINK = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "This is a sign-in (OAuth) link, not a webhook: to sign in with a local application "
    "choose that kind of connection instead; otherwise, in Bitrix24 open Developer "
    "resources (under Applications in newer portals) > Other > Inbound webhook and copy "
    "the whole webhook URL, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/.",
)
MSG_PORTAL_PAGE = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "This is a link to a page of your portal, not a webhook: b24desk needs the webhook's "
    "address, like https://yourcompany.bitrix24.com/rest/1/abcdef123456/. In Bitrix24 open "
    "Developer resources (under Applications in newer portals) > Other > Inbound webhook "
    "and copy the whole webhook URL from there.",
)
MSG_REST_NOT_FIRST = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The /rest/<user id>/<code>/ part must follow the portal name directly: copy the "
    "webhook URL again from Bitrix24 without changing it.",
)
MSG_OAUTH_ENDPOINT = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "This is the REST address used by OAuth applications, which has no user id and webhook "
    "code: paste the incoming webhook URL (.../rest/<user id>/<code>/) or set up an OAuth "
    "connection instead.",
)
MSG_USER_ID_NOT_NUMBER = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The user id after /rest/ must be a number, such as the 1 in /rest/1/<code>/: copy the "
    "webhook URL again from Bitrix24.",
)
MSG_CODE_MISSING = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The webhook code after the user id is missing: copy the whole webhook URL from "
    "Bitrix24, including the part after /rest/<user id>/.",
)
MSG_CODE_INVALID = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The webhook code in this address is too short or contains characters that a webhook "
    "code never has: copy the whole webhook URL again from Bitrix24.",
)

MSG_PORTAL_EMPTY = QT_TRANSLATE_NOOP(
    "WebhookUrl", "The portal address is empty: type it like https://yourcompany.bitrix24.com."
)
MSG_PORTAL_NOT_A_URL = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "This is not a web address: type the portal address like https://yourcompany.bitrix24.com.",
)
MSG_PORTAL_HAS_PATH = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "A portal address has nothing after the portal name: use only the first part, "
    "like https://yourcompany.bitrix24.com.",
)
MSG_PORTAL_PLAIN_HTTP = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The address uses http://, which would send your secrets unencrypted: use the https:// "
    "address of your portal (http:// is accepted only for this computer, such as the sandbox "
    "on 127.0.0.1).",
)
MSG_OAUTH_SERVER = QT_TRANSLATE_NOOP(
    "WebhookUrl",
    "The OAuth server address must look like https://oauth.bitrix.info (http:// only on "
    "this computer): type it again.",
)
_PORTAL_MESSAGES = {
    MSG_EMPTY: MSG_PORTAL_EMPTY,
    MSG_NOT_A_URL: MSG_PORTAL_NOT_A_URL,
    MSG_PLAIN_HTTP: MSG_PORTAL_PLAIN_HTTP,
}

ALL_MESSAGES: tuple[str, ...] = (
    MSG_EMPTY,
    MSG_NOT_A_URL,
    MSG_BAD_SCHEME,
    MSG_BAD_HOST,
    MSG_BAD_PORT,
    MSG_USER_INFO,
    MSG_PLAIN_HTTP,
    MSG_NO_WEBHOOK_PART,
    MSG_TASK_LINK,
    MSG_OAUTH_LINK,
    MSG_PORTAL_PAGE,
    MSG_REST_NOT_FIRST,
    MSG_OAUTH_ENDPOINT,
    MSG_USER_ID_NOT_NUMBER,
    MSG_CODE_MISSING,
    MSG_CODE_INVALID,
    MSG_PORTAL_EMPTY,
    MSG_PORTAL_NOT_A_URL,
    MSG_PORTAL_HAS_PATH,
    MSG_PORTAL_PLAIN_HTTP,
    MSG_OAUTH_SERVER,
)

# The one webhook-code rule (parsing a URL and building a WebhookAuth both use it).
# Bitrix24 generates 16 lower-case letters and digits; older and on-premise portals vary,
# so accept a wider but still code-shaped range.
_CODE_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
_USER_ID_RE = re.compile(r"[0-9]{1,10}")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# A scheme without "//"; "host:8080/..." is a host and port, not a scheme.
_OTHER_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?![0-9])")
_NETLOC_RE = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^\[\]:]+)(:[^\[\]:]*)?")
_HOST_LABEL_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
# Quotes people paste around URLs, including the typographic ones word processors add.
_QUOTES = "\"'`<>\u201c\u201d\u2018\u2019\u00ab\u00bb"
# Invisible characters that ride along when copying from chat apps and web pages.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


class WebhookUrlError(ValueError):
    """What the user pasted is not a usable webhook address; the message says how to fix it.

    Raised with one of the `MSG_*` texts: `str(error)` is it in the user's language,
    `error.source` the English original (which tells the problems apart).
    """

    def __init__(self, source: str) -> None:
        super().__init__(translate("WebhookUrl", source))
        self.source = source


@dataclass(frozen=True, repr=False)
class WebhookAddress:
    """A checked incoming webhook: `https://<portal>/rest/<user_id>/<code>/`."""

    portal_url: str
    user_id: int
    code: str

    def __post_init__(self) -> None:
        register_secret(self.code)

    @property
    def base_url(self) -> str:
        """The secret base URL that REST methods are appended to; never log or show it."""
        return f"{self.portal_url}/rest/{self.user_id}/{self.code}/"

    @property
    def redacted_url(self) -> str:
        return f"{self.portal_url}/rest/{self.user_id}/{MASK}/"

    def __repr__(self) -> str:
        return (
            f"WebhookAddress(portal_url={self.portal_url!r}, user_id={self.user_id}, code={MASK!r})"
        )

    __str__ = __repr__


def parse_webhook_url(text: str) -> WebhookAddress:
    """Parse a pasted incoming-webhook URL, or raise WebhookUrlError saying what is wrong."""
    parts = _split(text)
    portal_url = _portal_url(parts)
    user_id, code = _webhook_path(parts)
    return WebhookAddress(portal_url=portal_url, user_id=user_id, code=code)


def portal_address(text: str) -> str:
    """Normalise a portal address (scheme + host[:port]); any path must be empty."""
    try:
        parts = _split(text)
        if parts.path.strip("/"):
            raise WebhookUrlError(MSG_PORTAL_HAS_PATH)
        return _portal_url(parts)
    except WebhookUrlError as exc:
        portal_message = _PORTAL_MESSAGES.get(exc.source)
        if portal_message is None:
            raise
        raise WebhookUrlError(portal_message) from exc


def oauth_server_address(text: str) -> str:
    """Normalise an OAuth server address (scheme + host[:port]) like `portal_address`."""
    try:
        return portal_address(text)
    except WebhookUrlError as exc:
        raise WebhookUrlError(MSG_OAUTH_SERVER) from exc


def is_webhook_code(code: object) -> bool:
    """Whether `code` has the shape of an incoming webhook's code (never echo it)."""
    return isinstance(code, str) and _CODE_RE.fullmatch(code) is not None


def is_loopback(host: str) -> bool:
    """This computer (`localhost`, 127.0.0.0/8, ::1): the only place plain http is allowed."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clean(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = text.strip().strip(_QUOTES + _INVISIBLE)
    return text


def _split(text: str) -> SplitResult:
    cleaned = _clean(text)
    if not cleaned:
        raise WebhookUrlError(MSG_EMPTY)
    if any(ch.isspace() for ch in cleaned) or any(ord(ch) < 32 for ch in cleaned):
        raise WebhookUrlError(MSG_NOT_A_URL)
    if _SCHEME_RE.match(cleaned) is None:
        foreign = _OTHER_SCHEME_RE.match(cleaned)
        if foreign is not None:
            # "mailto:...", "javascript:...", or a mangled "https:portal".
            known = foreign.group(1).lower() in ("http", "https")
            raise WebhookUrlError(MSG_NOT_A_URL if known else MSG_BAD_SCHEME)
        cleaned = "https://" + cleaned.lstrip("/")
        try:
            host = urlsplit(cleaned).hostname or ""
        except ValueError:
            host = ""  # told apart below
        if host and "." not in host and ":" not in host and not is_loopback(host):
            # A bare word ("hello"): typed or pasted text, not an address.
            raise WebhookUrlError(MSG_NOT_A_URL)
    try:
        parts = urlsplit(cleaned)
    except ValueError as exc:
        raise WebhookUrlError(MSG_NOT_A_URL) from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise WebhookUrlError(MSG_BAD_SCHEME)
    if not parts.netloc:
        raise WebhookUrlError(MSG_NOT_A_URL)
    if "@" in parts.netloc:
        raise WebhookUrlError(MSG_USER_INFO)
    if not _NETLOC_RE.fullmatch(parts.netloc):
        # urlsplit is lenient here: it reads "junk[::1]" as the host ::1.
        raise WebhookUrlError(MSG_BAD_HOST)
    return parts


def _portal_url(parts: SplitResult) -> str:
    scheme = parts.scheme.lower()
    host = _normalise_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError as exc:
        raise WebhookUrlError(MSG_BAD_PORT) from exc
    if port == 0:
        raise WebhookUrlError(MSG_BAD_PORT)
    if scheme == "http" and not is_loopback(host):
        raise WebhookUrlError(MSG_PLAIN_HTTP)
    netloc = f"[{host}]" if ":" in host else host
    default_port = 443 if scheme == "https" else 80
    if port is not None and port != default_port:
        netloc = f"{netloc}:{port}"
    return f"{scheme}://{netloc}"


def _normalise_host(host: str) -> str:
    host = host.rstrip(".").lower()
    if not host:
        raise WebhookUrlError(MSG_BAD_HOST)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
        ascii_host.encode("ascii").decode("idna")  # rejects broken "xn--" labels
    except UnicodeError as exc:
        raise WebhookUrlError(MSG_BAD_HOST) from exc
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_HOST_LABEL_RE.fullmatch(label) for label in labels):
        raise WebhookUrlError(MSG_BAD_HOST)
    if labels[-1].isdigit():
        # Looks like a broken IPv4 address (e.g. 127.0.0.300), not a name.
        raise WebhookUrlError(MSG_BAD_HOST)
    return ascii_host


_OAUTH_QUERY_KEYS = ("client_id", "code", "redirect_uri", "response_type", "grant_type")


def _what_else(parts: SplitResult, lowered: list[str]) -> str:
    """What an address without a /rest/ part is, as far as it tells (a task, a sign-in...)."""
    query = {pair.split("=", 1)[0].lower() for pair in parts.query.split("&") if pair}
    host = (parts.hostname or "").lower()
    if "oauth" in lowered or host.startswith("oauth.") or query & set(_OAUTH_QUERY_KEYS):
        return MSG_OAUTH_LINK
    if "tasks" in lowered or "task" in lowered:
        return MSG_TASK_LINK
    if lowered:
        return MSG_PORTAL_PAGE
    return MSG_NO_WEBHOOK_PART


def _webhook_path(parts: SplitResult) -> tuple[int, str]:
    segments = [s for s in parts.path.split("/") if s]
    lowered = [s.lower() for s in segments]
    if "rest" not in lowered:
        raise WebhookUrlError(_what_else(parts, lowered))
    if lowered[0] != "rest":
        raise WebhookUrlError(MSG_REST_NOT_FIRST)
    after_rest = segments[1:]
    if not after_rest:
        raise WebhookUrlError(MSG_OAUTH_ENDPOINT)
    user_part = after_rest[0]
    if not _USER_ID_RE.fullmatch(user_part):
        # /rest/tasks.task.list is an OAuth call; /rest/abc/<code>/ is a mangled user id.
        if len(after_rest) == 1:
            raise WebhookUrlError(MSG_OAUTH_ENDPOINT)
        raise WebhookUrlError(MSG_USER_ID_NOT_NUMBER)
    user_id = int(user_part)
    if user_id == 0:
        raise WebhookUrlError(MSG_USER_ID_NOT_NUMBER)
    if len(after_rest) == 1:
        raise WebhookUrlError(MSG_CODE_MISSING)
    code = after_rest[1]
    if "." in code and len(after_rest) == 2:
        # /rest/1/profile.json: the method is there, the code between them is not.
        raise WebhookUrlError(MSG_CODE_MISSING)
    if not is_webhook_code(code):
        raise WebhookUrlError(MSG_CODE_INVALID)
    return user_id, code
