"""Sharing and sources in the real window, offscreen: appointment packet, people and access, audit, portals.

Real SQLCipher vaults (the conftest template copied per test), the real export/access/portal services
and real widgets; the only seams are the ones a person answers (the confirmation box, the recovery
code box), the clipboard timeout and, for portals, the browser.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from conftest import PASSPHRASE  # noqa: E402
from gui_helpers import fill, settings_in  # noqa: E402
from PySide6.QtCore import QDate, QObject, Qt, QUrl, Slot  # noqa: E402
from PySide6.QtGui import QDesktopServices, QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialogButtonBox  # noqa: E402

from medrecords_desktop.gui import ext_sharing, ops  # noqa: E402
from medrecords_desktop.gui.access_view import AddUserDialog  # noqa: E402
from medrecords_desktop.gui.main_window import PERSON_ROLE, MainWindow  # noqa: E402
from medrecords_desktop.gui.portals_view import AddPortalDialog  # noqa: E402
from medrecords_desktop.services import access  # noqa: E402
from medrecords_desktop.services.missing import Expectation, MissingService  # noqa: E402
from medrecords_desktop.vault.vault import Vault  # noqa: E402

SAM_PASS = "sam walks the dog daily"  # noqa: S105 - the test proxy's passphrase


@pytest.fixture
def make_window(qtbot, tmp_path: Path, vault_dir: Path):
    from medrecords_desktop.gui.app import apply_theme, make_app

    made: list[MainWindow] = []

    def make(**kw):  # noqa: ANN003, ANN202
        settings = settings_in(tmp_path)
        apply_theme(make_app(), settings)
        win = MainWindow(vault_dir, tmp_path / "demo-vault", settings)
        qtbot.addWidget(win)
        ext_sharing.install(win, **kw)
        win.resize(1300, 850)
        win.show()
        made.append(win)
        return win

    yield make
    ops.wait_idle()
    QApplication.processEvents()
    for win in made:
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
    qtbot.keyClicks(win.unlock.passphrase, passphrase)
    qtbot.mouseClick(win.unlock.unlock_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.vault is not None, timeout=10_000)


def sidebar_people(win: MainWindow) -> list[str]:
    return [win.people_list.item(r).text() for r in range(win.people_list.count())]


def select_person(win: MainWindow, name: str) -> None:
    for r in range(win.people_list.count()):
        if win.people_list.item(r).text() == name:
            win.people_list.setCurrentRow(r)
            return
    raise AssertionError(f"{name} not in the sidebar: {sidebar_people(win)}")


def checked(lst) -> list[str]:  # noqa: ANN001
    items = [lst.item(r) for r in range(lst.count())]
    return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]


def wait_op(qtbot, holder) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: holder.op is not None and holder.op.finished, timeout=30_000)


def pdf_text(path: Path, password: str) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    assert reader.is_encrypted
    assert reader.decrypt(password)
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


class UrlCatcher(QObject):
    """Stands in for the system browser through Qt's own seam (QDesktopServices.setUrlHandler)."""

    def __init__(self, *schemes: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.schemes = schemes
        for s in schemes:
            QDesktopServices.setUrlHandler(s, self, "catch")

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url.toString())

    def close(self) -> None:
        for s in self.schemes:
            QDesktopServices.unsetUrlHandler(s)


@pytest.fixture
def browser():
    catcher = UrlCatcher("https", "http")
    yield catcher
    catcher.close()


def add_proxy(vault_dir: Path, scope: str, person: str = "Alice Example") -> None:
    v = Vault.open(vault_dir, PASSPHRASE)
    try:
        access.add_user(v, "Sam", SAM_PASS)
        access.grant(v, "Sam", person, scope)
    finally:
        v.close()


# --------------------------------------------------------------------------- wiring
def test_install_adds_sidebar_views_menu_and_toolbar(qtbot, make_window, tmp_path: Path) -> None:
    from PySide6.QtCore import SIGNAL

    bare = MainWindow(tmp_path / "v", tmp_path / "d", settings_in(tmp_path))
    qtbot.addWidget(bare)
    lock_receivers = bare.act_lock.receivers(SIGNAL("triggered(bool)"))
    win = make_window()
    # Lock is routed through install's hook instead of straight to window.lock, never both
    assert win.act_lock.receivers(SIGNAL("triggered(bool)")) == lock_receivers
    names = [win.view_list.item(r).data(PERSON_ROLE) for r in range(win.view_list.count())]
    assert names[-2:] == ["portals", "audit"]
    assert {"portals", "audit", "access"} <= set(win.views)
    assert win.feature("sharing").act_packet.shortcut().toString() == "Ctrl+P"
    assert win.feature("sharing").act_packet in win.toolbar.actions()
    assert not win.feature("sharing").act_packet.isEnabled()  # locked: nothing to export
    unlock(qtbot, win)
    assert win.feature("sharing").act_packet.isEnabled()
    assert win.feature("sharing").badge.text() == "Signed in as Pat Owner (owner) — sees everyone"
    win.view_list.setCurrentRow(names.index("audit"))
    assert win.stack.currentWidget() is win.views["audit"]
    assert win.views["audit"].table.rowCount() > 0  # the template's "person.add" entries
    win.lock()
    assert win.views["audit"].table.rowCount() == 0 and win.feature("sharing").badge.text() == ""


# --------------------------------------------------------------------------- appointment packet
def test_packet_through_the_dialog_with_own_password(qtbot, make_window, filled: Path, tmp_path: Path) -> None:
    win = make_window()
    unlock(qtbot, win)
    select_person(win, "Alice Example")
    dlg = win.feature("sharing").open_packet()
    assert dlg is not None and dlg.person.currentText() == "Alice Example"
    assert dlg.visits.count() == 2
    assert checked(dlg.documents) == ["12 Apr 2026  Lab letter zebra"]  # no range: every PDF
    dlg.date_from.setDate(QDate(2026, 1, 1))
    assert dlg.visits.count() == 1  # only the 2026 visit
    dlg.visits.item(0).setCheckState(Qt.CheckState.Checked)
    assert checked(dlg.documents) == ["12 Apr 2026  Lab letter zebra"]  # the ticked visit's document
    qtbot.keyClicks(dlg.prepared_for, "Dr. Lee, cardiology")
    dlg.pw_own.setChecked(True)
    qtbot.keyClicks(dlg.password, "tulip river 42")
    qtbot.keyClicks(dlg.password2, "tulip river 43")
    out = tmp_path / "out" / "health-summary-2026-12-03.pdf"
    out.parent.mkdir()
    dlg.out_path.setText(str(out))
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    assert dlg.error.text() == "The two passwords differ." and not out.exists()
    dlg.password2.clear()
    qtbot.keyClicks(dlg.password2, "tulip river 42")
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.packet_result is not None, timeout=60_000)
    assert dlg.pages.currentWidget() is dlg.result_page
    assert not dlg.pw_box.isVisible()  # the user's own password is never shown back
    res = dlg.packet_result
    pages, text = pdf_text(out, "tulip river 42")
    assert pages == res.page_count > res.summary_pages
    assert "Alice Example" in text and "Dr. Lee, cardiology" in text
    assert "Glucose 5.4 mmol/L" in text  # the attached lab letter follows the summary
    assert [d.title for d in res.documents if d.included] == ["Lab letter zebra"]
    assert "Lab letter zebra" in dlg.report.toPlainText()
    assert f"{res.page_count} pages" in dlg.report.toPlainText()

    (entry,) = win.vault.audit_entries(action="export.packet")
    assert entry.detail["prepared_for"] == "Dr. Lee, cardiology" and entry.detail["file"] == out.name
    assert entry.detail["from"] == "2026-01-01"


def test_generated_password_shown_once_copied_then_cleared(qtbot, make_window, filled: Path, tmp_path: Path) -> None:
    win = make_window(clear_after_ms=400)
    unlock(qtbot, win)
    select_person(win, "Alice Example")
    dlg = win.feature("sharing").open_packet()
    assert dlg.pw_generate.isChecked()
    assert Path(dlg.out_path.text()).name == f"health-summary-{date.today().isoformat()}.pdf"
    assert "Alice" not in Path(dlg.out_path.text()).name
    out = tmp_path / "p.pdf"
    dlg.out_path.setText(str(out))
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.packet_result is not None, timeout=60_000)
    shown = dlg.generated.text()
    assert dlg.pw_box.isVisible() and len(shown.split("-")) == 6
    pdf_text(out, shown)  # opens with the shown password
    QGuiApplication.clipboard().setText("something of the user's")
    qtbot.mouseClick(dlg.copy_btn, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == shown
    assert "cleared" in dlg.copied.text()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5_000)
    # the user copies something else afterwards: a later timer must not wipe it
    qtbot.mouseClick(dlg.copy_btn, Qt.MouseButton.LeftButton)
    QGuiApplication.clipboard().setText("the user's own text")
    qtbot.wait(700)
    assert QGuiApplication.clipboard().text() == "the user's own text"


def test_packet_cancel_writes_nothing(qtbot, make_window, filled: Path, tmp_path: Path) -> None:
    win = make_window()
    unlock(qtbot, win)
    select_person(win, "Alice Example")
    dlg = win.feature("sharing").open_packet()
    out = tmp_path / "c.pdf"
    dlg.out_path.setText(str(out))
    dlg.create_packet()
    dlg.op.cancel()  # as the Cancel button does while running
    wait_op(qtbot, dlg)
    assert not out.exists()
    assert dlg.packet_result is None
    assert dlg.error.text() == "Cancelled: nothing was written." and dlg.inputs.isEnabled()


# --------------------------------------------------------------------------- proxies
def test_view_only_proxy_sees_granted_people_only_and_cannot_export(qtbot, make_window, vault_dir: Path) -> None:
    add_proxy(vault_dir, "view")
    win = make_window()
    unlock(qtbot, win, SAM_PASS)
    assert sidebar_people(win) == ["Everyone", "Alice Example"]  # Bobby is not even listed
    assert win.feature("sharing").badge.text() == "Signed in as Sam (proxy) — sees: Alice Example"
    dlg = win.feature("sharing").open_packet()
    assert dlg.refusal.isVisible()
    assert "view-only" in dlg.refusal.text() and "Alice Example" in dlg.refusal.text()
    assert not dlg.create_btn.isEnabled()
    dlg.reject()
    page = win.feature("sharing").show("access")
    assert page is win.views["access"] and not page.add_btn.isVisible()
    assert "read-only" in page.note.text()
    mine = page.tree.topLevelItem(0)
    assert [mine.child(j).text(0) for j in range(mine.childCount())] == ["Alice Example"]
    log = win.feature("sharing").show("audit")  # entries about Bobby stay hidden from Sam
    assert log.actions_shown().count("person.add") == 1
    assert {log.table.item(r, 3).text() for r in range(log.table.rowCount())} == {"", "Alice Example"}
    assert [log.person.itemText(i) for i in range(log.person.count())] == ["Anyone", "Alice Example"]


def test_manage_proxy_can_export_their_person(qtbot, make_window, filled: Path, tmp_path: Path) -> None:
    add_proxy(filled, "manage")
    win = make_window()
    unlock(qtbot, win, SAM_PASS)
    dlg = win.feature("sharing").open_packet()
    assert not dlg.refusal.isVisible() and dlg.create_btn.isEnabled()
    dlg.out_path.setText(str(tmp_path / "m.pdf"))
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.packet_result is not None, timeout=60_000)
    assert (tmp_path / "m.pdf").exists()


# --------------------------------------------------------------------------- people and access
def test_add_grant_and_revoke_from_the_access_page(qtbot, make_window) -> None:
    asked: list[str] = []
    shown: list[tuple[str, str]] = []
    win = make_window(
        confirm=lambda _p, _t, text: asked.append(text) or True,
        show_recovery=lambda _p, name, code: shown.append((name, code)),
    )
    unlock(qtbot, win)
    page = win.feature("sharing").show("access")
    assert page.add_btn.isVisible()
    dlg = AddUserDialog(page)
    qtbot.keyClicks(dlg.name, "Sam")
    qtbot.keyClicks(dlg.passphrase, "short")
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "at least 8" in dlg.problem.text() and dlg.result() != dlg.DialogCode.Accepted
    dlg.passphrase.clear()
    qtbot.keyClicks(dlg.passphrase, SAM_PASS)
    qtbot.keyClicks(dlg.again, SAM_PASS)
    assert dlg.strength.text().startswith("Strength:")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dlg.result() == dlg.DialogCode.Accepted
    page.add_user(dlg)
    wait_op(qtbot, page)
    assert shown and shown[0][0] == "Sam" and len(shown[0][1]) >= 20  # the recovery code, shown once
    page.grant("Sam", "Alice Example", "view")
    wait_op(qtbot, page)
    page.select("Sam", "Alice Example")
    assert page.revoke_btn.isEnabled()
    qtbot.mouseClick(page.revoke_btn, Qt.MouseButton.LeftButton)
    wait_op(qtbot, page)
    assert asked and "new key" in asked[0] and "re-encrypted" in asked[0]
    sam = next(u for u in access.list_users(win.vault) if u.name == "Sam")
    assert sam.grants == {}
    assert page.tree.topLevelItemCount() == 2 and "sees nobody" in page.tree.topLevelItem(1).child(0).text(0)
    audit_view = win.feature("sharing").show("audit")
    shown_actions = audit_view.actions_shown()
    assert shown_actions[:3] == ["revoke", "grant", "user.add"]
    assert not audit_view.banner.isVisible()


def test_revoke_needs_confirmation(qtbot, make_window, vault_dir: Path) -> None:
    add_proxy(vault_dir, "view")
    win = make_window(confirm=lambda *_: False)
    unlock(qtbot, win)
    page = win.feature("sharing").show("access")
    page.select("Sam", "Alice Example")
    qtbot.mouseClick(page.revoke_btn, Qt.MouseButton.LeftButton)
    assert page.op is None
    sam = next(u for u in access.list_users(win.vault) if u.name == "Sam")
    assert sam.grants == {"Alice Example": "view"}


# --------------------------------------------------------------------------- audit
def test_audit_filters_and_broken_chain_banner(qtbot, make_window, vault_dir: Path) -> None:
    add_proxy(vault_dir, "view")
    win = make_window()
    unlock(qtbot, win)
    view = win.feature("sharing").show("audit")
    assert view.actions_shown()[:3] == ["vault.unlock", "grant", "user.add"]  # newest first
    assert view.table.item(1, 1).text() == "Pat Owner" and view.table.item(1, 3).text() == "Alice Example"
    assert view.table.item(1, 2).text() == "Granted access" and "scope: view" in view.table.item(1, 4).text()
    view.action.setCurrentIndex(view.action.findData("person.add"))
    assert view.actions_shown() == ["person.add", "person.add"]
    view.action.setCurrentIndex(0)
    view.person.setCurrentIndex(view.person.findData(next(iter(win.people))))
    assert set(view.actions_shown()) == {"grant", "person.add"}
    assert not view.banner.isVisible()
    with win.vault.household.transaction() as conn:  # someone edits the log behind the app's back
        conn.execute("UPDATE audit SET detail='{\"user\": \"Nobody\"}' WHERE action='user.add'")
    bad = win.vault.household.one("SELECT id FROM audit WHERE action='user.add'")[0]
    view.refresh()
    assert view.banner.isVisible() and f"entry #{bad}" in view.banner.text()


# --------------------------------------------------------------------------- portals
def test_portal_without_api_and_records_requests(qtbot, make_window, browser) -> None:
    win = make_window()
    unlock(qtbot, win)
    view = win.feature("sharing").show("portals")
    assert view.table.rowCount() == 0
    dlg = AddPortalDialog([(pid, p.name) for pid, p in win.people.items()])
    qtbot.keyClicks(dlg.name, "County Hospital")
    dlg.person.setCurrentIndex(dlg.person.findText("Bobby Example"))
    qtbot.keyClicks(dlg.website, "http://example.org/portal")
    dlg._check()
    view.add_portal(dlg)
    ops.settle()  # the write runs on the worker
    assert "https://" in view.status.text() and view.table.rowCount() == 0  # refused, said why
    dlg.website.clear()
    qtbot.keyClicks(dlg.website, "https://portal.example.org/")
    qtbot.keyClicks(dlg.username, "bobby.parent")
    view.add_portal(dlg)
    ops.settle()
    assert view.table.rowCount() == 1
    assert view.table.item(0, 1).text() == "Bobby Example"
    assert "no API" in view.table.item(0, 2).text()
    assert not view.connect_btn.isEnabled() and not view.sync_btn.isEnabled() and view.website_btn.isEnabled()
    assert view.table.item(0, 4).text() == "never"
    qtbot.mouseClick(view.checked_btn, Qt.MouseButton.LeftButton)
    ops.settle()
    assert view.table.item(0, 4).text() != "never"
    qtbot.mouseClick(view.website_btn, Qt.MouseButton.LeftButton)
    assert browser.urls == ["https://portal.example.org/"]  # the stored official address, nothing else

    pid = next(p for p, info in win.people.items() if info.name == "Alice Example")
    exp = Expectation(
        pid,
        "Alice Example",
        f"{pid}.1",
        "Office visit",
        "2026-04-12",
        "Example Clinic",
        "avs",
        "After-visit summary",
        "2026-04-19",
        "overdue",
    )
    rid = MissingService(win.vault).request_records(exp)
    view.refresh()
    assert view.requests.rowCount() == 1 and view.requests.item(0, 5).text() == "drafted"
    view.requests.selectRow(0)
    view.request_status.setCurrentText("asked")
    qtbot.mouseClick(view.request_btn, Qt.MouseButton.LeftButton)
    ops.settle()
    assert view.requests.item(0, 5).text() == "asked"
    req = MissingService(win.vault).requests()[0]
    assert (req.id, req.status) == (rid, "asked")


def test_connect_and_sync_through_the_view(qtbot, make_window, harness) -> None:
    from portal_support import FAST_RETRY, follow_in_browser

    from medrecords_desktop.services.records import RecordService

    win = make_window(opener=follow_in_browser)
    win.feature("sharing").portals.retry = FAST_RETRY
    unlock(qtbot, win)
    view = win.feature("sharing").show("portals")
    dlg = AddPortalDialog([(pid, p.name) for pid, p in win.people.items()])
    qtbot.keyClicks(dlg.name, "Test Clinic")
    dlg.person.setCurrentIndex(dlg.person.findText("Alice Example"))
    qtbot.keyClicks(dlg.fhir_base, harness.fhir_base)
    dlg._check()
    view.add_portal(dlg)
    ops.settle()
    assert view.table.item(0, 2).text() == "not connected" and not view.sync_btn.isEnabled()
    qtbot.mouseClick(view.connect_btn, Qt.MouseButton.LeftButton)
    wait_op(qtbot, view)
    assert view.table.item(0, 2).text() == "connected", view.status.text()
    qtbot.mouseClick(view.sync_btn, Qt.MouseButton.LeftButton)
    wait_op(qtbot, view)
    out = view.last_outcome
    assert out is not None and sum(out.added.values()) > 0, view.status.text()
    stats = RecordService(win.vault).stats()["Alice Example"]
    assert sum(stats.values()) == sum(out.added.values())
    assert view.status.text().startswith(f"Test Clinic: {sum(out.added.values())} new")
    assert view.table.item(0, 3).text() != "never"
    # the portal revokes the sign-in: the view says to sign in again and Connect stays available
    harness.control("revoke-refresh-tokens", {})
    harness.control("expire-access-tokens", {})
    qtbot.mouseClick(view.sync_btn, Qt.MouseButton.LeftButton)
    wait_op(qtbot, view)
    assert view.status.text().startswith("Sign in again"), view.status.text()
    assert view.table.item(0, 2).text() == "needs sign-in again" and view.connect_btn.isEnabled()
    assert RecordService(win.vault).stats()["Alice Example"] == stats  # the synced records stay


def test_remove_user_from_the_access_page(qtbot, make_window, vault_dir: Path) -> None:
    add_proxy(vault_dir, "manage")
    win = make_window(confirm=lambda *_: True)
    unlock(qtbot, win)
    page = win.feature("sharing").show("access")
    page.select("Pat Owner")
    assert not page.remove_btn.isEnabled()  # the owner cannot be removed
    page.select("Sam")
    qtbot.mouseClick(page.remove_btn, Qt.MouseButton.LeftButton)
    wait_op(qtbot, page)
    assert [u.name for u in access.list_users(win.vault)] == ["Pat Owner"]
    assert page.tree.topLevelItemCount() == 1
    assert win.feature("sharing").show("audit").actions_shown()[:2] == ["user.remove", "revoke"]


def test_lock_while_waiting_for_the_browser_cancels_the_sign_in(qtbot, make_window, harness, browser) -> None:
    import time

    opened = browser.urls  # the default opener: QDesktopServices, on the GUI thread; nobody signs in
    win = make_window()
    unlock(qtbot, win)
    view = win.feature("sharing").show("portals")
    view.service.add("Test Clinic", "Alice Example", fhir_base=harness.fhir_base)
    view.refresh()
    qtbot.mouseClick(view.connect_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert opened[0].startswith("http://127.0.0.1") and "code_challenge=" in opened[0]
    start = time.monotonic()
    win.act_lock.trigger()
    assert win.vault is None and time.monotonic() - start < 5  # not the 30 s wait for the worker
    assert view.op.finished and view.table.rowCount() == 0


def test_packet_result_lists_a_document_it_could_not_attach(qtbot, make_window, filled: Path, tmp_path: Path) -> None:
    from factories import prov, write_items

    from medrecords_desktop.model.records import Document

    v = Vault.open(filled, PASSPHRASE)
    try:  # a "PDF" whose bytes are not a PDF: the packet goes on without it and says why
        write_items(
            v,
            "Alice Example",
            [
                Document(
                    title="Scanned referral",
                    date="2026-04-12",
                    mime="application/pdf",
                    filename="referral.pdf",
                    content=b"this is not a pdf at all",
                    provenance=prov("DocumentReference/broken"),
                )
            ],
            name="broken.json",
        )
    finally:
        v.close()
    win = make_window()
    unlock(qtbot, win)
    select_person(win, "Alice Example")
    dlg = win.feature("sharing").open_packet()
    assert sorted(checked(dlg.documents)) == ["12 Apr 2026  Lab letter zebra", "12 Apr 2026  Scanned referral"]
    dlg.out_path.setText(str(tmp_path / "b.pdf"))
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.packet_result is not None, timeout=60_000)
    (skipped,) = [d for d in dlg.packet_result.documents if not d.included]
    assert skipped.title == "Scanned referral" and skipped.note
    report = dlg.report.toPlainText()
    assert "Not attached (1)" in report and skipped.note in report and "Attached documents (1)" in report
