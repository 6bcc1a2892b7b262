"""Shared HTTP rules for portal traffic: which URLs we talk to, TLS detection, token-safe URL display.

Plain http is refused except for loopback addresses (this computer's own test servers); TLS
verification is httpx's default and is never switched off.  Nothing here logs a token or a body.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from urllib.parse import urlsplit, urlunsplit

import httpx

from .errors import PortalInsecureURL

# httpx logs every request URL at INFO (queries hold patient ids) and httpcore logs response headers at
# DEBUG: whatever logging the application configures, those two stay quiet below WARNING.
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)

USER_AGENT = "MedRecords-Desktop/0.1 (SMART on FHIR patient access)"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """Return ``url`` if we may talk to it (https, or http on loopback), else raise PortalInsecureURL."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and is_loopback_host(parts.hostname):
        return url
    raise PortalInsecureURL(url)


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def same_origin(a: str, b: str) -> bool:
    return origin(a) == origin(b)


def display_url(url: str) -> str:
    """The URL without query string or fragment: safe for messages and logs (no codes, ids or tokens)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def tls_failure(exc: BaseException) -> ssl.SSLError | None:
    """The ssl error somewhere in an httpx exception's chain, if the failure was TLS."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError):
            return cur
        cur = cur.__cause__ or cur.__context__
    return None


def new_http_client() -> httpx.Client:
    """An httpx client with verification on, no redirects to other hosts followed blindly, sane timeouts."""
    return httpx.Client(
        verify=True,
        timeout=DEFAULT_TIMEOUT,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,  # a stray *_PROXY or SSL_CERT_FILE in the environment must not reroute health data
    )
