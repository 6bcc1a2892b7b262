"""Screenshots of the own-records features on the demo vault:
``python -m medrecords_desktop.tools.screenshots_records OUTDIR``.

Builds the demo vault in a temporary folder (fast test KDF), opens the main window offscreen with
``ext_records.install`` and saves: the Missing records view (after deleting one after-visit summary),
the visit badge in the encounter browser, the Add lab result form (filled), the blood pressure form,
the item detail of a corrected result with its original shown, the timeline with the marks, the Trash,
and the review table of results read from a lab report (when the lab-report reader is present).
Made-up data only; the temporary folder is removed afterwards.
"""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import shots

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1400, 900)
LAB_LINES = [
    "Riverside Laboratory Services — Final report",
    "Collected: 2026-03-02 07:45",
    "Test                      Result    Units     Reference",
    "Glucose, fasting          105       mg/dL     70-99      H",
    "Hemoglobin A1c            5.9       %         4.0-5.6    H",
    "Cholesterol, total        212       mg/dL     <200       H",
    "HDL cholesterol           48        mg/dL     >40",
    "Platelts                  250       K/uL      150-400",
    "Triglycerides             141       mg/dL     <150",
    "TSH                       2.31      mIU/L     0.40-4.00",
    "Sodium                    140       mmol/L    135-145",
    "Potassium                 4.4       mmol/L    3.5-5.1",
]


def _wait(cond: Any, timeout: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def _settle(seconds: float = 0.3) -> None:
    shots.settle(seconds)


def _lab_pdf() -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.setFont("Courier", 10)
    for n, line in enumerate(LAB_LINES):
        c.drawString(60, 720 - 18 * n, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    return shots.run(argv, "screenshots_records", _shoot)


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QDate, QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from ..gui import ext_records, ops
    from ..gui.app import apply_theme, make_app
    from ..gui.main_window import PERSON_ROLE, MainWindow
    from ..gui.settings import AppSettings
    from ..services.demo import DEMO_PASSPHRASE, create_demo_vault
    from ..services.editing import EditingService
    from ..services.importing import ImportOptions, ImportService
    from ..services.records import RecordService
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault

    app = make_app()
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = "dark" if os.environ.get("MEDRECORDS_SHOTS_DARK") == "1" else "light"
    apply_theme(app, settings)
    demo = tmp / "demo-vault"
    create_demo_vault(demo, kdf=fast_test_kdf()).close()
    vault = Vault.open(demo, DEMO_PASSPHRASE)
    records = RecordService(vault)
    edits = EditingService(vault)

    # One visit whose after-visit summary never arrived: David's latest physical.
    enc, _ = next((e, n) for e, n in records.encounters(person="David Garcia") if e.row.title == "Annual physical")
    avs = next(e for e in records.encounter_detail(enc.id).items if e.row.title == "After-visit summary")
    edits.delete(avs.id)
    # ...and Maria's, from the same visit day; David's portal has a website (no API) to visit.
    m_enc, _ = next((e, n) for e, n in records.encounters(person="Maria Garcia") if e.row.title == "Annual physical")
    edits.delete(next(e for e in records.encounter_detail(m_enc.id).items if e.row.title == "After-visit summary").id)
    from ..services.portals import PortalService

    PortalService(vault).add("Riverside MyChart (demo)", "David Garcia", website="https://mychart.example.org/")
    clock = date.fromisoformat(enc.row.date[:10]) + timedelta(days=12)
    # A paper lab report scanned as a PDF with a text layer (Maria), for the review table.
    ImportService(vault).import_bytes(
        _lab_pdf(),
        "lab-report-march.pdf",
        ImportOptions(person="Maria Garcia", kind="Lab report", title="Lab report (paper copy)", date="2026-03-02"),
    )

    win = MainWindow(tmp / "vault", demo, settings)
    ctl = ext_records.install(win, today=lambda: clock)
    win.resize(*SIZE)
    win.show()
    win.set_vault(vault, True)
    _settle()
    shots: list[str] = []

    def grab(widget: QWidget, name: str) -> None:
        _settle(0.4)
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path.name)

    def show(view: str) -> None:
        for row in range(win.view_list.count()):
            if win.view_list.item(row).data(PERSON_ROLE) == view:
                win.view_list.setCurrentRow(row)
                return

    def person(name: str | None) -> None:
        for row in range(win.people_list.count()):
            pid = win.people_list.item(row).data(PERSON_ROLE)
            if (pid is None and name is None) or (pid is not None and win.people[pid].name == name):
                win.people_list.setCurrentRow(row)
                return

    show("missing")
    view = ctl.missing
    view.table.selectRow(next(n for n, e in enumerate(view.rows) if e.person == "David Garcia"))
    grab(win, "r01-missing-records")

    show("encounters")
    person("David Garcia")
    from ..gui.views.encounters import EncountersView
    from ..gui.views.timeline import TimelineView

    encv = win.views["encounters"]
    assert isinstance(encv, EncountersView)
    for row in range(encv.model.rowCount()):
        e = encv.model.entry_at(row)
        if e is not None and e.id == enc.id:
            encv.table.selectRow(row)
    grab(win, "r02-visit-badge")

    person("Maria Garcia")
    dlg = ctl.add_entry("lab")
    assert dlg is not None
    dlg.fields["name"].setEditText("Hemoglobin A1c")  # type: ignore[attr-defined]
    dlg.fields["value"].setText("5.8")  # type: ignore[attr-defined]
    unit = dlg.fields["unit"]
    if not unit.currentText():  # type: ignore[attr-defined]
        unit.setEditText("%")  # type: ignore[attr-defined]
    dlg.fields["low"].setText("4.0")  # type: ignore[attr-defined]
    dlg.fields["high"].setText("5.6")  # type: ignore[attr-defined]
    dlg.fields["date"].setDate(QDate.currentDate().addDays(-3))  # type: ignore[attr-defined]
    dlg.fields["lab"].setText("Quest Diagnostics")  # type: ignore[attr-defined]
    grab(dlg, "r03-add-lab-form")
    dlg.save()
    ops.settle()  # saved on the worker

    dlg = ctl.add_entry("blood-pressure")
    assert dlg is not None
    dlg.fields["systolic"].setText("142")  # type: ignore[attr-defined]
    dlg.fields["diastolic"].setText("91")  # type: ignore[attr-defined]
    dlg.fields["note"].setText("home cuff, left arm, after 5 min rest")  # type: ignore[attr-defined]
    grab(dlg, "r04-blood-pressure-form")
    dlg.save()
    ops.settle()

    # Correct an imported result (a typo in the portal) and show the detail with the original.
    maria = vault.person("Maria Garcia").id
    assert maria
    series = records.lab_series(maria, code="2345-7")
    target = series[-1]
    was = target.row.value_num or 0
    # a transposed digit in the portal's copy; the corrected value stays within the range
    edits.correct(target.id, {"value": f"{was - 3:g}"}, "the paper report says so; portal typo")
    ops.announce()
    detail = ctl.show_details(target.id)
    assert detail is not None
    detail.original_btn.setChecked(True)
    detail.resize(620, 470)
    grab(detail, "r05-item-detail-corrected")
    detail.close()

    show("timeline")
    tl = win.views["timeline"]
    assert isinstance(tl, TimelineView)
    tl.select_item(target.id)
    grab(win, "r06-timeline-marks")

    person(None)
    for e in records.timeline(person="Rosa Martinez", kinds=["document"], limit=1):
        ctl.delete(e.id)
    for e in records.timeline(person="Sofia Garcia", kinds=["immunization"], limit=2):
        ctl.delete(e.id)  # the last one leaves "Moved … to the Trash" with Undo in the status bar
    ops.settle()
    show("trash")
    ctl.trash.table.selectRow(0)
    grab(win, "r07-trash")

    if ctl.can_read_results():
        person("Maria Garcia")
        doc = next(
            e
            for e in records.timeline(person="Maria Garcia", kinds=["document"], limit=200)
            if e.row.source_name == "lab-report-march.pdf"
        )
        op = ctl.read_results(doc.id)
        assert op is not None
        _wait(lambda: op.finished and ctl.last_review is not None, 120)
        review = ctl.last_review
        if review is not None:
            review.resize(1280, 600)
            grab(review, "r08-review-results")
            review.close()
    else:
        print("skipped r08-review-results: services.labreport is not in this build", file=sys.stderr)

    win.lock()
    win.close()
    QApplication.processEvents()
    print("\n".join(shots))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
