"""Timeline keyset paging, encounters, search and de-duplication through the real import path."""

from __future__ import annotations

import random

import pytest
from factories import one_of_each, prov, write_items

from medrecords_desktop.errors import InvalidInput
from medrecords_desktop.model.records import Document, Encounter, Observation
from medrecords_desktop.services.records import RecordService


def _obs(i: int, day: str, sid: str | None = None) -> Observation:
    return Observation(
        title=f"Test {i % 7}",
        date=day,
        code=f"{1000 + i % 7}-1",
        value=float(i),
        unit="mg/dL",
        category="laboratory",
        provenance=prov(sid or f"Observation/{i}"),
    )


def test_timeline_pages_merge_people_in_order_with_no_gaps_or_repeats(vault) -> None:
    rng = random.Random(7)
    people = [p.id for p in vault.persons()]
    expected = []
    for pid in people:
        items = []
        for i in range(180):
            day = f"20{rng.randint(10, 26):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if i % 5 == 0:
                day += "T10:30"
            items.append(_obs(i, day, f"Observation/{pid}-{i}"))
        write_items(vault, pid, items)
    svc = RecordService(vault)
    full = svc.timeline(limit=10_000)
    assert len(full) == 360
    keys = [(e.row.date, e.person_id, e.row.rowid) for e in full]
    assert keys == sorted(keys, reverse=True)
    expected = [e.id for e in full]
    got, cursor = [], None
    while True:
        page = svc.timeline(limit=23, after=cursor)
        if not page:
            break
        got += [e.id for e in page]
        cursor = svc.cursor_of(page[-1])
    assert got == expected


def test_timeline_filters_by_person_kind_and_date(vault) -> None:
    alice, bobby = vault.persons()
    write_items(vault, alice.id, one_of_each("a1", "2026-04-12") + one_of_each("a2", "2025-01-03"))
    write_items(vault, bobby.id, one_of_each("b1", "2026-04-12"))
    svc = RecordService(vault)
    day = svc.timeline(date_from="2026-04-12", date_to="2026-04-12", limit=100)
    assert {e.person_id for e in day} == {alice.id, bobby.id} and len(day) == 18
    docs = svc.timeline(person="Alice Example", kinds=["document"])
    assert [e.row.title for e in docs] == ["Letter a1", "Letter a2"]
    assert (
        svc.timeline(person="alice example", date_to="2025-12-31", kinds=["observation"])[0].row.title == "Glucose a2"
    )
    with pytest.raises(InvalidInput):
        svc.timeline(kinds=["bogus"])


def test_encounter_lists_everything_linked_to_the_visit(vault) -> None:
    alice = vault.persons()[0]
    write_items(vault, alice.id, one_of_each("v1"))
    svc = RecordService(vault)
    ((enc, n),) = svc.encounters(person="Alice Example")
    assert enc.row.data["provider"] == "Clinic v1" and n == 3
    detail = svc.encounter_detail(enc.id)
    assert sorted(e.row.kind for e in detail.items) == ["diagnostic_report", "document", "observation"]
    doc = next(e for e in detail.items if e.row.kind == "document")
    item = svc.item(doc.id)
    assert isinstance(item, Document)
    assert vault.blob_store(alice.id).get(item.blob_id, item.sha256) == b"Original letter v1"
    assert svc.encounters(date_from="2026-05-01") == []


def test_search_finds_document_text_with_a_snippet(vault) -> None:
    alice = vault.persons()[0]
    items = one_of_each("s1")
    doc = next(i for i in items if isinstance(i, Document))
    doc.text = "The echocardiogram showed a normal ejection fraction."
    write_items(vault, alice.id, items)
    hits = RecordService(vault).search("ejection")
    assert len(hits) == 1 and "[ejection]" in hits[0].snippet
    assert RecordService(vault).search('"; DROP TABLE items; --') == []


def test_reimport_adds_nothing_and_fingerprints_catch_other_exports(vault) -> None:
    alice = vault.persons()[0]
    out1 = write_items(vault, alice.id, one_of_each("d1"))
    assert sum(out1.added.values()) == 9
    out2 = write_items(vault, alice.id, one_of_each("d1"))
    assert sum(out2.added.values()) == 0 and out2.duplicates == 9
    # the same result from another export: other identifiers, same code/time/value
    again = _obs(3, "2026-01-01T08:00", "Observation/x1")
    other = _obs(3, "2026-01-01T08:00", "urn:oid:1.2.3^other-id")
    assert sum(write_items(vault, alice.id, [again]).added.values()) == 1
    out = write_items(vault, alice.id, [other])
    assert out.duplicates == 1 and not out.added


def test_stats_counts_per_kind(vault) -> None:
    alice = vault.persons()[0]
    write_items(
        vault, alice.id, one_of_each("c1") + [Encounter(title="Extra", date="2020-01-01", provenance=prov("E/2"))]
    )
    stats = RecordService(vault).stats()
    assert stats["Alice Example"]["encounter"] == 2
    made = {i.kind for i in one_of_each("x")}
    assert all(stats["Alice Example"][k] == (k in made) for k in stats["Alice Example"] if k != "encounter")
    assert sum(stats["Bobby Example"].values()) == 0


def test_correcting_a_value_keeps_the_original_and_re_judges_the_flag(vault) -> None:
    from medrecords_desktop.services.editing import EditingService

    alice = vault.persons()[0]
    low = Observation(
        title="Glucose",
        date="2026-03-01T08:00",
        code="2345-7",
        value=54,
        unit="mg/dL",
        ref_low=70,
        ref_high=99,
        interpretation="L",
        provenance=prov("Observation/g54"),
    )
    write_items(vault, alice.id, [low])
    svc = RecordService(vault)
    (e,) = svc.timeline(kinds=["observation"])
    assert e.row.abnormal
    EditingService(vault).correct(e.id, {"value": "94"}, reason="lab typo")
    (e,) = svc.timeline(kinds=["observation"])
    assert e.row.value_num == 94 and e.row.corrected and not e.row.abnormal
    assert e.row.data["interpretation"] == "N"
    assert EditingService(vault).original_of(e.id)["value"] == 54
