"""Results linked to their visit (same day, same organization), `show` of a report, `save` of an
original, and the right person: a file about someone else is refused unless forced, and every import
report names the patient found and the person it went to."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from factories import prov, write_items

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.model.records import DiagnosticReport, Document, Encounter, Observation, Provenance
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.records import RecordService
from tests.conftest import corpus_path


def _run(env, *args, check=True, stdin=None):
    r = subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=stdin,
    )
    if check:
        assert r.returncode == 0, r.stderr
    return r


def _day_items(marker: str = "") -> list:
    return [
        Encounter(
            title="Annual visit", date="2026-03-02T09:00", provider="Lakeside Clinic", provenance=prov("Encounter/v1")
        ),
        Encounter(title="Dentist", date="2026-03-09T09:00", provider="Smile Dental", provenance=prov("Encounter/v2")),
        # the same day, not linked by the file: a blood count and its report from 15:43
        DiagnosticReport(
            title="CBC", date="2026-03-02T15:43", result_refs=["Observation/h"], provenance=prov("DiagnosticReport/cbc")
        ),
        Observation(
            title="Hemoglobin",
            date="2026-03-02T15:43",
            code="718-7",
            value=13.5,
            unit="g/dL",
            report_ref="DiagnosticReport/cbc",
            provenance=prov("Observation/h"),
        ),
        Document(
            title="After-visit summary",
            date="2026-03-02",
            mime="text/plain",
            content=b"avs" + marker.encode(),
            provenance=prov("DocumentReference/avs"),
        ),
        # another day: no visit
        Observation(
            title="Glucose",
            date="2026-03-05T08:00",
            code="2345-7",
            value=90,
            unit="mg/dL",
            provenance=prov("Observation/g"),
        ),
    ]


def test_same_day_results_reports_and_documents_gain_their_visit(vault) -> None:
    out = write_items(vault, "Alice Example", _day_items())
    assert out.linked_same_day == 3
    svc = RecordService(vault)
    visit = next(e for e, _n in svc.encounters(person="Alice Example") if e.row.title == "Annual visit")
    detail = svc.encounter_detail(visit.id)
    linked = sorted((e.row.title, e.row.data.get("visit_link")) for e in detail.items)
    assert linked == [("After-visit summary", "same day"), ("CBC", "same day"), ("Hemoglobin", "same day")]
    glucose = next(e for e in svc.timeline(person="Alice Example", kinds=["observation"]) if e.row.title == "Glucose")
    assert glucose.row.encounter_id is None


def test_two_visits_that_day_link_nothing_and_other_organizations_are_left_alone(vault) -> None:
    items = _day_items()
    items.insert(
        1,
        Encounter(
            title="Urgent care", date="2026-03-02T18:00", provider="City Urgent Care", provenance=prov("Encounter/v3")
        ),
    )
    out = write_items(vault, "Alice Example", items)
    assert out.linked_same_day == 0  # two visits that day from this source: no guess
    # a lab's result from another source, performed by another organization, on a visit day: not linked
    other = Observation(
        title="Vitamin D",
        date="2026-03-09T10:00",
        code="62292-8",
        value=30,
        unit="ng/mL",
        performer="Far Away Labs",
        provenance=Provenance(source_name="other-source.json", source_id="Observation/vd"),
    )
    out2 = write_items(vault, "Alice Example", [other], name="other-source.json")
    assert out2.linked_same_day == 0
    same_org = Observation(
        title="X-ray note",
        date="2026-03-09T11:00",
        code="x",
        value=1,
        unit="1",
        performer="Smile Dental",
        provenance=Provenance(source_name="third.json", source_id="Observation/xr"),
    )
    assert write_items(vault, "Alice Example", [same_org], name="third.json").linked_same_day == 1


def test_show_of_a_report_lists_its_results_and_save_writes_the_original(vault, cli_env, tmp_path) -> None:
    write_items(vault, "Alice Example", _day_items())
    svc = RecordService(vault)
    rep = next(e for e in svc.timeline(person="Alice Example", kinds=["diagnostic_report"]))
    doc = next(e for e in svc.timeline(person="Alice Example", kinds=["document"]))
    vault.close()
    out = _run(cli_env, "show", rep.id).stdout
    assert "Results (1):" in out and "Hemoglobin: 13.5 g/dL" in out and "result_refs" not in out
    shown = json.loads(_run(cli_env, "show", rep.id, "--json").stdout)
    assert [r["title"] for r in shown["results"]] == ["Hemoglobin"]
    visit = json.loads(_run(cli_env, "encounters", "--json").stdout)
    vid = next(v["id"] for v in visit if v["title"] == "Annual visit")
    assert "(same day)" in _run(cli_env, "show", vid).stdout
    dest = tmp_path / "avs.txt"
    r = _run(cli_env, "save", doc.id, "--out", str(dest), check=False, stdin=subprocess.DEVNULL)
    assert r.returncode == 1 and "NOT be encrypted" in r.stderr and not dest.exists()
    r = _run(cli_env, "save", doc.id, "--out", str(dest), "--yes")
    assert dest.read_bytes() == b"avs" and "NOT be encrypted" in r.stderr
    again = _run(cli_env, "save", doc.id, "--out", str(dest), "--yes", check=False)
    assert again.returncode != 0 and "exists" in again.stderr
    audit = _run(cli_env, "audit", "--json", check=False).stdout
    assert "item.save_copy" in audit


def _martha_bundle(tmp_path: Path) -> Path:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Patient",
                    "id": "m",
                    "name": [{"family": "DeLarosa", "given": ["Martha"]}],
                    "birthDate": "1972-05-01",
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "id": "o",
                    "status": "final",
                    "subject": {"reference": "Patient/m"},
                    "code": {"text": "Weight"},
                    "effectiveDateTime": "2026-01-02",
                    "valueQuantity": {"value": 61, "unit": "kg"},
                }
            },
        ],
    }
    f = tmp_path / "martha.json"
    f.write_text(json.dumps(bundle))
    return f


def test_a_file_about_someone_else_is_refused_unless_forced(vault, tmp_path) -> None:
    f = _martha_bundle(tmp_path)
    svc = ImportService(vault)
    before = RecordService(vault).stats()
    report = svc.import_paths([f], ImportOptions(person="Alice Example"))
    (o,) = report.files
    assert o.status == "failed" and "Martha DeLarosa, born 1972-05-01" in (o.error or "")
    assert "--force" in (o.error or "")
    assert RecordService(vault).stats() == before
    asked: list[tuple[str, str]] = []

    def no(patient, person, file):
        asked.append((patient.name, person.name))
        return False

    report = svc.import_paths([f], ImportOptions(person="Alice Example", confirm_person=no))
    assert report.failed and asked == [("Martha DeLarosa", "Alice Example")]
    report = svc.import_paths([f], ImportOptions(person="Alice Example", confirm_person=lambda *a: True))
    (o,) = report.files
    assert o.status == "ok" and o.patients_found == ["Martha DeLarosa, born 1972-05-01"]
    assert o.people == ["Alice Example"] and any("as you confirmed" in w for w in o.warnings)


def test_a_matching_file_goes_in_without_a_question(vault, tmp_path) -> None:
    f = _martha_bundle(tmp_path)
    text = f.read_text().replace("DeLarosa", "Example").replace("Martha", "Alice").replace("1972-05-01", "1980-04-12")
    f.write_text(text)
    report = ImportService(vault).import_paths(
        [f], ImportOptions(person="Alice Example", confirm_person=lambda *a: pytest.fail("asked"))
    )
    assert not report.failed and report.files[0].patients_found == ["Alice Example, born 1980-04-12"]


def test_cli_refuses_names_both_and_force_files_it(cli_env, tmp_path) -> None:
    f = _martha_bundle(tmp_path)
    r = _run(cli_env, "import", str(f), "--person", "Alice Example", check=False)
    assert r.returncode != 0
    assert "Martha DeLarosa, born 1972-05-01" in r.stderr and "Alice Example" in r.stderr
    r = _run(cli_env, "import", str(f), "--person", "Alice Example", "--force")
    assert "patient in the file: Martha DeLarosa, born 1972-05-01; imported into: Alice Example" in r.stdout


def test_a_scan_naming_another_patient_is_asked_about(vault) -> None:
    from medrecords_desktop.importers.base import ParsedFile

    scan = ParsedFile(
        "letter.jpg",
        "image",
        items=[
            Document(
                title="Letter",
                date="2026-01-02",
                mime="text/plain",
                content=b"x",
                text="LAB REPORT\nPatient: Ruth A. Okafor   DOB: 1958-07-02\nGlucose 95 mg/dL",
                provenance=prov("scan-1"),
            )
        ],
    )
    with pytest.raises(ImportRejected, match="Ruth A. Okafor, born 1958-07-02"):
        ImportService(vault).write_parsed(scan, ImportOptions(person="Alice Example"))
    out = ImportService(vault).write_parsed(scan, ImportOptions(person="Alice Example", force=True))
    assert out.patients_found == ["Ruth A. Okafor, born 1958-07-02"] and sum(out.added.values()) == 1


@pytest.mark.corpus
@pytest.mark.slow
def test_same_day_linking_on_the_corpus(vault) -> None:
    """How many results, reports and documents of the vendor corpus gain a visit (figures printed)."""
    files = sorted(corpus_path("ccda").glob("*.xml"))
    report = ImportService(vault).import_paths(files, ImportOptions(create_persons=True))
    assert not report.failed
    gained = sum(f.linked_same_day for f in report.files)
    per_kind: dict[str, list[int]] = {}
    for p in vault.persons():
        for kind, same_day, by_file, none in vault.person_db(p.id).query(
            "SELECT kind, sum(json_extract(data,'$.visit_link') IS 'same day'),"
            " sum(encounter_id IS NOT NULL AND json_extract(data,'$.visit_link') IS NULL),"
            " sum(encounter_id IS NULL) FROM items"
            " WHERE kind IN ('observation','diagnostic_report','document') AND deleted_at IS NULL GROUP BY kind"
        ):
            acc = per_kind.setdefault(kind, [0, 0, 0])
            acc[0] += same_day
            acc[1] += by_file
            acc[2] += none
    print(f"\nsame-day linking over {len(files)} C-CDA files: {gained} gained a visit")
    for kind, (same_day, by_file, none) in sorted(per_kind.items()):
        print(f"  {kind:18} linked by the file {by_file:5}  gained a visit (same day) {same_day:5}  without {none:5}")
    assert gained == sum(v[0] for v in per_kind.values()) > 0
