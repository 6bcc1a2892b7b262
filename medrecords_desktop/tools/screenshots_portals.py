"""Screenshots of the portal and payer parts: the add-portal dialog finding a provider in the directory,
and the Claims view.  ``python -m medrecords_desktop.tools.screenshots_portals OUTDIR``.

Builds the demo vault in a temporary folder (fast test KDF), adds made-up claims for the first demo person
(one matching a visit the demo has, one billed visit without records) through the ordinary FHIR import,
opens the main window offscreen and saves PNGs into OUTDIR.  The temporary folder is removed afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import shots

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1400, 900)


def _settle(seconds: float = 0.5) -> None:
    shots.settle(seconds)


def _eob(i: int, day: str, provider: str, service: str, billed: float, paid: float) -> dict[str, Any]:
    return {
        "resourceType": "ExplanationOfBenefit",
        "id": f"demo-eob-{i}",
        "status": "active",
        "use": "claim",
        "outcome": "complete",
        "billablePeriod": {"start": day, "end": day},
        "type": {"coding": [{"code": "professional"}]},
        "insurer": {"display": "Acme Health Plan"},
        "provider": {"display": provider},
        "item": [{"sequence": 1, "servicedDate": day, "productOrService": {"text": service}}],
        "total": [{"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": billed, "currency": "USD"}}],
        "payment": {"amount": {"value": paid, "currency": "USD"}},
    }


def _add_claims(vault: Any) -> str:
    from ..importers.fhir import parse_fhir_resources
    from ..services.importing import ImportOptions, ImportService
    from ..services.records import RecordService

    records = RecordService(vault)
    person = vault.persons()[0]
    visits = records.timeline(person=person.name, kinds=["encounter"], limit=3)
    resources = []
    for n, v in enumerate(visits):
        resources.append(
            _eob(
                n, v.row.date[:10], v.row.data.get("provider") or "Clinic", v.row.title, 180.0 + 95 * n, 120.0 + 60 * n
            )
        )
    resources.append(_eob(9, "2026-03-02", "Northside Imaging", "CT abdomen with contrast", 1840.0, 1210.5))
    parsed = parse_fhir_resources(resources, "Acme Health Plan (ExplanationOfBenefit)", source_kind="portal")
    ImportService(vault).write_parsed(parsed, ImportOptions(person=person.id), source_kind="portal")
    return str(person.id)


def main(argv: list[str] | None = None) -> int:
    return shots.run(argv, "screenshots_portals", _shoot)


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QSettings

    from ..gui.app import apply_theme, make_app
    from ..gui.main_window import MainWindow
    from ..gui.portals_view import AddPortalDialog
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
    pid = _add_claims(v)
    v.close()
    win = MainWindow(tmp / "vault", demo, settings)
    win.resize(*SIZE)
    win.show()
    win.set_vault(Vault.open(demo, DEMO_PASSPHRASE), True)
    _settle()
    win.show_view("claims")
    win.people_list.setCurrentRow(list(win.people).index(pid) + 1)
    _settle()
    win.grab().save(str(out / "claims-view.png"))

    dlg = AddPortalDialog([(p, x.name) for p, x in win.people.items()], pid, win)
    dlg.resize(720, 760)
    dlg.show()
    dlg.find_edit.setText("brooklyn hospital")
    _settle()
    dlg.results.setCurrentRow(1)
    _settle()
    dlg.grab().save(str(out / "add-portal-find-provider.png"))
    dlg.close()
    print(f"wrote {out / 'claims-view.png'} and {out / 'add-portal-find-provider.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
