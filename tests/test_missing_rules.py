"""The missing-records rules: whole words, modality words, windows from the right date, business days,
per-order tracking of lab results with delays by test type, and the "not chased" message."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from factories import prov

from medrecords_desktop.importers.base import ParsedFile
from medrecords_desktop.model.records import DiagnosticReport, Document, Encounter, Observation, RawResource
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.missing import (
    MissingService,
    add_business_days,
    has_word,
    turnaround,
    us_federal_holidays,
)


def _write(vault, items, kept=(), name="rules-test.json"):
    pf = ParsedFile(name, "test", items=list(items), kept=list(kept))
    return ImportService(vault).write_parsed(pf, ImportOptions(person="Alice Example"))


def _rules(vault, today):
    return {
        (e.encounter_title, e.rule_id): e
        for e in MissingService(vault).expectations("Alice Example", today=today, include_met=True)
    }


def test_whole_words_only() -> None:
    assert has_word("labor and delivery", ["lab"]) is False
    assert has_word("lab draw", ["lab"]) is True
    assert has_word("doctor letter", ["ct"]) is False
    assert has_word("ct abdomen", ["ct"]) is True
    assert has_word("chest x ray", ["x-ray"]) is True


def test_labor_is_not_a_lab_visit_and_a_doctor_letter_is_not_a_ct_report(vault) -> None:
    _write(
        vault,
        [
            Encounter(
                title="Labor and delivery",
                date="2026-03-02T08:00",
                encounter_class="IMP",
                date_end="2026-03-04T10:00",
                provenance=prov("Encounter/ld"),
            ),
            Encounter(
                title="CT abdomen", date="2026-03-10T08:00", encounter_class="AMB", provenance=prov("Encounter/ct")
            ),
            Document(
                title="Doctor letter",
                date="2026-03-11",
                mime="text/plain",
                content=b"letter",
                encounter_ref="Encounter/ct",
                provenance=prov("DocumentReference/letter"),
            ),
        ],
    )
    got = _rules(vault, date(2026, 4, 20))
    assert ("Labor and delivery", "lab-results") not in got
    assert ("Labor and delivery", "discharge-summary") in got
    # an MRI/CT/ultrasound visit expects an imaging report, not an after-visit summary
    assert ("CT abdomen", "avs") not in got
    assert got[("CT abdomen", "imaging-report")].status == "overdue"  # the letter is not a CT report


def test_discharge_summary_window_counts_from_discharge(vault) -> None:
    _write(
        vault,
        [
            Encounter(
                title="Hospital stay",
                date="2026-01-05T08:00",
                date_end="2026-02-24T12:00",
                encounter_class="IMP",
                provenance=prov("Encounter/stay"),
            ),
            Document(
                title="Discharge summary",
                date="2026-02-25",
                mime="text/plain",
                content=b"summary",
                provenance=prov("DocumentReference/ds"),
            ),  # not linked by the file, and two days later
        ],
    )
    # the stay was 50 days: a summary the day after discharge is on time, met
    e = _rules(vault, date(2026, 3, 20))[("Hospital stay", "discharge-summary")]
    assert e.status == "met"
    assert e.due == add_business_days(date(2026, 2, 24), 2).isoformat()


def test_business_days() -> None:
    friday = date(2026, 3, 6)
    assert friday.weekday() == 4
    assert add_business_days(friday, 1) == date(2026, 3, 9)  # Monday
    assert add_business_days(friday, 2) == date(2026, 3, 10)
    assert add_business_days(date(2026, 3, 9), 5) == date(2026, 3, 16)
    # US federal holidays are no business days either (as observed: July 4th 2026 is a Saturday)
    assert add_business_days(date(2026, 11, 25), 1) == date(2026, 11, 27)  # Thanksgiving skipped
    assert add_business_days(date(2026, 7, 2), 1) == date(2026, 7, 6)  # Friday 3 July observed
    assert add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert len(us_federal_holidays(2027)) == 11 and date(2027, 1, 18) in us_federal_holidays(2027)


def test_delays_follow_the_test_type() -> None:
    assert turnaround("Complete blood count")[0] == 2
    assert turnaround("Urine culture")[0] == 5
    assert turnaround("Surgical pathology, skin biopsy")[0] == 10
    assert turnaround("Vitamin D 25-hydroxy")[0] == 7
    assert turnaround("Labor panel")[1] == "routine"


def _order(oid: str, text: str, code: str, day: str) -> RawResource:
    res = {
        "resourceType": "ServiceRequest",
        "id": oid,
        "status": "active",
        "intent": "order",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}], "text": text},
        "encounter": {"reference": "Encounter/lab"},
        "authoredOn": day,
    }
    return RawResource("ServiceRequest", f"ServiceRequest/{oid}", json.dumps(res))


def test_each_lab_order_expects_its_own_results(vault) -> None:
    friday = "2026-03-06"
    _write(
        vault,
        [
            Encounter(
                title="Lab draw", date=f"{friday}T08:00", encounter_class="AMB", provenance=prov("Encounter/lab")
            ),
            # the blood count comes back the same day: its order is met, not the culture's
            DiagnosticReport(
                title="CBC",
                code="58410-2",
                date=f"{friday}T15:00",
                encounter_ref="Encounter/lab",
                provenance=prov("DiagnosticReport/cbc"),
            ),
            Observation(
                title="Hemoglobin",
                code="718-7",
                value=13.5,
                unit="g/dL",
                date=f"{friday}T15:00",
                encounter_ref="Encounter/lab",
                provenance=prov("Observation/hb"),
            ),
        ],
        kept=[_order("o1", "CBC with differential", "58410-2", friday), _order("o2", "Urine culture", "630-4", friday)],
    )
    got = _rules(vault, date(2026, 3, 12))
    assert ("Lab draw", "lab-results") not in got  # replaced by one expectation per order
    cbc = got[("Lab draw", "order:ServiceRequest/o1")]
    culture = got[("Lab draw", "order:ServiceRequest/o2")]
    assert cbc.status == "met"
    assert culture.status == "waiting" and culture.due == "2026-03-13"  # 5 business days from a Friday
    assert "culture" in (culture.note or "")
    later = _rules(vault, date(2026, 3, 20))[("Lab draw", "order:ServiceRequest/o2")]
    assert later.status == "overdue" and later.days_overdue == 7


def test_nothing_missing_says_how_far_back(cli_env) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", "missing"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "Nothing is missing in the last 365 days (older visits are not chased)." in r.stdout
