"""Which client id to sign in with: this build's app registrations per vendor (data/app_registrations.json,
filled by whoever distributes the app), a per-portal override, or dynamic client registration (RFC 7591)
where the server's smart-configuration offers a ``registration_endpoint``.

``NoRegistration`` says plainly what is missing and what the person can do about it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import httpx

from .errors import PortalError, PortalResponseError
from .http import check_url, display_url, new_http_client

REDIRECT_URI = "http://127.0.0.1/callback"  # loopback: any port is accepted (RFC 8252 section 7.3)
CLIENT_NAME = "MedRecords Desktop"


@dataclass(frozen=True)
class Registration:
    vendor: str
    client_id: str  # "" = this build has none
    register_at: str
    match: tuple[str, ...]


class NoRegistration(PortalError):
    def __init__(self, portal: str, vendor: str | None, register_at: str | None) -> None:
        self.vendor = vendor
        who = vendor or "this portal's vendor"
        where = f" (the vendor registers apps at {register_at})" if register_at else ""
        super().__init__(
            f"This copy of MedRecords has no app registration for {who}{where}, and {portal} does not offer "
            "automatic registration. Enter the client id the portal gave you in the portal's settings "
            "(medrecords portal add ... --client-id ID), or ask whoever distributed the app to add one."
        )


@cache
def registrations() -> tuple[Registration, ...]:
    text = resources.files("medrecords_desktop").joinpath("data/app_registrations.json").read_text("utf-8")
    return tuple(
        Registration(
            str(v["vendor"]),
            str(v.get("client_id") or ""),
            str(v.get("register_at") or ""),
            tuple(str(m).casefold() for m in v.get("match") or ()),
        )
        for v in json.loads(text)["vendors"]
    )


def for_portal(vendor: str | None, fhir_base: str | None) -> Registration | None:
    """The registration that applies to a portal, by its vendor's name or its FHIR base address."""
    hay = f"{vendor or ''} {fhir_base or ''}".casefold()
    for r in registrations():
        if any(m in hay for m in r.match):
            return r
    return None


def register_client(registration_endpoint: str, scope: str, http: httpx.Client | None = None) -> str:
    """RFC 7591 dynamic registration of a public native client; returns the client id the server gave."""
    url = check_url(registration_endpoint)
    own = http is None
    http = http or new_http_client()
    body: dict[str, Any] = {
        "client_name": CLIENT_NAME,
        "redirect_uris": [REDIRECT_URI],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "application_type": "native",
        "scope": scope,
    }
    try:
        resp = http.post(url, json=body, headers={"Accept": "application/json"})
    except httpx.TransportError as exc:
        raise PortalResponseError(display_url(url), f"registration failed ({type(exc).__name__})") from None
    finally:
        if own:
            http.close()
    if resp.status_code not in (200, 201):
        raise PortalResponseError(display_url(url), "the server refused to register the app", resp.status_code)
    try:
        client_id = resp.json().get("client_id")
    except (ValueError, AttributeError):
        client_id = None
    if not isinstance(client_id, str) or not client_id or len(client_id) > 256:
        raise PortalResponseError(display_url(url), "the registration answer has no client_id")
    return client_id
