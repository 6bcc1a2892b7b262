"""Sharing and sources, added onto an existing main window: packet export, people and access, audit, portals.

``install(window)`` is the only entry point.  It uses the window's public parts only (``views``,
``stack``, ``view_list``, ``menuBar()``, ``toolbar``, ``vault_actions``, ``clipboard``, the ``locked``
and ``unlocked`` signals), so main_window.py needs one line: ``ext_sharing.install(self)`` at the end
of ``_build_menus`` (or right after constructing the window).  main_window is imported for type
checking only, because it imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QListWidgetItem, QMenu, QToolButton

from . import icons
from .access_view import AccessView, Confirm, ask_yes_no, signed_in_text
from .audit_view import AuditView
from .models import PERSON_ROLE
from .packet_dialog import CLEAR_AFTER_MS, PacketDialog
from .portals_view import Opener, PortalsView
from .views import View

if TYPE_CHECKING:
    from .main_window import MainWindow

SIDEBAR = (("portals", "portal"), ("audit", "audit"))  # (view name, icon), after the window's own views


class Sharing(QObject):
    """What install() added; kept on the window as ``window.sharing``."""

    def __init__(self, window: MainWindow, opener: Opener | None, clear_after_ms: int, confirm: Confirm,
                 show_recovery: Callable[..., None] | None) -> None:
        super().__init__(window)
        self.window = window
        self.clear_after_ms = clear_after_ms
        self.packet_dialog: PacketDialog | None = None
        self.portals = PortalsView(opener=opener)
        self.audit = AuditView()
        self.access = AccessView(confirm=confirm, show_recovery=show_recovery)
        self._add_views()
        self._add_actions()
        self._add_badge()
        self.portals.records_changed.connect(self._records_changed)
        self.access.changed.connect(self._update_badge)
        window.unlocked.connect(self._update_badge)
        window.locked.connect(self._on_locked)

    # ------------------------------------------------------------------ building
    def _add_views(self) -> None:
        w = self.window
        for name, view in (("portals", self.portals), ("audit", self.audit), ("access", self.access)):
            view.setObjectName(f"{name}View")
            w.views[name] = view
            w.stack.addWidget(view)
        for name, icon_name in SIDEBAR:
            title = QCoreApplication.translate("Views", w.views[name].title)
            it = QListWidgetItem(icons.icon(icon_name, "#6b7280"), title)
            it.setData(PERSON_ROLE, name)
            w.view_list.addItem(it)
        rows = w.view_list.count()
        w.view_list.setFixedHeight(sum(w.view_list.sizeHintForRow(r) for r in range(rows)) + 12)

    def _menu(self, title: str) -> QMenu | None:
        menus = getattr(self.window, "menus", {})  # by English name, whatever the language shown
        if title in menus:
            return menus[title]  # type: ignore[no-any-return]
        for a in self.window.menuBar().actions():
            if a.menu() is not None and a.text().replace("&", "") == title:
                return a.menu()  # type: ignore[return-value]
        return None

    def _add_actions(self) -> None:
        w = self.window
        self.act_packet = QAction(icons.icon("packet"), self.tr("Prepare for an appointment…"), w)
        self.act_packet.setObjectName("PreparePacket")
        self.act_packet.setShortcut(QKeySequence("Ctrl+P"))
        self.act_packet.setToolTip(self.tr("Export a password-protected PDF of the records a doctor needs (Ctrl+P)"))
        self.act_packet.triggered.connect(lambda: self.open_packet())
        self.act_access = QAction(icons.icon("people"), self.tr("People and access…"), w)
        self.act_access.triggered.connect(lambda: self.show("access"))
        file_menu = self._menu("File")
        if file_menu is not None:
            acts = file_menu.actions()
            after_import = acts[acts.index(w.act_import) + 1] if w.act_import in acts else None
            file_menu.insertAction(after_import, self.act_packet)  # type: ignore[arg-type]
            after_settings = acts[acts.index(w.act_settings) + 1] if w.act_settings in acts else None
            file_menu.insertAction(after_settings, self.act_access)  # type: ignore[arg-type]
        people_menu = self._menu("People")
        if people_menu is not None:
            people_menu.addSeparator()
            people_menu.addAction(self.act_access)
        w.toolbar.insertAction(w.act_lock, self.act_packet)
        new = [self.act_packet, self.act_access]
        view_menu = self._menu("View")
        if view_menu is not None:
            acts = view_menu.actions()
            before = acts[acts.index(w.act_jump) - 1] if w.act_jump in acts else None  # the separator
            for n, (name, _icon) in enumerate(SIDEBAR):
                a = QAction(QCoreApplication.translate("Views", w.views[name].title), w)
                a.setShortcut(QKeySequence(f"Ctrl+{len(w.view_actions) + n + 1}"))
                a.triggered.connect(lambda _=False, nm=name: self.show(nm))
                view_menu.insertAction(before, a)  # type: ignore[arg-type]
                new.append(a)
        for a in new:
            a.setEnabled(w.vault is not None)
        w.vault_actions.extend(new)

    def _add_badge(self) -> None:
        self.badge = QToolButton()
        self.badge.setObjectName("SignedInBadge")
        self.badge.setAutoRaise(True)
        self.badge.setIcon(icons.icon("people"))
        self.badge.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.badge.setToolTip(self.tr("Who is signed in and whom they may see — click for People and access"))
        self.badge.setAccessibleName(self.tr("Who is signed in"))
        self.badge.setAccessibleDescription(self.badge.toolTip())
        self.badge.clicked.connect(lambda: self.show("access"))
        bar = self.window.statusBar()
        bar.addPermanentWidget(self.badge)
        bar.setVisible(self.window.vault is not None)

    def show(self, name: str) -> View:
        w = self.window
        for r in range(w.view_list.count()):
            if w.view_list.item(r).data(PERSON_ROLE) == name:
                w.view_list.setCurrentRow(r)
                return w.views[name]
        return w.show_view(name)

    def _update_badge(self) -> None:
        v = self.window.vault
        self.window.statusBar().setVisible(v is not None)
        self.badge.setText(signed_in_text(v) if v is not None else "")

    def _on_locked(self) -> None:
        self.badge.setText("")
        self.window.statusBar().setVisible(False)
        if self.packet_dialog is not None:
            self.packet_dialog.reject()
            self.packet_dialog.deleteLater()
            self.packet_dialog = None

    def _mark_stale(self, skip: View | None = None) -> None:
        current = self.window.stack.currentWidget()
        for view in self.window.views.values():
            if view is not skip and view.ctx.records is not None:
                view.set_context(view.ctx, visible=view is current)

    def _records_changed(self) -> None:
        self._mark_stale(skip=self.portals)

    def current_person(self) -> str | None:
        pl = self.window.people_list
        row = pl.currentRow()
        return pl.item(row).data(PERSON_ROLE) if row >= 0 else None

    def open_packet(self, person_id: str | None = None) -> PacketDialog | None:
        w = self.window
        if w.vault is None:
            return None
        if self.packet_dialog is not None:
            self.packet_dialog.deleteLater()
        dlg = PacketDialog(w.vault, person_id or self.current_person(), clipboard=w.clipboard,
                           clear_after_ms=self.clear_after_ms, parent=w)
        # an export adds an audit entry: the audit view refills when next shown
        dlg.finished.connect(lambda _r: self._mark_stale() if dlg.packet_result is not None else None)
        self.packet_dialog = dlg
        dlg.open()
        return dlg


def install(window: MainWindow, *, opener: Opener | None = None, clear_after_ms: int = CLEAR_AFTER_MS,
            confirm: Confirm = ask_yes_no, show_recovery: Callable[..., None] | None = None) -> Sharing:
    """Add the packet export, People and access, Audit and Portals & sources to ``window``.

    The keyword arguments are seams for tests: the portal sign-in's browser, how long a copied
    password stays on the clipboard, the confirmation box and the recovery-code box.
    """
    sharing = Sharing(window, opener, clear_after_ms, confirm, show_recovery)
    window.sharing = sharing  # type: ignore[attr-defined]
    return sharing


__all__ = ["Sharing", "install"]
