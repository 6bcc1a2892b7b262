"""Build model items for tests and write them through the real import path."""

from __future__ import annotations

from medrecords_desktop.importers.base import ParsedFile
from medrecords_desktop.model.records import (
    Allergy,
    Condition,
    DiagnosticReport,
    Document,
    Encounter,
    Immunization,
    Medication,
    Observation,
    Procedure,
    Provenance,
)
from medrecords_desktop.services.importing import ImportOptions, ImportService


def prov(sid: str, raw: str | None = None) -> Provenance:
    return Provenance(
        source_kind="file",
        source_name="test-source.json",
        source_id=sid,
        raw=raw,
        raw_format="fhir+json" if raw else None,
    )


def one_of_each(marker: str, day: str = "2026-04-12") -> list:
    """One item of every kind, each carrying ``marker`` somewhere a person would read it."""
    enc = Encounter(
        title=f"Visit {marker}",
        date=f"{day}T09:30",
        provider=f"Clinic {marker}",
        provenance=prov(f"Encounter/{marker}", raw=f'{{"note":"{marker}"}}'),
    )
    return [
        enc,
        Observation(
            title=f"Glucose {marker}",
            date=f"{day}T10:00",
            code_system="http://loinc.org",
            code="2345-7",
            value=5.4,
            unit="mmol/L",
            ref_low=3.9,
            ref_high=5.6,
            category="laboratory",
            encounter_ref=enc.provenance.source_id,
            provenance=prov(f"Observation/{marker}"),
        ),
        DiagnosticReport(
            title=f"Panel {marker}",
            date=f"{day}T10:00",
            conclusion=marker,
            encounter_ref=enc.provenance.source_id,
            provenance=prov(f"DiagnosticReport/{marker}"),
        ),
        Document(
            title=f"Letter {marker}",
            date=day,
            mime="text/plain",
            text=f"Doctor wrote {marker}",
            content=f"Original letter {marker}".encode(),
            encounter_ref=enc.provenance.source_id,
            provenance=prov(f"DocumentReference/{marker}"),
        ),
        Medication(title=f"Drug {marker}", date=day, dose="5 mg", provenance=prov(f"MedicationRequest/{marker}")),
        Immunization(title=f"Vaccine {marker}", date=day, lot=marker, provenance=prov(f"Immunization/{marker}")),
        Allergy(title=f"Allergy {marker}", date=day, reaction=marker, provenance=prov(f"AllergyIntolerance/{marker}")),
        Condition(title=f"Condition {marker}", date=day, provenance=prov(f"Condition/{marker}")),
        Procedure(title=f"Procedure {marker}", date=day, provenance=prov(f"Procedure/{marker}")),
    ]


def scan_document(marker: str, day: str = "2026-04-12") -> Document:
    """A document too large for the database: stored as an encrypted file (vault/blobs.py)."""
    from medrecords_desktop.vault.blobs import INLINE_MAX

    body = f"Scanned page {marker}\n".encode()
    content = body * (INLINE_MAX // len(body) + 2)
    return Document(
        title=f"Scan {marker}",
        date=day,
        mime="text/plain",
        text=f"Scanned page {marker}",
        content=content,
        provenance=prov(f"DocumentReference/scan-{marker}"),
    )


def write_items(vault, person: str, items: list, name: str = "test-source.json"):
    parsed = ParsedFile(source_name=name, format="test", items=items)
    return ImportService(vault).write_parsed(parsed, ImportOptions(person=person))
