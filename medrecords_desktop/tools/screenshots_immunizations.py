"""Screenshots of the Immunizations view on the demo vault:
``python -m medrecords_desktop.tools.screenshots_immunizations OUTDIR``.

Builds the demo vault in a temporary folder (fast test KDF), gives the demo child a made-up
immunization history from two overlapping sources (a paediatric portal and a school form typed in
by hand), opens the main window offscreen and saves: the child's Immunizations view, the Everyone
view of it, the Everyone timeline with its "due soon" line, the Missing records view with the dose
only the school form records, and the packet page "Due at this visit" (rendered with pdftoppm).
Made-up data only; the temporary folder is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import shots

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1400, 900)
SHOT_PASSWORD = "screenshot packet 1"  # noqa: S105 (a made-up packet, deleted afterwards)
CVX = "http://hl7.org/fhir/sid/cvx"
# (date, CVX, name) — a mostly on-time childhood schedule with one dose given too early
CHILD_DOSES = [
    ("2015-06-22", "08", "Hep B, pediatric"),
    ("2015-08-24", "110", "Pediarix"),
    ("2015-08-24", "49", "PedvaxHIB"),
    ("2015-08-24", "133", "Prevnar 13"),
    ("2015-08-24", "116", "RotaTeq"),
    ("2015-10-26", "110", "Pediarix"),
    ("2015-10-26", "49", "PedvaxHIB"),
    ("2015-10-26", "133", "Prevnar 13"),
    ("2015-10-26", "116", "RotaTeq"),
    ("2015-12-28", "110", "Pediarix"),
    ("2015-12-28", "133", "Prevnar 13"),
    ("2015-12-28", "116", "RotaTeq"),
    ("2016-06-15", "03", "MMR"),
    ("2016-06-27", "21", "Varicella"),
    ("2016-06-27", "49", "PedvaxHIB"),
    ("2016-06-27", "83", "Hep A, pediatric"),
    ("2016-09-26", "20", "DTaP"),
    ("2016-09-26", "133", "Prevnar 13"),
    ("2017-01-09", "83", "Hep A, pediatric"),
    ("2019-07-02", "03", "MMR"),
    ("2019-07-02", "21", "Varicella"),
    ("2019-08-01", "130", "Kinrix"),
]
SCHOOL_FORM = [
    ("2016-06-15", "MMR"),
    ("2019-07-02", "MMR"),
    ("2019-07-02", "Varicella"),
    ("2019-08-01", "Kinrix"),
    ("2022-09-01", "Tdap"),
]


def _settle(seconds: float = 0.4) -> None:
    shots.settle(seconds)


def add_child_history(vault: object, person: str) -> None:
    """The made-up history above, moved to the person's birth date (it was written for 2015-06-21)."""
    import datetime as dt

    from ..importers.base import ParsedFile
    from ..model.records import Immunization, Item, Provenance
    from ..services.importing import ImportOptions, ImportService

    born = dt.date.fromisoformat(vault.person(person).birth_date)  # type: ignore[attr-defined]
    shift = born - dt.date(2015, 6, 21)

    def at(iso: str) -> str:
        return (dt.date.fromisoformat(iso) + shift).isoformat()

    portal: list[Item] = [
        Immunization(
            title=t,
            date=at(d),
            code_system=CVX,
            code=c,
            status="completed",
            provenance=Provenance(
                source_kind="portal", source_name="Pediatrics portal", source_id=f"imm-{i}", raw_format="fhir+json"
            ),
        )
        for i, (d, c, t) in enumerate(CHILD_DOSES)
    ]
    school: list[Item] = [
        Immunization(
            title=t,
            date=at(d),
            status="completed",
            provenance=Provenance(
                source_kind="manual", source_name="School form", source_id=f"school-{i}", raw_format="manual"
            ),
        )
        for i, (d, t) in enumerate(SCHOOL_FORM)
    ]
    svc = ImportService(vault)  # type: ignore[arg-type]
    svc.write_parsed(
        ParsedFile("Pediatrics portal", "fhir-json", items=portal), ImportOptions(person=person), source_kind="portal"
    )
    svc.write_parsed(
        ParsedFile("School form", "fhir-json", items=school), ImportOptions(person=person), source_kind="manual"
    )


def main(argv: list[str] | None = None) -> int:
    return shots.run(argv, "screenshots_immunizations", _shoot)


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QSettings

    from ..gui.app import apply_theme, make_app
    from ..gui.main_window import MainWindow
    from ..gui.settings import AppSettings
    from ..services.demo import DEMO_PASSPHRASE, create_demo_vault
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault

    app = make_app()
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = "light"
    apply_theme(app, settings)
    demo = tmp / "demo-vault"
    v = create_demo_vault(demo, kdf=fast_test_kdf())
    add_child_history(v, "Sofia Garcia")
    v.close()
    win = MainWindow(tmp / "vault", demo, settings)
    win.resize(*SIZE)
    win.show()
    win.set_vault(Vault.open(demo, DEMO_PASSPHRASE), True)
    _settle()
    win.show_view("timeline")
    _settle()
    win.grab().save(str(out / "immunizations-due-soon-line.png"))
    win.show_view("immunizations")
    _settle()
    win.grab().save(str(out / "immunizations-everyone.png"))
    sofia = next(pid for pid, p in win.people.items() if p.name.startswith("Sofia"))
    win.people_list.setCurrentRow(list(win.people).index(sofia) + 1)
    _settle()
    win.grab().save(str(out / "immunizations-view.png"))
    win.show_view("missing")
    _settle()
    win.grab().save(str(out / "immunizations-missing-records.png"))
    win.lock()
    app.processEvents()
    n = 4 + _packet_shot(demo, tmp, out)
    print(f"saved {n} screenshots in {out}")
    return 0


def _packet_shot(demo: Path, tmp: Path, out: Path) -> int:
    """The packet page with "Due at this visit", rendered by pdftoppm (Poppler) when it is installed."""
    import subprocess

    import pikepdf

    from ..services.demo import DEMO_PASSPHRASE
    from ..services.exporting import ExportService, PacketChoice
    from ..vault.vault import Vault

    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: no packet screenshot")
        return 0
    v = Vault.open(demo, DEMO_PASSPHRASE)
    try:
        pdf = tmp / "packet.pdf"
        res = ExportService(v).packet(
            PacketChoice(
                person="Sofia Garcia",
                prepared_for="Dr. Lee (school physical)",
                include=["immunization", "allergy", "condition"],
            ),
            pdf,
            SHOT_PASSWORD,
        )
    finally:
        v.close()
    page = next(p for title, p in res.bookmarks if title == "Due at this visit")
    plain = tmp / "plain.pdf"
    with pikepdf.open(pdf, password=SHOT_PASSWORD) as doc:
        doc.save(plain)
    pdftoppm = shutil.which("pdftoppm") or "pdftoppm"
    cmd = [
        pdftoppm,
        "-png",
        "-r",
        "80",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(plain),
        str(out / "packet-due-at-this-visit"),
    ]
    subprocess.run(cmd, check=True)  # noqa: S603 (our own temp files)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
