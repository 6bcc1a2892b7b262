"""The mapping of FHIR resources to model items: the parser, put together from its core (driver, reference
resolution, helpers: core.py) and one mixin per family of resources (clinical.py, results.py, documents.py),
plus the handlers of care.py (care plans, orders, appointments, claims...).
"""

from __future__ import annotations

from .care import _CareMixin
from .clinical import _ClinicalMixin
from .results import _ResultsMixin


class _Parser(_ResultsMixin, _ClinicalMixin, _CareMixin):
    def __init__(self, source_name: str, fmt: str, source_kind: str, sources: dict[int, str] | None = None) -> None:
        super().__init__(source_name, fmt, source_kind, sources)
        self.handlers.update(
            {
                "Patient": self._patient,
                "Encounter": self._encounter,
                "Observation": self._observation,
                "DiagnosticReport": self._diagnostic_report,
                "DocumentReference": self._document_reference,
                "Binary": self._binary,
                "MedicationRequest": self._medication,
                "MedicationStatement": self._medication,
                "Immunization": self._immunization,
                "AllergyIntolerance": self._allergy,
                "Condition": self._condition,
                "Procedure": self._procedure,
                # care.py
                "CarePlan": self._care_plan,
                "Goal": self._goal,
                "CareTeam": self._care_team,
                "ServiceRequest": self._order,
                "Appointment": self._appointment,
                "Coverage": self._coverage,
                "MedicationDispense": self._dispense,
                "Device": self._device,
                "Provenance": self._provenance,
                "QuestionnaireResponse": self._questionnaire,
                "FamilyMemberHistory": self._family_history,
                "Specimen": self._specimen,
                "ExplanationOfBenefit": self._claim,
            }
        )
