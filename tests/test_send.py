"""``reportgen send`` against real SMTP servers (aiosmtpd, in a thread, on
127.0.0.1 only): plain for most cases, STARTTLS with a throwaway certificate
and a login for the encrypted path. A small report set (three languages, the
donor edition only) is built once for the run; each test sends from its
own copy of that build, so logs never leak from one test into another."""

from __future__ import annotations

import email
import email.policy
import hashlib
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.commands.build import built as held_build
from reportgen.commands.send import Options, Outcome, send_built
from reportgen.core.errors import NothingSent, UsageError

PASSWORD = "s3cret-Pa55-word"  # must never appear in any output
DONORS = """id,name,salutation,email,language,amount
D-1,Margaret Ellison,Dear Ms Ellison,m.ellison@example.org,en,50000
D-2,山田 花子,山田 花子 様,hanako@example.org,ja,30000
D-3,김민지,김민지 님께,minji@example.org,ko,20000
D-4,No Address,,,en,100
D-5,Injector,,"evil@example.org
Bcc: victim@example.org",en,1
D-6,Two Of Us,,"a@example.org, b@example.org",en,1
D-7,Claire Dubois,Dear Ms Dubois,claire@example.org,en,15000
D-8,John Smith,Dear Mr Smith,john@example.org,en,10000
"""
GOOD = ["d-1", "d-2", "d-3", "d-7", "d-8"]  # the donors a send reaches
ADDRESS = {
    "d-1": "m.ellison@example.org",
    "d-2": "hanako@example.org",
    "d-3": "minji@example.org",
    "d-7": "claire@example.org",
    "d-8": "john@example.org",
}
FAST = {"rate": 60000, "backoff": 0.01, "retries": 2, "timeout": 5}


# ---- servers ----------------------------------------------------------------


@dataclass
class Handler:
    """An SMTP server's behaviour, scripted per test, and what it received."""

    received: list[tuple[list[str], bytes]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> "550 ..." every time
    later: dict[str, int] = field(default_factory=dict)  # address -> 4xx this many times
    accept_only: int | None = None  # past this many messages, drop every connection
    cut_off: set[str] = field(default_factory=set)  # take the message, drop before replying
    interrupt_at: int | None = None  # send SIGINT to ourselves while taking message N

    def reset(self) -> None:
        self.received.clear()
        self.refuse.clear()
        self.later.clear()
        self.cut_off.clear()
        self.accept_only = self.interrupt_at = None

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:  # fmt: skip
        if self.accept_only is not None and len(self.received) >= self.accept_only:
            server.transport.close()  # a real dropped connection, mid-transaction
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:  # fmt: skip
        if address in self.refuse:
            return self.refuse[address]
        if self.later.get(address, 0) > 0:
            self.later[address] -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        if self.interrupt_at == len(self.received):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while this message goes
        if set(envelope.rcpt_tos) & self.cut_off:
            server.transport.close()  # delivered, but the client never hears so
            return "250 OK"
        return "250 OK"

    def to(self) -> list[str]:
        return [rcpt for tos, _ in self.received for rcpt in tos]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for localhost and 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))  # fmt: skip
    return cert_path, key_path


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                   data: Any) -> AuthResult:  # fmt: skip
    ok = isinstance(data, LoginPassword) and data.login == b"letters" and (
        data.password == PASSWORD.encode())  # fmt: skip
    return AuthResult(success=ok, handled=False)


@dataclass
class Servers:
    plain: Handler
    plain_port: int
    tls: Handler
    tls_port: int
    cert: Path


@pytest.fixture(scope="session")  # one pair per test process
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    folder = tmp_path_factory.mktemp("smtp")
    cert, key = _certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    plain, tls = Handler(), Handler()
    plain_port, tls_port = _free_port(), _free_port()
    first = Controller(plain, hostname="127.0.0.1", port=plain_port)
    second = Controller(
        tls, hostname="127.0.0.1", port=tls_port, tls_context=context, require_starttls=True,
        authenticator=_authenticator, auth_required=True,
    )  # fmt: skip
    first.start()
    second.start()
    try:
        yield Servers(plain, plain_port, tls, tls_port, cert)
    finally:
        first.stop()
        second.stop()


# ---- the report set, built once -----------------------------------------------


def _settings(port: int, **extra: str) -> str:
    values = {
        "host": '"127.0.0.1"', "port": str(port), "security": '"none"',
        "from": '"Test Org <letters@example.org>"',
        "subject": '"Thank you, {{name}}"',
        "subject_ja": '"{{name}} 様、{{fiscal_year}}のご支援ありがとうございました"',
        "subject_ko": '"{{name}} 님, 후원에 감사드립니다"',
    }  # fmt: skip
    values.update(extra)
    return "[email]\n" + "".join(f"{k} = {v}\n" for k, v in values.items() if v)


def _write_set(root: Path, port: int) -> Path:
    (root / "fy2024" / "data").mkdir(parents=True)
    (root / "organization.toml").write_text(
        'languages = ["en", "ja", "ko"]\n[organization]\nname = "Test Org"\n'
        'name_ja = "テスト基金"\nname_ko = "테스트 기금"\n'
        '[signatory]\nname = "Kato Hiroshi"\n\n' + _settings(port), "utf-8",
    )  # fmt: skip
    (root / "fy2024" / "report.toml").write_text(
        'title = "Annual Report 2024"\nfiscal_year = "2024"\nstart = 2024-01-01\n'
        'end = 2024-12-31\neditions = ["donor"]\n', "utf-8",
    )  # fmt: skip
    (root / "fy2024" / "data" / "activities.csv").write_text("date,title,category\n", "utf-8")
    (root / "fy2024" / "data" / "donors.csv").write_text(DONORS, "utf-8")
    return root / "fy2024"


@dataclass(frozen=True)
class Built:
    """This test process's built set: ``work`` is where every case runs,
    ``pristine`` the state each case starts from."""

    work: Path
    pristine: Path

    def restore(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.copytree(self.pristine, self.work, symlinks=True)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path) -> Built:
    """Built once per test process, in the folder where each ``case`` then
    works. The cache's keys include where the report set lives, so a case
    restored to that same place sends from the cache, as a user's second
    send does, instead of laying every letter out again; a case that changes
    what a letter shows still renders it. Each case points the [email]
    settings at its own process's servers (the letters do not depend on them)."""
    from reportgen.commands.build import run_build

    root = tmp_path_factory.mktemp("send-set")
    work = root / "work"
    run_build(_write_set(work / "reports", port=1), work / "output", workers=2)
    shutil.copytree(work, root / "pristine", symlinks=True)
    return Built(work, root / "pristine")


@dataclass
class Case:
    """One test's own copy of the built set, and a way to send from it."""

    year: Path
    out: Path
    servers: Servers

    @property
    def donors(self) -> Path:
        return self.out / "fy2024" / "donors"

    @property
    def log_path(self) -> Path:
        """The year's send log: beside the year folder, in the report set."""
        return self.year.parent / "fy2024.send-log.jsonl"

    def settings(self, **extra: str) -> None:
        org = self.year.parent / "organization.toml"
        text = org.read_text("utf-8").split("[email]")[0]
        port = extra.pop("port", str(self.servers.plain_port))
        org.write_text(text + _settings(int(port), **extra), "utf-8")

    def send(self, ui: Recorder | None = None, **options: Any) -> tuple[Outcome, Recorder]:
        ui = ui or Recorder()
        chosen = {**FAST, "send": True, "yes": True, **options}
        # As ``send.run``: build (from the cache) and send what that build's
        # manifest records, under one hold on the output folder.
        with held_build(self.year, self.out) as result:
            return send_built(self.year, self.out, Options(**chosen), ui, result.letters), ui

    def log(self) -> list[dict[str, str]]:
        return [json.loads(line) for line in self.log_path.read_text("utf-8").splitlines()]


@pytest.fixture
def case(built: Built, servers: Servers) -> Iterator[Case]:
    built.restore()
    servers.plain.reset()
    servers.tls.reset()
    case = Case(built.work / "reports" / "fy2024", built.work / "output", servers)
    case.settings()  # this process's server
    yield case
    servers.plain.reset()
    servers.tls.reset()


class Recorder:
    """The user's side: every line said, every warning, the answer to the question."""

    def __init__(self, answer: bool = True) -> None:
        self.lines: list[str] = []
        self.questions: list[str] = []
        self.answer = answer
        self.advanced = 0

    def say(self, line: str) -> None:
        self.lines.append(line)

    def warn(self, diagnostics: Any) -> None:
        self.lines += [d.format() for d in diagnostics]

    def confirm(self, question: str) -> bool:
        self.questions.append(question)
        return self.answer

    def step(self, message: str) -> None:
        self.lines.append(message)

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        self.advanced += count

    def finish(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _message(raw: bytes) -> email.message.EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


# ---- the tests ------------------------------------------------------------------


def test_sends_each_letter_once_with_correct_mail(case: Case) -> None:
    outcome, ui = case.send()
    assert outcome.exit_code == 1  # the two refused addresses
    assert sorted(case.servers.plain.to()) == sorted(ADDRESS.values())
    assert len(outcome.sent) == 5 and ui.advanced == 5
    assert [who for who, _ in outcome.refused] == ["d-5 (Injector)", "d-6 (Two Of Us)"]
    assert outcome.without_email == ["d-4 (No Address)"]
    by_slug = {}
    for tos, raw in case.servers.plain.received:
        slug = next(s for s, a in ADDRESS.items() if a == tos[0])
        by_slug[slug] = (raw, _message(raw))
    raw, message = by_slug["d-1"]
    assert message["Subject"] == "Thank you, Margaret Ellison"
    assert message["To"].addresses[0].addr_spec == "m.ellison@example.org"
    assert message["Date"].datetime is not None
    assert message["Message-ID"].endswith("@example.org>")
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "Dear Ms Ellison," in text.get_content()
    assert "<p>Dear Ms Ellison,</p>" in html.get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "A letter for Margaret Ellison.pdf"
    pdf = attachment.get_payload(decode=True)
    assert pdf == (case.donors / "d-1.pdf").read_bytes()
    # every line of every message is plain ASCII on the wire (encoded words, QP)
    for raw, _ in by_slug.values():
        assert raw.isascii()
    # the log: sending then sent, per donor, with the letter's hash and Message-ID
    log = case.log()
    assert [e["status"] for e in log] == ["sending", "sent"] * 5
    sent = {e["slug"]: e for e in log if e["status"] == "sent"}
    assert sent["d-1"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert sent["d-1"]["message_id"] == message["Message-ID"]
    assert sent["d-1"]["id"] == "D-1" and sent["d-1"]["email"] == "m.ellison@example.org"
    # a rerun sends nothing again
    case.servers.plain.reset()
    again, _ = case.send()
    assert case.servers.plain.received == [] and again.already_sent == 5 and not again.sent


def test_japanese_and_korean_headers_are_encoded_words(case: Case) -> None:
    case.send()
    messages = {tos[0]: (raw, _message(raw)) for tos, raw in case.servers.plain.received}
    raw, ja = messages["hanako@example.org"]
    assert ja["Subject"] == "山田 花子 様、2024年度のご支援ありがとうございました"
    assert ja["To"].addresses[0].display_name == "山田 花子"
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "Subject: =?utf-8?" in head and "To: =?utf-8?" in head
    assert ja["Content-Language"] == "ja"
    (attachment,) = ja.iter_attachments()
    assert attachment.get_filename() == "山田 花子 様への御礼状.pdf"
    assert "filename*0*=utf-8''%E5%B1%B1%E7%94%B0" in raw.decode("ascii")  # RFC 2231
    text = ja.get_body(("plain",))
    assert text is not None and "山田 花子 様" in text.get_content()
    _, ko = messages["minji@example.org"]
    assert ko["Subject"] == "김민지 님, 후원에 감사드립니다"
    assert ko["To"].addresses[0].display_name == "김민지"


def test_header_injection_is_refused_and_nothing_goes_to_it(case: Case) -> None:
    outcome, _ = case.send()
    everyone = " ".join(case.servers.plain.to())
    assert "victim" not in everyone and "evil" not in everyone
    assert "a@example.org" not in everyone and "b@example.org" not in everyone
    reasons = dict(outcome.refused)
    assert "a line break" in reasons["d-5 (Injector)"]
    assert "a comma" in reasons["d-6 (Two Of Us)"]
    for _, raw in case.servers.plain.received:
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert b"Bcc" not in head and b"victim" not in head
    assert {e["slug"] for e in case.log()} == set(GOOD)


def test_check_warns_where_the_bad_address_is(case: Case) -> None:
    from reportgen.commands.build import run_check

    result = run_check(case.year)
    lines = [d.format() for d in result.diagnostics]
    assert any(line.endswith(
        "donors.csv:6: warning: column 'email': 'evil@example.org\\nBcc: victim@example.org' "
        "holds a line break: give exactly one address; reportgen send will not write to it"
    ) for line in lines), lines  # fmt: skip
    assert any("donors.csv:8: warning: column 'email'" in line and "a comma" in line
               for line in lines)  # fmt: skip
    assert result.ok


def test_dry_run_sends_nothing_and_shows_the_plan(case: Case) -> None:
    outcome, ui = case.send(send=False)
    assert case.servers.plain.received == []
    assert not case.log_path.exists()
    assert outcome.dry_run and outcome.exit_code == 1  # refused addresses
    text = ui.text
    assert "to send: 5 (en 3, ja 1, ko 1)" in text
    assert "without an email: 1" in text and "d-4 (No Address)" in text
    assert text.count("--- message ") == 3
    assert "Subject: Thank you, Margaret Ellison" in text
    assert "To: 山田 花子 <hanako@example.org>" in text
    assert "[attached: A letter for Margaret Ellison.pdf" in text
    assert ui.questions == []


def test_confirmation_refused_sends_nothing(case: Case) -> None:
    outcome, ui = case.send(ui=Recorder(answer=False), yes=False)
    assert len(ui.questions) == 1 and "Send 5 messages to 5 donors" in ui.questions[0]
    assert case.servers.plain.received == []
    assert outcome.exit_code == 1 and outcome.declined
    assert not case.log_path.exists()


def test_cli_asks_and_a_no_sends_nothing(case: Case) -> None:
    result = CliRunner().invoke(
        cli, ["send", str(case.year), "--out", str(case.out), "--send", "--rate", "6000"],
        input="n\n",
    )  # fmt: skip
    assert "Send 5 messages to 5 donors through 127.0.0.1:" in result.output
    assert "not confirmed: nothing was sent" in result.output
    assert result.exit_code == 1 and case.servers.plain.received == []


def test_a_temporary_refusal_is_retried(case: Case) -> None:
    case.servers.plain.later["hanako@example.org"] = 2
    outcome, _ = case.send()
    assert case.servers.plain.to().count("hanako@example.org") == 1
    assert len(outcome.sent) == 5 and not outcome.failed
    statuses = [e["status"] for e in case.log() if e["slug"] == "d-2"]
    assert statuses == ["sending", "failed", "sending", "failed", "sending", "sent"]
    assert "451" in next(e["error"] for e in case.log() if e["status"] == "failed")


def test_a_permanent_refusal_fails_one_and_the_others_go(case: Case) -> None:
    case.servers.plain.refuse["minji@example.org"] = "550 5.1.1 no such mailbox"
    outcome, _ = case.send()
    assert outcome.exit_code == 1
    assert sorted(case.servers.plain.to()) == sorted(set(ADDRESS.values()) - {"minji@example.org"})
    ((who, why),) = outcome.failed
    assert who.startswith("d-3 (김민지)") and "550 5.1.1 no such mailbox" in why
    # the rerun tries only the failed one again
    case.servers.plain.reset()
    again, _ = case.send()
    assert case.servers.plain.to() == ["minji@example.org"] and again.exit_code == 1
    assert again.already_sent == 4


def test_dropped_connections_then_a_rerun_sends_exactly_the_rest(case: Case) -> None:
    case.servers.plain.accept_only = 2
    outcome, _ = case.send()
    first = case.servers.plain.to()
    assert len(first) == 2 and len(outcome.sent) == 2
    assert outcome.exit_code == 1 and len(outcome.failed) == 3
    assert all("connection lost" in why for _, why in outcome.failed)
    case.servers.plain.reset()  # the server is back
    again, _ = case.send()
    rest = case.servers.plain.to()
    assert sorted(first + rest) == sorted(ADDRESS.values()) and len(rest) == 3
    assert again.already_sent == 2 and again.exit_code == 1  # (the refused addresses)


def test_a_message_cut_off_mid_send_is_never_resent_on_its_own(case: Case) -> None:
    case.servers.plain.cut_off.add("claire@example.org")
    outcome, _ = case.send()
    assert len(outcome.unknown) == 1 and outcome.unknown[0].startswith("d-7")
    assert outcome.exit_code == 1 and len(outcome.sent) == 4
    assert [e["status"] for e in case.log() if e["slug"] == "d-7"] == ["sending"]
    case.servers.plain.reset()
    again, ui = case.send()
    assert case.servers.plain.received == [] and len(again.unknown) == 1
    assert "unknown, maybe sent" in ui.text
    case.servers.plain.reset()
    forced, _ = case.send(resend_unknown=True)
    assert case.servers.plain.to() == ["claire@example.org"] and forced.sent


def test_ctrl_c_between_messages_keeps_the_log_consistent(case: Case) -> None:
    case.servers.plain.interrupt_at = 2
    outcome, _ = case.send()
    assert outcome.stopped is not None and outcome.exit_code == 130
    assert len(case.servers.plain.received) == 2 and len(outcome.sent) == 2
    log = case.log()
    assert [e["status"] for e in log] == ["sending", "sent", "sending", "sent"]
    case.servers.plain.reset()
    again, _ = case.send()
    assert len(case.servers.plain.received) == 3 and again.already_sent == 2


def test_a_changed_letter_is_listed_not_resent(case: Case) -> None:
    case.send()
    # The gift corrected after the letter went: the next send's build makes
    # another letter for the same donor.
    donors = case.year / "data" / "donors.csv"
    text = donors.read_text("utf-8")
    donors.write_text(text.replace("john@example.org,en,10000", "john@example.org,en,12000"))
    case.servers.plain.reset()
    outcome, ui = case.send()
    assert case.servers.plain.received == [] and outcome.changed == [
        "d-8 (John Smith) <john@example.org>"]  # fmt: skip
    assert "letter changed since it was sent" in ui.text
    resent, _ = case.send(resend_changed=True)
    assert case.servers.plain.to() == ["john@example.org"] and len(resent.sent) == 1


def test_to_sends_everything_to_one_address_and_logs_nothing(case: Case) -> None:
    outcome, _ = case.send(to="tester@example.net")
    assert case.servers.plain.to() == ["tester@example.net"] * 5
    assert outcome.test_address == "tester@example.net"
    assert not case.log_path.exists()
    names = {_message(raw)["To"].addresses[0].display_name for _, raw in
             case.servers.plain.received}  # fmt: skip
    assert "Margaret Ellison" in names
    case.servers.plain.reset()
    real, _ = case.send()  # the real send afterwards still reaches everyone
    assert sorted(case.servers.plain.to()) == sorted(ADDRESS.values()) and len(real.sent) == 5


def test_starttls_and_login_with_the_password_from_the_environment(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(case.servers.cert))
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", PASSWORD)
    case.settings(port=str(case.servers.tls_port), host='"localhost"', security='"starttls"',
                  username='"letters"')  # fmt: skip
    outcome, ui = case.send()
    assert sorted(case.servers.tls.to()) == sorted(ADDRESS.values())
    assert len(outcome.sent) == 5
    everything = ui.text + case.log_path.read_text("utf-8")
    everything += "".join(raw.decode("ascii") for _, raw in case.servers.tls.received)
    assert PASSWORD not in everything
    assert "password from REPORTGEN_SMTP_PASSWORD" in ui.text


def test_a_wrong_password_is_bad_settings_and_nothing_is_sent(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(case.servers.cert))
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", "wrong-" + PASSWORD)
    case.settings(port=str(case.servers.tls_port), host='"localhost"', security='"starttls"',
                  username='"letters"')  # fmt: skip
    with pytest.raises(UsageError) as caught:
        case.send()
    assert "refused the login of letters" in str(caught.value)
    assert "nothing was sent" in str(caught.value) and PASSWORD not in str(caught.value)
    assert case.servers.tls.received == []


def test_an_untrusted_certificate_is_refused(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", PASSWORD)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    case.settings(port=str(case.servers.tls_port), host='"localhost"', security='"starttls"',
                  username='"letters"')  # fmt: skip
    with pytest.raises(UsageError, match="certificate of localhost is not trusted"):
        case.send()
    assert case.servers.tls.received == []


def test_the_keyring_gives_the_password(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return PASSWORD if (service, username) == ("reportgen-smtp", "letters") else None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise NotImplementedError

        def delete_password(self, service: str, username: str) -> None:
            raise NotImplementedError

    before = keyring.get_keyring()
    keyring.set_keyring(Memory())  # type: ignore[no-untyped-call]
    try:
        monkeypatch.delenv("REPORTGEN_SMTP_PASSWORD", raising=False)
        monkeypatch.setenv("SSL_CERT_FILE", str(case.servers.cert))
        case.settings(port=str(case.servers.tls_port), host='"localhost"',
                      security='"starttls"', username='"letters"')  # fmt: skip
        outcome, ui = case.send()
    finally:
        keyring.set_keyring(before)
    assert len(outcome.sent) == 5 and PASSWORD not in ui.text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"security": '"none"', "host": '"smtp.example.org"'},
         "'security': 'none' sends the password and the letters unencrypted"),
        ({"security": '"ssl"'}, "'email.security': 'ssl' is not one of starttls, tls, none"),
        ({"port": "70000"}, "'port': 70000 is not a port number"),
        ({"from": '"letters@example.org, boss@example.org"'}, "'from':"),
        ({"password": '"hunter2"'}, "'password' does not belong in a file"),
        ({"subject": '"Hello {{nmae}}"'}, "unknown placeholder '{{nmae}}'"),
        ({"subject_ja": '"{{amont}} ありがとう"'}, "'subject_ja': unknown placeholder"),
        ({"hots": '"x"'}, "warning: unknown key 'hots' in [email] (did you mean 'host'?)"),
        ({"colour": '"x"'}, "warning: unknown key 'colour' in [email]"),
    ],
)  # fmt: skip
def test_bad_settings_exit_2_and_send_nothing(
    case: Case, extra: dict[str, str], message: str
) -> None:
    case.settings(**extra)
    runner = CliRunner()
    # At the tests' pace: the case whose settings only warn goes on to send.
    result = runner.invoke(cli, ["send", str(case.year), "--out", str(case.out), "--send",
                                 "--yes", "--rate", "6000"])  # fmt: skip
    output = result.output + (result.stderr if result.stderr_bytes else "")
    assert message in output
    org = case.year.parent / "organization.toml"
    line = next(n for n, text in enumerate(org.read_text("utf-8").splitlines(), 1)
                if text.startswith(next(iter(extra))))  # fmt: skip
    assert f"organization.toml:{line}:" in output
    assert "hunter2" not in output
    if message.startswith("warning:"):  # a warning: the send itself goes on
        assert result.exit_code in (0, 1)
    else:
        assert result.exit_code == 2, output
        assert "problem found; nothing was sent" in output
        assert case.servers.plain.received == []


def test_no_email_settings_exit_2(case: Case) -> None:
    org = case.year.parent / "organization.toml"
    org.write_text(org.read_text("utf-8").split("[email]")[0], "utf-8")
    with pytest.raises(NothingSent) as caught:
        case.send()
    assert "no [email] settings" in caught.value.diagnostics[0].message
    assert case.servers.plain.received == []


def test_a_bad_test_address_is_a_usage_error(case: Case) -> None:
    result = CliRunner().invoke(cli, ["send", str(case.year), "--out", str(case.out),
                                      "--to", "me@example.org\nBcc: x@example.org"])  # fmt: skip
    assert result.exit_code == 2 and "--to:" in result.output


def test_the_send_log_survives_a_rebuild(case: Case) -> None:
    """send, build again (a change that re-renders the letters), send again:
    nothing is sent twice; the log is the same file's content, carried over."""
    from reportgen.commands.build import run_build

    case.send()
    before = case.log_path.read_bytes()
    report = case.year / "report.toml"
    report.write_text(report.read_text("utf-8") + 'title_ja = "年次報告書 2024"\n', "utf-8")
    run_build(case.year, case.out)
    assert case.log_path.read_bytes() == before
    run_build(case.year, case.out)  # unchanged: restored from the cache
    assert case.log_path.read_bytes() == before
    case.servers.plain.reset()
    runner = CliRunner()
    result = runner.invoke(cli, ["send", str(case.year), "--out", str(case.out), "--send",
                                 "--yes", "--rate", "6000"])  # fmt: skip
    assert case.servers.plain.received == [], result.output
    assert "0 sent, 5 already sent before" in result.output


def test_cli_ctrl_c_prints_one_line_and_exits_130(case: Case) -> None:
    case.servers.plain.interrupt_at = 1
    result = CliRunner().invoke(cli, ["send", str(case.year), "--out", str(case.out),
                                      "--send", "--yes", "--rate", "6000"])  # fmt: skip
    assert result.exit_code == 130, result.output
    stops = [line for line in result.output.splitlines() if line.startswith("reportgen:")]
    assert stops == [
        "reportgen: stopped after 1 message(s); the send log is up to date: run the same "
        "command again to send the rest"
    ]
    assert "Traceback" not in result.output
    assert [e["status"] for e in case.log()] == ["sending", "sent"]


def test_a_report_set_is_refused(case: Case) -> None:
    shutil.copytree(case.year, case.year.parent / "fy2023")
    with pytest.raises(UsageError, match="send the letters of one year at a time"):
        from reportgen.commands.send import run

        run(case.year.parent, case.out, Options(), Recorder())


def test_the_email_narrative_file_gives_the_words(case: Case) -> None:
    narrative = case.year / "narrative"
    narrative.mkdir()
    (narrative / "email.md").write_text(
        "---\nrole: email\n---\n# Our letter for {{fiscal_year}}\n\n{{salutation}}\n\n"
        "Thank you for **{{amount}}**. Read more on [our site](https://example.org/news).\n\n"
        "- one\n- two\n",
        "utf-8",
    )
    (narrative / "email.ko.md").write_text(
        "---\nrole: email\n---\n{{salutation}}\n\n{{organization}}의 감사 편지를 첨부합니다.\n",
        "utf-8",
    )
    case.send()
    messages = {tos[0]: _message(raw) for tos, raw in case.servers.plain.received}
    text = messages["m.ellison@example.org"].get_body(("plain",))
    html = messages["m.ellison@example.org"].get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content().replace("\r\n", "\n") == (
        "Our letter for 2024\n\nDear Ms Ellison,\n\nThank you for ¥50,000. Read more on our "
        "site <https://example.org/news>.\n\n- one\n- two\n"
    )
    assert "<strong>¥50,000</strong>" in html.get_content()
    assert '<a href="https://example.org/news">our site</a>' in html.get_content()
    ja = messages["hanako@example.org"].get_body(("plain",))
    assert ja is not None and ja.get_content().startswith("Our letter for 2024年度\r\n")
    ko = messages["minji@example.org"].get_body(("plain",))
    assert ko is not None and ko.get_content().replace("\r\n", "\n") == (
        "김민지 님께\n\n테스트 기금의 감사 편지를 첨부합니다.\n"
    )


def test_an_unknown_placeholder_in_the_email_file_is_located(case: Case) -> None:
    from reportgen.commands.build import run_check

    narrative = case.year / "narrative"
    narrative.mkdir()
    (narrative / "email.md").write_text("---\nrole: email\n---\nDear {{nane}}\n", "utf-8")
    lines = [d.format() for d in run_check(case.year).diagnostics]
    assert any("email.md:4: unknown placeholder '{{nane}}'" in line
               and "(did you mean 'name'?)" in line for line in lines), lines  # fmt: skip


def test_without_a_subject_the_language_pack_gives_one(case: Case) -> None:
    case.settings(subject="", subject_ja="", subject_ko="")
    case.send()
    subjects = {tos[0]: _message(raw)["Subject"] for tos, raw in case.servers.plain.received}
    assert subjects["m.ellison@example.org"] == "A letter of thanks from Test Org: 2024"
    assert subjects["minji@example.org"].startswith("[테스트 기금] ")


def test_the_rate_limit_spaces_the_messages(case: Case) -> None:
    import time

    started = time.monotonic()
    outcome, _ = case.send(rate=240)  # one every 0.25 s
    assert len(outcome.sent) == 5 and time.monotonic() - started >= 4 * 0.25


def test_long_names_fold_and_file_names_stay_short() -> None:
    from reportgen.reading.model import Donor, EmailSettings
    from reportgen.typesetting.donor_email import (
        HeaderProblem,
        Wording,
        attachment_name,
        email_message,
    )

    name = "Friends of the Refugees' Reading Circle of Greater Tokyo " * 4 + "東京 読書会 " * 10
    file = attachment_name(f"A letter for {name}/../x")
    assert file.endswith(".pdf") and len(file) <= 104 and "/" not in file
    settings = EmailSettings(host="127.0.0.1", sender="Org <o@example.org>")
    with pytest.raises(HeaderProblem, match="a line break"):  # refused, never mended
        email_message(
            Donor(name=name + "\nBcc: x@example.org"), "circle@example.org",
            Wording("x", "text\n", "<p>html</p>", file), settings, b"%PDF-1.7\n", "ja",
            datetime.now(UTC),
        )  # fmt: skip
    message = email_message(
        Donor(name=name, email="circle@example.org"), "circle@example.org",
        Wording("件名 " * 40, "text\n", "<p>html</p>", file), settings, b"%PDF-1.7\n", "ja",
        datetime.now(UTC),
    )  # fmt: skip
    raw = message.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n")) and head.isascii()
    parsed = _message(raw)
    assert parsed["To"].addresses[0].addr_spec == "circle@example.org"
    assert len(parsed["To"].addresses) == 1 and "Bcc" not in parsed
    # (CPython folds at spaces between encoded words, where readers drop them:
    # the subject's spaces become no-break spaces, which survive)
    assert parsed["Subject"].replace("\u00a0", " ") == " ".join(["件名"] * 40)
    short = email_message(
        Donor(name="山田 花子", email="h@example.org"), "h@example.org",
        Wording("山田 花子 様", "t\n", "<p>h</p>", "a.pdf"),
        EmailSettings(host="127.0.0.1", sender="o@example.org"), b"%PDF", "ja",
        datetime.now(UTC),
    )  # fmt: skip
    again = _message(short.as_bytes())
    assert again["Subject"] == "山田 花子 様"  # short: ordinary spaces
    assert again["To"].addresses[0].display_name == "山田 花子"


def test_a_server_out_of_reach_leaves_everything_for_the_rerun(case: Case) -> None:
    case.settings(port=str(_free_port()))  # nothing listens there
    outcome, _ = case.send()
    assert outcome.exit_code == 1 and not outcome.sent and len(outcome.failed) == 5
    assert all("not sent: cannot reach 127.0.0.1:" in why for _, why in outcome.failed)
    log = case.log_path
    assert not log.exists() or log.read_text("utf-8") == ""  # no transaction began
    case.settings()
    again, _ = case.send()
    assert len(again.sent) == 5 and sorted(case.servers.plain.to()) == sorted(ADDRESS.values())


def _entry(slug: str, status: str, sha256: str = "aaa") -> Any:
    from reportgen.writing import send_log

    return send_log.Entry(slug, None, f"{slug}@example.org", sha256, status, "t")


def test_the_log_reader_trusts_only_whole_checked_lines(tmp_path: Path) -> None:
    """Each record is a line whose check matches: an edited line, a line
    without its newline and junk are torn, each "maybe sent" for the donor it
    names; the record after a torn line is read, even glued to it."""
    from reportgen.writing import send_log

    path = tmp_path / "fy.send-log.jsonl"
    with send_log.Log(path) as log:
        log.append([_entry("d-1", "sending"), _entry("d-1", "sent")])
        log.append([_entry("d-2", "sent", "bbb"), _entry("d-2", "sending", "ccc")])
        log.append([_entry("d-2", "failed", "ccc")])
        log.append([_entry("d-4", "sending"), _entry("d-4", "sent")])
    lines = path.read_bytes().splitlines(keepends=True)
    edited = lines[-1].replace(b'"sent"', b'"failed"')  # valid JSON, wrong check
    whole = b"".join(lines[:-1])
    glued = whole + edited + lines[0][:40]  # and a torn record of d-1, cut off
    # ... to which an older version appended the next record on the same line:
    glued += b"".join(_line_of(_entry("d-3", s)) for s in ("sending", "sent"))
    path.write_bytes(glued)
    got = send_log.read([(path, False)])
    assert got.get("d-1") == send_log.History("aaa", pending=True)  # its torn record
    assert got.get("d-2") == send_log.History("bbb", pending=False)  # the resend failed
    assert got.get("d-3") == send_log.History("aaa", pending=False)  # read after the tear
    assert got.get("d-4") == send_log.History(None, pending=True)  # its edited record
    assert [(t.line, t.slug) for t in got.torn] == [(7, "d-4"), (8, "d-1")]
    # A torn line that names nobody: everyone not recorded as sent after it.
    path.write_bytes(glued + b'junk\n{"sl\n' + _line_of(_entry("d-2", "sent", "ccc")))
    got = send_log.read([(path, False)])
    assert got.get("d-2") == send_log.History("ccc", pending=False)
    for slug in ("d-1", "d-3", "d-9"):  # d-9: never in the log, and still maybe sent
        assert got.get(slug).pending, slug
    assert got.torn[-1].slug is None and got.torn[-2].slug is None


def _line_of(entry: Any) -> bytes:
    """One record as the log writes it."""
    from reportgen.writing import send_log

    return send_log.record_line(entry)


def test_a_second_send_of_the_same_year_is_stopped(tmp_path: Path) -> None:
    from reportgen.writing import send_log

    path = tmp_path / "fy.send-log.jsonl"
    with send_log.Log(path), pytest.raises(NothingSent) as caught:
        send_log.Log(path)
    assert "another `reportgen send` of this year is sending" in str(
        caught.value.diagnostics[0].format()
    )
    assert not path.exists()  # made, left empty, removed


# ---- issue 24: a send that cannot repeat or misdirect --------------------------------


def _cli_send(case: Case, *extra: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``reportgen send --send --yes`` in a process of its own, run in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "reportgen", "send", str(case.year), "--send", "--yes",
         "--rate", "60000", *extra],
        capture_output=True, text=True, cwd=cwd, timeout=300,
    )  # fmt: skip


def test_a_send_from_another_folder_does_not_send_again(case: Case, tmp_path: Path) -> None:
    """The same command (default --out, relative) from two working directories:
    two output folders, one send log, so the second run sends nothing."""
    first, second = tmp_path / "here", tmp_path / "there"
    first.mkdir()
    second.mkdir()
    result = _cli_send(case, cwd=first)
    assert result.returncode == 1, result.stderr  # (the refused addresses)
    assert sorted(case.servers.plain.to()) == sorted(ADDRESS.values())
    assert (first / "output" / "fy2024" / "donors" / "d-1.pdf").is_file()
    case.servers.plain.reset()
    again = _cli_send(case, cwd=second)
    assert (second / "output" / "fy2024" / "donors" / "d-1.pdf").is_file()
    assert case.servers.plain.received == [], again.stdout
    assert "0 sent, 5 already sent before" in again.stdout
    assert f"send log: {case.log_path}" in again.stdout
    # The contract's place beside the letters holds a copy of what was sent
    # (one JSON object a line, the contract's fields), which decides nothing.
    copy = first / "output" / "fy2024" / "donors" / "send-log.jsonl"
    assert copy.read_bytes().splitlines() == case.log_path.read_bytes().splitlines()
    records = [json.loads(line) for line in copy.read_text("utf-8").splitlines()]
    assert {r["email"] for r in records if r["status"] == "sent"} == set(ADDRESS.values())
    for record in records:
        assert {"id", "email", "message_id", "sha256", "status", "time"} <= set(record)
    assert not (second / "output" / "fy2024" / "donors" / "send-log.jsonl").exists()
    third = _cli_send(case, cwd=first)  # the copy is not adopted as an older log
    assert "copied" not in third.stdout and case.servers.plain.received == []
    assert copy.read_bytes().splitlines() == case.log_path.read_bytes().splitlines()


def test_a_symlinked_send_log_is_refused(case: Case, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_bytes(b"")
    case.log_path.symlink_to(elsewhere)
    result = _cli_send(case, "--out", str(case.out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert (
        "reports/fy2024.send-log.jsonl: the send log is a symbolic link: refusing to follow it"
        in result.stderr  # (shown relative to the working directory)
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert case.servers.plain.received == [] and elsewhere.read_bytes() == b""
    dry = CliRunner().invoke(cli, ["send", str(case.year), "--out", str(case.out)])
    assert dry.exit_code == 2 and "is a symbolic link" in dry.output
    case.log_path.unlink()
    case.log_path.symlink_to(tmp_path / "missing.jsonl")  # dangling: refused too
    result = _cli_send(case, "--out", str(case.out), cwd=tmp_path)
    assert result.returncode == 2 and "is a symbolic link" in result.stderr
    assert case.servers.plain.received == [] and not (tmp_path / "missing.jsonl").exists()


def test_a_torn_last_line_is_maybe_sent_and_the_next_record_is_read(case: Case) -> None:
    """A send cut off while writing d-7's record: d-7 is "maybe sent" (never sent
    again on its own), d-8 goes, and its record after the torn line counts."""
    case.send()
    lines = case.log_path.read_bytes().splitlines(keepends=True)
    d7 = next(i for i, line in enumerate(lines) if b'"slug": "d-7"' in line)
    case.log_path.write_bytes(b"".join(lines[:d7]) + lines[d7][:60])  # d-7 torn, d-8 never
    case.servers.plain.reset()
    outcome, ui = case.send()
    assert case.servers.plain.to() == ["john@example.org"]  # d-8 only
    assert [who.split()[0] for who in outcome.unknown] == ["d-7"]
    assert f"{case.log_path}:{d7 + 1}: warning: a torn or unreadable record" in ui.text
    assert "counted as maybe sent for d-7" in ui.text
    case.servers.plain.reset()
    again, _ = case.send()
    assert case.servers.plain.received == [] and again.already_sent == 4
    assert [who.split()[0] for who in again.unknown] == ["d-7"]


def test_an_encoded_word_in_a_name_cannot_add_headers(case: Case, tmp_path: Path) -> None:
    """A name that decodes to a line break and two headers: exit 2 at its cell,
    nothing sent to anyone; the server never sees a Reply-To or a Bcc."""
    donors = case.year / "data" / "donors.csv"
    evil = "=?utf-8?q?Claire=0D=0AReply-To:_thief@example.net=0D=0ABcc:_spy@example.net?="
    donors.write_text(DONORS.replace("Claire Dubois,", f"{evil},"), "utf-8")
    result = _cli_send(case, "--out", str(case.out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    line = DONORS.splitlines().index(next(r for r in DONORS.splitlines() if "Claire" in r)) + 1
    assert (
        f"donors.csv:{line}: column 'name': {evil!r} holds a line break once its "
        "encoded words (=?...?=) are decoded" in result.stderr
    ), result.stderr
    assert "nothing was sent" in result.stderr and "Traceback" not in result.stderr
    assert case.servers.plain.received == [] and not case.log_path.exists()
    # Decoded to plain text, an encoded name is a name like any other.
    donors.write_text(DONORS.replace("Claire Dubois,", "=?utf-8?q?Claire_Dubois?=,"), "utf-8")
    result = _cli_send(case, "--out", str(case.out), cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # (the refused addresses)
    for _, raw in case.servers.plain.received:
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert b"Reply-To" not in head and b"Bcc" not in head and b"=?utf-8?q?Claire" not in head
    claire = next(raw for tos, raw in case.servers.plain.received if tos == [ADDRESS["d-7"]])
    assert _message(claire)["To"].addresses[0].display_name == "Claire Dubois"


def test_an_encoded_word_in_the_sender_name_is_refused(case: Case) -> None:
    case.settings(**{"from": '"=?utf-8?q?Org=0D=0AX-Evil=3A_1?= <letters@example.org>"'})
    with pytest.raises(NothingSent) as caught:
        case.send()
    assert "'email.from'" in caught.value.diagnostics[0].message
    assert caught.value.diagnostics[0].location.path == case.year.parent / "organization.toml"
    assert "holds a line break once its encoded words" in caught.value.diagnostics[0].message
    assert case.servers.plain.received == []


def _headers_shown(lines: list[str], number: int) -> list[str]:
    """The header block the dry run printed for message ``number``."""
    start = lines.index(next(x for x in lines if x.startswith(f"--- message {number} of"))) + 1
    end = start + next(i for i, x in enumerate(lines[start:]) if not x or x.startswith("(reads"))
    return lines[start:end]


def _unstamped(lines: list[str]) -> list[str]:
    """Without Date and Message-ID, which each composition makes anew."""
    return [x for x in lines if not x.startswith(("Date: ", "Message-ID: "))]


def test_the_dry_run_shows_the_headers_exactly_as_the_server_gets_them(case: Case) -> None:
    _, dry = case.send(send=False)
    shown = _headers_shown(dry.lines, 2)  # 山田 花子: encoded words on the wire
    assert "(reads: To: 山田 花子 <hanako@example.org>)" in dry.lines
    assert any(x.startswith("To: =?utf-8?") for x in shown), shown
    case.send()
    raw = next(raw for tos, raw in case.servers.plain.received if tos == [ADDRESS["d-2"]])
    received = raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")
    assert _unstamped(shown) == _unstamped(received)
    assert len(_unstamped(received)) == len(received) - 2
    assert any(x.startswith("Content-Type: multipart/mixed") for x in shown), shown


def test_an_older_log_under_the_output_folder_is_read_and_copied(case: Case) -> None:
    """Upgrading never mails anyone twice: a log where reportgen used to keep it
    (output/<year>/donors/send-log.jsonl, lines without a check) is read, and
    copied into the report set's log, so a run without it still knows."""
    older = case.donors / "send-log.jsonl"
    sha = {s: hashlib.sha256((case.donors / f"{s}.pdf").read_bytes()).hexdigest() for s in GOOD}
    records = [
        {"email": ADDRESS[s], "id": s.upper(), "message_id": "<m@example.org>", "sha256": sha[s],
         "slug": s, "status": status, "time": "2025-01-01T00:00:00+00:00"}
        for s in ("d-1", "d-2") for status in ("sending", "sent")
    ]  # fmt: skip
    older.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records), "utf-8")
    outcome, ui = case.send()
    assert sorted(case.servers.plain.to()) == sorted(ADDRESS[s] for s in ("d-3", "d-7", "d-8"))
    assert outcome.already_sent == 2
    assert f"also read: {older} (the log of an earlier reportgen)" in ui.text
    assert f"copied 2 record(s) of the earlier send log {older} into {case.log_path}" in ui.text
    older.unlink()  # e.g. a run from another folder, whose output holds no old log
    case.servers.plain.reset()
    again, ui = case.send()
    assert case.servers.plain.received == [] and again.already_sent == 5
    assert "copied" not in ui.text


def test_header_text_is_decoded_then_single_line() -> None:
    """What a header will show, decoded as the email package decodes it (to the
    end: an encoded word inside an encoded word too), or refused."""
    from reportgen.typesetting.donor_email import HeaderProblem, header_text

    assert header_text("=?utf-8?b?5bGx55Sw?= =?utf-8?b?6Iqx5a2Q?=") == "山田花子"
    assert header_text("=?iso-8859-1?q?Ren=E9?=  Dupont\t") == "René Dupont"  # tab: a space
    assert header_text("Margaret Ellison") == "Margaret Ellison"
    refused = {
        "=?utf-8?q?Alice=0D=0AReply-To:_x@example.net?=": "a line break once",
        '"=?utf-8?q?A=0ABcc:_x@example.net?="': "a line break once",  # quoted
        "a=?utf-8?q?X=0D=0ABcc:_x@example.net?=b": "a line break once",  # inside a word
        "=?utf-8?q?=3D=3Futf-8=3Fq=3FA=3D0D=3D0AB=3F=3D?=": "a line break once",  # nested
        "=?utf-8?b?QWxpY2UNCkJjYzogdkB4Lm9yZw==?=": "a line break once",  # base64
        "=?utf-8?q?A=1BB?=": "U+001B (escape) once",
        "Alice\u2028Bcc: x@example.net": "a line break",
        "Alice\x0b": "U+000B (vertical tab)",
    }
    for value, why in refused.items():
        with pytest.raises(HeaderProblem, match=re.escape(why)):
            header_text(value)


# ---- a letter's identity travels with it (issue 24) ------------------------------


def _rows(case: Case) -> list[list[str]]:
    """The donors table: its header, then its rows (read as CSV: a cell may
    hold a line break)."""
    import csv

    with (case.year / "data" / "donors.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_rows(case: Case, header: list[str], rows: list[list[str]]) -> None:
    import csv

    with (case.year / "data" / "donors.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def _records(case: Case) -> dict[str, tuple[str, str]]:
    """Each donor's row hash, by e-mail address, as the donors table reads now."""
    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.letters import row_digest

    year = load_year(case.year, Diagnostics())
    assert year is not None
    return {d.email: (d.id or "", row_digest(d)) for d in year.donors if d.email}


def _received_identities(case: Case) -> list[tuple[str, tuple[str, str]]]:
    """(address, the donor id and row hash the attached letter names) per message."""
    import io

    import pikepdf

    from reportgen.typesetting.letters import recorded_identity

    found = []
    for tos, raw in case.servers.plain.received:
        (attachment,) = _message(raw).iter_attachments()
        data = attachment.get_payload(decode=True)
        assert isinstance(data, bytes)
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found.append((tos[0], recorded_identity(pdf)))
    return found


def _without_ids(case: Case) -> None:
    """The Japanese and Korean donors without an id: their names give no file
    name, so the file name must come from something else than their place."""
    text = (case.year / "data" / "donors.csv").read_text("utf-8")
    text = text.replace("D-2,山田 花子", ",山田 花子").replace("D-3,김민지", ",김민지")
    (case.year / "data" / "donors.csv").write_text(text, "utf-8")


def test_each_letter_records_its_donor_row_in_its_metadata_and_the_manifest(
    case: Case,
) -> None:
    import pikepdf

    from reportgen.commands.build import run_build
    from reportgen.typesetting.letters import recorded_identity

    _without_ids(case)
    result = run_build(case.year, case.out)
    rows = _records(case)
    assert len(result.letters) == 8  # every row, with an address or not
    for record in result.letters:
        path = case.out / record.file
        data = path.read_bytes()
        assert record.pdf_sha256 == hashlib.sha256(data).hexdigest()
        with pikepdf.open(path) as pdf:
            assert recorded_identity(pdf) == (record.donor_id, record.row_sha256)
    assert set(rows.values()) <= {(r.donor_id, r.row_sha256) for r in result.letters}
    # the file names of donors without an id are not their place in the table
    names = sorted(Path(r.file).name for r in result.letters)
    assert not any(re.fullmatch(r"donor-\d+\.pdf", n) for n in names), names
    # an unchanged build restores the letters and the same records
    again = run_build(case.year, case.out)
    assert again.letters == result.letters


def test_rows_reordered_between_sends_send_nobody_a_second_letter(case: Case) -> None:
    _without_ids(case)
    first, _ = case.send()
    assert len(first.sent) == 5
    header, *rows = _rows(case)
    _write_rows(case, header, rows[::-1])
    case.servers.plain.reset()
    again, _ = case.send()
    assert case.servers.plain.received == [] and again.already_sent == 5, again


def test_rows_reordered_while_the_send_builds_each_donor_gets_their_own(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table is reordered after the send's build read it and before the
    send reads it again: each donor still gets the letter made for their row."""
    import reportgen.commands.build

    _without_ids(case)
    (case.year / "report.toml").write_text(
        (case.year / "report.toml").read_text("utf-8") + 'title_ja = "年次報告書"\n', "utf-8"
    )  # a change: the send's build renders the letters again
    real = reportgen.commands.build.render_letters

    def reordering(*args: Any, **kwargs: Any) -> Any:
        made = real(*args, **kwargs)
        header, *rows = _rows(case)
        _write_rows(case, header, rows[::-1])
        return made

    monkeypatch.setattr(reportgen.commands.build, "render_letters", reordering)
    outcome, _ = case.send()
    rows = _records(case)
    received = _received_identities(case)
    assert sorted(a for a, _ in received) == sorted(ADDRESS.values())
    for address, identity in received:
        assert identity == rows[address], f"{address} was sent another donor's letter"
    assert len(outcome.sent) == 5 and not outcome.mismatched


def test_a_row_changed_while_the_send_builds_is_named_and_never_sent(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two donors' addresses swapped after the send's build made their letters:
    neither letter matches its row any more; neither is sent, both are named."""
    import reportgen.commands.build

    real = reportgen.commands.build.render_letters

    def swapping(*args: Any, **kwargs: Any) -> Any:
        made = real(*args, **kwargs)
        text = (case.year / "data" / "donors.csv").read_text("utf-8")
        text = (
            text.replace("m.ellison@example.org", "SWAP")
            .replace("claire@example.org", "m.ellison@example.org")
            .replace("SWAP", "claire@example.org")
        )
        (case.year / "data" / "donors.csv").write_text(text, "utf-8")
        return made

    (case.year / "report.toml").write_text(
        (case.year / "report.toml").read_text("utf-8") + 'title_ja = "年次報告書"\n', "utf-8"
    )
    monkeypatch.setattr(reportgen.commands.build, "render_letters", swapping)
    result = CliRunner().invoke(cli, ["send", str(case.year), "--out", str(case.out), "--send",
                                      "--yes", "--rate", "60000"])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert sorted(case.servers.plain.to()) == [
        "hanako@example.org", "john@example.org", "minji@example.org"]  # fmt: skip
    assert "no letter of this build matches the donor's row (never sent): 2" in result.output
    named = [line for line in result.output.splitlines()
             if line.startswith("letter does not match its donor, not sent: ")]  # fmt: skip
    assert len(named) == 2 and all("no letter from this row" in line for line in named)
    assert "D-1 (Margaret Ellison)" in named[0] and "D-7 (Claire Dubois)" in named[1]
    assert "3 sent" in result.output and "2 not matching their letter" in result.output


def test_a_letter_swapped_on_disk_is_never_sent(case: Case) -> None:
    """Between the build and the send (only by hand: the send holds the
    folder), two letters swapped: each no longer hashes to its record."""
    with held_build(case.year, case.out) as result:
        one, other = case.donors / "d-7.pdf", case.donors / "d-8.pdf"
        a, b = one.read_bytes(), other.read_bytes()
        one.write_bytes(b)
        other.write_bytes(a)
        outcome = send_built(
            case.year, case.out, Options(**FAST, send=True, yes=True), Recorder(), result.letters
        )
    assert sorted(case.servers.plain.to()) == sorted(
        a for s, a in ADDRESS.items() if s not in ("d-7", "d-8"))  # fmt: skip
    assert sorted(who for who, _ in outcome.mismatched) == [
        "d-7 (Claire Dubois) <claire@example.org>",
        "d-8 (John Smith) <john@example.org>",
    ]
    assert all("sha256 differs" in why for _, why in outcome.mismatched)


def test_a_donor_inserted_at_the_top_is_sent_and_nobody_twice(case: Case) -> None:
    _without_ids(case)
    first, _ = case.send()
    assert len(first.sent) == 5
    before = {p.name: p.read_bytes() for p in case.donors.glob("*.pdf")}
    header, *rows = _rows(case)
    _write_rows(
        case, header, [["", "佐藤 健", "佐藤 健 様", "ken@example.org", "ja", "5000"], *rows]
    )
    case.servers.plain.reset()
    again, _ = case.send()
    assert case.servers.plain.to() == ["ken@example.org"], again
    assert again.already_sent == 5 and not again.changed and not again.unknown
    after = {p.name: p.read_bytes() for p in case.donors.glob("*.pdf")}
    assert set(before) < set(after) and len(after) == len(before) + 1
    for name, data in before.items():  # each existing donor keeps their file
        assert after[name] == data, name


def test_a_donor_known_to_the_log_by_another_file_name_is_not_sent_again(case: Case) -> None:
    """An older reportgen named a letter by its row's place (``donor-2``); the
    same donor's letter has another name now. The log still knows the donor
    (by id, else by address): the letter is listed as changed, never resent."""
    older = case.donors / "send-log.jsonl"
    records = [
        {"email": ADDRESS["d-2"], "id": None, "message_id": "<m@example.org>", "sha256": "0" * 64,
         "slug": "donor-2", "status": status, "time": "2025-01-01T00:00:00+00:00"}
        for status in ("sending", "sent")
    ]  # fmt: skip
    older.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records), "utf-8")
    outcome, _ = case.send()
    assert ADDRESS["d-2"] not in case.servers.plain.to()
    assert any(ADDRESS["d-2"] in who for who in outcome.changed), outcome


# ---- receipts (issue 28): with the letter, or alone ---------------------------------


def test_receipts_go_with_the_letter_or_alone_each_once(case: Case) -> None:
    report = case.year / "report.toml"
    report.write_text(
        report.read_text("utf-8").replace('["donor"]', '["donor", "receipts"]')
        + '\n[receipts]\npreset = "us-written-acknowledgment"\nissued = 2025-01-10\n'
        + 'title_ja = "寄附の受領書"\nstatement_ja = "上記の寄附を受領いたしました。"\n', "utf-8"
    )  # fmt: skip
    (case.year / "data" / "gifts.csv").write_text(
        "donor,date,amount\nD-1,2024-03-01,20000\nD-1,2024-09-01,30000\nD-2,2024-05-05,30000\n",
        "utf-8",
    )
    outcome, _ = case.send(receipts="with")
    assert len(outcome.sent) == 5
    attached = {}
    for tos, raw in case.servers.plain.received:
        names = [part.get_filename() for part in _message(raw).iter_attachments()]
        attached[tos[0]] = names
    assert attached["m.ellison@example.org"][1].startswith("Written acknowledgment")
    assert attached["m.ellison@example.org"][1].endswith("2024-0001.pdf")
    assert len(attached["hanako@example.org"]) == 2  # her receipt in Japanese, her language
    assert attached["hanako@example.org"][1].startswith("寄附の受領書")
    assert len(attached["claire@example.org"]) == 1  # no gifts, no receipt: the letter alone
    case.servers.plain.reset()
    outcome, _ = case.send(receipts="only")  # the receipts alone: two donors have one
    assert sorted(tos[0] for tos, _ in case.servers.plain.received) == [
        "hanako@example.org",
        "m.ellison@example.org",
    ]
    subjects = []
    for _, raw in case.servers.plain.received:
        message = _message(raw)
        [part] = list(message.iter_attachments())
        subjects.append(str(message["Subject"]))
        assert part.get_content().startswith(b"%PDF")
        assert part.get_filename().startswith(("Written acknowledgment", "寄附の受領書"))
    assert "Your receipt from Test Org: 2024" in subjects  # each in the donor's language
    assert {r["slug"] for r in case.log() if r["status"] == "sent"} >= {
        "receipt-d-1",
        "receipt-d-2",
    }
    case.servers.plain.reset()
    outcome, _ = case.send(receipts="only")  # sent once: not again
    assert case.servers.plain.received == [] and outcome.already_sent == 2
