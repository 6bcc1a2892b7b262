"""People and access: who may sign in to this vault and which family members each of them sees.

Only the owner can change anything; a proxy sees the same page read-only (their own grants).  Adding
a user and revoking a grant are slow on purpose (a passphrase KDF; a key rotation that re-encrypts the
person's database and documents), so both run on the database worker with progress.  Revoking asks
first and says why it takes a while.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import access
from ..services.session import Session, SessionSource
from . import ops
from .ops import OpContext, friendly
from .unlock import passphrase_strength
from .views import View
from .widgets import muted, title_label

Confirm = Callable[[QWidget, str, str], bool]
USER_ROLE = Qt.ItemDataRole.UserRole + 11
PERSON_ROLE = Qt.ItemDataRole.UserRole + 12
SCOPE_TEXT = {
    "owner": QT_TRANSLATE_NOOP("AccessView", "everything (owner)"),
    "manage": QT_TRANSLATE_NOOP("AccessView", "view and manage"),
    "view": QT_TRANSLATE_NOOP("AccessView", "view only"),
}
translate = QCoreApplication.translate


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def signed_in_text(vault: SessionSource) -> str:
    """ "Signed in as Sam (proxy) — sees: Rosa Martinez" for the status bar."""
    people = [p.name for p in vault.persons()]
    role = translate("AccessView", "owner") if vault.user.role == "owner" else translate("AccessView", "proxy")
    who = translate("AccessView", "Signed in as {name} ({role})").format(
        name=vault.user.name or translate("AccessView", "the owner"), role=role
    )
    if vault.is_owner():
        return translate("AccessView", "{who} — sees everyone").format(who=who)
    return translate("AccessView", "{who} — sees: {people}").format(
        who=who, people=", ".join(people) if people else translate("AccessView", "nobody yet")
    )


class AddUserDialog(QDialog):
    """Name and passphrase (twice) for a new proxy, with the same strength hint as vault creation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a user"))
        form = QFormLayout(self)
        form.addRow(muted(self.tr("A user has their own passphrase and sees nobody until you grant access.")))
        self.name = QLineEdit()
        self.name.setObjectName("NewUserName")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("NewUserPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("NewUserPassphrase2")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = muted(" ")
        self.problem = QLabel()
        self.problem.setObjectName("ErrorLabel")
        for field, text in (
            (self.name, self.tr("&Name")),
            (self.passphrase, self.tr("&Passphrase")),
            (self.again, self.tr("A&gain")),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(text.replace("&", ""))
            form.addRow(label, field)
        self.again.setAccessibleName(self.tr("Passphrase again"))
        form.addRow("", self.strength)
        form.addRow(self.problem)
        std = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(std.Ok | std.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add user"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.passphrase.textChanged.connect(self._strength)

    def _strength(self, text: str) -> None:
        _score, label = passphrase_strength(text)
        self.strength.setText(self.tr("Strength: {label}").format(label=label) if text else " ")

    def _check(self) -> None:
        if not self.name.text().strip():
            self.problem.setText(self.tr("Give the user a name."))
        elif len(self.passphrase.text()) < 8:
            self.problem.setText(self.tr("The passphrase must be at least 8 characters; a few words are best."))
        elif self.passphrase.text() != self.again.text():
            self.problem.setText(self.tr("The two passphrases differ."))
        else:
            self.accept()


class GrantDialog(QDialog):
    def __init__(
        self, users: list[str], people: list[str], user: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Grant access"))
        form = QFormLayout(self)
        self.user = QComboBox()
        self.user.addItems(users)
        if user in users:
            self.user.setCurrentText(user)
        self.person = QComboBox()
        self.person.addItems(people)
        self.view = QRadioButton(self.tr("View only: read the records"))
        self.manage = QRadioButton(self.tr("Manage: also import, edit, export and connect portals"))
        group = QButtonGroup(self)
        group.addButton(self.view)
        group.addButton(self.manage)
        self.view.setChecked(True)
        user_label, person_label = QLabel(self.tr("&User")), QLabel(self.tr("&May see"))
        user_label.setBuddy(self.user)
        person_label.setBuddy(self.person)
        self.user.setAccessibleName(self.tr("User"))
        self.person.setAccessibleName(self.tr("May see"))
        form.addRow(user_label, self.user)
        form.addRow(person_label, self.person)
        form.addRow(self.tr("Access"), self.view)
        form.addRow("", self.manage)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Grant"))
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        form.addRow(bb)

    def scope(self) -> str:
        return "manage" if self.manage.isChecked() else "view"


class RecoveryCodeDialog(QDialog):
    """The new user's recovery code, shown once."""

    def __init__(self, name: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recovery code"))
        lay = QVBoxLayout(self)
        lab = QLabel(
            self.tr(
                "<b>{name}</b>'s recovery code. Give it to them to keep somewhere safe: it opens "
                "their access if they forget their passphrase. It is shown only now."
            ).format(name=html.escape(name))
        )
        lab.setWordWrap(True)
        lay.addWidget(lab)
        self.code = QLabel(code)
        self.code.setObjectName("RecoveryCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAccessibleName(self.tr("Recovery code"))
        lay.addWidget(self.code)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        bb.accepted.connect(self.accept)
        lay.addWidget(bb)


class AccessView(View):
    """The page itself.  ``confirm`` and ``dialogs`` are seams for tests (modal boxes offscreen)."""

    title = QT_TRANSLATE_NOOP("Views", "People and access")  # the main window shows translate("Views", title)
    changed = Signal()  # a grant or user changed (the window refreshes its signed-in badge)

    def __init__(
        self,
        parent: QWidget | None = None,
        confirm: Confirm = ask_yes_no,
        show_recovery: Callable[[QWidget, str, str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.confirm = confirm
        self.show_recovery = show_recovery or (lambda p, n, c: RecoveryCodeDialog(n, c, p).exec() and None)
        self.op: ops.Op | None = None
        self.last_recovery: str | None = None  # for tests only: what show_recovery was given
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(title_label(QCoreApplication.translate("Views", "People and access")))
        self.who = QLabel()
        self.who.setObjectName("SignedIn")
        lay.addWidget(self.who)
        self.note = muted()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.tree = QTreeWidget()
        self.tree.setObjectName("UsersTree")
        self.tree.setHeaderLabels([self.tr("User"), self.tr("Role / access")])
        self.tree.setAccessibleName(self.tr("Users and whom they see"))
        self.tree.setColumnWidth(0, 360)
        self.tree.header().setStretchLastSection(True)
        self.tree.setRootIsDecorated(True)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.add_btn = QPushButton(self.tr("Add user…"))
        self.grant_btn = QPushButton(self.tr("Grant access…"))
        self.revoke_btn = QPushButton(self.tr("Revoke access…"))
        self.remove_btn = QPushButton(self.tr("Remove user…"))
        self.revoke_btn.setAccessibleDescription(self.tr("Choose a person under a user first"))
        self.remove_btn.setAccessibleDescription(self.tr("Choose a user first"))
        for b in (self.add_btn, self.grant_btn, self.revoke_btn, self.remove_btn):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = muted(" ")
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.hide()
        lay.addWidget(self.status)
        lay.addWidget(self.bar)
        self.add_btn.clicked.connect(self.add_user)
        self.grant_btn.clicked.connect(lambda: self.grant())
        self.revoke_btn.clicked.connect(lambda: self.revoke())
        self.remove_btn.clicked.connect(lambda: self.remove_user())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())

    @property
    def _session(self) -> Session | None:
        """The open session: who is signed in, the people, and the access service."""
        return self.ctx.session

    def refresh(self) -> None:
        v = self._session
        if v is None:
            return
        self.who.setText(signed_in_text(v))
        owner = v.is_owner()
        self.note.setText(
            self.tr(
                "Each user has their own passphrase. A user sees only the people you grant "
                "them; the encryption enforces it, not just the app."
            )
            if owner
            else self.tr(
                "Only the vault's owner can add users or change who sees whom. This page is read-only for you."
            )
        )
        for b in (self.add_btn, self.grant_btn, self.revoke_btn, self.remove_btn):
            b.setVisible(owner)
        self.tree.clear()
        try:
            users = v.access.list_users() if owner else []
        except Exception as e:  # noqa: BLE001 - shown, not raised: the page stays usable
            self.status.setText(friendly(e))
            users = []
        if not owner:  # a proxy sees their own line, from what their keys open
            mine = {p.name: v.access.scope_of(p.id) or "view" for p in v.persons()}
            users = [access.UserInfo(v.user.id, v.user.name, v.user.role, mine)]
        for u in sorted(users, key=lambda u: (u.role != "owner", u.name.casefold())):  # the owner first
            top = QTreeWidgetItem(
                [
                    self.tr("{name} — you").format(name=u.name) if u.id == v.user.id else u.name,
                    self.tr("owner: sees everyone") if u.role == "owner" else self.tr("proxy"),
                ]
            )
            top.setData(0, USER_ROLE, u.name)
            if u.role != "owner":
                for person, scope in sorted(u.grants.items()):
                    ch = QTreeWidgetItem(
                        [person, translate("AccessView", SCOPE_TEXT[scope]) if scope in SCOPE_TEXT else scope]
                    )
                    ch.setData(0, USER_ROLE, u.name)
                    ch.setData(0, PERSON_ROLE, person)
                    top.addChild(ch)
                if not u.grants:
                    ch = QTreeWidgetItem([self.tr("(sees nobody yet)"), ""])
                    ch.setData(0, USER_ROLE, u.name)
                    ch.setDisabled(True)
                    top.addChild(ch)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        self._update_buttons()

    def clear(self) -> None:
        super().clear()
        self.tree.clear()
        self.who.clear()
        self.status.setText(" ")

    # ------------------------------------------------------------------ selection
    def _selected(self) -> tuple[str | None, str | None]:
        it = self.tree.currentItem()
        if it is None:
            return None, None
        return it.data(0, USER_ROLE), it.data(0, PERSON_ROLE)

    def _update_buttons(self) -> None:
        v = self._session
        user, person = self._selected()
        busy = self.op is not None and not self.op.finished
        is_owner_row = v is not None and user is not None and user == v.user.name
        self.add_btn.setEnabled(not busy)
        self.grant_btn.setEnabled(not busy)
        self.revoke_btn.setEnabled(not busy and person is not None)
        self.remove_btn.setEnabled(not busy and user is not None and not is_owner_row)

    def select(self, user: str, person: str | None = None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None or top.data(0, USER_ROLE) != user:
                continue
            if person is None:
                self.tree.setCurrentItem(top)
                return
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None and child.data(0, PERSON_ROLE) == person:
                    self.tree.setCurrentItem(child)
                    return

    # ------------------------------------------------------------------ actions
    def _run(self, label: str, work: Callable[[OpContext], object], done: Callable[[object], None]) -> None:
        self.status.setText(label)
        self.bar.setRange(0, 0)
        self.bar.show()

        def ok(changed: ops.Changed) -> None:
            self.bar.hide()
            self.status.setText(" ")
            done(changed.value)
            self.refresh()
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.bar.hide()
            self.status.setText(friendly(exc))
            self.refresh()

        def progress(done_: int, total: int, text: str) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done_)
            self.status.setText(text)

        def write(ctx: OpContext) -> ops.Changed:
            return ops.Changed.of(ops.ACCESS, work(ctx))

        self.op = ops.write(self, write).with_progress(progress).success(ok).failure(failed).run()
        self._update_buttons()

    def add_user(self, dlg: AddUserDialog | None = None) -> None:
        v = self._session
        if v is None:
            return
        dlg = dlg or AddUserDialog(self)
        if dlg.result() != QDialog.DialogCode.Accepted and dlg.exec() != QDialog.DialogCode.Accepted:
            return
        name, pw = dlg.name.text().strip(), dlg.passphrase.text()
        dlg.passphrase.clear()
        dlg.again.clear()

        def done(code: object) -> None:
            self.last_recovery = str(code)
            self.show_recovery(self, name, str(code))

        self._run(self.tr("Adding {name}…").format(name=name), lambda _ctx: v.access.add_user(name, pw), done)

    def grant(self, user: str | None = None, person: str | None = None, scope: str | None = None) -> None:
        v = self._session
        if v is None:
            return
        if user is None or person is None or scope is None:
            proxies = [u.name for u in v.access.list_users() if u.role != "owner"]
            if not proxies:
                self.status.setText(self.tr("Add a user first."))
                return
            dlg = GrantDialog(proxies, [p.name for p in v.persons()], self._selected()[0], self)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return
            user, person, scope = dlg.user.currentText(), dlg.person.currentText(), dlg.scope()
        u, p, s = user, person, scope
        self._run(
            self.tr("Granting {user} access to {person}…").format(user=u, person=p),
            lambda _ctx: v.access.grant(u, p, s),
            lambda _r: None,
        )

    def revoke(self) -> None:
        v = self._session
        user, person = self._selected()
        if v is None or user is None or person is None:
            return
        text = self.tr(
            "{user} will no longer see {person}'s records.\n\n"
            "To make sure the key {user} held opens nothing, {person}'s records get a new key: their "
            "database and documents are re-encrypted. This can take a minute for a large record; "
            "keep the app open until it finishes."
        ).format(user=user, person=person)
        if not self.confirm(self, self.tr("Revoke access"), text):
            return

        def work(ctx: OpContext) -> None:
            v.access.revoke(user, person, progress=ctx.progress)

        self._run(
            self.tr("Revoking {user}'s access to {person} and changing the key…").format(user=user, person=person),
            work,
            lambda _r: None,
        )

    def remove_user(self) -> None:
        v = self._session
        user, _person = self._selected()
        if v is None or user is None:
            return
        text = self.tr(
            "Remove {user}? Their passphrase and recovery code stop working. Every person they could "
            "see gets a new key (their records are re-encrypted), which can take a minute."
        ).format(user=user)
        if not self.confirm(self, self.tr("Remove user"), text):
            return

        def work(ctx: OpContext) -> None:
            v.access.remove_user(user, progress=ctx.progress)

        self._run(self.tr("Removing {user}…").format(user=user), work, lambda _r: None)
