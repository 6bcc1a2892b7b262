"""The record model: plain dataclasses, FHIR-shaped, with no I/O and no Qt.

Every layer speaks these types: importers produce them, the vault stores them, services and
exporters read them.  See ``records.py`` for the kinds and ``Provenance`` for where each came from.
"""

from .records import (
    KINDS,
    TIMELINE_KINDS,
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
    Provenance,
    RawResource,
    item_class,
)

__all__ = [
    "KINDS",
    "TIMELINE_KINDS",
    "Allergy",
    "Condition",
    "DiagnosticReport",
    "Document",
    "Encounter",
    "Immunization",
    "Item",
    "Medication",
    "Observation",
    "Person",
    "Procedure",
    "Provenance",
    "RawResource",
    "item_class",
]
