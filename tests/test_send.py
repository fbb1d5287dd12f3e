"""nbreport send against a real SMTP server, with the demo's real reports.

Each test copies the session's produced project (params, commentary, outputs) to its own
folder, starts aiosmtpd on a free port and reads the messages back with the ``email``
package. Expected values come from the params files, the manifest and the reports as
written, read here with plain ``yaml``/``json``, never through nbreport's send code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from nbreport.cli import cli
from nbreport.settings import Settings
from tests.conftest import DEMO_CLIENTS
from tests.smtp_server import Handler, PasswordCheck, smtp_server

pytestmark = pytest.mark.kernel

PERIOD = "2026-10"
USER = "reports-robot"
PASSWORD = "pl4nted-Secret-9f3e1c"  # must appear in no file written and no output


@pytest.fixture
def project(demo_outputs: Settings, tmp_path: Path) -> Settings:
    """A copy of the produced demo project (the session's reports stay untouched)."""
    root = tmp_path / "project"
    shutil.copytree(demo_outputs.project_dir, root)
    return Settings.for_project(root, data_dir=demo_outputs.data_dir)


def env_for(port: int, **extra: str) -> dict[str, str]:
    return {"NBREPORT_SMTP_HOST": "127.0.0.1", "NBREPORT_SMTP_PORT": str(port),
            "NBREPORT_SMTP_TLS": "none", "NBREPORT_SMTP_USER": USER,
            "NBREPORT_SMTP_PASSWORD": PASSWORD, "NBREPORT_SMTP_BACKOFF": "0.01", **extra}


def send(settings: Settings, *args: str, env: dict[str, str]) -> Any:
    return CliRunner().invoke(cli, ["--project", str(settings.project_dir), "send", PERIOD, *args],
                              env=env, catch_exceptions=False)


def delivery_of(settings: Settings, client_id: str) -> dict[str, Any]:
    """The client's delivery block as the YAML files write it (defaults, then the client)."""
    defaults = yaml.safe_load((settings.params_dir / "_defaults.yaml").read_text())["delivery"]
    own = yaml.safe_load((settings.params_dir / f"{client_id}.yaml").read_text())["delivery"]
    return {**defaults, **own}


def client_name(settings: Settings, client_id: str) -> str:
    return yaml.safe_load((settings.params_dir / f"{client_id}.yaml").read_text())["client"]["name"]


# the title a report takes when its params set none, in each demo client's language
DEFAULT_TITLES = {"en": "Performance report", "de": "Leistungsbericht"}


def title_of(settings: Settings, client_id: str) -> str:
    """``report.title`` of the client's file, else of the defaults, else the standard title in
    the report's language; for a month."""
    layers = [yaml.safe_load((settings.params_dir / f"{name}.yaml").read_text())
              for name in (client_id, "_defaults")]
    language = next((layer["report"]["language"] for layer in layers
                     if "language" in (layer.get("report") or {})), "en")
    title = next((layer["report"]["title"] for layer in layers
                  if "title" in (layer.get("report") or {})), DEFAULT_TITLES[language])
    return title.replace("{Grain}", "Monthly")


def manifest(settings: Settings) -> dict[str, Any]:
    return json.loads((settings.outputs_dir / PERIOD / "manifest.json").read_text())


def deliveries(settings: Settings) -> dict[str, Any]:
    return json.loads((settings.outputs_dir / PERIOD / "deliveries.json").read_text())["clients"]


def whole_text(message: Any) -> str:
    """Every header and every decoded part of a message, as text."""
    parts = [str(value) for value in message.values()]
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


def by_recipient(handler: Handler, settings: Settings) -> dict[str, Any]:
    """Each received message under the client whose ``to`` address it went to."""
    owners = {parseaddr(delivery_of(settings, c)["to"][0])[1]: c for c in DEMO_CLIENTS}
    found = {}
    for received in handler.received:
        (owner,) = {owners[a] for a in received.rcpt_tos if a in owners}
        found[owner] = received
    return found


def test_each_client_gets_its_own_report_once(project: Settings) -> None:
    handler, login = Handler(), PasswordCheck(USER, PASSWORD)
    with smtp_server(handler, login) as port:
        first = send(project, env=env_for(port))
        assert first.exit_code == 0, first.output
        assert len(handler.received) == len(DEMO_CLIENTS)
        messages = by_recipient(handler, project)
        entries = manifest(project)["clients"]
        records = deliveries(project)
        for client_id in DEMO_CLIENTS:
            _check_message(project, client_id, messages[client_id], entries[client_id],
                           records[client_id]["messages"])

        again = send(project, env=env_for(port))  # idempotent: nothing new goes out
        assert again.exit_code == 0, again.output
        assert len(handler.received) == len(DEMO_CLIENTS)
        assert again.output.count("already sent") == len(DEMO_CLIENTS)

        resent = send(project, "northwind-outfitters", "--resend", env=env_for(port))
        assert resent.exit_code == 0, resent.output
        assert len(handler.received) == len(DEMO_CLIENTS) + 1
        again_ids = [m["message_id"] for m in deliveries(project)["northwind-outfitters"]["messages"]]
        assert len(again_ids) == 2 and again_ids[0] != again_ids[1]
        assert handler.received[-1].message["Message-ID"] == again_ids[1]
    assert login.logins == len(DEMO_CLIENTS) + 1
    for result in (first, again, resent):
        assert PASSWORD not in result.output
    _no_secret_in_any_file(project.project_dir)
    # the gate and the index still see exactly the three clients (sent/ is not one)
    check = CliRunner().invoke(cli, ["--project", str(project.project_dir), "check", PERIOD])
    assert check.exit_code == 0, check.output
    qa = json.loads((project.outputs_dir / PERIOD / "qa.json").read_text())
    assert sorted(qa["clients"]) == sorted(DEMO_CLIENTS)
    assert sorted(manifest(project)["clients"]) == sorted(DEMO_CLIENTS)


def _check_message(settings: Settings, client_id: str, received: Any, entry: dict[str, Any],
                   records: list[dict[str, Any]]) -> None:
    delivery, name = delivery_of(settings, client_id), client_name(settings, client_id)
    message = received.message
    recipients = [parseaddr(a)[1] for a in [*delivery["to"], *delivery.get("cc", [])]]
    assert received.rcpt_tos == recipients
    assert parseaddr(received.mail_from)[1] == parseaddr(delivery["sender"])[1]
    assert message["To"] == ", ".join(delivery["to"])
    assert message["Reply-To"] == delivery["reply_to"]
    month = "Oktober 2026" if title_of(settings, client_id) == DEFAULT_TITLES["de"] else "October 2026"
    assert message["Subject"] == f"Brightline Digital: {title_of(settings, client_id)}, {month} ({name})"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for tile in entry["summary"]["headline"]:  # the report's headline numbers, as shown
        for text in (plain, html):
            assert tile["label"] in BeautifulSoup(text, "html.parser").get_text()
            assert tile["value"] in text and tile["change"] in text
    report_path = settings.outputs_dir / PERIOD / client_id / "report.html"
    report = report_path.read_bytes()
    commentary = BeautifulSoup(report, "html.parser").select_one(
        '.nbr-commentary[data-section="executive-summary"]')
    opening = " ".join(commentary.get_text().split())[:30]
    assert opening in " ".join(plain.split())
    page = BeautifulSoup(html, "html.parser")  # email-safe: nothing runs, nothing is fetched
    assert not page.find_all(["script", "img", "link", "iframe", "style"])
    assert "http://" not in html and "https://" not in html
    attachments = {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}
    # attach: [html, data] in the demo's defaults: the report and its data pack, byte for byte
    folder = report_path.parent
    assert attachments == {f"{client_id}-{PERIOD}.html": report,
                           f"{client_id}-{PERIOD}-data.xlsx": (folder / "data.xlsx").read_bytes(),
                           f"{client_id}-{PERIOD}-data.zip": (folder / "data.zip").read_bytes()}
    everything = whole_text(message)
    for other in set(DEMO_CLIENTS) - {client_id}:
        assert client_name(settings, other) not in everything
        assert other not in everything
        for address in delivery_of(settings, other)["to"]:
            assert address not in everything
    (record,) = records
    assert record["message_id"] == message["Message-ID"]
    assert record["recipients"] == recipients and record["delivered"] == recipients
    assert record["report_sha256"] == hashlib.sha256(report).hexdigest()
    assert record["attempts"] == 1 and record["status"] == "sent" and record["last_error"] is None
    sent = settings.outputs_dir / PERIOD / "sent" / client_id
    assert (sent / "report.html").read_bytes() == report
    assert (sent / "results.json").read_bytes() == (report_path.parent / "results.json").read_bytes()


def _no_secret_in_any_file(root: Path) -> None:
    forms = [PASSWORD.encode(), base64.b64encode(PASSWORD.encode()),
             base64.b64encode(f"\0{USER}\0{PASSWORD}".encode())]
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(form in content for form in forms), path


def test_a_refused_recipient_is_recorded_and_the_others_still_get_theirs(
        project: Settings) -> None:
    northwind = delivery_of(project, "northwind-outfitters")
    ledgerline = delivery_of(project, "ledgerline")
    refused_cc = northwind["cc"][0]
    busy = ledgerline["to"][0]
    handler = Handler(refuse={refused_cc}, refuse_for_now={busy: 1})
    with smtp_server(handler) as port:
        env = {**env_for(port), "NBREPORT_SMTP_USER": "", "NBREPORT_SMTP_PASSWORD": ""}
        result = send(project, "--backoff", "0", env=env)
        assert result.exit_code == 1, result.output
        assert "550" in result.output and refused_cc in result.output
        records = deliveries(project)
        first = records["northwind-outfitters"]["messages"][-1]
        assert first["status"] == "partial"
        assert first["delivered"] == [northwind["to"][0]]
        assert first["refused"][refused_cc].startswith("550")
        assert first["attempts"] == 1  # a 550 is final: not tried again in the same send
        busy_record = records["ledgerline"]["messages"][-1]
        assert busy_record["status"] == "sent" and busy_record["attempts"] == 2  # 451, then OK
        assert records["harbourside-dental"]["messages"][-1]["status"] == "sent"
        received_before = len(handler.received)
        assert received_before == 3  # northwind's to, ledgerline's after its retry, harbourside

        handler.refuse.clear()  # the mailbox is fixed: the next send completes the message
        completed = send(project, env=env)
        assert completed.exit_code == 0, completed.output
        assert len(handler.received) == received_before + 1
        last = handler.received[-1]
        assert last.rcpt_tos == [refused_cc]
        assert last.message["Message-ID"] == first["message_id"]
    (record,) = deliveries(project)["northwind-outfitters"]["messages"]
    assert record["status"] == "sent" and record["refused"] == {}
    assert record["delivered"] == [northwind["to"][0], refused_cc]


def test_a_dropped_connection_is_retried_with_backoff_and_recorded(project: Settings) -> None:
    from nbreport.delivery.send import SendOptions, send_period
    from nbreport.delivery.smtp import RetryPolicy, SmtpConfig

    harbourside = delivery_of(project, "harbourside-dental")["to"][0]
    handler = Handler(drop_when_to={harbourside: 3})
    waits: list[float] = []
    with smtp_server(handler) as port:
        config = SmtpConfig("127.0.0.1", port, tls="none", timeout=5)
        options = SendOptions(retry=RetryPolicy(attempts=3, backoff_s=0.25), sleep=waits.append)
        outcome = send_period(project, PERIOD, config=config, options=options)
        results = {c.client_id: c.result for c in outcome.clients}
        assert results == {"harbourside-dental": "failed", "ledgerline": "sent",
                           "northwind-outfitters": "sent"}
        assert outcome.exit_code == 1
        assert waits == [0.25, 0.5]  # doubled before each retry, bounded by the attempts
        record = deliveries(project)["harbourside-dental"]["messages"][-1]
        assert record["status"] == "failed" and record["attempts"] == 3
        assert record["delivered"] == [] and "SMTPServerDisconnected" in record["last_error"]
        assert not (project.outputs_dir / PERIOD / "sent" / "harbourside-dental").exists()

        again = send_period(project, PERIOD, config=config, options=options)  # the line is back
        results = {c.client_id: c.result for c in again.clients}
        assert results == {"harbourside-dental": "sent", "ledgerline": "already sent",
                           "northwind-outfitters": "already sent"}
        assert again.exit_code == 0
    assert [r.rcpt_tos for r in handler.received][-1] == [harbourside]


def test_dry_run_writes_the_messages_and_sends_nothing(project: Settings) -> None:
    result = send(project, "--dry-run", env={"NBREPORT_SMTP_HOST": ""})
    assert result.exit_code == 0, result.output
    outbox = project.outputs_dir / PERIOD / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == sorted(f"{c}.eml" for c in DEMO_CLIENTS)
    assert not (project.outputs_dir / PERIOD / "deliveries.json").exists()
    assert not (project.outputs_dir / PERIOD / "sent").exists()
    from email import message_from_bytes, policy

    message = message_from_bytes((outbox / "ledgerline.eml").read_bytes(), policy=policy.default)
    assert message["To"] == ", ".join(delivery_of(project, "ledgerline")["to"])
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    # outbox/ is not a client: the gate still checks the three reports and passes them
    check = CliRunner().invoke(cli, ["--project", str(project.project_dir), "check", PERIOD])
    assert check.exit_code == 0, check.output
    assert "outbox" not in json.loads((project.outputs_dir / PERIOD / "qa.json").read_text())["clients"]


def test_only_passed_and_approved_reports_are_sent(project: Settings) -> None:
    period_dir = project.outputs_dir / PERIOD
    data = manifest(project)
    data["clients"]["ledgerline"]["qa"] = {"passed": False, "failed": ["no secrets"],
                                           "first_reason": "a secret"}
    data["clients"]["harbourside-dental"]["summary"]["review"] = {
        "publishable": False, "reasons": ["2 sections are unreviewed drafts"]}
    (period_dir / "manifest.json").write_text(json.dumps(data))
    handler = Handler()
    with smtp_server(handler) as port:
        env = {**env_for(port), "NBREPORT_SMTP_USER": "", "NBREPORT_SMTP_PASSWORD": ""}
        result = send(project, env=env)
    assert result.exit_code == 1
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "skipped" in lines["ledgerline"] and "QA gate" in lines["ledgerline"]
    assert "skipped" in lines["harbourside-dental"] and "not approved" in lines["harbourside-dental"]
    assert "sent" in lines["northwind-outfitters"]
    assert len(handler.received) == 1


def test_starttls_is_the_default_and_a_server_without_it_gets_nothing(project: Settings) -> None:
    handler = Handler()
    with smtp_server(handler) as port:
        env = {**env_for(port), "NBREPORT_SMTP_TLS": "", "NBREPORT_SMTP_USER": "",
               "NBREPORT_SMTP_PASSWORD": ""}
        result = send(project, "northwind-outfitters", env=env)
    assert result.exit_code == 1
    assert "STARTTLS" in result.output or "SMTPNotSupportedError" in result.output
    assert handler.received == []
    record = deliveries(project)["northwind-outfitters"]["messages"][-1]
    assert record["attempts"] == 1 and record["status"] == "failed"  # not worth retrying
