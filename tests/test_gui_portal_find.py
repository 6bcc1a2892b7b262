"""The add-portal dialog's provider search and the Claims view, as real widgets offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from gui_helpers import settings_in  # noqa: E402

from medrecords_desktop.gui import ops  # noqa: E402
from medrecords_desktop.gui.main_window import MainWindow  # noqa: E402
from medrecords_desktop.gui.portals_view import AddPortalDialog  # noqa: E402
from medrecords_desktop.importers.fhir import parse_fhir_resources  # noqa: E402
from medrecords_desktop.services.importing import ImportOptions, ImportService  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402
from tests.vendor_data import payer_record  # noqa: E402


def test_find_provider_fills_the_portal_and_says_what_registration_is_missing(qtbot) -> None:
    dlg = AddPortalDialog([("p1", "Alice Example")])
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.find_edit, "brooklyn hospital")
    rows = [dlg.results.item(i).text() for i in range(dlg.results.count())]
    epic = next(i for i, t in enumerate(rows) if t.startswith("The Brooklyn Hospital Center"))
    dlg.results.setCurrentRow(epic)
    assert dlg.fhir_base.text() == "https://epicproxy.et1043.epichosted.com/FHIRProxy/api/FHIR/R4"
    assert dlg.brand.text().startswith("Epic") and dlg.name.text() == "The Brooklyn Hospital Center"
    assert not dlg.registration.isHidden() and "no app registration for Epic" in dlg.registration.text()
    qtbot.keyClicks(dlg.client_id, "my-own-id")  # a per-portal client id: nothing missing any more
    assert dlg.registration.isHidden()
    dlg.find_edit.clear()
    qtbot.keyClicks(dlg.find_edit, "11201")
    assert dlg.results.count() > 0 and "Brooklyn, NY 11201" in dlg.results.item(0).text()
    dlg.find_edit.clear()
    qtbot.keyClicks(dlg.find_edit, "qqzzx clinic")
    assert dlg.results.count() == 0 and "Not listed" in dlg.hint.text()
    dlg._check()
    assert dlg.result() == dlg.DialogCode.Accepted  # the fields the pick filled are kept: it can be added
    values = dlg.values()
    assert values["fhir_base"].endswith("/FHIR/R4") and values["client_id"] == "my-own-id"


def test_claims_view_lists_claims_and_the_visit_without_records(qtbot, tmp_path: Path, vault_dir: Path) -> None:
    from medrecords_desktop.gui.app import apply_theme, make_app

    v = Vault.open(vault_dir, PASSPHRASE)
    try:
        alice = v.persons()[0]
        visit = {
            "resourceType": "Encounter",
            "id": "pp-enc",
            "status": "finished",
            "class": {"code": "AMB"},
            "type": [{"text": "Office visit"}],
            "period": {"start": "2026-02-01T09:00:00Z"},
            "serviceProvider": {"display": "Northside Medical Group"},
        }
        parsed = parse_fhir_resources([*payer_record("pp"), visit], "Acme Health Plan", source_kind="portal")
        ImportService(v).write_parsed(parsed, ImportOptions(person=alice.id, force=True), source_kind="portal")
    finally:
        v.close()
    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    win = MainWindow(vault_dir, tmp_path / "demo-vault", settings)
    qtbot.addWidget(win)
    win.show()
    win.set_vault(Vault.open(vault_dir, PASSPHRASE), False)
    try:
        view = win.show_view("claims")
        t = view.table
        assert t.rowCount() == 2
        cells = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(2)]
        assert cells[0][2] == "Northside Imaging" and cells[0][4] == "$1,840.00" and cells[0][5] == "$1,210.50"
        assert cells[0][6] == "No records of this visit"
        assert cells[1][6] == "Visit: Office visit"
        assert "1 billed visit without any records" in view.summary.text()
    finally:
        ops.wait_idle()
        win.lock()


def test_detail_pane_lists_activities_answers_and_amounts_readably() -> None:
    from medrecords_desktop.gui.widgets import item_fields
    from tests.vendor_data import new_type_resources

    parsed = parse_fhir_resources([*new_type_resources("dd"), *payer_record("dd")[3:]], "x", source_kind="portal")
    by_kind = {i.kind: dict(item_fields(i)) for i in parsed.items if i.title != "Office visit, established patient"}
    assert by_kind["care_plan"]["Activities"] == "Check blood glucose before breakfast (in-progress)"
    assert by_kind["care_plan"]["Category"] == "Assessment and plan of treatment"
    assert "Little interest or pleasure in doing things: Several days" in by_kind["questionnaire"]["Answers"]
    assert by_kind["care_team"]["Members"] == "Dr. Ana Ruiz (Endocrinologist)\nSam Lee (Dietitian)"
    assert by_kind["claim"]["Billed"] == "1,840.00 USD" and by_kind["claim"]["Paid"] == "1,210.50 USD"
    assert all("['" not in v and "{'" not in v for fields in by_kind.values() for v in fields.values())
