"""What a screen reader says for a row: one sentence per record, in the current language.

``row_sentence`` gives the AccessibleTextRole ("Potassium 4.3 mmol/L, high, 24 October 2026, Rosa
Martinez") and ``row_description`` the AccessibleDescriptionRole (the kind and the grey facts line).
The timeline and encounter views use them through small subclasses of the models
(``AccessibleTimelineModel``, ``AccessibleEncounterModel`` below); ``models.py`` can call the same two
functions from its own ``data()`` later and the subclasses then go away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from ..services.session import Row
from . import fmt
from .icons import KIND_SINGULAR
from .models import COL_DATE, COL_ITEMS, EncounterModel, Roles, SearchModel, TimelineModel

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("A11y", text)


def flag_phrase(row: Row, flag: str | None = None) -> str:
    """'high', 'low', 'abnormal', 'normal' (a result inside its range) or '' (nothing to say)."""
    if row.kind != "observation":
        return ""
    flag = fmt.flag_of(row) if flag is None else flag
    words = {
        "H": translate("A11y", "high"),
        "HH": translate("A11y", "critically high"),
        "L": translate("A11y", "low"),
        "LL": translate("A11y", "critically low"),
        "A": translate("A11y", "abnormal"),
        "AA": translate("A11y", "critically abnormal"),
    }
    if flag:
        return words.get(flag.upper(), translate("A11y", "flagged {flag}").format(flag=flag))
    d = row.data
    if row.value_num is not None and (d.get("ref_low") is not None or d.get("ref_high") is not None):
        return translate("A11y", "normal")
    return ""


def row_sentence(row: Row, person: str = "") -> str:
    """One record read aloud: what, the value and its flag for results, when, and whose."""
    parts: list[str] = []
    if row.kind == "observation":
        value = fmt.value_text(row)
        parts.append(f"{row.title} {value}".strip())
        flag = flag_phrase(row)
        if flag:
            parts.append(flag)
    else:
        kind = KIND_SINGULAR.get(row.kind) or row.kind
        parts.append(translate("A11y", "{kind}: {title}").format(kind=kind, title=row.title) if row.title else kind)
    parts.append(fmt.fmt_long(row.date))
    if person:
        parts.append(person)
    return ", ".join(p for p in parts if p)


def row_description(row: Row) -> str:
    """The kind and the facts line ("Result; Lab, reference 3.5–5.1")."""
    kind = KIND_SINGULAR.get(row.kind) or row.kind
    sub = fmt.subtitle(row)
    return f"{kind}; {sub.replace(' · ', ', ')}" if sub else kind


class AccessibleTimelineModel(TimelineModel):
    """TimelineModel whose rows read as sentences (day headers as the long date)."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            if not index.isValid():
                return None
            e = super().data(index, Roles.Entry)
            if e is None:  # a day header
                day = super().data(index, Roles.Day)
                return fmt.fmt_long(day) if role == Qt.ItemDataRole.AccessibleTextRole else translate("A11y", "Day")
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                return row_description(e.row)
            p = self.person(e.person_id)
            return row_sentence(e.row, p.name if p is not None else "")
        return super().data(index, role)


class AccessibleEncounterModel(EncounterModel):
    """EncounterModel whose every cell reads as the whole visit's sentence (a row is one visit), with
    its headings and the length of a stay in the language in use."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() == COL_DATE:
            e = super().data(index, Roles.Entry)
            if e is not None:
                start, end = fmt.parse_day(e.row.date), fmt.parse_day(e.row.date_end)
                days = (end - start).days + 1 if start and end and end > start else 0
                stay = QCoreApplication.translate("A11y", "%n days", None, days) if days else ""
                return fmt.fmt_day(e.row.date) + (f" ({stay})" if stay else "")
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            e = super().data(index, Roles.Entry) if index.isValid() else None
            if e is None:
                return None
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                items = super().data(self.index(index.row(), COL_ITEMS), Qt.ItemDataRole.DisplayRole)
                return QCoreApplication.translate("A11y", "%n linked item(s)", None, int(items or 0))
            p = self._people.get(e.person_id)
            d = e.row.data
            parts = [
                e.row.title,
                fmt.fmt_long(e.row.date),
                d.get("provider") or d.get("practitioner") or "",
                p.name if p is not None else "",
            ]
            return ", ".join(x for x in parts if x)
        return super().data(index, role)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        value = super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and value:
            return QCoreApplication.translate("EncounterHeaders", str(value))
        return value


class AccessibleSearchModel(SearchModel):
    """SearchModel whose hits read as the record's sentence, the matched words as the description."""

    def __init__(self, parent: Any = None, name_of: Any = None) -> None:
        super().__init__(parent)
        self.name_of = name_of or (lambda pid: "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            e = super().data(index, Roles.Entry) if index.isValid() else None
            if e is None:
                return None
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return row_sentence(e.row, self.name_of(e.person_id))
            snippet = (e.snippet or "").replace("[", "").replace("]", "")
            return snippet or row_description(e.row)
        return super().data(index, role)


# models.ENCOUNTER_HEADERS, marked here for the translation files until models.py marks them itself.
_ENCOUNTER_HEADERS = (
    QT_TRANSLATE_NOOP("EncounterHeaders", "Date"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Visit"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Provider"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Person"),
    QT_TRANSLATE_NOOP("EncounterHeaders", "Items"),
)
