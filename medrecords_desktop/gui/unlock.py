"""Before the vault is open: welcome (no vault yet), create (passphrase + strength + recovery code), unlock.

The KDF runs on the database worker so the window keeps painting; errors people can act on are told
apart in the page itself: a wrong passphrase, a damaged vault, a vault open elsewhere.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import MedRecordsError, VaultDamaged, VaultInUse, VaultNotFound, WrongPassphrase
from ..services.session import Session, create_session, fast_kdf_for_tests, open_demo_session, open_session
from . import theme
from .icons import _app_pixmap
from .ops import Op, friendly

STRENGTH_LABELS = (
    QT_TRANSLATE_NOOP("Unlock", "Too short"),
    QT_TRANSLATE_NOOP("Unlock", "Weak"),
    QT_TRANSLATE_NOOP("Unlock", "Fair"),
    QT_TRANSLATE_NOOP("Unlock", "Good"),
    QT_TRANSLATE_NOOP("Unlock", "Strong"),
)

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls
_COMMON = {"password", "passphrase", "12345678", "qwertyui", "letmein1", "iloveyou", "medrecords"}


def passphrase_strength(text: str) -> tuple[int, str]:
    """A rough 0-4 score from length and variety (a few random words beat symbols); never stored."""
    if len(text) < 8:
        return 0, STRENGTH_LABELS[0]
    if text.lower() in _COMMON or len(set(text)) <= 3:
        return 1, STRENGTH_LABELS[1]
    pool = 0
    pool += 26 if any(c.islower() for c in text) else 0
    pool += 26 if any(c.isupper() for c in text) else 0
    pool += 10 if any(c.isdigit() for c in text) else 0
    pool += 33 if any(not c.isalnum() for c in text) else 0
    bits = len(text) * math.log2(max(pool, 2))
    words = len(text.split())
    if words >= 4:
        bits = max(bits, words * 13.0)
    score = 1 if bits < 45 else 2 if bits < 60 else 3 if bits < 80 else 4
    return score, STRENGTH_LABELS[score]


def unlock_message(exc: BaseException) -> str:
    """The inline message for a failed unlock (a tested contract)."""
    if isinstance(exc, WrongPassphrase):
        return translate("Unlock", "Wrong passphrase. Check Caps Lock, or type your recovery code instead.")
    if isinstance(exc, VaultDamaged):
        return translate("Unlock", "The vault is damaged and cannot be opened: {reason} ").format(reason=exc)
    if isinstance(exc, VaultInUse):
        return translate("Unlock", "This vault is already open in another MedRecords window. Close it there first.")
    if isinstance(exc, VaultNotFound):
        return translate("Unlock", "No vault was found there. {reason}").format(reason=exc)
    return friendly(exc)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Unlock", text)


def _kdf_for_new_vault():  # noqa: ANN202 - KdfParams | None
    return fast_kdf_for_tests() if os.environ.get("MEDRECORDS_TEST_FAST_KDF") == "1" else None


class ErrorLabel(QLabel):
    """A red message that takes no room while empty."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ErrorLabel")
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


class _Page(QWidget):
    """A centred column of fixed width on the window background."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.col = QWidget()
        # 460 px at the default font, wider with large system fonts so labels and fields keep their room
        self.col.setFixedWidth(max(460, self.fontMetrics().averageCharWidth() * 64))
        self.lay = QVBoxLayout(self.col)
        self.lay.setSpacing(12)
        row.addWidget(self.col)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def hero(self, title: str, text: str) -> None:
        logo = QLabel()
        pm = QPixmap(_app_pixmap(128))
        pm.setDevicePixelRatio(2.0)
        logo.setPixmap(pm)
        logo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.lay.addWidget(logo)
        h = QLabel(title)
        h.setObjectName("Hero")
        h.setAccessibleName(title)
        h.setStyleSheet("font-size: 24px; font-weight: 600;")
        h.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.lay.addWidget(h)
        t = QLabel(text)
        t.setObjectName("Muted")
        t.setWordWrap(True)
        t.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.lay.addWidget(t)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
        self.lay.addSpacing(8)


def _primary(text: str, name: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName("Primary")
    b.setAccessibleName(name)
    b.setMinimumHeight(34)
    b.setDefault(True)
    return b


class UnlockScreen(QStackedWidget):
    """Emits ``opened(session, is_demo)`` once a vault is unlocked, created, or the demo is ready."""

    opened = Signal(object, bool)

    def __init__(self, vault_dir: Path, demo_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault_dir, self.demo_dir = Path(vault_dir), Path(demo_dir)
        self._pending_vault: Session | None = None
        self._build_welcome()
        self._build_create()
        self._build_recovery()
        self._build_unlock()
        for w in (self.welcome_page, self.create_page, self.recovery_page, self.unlock_page):
            self.addWidget(w)

    # ------------------------------------------------------------------ pages
    def _build_welcome(self) -> None:
        p = self.welcome_page = _Page("Welcome")
        p.hero(
            self.tr("Welcome to MedRecords"),
            self.tr("Your family's health records in one place — encrypted, on this computer, and never uploaded."),
        )
        self.create_btn = _primary(self.tr("&Create my vault"), self.tr("Create my vault"))
        self.create_btn.setObjectName("Primary")
        self.demo_btn = QPushButton(self.tr("&Explore a demo vault"))
        self.demo_btn.setAccessibleName(self.tr("Explore a demo vault"))
        self.demo_btn.setAccessibleDescription(self.tr("A made-up family, to look around first"))
        self.demo_btn.setMinimumHeight(34)
        p.lay.addWidget(self.create_btn)
        p.lay.addWidget(self.demo_btn)
        self.welcome_status = QLabel()
        self.welcome_status.setObjectName("Muted")
        self.welcome_status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.welcome_status.setWordWrap(True)
        p.lay.addWidget(self.welcome_status)
        note = QLabel(
            self.tr("The demo holds a made-up family only, so you can look around before adding real records.")
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        p.lay.addWidget(note)
        self.create_btn.clicked.connect(self.show_create)
        self.demo_btn.clicked.connect(self.open_demo)

    def _build_create(self) -> None:
        p = self.create_page = _Page("Create")
        p.hero(
            self.tr("Create your vault"),
            self.tr(
                "Choose a passphrase you can remember: a few unrelated words work well. "
                "Nobody, including us, can recover it without your recovery code."
            ),
        )
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        loc_row = QHBoxLayout()
        self.location = QLineEdit(str(self.vault_dir))
        self.location.setObjectName("Location")
        self.location.setAccessibleName(self.tr("Vault location"))
        self.location.setAccessibleDescription(self.tr("The folder the encrypted vault is created in"))
        browse = self.browse_btn = QPushButton(self.tr("&Browse…"))
        browse.setObjectName("BrowseLocation")
        browse.setAccessibleName(self.tr("Browse for the vault location"))
        browse.clicked.connect(self._browse)
        loc_row.addWidget(self.location, 1)
        loc_row.addWidget(browse)
        form.addRow(self.tr("Location"), loc_row)
        self.owner = QLineEdit()
        self.owner.setObjectName("OwnerName")
        self.owner.setPlaceholderText(self.tr("e.g. Maria Garcia"))
        self.owner.setAccessibleName(self.tr("Your name"))
        form.addRow(self.tr("Your &name"), self.owner)
        self.new_pass = QLineEdit()
        self.new_pass.setObjectName("NewPassphrase")
        self.new_pass.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pass.setAccessibleName(self.tr("Passphrase"))
        self.new_pass.setAccessibleDescription(self.tr("At least 8 characters; a few unrelated words are best"))
        form.addRow(self.tr("&Passphrase"), self.new_pass)
        meter_row = QHBoxLayout()
        self.meter = QProgressBar()
        self.meter.setObjectName("StrengthMeter")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.meter.setAccessibleName(self.tr("Passphrase strength"))
        self.meter_label = QLabel(_tr(STRENGTH_LABELS[0]))
        self.meter_label.setObjectName("Muted")
        self.meter_label.setMinimumWidth(70)
        meter_row.addWidget(self.meter, 1)
        meter_row.addWidget(self.meter_label)
        form.addRow("", meter_row)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("ConfirmPassphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(self.tr("Passphrase again"))
        form.addRow(self.tr("A&gain"), self.confirm)
        p.lay.addLayout(form)
        self.create_error = ErrorLabel()
        self.create_error.setWordWrap(True)
        p.lay.addWidget(self.create_error)
        row = QHBoxLayout()
        back = self.back_btn = QPushButton(self.tr("Back"))
        back.setObjectName("CreateBack")
        back.setAccessibleName(self.tr("Back to the welcome page"))
        back.clicked.connect(lambda: self.setCurrentWidget(self.welcome_page))
        self.do_create = _primary(self.tr("Create vault"), self.tr("Create vault"))
        self.do_create.setEnabled(False)
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.do_create)
        p.lay.addLayout(row)
        for w in (self.new_pass, self.confirm, self.owner):
            w.textChanged.connect(self._check_create)
        self.do_create.clicked.connect(self._create)
        self.confirm.returnPressed.connect(self._create)
        # Top to bottom, as read: location, browse, name, passphrase twice, then create (back last).
        for a, b in (
            (self.location, browse),
            (browse, self.owner),
            (self.owner, self.new_pass),
            (self.new_pass, self.confirm),
            (self.confirm, self.do_create),
            (self.do_create, back),
        ):
            QWidget.setTabOrder(a, b)

    def _build_recovery(self) -> None:
        p = self.recovery_page = _Page("Recovery")
        p.hero(
            self.tr("Your recovery code"),
            self.tr(
                "If you forget your passphrase, this code is the only way back in. "
                "Write it down and keep it somewhere safe, away from this computer. It is shown only once."
            ),
        )
        self.code = QLabel()
        self.code.setObjectName("RecoveryCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.code.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a screen reader reaches it by Tab
        self.code.setAccessibleName(self.tr("Recovery code"))
        p.lay.addWidget(self.code)
        self.saved = QCheckBox(self.tr("I have &saved it"))
        self.saved.setAccessibleName(self.tr("I have saved the recovery code"))
        self.saved.setObjectName("SavedIt")
        p.lay.addWidget(self.saved)
        self.continue_btn = _primary(self.tr("Continue"), self.tr("Continue"))
        self.continue_btn.setEnabled(False)
        self.saved.toggled.connect(self.continue_btn.setEnabled)
        self.continue_btn.clicked.connect(self._recovery_done)
        p.lay.addWidget(self.continue_btn)

    def _build_unlock(self) -> None:
        p = self.unlock_page = _Page("Unlock")
        p.hero(self.tr("Unlock your vault"), self.tr("Enter your passphrase to open your family's records."))
        self.where = QLabel()
        self.where.setObjectName("Muted")
        self.where.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.where.setWordWrap(True)
        self.where.setAccessibleName(self.tr("Vault location"))
        p.lay.addWidget(self.where)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("Passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Passphrase or recovery code"))
        self.passphrase.setAccessibleName(self.tr("Passphrase or recovery code"))
        self.passphrase.setAccessibleDescription(self.tr("Press Enter to unlock"))
        self.passphrase.setMinimumHeight(32)
        p.lay.addWidget(self.passphrase)
        self.unlock_error = ErrorLabel()
        self.unlock_error.setWordWrap(True)
        p.lay.addWidget(self.unlock_error)
        self.unlock_btn = _primary(self.tr("Unlock"), self.tr("Unlock"))
        p.lay.addWidget(self.unlock_btn)
        self.unlock_btn.clicked.connect(self._unlock)
        self.passphrase.returnPressed.connect(self._unlock)
        # From a locked demo (or to start another vault): back to "Create my vault" / "Explore a demo".
        self.start_over = QPushButton(self.tr("Create a new vault or explore the demo…"))
        self.start_over.setAccessibleName(self.tr("Create a new vault or explore the demo"))
        self.start_over.setObjectName("StartOver")
        self.start_over.setFlat(True)
        self.start_over.clicked.connect(self.show_welcome)
        p.lay.addWidget(self.start_over)

    # ------------------------------------------------------------------ navigation
    def show_welcome(self) -> None:
        self.welcome_status.clear()
        self.create_btn.setEnabled(True)
        self.demo_btn.setEnabled(True)
        self.setCurrentWidget(self.welcome_page)

    def show_create(self) -> None:
        self.create_error.clear()
        self.setCurrentWidget(self.create_page)
        self.owner.setFocus()

    def show_unlock(self, path: Path | None = None) -> None:
        if path is not None:
            self.vault_dir = Path(path)
        self.where.setText(str(self.vault_dir))
        self.passphrase.clear()
        self.unlock_error.clear()
        self.unlock_btn.setEnabled(True)
        self.unlock_btn.setText(self.tr("Unlock"))
        self.setCurrentWidget(self.unlock_page)
        self.passphrase.setFocus()

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, self.tr("Where should the vault live?"), str(self.vault_dir.parent))
        if d:
            self.location.setText(str(Path(d) / "MedRecords Vault"))  # a folder name: not translated

    # ------------------------------------------------------------------ create
    def _check_create(self) -> None:
        score, label = passphrase_strength(self.new_pass.text())
        self.meter.setValue(score)
        self.meter_label.setText(_tr(label))
        self.meter.setAccessibleDescription(_tr(label))
        color = ("#c62828", "#c62828", "#d9730d", "#2e9d45", "#1b7f35")[score]
        self.meter.setStyleSheet(
            f"QProgressBar {{ border: none; background: {theme.colors().border}; "
            f"border-radius: 3px; }} QProgressBar::chunk {{ background: {color}; "
            "border-radius: 3px; }"
        )
        problem = ""
        if self.confirm.text() and self.confirm.text() != self.new_pass.text():
            problem = self.tr("The two passphrases differ.")
        elif self.new_pass.text() and score == 0:
            problem = self.tr("Use at least 8 characters; a few words are best.")
        self.create_error.setText(problem)
        ok = score >= 1 and self.confirm.text() == self.new_pass.text() and bool(self.owner.text().strip())
        self.do_create.setEnabled(ok)

    def _create(self) -> None:
        if not self.do_create.isEnabled():
            return
        path = Path(self.location.text().strip()).expanduser()
        pw, owner = self.new_pass.text(), self.owner.text().strip()
        kdf = _kdf_for_new_vault()
        self.do_create.setEnabled(False)
        self.do_create.setText(self.tr("Creating…"))

        def work(_ctx: object) -> tuple[Session, str]:
            return create_session(path, pw, owner, kdf)

        def done(result: tuple[Session, str]) -> None:
            self.do_create.setText(self.tr("Create vault"))
            self.new_pass.clear()
            self.confirm.clear()
            self.vault_dir = path
            self._pending_vault, code = result
            self.code.setText("-".join(code[i : i + 5] for i in range(0, len(code), 5)))
            self.saved.setChecked(False)
            self.setCurrentWidget(self.recovery_page)

        def failed(exc: BaseException) -> None:
            self.do_create.setText(self.tr("Create vault"))
            self._check_create()
            self.create_error.setText(friendly(exc))

        Op(self, work).success(done).failure(failed).run()

    def _recovery_done(self) -> None:
        vault, self._pending_vault = self._pending_vault, None
        self.code.clear()  # shown once
        if vault is not None:
            self.opened.emit(vault, False)

    # ------------------------------------------------------------------ unlock
    def _unlock(self) -> None:
        pw = self.passphrase.text()
        if not pw or not self.unlock_btn.isEnabled():
            return
        path = self.vault_dir
        self.unlock_btn.setEnabled(False)
        self.unlock_btn.setText(self.tr("Unlocking…"))
        self.unlock_error.clear()

        def done(session: Session) -> None:
            self.passphrase.clear()
            self.unlock_btn.setEnabled(True)
            self.unlock_btn.setText(self.tr("Unlock"))
            self.opened.emit(session, session.is_demo)

        def failed(exc: BaseException) -> None:
            self.unlock_btn.setEnabled(True)
            self.unlock_btn.setText(self.tr("Unlock"))
            self.unlock_error.setText(unlock_message(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()

        Op(self, lambda _ctx: open_session(path, pw)).success(done).failure(failed).run()

    # ------------------------------------------------------------------ demo
    def open_demo(self) -> None:
        self.create_btn.setEnabled(False)
        self.demo_btn.setEnabled(False)
        self.welcome_status.setText(self.tr("Preparing the demo family… (a few seconds the first time)"))
        path = self.demo_dir

        def failed(exc: BaseException) -> None:
            self.create_btn.setEnabled(True)
            self.demo_btn.setEnabled(True)
            self.welcome_status.setText(unlock_message(exc) if isinstance(exc, MedRecordsError) else friendly(exc))

        def done(session: Session) -> None:
            self.welcome_status.clear()
            self.create_btn.setEnabled(True)
            self.demo_btn.setEnabled(True)
            self.opened.emit(session, True)

        Op(self, lambda _ctx: open_demo_session(path)).success(done).failure(failed).run()
