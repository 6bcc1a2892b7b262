"""What a screen reader says for a record: one sentence per row, in the current language.

``row_sentence`` gives the AccessibleTextRole ("Potassium 4.3 mmol/L, high, 24 October 2026, Rosa
Martinez") and ``row_description`` the AccessibleDescriptionRole (the kind and the grey facts line).
The item models (models.py) call them from ``data()``; this module imports no model, so no cycle.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..services.session import Row
from . import fmt
from .icons import KIND_SINGULAR

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


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
