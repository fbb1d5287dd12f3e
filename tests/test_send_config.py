"""nbreport send's settings: the delivery: params block and the mail server from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbreport.core.errors import ConfigError, ParamsError
from nbreport.delivery.smtp import RetryPolicy, SmtpConfig
from nbreport.params import load_client_params
from nbreport.settings import Settings

SECRET = "s3cret-Value-71"


def _with_delivery(project: Settings, block: str, client: str = "ledgerline") -> None:
    path = project.params_dir / f"{client}.yaml"
    text = path.read_text()
    head = text.split("\ndelivery:")[0]  # the demo file's own block is replaced
    path.write_text(head + "\ndelivery:\n" + block)


def _error(project: Settings, block: str) -> str:
    _with_delivery(project, block)
    with pytest.raises(ParamsError) as caught:
        load_client_params("ledgerline", project.params_dir)
    return str(caught.value)


def test_a_valid_block_merges_with_the_defaults(project: Settings) -> None:
    _with_delivery(project, "  to: [Ana Lima <ana@example.com>, bo@example.com]\n"
                            "  cc: [BO@example.com]\n  attach: [html, pdf, html]\n")
    delivery = load_client_params("ledgerline", project.params_dir).delivery
    assert delivery is not None
    assert delivery.sender == "Brightline Digital <reports@example.com>"  # from _defaults.yaml
    assert delivery.recipients == ["ana@example.com", "bo@example.com"]  # each address once
    assert delivery.attach == ["html", "pdf"]


def test_an_unknown_subject_placeholder_is_named_with_a_suggestion(project: Settings) -> None:
    message = _error(project, '  to: [a@example.com]\n  subject: "{agency}: {perod}"\n')
    assert "delivery.subject" in message and "'{perod}'" in message
    assert "did you mean '{period}'" in message


def test_bad_addresses_keys_and_attachments_are_errors(project: Settings) -> None:
    assert "not an e-mail address" in _error(project, "  to: [not-an-address]\n")
    assert "did you mean 'reply_to'" in _error(project, "  to: [a@example.com]\n  replyto: b@example.com\n")
    assert "delivery.attach" in _error(project, "  to: [a@example.com]\n  attach: [word]\n")
    # a line break in an address would let a params file write headers of its own
    assert "not an e-mail address" in _error(project, '  to: ["a@example.com\\nBcc: x@example.com"]\n')


def test_reserved_folder_names_are_not_client_ids(project: Settings) -> None:
    path = project.params_dir / "ledgerline.yaml"
    path.write_text(path.read_text().replace("id: ledgerline", "id: sent", 1))
    with pytest.raises(ParamsError, match="sent.*folder nbreport keeps"):
        load_client_params("ledgerline", project.params_dir)


def _env(**values: str) -> dict[str, str]:
    return {f"NBREPORT_SMTP_{key.upper()}": value for key, value in values.items()}


def test_the_server_comes_from_the_environment_with_starttls_by_default(tmp_path: Path) -> None:
    config = SmtpConfig.from_env(tmp_path, _env(host="smtp.example.com", user="u", password=SECRET))
    assert (config.host, config.port, config.tls, config.user) == ("smtp.example.com", 587, "starttls", "u")
    assert SECRET not in repr(config) and SECRET not in str(config)
    assert SmtpConfig.from_env(tmp_path, _env(host="smtp.example.com", tls="ssl")).port == 465
    assert SmtpConfig.from_env(tmp_path, _env(host="localhost", tls="none", port="2525")).port == 2525


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "NBREPORT_SMTP_HOST"),
    (_env(host="smtp.example.com", tls="none"), "localhost only"),
    (_env(host="smtp.example.com", tls="tls13"), "starttls, ssl, none"),
    (_env(host="smtp.example.com", password=SECRET), "NBREPORT_SMTP_USER is not"),
    (_env(host="smtp.example.com", user="u"), "no password"),
    (_env(host="smtp.example.com", port="abc"), "not a number"),
])
def test_a_wrong_environment_is_named_and_shows_no_password(tmp_path: Path, env: dict[str, str],
                                                            expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        SmtpConfig.from_env(tmp_path, env)
    assert SECRET not in str(caught.value)


def test_the_project_config_names_a_keyring_entry_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "nbreport.toml").write_text(f'[smtp]\npassword = "{SECRET}"\n')
    with pytest.raises(ConfigError, match="names only keyring_service") as caught:
        SmtpConfig.from_env(tmp_path, _env(host="smtp.example.com", user="u"))
    assert SECRET not in str(caught.value)
    (tmp_path / "nbreport.toml").write_text('[smtp]\nkeyring_service = "nbreport-smtp"\n')
    import keyring
    from keyring.backend import KeyringBackend

    class InMemory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        entries = {("nbreport-smtp", "u"): SECRET}

        def get_password(self, service: str, username: str) -> str | None:
            return self.entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.entries.pop((service, username), None)

    before = keyring.get_keyring()
    keyring.set_keyring(InMemory())
    try:
        config = SmtpConfig.from_env(tmp_path, _env(host="smtp.example.com", user="u"))
        assert config.password == SECRET and SECRET not in repr(config)
    finally:
        keyring.set_keyring(before)


def test_retry_policy_doubles_its_wait_and_reads_the_environment() -> None:
    policy = RetryPolicy.from_env(_env(retries="4", backoff="1.5"))
    assert policy.attempts == 4
    assert [policy.wait_before(n) for n in (2, 3, 4)] == [1.5, 3.0, 6.0]
    with pytest.raises(ConfigError):
        RetryPolicy.from_env(_env(retries="0"))
