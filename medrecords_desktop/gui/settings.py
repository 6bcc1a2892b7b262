"""Window and app preferences in QSettings (geometry, auto-lock minutes, theme, language) — never health data.

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

from . import i18n

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

    @property
    def language(self) -> str:
        """ "system", "en" or "es" (see ``i18n.LANGUAGES``); applies on the next start."""
        v = str(self.qs.value("language", "system"))
        return v if v in i18n.LANGUAGES else "system"

    @language.setter
    def language(self, v: str) -> None:
        self.qs.setValue("language", v)

    def geometry(self) -> QByteArray | None:
        v = self.qs.value("window/geometry")
        return v if isinstance(v, QByteArray) else None

    def save_geometry(self, g: QByteArray) -> None:
        self.qs.setValue("window/geometry", g)

    def sync(self) -> None:
        self.qs.sync()


class SettingsDialog(QDialog):
    """Auto-lock, appearance and language; Tab goes through them in that order, then OK / Cancel."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.autolock = QSpinBox()
        self.autolock.setObjectName("AutolockMinutes")
        self.autolock.setRange(0, 240)
        self.autolock.setSuffix(self.tr(" min"))
        self.autolock.setSpecialValueText(self.tr("Never"))
        self.autolock.setValue(settings.autolock_minutes)
        self.autolock.setAccessibleName(self.tr("Lock after idle for, in minutes"))
        self.autolock.setAccessibleDescription(self.tr("0 means never lock by itself"))
        lock_label = QLabel(self.tr("&Lock after idle for"))
        lock_label.setBuddy(self.autolock)
        form.addRow(lock_label, self.autolock)
        self.theme = QComboBox()
        self.theme.setObjectName("Theme")
        self.theme.addItems([self.tr("Follow the system"), self.tr("Light"), self.tr("Dark")])
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        self.theme.setAccessibleName(self.tr("Appearance"))
        self.theme.setAccessibleDescription(self.tr("High contrast follows the system's accessibility setting."))
        theme_label = QLabel(self.tr("&Appearance"))
        theme_label.setBuddy(self.theme)
        form.addRow(theme_label, self.theme)
        self.language = QComboBox()
        self.language.setObjectName("Language")
        self.language.addItems(i18n.language_names())
        self.language.setCurrentIndex(i18n.LANGUAGES.index(settings.language))
        self.language.setAccessibleName(self.tr("Language"))
        self.language.setAccessibleDescription(self.tr("Applies the next time MedRecords starts."))
        lang_label = QLabel(self.tr("La&nguage"))
        lang_label.setBuddy(self.language)
        form.addRow(lang_label, self.language)
        lay.addLayout(form)
        note = QLabel(
            self.tr(
                "A new language applies the next time MedRecords starts. "
                "The vault also locks when you press Ctrl+L. Settings hold no health data."
            )
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        lay.addWidget(note)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName(self.tr("OK"))
        bb.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        self.buttons = bb
        lay.addWidget(bb)
        self.setTabOrder(self.autolock, self.theme)
        self.setTabOrder(self.theme, self.language)
        self.autolock.setFocus()

    def accept(self) -> None:
        self.settings.autolock_minutes = self.autolock.value()
        self.settings.theme = THEMES[self.theme.currentIndex()]
        self.settings.language = i18n.LANGUAGES[self.language.currentIndex()]
        super().accept()
