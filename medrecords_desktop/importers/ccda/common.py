"""What every entry handler uses: status, the placeholder test, codes on items, entries kept verbatim."""

from __future__ import annotations

from lxml import etree

from ...model.records import (
    Item,
    RawResource,
)
from .context import _Code, _Doc
from .datatypes import _first_id
from .vocab import (
    _MOOD_PLANNED,
    _V,
    PATIENT_REF,
    RAW_FORMAT,
)


def _status(el: etree._Element) -> str | None:
    if el.get("negationInd") == "true":
        return "not-done"
    mood = el.get("moodCode") or ""
    if mood in _MOOD_PLANNED:
        return "planned"
    sc = el.find(_V + "statusCode")
    return sc.get("code") if sc is not None and sc.get("code") else None


def _has_content(doc: _Doc, el: etree._Element | None) -> bool:
    """Whether a coded or quantity element says anything (a code, a name, a number or some text)."""
    if el is None:
        return False
    if el.get("code") or el.get("displayName") or el.get("value"):
        return True
    if any(t.get("code") for t in el.iterchildren(_V + "translation")):
        return True
    if any(x.get("value") for x in el if x.tag in (_V + "low", _V + "high", _V + "center")):
        return True
    return bool(doc.text_of(el.find(_V + "originalText")) or doc.text_of(el))


def _placeholder(doc: _Doc, el: etree._Element, *content: etree._Element | None, inherited: bool = False) -> bool:
    """An entry that stands for "no information": the statement (or the organizer or concern holding
    it) is nullFlavored and the parts that would carry the information are empty.  Vendors emit
    these for empty lists ("No data"); they are not records, so they are counted, not imported."""
    if not (inherited or el.get("nullFlavor")):
        return False
    if any(_has_content(doc, c) for c in content):
        return False
    doc.placeholders += 1
    return True


def _set_code(item: Item, c: _Code) -> None:
    item.code_system, item.code, item.display, item.codes = c.system, c.code, c.display, c.codes


def _kept_entry(doc: _Doc, el: etree._Element, section: str) -> None:
    doc.out.kept.append(
        RawResource(
            resource_type=f"cda:{etree.QName(el).localname}",
            source_id=_first_id(el),
            raw=etree.tostring(el, with_tail=False).decode(),
            raw_format=RAW_FORMAT,
            patient_ref=PATIENT_REF,
        )
    )
    doc.out.warnings.append(
        f"an entry <{etree.QName(el).localname}> in the {section} section was not understood: kept, not shown"
    )


def _null(el: etree._Element | None) -> bool:
    return el is not None and bool(el.get("nullFlavor"))
