"""Keyboard only, as whole flows on the real window offscreen (issue 24): someone who cannot use a mouse
unlocks, visits every view, reaches every control by Tab, prepares a packet, imports files and adds an
entry with keys alone; focus is always visible and Tab never gets stuck.

- Every view is opened by its shortcut (Ctrl+1…, the sidebar's own keys), and in each one Tab from the
  toolbar visits every visible, enabled control of the window (toolbar, sidebar, the view) and comes
  back round: no keyboard trap.
- "Focus visible": each control Tab lands on looks different with focus than without (its pixels,
  grabbed both ways), so a sighted keyboard user can see where they are.
- Every menu opens with its Alt letter and the arrow keys reach every command in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from gui_a11y import interactive_widgets  # noqa: E402
from gui_helpers import fill, settings_in  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget  # noqa: E402

from medrecords_desktop.gui import ops  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")

CTRL = Qt.KeyboardModifier.ControlModifier


def _focus() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None, "focus left the window"
    return w


def _within(w: QWidget | None, ancestor: QWidget) -> bool:
    while w is not None:
        if w is ancestor:
            return True
        w = w.parentWidget()
    return False


def _tab_round(window: QWidget, limit: int = 150) -> list[QWidget]:
    """Press Tab from the focused control until focus comes back to it (or fail: a trap)."""
    first = _focus()
    seen = [first]
    for _ in range(limit):
        QTest.keyClick(_focus(), Qt.Key.Key_Tab)
        QApplication.processEvents()
        w = _focus()
        assert _within(w, window), f"Tab left the window for {type(w).__name__}"
        if w is first:
            return seen
        seen.append(w)
    raise AssertionError(
        f"Tab did not come back round after {limit} presses: a keyboard trap near "
        f"{type(_focus()).__name__} {_focus().accessibleName()!r}"
    )


def _missed(root: QWidget, seen: list[QWidget]) -> list[str]:
    controls = [
        w
        for w in interactive_widgets(root)
        if w.isVisibleTo(root.window()) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    return [
        f"{type(w).__name__}:{w.objectName() or w.accessibleName()}"
        for w in controls
        if not any(_within(f, w) for f in seen)
    ]


def _looks_focused(w: QWidget, other: QWidget) -> bool:
    """What a person sees around the control (its window's pixels there) differs with focus and without."""
    from PySide6.QtCore import QPoint, QRect

    win = w.window()
    area = QRect(w.mapTo(win, QPoint(0, 0)), w.size()).adjusted(-4, -4, 4, 4)

    def look() -> Any:
        QApplication.processEvents()
        return win.grab(area).toImage()

    w.setFocus(Qt.FocusReason.TabFocusReason)
    with_focus = look()
    other.setFocus(Qt.FocusReason.TabFocusReason)
    without = look()
    w.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    return with_focus != without


def _unlock_by_keys(qtbot, win) -> None:  # noqa: ANN001
    win.start(True)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.unlock.passphrase, timeout=5_000)
    QTest.keyClicks(_focus(), PASSPHRASE)
    QTest.keyClick(_focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.vault is not None, timeout=10_000)


@pytest.fixture
def window(qtbot, tmp_path: Path, vault_dir: Path):
    from medrecords_desktop.gui.app import apply_theme, make_app
    from medrecords_desktop.gui.main_window import MainWindow

    v = Vault.open(vault_dir, PASSPHRASE)
    try:
        fill(v)
    finally:
        v.close()
    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    win = MainWindow(vault_dir, tmp_path / "demo-vault", settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    _unlock_by_keys(qtbot, win)
    yield win
    ops.wait_idle()
    QApplication.processEvents()
    if win.vault is not None:
        win.lock()


def test_every_view_and_control_of_the_main_window_by_keyboard(qtbot, window) -> None:
    """The View menu's shortcuts open their views; the sidebar's view list, moved with the arrow keys,
    opens every view (the extensions' too); in each, Tab visits every control and comes back round."""
    win = window
    assert len(win.view_actions) >= 6
    for action in win.view_actions:
        shortcut = action.shortcut()
        assert not shortcut.isEmpty(), f"{action.text()} has no shortcut"
        before = win.stack.currentWidget()
        QTest.keySequence(win, shortcut)  # Ctrl+1, Ctrl+2...
        QApplication.processEvents()
        assert win.stack.currentWidget() is not before or action is win.view_actions[0], action.text()
    not_visible: dict[str, list[str]] = {}
    opened: set[int] = set()
    views = win.view_list
    views.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(views, Qt.Key.Key_Home)
    for _ in range(views.count()):
        QApplication.processEvents()
        view = win.stack.currentWidget()
        name = views.currentItem().text()
        opened.add(id(view))
        seen = _tab_round(win)
        assert _missed(win, seen) == [], f"{name}: not reachable by Tab"
        # Focus is visible on every control Tab lands on (each kind of control once per view).
        kinds: dict[type, QWidget] = {}
        for w in seen:
            kinds.setdefault(type(w), w)
        bad = [
            f"{t.__name__}:{w.objectName() or w.accessibleName()}"
            for t, w in kinds.items()
            if not _looks_focused(w, views if w is not views else win.people_list)
        ]
        if bad:
            not_visible[name] = bad
        views.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(views, Qt.Key.Key_Down)  # the next view
    assert len(opened) == views.count() >= 10  # every view of the sidebar was opened by the arrow keys
    assert not_visible == {}, f"focus not visible: {not_visible}"


def test_every_menu_command_by_keyboard(qtbot, window) -> None:
    """Alt+letter opens each menu; the arrow keys reach every command in it; Escape closes it.  Alt
    letters inside a menu are unique."""
    win = window
    menus = [a for a in win.menuBar().actions() if a.menu() is not None and a.isVisible()]
    assert len(menus) >= 5
    for top in menus:
        text = top.text().replace("&&", "")
        assert "&" in text, f"menu {top.text()!r} has no Alt letter"
        letter = text[text.index("&") + 1].upper()
        win.activateWindow()
        QTest.keyClick(win, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda top=top: QApplication.activePopupWidget() is top.menu(), timeout=3_000)
        menu = top.menu()
        wanted = [a for a in menu.actions() if not a.isSeparator() and a.isVisible() and a.isEnabled()]
        reached = []
        for _ in range(len(menu.actions()) + 2):
            QTest.keyClick(menu, Qt.Key.Key_Down)
            if menu.activeAction() in reached:
                break
            reached.append(menu.activeAction())
        assert set(wanted) <= set(reached), f"{text}: {[a.text() for a in wanted if a not in reached]}"
        letters = [a.text().replace("&&", "") for a in wanted]
        letters = [t[t.index("&") + 1].lower() for t in letters if "&" in t]
        assert len(letters) == len(set(letters)), f"{text}: the same Alt letter twice {letters}"
        QTest.keyClick(menu, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=3_000)


def test_a_packet_made_with_keys_alone(qtbot, window, tmp_path: Path) -> None:
    """Ctrl+P, type who it is for, choose Spanish with the arrow keys, choose 'my own password' and type it
    twice, type where to save, then Enter: a real encrypted packet, in Spanish, with no mouse."""
    import pypdf

    win = window
    QTest.keyClick(win, Qt.Key.Key_P, CTRL)
    sharing = win.feature("sharing")
    qtbot.waitUntil(lambda: sharing.packet_dialog is not None and sharing.packet_dialog.isVisible(), timeout=5_000)
    dlg = sharing.packet_dialog
    dlg.activateWindow()  # the window manager's part: the dialog opened becomes the active window
    qtbot.waitUntil(lambda: _within(QApplication.focusWidget(), dlg), timeout=5_000)
    seen = _tab_round(dlg)  # every control of the form, and back round
    assert dlg.create_btn.isDefault()  # Tab passed over the buttons: Enter still creates the packet
    assert _missed(dlg.form_page, seen) == []
    QTest.keyClick(_focus(), Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # Prepared f&or
    assert _focus() is dlg.prepared_for
    QTest.keyClicks(_focus(), "Dra. Ruiz")
    QTest.keyClick(_focus(), Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # Packet lan&guage
    assert _focus() is dlg.language
    while dlg.language.currentData() != "es":
        QTest.keyClick(dlg.language, Qt.Key.Key_Down)
    QTest.keyClick(_focus(), Qt.Key.Key_Tab)
    assert _focus() is dlg.pw_generate
    QTest.keyClick(_focus(), Qt.Key.Key_Down)  # radio buttons: the arrow keys choose
    assert dlg.pw_own.isChecked() and _focus() is dlg.pw_own
    QTest.keyClick(_focus(), Qt.Key.Key_Tab)
    QTest.keyClicks(_focus(), "roble azul lento")
    QTest.keyClick(_focus(), Qt.Key.Key_Tab)
    QTest.keyClicks(_focus(), "roble azul lento")
    QTest.keyClick(_focus(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Save as
    assert _focus() is dlg.out_path
    out = tmp_path / "keyboard.pdf"
    QTest.keyClick(_focus(), Qt.Key.Key_A, CTRL)
    QTest.keyClicks(_focus(), str(out))
    QTest.keyClick(_focus(), Qt.Key.Key_Return)  # the default button: Create packet
    qtbot.waitUntil(lambda: dlg.packet_result is not None or bool(dlg.error.text()), timeout=30_000)
    assert dlg.packet_result is not None, dlg.error.text()
    reader = pypdf.PdfReader(str(out))
    assert reader.decrypt("roble azul lento") != pypdf.PasswordType.NOT_DECRYPTED
    cover = reader.pages[0].extract_text()
    assert "Resumen de salud" in cover and "Dra. Ruiz" in cover
    assert dlg.pages.currentWidget() is dlg.result_page
    seen = _tab_round(dlg)  # the result page: copy the password, open the folder, close
    assert _missed(dlg.result_page, seen) == []
    QTest.keyClick(_focus(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5_000)


def test_an_import_and_its_report_with_keys_alone(qtbot, window) -> None:
    """The import runs on files dropped or chosen (the system file chooser is the platform's own); its
    report is read and closed with keys: Tab reaches every part and Escape closes it."""
    win = window
    fixtures = Path(__file__).parent / "fixtures" / "gui"
    dlg = win.import_paths([str(fixtures / "walrus-visit.json"), str(fixtures / "truncated-download.json")])
    assert dlg is not None
    qtbot.waitUntil(lambda: dlg.op is not None and dlg.op.finished, timeout=30_000)
    QApplication.processEvents()
    dlg.activateWindow()  # the window manager's part: the dialog opened becomes the active window
    qtbot.waitUntil(lambda: _within(QApplication.focusWidget(), dlg), timeout=5_000)
    seen = _tab_round(dlg)
    assert _missed(dlg, seen) == []
    assert any(isinstance(w, QAbstractButton) for w in seen)  # the Close button is a Tab stop
    QTest.keyClick(_focus(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5_000)


def test_an_entry_added_from_the_main_window_with_keys_alone(qtbot, window) -> None:
    """Ctrl+Shift+L opens the lab-result form; type the test and its value, Enter saves it."""
    from medrecords_desktop.gui.entry_forms import EntryDialog
    from medrecords_desktop.services.records import RecordService

    win = window
    QTest.keyClick(win, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(
        lambda: (
            isinstance(QApplication.activeModalWidget(), EntryDialog)
            or any(isinstance(w, EntryDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
        ),
        timeout=5_000,
    )
    dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EntryDialog) and w.isVisible())
    dlg.activateWindow()  # the window manager's part: the dialog opened becomes the active window
    qtbot.waitUntil(lambda: _within(QApplication.focusWidget(), dlg), timeout=5_000)
    seen = _tab_round(dlg)
    assert _missed(dlg, seen) == []
    dlg.fields["name"].setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClicks(_focus(), "Ferritin")
    dlg.fields["value"].setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClicks(_focus(), "42")
    QTest.keyClick(_focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.item_id is not None, timeout=5_000)
    assert RecordService(win.vault).entry(dlg.item_id).row.title == "Ferritin"
