"""Screenshots of the clinical-correctness features on the demo vault:
``python -m medrecords_desktop.tools.screenshots_clinical OUTDIR``.

Saves: the Labs view with a glucose series reported in mg/dL by one source and in mmol/L by another,
drawn in one unit with each result's own range (c01), the same series shown in mmol/L (c02), and the
question asked when a scan names another patient than the person it is added to (c03).  Made-up data
only, in a temporary folder removed afterwards.
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
    return shots.run(argv, "screenshots_clinical", _shoot)


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from ..gui.app import apply_theme, make_app
    from ..gui.main_window import PERSON_ROLE, MainWindow
    from ..gui.settings import AppSettings
    from ..gui.wrong_person import WrongPersonDialog
    from ..importers.base import ParsedFile, PatientInfo
    from ..model.records import Item, Observation, Provenance
    from ..services.demo import DEMO_PASSPHRASE, create_demo_vault
    from ..services.importing import ImportOptions, ImportService
    from ..services.records import RecordService
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault

    app = make_app()
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = "light"
    apply_theme(app, settings)
    demo = tmp / "demo-vault"
    create_demo_vault(demo, kdf=fast_test_kdf()).close()
    vault = Vault.open(demo, DEMO_PASSPHRASE)
    maria = vault.person("Maria Garcia")
    series = RecordService(vault).lab_series(maria.id, code="2345-7")
    last = max((e.row.date for e in series), default="2026-03-02")[:10]
    year = int(last[:4])
    # A second source (a hospital abroad) reports glucose in mmol/L under the molar code, with its range.
    extra: list[Item] = [
        Observation(
            title="GLUCOSE (FASTING PLASMA)",
            date=f"{year}-{m:02d}-15T08:10",
            code_system="http://loinc.org",
            code="14749-6",
            value=v,
            unit="mmol/L",
            ref_low=3.9,
            ref_high=5.5,
            category="laboratory",
            provenance=Provenance(source_name="clinica-lisboa.json", source_id=f"Observation/lx-{m}"),
        )
        for m, v in ((1, 6.2), (5, 5.8))
    ]
    ImportService(vault).write_parsed(
        ParsedFile("clinica-lisboa.json", "fhir-json", items=extra), ImportOptions(person=maria.id)
    )
    win = MainWindow(tmp / "vault", demo, settings)
    win.resize(*SIZE)
    win.show()
    win.set_vault(vault, True)
    _settle()
    shots: list[str] = []

    def grab(widget: QWidget, name: str) -> None:
        _settle(0.5)
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path.name)

    for row in range(win.people_list.count()):
        pid = win.people_list.item(row).data(PERSON_ROLE)
        if pid is not None and win.people[pid].name == "Maria Garcia":
            win.people_list.setCurrentRow(row)
    labs: Any = win.show_view("labs")
    _settle()
    labs.select_test("Glucose")
    grab(win, "c01-labs-converted-series")
    labs.unit_box.setCurrentIndex(labs.unit_box.findData("mmol/L"))
    grab(win, "c02-labs-converted-series-mmol")

    dlg = WrongPersonDialog(
        PatientInfo(ref="text-patient", name="Ruth A. Okafor", birth_date="1958-07-02"),
        maria,
        "scan-2026-03-14.jpg",
        win,
    )
    dlg.show()
    grab(dlg, "c03-wrong-person-question")
    dlg.close()
    win.lock()
    print("\n".join(shots))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
