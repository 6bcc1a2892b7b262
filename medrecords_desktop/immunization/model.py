"""Plain result types of the immunization evaluator and forecaster (no I/O, no Qt)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

VALID, NOT_VALID, EXTRANEOUS, SUBSTANDARD = "Valid", "Not Valid", "Extraneous", "Sub-standard"
COMPLETE, NOT_COMPLETE, IMMUNE, AGED_OUT, NOT_RECOMMENDED, CONTRAINDICATED = (
    "Complete",
    "Not Complete",
    "Immune",
    "Aged Out",
    "Not Recommended",
    "Contraindicated",
)

# reasons, worded as the CDC test cases word them
R_TOO_YOUNG = "Age: Too Young"
R_TOO_OLD = "Age: Too Old"
R_TOO_SOON = "Interval: Too Soon"
R_LIVE = "Live Virus Conflict"
R_INADVERTENT = "Inadvertent Vaccine"
R_NOT_ALLOWED = "Not a preferable or allowable vaccine"
R_COMPLETE = "Series Already Complete"
R_SKIPPED = "Skipped"


@dataclass(frozen=True)
class Dose:
    """One dose given: date, CVX (and MVX where known). `ref` points back to the record item."""

    date: dt.date
    cvx: str
    mvx: str = ""
    ref: str = ""
    name: str = ""


@dataclass(frozen=True)
class Patient:
    birth_date: dt.date
    sex: str = ""  # "F", "M" or "" (unknown)
    observations: frozenset[str] = frozenset()  # CDSi observation codes ("007" ...)


@dataclass
class DoseEvaluation:
    dose: Dose
    antigen: str
    status: str
    reason: str = ""
    target_dose: int | None = None  # 1-based target dose it was evaluated against
    series: str = ""


@dataclass
class Forecast:
    earliest: dt.date | None = None
    recommended: dt.date | None = None
    past_due: dt.date | None = None
    latest: dt.date | None = None
    dose_number: int | None = None
    vaccines: list[str] = field(default_factory=list)  # vaccine types to give
    cvx: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class AntigenResult:
    antigen: str
    status: str
    series: str = ""
    evaluations: list[DoseEvaluation] = field(default_factory=list)
    forecast: Forecast | None = None
    doses_needed: int = 0
    reason: str = ""  # why no dose is forecast (a contraindication in the record)


@dataclass
class GroupResult:
    group: str
    status: str
    forecast: Forecast | None
    antigens: list[AntigenResult]
    # per dose of the group (in date order): combined evaluation over the group's antigens
    doses: list[tuple[Dose, str, str]] = field(default_factory=list)
    reason: str = ""

    def is_due(self, on: dt.date) -> bool:
        f = self.forecast
        return bool(f and self.status == NOT_COMPLETE and f.recommended and f.recommended <= on)

    def is_overdue(self, on: dt.date) -> bool:
        f = self.forecast
        return bool(f and self.status == NOT_COMPLETE and f.past_due and f.past_due < on)


@dataclass
class Assessment:
    patient: Patient
    as_of: dt.date
    data_version: str
    groups: dict[str, GroupResult]
    unknown_doses: list[Dose] = field(default_factory=list)  # CVX not in the supporting data
