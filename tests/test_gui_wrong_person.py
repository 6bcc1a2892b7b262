"""The GUI asks before filing a scan that names another patient under the chosen person."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import settings_in
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from medrecords_desktop.gui import ext_records, ops
from medrecords_desktop.gui.main_window import MainWindow
from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.vault import Vault
from tests.conftest import PASSPHRASE

LETTER = "LAB REPORT\nPatient: Ruth A. Okafor   DOB: 1958-07-02\nGlucose 95 mg/dL (70-99)\nDr. Patel, clinic\n"


@pytest.fixture
def ctl_win(qtbot, tmp_path: Path, vault_dir: Path):
    from medrecords_desktop.gui.app import apply_theme, make_app

    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    win = MainWindow(vault_dir, tmp_path / "demo-vault", settings)
    qtbot.addWidget(win)
    ctl = ext_records.install(win)
    win.show()
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    yield win, ctl
    ops.wait_idle()
    QApplication.processEvents()
    win.lock()


@pytest.mark.parametrize("answer", [False, True])
def test_scan_of_another_patient_is_asked_about(qtbot, ctl_win, tmp_path, answer) -> None:
    win, ctl = ctl_win
    pid = win.vault.person("Alice Example").id
    letter = tmp_path / "letter.txt"
    letter.write_text(LETTER)
    seen: list[str] = []

    def reply() -> None:
        dlg = getattr(getattr(ctl, "wrong_person", None), "last_dialog", None)
        if dlg is None or not dlg.isVisible():
            QTimer.singleShot(50, reply)
            return
        seen.append(dlg.text.text())
        (dlg.yes_btn if answer else dlg.no_btn).click()

    QTimer.singleShot(50, reply)
    op = ctl.import_scans([letter], pid)
    qtbot.waitUntil(lambda: op.finished, timeout=60000)
    assert seen and "Ruth A. Okafor" in seen[0] and "Alice Example" in seen[0]
    docs = RecordService(win.vault).timeline(person=pid, kinds=["document"])
    if answer:
        assert ctl.scan_outcome is not None and ctl.scan_outcome.patients_found == ["Ruth A. Okafor, born 1958-07-02"]
        assert len(docs) == 1
    else:
        assert docs == []


def test_import_report_names_the_patient_found_and_the_person(qtbot, ctl_win) -> None:
    from medrecords_desktop.gui.import_dialog import ImportDialog
    from medrecords_desktop.services.importing import FileOutcome, ImportReport

    win, _ctl = ctl_win
    dlg = ImportDialog(win.vault, ["martha.json"], win)
    qtbot.addWidget(dlg)
    f = FileOutcome(
        "martha.json",
        "fhir-json",
        patients_found=["Martha DeLarosa, born 1972-05-01"],
        people=["Alice Example"],
        linked_same_day=2,
    )
    f.added.update({"observation": 3})
    dlg.show_report(ImportReport([f]))
    node = dlg.tree.topLevelItem(0)
    lines = [node.child(i).text(0) for i in range(node.childCount())]
    assert "Patient in the file: Martha DeLarosa, born 1972-05-01 → imported into Alice Example" in lines
    assert "2 linked to the visit of the same day" in lines
