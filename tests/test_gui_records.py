"""The family's own records in the desktop app, driven for real offscreen: forms, corrections, Trash,
Missing records and the review table of results read from a document.

Every test uses a real SQLCipher vault and the real main window with ``ext_records.install``; only the
modal boxes Qt cannot click offscreen (confirmations, file choosers) are answered by monkeypatching.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import FIXTURES, PASSPHRASE  # noqa: E402
from factories import write_items  # noqa: E402
from gui_helpers import settings_in  # noqa: E402
from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from medrecords_desktop.gui import ext_records, ops  # noqa: E402
from medrecords_desktop.gui.main_window import PERSON_ROLE, VIEW_NAMES, MainWindow  # noqa: E402
from medrecords_desktop.gui.models import Roles  # noqa: E402
from medrecords_desktop.model.records import Document, Provenance  # noqa: E402
from medrecords_desktop.services.demo import DEMO_PASSPHRASE, create_demo_vault  # noqa: E402
from medrecords_desktop.services.editing import EditingService  # noqa: E402
from medrecords_desktop.services.importing import ImportOptions, ImportService  # noqa: E402
from medrecords_desktop.services.records import RecordService  # noqa: E402
from medrecords_desktop.vault.crypto import fast_test_kdf  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402

# The offscreen platform cannot raise or grab for the test-name completer's popup; nothing else is ignored.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")

FHIR_FILE = FIXTURES / "gui3" / "two-results.json"
DEMO_TODAY = date(2026, 11, 1)


# --------------------------------------------------------------------------- fixtures
def _window(qtbot, tmp_path: Path) -> MainWindow:
    from medrecords_desktop.gui.app import apply_theme, make_app

    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    win = MainWindow(tmp_path / "no-vault", tmp_path / "demo-vault", settings)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    return win


def _close(win: MainWindow) -> None:
    ops.wait_idle()
    QApplication.processEvents()
    if win.vault is not None:
        win.lock()


@pytest.fixture
def window(qtbot, tmp_path: Path, vault_dir: Path):
    win = _window(qtbot, tmp_path)
    ctl = ext_records.install(win)
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    yield win, ctl
    _close(win)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo3") / "vault"
    create_demo_vault(path, today=DEMO_TODAY, kdf=fast_test_kdf()).close()
    return path


def choose_person(win: MainWindow, name: str) -> str:
    for row in range(win.people_list.count()):
        pid = win.people_list.item(row).data(PERSON_ROLE)
        if pid is not None and win.people[pid].name == name:
            win.people_list.setCurrentRow(row)
            return pid
    raise AssertionError(name)


def show(win: MainWindow, name: str) -> None:
    ops.settle()  # writes run on the worker: what they changed is shown once they finished
    for row in range(win.view_list.count()):
        if win.view_list.item(row).data(PERSON_ROLE) == name:
            win.view_list.setCurrentRow(row)
            return
    raise AssertionError(name)


def timeline_titles(win: MainWindow) -> list[str]:
    ops.settle()
    m = win.views["timeline"].model
    while m.canFetchMore():
        m.fetchMore()
    return [m.index(r).data() for r in range(m.rowCount()) if not m.index(r).data(Roles.IsHeader)]


def timeline_values(win: MainWindow, title: str) -> list[tuple[str, str]]:
    """(value, flag) of the timeline rows with this title, as the delegate paints them."""
    ops.settle()
    m = win.views["timeline"].model
    return [
        (m.index(r).data(Roles.Value), m.index(r).data(Roles.Flag))
        for r in range(m.rowCount())
        if m.index(r).data() == title
    ]


def item_count(vault: Vault, pid: str) -> int:
    return int(vault.person_db(pid).one("SELECT count(*) FROM items WHERE deleted_at IS NULL")[0])


# --------------------------------------------------------------------------- Add forms
def test_install_adds_views_menus_and_toolbar(window) -> None:
    win, ctl = window
    names = [win.view_list.item(r).data(PERSON_ROLE) for r in range(win.view_list.count())]
    # after the core views (the sharing views, Claims and Devices may follow)
    assert min(names.index("missing"), names.index("trash")) > max(names.index(v) for v in VIEW_NAMES)
    menus = [a.text().replace("&", "") for a in win.menuBar().actions()]
    assert menus.index("Add") == menus.index("View") - 1
    assert [a.text() for a in ctl.add_menu.actions()][:3] == ["Lab result…", "Blood pressure…", "Vital sign…"]
    assert ctl.act_add in win.toolbar.actions() and ctl.act_add.isEnabled()
    win.lock()
    assert not ctl.act_add.isEnabled() and not ctl.add_actions["lab"].isEnabled()


def test_add_lab_result_through_the_form(qtbot, window) -> None:
    win, ctl = window
    pid = choose_person(win, "Alice Example")
    before = item_count(win.vault, pid)
    dlg = ctl.add_entry("lab")
    assert dlg is not None and dlg.person.currentData() == pid
    qtbot.keyClicks(dlg.fields["name"].lineEdit(), "Hemoglobin A1c")
    qtbot.keyClicks(dlg.fields["value"], "6.1")
    unit = dlg.fields["unit"]
    unit.setEditText("")
    qtbot.keyClicks(unit.lineEdit(), "%")
    qtbot.keyClicks(dlg.fields["low"], "4")
    qtbot.keyClicks(dlg.fields["high"], "5.6")
    dlg.fields["date"].setDate(QDate(2026, 3, 14))
    qtbot.keyClicks(dlg.fields["lab"], "Quest")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert not dlg.isVisible() and dlg.item_id is not None
    assert item_count(win.vault, pid) == before + 1
    row = win.records.entry(dlg.item_id).row
    assert row.value_num == 6.1 and row.unit == "%" and row.date.startswith("2026-03-14")
    assert row.data["entered_by"] == "Pat Owner"
    series = RecordService(win.vault).lab_series(pid, code=row.code, title=row.title)
    assert [(e.row.value_num, e.row.date[:10]) for e in series] == [(6.1, "2026-03-14")]
    show(win, "timeline")
    assert row.title in timeline_titles(win)
    assert timeline_values(win, row.title) == [("6.1%", "H")]


def test_lab_test_from_the_catalogue_preselects_its_unit(qtbot, window) -> None:
    from medrecords_desktop.services.editing import lab_catalog

    if not lab_catalog():
        pytest.skip("the lab test catalogue (data/lab_tests.json, branch ocr) is not in this branch yet")
    win, ctl = window
    pid = choose_person(win, "Alice Example")
    dlg = ctl.add_entry("lab")
    qtbot.keyClicks(dlg.fields["name"].lineEdit(), "HbA1c")  # a synonym
    assert dlg.fields["unit"].currentText() == "%"
    assert "4548-4" in dlg.range_hint.text() and "4–5.6" in dlg.range_hint.text()
    qtbot.keyClicks(dlg.fields["value"], "5.2")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    row = win.records.entry(dlg.item_id).row
    assert (row.title, row.code, row.unit) == ("Hemoglobin A1c", "4548-4", "%")
    assert [e.row.value_num for e in RecordService(win.vault).lab_series(pid, code="4548-4")] == [5.2]
    # a unit that does not fit the test is refused inline
    dlg = ctl.add_entry("lab")
    qtbot.keyClicks(dlg.fields["name"].lineEdit(), "HbA1c")
    dlg.fields["unit"].setEditText("mg/dL")
    qtbot.keyClicks(dlg.fields["value"], "5.2")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert dlg.item_id is None and "mg/dL does not fit Hemoglobin A1c" in dlg.error.text()


def test_blood_pressure_is_one_entry(qtbot, window) -> None:
    win, ctl = window
    pid = choose_person(win, "Bobby Example")
    dlg = ctl.add_entry("blood-pressure")
    qtbot.keyClicks(dlg.fields["systolic"], "128")
    qtbot.keyClicks(dlg.fields["diastolic"], "82")
    dlg.fields["date"].setDate(QDate(2026, 2, 1))
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert dlg.item_id is not None
    show(win, "timeline")
    assert "Blood pressure 128/82 mmHg" in timeline_titles(win)
    (bp,) = RecordService(win.vault).lab_series(pid, code="85354-9")
    assert bp.row.data["value_text"] == "128/82"
    assert [c["value"] for c in bp.row.data["components"]] == [128, 82]


def test_future_date_shows_the_inline_error_and_saves_nothing(qtbot, window) -> None:
    win, ctl = window
    pid = choose_person(win, "Alice Example")
    before = item_count(win.vault, pid)
    dlg = ctl.add_entry("lab")
    qtbot.keyClicks(dlg.fields["name"].lineEdit(), "Glucose")
    qtbot.keyClicks(dlg.fields["value"], "92")
    future = QDate.currentDate().addDays(5)
    dlg.fields["date"].setDate(future)
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert dlg.isVisible() and dlg.item_id is None
    assert dlg.error.isVisible()
    assert f"{future.toString('yyyy-MM-dd')} is in the future" in dlg.error.text()
    assert item_count(win.vault, pid) == before
    # the same form, fixed, saves (the dialog kept what was typed)
    dlg.fields["date"].setDate(QDate.currentDate())
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert dlg.item_id is not None and item_count(win.vault, pid) == before + 1


def test_implausible_blood_pressure_is_refused_inline(qtbot, window) -> None:
    win, ctl = window
    choose_person(win, "Alice Example")
    dlg = ctl.add_entry("blood-pressure")
    qtbot.keyClicks(dlg.fields["systolic"], "80")
    qtbot.keyClicks(dlg.fields["diastolic"], "120")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert dlg.isVisible() and "not a plausible blood pressure" in dlg.error.text()


# --------------------------------------------------------------------------- corrections
def _import_fixture(win: MainWindow) -> str:
    ImportService(win.vault).import_paths([FHIR_FILE], ImportOptions(person="Alice Example"))
    ops.announce()
    pid = choose_person(win, "Alice Example")
    (glucose,) = RecordService(win.vault).lab_series(pid, code="2345-7")
    return glucose.id


def test_correct_an_imported_value_and_see_the_original(qtbot, window) -> None:
    win, ctl = window
    gid = _import_fixture(win)
    show(win, "timeline")
    assert timeline_values(win, "Glucose") == [("54 mg/dL", "L")]
    dlg = ctl.open_correct(gid)
    assert dlg.fields["value"].text() == "54"
    dlg.fields["value"].clear()
    qtbot.keyClicks(dlg.fields["value"], "94")
    qtbot.keyClicks(dlg.reason, "portal typo; paper report says 94")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert not dlg.isVisible()
    assert [v for v, _flag in timeline_values(win, "Glucose")] == ["94 mg/dL"]  # shown corrected
    assert win.records.entry(gid).row.corrected
    detail = ctl.show_details(gid)
    assert detail.corrected_badge.isVisibleTo(detail)
    assert not detail.original_box.isVisibleTo(detail)
    qtbot.mouseClick(detail.original_btn, Qt.MouseButton.LeftButton)
    assert detail.original_box.isVisibleTo(detail)
    assert detail.original_values == {"value": "54"}
    assert "portal typo" in detail.history.text()
    assert "From the file two-results.json" in detail.provenance.text()


def test_corrected_in_range_value_is_not_flagged(qtbot, window) -> None:
    win, ctl = window
    gid = _import_fixture(win)
    show(win, "timeline")
    EditingService(win.vault).correct(gid, {"value": "94"}, "typo")
    ops.announce()
    assert timeline_values(win, "Glucose") == [("94 mg/dL", "")]


def test_item_detail_says_who_entered_an_own_record(qtbot, window) -> None:
    win, ctl = window
    choose_person(win, "Alice Example")
    dlg = ctl.add_entry("allergy")
    qtbot.keyClicks(dlg.fields["name"], "Penicillin")
    qtbot.keyClicks(dlg.fields["reaction"], "hives")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    detail = ctl.show_details(dlg.item_id)
    assert detail.provenance.text().startswith("Entered by Pat Owner")
    assert not detail.corrected_badge.isVisibleTo(detail) and not detail.original_btn.isVisibleTo(detail)


# --------------------------------------------------------------------------- Trash
def test_delete_undo_restore_and_reimport_does_not_resurrect(qtbot, window, monkeypatch) -> None:
    win, ctl = window
    gid = _import_fixture(win)
    show(win, "timeline")
    tl = win.views["timeline"]
    assert tl.select_item(gid)
    tl.list.setFocus()
    ctl.act_delete.trigger()  # Del on the list
    ops.settle()  # the write runs on the worker
    assert "Glucose" not in timeline_titles(win)
    assert ctl.undo.pending and ctl.undo.button.isVisibleTo(win)
    qtbot.mouseClick(ctl.undo.button, Qt.MouseButton.LeftButton)  # Undo in the status bar
    ops.settle()  # the write runs on the worker
    assert "Glucose" in timeline_titles(win)
    assert ctl.delete(gid)
    show(win, "trash")  # (show waits for the write)
    trash = win.views["trash"]
    assert [r.title for r in trash.rows] == ["Glucose"]
    trash.table.selectRow(0)
    qtbot.mouseClick(trash.restore_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert trash.rows == [] and trash.body.currentWidget() is trash.empty
    show(win, "timeline")
    assert "Glucose" in timeline_titles(win)
    # delete for good, then import the same file again: the deleted result stays gone
    assert ctl.delete(gid)
    show(win, "trash")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    op = trash.ask_empty()
    assert ops.settle() and op.result.value == 1
    report = ImportService(win.vault).import_paths([FHIR_FILE], ImportOptions(person="Alice Example"))
    assert report.files[0].skipped_deleted == 1
    ops.announce()
    show(win, "timeline")
    titles = timeline_titles(win)
    assert "Glucose" not in titles and "TSH" in titles


def test_empty_trash_cancel_keeps_items(qtbot, window, monkeypatch) -> None:
    win, ctl = window
    gid = _import_fixture(win)
    ctl.delete(gid)
    show(win, "trash")
    trash = win.views["trash"]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert trash.ask_empty() is None and len(trash.rows) == 1


# --------------------------------------------------------------------------- Missing records
@pytest.fixture
def demo_window(qtbot, tmp_path: Path, demo_template: Path):
    dest = tmp_path / "demo"
    shutil.copytree(demo_template, dest, ignore=shutil.ignore_patterns("vault.lock"))
    v = Vault.open(dest, DEMO_PASSPHRASE)
    svc = RecordService(v)
    enc, _ = next((e, n) for e, n in svc.encounters(person="David Garcia") if e.row.title == "Annual physical")
    avs = next(e for e in svc.encounter_detail(enc.id).items if e.row.title == "After-visit summary")
    EditingService(v).delete(avs.id)
    clock = {"today": date.fromisoformat(enc.row.date[:10]) + timedelta(days=10)}
    win = _window(qtbot, tmp_path)
    ctl = ext_records.install(win, today=lambda: clock["today"])
    win.set_vault(v, True)
    yield win, ctl, enc, clock
    _close(win)


def test_missing_view_lists_the_overdue_visit_and_received_on_paper_clears_it(qtbot, demo_window) -> None:
    win, ctl, enc, clock = demo_window
    show(win, "missing")
    view = win.views["missing"]
    assert view.body.currentWidget() is view.table
    overdue = [e for e in view.rows if e.encounter_id == enc.id]
    late = (clock["today"] - date.fromisoformat(overdue[0].due)).days  # the delay is in business days
    assert len(overdue) == 1 and overdue[0].label == "After-visit summary" and overdue[0].days_overdue == late > 0
    row = view.rows.index(overdue[0])
    texts = [view.table.item(row, c).text() for c in range(view.table.columnCount())]
    assert "David Garcia" in texts and "Riverside Family Medicine" in texts and f"{late} days" in texts
    view.table.selectRow(row)
    assert view.request_btn.isEnabled() and view.paper_btn.isEnabled()
    assert not view.sync_btn.isEnabled()  # no portal connected for David in the demo
    qtbot.mouseClick(view.paper_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert all(e.encounter_id != enc.id for e in view.rows)
    audit = [(e.action, e.item_id) for e in win.vault.audit_entries(action="missing.mark")]
    assert (("missing.mark", enc.id)) in [tuple(r) for r in audit]
    qtbot.mouseClick(view.undo_btn, Qt.MouseButton.LeftButton)  # Undo: it is overdue again
    ops.settle()  # the write runs on the worker
    assert [e.encounter_id for e in view.rows].count(enc.id) == 1
    # badge on the visit in the encounter browser, gone once the record is marked "not needed"
    show(win, "encounters")
    assert ctl.badges.get(enc.id) == 1
    show(win, "missing")
    view.table.selectRow([e.encounter_id for e in view.rows].index(enc.id))
    qtbot.mouseClick(view.not_needed_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    show(win, "encounters")
    assert enc.id not in ctl.badges
    show(win, "missing")
    qtbot.mouseClick(view.undo_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    show(win, "encounters")
    assert ctl.badges.get(enc.id) == 1
    # two days after the visit it is not overdue yet: "waiting", shown only on request
    clock["today"] = date.fromisoformat(enc.row.date[:10]) + timedelta(days=2)
    show(win, "missing")
    view.refresh()
    assert all(e.encounter_id != enc.id for e in view.rows)
    view.show_waiting.setChecked(True)
    assert [e.status for e in view.rows if e.encounter_id == enc.id] == ["waiting"]


def test_request_records_writes_the_letter_after_the_warning(qtbot, demo_window, monkeypatch, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    win, _ctl, enc, _clock = demo_window
    show(win, "missing")
    view = win.views["missing"]
    view.table.selectRow([e.encounter_id for e in view.rows].index(enc.id))
    warned: list[str] = []

    def warning(_parent, _title, text, *_a):
        warned.append(text)
        return QMessageBox.StandardButton.Ok

    letter = tmp_path / "out" / "letter.pdf"
    letter.parent.mkdir()
    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(letter), "PDF (*.pdf)"))
    op = view.request_records()
    assert ops.settle() and op.result.value == letter
    assert "not encrypted" in warned[0]
    assert letter.read_bytes().startswith(b"%PDF")
    from medrecords_desktop.services.missing import MissingService

    reqs = MissingService(win.vault).requests()  # in the person's own database now, not household.db
    assert reqs and "After-visit summary" in reqs[0].what
    assert win.vault.household.one("SELECT count(*) FROM record_requests")[0] == 0


def test_missing_view_empty_state(qtbot, window) -> None:
    win, _ctl = window
    show(win, "missing")
    view = win.views["missing"]
    assert view.rows == [] and view.body.currentWidget() is view.empty
    assert view.empty.text().startswith("Nothing is missing")


# --------------------------------------------------------------------------- review table
LAB_TEXT = """Riverside Laboratory
Collected: 2026-03-02
Test Result Units Reference
Glucose 105 mg/dL 70-99 H
Hemoglobin 13.5 g/dL 12.0-16.0
TSH 2.10 mIU/L 0.40-4.00
"""


def test_review_table_proposes_edit_and_confirm(qtbot, window) -> None:
    from medrecords_desktop.gui import review_results

    if review_results.labreport() is None:
        pytest.skip("services.labreport (the lab-report reader, branch ocr) is not merged into this branch yet")
    win, ctl = window
    pid = choose_person(win, "Alice Example")
    doc = Document(
        title="Lab report March",
        date="2026-03-02",
        doc_type="Lab report",
        mime="text/plain",
        text=LAB_TEXT,
        content=LAB_TEXT.encode(),
        provenance=Provenance(source_id="lab-text-1", source_name="lab.txt"),
    )
    write_items(win.vault, "Alice Example", [doc], name="lab.txt")
    (doc_entry,) = RecordService(win.vault).timeline(person=pid, kinds=["document"])
    op = ctl.read_results(doc_entry.id)
    qtbot.waitUntil(lambda: op.finished and ctl.last_review is not None, timeout=20000)
    dlg = ctl.last_review
    model = dlg.model
    names = [model.text(r, review_results.COL_TEST) for r in range(model.rowCount())]
    assert names == ["Glucose", "Hemoglobin", "TSH"]
    assert [model.text(r, review_results.COL_LOINC) for r in range(3)] == ["2345-7", "718-7", "3016-3"]
    g = 0
    assert model.text(g, review_results.COL_VALUE) == "105" and model.text(g, review_results.COL_FLAG) == "H"
    assert model.setData(model.index(g, review_results.COL_VALUE), "101")  # the user fixes a misread value
    assert not model.setData(model.index(g, review_results.COL_LOW), "seventy")  # refused: not a number
    qtbot.mouseClick(dlg.confirm_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert not dlg.isVisible() and len(dlg.ids) == model.rowCount()
    series = RecordService(win.vault).lab_series(pid, code="2345-7")
    assert [(e.row.value_num, e.row.date[:10]) for e in series] == [(101.0, "2026-03-02")]
    assert [e.row.value_num for e in RecordService(win.vault).lab_series(pid, code="3016-3")] == [2.1]
    show(win, "labs")  # the labs view refills from the vault with the confirmed rows


def test_review_model_highlights_low_confidence_until_edited(qtbot) -> None:
    from dataclasses import dataclass

    from medrecords_desktop.gui.review_results import COL_TEST, COL_VALUE, ProposedRowsModel

    @dataclass
    class Row:  # any object with the reader's attribute names will do
        name: str
        loinc: str | None
        value: float | None
        value_text: str | None
        unit: str | None
        low: float | None
        high: float | None
        flag: str | None
        date: str | None
        line: str
        confidence: float

    rows = [
        Row("Glucose", "2345-7", 105, None, "mg/dL", 70, 99, "H", "2026-03-02", "Glucose 105 mg/dL", 0.95),
        Row("Sodlum", None, 14.0, None, "mmol/L", None, None, None, None, "Sodlum 14O mmol/L", 0.5),
    ]
    model = ProposedRowsModel(rows)
    bg = Qt.ItemDataRole.BackgroundRole
    assert model.data(model.index(0, COL_VALUE), bg) is None
    assert model.data(model.index(1, COL_VALUE), bg) is not None
    assert "Sodlum 14O" in model.data(model.index(1, COL_TEST), Qt.ItemDataRole.ToolTipRole)
    assert model.setData(model.index(1, COL_VALUE), "140")
    assert model.data(model.index(1, COL_VALUE), bg) is None and model.row(1).value == 140.0
    assert model.setData(model.index(1, COL_VALUE), "<0.01")  # a comparator stays text
    assert model.row(1).value is None and model.row(1).value_text == "<0.01"
    model.setData(model.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert [r.name for r in model.kept()] == ["Glucose"]
    assert rows[1].value == 14.0  # the reader's own rows are untouched


# --------------------------------------------------------------------------- scans
def test_add_scan_pages_become_one_document(qtbot, window, tmp_path) -> None:
    from PIL import Image

    win, ctl = window
    pid = choose_person(win, "Alice Example")
    pages = []
    for n in range(2):
        p = tmp_path / f"page{n}.png"
        Image.new("RGB", (200, 260), (255, 255, 255)).save(p)
        pages.append(p)
    op = ctl.import_scans(pages, pid)
    qtbot.waitUntil(lambda: op.finished, timeout=60000)
    assert ctl.scan_outcome is not None and ctl.scan_outcome.status == "ok"
    docs = RecordService(win.vault).timeline(person=pid, kinds=["document"])
    assert len(docs) == 1 and docs[0].row.data.get("mime") == "application/pdf"


# --------------------------------------------------------------------------- every form, keys, menus, lock
FORM_INPUT = {  # kind: (typed fields, a word the saved title holds)
    "vital": ({"value": "71.5"}, "Weight"),
    "medication": ({"name": "Ibuprofen 200 mg", "dose": "1 tablet", "reason": "headache"}, "Ibuprofen"),
    "condition": ({"name": "Asthma"}, "Asthma"),
    "allergy": ({"name": "Latex", "reaction": "rash"}, "Latex"),
    "immunization": ({"name": "Tetanus booster", "lot": "TD123"}, "Tetanus"),
    "procedure": ({"name": "Colonoscopy", "where": "Lakeview"}, "Colonoscopy"),
    "family-history": ({"name": "Type 2 diabetes"}, "Type 2 diabetes (mother)"),
    "note": ({"name": "Questions for Dr. Novak", "text": "Ask about the cough"}, "Questions"),
}


@pytest.mark.parametrize("kind", list(FORM_INPUT))
def test_every_form_saves_through_the_service(qtbot, window, kind: str) -> None:
    win, ctl = window
    pid = choose_person(win, "Alice Example")
    typed, title_word = FORM_INPUT[kind]
    dlg = ctl.add_entry(kind)
    for key, text in typed.items():
        qtbot.keyClicks(dlg.fields[key], text)
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert dlg.item_id is not None, dlg.error.text()
    row = win.records.entry(dlg.item_id).row
    assert title_word in row.title and row.data["entered_by"] == "Pat Owner"
    assert item_count(win.vault, pid) == 1


def test_medication_over_the_counter_with_a_stop_date(qtbot, window) -> None:
    win, ctl = window
    choose_person(win, "Alice Example")
    dlg = ctl.add_entry("medication")
    qtbot.keyClicks(dlg.fields["name"], "Vitamin D3")
    qtbot.mouseClick(dlg.fields["otc"], Qt.MouseButton.LeftButton)
    dlg.fields["date"].setDate(QDate(2025, 1, 1))
    stop = dlg.fields["stop"]
    stop.check.setChecked(True)
    stop.date.setDate(QDate(2024, 6, 1))  # before the start: refused
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    assert dlg.item_id is None and "stops before it starts" in dlg.error.text()
    stop.date.setDate(QDate(2025, 6, 1))
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    ops.settle()  # the write runs on the worker
    row = win.records.entry(dlg.item_id).row
    assert row.data["otc"] is True and row.status == "stopped" and row.date_end.startswith("2025-06-01")


def test_delete_key_on_the_timeline_and_context_menu(qtbot, window) -> None:
    win, ctl = window
    gid = _import_fixture(win)
    show(win, "timeline")
    tl = win.views["timeline"]
    tl.select_item(gid)
    entry = tl.list.currentIndex().data(Roles.Entry)
    menu = ctl.context_menu_for(entry, tl.list)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Details…",
        "Correct…",
        "Move to another person…",
        "Move to Trash",
    ]
    tl.list.setFocus()
    qtbot.keyClick(tl.list, Qt.Key.Key_Delete)
    ops.settle()  # the write runs on the worker
    assert "Glucose" not in timeline_titles(win)
    assert [r.id for r in EditingService(win.vault).trash()] == [gid]


def test_enter_on_a_row_opens_the_item_and_lock_closes_it(qtbot, window) -> None:
    win, ctl = window
    gid = _import_fixture(win)
    show(win, "timeline")
    tl = win.views["timeline"]
    tl.select_item(gid)
    tl.list.activated.emit(tl.list.currentIndex())  # what Enter or a double-click sends
    detail = ctl.last_detail
    assert detail is not None and detail.isVisible() and detail.item_id == gid
    entry = ctl.add_entry("lab")
    win.lock()
    assert not detail.isVisible() and not entry.isVisible()
    assert ctl.last_detail is None and win.views["missing"].rows == [] and win.views["trash"].rows == []


# --------------------------------------------------------------------------- next steps with portals
def _overdue_office_visit(win: MainWindow) -> str:
    from medrecords_desktop.model.records import Encounter

    enc = Encounter(
        title="Office visit",
        date="2026-05-04T10:00",
        provider="Hillside Clinic",
        encounter_class="AMB",
        provenance=Provenance(source_id="Encounter/office-1", source_name="visit.json"),
    )
    write_items(win.vault, "Alice Example", [enc], name="visit.json")
    pid = choose_person(win, "Alice Example")
    (e,) = RecordService(win.vault).timeline(person=pid, kinds=["encounter"])
    return e.id


def test_open_portal_website_uses_the_stored_official_address(qtbot, tmp_path, vault_dir, monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from medrecords_desktop.services.portals import PortalService

    win = _window(qtbot, tmp_path)
    ctl = ext_records.install(win, today=lambda: date(2026, 5, 20))
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    try:
        enc_id = _overdue_office_visit(win)
        PortalService(win.vault).add("Hillside portal", "Alice Example", website="https://portal.hillside.example/")
        show(win, "missing")
        view = ctl.missing
        assert [e.encounter_id for e in view.rows] == [enc_id]
        view.table.selectRow(0)
        assert view.website_btn.isEnabled() and not view.sync_btn.isEnabled()
        opened: list[str] = []
        monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
        qtbot.mouseClick(view.website_btn, Qt.MouseButton.LeftButton)
        assert opened == ["https://portal.hillside.example/"]
    finally:
        _close(win)


def test_sync_portal_now_runs_the_sync_and_refreshes(qtbot, tmp_path, vault_dir, harness) -> None:
    from portal_support import follow_in_browser

    from medrecords_desktop.services.portals import PortalService

    win = _window(qtbot, tmp_path)
    ctl = ext_records.install(win, today=lambda: date(2026, 5, 20))
    win.set_vault(Vault.open(vault_dir, PASSPHRASE))
    try:
        enc_id = _overdue_office_visit(win)
        svc = PortalService(win.vault)
        svc.add("Test Clinic", "Alice Example", fhir_base=harness.fhir_base, brand="Medplum")
        svc.connect("Test Clinic", follow_in_browser, timeout=10)
        show(win, "missing")
        view = ctl.missing
        view.table.selectRow([e.encounter_id for e in view.rows].index(enc_id))
        assert view.sync_btn.isEnabled()
        pid = choose_person(win, "Alice Example")
        before = item_count(win.vault, pid)
        qtbot.mouseClick(view.sync_btn, Qt.MouseButton.LeftButton)
        op = view.sync_op
        qtbot.waitUntil(lambda: op is not None and op.finished, timeout=60000)
        added = item_count(win.vault, pid) - before
        assert added > 0 and view.detail.text() == f"Portal synced: {added} new records."
        show(win, "timeline")
        assert len(timeline_titles(win)) == added + 1  # the visit and everything the portal sent
    finally:
        _close(win)


# --------------------------------------------------------------------------- small contracts
def test_review_model_passes_the_model_tester(qtmodeltester) -> None:
    from types import SimpleNamespace

    from medrecords_desktop.gui.review_results import ProposedRowsModel

    rows = [
        SimpleNamespace(
            name="TSH",
            loinc="3016-3",
            value=2.1,
            value_text=None,
            unit="mIU/L",
            low=0.4,
            high=4.0,
            flag=None,
            date="2026-03-02",
            line="TSH 2.1",
            confidence=1.0,
        ),
        SimpleNamespace(
            name="Urine protein",
            loinc=None,
            value=None,
            value_text="Negative",
            unit=None,
            low=None,
            high=None,
            flag="N",
            date=None,
            line="Urine protein Negative",
            confidence=0.7,
        ),
    ]
    model = ProposedRowsModel(rows)
    qtmodeltester.check(model, force_py=True)
    assert model.text(1, 3) == "Negative"


def test_request_letter_cancelled_at_the_warning_writes_nothing(qtbot, demo_window, monkeypatch, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    win, ctl, enc, _clock = demo_window
    show(win, "missing")
    view = ctl.missing
    view.table.selectRow([e.encounter_id for e in view.rows].index(enc.id))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    asked: list[bool] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(True) or ("", ""))
    assert view.request_records() is None and asked == []
    from medrecords_desktop.services.missing import MissingService

    assert MissingService(win.vault).requests() == []


@pytest.mark.parametrize(
    ("kind", "name", "entered_by", "expected"),
    [
        (
            "portal",
            "Riverside MyChart (Observation)",
            None,
            "From the patient portal Riverside MyChart (Observation)",
        ),
        ("file", "ccd.xml", None, "From the file ccd.xml"),
        ("manual", "Entered by hand", "Pat", "Entered by Pat"),
        ("scan", "Lab report", "Pat", "Read from the document “Lab report”, confirmed by Pat"),
    ],
)
def test_provenance_sentence(kind: str, name: str, entered_by: str | None, expected: str) -> None:
    from medrecords_desktop.gui.item_detail import provenance_text
    from medrecords_desktop.model.records import Observation

    item = Observation(
        title="x",
        provenance=Provenance(
            source_kind=kind, source_name=name, entered_by=entered_by, imported_at="2026-04-02T10:00:00"
        ),
    )
    assert provenance_text(item).startswith(expected)
    assert "2 Apr 2026" in provenance_text(item)
