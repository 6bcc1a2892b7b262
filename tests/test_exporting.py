"""Exports from a real vault: the packet opens with the password only, is audited, and proxies are bounded."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from medrecords_desktop.errors import AccessDenied
from medrecords_desktop.exporters.archive import read_encrypted_archive
from medrecords_desktop.exporters.packet import read_packet_bundle
from medrecords_desktop.services import access
from medrecords_desktop.services.demo import DEMO_PASSPHRASE, create_demo_vault
from medrecords_desktop.services.exporting import ExportService, PacketChoice
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.crypto import fast_test_kdf
from medrecords_desktop.vault.vault import Vault

PW = "tulip orbit canvas meadow pencil"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "vault"
    create_demo_vault(path, today=date(2026, 11, 1), kdf=fast_test_kdf()).close()
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path):
    shutil.copytree(demo_template, tmp_path / "v", ignore=shutil.ignore_patterns("vault.lock"))
    v = Vault.open(tmp_path / "v", DEMO_PASSPHRASE)
    yield v
    v.close()


def test_packet_for_a_visit_range_opens_only_with_the_password(demo, tmp_path) -> None:
    svc = ExportService(demo)
    out = tmp_path / "packet.pdf"
    choice = PacketChoice(person="Rosa Martinez", date_from="2025-01-01", prepared_for="Dr. Kim, endocrinology")
    res = svc.packet(choice, out, PW)
    raw = out.read_bytes()
    for secret in (b"Rosa", b"Martinez", b"Metformin", b"Health summary", b"Discharge summary"):
        assert secret not in raw
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt(PW)
    assert reader.trailer["/Encrypt"]["/R"] == 6
    assert len(reader.pages) == res.page_count
    docs = [d for d in res.documents if d.included]
    assert res.page_count == res.summary_pages + sum(d.page_count for d in docs)
    expected_docs = [
        e
        for e in RecordService(demo).timeline(
            person="Rosa Martinez", kinds=["document"], date_from="2025-01-01", limit=500
        )
    ]
    assert len(docs) == len(expected_docs) > 3
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert {"Active medications", "Allergies and intolerances", "Recent lab results", "Documents"} <= set(titles)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out, password="wrong")
    if shutil.which("qpdf"):
        r = subprocess.run(["qpdf", f"--password={PW}", "--show-encryption", str(out)], capture_output=True, text=True)
        assert "R = 6" in r.stdout
        assert subprocess.run(["qpdf", "--password=", "--check", str(out)], capture_output=True).returncode != 0
    bundle = read_packet_bundle(raw, PW)
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) > 20
    entry = [(json.dumps(e.detail),) for e in demo.audit_entries(action="export.packet")]
    assert len(entry) == 1 and "packet.pdf" in entry[0][0] and "endocrinology" in entry[0][0]


def test_packet_of_chosen_encounter_only(demo, tmp_path) -> None:
    svc = ExportService(demo)
    enc, _ = RecordService(demo).encounters(person="Rosa Martinez", limit=1)[0]
    res = svc.packet(PacketChoice(person="Rosa Martinez", encounters=[enc.id]), tmp_path / "one.pdf", PW)
    linked_docs = [e for e in RecordService(demo).encounter_detail(enc.id).items if e.row.kind == "document"]
    assert len([d for d in res.documents if d.included]) == len(linked_docs)


def test_view_only_proxy_cannot_export(demo, tmp_path) -> None:
    access.add_user(demo, "Helper", "helper passphrase 1")
    access.grant(demo, "Helper", "Sofia Garcia", "view")
    demo.close()
    with Vault.open(demo.path, "helper passphrase 1") as v:
        with pytest.raises(AccessDenied, match="view-only"):
            ExportService(v).packet(PacketChoice(person="Sofia Garcia"), tmp_path / "x.pdf", PW)
        with pytest.raises(AccessDenied):
            ExportService(v).labs_csv("Sofia Garcia", tmp_path / "x.csv")
    assert not (tmp_path / "x.pdf").exists()


def test_bundle_archive_and_labs_csv(demo, tmp_path) -> None:
    svc = ExportService(demo)
    n = svc.bundle_archive("David Garcia", tmp_path / "david.7z", PW)
    files = read_encrypted_archive(tmp_path / "david.7z", PW)
    assert "bundle.fhir.json" in files and n > 50
    assert b"David" not in (tmp_path / "david.7z").read_bytes()
    docs = [f for f in files if f.startswith("documents/")]
    assert docs and all(re.fullmatch(r"documents/\d{4}-\d\d-\d\d [^/]+\.\w+", f) for f in docs), docs
    assert not any(re.search(r"/p[0-9a-f]{10}-\d+", f) for f in docs)  # not the vault's ids
    rows = svc.labs_csv("David Garcia", tmp_path / "labs.csv")
    text = (tmp_path / "labs.csv").read_text()
    assert rows > 40 and "Cholesterol" in text


def test_packet_imports_back_with_its_password_and_adds_nothing_twice(demo, tmp_path) -> None:
    from medrecords_desktop.services.importing import ImportOptions, ImportService

    out = tmp_path / "p.pdf"
    ExportService(demo).packet(PacketChoice(person="Sofia Garcia"), out, PW)
    svc = ImportService(demo)
    again = svc.import_paths([out], ImportOptions(person="Sofia Garcia", password=PW))
    assert not again.failed, again.files[0].error
    assert sum(again.added.values()) == 0 and again.duplicates > 10
    wrong = svc.import_paths([out], ImportOptions(person="Sofia Garcia", password="not it"))
    assert wrong.failed and "wrong password" in wrong.failed[0].error
    # into another family's vault it brings the records
    from medrecords_desktop.vault.crypto import fast_test_kdf

    other, _ = Vault.create(tmp_path / "other", "other passphrase", kdf=fast_test_kdf())
    try:
        other.add_person("Sofia Garcia", "2015-06-21")
        got = ImportService(other).import_paths([out], ImportOptions(person="Sofia Garcia", password=PW))
        assert not got.failed and got.added["immunization"] >= 3 and got.added["allergy"] == 1
    finally:
        other.close()
