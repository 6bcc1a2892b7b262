"""FHIR R4 Bundle of a person's records, shaped as an International Patient Summary (IPS) document.

Shape: ``Bundle.type = document``; the first entry is a Composition (LOINC 60591-5, "Patient summary
Document") with one section per kind (medications, allergies, problems, immunizations, results,
procedures, plus encounters and documents), then the Patient, then one resource per item.

Lossless where possible: an item whose ``provenance.raw`` holds FHIR JSON is exported as that JSON
(its patient reference re-pointed at the bundle's Patient, references to other exported items
re-pointed at their entries); any other item is generated from the model fields. Every item resource
carries its vault id as an identifier (system ``urn:medrecords:item``) so a re-import recognises it.

Pure: no vault, no I/O. The appointment packet embeds this bundle in its encrypted PDF.
"""

from __future__ import annotations

import copy
import html
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeGuard, cast

from medrecords_desktop.model.records import (
    Allergy,
    Condition,
    DiagnosticReport,
    Document,
    Encounter,
    Immunization,
    Item,
    Medication,
    Observation,
    Person,
    Procedure,
)

ITEM_SYSTEM = "urn:medrecords:item"
PERSON_SYSTEM = "urn:medrecords:person"
LOINC = "http://loinc.org"
# A fixed namespace so that the same vault id always gets the same entry fullUrl (stable re-exports).
_NS = uuid.UUID("5b0f6d1e-8c55-4f0e-9a57-2f4d3c1b7a10")
_ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_XHTML = "http://www.w3.org/1999/xhtml"

# (key, title, LOINC code, LOINC display, kinds, required by IPS)
SECTIONS: tuple[tuple[str, str, str | None, str | None, tuple[str, ...], bool], ...] = (
    (
        "medications",
        "Medication summary",
        "10160-0",
        "History of Medication use Narrative",
        ("medication",),
        True,
    ),
    (
        "allergies",
        "Allergies and intolerances",
        "48765-2",
        "Allergies and adverse reactions Document",
        ("allergy",),
        True,
    ),
    ("problems", "Problem list", "11450-4", "Problem list - Reported", ("condition",), True),
    (
        "immunizations",
        "Immunizations",
        "11369-6",
        "History of Immunization Narrative",
        ("immunization",),
        False,
    ),
    (
        "results",
        "Results",
        "30954-2",
        "Relevant diagnostic tests/laboratory data Narrative",
        ("observation", "diagnostic_report"),
        False,
    ),
    (
        "procedures",
        "History of procedures",
        "47519-4",
        "History of Procedures Document",
        ("procedure",),
        False,
    ),
    (
        "encounters",
        "Encounters",
        "46240-8",
        "History of Hospitalizations+Outpatient visits Narrative",
        ("encounter",),
        False,
    ),
    ("documents", "Documents", None, None, ("document",), False),
)

_RESOURCE_KIND = {
    "MedicationStatement": "medication",
    "MedicationRequest": "medication",
    "MedicationAdministration": "medication",
    "MedicationDispense": "medication",
    "AllergyIntolerance": "allergy",
    "Condition": "condition",
    "Immunization": "immunization",
    "Observation": "observation",
    "DiagnosticReport": "diagnostic_report",
    "Procedure": "procedure",
    "Encounter": "encounter",
    "DocumentReference": "document",
}


def to_fhir_bundle(
    person: Person, items: Iterable[Item], as_ips: bool = True, timestamp: datetime | None = None
) -> dict[str, Any]:
    """A FHIR R4 Bundle of ``items`` for ``person`` (IPS document, or a collection when not ``as_ips``)."""
    items = [i for i in items if not i.deleted]
    now = (timestamp or datetime.now(UTC)).replace(microsecond=0)
    patient_url = _full_url("person", person.id)
    urls = {id(item): _full_url("item", item.id) for item in items}
    # Source references ("Encounter/abc") and vault ids of exported items -> their fullUrl.
    ref_map: dict[str, str] = {}
    for item in items:
        url = urls[id(item)]
        if item.provenance.source_id:
            ref_map[item.provenance.source_id] = url
        if item.id:
            ref_map[item.id] = url

    resources: list[tuple[Item, dict[str, Any]]] = []
    for item in items:
        res = _from_raw(item, patient_url, ref_map) or _generate(item, patient_url, ref_map)
        _add_identifier(res, ITEM_SYSTEM, item.id)
        resources.append((item, res))

    entries: list[dict[str, Any]] = []
    patient = _patient(person)
    if as_ips:
        composition = _composition(person, patient_url, resources, urls, now)
        entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": composition})
    entries.append({"fullUrl": patient_url, "resource": patient})
    entries.extend({"fullUrl": urls[id(item)], "resource": res} for item, res in resources)
    return {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
        "type": "document" if as_ips else "collection",
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "entry": entries,
    }


def bundle_item_resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The item resources of a bundle made here (everything but the Composition and the Patient)."""
    out = []
    for entry in bundle.get("entry", []):
        res = entry.get("resource", {})
        if res.get("resourceType") not in ("Composition", "Patient"):
            out.append(res)
    return out


# --- helpers -------------------------------------------------------------------------------------


def _full_url(what: str, vault_id: str | None) -> str:
    if vault_id:
        return f"urn:uuid:{uuid.uuid5(_NS, f'{what}:{vault_id}')}"
    return f"urn:uuid:{uuid.uuid4()}"


def _add_identifier(res: dict[str, Any], system: str, value: str | None) -> None:
    if not value:
        return
    ids = res.setdefault("identifier", [])
    if isinstance(ids, dict):  # Bundle-style single identifier in a malformed source: keep it
        ids = res["identifier"] = [ids]
    if not any(isinstance(i, dict) and i.get("system") == system and i.get("value") == value for i in ids):
        ids.append({"system": system, "value": value})


def _from_raw(item: Item, patient_url: str, ref_map: dict[str, str]) -> dict[str, Any] | None:
    prov = item.provenance
    if prov.raw_format != "fhir+json" or not prov.raw:
        return None
    try:
        res = json.loads(prov.raw)
    except ValueError:
        return None
    if not isinstance(res, dict) or not isinstance(res.get("resourceType"), str):
        return None
    res = copy.deepcopy(res)
    patient_ref = item.patient_ref
    _rewrite_refs(res, patient_url, patient_ref, ref_map)
    return res


def _rewrite_refs(node: Any, patient_url: str, patient_ref: str | None, ref_map: dict[str, str]) -> None:
    """Point references at this bundle's entries: the patient, and items exported alongside."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                if value.startswith("Patient/") or (patient_ref and value == patient_ref):
                    node[key] = patient_url
                elif value in ref_map:
                    node[key] = ref_map[value]
            else:
                _rewrite_refs(value, patient_url, patient_ref, ref_map)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, patient_url, patient_ref, ref_map)


def _fhir_date(value: str | None) -> str | None:
    """A FHIR dateTime from our wall-clock date.

    FHIR requires a time zone whenever a time is given and the model keeps none (the offset stays
    in the raw source), so generated resources carry the date part only rather than a wrong zone.
    """
    if not value:
        return None
    return value[:10] if len(value) >= 10 else value


def _period(item: Item) -> dict[str, str]:
    return {k: v for k, v in (("start", _fhir_date(item.date)), ("end", _fhir_date(item.date_end))) if v}


def _codeable(item: Item, text: str | None = None) -> dict[str, Any]:
    codings = []
    if item.code:
        c: dict[str, Any] = {"code": item.code}
        if item.code_system:
            c["system"] = item.code_system
        if item.display:
            c["display"] = item.display
        codings.append(c)
    for extra in item.codes:
        if extra.code:
            codings.append(
                {k: v for k, v in (("system", extra.system), ("code", extra.code), ("display", extra.display)) if v}
            )
    out: dict[str, Any] = {}
    if codings:
        out["coding"] = codings
    label = text or item.title or item.display
    if label:
        out["text"] = label
    return out or {"text": "unknown"}


def _text(value: str | None) -> dict[str, str] | None:
    return {"text": value} if value else None


def _put(res: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        res[key] = value


def _status(value: str | None, allowed: Sequence[str], default: str) -> str:
    v = (value or "").strip().lower()
    return v if v in allowed else default


def _notes(item: Item) -> list[dict[str, str]] | None:
    return [{"text": item.note}] if item.note else None


def _resource_id(item: Item) -> str | None:
    return item.id if item.id and _ID_RE.match(item.id) else None


def _generate(item: Item, patient_url: str, ref_map: dict[str, str]) -> dict[str, Any]:
    subject = {"reference": patient_url}
    enc = None
    if item.encounter_id and item.encounter_id in ref_map:
        enc = {"reference": ref_map[item.encounter_id]}
    elif item.encounter_ref and item.encounter_ref in ref_map:
        enc = {"reference": ref_map[item.encounter_ref]}
    make = next((f for cls, f in _RESOURCE_OF if isinstance(item, cls)), None)
    if make is not None:
        res = make(item, subject, enc, ref_map)
    else:  # an Item subclass added later: keep it visible rather than dropping it
        res = {"resourceType": "Basic", "code": _codeable(item), "subject": subject}
    _put(res, "note", _notes(item) if res["resourceType"] not in ("Encounter", "DocumentReference") else None)
    rid = _resource_id(item)
    if rid:
        res["id"] = rid
    return res


def _medication_statement(
    item: Medication, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": _status(
            item.status,
            (
                "active",
                "completed",
                "entered-in-error",
                "intended",
                "stopped",
                "on-hold",
                "unknown",
                "not-taken",
            ),
            "unknown",
        ),
        "medicationCodeableConcept": _codeable(item),
        "subject": subject,
    }
    _put(res, "context", enc)
    if item.date_end:
        _put(res, "effectivePeriod", _period(item))
    else:
        _put(res, "effectiveDateTime", _fhir_date(item.date))
    dosage_text = " ".join(p for p in (item.dose, item.route, item.frequency) if p)
    if dosage_text:
        dosage: dict[str, Any] = {"text": dosage_text}
        _put(dosage, "route", _text(item.route))
        res["dosage"] = [dosage]
    _put(res, "reasonCode", [_text(item.reason)] if item.reason else None)
    _put(res, "informationSource", {"display": item.prescriber} if item.prescriber else None)
    return res


def _allergy_intolerance(
    item: Allergy, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    res: dict[str, Any] = {"resourceType": "AllergyIntolerance", "patient": subject, "code": _codeable(item)}
    status = _status(item.status, ("active", "inactive", "resolved"), "")
    if status:
        res["clinicalStatus"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                    "code": status,
                }
            ]
        }
    cat = _status(item.category, ("food", "medication", "environment", "biologic"), "")
    _put(res, "category", [cat] if cat else None)
    _put(res, "criticality", _status(item.criticality, ("low", "high", "unable-to-assess"), "") or None)
    _put(res, "onsetDateTime", _fhir_date(item.date))
    if item.reaction or item.severity:
        reaction: dict[str, Any] = {"manifestation": [{"text": item.reaction or "unspecified"}]}
        _put(reaction, "severity", _status(item.severity, ("mild", "moderate", "severe"), "") or None)
        res["reaction"] = [reaction]
    return res


def _condition(
    item: Condition, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    res: dict[str, Any] = {"resourceType": "Condition", "subject": subject, "code": _codeable(item)}
    clinical = _status(
        item.clinical_status or item.status,
        ("active", "recurrence", "relapse", "inactive", "remission", "resolved"),
        "",
    )
    if clinical:
        res["clinicalStatus"] = {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": clinical}]
        }
    verification = _status(
        item.verification_status,
        ("unconfirmed", "provisional", "differential", "confirmed", "refuted", "entered-in-error"),
        "",
    )
    if verification:
        res["verificationStatus"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": verification,
                }
            ]
        }
    _put(res, "category", [_text(item.category)] if item.category else None)
    _put(res, "severity", _text(item.severity))
    _put(res, "encounter", enc)
    _put(res, "onsetDateTime", _fhir_date(item.date))
    _put(res, "abatementDateTime", _fhir_date(item.date_end))
    return res


def _immunization(
    item: Immunization, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Immunization",
        "status": _status(item.status, ("completed", "entered-in-error", "not-done"), "completed"),
        "vaccineCode": _codeable(item),
        "patient": subject,
    }
    _put(res, "encounter", enc)
    date = _fhir_date(item.date)
    if date:
        res["occurrenceDateTime"] = date
    else:
        res["occurrenceString"] = "unknown"
    _put(res, "lotNumber", item.lot)
    _put(res, "site", _text(item.site))
    _put(res, "route", _text(item.route))
    _put(res, "performer", [{"actor": {"display": item.performer}}] if item.performer else None)
    _put(res, "protocolApplied", [{"doseNumberString": item.dose_number}] if item.dose_number else None)
    return res


def _diagnostic_report(
    item: DiagnosticReport, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "status": _status(
            item.status,
            (
                "registered",
                "partial",
                "preliminary",
                "final",
                "amended",
                "corrected",
                "appended",
                "cancelled",
                "entered-in-error",
                "unknown",
            ),
            "unknown",
        ),
        "code": _codeable(item),
        "subject": subject,
    }
    _put(res, "category", [_text(item.category)] if item.category else None)
    _put(res, "encounter", enc)
    _put(res, "effectiveDateTime", _fhir_date(item.date))
    _put(res, "conclusion", item.conclusion)
    _put(res, "result", [{"reference": ref_map[r]} for r in item.result_refs if r in ref_map])
    _put(res, "performer", [{"display": item.performer}] if item.performer else None)
    return res


def _procedure(
    item: Procedure, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": _status(
            item.status,
            (
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "completed",
                "entered-in-error",
                "unknown",
            ),
            "unknown",
        ),
        "code": _codeable(item),
        "subject": subject,
    }
    _put(res, "encounter", enc)
    if item.date_end:
        _put(res, "performedPeriod", _period(item))
    else:
        _put(res, "performedDateTime", _fhir_date(item.date))
    _put(res, "performer", [{"actor": {"display": item.performer}}] if item.performer else None)
    _put(res, "bodySite", [_text(item.body_site)] if item.body_site else None)
    _put(res, "reasonCode", [_text(item.reason)] if item.reason else None)
    return res


def _encounter(
    item: Encounter, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    cls = item.encounter_class
    res: dict[str, Any] = {
        "resourceType": "Encounter",
        "status": _status(
            item.status,
            (
                "planned",
                "arrived",
                "triaged",
                "in-progress",
                "onleave",
                "finished",
                "cancelled",
                "entered-in-error",
                "unknown",
            ),
            "unknown",
        ),
        # Encounter.class is mandatory in R4; say "unknown" rather than guess ambulatory.
        "class": (
            {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": cls}
            if cls
            else {"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "unknown"}
        ),
        "subject": subject,
    }
    type_text = item.encounter_type or item.title
    if type_text or item.code:
        res["type"] = [_codeable(item, type_text)]
    _put(res, "period", _period(item))
    if item.practitioner:
        res["participant"] = [{"individual": {"display": item.practitioner}}]
    _put(res, "reasonCode", [_text(item.reason)] if item.reason else None)
    _put(res, "location", [{"location": {"display": item.location}}] if item.location else None)
    _put(res, "serviceProvider", {"display": item.provider} if item.provider else None)
    if item.discharge_disposition:
        res["hospitalization"] = {"dischargeDisposition": {"text": item.discharge_disposition}}
    return res


def _document_reference(
    item: Document, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    status = _status(item.status, ("current", "superseded", "entered-in-error"), "current")
    res: dict[str, Any] = {"resourceType": "DocumentReference", "status": status, "subject": subject}
    _put(res, "type", _text(item.doc_type))
    _put(res, "description", item.title or item.filename)
    _put(res, "author", [{"display": item.author}] if item.author else None)
    attachment: dict[str, Any] = {}
    _put(attachment, "contentType", item.mime)
    _put(attachment, "title", item.filename or item.title)
    _put(attachment, "size", item.size)
    _put(attachment, "creation", _fhir_date(item.date))
    res["content"] = [{"attachment": attachment}]
    context: dict[str, Any] = {}
    _put(context, "encounter", [enc] if enc else None)
    _put(context, "period", {"start": _fhir_date(item.date)} if item.date else None)
    _put(res, "context", context)
    return res


def _observation_resource(
    item: Observation, subject: dict[str, Any], enc: dict[str, Any] | None, ref_map: dict[str, str]
) -> dict[str, Any]:
    return _observation(item, subject, enc)


# The resource made for each kind of item, the first whose class the item is an instance of.
_MakeResource = Callable[[Any, dict[str, Any], dict[str, Any] | None, dict[str, str]], dict[str, Any]]
_RESOURCE_OF: tuple[tuple[type[Item], _MakeResource], ...] = (
    (Medication, _medication_statement),
    (Allergy, _allergy_intolerance),
    (Condition, _condition),
    (Immunization, _immunization),
    (Observation, _observation_resource),
    (DiagnosticReport, _diagnostic_report),
    (Procedure, _procedure),
    (Encounter, _encounter),
    (Document, _document_reference),
)


def _observation(item: Observation, subject: dict[str, Any], enc: dict[str, Any] | None) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Observation",
        "status": _status(
            item.status,
            (
                "registered",
                "preliminary",
                "final",
                "amended",
                "corrected",
                "cancelled",
                "entered-in-error",
                "unknown",
            ),
            "final",
        ),
    }
    if item.category:
        res["category"] = [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": item.category,
                    }
                ]
            }
        ]
    res["code"] = _codeable(item)
    res["subject"] = subject
    _put(res, "encounter", enc)
    _put(res, "effectiveDateTime", _fhir_date(item.date))
    if _finite(item.value):
        res["valueQuantity"] = _quantity(item.value, item.unit)
    elif item.value_text:
        res["valueString"] = item.value_text
    if item.interpretation:
        res["interpretation"] = [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                        "code": item.interpretation,
                    }
                ]
            }
        ]
    ref: dict[str, Any] = {}
    if _finite(item.ref_low):
        ref["low"] = _quantity(item.ref_low, item.unit)
    if _finite(item.ref_high):
        ref["high"] = _quantity(item.ref_high, item.unit)
    _put(ref, "text", item.ref_text)
    _put(res, "referenceRange", [ref] if ref else None)
    _put(res, "performer", [{"display": item.performer}] if item.performer else None)
    comps = []
    # Stored JSON: trust the shape no further than needed.
    for comp in cast(list[Any], item.components):
        if not isinstance(comp, dict):
            continue
        label = comp.get("title") or comp.get("display") or comp.get("code")
        if not label:
            continue
        c: dict[str, Any] = {"code": {"text": str(label)}}
        if comp.get("code") and comp.get("code_system"):
            c["code"]["coding"] = [{"system": comp["code_system"], "code": comp["code"]}]
        value = comp.get("value")
        if isinstance(value, int | float) and _finite(float(value)):
            c["valueQuantity"] = _quantity(float(value), comp.get("unit"))
        elif value is not None:
            c["valueString"] = str(value)
        comps.append(c)
    _put(res, "component", comps)
    return res


def _finite(value: float | None) -> TypeGuard[float]:
    # JSON has no NaN or infinity; a FHIR reader would reject the whole bundle for one.
    return value is not None and math.isfinite(value)


def _quantity(value: float, unit: str | None) -> dict[str, Any]:
    q: dict[str, Any] = {"value": int(value) if float(value).is_integer() else value}
    if unit:
        q["unit"] = unit
    return q


def _patient(person: Person) -> dict[str, Any]:
    res: dict[str, Any] = {"resourceType": "Patient"}
    _add_identifier(res, PERSON_SYSTEM, person.id)
    parts = person.name.split()
    name: dict[str, Any] = {"text": person.name}
    if len(parts) >= 2:
        name["family"] = parts[-1]
        name["given"] = parts[:-1]
    res["name"] = [name]
    sex = (person.sex or "").strip().lower()
    gender = {
        "m": "male",
        "male": "male",
        "f": "female",
        "female": "female",
        "o": "other",
        "other": "other",
        "u": "unknown",
        "unknown": "unknown",
    }.get(sex)
    _put(res, "gender", gender)
    _put(res, "birthDate", person.birth_date)
    return res


def _composition(
    person: Person,
    patient_url: str,
    resources: list[tuple[Item, dict[str, Any]]],
    urls: dict[int, str],
    now: datetime,
) -> dict[str, Any]:
    sections = []
    for _key, title, code, display, kinds, required in SECTIONS:
        members = [(item, res) for item, res in resources if _section_kind(item, res) in kinds]
        if not members and not required:
            continue
        section: dict[str, Any] = {"title": title}
        if code:
            section["code"] = {"coding": [{"system": LOINC, "code": code, "display": display}]}
        if members:
            lines = "".join(f"<li>{html.escape(_line(item))}</li>" for item, _ in members)
            section["text"] = {"status": "generated", "div": f'<div xmlns="{_XHTML}"><ul>{lines}</ul></div>'}
            section["entry"] = [{"reference": urls[id(item)]} for item, _ in members]
        else:
            section["text"] = {"status": "generated", "div": f'<div xmlns="{_XHTML}">None recorded</div>'}
            section["emptyReason"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason",
                        "code": "unavailable",
                        "display": "Unavailable",
                    }
                ]
            }
        sections.append(section)
    stamp = now.isoformat().replace("+00:00", "Z")
    return {
        "resourceType": "Composition",
        "status": "final",
        "type": {"coding": [{"system": LOINC, "code": "60591-5", "display": "Patient summary Document"}]},
        "subject": {"reference": patient_url},
        "date": stamp,
        # IPS needs an author; the summary is the person's own record, exported by them.
        "author": [{"reference": patient_url}],
        "title": f"Patient summary as of {stamp[:10]}",
        "section": sections,
    }


def _section_kind(item: Item, res: dict[str, Any]) -> str:
    return item.kind or _RESOURCE_KIND.get(res.get("resourceType", ""), "")


def _line(item: Item) -> str:
    date = (item.date or "")[:10]
    return f"{date} {item.summary() or item.title}".strip()
