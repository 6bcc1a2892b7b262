"""Record kinds as plain dataclasses (FHIR-shaped, no I/O).

Conventions every producer follows:
- ``date`` is the sort key on the timeline: ISO 8601 without offset, ``YYYY-MM-DD`` or
  ``YYYY-MM-DDTHH:MM[:SS]`` (the source's wall-clock time; the offset, if any, stays in the raw source).
  ``date_estimated`` says the importer had to guess it (for example from the document date).
- ``code_system`` is a URI (``http://loinc.org``, ``http://snomed.info/sct``, ``urn:oid:...``).
- ``encounter_ref`` / ``patient_ref`` / ``report_ref`` are the *source's* references, resolved by the
  import service to vault ids (``encounter_id``...).  Parsers never invent vault ids.
- ``provenance.raw`` keeps the source fragment (FHIR JSON text or C-CDA XML text) so an export can be
  lossless and a re-import can be recognised.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

KINDS: tuple[str, ...] = (
    "encounter",
    "observation",
    "diagnostic_report",
    "document",
    "medication",
    "immunization",
    "allergy",
    "condition",
    "procedure",
    # What patient-access APIs offer beyond the clinical core (US Core), and a payer's claims.
    "care_plan",
    "goal",
    "care_team",
    "order",
    "appointment",
    "coverage",
    "dispense",
    "device",
    "provenance",
    "questionnaire",
    "family_history",
    "specimen",
    "claim",
)
TIMELINE_KINDS = KINDS


@dataclass(kw_only=True)
class Person:
    """A saved person.  The id is vault-assigned, random and never derived from the name; every person
    the vault hands out has one, so it is a plain `str`.  A person comes into being only through
    `Vault.add_person(name, ...)`, which returns the saved `Person`: there is no unsaved one."""

    id: str
    name: str
    birth_date: str | None = None  # YYYY-MM-DD
    sex: str | None = None
    is_demo: bool = False
    color: str | None = None


@dataclass(slots=True)
class Provenance:
    source_kind: str = "file"  # file | portal | manual | packet | demo
    source_name: str = ""  # file name or portal account name
    source_id: str | None = None  # the source's own identifier (FHIR Type/id, CDA root^extension)
    raw: str | None = None  # source fragment (JSON or XML text)
    raw_format: str | None = None  # fhir+json | cda+xml | csv | pdf | image | manual
    import_id: int | None = None  # vault-assigned when stored
    imported_at: str | None = None
    entered_by: str | None = None  # user name, for manual entries and corrections


@dataclass(slots=True)
class Coding:
    system: str | None
    code: str | None
    display: str | None = None


@dataclass(slots=True)
class Item:
    """Common part of every timeline item."""

    kind: ClassVar[str] = ""

    title: str = ""
    date: str | None = None
    date_end: str | None = None
    date_estimated: bool = False
    status: str | None = None
    code_system: str | None = None
    code: str | None = None
    display: str | None = None
    codes: list[Coding] = field(default_factory=list)  # translations / further codings
    note: str | None = None
    text: str | None = None  # searchable text (document text, narrative)
    encounter_ref: str | None = None
    patient_ref: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
    # vault-assigned
    id: str | None = None
    person_id: str | None = None
    encounter_id: str | None = None
    corrected: bool = False
    deleted: bool = False

    # Fields stored as columns or elsewhere; everything else of a subclass goes to the JSON ``data``.
    COMMON: ClassVar[frozenset[str]] = frozenset(
        {
            "title",
            "date",
            "date_end",
            "date_estimated",
            "status",
            "code_system",
            "code",
            "display",
            "note",
            "text",
            "encounter_ref",
            "patient_ref",
            "provenance",
            "id",
            "person_id",
            "encounter_id",
            "corrected",
            "deleted",
            "content",
        }
    )

    def data(self) -> dict[str, Any]:
        """Kind-specific fields (and codings) as a JSON-able dict."""
        out: dict[str, Any] = {}
        for name in _data_fields(type(self)):
            value = getattr(self, name)
            if value is None or value == [] or value == "" or value is False:
                continue
            if name == "codes":
                value = [{"system": c.system, "code": c.code, "display": c.display} for c in value]
            out[name] = value
        return out

    def value_num(self) -> float | None:
        return None

    def unit_str(self) -> str | None:
        return None

    def fingerprint(self) -> str:
        """Content fingerprint for de-duplication across sources (same code, time, value)."""
        name = " ".join((self.title or "").lower().split())
        if self.kind == "allergy":
            # One substance is coded RxNorm by one source and UNII by another: the same allergy.
            key_system, key_code = "", name
        else:
            key_system, key_code = (self.code_system or "").lower(), (self.code or "").lower() or name
        parts = [
            self.kind,
            key_system,
            key_code,
            (self.date or "")[:16],
            _fp_value(self),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]

    def summary(self) -> str:
        return self.title


_DATA_FIELDS: dict[type[Item], tuple[str, ...]] = {}


def _data_fields(cls: type[Item]) -> tuple[str, ...]:
    """The kind-specific field names of an item class (computed once per class)."""
    got = _DATA_FIELDS.get(cls)
    if got is None:
        got = _DATA_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name not in Item.COMMON)
    return got


def _fp_value(item: Item) -> str:
    num = item.value_num()
    if num is not None:
        return f"{num:.6g} {(item.unit_str() or '').lower()}"
    if isinstance(item, Observation) and item.value_text:
        return " ".join(item.value_text.lower().split())
    if isinstance(item, Document):
        return item.sha256 or ""
    return ""


@dataclass(slots=True)
class Encounter(Item):
    kind: ClassVar[str] = "encounter"
    encounter_class: str | None = None  # AMB, IMP, EMER, VR, HH...
    encounter_type: str | None = None
    provider: str | None = None  # organisation name
    practitioner: str | None = None
    location: str | None = None
    reason: str | None = None
    discharge_disposition: str | None = None


@dataclass(slots=True)
class Observation(Item):
    kind: ClassVar[str] = "observation"
    category: str | None = None  # laboratory | vital-signs | social-history | ...
    value: float | None = None
    value_text: str | None = None
    unit: str | None = None
    ref_low: float | None = None
    ref_high: float | None = None
    ref_text: str | None = None
    interpretation: str | None = None  # H, L, HH, LL, A, N ...
    report_ref: str | None = None
    report_id: str | None = None
    components: list[dict[str, Any]] = field(default_factory=list)  # e.g. blood pressure parts
    performer: str | None = None
    derived_from: str | None = None  # public id of the document a result was read from (paper reports)

    def value_num(self) -> float | None:
        return self.value

    def unit_str(self) -> str | None:
        return self.unit

    def is_abnormal(self) -> bool:
        if self.interpretation and self.interpretation.upper() not in ("N", "NORMAL"):
            return True
        if self.value is not None:
            if self.ref_low is not None and self.value < self.ref_low:
                return True
            if self.ref_high is not None and self.value > self.ref_high:
                return True
        return False

    def summary(self) -> str:
        from .units import show_value

        return f"{self.title}: {show_value(self.value, self.value_text, self.unit)}".strip()


def blood_pressure(systolic: float, diastolic: float, **fields: Any) -> Observation:
    """One blood-pressure reading as FHIR shapes it: panel 85354-9 with systolic and diastolic parts."""
    return Observation(
        title=f"Blood pressure {systolic:g}/{diastolic:g} mmHg",
        code_system="http://loinc.org",
        code="85354-9",
        value_text=f"{systolic:g}/{diastolic:g}",
        unit="mmHg",
        category="vital-signs",
        components=[
            {"code": "8480-6", "display": "Systolic", "value": systolic, "unit": "mmHg"},
            {"code": "8462-4", "display": "Diastolic", "value": diastolic, "unit": "mmHg"},
        ],
        interpretation="H" if systolic >= 140 or diastolic >= 90 else None,
        **fields,
    )


@dataclass(slots=True)
class DiagnosticReport(Item):
    kind: ClassVar[str] = "diagnostic_report"
    category: str | None = None  # LAB, RAD, ...
    conclusion: str | None = None
    result_refs: list[str] = field(default_factory=list)
    performer: str | None = None


@dataclass(slots=True)
class Document(Item):
    kind: ClassVar[str] = "document"
    doc_type: str | None = None  # after-visit summary, discharge summary, lab report, scan, note...
    mime: str | None = None
    filename: str | None = None
    size: int | None = None
    sha256: str | None = None
    blob_id: str | None = None
    flags: list[str] = field(default_factory=list)  # e.g. pdf-javascript, pdf-launch, pdf-embedded-files
    author: str | None = None
    # What the document says there is none of ("No known allergy", "No problems indicated"): statements
    # kept with it, never records of their own.
    statements: list[str] = field(default_factory=list)
    content: bytes | None = field(default=None, repr=False)  # transient: original bytes on import


@dataclass(slots=True)
class Medication(Item):
    kind: ClassVar[str] = "medication"
    dose: str | None = None
    route: str | None = None
    frequency: str | None = None
    reason: str | None = None
    prescriber: str | None = None
    otc: bool = False


@dataclass(slots=True)
class Immunization(Item):
    kind: ClassVar[str] = "immunization"
    lot: str | None = None
    site: str | None = None
    route: str | None = None
    performer: str | None = None
    dose_number: str | None = None


@dataclass(slots=True)
class Allergy(Item):
    kind: ClassVar[str] = "allergy"
    reaction: str | None = None
    severity: str | None = None
    criticality: str | None = None
    category: str | None = None  # food | medication | environment | biologic


@dataclass(slots=True)
class Condition(Item):
    kind: ClassVar[str] = "condition"
    clinical_status: str | None = None
    verification_status: str | None = None
    category: str | None = None
    severity: str | None = None


@dataclass(slots=True)
class Procedure(Item):
    kind: ClassVar[str] = "procedure"
    performer: str | None = None
    body_site: str | None = None
    reason: str | None = None


@dataclass(slots=True)
class CarePlan(Item):
    kind: ClassVar[str] = "care_plan"
    category: str | None = None
    intent: str | None = None
    description: str | None = None
    activities: list[str] = field(default_factory=list)
    author: str | None = None


@dataclass(slots=True)
class Goal(Item):
    kind: ClassVar[str] = "goal"
    target_date: str | None = None
    target: str | None = None  # "HbA1c < 7 %" where the goal states a measure
    achievement: str | None = None


@dataclass(slots=True)
class CareTeam(Item):
    kind: ClassVar[str] = "care_team"
    members: list[str] = field(default_factory=list)  # "Dr. Ana Ruiz (Endocrinologist)"


@dataclass(slots=True)
class Order(Item):
    """A ServiceRequest: a test, imaging, referral or procedure that was ordered (``date``: when)."""

    kind: ClassVar[str] = "order"
    category: str | None = None
    intent: str | None = None
    requester: str | None = None
    performer: str | None = None
    occurrence: str | None = None
    reason: str | None = None


@dataclass(slots=True)
class Appointment(Item):
    kind: ClassVar[str] = "appointment"
    service_type: str | None = None
    location: str | None = None
    practitioner: str | None = None
    reason: str | None = None


@dataclass(slots=True)
class Coverage(Item):
    kind: ClassVar[str] = "coverage"
    payor: str | None = None
    plan: str | None = None
    coverage_type: str | None = None
    subscriber_id: str | None = None
    relationship: str | None = None


@dataclass(slots=True)
class Dispense(Item):
    """A MedicationDispense: a pharmacy fill (``date``: when handed over)."""

    kind: ClassVar[str] = "dispense"
    quantity: str | None = None
    days_supply: str | None = None
    pharmacy: str | None = None
    dose: str | None = None


@dataclass(slots=True)
class Device(Item):
    kind: ClassVar[str] = "device"
    udi: str | None = None
    manufacturer: str | None = None
    model: str | None = None


@dataclass(slots=True)
class ProvenanceRecord(Item):
    """A Provenance resource: who recorded or sent which records, when (a record's paper trail)."""

    kind: ClassVar[str] = "provenance"
    agent: str | None = None
    activity: str | None = None
    targets: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Questionnaire(Item):
    """A QuestionnaireResponse: a filled-in form or screening (answers in ``answers``, text searchable)."""

    kind: ClassVar[str] = "questionnaire"
    answers: list[dict[str, Any]] = field(default_factory=list)  # {"question", "answer"}
    score: str | None = None


@dataclass(slots=True)
class FamilyHistory(Item):
    kind: ClassVar[str] = "family_history"
    relationship: str | None = None
    conditions: list[str] = field(default_factory=list)  # "Type 2 diabetes (onset 52 a)"
    deceased: str | None = None


@dataclass(slots=True)
class Specimen(Item):
    kind: ClassVar[str] = "specimen"
    specimen_type: str | None = None
    body_site: str | None = None
    collector: str | None = None


@dataclass(slots=True)
class Claim(Item):
    """An ExplanationOfBenefit from a payer: a visit or service that was billed (``date``: of service)."""

    kind: ClassVar[str] = "claim"
    provider: str | None = None
    insurer: str | None = None
    claim_type: str | None = None  # professional | institutional | pharmacy | oral | vision
    services: list[str] = field(default_factory=list)
    billed: float | None = None
    paid: float | None = None
    patient_paid: float | None = None
    currency: str | None = None
    outcome: str | None = None

    def summary(self) -> str:
        billed = f" {self.billed:,.2f} {self.currency or ''}".rstrip() if self.billed is not None else ""
        return f"{self.title}{' at ' + self.provider if self.provider else ''}{':' + billed if billed else ''}"


@dataclass(slots=True)
class RawResource:
    """A source resource the model does not show yet: kept verbatim and counted, never dropped."""

    resource_type: str
    source_id: str | None
    raw: str
    raw_format: str = "fhir+json"
    patient_ref: str | None = None


_CLASSES: dict[str, type[Item]] = {
    c.kind: c
    for c in (
        Encounter,
        Observation,
        DiagnosticReport,
        Document,
        Medication,
        Immunization,
        Allergy,
        Condition,
        Procedure,
        CarePlan,
        Goal,
        CareTeam,
        Order,
        Appointment,
        Coverage,
        Dispense,
        Device,
        ProvenanceRecord,
        Questionnaire,
        FamilyHistory,
        Specimen,
        Claim,
    )
}


def item_class(kind: str) -> type[Item]:
    try:
        return _CLASSES[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}") from None


def item_from_stored(kind: str, common: dict[str, Any], data: dict[str, Any]) -> Item:
    """Rebuild an item from its stored columns and JSON data (unknown keys are ignored)."""
    cls = item_class(kind)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {k: v for k, v in common.items() if k in names}
    for k, v in data.items():
        if k in names:
            kwargs[k] = [Coding(**c) for c in v] if k == "codes" else v
    return cls(**kwargs)


# One encoder: json.dumps() with options builds a new one on every call (30k calls in a large import).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def dumps(data: dict[str, Any]) -> str:
    return _ENCODE(data)
