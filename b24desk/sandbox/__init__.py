"""A Bitrix24 portal in a box, faithful to the documented REST behaviour.

Used by the tests, the benchmarks and the demo mode. Never imports Qt or the core.

    portal = SandboxPortal(PortalConfig(seed=7, task_count=3000, limits="standard"))
    client = httpx.AsyncClient(transport=portal.mock_transport(), base_url="https://x")
    url = portal.webhook_url("https://sandbox.invalid")  # .../rest/1/<code>/
    with serve(portal, host="127.0.0.1", port=0) as base_url: ...  # real HTTP on loopback
"""

from b24desk.sandbox.auth import TokenPair
from b24desk.sandbox.config import PortalConfig
from b24desk.sandbox.faults import FaultKind, FaultPlan
from b24desk.sandbox.model import SandboxTask, SandboxUser, Status
from b24desk.sandbox.portal import SandboxPortal
from b24desk.sandbox.server import serve

__all__ = [
    "FaultKind",
    "FaultPlan",
    "PortalConfig",
    "SandboxPortal",
    "SandboxTask",
    "SandboxUser",
    "Status",
    "TokenPair",
    "serve",
]
