"""Write docs/diagnostic-report-sample.json: the diagnostic report of a sandbox portal.

    .venv/bin/python tools/diagnostic_sample.py [OUT]

The same report `b24desk diagnose --mask-host` writes, made in process against a seeded
sandbox (so no network, no keyring). tests/sandbox/test_sandbox_report_replay.py replays it
against the sandbox; regenerate it when the sandbox or the probe plan changes on purpose.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from b24desk.core.bitrix.auth import WebhookAuth
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.diagnose import run_diagnosis
from b24desk.core.renew.journal import Journal
from b24desk.sandbox import PortalConfig, SandboxPortal

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "diagnostic-report-sample.json"


async def sample(out: Path) -> None:
    portal = SandboxPortal(PortalConfig(seed=5, task_count=200, limits="standard"))
    auth = WebhookAuth("https://sample.bitrix24.invalid", 1, portal.webhook_code)
    with tempfile.TemporaryDirectory() as folder:
        journal = Journal(Path(folder) / "journal.jsonl")
        async with BitrixClient(auth, transport=portal.mock_transport()) as client:
            report = await run_diagnosis(client, journal=journal, mask_host=True)
    report.write(out)
    print(f"wrote {out}: {len(report.data['probes'])} probes", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(sample(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
