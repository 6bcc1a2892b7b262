"""Exports: the appointment packet, the encrypted FHIR archive and the labs CSV, chosen from the vault.

Only owners and "manage" proxies may export; every export is audited with what was included and the
destination's file name (never its contents).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..exporters import packet_i18n
from ..exporters.packet import PacketData, PacketResult, build_packet
from ..model.records import (
    KINDS,
    Allergy,
    Appointment,
    CarePlan,
    Condition,
    Document,
    Encounter,
    Goal,
    Immunization,
    Item,
    Medication,
    Observation,
    Person,
    Procedure,
)
from ..progress import Progress
from ..vault import store
from ..vault.repos import items as items_repo
from ..vault.vault import Vault
from .permissions import require_manage
from .records import make_id, parse_id

ProgressFn = Progress  # the core's one progress shape: (done, total, what)
INCLUDABLE = (
    "medication",
    "allergy",
    "condition",
    "immunization",
    "observation",
    "encounter",
    "procedure",
    "document",
    "care_plan",
)  # care_plan: care plans, goals and upcoming appointments
PACKET_MIMES = ("application/pdf", "image/png", "image/jpeg", "image/tiff")


@dataclass
class PacketChoice:
    person: str
    date_from: str | None = None
    date_to: str | None = None
    encounters: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)  # kinds; empty = all
    prepared_for: str = ""
    documents: list[str] | None = None  # explicit document ids; None = those in range / of the visits
    lang: str = "en"  # the language the packet is printed in: "en" or "es" (exporters/packet_i18n.py)


class ExportService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def _items(
        self,
        pid: str,
        kinds: list[str],
        date_from: str | None = None,
        date_to: str | None = None,
        encounter_rows: set[int] | None = None,
    ) -> list[Item]:
        db = self.vault.person_db(pid)
        rows = items_repo.rows_of_kinds(db, kinds, date_from, date_to)
        if encounter_rows is not None:
            rows = [r for r in rows if r.encounter_id in encounter_rows or r.rowid in encounter_rows]
        out = []
        for r in rows:
            item = store.row_to_item(db, r)
            item.id, item.person_id = make_id(pid, r.rowid), pid
            item.encounter_id = make_id(pid, r.encounter_id) if r.encounter_id else None
            out.append(item)
        return out

    def packet_data(self, choice: PacketChoice) -> PacketData:
        person = self.vault.person(choice.person)
        pid = person.id
        include = choice.include or list(INCLUDABLE)
        for k in include:
            if k not in INCLUDABLE:
                raise InvalidInput(f"--include {k}: choose from {', '.join(INCLUDABLE)}.")
        enc_rows: set[int] | None = None
        if choice.encounters:
            enc_rows = set()
            for eid in choice.encounters:
                epid, rowid = parse_id(eid)
                if epid != pid:
                    raise InvalidInput(f"Encounter {eid} belongs to someone else.")
                enc_rows.add(rowid)

        def want(kind: str) -> bool:
            return kind in include

        data = PacketData(
            person=person,
            prepared_for=choice.prepared_for,
            prepared_on=date.today(),
            lang=packet_i18n.check(choice.lang),
        )
        # Lists that describe the person now come whole; dated records follow the chosen range/visits.
        for kind, target in (
            ("medication", data.medications),
            ("allergy", data.allergies),
            ("condition", data.conditions),
            ("immunization", data.immunizations),
        ):
            if want(kind):
                target.extend(self._items(pid, [kind]))  # type: ignore[arg-type]
        if want("immunization"):
            data.due, data.due_notice = _due_at_visit(self.vault, pid, data.prepared_on)
        if want("care_plan"):  # what the doctor should know is planned: whole, not by date range
            data.care_plans = [i for i in self._items(pid, ["care_plan"]) if isinstance(i, CarePlan)]
            data.goals = [i for i in self._items(pid, ["goal"]) if isinstance(i, Goal)]
            data.appointments = [i for i in self._items(pid, ["appointment"]) if isinstance(i, Appointment)]
        rng = (choice.date_from, choice.date_to)
        if want("observation"):
            data.observations = [
                o
                for o in self._items(pid, ["observation"], *rng, encounter_rows=enc_rows)
                if isinstance(o, Observation)
            ]
        if want("encounter"):
            data.encounters = [
                e for e in self._items(pid, ["encounter"], *rng, encounter_rows=enc_rows) if isinstance(e, Encounter)
            ]
        if want("procedure"):
            data.procedures = [
                p for p in self._items(pid, ["procedure"], *rng, encounter_rows=enc_rows) if isinstance(p, Procedure)
            ]
        if want("document"):
            if choice.documents is not None:
                docs = [self._document(d) for d in choice.documents]
            else:
                docs = [
                    d for d in self._items(pid, ["document"], *rng, encounter_rows=enc_rows) if isinstance(d, Document)
                ]
            store_ = self.vault.blob_store(pid)
            for d in docs:
                if d.blob_id and d.sha256:
                    data.documents.append((d, store_.get(d.blob_id, d.sha256)))
        return data

    def _document(self, item_id: str) -> Document:
        pid, rowid = parse_id(item_id)
        db = self.vault.person_db(pid)
        row = store.get_row(db, rowid)
        if row is None or row.kind != "document":
            raise InvalidInput(f"{item_id} is not a document.")
        d = store.row_to_item(db, row)
        d.id, d.person_id = item_id, pid
        assert isinstance(d, Document)
        return d

    def packet(
        self,
        choice: PacketChoice,
        out: Path | str,
        password: str,
        progress: ProgressFn | None = None,
        cancel: Any = None,
    ) -> PacketResult:
        person = self.vault.person(choice.person)
        require_manage(self.vault, person.id, "export their records")
        data = self.packet_data(choice)
        result = build_packet(data, Path(out), password, progress=progress, cancel=cancel)
        self.vault.audit(
            "export.packet",
            person_id=person.id,
            detail={
                "file": Path(out).name,
                "prepared_for": choice.prepared_for,
                "pages": result.page_count,
                "documents": sum(1 for d in result.documents if d.included),
                "from": choice.date_from,
                "to": choice.date_to,
                "encounters": choice.encounters,
                "include": choice.include or "all",
            },
        )
        return result

    def bundle_archive(self, person_ref: str, out: Path | str, password: str) -> int:
        """Everything for one person: a FHIR bundle plus the originals, in an AES-256 7z with hidden names."""
        from ..exporters.archive import safe_member_name, write_encrypted_archive
        from ..exporters.fhir_bundle import to_fhir_bundle

        person = self.vault.person(person_ref)
        require_manage(self.vault, person.id, "export their records")
        items = self._items(person.id, list(KINDS))
        bundle = to_fhir_bundle(person, items, as_ips=False)
        files = {"bundle.fhir.json": json.dumps(bundle, ensure_ascii=False, indent=1).encode("utf-8")}
        blobs = self.vault.blob_store(person.id)
        for it in items:
            if isinstance(it, Document) and it.blob_id and it.sha256:
                ext = Path(it.filename or "").suffix or _ext(it.mime)
                name = safe_member_name(document_member_name(it, ext, files))
                files[name] = blobs.get(it.blob_id, it.sha256)
        write_encrypted_archive(files, Path(out), password)
        self.vault.audit(
            "export.bundle",
            person_id=person.id,
            detail={"file": Path(out).name, "items": len(items), "documents": len(files) - 1},
        )
        return len(items)

    def labs_csv(self, person_ref: str, out: Path | str) -> int:
        from ..exporters._atomic import write_atomically
        from ..exporters.labs_csv import labs_to_csv

        person = self.vault.person(person_ref)
        require_manage(self.vault, person.id, "export their records")
        obs = [o for o in self._items(person.id, ["observation"]) if isinstance(o, Observation)]
        text = labs_to_csv(obs)
        write_atomically(Path(out), lambda f: f.write(text.encode("utf-8")))
        self.vault.audit("export.labs_csv", person_id=person.id, detail={"file": Path(out).name, "rows": len(obs)})
        return len(obs)


def _due_at_visit(vault: Vault, pid: str, on: date) -> tuple[list[dict[str, Any]], str]:
    """The packet's "Due at this visit" rows: overdue, due now and due soon, from the forecast."""
    from .immunizations import ImmunizationService

    view = ImmunizationService(vault).for_person(pid, on)
    if view.missing_birth_date:
        return [], "No birth date in the record: what is due cannot be worked out. " + view.notice
    rows = []
    for g in view.due_soon():
        valid = sum(1 for d in g.doses if d["status"] == "Valid")
        rows.append(
            {
                "group": g.group,
                "state": g.state,
                "dose": f"dose {valid + 1}",
                "recommended": g.recommended,
                "past_due": g.past_due,
                "vaccines": g.vaccines[:2],
            }
        )
    return rows, view.notice + f" As of {on.isoformat()}, from the immunizations in this record."


def document_member_name(doc: Document, ext: str, taken: dict[str, bytes] | set[str]) -> str:
    """``documents/2026-04-12 Lab report.pdf``: the date and title a person knows it by (the archive's
    names are encrypted with it); ``(2)``, ``(3)`` tell apart two of the same day and title."""
    title = "".join(ch if ch.isprintable() and ch not in '/\\:*?"<>|' else " " for ch in (doc.title or ""))
    title = " ".join(title.split())[:80].rstrip(" .") or (doc.doc_type or "Document")
    day = (doc.date or "")[:10]
    base = f"documents/{day + ' ' if day else ''}{title}"
    name, n = f"{base}{ext}", 2
    while name in taken:
        name, n = f"{base} ({n}){ext}", n + 1
    return name


def _ext(mime: str | None) -> str:
    return {
        "application/pdf": ".pdf",
        "image/png": ".png",
        "image/jpeg": ".jpg",
        "image/tiff": ".tif",
        "text/plain": ".txt",
        "text/xml": ".xml",
        "application/xml": ".xml",
    }.get(mime or "", ".bin")


__all__ = ["ExportService", "PacketChoice", "Person", "Allergy", "Condition", "Immunization", "Medication"]
