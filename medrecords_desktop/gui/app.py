"""Start the desktop app: QApplication, language, theme, the bug hook, and the main window on the right page."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from . import focus_ring, i18n, theme
from .icons import app_icon
from .main_window import MainWindow
from .settings import AppSettings


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An exception escaped a slot: a bug.  Say so without printing values (they may be health data)."""
    if os.environ.get("MEDRECORDS_DEBUG"):
        sys.__excepthook__(kind, exc, tb)
    else:
        print(f"medrecords: internal error ({kind.__name__}); this is a bug.", file=sys.stderr)
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("App", "MedRecords — internal error"),
            QCoreApplication.translate(
                "App",
                "Internal error (bug): {name}.\n\nYour records are safe. If this keeps "
                "happening, please report it (no health data is included in this message).",
            ).format(name=kind.__name__),
        )


def install_excepthook() -> None:
    sys.excepthook = _excepthook


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName("MedRecords")
    app.setOrganizationName("MedRecords")
    app.setApplicationDisplayName("MedRecords")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("org.medrecords.MedRecords")  # Wayland docks match the .desktop file (its icon) by this
    return app


def install_language(app: QApplication, settings: AppSettings) -> str:
    """Load the translators for the language chosen in Settings (or the system's); see ``i18n``."""
    return i18n.install(app, settings.language)


def apply_theme(app: QApplication, settings: AppSettings) -> None:
    t = settings.theme
    theme.apply(app, None if t == "system" else t == "dark")
    focus_ring.install(app)  # focus always visible, whatever the style draws


def default_dirs(args: argparse.Namespace | None) -> tuple[Path, Path]:
    from ..fsutil import default_vault_dir

    vault = Path(args.vault) if args is not None and getattr(args, "vault", None) else default_vault_dir()
    return vault, vault.parent / "demo-vault"


def build_window(
    args: argparse.Namespace | None = None, demo_path: Path | None = None, settings: AppSettings | None = None
) -> MainWindow:
    app = make_app()
    settings = settings or AppSettings()
    install_language(app, settings)
    apply_theme(app, settings)
    vault_dir, demo_dir = default_dirs(args)
    if demo_path is not None:
        demo_dir = Path(demo_path)
    win = MainWindow(vault_dir, demo_dir, settings)
    if demo_path is not None:
        win.unlock.open_demo()
    else:
        win.start((vault_dir / "vault.json").exists())
    return win


def run(args: argparse.Namespace | None = None, demo_path: Path | None = None) -> int:
    app = make_app(sys.argv[:1])
    install_excepthook()
    win = build_window(args, demo_path)
    win.show()
    if os.environ.get("MEDRECORDS_EXIT_AFTER_SHOW") == "1":  # start-up timing: quit once the window has painted
        QTimer.singleShot(0, lambda: (win.repaint(), app.quit()))
    else:  # once the unlock screen is painted: the worker then never imports a native library first
        from .prewarm import prewarm

        QTimer.singleShot(200, prewarm)
    app.styleHints().colorSchemeChanged.connect(lambda _s: apply_theme(app, win.settings))
    acc = getattr(app.styleHints(), "accessibility", None)  # Qt 6.10+: the system's high-contrast switch
    if acc is not None:
        acc().contrastPreferenceChanged.connect(lambda _p: apply_theme(app, win.settings))
    return app.exec()
