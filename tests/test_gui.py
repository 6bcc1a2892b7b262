"""The desktop app driven for real, offscreen: create, unlock, browse, open documents, search, lock.

Every test runs against a real SQLCipher vault (the conftest template, copied per test) and the real
widgets; nothing is mocked but the two modal boxes Qt cannot click offscreen (they are answered).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from gui_helpers import fill, settings_in  # noqa: E402
from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from medrecords_desktop.gui import ops  # noqa: E402
from medrecords_desktop.gui.main_window import MainWindow  # noqa: E402
from medrecords_desktop.gui.models import Roles  # noqa: E402
from medrecords_desktop.gui.views.encounters import EncountersView  # noqa: E402
from medrecords_desktop.gui.views.timeline import TimelineView  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path: Path, vault_dir: Path):
    from medrecords_desktop.gui.app import apply_theme, make_app

    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    win = MainWindow(vault_dir, tmp_path / "demo-vault", settings)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    yield win
    ops.wait_idle()
    QApplication.processEvents()
    if win.vault is not None:
        win.lock()


@pytest.fixture
def filled(vault_dir: Path) -> Path:
    v = Vault.open(vault_dir, PASSPHRASE)
    try:
        fill(v)
    finally:
        v.close()
    return vault_dir


def unlock(qtbot, win: MainWindow, passphrase: str = PASSPHRASE) -> None:
    win.start(True)
    assert win.central.currentWidget() is win.unlock
    qtbot.keyClicks(win.unlock.passphrase, passphrase)
    qtbot.mouseClick(win.unlock.unlock_btn, Qt.MouseButton.LeftButton)


def timeline_titles(view: TimelineView) -> list[str]:
    m = view.model
    return [m.index(r).data() for r in range(m.rowCount()) if not m.index(r).data(Roles.IsHeader)]


# --------------------------------------------------------------------------- unlock pages
def test_create_vault_from_welcome(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDRECORDS_TEST_FAST_KDF", "1")
    win = MainWindow(tmp_path / "new-vault", tmp_path / "demo", settings_in(tmp_path))
    qtbot.addWidget(win)
    win.show()
    win.start(False)
    page = win.unlock
    assert page.currentWidget() is page.welcome_page
    qtbot.mouseClick(page.create_btn, Qt.MouseButton.LeftButton)
    assert page.currentWidget() is page.create_page
    assert page.location.text() == str(tmp_path / "new-vault")
    qtbot.keyClicks(page.owner, "Pat Owner")
    qtbot.keyClicks(page.new_pass, "short")
    assert page.meter_label.text() == "Too short" and not page.do_create.isEnabled()
    page.new_pass.clear()
    qtbot.keyClicks(page.new_pass, "river lantern cobalt meadow")
    assert page.meter.value() >= 3, page.meter_label.text()
    qtbot.keyClicks(page.confirm, "river lantern cobalt meadoX")
    assert "differ" in page.create_error.text() and not page.do_create.isEnabled()
    page.confirm.clear()
    qtbot.keyClicks(page.confirm, "river lantern cobalt meadow")
    assert page.do_create.isEnabled()
    qtbot.mouseClick(page.do_create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.currentWidget() is page.recovery_page, timeout=20_000)
    code = page.code.text().replace("-", "")
    assert len(code) == 25
    assert not page.continue_btn.isEnabled()  # "I have saved it" first
    page.saved.setChecked(True)
    qtbot.mouseClick(page.continue_btn, Qt.MouseButton.LeftButton)
    assert win.central.currentWidget() is win.workspace
    assert page.code.text() == ""  # shown once
    assert [win.people_list.item(i).text() for i in range(win.people_list.count())] == [
        "Everyone",
        "Pat Owner",
    ]
    assert not win.banner.isVisible()
    win.lock()
    # The recovery code opens the vault it was shown for.
    Vault.open(tmp_path / "new-vault", code).close()


def test_unlock_shows_timeline(qtbot, window: MainWindow, filled: Path) -> None:
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.central.currentWidget() is window.workspace, timeout=10_000)
    tl = window.views["timeline"]
    assert isinstance(tl, TimelineView)
    titles = timeline_titles(tl)
    assert "Lab letter zebra" in titles and "Visit yak" in titles
    # Newest first, with day headers.
    assert tl.model.index(0).data(Roles.IsHeader) and tl.model.index(0).data() == "Sun 12 Apr 2026"
    assert titles.index("Visit zebra") < titles.index("Visit yak")


def test_wrong_passphrase_is_told(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window, "not the passphrase")
    qtbot.waitUntil(lambda: window.unlock.unlock_error.text() != "", timeout=10_000)
    assert window.unlock.unlock_error.text().startswith("Wrong passphrase")
    assert window.central.currentWidget() is window.unlock
    assert window.vault is None


def test_damaged_vault_is_told_apart(qtbot, window: MainWindow, vault_dir: Path) -> None:
    db = vault_dir / "household.db"
    data = bytearray(db.read_bytes())
    for i in range(4096 + 100, 4096 + 400):
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.unlock.unlock_error.text() != "", timeout=10_000)
    msg = window.unlock.unlock_error.text()
    assert "damaged" in msg and "Wrong passphrase" not in msg


# --------------------------------------------------------------------------- browsing
@pytest.fixture
def opened(qtbot, window: MainWindow, filled: Path) -> MainWindow:
    window.set_vault(Vault.open(filled, PASSPHRASE))
    return window


def test_timeline_filters_and_jump(qtbot, opened: MainWindow) -> None:
    tl = opened.views["timeline"]
    assert isinstance(tl, TimelineView)
    tl.dates.date_from.setDate(QDate(2026, 1, 1))
    titles = timeline_titles(tl)
    assert "Visit zebra" in titles and not any("yak" in t for t in titles)
    tl.dates.reset()
    tl.kinds.set_kinds(["encounter"])
    assert timeline_titles(tl) == ["Visit zebra", "Visit yak"]
    tl.kinds.select_all()
    tl.jump_to("2025-12-31")  # a new query with date_to
    titles = timeline_titles(tl)
    assert titles and all("yak" in t for t in titles)
    assert tl.model.query().date_to == "2025-12-31"
    tl.dates.date_from.setDate(QDate(2030, 1, 1))
    assert tl.model.rowCount() == 0 and tl.list_stack.currentWidget() is tl.empty
    assert "Nothing matches" in tl.empty.text()


def test_timeline_selection_opens_detail_and_person_filter(qtbot, opened: MainWindow) -> None:
    tl = opened.views["timeline"]
    assert isinstance(tl, TimelineView)
    row = next(r for r in range(tl.model.rowCount()) if tl.model.index(r).data() == "Glucose zebra")
    tl.list.setCurrentIndex(tl.model.index(row))
    assert tl.detail.title.text() == "Glucose zebra"
    assert tl.detail.body.isVisible()
    # Bobby has no records: choosing him empties the timeline and says what to do.
    opened.people_list.setCurrentRow(2)
    assert tl.model.rowCount() == 0 and "No records yet" in tl.empty.text()


def test_encounter_then_document_in_viewer(qtbot, opened: MainWindow) -> None:
    enc = opened.show_view("encounters")
    assert isinstance(enc, EncountersView)
    enc.dates.date_from.setDate(QDate(2026, 1, 1))  # 1: filter by date
    assert enc.model.rowCount() == 1
    rect = enc.table.visualRect(enc.model.index(0, 1))
    qtbot.mouseClick(enc.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # 2: open the visit
    assert enc.head.text() == "Visit zebra"
    docs = enc.document_nodes()
    assert sorted(n.text(0) for n in docs) == ["Lab letter zebra", "Letter zebra"]
    pdf_node = next(n for n in docs if n.text(0) == "Lab letter zebra")
    enc.tree.scrollToItem(pdf_node)
    qtbot.mouseClick(
        enc.tree.viewport(), Qt.MouseButton.LeftButton, pos=enc.tree.visualItemRect(pdf_node).center()
    )  # 3: open the exact document
    viewer = enc.item_detail.viewer
    assert viewer.mode == "pdf"
    assert viewer.pdf.pageCount() > 0
    # Viewing is audited by the service, on the worker.
    assert ops.settle()
    actions = [e.action for e in reversed(opened.vault.audit_entries())]
    assert actions[-1] == "item.view"
    # The text letter shows as text.
    enc.tree.setCurrentItem(next(n for n in docs if n.text(0) == "Letter zebra"))
    assert viewer.mode == "text" and "Original letter zebra" in viewer.text.toPlainText()


def test_open_visit_from_timeline(qtbot, opened: MainWindow) -> None:
    tl = opened.views["timeline"]
    assert isinstance(tl, TimelineView)
    row = next(r for r in range(tl.model.rowCount()) if tl.model.index(r).data() == "Glucose yak")
    tl.list.setCurrentIndex(tl.model.index(row))
    qtbot.mouseClick(tl.detail.visit_btn, Qt.MouseButton.LeftButton)
    enc = opened.views["encounters"]
    assert opened.stack.currentWidget() is enc
    assert isinstance(enc, EncountersView) and enc.head.text() == "Visit yak"


def test_labs_chart_with_reference_band(qtbot, opened: MainWindow) -> None:
    labs = opened.show_view("labs")
    # Two sources named the same LOINC code differently: one test, one series.
    assert labs.test_names() == ["Glucose"] and labs.headers() == ["Lab tests"]
    assert labs.select_test("Glucose zebra") and labs.select_test("Glucose")
    names = labs.series_names()
    assert "Reference range" in names
    assert labs.model.rowCount() == 2
    assert labs.model.index(0, 0).data() == "Sun 12 Apr 2026"  # newest first
    assert labs.model.index(0, 3).data() == "5.4 mmol/L"
    assert labs.model.index(0, 4).data() == ""  # within 3.9-5.6: no flag


def test_search_opens_result_in_place(qtbot, opened: MainWindow) -> None:
    qtbot.keyClick(opened, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert opened.search_field.hasFocus() or QApplication.focusWidget() is opened.search_field
    qtbot.keyClicks(opened.search_field, "zebra glucose")
    qtbot.keyClick(opened.search_field, Qt.Key.Key_Return)
    sv = opened.search_view
    assert opened.stack.currentWidget() is sv
    assert sv.model.rowCount() >= 1
    first = sv.model.index(0)
    assert "zebra" in first.data().lower()
    assert "[" in first.data(Roles.Snippet)  # hits are marked for the delegate to bold
    sv.list.setCurrentIndex(first)
    assert sv.detail.title.text() == first.data()


def test_lock_clears_views_and_our_clipboard(qtbot, opened: MainWindow) -> None:
    tl = opened.views["timeline"]
    assert isinstance(tl, TimelineView)
    row = next(r for r in range(tl.model.rowCount()) if tl.model.index(r).data() == "Glucose zebra")
    tl.list.setCurrentIndex(tl.model.index(row))
    opened.copy_current()
    assert "Glucose zebra" in QGuiApplication.clipboard().text()
    enc = opened.show_view("encounters")
    assert enc.model.rowCount() > 0
    qtbot.keyClick(opened, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert opened.vault is None and opened.central.currentWidget() is opened.unlock
    assert QGuiApplication.clipboard().text() == ""
    for name, view in opened.views.items():
        model = getattr(view, "model", None)
        assert model is None or model.rowCount() == 0, name
    assert opened.people_list.count() == 0
    assert not opened.act_import.isEnabled()
    # Nothing readable is left in any widget of the window.
    from PySide6.QtWidgets import QLabel, QLineEdit, QTextBrowser, QTreeWidget

    texts = [w.text() for w in opened.findChildren(QLabel) + opened.findChildren(QLineEdit)]
    texts += [w.toPlainText() for w in opened.findChildren(QTextBrowser)]
    assert not [t for t in texts if "zebra" in t or "yak" in t or "Alice" in t]
    assert not [w.objectName() for w in opened.findChildren(QTreeWidget) if w.topLevelItemCount()]


def test_lock_leaves_someone_elses_clipboard(qtbot, opened: MainWindow) -> None:
    opened.clipboard.copy("from the app")
    QGuiApplication.clipboard().setText("the user's own text")
    opened.lock()
    assert QGuiApplication.clipboard().text() == "the user's own text"


def test_idle_autolock(qtbot, opened: MainWindow) -> None:
    opened.settings.autolock_minutes = 1
    opened.idle.last_input = time.monotonic() - 30
    opened._check_idle()
    assert opened.vault is not None  # not yet
    qtbot.mouseMove(opened.search_field)  # input resets the clock
    qtbot.keyClick(opened.search_field, Qt.Key.Key_A)
    assert opened.idle.idle_seconds() < 5
    opened.idle.last_input = time.monotonic() - 61
    opened._check_idle()
    assert opened.vault is None and opened.central.currentWidget() is opened.unlock


def test_lock_stops_running_work_instead_of_waiting_for_it(qtbot, opened: MainWindow) -> None:
    """Auto-lock during a long job (an export, a sign-in) locks at once: the job is asked to stop at
    its next safe point, and the vault closes when it has."""
    from medrecords_desktop.errors import Cancelled

    records = opened.records
    assert records is not None
    seen: list[str] = []

    def long_job(ctx: ops.OpContext) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            records.stats()  # real work on the vault, until told to stop
            if ctx.is_cancelled():
                raise Cancelled()
            time.sleep(0.01)
        return 0

    op = (
        ops.Op(opened, long_job)
        .success(lambda _: seen.append("done"))
        .failure(lambda e: seen.append(type(e).__name__))
        .run()
    )
    qtbot.wait(100)
    opened.settings.autolock_minutes = 1
    opened.idle.last_input = time.monotonic() - 61
    start = time.monotonic()
    opened._check_idle()
    assert time.monotonic() - start < 5  # not the 30 s the job would have taken
    assert opened.vault is None and opened.central.currentWidget() is opened.unlock
    assert op.finished and seen == ["Cancelled"]


def test_settings_hold_no_health_data(qtbot, opened: MainWindow, tmp_path: Path) -> None:
    opened.search_field.setText("zebra")
    opened.run_search()
    opened.close()
    text = (tmp_path / "settings.ini").read_text("utf-8", errors="replace")
    for secret in ("zebra", "Alice", "Glucose", PASSPHRASE):
        assert secret not in text


def test_demo_vault_is_marked(qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medrecords_desktop.services import demo
    from medrecords_desktop.vault.crypto import fast_test_kdf

    real = demo.create_demo_vault
    monkeypatch.setattr(demo, "create_demo_vault", lambda path: real(path, kdf=fast_test_kdf()))
    window.start(False)
    qtbot.mouseClick(window.unlock.demo_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    assert window.banner.isVisible() and "Demo vault" in window.banner.text()
    assert window.people_list.count() == 5  # Everyone + the made-up family
    assert window.views["timeline"].model.rowCount() > 0


def test_excepthook_says_bug_without_values(qtbot, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from PySide6.QtWidgets import QMessageBox

    from medrecords_desktop.gui import app

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    monkeypatch.delenv("MEDRECORDS_DEBUG", raising=False)
    try:
        raise ValueError("Glucose 5.4 for Alice")
    except ValueError as e:
        app._excepthook(type(e), e, e.__traceback__)
    err = capsys.readouterr().err
    assert "internal error" in err.lower() and "Alice" not in err
    assert shown and "bug" in shown[0].lower() and "Alice" not in shown[0]


def test_drops_only_while_unlocked(qtbot, window: MainWindow, filled: Path, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QUrl

    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(tmp_path))])
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/record.json")])
    assert window.acceptDrops()
    assert not window.accepts_drop(files)  # locked
    window.set_vault(Vault.open(filled, PASSPHRASE))
    assert window.accepts_drop(files) and not window.accepts_drop(web)


def test_vault_in_use_is_told(qtbot, window: MainWindow, vault_dir: Path) -> None:
    other = Vault.open(vault_dir, PASSPHRASE)  # another window holds the vault
    try:
        unlock(qtbot, window)
        qtbot.waitUntil(lambda: window.unlock.unlock_error.text() != "", timeout=10_000)
        assert "already open" in window.unlock.unlock_error.text()
    finally:
        other.close()


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        ("WrongPassphrase", "Wrong passphrase."),
        ("VaultDamaged", "The vault is damaged and cannot be opened"),
        ("VaultInUse", "already open in another MedRecords window"),
        ("RuntimeError", "Internal error (RuntimeError): this is a bug"),
    ],
)
def test_unlock_messages_are_a_contract(exc: str, says: str) -> None:
    from medrecords_desktop import errors
    from medrecords_desktop.gui.unlock import unlock_message

    made = {
        "WrongPassphrase": lambda: errors.WrongPassphrase(),
        "VaultDamaged": lambda: errors.VaultDamaged("household.db", 7),
        "VaultInUse": lambda: errors.VaultInUse("/v"),
        "RuntimeError": lambda: RuntimeError("Alice's glucose"),
    }[exc]()
    msg = unlock_message(made)
    assert says in msg and "Alice" not in msg


def test_strength_meter_scores() -> None:
    from medrecords_desktop.gui.unlock import passphrase_strength

    assert passphrase_strength("abc")[0] == 0
    assert passphrase_strength("password")[0] == 1
    assert passphrase_strength("Tr0ub4dor&3")[0] >= 2
    assert passphrase_strength("river lantern cobalt meadow")[0] == 4


def test_settings_dialog_saves_autolock(qtbot, tmp_path: Path) -> None:
    from medrecords_desktop.gui.settings import SettingsDialog

    s = settings_in(tmp_path)
    assert s.autolock_minutes == 5  # the default
    dlg = SettingsDialog(s)
    qtbot.addWidget(dlg)
    dlg.autolock.setValue(12)
    dlg.accept()
    assert settings_in(tmp_path).autolock_minutes == 12


def test_medications_view_lists_each_kind(qtbot, opened: MainWindow) -> None:
    meds = opened.show_view("medications")
    assert meds.titles("medication") == ["Drug zebra", "Drug yak"]  # type: ignore[attr-defined]
    assert meds.titles("allergy") == ["Allergy zebra", "Allergy yak"]  # type: ignore[attr-defined]
    assert meds.titles("immunization") == ["Vaccine zebra", "Vaccine yak"]  # type: ignore[attr-defined]
    opened.people_list.setCurrentRow(2)  # Bobby: nothing recorded, and the lists say so
    assert meds.titles("condition") == []  # type: ignore[attr-defined]
    assert meds.counts["condition"].text() == "none recorded"  # type: ignore[attr-defined]


def test_what_we_copy_leaves_the_clipboard_after_a_while_but_not_the_users_own(qtbot) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from medrecords_desktop.gui.main_window import ClipboardGuard

    owner = QWidget()
    qtbot.addWidget(owner)
    guard = ClipboardGuard(owner, clear_after_ms=50)
    guard.copy("Glucose 140 mg/dL")
    assert QGuiApplication.clipboard().text() == "Glucose 140 mg/dL"
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=2000)
    guard.copy("HbA1c 8.8 %")
    QGuiApplication.clipboard().setText("the user's own text")
    qtbot.wait(120)
    assert QGuiApplication.clipboard().text() == "the user's own text"
