"""The loopback adapter: a real HTTP(S) server for a SandboxPortal, in a daemon thread.

Faults act on the socket: a reset closes the connection without an answer, a slow fault
sleeps `FaultPlan.slow_s` *before* the call runs (so a client that timed out and looks
again may still see the old state for a while), "lostslow" runs the call, stalls, then
hangs up. Request paths are never logged: they carry the webhook code.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import ssl
import struct
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from b24desk.sandbox.faults import FaultKind
from b24desk.sandbox.protocol import Effect, Reply, Request

if TYPE_CHECKING:
    from b24desk.sandbox.portal import SandboxPortal

logger = logging.getLogger(__name__)


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        portal: SandboxPortal,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.portal = portal
        self.scheme = "https" if ssl_context else "http"
        if ssl_context is not None:
            # The handshake happens in the handler thread, not in the accept loop.
            self.socket = ssl_context.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hang up before reading an answer all the time (timeouts, faults, tests
        # that stop early): that is not a server error worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError | TimeoutError):
            logger.debug("a sandbox client hung up early")
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"{self.scheme}://{shown}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections go away on their own
    server: SandboxHTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every keep-alive answer.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers up to the blank line
                    pass
                return bytes(body)
            body += self.rfile.read(size)
            self.rfile.readline()  # the CRLF after each chunk

    def _request(self) -> Request:
        split = urlsplit(self.path)
        host = self.headers.get("Host")
        base = f"{self.server.scheme}://{host}" if host else self.server.base_url
        return Request(
            http_method=self.command,
            path=unquote(split.path),
            query=split.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self._read_body(),
            base_url=base,
        )

    def _serve(self) -> None:
        portal = self.server.portal
        request = self._request()
        if portal.config.latency_ms:
            time.sleep(portal.config.latency_ms / 1000)
        admission = portal.admit(request)
        if admission.fault is FaultKind.SLOW:
            time.sleep(portal.config.faults.slow_s)
        reply = portal.complete(admission)
        if reply.effect is Effect.TIMEOUT:
            time.sleep(portal.config.faults.slow_s)
        if reply.effect is not None:
            self._hang_up()
            return
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _hang_up(self) -> None:
        """Close with RST, so the client sees a reset rather than a clean end."""
        with contextlib.suppress(OSError):  # a platform without SO_LINGER just closes
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.debug("sandbox answered %s with %s", self.command, code)

    def log_message(self, format: str, *args: object) -> None:
        # Error texts quote the request line, which holds the webhook code or a token.
        logger.debug("sandbox server: %s", redact(format % args))


_SECRETS = (
    (re.compile(r"(/rest/\d+/)[^/\s?]+"), r"\1***"),
    (re.compile(r"((?:auth|access_token|refresh_token|code|client_secret)=)[^&\s]+"), r"\1***"),
)


def redact(text: str) -> str:
    """Mask webhook codes in paths and secrets in query strings."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


@contextmanager
def serve(
    portal: SandboxPortal,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> Iterator[str]:
    """Serve the portal until the block ends; yields the base URL (`http://127.0.0.1:PORT`)."""
    server = SandboxHTTPServer((host, port), portal, ssl_context)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
