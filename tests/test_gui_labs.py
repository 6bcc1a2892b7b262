"""The Labs view: tests sorted with vital signs apart, a mixed-unit series drawn in one unit with each
result's own range, a unit that does not convert listed apart, and a time axis naming each month once."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import prov, write_items
from gui_helpers import settings_in
from PySide6.QtWidgets import QApplication

from medrecords_desktop.gui import ops
from medrecords_desktop.gui.main_window import MainWindow
from medrecords_desktop.gui.views.labs import LabsView, month_axis
from medrecords_desktop.model.records import Observation
from medrecords_desktop.vault.vault import Vault
from tests.conftest import PASSPHRASE

LOINC = "http://loinc.org"


def _obs(sid: str, day: str, title: str, code: str, value: float, unit: str, lo=None, hi=None, cat="laboratory"):
    return Observation(
        title=title,
        date=f"{day}T09:00",
        code_system=LOINC,
        code=code,
        value=value,
        unit=unit,
        ref_low=lo,
        ref_high=hi,
        category=cat,
        provenance=prov(f"Observation/{sid}"),
    )


MIXED = [
    # glucose from three sources: mg/dL under the mass code, mmol/L under the molar code and (wrongly)
    # under the mass code; each with its own lab's range
    _obs("g1", "2026-01-10", "Glucose, serum", "2345-7", 95, "mg/dL", 70, 99),
    _obs("g2", "2026-02-12", "GLUCOSE", "14749-6", 5.4, "mmol/L", 3.9, 5.6),
    _obs("g3", "2026-04-03", "Glucose", "2345-7", 6.1, "mmol/L", 4.0, 6.0),
    # a glucose reported in a unit that does not convert: listed apart
    _obs("g4", "2026-03-05", "Glucose", "2345-7", 1.0, "{index}"),
    _obs("a1", "2026-01-10", "HbA1c", "4548-4", 6.1, "%", 4.0, 5.6),
    _obs("a2", "2026-04-03", "HbA1c (IFCC)", "59261-8", 48, "mmol/mol", 20, 42),
    _obs("w1", "2026-01-10", "Body weight", "29463-7", 150, "[lb_av]", cat="vital-signs"),
    _obs("w2", "2026-04-03", "Body weight", "29463-7", 70, "kg", cat="vital-signs"),
    _obs("h1", "2026-01-10", "Body height", "8302-2", 66, "[in_i]", cat="vital-signs"),
    _obs("c1", "2026-02-12", "Creatinine", "2160-0", 0.9, "mg/dL", 0.6, 1.3),
]


@pytest.fixture
def labs(qtbot, tmp_path: Path, vault_dir: Path) -> LabsView:
    from medrecords_desktop.gui.app import apply_theme, make_app

    v = Vault.open(vault_dir, PASSPHRASE)
    try:
        write_items(v, "Alice Example", MIXED)
    finally:
        v.close()
    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    win = MainWindow(vault_dir, tmp_path / "demo-vault", settings)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    view = win.show_view("labs")
    assert isinstance(view, LabsView)
    yield view
    ops.wait_idle()
    QApplication.processEvents()
    win.lock()


def test_list_sorted_with_vital_signs_apart(labs: LabsView) -> None:
    assert labs.headers() == ["Lab tests", "Vital signs"]
    names = labs.test_names()
    lab_part, vital_part = names[:4], names[4:]
    assert lab_part == ["Creatinine", "Glucose", "Glucose (in index)", "Hemoglobin A1c"]
    assert vital_part == ["Body height", "Body weight"]


def test_mixed_units_drawn_in_one_unit_with_each_results_range(labs: LabsView) -> None:
    assert labs.select_test("Glucose")
    assert labs.chart_unit == "mmol/L"  # the unit of most results
    assert labs.chart.title() == "Glucose (mmol/L)"
    ys = [round(y, 2) for _x, y in labs.plotted]
    assert ys == [round(95 / 18.016, 2), 5.4, 6.1]  # 95 mg/dL converted; no 95 next to 5.4 on one axis
    bands = [(round(lo, 2), round(hi, 2)) for _x, lo, hi in labs.bands]
    assert bands == [(round(70 / 18.016, 2), round(99 / 18.016, 2)), (3.9, 5.6), (4.0, 6.0)]
    assert "1 converted to mmol/L" in labs.summary.text()
    assert "listed apart" in labs.summary.text()
    assert labs.model.rowCount() == 3  # the table shows each result as reported
    # the user prefers mg/dL
    labs.unit_box.setCurrentIndex(labs.unit_box.findData("mg/dL"))
    assert labs.chart_unit == "mg/dL" and labs.chart.title() == "Glucose (mg/dL)"
    assert [round(y, 1) for _x, y in labs.plotted] == [95.0, 97.3, 109.9]


def test_a_unit_that_does_not_convert_is_a_series_of_its_own(labs: LabsView) -> None:
    assert labs.select_test("Glucose (in index)")
    assert [y for _x, y in labs.plotted] == [1.0]
    assert labs.model.rowCount() == 1


def test_hba1c_variants_are_one_test_and_vitals_convert(labs: LabsView) -> None:
    assert labs.select_test("Hemoglobin A1c")
    assert len(labs.plotted) == 2 and labs.chart_unit in ("%", "mmol/mol")
    labs.unit_box.setCurrentIndex(labs.unit_box.findData("%"))
    assert [round(y, 2) for _x, y in labs.plotted] == [6.1, round(0.09148 * 48 + 2.152, 2)]
    assert labs.select_test("Body weight")
    labs.unit_box.setCurrentIndex(labs.unit_box.findData("kg"))
    assert [round(y, 1) for _x, y in labs.plotted] == [68.0, 70.0]
    assert labs.unit_box.itemText(labs.unit_box.findData("[lb_av]")) == "lb"


def test_month_axis_names_each_month_once(labs: LabsView) -> None:
    from datetime import datetime

    from PySide6.QtCore import QDateTime

    def ms(y, m, d):
        return float(QDateTime(datetime(y, m, d, 12)).toMSecsSinceEpoch())

    ax = month_axis(ms(2026, 8, 28), ms(2026, 11, 3))
    assert ax.categoriesLabels() == ["Sep 2026", "Oct 2026", "Nov 2026"]
    long = month_axis(ms(2020, 1, 5), ms(2026, 6, 1)).categoriesLabels()
    assert len(long) == len(set(long)) and 3 <= len(long) <= 9
    short = month_axis(ms(2026, 9, 3), ms(2026, 9, 20)).categoriesLabels()
    assert short == ["Sep 2026"]
    assert labs.select_test("Glucose")
    shown = labs.chart.axes()[0].categoriesLabels()
    assert shown == ["Feb 2026", "Mar 2026", "Apr 2026"]


def test_the_chart_as_a_table_by_keyboard(qtbot, labs: LabsView) -> None:
    """The chart's table alternative: the same points in the chart's unit (converted ones too), each with
    its own range and a word for how it compares, read as a sentence; switched and reached by keys."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    assert labs.select_test("Glucose")
    rows = labs.series_rows()
    assert len(rows) == len(labs.plotted) == 3
    assert [r[2] for r in rows] == ["5.273 mmol/L", "5.4 mmol/L", "6.1 mmol/L"]  # 95 mg/dL, converted
    assert [r[3] for r in rows] == ["3.886–5.495 mmol/L", "3.9–5.6 mmol/L", "4–6 mmol/L"]
    assert [r[4] for r in rows] == ["normal", "normal", "high"]
    assert labs.series_table.isColumnHidden(1)  # one person: no person column
    said = labs.series_model.item(2, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert said == "Glucose 6.1 mmol/L on 3 April 2026: high; reference range 4–6 mmol/L"
    # By keyboard: Tab from the test list reaches the switch; Space shows the table; Tab reaches it.
    labs.window().activateWindow()
    labs.tests.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(labs.tests, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is labs.as_table
    QTest.keyClick(labs.as_table, Qt.Key.Key_Space)
    assert labs.chart_stack.currentWidget() is labs.series_table and labs.series_table.isVisible()
    assert labs.as_table.text() == "Show as &chart"
    QTest.keyClick(labs.as_table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is labs.series_table
    # The unit changes: the table follows the chart.
    labs.unit_box.setCurrentIndex(labs.unit_box.findData("mg/dL"))
    assert [r[2] for r in labs.series_rows()] == ["95 mg/dL", "97.28 mg/dL", "109.9 mg/dL"]
    QTest.keyClick(labs.as_table, Qt.Key.Key_Space)
    assert labs.chart_stack.currentWidget() is labs.chart_view
