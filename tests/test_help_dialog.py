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
