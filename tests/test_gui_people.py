"""The people menu and the Import history's Undo, driven for real offscreen on a real vault.

Only the yes/no confirmations and the person chooser (modal boxes) are answered through the views'
seams; dialogs, the worker (ops.Op) and the vault are the real ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from factories import one_of_each, write_items  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from test_gui_records import _close, _window, choose_person, item_count, show  # noqa: E402

from medrecords_desktop.gui import ext_records, ops  # noqa: E402
from medrecords_desktop.gui.people_menu import EditPersonDialog, MergeDialog  # noqa: E402
from medrecords_desktop.services.records import RecordService  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")


@pytest.fixture
def window(qtbot, tmp_path: Path, vault_dir: Path):
    v = Vault.open(vault_dir, PASSPHRASE)
    write_items(v, "Alice Example", one_of_each("alice"))
    write_items(v, "Bobby Example", [*one_of_each("alice"), *one_of_each("bob")], name="bob-portal.json")
    v.close()
    win = _window(qtbot, tmp_path)
    ext_records.install(win)
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    yield win
    _close(win)


def _names(win) -> list[str]:
    return [win.people_list.item(r).text() for r in range(win.people_list.count())]


def _wait_op(qtbot, op) -> None:
    qtbot.waitUntil(lambda: op.finished, timeout=30_000)
    QApplication.processEvents()


def test_person_menu_is_in_the_people_menu_and_the_sidebar(window) -> None:
    win = window
    ctl = win.feature("people")
    texts = [a.text() for a in win.people_menu.actions()]
    assert {"Edit…", "Merge into…", "Remove…"} <= set(texts)
    win.people_list.setCurrentRow(0)  # Everyone: nothing to edit
    assert not ctl.act_edit.isEnabled()
    choose_person(win, "Bobby Example")
    assert ctl.act_edit.isEnabled() and ctl.act_merge.isEnabled() and ctl.act_remove.isEnabled()
    assert [a.text() for a in ctl.context_menu().actions()] == ["Edit…", "Merge into…", "Remove…"]
    win.lock()
    assert not ctl.act_edit.isEnabled()


def test_edit_a_person_from_the_menu(window) -> None:
    win = window
    choose_person(win, "Bobby Example")
    dlg = win.feature("people").edit()
    assert isinstance(dlg, EditPersonDialog)
    dlg.born.setText("2015-31-09")
    dlg.save()
    assert ops.settle() and "not a date" in dlg.error.text() and dlg.isVisible()  # the form stays open
    dlg.name.setText("Robert Example")
    dlg.born.setText("2015-09-02")
    dlg.save()
    ops.settle()
    assert not dlg.isVisible()
    assert "Robert Example" in _names(win)
    assert win.vault.person("Robert").birth_date == "2015-09-02"


def test_merge_dialog_shows_what_moves_then_merges_and_restores(window, qtbot) -> None:
    win = window
    bob = choose_person(win, "Bobby Example")
    before = RecordService(win.vault).stats()
    dlg = win.feature("people").merge()
    assert isinstance(dlg, MergeDialog)
    assert dlg.target.currentText().startswith("Alice Example")
    summary = dlg.what.text()
    assert "18 records" in summary and "10 of them are already in Alice Example's records" in summary
    kinds = {
        dlg.tree.topLevelItem(i).text(0): dlg.tree.topLevelItem(i).text(1) for i in range(dlg.tree.topLevelItemCount())
    }
    assert kinds["Visits"] == "2" and kinds["Results and measurements"] == "2"
    assert "Restoring Bobby Example from the Trash undoes the merge" in dlg.after.text()
    op = dlg.start()
    _wait_op(qtbot, op)
    assert dlg.merged is not None and dlg.merged.moved == 8
    assert "Bobby Example" not in _names(win)
    assert sum(RecordService(win.vault).stats()["Alice Example"].values()) == 17
    show(win, "trash")
    trash = win.views["trash"]
    assert trash.table.rowCount() == 1 and "merged into Alice Example" in trash.table.item(0, 3).text()
    trash.table.selectRow(0)
    op = trash.restore_selected()
    _wait_op(qtbot, op)
    assert op.result.value == (1, None)
    assert "Bobby Example" in _names(win)
    assert RecordService(win.vault).stats() == before
    assert item_count(win.vault, bob) == 18


def test_remove_asks_first_then_goes_to_the_trash(window, monkeypatch) -> None:
    win = window
    ctl = win.feature("people")
    choose_person(win, "Bobby Example")
    asked: list[str] = []
    monkeypatch.setattr(ctl, "ask_yes", lambda _w, _t, text: asked.append(text) or False)
    assert ctl.remove() is None
    assert "Move Bobby Example and 18 records to the Trash?" in asked[0]
    assert "Bobby Example" in _names(win)
    monkeypatch.setattr(ctl, "ask_yes", lambda *_: True)
    assert ctl.remove() is not None
    assert ops.settle()
    assert "Bobby Example" not in _names(win)


def test_import_history_undo_runs_on_the_worker_and_restores(window, qtbot, monkeypatch) -> None:
    win = window
    bob = choose_person(win, "Bobby Example")
    show(win, "imports")
    view = win.views["imports"]
    assert view.model.rowCount() == 1
    assert not view.undo_btn.isEnabled()
    view.select_row(0)
    assert view.undo_btn.isEnabled() and view.move_btn.isEnabled()
    monkeypatch.setattr(view, "ask_yes", lambda *_: False)
    assert view.undo_selected() is None
    assert item_count(win.vault, bob) == 18
    asked: list[str] = []
    monkeypatch.setattr(view, "ask_yes", lambda _w, _t, text: asked.append(text) or True)
    op = view.undo_selected()
    assert "Take back “bob-portal.json” (Bobby Example, 18 items)?" in asked[0]
    _wait_op(qtbot, op)
    assert item_count(win.vault, bob) == 0
    assert "in the Trash" in view.status.text()
    assert view.model.data(view.model.index(0, 5)) == "Undone"
    assert win.vault.verify().ok
    show(win, "trash")
    trash = win.views["trash"]
    assert trash.table.item(0, 2).text() == "Undone import"
    trash.table.selectRow(0)
    trash.restore_selected()
    ops.settle()
    assert item_count(win.vault, bob) == 18


def test_import_history_move_to_another_person(window, qtbot, monkeypatch) -> None:
    win = window
    choose_person(win, "Bobby Example")
    show(win, "imports")
    view = win.views["imports"]
    view.select_row(0)
    monkeypatch.setattr(view, "ask_person", lambda _w, _t, _q, names: names[0])
    op = view.move_selected()
    _wait_op(qtbot, op)
    stats = RecordService(win.vault).stats()
    assert sum(stats["Bobby Example"].values()) == 0 and sum(stats["Alice Example"].values()) == 17
    assert "Moved to Alice Example" in view.status.text()
    ops.wait_idle()


def test_move_an_item_from_the_timeline_context_menu(window, qtbot, monkeypatch) -> None:
    win = window
    choose_person(win, "Bobby Example")
    visit = next(e for e, _ in RecordService(win.vault).encounters("Bobby") if e.row.title == "Visit bob")
    menu = win.feature("records").context_menu_for(RecordService(win.vault).entry(visit.id), win)
    action = next(a for a in menu.actions() if a.text() == "Move to another person…")
    monkeypatch.setattr(win.feature("people"), "ask_person", lambda _w, _t, _q, names: "Alice Example")
    action.trigger()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=30_000)
    QApplication.processEvents()
    alice_visits = [e.row.title for e, _ in RecordService(win.vault).encounters("Alice")]
    assert "Visit bob" in alice_visits
    assert "Moved to Alice Example" in win.statusBar().currentMessage()
