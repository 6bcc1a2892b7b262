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
from .vendor import Capabilities, is_refusal

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
    # The rest of what US Core patient APIs offer (care plans, orders, visits to come, insurance...).
    "CarePlan",
    "Goal",
    "CareTeam",
    "ServiceRequest",
    "Appointment",
    "Coverage",
    "MedicationDispense",
    "Device",
    "Provenance",
    "QuestionnaireResponse",
    "FamilyMemberHistory",
    "Specimen",
)
# A payer's patient-access API (CMS Blue Button 2.0, CARIN Blue Button): claims and coverage.
PAYER_TYPES: tuple[str, ...] = ("ExplanationOfBenefit", "Coverage")
# Asked for only where the CapabilityStatement lists them (an EHR's API has no claims: no wasted refusals).
IF_OFFERED_TYPES: tuple[str, ...] = ("ExplanationOfBenefit",)
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
    not_offered: list[str] = field(default_factory=list)  # types the CapabilityStatement does not list
    refused: list[str] = field(default_factory=list)  # searches the portal refused (also in ``errors``)
    notes: list[str] = field(default_factory=list)  # how the portal was searched (per category, ...)
    resumed: bool = False  # continued an interrupted sync from its checkpoint
    seconds: float = 0.0
    stats: ClientStats | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


Sink = Callable[[list[dict[str, Any]], PageInfo], None]
ProgressCallback = Callable[[SyncProgress], None]
CheckpointCallback = Callable[[dict[str, Any]], None]


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
        # Resume state: searches finished, and the one under way with its next page's (opaque) link.
        self.done: set[str] = set()
        self.current: dict[str, Any] | None = None
        self.resume_from: dict[str, Any] | None = None
        self.on_checkpoint: CheckpointCallback | None = None
        self.caps: Capabilities = Capabilities()

    def report(self, step: int, rtype: str, message: str) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(step, self.steps, rtype, self.result.total, message))

    # -- checkpoints ---------------------------------------------------------------------------------------

    def checkpoint(self) -> None:
        if self.on_checkpoint is None:
            return
        self.on_checkpoint(
            {
                "version": 1,
                "patient": self.patient_id,
                "since": self.since,
                "server_start": _fhir_instant(self.marks.server_start) if self.marks.server_start else None,
                "max_seen": _fhir_instant(self.marks.max_seen) if self.marks.max_seen else None,
                "done": sorted(self.done),
                "current": self.current,
                "referenced": sorted(f"{t}/{i}" for t, i in self.referenced - self.delivered),
            }
        )

    def restore(self, saved: dict[str, Any] | None) -> None:
        """Continue from a checkpoint of an interrupted sync with the same ``since`` and patient."""
        if not isinstance(saved, dict) or saved.get("version") != 1:
            return
        if saved.get("since") != self.since or saved.get("patient") != self.patient_id:
            return
        self.result.resumed = True
        self.marks.server_start = _instant(saved.get("server_start"))
        self.marks.max_seen = _instant(saved.get("max_seen"))
        self.done = {str(k) for k in saved.get("done") or []}
        cur = saved.get("current")
        self.resume_from = cur if isinstance(cur, dict) and isinstance(cur.get("next"), str) else None
        for key in saved.get("referenced") or []:
            t, _, i = str(key).partition("/")
            if t in REFERENCED_TYPES and _ID.match(i):
                self.referenced.add((t, i))

    # -- delivery ------------------------------------------------------------------------------------------

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

    def deliver(self, resources: list[dict[str, Any]], info: PageInfo, *, newer_only: bool = False) -> None:
        fresh = []
        for res in resources:
            key = (str(res.get("resourceType")), str(res.get("id")))
            if key in self.delivered:  # a server may repeat an entry across pages; hand it over once
                continue
            if newer_only and not _is_newer(res, self.since):
                continue  # the server cannot filter by _lastUpdated here: we do
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

    # -- searching -----------------------------------------------------------------------------------------

    def search(
        self,
        step: int,
        rtype: str,
        params: dict[str, str],
        key: str | None = None,
        *,
        newer_only: bool = False,
        refusal_is_answer: bool = False,
    ) -> str | None:
        """Run one search to its end.  Returns None when done, or the portal's reason when it refused the
        search (400/422) and ``refusal_is_answer`` says the caller has another way to ask."""
        if scope_allows_read(self.client.tokens.scope, rtype) is False:
            if rtype not in self.result.not_granted:
                self.result.not_granted.append(rtype)
            return None
        key = key or rtype
        if key in self.done:
            return None  # finished before an interruption: its pages are in the vault
        start_url, start_number = None, 0
        if self.resume_from is not None and self.resume_from.get("key") == key:
            start_url, start_number = self.resume_from["next"], int(self.resume_from.get("page") or 0)
            self.resume_from = None
        label = f"{rtype} ({key.split('?', 1)[1]})" if "?category=" in key else rtype
        try:
            try:
                self._pages(step, rtype, params, key, start_url, start_number, newer_only)
            except PortalResponseError as exc:
                if start_url is None or exc.status is None or exc.status >= 500:
                    raise
                # A saved `next` link the portal no longer honours (cursors expire): start that search over.
                self.result.notes.append(f"{label}: the saved page link had expired; searched again")
                self._pages(step, rtype, params, key, None, 0, newer_only)
        except (PortalResponseError, PortalInsecureURL) as exc:
            status = getattr(exc, "status", None)
            why = getattr(exc, "why", str(exc))
            self.current = None
            if refusal_is_answer and is_refusal(status):
                return str(why)
            # One type the portal refuses (403 out of scope, 400 unsupported search) must not sink the rest;
            # and a refusal is not "nothing there": it is reported.
            if is_refusal(status):
                self.result.refused.append(f"{label}: {why}")
                self.result.errors.append(f"{label}: the portal refused the search (HTTP {status}): {why}")
            else:
                self.result.errors.append(f"{label}: {exc}")
            return None
        self.done.add(key)
        self.current = None
        self.checkpoint()
        return None

    def _pages(
        self,
        step: int,
        rtype: str,
        params: dict[str, str],
        key: str,
        start_url: str | None,
        start_number: int,
        newer_only: bool,
    ) -> None:
        for page in self.client.search(rtype, params, start_url=start_url, start_number=start_number):
            self.marks.page(page)
            info = PageInfo(rtype, page.number, page.total, page.url, self.since is not None)
            self.deliver(page.resources, info, newer_only=newer_only)
            self.current = {"key": key, "next": page.next_url, "page": page.number} if page.next_url else None
            if page.next_url:
                self.checkpoint()
            self.report(step, rtype, f"{rtype}: page {page.number}")

    def search_type(self, step: int, rtype: str, page_size: int) -> None:
        """One resource type the vendors' way: what the server supports, per category if it insists."""
        caps = self.caps
        if not caps.offers(rtype):
            self.result.not_offered.append(rtype)
            return
        name, prefix = caps.patient_param(rtype)
        params = {name: prefix + self.patient_id, "_count": str(page_size)}
        newer_only = False
        if self.since is not None:
            if caps.supports(rtype, "_lastUpdated"):
                params["_lastUpdated"] = f"gt{self.since}"
            else:
                newer_only = True  # not filterable there: fetch all, keep what changed
        categories = caps.category_values(rtype) if caps.supports(rtype, "category") else ()
        per_category = f"{rtype}?category=*"
        if (
            categories
            and per_category in self.done
            or (self.resume_from is not None and str(self.resume_from.get("key", "")).startswith(f"{rtype}?category="))
        ):
            refused: str | None = "asked per category before"
        else:
            refused = self.search(step, rtype, params, newer_only=newer_only, refusal_is_answer=bool(categories))
        if refused is None:
            return
        # The portal insists on a category (Epic, Oracle Health...): ask once per category it may hold.
        self.result.notes.append(f"{rtype}: the portal requires a category ({refused}); searched per category")
        self.done.add(per_category)
        for cat in categories:
            self.search(step, rtype, {**params, "category": cat}, f"{rtype}?category={cat}", newer_only=newer_only)


def sync_patient(
    client: FhirClient,
    patient_id: str,
    since: str | None,
    sink: Sink,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    *,
    types: tuple[str, ...] = CLINICAL_TYPES,
    if_offered: tuple[str, ...] = IF_OFFERED_TYPES,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT,
    resume: dict[str, Any] | None = None,
    on_checkpoint: CheckpointCallback | None = None,
) -> SyncResult:
    """Sync one patient; raises NeedsSignIn, PortalUnavailable, PortalTLSError or Cancelled.

    ``on_checkpoint(state)`` is called after each page has gone to the sink; pass the last ``state`` back
    as ``resume`` (with the same ``since``) after an interruption and the searches already finished, and
    the pages already handed over, are not fetched again."""
    if not _ID.match(patient_id):
        raise PortalResponseError(client.base, f"the portal gave an invalid patient id {patient_id[:70]!r}")
    if cancel is not None:
        client.cancel = cancel
    started = time.monotonic()
    run = _Run(client, patient_id, since, sink, progress, len(types) + 2, max_attachment_bytes)
    run.restore(resume)
    run.on_checkpoint = on_checkpoint

    if "Patient" not in run.done:
        _read_patient(run, client, patient_id, since)
        run.done.add("Patient")
        run.checkpoint()
    run.report(1, "Patient", "Patient")
    run.caps = client.capabilities()

    for step, rtype in enumerate(types, start=2):
        run.search_type(step, rtype, page_size)
    for rtype in if_offered:
        if run.caps.types is not None and rtype in run.caps.types and rtype not in types:
            run.search_type(len(types) + 1, rtype, page_size)

    missing = sorted(run.referenced - run.delivered)
    for rtype in REFERENCED_TYPES:
        ids = [i for t, i in missing if t == rtype]
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start : start + _ID_CHUNK]
            run.search(
                len(types) + 2, rtype, {"_id": ",".join(chunk), "_count": str(len(chunk))}, f"{rtype}?_id={chunk[0]}"
            )

    run.result.high_water_mark = run.marks.high_water(since)
    run.result.seconds = time.monotonic() - started
    run.result.stats = client.stats
    run.report(run.steps, "", f"done: {run.result.total} resources")
    return run.result


def _read_patient(run: _Run, client: FhirClient, patient_id: str, since: str | None) -> None:
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
