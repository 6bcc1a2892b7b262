"""Screenshots of the Devices page: the demo vault kept on two computers through a shared folder.

Run ``python -m medrecords_desktop.tools.screenshots_devices OUTDIR``.

Builds the demo vault in a temporary folder (fast test KDF), adds a made-up proxy (Sam Garcia, who manages
Rosa), keeps the vault in a shared folder, lets Sam's computer join from a copy of it, and has both change the
same lab result apart so that one conflict waits to be settled.  Then the main window offscreen shows the
Devices page: ``devices-01-share-the-folder.png`` where no Syncthing runs, and, when the ``syncthing`` program is
installed, ``devices-02-add-to-syncthing.png`` with a throwaway Syncthing on 127.0.0.1 (its own home in the
temporary folder; discovery, relays, NAT and usage reporting off) that is stopped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import cast

from . import shots

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1280, 800)
SAM_PASSPHRASE = "sam helps with grandma"  # noqa: S105 - a made-up demo user


def main(argv: list[str] | None = None) -> int:
    return shots.run(argv, "screenshots_devices", _shoot)


def _two_computers(tmp: Path) -> tuple[Path, Path]:
    """The demo vault on Maria's laptop and Sam's desktop, one conflict between them; returns the owner's
    vault folder and the shared folder."""
    from ..services import access
    from ..services.demo import DEMO_PASSPHRASE, create_demo_vault
    from ..services.editing import EditingService
    from ..services.sync import SyncService
    from ..vault.crypto import fast_test_kdf
    from ..vault.vault import Vault

    real_node = platform.node
    demo = tmp / "demo-vault"
    shared = tmp / "Sync" / "MedRecords"
    sam_shared = tmp / "sam" / "Sync" / "MedRecords"
    try:
        platform.node = lambda: "marias-laptop"  # the computers' names the replicas record
        v = create_demo_vault(demo, kdf=fast_test_kdf())
        access.add_user(v, "Sam Garcia", SAM_PASSPHRASE)
        access.grant(v, "Sam Garcia", "Rosa Martinez", "manage")
        SyncService(v).setup(shared)
        shutil.copytree(shared, sam_shared)
        platform.node = lambda: "sams-desktop"
        sam = SyncService.join(sam_shared, tmp / "sam" / "vault", SAM_PASSPHRASE)
        platform.node = real_node
        rosa = v.person("Rosa Martinez").id
        assert rosa
        row = v.person_db(rosa).one(
            "SELECT id, title FROM items WHERE kind='observation' AND value_num IS NOT NULL ORDER BY date DESC"
        )
        assert row is not None
        title = row[1]
        row_sam = sam.person_db(rosa).one("SELECT id FROM items WHERE title=? ORDER BY date DESC", (title,))
        assert row_sam is not None
        EditingService(sam).correct(f"{rosa}.{row_sam[0]}", {"title": f"{title} (fasting)"})
        SyncService(sam).sync_now()
        EditingService(v).correct(f"{rosa}.{row[0]}", {"title": f"{title}, repeat"})
        SyncService(v).sync_now()
        shutil.copytree(sam_shared, shared, dirs_exist_ok=True)
        SyncService(v).sync_now()
        sam.close()
        v.close()
        # Vault.open below reads the passphrase of the demo
        Vault.open(demo, DEMO_PASSPHRASE).close()
    finally:
        platform.node = real_node
    return demo, shared


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _throwaway_syncthing(home: Path) -> subprocess.Popen[bytes] | None:
    """A Syncthing on 127.0.0.1 only, for the second screenshot; None when the program is not installed."""
    exe = shutil.which("syncthing")
    if exe is None:
        return None
    subprocess.run(  # noqa: S603 - the installed syncthing, fixed arguments
        [exe, "generate", f"--home={home}", "--no-default-folder"], check=True, capture_output=True
    )
    cfg = home / "config.xml"
    text = cfg.read_text()
    gui, listen = _free_port(), _free_port()
    text = re.sub(r"<address>127\.0\.0\.1:\d+</address>", f"<address>127.0.0.1:{gui}</address>", text)
    text = text.replace(
        "<listenAddress>default</listenAddress>", f"<listenAddress>tcp://127.0.0.1:{listen}</listenAddress>"
    )
    for tag, value in (
        ("globalAnnounceEnabled", "false"),
        ("localAnnounceEnabled", "false"),
        ("relaysEnabled", "false"),
        ("natEnabled", "false"),
        ("startBrowser", "false"),
        ("crashReportingEnabled", "false"),
        ("urAccepted", "-1"),
        ("autoUpgradeIntervalH", "0"),
    ):
        text = re.sub(f"<{tag}>[^<]*</{tag}>", f"<{tag}>{value}</{tag}>", text)
    text = re.sub(r'<device id="([A-Z0-9-]+)" name="[^"]*"', r'<device id="\1" name="marias-laptop"', text, count=1)
    cfg.write_text(text)
    log = (home / "syncthing.log").open("ab")
    proc = subprocess.Popen(  # noqa: S603 - the installed syncthing, fixed arguments
        [exe, "serve", f"--home={home}", "--no-browser", "--no-restart", "--no-upgrade"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=dict(os.environ, STNOUPGRADE="1"),
    )
    log.close()
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ..gui.app import apply_theme, make_app
    from ..gui.devices_view import DevicesView
    from ..gui.main_window import MainWindow
    from ..gui.models import PERSON_ROLE
    from ..gui.settings import AppSettings
    from ..replica import syncthing as st
    from ..services.demo import DEMO_PASSPHRASE
    from ..vault.vault import Vault

    app = make_app()
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = "dark" if os.environ.get("MEDRECORDS_SHOTS_DARK") == "1" else "light"
    apply_theme(app, settings)
    demo, shared = _two_computers(tmp)
    win = MainWindow(tmp / "vault", demo, settings)
    win.resize(*SIZE)
    win.show()
    saved: list[str] = []
    win.set_vault(Vault.open(demo, DEMO_PASSPHRASE), True)
    shots.settle()
    page = cast(DevicesView, win.views["devices"])
    page.find_syncthing = lambda: None  # first: no Syncthing on this computer
    row = next(r for r in range(win.view_list.count()) if win.view_list.item(r).data(PERSON_ROLE) == "devices")

    def shot(name: str) -> None:
        page.snapshot = None
        page._stale = True
        if win.view_list.currentRow() != row:
            win.view_list.setCurrentRow(row)
        else:
            page.refresh()
        end = time.monotonic() + 60
        while page.snapshot is None and time.monotonic() < end:
            shots.settle(0.1)
        # the conflict's versions: choose the other one, as a user would before "Keep this version"
        top = page.tree.topLevelItem(0)
        other = top.child(top.childCount() - 1) if top is not None else None
        if other is not None:
            page.tree.setCurrentItem(other)
        shots.settle()
        text = page.summary.text() + page.share_note.text()
        for w in (page.summary, page.share_note):  # the temporary folder reads as the user's own
            w.setText(w.text().replace(str(tmp / "Sync"), str(Path("~") / "Sync")))
        assert "MedRecords" in text
        path = out / f"{name}.png"
        win.grab().save(str(path))
        saved.append(path.name)

    shot("devices-01-share-the-folder")
    proc = _throwaway_syncthing(tmp / "syncthing")
    if proc is not None:
        try:
            cfg = tmp / "syncthing" / "config.xml"
            end = time.monotonic() + 30
            client = None
            while client is None and time.monotonic() < end:
                client = st.discover(config=cfg, env={})
                if client is None:
                    time.sleep(0.3)
            if client is not None:
                client.close()
                page.find_syncthing = lambda: st.discover(config=cfg, env={})
                shot("devices-02-add-to-syncthing")
        finally:
            _stop(proc)
    win.lock()
    win.close()
    QApplication.processEvents()
    print("\n".join(saved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
