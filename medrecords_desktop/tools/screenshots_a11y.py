"""Screenshots in another language and at 200% scaling, to look for clipped or overlapping text:
``python -m medrecords_desktop.tools.screenshots_a11y OUTDIR``.

Runs offscreen with ``QT_SCALE_FACTOR=2`` (override with ``MEDRECORDS_SHOTS_SCALE``) and the language
of ``MEDRECORDS_LANG`` (default ``es``), on the demo vault built in a temporary folder (fast test KDF).
Saves ``<lang>-01-welcome``, ``-02-create-vault``, ``-03-timeline``, ``-04-encounters``,
``-05-medications``, ``-06-add-lab-result``, ``-07-item-detail``, ``-08-settings``, ``-09-help`` and
``-10-high-contrast-timeline`` (``MEDRECORDS_HIGH_CONTRAST=1``), ``-immunizations`` (the demo child's
vaccines, with a made-up history added), ``-11-labs``, ``-12-labs-as-table`` (the chart's table
alternative), ``-13-packet-dialog`` and ``-14-packet-page`` (the packet's lab page in the same language,
rendered with pdftoppm).  PNGs are reduced to 256 colours to
stay small.  Made-up data only; the temporary folder is removed afterwards.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from . import shots

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_SCALE_FACTOR"] = os.environ.get("MEDRECORDS_SHOTS_SCALE", "2")
os.environ.setdefault("MEDRECORDS_LANG", "es")

# Logical size: a 2560x1440 screen at 200% shows 1280x720 logical pixels; the window fills most of it.
SIZE = (1280, 760)


def _settle(seconds: float = 0.4) -> None:
    shots.settle(seconds)


def _wait(cond: Any, timeout: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def _save(widget: Any, path: Path) -> None:
    """Grab at device pixels, then 256 colours (UI colours fit; the file stays small)."""
    from PIL import Image

    widget.grab().save(str(path))
    with Image.open(path) as img:
        img.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    return shots.run(argv, "screenshots_a11y", _shoot)


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ..gui import i18n
    from ..gui.app import apply_theme, make_app
    from ..gui.entry_forms import EntryDialog
    from ..gui.help_dialog import HelpDialog
    from ..gui.item_detail import ItemDetailDialog
    from ..gui.main_window import MainWindow
    from ..gui.settings import AppSettings, SettingsDialog
    from ..gui.views.encounters import EncountersView
    from ..gui.views.timeline import TimelineView
    from ..services.demo import DEMO_PASSPHRASE, create_demo_vault
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault
    from .shots import view_of

    app = make_app()
    lang = i18n.install(app)
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = "light"
    apply_theme(app, settings)
    demo = tmp / "demo-vault"
    create_demo_vault(demo, kdf=fast_test_kdf()).close()
    win = MainWindow(tmp / "vault", demo, settings)
    win.resize(*SIZE)
    win.show()
    shots: list[str] = []

    def grab(widget: Any, name: str) -> None:
        _settle()
        path = out / f"{lang}-{name}.png"
        _save(widget, path)
        shots.append(path.name)

    win.unlock.show_welcome()
    grab(win, "01-welcome")
    win.unlock.show_create()
    win.unlock.location.setText("~/.local/share/MedRecords/vault")
    win.unlock.owner.setText("María García")
    win.unlock.new_pass.setText("río linterna cobalto prado")
    win.unlock.confirm.setText("río linterna cobalto prado")
    grab(win, "02-create-vault")

    vault = Vault.open(demo, DEMO_PASSPHRASE)
    win.set_vault(vault, True)
    _settle()
    tl = view_of(win, "timeline", TimelineView)
    for row in range(tl.model.rowCount()):  # a result with a flag shows value, H/L and the person
        e = tl.model.entry_at(row)
        if e is not None and e.row.kind == "observation":
            tl.list.setCurrentIndex(tl.model.index(row))
            break
    grab(win, "03-timeline")

    win.show_view("encounters")
    enc = view_of(win, "encounters", EncountersView)
    for row in range(enc.model.rowCount()):
        e = enc.model.entry_at(row)
        if e is not None and e.row.title == "Hospital admission":
            enc.table.selectRow(row)
            break
    else:
        enc.table.selectRow(0)
    _settle()
    docs = enc.document_nodes()  # the discharge summary opens in the viewer below the list
    if docs:
        enc.tree.setCurrentItem(docs[-1])
    grab(win, "04-encounters")

    win.show_view("medications")
    grab(win, "05-medications")

    people = {p.id: p.name for p in vault.persons()}
    dlg = EntryDialog(vault, "lab", people, next(iter(people)))
    dlg.show()
    dlg.fields["name"].setEditText("Hemoglobina A1c")  # type: ignore[attr-defined]
    dlg.fields["value"].setText("5,9")  # type: ignore[attr-defined]
    dlg.adjustSize()
    grab(dlg, "06-add-lab-result")
    dlg.close()

    model = tl.model
    entries = (model.entry_at(r) for r in range(model.rowCount()))
    obs = next(e for e in entries if e is not None and e.row.kind == "observation")
    item = ItemDetailDialog(vault, obs.id)
    item.show()
    item.adjustSize()
    grab(item, "07-item-detail")
    item.close()

    sd = SettingsDialog(settings, win)
    sd.show()
    sd.adjustSize()
    grab(sd, "08-settings")
    sd.close()

    hd = HelpDialog(win, "keyboard-and-accessibility")
    hd.resize(900, 640)
    hd.show()
    grab(hd, "09-help")
    hd.close()

    os.environ["MEDRECORDS_HIGH_CONTRAST"] = "1"
    apply_theme(app, settings)
    win.show_view("timeline")
    tl.list.viewport().update()
    grab(win, "10-high-contrast-timeline")
    os.environ.pop("MEDRECORDS_HIGH_CONTRAST", None)
    apply_theme(app, settings)

    # The demo child's made-up immunization history (two sources, one dose given too early), then her view.
    from .screenshots_immunizations import add_child_history

    add_child_history(vault, "Sofia Garcia")
    win.show_view("immunizations")
    sofia = next(pid for pid, p in win.people.items() if p.name.startswith("Sofia"))
    win.people_list.setCurrentRow(list(win.people).index(sofia) + 1)
    grab(win, "immunizations")

    # Labs: a test with a trend, then the same points as a table (the chart's table alternative).
    win.people_list.setCurrentRow(0)  # everyone's tests
    labs = win.show_view("labs")
    from ..gui.views.labs import LabsView

    assert isinstance(labs, LabsView)
    names = labs.test_names()
    pick = next((n for n in names if "A1c" in n or "Glucos" in n), names[0] if names else None)
    if pick is not None:
        labs.select_test(pick)
    grab(win, "11-labs")
    labs.as_table.setChecked(True)
    labs.as_table.setFocus()
    grab(win, "12-labs-as-table")
    labs.as_table.setChecked(False)

    # The packet dialog (the packet's language defaults to the app's), then a page of the packet itself.
    win.show_view("timeline")
    packet = win.feature("sharing").open_packet()
    if packet is not None:
        packet.prepared_for.setText("Dra. Ruiz, cardiología" if lang == "es" else "Dr. Kim, cardiology")
        folder = "~/Documentos" if lang == "es" else "~/Documents"  # not this computer's own folder
        packet.out_path.setText(f"{folder}/{Path(packet.out_path.text()).name}")
        packet.resize(860, 760)
        grab(packet, "13-packet-dialog")
        packet.close()
    if _packet_page(vault, tmp, out / f"{lang}-14-packet-page", lang):
        shots.append(f"{lang}-14-packet-page.png")

    win.lock()
    _wait(lambda: win.vault is None, 10)
    win.close()
    QApplication.processEvents()
    print("\n".join(shots))
    return 0


def _packet_page(vault: Any, tmp: Path, stem: Path, lang: str) -> bool:
    """The packet's lab-results page in ``lang``, rendered by pdftoppm (Poppler) when it is installed."""
    import shutil
    import subprocess

    import pikepdf
    from PIL import Image

    from ..exporters import packet_i18n
    from ..services.exporting import ExportService, PacketChoice

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found: no packet page")
        return False
    person = (
        next(p for p in vault.persons() if p.name.startswith("Rosa"))
        if any(p.name.startswith("Rosa") for p in vault.persons())
        else vault.persons()[0]
    )
    pdf, plain, password = tmp / "packet.pdf", tmp / "plain.pdf", "screenshot packet 2"
    with packet_i18n.use(lang):
        heading = packet_i18n.t("Recent lab results")
    choice = PacketChoice(
        person=person.id,
        prepared_for="Dra. Ruiz, cardiología" if lang == "es" else "Dr. Kim",
        include=["medication", "allergy", "condition", "observation"],
        lang=lang,
    )
    res = ExportService(vault).packet(choice, pdf, password)
    page = next(p for title, p in res.bookmarks if title == heading)
    with pikepdf.open(pdf, password=password) as doc:
        doc.save(plain)
    cmd = [pdftoppm, "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(plain), str(stem)]
    subprocess.run(cmd, check=True)  # noqa: S603 (our own temp files)
    png = stem.with_suffix(".png")
    with Image.open(png) as img:
        img.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(png, optimize=True)
    return True


if __name__ == "__main__":
    sys.exit(main())
