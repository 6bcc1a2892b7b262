"""Browsing use cases: timeline, encounters, one item, search and counts, across the people a user may see.

Public item ids are ``<person id>.<row id>``.  Results from several people's databases are merged here;
every query underneath is an index range with a LIMIT, so cost does not grow with depth.
"""

from __future__ import annotations

import heapq
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, NotFound
from ..model.records import KINDS, Document, Item, Person
from ..vault import store
from ..vault.repos import items as items_repo
from ..vault.store import Row
from ..vault.vault import Vault

MAX_ROWID = 2**62


def make_id(person_id: str, rowid: int) -> str:
    return f"{person_id}.{rowid}"


def parse_id(item_id: str) -> tuple[str, int]:
    pid, _, rid = item_id.partition(".")
    if not pid or not rid.isdigit():
        raise InvalidInput(f"{item_id!r} is not an item id (they look like p1a2b3c4d5.42).")
    return pid, int(rid)


@dataclass
class Entry:
    """A row with the person it belongs to: what timeline, search and encounter lists hold."""

    person_id: str
    row: Row
    snippet: str | None = None

    @property
    def id(self) -> str:
        return make_id(self.person_id, self.row.rowid)

    @property
    def encounter_id(self) -> str | None:
        return make_id(self.person_id, self.row.encounter_id) if self.row.encounter_id else None

    def to_json(self) -> dict[str, Any]:
        r = self.row
        out: dict[str, Any] = {
            "id": self.id,
            "person_id": self.person_id,
            "kind": r.kind,
            "date": r.date or None,
            "title": r.title,
            "summary": r.summary(),
            "encounter_id": self.encounter_id,
            "source": r.source_name,
            "abnormal": r.abnormal,
            "corrected": r.corrected,
        }
        if r.kind == "observation":
            out.update(value=r.value_num, value_text=r.data.get("value_text"), unit=r.unit, code=r.code)
        if self.snippet is not None:
            out["snippet"] = self.snippet
        return out


@dataclass
class Cursor:
    date: str
    person_id: str
    rowid: int


@dataclass
class EncounterDetail:
    encounter: Entry
    items: list[Entry] = field(default_factory=list)
    report_results: dict[str, list[Entry]] = field(default_factory=dict)


class RecordService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # ------------------------------------------------------------------ people
    def people(self, ref: str | None = None) -> list[Person]:
        if ref is None:
            return self.vault.persons()
        return [self.vault.person(ref)]

    # ------------------------------------------------------------------ timeline
    def timeline(
        self,
        person: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        kinds: list[str] | None = None,
        limit: int = 50,
        after: Cursor | None = None,
    ) -> list[Entry]:
        """A page of items, newest first; pass the last entry's cursor to get the next page."""
        for k in kinds or []:
            if k not in KINDS:
                raise InvalidInput(f"Unknown kind {k!r}; kinds are: {', '.join(KINDS)}.")
        streams = []
        for p in self.people(person):
            db = self.vault.person_db(p.id)
            key: tuple[str, int] | None = None
            if after is not None:
                if p.id == after.person_id:
                    key = (after.date, after.rowid)
                elif p.id < after.person_id:
                    key = (after.date, MAX_ROWID)
                else:
                    key = (after.date, 0)
            rows = store.timeline_page(db, kinds, date_from, date_to, key, limit)
            streams.append([((r.date, p.id, r.rowid), Entry(p.id, r)) for r in rows])
        merged = heapq.merge(*streams, key=lambda t: t[0], reverse=True)
        return [e for _, e in list(merged)[:limit]]

    def count(
        self,
        person: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        kinds: list[str] | None = None,
        before: Cursor | None = None,
    ) -> int:
        """How many items a timeline with these filters holds (after ``before``, when given)."""
        total = 0
        for p in self.people(person):
            key: tuple[str, int] | None = None
            if before is not None:
                rowid = MAX_ROWID if p.id < before.person_id else 0
                key = (before.date, before.rowid if p.id == before.person_id else rowid)
            total += items_repo.count_items(self.vault.person_db(p.id), kinds, date_from, date_to, key)
        return total

    @staticmethod
    def cursor_of(entry: Entry) -> Cursor:
        return Cursor(entry.row.date, entry.person_id, entry.row.rowid)

    # ------------------------------------------------------------------ encounters
    def encounters(
        self,
        person: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        provider: str | None = None,
        limit: int = 200,
        after: Cursor | None = None,
    ) -> list[tuple[Entry, int]]:
        """Visits, newest first, each with the number of items linked to it."""
        out: list[tuple[Entry, int]] = []
        cursor = after
        while len(out) < limit:
            page = self.timeline(person, date_from, date_to, ["encounter"], limit=max(limit, 50), after=cursor)
            if not page:
                break
            for e in page:
                if provider and provider.casefold() not in (e.row.data.get("provider") or "").casefold():
                    continue
                out.append((e, 0))
            cursor = self.cursor_of(page[-1])
        out = out[:limit]
        by_person: dict[str, list[int]] = {}
        for e, _ in out:
            by_person.setdefault(e.person_id, []).append(e.row.rowid)
        counts: dict[tuple[str, int], int] = {}
        for pid, rowids in by_person.items():
            for rid, n in store.count_linked(self.vault.person_db(pid), rowids).items():
                counts[(pid, rid)] = n
        return [(e, counts.get((e.person_id, e.row.rowid), 0)) for e, _ in out]

    def encounter_detail(self, encounter_id: str) -> EncounterDetail:
        pid, rowid = parse_id(encounter_id)
        db = self.vault.person_db(pid)
        row = store.get_row(db, rowid)
        if row is None or row.kind != "encounter":
            raise NotFound(f"No encounter {encounter_id}.")
        detail = EncounterDetail(Entry(pid, row), [Entry(pid, r) for r in store.linked_items(db, rowid)])
        for e in detail.items:
            if e.row.kind == "diagnostic_report":
                detail.report_results[e.id] = [Entry(pid, r) for r in store.report_results(db, e.row.rowid)]
        return detail

    # ------------------------------------------------------------------ items
    def entry(self, item_id: str) -> Entry:
        pid, rowid = parse_id(item_id)
        row = store.get_row(self.vault.person_db(pid), rowid)
        if row is None:
            raise NotFound(f"No item {item_id} (it may have been deleted).")
        return Entry(pid, row)

    def item(self, item_id: str, with_raw: bool = True) -> Item:
        """One record, audited as viewed."""
        item = self.read_item(item_id, with_raw)
        self.note_viewed(item_id)
        return item

    def read_item(self, item_id: str, with_raw: bool = True) -> Item:
        """One record, not audited: for a face that writes the view entry itself off its GUI thread
        (:meth:`note_viewed`), so that showing a record never waits on a write in progress."""
        pid, rowid = parse_id(item_id)
        db = self.vault.person_db(pid)
        row = store.get_row(db, rowid)
        if row is None:
            raise NotFound(f"No item {item_id} (it may have been deleted).")
        item = store.row_to_item(db, row, with_raw)
        item.id, item.person_id = item_id, pid
        item.encounter_id = make_id(pid, row.encounter_id) if row.encounter_id else None
        return item

    def note_viewed(self, item_id: str) -> None:
        """Audit that the signed-in user opened a record."""
        pid, _ = parse_id(item_id)
        self.vault.audit("item.view", person_id=pid, item_id=item_id)

    def report_results(self, report_id: str) -> list[Entry]:
        """The results of a report (lab panel), in the order the source gave them."""
        pid, rowid = parse_id(report_id)
        return [Entry(pid, r) for r in store.report_results(self.vault.person_db(pid), rowid)]

    def original(self, item_id: str) -> tuple[Document, bytes]:
        """A document and its original bytes (checked against the stored hash)."""
        item = self.item(item_id, with_raw=False)
        if not isinstance(item, Document):
            raise InvalidInput(f"{item_id} is a {item.kind}, not a document: it has no original file.")
        data = self.document_bytes(parse_id(item_id)[0], item)
        if data is None:
            raise NotFound(f"Document {item_id} has no original file, only its text.")
        return item, data

    def document_bytes(self, person_id: str, doc: Document) -> bytes | None:
        """The original bytes of a document already opened (checked against its stored hash), or None
        when only its text was kept. No audit entry: opening the item wrote it."""
        return self.vault.blob_store(person_id).get(doc.blob_id, doc.sha256) if doc.blob_id else None

    def save_original(self, item_id: str, out: str | os.PathLike[str]) -> int:
        """Write a document's original out, unencrypted (the GUI's "Save a copy"); audited alike."""
        _item, data = self.original(item_id)
        from ..exporters._atomic import write_atomically

        path = Path(out)
        if path.exists():
            raise InvalidInput(f"{path} exists already; choose another name.")
        if not path.parent.is_dir():
            raise InvalidInput(f"There is no folder {path.parent}.")

        def write(fh: Any) -> None:
            fh.write(data)

        write_atomically(path, write)
        self.note_saved_copy(item_id)
        return len(data)

    def note_saved_copy(self, item_id: str) -> None:
        """Audit that a document's original was written out unencrypted (by whoever wrote the file)."""
        pid, _ = parse_id(item_id)
        self.vault.audit("item.save_copy", person_id=pid, item_id=item_id)

    # ------------------------------------------------------------------ search and stats
    def search(self, text: str, person: str | None = None, limit: int = 20) -> list[Entry]:
        hits: list[tuple[float, Entry]] = []
        for p in self.people(person):
            for rank, row, snip in store.search(self.vault.person_db(p.id), text, limit):
                hits.append((rank, Entry(p.id, row, snip)))
        hits.sort(key=lambda t: t[0])  # bm25: lower is better
        return [e for _, e in hits[:limit]]

    def stats(self) -> dict[str, dict[str, int]]:
        return {p.name: store.counts_by_kind(self.vault.person_db(p.id)) for p in self.people()}

    def lab_series(self, person: str, code: str | None = None, title: str | None = None) -> list[Entry]:
        """Numeric results of one test for a person, oldest first (for trend charts)."""
        p = self.vault.person(person)
        return [Entry(p.id, r) for r in items_repo.lab_series(self.vault.person_db(p.id), code, title)]

    def lab_index(self, person: str | None = None) -> list[tuple[str, str | None, str | None, str | None, int]]:
        """(title, code, unit, category, count) of numeric results: what the Labs list groups into tests."""
        agg: dict[tuple[str, str | None, str | None, str | None], int] = {}
        for p in self.people(person):
            for g in items_repo.lab_groups(self.vault.person_db(p.id)):
                key = (g.title, g.code, g.unit, g.category)
                agg[key] = agg.get(key, 0) + g.count
        return [(t, c, u, cat, n) for (t, c, u, cat), n in agg.items()]

    def lab_tests(self, person: str | None = None) -> list[tuple[str, str | None, int]]:
        """(title, code, count) of tests with numeric results, most frequent first."""
        agg: dict[tuple[str, str | None], int] = {}
        for p in self.people(person):
            for title, code, n in items_repo.lab_test_counts(self.vault.person_db(p.id)):
                agg[(title, code)] = agg.get((title, code), 0) + n
        return sorted(((t, c, n) for (t, c), n in agg.items()), key=lambda x: (-x[2], x[0]))
