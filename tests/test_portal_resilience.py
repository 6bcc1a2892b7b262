"""The FHIR client under a misbehaving portal: expired tokens, revocation, 429, 5xx, dropped connections,
and TLS that cannot be verified.  Faults are real HTTP behaviour of the harness, injected per test."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import logging
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from medrecords_desktop.portals.client import RetryPolicy, parse_retry_after
from medrecords_desktop.portals.errors import NeedsSignIn, PortalTLSError, PortalUnavailable
from medrecords_desktop.portals.smart import SmartConfiguration, TokenSet, discover
from medrecords_desktop.portals.sync import sync_patient
from tests.portal_support import PATIENT, Harness, make_client


def test_forced_401_refreshes_once_and_retries(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    saved: list[TokenSet] = []
    harness.fault(401, count=1)
    with make_client(smart_config, tokens, on_tokens=saved.append) as client:
        patient = client.read("Patient", PATIENT)
    assert patient["id"] == PATIENT
    assert client.stats.refreshes == 1 and len(saved) == 1
    assert saved[0].access_token != tokens.access_token
    assert saved[0].refresh_token != tokens.refresh_token  # rotated: the caller must store the new one
    assert harness.stats()["refreshes"] == 1


def test_expired_access_token_is_refreshed_mid_sync(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    got: list[str] = []

    def sink(resources: list[dict], info: object) -> None:
        got.extend(r["id"] for r in resources)
        if len(got) == 1:  # after the Patient: every token issued so far stops working
            harness.control("expire-access-tokens")

    with make_client(smart_config, tokens) as client:
        result = sync_patient(client, PATIENT, None, sink)
    assert client.stats.refreshes == 1
    assert result.total == len(got) > 10 and not result.errors


def test_revoked_refresh_token_needs_sign_in(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    harness.control("revoke-refresh-tokens")
    harness.fault(401, count=1)  # the access token has expired too: only a refresh could help
    with make_client(smart_config, tokens) as client:
        with pytest.raises(NeedsSignIn, match="sign in again"):
            sync_patient(client, PATIENT, None, lambda r, i: None)
    assert harness.stats()["refreshes"] == 1  # it tried the refresh token once, then gave up


def test_401_after_a_refresh_is_not_retried_forever(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    harness.fault(401, count=5)
    with make_client(smart_config, tokens) as client, pytest.raises(NeedsSignIn):
        client.read("Patient", PATIENT)
    assert client.stats.refreshes == 1 and client.stats.requests == 2


def test_429_honours_retry_after(harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet) -> None:
    harness.fault(429, count=1, retry_after=1)
    with make_client(smart_config, tokens) as client:
        started = time.monotonic()
        assert client.read("Patient", PATIENT)["id"] == PATIENT
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.5
    assert client.stats.retries == 1 and client.stats.waited_seconds == 1.0


def test_429_asking_too_long_gives_up_at_once(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    harness.fault(429, count=1, retry_after=3600)
    with make_client(smart_config, tokens) as client:
        started = time.monotonic()
        with pytest.raises(PortalUnavailable, match="wait 3600 s") as err:
            client.read("Patient", PATIENT)
    assert err.value.retry_after == 3600
    assert time.monotonic() - started < 1


def test_503_a_few_times_backs_off_and_succeeds(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    harness.fault(503, count=3, match="/Observation")
    sink_types: list[str] = []
    with make_client(smart_config, tokens) as client:
        result = sync_patient(client, PATIENT, None, lambda rs, info: sink_types.append(info.resource_type))
    assert client.stats.retries == 3 and client.stats.waited_seconds > 0
    assert result.counts["Observation"] == 5 and not result.errors
    assert harness.stats()["byStatus"]["503"] == 3


def test_503_forever_gives_up_within_the_bound(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    harness.fault(503, count=1000)
    policy = RetryPolicy(max_attempts=5, base_delay=0.05, max_delay=0.2, max_total_wait=2.0)
    with make_client(smart_config, tokens, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(PortalUnavailable, match="HTTP 503 after 5 attempts"):
            sync_patient(client, PATIENT, None, lambda r, i: None)
        elapsed = time.monotonic() - started
    assert client.stats.requests == 5
    assert elapsed < 2.0  # 4 backoffs, each at most 0.2 s


def test_total_wait_bound_stops_long_retry_afters(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    harness.fault(503, count=1000, retry_after=1)
    policy = RetryPolicy(max_attempts=100, max_retry_after=5, max_total_wait=2.5)
    with make_client(smart_config, tokens, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(PortalUnavailable, match="after waiting 2 s"):
            client.read("Patient", PATIENT)
    assert 2.0 <= time.monotonic() - started < 3.5


@pytest.mark.parametrize("how", ["drop", "truncate"])
def test_dropped_connection_is_retried(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet, how: str
) -> None:
    harness.fault(how, count=2)
    with make_client(smart_config, tokens) as client:
        assert client.read("Patient", PATIENT)["id"] == PATIENT
    assert client.stats.retries == 2
    assert harness.stats()["dropped"] == 2


def test_cancel_interrupts_a_backoff(harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet) -> None:
    from medrecords_desktop.errors import Cancelled

    harness.fault(429, count=1, retry_after=3)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with make_client(smart_config, tokens, cancel=cancel) as client:
        started = time.monotonic()
        with pytest.raises(Cancelled):
            client.read("Patient", PATIENT)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7.0), (" 0 ", 0.0), ("soon", None), (None, None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date_in_future() -> None:
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=30)
    got = parse_retry_after(when.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    assert got is not None and 25 <= got <= 31


# -- TLS: a real HTTPS server on 127.0.0.1 with a certificate nobody trusts --------------------------------


@pytest.fixture
def untrusted_https(tmp_path: Path) -> Iterator[str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_file, key_file)

    class Quiet(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Quiet)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/fhir"
    finally:
        server.shutdown()
        server.server_close()


def test_unverifiable_tls_fails_closed(untrusted_https: str) -> None:
    with pytest.raises(PortalTLSError, match="could not be verified"):
        discover(untrusted_https)


def test_unverifiable_tls_is_not_retried_by_the_client(
    untrusted_https: str, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    config = SmartConfiguration(
        fhir_base=untrusted_https,
        authorization_endpoint=smart_config.authorization_endpoint,
        token_endpoint=smart_config.token_endpoint,
        code_challenge_methods=("S256",),
    )
    with make_client(config, tokens) as client:
        with pytest.raises(PortalTLSError):
            client.read("Patient", PATIENT)
    assert client.stats.retries == 0


def test_expired_token_is_refreshed_before_the_request(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    stale = TokenSet.from_dict({**tokens.to_dict(), "expires_at": time.time() - 5})
    saved: list[TokenSet] = []
    with make_client(smart_config, stale, on_tokens=saved.append) as client:
        assert client.read("Patient", PATIENT)["id"] == PATIENT
    assert client.stats.refreshes == 1 and client.stats.requests == 1  # no wasted 401 round trip
    assert saved and not saved[0].expired()


def test_logs_carry_no_token_query_or_content(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet, caplog: pytest.LogCaptureFixture
) -> None:
    harness.fault(503, count=1)
    harness.fault(401, count=1)
    with caplog.at_level(logging.DEBUG), make_client(smart_config, tokens) as client:
        result = sync_patient(client, PATIENT, None, lambda r, i: None)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/fhir/Observation" in text  # the log is there and useful...
    secrets = [tokens.access_token, tokens.refresh_token or "", client.tokens.access_token]
    assert not any(s and s in text for s in secrets)  # ...without tokens,
    assert "patient=" not in text and "_count" not in text  # queries (they hold the patient id),
    assert "Glucose" not in text and "Fixture" not in text  # or record content
    assert result.total > 10


def test_oversized_answer_is_refused_without_holding_it(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    from medrecords_desktop.portals.errors import PortalResponseError

    with make_client(smart_config, tokens) as client:
        with pytest.raises(PortalResponseError, match="larger than 200 bytes"):
            client.request("GET", "Observation", params={"patient": PATIENT}, max_bytes=200)
        assert client.stats.bytes_received == 0 and client.stats.retries == 0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("app;dur=12.5", 0.0125),
        ("db;dur=3, app;dur=7", 0.010),
        ("app;desc=x", 0.0),
        (None, 0.0),
        ("a;dur=1.2.3", 0.0012),
    ],
)
def test_server_timing_header(header: str | None, seconds: float) -> None:
    from medrecords_desktop.portals.client import server_timing_seconds

    assert server_timing_seconds(header) == pytest.approx(seconds)
