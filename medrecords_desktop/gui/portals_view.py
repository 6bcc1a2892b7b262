"""Portals & sources: the family's patient-portal accounts, their sync, and the records-request tracker.

A portal with a FHIR API is connected once (SMART sign-in in the system browser, PKCE, loopback
redirect) and then synced on demand; a portal without one keeps its official website, a user name and
a "last checked" date.  The browser is the only seam: ``opener(url)`` is called on the database worker
while the sign-in waits for the redirect, and by default it asks the GUI thread to open the URL with
QDesktopServices.  Websites open only from the stored official URL, never from record contents.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import Cancelled
from ..portals.client import RetryPolicy
from ..portals.errors import NeedsSignIn
from ..portals.sync import SyncProgress
from ..services.portals import PortalAccount, PortalService, SyncOutcome
from . import fmt, ops
from .icons import KIND_LABELS
from .ops import Op, OpContext, friendly
from .views import View
from .widgets import muted, title_label

Opener = Callable[[str], None]
REQUEST_STATUSES = ("drafted", "asked", "received", "refused", "cancelled")
# The words shown for the codes above (the combo keeps the code as item data; the service gets the code).
REQUEST_WORDS = {
    "drafted": QT_TRANSLATE_NOOP("PortalsView", "drafted"),
    "asked": QT_TRANSLATE_NOOP("PortalsView", "asked"),
    "received": QT_TRANSLATE_NOOP("PortalsView", "received"),
    "refused": QT_TRANSLATE_NOOP("PortalsView", "refused"),
    "cancelled": QT_TRANSLATE_NOOP("PortalsView", "cancelled"),
}
# A portal account's status (services/portals.py) as shown.
STATUS_WORDS = {
    "not connected": QT_TRANSLATE_NOOP("PortalsView", "not connected"),
    "connected": QT_TRANSLATE_NOOP("PortalsView", "connected"),
    "needs sign-in again": QT_TRANSLATE_NOOP("PortalsView", "needs sign-in again"),
}
PORTAL_COLUMNS = (
    QT_TRANSLATE_NOOP("PortalsView", "Portal"),
    QT_TRANSLATE_NOOP("PortalsView", "Person"),
    QT_TRANSLATE_NOOP("PortalsView", "Status"),
    QT_TRANSLATE_NOOP("PortalsView", "Last sync"),
    QT_TRANSLATE_NOOP("PortalsView", "Last checked"),
    QT_TRANSLATE_NOOP("PortalsView", "Website"),
)
REQUEST_COLUMNS = (
    QT_TRANSLATE_NOOP("PortalsView", "Person"),
    QT_TRANSLATE_NOOP("PortalsView", "Provider"),
    QT_TRANSLATE_NOOP("PortalsView", "What"),
    QT_TRANSLATE_NOOP("PortalsView", "Asked"),
    QT_TRANSLATE_NOOP("PortalsView", "Due"),
    QT_TRANSLATE_NOOP("PortalsView", "Status"),
)
NAME_ROLE = Qt.ItemDataRole.UserRole + 21
STATUS_ROLE = Qt.ItemDataRole.UserRole + 22  # a request's status code
COL_NAME, COL_PERSON, COL_STATUS, COL_SYNC, COL_CHECKED, COL_WEBSITE = range(6)


class _BrowserBridge(QObject):
    """Lives on the GUI thread; ``open`` may be emitted from the worker (queued to the GUI thread)."""

    open = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.open.connect(self._open, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _open(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))


def _warm_directory() -> None:
    from ..portals.directory import load

    try:
        load()
    except Exception:  # noqa: BLE001 - the search reports a damaged index when the person types
        return


def _tr(text: str) -> str:
    """A QT_TRANSLATE_NOOP-marked text of the portals view, translated."""
    return QCoreApplication.translate("PortalsView", text)


def status_word(status: str) -> str:
    """An account status in the language in use ('unavailable: …' keeps the server's words after it)."""
    if status in STATUS_WORDS:
        return _tr(STATUS_WORDS[status])
    if status.startswith("unavailable"):
        return QCoreApplication.translate("PortalsView", "unavailable") + status[len("unavailable") :]
    return status


def when(iso: str | None) -> str:
    if not iso:
        return QCoreApplication.translate("PortalsView", "never")
    return fmt.fmt_short(iso) + (f" {fmt.fmt_time(iso)}" if fmt.fmt_time(iso) else "")


class AddPortalDialog(QDialog):
    """Add a portal: find the organization in the provider directory (name, city or ZIP), which fills
    the FHIR base, vendor and website; or, not listed, enter the addresses by hand."""

    def __init__(self, people: list[tuple[str, str]], person: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a portal"))
        self.setMinimumWidth(620)
        self._picked: Any = None
        threading.Thread(target=_warm_directory, daemon=True).start()  # ~1 s once: off the GUI thread
        form = QFormLayout(self)
        heading = title_label(self.tr("Find your provider"))
        heading.setObjectName("DialogTitle")
        heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        form.addRow(heading)
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("FindProvider")
        self.find_edit.setPlaceholderText(
            self.tr("Hospital or practice name, city or ZIP code — e.g. brooklyn hospital")
        )
        self.find_edit.setAccessibleName(self.tr("Find your provider"))
        self.find_edit.setAccessibleDescription(
            self.tr("Type a hospital or practice name, a city or a ZIP code; the matches are listed below")
        )
        self.find_edit.setClearButtonEnabled(True)
        form.addRow(self.find_edit)
        self.results = QListWidget()
        self.results.setObjectName("ProviderResults")
        self.results.setFixedHeight(170)
        self.results.setSpacing(2)
        self.results.setAccessibleName(self.tr("Providers found"))
        self.results.setAccessibleDescription(self.tr("Choose one to fill in the portal's addresses"))
        form.addRow(self.results)
        self.hint = muted(
            self.tr(
                "Not listed? Enter the portal's address below (its FHIR base from the "
                "portal's developer page, or just its official website)."
            )
        )
        self.hint.setObjectName("DirectoryHint")
        self.hint.setWordWrap(True)
        form.addRow(self.hint)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Children's Clinic MyChart"))
        self.person = QComboBox()
        for pid, name in people:
            self.person.addItem(name, pid)
        if person is not None:
            self.person.setCurrentIndex(max(0, self.person.findData(person)))
        self.fhir_base = QLineEdit()
        self.fhir_base.setPlaceholderText(self.tr("https://…/FHIR/R4 (from the portal's developer page; optional)"))
        self.website = QLineEdit()
        self.website.setPlaceholderText(self.tr("https://… (the portal's official sign-in page)"))
        self.brand = QLineEdit()
        self.brand.setPlaceholderText(self.tr("Epic MyChart, Cerner, athenahealth… (optional)"))
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText(self.tr("leave empty for the app's own"))
        self.username = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(48)
        self.notes.setTabChangesFocus(True)  # Tab moves on: no keyboard trap in the notes box
        for label, w in (
            (self.tr("&Name"), self.name),
            (self.tr("&Person"), self.person),
            (self.tr("&FHIR base URL"), self.fhir_base),
            (self.tr("Official &website"), self.website),
            (self.tr("&Vendor"), self.brand),
            (self.tr("&Client id"), self.client_id),
            (self.tr("&User name"), self.username),
            (self.tr("N&otes"), self.notes),
        ):
            buddy = QLabel(label)
            buddy.setBuddy(w)
            w.setAccessibleName(label.replace("&", ""))
            form.addRow(buddy, w)
        self.registration = QLabel()
        self.registration.setObjectName("RegistrationNote")
        self.registration.setWordWrap(True)
        self.registration.hide()
        form.addRow(self.registration)
        self.problem = QLabel()
        self.problem.setObjectName("ErrorLabel")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add portal"))
        bb.accepted.connect(self._check)
        bb.rejected.connect(self.reject)
        form.addRow(bb)
        self.find_edit.textChanged.connect(self.search)
        self.results.currentRowChanged.connect(self._pick)
        for w in (self.brand, self.fhir_base, self.client_id):
            w.textChanged.connect(self._registration_note)

    def search(self, text: str | None = None) -> int:
        """Search the directory as the person types (2 letters or more); returns the number shown."""
        from ..portals.directory import load

        text = self.find_edit.text() if text is None else text
        self.results.blockSignals(True)
        self.results.clear()
        self._hits = load().search(text, limit=40) if len(text.strip()) >= 2 else []
        for h in self._hits:
            where = f" — {h.place}" if h.place else ""
            version = (
                "" if h.version in ("R4", "") else " " + self.tr("[{version}: an older API]").format(version=h.version)
            )
            it = QListWidgetItem(f"{h.organization}{where}\n    {h.vendor} · {h.fhir_base}{version}")
            it.setToolTip(h.fhir_base)
            self.results.addItem(it)
        self.results.blockSignals(False)
        if text.strip() and len(text.strip()) >= 2 and not self._hits:
            self.hint.setText(
                self.tr(
                    "Not listed in the directory. Enter the portal's address below: its FHIR "
                    "base (from the portal's developer page) to sync, or its official website "
                    "to visit it."
                )
            )
        else:
            self.hint.setText(
                self.tr("Pick your provider above, or, if it is not listed, enter the portal's address below.")
            )
        return len(self._hits)

    def _pick(self, row: int) -> None:
        if not 0 <= row < len(getattr(self, "_hits", [])):
            return
        h = self._hits[row]
        self._picked = h
        if not self.name.text().strip() or self.name.property("from_directory"):
            self.name.setText(h.organization)
            self.name.setProperty("from_directory", True)
        self.fhir_base.setText(h.fhir_base)
        self.brand.setText(h.vendor)
        self.website.setText(h.website)
        self._registration_note()

    def _registration_note(self) -> None:
        from ..portals.registrations import for_portal

        base, vendor = self.fhir_base.text().strip(), self.brand.text().strip()
        reg = for_portal(vendor, base) if base else None
        if reg is not None and not reg.client_id and not self.client_id.text().strip():
            self.registration.setText(
                self.tr(
                    "This copy of MedRecords has no app registration for {vendor}. Connecting will work only "
                    "if the portal offers automatic registration; otherwise enter the client id the portal gave "
                    "you (or ask whoever gave you the app for a build with one)."
                ).format(vendor=reg.vendor)
            )
            self.registration.show()
        else:
            self.registration.hide()

    def _check(self) -> None:
        if not self.name.text().strip():
            self.problem.setText(self.tr("Give the portal a name."))
        elif not (self.fhir_base.text().strip() or self.website.text().strip()):
            self.problem.setText(self.tr("Give its FHIR base URL, its official website, or both."))
        else:
            self.accept()

    def values(self) -> dict[str, Any]:
        def opt(w: QLineEdit) -> str | None:
            return w.text().strip() or None

        return {
            "name": self.name.text().strip(),
            "person": self.person.currentData(),
            "fhir_base": opt(self.fhir_base),
            "website": opt(self.website),
            "brand": opt(self.brand),
            "client_id": opt(self.client_id),
            "username": opt(self.username),
            "notes": self.notes.toPlainText().strip() or None,
        }


class PortalsView(View):
    """``opener`` replaces the system browser (tests follow the sign-in with an HTTP client)."""

    title = QT_TRANSLATE_NOOP("Views", "Portals & sources")  # the main window shows translate("Views", title)

    def __init__(
        self,
        parent: QWidget | None = None,
        opener: Opener | None = None,
        retry: RetryPolicy | None = None,
        connect_timeout: float = 300.0,
    ) -> None:
        super().__init__(parent)
        self._bridge = _BrowserBridge()
        self.opener: Opener = opener or self._bridge.open.emit
        self.retry = retry
        self.connect_timeout = connect_timeout
        self.op: Op | None = None
        self.last_outcome: SyncOutcome | None = None
        self._accounts: list[PortalAccount] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(title_label(QCoreApplication.translate("Views", "Portals & sources")))
        intro = muted(
            self.tr(
                "Patient portals your family uses. Portals with a FHIR API sync into the vault; "
                "for the others, keep the official link here and note when you last looked."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("PortalTable")
        self.table.setHorizontalHeaderLabels([_tr(c) for c in PORTAL_COLUMNS])
        self.table.setAccessibleName(self.tr("Portals"))
        self.table.setAccessibleDescription(
            self.tr("One row per portal account: person, status, last sync, last checked and website")
        )
        self._table_look(self.table)
        tl.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_btn = QPushButton(self.tr("Add portal…"))
        self.connect_btn = QPushButton(self.tr("Connect…"))
        self.connect_btn.setToolTip(self.tr("Sign in on the portal's own page, in your browser"))
        self.connect_btn.setAccessibleDescription(self.connect_btn.toolTip())
        self.sync_btn = QPushButton(self.tr("Sync now"))
        self.sync_btn.setObjectName("Primary")
        self.sync_btn.setAccessibleDescription(self.tr("Bring the chosen portal's new records into the vault"))
        self.website_btn = QPushButton(self.tr("Open website"))
        self.website_btn.setAccessibleDescription(self.tr("Open the portal's official website in your browser"))
        self.checked_btn = QPushButton(self.tr("Checked today"))
        self.checked_btn.setToolTip(self.tr("Note that you looked at this portal today"))
        self.checked_btn.setAccessibleDescription(self.checked_btn.toolTip())
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.cancel_btn.hide()
        for b in (self.add_btn, self.connect_btn, self.sync_btn, self.website_btn, self.checked_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.cancel_btn)
        tl.addLayout(row)
        self.status = QLabel(" ")
        self.status.setObjectName("PortalStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Portal status"))
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.hide()
        tl.addWidget(self.status)
        tl.addWidget(self.bar)
        split.addWidget(top)

        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 8, 0, 0)
        head = QLabel(self.tr("Records requests"))
        head.setObjectName("CardTitle")
        bl.addWidget(head)
        note = muted(
            self.tr(
                "Requests for records that came on paper or not at all (started from the "
                "missing-records list). Providers have 30 days to answer."
            )
        )
        note.setWordWrap(True)
        bl.addWidget(note)
        self.requests = QTableWidget(0, 6)
        self.requests.setObjectName("RequestTable")
        self.requests.setHorizontalHeaderLabels([_tr(c) for c in REQUEST_COLUMNS])
        self.requests.setAccessibleName(self.tr("Records requests"))
        self.requests.setAccessibleDescription(
            self.tr("One row per request: person, provider, what was asked for, when, when it is due and its status")
        )
        self._table_look(self.requests)
        bl.addWidget(self.requests, 1)
        self.no_requests = muted(self.tr("No records requests yet. Start one from a visit whose papers never came."))
        self.no_requests.setWordWrap(True)
        bl.addWidget(self.no_requests)
        rrow = QHBoxLayout()
        self.request_status = QComboBox()
        for code in REQUEST_STATUSES:
            self.request_status.addItem(_tr(REQUEST_WORDS[code]), code)
        self.request_status.setAccessibleName(self.tr("Status of the selected request"))
        self.request_btn = QPushButton(self.tr("Set status"))
        self.request_btn.setAccessibleDescription(self.tr("Give the selected request the status chosen beside it"))
        pick = QLabel(self.tr("Selected &request:"))
        pick.setBuddy(self.request_status)
        rrow.addWidget(pick)
        rrow.addWidget(self.request_status)
        rrow.addWidget(self.request_btn)
        rrow.addStretch(1)
        bl.addLayout(rrow)
        split.addWidget(bottom)
        split.setSizes([520, 280])
        lay.addWidget(split, 1)

        self.add_btn.clicked.connect(lambda: self.add_portal())
        self.connect_btn.clicked.connect(lambda: self.connect_portal())
        self.sync_btn.clicked.connect(lambda: self.sync_portal())
        self.website_btn.clicked.connect(lambda: self.open_website())
        self.checked_btn.clicked.connect(lambda: self.mark_checked())
        self.cancel_btn.clicked.connect(self.cancel)
        self.request_btn.clicked.connect(lambda: self.set_request_status())
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())
        QWidget.setTabOrder(self.table, self.add_btn)
        self.requests.currentCellChanged.connect(lambda *_: self._request_selected())

    @staticmethod
    def _table_look(t: QTableWidget) -> None:
        t.verticalHeader().hide()
        t.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setAlternatingRowColors(True)
        h = t.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(True)

    # ------------------------------------------------------------------ filling
    @property
    def service(self) -> PortalService | None:
        return self.ctx.session.portals if self.ctx.session is not None else None

    def refresh(self) -> None:
        svc = self.service
        if svc is None:
            return
        keep = self.current_name()
        accounts = svc.accounts()
        if self.ctx.person is not None:
            accounts = [a for a in accounts if a.person_id in (None, self.ctx.person)]
        self._accounts = accounts
        self.table.setRowCount(len(accounts))
        for r, a in enumerate(accounts):
            status = status_word(a.status) if a.has_api else self.tr("no API: visit the website")
            cells = [
                a.name + (f"  ({a.brand})" if a.brand else ""),
                a.person or "",
                status,
                when(a.last_sync) if a.has_api else "—",
                when(a.last_checked),
                a.website or "",
            ]
            sentence = self.tr("{portal}, {person}: {status}; last sync {sync}, last checked {checked}").format(
                portal=a.name,
                person=a.person or self.tr("everyone"),
                status=status,
                sync=when(a.last_sync) if a.has_api else self.tr("none"),
                checked=when(a.last_checked),
            )
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(NAME_ROLE, a.name)
                it.setData(Qt.ItemDataRole.AccessibleTextRole, sentence)
                if c == COL_STATUS and a.has_api and ("sign-in" in a.status or a.status.startswith("unavailable")):
                    it.setForeground(Qt.GlobalColor.red)  # the words say it too: colour is not the only signal
                if c == COL_NAME and a.notes:
                    it.setToolTip(a.notes)
                self.table.setItem(r, c, it)
        if keep is not None:
            self.select(keep)
        elif accounts:
            self.table.selectRow(0)
        self._fill_requests()
        self._update_buttons()

    def _fill_requests(self) -> None:
        if self.ctx.session is None:
            return
        reqs = self.ctx.session.missing.requests(self.ctx.person)
        self.requests.setRowCount(len(reqs))
        self.no_requests.setVisible(not reqs)
        for r, q in enumerate(reqs):
            word = _tr(REQUEST_WORDS[q.status]) if q.status in REQUEST_WORDS else str(q.status or "")
            cells = [q.person, q.provider, q.what, fmt.fmt_short(q.asked_on), fmt.fmt_short(q.due_on), word]
            sentence = self.tr("{what} from {provider} for {person}, asked {asked}, due {due}: {status}").format(
                what=q.what or "",
                provider=q.provider or "",
                person=q.person or "",
                asked=fmt.fmt_short(q.asked_on) or "—",
                due=fmt.fmt_short(q.due_on) or "—",
                status=word,
            )
            for c, text in enumerate(cells):
                it = QTableWidgetItem(str(text or ""))
                it.setData(NAME_ROLE, q.id)
                it.setData(STATUS_ROLE, q.status)
                it.setData(Qt.ItemDataRole.AccessibleTextRole, sentence)
                self.requests.setItem(r, c, it)

    def clear(self) -> None:
        super().clear()
        self.cancel()
        self.table.setRowCount(0)
        self.requests.setRowCount(0)
        self._accounts = []
        self.status.setText(" ")

    # ------------------------------------------------------------------ selection
    def current(self) -> PortalAccount | None:
        row = self.table.currentRow()
        return self._accounts[row] if 0 <= row < len(self._accounts) else None

    def current_name(self) -> str | None:
        a = self.current()
        return a.name if a else None

    def select(self, name: str) -> None:
        for r, a in enumerate(self._accounts):
            if a.name == name:
                self.table.selectRow(r)
                return

    def _request_selected(self) -> None:
        row = self.requests.currentRow()
        it = self.requests.item(row, 5) if row >= 0 else None
        if it is not None:
            self.request_status.setCurrentIndex(max(0, self.request_status.findData(it.data(STATUS_ROLE))))
        self._update_buttons()

    def _update_buttons(self) -> None:
        a = self.current()
        busy = self.op is not None and not self.op.finished
        for b in (self.add_btn, self.checked_btn, self.request_btn):
            b.setEnabled(not busy)
        self.connect_btn.setEnabled(not busy and a is not None and a.has_api)
        self.sync_btn.setEnabled(not busy and a is not None and a.has_api and a.status != "not connected")
        self.website_btn.setEnabled(a is not None and bool(a.website))
        self.checked_btn.setEnabled(not busy and a is not None)
        self.request_btn.setEnabled(not busy and self.requests.currentRow() >= 0)
        self.cancel_btn.setVisible(busy)

    # ------------------------------------------------------------------ actions
    def add_portal(self, dlg: AddPortalDialog | None = None) -> Op | None:
        svc = self.service
        if svc is None:
            return None
        people = [(pid, p.name) for pid, p in self.ctx.people.items()]
        dlg = dlg or AddPortalDialog(people, self.ctx.person, self)
        if dlg.result() != QDialog.DialogCode.Accepted and dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        values = dlg.values()

        def work(_ctx: OpContext) -> ops.Changed:
            return ops.Changed.of(ops.PORTALS, svc.add(**values))

        def done(changed: ops.Changed) -> None:
            account: PortalAccount = changed.value
            note = svc.registration_status(account.name)
            self.status.setText(
                self.tr("Added {name}.").format(name=account.name)
                + (" " + self.tr("Connect it to sync.") if account.has_api else "")
                + (f" {note}" if note else "")
            )
            self.refresh()
            self.select(account.name)

        # our errors are shown; a bug is reported as one
        return ops.write(self, work).success(done).failure(lambda e: self.status.setText(friendly(e))).run()

    def mark_checked(self) -> Op | None:
        svc, a = self.service, self.current()
        if svc is None or a is None:
            return None
        name = a.name

        def work(_ctx: OpContext) -> ops.Changed:
            svc.mark_checked(name)
            return ops.Changed.of(ops.PORTALS, name)

        def done(_changed: ops.Changed) -> None:
            self.status.setText(self.tr("Noted: {name} checked today.").format(name=name))
            self.refresh()

        return ops.write(self, work).success(done).run()

    def open_website(self) -> bool:
        a = self.current()
        if a is None or not a.website:
            return False
        # Only the stored official address, and only https (the service refused anything else on add).
        url = QUrl(a.website)
        if url.scheme() != "https":
            self.status.setText(self.tr("{address} is not an https address; not opened.").format(address=a.website))
            return False
        return QDesktopServices.openUrl(url)

    def _run(
        self,
        label: str,
        work: Callable[[OpContext], object],
        done: Callable[[object], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self.status.setText(label)
        self.bar.setRange(0, 0)
        self.bar.show()

        def ok(changed: ops.Changed) -> None:
            self.bar.hide()
            done(changed.value)
            self.refresh()

        def bad(exc: BaseException) -> None:
            self.bar.hide()
            failed(exc)
            self.refresh()

        def progress(n: int, total: int, text: str) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(n)
            self.status.setText(text)

        def write(ctx: OpContext) -> ops.Changed:  # a sign-in saves the account; a sync writes records
            return ops.Changed.of({ops.PORTALS, ops.RECORDS}, work(ctx))

        self.op = ops.write(self, write).with_progress(progress).success(ok).failure(bad).run()
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Cancelled."))
        elif isinstance(exc, NeedsSignIn):
            self.status.setText(
                self.tr("Sign in again: {reason} Press Connect… to sign in on the portal's page.").format(reason=exc)
            )
            self.connect_btn.setFocus()
        else:
            self.status.setText(friendly(exc))

    def connect_portal(self) -> None:
        svc, a = self.service, self.current()
        if svc is None or a is None:
            return
        name, opener, timeout = a.name, self.opener, self.connect_timeout

        def work(ctx: OpContext) -> PortalAccount:
            return svc.connect(name, opener, timeout=timeout, cancel=ctx.cancel)

        def done(acc: object) -> None:
            assert isinstance(acc, PortalAccount)
            self.status.setText(
                self.tr("Connected to {name}. Press Sync now to bring the records in.").format(name=acc.name)
            )

        self._run(
            self.tr("Waiting for you to sign in to {name} in your browser… (Cancel to stop waiting)").format(name=name),
            work,
            done,
            self._failed,
        )

    def sync_portal(self) -> None:
        svc, a = self.service, self.current()
        if svc is None or a is None:
            return
        name, retry = a.name, self.retry

        so_far = self.tr("{message} ({count} so far)")  # read on the GUI thread, used on the worker

        def work(ctx: OpContext) -> SyncOutcome:
            def progress(p: SyncProgress) -> None:
                ctx.progress(p.step, p.steps, so_far.format(message=p.message, count=p.resources_so_far))

            return svc.sync(name, progress=progress, cancel=ctx.cancel, retry=retry)

        def done(out: object) -> None:
            assert isinstance(out, SyncOutcome)
            self.last_outcome = out
            self.status.setText(sync_summary(out))

        self._run(self.tr("Syncing {name}…").format(name=name), work, done, self._failed)

    def cancel(self) -> None:
        if self.op is not None and not self.op.finished:
            self.op.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def set_request_status(self, status: str | None = None) -> None:
        row = self.requests.currentRow()
        it = self.requests.item(row, 0) if row >= 0 else None
        if self.ctx.session is None or it is None:
            return
        rid, svc = int(it.data(NAME_ROLE)), self.ctx.session.missing
        status = status or self.request_status.currentData()

        def work(_ctx: OpContext) -> ops.Changed:
            svc.update_request(rid, status)
            return ops.Changed.of(ops.REQUESTS, rid)

        def done(_changed: ops.Changed) -> None:
            self._fill_requests()
            self.requests.selectRow(row)

        ops.write(self, work).success(done).failure(lambda e: self.status.setText(friendly(e))).run()


def sync_summary(out: SyncOutcome) -> str:
    """One paragraph on what a sync brought, in the language in use.  English needs no .qm for its plurals:
    the source text is picked by the count (lupdate reads only literal translate() calls)."""
    translate = QCoreApplication.translate
    added = sum(out.added.values())
    if not added and not out.updated:
        n = out.fetched
        text = (
            translate("PortalsView", "{account}: up to date — nothing new (%n record checked).", "", n)
            if n == 1
            else translate("PortalsView", "{account}: up to date — nothing new (%n records checked).", "", n)
        )
        text = text.format(account=out.account)
    else:
        kinds = ", ".join(f"{n} {KIND_LABELS.get(k, k).lower()}" for k, n in out.added.most_common() if n)
        updated = translate("PortalsView", "%n updated", "", out.updated) if out.updated else ""
        text = translate("PortalsView", "{account}: {added} new ({kinds}){updated}.").format(
            account=out.account, added=added, kinds=kinds, updated=f", {updated}" if updated else ""
        )
    if out.duplicates:
        text += " " + translate("PortalsView", "%n already in the vault.", "", out.duplicates)
    if out.errors:
        n = len(out.errors)
        problems = (
            translate("PortalsView", "%n problem:", "", n)
            if n == 1
            else translate("PortalsView", "%n problems:", "", n)
        )
        text += " " + problems + " " + "; ".join(out.errors[:3])
    return text
