"""Putting mistakes right: edit, merge and remove people; undo an import; move records to another person.

Every change here can be taken back from the Trash until the Trash is emptied:

- An *undone import* or a *move* trashes its items as one unit: they keep their rows (``deleted_at`` set
  to the unit's own timestamp) and the unit is described in the person's database (``meta`` key
  ``trash.unit:N``), so the Trash shows one line, not 30,000.  Their source ids and fingerprints are
  set aside (prefixed with ``~``) so that importing the same file again brings the records back as new;
  restoring the unit puts them back, except where the same record was imported again meanwhile.
- A *move* re-writes the records into the destination person's database (their originals re-encrypted
  under that person's key), folding duplicates by the same identity the importer uses (source id, then
  content fingerprint), and records the copy as an import of kind ``move`` there.  Restoring the unit
  takes that copy out again.
- A *merge* of B into A is a move of everything B holds, then B's removal.
- A *removed person* stays whole (database, originals, keys) and is only hidden; restoring shows them
  again.  Emptying the Trash deletes their database, originals and keys for good.

Nothing here imports Qt; the GUI and the CLI call these functions.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import InvalidInput, NotFound
from ..model.records import Person
from ..vault.repos import imports as imports_repo
from ..vault.repos import items as items_repo
from ..vault.repos import people as people_repo
from ..vault.repos import settings as settings_repo
from ..vault.repos import transfer as transfer_repo
from ..vault.repos import trash as trash_repo
from ..vault.repos.imports import StoredImport
from ..vault.repos.trash import UNIT_KEY as UNIT_KEY  # re-exported: editing.trash() leaves units' items out
from ..vault.repos.trash import TrashUnit
from ..vault.vault import Vault, _check_date, now_iso
from .permissions import require_manage
from .records import parse_id

PERSON_KEY = "trash.person:"  # household settings: one removed person
ProgressFn = Callable[[int, int, str], None]
SEXES = ("female", "male", "other", "unknown")


@dataclass
class TrashEntry:
    """One line of the Trash: an item, an undone import or move (``p….uN``), or a removed person (``p…``)."""

    id: str  # what restore() takes
    person: str  # the person's name
    kind: str  # an item kind, or import | move | person
    title: str
    date: str  # the item's date ("" for people)
    deleted_at: str
    items: int  # how many items come back with it

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class RemovedPerson:
    """A person in the Trash and what the removal recorded."""

    id: str
    name: str
    birth_date: str | None
    removed_at: str
    items: int
    merged_into: str | None = None  # a merge: the person id and name their records went into
    merged_into_name: str | None = None


def _stamp() -> str:
    """A unit's deletion time; microseconds keep two units of the same second apart."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


@dataclass
class MoveResult:
    moved: int = 0  # items written into the destination
    folded: int = 0  # duplicates of what the destination already held
    skipped_deleted: int = 0  # the destination's user had deleted these
    unit_id: str | None = None  # the Trash entry that takes it back
    by_kind: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        s = f"{plural(self.moved, 'item')} moved"
        if self.folded:
            s += f", {plural(self.folded, 'duplicate')} folded into what was there"
        if self.skipped_deleted:
            s += f", {self.skipped_deleted:,} left out (deleted there before)"
        return s


@dataclass
class MergePreview:
    into: Person
    other: Person
    by_kind: Counter[str]
    duplicates: int
    imports: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


class PeopleService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # ------------------------------------------------------------------ people
    def person(self, ref: str) -> Person:
        return self.vault.person(ref)

    def edit(self, ref: str, name: str | None = None, birth_date: str | None = None, sex: str | None = None) -> Person:
        """Change a person's name, date of birth ("" clears it) or sex."""
        p = self.vault.person(ref)
        self.vault.require_owner("edit people")
        changes: dict[str, Any] = {}
        if name is not None:
            if not name.strip():
                raise InvalidInput("A person needs a name.")
            changes["name"] = name.strip()
        if birth_date is not None:
            if birth_date.strip():
                _check_date(birth_date.strip(), "date of birth")
            changes["birth_date"] = birth_date.strip() or None
        if sex is not None:
            s = sex.strip().casefold() or None
            if s is not None and s not in SEXES:
                raise InvalidInput(f"Sex {sex!r}: say one of {', '.join(SEXES)}.")
            changes["sex"] = s
        if not changes:
            raise InvalidInput("Nothing to change: give a new name, date of birth or sex.")
        before = {"name": p.name, "birth_date": p.birth_date, "sex": p.sex}
        fields = sorted(changes)
        if "name" in changes:  # the name is in the owner-signed roster too: both change together
            self.vault.set_person_name(p.id, changes.pop("name"))
        if changes:
            people_repo.update(self.vault.household, p.id, changes)
        self.vault.audit(
            "person.edit", person_id=p.id, detail={"fields": fields, "before": {k: before[k] for k in fields}}
        )
        return self.vault.person(p.id)

    def removed(self) -> list[RemovedPerson]:
        """People in the Trash (visible to this user): who, and what the removal recorded."""
        out = []
        names = people_repo.names_and_births(self.vault.household)
        for key, value in settings_repo.with_prefix(self.vault.household, PERSON_KEY):
            pid = key[len(PERSON_KEY) :]
            if pid in names and self.vault.can_see(pid):
                info = json.loads(value)
                out.append(
                    RemovedPerson(
                        pid,
                        names[pid][0],
                        names[pid][1],
                        info["removed_at"],
                        int(info.get("items", 0)),
                        info.get("merged_into"),
                        info.get("merged_into_name"),
                    )
                )
        return out

    def remove(self, ref: str, _merged_into: dict[str, Any] | None = None) -> str:
        """Move a person and everything of theirs to the Trash; returns the Trash id (the person id)."""
        p = self.vault.person(ref)
        self.vault.require_owner("remove people")
        n = len(items_repo.live_rowids(self.vault.person_db(p.id)))
        info = {"removed_at": now_iso(), "items": n, **(_merged_into or {})}  # a merge says how many it took
        settings_repo.put(self.vault.household, PERSON_KEY + p.id, json.dumps(info))
        self.vault.audit("person.remove", person_id=p.id, detail={"items": n, **(_merged_into or {})})
        return p.id

    def restore_person(self, pid: str) -> Person:
        stored = settings_repo.get(self.vault.household, PERSON_KEY + pid)
        if stored is None or not self.vault.can_see(pid):
            raise NotFound(f"No removed person {pid} in the Trash (it may have been emptied).")
        self.vault.require_owner("restore people")
        info = json.loads(stored)
        settings_repo.delete(self.vault.household, PERSON_KEY + pid)
        if info.get("merged_into"):  # a merge: B's records come back out of A as well
            self._restore_unit(pid, int(info["unit"]), audit=False)
            people_repo.hand_back(
                self.vault.household, info["merged_into"], pid, info.get("identifiers", []), info.get("portals", [])
            )
        self.vault.audit("person.restore", person_id=pid, detail={"merge": bool(info.get("merged_into"))})
        return self.vault.person(pid)

    def purge_person(self, pid: str) -> None:
        """Delete a removed person for good: database, originals, keys and household rows."""
        self.vault.require_owner("empty the Trash")
        if settings_repo.get(self.vault.household, PERSON_KEY + pid) is None:
            raise NotFound(f"{pid} is not in the Trash.")
        self.vault.forget_person_db(pid)
        people_repo.purge(self.vault.household, pid, PERSON_KEY + pid)
        roster = self.vault.roster_copy()  # the signed roster forgets the person and every grant of them
        if pid in roster.persons:
            roster.persons.remove(pid)
        roster.person_names.pop(pid, None)
        for u in roster.users.values():
            u.grants.pop(pid, None)
        self.vault.commit_roster(roster)
        header = self.vault.header
        if pid in header.persons:
            header.persons.remove(pid)
        for entry in header.users:
            entry.keys.pop(f"person:{pid}", None)
        header.write(self.vault.path)
        self.vault._keys.pop(f"person:{pid}", None)  # noqa: SLF001 - the vault has no public "drop key"
        for suffix in ("", "-wal", "-shm", "-journal"):
            (self.vault.path / "persons" / f"{pid}.db{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.vault.path / "blobs" / pid, ignore_errors=True)
        # in the household's chain: the person's own chain went with their database
        self.vault.audit("person.purge", detail={"person": pid})

    # ------------------------------------------------------------------ merge
    def merge_preview(self, into: str, other: str) -> MergePreview:
        a, b = self.vault.person(into), self.vault.person(other)
        if a.id == b.id:
            raise InvalidInput(f"{a.name} cannot be merged into themselves.")
        src = self.vault.person_db(b.id)
        by_kind: Counter[str] = Counter(items_repo.live_counts_by_kind(src))
        held = set(items_repo.live_fingerprints(self.vault.person_db(a.id)))
        dup = sum(1 for fp in items_repo.live_fingerprints(src) if fp in held)
        imports = sum(1 for r in imports_repo.history(src) if r.status == "ok")
        return MergePreview(a, b, by_kind, dup, imports)

    def merge(self, into: str, other: str, progress: ProgressFn | None = None) -> MoveResult:
        """All of ``other``'s records into ``into``; ``other`` goes to the Trash (restoring undoes all)."""
        a, b = self.vault.person(into), self.vault.person(other)
        if a.id == b.id:
            raise InvalidInput(f"{a.name} cannot be merged into themselves.")
        self.vault.require_owner("merge people")
        rowids = items_repo.live_rowids(self.vault.person_db(b.id))
        result = self._transfer(b.id, rowids, a.id, f"Merged from {b.name}", "merge", progress)
        # B's identifiers (record numbers, portal patient refs) now lead to A; B's portal accounts too.
        ids = people_repo.identifiers_not_shared(self.vault.household, b.id, a.id)
        portals = people_repo.household_portal_ids(self.vault.household, b.id)
        people_repo.hand_over(self.vault.household, b.id, a.id, ids)
        unit = int((result.unit_id or "x.u0").rsplit(".u", 1)[1])
        self.remove(
            b.id,
            {
                "merged_into": a.id,
                "merged_into_name": a.name,
                "unit": unit,
                "items": len(rowids),
                "identifiers": [list(x) for x in ids],
                "portals": portals,
            },
        )
        self.vault.audit(
            "person.merge", person_id=a.id, detail={"from": b.id, "moved": result.moved, "folded": result.folded}
        )
        result.unit_id = b.id  # restoring the removed person restores the merge
        return result

    # ------------------------------------------------------------------ imports
    def _import_row(self, pid: str, import_id: int) -> StoredImport:
        row = imports_repo.get(self.vault.person_db(pid), import_id)
        if row is None:
            raise NotFound(f"No import {make_import_id(pid, import_id)}.")
        return row

    def undo_import(self, public_id: str, progress: ProgressFn | None = None) -> str:
        """Take an import back whole: its items go to the Trash as one unit. Returns the unit's id."""
        pid, import_id = parse_import_id(public_id)
        require_manage(self.vault, pid, "undo imports")
        row = self._import_row(pid, import_id)
        if row.status != "ok":
            raise InvalidInput(f"Import {public_id} is {row.status}; only a finished import can be undone.")
        db = self.vault.person_db(pid)
        if progress:
            progress(0, 1, f"Taking back {row.source_name}")
        if row.source_kind == "move":  # undoing a move (or merge) copy is restoring the unit it came from
            src = self._unit_for_copy(pid, import_id)
            if src is not None:
                self.restore(src)
                return src
        rowids = items_repo.live_rowids_of_import(db, import_id)
        n = len(rowids)
        unit = self._trash_unit(
            pid,
            rowids,
            TrashUnit(
                0, "import", f"Import undone: {row.source_name}", _stamp(), 0, date=row.started, import_id=import_id
            ),
            import_status="undone",
        )
        if progress:
            progress(1, 1, "Done")
        self.vault.audit("import.undo", person_id=pid, detail={"import_id": import_id, "items": n, "unit": unit})
        return unit

    def move_import(self, public_id: str, dest: str, progress: ProgressFn | None = None) -> MoveResult:
        pid, import_id = parse_import_id(public_id)
        row = self._import_row(pid, import_id)
        if row.status != "ok":
            raise InvalidInput(f"Import {public_id} is {row.status}; only a finished import can be moved.")
        d = self.vault.person(dest)
        rowids = items_repo.live_rowids_of_import(self.vault.person_db(pid), import_id)
        res = self._transfer(
            pid,
            rowids,
            d.id,
            f"{row.source_name} (moved from {self.vault.person(pid).name})",
            "move",
            progress,
            import_id=import_id,
        )
        self.vault.audit(
            "import.move",
            person_id=pid,
            detail={"import_id": import_id, "to": d.id, "moved": res.moved, "folded": res.folded},
        )
        return res

    def move_items(self, item_ids: Sequence[str], dest: str, progress: ProgressFn | None = None) -> MoveResult:
        """Move chosen items (of one person) to another person.  An encounter brings what is linked to it."""
        if not item_ids:
            raise InvalidInput("Choose the items to move.")
        pids = {parse_id(i)[0] for i in item_ids}
        if len(pids) != 1:
            raise InvalidInput("Move the items of one person at a time.")
        pid = pids.pop()
        d = self.vault.person(dest)
        db = self.vault.person_db(pid)
        wanted = {parse_id(i)[1] for i in item_ids}
        kinds = items_repo.live_kinds(db)
        missing = [i for i in item_ids if parse_id(i)[1] not in kinds]
        if missing:
            raise NotFound(f"No item {missing[0]} (it may have been deleted).")
        enc = [r for r in wanted if kinds[r] in ("encounter", "diagnostic_report")]
        for e in enc:  # what hangs on a visit or a report goes with it
            wanted |= set(items_repo.live_attached_to(db, e))
        label = f"{plural(len(wanted), 'item')} moved from {self.vault.person(pid).name}"
        res = self._transfer(pid, sorted(wanted), d.id, label, "move", progress)
        self.vault.audit(
            "items.move",
            person_id=pid,
            detail={"items": len(wanted), "to": d.id, "moved": res.moved, "folded": res.folded},
        )
        return res

    # ------------------------------------------------------------------ the Trash's units
    def units(self, person: str | None = None) -> list[TrashEntry]:
        """Undone imports and moves in the Trash (one entry each); a merge's is shown as the removed person."""
        people = [self.vault.person(person)] if person else self.vault.persons()
        out = []
        for p in people:
            for u in trash_repo.units(self.vault.person_db(p.id)):
                if u.hidden:  # a merge's unit: the removed person stands for it
                    continue
                out.append(TrashEntry(f"{p.id}.u{u.num}", p.name, u.kind, u.label, u.date or "", u.deleted_at, u.count))
        return out

    def restore(self, unit_or_person: str) -> None:
        """Restore a Trash unit (``p….uN``) or a removed person (``p…``)."""
        if "." not in unit_or_person:
            self.restore_person(unit_or_person)
            return
        pid, _, rest = unit_or_person.partition(".")
        if not rest.startswith("u") or not rest[1:].isdigit():
            raise InvalidInput(f"{unit_or_person!r} is not a Trash entry.")
        self._restore_unit(pid, int(rest[1:]))

    def _unit_for_copy(self, dst_pid: str, dst_import: int) -> str | None:
        for p in self.vault.persons():
            for u in trash_repo.units(self.vault.person_db(p.id)):
                if u.to == dst_pid and u.dst_import == dst_import:
                    if u.hidden:
                        return p.id  # a merge: restoring the removed person takes it back
                    return f"{p.id}.u{u.num}"
        return None

    def _trash_unit(self, pid: str, rowids: Sequence[int], unit: TrashUnit, import_status: str | None = None) -> str:
        stored = trash_repo.trash_items(self.vault.person_db(pid), rowids, unit, import_status)
        return f"{pid}.u{stored.num}"

    def _unit(self, pid: str, num: int) -> TrashUnit:
        u = trash_repo.unit(self.vault.person_db(pid), num)
        if u is None:
            raise NotFound(f"No {pid}.u{num} in the Trash (it may have been emptied).")
        return u

    def _restore_unit(self, pid: str, num: int, audit: bool = True) -> int:
        require_manage(self.vault, pid, "restore records")
        u = self._unit(pid, num)
        if u.to and u.dst_import is not None and self.vault.can_see(u.to):
            self._remove_copy(u.to, int(u.dst_import))
        # The same records imported again since: the newer copies stay, these go.
        trash_repo.restore(self.vault.person_db(pid), u)
        if audit:
            self.vault.audit(
                "trash.restore", person_id=pid, detail={"unit": f"{pid}.u{num}", "kind": u.kind, "items": u.count}
            )
        return u.count

    def _remove_copy(self, pid: str, import_id: int) -> None:
        """Take out what a move wrote into ``pid`` (its own import of kind ``move``)."""
        blobs = self.vault.blob_store(pid)
        gone_blobs = trash_repo.remove_import(self.vault.person_db(pid), import_id)
        for b in gone_blobs:  # after the commit that forgets them
            blobs.delete(b)

    def purge_units(self, pid: str) -> int:
        """Empty the Trash's units of one person (their items are deleted by the caller's empty)."""
        removed = settings_repo.get(self.vault.household, PERSON_KEY + pid) is not None
        # a merge's unit goes with the removed person
        return trash_repo.forget_units(self.vault.person_db(pid), keep_hidden=removed)

    # ------------------------------------------------------------------ the move itself
    def _transfer(
        self,
        src_pid: str,
        rowids: Sequence[int],
        dst_pid: str,
        label: str,
        kind: str,
        progress: ProgressFn | None = None,
        import_id: int | None = None,
    ) -> MoveResult:
        if src_pid == dst_pid:
            raise InvalidInput("These records already belong to that person.")
        require_manage(self.vault, src_pid, "move records")
        require_manage(self.vault, dst_pid, "receive records")
        what_moves = f"Moving {plural(len(set(rowids)), 'item')}"

        def step(n: int, total: int) -> None:
            if progress:
                progress(n, total, what_moves)

        copied = transfer_repo.copy_items(
            self.vault.person_db(src_pid),
            self.vault.person_db(dst_pid),
            self.vault.blob_store(src_pid),
            self.vault.blob_store(dst_pid),
            rowids,
            label=label,
            user_id=self.vault.user.id,
            clock=now_iso,
            progress=step,
        )
        result = MoveResult(copied.moved, copied.folded, copied.skipped_deleted, None, copied.by_kind)
        # The source's part: one unit in its Trash, which restores by taking the copy out again.
        dest_name = self.vault.person(dst_pid).name
        what = "Merged into" if kind == "merge" else "Moved to"
        unit = TrashUnit(
            0,
            "move",
            f"{what} {dest_name}: {label}",
            _stamp(),
            0,
            date=copied.started,
            import_id=import_id,
            to=dst_pid,
            dst_import=copied.dst_import,
            hidden=kind == "merge",
        )
        result.unit_id = self._trash_unit(
            src_pid, copied.source_rowids, unit, import_status="moved" if import_id is not None else None
        )
        if progress:
            total = len(copied.source_rowids)
            progress(total, total, "Done")
        return result


def make_import_id(pid: str, import_id: int) -> str:
    return f"{pid}.i{import_id}"


def parse_import_id(public_id: str) -> tuple[str, int]:
    pid, _, rest = public_id.strip().partition(".")
    if not pid or not rest.startswith("i") or not rest[1:].isdigit():
        raise InvalidInput(f"{public_id!r} is not an import id (they look like p1a2b3c4d5.i3; see medrecords imports).")
    return pid, int(rest[1:])
