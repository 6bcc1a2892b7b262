"""Small readers of FHIR datatypes (defensive: hostile files put lists where objects belong and so on):
CodeableConcept, Quantity, dates and periods, HumanName, narratives and attached text.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

from ...model.records import (
    Coding,
)
from ...model.units import to_ucum

Resource = dict[str, Any]


# --------------------------------------------------------------------------------------------------
# Small readers (defensive: hostile files put lists where objects belong and so on)


def _d(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _l(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _s(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def _first(v: Any) -> dict[str, Any]:
    if isinstance(v, list):
        for x in v:
            if isinstance(x, dict):
                return x
        return {}
    return v if isinstance(v, dict) else {}


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    try:
        f = float(v)
    except OverflowError:
        return None
    return f if math.isfinite(f) else None


def _fmt_num(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e15 else repr(v)


_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?)?)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def _date(v: Any) -> tuple[str | None, bool]:
    """Model date (ISO, no offset, seconds at most) and whether it was padded from year/month."""
    if not isinstance(v, str):
        return None, False
    m = _DATE_RE.fullmatch(v.strip())
    if not m:
        return None, False
    y, mo, d, hm, sec = m.groups()
    if mo is None:
        return f"{y}-01-01", True
    if d is None:
        return f"{y}-{mo}-01", True
    if hm is None:
        return f"{y}-{mo}-{d}", False
    return f"{y}-{mo}-{d}T{hm}{sec or ''}", False


def _period(p: Any) -> tuple[Any, Any]:
    p = _d(p)
    return p.get("start"), p.get("end")


def _cc(cc: Any) -> tuple[str | None, str | None, str | None, str | None, list[Coding]]:
    """(readable name, system, code, display, further codings) of a CodeableConcept."""
    if type(cc) is not dict:
        return None, None, None, None, []
    codings = cc.get("coding")
    text = cc.get("text")
    if type(text) is not str or not text:
        text = None
    if type(codings) is not list or not codings:
        return text, None, None, None, []
    if len(codings) > 1 or type(codings[0]) is not dict:
        codings = [c for c in codings if type(c) is dict]
        if not codings:
            return text, None, None, None, []
    c0 = codings[0]
    system, code, display = _s(c0.get("system")), _s(c0.get("code")), _s(c0.get("display"))
    if text is None:
        text = display or next((_s(c.get("display")) for c in codings if _s(c.get("display"))), None) or code
    if len(codings) == 1:
        return text, system, code, display, []
    more = [Coding(_s(c.get("system")), _s(c.get("code")), _s(c.get("display"))) for c in codings[1:]]
    return text, system, code, display, more


def _cc_text(cc: Any) -> str | None:
    return _cc(cc)[0] if isinstance(cc, dict) else None


def _cc_code(cc: Any) -> str | None:
    for c in _l(_d(cc).get("coding")):
        code = _s(_d(c).get("code"))
        if code:
            return code
    return _s(_d(cc).get("text"))


def _texts(ccs: Any) -> str | None:
    names = [t for t in (_cc_text(c) for c in _l(ccs)) if t]
    return "; ".join(names) if names else None


def _notes(v: Any) -> str | None:
    parts = [t for t in (_s(_d(n).get("text")) for n in _l(v)) if t]
    return "\n".join(parts) if parts else None


def _human_name(names: Any, prefix: bool = True) -> tuple[str | None, str | None, str | None]:
    """(full name, given, family) from a HumanName list, preferring the official one.

    ``prefix=False`` leaves titles out ("Mrs.", "Dr."): a patient's name is matched to a person.
    """
    lst = [n for n in _l(names) if isinstance(n, dict)]
    if not lst:
        return None, None, None
    n = next((x for x in lst if x.get("use") == "official"), lst[0])
    given = " ".join(g for g in _l(n.get("given")) if isinstance(g, str)) or None
    family = _s(n.get("family"))
    full = _s(n.get("text"))
    if full is None:
        pre = " ".join(p for p in _l(n.get("prefix")) if isinstance(p, str)) if prefix else ""
        full = " ".join(x for x in (pre, given, family) if x) or None
    return full, given, family


def _quantity(q: Any) -> tuple[float | None, str | None]:
    """(value, unit): the UCUM code where the quantity carries one, else its written unit as UCUM."""
    q = _d(q)
    code = _s(q.get("code"))
    if code and _s(q.get("system")) == "http://unitsofmeasure.org":
        return _num(q.get("value")), None if code == "1" else code
    return _num(q.get("value")), to_ucum(_s(q.get("unit")) or code)


# Narratives and HTML documents: a linear tag stripper (no regex backtracking over hostile markup).
_TAG = re.compile(r"<[^>]*>")
_HTML_WS = re.compile(r"[ \t\r\f\v]+")
_NL = re.compile(r"\s*\n\s*")
_BLOCK = re.compile(r"<(?:/?(?:p|div|br|li|tr|h[1-6]|table|ul|ol|blockquote)\b)[^>]*>", re.I)


def _strip_html(s: str) -> str | None:
    low = s.lower()
    if "<script" in low or "<style" in low:
        parts: list[str] = []
        pos = 0
        while True:
            i = min((j for j in (low.find("<script", pos), low.find("<style", pos)) if j >= 0), default=-1)
            if i < 0:
                parts.append(s[pos:])
                break
            parts.append(s[pos:i])
            tag = "</script" if low.startswith("<script", i) else "</style"
            j = low.find(tag, i)
            if j < 0:
                break
            k = low.find(">", j)
            pos = len(s) if k < 0 else k + 1
        s = "".join(parts)
    s = _BLOCK.sub("\n", s)
    s = _TAG.sub(" ", s)
    s = html.unescape(s)
    s = _HTML_WS.sub(" ", s)
    s = _NL.sub("\n", s).strip()
    return s or None


def _narrative(res: Resource, always: bool = False) -> str | None:
    t = res.get("text")
    if not isinstance(t, dict):
        return None
    div = t.get("div")
    if not isinstance(div, str):
        return None
    # Generated narratives repeat the structured data; DiagnosticReports often carry the report in it.
    if not always and t.get("status") == "generated":
        return None
    return _strip_html(div)


_TEXT_MIMES = frozenset({"text/plain", "text/markdown", "text/csv", "text/x-markdown"})
_HTML_MIMES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9._:-]+)", re.I)


def _doc_text(content: bytes, mime: str | None, content_type: str | None) -> str | None:
    if mime not in _TEXT_MIMES and mime not in _HTML_MIMES:
        return None  # PDFs and images: text comes from the files helper
    m = _CHARSET.search(content_type or "")
    enc = m.group(1) if m else "utf-8"
    try:
        s = content.decode(enc, errors="replace")
    except LookupError:
        s = content.decode("utf-8", errors="replace")
    if mime in _HTML_MIMES:
        return _strip_html(s)
    return s.strip() or None


# The resource-type / id tail of a reference or URL (history versions ignored).
_TAIL = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]*)?$")


def _obs_category(cats: Any) -> str | None:
    """The observation-category code (laboratory, vital-signs...), else the first code given."""
    category = None
    for cat in _l(cats):
        for c in _l(_d(cat).get("coding")):
            c = _d(c)
            code = _s(c.get("code"))
            if code and c.get("system") == _OBS_CATEGORY_SYSTEM:
                return code
            category = category or code
        if category:
            break
    return category


_BP_SYSTOLIC = "8480-6"
_BP_DIASTOLIC = "8462-4"
_OBS_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
