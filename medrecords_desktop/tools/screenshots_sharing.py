"""Screenshots of the sharing views on the demo vault.

Run ``python -m medrecords_desktop.tools.screenshots_sharing OUTDIR``.

The packet dialog (filled, then its result), People and access, Audit, Portals & sources, and the
window as a proxy sees it.  Builds
the demo vault in a temporary folder (fast test KDF), adds a made-up proxy user, two portals and a
records request so the pages are not empty, opens the main window offscreen with
``ext_sharing.install`` and saves PNGs into OUT.  The temporary folder (and the packet written there)
is removed afterwards.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import shots

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1400, 900)


def _settle(seconds: float = 0.4) -> None:
    shots.settle(seconds)


def _wait(cond: object, timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:  # type: ignore[operator]
        QApplication.processEvents()
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    return shots.run(argv, "screenshots_sharing", _shoot)


def _extras(demo: Path) -> None:
    """A proxy who sees Rosa, two portals and a records request: made-up, like the rest of the demo."""
    from ..services import access
    from ..services.demo import DEMO_PASSPHRASE
    from ..services.missing import Expectation, MissingService
    from ..services.portals import PortalService
    from ..services.records import RecordService
    from ..vault.vault import Vault

    v = Vault.open(demo, DEMO_PASSPHRASE)
    try:
        access.add_user(v, "Sam Garcia", "sam sees grandma only")
        access.grant(v, "Sam Garcia", "Rosa Martinez", "view")
        access.add_user(v, "Dr. Ana Ruiz", "ana helps with paperwork")
        access.grant(v, "Dr. Ana Ruiz", "Sofia Garcia", "manage")
        portals = PortalService(v)
        portals.add(
            "Valley Children's MyChart",
            "Sofia Garcia",
            fhir_base="https://fhir.valley-childrens.example/R4",
            website="https://mychart.valley-childrens.example",
            brand="Epic MyChart",
            username="maria.garcia",
        )
        portals.add(
            "St. Mary's Hospital",
            "Rosa Martinez",
            website="https://portal.stmarys.example",
            username="rosa.m",
            notes="No API: download the discharge papers by hand.",
        )
        portals.mark_checked("St. Mary's Hospital")
        missing = MissingService(v)
        rosa = v.person("Rosa Martinez")
        assert rosa.id
        visits = RecordService(v).encounters(rosa.id)
        stay = next((e for e in visits if e[0].row.title == "Hospital admission"), None)
        if stay is not None:  # a request the family started for papers that came late
            enc = stay[0]
            missing.request_records(
                Expectation(
                    rosa.id,
                    rosa.name,
                    enc.id,
                    enc.row.title,
                    enc.row.date[:10],
                    "St. Mary's Hospital",
                    "imaging",
                    "Imaging images (CD)",
                    enc.row.date[:10],
                    "overdue",
                )
            )
    finally:
        v.close()


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QDate, QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from ..gui import ext_sharing
    from ..gui.app import apply_theme, make_app
    from ..gui.main_window import MainWindow
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
    _extras(demo)
    win = MainWindow(tmp / "vault", demo, settings)
    sharing = ext_sharing.install(win)
    win.resize(*SIZE)
    win.show()
    shots: list[str] = []

    def shot(name: str, widget: QWidget | None = None) -> None:
        _settle()
        path = out / f"{name}.png"
        (widget or win).grab().save(str(path))
        shots.append(path.name)

    win.set_vault(Vault.open(demo, DEMO_PASSPHRASE), True)
    _settle()
    rosa = next(pid for pid, p in win.people.items() if p.name.startswith("Rosa"))
    win.people_list.setCurrentRow(list(win.people).index(rosa) + 1)
    dlg = sharing.open_packet()
    assert dlg is not None
    dlg.date_from.setDate(QDate(2026, 1, 1))
    for r in range(min(2, dlg.visits.count())):
        dlg.visits.item(r).setCheckState(dlg.visits.item(r).checkState().Checked)
    dlg.prepared_for.setText("Dr. Patel, cardiology — 3 December 2026")
    dlg.out_path.setText(str(Path.home() / "Documents" / Path(dlg.out_path.text()).name))
    shot("sharing-01-packet-dialog", dlg)
    dlg.out_path.setText(str(tmp / Path(dlg.out_path.text()).name))
    dlg.create_packet()
    _wait(lambda: dlg.packet_result is not None or (dlg.op is not None and dlg.op.finished))
    dlg.result_where.setText(dlg.result_where.text().replace(str(tmp), str(Path.home() / "Documents")))
    shot("sharing-02-packet-result", dlg)
    dlg.accept()

    access = sharing.show("access")
    access.select("Sam Garcia", "Rosa Martinez")  # type: ignore[attr-defined]
    shot("sharing-03-people-and-access")
    win.people_list.setCurrentRow(0)
    sharing.show("audit")
    shot("sharing-04-audit")
    sharing.show("portals")
    shot("sharing-05-portals")
    win.lock()
    # the same window signed in as the proxy: one person in the sidebar, the badge says so
    win.set_vault(Vault.open(demo, "sam sees grandma only"), True)
    win.show_view("timeline")
    shot("sharing-06-proxy-signed-in")
    win.lock()
    win.close()
    QApplication.processEvents()
    print("\n".join(shots))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
