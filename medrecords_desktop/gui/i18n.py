"""Languages: which one the app speaks, and loading Qt's translators for it.

Strings are marked in the code with ``self.tr()`` (QObject subclasses) or
``QCoreApplication.translate("Context", ...)`` (module-level code); ``scripts/update-translations``
extracts them with ``pyside6-lupdate`` into ``resources/i18n/medrecords_<lang>.ts`` and compiles the
``.qm`` files shipped in the package.  Qt's own ``qtbase_<lang>.qm`` (standard dialog buttons such as
Cancel/Save, calendar and file dialogs) comes from PySide6's translations folder.

The language follows the system locale unless Settings › Language says otherwise; the environment
variable ``MEDRECORDS_LANG`` (``en``, ``es``) overrides both (tests, screenshots).  A change in Settings
applies on the next start.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[1] / "resources" / "i18n"
# The choice stored in settings; "system" follows the system locale.
LANGUAGES = ("system", "en", "es")
SUPPORTED = ("en", "es")

_installed: list[QTranslator] = []
_current = "en"
_locale_name = "en_US"  # dates and numbers stay English until install() chose a language


def language_names() -> list[str]:
    """What the Settings combo shows for LANGUAGES, in order (each language in its own name)."""
    return [QCoreApplication.translate("Language", "Follow the system"), "English", "Español"]


def resolve(choice: str | None) -> str:
    """The language code to use for a stored choice: env override, then the choice, then the system."""
    env = (os.environ.get("MEDRECORDS_LANG") or "").strip().lower()[:2]
    if env in SUPPORTED:
        return env
    if choice in SUPPORTED:
        return str(choice)
    system = QLocale.system().name()[:2].lower()
    return system if system in SUPPORTED else "en"


def current() -> str:
    return _current


def locale() -> QLocale:
    """The locale dates and numbers are written in (no thousands separators: values read back)."""
    loc = QLocale(_locale_name)
    loc.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return loc


def install(app: QCoreApplication, choice: str | None = None) -> str:
    """Load the translators for ``choice`` (or the system language); returns the language in use.

    Calling it again replaces the translators installed before (tests switch languages)."""
    global _current, _locale_name
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    lang = resolve(choice)
    _current = lang
    _locale_name = "en_US" if lang == "en" else lang
    QLocale.setDefault(QLocale(_locale_name))  # Qt's own widgets (calendar, spin boxes) follow too
    if lang == "en":
        return lang
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_dir), (f"medrecords_{lang}", str(I18N_DIR))):
        t = QTranslator(app)
        if t.load(name, folder):
            app.installTranslator(t)
            _installed.append(t)
    return lang
