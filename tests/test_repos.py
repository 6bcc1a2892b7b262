"""The repositories under vault/repos/ on a real SQLCipher vault: what services rely on beyond the service
tests - the guards on which columns a service may set, and a Trash unit's stored form."""

from __future__ import annotations

import json

import pytest

from medrecords_desktop.model.records import Person
from medrecords_desktop.vault.repos import people as people_repo
from medrecords_desktop.vault.repos import portals as portals_repo
from medrecords_desktop.vault.repos import trash as trash_repo
from medrecords_desktop.vault.repos.trash import TrashUnit
from tests.factories import one_of_each, write_items


def test_portal_update_sets_only_known_columns_never_whose_it_is(vault) -> None:
    p = vault.person("Alice")
    db = vault.person_db(p.id)
    portals_repo.insert(
        db,
        id=7,
        name="Clinic",
        brand=None,
        website="https://clinic.example",
        fhir_base=None,
        client_id=None,
        person_id=p.id,
        username=None,
        notes=None,
        status="new",
        created="2026",
    )
    portals_repo.update(db, 7, status="connected", last_sync="2026-05-01")
    (row,) = portals_repo.all_in(db)
    assert (row.id, row.person_id, row.status, row.last_sync) == (7, p.id, "connected", "2026-05-01")
    for bad in ({"person_id": "p0"}, {"id": 8}, {"status = 'x', person_id": "p0"}):
        with pytest.raises(ValueError, match="not portal columns"):
            portals_repo.update(db, 7, **bad)
    assert portals_repo.all_in(db) == [row]  # nothing changed


def test_person_update_leaves_the_name_to_the_signed_roster(vault) -> None:
    p = vault.person("Bobby")
    people_repo.update(vault.household, p.id, {"sex": "other", "birth_date": None})
    got = vault.person(p.id)
    assert isinstance(got, Person) and isinstance(got.id, str) and (got.sex, got.birth_date) == ("other", None)
    with pytest.raises(ValueError, match="not person columns"):
        people_repo.update(vault.household, p.id, {"name": "Someone Else"})
    assert vault.person(p.id).name == "Bobby Example"


def test_a_trash_unit_keeps_zero_counts_and_round_trips(vault) -> None:
    """A unit of no items (everything had been deleted) still reads back: count 0 is stored, not dropped."""
    db = vault.person_db(vault.person("Alice").id)
    empty = trash_repo.trash_items(
        db,
        [],
        TrashUnit(
            0, "move", "Moved to Bobby", "2026-01-01T00:00:00.000001Z", 0, date="2026-01-01", to="pX", dst_import=3
        ),
    )
    assert empty.count == 0 and empty.num == 1
    assert trash_repo.unit(db, 1) == empty
    assert json.loads(empty.to_value()) == {
        "kind": "move",
        "label": "Moved to Bobby",
        "deleted_at": "2026-01-01T00:00:00.000001Z",
        "count": 0,
        "date": "2026-01-01",
        "to": "pX",
        "dst_import": 3,
    }


def test_a_trash_unit_takes_its_items_away_and_back(vault) -> None:
    write_items(vault, "Alice Example", one_of_each("al"))
    db = vault.person_db(vault.person("Alice").id)
    live = [int(r[0]) for r in db.query("SELECT id FROM items WHERE deleted_at IS NULL ORDER BY id")]
    unit = trash_repo.trash_items(db, live[:2], TrashUnit(0, "import", "Import undone", "2026-02-02T00:00:00Z", 0))
    assert unit.count == 2
    assert [int(r[0]) for r in db.query("SELECT id FROM items WHERE deleted_at IS NULL ORDER BY id")] == live[2:]
    trash_repo.restore(db, unit)
    assert [int(r[0]) for r in db.query("SELECT id FROM items WHERE deleted_at IS NULL ORDER BY id")] == live
    assert trash_repo.units(db) == []
