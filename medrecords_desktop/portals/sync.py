"""Read one patient's records from a portal, page by page, into whatever ``sink`` the caller gives.

``sync_patient`` reads the Patient, then searches each clinical type the importer understands with
``patient=<id>`` (and ``_lastUpdated=gt<since>`` for an incremental sync), downloads attachments that
come by URL, and finally reads the Organizations and Practitioners those resources point to.  Every
page goes to ``sink(resources, page_info)`` at once: the vault writes each page in its own transaction,
so an interrupted sync keeps what it had and the next run (same ``since``) fills the rest in; the
importer's de-duplication makes a repeated page harmless.

The high-water mark returned is safe to pass as the next ``since``: it never skips a change.  It is the
largest ``meta.lastUpdated`` received, but never later than the server's own clock at the start of the
sync (the first searchset's ``meta.lastUpdated`` or ``Date`` header), because a resource changed during
the sync in a type already read would otherwise be missed.  Re-fetching a little is fine; missing is not.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from .client import DEFAULT_MAX_ATTACHMENT, ClientStats, FhirClient, Page
from .errors import PortalInsecureURL, PortalResponseError
from .smart import scope_allows_read

CLINICAL_TYPES: tuple[str, ...] = (
    "Encounter",
    "Observation",
    "DiagnosticReport",
    "DocumentReference",
    "MedicationRequest",
    "MedicationStatement",
    "Immunization",
    "AllergyIntolerance",
    "Condition",
    "Procedure",
)
REFERENCED_TYPES: tuple[str, ...] = ("Organization", "Practitioner")
DEFAULT_PAGE_SIZE = 1000
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")  # FHIR id syntax
_ID_CHUNK = 100  # ids per `_id=` search: keeps URLs well under common 8 KiB limits


@dataclass(frozen=True)
class PageInfo:
    """Where a page handed to the sink came from."""

    resource_type: str  # what was searched ("Patient" for the patient read)
    page_number: int
    total: int | None  # the server's count for the whole search, where it says
    url: str  # without query string
    incremental: bool


@dataclass(frozen=True)
class SyncProgress:
    step: int  # 1-based: Patient, then each type, then referenced resources
    steps: int
    resource_type: str
    resources_so_far: int
    message: str


@dataclass
class SyncResult:
    patient_id: str
    since: str | None
    counts: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    attachments: int = 0
    attachment_bytes: int = 0
    high_water_mark: str | None = None
    errors: list[str] = field(default_factory=list)  # per-type or per-attachment problems; sync went on
    not_granted: list[str] = field(default_factory=list)  # types the token's scopes do not cover: not asked
    seconds: float = 0.0
    stats: ClientStats | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


Sink = Callable[[list[dict[str, Any]], PageInfo], None]
ProgressCallback = Callable[[SyncProgress], None]


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _fhir_instant(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Marks:
    """Tracks the largest lastUpdated received and the server's clock at the start."""

    def __init__(self) -> None:
        self.max_seen: datetime | None = None
        self.server_start: datetime | None = None

    def resource(self, res: dict[str, Any]) -> None:
        lu = _instant((res.get("meta") or {}).get("lastUpdated"))
        if lu is not None and (self.max_seen is None or lu > self.max_seen):
            self.max_seen = lu

    def page(self, page: Page) -> None:
        server_now = _instant(page.bundle_meta.get("lastUpdated"))
        if server_now is None and page.server_date:
            try:
                server_now = parsedate_to_datetime(page.server_date)
            except (TypeError, ValueError):
                server_now = None
        if server_now is not None and (self.server_start is None or server_now < self.server_start):
            self.server_start = server_now

    def high_water(self, since: str | None) -> str | None:
        candidates = [d for d in (self.max_seen, self.server_start) if d is not None]
        if self.max_seen is not None and self.server_start is not None:
            mark: datetime | None = min(self.max_seen, self.server_start)
        else:
            mark = candidates[0] if candidates else None
        prev = _instant(since)
        if prev is not None and (mark is None or mark < prev):
            mark = prev
        return _fhir_instant(mark) if mark is not None else since


def _is_newer(res: dict[str, Any], since: str | None) -> bool:
    if since is None:
        return True
    lu, prev = _instant((res.get("meta") or {}).get("lastUpdated")), _instant(since)
    return lu is None or prev is None or lu > prev


def _references(obj: Any, base: str, wanted: tuple[str, ...], out: set[tuple[str, str]]) -> None:
    """Collect (type, id) of literal references to ``wanted`` types anywhere in ``obj``."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "reference" and isinstance(value, str):
                ref = value[len(base) + 1 :] if value.startswith(base + "/") else value
                parts = ref.split("/")
                # Type/id, or Type/id/_history/v
                if len(parts) in (2, 4) and parts[0] in wanted and _ID.match(parts[1]):
                    out.add((parts[0], parts[1]))
            else:
                _references(value, base, wanted, out)
    elif isinstance(obj, list):
        for value in obj:
            _references(value, base, wanted, out)


def _attachments(res: dict[str, Any]) -> Iterable[dict[str, Any]]:
    if res.get("resourceType") == "DocumentReference":
        for content in res.get("content") or []:
            att = content.get("attachment") if isinstance(content, dict) else None
            if isinstance(att, dict):
                yield att
    elif res.get("resourceType") == "DiagnosticReport":
        for att in res.get("presentedForm") or []:
            if isinstance(att, dict):
                yield att


class _Run:
    """State of one sync_patient call."""

    def __init__(
        self,
        client: FhirClient,
        patient_id: str,
        since: str | None,
        sink: Sink,
        progress: ProgressCallback | None,
        steps: int,
        max_attachment_bytes: int,
    ) -> None:
        self.client, self.patient_id, self.since, self.sink = client, patient_id, since, sink
        self.progress, self.steps, self.max_attachment = progress, steps, max_attachment_bytes
        self.result = SyncResult(patient_id=patient_id, since=since)
        self.marks = _Marks()
        self.delivered: set[tuple[str, str]] = set()
        self.referenced: set[tuple[str, str]] = set()

    def report(self, step: int, rtype: str, message: str) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(step, self.steps, rtype, self.result.total, message))

    def fetch_attachments(self, res: dict[str, Any]) -> None:
        for att in _attachments(res):
            url = att.get("url")
            if att.get("data") or not isinstance(url, str) or not url:
                continue
            try:
                data, ctype = self.client.download(url, self.max_attachment)
            except (PortalResponseError, PortalInsecureURL) as exc:
                self.result.errors.append(
                    f"{res.get('resourceType')}/{res.get('id')}: attachment not downloaded: {exc}"
                )
                continue
            att["data"] = base64.b64encode(data).decode("ascii")
            att.setdefault("contentType", ctype)
            att.setdefault("size", len(data))
            self.result.attachments += 1
            self.result.attachment_bytes += len(data)

    def deliver(self, resources: list[dict[str, Any]], info: PageInfo) -> None:
        fresh = []
        for res in resources:
            key = (str(res.get("resourceType")), str(res.get("id")))
            if key in self.delivered:  # a server may repeat an entry across pages; hand it over once
                continue
            self.delivered.add(key)
            self.marks.resource(res)
            self.fetch_attachments(res)
            _references(res, self.client.base, REFERENCED_TYPES, self.referenced)
            fresh.append(res)
        if not fresh:  # an incremental sync mostly finds nothing: no empty transactions
            return
        for res in fresh:
            self.result.counts[str(res.get("resourceType"))] += 1
        self.result.pages += 1
        self.sink(fresh, info)

    def search(self, step: int, rtype: str, params: dict[str, str]) -> None:
        if scope_allows_read(self.client.tokens.scope, rtype) is False:
            self.result.not_granted.append(rtype)
            return
        try:
            for page in self.client.search(rtype, params):
                self.marks.page(page)
                info = PageInfo(rtype, page.number, page.total, page.url, self.since is not None)
                self.deliver(page.resources, info)
                self.report(step, rtype, f"{rtype}: page {page.number}")
        except (PortalResponseError, PortalInsecureURL) as exc:
            # One type the portal refuses (403 out of scope, 400 unsupported search) must not sink the rest.
            self.result.errors.append(f"{rtype}: {exc}")


def sync_patient(
    client: FhirClient,
    patient_id: str,
    since: str | None,
    sink: Sink,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    *,
    types: tuple[str, ...] = CLINICAL_TYPES,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT,
) -> SyncResult:
    """Sync one patient; raises NeedsSignIn, PortalUnavailable, PortalTLSError or Cancelled."""
    if not _ID.match(patient_id):
        raise PortalResponseError(client.base, f"the portal gave an invalid patient id {patient_id[:70]!r}")
    if cancel is not None:
        client.cancel = cancel
    started = time.monotonic()
    run = _Run(client, patient_id, since, sink, progress, len(types) + 2, max_attachment_bytes)

    # Patient?_id= rather than a read: a searchset carries the server's clock (Bundle.meta.lastUpdated),
    # so the high-water mark starts before the very first thing we read.
    patient: dict[str, Any] | None = None
    patient_url = f"{client.base}/Patient"
    try:
        first = next(client.search("Patient", {"_id": patient_id}))
    except PortalResponseError:
        pass  # a server without Patient?_id=: the read below still works
    else:
        run.marks.page(first)
        patient = next((r for r in first.resources if r.get("resourceType") == "Patient"), None)
    if patient is None or patient.get("id") != patient_id:
        patient = client.read("Patient", patient_id)  # a 404 here says clearly that the patient is gone
    if patient.get("resourceType") != "Patient":
        raise PortalResponseError(client.base, "Patient read did not return a Patient")
    if _is_newer(patient, since):
        run.deliver([patient], PageInfo("Patient", 1, 1, patient_url, since is not None))
    else:
        run.marks.resource(patient)
    run.report(1, "Patient", "Patient")

    for step, rtype in enumerate(types, start=2):
        params = {"patient": patient_id, "_count": str(page_size)}
        if since is not None:
            params["_lastUpdated"] = f"gt{since}"
        run.search(step, rtype, params)

    missing = sorted(run.referenced - run.delivered)
    for rtype in REFERENCED_TYPES:
        ids = [i for t, i in missing if t == rtype]
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start : start + _ID_CHUNK]
            run.search(len(types) + 2, rtype, {"_id": ",".join(chunk), "_count": str(len(chunk))})

    run.result.high_water_mark = run.marks.high_water(since)
    run.result.seconds = time.monotonic() - started
    run.result.stats = client.stats
    run.report(run.steps, "", f"done: {run.result.total} resources")
    return run.result
