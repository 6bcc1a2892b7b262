"""The main window's views.  Each takes a ViewContext (service, people, selected person) and can clear()."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from ...services.records import RecordService
from ..models import PersonInfo


@dataclass
class ViewContext:
    records: RecordService | None = None
    people: dict[str, PersonInfo] = field(default_factory=dict)
    person: str | None = None  # None = everyone

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

    def refresh(self) -> None:  # pragma: no cover - overridden
        pass

    def clear(self) -> None:  # pragma: no cover - overridden
        self.ctx = ViewContext()
        self._stale = True
