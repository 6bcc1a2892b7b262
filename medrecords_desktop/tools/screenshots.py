"""Screenshots of every view on the demo vault: ``python -m medrecords_desktop.tools.screenshots OUTDIR``.

Builds the demo vault in a temporary folder (fast test KDF), opens the main window offscreen at
1400x900 and saves one PNG per view.  Made-up data only; nothing is written outside OUTDIR and the
temporary folder, which is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1400, 900)


def _settle(app: object, rounds: int = 5) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()


def _wait(cond: object, timeout: float = 30.0) -> None:
    import time

    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:  # type: ignore[operator]
        QApplication.processEvents()
        time.sleep(0.01)


def _fixture_files() -> list[Path]:
    root = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "gui"
    return sorted(p for p in root.glob("*") if p.is_file()) if root.exists() else []


def _importers_ready() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None
        for m in ("medrecords_desktop.importers.detect", "medrecords_desktop.importers.fhir")
    )


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m medrecords_desktop.tools.screenshots OUTDIR", file=sys.stderr)
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="mr-shots-"))
    try:
        return _shoot(out, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ..gui.app import apply_theme, make_app
    from ..gui.main_window import MainWindow
    from ..gui.search import SearchView
    from ..gui.settings import AppSettings
    from ..gui.views.documents import DocumentsView
    from ..gui.views.encounters import EncountersView
    from ..gui.views.labs import LabsView
    from ..gui.views.timeline import TimelineView
    from ..services.demo import DEMO_PASSPHRASE, create_demo_vault
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault
    from .shots import view_of

    app = make_app()
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    dark = os.environ.get("MEDRECORDS_SHOTS_DARK") == "1"
    settings.theme = "dark" if dark else "light"
    apply_theme(app, settings)
    demo = tmp / "demo-vault"
    create_demo_vault(demo, kdf=fast_test_kdf()).close()
    win = MainWindow(tmp / "vault", demo, settings)
    win.resize(*SIZE)
    win.show()
    shots: list[str] = []

    def shot(name: str) -> None:
        import time

        _settle(app)
        end = time.monotonic() + 0.6  # QtPdf renders pages on a thread: let them arrive
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)
        path = out / f"{name}.png"
        win.grab().save(str(path))
        shots.append(path.name)

    win.unlock.show_welcome()
    shot("01-welcome")
    win.unlock.show_create()
    win.unlock.location.setText("~/.local/share/MedRecords/vault")
    win.unlock.owner.setText("Maria Garcia")
    win.unlock.new_pass.setText("river lantern cobalt meadow")
    win.unlock.confirm.setText("river lantern cobalt meadow")
    shot("01-create-vault")
    win.unlock.show_unlock(demo)
    win.unlock.passphrase.setText("not the passphrase")
    win.unlock.unlock_btn.click()
    _wait(lambda: bool(win.unlock.unlock_error.text()))
    shot("02-unlock-wrong-passphrase")
    win.set_vault(Vault.open(demo, DEMO_PASSPHRASE), True)
    _settle(app)
    tl = view_of(win, "timeline", TimelineView)
    tl.list.setCurrentIndex(tl.model.index(1))
    shot("03-timeline")

    enc = win.show_view("encounters")
    rosa = next(pid for pid, p in win.people.items() if p.name.startswith("Rosa"))
    win.people_list.setCurrentRow(list(win.people).index(rosa) + 1)
    _settle(app)
    enc = view_of(win, "encounters", EncountersView)
    for row in range(enc.model.rowCount()):  # the hospital admission has reports and a discharge summary
        e = enc.model.entry_at(row)
        if e is not None and e.row.title == "Hospital admission":
            enc.table.selectRow(row)
            break
    else:
        enc.table.selectRow(0)
    shot("04-encounters")
    docs = enc.document_nodes()
    if docs:
        enc.tree.setCurrentItem(docs[-1])
    shot("05-document-viewer")

    win.show_view("labs")
    labs = view_of(win, "labs", LabsView)
    labs.select_test("Hemoglobin A1c")
    shot("06-labs")
    win.people_list.setCurrentRow(0)
    win.show_view("medications")
    shot("07-medications")
    win.show_view("documents")
    dv = view_of(win, "documents", DocumentsView)
    row = dv.first_document_row()
    if row >= 0:
        dv.list.setCurrentIndex(dv.model.index(row))
    shot("08-documents")
    win.search_field.setText("pneumonia")
    win.run_search()
    sv = view_of(win, "search", SearchView)
    if sv.model.rowCount():
        sv.list.setCurrentIndex(sv.model.index(0))
    shot("09-search")
    win.search_field.clear()

    dlg = _import_report(win, tmp, out)
    _settle(app)
    if dlg is not None:
        path = out / "11-import-report.png"
        dlg.grab().save(str(path))
        shots.append(path.name)
        dlg.close()
    win.show_view("imports")
    shot("12-import-history")
    win.lock()
    shot("13-locked")
    win.close()
    QApplication.processEvents()
    print("\n".join(shots))
    return 0


def _import_report(win: object, tmp: Path, out: Path) -> QWidget | None:
    """A real import: the GUI fixtures when the parsers exist, else made-up items written by the service."""
    from ..gui.import_dialog import ImportDialog
    from ..gui.main_window import MainWindow
    from ..importers.base import ParsedFile
    from ..model.records import Document, Encounter, Observation, Provenance
    from ..services.importing import ImportOptions, ImportReport, ImportService

    assert isinstance(win, MainWindow) and win.vault is not None
    if _importers_ready() and _fixture_files():
        # The fixtures' patient is not in the demo family: the import asks whose records they are.
        # Photograph that question, then answer "a new person" from inside its event loop.
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from ..gui.import_dialog import ChoosePersonDialog

        def answer() -> None:
            d = QApplication.activeModalWidget()
            if isinstance(d, ChoosePersonDialog):
                d.group.button(len(d.choices) - 1).setChecked(True)
                d.adjustSize()
                d.grab().save(str(out / "10-import-asks-whose-records.png"))
                d.accept()
            else:
                QTimer.singleShot(50, answer)

        QTimer.singleShot(50, answer)
        dlg = win.import_paths([str(p) for p in _fixture_files()])
        assert dlg is not None
        _wait(lambda: dlg.report is not None or dlg.close_btn.isVisible())
        dlg.resize(720, 460)
        return dlg
    person = next(iter(win.people))
    enc = Encounter(
        title="Office visit",
        date="2026-03-02T10:00",
        provider="Example Clinic",
        provenance=Provenance(source_id="Encounter/shot-1"),
    )
    items = [
        enc,
        Observation(
            title="Glucose",
            date="2026-03-02T10:20",
            code="2345-7",
            value=104,
            unit="mg/dL",
            ref_low=70,
            ref_high=99,
            encounter_ref="Encounter/shot-1",
            provenance=Provenance(source_id="Observation/shot-1"),
        ),
        Document(
            title="Visit note",
            date="2026-03-02",
            mime="text/plain",
            content=b"Made-up note.",
            text="Made-up note.",
            encounter_ref="Encounter/shot-1",
            provenance=Provenance(source_id="Doc/shot-1"),
        ),
    ]
    assert win.session is not None
    vault = win.session.vault
    svc = ImportService(vault)
    report = ImportReport()
    report.files.append(
        svc.write_parsed(ParsedFile("visit-2026-03-02.json", "fhir-json", items=items), ImportOptions(person=person))
    )
    report.files.append(
        svc.write_parsed(
            ParsedFile("visit-2026-03-02-copy.json", "fhir-json", items=items), ImportOptions(person=person)
        )
    )
    dlg = ImportDialog(vault, ["visit-2026-03-02.json", "visit-2026-03-02-copy.json"], win)
    dlg.resize(720, 460)
    dlg.show()
    dlg.show_report(report)
    return dlg


if __name__ == "__main__":
    sys.exit(main())
