"""The one window: unlock pages until a vault is open, then sidebar (people, views) and the views.

Locking (Ctrl+L, idle time, closing) clears every view and model, closes the vault and clears the
clipboard of text this app put there (only if it still holds exactly that text).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError
from ..services.records import RecordService
from ..services.session import Session, SessionSource, session_of
from . import icons, ops, theme
from .models import PERSON_ROLE, PersonInfo
from .settings import AppSettings, SettingsDialog
from .shell import (
    ACTION_IMPORT,
    ACTION_JUMP,
    ACTION_LOCK,
    ACTION_SETTINGS,
    ACTION_VIEWS_END,
    MENU_EDIT,
    MENU_FILE,
    MENU_HELP,
    MENU_PEOPLE,
    MENU_VIEW,
    ShellMixin,
    view_title,
)
from .unlock import UnlockScreen
from .views import View, ViewContext

if TYPE_CHECKING:
    from .import_dialog import ImportDialog
    from .search import SearchView

VIEW_NAMES = ("timeline", "encounters", "labs", "medications", "documents", "imports")
# English titles (marked for translation; shown through view_title()).
VIEW_TITLES = {
    "timeline": QT_TRANSLATE_NOOP("Views", "Timeline"),
    "encounters": QT_TRANSLATE_NOOP("Views", "Encounters"),
    "labs": QT_TRANSLATE_NOOP("Views", "Labs"),
    "medications": QT_TRANSLATE_NOOP("Views", "Medications"),
    "documents": QT_TRANSLATE_NOOP("Views", "Documents"),
    "imports": QT_TRANSLATE_NOOP("Views", "Import history"),
}
VIEW_ICONS = {
    "timeline": "timeline",
    "encounters": "encounter",
    "labs": "labs",
    "medications": "medication",
    "documents": "document",
    "imports": "history",
}
_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Application event filter: any user input resets the idle clock (a monotonic clock)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_input = time.monotonic()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last_input


class ClipboardGuard:
    """Remembers what we put on the clipboard, to take it back after a while (30 s) and on lock,
    only if the clipboard still holds it (never wiping what the user copied since)."""

    def __init__(self, parent: QObject | None = None, clear_after_ms: int = 30_000) -> None:
        self.ours: str | None = None
        self.timer = QTimer(parent)  # owned by the window: it never fires after the window is gone
        self.timer.setSingleShot(True)
        self.timer.setInterval(clear_after_ms)
        self.timer.timeout.connect(self.clear_ours)

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.ours = text
        self.timer.start()

    def clear_ours(self) -> None:
        cb = QGuiApplication.clipboard()
        if self.ours is not None and cb.text() == self.ours:
            cb.clear()
        self.ours = None


class AddPersonDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a family member"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Name"))
        self.born = QLineEdit()
        self.born.setPlaceholderText(self.tr("YYYY-MM-DD (optional)"))
        self.born.setAccessibleName(self.tr("Date of birth"))
        self.born.setAccessibleDescription(self.tr("Year, month and day, like 1980-05-31; can be left empty"))
        name_label, born_label = QLabel(self.tr("&Name")), QLabel(self.tr("&Born"))
        name_label.setBuddy(self.name)
        born_label.setBuddy(self.born)
        form.addRow(name_label, self.name)
        form.addRow(born_label, self.born)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        form.addRow(bb)


class MainWindow(QMainWindow, ShellMixin):
    """The window, and the shell its features are built on (gui/shell.py)."""

    locked = Signal()
    unlocked = Signal()
    changed = Signal(object)  # an ops.Changed, after a write finished
    row_activated = Signal(object)  # an Entry: Enter or double-click on a record row
    person_changed = Signal(object)  # the person chosen in the sidebar (an id, or None for everyone)

    def __init__(self, vault_dir: Path, demo_dir: Path, settings: AppSettings | None = None) -> None:
        super().__init__()
        self._init_shell()
        self.settings = settings or AppSettings()
        self.setWindowTitle(self.tr("MedRecords"))
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self.session: Session | None = None
        self.is_demo = False
        self.people: dict[str, PersonInfo] = {}
        self.clipboard = ClipboardGuard(self)
        self.idle = IdleWatcher(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.central = QStackedWidget()
        self.setCentralWidget(self.central)
        self.unlock = UnlockScreen(vault_dir, demo_dir)
        self.unlock.opened.connect(self.set_vault)
        self.central.addWidget(self.unlock)
        self._build_workspace()
        self._build_toolbar()
        self._build_menus()
        ops.hub().changed.connect(self._on_changed)
        from . import people_menu

        people_menu.install(self)  # Edit…, Merge into…, Remove… in the People menu and the sidebar
        self._set_locked_ui(True)
        geo = self.settings.geometry()
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1400, 900)
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(5000)
        self._idle_timer.timeout.connect(self._check_idle)
        self._idle_timer.start()
        self.import_dialog: ImportDialog | None = None
        self.search_view: SearchView

    # ------------------------------------------------------------------ building
    def _build_workspace(self) -> None:
        self.workspace = QWidget()
        outer = QVBoxLayout(self.workspace)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = QLabel(self.tr("Demo vault — a made-up family. Nothing here is real health data."))
        self.banner.setObjectName("DemoBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.banner)
        # What the unlock found wrong (a tampered roster or audit log, a rolled-back vault): every user is told.
        self.security_banner = QLabel()
        self.security_banner.setObjectName("SecurityBanner")
        self.security_banner.setWordWrap(True)
        self.security_banner.setStyleSheet(
            "#SecurityBanner { background: #b3261e; color: white; padding: 6px 12px; font-weight: 600; }"
        )
        self.security_banner.hide()
        outer.addWidget(self.security_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        outer.addLayout(row, 1)
        side = QWidget()
        side.setObjectName("Sidebar")
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 10, 0, 10)
        sl.setSpacing(0)
        sec = QLabel(self.tr("FAMILY"))
        sec.setObjectName("SectionLabel")
        sl.addWidget(sec)
        self.people_list = QListWidget()
        self.people_list.setObjectName("PeopleList")
        self.people_list.setIconSize(icons.QSize(26, 26))
        self.people_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people_list.setAccessibleName(self.tr("Family"))
        self.people_list.setAccessibleDescription(self.tr("Whose records to show: everyone, or one person"))
        sl.addWidget(self.people_list)
        sec2 = QLabel(self.tr("VIEWS"))
        sec2.setObjectName("SectionLabel")
        sl.addWidget(sec2)
        self.view_list = QListWidget()
        self.view_list.setObjectName("ViewList")
        self.view_list.setIconSize(icons.QSize(20, 20))
        self.view_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view_list.setAccessibleName(self.tr("Views"))
        self.view_list.setAccessibleDescription(self.tr("Which kind of records to show"))
        sl.addWidget(self.view_list)
        sl.addStretch(1)
        self.vault_label = QLabel()
        self.vault_label.setObjectName("SectionLabel")
        self.vault_label.setWordWrap(True)
        sl.addWidget(self.vault_label)
        # Scrolls when the window is short (200% scaling on a laptop): the sidebar never sets the window's height.
        scroll = QScrollArea()
        scroll.setObjectName("SidebarScroll")
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFixedWidth(230)
        side.setMinimumWidth(230 - 14)
        side.setMaximumWidth(230)
        row.addWidget(scroll)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.views: dict[str, View] = {}  # built on first unlock: the unlock screen needs none of them
        for name in VIEW_NAMES:
            it = QListWidgetItem(icons.icon(VIEW_ICONS[name], theme.colors().muted), view_title(VIEW_TITLES[name]))
            it.setData(PERSON_ROLE, name)
            self.view_list.addItem(it)
        self.view_list.setFixedHeight(sum(self.view_list.sizeHintForRow(r) for r in range(len(VIEW_NAMES))) + 12)
        self.view_list.currentRowChanged.connect(self._view_row_changed)
        self.people_list.currentRowChanged.connect(self._person_changed)
        self.central.addWidget(self.workspace)
        QWidget.setTabOrder(self.people_list, self.view_list)
        QWidget.setTabOrder(self.view_list, self.stack)

    def _build_views(self) -> None:
        """The views import QtCharts and QtPdf: made after the first unlock, which keeps launch fast."""
        if "timeline" in self.views:  # (extensions may have added theirs already)
            return
        from .search import SearchView
        from .views.documents import DocumentsView
        from .views.encounters import EncountersView
        from .views.imports import ImportsView
        from .views.labs import LabsView
        from .views.medications import MedicationsView
        from .views.timeline import TimelineView

        self.views.update(
            {
                "timeline": TimelineView(),
                "encounters": EncountersView(),
                "labs": LabsView(),
                "medications": MedicationsView(),
                "documents": DocumentsView(),
                "imports": ImportsView(),
                "search": SearchView(),
            }
        )
        self.search_view = self.views["search"]  # type: ignore[assignment]
        for name in (*VIEW_NAMES, "search"):  # (features' views were added through add_view already)
            view = self.views[name]
            view.setObjectName(f"{name}View")
            self.stack.addWidget(view)
            self.changed.connect(view.on_changed)
        for name in ("timeline", "documents", "search"):
            self.views[name].open_encounter.connect(self.open_encounter)  # type: ignore[attr-defined]
        self.views["imports"].import_requested.connect(self.ask_import)  # type: ignore[attr-defined]
        # Sharing (packet, access, audit, portals) and the user's own records (add, correct, Trash,
        # missing records, paper): each installs its views, menus and actions on this window.
        from . import ext_records, ext_sharing

        self._hook_rows()  # decorations and row menus registered before the views existed
        if self.feature("sharing") is None:  # tests may have installed them first, with their seams
            ext_sharing.install(self)
        if self.feature("records") is None:
            ext_records.install(self)
        # Immunizations (CDC CDSi forecast) per person, and the family's "due soon" line
        from . import immunizations_view

        if "immunizations" not in self.views:
            immunizations_view.install(self)
        if "claims" not in self.views:  # payers' claims (Blue Button 2.0 / CARIN)
            from . import claims_view

            claims_view.install(self)
        if "devices" not in self.views:  # the computers that keep this vault in step (replication, Syncthing)
            from . import devices_view

            devices_view.install(self)
        self._translate_sidebar()
        self._toolbar_by_tab()

    def _toolbar_by_tab(self) -> None:
        """Toolbar buttons are no Tab stops in Qt: make them so (after the search field), for keyboard-only use."""
        for b in self.toolbar.findChildren(QToolButton):
            if b.defaultAction() is not None:
                b.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _translate_sidebar(self) -> None:
        """Sidebar rows added by the extensions carry their view's English title: show it translated."""
        for r in range(self.view_list.count()):
            it = self.view_list.item(r)
            view = self.views.get(it.data(PERSON_ROLE))
            if view is not None and view.title:
                it.setText(view_title(view.title))

    def show_help(self, slug: str | None = None) -> None:
        """Help > User guide: the pages shipped in resources/help (no network, no browser)."""
        from .help_dialog import HelpDialog

        dlg = getattr(self, "_help", None)
        if dlg is None or slug is not None:
            if dlg is not None:
                dlg.close()
            dlg = self._help = HelpDialog(self, slug=slug)
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()

    def _build_toolbar(self) -> None:
        tb = QToolBar(self.tr("Main toolbar"))
        tb.setObjectName("MainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        self.toolbar = tb
        more = tb.findChild(QWidget, "qt_toolbar_ext_button")  # the » shown when the window is narrow
        if more is not None:
            more.setAccessibleName(self.tr("More toolbar actions"))
        self.act_import = QAction(icons.icon("import", theme.colors().text), self.tr("Import…"), self)
        self.act_import.setShortcut(QKeySequence("Ctrl+I"))
        self.act_import.setToolTip(self.tr("Import records from files (Ctrl+I)"))
        self.act_import.triggered.connect(self.ask_import)
        self.act_import.setObjectName(ACTION_IMPORT)
        self.act_lock = QAction(icons.icon("lock", theme.colors().text), self.tr("Lock"), self)
        self.act_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.act_lock.setToolTip(self.tr("Close the vault now (Ctrl+L)"))
        self.act_lock.triggered.connect(self.lock)
        self.act_lock.setObjectName(ACTION_LOCK)
        self.search_field = QLineEdit()
        self.search_field.setObjectName("SearchField")
        self.search_field.setPlaceholderText(self.tr("Search records, notes and documents  (Ctrl+F)"))
        self.search_field.setAccessibleName(self.tr("Search"))
        self.search_field.setAccessibleDescription(
            self.tr("Search records, notes and documents; press Enter to see the results")
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.addAction(
            icons.icon("search", theme.colors().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search_field.setMinimumWidth(380)
        self.search_field.setMaximumWidth(520)
        self.search_field.returnPressed.connect(self.run_search)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(self.search_field)
        tb.addWidget(spacer)
        tb.addAction(self.act_import)
        tb.addAction(self.act_lock)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu(self.tr("&File"))
        m.addAction(self.act_import)
        self.act_settings = m.addAction(self.tr("Settings…"))
        # Preferences has no default binding on some desktops (GNOME): Ctrl+, everywhere as well.
        self.act_settings.setShortcuts([QKeySequence(QKeySequence.StandardKey.Preferences), QKeySequence("Ctrl+,")])
        self.act_settings.triggered.connect(self.open_settings)
        self.act_settings.setObjectName(ACTION_SETTINGS)
        m.addSeparator()
        m.addAction(self.act_lock)
        quit_act = m.addAction(self.tr("Quit"))
        quit_act.setShortcut(QKeySequence.StandardKey.Quit)
        quit_act.triggered.connect(self.close)
        e = mb.addMenu(self.tr("&Edit"))
        self.act_copy = e.addAction(self.tr("Copy item"))
        self.act_copy.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.act_copy.triggered.connect(self.copy_current)
        self.act_find = e.addAction(self.tr("Find…"))
        self.act_find.setShortcut(QKeySequence.StandardKey.Find)
        self.act_find.triggered.connect(self.focus_search)
        v = mb.addMenu(self.tr("&View"))
        self.view_actions: list[QAction] = []
        for n, name in enumerate(VIEW_NAMES):
            a = v.addAction(view_title(VIEW_TITLES[name]))
            a.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            a.triggered.connect(lambda _=False, nm=name: self.show_view(nm))
            self.view_actions.append(a)
        v.addSeparator().setObjectName(ACTION_VIEWS_END)
        self.act_jump = v.addAction(self.tr("Jump to date…"))
        self.act_jump.setShortcut(QKeySequence("Ctrl+J"))
        self.act_jump.triggered.connect(self._jump)
        self.act_jump.setObjectName(ACTION_JUMP)
        p = self.people_menu = mb.addMenu(self.tr("&People"))
        self.act_everyone = p.addAction(self.tr("Everyone"))
        self.act_everyone.setShortcut(QKeySequence("Ctrl+0"))
        self.act_everyone.triggered.connect(lambda: self.people_list.setCurrentRow(0))
        self.act_add_person = p.addAction(self.tr("Add a family member…"))
        self.act_add_person.triggered.connect(self.add_person)
        h = mb.addMenu(self.tr("&Help"))
        guide = h.addAction(self.tr("User guide"))
        guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        guide.triggered.connect(lambda: self.show_help())
        trouble = h.addAction(self.tr("Troubleshooting portals and passphrases"))
        trouble.triggered.connect(lambda: self.show_help("troubleshooting"))
        h.addSeparator()
        about = h.addAction(self.tr("About MedRecords"))
        about.triggered.connect(
            lambda: QMessageBox.about(
                self,
                self.tr("About MedRecords"),
                self.tr("MedRecords Desktop\nYour family's health records, encrypted and offline."),
            )
        )
        # The menus by stable id: features find them here whatever the language shown (shell.menu(id)).
        self.menus = {MENU_FILE: m, MENU_EDIT: e, MENU_VIEW: v, MENU_PEOPLE: p, MENU_HELP: h}
        self.vault_actions = [
            self.act_import,
            self.act_lock,
            self.act_copy,
            self.act_find,
            self.act_jump,
            self.act_everyone,
            self.act_add_person,
            *self.view_actions,
        ]

    # ------------------------------------------------------------------ open / lock
    def start(self, vault_exists: bool) -> None:
        if vault_exists:
            self.unlock.show_unlock()
        else:
            self.unlock.show_welcome()

    @property
    def vault(self) -> object | None:
        """The open vault, for the services that take one (tests); features use ``session``."""
        return self.session.vault if self.session is not None else None

    @property
    def records(self) -> RecordService | None:
        return self.session.records if self.session is not None else None

    def set_vault(self, source: SessionSource, is_demo: bool = False) -> None:
        """Open the workspace on a session (what the unlock screen makes), or on an open vault."""
        self._build_views()
        session = self.session = session_of(source)
        self.is_demo = is_demo or session.is_demo
        self.banner.setVisible(self.is_demo)
        warnings = session.warnings
        self.security_banner.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.security_banner.setVisible(bool(warnings))
        self.setWindowTitle(self.tr("MedRecords — Demo vault") if self.is_demo else self.tr("MedRecords"))
        self.vault_label.setText(self._vault_text())
        self._fill_people()
        self._set_locked_ui(False)
        self.idle.last_input = time.monotonic()
        if self.view_list.currentRow() < 0:
            self.view_list.setCurrentRow(0)
        self.people_list.setCurrentRow(0)  # Everyone; triggers the context
        self._apply_context()
        self.unlocked.emit()

    def _on_changed(self, changed: ops.Changed) -> None:
        """A write finished: every view is stale (it subscribed to ``changed``), the shown one refills."""
        if self.session is None:
            return
        self.changed.emit(changed)
        if changed.touches(ops.PEOPLE):
            row = self.people_list.currentRow()
            self._fill_people()
            self.people_list.blockSignals(True)  # one refill below, not one more for the row
            self.people_list.setCurrentRow(max(0, min(row, self.people_list.count() - 1)))
            self.people_list.blockSignals(False)
            self._apply_context()
            self.person_changed.emit(self.current_person())
            return
        current = self.stack.currentWidget()
        if isinstance(current, View):
            current.refresh_if_stale()
        self._update_strips()

    def _autolock_text(self) -> str:
        m = self.settings.autolock_minutes
        return self.tr("Locks after %n min idle", "", m) if m else self.tr("Auto-lock off")

    def _vault_text(self) -> str:
        head = self.tr("DEMO VAULT") if self.is_demo else self.tr("ENCRYPTED VAULT")
        return head + "\n" + self._autolock_text()

    def _fill_people(self) -> None:
        assert self.session is not None
        self.people_list.blockSignals(True)
        self.people_list.clear()
        self.people = {}
        for n, p in enumerate(self.session.persons()):
            assert p.id
            self.people[p.id] = PersonInfo(p.id, p.name, icons.person_color(n, p.color).name())
        everyone = QListWidgetItem(icons.icon("everyone", theme.colors().text), self.tr("Everyone"))
        everyone.setData(PERSON_ROLE, None)
        self.people_list.addItem(everyone)
        for info in self.people.values():
            it = QListWidgetItem(icons.QIcon(icons.avatar(info.name, info.color, 26)), info.name)
            it.setData(PERSON_ROLE, info.id)
            self.people_list.addItem(it)
        rows = min(8, self.people_list.count())
        self.people_list.setFixedHeight(sum(self.people_list.sizeHintForRow(r) for r in range(rows)) + 12)
        self.people_list.blockSignals(False)

    def lock(self) -> None:
        """Clear every view and model, close the vault, show the unlock page."""
        if self.import_dialog is not None:
            self.import_dialog.cancel()
        ops.cancel_all()  # a sign-in waiting for the browser or a long export would hold the lock 30 s
        ops.wait_idle()
        QApplication.processEvents()  # deliver finished ops' callbacks before the models go
        session, self.session = self.session, None  # from here on nothing can refill a view
        for view in self.views.values():
            view.clear()
        self.search_field.clear()
        self.people_list.blockSignals(True)
        self.people_list.clear()
        self.people_list.blockSignals(False)
        self.people = {}
        self.clipboard.clear_ours()
        if self.import_dialog is not None:
            self.import_dialog.close()
            self.import_dialog = None
        if session is not None:
            try:
                session.close()
            except MedRecordsError:
                pass
        was_demo = self.is_demo
        self.security_banner.hide()
        self._update_strips()  # nothing readable stays on the views' lines
        self._set_locked_ui(True)
        self.unlock.show_unlock(self.unlock.demo_dir if was_demo else None)
        if was_demo:
            from ..services.demo import DEMO_PASSPHRASE

            self.unlock.where.setText(
                self.tr("Demo vault (made-up people) — its passphrase is “{passphrase}”").format(
                    passphrase=DEMO_PASSPHRASE
                )
            )
        self.locked.emit()

    def _set_locked_ui(self, locked: bool) -> None:
        self.central.setCurrentWidget(self.unlock if locked else self.workspace)
        self.toolbar.setVisible(not locked)
        for a in getattr(self, "vault_actions", []):
            a.setEnabled(not locked)

    def _check_idle(self) -> None:
        minutes = self.settings.autolock_minutes
        if self.session is not None and minutes and self.idle.idle_seconds() >= minutes * 60:
            self.lock()

    # ------------------------------------------------------------------ navigation
    def context(self) -> ViewContext:
        return ViewContext(people=self.people, person=self.current_person(), session=self.session)

    def _apply_context(self) -> None:
        if self.session is None:
            return
        ctx = self.context()
        current = self.stack.currentWidget()
        for view in self.views.values():
            view.set_context(ctx, visible=view is current)
        self._update_strips()

    def _person_changed(self, _row: int) -> None:
        self._apply_context()
        self.person_changed.emit(self.current_person())

    def _view_row_changed(self, row: int) -> None:
        if row < 0:
            return
        name = self.view_list.item(row).data(PERSON_ROLE)
        view = self.views.get(name)
        if view is None:  # locked before the first unlock: the views are built then
            return
        self.stack.setCurrentWidget(view)
        view.refresh_if_stale()

    def show_view(self, name: str) -> View:
        rows = [self.view_list.item(r).data(PERSON_ROLE) for r in range(self.view_list.count())]
        if name in rows:  # the window's views and the features' with a sidebar row
            self.view_list.setCurrentRow(rows.index(name))
        else:
            self.view_list.clearSelection()
            self.view_list.setCurrentRow(-1)
            self.stack.setCurrentWidget(self.views[name])
            self.views[name].refresh_if_stale()
        return self.views[name]

    def open_encounter(self, encounter_id: str) -> None:
        view = self.show_view("encounters")
        view.select_encounter(encounter_id)  # type: ignore[attr-defined]

    def _jump(self) -> None:
        view = self.show_view("timeline")
        view.ask_jump()  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ actions
    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def run_search(self) -> None:
        if self.records is None:
            return
        self.show_view("search")
        self.search_view.ctx = self.context()
        self.search_view.detail.set_source(self.records, self.search_view.ctx.name_of)
        self.search_view.run_search(self.search_field.text())

    def copy_current(self) -> None:
        view = self.stack.currentWidget()
        text = view.current_text() if view is not None and hasattr(view, "current_text") else None
        if text:
            self.clipboard.copy(text)

    def open_settings(self) -> None:
        dlg = SettingsDialog(self.settings, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                t = self.settings.theme
                theme.apply(app, None if t == "system" else t == "dark")
            if self.session is not None:
                self.vault_label.setText(self._vault_text())

    def add_person(self) -> ops.Op | None:
        session = self.session
        if session is None:
            return None
        dlg = AddPersonDialog(self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        name, born = dlg.name.text(), dlg.born.text().strip() or None

        def work(_ctx: ops.OpContext) -> ops.Changed:
            return ops.Changed.of(ops.PEOPLE, session.add_person(name, born))

        return ops.write(self, work).success(lambda _c: self.people_list.setCurrentRow(0)).run()

    def ask_import(self) -> None:
        if self.session is None:
            return
        from PySide6.QtWidgets import QFileDialog

        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import records"),
            "",
            self.tr(
                "Health records (*.json *.ndjson *.xml *.zip *.pdf *.png *.jpg *.jpeg *.tif *.tiff *.csv);;"
                "All files (*)"
            ),
        )
        if files:
            self.import_paths(files)

    def import_paths(self, paths: list[str]) -> ImportDialog | None:
        if self.session is None:
            return None
        if self.import_dialog is not None and self.import_dialog.op is not None and not self.import_dialog.op.finished:
            QMessageBox.information(self, self.tr("Import"), self.tr("An import is already running."))
            return None
        from .import_dialog import ImportDialog

        dlg = ImportDialog(self.session, paths, self)
        self.import_dialog = dlg
        dlg.setModal(False)
        dlg.show()
        dlg.start()
        return dlg

    def _after_import(self) -> None:
        """An import (or an undone one) changed the records and may have added a person."""
        self._on_changed(ops.Changed.of({ops.RECORDS, ops.PEOPLE}))

    # ------------------------------------------------------------------ drag and drop
    def accepts_drop(self, mime: QMimeData) -> bool:
        """Local files or folders, and only while a vault is open."""
        return self.session is not None and mime.hasUrls() and all(u.isLocalFile() for u in mime.urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.accepts_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.settings.save_geometry(self.saveGeometry())
        self.settings.sync()
        if self.session is not None:
            self.lock()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        super().closeEvent(event)
