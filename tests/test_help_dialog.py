"""The user-guide dialog: every page listed, Markdown rendered, search narrows the list."""

from __future__ import annotations

import pytest

help_dialog = pytest.importorskip("medrecords_desktop.gui.help_dialog")

from medrecords_desktop import help as guide  # noqa: E402


def test_lists_every_page_and_renders_markdown(qtbot) -> None:
    dlg = help_dialog.HelpDialog()
    qtbot.addWidget(dlg)
    assert [dlg.pages.item(i).text() for i in range(dlg.pages.count())] == [p.title for p in guide.pages()]
    assert dlg.current_slug() == "getting-started"
    dlg.show_page("troubleshooting")
    shown = dlg.text.toPlainText()
    assert "21st Century Cures Act" in shown and "## " not in shown  # rendered, not raw Markdown


def test_search_narrows_and_says_when_nothing_matches(qtbot) -> None:
    dlg = help_dialog.HelpDialog(slug="backups")
    qtbot.addWidget(dlg)
    assert dlg.current_slug() == "backups"
    qtbot.keyClicks(dlg.search, "XDM")
    assert dlg.pages.count() == 1 and dlg.current_slug() == "importing"
    dlg.search.clear()
    qtbot.keyClicks(dlg.search, "zzzznothing")
    assert dlg.pages.count() == 0 and "No page" in dlg.text.toPlainText()
    dlg.search.clear()
    assert dlg.pages.count() == len(guide.pages())


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window manager
def test_help_menu_opens_the_user_guide_and_troubleshooting(qtbot, tmp_path) -> None:
    from gui_helpers import settings_in

    from medrecords_desktop.gui.main_window import MainWindow

    win = MainWindow(tmp_path / "v", tmp_path / "d", settings_in(tmp_path))
    qtbot.addWidget(win)
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text().replace("&", "") == "Help")
    actions = {a.text(): a for a in help_menu.actions()}
    actions["Troubleshooting portals and passphrases"].trigger()
    assert win._help.isVisible()
    assert "wrong portal" in win._help.text.toPlainText().lower()
    actions["User guide"].trigger()
    assert win._help.isVisible() and win._help.pages.count() >= 6
    win._help.close()
