"""Importing files: detect, parse, match the patient to a person, de-duplicate, write, report.

One file = one transaction per person it touches (nearly always one).  Should a later person's write
fail for a multi-patient file, the earlier people's part of that import is removed again, so a failed
file leaves the vault as it was.  Parsing happens completely before anything is written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Cancelled, ImportRejected, InvalidInput, MedRecordsError
from ..importers.base import MAX_FILE_BYTES, ParsedFile, PatientInfo, gc_paused
from ..importers.options import ImportOptions as ImportOptions  # re-exported: callers import them from here
from ..model.records import Document, Item, Person
from ..progress import CancelToken  # the core's one token (kept importable from here)
from ..vault import store
from ..vault.blobs import INLINE_MAX
from ..vault.repos import imports as imports_repo
from ..vault.repos import people as people_repo
from ..vault.vault import Vault, now_iso
from .linking import link_same_day
from .patient_match import (
    birth_agrees,
    disagreement,
    example_identifier,
    names_overlap,
    patient_in_text,
    patient_label,
    same_person,
)
from .patient_match import match_reason as match_reason  # re-exported: the GUI's chooser asks it why
from .patient_match import rank_candidates as rank_candidates
from .permissions import require_manage

SHARED = "\x00shared"  # pseudo person: resources that belong to nobody's record
SHARED_TYPES = frozenset(
    {"Organization", "Practitioner", "PractitionerRole", "Location", "Endpoint", "HealthcareService"}
)
RecordsProgress = Callable[[int], None]  # records written so far (of the file, or of one part of it)


@dataclass(frozen=True)
class ImportProgress:
    """Where an import is: which file of how many, and within a large file how many records are in."""

    files_done: int
    files_total: int
    file: str  # the current file's name; "" once every file is done
    records_done: int = 0
    records_total: int = 0  # 0 while the file is being read

    def fraction(self) -> float:
        part = self.records_done / self.records_total if self.records_total else 0.0
        return min(1.0, (self.files_done + part) / self.files_total) if self.files_total else 1.0

    def label(self) -> str:
        if not self.file:
            return "Finishing…"
        what = f"{self.records_done:,} of {self.records_total:,} records" if self.records_total else "reading"
        of = f" (file {self.files_done + 1} of {self.files_total})" if self.files_total > 1 else ""
        return f"{self.file}: {what}{of}"


ProgressFn = Callable[[ImportProgress], None]
ChoosePerson = Callable[[PatientInfo, list[Person], str], "str | None"]  # -> person id, "create", or None


class SkipFile(MedRecordsError):
    """Nobody was chosen for a file's patient (the chooser may raise it with its own reason): the file is
    skipped whole, and the report says why."""


@dataclass
class FileOutcome:
    file: str
    format: str | None = None
    status: str = "ok"  # ok | failed | cancelled
    added: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    updated: int = 0
    skipped_deleted: int = 0
    kept: int = 0
    people: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    patients_found: list[str] = field(default_factory=list)  # "Martha DeLarosa, born 1972-05-01"
    linked_same_day: int = 0  # results, reports, documents linked to the visit of their day

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "status": self.status,
            "added": dict(self.added),
            "duplicates": self.duplicates,
            "updated": self.updated,
            "skipped_deleted": self.skipped_deleted,
            "kept_not_shown": self.kept,
            "people": self.people,
            "patients_found": self.patients_found,
            "linked_same_day": self.linked_same_day,
            "warnings": self.warnings,
            "error": self.error,
        }


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def added(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.added)
        return total

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [f.to_json() for f in self.files],
            "added": dict(self.added),
            "duplicates": self.duplicates,
            "failed": len(self.failed),
        }


def collect_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files to import, folders walked; patient files first so later files can refer to them."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                if "vault.json" in files and "household.db" in files:
                    dirs[:] = []  # a vault (perhaps this one): never import encrypted files as records
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
        elif p.exists():
            out.append(p)
        else:
            raise InvalidInput(f"{p}: no such file or folder.")
    return sorted(out, key=lambda f: (not f.name.lower().startswith("patient"), str(f)))


@dataclass
class ImportRecord:
    """One line of the Import history: a file or sync written into a person's records."""

    person: str  # the person's name
    person_id: str
    public_id: str  # ``<person id>.i<n>``: what undo and move take
    id: int
    started: str
    source_kind: str  # file | portal | manual | packet | demo | move
    source_name: str | None
    format: str | None
    counts: str | None  # JSON: items added per kind
    status: str  # running | ok | failed | undone | moved | rolled back

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class ImportService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # ------------------------------------------------------------------ entry points
    def import_paths(
        self,
        paths: Iterable[Path | str],
        options: ImportOptions | None = None,
        choose_person: ChoosePerson | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        opts = options or ImportOptions()
        files = collect_files(paths)
        report = ImportReport()
        for n, f in enumerate(files):
            if cancel is not None and cancel.is_set():
                report.files.append(FileOutcome(str(f), status="cancelled"))
                break
            records: Callable[[int, int], None] | None = None
            if progress:
                progress(ImportProgress(n, len(files), f.name))

                def records(done: int, total: int, n: int = n, name: str = f.name) -> None:
                    progress(ImportProgress(n, len(files), name, done, total))

            report.files.append(self._import_file(f, opts, choose_person, cancel, records))
        if progress:
            progress(ImportProgress(len(files), len(files), ""))
        return report

    def _import_file(
        self,
        path: Path,
        opts: ImportOptions,
        choose: ChoosePerson | None,
        cancel: CancelToken | None,
        records: Callable[[int, int], None] | None = None,
    ) -> FileOutcome:
        outcome = FileOutcome(str(path))
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ImportRejected(
                    path.name, None, f"the file is {size // 2**20} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB"
                )
            from ..importers.registry import parse_bytes

            with gc_paused():  # the parse and the rows make no cycles; 30k records would be walked again and again
                data = path.read_bytes()
                file_sha = hashlib.sha256(data).hexdigest()
                parsed_files = parse_bytes(data, path.name, opts)
                del data  # only the parsed records are needed now: the file's size less at the write's peak
                return self._write_files(parsed_files, opts, choose, cancel, outcome, file_sha, records)
        except SkipFile as e:
            outcome.status, outcome.error = "skipped", str(e)
        except Cancelled:
            outcome.status = "cancelled"
        except MedRecordsError as e:
            outcome.status, outcome.error = "failed", str(e)
        except OSError as e:
            outcome.status, outcome.error = "failed", f"{path.name}: cannot read ({e.strerror})"
        return outcome

    def import_bytes(
        self,
        data: bytes,
        name: str,
        opts: ImportOptions | None = None,
        choose: ChoosePerson | None = None,
        cancel: CancelToken | None = None,
        outcome: FileOutcome | None = None,
    ) -> FileOutcome:
        from ..importers.registry import parse_bytes

        opts = opts or ImportOptions()
        outcome = outcome or FileOutcome(name)
        file_sha = hashlib.sha256(data).hexdigest()
        return self._write_files(parse_bytes(data, name, opts), opts, choose, cancel, outcome, file_sha)

    def _write_files(
        self,
        parsed_files: list[ParsedFile],
        opts: ImportOptions,
        choose: ChoosePerson | None,
        cancel: CancelToken | None,
        outcome: FileOutcome,
        file_sha: str,
        records: Callable[[int, int], None] | None = None,
    ) -> FileOutcome:
        """Write every part of one file; ``records(done, total)`` follows the records of all of them."""
        outcome.format = parsed_files[0].format if parsed_files else None
        total = sum(len(p.items) for p in parsed_files)
        written = 0
        for parsed in parsed_files:
            step = None
            if records is not None:
                records(written, total)
                step = _offset(lambda done: records(done, total), written)
            self.write_parsed(parsed, opts, choose, cancel, outcome, file_sha=file_sha, records=step)
            written += len(parsed.items)
        failures = [f for p in parsed_files for f in p.failures]
        if failures:
            # What could be read is in; what could not is a failure of this file, not a note.
            outcome.status = "failed"
            n = len(failures)
            outcome.error = (
                f"{n} document{'s' if n != 1 else ''} in it could not be read: "
                + "; ".join(failures[:5])
                + (f"; and {n - 5} more" if n > 5 else "")
            )
        return outcome

    # ------------------------------------------------------------------ writing
    def write_parsed(
        self,
        parsed: ParsedFile,
        opts: ImportOptions | None = None,
        choose: ChoosePerson | None = None,
        cancel: CancelToken | None = None,
        outcome: FileOutcome | None = None,
        file_sha: str | None = None,
        source_kind: str = "file",
        dedupe: bool = True,
        records: RecordsProgress | None = None,
    ) -> FileOutcome:
        """Match, de-duplicate and write one parsed file (also the portal sync's way in).

        ``dedupe=False`` (entries typed by hand) skips the content fingerprint check: two equal home
        readings on one day are the user's to keep.  ``records(done)`` follows the records of ``parsed``
        as they are written (duplicates count as done: they need no writing).
        """
        opts = opts or ImportOptions()
        outcome = outcome or FileOutcome(parsed.source_name, parsed.format)
        outcome.warnings.extend(parsed.warnings)
        damaged = [d for d in parsed.items if isinstance(d, Document) and "image-damaged" in d.flags]
        if damaged and not opts.force:
            raise ImportRejected(
                parsed.source_name,
                None,
                "the image is damaged or cut off (its pixels stop early); nothing imported. "
                "Import it again with --force to keep what can be seen",
            )
        self._check_person(parsed, opts, outcome)
        groups = self._group_by_person(parsed, opts, choose)
        done: list[tuple[str, int]] = []
        if SHARED in groups:
            outcome.kept += self._write_shared(groups.pop(SHARED)[1])
        base = 0
        try:
            for person_id, (items, kept) in groups.items():
                step = _offset(records, base) if records is not None else None
                import_id = self._write_person(
                    person_id, parsed, items, kept, opts, cancel, outcome, file_sha, source_kind, dedupe, step
                )
                done.append((person_id, import_id))
                base += len(items)
        except BaseException:
            for person_id, import_id in done:  # compensate: this file's earlier parts go too
                self._remove_import(person_id, import_id)
            raise
        for person_id, import_id in done:
            person = self.vault.person(person_id)
            if person.name not in outcome.people:
                outcome.people.append(person.name)
            self.vault.audit(
                "import",
                person_id=person_id,
                detail={"file": parsed.source_name, "format": parsed.format, "import_id": import_id},
            )
        return outcome

    def _check_person(self, parsed: ParsedFile, opts: ImportOptions, outcome: FileOutcome) -> None:
        """Name the patient the file is about in the report, and when a person was chosen for it
        (--person, the person picked for a scan) whose name or date of birth disagrees: refuse, ask
        or, with force, go on and say so."""
        found = list(parsed.patients) or [p for p in (patient_in_text(parsed),) if p is not None]
        for patient in found:
            label = patient_label(patient)
            if label and label not in outcome.patients_found:
                outcome.patients_found.append(label)
        if not opts.person:
            return
        person = self.vault.person(opts.person)
        for patient in found:
            why = disagreement(person, patient)
            if why is None:
                continue
            label = patient_label(patient) or "another patient"
            born = f" (born {person.birth_date})" if person.birth_date else ""
            if opts.force:
                outcome.warnings.append(
                    f"the file is about {label}, not {person.name}{born} ({why}); imported into {person.name} "
                    "as asked (--force)"
                )
            elif opts.confirm_person is not None and opts.confirm_person(patient, person, parsed.source_name):
                outcome.warnings.append(
                    f"the file is about {label} ({why}); imported into {person.name} as you confirmed"
                )
            else:
                raise ImportRejected(
                    parsed.source_name,
                    None,
                    f"the file is about {label}, not {person.name}{born} ({why}); nothing imported. "
                    f"If it belongs to {person.name}, import it again with --force",
                )

    def _group_by_person(
        self, parsed: ParsedFile, opts: ImportOptions, choose: ChoosePerson | None
    ) -> dict[str, tuple[list[Item], list[Any]]]:
        forced = self.vault.person(opts.person).id if opts.person else None
        ref_map: dict[str | None, str] = {}
        for patient in parsed.patients:
            ref_map[patient.ref] = forced or self._match_patient(parsed.source_name, patient, opts, choose)
        default: str | None = forced
        if default is None and len(set(ref_map.values())) == 1:
            default = next(iter(ref_map.values()))
        groups: dict[str, tuple[list[Item], list[Any]]] = {}

        def person_for(ref: str | None, what: str) -> str:
            if forced:
                return forced
            if ref in ref_map:
                return ref_map[ref]
            if ref:
                known = self._person_by_source_ref(ref)
                if known:
                    ref_map[ref] = known
                    return known
            if default:
                return default
            raise ImportRejected(
                parsed.source_name, what, "it does not say whose record this is; choose the person (--person NAME)"
            )

        for item in parsed.items:
            pid = person_for(item.patient_ref, f"{item.kind} {item.provenance.source_id or item.title!r}")
            groups.setdefault(pid, ([], []))[0].append(item)
        for res in parsed.kept:
            try:
                pid = person_for(res.patient_ref, f"{res.resource_type} {res.source_id}")
            except ImportRejected:
                if res.resource_type not in SHARED_TYPES and not groups:
                    raise
                # Organisations, practitioners, locations: nobody's record; the household directory keeps them.
                pid = next(iter(groups)) if groups else SHARED
            groups.setdefault(pid, ([], []))[1].append(res)
        for pid in groups:
            if pid != SHARED:
                self._require_manage(pid)
        return groups

    def _write_shared(self, kept: list[Any]) -> int:
        if not self.vault.is_owner():
            from ..errors import AccessDenied

            raise AccessDenied("Only the owner can import a directory of providers.")
        now = now_iso()
        with self.vault.household.transaction() as conn:
            return sum(store.insert_kept(conn, r, None, now, table="shared_resources") for r in kept)

    def _require_manage(self, person_id: str) -> None:
        require_manage(self.vault, person_id, "import into their records")

    def _person_by_source_ref(self, ref: str) -> str | None:
        found = people_repo.people_with_identifier(self.vault.household, "source-ref", ref)
        return found[0] if found and self.vault.can_see(found[0]) else None

    def _match_patient(self, file: str, patient: PatientInfo, opts: ImportOptions, choose: ChoosePerson | None) -> str:
        people = self.vault.persons()
        by_ref = self._person_by_source_ref(patient.ref) if patient.ref.startswith("Patient/") else None
        if by_ref:
            return by_ref
        by_id = {p.id: p for p in people}
        for system, value in patient.identifiers:
            if example_identifier(system):
                continue  # HL7's example OID: sample files reuse it for different people
            # An identifier alone never merges two people (test and sample files reuse record numbers):
            # the date of birth must agree and the names must share a word.
            hits = [
                by_id[pid]
                for pid in people_repo.people_with_identifier(self.vault.household, system, value)
                if pid in by_id and birth_agrees(by_id[pid], patient) and names_overlap(by_id[pid], patient)
            ]
            if len(hits) == 1:
                return hits[0].id
        candidates = [p for p in people if same_person(p, patient)]
        if len(candidates) == 1:
            pid = candidates[0].id
            self._remember_identifiers(pid, patient)
            return pid
        label = patient.name or " ".join(x for x in (patient.given, patient.family) if x) or "an unnamed patient"
        born = f", born {patient.birth_date}" if patient.birth_date else ""
        ranked = rank_candidates(patient, people)
        if choose is not None:
            # Everyone, the likeliest first: the chooser may ask rank_candidates why.
            answer = choose(patient, [p for p, _, _ in ranked], file)
            if answer == "create":
                return self._create_from(patient)
            if answer:
                self._remember_identifiers(answer, patient)
                return answer
            raise SkipFile(
                f"skipped: no person chosen for {label}{born}; nothing of it was imported "
                "(import it again and choose, or pass --person NAME)"
            )
        if opts.create_persons:
            return self._create_from(patient)
        why = "several people in the vault match" if candidates else "no person in the vault matches"
        near = ""
        if ranked and ranked[0][1] > 0:
            near = f" (closest: {ranked[0][0].name}: {ranked[0][2]})"
        raise ImportRejected(file, None, f"{why} {label}{born}{near}; pass --person NAME or --create-persons")

    def _create_from(self, patient: PatientInfo) -> str:
        name = patient.name or " ".join(x for x in (patient.given, patient.family) if x) or "Unnamed patient"
        person = self.vault.add_person(name, patient.birth_date, patient.sex)
        self._remember_identifiers(person.id, patient)
        return person.id

    def _remember_identifiers(self, person_id: str, patient: PatientInfo) -> None:
        ids = list(patient.identifiers)
        if patient.ref.startswith(("Patient/", "urn:")):
            ids.append(("source-ref", patient.ref))
        people_repo.remember_identifiers(self.vault.household, person_id, ids)

    def _write_person(
        self,
        person_id: str,
        parsed: ParsedFile,
        items: list[Item],
        kept: list[Any],
        opts: ImportOptions,
        cancel: CancelToken | None,
        outcome: FileOutcome,
        file_sha: str | None,
        source_kind: str,
        dedupe: bool = True,
        records: RecordsProgress | None = None,
    ) -> int:
        n_items = len(items)
        db = self.vault.person_db(person_id)
        blobs = self.vault.blob_store(person_id)
        now = now_iso()
        for it in items:
            it.provenance.source_kind = (
                it.provenance.source_kind if it.provenance.source_kind != "file" else source_kind
            )
            it.provenance.source_name = it.provenance.source_name or parsed.source_name
        # Documents are told apart by content too: sample and vendor files reuse document ids.
        for it in items:
            if isinstance(it, Document) and it.content is not None:
                # the content hash is part of a document's fingerprint: compute it before de-duplicating
                it.sha256, it.size = hashlib.sha256(it.content).hexdigest(), len(it.content)
                if it.provenance.source_id and "#sha256:" not in it.provenance.source_id:
                    it.provenance.source_id += "#sha256:" + it.sha256[:16]
        # Our own exports (packet, bundle) carry each item's vault id: coming home, they are that item.
        own = _own_item_ids(items, person_id)
        if own:
            present = imports_repo.present_rowids(db, list(own.values()))
            back = [i for i in items if own.get(id(i)) in present]
            outcome.duplicates += len(back)
            items = [i for i in items if own.get(id(i)) not in present]
        fresh, updates, ref_rows = self._classify(db, items, source_kind, dedupe, outcome)
        # References to encounters and reports imported earlier (another file from the same source).
        wanted = {i.encounter_ref for i, _ in fresh if i.encounter_ref} | {
            getattr(i, "report_ref", None) for i, _ in fresh if getattr(i, "report_ref", None)
        }
        wanted -= set(ref_rows) | {i.provenance.source_id for i, _ in fresh}
        ref_rows.update(store.find_by_source(db, [w for w in wanted if w]))
        result_to_report: dict[str, str] = {}
        for i, _ in fresh:
            for r in getattr(i, "result_refs", []) or []:
                if i.provenance.source_id:
                    result_to_report.setdefault(r, i.provenance.source_id)
        forced_encounter: int | None = None
        if opts.encounter:
            from .records import parse_id

            epid, erow = parse_id(opts.encounter)
            if epid == person_id:
                forced_encounter = erow
        order = {"encounter": 0, "diagnostic_report": 1}
        fresh.sort(key=lambda t: order.get(t[0].kind, 2))
        new_blobs: list[str] = []
        try:
            # Small originals are rows of this transaction.  Large ones are encrypted files, written and
            # made durable before the transaction that names them; a rolled-back import deletes the files
            # it added.  Never on a second thread beside the inserts: see store.insert_items.
            docs = [i for i, _ in fresh if isinstance(i, Document) and i.content is not None]
            for d in docs:
                d.blob_id = blobs.name_for(d.sha256 or "")
            known = store.existing_blobs(db, [d.blob_id or "" for d in docs])
            to_write = {
                d.blob_id: d for d in docs if d.blob_id and d.blob_id not in known and (d.size or 0) > INLINE_MAX
            }
            new_blobs = list(to_write)
            self._write_blobs(blobs, list(to_write.values()), cancel)
            bulk = db.bulk_write() if len(fresh) > store.CHUNK else contextlib.nullcontext()
            with bulk, db.transaction() as conn:
                import_id = imports_repo.begin(
                    conn,
                    started=now,
                    source_kind=source_kind,
                    source_name=parsed.source_name,
                    format=parsed.format,
                    sha256=file_sha,
                    user_id=self.vault.user.id,
                )
                counts: Counter[str] = Counter()
                first_id = store.next_rowid(conn)
                for n, (item, _) in enumerate(fresh):  # ids first: items may point at visits and reports here
                    if item.provenance.source_id:
                        ref_rows[item.provenance.source_id] = first_id + n
                batch = []
                blob_rows: list[tuple[Any, ...]] = []
                for n, (item, fp) in enumerate(fresh):
                    if n % 5000 == 0 and cancel is not None and cancel.is_set():
                        raise Cancelled()
                    enc = ref_rows.get(item.encounter_ref or "") or forced_encounter
                    rep_ref = getattr(item, "report_ref", None) or result_to_report.get(item.provenance.source_id or "")
                    rep = ref_rows.get(rep_ref or "")
                    if isinstance(item, Document) and item.blob_id:
                        inline = item.content if (item.size or 0) <= INLINE_MAX else None
                        blob_rows.append((item.blob_id, item.sha256, item.size or 0, item.mime, now, inline))
                        if opts.title and len(fresh) == 1:
                            item.title = opts.title
                    batch.append((first_id + n, item, fp, enc, rep))
                    counts[item.kind] += 1
                imports_repo.add_blob_rows(conn, blob_rows)
                skipped = n_items - len(batch)  # duplicates, updates, our own items coming home: no insert

                def written(n: int) -> None:
                    if cancel is not None and cancel.is_set():
                        raise Cancelled()  # between chunks: the transaction rolls back, nothing stays
                    if records is not None:
                        records(skipped + n)

                store.insert_items(conn, batch, import_id, now, written)
                for rowid, item, fp in updates:
                    enc = ref_rows.get(item.encounter_ref or "")
                    store.update_item(conn, rowid, item, fp, import_id, now, enc)
                # Results, reports and documents the file did not link: the visit of their day.
                outcome.linked_same_day += link_same_day(conn)
                kept_n = sum(store.insert_kept(conn, r, import_id, now) for r in kept)
                imports_repo.finish(conn, import_id, now_iso(), store.dumps_counts(counts, kept_n))
        except BaseException:
            for name in new_blobs:
                if not imports_repo.blob_named(db, name):
                    blobs.delete(name)
            raise
        outcome.added.update(counts)
        outcome.updated += len(updates)
        outcome.kept += kept_n
        return import_id

    @staticmethod
    def _write_blobs(blobs: Any, docs: list[Document], cancel: CancelToken | None) -> None:
        for d in docs:  # large documents only, so few: each made durable on its own
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            name, sha, _size = blobs.put(d.content or b"")
            if name != d.blob_id or sha != d.sha256:
                raise RuntimeError("blob name or hash changed while writing")  # a bug, never user data

    @staticmethod
    def _classify(
        db: Any, items: list[Item], source_kind: str, dedupe: bool, outcome: FileOutcome
    ) -> tuple[list[tuple[Item, str]], list[tuple[int, Item, str]], dict[str, int]]:
        """Split a batch into new items, updates of changed records, and duplicates (counted).

        Identity is the source's identifier first, then the content fingerprint (same code, time,
        value).  Only a portal's server ids are trusted to mean "a newer version of the same record";
        in files, an id we already hold with other content is another record reusing it (common in
        vendor and sample files), so it is kept apart as ``id#fp:...`` - nothing lost, and re-imports
        stay idempotent because the suffix is derived from the content.
        """
        fps = [i.fingerprint() for i in items]
        # A person's first import (a new person, the common case for a big file) has nothing to look up.
        fresh_db = imports_repo.is_empty(db)
        held = {} if fresh_db else store.find_by_source_full(db, [i.provenance.source_id or "" for i in items])
        if source_kind != "portal":
            first: dict[str, str] = {}
            for it, fp in zip(items, fps, strict=True):
                sid = it.provenance.source_id
                if not sid:
                    continue
                in_db = held.get(sid)
                if first.setdefault(sid, fp) != fp or (in_db is not None and in_db[1] != fp):
                    it.provenance.source_id = f"{sid}#fp:{fp[:12]}"
            if not fresh_db:
                held.update(
                    store.find_by_source_full(
                        db, [i.provenance.source_id or "" for i in items if "#fp:" in (i.provenance.source_id or "")]
                    )
                )
        sids = [i.provenance.source_id for i in items if i.provenance.source_id]
        by_fp = store.find_by_fingerprint(db, fps) if dedupe and not fresh_db else {}
        dead_sids, dead_fps = (set(), set()) if fresh_db else store.tombstoned(db, sids, fps)
        fresh: list[tuple[Item, str]] = []
        updates: list[tuple[int, Item, str]] = []
        ref_rows: dict[str, int] = {}
        seen: set[str] = set()
        for item, fp in zip(items, fps, strict=True):
            sid = item.provenance.source_id
            if (sid and sid in dead_sids) or fp in dead_fps:
                outcome.skipped_deleted += 1  # the user deleted it: a re-import must not bring it back
            elif sid and sid in held:
                rowid, old_fp, flags = held[sid]
                ref_rows[sid] = rowid
                if old_fp != fp and sid not in seen and not flags & store.FLAG_CORRECTED:
                    updates.append((rowid, item, fp))  # a portal sent a newer version
                else:
                    outcome.duplicates += 1
                seen.add(sid)
            elif sid and sid in seen:
                outcome.duplicates += 1
            elif fp in by_fp:
                outcome.duplicates += 1
                if sid:
                    ref_rows[sid] = by_fp[fp]
            else:
                if sid:
                    seen.add(sid)
                fresh.append((item, fp))
        return fresh, updates, ref_rows

    def _remove_import(self, person_id: str, import_id: int) -> None:
        imports_repo.roll_back(self.vault.person_db(person_id), import_id)

    # ------------------------------------------------------------------ history
    def history(self, person: str | None = None) -> list[ImportRecord]:
        """The imports of one person or of everyone one may see, newest first."""
        out = []
        for p in [self.vault.person(person)] if person else self.vault.persons():
            for r in imports_repo.history(self.vault.person_db(p.id)):
                out.append(
                    ImportRecord(
                        p.name,
                        p.id,
                        f"{p.id}.i{r.id}",
                        r.id,
                        r.started,
                        r.source_kind,
                        r.source_name,
                        r.format,
                        r.counts,
                        r.status,
                    )
                )
        out.sort(key=lambda d: d.started, reverse=True)
        return out


def _offset(records: RecordsProgress, base: int) -> RecordsProgress:
    """Progress of one part (a person's records, one document of a zip) as progress of the whole."""
    return lambda done: records(base + done)


def _own_item_ids(items: list[Item], person_id: str) -> dict[int, int]:
    """id(item) -> row id, for items whose source names them as this person's item in this vault."""
    import json

    out: dict[int, int] = {}
    prefix = f"{person_id}."
    for it in items:
        raw = it.provenance.raw
        if not raw or "urn:medrecords:item" not in raw:
            continue
        try:
            ids = json.loads(raw).get("identifier") or []
        except (ValueError, AttributeError):
            continue
        for ident in ids:
            value = str(ident.get("value", "")) if isinstance(ident, dict) else ""
            if (
                ident.get("system") == "urn:medrecords:item"
                and value.startswith(prefix)
                and value[len(prefix) :].isdigit()
            ):
                out[id(it)] = int(value[len(prefix) :])
    return out
