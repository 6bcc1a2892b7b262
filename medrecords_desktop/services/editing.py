"""The user's own records: entries added by hand, corrections that keep the original, and the Trash.

- Manual entries go through the same import path as files (source kind "manual", entered by the user).
- A correction stores the original and the new values beside the item; the item shows the new values with
  a mark; :func:`original_of` gives the source's version back.
- Delete moves an item to the Trash (restorable) and leaves a tombstone (its source id and fingerprint),
  so re-importing the same file never silently brings back what the user deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, NotFound
from ..importers.base import ParsedFile
from ..model.lab_catalogue import LabTest, find_lab_test, lab_tests
from ..model.records import (
    Allergy,
    Condition,
    Document,
    Immunization,
    Item,
    Medication,
    Observation,
    Procedure,
    Provenance,
    blood_pressure,
)
from ..model.units import to_ucum
from ..vault import store
from ..vault.repos import edits as edits_repo
from ..vault.repos.edits import Correction
from ..vault.vault import Vault, now_iso
from .importing import ImportOptions, ImportService
from .permissions import require_manage
from .records import RecordService, make_id, parse_id

if TYPE_CHECKING:
    from .people import TrashEntry


MANUAL_KINDS = (
    "lab",
    "vital",
    "blood-pressure",
    "medication",
    "condition",
    "allergy",
    "immunization",
    "procedure",
    "family-history",
    "note",
)
VITALS = {  # name: (LOINC, units accepted, plausible range)
    "weight": ("29463-7", ("kg", "lb", "[lb_av]"), (0.3, 500)),
    "height": ("8302-2", ("cm", "in", "[in_i]"), (20, 260)),
    "temperature": ("8310-5", ("°C", "Cel", "C", "°F", "[degF]", "F"), (25, 115)),
    "pulse": ("8867-4", ("/min", "bpm"), (20, 250)),
    "spo2": ("59408-5", ("%",), (50, 100)),
    "glucose": ("2339-0", ("mg/dL", "mmol/L"), (10, 1000)),
    "respiratory-rate": ("9279-1", ("/min",), (4, 80)),
}
CORRECTABLE = (
    "title",
    "date",
    "value",
    "value_text",
    "unit",
    "ref_low",
    "ref_high",
    "status",
    "dose",
    "note",
    "reaction",
    "severity",
    "lot",
    "interpretation",
)


def lab_catalog() -> tuple[LabTest, ...]:
    """Common lab tests with their LOINC code and usual units (the catalogue, read once by
    model/lab_catalogue.py)."""
    return lab_tests()


def find_test(name: str) -> LabTest | None:
    """The catalogue entry called ``name`` (name, abbreviation or LOINC code)."""
    return find_lab_test(name)


def catalogue_code(test: LabTest, unit: str | None) -> str | None:
    """The LOINC code of a catalogue test for the unit a result was entered in: glucose in mmol/L is
    14749-6 (substance concentration), in mg/dL 2345-7 (mass concentration)."""
    return test.code_for(unit)


def check_date(value: str | None, what: str = "date") -> str:
    if not value:
        raise InvalidInput(f"The {what} is missing (YYYY-MM-DD).")
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"The {what} {value!r} is not a date like 2026-04-12 (or 2026-04-12T08:30).") from None
    if d.date() > date.today():
        raise InvalidInput(f"The {what} {value} is in the future.")
    return value


def _num(value: Any, what: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        raise InvalidInput(f"The {what} {value!r} is not a number.") from None


# ------------------------------------------------------------------ manual entries, one builder a kind


def _lab(f: dict[str, Any], day: str, note: str | None, prov: Provenance) -> Item:
    """A lab result: the catalogue's name and code for the unit entered, else the name as given."""
    name = (f.get("name") or "").strip()
    if not name:
        raise InvalidInput("Which test? Give its name (e.g. HbA1c).")
    test = find_lab_test(name)
    unit = (f.get("unit") or (test.units[0] if test and test.units else "")).strip() or None
    if test and unit and test.units and not test.fits(unit):
        raise InvalidInput(f"{unit} does not fit {test.name}; use {' or '.join(test.units)}.")
    value = _num(f.get("value"), "value")
    value_text = None if value is not None else (str(f.get("value") or "").strip() or None)
    if value is None and not value_text:
        raise InvalidInput("The result value is missing.")
    low, high = _num(f.get("low"), "low limit"), _num(f.get("high"), "high limit")
    if low is not None and high is not None and low > high:
        raise InvalidInput(f"The reference range {low:g}-{high:g} is upside down.")
    return Observation(
        title=test.name if test else name,
        date=day,
        code_system="http://loinc.org" if test else None,
        code=test.code_for(unit) if test else None,
        value=value,
        value_text=value_text,
        unit=to_ucum(unit),
        ref_low=low,
        ref_high=high,
        category="laboratory",
        performer=f.get("lab"),
        note=note,
        provenance=prov,
    )


def _blood_pressure(f: dict[str, Any], day: str, note: str | None, prov: Provenance) -> Item:
    """Systolic over diastolic, both plausible."""
    s, d = _num(f.get("systolic"), "systolic"), _num(f.get("diastolic"), "diastolic")
    if s is None or d is None:
        raise InvalidInput("Blood pressure needs both numbers, e.g. 120 over 80.")
    if not (50 <= s <= 300 and 20 <= d <= 200) or d >= s:
        raise InvalidInput(f"{s:g}/{d:g} mmHg is not a plausible blood pressure.")
    return blood_pressure(s, d, date=day, note=note, provenance=prov)


def _vital(f: dict[str, Any], day: str, note: str | None, prov: Provenance) -> Item:
    """One of VITALS, in one of its units, within its plausible range."""
    which = (f.get("name") or "").casefold()
    if which not in VITALS:
        raise InvalidInput(f"Which vital sign? One of: {', '.join(VITALS)} (or blood-pressure).")
    loinc, units, (lo, hi) = VITALS[which]
    unit = f.get("unit") or units[0]
    if unit not in units:
        raise InvalidInput(f"{unit} does not fit {which}; use {' or '.join(units)}.")
    value = _num(f.get("value"), which)
    if value is None or not lo <= value <= hi:
        raise InvalidInput(f"{f.get('value')} {unit} is not a plausible {which}.")
    return Observation(
        title=which.replace("-", " ").capitalize() if which != "spo2" else "Oxygen saturation",
        date=day,
        code_system="http://loinc.org",
        code=loinc,
        value=value,
        unit=unit,
        category="vital-signs",
        note=note,
        provenance=prov,
    )


def _medication(f: dict[str, Any], title: str, day: str, note: str | None, prov: Provenance) -> Item:
    """A medication, stopped when it has a stop date."""
    stop = f.get("stop")
    if stop:
        check_date(stop, "stop date")
        if stop < day:
            raise InvalidInput("The medication stops before it starts.")
    return Medication(
        title=title,
        date=day,
        date_end=stop,
        dose=f.get("dose"),
        route=f.get("route"),
        frequency=f.get("frequency"),
        reason=f.get("reason"),
        otc=bool(f.get("otc")),
        status="stopped" if stop else "active",
        note=note,
        provenance=prov,
    )


def _condition(f: dict[str, Any], title: str, day: str, note: str | None, prov: Provenance) -> Item:
    """A problem or diagnosis."""
    return Condition(title=title, date=day, clinical_status=f.get("status") or "active", note=note, provenance=prov)


def _family_history(f: dict[str, Any], title: str, day: str, note: str | None, prov: Provenance) -> Item:
    """A relative's condition."""
    relation = (f.get("relation") or "").strip()
    if not relation:
        raise InvalidInput("Whose history is it (mother, father, sibling...)?")
    return Condition(
        title=f"{title} ({relation})",
        date=day,
        category="family-history",
        clinical_status="active",
        note=note,
        provenance=prov,
    )


def _allergy(f: dict[str, Any], title: str, day: str, note: str | None, prov: Provenance) -> Item:
    """An allergy or intolerance."""
    return Allergy(
        title=title,
        date=day,
        reaction=f.get("reaction"),
        severity=f.get("severity"),
        category=f.get("category"),
        status="active",
        note=note,
        provenance=prov,
    )


def _immunization(f: dict[str, Any], title: str, day: str, note: str | None, prov: Provenance) -> Item:
    """A vaccine given."""
    return Immunization(
        title=title,
        date=day,
        lot=f.get("lot"),
        performer=f.get("where"),
        status="completed",
        note=note,
        provenance=prov,
    )


def _procedure(f: dict[str, Any], title: str, day: str, note: str | None, prov: Provenance) -> Item:
    """A procedure done."""
    return Procedure(title=title, date=day, performer=f.get("where"), status="completed", note=note, provenance=prov)


def _note(f: dict[str, Any], title: str, day: str, note: str | None, prov: Provenance) -> Item:
    """A note: a plain-text document."""
    text = f.get("text") or note or ""
    return Document(
        title=title,
        date=day,
        doc_type="Note",
        mime="text/plain",
        text=text,
        content=text.encode("utf-8"),
        provenance=prov,
    )


_MEASURED: dict[str, Callable[[dict[str, Any], str, str | None, Provenance], Item]] = {
    "lab": _lab,
    "blood-pressure": _blood_pressure,
    "vital": _vital,
}
# kinds that need a name (anything else in MANUAL_KINDS is a note)
_NAMED: dict[str, Callable[[dict[str, Any], str, str, str | None, Provenance], Item]] = {
    "medication": _medication,
    "condition": _condition,
    "family-history": _family_history,
    "allergy": _allergy,
    "immunization": _immunization,
    "procedure": _procedure,
}


@dataclass
class ManualEntry:
    kind: str
    fields: dict[str, Any]


class EditingService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # ------------------------------------------------------------------ add by hand
    def build(self, kind: str, f: dict[str, Any]) -> Item:
        """Validate the fields of a manual entry and build the item (nothing written yet)."""
        if kind not in MANUAL_KINDS:
            raise InvalidInput(f"Unknown kind {kind!r}; you can add: {', '.join(MANUAL_KINDS)}.")
        day = check_date(f.get("date") or (date.today().isoformat() if kind in ("note",) else None))
        prov = Provenance(
            source_kind="manual", source_name="Entered by hand", entered_by=self.vault.user.name, raw_format="manual"
        )
        note = f.get("note")
        measured = _MEASURED.get(kind)
        if measured is not None:
            return measured(f, day, note, prov)
        title = (f.get("name") or f.get("title") or "").strip()
        if not title:
            raise InvalidInput(f"A {kind.replace('-', ' ')} needs a name.")
        return _NAMED.get(kind, _note)(f, title, day, note, prov)

    def add(self, person: str, kind: str, fields: dict[str, Any]) -> str:
        """Validate, write, and return the new item's id."""
        p = self.vault.person(person)
        require_manage(self.vault, p.id, "add records")
        item = self.build(kind, fields)
        item.provenance.source_id = f"manual:{uuid.uuid4().hex}"
        db = self.vault.person_db(p.id)
        before = edits_repo.max_rowid(db)
        ImportService(self.vault).write_parsed(
            ParsedFile("Entered by hand", "manual", items=[item]),
            ImportOptions(person=p.id),
            source_kind="manual",
            dedupe=False,
        )
        rowid = edits_repo.max_rowid(db)
        if rowid <= before:
            raise InvalidInput("Nothing was added.")
        edits_repo.set_entered_by(db, [rowid], self.vault.user.name)
        new_id = make_id(p.id, rowid)
        self.vault.audit("item.add", person_id=p.id, item_id=new_id, detail={"kind": kind})
        return new_id

    # ------------------------------------------------------------------ corrections
    def correct(self, item_id: str, changes: dict[str, Any], reason: str | None = None) -> None:
        pid, rowid = parse_id(item_id)
        require_manage(self.vault, pid, "correct records")
        bad = set(changes) - set(CORRECTABLE)
        if bad:
            raise InvalidInput(f"These cannot be corrected: {', '.join(sorted(bad))}.")
        if "date" in changes:
            check_date(changes["date"])
        db = self.vault.person_db(pid)
        row = store.get_row(db, rowid)
        if row is None:
            raise NotFound(f"No item {item_id}.")
        cols = {"title": row.title, "date": row.date, "status": row.status, "value": row.value_num, "unit": row.unit}
        original = {**row.data, **{k: v for k, v in cols.items() if v is not None}}
        data = dict(row.data)
        new_cols: dict[str, Any] = {}
        for k, v in changes.items():
            if k in ("value", "ref_low", "ref_high"):
                v = _num(v, k)
            if k == "value":
                new_cols["value_num"] = v
                data["value"] = v
            elif k in ("title", "date", "status", "unit"):
                new_cols[k] = v
                if k == "unit":
                    data["unit"] = v
            else:
                data[k] = v
        flags = row.flags | store.FLAG_CORRECTED
        if row.kind == "observation":
            # A corrected value re-judges the flag: the source's H/L was about the old value.
            value = new_cols.get("value_num", row.value_num)
            rejudge = bool({"value", "ref_low", "ref_high"} & set(changes)) and "interpretation" not in changes
            if rejudge:
                lo, hi = data.get("ref_low"), data.get("ref_high")
                judged = None
                if value is not None and (lo is not None or hi is not None):
                    judged = "L" if lo is not None and value < lo else "H" if hi is not None and value > hi else "N"
                if judged is None:
                    data.pop("interpretation", None)
                else:
                    data["interpretation"] = judged
            obs = Observation(
                value=value,
                ref_low=data.get("ref_low"),
                ref_high=data.get("ref_high"),
                interpretation=data.get("interpretation"),
            )
            flags = flags | store.FLAG_ABNORMAL if obs.is_abnormal() else flags & ~store.FLAG_ABNORMAL
        edits_repo.correct(
            db,
            rowid,
            created=now_iso(),
            user_name=self.vault.user.name,
            reason=reason,
            original=original,
            changes=changes,
            columns=new_cols,
            data=data,
            flags=flags,
        )
        self.vault.audit("item.correct", person_id=pid, item_id=item_id, detail={"fields": sorted(changes)})

    def corrections(self, item_id: str) -> list[Correction]:
        """An item's corrections, oldest first."""
        pid, rowid = parse_id(item_id)
        return edits_repo.corrections(self.vault.person_db(pid), rowid)

    def original_of(self, item_id: str) -> dict[str, Any] | None:
        """The item's fields as the source gave them, before the first correction (None when never corrected):
        field name -> value, as stored (a record's fields differ by kind)."""
        c = self.corrections(item_id)
        return c[0].original if c else None

    # ------------------------------------------------------------------ trash
    def delete(self, item_id: str) -> None:
        pid, rowid = parse_id(item_id)
        require_manage(self.vault, pid, "delete records")
        if not edits_repo.to_trash(self.vault.person_db(pid), rowid, now_iso()):
            raise NotFound(f"No item {item_id}.")
        self.vault.audit("item.delete", person_id=pid, item_id=item_id)

    def trash(self, person: str | None = None) -> list[TrashEntry]:
        """Deleted items, undone imports and moves (one line each), and removed people, newest first."""
        from .people import UNIT_KEY, PeopleService, TrashEntry

        people_svc = PeopleService(self.vault)
        out = people_svc.units(person)
        only = self.vault.person(person).id if person is not None else None
        for r in people_svc.removed():  # a merged person shows under the person they went into too
            if only is None or r.merged_into == only:
                born = f", born {r.birth_date}" if r.birth_date else ""
                title = f"{r.name}{born}" + (f" (merged into {r.merged_into_name})" if r.merged_into_name else "")
                out.append(TrashEntry(r.id, r.name, "person", title, "", r.removed_at, r.items))
        for p in RecordService(self.vault).people(person):
            for row, deleted_at in edits_repo.trashed(self.vault.person_db(p.id), UNIT_KEY):
                out.append(TrashEntry(make_id(p.id, row.rowid), p.name, row.kind, row.title, row.date, deleted_at, 1))
        out.sort(key=lambda r: r.deleted_at, reverse=True)
        return out

    def restore(self, item_id: str) -> None:
        """Restore an item, an undone import or move (``p….uN``), or a removed person (``p…``)."""
        if "." not in item_id or item_id.partition(".")[2].startswith("u"):
            from .people import PeopleService

            PeopleService(self.vault).restore(item_id)
            return
        pid, rowid = parse_id(item_id)
        require_manage(self.vault, pid, "restore records")
        db = self.vault.person_db(pid)
        row = store.get_row(db, rowid, include_deleted=True)
        if row is None:
            raise NotFound(f"No item {item_id} in the Trash (it may have been emptied).")
        item = store.row_to_item(db, row, with_raw=False)
        edits_repo.from_trash(db, rowid, row.title, store.search_text(item))
        self.vault.audit("item.restore", person_id=pid, item_id=item_id)

    def empty_trash(self, person: str | None = None) -> int:
        """Delete trashed items for good (their tombstones stay, so re-imports still skip them), and the
        people in the Trash with everything of theirs (only when emptying everyone's Trash)."""
        from .people import PeopleService

        people_svc = PeopleService(self.vault)
        n = 0
        only = self.vault.person(person).id if person is not None else None
        for r in people_svc.removed():  # a merged person shows under the person they went into too
            if only is None or r.merged_into == only:
                n += 1
                people_svc.purge_person(r.id)
        for p in RecordService(self.vault).people(person):
            require_manage(self.vault, p.id, "empty the Trash")
            gone = edits_repo.empty_trash(self.vault.person_db(p.id), self.vault.blob_store(p.id).delete)
            n += gone
            people_svc.purge_units(p.id)
            self.vault.audit("trash.empty", person_id=p.id, detail={"items": gone})
        return n
