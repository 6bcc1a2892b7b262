"""Screenshots of putting mistakes right, on the demo vault:
``python -m medrecords_desktop.tools.screenshots_people OUTDIR``.

Builds the demo vault in a temporary folder (fast test KDF) with a second entry for Rosa (a hospital
export filed under "Rosa A. Martinez"), then saves: the person menu on the sidebar, the merge dialog,
the Import history with Undo import, and the
Trash holding an undone import and a merged person. Made-up data only; the temporary folder is removed afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import shots

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1400, 900)


def _settle(seconds: float = 0.4) -> None:
    shots.settle(seconds)


def main(argv: list[str] | None = None) -> int:
    return shots.run(argv, "screenshots_people", _shoot)


def _second_rosa(vault: Any) -> None:
    """A hospital export filed under a second entry for Rosa: some of it she already has."""
    from ..importers.base import ParsedFile
    from ..model.records import Encounter, Medication, Observation, Provenance
    from ..services.importing import ImportOptions, ImportService
    from ..services.records import RecordService

    vault.add_person("Rosa A. Martinez", "1948-11-03", "female")
    records = RecordService(vault)
    again = [records.item(e.id) for e in records.timeline("Rosa Martinez", kinds=["observation"], limit=14)]
    for it in again:
        it.provenance = Provenance(
            source_kind="file", source_name="hospital-export.json", source_id=f"Observation/h-{it.id}"
        )

    def prov(sid: str) -> Provenance:
        return Provenance(source_kind="file", source_name="hospital-export.json", source_id=sid)

    new = [
        Encounter(
            title="Emergency visit: shortness of breath",
            date="2026-08-14T22:10",
            provider="St. Mary's Hospital Emergency Department",
            encounter_class="EMER",
            provenance=prov("Encounter/h1"),
        ),
        Observation(
            title="NT-proBNP",
            date="2026-08-14T22:40",
            code_system="http://loinc.org",
            code="33762-6",
            value=1840,
            unit="pg/mL",
            ref_high=450,
            category="laboratory",
            encounter_ref="Encounter/h1",
            provenance=prov("Observation/h2"),
        ),
        Medication(
            title="Furosemide 20 mg tablet",
            date="2026-08-15",
            dose="20 mg daily",
            provenance=prov("MedicationRequest/h3"),
        ),
    ]
    ImportService(vault).write_parsed(
        ParsedFile("hospital-export.json", "fhir+json", items=[*again, *new]), ImportOptions(person="Rosa A. Martinez")
    )
    # ...and a school nurse's note filed under the wrong child, already taken back
    from ..model.records import Immunization
    from ..services.people import PeopleService, make_import_id

    ImportService(vault).write_parsed(
        ParsedFile(
            "school-nurse-record.json",
            "fhir+json",
            items=[
                Immunization(title="Tdap booster", date="2026-09-02", provenance=prov("Immunization/s1")),
                Observation(
                    title="Body height",
                    date="2026-09-02",
                    code_system="http://loinc.org",
                    code="8302-2",
                    value=151,
                    unit="cm",
                    category="vital-signs",
                    provenance=prov("Observation/s2"),
                ),
            ],
        ),
        ImportOptions(person="Sofia Garcia"),
    )
    sofia = vault.person("Sofia Garcia").id
    last = vault.person_db(sofia).one("SELECT max(id) FROM imports")[0]
    PeopleService(vault).undo_import(make_import_id(sofia, last))


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QPoint, QSettings
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from ..gui import ext_records
    from ..gui.app import apply_theme, make_app
    from ..gui.main_window import PERSON_ROLE, MainWindow
    from ..gui.settings import AppSettings
    from ..services.demo import DEMO_PASSPHRASE, create_demo_vault
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault

    app = make_app()
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = "dark" if os.environ.get("MEDRECORDS_SHOTS_DARK") == "1" else "light"
    apply_theme(app, settings)
    demo = tmp / "demo-vault"
    create_demo_vault(demo, kdf=fast_test_kdf()).close()
    vault = Vault.open(demo, DEMO_PASSPHRASE)
    _second_rosa(vault)

    win = MainWindow(tmp / "vault", demo, settings)
    ext_records.install(win)
    win.resize(*SIZE)
    win.show()
    win.set_vault(vault, True)
    _settle()
    shots: list[str] = []

    def grab(widget: QWidget, name: str) -> None:
        _settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path.name)

    def person(name: str | None) -> int:
        for row in range(win.people_list.count()):
            pid = win.people_list.item(row).data(PERSON_ROLE)
            if (pid is None and name is None) or (pid is not None and win.people[pid].name == name):
                win.people_list.setCurrentRow(row)
                return row
        raise LookupError(name)

    def show(view: str) -> None:
        for row in range(win.view_list.count()):
            if win.view_list.item(row).data(PERSON_ROLE) == view:
                win.view_list.setCurrentRow(row)
                return

    # 1. the person menu, opened on the sidebar (a popup is its own window: painted onto the window's grab)
    show("timeline")
    row = person("Rosa A. Martinez")
    lst = win.people_list
    at = lst.visualItemRect(lst.item(row)).center() + QPoint(10, 4)
    ctl = win.feature("people")
    menu = ctl.context_menu()
    menu.popup(lst.viewport().mapToGlobal(at))
    _settle()
    shot = win.grab()
    painter = QPainter(shot)
    painter.drawPixmap(win.mapFromGlobal(menu.pos()), menu.grab())
    painter.end()
    path = out / "22-person-menu.png"
    shot.save(str(path))
    shots.append(path.name)
    menu.close()

    # 2. the merge dialog: what moves, what is folded, how to undo
    dlg = ctl.merge()
    assert dlg is not None
    for i in range(dlg.target.count()):
        if dlg.target.itemText(i).startswith("Rosa Martinez"):
            dlg.target.setCurrentIndex(i)
    dlg.resize(560, 380)
    grab(dlg, "22-merge-dialog")
    dlg.close()

    # 3. the Import history with the hospital export chosen: Undo import… and Move to…
    person(None)
    show("imports")
    from ..gui.views.imports import ImportsView

    view = win.views["imports"]
    assert isinstance(view, ImportsView)
    for r in range(view.model.rowCount()):
        row_data = view.model.row_at(r)
        if row_data and row_data.source_name == "hospital-export.json":
            view.select_row(r)
    grab(win, "22-import-history-undo")

    # 4. the Trash after a merge: the undone import and the merged person, one line each
    from ..gui import ops
    from ..services.people import PeopleService

    PeopleService(vault).merge("Rosa Martinez", "Rosa A. Martinez")
    ops.announce()
    show("trash")
    grab(win, "22-trash-units")

    win.lock()
    win.close()
    QApplication.processEvents()
    print("\n".join(shots))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
