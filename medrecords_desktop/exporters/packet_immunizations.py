"""The appointment packet's "Due at this visit" section: the vaccine groups that are overdue or due
on the day the packet is prepared, and those coming up in the next weeks, from the immunization
forecast (CDC CDSi). The rows are plain dicts made by services/exporting.py; this module only lays
them out, with the same table helpers as the rest of the summary.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from medrecords_desktop.exporters.packet_i18n import day, t, words

STATE_WORDS = {"overdue": "OVERDUE", "due": "Due now", "due-soon": "Due soon"}  # English keys of packet_i18n


def due_section(data: Any, table: Any, para: Any, styles: dict[str, Any], abnormal: Any) -> list[Flowable]:
    """``table``/``para``/``styles`` are packet_layout's helpers, passed in to avoid an import cycle."""
    rows_in = getattr(data, "due", None)
    notice = getattr(data, "due_notice", "") or ""
    if rows_in is None:
        return [Paragraph(t("None recorded."), styles["none"])]  # immunizations not chosen for this packet
    out: list[Flowable] = []
    if notice:
        out.append(para(notice, styles["none"]))
    if not rows_in:
        out.append(Paragraph(t("Nothing is due or overdue by the immunizations in this record."), styles["none"]))
        return out
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    red = ParagraphStyle("due-overdue", parent=styles["bold"], textColor=abnormal)
    for r in rows_in:
        overdue = r["state"] == "overdue"
        rows.append(
            [
                para(r["group"], red if overdue else styles["bold"]),
                para(t(STATE_WORDS.get(r["state"], r["state"])), red if overdue else styles["base"]),
                para(r.get("dose") or ""),
                para(day(r.get("recommended"))),
                para(day(r.get("past_due"))),
                para(", ".join(r.get("vaccines") or [])[:120]),
            ]
        )
    out.append(
        table(
            words("Vaccine group", "Status", "Next dose", "Recommended", "Past due", "Vaccine to give"),
            rows,
            (18, 10, 9, 14, 12, 37),
            extra,
        )
    )
    return out
