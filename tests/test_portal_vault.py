"""Portal accounts wired to the vault, against the real Medplum FHIR server and OAuth server on 127.0.0.1."""

from __future__ import annotations

from collections import Counter

import pytest
from portal_support import FAST_RETRY, PATIENT, follow_in_browser

from medrecords_desktop.portals.errors import NeedsSignIn
from medrecords_desktop.services.portals import PortalService
from medrecords_desktop.services.records import RecordService

KIND = {
    "Encounter": "encounter",
    "Observation": "observation",
    "DiagnosticReport": "diagnostic_report",
    "MedicationRequest": "medication",
    "MedicationStatement": "medication",
    "Immunization": "immunization",
    "AllergyIntolerance": "allergy",
    "Condition": "condition",
    "Procedure": "procedure",
}


def _server_counts(harness) -> Counter:
    c: Counter = Counter()
    for rtype, kind in KIND.items():
        param = (
            "subject"
            if rtype
            in (
                "Observation",
                "Encounter",
                "DiagnosticReport",
                "Condition",
                "Procedure",
                "MedicationRequest",
                "MedicationStatement",
            )
            else "patient"
        )
        c[kind] += len(harness.search(rtype, {param: f"Patient/{PATIENT}"}))
    docs = harness.search("DocumentReference", {"subject": f"Patient/{PATIENT}"})
    c["document"] += sum(len(d.get("content", [])) for d in docs)
    return +c


def _connected(vault, harness) -> PortalService:
    svc = PortalService(vault)
    svc.add("Test Clinic", "Alice Example", fhir_base=harness.fhir_base, brand="Medplum")
    svc.connect("Test Clinic", follow_in_browser, timeout=10)
    return svc


def test_sync_brings_every_resource_once_then_nothing(vault, harness) -> None:
    svc = _connected(vault, harness)
    assert svc.account("Test Clinic").status == "connected"
    out = svc.sync("Test Clinic", retry=FAST_RETRY)
    expected = _server_counts(harness)
    stats = {k: v for k, v in RecordService(vault).stats()["Alice Example"].items() if v}
    # DiagnosticReport presentedForm attachments become documents too
    assert {k: v for k, v in stats.items() if k != "document"} == {k: v for k, v in expected.items() if k != "document"}
    assert stats.get("document", 0) >= expected.get("document", 0) > 0
    assert sum(out.added.values()) == sum(stats.values())
    again = svc.sync("Test Clinic", retry=FAST_RETRY)
    assert sum(again.added.values()) == 0 and again.updated == 0
    assert RecordService(vault).stats()["Alice Example"] == {
        **dict.fromkeys(RecordService(vault).stats()["Alice Example"], 0),
        **stats,
    }
    doc = RecordService(vault).timeline(person="Alice Example", kinds=["document"])[0]
    item = RecordService(vault).item(doc.id)
    assert item.provenance.source_kind == "portal" and item.provenance.source_name.startswith("Test Clinic")
    assert vault.blob_store(item.person_id).get(item.blob_id, item.sha256)


def test_incremental_sync_picks_up_a_changed_result(vault, harness) -> None:
    svc = _connected(vault, harness)
    svc.sync("Test Clinic", retry=FAST_RETRY)
    obs = harness.search("Observation", {"subject": f"Patient/{PATIENT}"})[0]
    old = obs.get("valueQuantity", {}).get("value")
    obs["valueQuantity"] = {**obs.get("valueQuantity", {}), "value": (old or 1) + 7.5}
    harness.put(obs)
    out = svc.sync("Test Clinic", retry=FAST_RETRY)
    assert out.updated == 1 and sum(out.added.values()) == 0 and out.fetched >= 1
    hits = [
        e
        for e in RecordService(vault).timeline(person="Alice Example", kinds=["observation"], limit=100)
        if e.row.source_id == f"Observation/{obs['id']}"
    ]
    assert len(hits) == 1 and hits[0].row.value_num == (old or 1) + 7.5
    obs["valueQuantity"]["value"] = old
    harness.put(obs)


def test_revoked_sign_in_marks_the_account_and_keeps_the_data(vault, harness) -> None:
    svc = _connected(vault, harness)
    svc.sync("Test Clinic", retry=FAST_RETRY)
    before = RecordService(vault).stats()
    harness.control("revoke-refresh-tokens", {})
    harness.control("expire-access-tokens", {})
    with pytest.raises(NeedsSignIn):
        svc.sync("Test Clinic", retry=FAST_RETRY)
    assert svc.account("Test Clinic").status == "needs sign-in again"
    assert RecordService(vault).stats() == before


def test_portal_without_api_and_proxy_visibility(vault) -> None:
    svc = PortalService(vault)
    svc.add("Paper clinic", "Bobby Example", website="https://clinic.example.org/portal", username="bobby-mom")
    a = svc.account("Paper clinic")
    assert not a.has_api and a.status.startswith("no API")
    svc.mark_checked("Paper clinic")
    assert svc.account("Paper clinic").last_checked
