"""Qt item models over the record service: they hold a page of rows at a time and fetch more on demand.

The timeline model is a flat list of day-header rows and item rows, filled by keyset paging
(``RecordService.timeline(after=cursor)``) from ``fetchMore``: opening a million-item vault costs one
page, and scrolling costs one page per 200 rows.  Sorting and filtering happen in SQL (a new query),
never in a proxy over Python lists.  Column constants and named roles follow Vorta's table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from ..services.importing import ImportRecord
from ..services.records import Cursor, Entry, RecordService
from . import fmt, theme
from .icons import KIND_SINGULAR, kind_icon
from .sentences import row_description, row_sentence

Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls
_TEXT, _DESCRIPTION = Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole


# The sidebar lists' role (people list: a person's id; view list: a view's name).  Here, not in
# main_window, so that the extensions read it without importing the window.
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


class Roles(IntEnum):
    Entry = Qt.ItemDataRole.UserRole + 1  # the services.records.Entry of an item row (None on headers)
    Kind = Qt.ItemDataRole.UserRole + 2
    Day = Qt.ItemDataRole.UserRole + 3  # 'YYYY-MM-DD'
    IsHeader = Qt.ItemDataRole.UserRole + 4
    ItemId = Qt.ItemDataRole.UserRole + 5
    PersonId = Qt.ItemDataRole.UserRole + 6
    Subtitle = Qt.ItemDataRole.UserRole + 7
    Value = Qt.ItemDataRole.UserRole + 8
    Flag = Qt.ItemDataRole.UserRole + 9
    Time = Qt.ItemDataRole.UserRole + 10
    Snippet = Qt.ItemDataRole.UserRole + 11


@dataclass
class PersonInfo:
    """How a person is shown: name and colour (names are shown, never stored outside the vault)."""

    id: str
    name: str
    color: str


@dataclass
class TimelineQuery:
    person: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    kinds: list[str] | None = None


@dataclass(slots=True)
class _TRow:
    day: str
    entry: Entry | None
    sub: str | None = None  # computed on first paint
    value: str | None = None
    flag: str | None = None


class TimelineModel(QAbstractListModel):
    """Newest first, one header row per day, item rows under it; pages fetched on demand."""

    PAGE = 200

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: RecordService | None = None
        self._people: dict[str, PersonInfo] = {}
        self._query = TimelineQuery()
        self._rows: list[_TRow] = []
        self._cursor: Cursor | None = None
        self._done = True
        self.items_loaded = 0

    # ------------------------------------------------------------------ control
    def set_source(self, records: RecordService | None, people: dict[str, PersonInfo]) -> None:
        self._records, self._people = records, people

    def query(self) -> TimelineQuery:
        return self._query

    def set_query(self, q: TimelineQuery) -> None:
        """A new query; its first page is loaded inside the reset (one signal, not reset + insert)."""
        self.beginResetModel()
        self._query = q
        self._rows, self._cursor, self.items_loaded = [], None, 0
        self._done = self._records is None
        if not self._done:
            self._rows = self._next_page()
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row and the service (lock)."""
        self.beginResetModel()
        self._records, self._people = None, {}
        self._rows, self._cursor, self._done, self.items_loaded = [], None, True, 0
        self.endResetModel()

    def entry_at(self, row: int) -> Entry | None:
        return self._rows[row].entry if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: str) -> int:
        for n, r in enumerate(self._rows):
            if r.entry is not None and r.entry.id == item_id:
                return n
        return -1

    # ------------------------------------------------------------------ paging
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._done and self._records is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        new = self._next_page()
        if not new:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()

    def _next_page(self) -> list[_TRow]:
        """The rows of the next keyset page (a header row before each new day); updates the cursor."""
        assert self._records is not None
        q = self._query
        page = self._records.timeline(q.person, q.date_from, q.date_to, q.kinds, limit=self.PAGE, after=self._cursor)
        if len(page) < self.PAGE:
            self._done = True
        if not page:
            return []
        self._cursor = RecordService.cursor_of(page[-1])
        self.items_loaded += len(page)
        last_day = self._rows[-1].day if self._rows else None
        new: list[_TRow] = []
        for e in page:
            day = e.row.date[:10]
            if day != last_day:
                new.append(_TRow(day, None))
                last_day = day
            new.append(_TRow(day, e))
        return new

    # ------------------------------------------------------------------ data
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].entry is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        e = r.entry
        if role == Roles.IsHeader:
            return e is None
        if role == Roles.Day:
            return r.day
        if e is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return fmt.fmt_day(r.day)
            if role == _TEXT:  # a day header reads as the long date
                return fmt.fmt_long(r.day)
            if role == _DESCRIPTION:
                return translate("A11y", "Day")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return e.row.title
        if role == Roles.Entry:
            return e
        if role == Roles.Kind:
            return e.row.kind
        if role == Roles.ItemId:
            return e.id
        if role == Roles.PersonId:
            return e.person_id
        if role == Roles.Time:
            return fmt.fmt_time(e.row.date)
        if role in (Roles.Subtitle, Roles.Value, Roles.Flag, Qt.ItemDataRole.ToolTipRole):
            if r.sub is None:
                r.sub, r.value, r.flag = fmt.subtitle(e.row), fmt.value_text(e.row), fmt.flag_of(e.row)
            if role == Roles.Subtitle:
                return r.sub
            if role == Roles.Value:
                return r.value
            if role == Roles.Flag:
                return r.flag
            return translate("A11y", "{kind}: {title}").format(
                kind=KIND_SINGULAR.get(e.row.kind, e.row.kind), title=e.row.title
            )
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_icon(e.row.kind)
        if role == _TEXT:  # "Potassium 6.3 mmol/L, high, 24 October 2026, Rosa Martinez"
            p = self._people.get(e.person_id)
            return row_sentence(e.row, p.name if p is not None else "")
        if role == _DESCRIPTION:
            return row_description(e.row)
        return None

    def person(self, pid: str) -> PersonInfo | None:
        return self._people.get(pid)


# ---------------------------------------------------------------------- encounters
COL_DATE, COL_VISIT, COL_PROVIDER, COL_PERSON, COL_ITEMS = range(5)
ENCOUNTER_HEADERS = (
    QT_TRANSLATE_NOOP("EncounterHeaders", "Date"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Visit"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Provider"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Person"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Items"),
)


@dataclass
class EncounterQuery:
    person: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    provider: str | None = None


class _Table(QAbstractTableModel):
    """A table over ``self._rows`` with the column titles ``HEADERS`` (English, QT_TRANSLATE_NOOP-marked in
    the context ``HEADER_CONTEXT``; shown translated)."""

    HEADERS: tuple[str, ...] = ()
    HEADER_CONTEXT = ""
    _rows: list[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if not 0 <= section < len(self.HEADERS):
                return None
            return (
                translate(self.HEADER_CONTEXT, self.HEADERS[section]) if self.HEADER_CONTEXT else self.HEADERS[section]
            )
        return None


class EncounterModel(_Table):
    """Visits newest first, paged like the timeline, each with its number of linked items."""

    PAGE = 100
    HEADERS = ENCOUNTER_HEADERS
    HEADER_CONTEXT = "EncounterHeaders"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: RecordService | None = None
        self._people: dict[str, PersonInfo] = {}
        self._query = EncounterQuery()
        self._rows: list[tuple[Entry, int]] = []
        self._cursor: Cursor | None = None
        self._done = True

    def set_source(self, records: RecordService | None, people: dict[str, PersonInfo]) -> None:
        self._records, self._people = records, people

    def set_query(self, q: EncounterQuery) -> None:
        self.beginResetModel()
        self._query, self._rows, self._cursor = q, [], None
        self._done = self._records is None
        if not self._done:
            self._rows = self._next_page()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._records, self._people, self._rows, self._cursor, self._done = None, {}, [], None, True
        self.endResetModel()

    def entry_at(self, row: int) -> Entry | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._done and self._records is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        page = self._next_page()
        if not page:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def _next_page(self) -> list[tuple[Entry, int]]:
        assert self._records is not None
        q = self._query
        page = self._records.encounters(
            q.person, q.date_from, q.date_to, q.provider or None, limit=self.PAGE, after=self._cursor
        )
        if len(page) < self.PAGE:
            self._done = True
        if page:
            self._cursor = RecordService.cursor_of(page[-1][0])
        return page

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e, n = self._rows[index.row()]
        col = index.column()
        if role == Roles.Entry:
            return e
        if role == Roles.ItemId:
            return e.id
        if role == Roles.Kind:
            return "encounter"
        if role == Qt.ItemDataRole.DisplayRole:
            d = e.row.data
            if col == COL_DATE:
                start, end = fmt.parse_day(e.row.date), fmt.parse_day(e.row.date_end)
                days = (end - start).days + 1 if start and end and end > start else 0
                stay = translate("A11y", "%n days", None, days) if days else ""  # a stay, e.g. "(5 days)"
                return fmt.fmt_day(e.row.date) + (f" ({stay})" if stay else "")
            if col == COL_VISIT:
                return e.row.title
            if col == COL_PROVIDER:
                return d.get("provider") or d.get("practitioner") or ""
            if col == COL_PERSON:
                p = self._people.get(e.person_id)
                return p.name if p else ""
            if col == COL_ITEMS:
                return n
        if role == _TEXT:  # every cell reads as the whole visit: a row is one visit
            p = self._people.get(e.person_id)
            d = e.row.data
            parts = [
                e.row.title,
                fmt.fmt_long(e.row.date),
                d.get("provider") or d.get("practitioner") or "",
                p.name if p else "",
            ]
            return ", ".join(x for x in parts if x)
        if role == _DESCRIPTION:
            return translate("A11y", "%n linked item(s)", None, int(n or 0))
        if role == Qt.ItemDataRole.DecorationRole and col == COL_VISIT:
            return kind_icon("encounter")
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ITEMS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_PERSON:
            p = self._people.get(e.person_id)
            return QColor(p.color) if p else None
        return None


# ---------------------------------------------------------------------- lab results
LCOL_DATE, LCOL_PERSON, LCOL_TEST, LCOL_VALUE, LCOL_FLAG, LCOL_RANGE = range(6)
LAB_HEADERS = (
    QT_TRANSLATE_NOOP("LabHeaders", "Date"),
    QT_TRANSLATE_NOOP("LabHeaders", "Person"),
    QT_TRANSLATE_NOOP("LabHeaders", "Test"),
    QT_TRANSLATE_NOOP("LabHeaders", "Result"),
    QT_TRANSLATE_NOOP("LabHeaders", "Flag"),
    QT_TRANSLATE_NOOP("LabHeaders", "Reference range"),
)


class LabResultsModel(_Table):
    """The results of the chosen test(s): one test's series is small (one row per draw)."""

    HEADERS = LAB_HEADERS
    HEADER_CONTEXT = "LabHeaders"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Entry, str]] = []  # (entry, flag)
        self._people: dict[str, PersonInfo] = {}

    def set_entries(self, entries: list[Entry], people: dict[str, PersonInfo]) -> None:
        self.beginResetModel()
        self._people = people
        ordered = sorted(entries, key=lambda e: e.row.date, reverse=True)
        self._rows = [(e, fmt.flag_of(e.row)) for e in ordered]
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([], {})

    def entry_at(self, row: int) -> Entry | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e, flag = self._rows[index.row()]
        col = index.column()
        if role == Roles.Entry:
            return e
        if role == Roles.Flag:
            return flag
        if role == _TEXT:  # every cell reads as the whole result
            p = self._people.get(e.person_id)
            return row_sentence(e.row, p.name if p else "")
        if role == _DESCRIPTION:
            rng = fmt.fmt_range(e.row.data)
            unit = fmt.display_unit(e.row.unit) or ""
            return (
                translate("A11y", "Reference range {range}").format(range=f"{rng} {unit}".strip())
                if rng
                else row_description(e.row)
            )
        if role == Qt.ItemDataRole.DisplayRole:
            if col == LCOL_DATE:
                return fmt.fmt_day(e.row.date)
            if col == LCOL_PERSON:
                p = self._people.get(e.person_id)
                return p.name if p else ""
            if col == LCOL_TEST:
                return e.row.title
            if col == LCOL_VALUE:
                return fmt.value_text(e.row)
            if col == LCOL_FLAG:
                return {"H": "▲ H", "L": "▼ L", "HH": "▲▲ HH", "LL": "▼▼ LL"}.get(flag, flag)
            if col == LCOL_RANGE:
                rng = fmt.fmt_range(e.row.data)
                return f"{rng} {fmt.display_unit(e.row.unit) or ''}".strip() if rng else ""
        if role == Qt.ItemDataRole.ForegroundRole and flag and col in (LCOL_VALUE, LCOL_FLAG):
            return QColor(theme.colors().abnormal)
        if role == Qt.ItemDataRole.FontRole and flag and col in (LCOL_VALUE, LCOL_FLAG):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.TextAlignmentRole and col == LCOL_VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# ---------------------------------------------------------------------- search results
class SearchModel(QAbstractListModel):
    """Full-text hits (the service returns the top 50 ranked; no paging needed)."""

    def __init__(self, parent: Any = None, name_of: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Entry] = []
        self.text = ""
        self.name_of = name_of or (lambda pid: "")  # a person's id -> name, for the spoken sentence

    def set_results(self, text: str, entries: list[Entry]) -> None:
        self.beginResetModel()
        self.text, self._rows = text, list(entries)
        self.endResetModel()

    def clear(self) -> None:
        self.set_results("", [])

    def entry_at(self, row: int) -> Entry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.row.title
        if role == Roles.Entry:
            return e
        if role == Roles.Kind:
            return e.row.kind
        if role == Roles.ItemId:
            return e.id
        if role == Roles.Snippet:
            return e.snippet or ""
        if role == Roles.Day:
            return e.row.date[:10]
        if role == Roles.PersonId:
            return e.person_id
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_icon(e.row.kind)
        if role == _TEXT:
            return row_sentence(e.row, self.name_of(e.person_id))
        if role == _DESCRIPTION:  # the matched words, or the facts line
            snippet = (e.snippet or "").replace("[", "").replace("]", "")
            return snippet or row_description(e.row)
        return None


# ---------------------------------------------------------------------- import history
HCOL_WHEN, HCOL_PERSON, HCOL_SOURCE, HCOL_FORMAT, HCOL_ADDED, HCOL_STATUS = range(6)
HISTORY_HEADERS = (
    QT_TRANSLATE_NOOP("HistoryHeaders", "Imported"),
    QT_TRANSLATE_NOOP("HistoryHeaders", "Person"),
    QT_TRANSLATE_NOOP("HistoryHeaders", "Source"),
    QT_TRANSLATE_NOOP("HistoryHeaders", "Format"),
    QT_TRANSLATE_NOOP("HistoryHeaders", "Added"),
    QT_TRANSLATE_NOOP("HistoryHeaders", "Status"),
)
# An import's status (services/importing.py) as shown.
HISTORY_STATUS = {
    "ok": QT_TRANSLATE_NOOP("HistoryStatus", "Imported"),
    "running": QT_TRANSLATE_NOOP("HistoryStatus", "Interrupted"),
    "failed": QT_TRANSLATE_NOOP("HistoryStatus", "Failed"),
    "undone": QT_TRANSLATE_NOOP("HistoryStatus", "Undone"),
    "moved": QT_TRANSLATE_NOOP("HistoryStatus", "Moved to another person"),
    "rolled back": QT_TRANSLATE_NOOP("HistoryStatus", "Rolled back"),
}


class HistoryModel(_Table):
    HEADERS = HISTORY_HEADERS
    HEADER_CONTEXT = "HistoryHeaders"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ImportRecord] = []

    def set_rows(self, rows: list[ImportRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, n: int) -> ImportRecord | None:
        return self._rows[n] if 0 <= n < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == _TEXT:  # every cell reads as the whole import
            text = translate("HistoryStatus", "{source}, imported {when} for {person}: {added}, {status}")
            return text.format(
                source=r.source_name or "",
                when=self._when(r),
                person=r.person,
                added=_added(r.counts) or translate("HistoryStatus", "nothing added"),
                status=self._status(r),
            )
        if role == _DESCRIPTION:
            return r.format or r.source_kind or ""
        if role == Qt.ItemDataRole.DisplayRole:
            if col == HCOL_WHEN:
                return self._when(r)
            if col == HCOL_PERSON:
                return r.person
            if col == HCOL_SOURCE:
                return r.source_name or ""
            if col == HCOL_FORMAT:
                return r.format or r.source_kind or ""
            if col == HCOL_ADDED:
                return _added(r.counts)
            if col == HCOL_STATUS:
                return self._status(r)
        return None

    @staticmethod
    def _when(r: ImportRecord) -> str:
        started = r.started or ""
        return f"{fmt.fmt_day(started)} {started[11:16]}".strip()

    @staticmethod
    def _status(r: ImportRecord) -> str:
        status = r.status or ""
        return translate("HistoryStatus", HISTORY_STATUS[status]) if status in HISTORY_STATUS else status.capitalize()


def _added(counts: str | None) -> str:
    import json

    if not counts:
        return ""
    try:
        d = json.loads(counts)
    except ValueError:
        return ""
    total = sum(v for k, v in d.items() if isinstance(v, int) and k != "kept_not_shown")
    # English needs no .qm for its plural: the source text is picked by the count
    text = (
        translate("HistoryStatus", "%n item", "", total)
        if total == 1
        else translate("HistoryStatus", "%n items", "", total)
    )
    return text.replace(str(total), fmt.fmt_count(total), 1)
