"""Pieces the record-editing windows share: refreshing every view after a change, an undo notice in the
status bar, and the inline red error line of forms.

Kept apart from ``ext_records`` so the dialogs and views can use them without importing the installer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QStatusBar, QWidget

UNDO_SECONDS = 12


def refresh_views(window: Any) -> None:
    """Every view is stale after records changed; the visible one refills now.

    Uses the same road as the main window after an import (people may have changed too)."""
    views = getattr(window, "views", {})
    for v in views.values():
        v._stale = True
    after = getattr(window, "_after_import", None)
    if callable(after):
        after()
        return
    stack = getattr(window, "stack", None)
    current = stack.currentWidget() if stack is not None else None
    if current is not None and hasattr(current, "refresh_if_stale"):
        current.refresh_if_stale()


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


def undo_notice(window: QWidget) -> UndoNotice | None:
    """The window's undo notice (made by ``ext_records.install``), if any."""
    return getattr(window, "records_undo", None)
