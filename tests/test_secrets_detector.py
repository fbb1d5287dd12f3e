"""The gate's secrets scan (detect-secrets' plugins) finds one planted credential of every kind
it claims to detect, in a report's text, attributes or comments, and names only the kind;
its "external resources" check reads what the page loads, not what its text says."""

from __future__ import annotations

import base64
from html import escape
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nbreport.qa.checks import check_report
from nbreport.qa.secrets_scan import detected_kinds
from nbreport.settings import Settings
from tests.test_qa_checks import CLEAN_HTML, subject


def _b64(document: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


JWT = (f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64({'sub': '1234567890', 'name': 'Jane Roe'})}"
       ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # 40 characters, AWS's documented example
HEX64 = "3f7a9c2e" * 8
LOWER24 = "qwertyuiopasdfghjklzxcvb"

# One credential of each kind, written as it leaks: pasted into commentary, a link, a log line.
PLANTED = {
    "AWS Access Key": "the key AKIAIOSFODNN7EXAMPLE was rotated",
    "Artifactory Credentials": 'artifactory token: AKCp8jQ7rMkTqW2bZ5cV9yN3eL"',
    "Azure Storage Account access key": "AccountKey=" + "Ab3+" * 22,
    "Basic Auth Credentials": "see https://bob:hunter22@db.example.com/reports",
    "Cloudant Credentials": f"cloudant_password='{LOWER24}'",
    "Discord Bot Token": "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
    "GitHub Token": "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
    "GitLab Token": "glpat-" + "xY7kP2mQ9rT4vW6zB1cD",
    "IBM COS HMAC Credentials": "secret_access_key = " + "a1b2c3d4" * 6,
    "IBM Cloud IAM Key": "ibm_cloud_iam_key: " + "Zx9_Yw8-Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed9Cb8Aa7Zz6X1"[:44],
    "JSON Web Token": f"Authorization: Bearer {JWT}",
    "Mailchimp Access Key": "0123456789abcdef0123456789abcdef-us12",
    "NPM tokens": "//registry.npmjs.org/:_authToken=npm_" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2",
    "OpenAI Token": "sk-" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn" + "T3BlbkFJ" + "Op7Qr8St9Uv0Wx1Yz2Ab",
    "Private Key": "-----BEGIN RSA PRIVATE KEY----- MIIEpAIBAAKCAQEA",
    "PyPI Token": "pypi-AgEIcHlwaS5vcmc" + "Ab1_Cd2-" * 10,
    "SendGrid API Key": "SG." + "a" * 22 + "." + "b" * 43,
    "Slack Token": "xoxb-123456789012-abcdef123456",
    "SoftLayer Credentials": f"softlayer_api_key: {HEX64}",
    "Square OAuth Secret": "sq0csp-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v",
    "Stripe Access Key": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "Telegram Bot Token": "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3",
    "Twilio API Key": "SK" + "0123456789abcdef0123456789abcdef",
    "Secret Keyword": f"aws_secret_access_key={AWS_SECRET}",
    "Google API Key": "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
}


def test_every_kind_the_scan_claims_has_a_plant() -> None:
    assert set(detected_kinds()) == set(PLANTED)
    assert len(PLANTED) >= 20


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_a_planted_credential_fails_the_gate_naming_its_kind_not_its_value(kind: str) -> None:
    html = CLEAN_HTML.replace("</main>", f"<p>{PLANTED[kind]}</p></main>")
    result = next(r for r in check_report(subject(html=html)) if r.name == "no secrets")
    assert not result.passed and kind in result.detail.split(", ")
    assert PLANTED[kind] not in result.detail


@pytest.mark.parametrize("place", [
    '<a href="https://x.example/?token={secret}">link</a>',
    '<div data-note="{secret}">x</div>',
    "<!-- {secret} -->",
    "<p>{secret_escaped}</p>",
])
def test_credentials_are_found_in_attributes_comments_and_escaped_text(place: str) -> None:
    secret = f"aws_secret_access_key='{AWS_SECRET}' and {JWT}"
    html = CLEAN_HTML.replace("</main>", place.format(
        secret=secret, secret_escaped=secret.replace("'", "&#39;")) + "</main>")
    result = next(r for r in check_report(subject(html=html)) if r.name == "no secrets")
    assert not result.passed and "JSON Web Token" in result.detail


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_credentials_beside_an_image_are_found_though_its_data_is_not_read(kind: str) -> None:
    """The scan skips the images' data URIs (nobody reads them as text, and they were most of
    its time), but never what stands beside one: the attribute after it, the next element's."""
    image = '<img src="data:image/png;base64,iVBORw0KGgo{filler}=" alt="{alt}">'
    html = CLEAN_HTML.replace("</main>", image.format(filler="A" * 4000, alt="Sessions")
                              + image.format(filler="B" * 4000, alt=escape(PLANTED[kind]))
                              + "</main>")
    result = next(r for r in check_report(subject(html=html)) if r.name == "no secrets")
    assert not result.passed and kind in result.detail.split(", ")


@pytest.mark.parametrize("prose", [
    "Password resets: 34 tickets, down from 41.",
    "The key figures of the month and the tokens of thanks we sent.",
    "Secret Santa campaign: 1,204 orders.",
    "API key rotation is planned for November.",
    "Campaign ID 1234567890 spent $4,200.",
    "Parameters hash 3f7a9c2e1b0d4e5f, nbreport 1.4.0.",
])
def test_ordinary_report_prose_is_no_credential(prose: str) -> None:
    html = CLEAN_HTML.replace("</main>", f"<p>{prose}</p></main>")
    result = next(r for r in check_report(subject(html=html)) if r.name == "no secrets")
    assert result.passed, result.detail


@pytest.mark.parametrize("html, alarm", [
    ('<p>Tip: never paste &lt;img src=https://tracker.example/p.gif&gt; into a report.</p>', False),
    ("<p>The tag &lt;script src='//cdn.example/x.js'&gt;&lt;/script&gt; was removed.</p>", False),
    ('<p>url(https://fonts.example/a.woff) is text here</p>', False),
    ('<img src="https://tracker.example/p.gif" alt="x">', True),
    ('<img src=" //tracker.example/p.gif" alt="x">', True),
    ('<img srcset="data:image/png;base64,AAAA 1x, https://cdn.example/a.png 2x" alt="x">', True),
    ('<link rel="stylesheet" href="https://fonts.example/css">', True),
    ('<iframe src="http://evil.example/"></iframe>', True),
    ('<video poster="https://cdn.example/p.jpg"></video>', True),
    ('<div style="background: url(\'https://cdn.example/bg.png\')">x</div>', True),
    ("<style>@import 'https://cdn.example/x.css';</style>", True),
    ('<meta http-equiv="refresh" content="0; url=https://elsewhere.example/">', True),
    ('<a href="https://agency.example/feedback">feedback</a>', False),
])
def test_external_resources_are_what_the_page_loads(html: str, alarm: bool) -> None:
    page = CLEAN_HTML.replace("</main>", html + "</main>")
    result = next(r for r in check_report(subject(html=page)) if r.name == "no external resources")
    assert result.passed is not alarm, result.detail


@pytest.mark.kernel
def test_nbreport_check_fails_a_real_report_with_a_jwt_and_an_aws_secret(
        demo_outputs: Settings, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    shutil.copytree(demo_outputs.outputs_dir, outputs)
    report = outputs / "2026-10" / "ledgerline" / "report.html"
    report.write_text(report.read_text().replace("</main>", (
        f"<p>Authorization: Bearer {JWT}</p><p>aws_secret_access_key={AWS_SECRET}</p>"
        "<p>Never load &lt;img src=https://tracker.example/p.gif&gt;.</p></main>")))
    result = subprocess.run([sys.executable, "-m", "nbreport", "--project", str(demo_outputs.project_dir),
                             "--outputs-dir", str(outputs), "check", "2026-10", "--client", "ledgerline"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout
    assert "JSON Web Token" in result.stdout and "Secret Keyword" in result.stdout
    assert AWS_SECRET not in result.stdout and JWT not in result.stdout
    manifest = json.loads((outputs / "2026-10" / "manifest.json").read_text())
    failed = manifest["clients"]["ledgerline"]["qa"]["failed"]
    # escaped <img>: no alarm; the planted key names (snake_case) are jargon to a client too
    assert failed[0] == "no secrets" and set(failed) <= {"no secrets", "plain language"}
    assert "Traceback" not in result.stderr


def _one_string_at_a_time(strings: list[str]) -> list[str]:
    """The scan as it was before its one search over all strings: every plugin on every string."""
    from nbreport.qa.secrets_scan import SUPPLEMENTARY, KEYWORD, _keyword_values, _plugins

    found = [name for name, plugin in _plugins()
             if any(any(True for _ in plugin.analyze_string(text)) for text in strings)]
    if any(any(True for _ in _keyword_values(text)) for text in strings):
        found.append(KEYWORD)
    return found + [name for name, pattern in SUPPLEMENTARY.items()
                    if any(pattern.search(text) for text in strings)]


@pytest.mark.parametrize("where", ["first", "middle", "last", "alone"])
@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_the_search_over_all_strings_finds_what_each_string_holds(kind: str, where: str) -> None:
    """The scan searches all of a page's strings at once before it asks a plugin string by
    string: a credential at either end of a string (where ``^``, ``$`` and ``\\b`` decide) and
    anywhere among the strings is found exactly as one string at a time finds it."""
    from nbreport.qa.secrets_scan import credential_kinds

    noise = ["Sessions rose 12% to 4,210.", "Key takeaways", "Cost per lead: $41.20", "ROAS 3.1×"]
    planted = PLANTED[kind]
    strings = {"first": [planted, *noise], "middle": [*noise[:2], planted, *noise[2:]],
               "last": [*noise, planted], "alone": [planted]}[where]
    expected = _one_string_at_a_time(strings)
    assert kind in expected
    assert credential_kinds(strings) == expected
    assert credential_kinds(noise) == _one_string_at_a_time(noise) == []
