"""SMART App Launch (standalone) for a native app: discovery, PKCE, loopback redirect, tokens.

The flow (RFC 8252 + SMART App Launch 2.x):
1. ``discover(base)`` reads ``<base>/.well-known/smart-configuration`` (or, for older servers, the
   oauth-uris extension of the CapabilityStatement) and refuses servers without PKCE S256.
2. ``LoopbackListener`` binds 127.0.0.1 on a random port; its URL is the ``redirect_uri``.
3. ``AuthorizationRequest.create`` makes the state, the code verifier and the authorization URL.
4. A ``BrowserOpener`` (the GUI: QDesktopServices; the CLI: print the URL) shows it to the person.
5. The listener answers exactly one matching redirect, then ``exchange_code`` trades the code for tokens.
``sign_in`` strings the steps together.  ``refresh`` renews an access token.

Tokens are returned as a ``TokenSet``; storing it (encrypted, in the household database) is the caller's
job.  Nothing here logs or prints a token, code or verifier.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from dataclasses import fields as dataclass_fields
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from ..errors import Cancelled
from .errors import (
    AuthorizationFailed,
    NeedsSignIn,
    PkceNotSupported,
    PortalDiscoveryFailed,
    PortalResponseError,
    PortalTLSError,
    PortalUnavailable,
)
from .http import check_url, display_url, new_http_client, tls_failure

OAUTH_URIS_EXT = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
SCOPES_V1 = "openid fhirUser launch/patient offline_access patient/*.read"
SCOPES_V2 = "openid fhirUser launch/patient offline_access patient/*.rs"

# The GUI implements this with QDesktopServices.openUrl, the CLI prints the URL, tests follow it with httpx.
BrowserOpener = Callable[[str], None]


def printing_opener(stream: TextIO | None = None) -> BrowserOpener:
    """The CLI's opener: print the URL for the person to open in their browser on this computer."""

    def open_url(url: str) -> None:
        out = stream or sys.stderr
        print("Open this address in your web browser to sign in to the portal:", file=out)
        print(url, file=out, flush=True)

    return open_url


@dataclass(frozen=True)
class SmartConfiguration:
    fhir_base: str
    authorization_endpoint: str
    token_endpoint: str
    code_challenge_methods: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    scopes_supported: tuple[str, ...] = ()
    issuer: str | None = None
    revocation_endpoint: str | None = None
    from_capability_statement: bool = False
    registration_endpoint: str | None = None  # RFC 7591 dynamic client registration, where offered

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form, for the portal account row in the household database."""
        d = asdict(self)
        for key in ("code_challenge_methods", "capabilities", "scopes_supported"):
            d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SmartConfiguration:
        fields_ = {f.name for f in dataclass_fields(cls)}
        values = {k: v for k, v in d.items() if k in fields_}
        for key in ("code_challenge_methods", "capabilities", "scopes_supported"):
            values[key] = tuple(values.get(key) or ())
        return cls(**values)

    @property
    def supports_s256(self) -> bool:
        return "S256" in self.code_challenge_methods

    @property
    def scopes(self) -> str:
        """Scopes to ask for: SMART v2 syntax where the server says it understands it."""
        return SCOPES_V2 if "permission-v2" in self.capabilities else SCOPES_V1


@dataclass
class TokenSet:
    """What the token endpoint gave us.  ``expires_at`` is a Unix time; None where the server did not say."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    scope: str = ""
    patient: str | None = None
    id_token: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain form for the encrypted household database.  Holds secrets: never write it anywhere else."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TokenSet:
        values: dict[str, Any] = {f.name: d[f.name] for f in dataclass_fields(cls) if f.name in d}
        return cls(**values)

    def expired(self, skew: float = 60.0) -> bool:
        return self.expires_at is not None and time.time() + skew >= self.expires_at

    @classmethod
    def from_response(cls, body: dict[str, Any], previous: TokenSet | None = None) -> TokenSet:
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise ValueError("no access_token")
        expires_in = body.get("expires_in")
        expires_at = time.time() + float(expires_in) if isinstance(expires_in, int | float) else None
        # A refresh response may leave out what did not change (refresh token, patient, scope).
        return cls(
            access_token=token,
            refresh_token=body.get("refresh_token") or (previous.refresh_token if previous else None),
            expires_at=expires_at,
            scope=str(body.get("scope") or (previous.scope if previous else "")),
            patient=body.get("patient") or (previous.patient if previous else None),
            id_token=body.get("id_token"),
        )


def scope_allows_read(scope: str, resource_type: str) -> bool | None:
    """Whether granted ``scope`` lets us read and search ``resource_type``; None when it names no
    resource scopes at all (some servers leave them out of the token response: then just try)."""
    seen_resource_scope = False
    for item in scope.split():
        context, _, rest = item.partition("/")
        if context not in ("patient", "user") or "." not in rest:
            continue
        seen_resource_scope = True
        rtype, _, perms = rest.partition(".")
        perms = perms.split("?")[0]  # v2 scopes may carry a query (patient/Observation.rs?category=...)
        readable = perms in ("read", "*") or ("r" in perms and "s" in perms and set(perms) <= set("cruds"))
        if readable and rtype in ("*", resource_type):
            return True
    return False if seen_resource_scope else None


# ---------------------------------------------------------------------------------------------------------
# Discovery


def _get_json(http: httpx.Client, url: str, base: str) -> tuple[int, Any]:
    try:
        resp = http.get(url, headers={"Accept": "application/json, application/fhir+json"})
    except httpx.TransportError as exc:
        if (tls := tls_failure(exc)) is not None:
            raise PortalTLSError(display_url(url), str(tls.reason or tls)) from None
        raise PortalUnavailable(base, f"could not connect ({type(exc).__name__})") from None
    if resp.status_code != 200:
        return resp.status_code, None
    try:
        return 200, resp.json()
    except ValueError:
        return 200, None


def discover(fhir_base: str, http: httpx.Client | None = None) -> SmartConfiguration:
    """Find the authorization and token endpoints of ``fhir_base``; refuse servers without PKCE S256."""
    base = check_url(fhir_base.rstrip("/"))
    own = http is None
    http = http or new_http_client()
    try:
        status, conf = _get_json(http, f"{base}/.well-known/smart-configuration", base)
        if isinstance(conf, dict) and conf.get("authorization_endpoint") and conf.get("token_endpoint"):
            config = SmartConfiguration(
                fhir_base=base,
                authorization_endpoint=check_url(str(conf["authorization_endpoint"])),
                token_endpoint=check_url(str(conf["token_endpoint"])),
                code_challenge_methods=tuple(conf.get("code_challenge_methods_supported") or ()),
                capabilities=tuple(conf.get("capabilities") or ()),
                scopes_supported=tuple(conf.get("scopes_supported") or ()),
                issuer=conf.get("issuer"),
                revocation_endpoint=conf.get("revocation_endpoint"),
                registration_endpoint=conf.get("registration_endpoint")
                if isinstance(conf.get("registration_endpoint"), str)
                else None,
            )
        else:
            config = _from_capability_statement(http, base, status)
    finally:
        if own:
            http.close()
    if not config.supports_s256:
        raise PkceNotSupported(base, list(config.code_challenge_methods))
    return config


def _from_capability_statement(http: httpx.Client, base: str, wk_status: int) -> SmartConfiguration:
    status, cap = _get_json(http, f"{base}/metadata", base)
    if not isinstance(cap, dict) or cap.get("resourceType") != "CapabilityStatement":
        raise PortalDiscoveryFailed(
            base,
            f"no .well-known/smart-configuration (HTTP {wk_status}) and no CapabilityStatement "
            f"at /metadata (HTTP {status}); is this the FHIR base address of the portal?",
        )
    uris: dict[str, str] = {}
    for rest in cap.get("rest") or []:
        for ext in (rest.get("security") or {}).get("extension") or []:
            if ext.get("url") != OAUTH_URIS_EXT:
                continue
            for sub in ext.get("extension") or []:
                if isinstance(sub.get("valueUri"), str):
                    uris[str(sub.get("url"))] = sub["valueUri"]
    if "authorize" not in uris or "token" not in uris:
        raise PortalDiscoveryFailed(base, "the CapabilityStatement names no OAuth authorize/token endpoints")
    # A CapabilityStatement cannot say whether PKCE is supported; SMART App Launch 2 makes S256 mandatory,
    # and servers this old that do not support it ignore the parameters, which the token exchange reveals.
    return SmartConfiguration(
        fhir_base=base,
        authorization_endpoint=check_url(uris["authorize"]),
        token_endpoint=check_url(uris["token"]),
        code_challenge_methods=("S256",),
        revocation_endpoint=uris.get("revoke"),
        from_capability_statement=True,
    )


# ---------------------------------------------------------------------------------------------------------
# PKCE and the authorization request


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_code_verifier() -> str:
    return _b64url(secrets.token_bytes(48))  # 64 characters, within RFC 7636's 43..128


def code_challenge_s256(verifier: str) -> str:
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str = field(repr=False)
    code_verifier: str = field(repr=False)
    redirect_uri: str
    client_id: str

    @classmethod
    def create(
        cls, config: SmartConfiguration, client_id: str, redirect_uri: str, scope: str | None = None
    ) -> AuthorizationRequest:
        state = secrets.token_urlsafe(24)
        verifier = make_code_verifier()
        params = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope or config.scopes,
            "state": state,
            "aud": config.fhir_base,
            "code_challenge": code_challenge_s256(verifier),
            "code_challenge_method": "S256",
        }
        sep = "&" if urlsplit(config.authorization_endpoint).query else "?"
        url = f"{config.authorization_endpoint}{sep}{urlencode(params)}"
        return cls(url=url, state=state, code_verifier=verifier, redirect_uri=redirect_uri, client_id=client_id)


# ---------------------------------------------------------------------------------------------------------
# Loopback redirect listener (RFC 8252 section 7.3)

_DONE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>MedRecords</title></head>
<body style="font-family: sans-serif; margin: 3em"><h1>{title}</h1><p>{text}</p></body></html>"""


class LoopbackListener:
    """Waits on 127.0.0.1:<random port> for the one redirect that carries our ``state``.

    Requests with another state (or none) get a 400 page and are otherwise ignored, so a stray or hostile
    local request cannot end the sign-in.  Use as a context manager; ``wait`` returns the code.
    """

    def __init__(self, path: str = "/callback") -> None:
        self.path = path
        self._expected_state: str | None = None
        self._done = threading.Event()
        self._code: str | None = None
        self._error: str | None = None
        self._server = HTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.timeout = 0.2
        self._thread = threading.Thread(target=self._serve, name="smart-loopback", daemon=True)
        self._stop = threading.Event()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    def expect(self, state: str) -> None:
        self._expected_state = state

    def __enter__(self) -> LoopbackListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self._server.server_close()

    def _serve(self) -> None:
        while not self._stop.is_set() and not self._done.is_set():
            self._server.handle_request()

    def wait(self, timeout: float, cancel: threading.Event | None = None) -> str:
        deadline = time.monotonic() + timeout
        while not self._done.wait(0.1):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if time.monotonic() >= deadline:
                raise AuthorizationFailed(
                    f"No answer from the browser within {timeout:.0f} s. Sign in again when ready."
                )
        if self._error is not None:
            raise AuthorizationFailed(self._error)
        assert self._code is not None
        return self._code

    def _accept(self, query: dict[str, list[str]]) -> tuple[int, str, str]:
        """Decide on one redirect: (HTTP status, page title, page text)."""
        state = (query.get("state") or [""])[0]
        expected = self._expected_state
        if expected is None or not secrets.compare_digest(state.encode(), expected.encode()):
            return (
                400,
                "Not a MedRecords sign-in",
                "This page was not opened by the sign-in MedRecords started.",
            )
        if "error" in query:
            error = query["error"][0]
            desc = (query.get("error_description") or [""])[0]
            self._error = f"The portal refused the sign-in: {error}" + (f" ({desc})" if desc else "")
            self._done.set()
            return 200, "Sign-in not completed", html.escape(self._error)
        code = (query.get("code") or [""])[0]
        if not code:
            self._error = "The portal's answer carried no authorization code."
            self._done.set()
            return 400, "Sign-in not completed", self._error
        self._code = code
        self._done.set()
        return 200, "Signed in", "You can close this window and return to MedRecords."

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 5  # a local connection that never sends its request must not block the real redirect

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                if parts.path != listener.path or listener._done.is_set():
                    status, title, text = 404, "Not found", "Nothing here."
                else:
                    status, title, text = listener._accept(parse_qs(parts.query))
                body = _DONE_PAGE.format(title=html.escape(title), text=text).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # the request line holds the authorization code: never log it

        return Handler


# ---------------------------------------------------------------------------------------------------------
# Token endpoint


def _token_request(http: httpx.Client, config: SmartConfiguration, form: dict[str, str]) -> httpx.Response:
    try:
        return http.post(config.token_endpoint, data=form, headers={"Accept": "application/json"})
    except httpx.TransportError as exc:
        if (tls := tls_failure(exc)) is not None:
            raise PortalTLSError(display_url(config.token_endpoint), str(tls.reason or tls)) from None
        raise PortalUnavailable(config.fhir_base, f"token endpoint unreachable ({type(exc).__name__})") from None


def _token_error(resp: httpx.Response) -> str:
    """The server's reason: OAuth ``error``/``error_description`` or RFC 9457 ``title``/``detail``."""
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        head = body.get("error") or body.get("title")
        detail = body.get("error_description") or body.get("detail")
        text = ": ".join(str(x) for x in (head, detail) if x)
        if text:
            return text[:300]
    return f"HTTP {resp.status_code}"


def _parse_tokens(resp: httpx.Response, url: str, previous: TokenSet | None = None) -> TokenSet:
    try:
        return TokenSet.from_response(resp.json(), previous)
    except (ValueError, AttributeError, TypeError):
        raise PortalResponseError(display_url(url), "the token response has no access token") from None


def exchange_code(
    config: SmartConfiguration, request: AuthorizationRequest, code: str, http: httpx.Client | None = None
) -> TokenSet:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": request.redirect_uri,
        "client_id": request.client_id,
        "code_verifier": request.code_verifier,
    }
    own = http is None
    http = http or new_http_client()
    try:
        resp = _token_request(http, config, form)
    finally:
        if own:
            http.close()
    if resp.status_code >= 500:
        raise PortalUnavailable(config.fhir_base, f"token endpoint answered HTTP {resp.status_code}")
    if resp.status_code != 200:
        raise AuthorizationFailed(f"The portal refused to complete the sign-in ({_token_error(resp)}).")
    return _parse_tokens(resp, config.token_endpoint)


def refresh(config: SmartConfiguration, tokens: TokenSet, client_id: str, http: httpx.Client | None = None) -> TokenSet:
    """A new TokenSet from the refresh token; NeedsSignIn when the portal no longer accepts it."""
    if not tokens.refresh_token:
        raise NeedsSignIn(config.fhir_base, "the portal gave no refresh token")
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": client_id}
    own = http is None
    http = http or new_http_client()
    try:
        resp = _token_request(http, config, form)
    finally:
        if own:
            http.close()
    if resp.status_code >= 500 or resp.status_code == 429:
        raise PortalUnavailable(config.fhir_base, f"token endpoint answered HTTP {resp.status_code}")
    if resp.status_code != 200:
        raise NeedsSignIn(config.fhir_base, _token_error(resp) or "refresh refused")
    return _parse_tokens(resp, config.token_endpoint, previous=tokens)


def sign_in(
    config: SmartConfiguration,
    client_id: str,
    open_browser: BrowserOpener,
    *,
    timeout: float = 300.0,
    cancel: threading.Event | None = None,
    http: httpx.Client | None = None,
    scope: str | None = None,
) -> TokenSet:
    """The whole standalone launch: listener, browser, one redirect, code exchange."""
    with LoopbackListener() as listener:
        request = AuthorizationRequest.create(config, client_id, listener.redirect_uri, scope)
        listener.expect(request.state)
        open_browser(request.url)
        code = listener.wait(timeout, cancel)
    return exchange_code(config, request, code, http)
