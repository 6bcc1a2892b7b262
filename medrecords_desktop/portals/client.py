"""A FHIR REST client for one patient-access portal account, built to survive real portals.

- Bearer auth; an access token about to expire is refreshed first; a 401 refreshes once and retries;
  a refused refresh is ``NeedsSignIn``.  New tokens go to ``on_tokens`` so the caller can store them
  (refresh tokens may rotate: the old one stops working).
- 429 waits for Retry-After (bounded by ``RetryPolicy.max_retry_after``); 5xx, timeouts and dropped
  connections back off exponentially with jitter; after ``max_attempts`` or ``max_total_wait`` seconds
  of waiting it gives up with ``PortalUnavailable``.
- TLS verification is always on; a TLS failure is ``PortalTLSError`` at once (no retry, no bypass).
- The token is only ever sent to the FHIR base's own origin: paging links and attachment URLs that point
  elsewhere are refused.
- Cancellation (a ``threading.Event``) is honoured between requests and during waits.
- Logs carry method, path (no query), status and timing: never a token, a query or a body.
"""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from ..errors import Cancelled
from .errors import NeedsSignIn, PortalResponseError, PortalTLSError, PortalUnavailable
from .http import check_url, display_url, new_http_client, same_origin, tls_failure
from .smart import SmartConfiguration, TokenSet, refresh
from .vendor import Capabilities, parse_capabilities

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
TRANSIENT_STATUS = frozenset({500, 502, 503, 504})
MAX_PAGES_PER_SEARCH = 10_000  # a server whose `next` never ends must not keep us forever
DEFAULT_MAX_ATTACHMENT = 64 * 1024 * 1024
MAX_RESPONSE_BYTES = 256 * 1024 * 1024  # one search page or resource (the importer's JSON limit)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try.  Tests pass small numbers; the defaults suit a person waiting on a sync."""

    # Real portals throttle and go into maintenance for a minute during their nightly batches: one request
    # rides that out (bounded by time, not by a small count of attempts), then gives up with a clear message.
    max_attempts: int = 40  # requests per call, first one included
    base_delay: float = 1.0  # first backoff, doubled per retry
    max_delay: float = 15.0  # one backoff never longer than this
    max_retry_after: float = 60.0  # a longer Retry-After means "give up now, say when"
    max_total_wait: float = 60.0  # all waiting in one call together

    def backoff(self, retry: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so clients spread out."""
        step = min(self.max_delay, self.base_delay * (2**retry))
        return step / 2 + random.uniform(0, step / 2)  # noqa: S311 (jitter, not a secret)


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    refreshes: int = 0
    bytes_received: int = 0
    server_seconds: float = 0.0  # sum of Server-Timing durations, where the server sends them
    waited_seconds: float = 0.0


@dataclass(frozen=True)
class Fetched:
    """A final answer with its body read (bounded)."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Page:
    """One page of a search: the matched resources (plus _include'd ones) and where it came from."""

    resources: list[dict[str, Any]]
    url: str  # display form: no query string
    number: int  # 1-based within the search
    total: int | None
    bundle_meta: dict[str, Any] = field(default_factory=dict)
    has_next: bool = False
    server_date: str | None = None  # the response's Date header
    next_url: str | None = None  # the absolute `next` link (opaque to us), to resume a search from


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


_TIMING_DUR = re.compile(r"dur=([0-9]+(?:\.[0-9]+)?)")


def server_timing_seconds(header: str | None) -> float:
    if not header:
        return 0.0
    return sum(float(m) for m in _TIMING_DUR.findall(header)) / 1000.0


class FhirClient:
    """Talks to one FHIR base with one account's tokens.  Not thread-safe: one sync at a time."""

    def __init__(
        self,
        config: SmartConfiguration,
        tokens: TokenSet,
        client_id: str,
        *,
        on_tokens: Callable[[TokenSet], None] | None = None,
        retry: RetryPolicy | None = None,
        cancel: threading.Event | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.config = config
        self.base = check_url(config.fhir_base.rstrip("/"))
        self.tokens = tokens
        self.client_id = client_id
        self.on_tokens = on_tokens  # persists rotated tokens (the vault: encrypted household database)
        self.retry = retry or RetryPolicy()
        self.cancel = cancel or threading.Event()
        self._own_http = http is None
        self.http = http or new_http_client()
        self.stats = ClientStats()
        self._capabilities: Capabilities | None = None

    def close(self) -> None:
        if self._own_http:
            self.http.close()

    def __enter__(self) -> FhirClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ------------------------------------------------------------------------------------------

    def url_for(self, path_or_url: str) -> str:
        """Absolute URL for a path relative to the base; refuses other origins (the token stays home)."""
        if "://" in path_or_url:
            url = path_or_url
        else:
            url = urljoin(self.base + "/", path_or_url.lstrip("/"))
        check_url(url)
        if not same_origin(url, self.base):
            raise PortalResponseError(display_url(url), "points outside the portal's FHIR server; not followed")
        return url

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def _sleep(self, seconds: float, waited: float) -> float:
        if waited + seconds > self.retry.max_total_wait:
            raise PortalUnavailable(self.base, f"still failing after waiting {waited:.0f} s")
        if self.cancel.wait(seconds):
            raise Cancelled()
        self.stats.waited_seconds += seconds
        return waited + seconds

    def _refresh(self) -> None:
        self.tokens = refresh(self.config, self.tokens, self.client_id, self.http)
        self.stats.refreshes += 1
        if self.on_tokens is not None:
            self.on_tokens(self.tokens)

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: dict[str, str] | None = None,
        accept: str = FHIR_JSON,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> Fetched:
        """One logical request with auth, refresh-on-401, retries and backoff.  Returns the final answer
        (2xx, or a 4xx other than 401/429 for the caller to judge) with its body read, at most
        ``max_bytes`` of it (decoded): a portal cannot make us hold more than that in memory."""
        url = self.url_for(path_or_url)
        shown = display_url(url)
        refreshed = False
        attempt = 0
        waited = 0.0
        while True:
            self._check_cancel()
            if self.tokens.expired() and self.tokens.refresh_token and not refreshed:
                self._refresh()
                refreshed = True
            headers = {"Authorization": f"Bearer {self.tokens.access_token}", "Accept": accept}
            attempt += 1
            started = time.monotonic()
            delay: float | None = None
            try:
                fetched = self._send(method, url, params, headers, max_bytes)
            except httpx.TransportError as exc:  # refused, reset, dropped mid-body, timed out
                if (tls := tls_failure(exc)) is not None:
                    raise PortalTLSError(shown, str(tls.reason or tls)) from None
                why = type(exc).__name__
                log.debug("%s %s failed: %s", method, shown, why)
            else:
                status = fetched.status
                log.debug("%s %s -> %d in %.3f s", method, shown, status, time.monotonic() - started)
                if status == 401:
                    if refreshed or not self.tokens.refresh_token:
                        raise NeedsSignIn(self.base, "the portal no longer accepts the access token")
                    self._refresh()
                    refreshed = True
                    attempt -= 1  # the refresh is not a failure of the portal
                    continue
                if status != 429 and status not in TRANSIENT_STATUS:
                    return fetched
                why = f"HTTP {status}"
                retry_after = parse_retry_after(fetched.headers.get("retry-after"))
                if retry_after is not None:
                    if retry_after > self.retry.max_retry_after:
                        raise PortalUnavailable(self.base, f"{why}, asked to wait", retry_after)
                    delay = retry_after
            if attempt >= self.retry.max_attempts:
                raise PortalUnavailable(self.base, f"{why} after {attempt} attempts")
            if delay is None:
                delay = self.retry.backoff(attempt - 1)
            self.stats.retries += 1
            waited = self._sleep(delay, waited)

    def _send(
        self, method: str, url: str, params: dict[str, str] | None, headers: dict[str, str], max_bytes: int
    ) -> Fetched:
        request = self.http.build_request(method, url, params=params, headers=headers)
        resp = self.http.send(request, stream=True)
        try:
            self.stats.requests += 1
            self.stats.server_seconds += server_timing_seconds(resp.headers.get("server-timing"))
            final = resp.status_code != 401 and resp.status_code != 429 and resp.status_code not in TRANSIENT_STATUS
            body = _read_capped(resp, max_bytes, display_url(url)) if final else b""
        finally:
            resp.close()
        self.stats.bytes_received += len(body)
        return Fetched(resp.status_code, resp.headers, body, str(resp.url))

    def get_json(self, path_or_url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        return self._get_json(path_or_url, params)[0]

    def _get_json(self, path_or_url: str, params: dict[str, str] | None = None) -> tuple[dict[str, Any], Fetched]:
        fetched = self.request("GET", path_or_url, params=params)
        shown = display_url(fetched.url)
        if fetched.status != 200:
            raise PortalResponseError(shown, _outcome_text(fetched), fetched.status)
        try:
            body = json.loads(fetched.body)
        except ValueError:
            raise PortalResponseError(shown, "the answer is not JSON", fetched.status) from None
        if not isinstance(body, dict):
            raise PortalResponseError(shown, "the answer is not a JSON object", fetched.status)
        return body, fetched

    # -- FHIR interactions ----------------------------------------------------------------------------------

    def read(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        return self.get_json(f"{resource_type}/{resource_id}")

    def capabilities(self) -> Capabilities:
        """The server's CapabilityStatement, parsed; "unknown" when it has none we can read."""
        if self._capabilities is None:
            try:
                cs = self.get_json("metadata")
            except PortalResponseError:
                cs = None
            self._capabilities = parse_capabilities(cs)
        return self._capabilities

    def search(
        self, resource_type: str, params: dict[str, str], *, start_url: str | None = None, start_number: int = 0
    ) -> Iterator[Page]:
        """Every page of a search, following Bundle ``next`` links (same origin only).  ``start_url``
        continues an interrupted search from a saved ``next`` link (page ``start_number + 1``)."""
        url: str | None = self.url_for(start_url or resource_type)
        query: dict[str, str] | None = None if start_url else params
        seen: set[str] = set()
        number = start_number
        while url is not None:
            bundle, fetched = self._get_json(url, query)
            number += 1
            if bundle.get("resourceType") != "Bundle":
                raise PortalResponseError(display_url(url), "a search did not answer with a Bundle")
            resources = [
                e["resource"]
                for e in bundle.get("entry") or []
                if isinstance(e.get("resource"), dict)
                and (e.get("search") or {}).get("mode", "match") in ("match", "include")
            ]
            next_url = next((lk.get("url") for lk in bundle.get("link") or [] if lk.get("relation") == "next"), None)
            if next_url is not None:
                next_url = self.url_for(next_url)
                if next_url in seen or number >= MAX_PAGES_PER_SEARCH:
                    raise PortalResponseError(display_url(next_url), "the portal's paging loops")
                seen.add(next_url)
            total = bundle.get("total")
            yield Page(
                resources=resources,
                url=display_url(url),
                number=number,
                total=total if isinstance(total, int) else None,
                bundle_meta=bundle.get("meta") or {},
                has_next=next_url is not None,
                server_date=fetched.headers.get("date"),
                next_url=next_url,
            )
            url, query = next_url, None  # the next link carries its own query

    def download(self, path_or_url: str, max_bytes: int = DEFAULT_MAX_ATTACHMENT) -> tuple[bytes, str]:
        """An attachment's bytes and content type: raw, or a FHIR Binary resource (base64 ``data``)."""
        url = self.url_for(path_or_url)
        shown = display_url(url)
        # Ask for the raw bytes; servers that only speak FHIR send a Binary resource, handled below.
        # A Binary's base64 and envelope are larger than the bytes inside: allow for that, then check.
        fetched = self.request("GET", url, accept="*/*", max_bytes=max_bytes * 4 // 3 + 65536)
        if fetched.status != 200:
            raise PortalResponseError(shown, _outcome_text(fetched), fetched.status)
        ctype = fetched.content_type or "application/octet-stream"
        data = fetched.body
        too_big = f"attachment larger than {max_bytes} bytes"
        if ctype in (FHIR_JSON, "application/json"):
            try:
                binary = json.loads(data)
            except ValueError:
                raise PortalResponseError(shown, "Binary is not JSON") from None
            if isinstance(binary, dict) and binary.get("resourceType") == "Binary":
                try:
                    raw = base64.b64decode(binary.get("data") or "", validate=True)
                except ValueError:
                    raise PortalResponseError(shown, "Binary data is not base64") from None
                if len(raw) > max_bytes:
                    raise PortalResponseError(shown, too_big)
                return raw, str(binary.get("contentType") or "application/octet-stream")
        if len(data) > max_bytes:
            raise PortalResponseError(shown, too_big)
        return data, ctype


def _read_capped(resp: httpx.Response, max_bytes: int, shown: str) -> bytes:
    declared = resp.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise PortalResponseError(shown, f"answer larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():  # decoded: a gzip bomb hits the cap too
        size += len(chunk)
        if size > max_bytes:
            raise PortalResponseError(shown, f"answer larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _outcome_text(resp: Fetched) -> str:
    """A short reason from an OperationOutcome, without echoing the rest of the body."""
    try:
        body = json.loads(resp.body)
        issues = body.get("issue") or []
        texts = [((i.get("details") or {}).get("text") or i.get("diagnostics") or i.get("code")) for i in issues]
        text = "; ".join(str(t) for t in texts if t)[:200]
        return text or f"HTTP {resp.status}"
    except (ValueError, AttributeError, TypeError):
        return f"HTTP {resp.status}"
