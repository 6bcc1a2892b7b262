"""The Devices page on real vaults replicated through a shared folder, offscreen: each computer with its user,
"Sync now" off the GUI thread, a conflict settled from the page, and "Add to Syncthing" against a real
Syncthing on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from gui_a11y import unnamed  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from medrecords_desktop.gui import ops  # noqa: E402
from medrecords_desktop.gui.devices_view import DevicesView  # noqa: E402
from medrecords_desktop.gui.models import PersonInfo  # noqa: E402
from medrecords_desktop.gui.views import ViewContext  # noqa: E402
from medrecords_desktop.replica.syncthing import SyncthingClient, discover, folder_id_for, read_config  # noqa: E402
from medrecords_desktop.services.editing import EditingService  # noqa: E402
from medrecords_desktop.services.records import RecordService  # noqa: E402
from tests.factories import one_of_each, write_items  # noqa: E402
from tests.replica_harness import SIB_PW, join_device, start_family  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")


def _no_syncthing() -> None:
    return None


def _page(qtbot, vault, find=_no_syncthing) -> DevicesView:  # noqa: ANN001
    v = DevicesView()
    qtbot.addWidget(v)
    v.find_syncthing = find
    v.resize(1100, 760)
    people = {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}
    with qtbot.waitSignal(v.loaded, timeout=30_000):
        v.set_context(ViewContext(RecordService(vault), people, None), True)
    return v


def _cells(v: DevicesView) -> list[list[str]]:
    return [[v.table.item(r, c).text() for c in range(v.table.columnCount())] for r in range(v.table.rowCount())]


def _versions(v: DevicesView) -> list[tuple[str, object]]:
    out = []
    for i in range(v.tree.topLevelItemCount()):
        top = v.tree.topLevelItem(i)
        for j in range(top.childCount()):
            ch = top.child(j)
            out.append((ch.text(0), ch))
    return out


def test_a_vault_on_one_computer_says_how_to_share_it(qtbot, vault) -> None:
    v = _page(qtbot, vault)
    assert "kept on this computer only" in v.summary.text()
    assert v.setup_btn.isVisibleTo(v) and not v.sync_btn.isEnabled()
    assert v.table.rowCount() == 0
    assert unnamed(v) == []


def test_devices_users_sync_now_and_settle(qtbot, tmp_path: Path) -> None:
    a, people = start_family(tmp_path)
    pid = people["P1"]
    b = join_device(tmp_path, "B", SIB_PW, a.folder)  # the sibling, who manages P1
    try:
        write_items(a.vault, pid, one_of_each("both"))
        a.sync.sync_now()
        shutil.copytree(a.folder, b.folder, dirs_exist_ok=True)
        b.sync.sync_now()
        shutil.copytree(b.folder, a.folder, dirs_exist_ok=True)

        v = _page(qtbot, a.vault)
        assert unnamed(v) == []
        rows = _cells(v)
        assert len(rows) == 2, rows
        assert "(this computer)" in rows[0][0] and rows[0][1] == "Pat Owner"
        assert rows[1][1] == "Sib" and rows[1][2].startswith("today "), rows
        assert rows[1][3] == "nothing"
        if rows[0][0].split(" ")[0] == rows[1][0].split(" ")[0]:  # two computers with one name: ids tell them apart
            assert rows[0][0] != rows[1][0] and "·" in rows[1][0]
        assert str(a.folder) in v.summary.text()
        # No Syncthing here: the page says which folder to share, and offers no Syncthing button.
        assert str(a.folder) in v.share_note.text() and "sync tool" in v.share_note.text()
        assert not v.share_row.isVisibleTo(v)
        assert "No conflicts" in v.conflicts_note.text() and not v.tree.isVisibleTo(v)

        # Both change the same item apart; the sibling's change arrives with "Sync now" on the page.
        rid = a.vault.person_db(pid).one("SELECT id FROM items WHERE title='Glucose both'")[0]
        rid_b = b.vault.person_db(pid).one("SELECT id FROM items WHERE title='Glucose both'")[0]
        EditingService(a.vault).correct(f"{pid}.{rid}", {"title": "Glucose (owner says)"})
        EditingService(b.vault).correct(f"{pid}.{rid_b}", {"title": "Glucose (sibling says)"})
        b.sync.sync_now()
        # The sync tool brought the sibling's head first, not yet the segment it announces: "waiting".
        shutil.copytree(b.folder / "heads", a.folder / "heads", dirs_exist_ok=True)
        with qtbot.waitSignal(v.loaded, timeout=30_000):
            qtbot.mouseClick(v.refresh_btn, Qt.MouseButton.LeftButton)
        assert _cells(v)[1][3] == "1 change file not here yet", _cells(v)
        assert "1 change file from other computers not here yet" in v.summary.text()
        shutil.copytree(b.folder, a.folder, dirs_exist_ok=True)
        with qtbot.waitSignal(ops.hub().changed, timeout=30_000), qtbot.waitSignal(v.loaded, timeout=30_000):
            qtbot.mouseClick(v.sync_btn, Qt.MouseButton.LeftButton)
        assert v.last_report is not None and v.last_report.applied >= 1
        assert "applied" in v.progress.text()
        versions = _versions(v)
        assert v.tree.isVisibleTo(v) and v.settle_btn.isVisibleTo(v)
        texts = sorted(t.split(": ", 1)[1] for t, _ in versions)
        assert texts == ["Glucose (owner says): 5.4 mmol/L", "Glucose (sibling says): 5.4 mmol/L"], versions
        assert sorted(t.split(":")[0] for t, _ in versions) == ["Other", "Shown"]
        by = sorted(it.text(1) for _, it in versions)
        assert by == ["Pat Owner", "Sib"]
        assert v.conflicts_note.text().startswith("1 item was changed on two computers")
        assert not v.settle_btn.isEnabled()  # nothing chosen yet

        # Keep the version that is not shown.
        other_text, other = next((t, it) for t, it in versions if t.startswith("Other"))
        v.tree.setCurrentItem(other)
        assert v.settle_btn.isEnabled()
        with qtbot.waitSignal(v.loaded, timeout=30_000):
            qtbot.mouseClick(v.settle_btn, Qt.MouseButton.LeftButton)
        assert v.tree.topLevelItemCount() == 0 and "No conflicts" in v.conflicts_note.text()
        kept = other_text.removeprefix("Other: ").split(":")[0]
        titles = {e.row.title for e in RecordService(a.vault).timeline(pid, None, None, None, limit=50)}
        assert kept in titles
    finally:
        ops.wait_idle()
        b.vault.close()
        a.vault.close()


@pytest.mark.slow
def test_add_to_syncthing_from_the_page(qtbot, tmp_path: Path, syncthing_cluster, monkeypatch) -> None:
    c = syncthing_cluster(1, share=False)
    (peer,) = c.peers
    monkeypatch.setenv("HOME", str(tmp_path))  # never the developer's own Syncthing
    monkeypatch.setenv("STHOMEDIR", str(peer.home))
    a, _people = start_family(tmp_path)
    try:
        v = _page(qtbot, a.vault, find=discover)
        assert "does not keep the shared folder yet" in v.share_note.text()
        assert v.share_row.isVisibleTo(v) and v.syncthing_btn.isEnabled()
        assert unnamed(v) == []
        other = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD"
        v.peers_edit.setText(other)
        with qtbot.waitSignal(v.loaded, timeout=30_000):
            qtbot.mouseClick(v.syncthing_btn, Qt.MouseButton.LeftButton)
        with SyncthingClient(read_config(peer.config_xml)) as client:
            folder = client.folder_for_path(a.folder)
            assert folder is not None
            assert folder.id == folder_id_for(a.vault.header.vault_id)
            assert set(folder.devices) == {peer.device_id, other}
        assert "keeps the shared folder in step" in v.share_note.text(), v.share_note.text()
        assert peer.device_id in v.share_note.text()
        assert not v.share_row.isVisibleTo(v)
        assert "Syncthing keeps the folder now" in v.progress.text()

        # "Sync now" has Syncthing scan at once: with its own scans and watcher off, the new files are known
        # to it as soon as the sync is done.
        with SyncthingClient(read_config(peer.config_xml)) as client:
            fid = folder_id_for(a.vault.header.vault_id)
            quiet = {"rescanIntervalS": 3600, "fsWatcherEnabled": False}
            client._call("PATCH", f"/rest/config/folders/{fid}", json=quiet)
            client.scan(fid)
            before = client.folder_state(fid).local_files
            write_items(a.vault, _people["P1"], one_of_each("after"))
            with qtbot.waitSignal(v.loaded, timeout=30_000):
                qtbot.mouseClick(v.sync_btn, Qt.MouseButton.LeftButton)
            assert v.last_report.exported > 0
            assert client.folder_state(fid).local_files > before
    finally:
        ops.wait_idle()
        a.vault.close()


def test_devices_page_in_spanish(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from medrecords_desktop.gui import i18n

    app = QApplication.instance() or QApplication([])
    before = QLocale()
    monkeypatch.setenv("MEDRECORDS_LANG", "es")
    assert i18n.install(app) == "es"
    a, _people = start_family(tmp_path)
    b = join_device(tmp_path, "B", SIB_PW, a.folder)
    try:
        b.sync.sync_now()
        shutil.copytree(b.folder, a.folder, dirs_exist_ok=True)
        v = _page(qtbot, a.vault)
        assert v.table.horizontalHeaderItem(0).text() == "Computadora"
        assert (v.sync_btn.text(), v.refresh_btn.text()) == ("Sincronizar ahora", "Actualizar")
        rows = _cells(v)
        assert rows[0][0].endswith("(esta computadora)") and rows[1][2].startswith("hoy ") and rows[1][3] == "nada"
        assert v.summary.text().startswith("Se mantiene al día a través de ")
        assert v.conflicts_note.text() == "Sin conflictos: todas las computadoras coinciden."
        assert v.share_note.text().startswith("Comparta esta carpeta con sus demás computadoras")
    finally:
        ops.wait_idle()
        b.vault.close()
        a.vault.close()
        monkeypatch.setenv("MEDRECORDS_LANG", "en")
        i18n.install(app)
        QLocale.setDefault(before)


def test_keep_in_a_shared_folder_from_the_page(qtbot, vault, tmp_path: Path) -> None:
    v = _page(qtbot, vault)
    folder = tmp_path / "Sync" / "MedRecords"
    with qtbot.waitSignal(v.loaded, timeout=30_000):
        v.setup(str(folder))
    assert (folder / "medrecords-replica.json").exists()
    assert str(folder) in v.summary.text() and not v.setup_btn.isVisibleTo(v)
    rows = _cells(v)
    assert len(rows) == 1 and rows[0][0].endswith("(this computer)") and rows[0][1] == "Pat Owner"
    assert v.sync_btn.isEnabled()


def test_a_lost_shared_folder_is_said_and_seeded_again(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    a, people = start_family(tmp_path)
    try:
        write_items(a.vault, people["P1"], one_of_each("kept"))
        a.sync.sync_now()
        shutil.rmtree(a.folder)
        v = _page(qtbot, a.vault)
        assert "The shared folder is missing: nothing is lost" in v.summary.text()
        assert v.setup_btn.isVisibleTo(v) and v.setup_btn.text() == "Choose a new shared folder…"
        # "Sync now" says what is wrong in a message box and leaves the page usable.
        with qtbot.waitSignal(v.loaded, timeout=30_000):
            qtbot.mouseClick(v.sync_btn, Qt.MouseButton.LeftButton)
        box = v.findChild(QMessageBox, "ErrorBox")
        assert box is not None and "is missing" in box.text()
        box.close()
        assert v.refresh_btn.isEnabled() and v.sync_btn.isEnabled()
        new = tmp_path / "new shared"
        with qtbot.waitSignal(v.loaded, timeout=30_000):
            v.setup(str(new))
        assert (new / "medrecords-replica.json").exists() and any((new / "seg").rglob("*.seg"))
        assert str(new) in v.summary.text() and "missing" not in v.summary.text()
        assert not v.setup_btn.isVisibleTo(v)
    finally:
        ops.wait_idle()
        a.vault.close()


@pytest.mark.slow
def test_a_copied_vault_folder_is_called_out(qtbot, tmp_path: Path, syncthing_cluster) -> None:
    """A vault folder copied to a second computer (instead of joining) writes under the same replica id: real
    Syncthing makes conflict copies of the files only one computer should write, and the page says so."""
    from medrecords_desktop.services.sync import SyncService
    from medrecords_desktop.vault.vault import Vault
    from tests.replica_harness import OWNER_PW

    c = syncthing_cluster(2)
    pa, pb = c.peers
    a, people = start_family(tmp_path / "home")
    pid = people["P1"]
    try:
        SyncService(a.vault).setup(pa.folder)  # the family's folder is the one Syncthing keeps
        write_items(a.vault, pid, one_of_each("before the copy"))
        a.sync.sync_now()
        c.sync(timeout=60)
        v = _page(qtbot, a.vault)
        assert "Warning" not in v.summary.text()
        a.vault.close()
        shutil.copytree(tmp_path / "home" / "vault-A", tmp_path / "copied", ignore=shutil.ignore_patterns("vault.lock"))
        a.vault = Vault.open(tmp_path / "home" / "vault-A", OWNER_PW)
        b = Vault.open(tmp_path / "copied", OWNER_PW)
        try:
            SyncService(b).setup(pb.folder)
            write_items(a.vault, pid, one_of_each("on the first"), name="first.json")
            write_items(b, pid, one_of_each("on the copy"), name="copy.json")
            a.sync.sync_now()
            SyncService(b).sync_now()
            c.sync(timeout=60)
        finally:
            b.close()
        copies = [p.name for p in pa.folder.rglob("*") if ".sync-conflict-" in p.name]
        assert copies, "Syncthing made no conflict copy"
        v = _page(qtbot, a.vault)
        assert "another computer writes into the shared folder as this one" in v.summary.text(), v.summary.text()
        assert v.snapshot is not None and v.snapshot.same_id_copies >= 1
    finally:
        ops.wait_idle()
        a.vault.close()
