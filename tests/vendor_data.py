"""A patient record shaped the way vendors' patient APIs hold it, for the vendor-rules tests and benchmark.

Every US Core type the sync asks for, Observations spread over all US Core categories (some in two
categories, some in a vendor's own category only the CapabilityStatement names), DocumentReferences
with ``clinical-note`` / ``imaging-result`` categories whose bytes live in Binary resources, pending
orders and upcoming appointments, and (``payer=True``) claims as a payer's Blue Button API serves them.
Deterministic for a given size: ``random.Random(seed)``.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from medrecords_desktop.portals.vendor import OBSERVATION_CATEGORIES

OBS_SYS = "http://terminology.hl7.org/CodeSystem/observation-category"
VENDOR_CATEGORY = "smartdata"  # a vendor's own Observation category, listed in its CapabilityStatement
NEW_TYPES = (
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
# Words each new type's item carries, for the "found by search" checks.
SEARCH_WORDS = {
    "CarePlan": "Diabetes self-management plan",
    "Goal": "HbA1c below 7 percent",
    "CareTeam": "Diabetes care team",
    "ServiceRequest": "Lipid panel",
    "Appointment": "Endocrinology follow-up",
    "Coverage": "Acme Health Plan",
    "MedicationDispense": "Metformin 500 mg tablet",
    "Device": "Continuous glucose monitor",
    "Provenance": "Northside Medical Group",
    "QuestionnaireResponse": "PHQ-9 depression screen",
    "FamilyMemberHistory": "Mother",
    "Specimen": "Venous blood specimen",
}


def _entry(r: dict[str, Any]) -> dict[str, Any]:
    return {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}


def transaction(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "transaction", "entry": [_entry(r) for r in resources]}


def new_type_resources(pid: str, today: str = "2026-05-01") -> list[dict[str, Any]]:
    """One of each further US Core type, dated around ``today`` (an appointment after it, an order before)."""
    subj = {"reference": f"Patient/{pid}"}
    org = {"reference": f"Organization/{pid}-org", "display": "Northside Medical Group"}
    w = SEARCH_WORDS
    return [
        {
            "resourceType": "CarePlan",
            "id": f"{pid}-cp",
            "status": "active",
            "intent": "plan",
            "subject": subj,
            "title": w["CarePlan"],
            "description": "Daily glucose checks, walk 30 minutes, diet review",
            "period": {"start": "2026-01-10"},
            "category": [
                {
                    "coding": [
                        {"system": "http://hl7.org/fhir/us/core/CodeSystem/careplan-category", "code": "assess-plan"}
                    ]
                }
            ],
            "activity": [{"detail": {"status": "in-progress", "description": "Check blood glucose before breakfast"}}],
        },
        {
            "resourceType": "Goal",
            "id": f"{pid}-goal",
            "lifecycleStatus": "active",
            "subject": subj,
            "description": {"text": w["Goal"]},
            "startDate": "2026-01-10",
            "target": [{"dueDate": "2026-07-01"}],
        },
        {
            "resourceType": "CareTeam",
            "id": f"{pid}-ct",
            "status": "active",
            "subject": subj,
            "name": w["CareTeam"],
            "period": {"start": "2026-01-10"},
            "participant": [
                {"role": [{"text": "Endocrinologist"}], "member": {"display": "Dr. Ana Ruiz"}},
                {"role": [{"text": "Dietitian"}], "member": {"display": "Sam Lee"}},
            ],
        },
        {
            "resourceType": "ServiceRequest",
            "id": f"{pid}-sr",
            "status": "active",
            "intent": "order",
            "subject": subj,
            "authoredOn": "2026-04-12",
            "code": {
                "coding": [{"system": "http://loinc.org", "code": "57698-3", "display": w["ServiceRequest"]}],
                "text": w["ServiceRequest"],
            },
            "category": [
                {
                    "coding": [
                        {"system": "http://snomed.info/sct", "code": "108252007", "display": "Laboratory procedure"}
                    ]
                }
            ],
            "requester": {"display": "Dr. Ana Ruiz"},
        },
        {
            "resourceType": "ServiceRequest",
            "id": f"{pid}-sr-done",
            "status": "completed",
            "intent": "order",
            "subject": subj,
            "authoredOn": "2025-11-02",
            "code": {"text": "Thyroid stimulating hormone"},
        },
        {
            "resourceType": "Appointment",
            "id": f"{pid}-appt",
            "status": "booked",
            "start": "2026-06-15T09:30:00Z",
            "end": "2026-06-15T10:00:00Z",
            "description": w["Appointment"],
            "serviceType": [{"text": "Endocrinology"}],
            "participant": [
                {"actor": {"reference": f"Patient/{pid}"}, "status": "accepted"},
                {"actor": {"display": "Northside Endocrinology Clinic"}, "status": "accepted"},
            ],
        },
        {
            "resourceType": "Appointment",
            "id": f"{pid}-appt-past",
            "status": "fulfilled",
            "start": "2026-02-01T14:00:00Z",
            "description": "Annual physical",
            "participant": [{"actor": {"reference": f"Patient/{pid}"}, "status": "accepted"}],
        },
        {
            "resourceType": "Coverage",
            "id": f"{pid}-cov",
            "status": "active",
            "beneficiary": subj,
            "subscriberId": "XG123456",
            "period": {"start": "2026-01-01"},
            "type": {"text": "PPO"},
            "payor": [{"display": w["Coverage"]}],
            "class": [{"type": {"text": "plan"}, "value": "GOLD-PPO", "name": "Gold PPO"}],
        },
        {
            "resourceType": "MedicationDispense",
            "id": f"{pid}-md",
            "status": "completed",
            "subject": subj,
            "medicationCodeableConcept": {
                "coding": [
                    {
                        "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                        "code": "861007",
                        "display": w["MedicationDispense"],
                    }
                ]
            },
            "whenHandedOver": "2026-03-05",
            "quantity": {"value": 60, "unit": "tablet"},
            "daysSupply": {"value": 30, "unit": "day"},
        },
        {
            "resourceType": "Device",
            "id": f"{pid}-dev",
            "status": "active",
            "patient": subj,
            "type": {"text": w["Device"]},
            "udiCarrier": [{"deviceIdentifier": "00812345678901"}],
            "manufacturer": "Acme Devices",
        },
        {
            "resourceType": "Provenance",
            "id": f"{pid}-prov",
            "recorded": "2026-03-05T10:00:00Z",
            "target": [{"reference": f"CarePlan/{pid}-cp"}, subj],
            "agent": [{"type": {"coding": [{"code": "author"}]}, "who": org}],
        },
        {
            "resourceType": "QuestionnaireResponse",
            "id": f"{pid}-qr",
            "status": "completed",
            "subject": subj,
            "authored": "2026-02-01T14:20:00Z",
            "questionnaire": "http://loinc.org/q/44249-1",
            "_questionnaire": {
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/display",
                        "valueString": w["QuestionnaireResponse"],
                    }
                ]
            },
            "item": [
                {
                    "linkId": "1",
                    "text": "Little interest or pleasure in doing things",
                    "answer": [{"valueCoding": {"display": "Several days"}}],
                },
                {"linkId": "9", "text": "PHQ-9 total score", "answer": [{"valueInteger": 6}]},
            ],
        },
        {
            "resourceType": "FamilyMemberHistory",
            "id": f"{pid}-fmh",
            "status": "completed",
            "patient": subj,
            "date": "2026-01-10",
            "relationship": {"coding": [{"code": "MTH", "display": w["FamilyMemberHistory"]}]},
            "condition": [{"code": {"text": "Type 2 diabetes"}, "onsetAge": {"value": 52, "unit": "a"}}],
        },
        {
            "resourceType": "Specimen",
            "id": f"{pid}-spec",
            "status": "available",
            "subject": subj,
            "type": {"text": w["Specimen"]},
            "collection": {"collectedDateTime": "2026-03-01T08:10:00Z"},
        },
    ]


def vendor_record(
    pid: str, observations: int = 60, documents: int = 6, extra: int = 0, seed: int = 7
) -> list[dict[str, Any]]:
    """Patient ``pid``: ``observations`` Observations over every category, ``documents`` DocumentReferences
    (each with a Binary), the further types once each, and ``extra`` more resources of the other types."""
    rnd = random.Random(seed)
    subj = {"reference": f"Patient/{pid}"}
    out: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": pid,
            "name": [{"family": "Vendor", "given": ["Vera"]}],
            "birthDate": "1970-03-04",
            "managingOrganization": {"reference": f"Organization/{pid}-org"},
        },
        {"resourceType": "Organization", "id": f"{pid}-org", "name": "Northside Medical Group"},
    ]
    cats = (*OBSERVATION_CATEGORIES, VENDOR_CATEGORY)
    for i in range(observations):
        cat = cats[i % len(cats)]
        codings = [{"system": OBS_SYS, "code": cat}]
        if cat == "laboratory" and i % 2:
            codings.append({"system": OBS_SYS, "code": "exam"})  # in two categories: must arrive once
        day = f"20{15 + i % 11:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        out.append(
            {
                "resourceType": "Observation",
                "id": f"{pid}-obs-{i}",
                "status": "final",
                "subject": subj,
                "category": [{"coding": codings}],
                "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": f"Glucose {cat}"}]},
                "effectiveDateTime": day,
                "valueQuantity": {
                    "value": 70 + rnd.randint(0, 60),
                    "unit": "mg/dL",
                    "system": "http://unitsofmeasure.org",
                    "code": "mg/dL",
                },
            }
        )
    for i in range(documents):
        text = f"Clinic note {i} for {pid}: blood sugar reviewed, plan unchanged.\n".encode()
        cat = "clinical-note" if i % 3 else "imaging-result"
        out.append(
            {
                "resourceType": "Binary",
                "id": f"{pid}-bin-{i}",
                "contentType": "text/plain",
                "data": base64.b64encode(text).decode(),
            }
        )
        out.append(
            {
                "resourceType": "DocumentReference",
                "id": f"{pid}-doc-{i}",
                "status": "current",
                "subject": subj,
                "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3", "display": "Progress note"}]},
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                                "code": cat,
                            }
                        ]
                    }
                ],
                "content": [
                    {"attachment": {"contentType": "text/plain", "url": f"Binary/{pid}-bin-{i}", "title": f"Note {i}"}}
                ],
            }
        )
    out.extend(new_type_resources(pid))
    # The annual physical the payer billed on 2026-02-01: the family has its record (the imaging was not).
    out.append(
        {
            "resourceType": "Encounter",
            "id": f"{pid}-enc-physical",
            "status": "finished",
            "class": {"code": "AMB"},
            "type": [{"text": "Annual physical"}],
            "subject": subj,
            "period": {"start": "2026-02-01T14:00:00Z", "end": "2026-02-01T14:40:00Z"},
            "serviceProvider": {"reference": f"Organization/{pid}-org"},
        }
    )
    others = (
        "Encounter",
        "Condition",
        "MedicationRequest",
        "Immunization",
        "Procedure",
        "CarePlan",
        "Goal",
        "ServiceRequest",
        "Appointment",
        "MedicationDispense",
        "Specimen",
        "QuestionnaireResponse",
    )
    for i in range(extra):
        rtype = others[i % len(others)]
        day = f"20{12 + i % 14:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        r: dict[str, Any] = {"resourceType": rtype, "id": f"{pid}-x{i}"}
        if rtype == "Encounter":
            r |= {
                "status": "finished",
                "class": {"code": "AMB"},
                "period": {"start": day},
                "subject": subj,
                "serviceProvider": {"reference": f"Organization/{pid}-org"},
            }
        elif rtype == "Condition":
            r |= {"subject": subj, "code": {"text": f"Condition {i}"}, "recordedDate": day}
        elif rtype == "MedicationRequest":
            r |= {
                "subject": subj,
                "status": "completed",
                "intent": "order",
                "authoredOn": day,
                "medicationCodeableConcept": {"text": f"Medicine {i}"},
            }
        elif rtype == "Immunization":
            r |= {
                "patient": subj,
                "status": "completed",
                "occurrenceDateTime": day,
                "vaccineCode": {"text": f"Vaccine {i}"},
            }
        elif rtype == "Procedure":
            r |= {"subject": subj, "status": "completed", "performedDateTime": day, "code": {"text": f"Procedure {i}"}}
        elif rtype == "CarePlan":
            r |= {
                "subject": subj,
                "status": "completed",
                "intent": "plan",
                "title": f"Plan {i}",
                "period": {"start": day},
            }
        elif rtype == "Goal":
            r |= {
                "subject": subj,
                "lifecycleStatus": "completed",
                "description": {"text": f"Goal {i}"},
                "startDate": day,
            }
        elif rtype == "ServiceRequest":
            r |= {
                "subject": subj,
                "status": "completed",
                "intent": "order",
                "authoredOn": day,
                "code": {"text": f"Order {i}"},
            }
        elif rtype == "Appointment":
            r |= {
                "status": "fulfilled",
                "start": f"{day}T09:00:00Z",
                "description": f"Visit {i}",
                "participant": [{"actor": subj, "status": "accepted"}],
            }
        elif rtype == "MedicationDispense":
            r |= {
                "subject": subj,
                "status": "completed",
                "whenHandedOver": day,
                "medicationCodeableConcept": {"text": f"Medicine {i}"},
            }
        elif rtype == "Specimen":
            r |= {"subject": subj, "type": {"text": f"Specimen {i}"}, "collection": {"collectedDateTime": day}}
        else:
            r |= {
                "subject": subj,
                "status": "completed",
                "authored": day,
                "item": [{"linkId": "1", "text": f"Question {i}", "answer": [{"valueString": "yes"}]}],
            }
        out.append(r)
    return out


def payer_record(pid: str, provider: str = "Northside Imaging") -> list[dict[str, Any]]:
    """What a payer's Blue Button / CARIN API holds for one member: Patient, Coverage, and claims (EOBs)."""
    subj = {"reference": f"Patient/{pid}"}
    org = f"{pid}-prov-org"

    def eob(i: str, day: str, prov: str, prov_id: str, service: str, billed: float, paid: float) -> dict[str, Any]:
        return {
            "resourceType": "ExplanationOfBenefit",
            "id": f"{pid}-eob-{i}",
            "status": "active",
            "use": "claim",
            "outcome": "complete",
            "patient": subj,
            "created": f"{day}T12:00:00Z",
            "billablePeriod": {"start": day, "end": day},
            "type": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]
            },
            "insurer": {"display": "Acme Health Plan"},
            "provider": {"reference": f"Organization/{prov_id}", "display": prov},
            "insurance": [{"focal": True, "coverage": {"reference": f"Coverage/{pid}-cov"}}],
            "item": [
                {
                    "sequence": 1,
                    "servicedDate": day,
                    "productOrService": {"text": service},
                    "net": {"value": billed, "currency": "USD"},
                }
            ],
            "total": [
                {"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": billed, "currency": "USD"}},
                {"category": {"coding": [{"code": "benefit"}]}, "amount": {"value": paid, "currency": "USD"}},
            ],
            "payment": {"amount": {"value": paid, "currency": "USD"}},
        }

    return [
        {
            "resourceType": "Patient",
            "id": pid,
            "name": [{"family": "Vendor", "given": ["Vera"]}],
            "birthDate": "1970-03-04",
        },
        {"resourceType": "Organization", "id": org, "name": provider},
        {"resourceType": "Organization", "id": f"{pid}-clinic", "name": "Northside Medical Group"},
        {
            "resourceType": "Coverage",
            "id": f"{pid}-cov",
            "status": "active",
            "beneficiary": subj,
            "payor": [{"display": "Acme Health Plan"}],
            "type": {"text": "Medicare Part B"},
            "period": {"start": "2026-01-01"},
        },
        eob("1", "2026-03-02", provider, org, "CT abdomen with contrast", 1840.0, 1210.5),
        eob(
            "2",
            "2026-02-01",
            "Northside Medical Group",
            f"{pid}-clinic",
            "Office visit, established patient",
            180.0,
            120.0,
        ),
    ]
