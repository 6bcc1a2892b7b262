"""Putting mistakes right: edit, merge and remove people; undo an import; move records; all restorable."""

from __future__ import annotations

import json

import pytest

from medrecords_desktop.errors import InvalidInput, NotFound
from medrecords_desktop.services.editing import EditingService
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.people import PeopleService, make_import_id
from medrecords_desktop.services.records import RecordService
from tests.factories import one_of_each, scan_document, write_items
from tests.test_import_service import _observations_bundle


def _stats(vault) -> dict:
    return RecordService(vault).stats()


def _actions(vault) -> list[str]:
    return [e.action for e in vault.audit_entries(limit=100_000)]


def _last_import(vault, person: str) -> str:
    pid = vault.person(person).id
    n = vault.person_db(pid).one("SELECT max(id) FROM imports")[0]
    return make_import_id(pid, n)


def test_edit_a_person_and_it_is_audited(vault) -> None:
    svc = PeopleService(vault)
    p = svc.edit("Alice", name="Alice M Example", birth_date="1980-04-13", sex="female")
    assert (p.name, p.birth_date, p.sex) == ("Alice M Example", "1980-04-13", "female")
    assert vault.person("Alice M Example").birth_date == "1980-04-13"
    assert "person.edit" in _actions(vault)
    with pytest.raises(InvalidInput, match="not a date"):
        svc.edit("Alice", birth_date="13/04/1980")
    with pytest.raises(InvalidInput, match="needs a name"):
        svc.edit("Alice", name="  ")
    with pytest.raises(InvalidInput, match="Nothing to change"):
        svc.edit("Alice")
    assert svc.edit("Alice", birth_date="").birth_date is None


def test_person_arguments_take_a_prefix_and_ambiguous_ones_list_the_matches(vault) -> None:
    vault.add_person("Rosa Everyman", "1965-03-16")
    vault.add_person("Adam Everyman", "1962-01-01")
    assert vault.person("Ros").name == "Rosa Everyman"
    assert vault.person("rosa everyman").name == "Rosa Everyman"
    assert vault.person("Ad").name == "Adam Everyman"
    with pytest.raises(InvalidInput) as e:
        vault.person("Everyman")
    assert "could be 2 people" in str(e.value)
    assert "Rosa Everyman" in str(e.value) and "Adam Everyman" in str(e.value)
    with pytest.raises(NotFound, match="No person called 'Zed'"):
        vault.person("Zed")


def test_remove_a_person_to_the_trash_restore_then_empty(vault) -> None:
    write_items(vault, "Bobby Example", [*one_of_each("bob"), scan_document("bob")])
    before = _stats(vault)
    pid = vault.person("Bobby").id
    svc = PeopleService(vault)
    svc.remove("Bobby")
    assert [p.name for p in vault.persons()] == ["Alice Example"]
    with pytest.raises(NotFound):
        vault.person("Bobby")
    trash = EditingService(vault).trash()
    assert [(r.id, r.kind, r.items) for r in trash] == [(pid, "person", 10)]
    EditingService(vault).restore(pid)  # through the same road as items: trash --restore
    assert _stats(vault) == before and vault.verify().ok
    assert {"person.remove", "person.restore"} <= set(_actions(vault))
    svc.remove("Bobby")
    EditingService(vault).empty_trash()
    assert not (vault.path / "persons" / f"{pid}.db").exists()
    assert not (vault.path / "blobs" / pid).exists()
    header = json.loads((vault.path / "vault.json").read_text())
    assert pid not in json.dumps(header)  # its key is gone from every keyslot
    assert vault.verify().ok
    with pytest.raises(NotFound):
        EditingService(vault).restore(pid)
    # the owner-signed roster forgot the person too: the next unlock finds nothing amiss
    from medrecords_desktop.vault.vault import Vault
    from tests.conftest import PASSPHRASE

    path = vault.path
    vault.close()
    again = Vault.open(path, PASSPHRASE)
    try:
        assert again.warnings == [] and pid not in again.person_ids()
        assert [e for e in again.audit_entries(action="person.purge")]
    finally:
        again.close()


def test_a_rename_changes_the_signed_roster_too(vault) -> None:
    """A rename made only in household.db reads as tampering; the editing service renames in both."""
    pid = vault.person("Bobby").id
    PeopleService(vault).edit("Bobby", name="Robert Example")
    assert vault.signed_person_name(pid) == "Robert Example"
    assert vault.renamed_outside() == []


def test_merge_moves_everything_folds_duplicates_reencrypts_and_restores(vault) -> None:
    write_items(vault, "Alice Example", one_of_each("same"))
    write_items(
        vault, "Bobby Example", [*one_of_each("same"), *one_of_each("bob"), scan_document("bob")], name="bob.json"
    )
    a, b = vault.person("Alice").id, vault.person("Bobby").id
    EditingService(vault).correct(
        RecordService(vault).timeline("Bobby", kinds=["medication"])[0].id, {"dose": "10 mg"}, "typo"
    )
    before = _stats(vault)
    svc = PeopleService(vault)
    preview = svc.merge_preview("Alice", "Bobby")
    # "Glucose bob" has the same code, time and value as "Glucose same": one result, as the importer sees it
    assert preview.total == 19 and preview.duplicates == 10
    res = svc.merge("Alice", "Bobby")
    assert (res.moved, res.folded) == (9, 10)
    assert [p.name for p in vault.persons()] == ["Alice Example"]
    stats = _stats(vault)["Alice Example"]
    assert sum(stats.values()) == 18
    # the large original is re-encrypted under Alice's key, in her folder, and opens
    scan = RecordService(vault).timeline("Alice", kinds=["document"], limit=10)
    doc = next(e for e in scan if e.row.title == "Scan bob")
    blob = doc.row.data["blob_id"]
    assert (vault.path / "blobs" / a / blob[:2] / blob).exists()
    assert vault.blob_store(a).get(blob).startswith(b"Scanned page bob")
    # visits keep their linked items; corrections came along
    visit = next(e for e in RecordService(vault).encounters("Alice") if e[0].row.title == "Visit bob")
    assert visit[1] == 2  # its report and letter (its glucose folded into the same result of "Visit same")
    med = next(e for e in RecordService(vault).timeline("Alice", kinds=["medication"]) if "bob" in e.row.title)
    assert EditingService(vault).original_of(med.id) is not None
    assert vault.verify().ok
    assert "person.merge" in _actions(vault)
    trash = EditingService(vault).trash()
    assert [(r.id, r.kind) for r in trash] == [(b, "person")]
    assert "merged into Alice Example" in trash[0].title and trash[0].items == 19
    EditingService(vault).restore(b)
    assert _stats(vault) == before
    assert vault.verify().ok
    assert not (vault.path / "blobs" / a).exists() or not any((vault.path / "blobs" / a).rglob(blob))


def test_undo_an_import_leaves_the_vault_as_before_and_restores_from_the_trash(vault, tmp_path) -> None:
    write_items(vault, "Alice Example", one_of_each("keep"))
    before = _stats(vault)
    big = _observations_bundle(3000, tmp_path / "big.json")
    ImportService(vault).import_paths([big], ImportOptions(person="Alice Example"))
    after = _stats(vault)
    assert after["Alice Example"]["observation"] == before["Alice Example"]["observation"] + 3000
    imp = _last_import(vault, "Alice")
    unit = PeopleService(vault).undo_import(imp)
    assert _stats(vault) == before
    assert vault.verify().ok
    assert "import.undo" in _actions(vault)
    trash = EditingService(vault).trash()
    assert [(r.id, r.kind, r.items) for r in trash] == [(unit, "import", 3000)]
    history = ImportService(vault).history("Alice")
    assert history[0].status == "undone"
    assert RecordService(vault).search("Heart rate", "Alice") == []
    # a second undo of the same import is refused with a reason
    with pytest.raises(InvalidInput, match="undone"):
        PeopleService(vault).undo_import(imp)
    # restoring brings the whole import back
    EditingService(vault).restore(unit)
    assert _stats(vault) == after and vault.verify().ok
    assert EditingService(vault).trash() == []


def test_after_an_undo_the_same_file_imports_again_and_a_later_restore_adds_no_duplicates(vault, tmp_path) -> None:
    big = _observations_bundle(200, tmp_path / "big.json")
    ImportService(vault).import_paths([big], ImportOptions(person="Alice Example"))
    after = _stats(vault)
    unit = PeopleService(vault).undo_import(_last_import(vault, "Alice"))
    again = ImportService(vault).import_paths([big], ImportOptions(person="Alice Example"))
    assert sum(again.added.values()) == 200  # not "200 duplicates skipped"
    EditingService(vault).restore(unit)
    assert _stats(vault) == after


def test_move_an_import_to_another_person_rematches_duplicates_and_undoes(vault) -> None:
    write_items(vault, "Bobby Example", one_of_each("shared"))
    write_items(vault, "Alice Example", [*one_of_each("shared"), *one_of_each("bobs")], name="wrong.json")
    before = _stats(vault)
    imp = _last_import(vault, "Alice")
    res = PeopleService(vault).move_import(imp, "Bobby")
    assert (res.moved, res.folded) == (8, 10)  # both glucose results are the one Bobby holds
    stats = _stats(vault)
    assert sum(stats["Alice Example"].values()) == 0
    assert sum(stats["Bobby Example"].values()) == 17
    assert "import.move" in _actions(vault)
    assert ImportService(vault).history("Alice")[0].status == "moved"
    assert vault.verify().ok
    trash = EditingService(vault).trash()
    assert len(trash) == 1 and trash[0].kind == "move" and "Moved to Bobby Example" in trash[0].title
    EditingService(vault).restore(trash[0].id)
    assert _stats(vault) == before and vault.verify().ok


def test_move_selected_items_takes_what_hangs_on_a_visit(vault) -> None:
    write_items(vault, "Alice Example", [*one_of_each("a"), *one_of_each("b")])
    visit = next(e for e, _ in RecordService(vault).encounters("Alice") if e.row.title == "Visit b")
    allergy = next(e for e in RecordService(vault).timeline("Alice", kinds=["allergy"]) if "b" in e.row.title[-1])
    res = PeopleService(vault).move_items([visit.id, allergy.id], "Bobby")
    assert res.moved == 5  # the visit, its lab, report and letter, and the allergy
    assert sum(_stats(vault)["Bobby Example"].values()) == 5
    moved_visit = RecordService(vault).encounters("Bobby")[0]
    assert moved_visit[1] == 3
    with pytest.raises(InvalidInput, match="already belong"):
        PeopleService(vault).move_items([moved_visit[0].id], "Bobby")
    assert "items.move" in _actions(vault)


@pytest.mark.slow
def test_undo_a_30k_resource_import_in_one_step(vault, tmp_path) -> None:
    """The figure of issue 22 (benchmarks/bench_undo_import.py times it): a 30k-resource bundle, undone whole."""
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_fhir_parse import make_bundle

    write_items(vault, "Alice Example", one_of_each("before"))
    before = _stats(vault)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(make_bundle(30_000)))
    report = ImportService(vault).import_paths([path], ImportOptions(person="Alice Example", force=True))
    added = sum(report.added.values())
    assert not report.failed and added > 20_000
    t = time.perf_counter()
    unit = PeopleService(vault).undo_import(_last_import(vault, "Alice"))
    took = time.perf_counter() - t
    assert _stats(vault) == before
    assert vault.verify().ok
    assert [(r.id, r.items) for r in EditingService(vault).trash()] == [(unit, added)]
    assert took < 10  # about 0.5 s here; the bound only catches a per-item road


def test_bundle_document_names_come_from_titles_and_dates() -> None:
    from medrecords_desktop.model.records import Document
    from medrecords_desktop.services.exporting import document_member_name

    taken: set[str] = set()
    d = Document(title="Discharge summary: Madison/Medical Center", date="2026-04-12T10:00", mime="text/xml")
    first = document_member_name(d, ".xml", taken)
    assert first == "documents/2026-04-12 Discharge summary  Madison Medical Center.xml".replace("  ", " ")
    taken.add(first)
    assert document_member_name(d, ".xml", taken) == first.replace(".xml", " (2).xml")
    assert document_member_name(Document(title="", date=None, doc_type="Note"), ".txt", taken) == "documents/Note.txt"


def test_search_finds_live_items_beside_many_trashed_ones(vault, tmp_path) -> None:
    write_items(vault, "Alice Example", one_of_each("live"))
    big = _observations_bundle(300, tmp_path / "big.json")  # 300 "Heart rate" results
    ImportService(vault).import_paths([big], ImportOptions(person="Alice Example"))
    PeopleService(vault).undo_import(_last_import(vault, "Alice"))
    from medrecords_desktop.model.records import Observation
    from tests.factories import prov

    write_items(
        vault,
        "Alice Example",
        [
            Observation(
                title="Heart rate",
                date="2026-05-01T08:00",
                code="8867-4",
                value=61,
                unit="/min",
                provenance=prov("Observation/hr-live"),
            )
        ],
        name="one.json",
    )
    hits = RecordService(vault).search("Heart rate", "Alice", limit=5)
    assert [h.row.value_num for h in hits] == [61]


def test_undoing_the_copy_a_move_made_puts_the_records_back_where_they_were(vault) -> None:
    write_items(vault, "Alice Example", one_of_each("wrongly-filed"), name="wrong.json")
    before = _stats(vault)
    PeopleService(vault).move_import(_last_import(vault, "Alice"), "Bobby")
    copy = _last_import(vault, "Bobby")
    assert ImportService(vault).history("Bobby")[0].source_kind == "move"
    PeopleService(vault).undo_import(copy)  # from Bobby's Import history: the same as restoring the move
    assert _stats(vault) == before
    assert EditingService(vault).trash() == [] and vault.verify().ok


def test_a_proxy_cannot_undo_move_merge_or_remove_beyond_their_grant(vault) -> None:
    from medrecords_desktop.errors import AccessDenied
    from medrecords_desktop.services import access
    from medrecords_desktop.vault.vault import Vault

    write_items(vault, "Alice Example", one_of_each("a"))
    write_items(vault, "Bobby Example", one_of_each("b"))
    imp = _last_import(vault, "Alice")
    access.add_user(vault, "Sam", "sam's passphrase 1")
    access.grant(vault, "Sam", "Alice Example", "view")
    vault.close()
    with Vault.open(vault.path, "sam's passphrase 1") as v:
        svc = PeopleService(v)
        with pytest.raises(AccessDenied, match="view-only"):
            svc.undo_import(imp)
        with pytest.raises(AccessDenied):
            svc.remove("Alice")
        with pytest.raises(AccessDenied):
            svc.edit("Alice", name="Mallory")
        with pytest.raises(NotFound):  # Bobby is not shared with Sam: no move into or merge with him
            svc.move_import(imp, "Bobby")
        assert sum(RecordService(v).stats()["Alice Example"].values()) == 9
