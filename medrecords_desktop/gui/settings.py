"""Window and app preferences in QSettings (geometry, auto-lock minutes, theme) — never health data.

Person names, search terms, file names and item ids are deliberately not stored here: QSettings
files are plaintext outside the vault.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

DEFAULT_AUTOLOCK_MIN = 5
THEMES = ("system", "light", "dark")


class AppSettings:
    def __init__(self, qs: QSettings | None = None) -> None:
        self.qs = qs or QSettings("MedRecords", "MedRecords Desktop")

    @property
    def autolock_minutes(self) -> int:
        try:
            return max(0, int(str(self.qs.value("autolock_minutes", DEFAULT_AUTOLOCK_MIN))))
        except (TypeError, ValueError):
            return DEFAULT_AUTOLOCK_MIN

    @autolock_minutes.setter
    def autolock_minutes(self, v: int) -> None:
        self.qs.setValue("autolock_minutes", int(v))

    @property
    def theme(self) -> str:
        v = str(self.qs.value("theme", "system"))
        return v if v in THEMES else "system"

    @theme.setter
    def theme(self, v: str) -> None:
        self.qs.setValue("theme", v)

    def geometry(self) -> QByteArray | None:
        v = self.qs.value("window/geometry")
        return v if isinstance(v, QByteArray) else None

    def save_geometry(self, g: QByteArray) -> None:
        self.qs.setValue("window/geometry", g)

    def sync(self) -> None:
        self.qs.sync()


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.autolock = QSpinBox()
        self.autolock.setObjectName("AutolockMinutes")
        self.autolock.setRange(0, 240)
        self.autolock.setSuffix(" min")
        self.autolock.setSpecialValueText("Never")
        self.autolock.setValue(settings.autolock_minutes)
        form.addRow("Lock after idle for", self.autolock)
        self.theme = QComboBox()
        self.theme.addItems(["Follow the system", "Light", "Dark"])
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        form.addRow("Appearance", self.theme)
        lay.addLayout(form)
        note = QLabel("The vault also locks when you press Ctrl+L. Settings hold no health data.")
        note.setObjectName("Muted")
        note.setWordWrap(True)
        lay.addWidget(note)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)

    def accept(self) -> None:
        self.settings.autolock_minutes = self.autolock.value()
        self.settings.theme = THEMES[self.theme.currentIndex()]
        super().accept()
