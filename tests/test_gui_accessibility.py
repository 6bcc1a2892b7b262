"""Screen readers and keyboard only, checked on real widgets offscreen (issue 24).

- Every interactive widget of every converted window has a name a screen reader can announce (the real
  QAccessible interface is asked, so a button's text or a form label's buddy counts; combos and lists
  need a real name).  The windows come from WINDOWS below; tests/gui_a11y.py lists converted files.
- Tab alone reaches every control of the unlock pages, the settings dialog and each add-entry form, and
  comes back round (no keyboard trap); mnemonics (Alt+letter) reach the labelled fields.
- Timeline and encounter rows read as one sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from gui_a11y import interactive_widgets, unnamed  # noqa: E402
from gui_helpers import fill, settings_in  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QComboBox,
    QLineEdit,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from medrecords_desktop.gui import ops  # noqa: E402
from medrecords_desktop.gui.models import PersonInfo, Roles  # noqa: E402
from medrecords_desktop.services.editing import MANUAL_KINDS  # noqa: E402
from medrecords_desktop.services.records import RecordService  # noqa: E402

# The offscreen platform cannot raise windows or grab the keyboard for popups; nothing else is ignored.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")


# --------------------------------------------------------------------------- the windows to check
def _ctx(vault):  # noqa: ANN202 - ViewContext
    from medrecords_desktop.gui.views import ViewContext

    people = {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}
    return ViewContext(RecordService(vault), people, None)


def _filled(vault):  # noqa: ANN001, ANN202
    fill(vault)
    return _ctx(vault)


def _unlock_pages(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.unlock import UnlockScreen

    s = UnlockScreen(tmp_path / "v", tmp_path / "demo")
    return [s.welcome_page, s.create_page, s.recovery_page, s.unlock_page]


def _settings(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.settings import SettingsDialog

    return [SettingsDialog(settings_in(tmp_path))]


def _help(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.help_dialog import HelpDialog

    return [HelpDialog()]


def _entry_forms(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.entry_forms import EntryDialog

    people = {p.id: p.name for p in vault.persons()}
    return [EntryDialog(vault, kind, people) for kind in MANUAL_KINDS]


def _item_dialogs(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.entry_forms import CorrectDialog
    from medrecords_desktop.gui.item_detail import ItemDetailDialog
    from medrecords_desktop.gui.review_results import ReviewResultsDialog

    ctx = _filled(vault)
    entries = ctx.records.timeline(None, limit=50)
    obs = next(e for e in entries if e.row.kind == "observation")
    doc = next(e for e in entries if e.row.kind == "document")
    return [
        CorrectDialog(vault, obs.id),
        ItemDetailDialog(vault, obs.id),
        ItemDetailDialog(vault, doc.id),
        ReviewResultsDialog(vault, doc.id, [], title="Letter", text="Glucose 5.4"),
    ]


def _timeline(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from PySide6.QtCore import QDate

    from medrecords_desktop.gui.views.timeline import JumpDialog, TimelineView

    v = TimelineView()
    v.set_context(_filled(vault), True)
    row = next(r for r in range(v.model.rowCount()) if not v.model.index(r).data(Roles.IsHeader))
    v.list.setCurrentIndex(v.model.index(row))
    return [v, JumpDialog(None, QDate(2026, 4, 12))]


def _encounters(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.views.encounters import EncountersView

    v = EncountersView()
    v.set_context(_filled(vault), True)
    v.table.selectRow(0)
    docs = v.document_nodes()
    if docs:
        v.tree.setCurrentItem(docs[0])
    return [v]


def _lists(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.search import SearchView
    from medrecords_desktop.gui.views.documents import DocumentsView
    from medrecords_desktop.gui.views.medications import MedicationsView

    ctx = _filled(vault)
    meds, docs, search = MedicationsView(), DocumentsView(), SearchView()
    for v in (meds, docs, search):
        v.set_context(ctx, True)
    row = docs.first_document_row()
    docs.list.setCurrentIndex(docs.model.index(row))
    search.run_search("zebra")
    search.list.setCurrentIndex(search.model.index(0))
    return [meds, docs, search]


def _immunizations(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    import datetime as dt

    from medrecords_desktop.gui.immunizations_view import ImmunizationsView
    from medrecords_desktop.tools.screenshots_immunizations import add_child_history

    add_child_history(vault, "Bobby Example")
    ctx = _ctx(vault)
    family = ImmunizationsView(today=lambda: dt.date(2026, 6, 1))
    family.set_context(ctx, True)
    bobby = next(pid for pid, p in ctx.people.items() if p.name == "Bobby Example")
    one = ImmunizationsView(today=lambda: dt.date(2026, 6, 1))
    one.set_context(type(ctx)(ctx.records, ctx.people, bobby), True)
    assert family.tree.topLevelItemCount() == 2 and one.tree.topLevelItemCount() > 5
    return [family, one]


def _people_dialogs(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.people_menu import EditPersonDialog, MergeDialog

    fill(vault, "Bobby Example")
    bobby = next(p for p in vault.persons() if p.name == "Bobby Example")
    merge = MergeDialog(vault, bobby)
    assert merge.tree.topLevelItemCount() > 0  # the preview is filled: its rows are walked too
    return [EditPersonDialog(vault, bobby), merge]


def _trash_and_imports(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.trash_view import TrashView
    from medrecords_desktop.gui.views.imports import ImportsView
    from medrecords_desktop.services.editing import EditingService

    ctx = _filled(vault)
    first = ctx.records.timeline(None, limit=5)[0]
    EditingService(vault).delete(first.id)
    trash, imports = TrashView(), ImportsView()
    for v in (trash, imports):
        v.set_context(ctx, True)
    assert trash.table.rowCount() == 1 and imports.model.rowCount() > 0
    trash.table.selectRow(0)
    imports.select_row(0)
    return [trash, imports]


def _audit(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.audit_view import AuditView

    v = AuditView()
    v.set_context(_filled(vault), True)
    assert v.table.rowCount() > 0  # the vault's own entries (created, added a person...)
    v.table.selectRow(0)
    return [v]


def _missing(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    import datetime as dt

    from medrecords_desktop.gui.missing_view import MissingView

    v = MissingView(today=lambda: dt.date(2026, 6, 1))
    v.set_context(_filled(vault), True)
    v.show_waiting.setChecked(True)
    assert v.rows, "the filled vault's visits have records still expected"
    v.table.selectRow(0)
    return [v]


def _import_dialogs(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.import_dialog import ChoosePersonDialog, ImportDialog, PersonQuestion
    from medrecords_desktop.importers.base import PatientInfo
    from medrecords_desktop.services.importing import ImportService

    fixtures = Path(__file__).parent / "fixtures" / "gui"
    files = [str(fixtures / "walrus-visit.json"), str(fixtures / "truncated-download.json")]
    running = ImportDialog(vault, files)  # before the import: heading, bar, Cancel
    done = ImportDialog(vault, files)
    report = ImportService(vault).import_paths(files, choose_person=lambda *_: None)
    done.show_report(report)  # the real report of a real import: the tree, the problems, Close
    patient = PatientInfo(ref="Patient/1", name="Alice Exampel", birth_date="1980-01-01")
    ask = ChoosePersonDialog(PersonQuestion(patient, list(vault.persons())[:2], files[0]))
    return [running, done, ask]


def _packet(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.packet_dialog import PacketDialog
    from medrecords_desktop.services.exporting import ExportService

    _filled(vault)
    alice = next(p.id for p in vault.persons() if p.name == "Alice Example")
    form = PacketDialog(vault, alice)
    assert form.visits.count() > 0 and form.documents.count() > 0  # the lists are walked with rows
    done = PacketDialog(vault, alice)
    out = tmp_path / "packet.pdf"
    result = ExportService(vault).packet(done.choice(), out, "correct horse battery")  # a real packet
    done._done(result, "correct horse battery")
    assert done.pages.currentWidget() is done.result_page
    return [form, done]


def _main_window(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.main_window import AddPersonDialog, MainWindow

    fill(vault)
    win = MainWindow(tmp_path / "none", tmp_path / "demo", settings_in(tmp_path))
    win.set_vault(vault, False)
    win.show_view("timeline")
    win.show()
    assert win.people_list.count() > 1 and win.view_list.count() >= 6
    # The window's own parts (the views have their own entries): toolbar with search, the sidebar.
    # The status bar's signed-in badge comes from the sharing extension (ext_sharing.py).
    return [win.toolbar, win.people_list.parentWidget(), win.statusBar(), AddPersonDialog()]


def _labs(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.views.labs import LabsView

    v = LabsView()
    v.set_context(_filled(vault), True)
    assert v.test_names() and v.model.rowCount() > 0  # a test chosen: chart, unit box and table shown
    return [v]


def _claims_and_wrong_person(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.claims_view import ClaimsView
    from medrecords_desktop.gui.wrong_person import WrongPersonDialog
    from medrecords_desktop.importers.base import PatientInfo
    from medrecords_desktop.importers.fhir import parse_fhir_resources
    from medrecords_desktop.services.importing import ImportOptions, ImportService
    from tests.vendor_data import payer_record

    ctx = _filled(vault)
    alice = next(p for p in vault.persons() if p.name == "Alice Example")
    parsed = parse_fhir_resources(payer_record("a11y"), "Acme Health Plan", source_kind="portal")
    ImportService(vault).write_parsed(parsed, ImportOptions(person=alice.id, force=True), source_kind="portal")
    claims = ClaimsView()
    claims.set_context(ctx, True)
    assert claims.table.rowCount() > 0
    claims.table.selectRow(0)
    other = PatientInfo(ref="Patient/9", name="Ruth A. Okafor", birth_date="1958-07-02")
    return [claims, WrongPersonDialog(other, alice, str(tmp_path / "letter.pdf"))]


def _access(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.access_view import AccessView, AddUserDialog, GrantDialog, RecoveryCodeDialog
    from medrecords_desktop.services import access

    ctx = _filled(vault)
    access.add_user(vault, "Sam", "sam's own long passphrase")
    access.grant(vault, "Sam", "Alice Example", "view")
    v = AccessView()
    v.set_context(ctx, True)
    assert v.tree.topLevelItemCount() == 2
    v.select("Sam", "Alice Example")  # every button enabled
    people = [p.name for p in vault.persons()]
    return [v, AddUserDialog(), GrantDialog(["Sam"], people, "Sam"), RecoveryCodeDialog("Sam", "ABCD-EFGH")]


def _portals(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.portals_view import AddPortalDialog, PortalsView
    from medrecords_desktop.services.missing import Expectation, MissingService
    from medrecords_desktop.services.portals import PortalService

    ctx = _filled(vault)
    alice = next(p for p in vault.persons() if p.name == "Alice Example")
    svc = PortalService(vault)
    svc.add("County Hospital", "Alice Example", website="https://portal.example.org/", notes="paper only")
    svc.add("Test Clinic", "Alice Example", fhir_base="https://fhir.example.org/R4", brand="Epic MyChart")
    MissingService(vault).request_records(
        Expectation(
            alice.id,
            "Alice Example",
            f"{alice.id}.1",
            "Office visit",
            "2026-04-12",
            "Example Clinic",
            "avs",
            "After-visit summary",
            "2026-04-19",
            "overdue",
        )
    )
    v = PortalsView()
    v.set_context(ctx, True)
    assert v.table.rowCount() == 2 and v.requests.rowCount() == 1
    v.requests.selectRow(0)  # every button enabled
    dlg = AddPortalDialog([(p.id, p.name) for p in vault.persons()], alice.id)
    dlg.find_edit.setText("brooklyn hospital")  # the directory's matches are listed
    return [v, dlg]


# Every window of the converted files.  Converting another file: add its windows here.
def _devices(vault, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from medrecords_desktop.gui.devices_view import DevicesView

    v = DevicesView()
    v.find_syncthing = lambda: None
    v.set_context(_ctx(vault), True)
    ops.wait_idle()
    QApplication.processEvents()
    return [v]


WINDOWS: dict[str, Callable[..., list[QWidget]]] = {
    "unlock pages": _unlock_pages,
    "settings": _settings,
    "help": _help,
    "add-entry forms": _entry_forms,
    "item, correct and review dialogs": _item_dialogs,
    "timeline and jump dialog": _timeline,
    "encounters": _encounters,
    "medications, documents, search": _lists,
    "immunizations (family and one person)": _immunizations,
    "edit and merge person dialogs": _people_dialogs,
    "trash and import history": _trash_and_imports,
    "audit": _audit,
    "missing records": _missing,
    "import, its report and whose records": _import_dialogs,
    "appointment packet (form and result)": _packet,
    "main window (toolbar, sidebar, timeline) and add-a-person": _main_window,
    "labs (test list, chart, results)": _labs,
    "claims and the wrong-person question": _claims_and_wrong_person,
    "people and access, add user, grant, recovery code": _access,
    "portals and sources, add a portal": _portals,
    "devices (replication)": _devices,
}


@pytest.mark.parametrize("which", list(WINDOWS))
def test_every_interactive_widget_has_an_accessible_name(qtbot, vault, tmp_path: Path, which: str) -> None:
    windows = WINDOWS[which](vault, tmp_path)
    try:
        checked = 0
        for w in windows:
            qtbot.addWidget(w.window())  # a part of a window: the whole window is closed afterwards
            w.show()
            QApplication.processEvents()
            checked += len(interactive_widgets(w))
            assert unnamed(w) == [], f"{which}: widgets a screen reader cannot name"
        assert checked >= len(windows)  # the walk found the controls (it can fail, see the test below)
    finally:
        ops.wait_idle()


def test_the_walk_fails_on_an_unnamed_control(qtbot) -> None:
    """The check can fail: bare line edits, icon-only buttons and combos are reported; named ones are not."""
    root = QWidget()
    qtbot.addWidget(root)
    bare = [QLineEdit(root), QToolButton(root), QComboBox(root)]
    bare[2].addItems(["first item"])  # a combo's fallback "name" is its current text: not enough
    named = QLineEdit(root)
    named.setAccessibleName("Search")
    found = unnamed(root)
    assert len(found) == 3 and all(type(b).__name__ in " ".join(found) for b in bare)


# --------------------------------------------------------------------------- screen reader sentences
def test_timeline_rows_read_as_sentences(qtbot, vault) -> None:
    from medrecords_desktop.gui.views.timeline import TimelineView

    v = TimelineView()
    qtbot.addWidget(v)
    v.set_context(_filled(vault), True)
    texts = [v.model.index(r).data(Qt.ItemDataRole.AccessibleTextRole) for r in range(v.model.rowCount())]
    # A result: name, value with unit, whether it is in range, the long date, whose.
    assert "Glucose zebra 5.4 mmol/L, normal, 12 April 2026, Alice Example" in texts
    assert "Visit: Visit zebra, 12 April 2026, Alice Example" in texts
    assert "12 April 2026" in texts  # a day header reads as its date
    desc = [v.model.index(r).data(Qt.ItemDataRole.AccessibleDescriptionRole) for r in range(v.model.rowCount())]
    assert any(d and d.startswith("Result; Laboratory, reference 3.9–5.6") for d in desc)


def test_a_high_result_says_high_in_words(qtbot, vault) -> None:
    from factories import prov, write_items

    from medrecords_desktop.gui.a11y import row_sentence
    from medrecords_desktop.model.records import Observation

    write_items(
        vault,
        "Alice Example",
        [
            Observation(
                title="Potassium",
                date="2026-10-24",
                value=6.3,
                unit="mmol/L",
                ref_low=3.5,
                ref_high=5.1,
                provenance=prov("Observation/k"),
            ),
        ],
    )
    e = next(e for e in RecordService(vault).timeline(None, limit=10) if e.row.title == "Potassium")
    assert row_sentence(e.row, "Rosa Martinez") == "Potassium 6.3 mmol/L, high, 24 October 2026, Rosa Martinez"


def test_encounter_rows_read_as_sentences(qtbot, vault) -> None:
    from medrecords_desktop.gui.views.encounters import EncountersView

    v = EncountersView()
    qtbot.addWidget(v)
    v.set_context(_filled(vault), True)
    idx = v.model.index(0, 3)  # any cell of the row reads the whole visit
    assert idx.data(Qt.ItemDataRole.AccessibleTextRole) == "Visit zebra, 12 April 2026, Clinic zebra, Alice Example"
    assert "linked item" in idx.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    v.table.selectRow(0)
    first = v.tree.topLevelItem(0).child(0)
    assert first.data(0, Qt.ItemDataRole.AccessibleTextRole).endswith("12 April 2026")


# --------------------------------------------------------------------------- keyboard only
def _tab_cycle(window: QWidget, start: QWidget, limit: int = 60) -> list[QWidget]:
    """Press Tab from ``start`` until focus comes back to it; the widgets focused on the way."""
    window.activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    first = QApplication.focusWidget()  # a calendar or a combo focuses its inner part (focus proxy)
    assert first is not None and _within(first, start), f"{start.objectName()} cannot take focus"
    seen: list[QWidget] = [first]
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        QApplication.processEvents()
        w = QApplication.focusWidget()
        assert w is not None, "focus left the window"
        if w is first:
            return seen
        seen.append(w)
    raise AssertionError(f"Tab did not come back round after {limit} presses (a keyboard trap?)")


def _within(w: QWidget, ancestor: QWidget) -> bool:
    while w is not None:
        if w is ancestor:
            return True
        w = w.parentWidget()
    return False


def _controls(root: QWidget) -> list[QWidget]:
    """The controls a person must be able to reach: visible, enabled, interactive."""
    return [w for w in interactive_widgets(root) if w.isVisibleTo(root.window()) and w.isEnabled()]


def _assert_all_reached(root: QWidget, seen: list[QWidget]) -> None:
    missed = [
        f"{type(w).__name__}:{w.objectName() or w.accessibleName()}"
        for w in _controls(root)
        if not any(_within(f, w) for f in seen)
    ]
    assert missed == [], "not reachable by Tab"


def test_unlock_pages_by_keyboard_alone(qtbot, tmp_path: Path) -> None:
    from medrecords_desktop.gui.unlock import UnlockScreen

    s = UnlockScreen(tmp_path / "new-vault", tmp_path / "demo")
    qtbot.addWidget(s)
    s.resize(900, 800)
    s.show()
    qtbot.waitExposed(s)
    # Welcome: both choices.
    s.show_welcome()
    _assert_all_reached(s.welcome_page, _tab_cycle(s, s.create_btn))
    # Create: location, browse, name, passphrase twice, create, back.  Filled by typing only.
    QTest.keyClick(s.create_btn, Qt.Key.Key_Space)
    assert s.currentWidget() is s.create_page and QApplication.focusWidget() is s.owner
    QTest.keyClicks(s.owner, "Maria Garcia")
    QTest.keyClick(s.owner, Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "river lantern cobalt meadow")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "river lantern cobalt meadow")
    assert s.new_pass.text() == s.confirm.text() == "river lantern cobalt meadow"
    assert s.do_create.isEnabled()
    seen = _tab_cycle(s, s.location)
    _assert_all_reached(s.create_page, seen)
    order = [w for w in seen if w in (s.location, s.owner, s.new_pass, s.confirm, s.do_create)]
    assert order == [s.location, s.owner, s.new_pass, s.confirm, s.do_create]  # reading order
    # Mnemonics: Alt+P jumps to the passphrase, Alt+N to the name.
    QTest.keyClick(s.location, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is s.new_pass
    QTest.keyClick(s.new_pass, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is s.owner
    # Unlock page: the passphrase, the button, the way back to the welcome page.
    s.show_unlock(tmp_path / "new-vault")
    assert QApplication.focusWidget() is s.passphrase
    _assert_all_reached(s.unlock_page, _tab_cycle(s, s.passphrase))
    # Recovery page: the code itself (for screen readers), the checkbox, then Continue once ticked.
    s.setCurrentWidget(s.recovery_page)
    s.code.setText("ABCDE-FGHIJ")
    seen = _tab_cycle(s, s.saved)
    assert s.code in seen
    QTest.keyClick(s.saved, Qt.Key.Key_Space)
    assert s.continue_btn.isEnabled()
    _assert_all_reached(s.recovery_page, _tab_cycle(s, s.saved))


def test_settings_dialog_by_keyboard_alone(qtbot, tmp_path: Path) -> None:
    from medrecords_desktop.gui.settings import SettingsDialog

    settings = settings_in(tmp_path)
    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.autolock, timeout=2000)  # focus starts there
    seen = _tab_cycle(dlg, dlg.autolock)
    _assert_all_reached(dlg, seen)
    assert seen[:3] == [dlg.autolock, dlg.theme, dlg.language]
    # Change every setting with keys only, then Enter accepts.
    QTest.keyClick(dlg.autolock, Qt.Key.Key_Up)
    QTest.keyClick(dlg.autolock, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # Alt+N: Language
    assert QApplication.focusWidget() is dlg.language
    QTest.keyClick(dlg.language, Qt.Key.Key_Down)
    QTest.keyClick(dlg.language, Qt.Key.Key_Down)
    QTest.keyClick(dlg.language, Qt.Key.Key_Return)
    assert dlg.result() == dlg.DialogCode.Accepted
    assert settings.autolock_minutes == 6 and settings.language == "es"


@pytest.mark.parametrize("kind", MANUAL_KINDS)
def test_add_entry_form_by_keyboard_alone(qtbot, vault, kind: str) -> None:
    from medrecords_desktop.gui.entry_forms import EntryDialog, OptionalDate

    dlg = EntryDialog(vault, kind, {p.id: p.name for p in vault.persons()})
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    for w in dlg.fields.values():  # optional dates: ticked by keyboard so their date is reachable too
        if isinstance(w, OptionalDate):
            w.check.setFocus()
            QTest.keyClick(w.check, Qt.Key.Key_Space)
            assert w.date.isEnabled()
    seen = _tab_cycle(dlg, dlg.person)
    _assert_all_reached(dlg, seen)
    assert all(
        f in seen or (isinstance(f, OptionalDate) and f.check in seen and f.date in seen) for f in dlg.fields.values()
    )
    # Escape closes the form without saving.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dlg.isVisible() and dlg.item_id is None


def test_an_entry_saved_by_keyboard_alone(qtbot, vault) -> None:
    """Type a medication, tick "over the counter" with Space, and save with Alt+S-free Enter."""
    from medrecords_desktop.gui.entry_forms import EntryDialog

    dlg = EntryDialog(vault, "medication", {p.id: p.name for p in vault.persons()})
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    seen = _tab_cycle(dlg, dlg.person)
    QTest.keyClicks(dlg.fields["name"], "Vitamin D3")
    QTest.keyClick(dlg.fields["otc"], Qt.Key.Key_Space)
    QTest.keyClick(dlg.fields["name"], Qt.Key.Key_Return)
    ops.settle()  # saved on the worker
    assert dlg.item_id is not None, dlg.error.text()
    assert seen  # the cycle closed
    e = RecordService(vault).entry(dlg.item_id)
    assert e.row.title == "Vitamin D3" and e.row.data.get("otc") is True


def test_help_dialog_keyboard_and_no_trap(qtbot) -> None:
    from medrecords_desktop.gui.help_dialog import HelpDialog

    dlg = HelpDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.search, timeout=2000)  # focus starts there
    seen = _tab_cycle(dlg, dlg.search)  # the page text does not swallow Tab
    assert dlg.pages in seen and dlg.text in seen
    QTest.keyClicks(dlg.search, "keyboard")
    assert dlg.current_slug() == "keyboard-and-accessibility"


def test_passphrase_is_never_the_accessible_name(qtbot, tmp_path: Path) -> None:
    """Screen readers announce names: a typed passphrase must not become one."""
    from gui_a11y import accessible_name

    from medrecords_desktop.gui.unlock import UnlockScreen

    s = UnlockScreen(tmp_path / "v", tmp_path / "demo")
    qtbot.addWidget(s)
    s.show_unlock()
    QTest.keyClicks(s.passphrase, PASSPHRASE)
    assert PASSPHRASE not in accessible_name(s.passphrase)


def test_search_hits_read_as_sentences(qtbot, vault) -> None:
    from medrecords_desktop.gui.search import SearchView

    v = SearchView()
    qtbot.addWidget(v)
    v.set_context(_filled(vault), True)
    assert v.run_search("zebra") > 0
    texts = [v.model.index(r).data(Qt.ItemDataRole.AccessibleTextRole) for r in range(v.model.rowCount())]
    assert "Glucose zebra 5.4 mmol/L, normal, 12 April 2026, Alice Example" in texts
    descs = [v.model.index(r).data(Qt.ItemDataRole.AccessibleDescriptionRole) for r in range(v.model.rowCount())]
    assert all(d and "[" not in d for d in descs)  # the matched words, without the snippet's markers


# --------------------------------------------------------------------------- large text, high contrast
def test_timeline_rows_grow_with_large_fonts(qtbot) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from medrecords_desktop.gui.views.timeline import ROW_H, TimelineDelegate, TimelineModel

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    try:
        big = QFont(normal)
        big.setPointSizeF(normal.pointSizeF() * 2)  # "large text" in the system settings
        app.setFont(big)
        d = TimelineDelegate(TimelineModel())
        title, small = QFontMetrics(d.f_title), QFontMetrics(d.f_small)
        # both lines of a row fit without clipping, with the row's top and bottom margins
        assert d.row_h >= 8 + title.height() + small.height() + 7 > ROW_H
        assert d.header_h >= QFontMetrics(d.f_header).height() + 14
    finally:
        app.setFont(normal)
    assert TimelineDelegate(TimelineModel()).row_h == ROW_H  # the default font keeps the usual rows


def test_high_contrast_follows_the_setting(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from medrecords_desktop.gui import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        monkeypatch.setenv("MEDRECORDS_HIGH_CONTRAST", "1")
        theme.apply(app, dark=False)
        assert theme.is_high_contrast() and theme.colors().text == "#000000"
        assert "3px solid" in app.styleSheet()  # a focus frame nobody can miss
        theme.apply(app, dark=True)
        assert theme.colors() is theme.CONTRAST_DARK
        monkeypatch.setenv("MEDRECORDS_HIGH_CONTRAST", "0")
        theme.apply(app, dark=False)
        assert not theme.is_high_contrast() and theme.colors() is theme.LIGHT
    finally:
        monkeypatch.delenv("MEDRECORDS_HIGH_CONTRAST", raising=False)
        theme.apply(app, dark=False)


def test_every_shortcut_listed_in_help_exists(qtbot, vault_dir: Path, tmp_path: Path) -> None:
    """The Help page's table of shortcuts matches the window's real actions (after the first unlock)."""
    import re

    from PySide6.QtGui import QAction, QKeySequence

    from medrecords_desktop import help as guide
    from medrecords_desktop.gui.main_window import MainWindow
    from medrecords_desktop.vault.vault import Vault

    win = MainWindow(tmp_path / "none", tmp_path / "demo", settings_in(tmp_path))
    qtbot.addWidget(win)
    win.set_vault(Vault.open(vault_dir, PASSPHRASE), False)
    try:
        real = {
            s.toString(QKeySequence.SequenceFormat.PortableText)
            for a in win.findChildren(QAction)
            for s in a.shortcuts()
        }
        for lang in ("en", "es"):
            text = guide.page("keyboard-and-accessibility", lang).text()
            cells = re.findall(r"^\| ([^|]+?) \|", text, flags=re.MULTILINE)[2:]  # skip heading and rule
            listed: set[str] = set()
            for cell in cells:
                m = re.fullmatch(r"Ctrl\+(\d) … Ctrl\+(\d)", cell)
                if m:
                    listed |= {f"Ctrl+{n}" for n in range(int(m.group(1)), int(m.group(2)) + 1)}
                else:
                    listed |= {k.strip() for k in cell.split(", ") if k.strip()}
            listed = {"Del" if k in ("Delete", "Supr") else k for k in listed}
            assert len(listed) >= 15
            assert listed - real == set(), f"{lang}: listed in Help but no action has it"
    finally:
        ops.wait_idle()
        win.lock()


def _mnemonics(root: QWidget) -> list[str]:
    """The Alt+letter keys of the labels and buttons shown in ``root`` ('&&' is a literal ampersand)."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    keys = []
    for w in root.findChildren(QWidget):
        if isinstance(w, (QLabel, QAbstractButton)) and w.isVisibleTo(root):
            m = re.search(r"(?<!&)&([^&\s])", w.text().replace("&&", ""))
            if m:
                keys.append(m.group(1).lower())
    return keys


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("which", list(WINDOWS))
def test_alt_keys_are_unique_in_every_window(
    qtbot, vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str, lang: str
) -> None:
    """Two fields with the same Alt+letter in one window make the key ambiguous (in either language)."""
    from PySide6.QtCore import QLocale

    from medrecords_desktop.gui import i18n

    app = QApplication.instance()
    before = QLocale()
    monkeypatch.setenv("MEDRECORDS_LANG", lang)
    i18n.install(app)
    try:
        for w in WINDOWS[which](vault, tmp_path):
            qtbot.addWidget(w.window())
            keys = _mnemonics(w)
            assert len(keys) == len(set(keys)), f"{lang} {which} {type(w).__name__}: {sorted(keys)}"
    finally:
        ops.wait_idle()
        monkeypatch.setenv("MEDRECORDS_LANG", "en")
        i18n.install(app)
        QLocale.setDefault(before)


@pytest.mark.parametrize("which", list(WINDOWS))
def test_tab_reaches_every_control_of_every_window(qtbot, vault, tmp_path: Path, which: str) -> None:
    """Every window of the converted files, not only the three above: Tab alone visits each visible,
    enabled control and comes back round (lists, tables, the document viewer included)."""
    try:
        for w in WINDOWS[which](vault, tmp_path):
            top = w.window()
            if top.parentWidget() is None:
                qtbot.addWidget(top)
            child = w
            while child.parentWidget() is not None:  # a page of a stack: make it the one shown
                if isinstance(child.parentWidget(), QStackedWidget):
                    child.parentWidget().setCurrentWidget(child)
                child = child.parentWidget()
            top.resize(1200, 800)
            top.show()
            qtbot.waitExposed(top)
            controls = [c for c in _controls(w) if c.focusPolicy() & Qt.FocusPolicy.TabFocus]
            assert controls, which
            seen = _tab_cycle(top, controls[0], limit=120)
            _assert_all_reached(w, seen + _by_arrows(seen))
    finally:
        ops.wait_idle()


def _by_arrows(seen: list[QWidget]) -> list[QWidget]:
    """Radio buttons of one group: Tab stops on the checked one, the arrow keys move to the others (the
    platform convention).  The radios reached by pressing Down from each radio Tab reached."""
    from PySide6.QtWidgets import QRadioButton

    out: list[QWidget] = []
    for start in [w for w in seen if isinstance(w, QRadioButton)]:
        start.setFocus(Qt.FocusReason.TabFocusReason)
        for _ in range(12):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
            QApplication.processEvents()
            w = QApplication.focusWidget()
            if not isinstance(w, QRadioButton) or w in out:
                break
            out.append(w)
        start.setChecked(True)  # arrows also choose: put the choice back (it may enable other controls)
        QApplication.processEvents()
    return out
