"""The lab-report service: results proposed from a stored document, and the rows a person kept saved.

The reading itself (names, values, units, ranges, flags, a page's rows and columns) lives in
``importers.labreport``; this module fetches a stored document (its text, its PDF text layer with word
positions, or its pages recognised now) for that reader, and writes confirmed rows as laboratory
Observations linked back to the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, NotFound
from ..importers.labreport import LOINC, ProposedRow, propose_results
from ..model.units import code_for_unit

if TYPE_CHECKING:
    from ..progress import CancelToken
    from ..vault.vault import Vault

__all__ = ["ProposedRow", "confirm_results", "propose_results", "results_from_document"]


def _document(vault: Vault, item_id: str) -> Any:
    from ..model.records import Document
    from .records import RecordService

    item = RecordService(vault).item(item_id, with_raw=False)
    if not isinstance(item, Document):
        raise NotFound(f"Item {item_id} is a {item.kind}, not a document.")
    return item


def results_from_document(
    vault: Vault, item_id: str, progress: Callable[[int, int], None] | None = None, cancel: CancelToken | None = None
) -> list[ProposedRow]:
    """Proposed lab results from a stored document: its text, or its pages recognised now (with
    ``progress(done, total)`` per page and ``cancel`` checked between pages)."""
    from ..importers.scan import needs_ocr
    from .records import parse_id

    doc = _document(vault, item_id)
    default_date = (doc.date or "")[:16] or None
    if not doc.blob_id:
        return propose_results(doc.text, default_date) if (doc.text or "").strip() else []
    pid, _ = parse_id(item_id)
    data = vault.blob_store(pid).get(doc.blob_id, doc.sha256)
    if doc.mime == "application/pdf" and (doc.text or "").strip():
        # A portal's PDF: its words with their places, so columns and indentation count as on a scan.
        from ..importers.pdf import text_layer_pages

        try:
            pages = text_layer_pages(data)
        except Exception:  # noqa: BLE001 - a PDF pdfium cannot open: the text pypdf found will do
            pages = []
        if any(p.lines for p in pages):
            return propose_results(pages, default_date)
    if doc.text and doc.text.strip():
        return propose_results(doc.text, default_date)
    if not needs_ocr(doc.mime, data):
        return []
    from ..ocr.engine import recognise_document

    pages = recognise_document(data, doc.mime or "", progress=progress, cancel=cancel)
    return propose_results(pages, default_date)


def confirm_results(vault: Vault, document_id: str, rows: Sequence[ProposedRow], user: str | None = None) -> list[str]:
    """Write the rows the person kept as laboratory Observations of the document's person.

    Each one names the document as its source (``derived_from``), is linked to the document's visit if
    it has one, and goes through the import service (so de-duplication and the audit log apply).
    Returns the public ids of the observations (ones already in the vault included)."""
    from ..importers.base import ParsedFile
    from ..model.records import Item, Observation, Provenance
    from ..vault import store
    from ..vault.repos import edits as edits_repo
    from .importing import ImportOptions, ImportService
    from .records import make_id, parse_id

    doc = _document(vault, document_id)
    pid, _ = parse_id(document_id)
    who = user or vault.user.name or None
    items: list[Observation] = []
    for n, r in enumerate(rows, 1):
        if not (r.name or "").strip():
            raise InvalidInput(f"Row {n} has no test name.")
        if r.value is None and not (r.value_text or "").strip():
            raise InvalidInput(f"Row {n} ({r.name}) has no value.")
        day = r.date or (doc.date or "")[:16] or None
        if not day:
            raise InvalidInput(f"Row {n} ({r.name}) has no date, and neither has the document.")
        comparator = bool(r.value_text and r.value_text[:1] in "<>≤≥")
        items.append(
            Observation(
                title=r.name.strip(),
                date=day,
                date_estimated=r.date is None,
                code_system=LOINC if r.loinc else None,
                code=code_for_unit(r.loinc, r.unit) or None,
                display=r.name.strip(),
                category="laboratory",
                # "<0.01" is not the number 0.01: it is kept as text so a chart never plots it as exact.
                value=None if comparator else r.value,
                value_text=r.value_text,
                unit=r.unit,
                ref_low=r.low,
                ref_high=r.high,
                ref_text=r.ref_text,
                interpretation=r.flag,
                derived_from=document_id,
                note=f"read from {doc.title}",
                provenance=Provenance(
                    source_kind="scan", source_name=doc.title or doc.filename or "", raw_format="manual", entered_by=who
                ),
            )
        )
    if not items:
        return []
    parsed = ParsedFile(source_name=doc.title or document_id, format="lab-report", items=list[Item](items))
    opts = ImportOptions(person=pid, encounter=doc.encounter_id)
    ImportService(vault).write_parsed(parsed, opts, source_kind="scan")
    db = vault.person_db(pid)
    found = store.find_by_fingerprint(db, [i.fingerprint() for i in items])
    rowids = [found[i.fingerprint()] for i in items if i.fingerprint() in found]
    if who:
        # Who confirmed the rows lives in the item's data (as for entries typed by hand); the model's
        # data() holds kind fields only, so it is added to the rows just written.
        edits_repo.set_entered_by(db, rowids, who)
    return [make_id(pid, rowid) for rowid in rowids]
