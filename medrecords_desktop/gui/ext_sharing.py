"""Sharing and sources, a feature on the shell: packet export, people and access, audit, portals.

``install(shell)`` is the only entry point; it uses the shell's protocol only (gui/shell.py): views,
actions in menus named by id, the locked/unlocked signals, the session.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolButton

from . import icons
from .access_view import AccessView, Confirm, ask_yes_no, signed_in_text
from .audit_view import AuditView
from .packet_dialog import CLEAR_AFTER_MS, PacketDialog
from .portals_view import Opener, PortalsView
from .shell import (
    ACTION_IMPORT,
    ACTION_LOCK,
    ACTION_SETTINGS,
    ACTION_VIEWS_END,
    MENU_FILE,
    MENU_PEOPLE,
    MENU_VIEW,
    Shell,
)
from .views import View

SIDEBAR = (("portals", "portal"), ("audit", "audit"))  # (view name, icon), after the window's own views


class Sharing(QObject):
    """What install() added; registered on the shell as "sharing"."""

    def __init__(
        self,
        shell: Shell,
        opener: Opener | None,
        clear_after_ms: int,
        confirm: Confirm,
        show_recovery: Callable[..., None] | None,
    ) -> None:
        super().__init__(shell.widget())
        self.shell = shell
        self.clear_after_ms = clear_after_ms
        self.packet_dialog: PacketDialog | None = None
        self.portals = PortalsView(opener=opener)
        self.audit = AuditView()
        self.access = AccessView(confirm=confirm, show_recovery=show_recovery)
        self._add_views()
        self._add_actions()
        self._add_badge()
        self.access.changed.connect(self._update_badge)
        shell.unlocked.connect(self._update_badge)
        shell.locked.connect(self._on_locked)

    # ------------------------------------------------------------------ building
    def _add_views(self) -> None:
        icon = dict(SIDEBAR)
        for name, view in (("portals", self.portals), ("audit", self.audit), ("access", self.access)):
            self.shell.add_view(name, view, icon=icon.get(name), sidebar=name in icon)

    def _add_actions(self) -> None:
        sh, w = self.shell, self.shell.widget()
        self.act_packet = QAction(icons.icon("packet"), self.tr("Prepare for an appointment…"), w)
        self.act_packet.setObjectName("PreparePacket")
        self.act_packet.setShortcut(QKeySequence("Ctrl+P"))
        self.act_packet.setToolTip(self.tr("Export a password-protected PDF of the records a doctor needs (Ctrl+P)"))
        self.act_packet.triggered.connect(lambda: self.open_packet())
        self.act_access = QAction(icons.icon("people"), self.tr("People and access…"), w)
        self.act_access.setObjectName("sharing.access")
        self.act_access.triggered.connect(lambda: self.show("access"))
        sh.add_action(self.act_packet, MENU_FILE, after=ACTION_IMPORT, toolbar_before=ACTION_LOCK)
        sh.add_action(self.act_access, MENU_FILE, after=ACTION_SETTINGS)
        sh.menu(MENU_PEOPLE).addSeparator()
        sh.menu(MENU_PEOPLE).addAction(self.act_access)
        view_shortcuts = sum(1 for a in sh.menu(MENU_VIEW).actions() if not a.isSeparator()) - 1  # not "Jump"
        for n, (name, _icon) in enumerate(SIDEBAR):
            title = {"portals": self.portals.title, "audit": self.audit.title}[name]
            a = QAction(QCoreApplication.translate("Views", title), w)
            a.setShortcut(QKeySequence(f"Ctrl+{view_shortcuts + n + 1}"))
            a.triggered.connect(lambda _=False, nm=name: self.show(nm))
            sh.add_action(a, MENU_VIEW, before=ACTION_VIEWS_END)

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
        bar = self.shell.statusBar()
        bar.addPermanentWidget(self.badge)
        bar.setVisible(self.shell.session is not None)

    def show(self, name: str) -> View:
        return self.shell.show_view(name)

    def _update_badge(self) -> None:
        s = self.shell.session
        self.shell.statusBar().setVisible(s is not None)
        self.badge.setText(signed_in_text(s) if s is not None else "")

    def _on_locked(self) -> None:
        self.badge.setText("")
        self.shell.statusBar().setVisible(False)
        if self.packet_dialog is not None:
            self.packet_dialog.reject()
            self.packet_dialog.deleteLater()
            self.packet_dialog = None

    def current_person(self) -> str | None:
        return self.shell.current_person()

    def open_packet(self, person_id: str | None = None) -> PacketDialog | None:
        sh = self.shell
        if sh.session is None:
            return None
        if self.packet_dialog is not None:
            self.packet_dialog.deleteLater()
        dlg = PacketDialog(
            sh.session,
            person_id or self.current_person(),
            clipboard=sh.clipboard,
            clear_after_ms=self.clear_after_ms,
            parent=sh.widget(),
        )
        self.packet_dialog = dlg
        dlg.open()
        return dlg


def install(
    shell: Shell,
    *,
    opener: Opener | None = None,
    clear_after_ms: int = CLEAR_AFTER_MS,
    confirm: Confirm = ask_yes_no,
    show_recovery: Callable[..., None] | None = None,
) -> Sharing:
    """Add the packet export, People and access, Audit and Portals & sources to the shell (registered as
    "sharing").

    The keyword arguments are seams for tests: the portal sign-in's browser, how long a copied
    password stays on the clipboard, the confirmation box and the recovery-code box.
    """
    return shell.register("sharing", Sharing(shell, opener, clear_after_ms, confirm, show_recovery))


__all__ = ["Sharing", "install"]
