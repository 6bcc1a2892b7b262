"""The records-completeness tracker: met, overdue after the rule's delay, cleared by import or by a mark."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import corpus_path
from pypdf import PdfReader

from medrecords_desktop.model.records import Document, Provenance
from medrecords_desktop.services.demo import DEMO_PASSPHRASE, create_demo_vault
from medrecords_desktop.services.editing import EditingService
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.missing import MissingService, add_business_days
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.crypto import fast_test_kdf
from medrecords_desktop.vault.vault import Vault

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "vault"
    create_demo_vault(path, today=TODAY, kdf=fast_test_kdf()).close()
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path):
    shutil.copytree(demo_template, tmp_path / "v", ignore=shutil.ignore_patterns("vault.lock"))
    v = Vault.open(tmp_path / "v", DEMO_PASSPHRASE)
    yield v
    v.close()


def _latest_physical(v):
    svc = RecordService(v)
    enc, _ = next((e, n) for e, n in svc.encounters(person="David Garcia") if e.row.title == "Annual physical")
    detail = svc.encounter_detail(enc.id)
    avs = next(e for e in detail.items if e.row.title == "After-visit summary")
    return enc, avs


def test_visit_with_its_documents_has_nothing_missing(demo) -> None:
    svc = MissingService(demo)
    assert svc.expectations(today=TODAY) == []
    every = svc.expectations(today=TODAY, include_met=True)
    assert every and all(e.status == "met" for e in every)


def test_removed_summary_is_overdue_after_the_delay_then_import_clears_it(demo) -> None:
    enc, avs = _latest_physical(demo)
    EditingService(demo).delete(avs.id)
    svc = MissingService(demo)
    visit_day = date.fromisoformat(enc.row.date[:10])
    assert [e.status for e in svc.expectations("David Garcia", today=visit_day + timedelta(days=2))] == ["waiting"]
    (over,) = svc.expectations("David Garcia", today=visit_day + timedelta(days=10))
    due = add_business_days(visit_day, 2)  # the rule's delay is business days
    assert over.status == "overdue" and over.days_overdue == (visit_day + timedelta(days=10) - due).days
    assert over.rule_id == "avs" and over.due == due.isoformat()
    assert over.provider == "Riverside Family Medicine" and "start a records request" in over.next_steps
    assert svc.badge_counts("David Garcia", today=visit_day + timedelta(days=10)) == {enc.id: 1}
    # the summary arrives later (another export), linked to the same visit
    doc = Document(
        title="After-visit summary",
        date=enc.row.date[:10],
        doc_type="After-visit summary",
        mime="text/plain",
        content=b"Late after-visit summary",
        encounter_ref=enc.row.source_id,
        provenance=Provenance(source_id="late-avs-1", source_name="late.txt"),
    )
    ImportService(demo).write_parsed(
        __import__("medrecords_desktop.importers.base", fromlist=["ParsedFile"]).ParsedFile(
            "late.txt", "text", items=[doc]
        ),
        ImportOptions(person="David Garcia"),
    )
    assert svc.expectations("David Garcia", today=visit_day + timedelta(days=10)) == []


def test_received_on_paper_clears_it_and_is_audited(demo, tmp_path) -> None:
    enc, avs = _latest_physical(demo)
    EditingService(demo).delete(avs.id)
    svc = MissingService(demo)
    later = date.fromisoformat(enc.row.date[:10]) + timedelta(days=30)
    (over,) = svc.expectations("David Garcia", today=later)
    rid = svc.request_records(over, tmp_path / "letter.pdf")
    text = PdfReader(tmp_path / "letter.pdf").pages[0].extract_text()
    assert "David Garcia" in text and "After-visit summary" in text and "45 CFR 164.524" in text
    assert svc.requests()[0].id == rid
    svc.mark(enc.id, "avs", "received-on-paper", note="handed to me at the desk")
    assert svc.expectations("David Garcia", today=later) == []
    marked = [
        e
        for e in svc.expectations("David Garcia", today=later, include_met=True)
        if e.rule_id == "avs" and e.encounter_id == enc.id
    ]
    assert marked[0].status == "received-on-paper"
    actions = [e.action for e in demo.audit_entries()]
    assert "missing.mark" in actions and "request.create" in actions


@pytest.mark.corpus
def test_corpus_document_meets_its_own_encounter(vault) -> None:
    f = corpus_path("ccda", "HL7_Samples_DS.sample.xml")
    ImportService(vault).import_paths([f], ImportOptions(person="Alice Example", force=True))
    svc = MissingService(vault)
    rows = svc.expectations("Alice Example", today=date(2005, 6, 1), include_met=True)
    assert rows and all(e.status == "met" for e in rows), rows
    # without its document the same visit is overdue
    doc = next(e for e in RecordService(vault).timeline(person="Alice Example", kinds=["document"]))
    EditingService(vault).delete(doc.id)
    assert [e.status for e in svc.expectations("Alice Example", today=date(2005, 6, 1))] == ["overdue"]
