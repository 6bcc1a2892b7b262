"""A focus ring that every style shows: keyboard users must always see where they are.

Qt leaves the focus indicator to the style, and several styles (and our own style sheet, which gives
lists, tables and the sidebar their flat look) draw none on buttons, tool buttons, lists or charts.
One ring per application follows the focus: a frame in the theme's accent colour drawn just around
the focused control, on top of it, transparent to the mouse and never focusable itself.  It moves with
the control (resize, move, scroll), and hides when the control hides.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from . import theme

MARGIN = 2  # the ring is drawn this far outside the control's edge (and as far inside)


class FocusRing(QWidget):
    """The ring itself: a child of the focused control's parent, sized to the control plus MARGIN."""

    def __init__(self) -> None:
        super().__init__(None)
        self.setObjectName("FocusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("")  # decoration only: screen readers announce the control, not the ring
        self.target: QWidget | None = None

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = 3 if theme.is_high_contrast() else 2
        p.setPen(QPen(QColor(theme.colors().accent), width))
        half = width / 2
        p.drawRoundedRect(self.rect().toRectF().adjusted(half, half, -half, -half), 4, 4)
        p.end()

    def place(self) -> None:
        w = self.target
        if w is None or not shiboken6.isValid(w) or not w.isVisible():
            self.hide()
            return
        self.setGeometry(w.geometry().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        self.raise_()
        self.show()


def _shown_widget(w: QWidget) -> QWidget:
    """The control a person sees for the focus widget: a scroll area's viewport is its view."""
    parent = w.parentWidget()
    if parent is not None and isinstance(parent, QAbstractScrollArea) and parent.viewport() is w:
        return parent
    return w


class FocusRingFollower(QObject):
    """Moves the application's one ring to whichever control has the focus."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        app.focusChanged.connect(self.follow)

    def _ring(self) -> FocusRing:
        if self.ring is None or not shiboken6.isValid(self.ring):  # its parent was deleted with it
            self.ring = FocusRing()
        return self.ring

    def follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        ring = self._ring()
        old_target = ring.target
        if old_target is not None and shiboken6.isValid(old_target):
            old_target.removeEventFilter(self)
        ring.target = None
        if new is None or not shiboken6.isValid(new) or new is ring:
            ring.hide()
            return
        shown = _shown_widget(new)
        parent = shown.parentWidget()
        if parent is None or shown.isWindow():  # a window itself has the focus: nothing to ring
            ring.hide()
            return
        if ring.parentWidget() is not parent:
            ring.setParent(parent)
        ring.target = shown
        shown.installEventFilter(self)
        ring.place()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        ring = self.ring
        if (
            ring is not None
            and shiboken6.isValid(ring)
            and obj is ring.target
            and event.type()
            in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.ZOrderChange)
        ):
            ring.place()
        return False


def install(app: QApplication) -> FocusRingFollower:
    """Give ``app`` its focus ring (once; calling again returns the one installed)."""
    existing = app.findChild(FocusRingFollower)
    return existing if existing is not None else FocusRingFollower(app)
