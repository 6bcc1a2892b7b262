"""How to search a portal the way the large vendors' patient APIs require.

Vendors' patient APIs refuse searches US Core does not require them to answer: Epic and others answer
``Observation?patient=X`` with 400 and an OperationOutcome ("a category or code is required").  So:

- the server's CapabilityStatement (``/metadata``) says which resource types it offers and which search
  parameters each supports; a type it does not offer is not asked for, ``_lastUpdated`` is only sent where
  supported (elsewhere the sync filters by ``meta.lastUpdated`` itself), and the patient parameter is the
  one the server names (``patient``, else ``subject``, else ``beneficiary``);
- a type is first searched by patient alone; if the server *refuses* that search (400/422 with an
  OperationOutcome), the search is repeated once per category (US Core's categories, plus any the
  CapabilityStatement's documentation of the ``category`` parameter lists).  A refusal is never taken
  for "nothing there": it is reported, and the rest of the sync goes on.

Nothing here does I/O; ``FhirClient.capabilities`` fetches and parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# US Core 6/7 Observation categories (http://terminology.hl7.org/CodeSystem/observation-category and
# US Core's own category code system).  Vendors add their own; the CapabilityStatement may list them.
OBSERVATION_CATEGORIES: tuple[str, ...] = (
    "laboratory",
    "vital-signs",
    "social-history",
    "survey",
    "exam",
    "imaging",
    "procedure",
    "therapy",
    "activity",
    "sdoh",
    "functional-status",
    "disability-status",
    "cognitive-status",
    "treatment-intervention-preference",
    "care-experience-preference",
    "observation-adi-documentation",
)
# DiagnosticReport: v2-0074 sections and the LOINC groups US Core names for notes-as-reports.
DIAGNOSTIC_REPORT_CATEGORIES: tuple[str, ...] = (
    "LAB",
    "RAD",
    "PAT",
    "CUS",
    "CT",
    "EC",
    "NMR",
    "OTH",
    "LP29684-5",
    "LP29708-2",
    "LP7839-6",
)
# DocumentReference: US Core's clinical-note, and the categories vendors publish beside it.
DOCUMENT_CATEGORIES: tuple[str, ...] = (
    "clinical-note",
    "correspondence",
    "imaging-result",
    "patient-document",
    "document",
    "external",
)
DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Observation": OBSERVATION_CATEGORIES,
    "DiagnosticReport": DIAGNOSTIC_REPORT_CATEGORIES,
    "DocumentReference": DOCUMENT_CATEGORIES,
    "Condition": ("problem-list-item", "encounter-diagnosis", "health-concern"),
    "ServiceRequest": ("laboratory", "imaging", "procedure", "referral", "counseling", "education"),
    "CarePlan": ("assess-plan",),
}
REFUSAL_STATUS = frozenset({400, 422})  # "this search is not allowed"; 403 (out of scope) is not retried

_LISTED = re.compile(r"categor(?:y|ies)[^:]{0,60}:\s*([A-Za-z0-9 ,|\-_.]+)", re.I)
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.]{0,63}$")


@dataclass
class Capabilities:
    """What a server's CapabilityStatement says it offers.  ``types is None``: nothing known (no
    CapabilityStatement, or one that lists no resources): then everything is tried."""

    types: dict[str, frozenset[str]] | None = None  # type -> search parameters named ('' set: not listed)
    common: frozenset[str] = frozenset()  # rest-level search parameters (apply to every type)
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)  # from searchParam documentation
    fhir_version: str | None = None

    def offers(self, rtype: str) -> bool:
        return self.types is None or rtype in self.types

    def supports(self, rtype: str, param: str) -> bool:
        """True when the server names ``param`` for ``rtype`` or names no search parameters at all."""
        if self.types is None:
            return True
        params = self.types.get(rtype)
        if params is None:
            return False
        if not params:
            return True  # the type is offered but its parameters are not listed: assume the usual ones
        return param in params or param in self.common

    def patient_param(self, rtype: str) -> tuple[str, str]:
        """(parameter name, value prefix): ``patient=ID`` where supported, else ``subject=Patient/ID``..."""
        if self.supports(rtype, "patient"):
            return "patient", ""
        if self.supports(rtype, "subject"):
            return "subject", "Patient/"
        if self.supports(rtype, "beneficiary"):
            return "beneficiary", "Patient/"
        return "patient", ""

    def category_values(self, rtype: str) -> tuple[str, ...]:
        """US Core's categories for ``rtype`` followed by any further ones the server lists."""
        base = DEFAULT_CATEGORIES.get(rtype, ())
        extra = tuple(c for c in self.categories.get(rtype, ()) if c not in base)
        return base + extra


def parse_capabilities(cs: Any) -> Capabilities:
    """Read a CapabilityStatement (tolerant: anything malformed means "unknown")."""
    if not isinstance(cs, dict) or cs.get("resourceType") != "CapabilityStatement":
        return Capabilities()
    types: dict[str, frozenset[str]] = {}
    common: set[str] = set()
    categories: dict[str, tuple[str, ...]] = {}
    for rest in cs.get("rest") or []:
        if not isinstance(rest, dict) or rest.get("mode", "server") != "server":
            continue
        for sp in rest.get("searchParam") or []:
            if isinstance(sp, dict) and isinstance(sp.get("name"), str):
                common.add(sp["name"])
        for res in rest.get("resource") or []:
            if not isinstance(res, dict) or not isinstance(res.get("type"), str):
                continue
            interactions = {i.get("code") for i in res.get("interaction") or [] if isinstance(i, dict)}
            if interactions and "search-type" not in interactions and "read" not in interactions:
                continue
            names: set[str] = set()
            for sp in res.get("searchParam") or []:
                if not isinstance(sp, dict) or not isinstance(sp.get("name"), str):
                    continue
                names.add(sp["name"])
                if sp["name"] == "category" and isinstance(sp.get("documentation"), str):
                    listed = _listed_categories(sp["documentation"])
                    if listed:
                        categories[res["type"]] = listed
            types[res["type"]] = frozenset(names)
    version = cs.get("fhirVersion") if isinstance(cs.get("fhirVersion"), str) else None
    return Capabilities(types or None, frozenset(common), categories, version)


def _listed_categories(doc: str) -> tuple[str, ...]:
    """Category codes a server lists in prose: "Supported categories: laboratory, vital-signs, ...".
    Only comma- or pipe-separated tokens after such a phrase count; free text is ignored."""
    m = _LISTED.search(doc)
    if not m:
        return ()
    out = []
    for part in re.split(r"[,|]", m.group(1)):
        token = part.strip().split("|")[-1].strip()
        if _TOKEN.match(token) and " " not in token:
            out.append(token)
    return tuple(dict.fromkeys(out))


def is_refusal(status: int | None) -> bool:
    return status in REFUSAL_STATUS
