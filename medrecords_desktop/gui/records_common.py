"""Pieces the record-editing windows share: an undo notice in the status bar, and the inline red error
line of forms. (Views refresh themselves after a write: ``ops.Changed`` through the shell's ``changed``.)

Kept apart from ``ext_records`` so the dialogs and views can use them without importing the installer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QStatusBar

UNDO_SECONDS = 12


def error_label() -> QLabel:
    """The red line under a form that says what is wrong (the dialog stays open)."""
    lab = QLabel()
    lab.setObjectName("ErrorLabel")
    lab.setWordWrap(True)
    lab.hide()
    return lab


def show_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


class UndoNotice:
    """A status-bar message with an Undo button, for changes that are easy to take back."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.bar: QStatusBar = window.statusBar()
        self.button = QPushButton(QCoreApplication.translate("UndoNotice", "Undo"))
        self.button.setObjectName("UndoButton")
        self.button.setAccessibleName(QCoreApplication.translate("UndoNotice", "Undo the last change"))
        self.button.hide()
        self.bar.addPermanentWidget(self.button)
        self.button.clicked.connect(self._undo)
        self._action: Callable[[], object] | None = None
        self._timer = QTimer(self.button)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)

    def show(self, text: str, undo: Callable[[], object] | None) -> None:
        self._action = undo
        self.bar.showMessage(text, UNDO_SECONDS * 1000)
        self.button.setVisible(undo is not None)
        self._timer.start(UNDO_SECONDS * 1000)

    def dismiss(self) -> None:
        self._action = None
        self.button.hide()

    def _undo(self) -> None:
        action, self._action = self._action, None
        self.button.hide()
        self.bar.clearMessage()
        if action is not None:
            action()

    @property
    def pending(self) -> bool:
        return self._action is not None
