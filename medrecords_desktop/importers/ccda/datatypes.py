"""Small helpers on HL7 V3 data types: timestamps, code systems, ids, names, templates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from .vocab import _V, _XSI_TYPE, CODE_SYSTEMS

_TS = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?(?:[+-]\d{1,4})?$")
_ISOISH = re.compile(r"[-:T ]")


# --- small helpers on HL7 data types -------------------------------------------------------------


def ts_to_iso(value: str | None) -> tuple[str | None, bool]:
    """HL7 TS (``20120806``, ``201208061030``, ``20120806103000-0500``) -> ISO without offset.

    Returns (iso, estimated): a year-only or year-month value is padded to the first day and flagged
    as estimated, since the model's dates are whole days.
    """
    if not value:
        return None, False
    v = value.strip()
    m = _TS.match(v)
    if m is None:
        # A few vendors write ISO-like values (2012-08-06T10:30:00); read them the same way.
        v2 = _ISOISH.sub("", v.split("+")[0])
        if v2.count("-") or not v2[:8].isdigit():
            return None, False
        m = _TS.match(v2)
        if m is None:
            return None, False
    y, mo, d, hh, mi, ss = m.groups()
    if mo is not None and not 1 <= int(mo) <= 12:
        return None, False
    if d is not None and not 1 <= int(d) <= 31:
        return None, False
    if mo is None:
        return f"{y}-01-01", True
    if d is None:
        return f"{y}-{mo}-01", True
    out = f"{y}-{mo}-{d}"
    if hh is not None and int(hh) <= 23:
        out += f"T{hh}:{mi if mi is not None and int(mi) <= 59 else '00'}"
        if ss is not None and mi is not None and int(ss) <= 59:
            out += f":{ss}"
    return out, False


def code_system_uri(oid: str | None) -> str | None:
    if not oid:
        return None
    oid = oid.strip()
    return CODE_SYSTEMS.get(oid) or (oid if ":" in oid else f"urn:oid:{oid}")


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    try:
        f = float(s.strip())
    except ValueError:
        return None
    return f if f == f and f not in (float("inf"), float("-inf")) else None


def _xsi_type(el: etree._Element) -> str:
    t = el.get(_XSI_TYPE)
    return t.rsplit(":", 1)[-1].upper() if t else ""


def _norm(s: str | None) -> str | None:
    if s is None:
        return None
    s = " ".join(s.split())
    return s or None


def _ii(el: etree._Element | None) -> str | None:
    """An II as "root^extension" (or "root"), None when absent or nullFlavored."""
    if el is None or el.get("nullFlavor"):
        return None
    root, ext = (el.get("root") or "").strip(), (el.get("extension") or "").strip()
    if not root and not ext:
        return None
    return f"{root}^{ext}" if ext else root


def _first_id(el: etree._Element) -> str | None:
    for i in el.iterchildren(_V + "id"):
        sid = _ii(i)
        if sid:
            return sid
    return None


def _templates(el: etree._Element) -> list[str]:
    return [t.get("root") or "" for t in el.iterchildren(_V + "templateId")]


def _related(el: etree._Element, *tags: str, type_code: str | None = None) -> Iterator[etree._Element]:
    """The clinical statements under el's entryRelationship elements (optionally of one typeCode)."""
    want = {_V + t for t in tags}
    for er in el.iterchildren(_V + "entryRelationship"):
        if type_code is not None and er.get("typeCode") != type_code:
            continue
        for c in er:
            if c.tag in want:
                yield c


def _person_name(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    name = el.find(_V + "name")
    if name is None:
        return None
    given = [_norm(g.text) for g in name.iterchildren(_V + "given")]
    family = [_norm(f.text) for f in name.iterchildren(_V + "family")]
    parts = [p for p in (*given, *family) if p]
    if not parts:
        return _norm("".join(name.itertext()))
    prefix = [_norm(p.text) for p in name.iterchildren(_V + "prefix")]
    suffix = [_norm(s.text) for s in name.iterchildren(_V + "suffix")]
    return " ".join(p for p in (*prefix, *parts, *suffix) if p)


def _org_name(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    for n in el.iterchildren(_V + "name"):
        t = _norm("".join(n.itertext()))
        if t:
            return t
    return None


def _entity_name(assigned: etree._Element | None) -> str | None:
    """The person named by an assignedEntity/assignedAuthor, or its organisation."""
    if assigned is None:
        return None
    return _person_name(assigned.find(_V + "assignedPerson")) or _org_name(
        assigned.find(_V + "representedOrganization")
    )
