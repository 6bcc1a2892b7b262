"""The main window's views.  Each takes a ViewContext (the session, people, selected person) and can clear().

A view gets its services from ``ctx.session`` (made at unlock) and never builds one. When a write
finished anywhere (``ops.Changed`` through the shell's ``changed`` signal), ``on_changed`` marks it stale;
the window refills the one shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QWidget

from ...services.records import RecordService
from ...services.session import Session
from ..models import PersonInfo


@dataclass
class ViewContext:
    records: RecordService | None = None
    people: dict[str, PersonInfo] = field(default_factory=dict)
    person: str | None = None  # None = everyone
    session: Session | None = None

    def __post_init__(self) -> None:
        if self.session is None and self.records is not None:  # a view shown alone, given a RecordService
            self.session = Session(self.records.vault, records=self.records)
        elif self.records is None and self.session is not None:
            self.records = self.session.records

    def name_of(self, pid: str) -> str:
        p = self.people.get(pid)
        return p.name if p else ""


class View(QWidget):
    """Base: ``set_context`` is called on unlock and whenever the person changes; ``clear`` on lock."""

    title = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ViewContext()
        self._stale = True

    def set_context(self, ctx: ViewContext, visible: bool) -> None:
        self.ctx = ctx
        self._stale = True
        if visible:
            self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self._stale and self.ctx.records is not None:
            self._stale = False
            self.refresh()

    # A view that shows the audit log reads again after any write; the others not when the write only
    # appended to the log (opening a record audits it: the view it was opened from keeps its selection).
    shows_audit = False

    def on_changed(self, changed: Any = None) -> None:
        """A write finished (an ``ops.Changed``): read again when next shown."""
        what = getattr(changed, "what", None)
        if what is not None and what <= {"audit"} and not self.shows_audit:
            return
        self._stale = True

    def refresh(self) -> None:  # pragma: no cover - overridden
        pass

    def clear(self) -> None:  # pragma: no cover - overridden
        self.ctx = ViewContext()
        self._stale = True
