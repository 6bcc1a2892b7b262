"""SMART App Launch against the real harness: discovery, PKCE, the loopback listener, tokens."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from medrecords_desktop.errors import Cancelled
from medrecords_desktop.portals.errors import (
    AuthorizationFailed,
    NeedsSignIn,
    PkceNotSupported,
    PortalDiscoveryFailed,
    PortalInsecureURL,
)
from medrecords_desktop.portals.smart import (
    SCOPES_V1,
    SCOPES_V2,
    AuthorizationRequest,
    LoopbackListener,
    SmartConfiguration,
    TokenSet,
    code_challenge_s256,
    discover,
    exchange_code,
    refresh,
    sign_in,
)
from tests.portal_support import CLIENT_ID, PATIENT, Harness, follow_in_browser


def test_discovery_reads_smart_configuration(harness: Harness) -> None:
    config = discover(harness.fhir_base)
    assert config.authorization_endpoint == f"{harness.issuer}/authorize"
    assert config.token_endpoint == f"{harness.issuer}/token"
    assert config.supports_s256 and not config.from_capability_statement
    assert "launch-standalone" in config.capabilities
    assert config.scopes == SCOPES_V2  # the harness advertises permission-v2


def test_discovery_uses_v1_scopes_without_permission_v2(harness: Harness) -> None:
    harness.control("smart-config", {"override": {"capabilities": ["launch-standalone", "client-public"]}})
    assert discover(harness.fhir_base).scopes == SCOPES_V1


def test_discovery_falls_back_to_capability_statement(harness: Harness) -> None:
    harness.control("smart-config", {"hide": True})
    assert httpx.get(f"{harness.fhir_base}/.well-known/smart-configuration").status_code == 404
    config = discover(harness.fhir_base)
    assert config.from_capability_statement
    assert config.authorization_endpoint == f"{harness.issuer}/authorize"
    assert config.token_endpoint == f"{harness.issuer}/token"


def test_discovery_refuses_server_without_s256(harness: Harness) -> None:
    harness.control("smart-config", {"override": {"code_challenge_methods_supported": ["plain"]}})
    with pytest.raises(PkceNotSupported, match="offers: plain"):
        discover(harness.fhir_base)


def test_discovery_of_a_non_fhir_address_says_so(harness: Harness) -> None:
    with pytest.raises(PortalDiscoveryFailed, match="FHIR base address"):
        discover(f"{harness.origin}/not-fhir")


@pytest.mark.parametrize("url", ["http://portal.example.org/fhir", "ftp://127.0.0.1/fhir", "https:///nohost"])
def test_plain_http_refused_except_loopback(url: str) -> None:
    with pytest.raises(PortalInsecureURL):
        discover(url)


def test_authorization_url_carries_smart_and_pkce_parameters(smart_config: SmartConfiguration) -> None:
    req = AuthorizationRequest.create(smart_config, CLIENT_ID, "http://127.0.0.1:5555/callback")
    q = {k: v[0] for k, v in parse_qs(urlsplit(req.url).query).items()}
    assert req.url.startswith(smart_config.authorization_endpoint + "?")
    assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID
    assert q["aud"] == smart_config.fhir_base and q["state"] == req.state
    assert q["code_challenge_method"] == "S256"
    assert q["code_challenge"] == code_challenge_s256(req.code_verifier) != req.code_verifier
    assert set(q["scope"].split()) >= {"launch/patient", "offline_access", "patient/*.rs"}
    assert 43 <= len(req.code_verifier) <= 128
    other = AuthorizationRequest.create(smart_config, CLIENT_ID, "http://127.0.0.1:5555/callback")
    assert other.state != req.state and other.code_verifier != req.code_verifier


def test_sign_in_with_pkce_through_loopback(harness: Harness, smart_config: SmartConfiguration) -> None:
    opened: list[str] = []

    def browser(url: str) -> None:
        opened.append(url)
        follow_in_browser(url)

    tokens = sign_in(smart_config, CLIENT_ID, browser, timeout=10)
    assert len(opened) == 1
    assert tokens.patient == PATIENT
    assert tokens.access_token and tokens.refresh_token
    assert "patient/*.rs" in tokens.scope
    assert not tokens.expired()
    # The token works on the FHIR API, and nothing works without it.
    auth = {"Authorization": f"Bearer {tokens.access_token}"}
    assert httpx.get(f"{harness.fhir_base}/Patient/{PATIENT}", headers=auth).status_code == 200
    assert httpx.get(f"{harness.fhir_base}/Patient/{PATIENT}").status_code == 401
    assert "access_token" not in repr(tokens) and tokens.access_token not in repr(tokens)


def _code_for(request: AuthorizationRequest, listener: LoopbackListener) -> str:
    listener.expect(request.state)
    follow_in_browser(request.url)
    return listener.wait(10)


def test_wrong_code_verifier_is_refused(smart_config: SmartConfiguration) -> None:
    with LoopbackListener() as listener:
        request = AuthorizationRequest.create(smart_config, CLIENT_ID, listener.redirect_uri)
        code = _code_for(request, listener)
    forged = AuthorizationRequest(
        url=request.url,
        state=request.state,
        code_verifier=request.code_verifier[:-4] + "AAAA",
        redirect_uri=request.redirect_uri,
        client_id=CLIENT_ID,
    )
    with pytest.raises(AuthorizationFailed, match="code_verifier provided does not match"):
        exchange_code(smart_config, forged, code)
    # The code is spent after the failed attempt: the right verifier cannot use it either.
    with pytest.raises(AuthorizationFailed):
        exchange_code(smart_config, request, code)


def test_code_is_single_use(smart_config: SmartConfiguration) -> None:
    with LoopbackListener() as listener:
        request = AuthorizationRequest.create(smart_config, CLIENT_ID, listener.redirect_uri)
        code = _code_for(request, listener)
    assert exchange_code(smart_config, request, code).access_token
    with pytest.raises(AuthorizationFailed, match="refused to complete the sign-in .+"):
        exchange_code(smart_config, request, code)


def test_listener_ignores_wrong_state_then_accepts_ours() -> None:
    with LoopbackListener() as listener:
        listener.expect("the-right-state")
        stray = httpx.get(listener.redirect_uri, params={"code": "stolen", "state": "wrong"})
        assert stray.status_code == 400
        ok = httpx.get(listener.redirect_uri, params={"code": "abc", "state": "the-right-state"})
        assert ok.status_code == 200 and "close this window" in ok.text
        assert listener.wait(5) == "abc"


def test_listener_reports_portal_refusal() -> None:
    with LoopbackListener() as listener:
        listener.expect("s")
        httpx.get(listener.redirect_uri, params={"error": "access_denied", "state": "s"})
        with pytest.raises(AuthorizationFailed, match="access_denied"):
            listener.wait(5)


def test_listener_times_out_and_cancels() -> None:
    with LoopbackListener() as listener:
        listener.expect("s")
        with pytest.raises(AuthorizationFailed, match="No answer from the browser"):
            listener.wait(0.3)
    cancel = threading.Event()
    cancel.set()
    with LoopbackListener() as listener, pytest.raises(Cancelled):
        listener.wait(5, cancel)


def test_wrong_audience_is_refused_by_the_server(smart_config: SmartConfiguration) -> None:
    elsewhere = SmartConfiguration(
        fhir_base="http://127.0.0.1:9/other-fhir",
        authorization_endpoint=smart_config.authorization_endpoint,
        token_endpoint=smart_config.token_endpoint,
        code_challenge_methods=("S256",),
    )
    with pytest.raises(AuthorizationFailed, match="invalid_request"):
        sign_in(elsewhere, CLIENT_ID, follow_in_browser, timeout=10)


def test_refresh_rotates_and_revocation_needs_sign_in(
    harness: Harness, smart_config: SmartConfiguration, tokens: TokenSet
) -> None:
    renewed = refresh(smart_config, tokens, CLIENT_ID)
    assert renewed.access_token != tokens.access_token
    assert renewed.refresh_token and renewed.refresh_token != tokens.refresh_token
    assert renewed.patient == PATIENT
    with pytest.raises(NeedsSignIn):  # the harness rotates: the old refresh token is spent
        refresh(smart_config, tokens, CLIENT_ID)
    harness.control("revoke-refresh-tokens")
    with pytest.raises(NeedsSignIn, match="sign in again"):
        refresh(smart_config, renewed, CLIENT_ID)


def test_portal_core_imports_without_qt() -> None:
    """portals/ is core: it must import with Qt made unimportable."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is not allowed in the core')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import medrecords_desktop.portals.sync, medrecords_desktop.portals.smart\n"
        "print('ok')\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
