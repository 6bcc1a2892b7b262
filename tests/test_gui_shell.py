"""The shell the main window offers its features (gui/shell.py), driven for real offscreen on a real vault:
a feature's own page in a few lines, actions placed by id, row decorations and row menus, the changed
signal after a write, and what a lock leaves behind.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from factories import one_of_each, write_items  # noqa: E402
from PySide6.QtGui import QAction, QPainter  # noqa: E402
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout  # noqa: E402
from test_gui_records import _close, _window  # noqa: E402

from medrecords_desktop.gui import ops  # noqa: E402
from medrecords_desktop.gui.shell import ACTION_IMPORT, MENU_FILE, ROWS_RECORDS, Shell  # noqa: E402
from medrecords_desktop.gui.views import View  # noqa: E402
from medrecords_desktop.services.records import Entry  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")
GUI = Path(__file__).resolve().parent.parent / "medrecords_desktop" / "gui"


class DevicesView(View):
    """A self-contained page like the Devices page to come: it reads through the session only."""

    title = "Devices"

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel()
        QVBoxLayout(self).addWidget(self.label)
        self.refills = 0
        self.changes: list[ops.Changed] = []

    def refresh(self) -> None:
        assert self.ctx.session is not None
        self.refills += 1
        self.label.setText(f"{len(self.ctx.session.persons())} people")

    def on_changed(self, changed: object = None) -> None:
        assert isinstance(changed, ops.Changed)
        self.changes.append(changed)
        super().on_changed(changed)

    def clear(self) -> None:
        super().clear()
        self.label.clear()


def install_devices(shell: Shell) -> DevicesView:  # the whole feature: three lines
    view = DevicesView()
    shell.add_view("devices", view, icon="people")
    return shell.register("devices", view)


@pytest.fixture
def win(qtbot, tmp_path: Path, vault_dir: Path):
    v = Vault.open(vault_dir, PASSPHRASE)
    write_items(v, "Alice Example", one_of_each("alice"))
    v.close()
    w = _window(qtbot, tmp_path)
    yield w
    _close(w)


def test_a_feature_page_in_a_few_lines(win, vault_dir: Path, monkeypatch) -> None:
    view = install_devices(win)
    assert win.feature("devices") is view
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    rows = [win.view_list.item(r).data(Qt_UserRole()) for r in range(win.view_list.count())]
    assert "devices" in rows and win.view_list.item(rows.index("devices")).text() == "Devices"
    assert win.show_view("devices") is view and win.view_list.currentItem().text() == "Devices"
    assert view.label.text() == "2 people"
    refills = view.refills
    # a write anywhere: the page hears what changed and, being shown, reads again
    from medrecords_desktop.gui.main_window import AddPersonDialog

    def fake_exec(dlg: AddPersonDialog) -> int:
        dlg.name.setText("Carol Example")
        return 1

    monkeypatch.setattr(AddPersonDialog, "exec", fake_exec)
    op = win.add_person()
    assert op is not None and ops.settle()
    assert [c.what for c in view.changes] == [frozenset({ops.PEOPLE, ops.AUDIT})]
    assert op.result.value.name == "Carol Example"
    assert view.refills == refills + 1 and view.label.text() == "3 people"
    win.lock()
    assert view.label.text() == "" and view.ctx.session is None


def Qt_UserRole():  # noqa: N802 - the sidebar's data role (gui/models.PERSON_ROLE)
    from medrecords_desktop.gui.models import PERSON_ROLE

    return PERSON_ROLE


def test_the_menus_keep_their_order(win, vault_dir: Path) -> None:
    """Features' entries land where they did when they found menus by text (tests/test_gui_i18n.py checks
    the same menus translated)."""
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    texts = {k: [a.text() for a in m.actions()] for k, m in win.menus.items()}
    assert texts["view"][6:] == ["Portals & sources", "Audit", "", "Jump to date…"]
    assert texts["file"][:3] == ["Import…", "Add scan or photo…", "Prepare for an appointment…"]
    assert texts["edit"][-4:] == ["Item details…", "Correct item…", "Read results from this document…", "Move to Trash"]
    assert [a.text() for a in win.menuBar().actions()] == ["&File", "&Edit", "&Add", "&View", "&People", "&Help"]


def test_actions_go_where_their_id_says_and_wait_for_a_vault(win, vault_dir: Path) -> None:
    act = QAction("Export devices…", win)
    win.add_action(act, MENU_FILE, after=ACTION_IMPORT)
    acts = win.menu(MENU_FILE).actions()
    assert acts[acts.index(win.action(ACTION_IMPORT)) + 1] is act
    assert not act.isEnabled()  # locked: nothing to act on
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    assert act.isEnabled()
    win.lock()
    assert not act.isEnabled()


def test_row_decorations_and_row_menus_come_from_the_features(win, vault_dir: Path, qtbot) -> None:
    painted: list[str] = []

    class Mark:
        extra_width = 0

        def paint(self, painter: QPainter, option: object, entry: Entry, show_person: bool) -> None:
            painted.append(entry.row.title)

        def rows_reloaded(self) -> None:
            painted.append("<reloaded>")

    win.decorate_rows(Mark(), ROWS_RECORDS)  # before the views exist: applied when they are built
    win.add_row_menu(lambda e, m: m.addAction(f"Second for {e.row.title}"), order=60)
    win.add_row_menu(lambda e, m: m.addAction("First"), order=5)
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    win.show_view("timeline")
    lst = win.views["timeline"].list
    qtbot.waitUntil(lambda: lst.model().rowCount() > 0)
    lst.viewport().grab()  # paints the rows
    assert "<reloaded>" in painted and any(t != "<reloaded>" for t in painted)
    entry = win.records.timeline(None, limit=1)[0]
    texts = [a.text() for a in win.row_menu(entry, win).actions() if a.text()]
    assert texts[0] == "First" and f"Second for {entry.row.title}" in texts
    assert texts.index("Move to another person…") < texts.index(f"Second for {entry.row.title}")
    assert texts[-1] == "Move to Trash"  # the records feature's last entry, order 90
    assert isinstance(win.row_menu(entry, win), QMenu)


def test_no_feature_imports_the_main_window_or_the_vault() -> None:
    """Features know the shell, not the window (ext_sharing and main_window imported each other)."""
    for f in sorted(GUI.rglob("*.py")):
        if f.name in ("main_window.py", "app.py"):
            continue
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                assert not mod.endswith("main_window") or f.name == "test", f"{f.name} imports main_window"
                assert "vault" not in mod.split("."), f"{f.name} imports {mod}"
