"""What an appointment packet shows (``PacketData``) and what became of each chosen document
(``DocumentEntry``): plain data shared by the packet builder and its layout modules, so that neither
imports the other for its types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from medrecords_desktop.model.records import (
    Allergy,
    Condition,
    Document,
    Encounter,
    Immunization,
    Item,
    Medication,
    Observation,
    Person,
    Procedure,
)


@dataclass
class PacketData:
    """Everything a packet shows. The caller chooses what is relevant; the packet lays it out."""

    person: Person
    prepared_for: str
    prepared_on: date
    medications: list[Medication] = field(default_factory=list)
    allergies: list[Allergy] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    immunizations: list[Immunization] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    encounters: list[Encounter] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)  # in the embedded bundle only
    documents: list[tuple[Document, bytes]] = field(default_factory=list)
    care_plans: list[Any] = field(default_factory=list)  # CarePlan items (in the summary only)
    goals: list[Any] = field(default_factory=list)  # Goal items
    appointments: list[Any] = field(default_factory=list)  # Appointment items; the summary lists upcoming ones
    max_encounters: int = 15
    trend_points: int = 12
    # "Due at this visit": rows from the immunization forecast (None = not assessed)
    due: list[dict[str, Any]] | None = None
    due_notice: str = ""
    lang: str = "en"  # the language the packet is printed in (packet_i18n.LANGUAGES)

    def items(self) -> list[Item]:
        """Every record of the packet (for the embedded FHIR bundle)."""
        out: list[Item] = []
        for group in (
            self.medications,
            self.allergies,
            self.conditions,
            self.immunizations,
            self.observations,
            self.encounters,
            self.procedures,
        ):
            out.extend(group)
        out.extend(doc for doc, _ in self.documents)
        return [i for i in out if not i.deleted]


@dataclass
class DocumentEntry:
    """What became of one chosen document."""

    title: str
    date: str | None
    type_label: str  # "PDF", "JPEG image", "DOCX"...
    included: bool
    note: str = ""  # why it is not included
    first_page: int | None = None  # 1-based page in the packet
    page_count: int = 0
