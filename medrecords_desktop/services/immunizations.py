"""Immunizations: what is due for each person, from the whole record (every source), following the
CDC's CDSi logic and supporting data. Information to discuss with a clinician, not medical advice.

The evaluator itself is medrecords_desktop.immunization (pure functions over plain values); this
service reads the person's immunizations and conditions from the vault and hands them over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput
from ..immunization.data import Supporting, load
from ..immunization.engine import NOTICE, Engine
from ..immunization.model import (
    AGED_OUT,
    COMPLETE,
    CONTRAINDICATED,
    IMMUNE,
    NOT_COMPLETE,
    Assessment,
    Dose,
    GroupResult,
    Patient,
)
from ..immunization.record import RecordDoses, doses_from_items, observations_from_items
from ..model.records import Item, Person
from ..vault import store
from ..vault.repos import items as items_repo
from ..vault.vault import Vault
from .records import make_id

# vaccine groups shown to everyone (travel and special-use vaccines only when the record has a dose)
ROUTINE = (
    "DTaP/Tdap/Td",
    "Polio",
    "Hib",
    "HepB",
    "HepA",
    "MMR",
    "Varicella",
    "Pneumococcal",
    "Rotavirus",
    "HPV",
    "Meningococcal",
    "Meningococcal B",
    "Influenza",
    "COVID-19",
    "Zoster",
    "RSV",
)
CLINICAL_SOURCES = {"file", "portal", "demo"}  # a school form typed in or a scanned card is not one of these
FORM_FORMATS = {"image", "pdf", "manual"}  # ... nor is a record read from a photo or a PDF scan
DUE_SOON_DAYS = 60


@dataclass
class GroupView:
    group: str
    status: str  # Complete / Not Complete / Immune / Aged Out
    state: str  # overdue / due / due-soon / upcoming / complete / immune / aged-out
    earliest: str | None = None
    recommended: str | None = None
    past_due: str | None = None
    vaccines: list[str] = field(default_factory=list)
    dose_number: int | None = None
    doses: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""  # e.g. the contraindication that stops the forecast

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PersonImmunizations:
    person: Person
    as_of: dt.date
    data_version: str
    groups: list[GroupView]
    unrecognised: list[str]
    duplicates: int
    unconfirmed: list[dict[str, Any]]  # doses known only from a typed-in or scanned form
    observations: list[str]
    notice: str
    missing_birth_date: bool = False

    def due(self) -> list[GroupView]:
        return [g for g in self.groups if g.state in ("overdue", "due")]

    def due_soon(self) -> list[GroupView]:
        return [g for g in self.groups if g.state in ("overdue", "due", "due-soon")]

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person.name,
            "person_id": self.person.id,
            "as_of": self.as_of.isoformat(),
            "cdsi_version": self.data_version,
            "notice": self.notice,
            "missing_birth_date": self.missing_birth_date,
            "groups": [g.to_json() for g in self.groups],
            "unrecognised": self.unrecognised,
            "duplicates_merged": self.duplicates,
            "unconfirmed": self.unconfirmed,
            "conditions_used": self.observations,
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def state_of(g: GroupResult, on: dt.date) -> str:
    if g.status == COMPLETE:
        return "complete"
    if g.status == IMMUNE:
        return "immune"
    if g.status == CONTRAINDICATED:
        return "contraindicated"
    if g.status == AGED_OUT or g.forecast is None:
        return "aged-out" if g.status == AGED_OUT else "complete"
    f = g.forecast
    if f.past_due and f.past_due < on:
        return "overdue"
    if f.recommended and f.recommended <= on:
        return "due"
    if f.recommended and f.recommended <= on + dt.timedelta(days=DUE_SOON_DAYS):
        return "due-soon"
    return "upcoming"


def view_of(
    a: Assessment,
    person: Person,
    rd: RecordDoses,
    observations: frozenset[str],
    sup: Supporting,
    unconfirmed: list[dict[str, Any]],
) -> PersonImmunizations:
    groups = []
    given_groups = {g for g, r in a.groups.items() if r.doses}
    for name in [g for g in ROUTINE if g in a.groups] + sorted(given_groups - set(ROUTINE)):
        r = a.groups[name]
        if name not in ROUTINE and not r.doses:
            continue
        f = r.forecast
        groups.append(
            GroupView(
                group=name,
                status=r.status,
                state=state_of(r, a.as_of),
                earliest=_iso(f.earliest) if f else None,
                recommended=_iso(f.recommended) if f else None,
                past_due=_iso(f.past_due) if f else None,
                vaccines=list(f.vaccines) if f else [],
                dose_number=f.dose_number if f else None,
                doses=[
                    {
                        "date": d.date.isoformat(),
                        "cvx": d.cvx,
                        "vaccine": d.name or sup.cvx_names.get(d.cvx, d.cvx),
                        "status": st,
                        "reason": reason,
                        "item": d.ref,
                    }
                    for d, st, reason in r.doses
                ],
                note=r.reason,
            )
        )
    return PersonImmunizations(
        person=person,
        as_of=a.as_of,
        data_version=a.data_version,
        groups=groups,
        unrecognised=list(rd.unrecognised),
        duplicates=len(rd.duplicates),
        unconfirmed=unconfirmed,
        observations=sorted(sup.observations.get(o, {}).get("observationTitle", o) for o in observations),
        notice=NOTICE.format(version=a.data_version),
    )


class ImmunizationService:
    def __init__(self, vault: Vault, sup: Supporting | None = None) -> None:
        self.vault = vault
        self.sup = sup or load()
        self.engine = Engine(self.sup)

    def _items(self, pid: str, kinds: tuple[str, ...]) -> list[Item]:
        db = self.vault.person_db(pid)
        rows = items_repo.rows_of_kinds(db, kinds)
        out = []
        for r in rows:
            item = store.row_to_item(db, r)
            item.id, item.person_id = make_id(pid, r.rowid), pid
            out.append(item)
        return out

    def for_person(self, ref: str, as_of: dt.date | None = None) -> PersonImmunizations:
        person = self.vault.person(ref)
        as_of = as_of or dt.date.today()
        items = self._items(person.id, ("immunization", "condition"))
        rd = doses_from_items(items, self.sup)
        observations = observations_from_items(items, self.sup, as_of)
        unconfirmed = self._unconfirmed(items, rd)
        try:
            birth = dt.date.fromisoformat((person.birth_date or "")[:10])
        except ValueError:
            birth = None
        if birth is None:
            a = Assessment(Patient(as_of), as_of, self.sup.version, {})
            v = view_of(a, person, rd, observations, self.sup, unconfirmed)
            v.missing_birth_date = True
            return v
        sex = (person.sex or "").strip().upper()[:1]
        patient = Patient(birth, sex if sex in ("F", "M") else "", observations)
        a = self.engine.assess(patient, rd.doses, as_of)
        return view_of(a, person, rd, observations, self.sup, unconfirmed)

    def family(self, as_of: dt.date | None = None) -> list[PersonImmunizations]:
        return [self.for_person(p.id, as_of) for p in self.vault.persons()]

    @staticmethod
    def _unconfirmed(items: list[Item], rd: RecordDoses) -> list[dict[str, Any]]:
        """Doses that only a typed-in form or a scanned card records: no portal or file has them.
        For the missing-records tracker ("ask the clinic for its record of this dose")."""
        by_id = {i.id: i for i in items}
        dropped_by_kept: dict[str, list[Dose]] = {}
        for dropped, kept in rd.duplicates:
            dropped_by_kept.setdefault(kept.ref, []).append(dropped)
        out = []
        for d in rd.doses:
            refs = [d.ref] + [x.ref for x in dropped_by_kept.get(d.ref, [])]
            clinical = [
                r
                for r in refs
                if r in by_id
                and by_id[r].provenance.source_kind in CLINICAL_SOURCES
                and (by_id[r].provenance.raw_format or "") not in FORM_FORMATS
            ]
            if not clinical and any(r in by_id for r in refs):
                item = by_id.get(d.ref)
                out.append(
                    {
                        "date": d.date.isoformat(),
                        "vaccine": d.name,
                        "cvx": d.cvx,
                        "item": d.ref,
                        "source": item.provenance.source_name if item else "",
                    }
                )
        return out


def parse_as_of(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--as-of {text}: give a date as YYYY-MM-DD.") from None


__all__ = ["ImmunizationService", "PersonImmunizations", "GroupView", "parse_as_of", "NOT_COMPLETE"]
