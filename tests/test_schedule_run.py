"""``nbreport run --due`` with a frozen clock: the due client runs for the period its schedule
says (not the one in its params file), and a second run finds nothing due."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import time_machine
from click.testing import CliRunner

from nbreport.cli import cli
from nbreport.delivery.due import due_for_sending, due_items
from nbreport.settings import Settings
from tests.schedule_helpers import only_scheduled
from tests.smtp_server import Handler, smtp_server

pytestmark = pytest.mark.kernel

# 08:00 in Berlin on 2 October 2026 (summer time): 30 minutes after September's report fell due
FROZEN = datetime(2026, 10, 2, 6, 0, tzinfo=timezone.utc)


def invoke(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(settings.project_dir), "--data-dir",
                                      str(settings.data_dir), *args], terminal_width=240)
    return result.exit_code, result.output


def test_run_due_runs_each_due_client_for_its_own_period_once(project: Settings) -> None:
    only_scheduled(project, {"harbourside-dental": (
        "schedule:\n  cadence: monthly\n  day: 2\n  time: \"07:30\"\n  timezone: Europe/Berlin\n")})
    with time_machine.travel(FROZEN, tick=True):
        code, output = invoke(project, "run", "--due", "-j", "1")
        assert code == 0, output
        manifest = json.loads((project.outputs_dir / "2026-09" / "manifest.json").read_text())
        assert list(manifest["clients"]) == ["harbourside-dental"]  # the params file says 2026-10
        entry = manifest["clients"]["harbourside-dental"]
        assert entry["status"] == "ok" and entry["qa"]["passed"] is True
        assert (project.outputs_dir / "2026-09" / "harbourside-dental" / "report.html").is_file()
        assert not (project.outputs_dir / "2026-10").exists()

        code, output = invoke(project, "run", "--due")
        assert code == 0 and "nothing is due to run" in output
        code, output = invoke(project, "due")
        assert code == 0, output
    line = next(line for line in output.splitlines() if line.startswith("harbourside-dental"))
    assert line.split()[1:3] == ["2026-09", "ran"]
    item, = due_items(project, FROZEN)
    assert item.state == "ran" and item.gate_passed
    assert due_for_sending(project, FROZEN) == {"2026-09": ["harbourside-dental"]}

    # send --due: a dry run writes September's message and records nothing (still due) ...
    with time_machine.travel(FROZEN, tick=True):
        code, output = invoke(project, "send", "--due", "--dry-run")
        assert code == 0, output
        assert (project.outputs_dir / "2026-09" / "outbox" / "harbourside-dental.eml").is_file()
        assert due_for_sending(project, FROZEN) == {"2026-09": ["harbourside-dental"]}
        # ... a real send delivers it, and then nothing is due any more
        handler = Handler()
        with smtp_server(handler) as port:
            env = {"NBREPORT_SMTP_HOST": "127.0.0.1", "NBREPORT_SMTP_PORT": str(port),
                   "NBREPORT_SMTP_TLS": "none"}
            result = CliRunner().invoke(cli, ["--project", str(project.project_dir), "send", "--due"],
                                        env=env, terminal_width=240)
            assert result.exit_code == 0, result.output
            assert len(handler.received) == 1
            result = CliRunner().invoke(cli, ["--project", str(project.project_dir), "send", "--due"],
                                        env=env, terminal_width=240)
            assert "nothing is due to be sent" in result.output and len(handler.received) == 1
    assert due_for_sending(project, FROZEN) == {}
