"""Helpers shared by the sandbox tests (a uniquely named module, unlike conftest)."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from b24desk.sandbox import SandboxPortal
from b24desk.sandbox.model import SandboxDepartment, SandboxTask

BASE = "https://sandbox.invalid"
START = 1_760_000_000.0  # 2025-10-09, a fixed "now" for the fake clock
ME = 1  # the webhook's user


class FakeClock:
    """The portal's injected clock, moved by hand: limits and expiry without sleeping."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Api:
    """A webhook client on a portal's MockTransport, returning raw httpx responses."""

    def __init__(self, portal: SandboxPortal) -> None:
        self.portal = portal
        self.http = httpx.Client(transport=portal.mock_transport(), base_url=BASE)
        self.url = portal.webhook_url(BASE)

    def call(self, method: str, body: Any = None, /, **kwargs: Any) -> httpx.Response:
        """POST JSON: `body` as given (a list for positional methods), else the kwargs."""
        body = body if body is not None else (kwargs or None)
        if body is None:
            return self.http.post(self.url + method)
        return self.http.post(self.url + method, json=body)

    def ok(self, method: str, body: Any = None, /, **kwargs: Any) -> Any:
        response = self.call(method, body, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        self.http.close()


def stage(
    api: Api,
    *,
    status: int,
    role: str,
    task_control: bool = True,
) -> SandboxTask:
    """Give some task the status and make the caller (user 1) play exactly `role`."""
    task = next(t for t in api.portal.tasks.values() if t.id > 50 and t.status != 2)
    others = [u for u in api.portal.users if u != ME][:4]
    task.status = status
    task.created_by, task.responsible_id = others[0], others[1]
    task.accomplices, task.auditors = [others[2]], [others[3]]
    task.task_control = task_control
    task.closed_date = api.portal.clock() - 86_400 if status in (4, 5) else None
    task.closed_by = others[1] if status in (4, 5) else None
    if role == "creator":
        task.created_by = ME
    elif role == "responsible":
        task.responsible_id = ME
    elif role == "accomplice":
        task.accomplices.append(ME)
    elif role == "accomplice+creator":
        task.accomplices.append(ME)
        task.created_by = ME
    elif role == "auditor":
        task.auditors.append(ME)
    elif role == "creator+responsible":
        task.created_by = task.responsible_id = ME
    else:
        assert role == "stranger"
    return task


def head_of(api: Api, user_id: int) -> None:
    """Make user 1 the only head of `user_id`'s own department (edit rights, no role)."""
    user = api.portal.users[user_id]
    department = max(api.portal.departments) + 1
    api.portal.departments[department] = SandboxDepartment(department, "Solo", 500, None, ME)
    user.department_ids = [department]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1/localhost (cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sandbox.invalid")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
