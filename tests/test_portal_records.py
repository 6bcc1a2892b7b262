"""Every record type a patient API offers, end to end: synced from the vendor-rules harness into a real
vault, shown (timeline rows, labels), found by search, in the packet, feeding the missing-records tracker;
and a payer's claims (Blue Button / CARIN shaped) building the Claims view and flagging a billed visit
that has no records."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest

from medrecords_desktop.portals.client import RetryPolicy
from medrecords_desktop.services.claims import ClaimsService
from medrecords_desktop.services.exporting import ExportService, PacketChoice
from medrecords_desktop.services.missing import MissingService
from medrecords_desktop.services.portals import PortalService
from medrecords_desktop.services.records import RecordService
from tests.portal_support import Harness, follow_in_browser
from tests.vendor_data import NEW_TYPES, SEARCH_WORDS, payer_record, transaction, vendor_record

EPAT, PPAT = "records-pat-1", "payer-pat-1"
RETRY = RetryPolicy(max_attempts=20, base_delay=0.02, max_delay=0.1, max_retry_after=3.0, max_total_wait=5.0)
KIND_OF = {
    "CarePlan": "care_plan",
    "Goal": "goal",
    "CareTeam": "care_team",
    "ServiceRequest": "order",
    "Appointment": "appointment",
    "Coverage": "coverage",
    "MedicationDispense": "dispense",
    "Device": "device",
    "Provenance": "provenance",
    "QuestionnaireResponse": "questionnaire",
    "FamilyMemberHistory": "family_history",
    "Specimen": "specimen",
}
TODAY = date(2026, 5, 1)  # after the pending order (2026-04-12), before the appointment (2026-06-15)


@pytest.fixture(scope="module")
def loaded(portal_harness: Harness) -> None:
    portal_harness.load(transaction(vendor_record(EPAT, observations=20, documents=2)))
    portal_harness.load(transaction(payer_record(PPAT)))


def _sync(vault, harness: Harness, name: str, patient: str, rules: dict) -> object:
    harness.control("patient", {"id": patient})
    harness.control("vendor", {"on": True, "rules": rules})
    svc = PortalService(vault)
    svc.add(name, "Alice Example", fhir_base=harness.fhir_base)
    svc.connect(name, follow_in_browser, timeout=10)
    return svc.sync(name, retry=RETRY, page_size=5)


def test_every_new_type_arrives_shows_and_is_found(vault, harness: Harness, loaded: None) -> None:
    out = _sync(vault, harness, "Northside", EPAT, {})
    assert not out.errors, out.errors
    stats = RecordService(vault).stats()["Alice Example"]
    for rtype, kind in KIND_OF.items():
        assert stats[kind] >= 1, (rtype, kind)
    records = RecordService(vault)
    for rtype in NEW_TYPES:
        hits = records.search(SEARCH_WORDS[rtype], person="Alice Example")
        assert any(h.row.kind == KIND_OF[rtype] for h in hits), (rtype, [(h.row.kind, h.row.title) for h in hits])
    # Shown on the timeline with what matters in the grey line.
    from medrecords_desktop.gui import fmt  # no widget needed: the row text the timeline paints

    appt = records.timeline(person="Alice Example", kinds=["appointment"], limit=10)
    lines = {e.row.title: fmt.subtitle(e.row) for e in appt}
    assert "Northside Endocrinology Clinic" in lines["Endocrinology follow-up"]
    claims_free = records.timeline(person="Alice Example", kinds=["coverage"], limit=5)
    assert "member XG123456" in fmt.subtitle(claims_free[0].row)


def test_pending_order_and_upcoming_visit_feed_the_tracker(vault, harness: Harness, loaded: None) -> None:
    _sync(vault, harness, "Northside", EPAT, {})
    exps = MissingService(vault).expectations(today=TODAY)
    labels = {e.label: e for e in exps}
    order = labels["Results of the order from 2026-04-12 (Lipid panel) not yet received"]
    assert order.status == "overdue" and order.days_overdue == 5
    upcoming = next(e for e in exps if e.label.startswith("Upcoming visit on 2026-06-15"))
    assert upcoming.status == "waiting" and "Northside Endocrinology Clinic" in upcoming.label
    assert not any("Thyroid" in e.label for e in exps)  # a completed order is not chased
    assert not any("2026-02-01" in e.label for e in exps)  # the physical's record is there
    # The result arrives: the order is met.
    harness.load(
        transaction(
            [
                {
                    "resourceType": "DiagnosticReport",
                    "id": f"{EPAT}-lipid",
                    "status": "final",
                    "subject": {"reference": f"Patient/{EPAT}"},
                    "effectiveDateTime": "2026-04-20",
                    "category": [{"coding": [{"code": "LAB"}]}],
                    "code": {"coding": [{"system": "http://loinc.org", "code": "57698-3", "display": "Lipid panel"}]},
                }
            ]
        )
    )
    try:
        PortalService(vault).sync("Northside", retry=RETRY)
        after = MissingService(vault).expectations(today=TODAY, include_met=True)
        met = next(e for e in after if e.label.startswith("Results of the order from 2026-04-12"))
        assert met.status == "met"
    finally:
        harness.control(f"fhir/DiagnosticReport/{EPAT}-lipid", method="DELETE")


def test_packet_has_care_plan_goals_and_upcoming_visits(vault, harness: Harness, loaded: None, tmp_path: Path) -> None:
    soon = (date.today() + timedelta(days=30)).isoformat()  # the packet is made today: "upcoming" is real time
    harness.load(
        transaction(
            [
                {
                    "resourceType": "Appointment",
                    "id": f"{EPAT}-soon",
                    "status": "booked",
                    "start": f"{soon}T08:00:00Z",
                    "description": "Retina screening",
                    "participant": [
                        {"actor": {"reference": f"Patient/{EPAT}"}, "status": "accepted"},
                        {"actor": {"display": "Eastside Eye Clinic"}, "status": "accepted"},
                    ],
                }
            ]
        )
    )
    try:
        _sync(vault, harness, "Northside", EPAT, {})
    finally:
        harness.control(f"fhir/Appointment/{EPAT}-soon", method="DELETE")
    svc = ExportService(vault)
    data = svc.packet_data(PacketChoice(person="Alice Example", include=["care_plan", "medication"]))
    assert data.care_plans and data.goals and data.appointments
    out = tmp_path / "packet.pdf"
    svc.packet(PacketChoice(person="Alice Example", include=["care_plan"]), out, "pw-long-enough-1")
    reader = pypdf.PdfReader(str(out))
    reader.decrypt("pw-long-enough-1")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Care plan, goals and upcoming visits" in text
    assert "Diabetes self-management plan" in text and "HbA1c below 7 percent" in text
    care = text.split("Care plan, goals and upcoming visits")[-1].split("Recent lab results")[0]
    assert "Retina screening" in care and "Eastside Eye Clinic" in care
    assert "Annual physical" not in care  # a past visit is not "upcoming"


def test_payer_claims_build_the_claims_view_and_flag_a_billed_visit_without_records(
    vault, harness: Harness, loaded: None
) -> None:
    _sync(vault, harness, "Northside", EPAT, {})
    payer_types = ["Patient", "Coverage", "ExplanationOfBenefit", "Organization"]
    out = _sync(vault, harness, "Acme Health Plan", PPAT, {"types": payer_types})
    assert not out.errors and out.added["claim"] == 2
    assert "Encounter" in out.not_offered  # a payer API offers no clinical types: not asked, not an error
    rows = ClaimsService(vault).claims("Alice Example")
    assert [(r.date, r.provider) for r in rows] == [
        ("2026-03-02", "Northside Imaging"),
        ("2026-02-01", "Northside Medical Group"),
    ]
    imaging, physical = rows
    assert imaging.billed == 1840.0 and imaging.paid == 1210.5 and not imaging.has_records
    assert physical.visit_title and physical.has_records
    exps = MissingService(vault).expectations(today=TODAY)
    billed = [e for e in exps if "was billed" in e.label]
    assert [e.label for e in billed] == ["A visit on 2026-03-02 at Northside Imaging was billed; no records"]
    assert billed[0].status == "overdue"


def test_service_sync_after_an_outage_resumes_and_then_clears_its_checkpoint(
    vault, harness: Harness, loaded: None
) -> None:
    from medrecords_desktop.portals.errors import PortalUnavailable

    harness.control("patient", {"id": EPAT})
    harness.control("vendor", {"on": True, "rules": {"extraCategories": {"Observation": ["smartdata"]}}})
    svc = PortalService(vault)
    svc.add("Northside", "Alice Example", fhir_base=harness.fhir_base)
    svc.connect("Northside", follow_in_browser, timeout=10)
    harness.fault(503, count=1000, match="/Appointment", retry_after=1)  # down for longer than we wait
    short = RetryPolicy(max_attempts=50, base_delay=0.02, max_delay=0.1, max_retry_after=3.0, max_total_wait=1.0)
    with pytest.raises(PortalUnavailable, match="continues where this one stopped"):
        svc.sync("Northside", retry=short, page_size=5)
    assert svc.account("Northside").status.startswith("unavailable")
    assert svc.account("Northside").last_sync is None  # a failed sync is not reported as one
    before = RecordService(vault).stats()["Alice Example"]
    assert before["observation"] == 20 and before["appointment"] == 0  # what came before the outage is kept
    harness.control("clear-faults")
    harness.control("clear-log")
    out = svc.sync("Northside", retry=short, page_size=5)
    assert out.resumed and not out.errors and out.added["appointment"] >= 2
    log = harness.log()
    assert not any(line.startswith(("GET /Observation", "GET /Patient", "GET /Encounter")) for line in log)
    assert svc.account("Northside").status == "ok"
    again = svc.sync("Northside", retry=short, page_size=5)  # checkpoint gone: an ordinary incremental sync
    assert not again.resumed and sum(again.added.values()) == 0
