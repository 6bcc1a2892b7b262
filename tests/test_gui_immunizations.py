"""The Immunizations view and the family's "due soon" line, driven for real offscreen on a real vault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from gui_helpers import settings_in  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from medrecords_desktop.gui import ops, theme  # noqa: E402
from medrecords_desktop.gui.main_window import MainWindow  # noqa: E402
from medrecords_desktop.tools.screenshots_immunizations import add_child_history  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402


@pytest.fixture
def win(qtbot, tmp_path: Path, vault_dir: Path):
    from medrecords_desktop.gui.app import apply_theme, make_app

    v = Vault.open(vault_dir, PASSPHRASE)
    add_child_history(v, "Bobby Example")  # born 2015-09-01 in the template vault
    v.close()
    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    w = MainWindow(tmp_path / "no-vault", tmp_path / "demo-vault", settings)
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.show()
    w.set_vault(Vault.open(vault_dir, PASSPHRASE))
    QApplication.processEvents()
    yield w
    ops.wait_idle()
    if w.vault is not None:
        w.lock()


def _select(w: MainWindow, name: str) -> None:
    pid = next(pid for pid, p in w.people.items() if p.name == name)
    w.people_list.setCurrentRow(list(w.people).index(pid) + 1)
    QApplication.processEvents()


def test_person_view_shows_doses_with_their_evaluation_and_overdue_in_red_and_words(win) -> None:
    view = win.show_view("immunizations")
    _select(win, "Bobby Example")
    assert "Bobby Example" in view.heading.text()
    assert "not medical advice" in view.notice.text() and "4.64" in view.notice.text()
    rows = {r[0].split("  (")[0]: r for r in view.rows()}
    assert rows["MMR"][1] == "OVERDUE"  # the first MMR came before 12 months
    node = next(
        view.tree.topLevelItem(i)
        for i in range(view.tree.topLevelItemCount())
        if view.tree.topLevelItem(i).text(0).startswith("MMR")
    )
    assert node.foreground(1).color() == QColor(theme.colors().abnormal)
    doses = [node.child(i).text(1) for i in range(node.childCount())]
    assert doses[0] == "Not Valid: Age: Too Young" and doses[1] == "Valid"
    assert rows["Polio"][1] == "Complete"
    # Tdap is only on the typed-in school form: the view says so
    assert "Tdap on 2022-11-12" in view.attention.text()
    # Alice (born 1980) has no immunization records: a forecast is still given, nothing is invented
    _select(win, "Alice Example")
    assert all("0 valid doses of 0 recorded" in r[0] for r in view.rows())


def test_everyone_view_and_the_due_soon_line_on_the_timeline(win) -> None:
    view = win.show_view("immunizations")
    win.people_list.setCurrentRow(0)
    QApplication.processEvents()
    names = [r[0] for r in view.rows()]
    assert names == ["Alice Example", "Bobby Example"]
    win.show_view("timeline")
    QApplication.processEvents()
    line = win.feature("immunizations").due_soon_line
    assert line.isVisible() and "Bobby" in line.text() and "OVERDUE" in line.text()
    _select(win, "Bobby Example")
    assert not line.isVisible()  # only on the Everyone timeline


def test_core_forecast_is_fast_enough_for_the_gui_thread(win) -> None:
    from medrecords_desktop.services.immunizations import ImmunizationService

    svc = ImmunizationService(win.vault)
    svc.family(dt.date(2026, 6, 1))
    import time

    t0 = time.perf_counter()
    svc.family(dt.date(2026, 6, 1))
    assert time.perf_counter() - t0 < 1.0


def test_missing_records_lists_a_dose_only_the_school_form_records(win) -> None:
    win.show_view("missing")
    _select(win, "Bobby Example")
    gaps = win.feature("immunizations").school_form_gaps
    assert gaps.isVisible() and "Tdap on 2022-11-12" in gaps.text() and "School form" in gaps.text()
    _select(win, "Alice Example")
    assert not gaps.isVisible()
    win.lock()
    assert gaps.text() == ""
