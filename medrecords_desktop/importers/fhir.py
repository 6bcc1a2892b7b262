"""FHIR R4 JSON and NDJSON to model items.

Accepts a Bundle of any type (collection, searchset, transaction, batch-response, document, history,
nested bundles included) or a single resource; NDJSON bulk exports carry one resource per line.
Every resource ends up somewhere: as a ``PatientInfo``, as one or more items, or as a
``RawResource`` in ``ParsedFile.kept`` ("kept, not shown"); nothing is silently dropped.

References are resolved inside what was given (``urn:uuid`` fullUrls, relative ``Type/id``, absolute
URLs ending in ``Type/id``, contained ``#id``) and written to items as keys in the same form as
``PatientInfo.ref`` and ``Provenance.source_id``: ``Type/id``, or the ``urn:uuid`` fullUrl when a
resource has no id.  Unresolved references keep their ``Type/id`` tail so that the import service can
still link across files (a bulk export spreads one patient over a file per resource type).

Hostile input is refused with ``ImportRejected`` (file and place) before it can cost much: size limits,
invalid UTF-8, malformed or truncated JSON, nesting deeper than ``MAX_JSON_DEPTH`` (checked by a fast
byte scan before ``json.loads`` recurses), over-long numbers, and JSON that is not FHIR.

Attachment bytes decoded into ``Document.content`` are not repeated as base64 in the ``raw`` of the
resource: the vault stores them once, as the document's blob (same SHA-256), so ``raw`` is the resource
with those ``data`` elements left out.
"""

from __future__ import annotations

import binascii
import hashlib
import html
import json
import math
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import ImportRejected
from ..model.records import (
    Allergy,
    Coding,
    Condition,
    DiagnosticReport,
    Document,
    Encounter,
    Immunization,
    Item,
    Medication,
    Observation,
    Procedure,
    Provenance,
    RawResource,
)
from ..model.units import display_unit, to_ucum
from .base import (
    MAX_FILE_BYTES,
    MAX_JSON_BYTES,
    MAX_JSON_DEPTH,
    MAX_NDJSON_LINE,
    ParsedFile,
    PatientInfo,
    coded_value_text,
    gc_paused,
    is_kind_word,
    none_statement,
)

__all__ = [
    "looks_like_fhir_json",
    "looks_like_ndjson",
    "parse_fhir_json",
    "parse_fhir_ndjson",
    "parse_fhir_resources",
]

Resource = dict[str, Any]

# --------------------------------------------------------------------------------------------------
# Sniffing


def _strip_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def looks_like_fhir_json(head: bytes) -> bool:
    """True when the first bytes look like one FHIR JSON object (pretty-printed or not)."""
    h = _strip_bom(head).lstrip()
    return h.startswith(b"{") and b'"resourceType"' in h[:65536]


_BUNDLE_START = re.compile(rb'"resourceType"\s*:\s*"Bundle"')


def looks_like_ndjson(head: bytes) -> bool:
    """True when the first bytes look like FHIR NDJSON: one complete resource object per line.

    A pretty-printed JSON file fails (its first line is a lone ``{``).  A long first line that does not
    end within ``head`` is judged by its start alone, as bulk exports of documents have such lines.
    """
    h = _strip_bom(head).lstrip(b" \t\r\n")
    lines = h.split(b"\n")
    first = lines[0].rstrip(b" \t\r")
    if not (first.startswith(b"{") and b'"resourceType"' in first[:4096]):
        return False
    if len(lines) == 1:
        # The first line runs past the head: NDJSON, unless it is one minified Bundle (bulk
        # exports hold resources, not bundles).
        return not _BUNDLE_START.search(first[:512])
    if not first.endswith(b"}"):
        return False
    second = lines[1].strip()
    return second == b"" or second.startswith(b"{")


# --------------------------------------------------------------------------------------------------
# Decoding with limits


def _decode_utf8(data: bytes, file: str, base_where: str = "") -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        where = f"{base_where}byte {e.start}" if base_where else f"byte offset {e.start}"
        raise ImportRejected(
            file, where, "the file is not valid UTF-8 text (FHIR JSON must be UTF-8)"
        ) from None


def _line_col(text: str | bytes, pos: int) -> tuple[int, int]:
    nl = "\n" if isinstance(text, str) else b"\n"
    line = text.count(nl, 0, pos) + 1  # type: ignore[arg-type]
    start = text.rfind(nl, 0, pos) + 1  # type: ignore[arg-type]
    return line, pos - start + 1


# Everything but brackets and quotes is deleted by one translate() call: the depth scan then works on
# a string a fraction of the size, in C, without recursion.
_NOT_STRUCTURAL = bytes(b for b in range(256) if b not in b'{}[]"')
_ESCAPE = re.compile(rb"\\.", re.S)
_OPEN_TO_SQUARE = bytes.maketrans(b"{}", b"[]")
_STRING_WITH_BRACKETS = re.compile(rb'"[^"]*"')


def _too_deep(data: bytes, limit: int) -> bool:
    """Whether the JSON in ``data`` nests arrays/objects deeper than ``limit`` (fast, iterative).

    Escape sequences are removed first, so every remaining quote opens or closes a
    string.  Adjacent quote pairs can be removed blindly: either an empty string, or the end of one
    string touching the start of the next, which merges two strings and changes nothing outside them.
    Strings with brackets inside are few and go with a regex.  Then each pass of ``replace("[]")``
    removes exactly one level of the innermost brackets.  Unbalanced input stops early and is left to
    the JSON parser, which reports it with its position.
    """
    s = _ESCAPE.sub(b"", data) if b"\\" in data else data
    s = s.translate(None, _NOT_STRUCTURAL)
    s = s.replace(b'""', b"")
    if b'"' in s:
        s = _STRING_WITH_BRACKETS.sub(b"", s)
    s = s.translate(_OPEN_TO_SQUARE)
    for _ in range(limit):
        if not s:
            return False
        n = len(s)
        s = s.replace(b"[]", b"")
        if len(s) == n:
            return False  # unbalanced: malformed JSON, reported by the parser
    return bool(s) and b"[]" in s


_TOKEN = re.compile(rb'\\.|["\[\]{}]', re.S)


def _depth_offset(data: bytes, limit: int) -> int:
    """Byte offset where nesting first exceeds ``limit`` (only called once the file is refused)."""
    depth = 0
    in_str = False
    for m in _TOKEN.finditer(data):
        t = m.group()
        if t == b'"':
            in_str = not in_str
        elif in_str or len(t) == 2:
            continue
        elif t in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return m.start()
        else:
            depth -= 1
    return len(data)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_LONG_NUMBER = re.compile(r"\d{4000,}")


def _loads(text: str, file: str, where_prefix: str = "", line_offset: int = 0) -> Any:
    """json.loads with user-facing errors (line/column, truncation, over-long numbers)."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        line, col = e.lineno + line_offset, e.colno
        where = f"{where_prefix}line {line}, column {col}"
        if e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated string"):
            why = "the JSON ends too early: the file looks truncated (an interrupted download or copy?)"
        else:
            why = f"this is not valid JSON ({e.msg})"
        raise ImportRejected(file, where, why) from None
    except RecursionError:
        raise ImportRejected(
            file, where_prefix or None, f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
        ) from None
    except ValueError as e:  # int digits limit, NaN/Infinity
        m = _LONG_NUMBER.search(text)
        if m:
            line, col = _line_col(text, m.start())
            where = f"{where_prefix}line {line + line_offset}, column {col}"
            raise ImportRejected(
                file, where, "a number with thousands of digits is not a FHIR value"
            ) from None
        raise ImportRejected(file, where_prefix or None, f"this is not valid JSON ({e})") from None


def _check_depth(data: bytes, file: str, line_base: int = 0, *, per_line: bool = False) -> None:
    if _too_deep(data, MAX_JSON_DEPTH):
        off = _depth_offset(data, MAX_JSON_DEPTH)
        line, col = _line_col(data, off)
        where = f"line {line + line_base}" if per_line else f"line {line}, column {col}"
        raise ImportRejected(
            file, where, f"JSON nested deeper than {MAX_JSON_DEPTH} levels: refused as hostile"
        )


def _require_resource(obj: Any, file: str, where: str | None) -> Resource:
    if not isinstance(obj, dict):
        raise ImportRejected(file, where, "this JSON is not a FHIR resource (expected an object)")
    rt = obj.get("resourceType")
    if not isinstance(rt, str) or not rt:
        raise ImportRejected(file, where, "this JSON is not FHIR: it has no resourceType")
    return obj


# --------------------------------------------------------------------------------------------------
# Keeping each resource's source text.  Re-encoding 30k resources with json.dumps costs about as
# much as decoding them; when the file is compact JSON, the source text of each entry.resource is
# already the compact JSON wanted for ``Provenance.raw`` (with the source's own decimals, "7.20"
# staying "7.20").  The scanner below walks the top-level object and the entry array in Python and
# leaves every value to the C scanner of the json module.  Anything unexpected falls back to
# json.loads, which also produces the error messages.

# scan_once(text, index) -> (value, end): the C scanner behind json.loads (an attribute typeshed omits).
_SCAN_ONCE: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(
    parse_constant=_reject_constant
).scan_once  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]+")


def _ws_end(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_LOOSE = re.compile(r"[{}\[\],:][ \t\r\n]|[ \t\r\n][{}\[\],:]")


class _Fallback(Exception):
    """The fast scanner met something it does not handle: use json.loads."""


def _is_compact(text: str) -> bool:
    """Whether the JSON has no whitespace between tokens, judged on its first 64 KiB."""
    head = text[:65536].strip()
    return not _LOOSE.search(_JSON_STRING.sub('""', head))


def _scan_with_sources(text: str) -> tuple[Any, dict[int, str]]:
    """Decode ``text`` like json.loads, plus {id(resource): source text} for each entry.resource."""
    scan = _SCAN_ONCE
    sources: dict[int, str] = {}

    def skip(i: int) -> int:
        return _ws_end(text, i) if text[i] <= " " else i

    def members(i: int, special: str) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        i = skip(i + 1)
        if text[i] == "}":
            return out, i + 1
        while True:
            if text[i] != '"':
                raise _Fallback
            key, i = scan(text, i)
            i = skip(i)
            if text[i] != ":":
                raise _Fallback
            i = skip(i + 1)
            if key == special:
                out[key], i = special_value(key, i)
            else:
                out[key], i = scan(text, i)
            i = skip(i)
            c = text[i]
            if c == ",":
                i = skip(i + 1)
            elif c == "}":
                return out, i + 1
            else:
                raise _Fallback

    def special_value(key: str, i: int) -> tuple[Any, int]:
        if key == "resource":
            start = i
            val, i = scan(text, i)
            if type(val) is dict:
                sources[id(val)] = text[start:i]
            return val, i
        if text[i] != "[":  # "entry" that is not an array
            return scan(text, i)
        out: list[Any] = []
        i = skip(i + 1)
        if text[i] == "]":
            return out, i + 1
        while True:
            if text[i] == "{":
                val, i = members(i, "resource")
            else:
                val, i = scan(text, i)
            out.append(val)
            i = skip(i)
            c = text[i]
            if c == ",":
                i = skip(i + 1)
            elif c == "]":
                return out, i + 1
            else:
                raise _Fallback

    try:
        i = _ws_end(text, 0)
        if text[i : i + 1] != "{":
            raise _Fallback
        obj, i = members(i, "entry")
        if _ws_end(text, i) != len(text):
            raise _Fallback
        return obj, sources
    finally:
        # members and special_value call each other: a reference cycle through their closure cells that
        # would keep ``text`` (the whole file) alive until the paused cyclic collector runs again.
        members = special_value = None  # type: ignore[assignment]


def _decode_json(text: str, file: str) -> tuple[Any, dict[int, str] | None]:
    if _is_compact(text):
        try:
            obj, sources = _scan_with_sources(text)
        except (_Fallback, StopIteration, ValueError, IndexError, RecursionError):
            pass  # json.loads says what is wrong, or decodes what the scanner did not expect
        else:
            if obj.get("resourceType") != "Bundle":
                sources[id(obj)] = text.strip()
            return obj, sources
    return _loads(text, file), None


@gc_paused()  # decoded JSON makes no cycles: see gc_paused
def parse_fhir_json(data: bytes, source_name: str) -> ParsedFile:
    """Parse one FHIR JSON document: a Bundle of any type or a single resource."""
    if len(data) > MAX_JSON_BYTES:
        raise ImportRejected(
            source_name,
            None,
            f"the file is {len(data) // 2**20} MiB; FHIR JSON is limited to {MAX_JSON_BYTES // 2**20} MiB",
        )
    if not data.strip():
        raise ImportRejected(source_name, None, "the file is empty")
    text = _decode_utf8(data, source_name)
    _check_depth(data, source_name)
    try:
        obj, sources = _decode_json(text, source_name)
    except ImportRejected as e:
        # A single-line JSON object followed by more lines is NDJSON saved under a .json name.
        if "Extra data" in e.why and looks_like_ndjson(data[:65536]):
            return parse_fhir_ndjson(data, source_name)
        raise
    del text
    res = _require_resource(obj, source_name, "the top level")
    flat: list[Entry] = []
    _walk(res, "", flat)
    return _Parser(source_name, "fhir-json", "file", sources).run(flat)


@gc_paused()  # decoded JSON makes no cycles: see gc_paused
def parse_fhir_ndjson(data: bytes, source_name: str) -> ParsedFile:
    """Parse FHIR NDJSON (bulk export): one resource per line; blank lines are allowed."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(source_name, None, f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    _check_depth(data, source_name, per_line=True)
    sources: dict[int, str] = {}
    compact = _is_compact(data[:65536].split(b"\n", 1)[0].decode("utf-8", errors="replace"))

    def entries() -> list[Entry]:
        flat: list[Entry] = []
        start = 0
        lineno = 0
        n = len(data)
        while start < n:
            lineno += 1
            end = data.find(b"\n", start)
            if end < 0:
                end = n
            if end - start > MAX_NDJSON_LINE:
                raise ImportRejected(
                    source_name,
                    f"line {lineno}",
                    f"the line is longer than {MAX_NDJSON_LINE // 2**20} MiB; refused as hostile",
                )
            raw = data[start:end]
            start = end + 1
            if not raw.strip():
                continue
            where = f"line {lineno}"
            text = _decode_utf8(raw, source_name, f"line {lineno}, ")
            obj = _loads(text, source_name, "", lineno - 1)
            res = _require_resource(obj, source_name, where)
            if compact and res.get("resourceType") != "Bundle":
                sources[id(res)] = text.strip()  # a compact line is the resource's compact JSON
            _walk(res, where, flat)
        return flat

    out = _Parser(source_name, "fhir-ndjson", "file", sources).run(entries())
    if not (out.items or out.kept or out.patients):
        raise ImportRejected(source_name, None, "the file holds no FHIR resources")
    return out


@gc_paused()  # decoded JSON makes no cycles: see gc_paused
def parse_fhir_resources(
    resources: Iterable[Resource], source_name: str, *, source_kind: str = "file", fmt: str = "fhir-json"
) -> ParsedFile:
    """Map already-decoded FHIR resources (bundles are flattened) to a ParsedFile.

    Used by both file parsers and by the portal sync (``source_kind="portal"``).  Resolution of
    references spans everything given in one call.
    """

    flat: list[Entry] = []
    for i, res in enumerate(resources):
        where = f"resource[{i}]"
        _walk(_require_resource(res, source_name, where), where, flat)
    return _Parser(source_name, fmt, source_kind).run(flat)


# One encoder for every raw fragment: json.dumps() with options builds a new encoder per call.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _Where:
    """Where an entry sits ("entry[12]"), formatted only when a warning needs it (30k entries)."""

    __slots__ = ("prefix", "i")

    def __init__(self, prefix: str, i: int) -> None:
        self.prefix, self.i = prefix, i

    def __str__(self) -> str:
        return f"{self.prefix}entry[{self.i}]"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


Entry = tuple[object, str | None, Resource]  # (where, fullUrl, resource)


def _walk(res: Resource, where: str, out: list[Entry], full_url: str | None = None) -> None:
    """Flatten bundles (nested ones too) into ``out``."""
    if res.get("resourceType") != "Bundle":
        out.append((where or "the top level", full_url, res))
        return
    entries = res.get("entry")
    if not isinstance(entries, list):
        return
    prefix = f"{where}: " if where else ""
    append = out.append
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            continue
        r = e.get("resource")
        if not isinstance(r, dict):
            continue  # a transaction-response entry without a body: no resource to keep
        fu = e.get("fullUrl")
        if not isinstance(fu, str):
            fu = None
        if r.get("resourceType") == "Bundle":
            _walk(r, f"{prefix}entry[{i}]", out, fu)
        else:
            append((_Where(prefix, i), fu, r))


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


_DATE_RE = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


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

# --------------------------------------------------------------------------------------------------
# The mapping


class _Parser:
    def __init__(
        self, source_name: str, fmt: str, source_kind: str, sources: dict[int, str] | None = None
    ) -> None:
        self.sources = sources if sources is not None else {}  # id(resource) -> compact source text
        self.source_name = source_name
        self.source_kind = source_kind
        self.out = ParsedFile(source_name=source_name, format=fmt)
        self.by_url: dict[str, Resource] = {}
        self.by_key: dict[str, Resource] = {}
        self.keys: dict[int, str] = {}  # id(resource) -> key
        self.bases: dict[int, str] = {}  # id(resource) -> fullUrl base ("http://x/fhir/")
        self.consumed: dict[int, bytes] = {}  # Binaries whose bytes went into a Document
        self.encounter_dates: dict[str, str] = {}
        self.tail_cache: dict[str, tuple[str, Resource | None]] = {}  # relative ref -> resolution
        self.resolved: dict[str, tuple[str, Resource | None]] = {}  # fullUrl -> (key, resource)
        self.names: dict[int, str | None] = {}  # id(resource) -> readable name
        self.handlers: dict[str, Callable[[object, Resource], None]] = {
            "Patient": self._patient,
            "Encounter": self._encounter,
            "Observation": self._observation,
            "DiagnosticReport": self._diagnostic_report,
            "DocumentReference": self._document_reference,
            "Binary": self._binary,
            "MedicationRequest": self._medication,
            "MedicationStatement": self._medication,
            "Immunization": self._immunization,
            "AllergyIntolerance": self._allergy,
            "Condition": self._condition,
            "Procedure": self._procedure,
        }
        self.handlers.update(_care_handlers(self))  # care plans, orders, appointments, claims (fhir_care.py)

    # ---- driver ------------------------------------------------------------------------------

    def run(self, flat: list[Entry]) -> ParsedFile:
        try:
            self._index(flat)
            self._find_consumed_binaries(flat)
            consumed = self.consumed
            later = []
            for entry in flat:
                if consumed and id(entry[2]) in consumed:
                    later.append(entry)  # after the documents that take its bytes: see _keep
                else:
                    self._one(entry[0], entry[2])
            for where, _full, res in later:
                self._one(where, res)
            self._finish()
            if self.out.statements:
                self.out.warnings.append(
                    f"{len(self.out.statements)} statements that there is none or entries in error "
                    f"(e.g. '{self.out.statements[0]}'): kept verbatim, not as records"
                )
            empty = self.out.set_aside["observation"]
            if empty:
                self.out.warnings.append(f"{empty} observations without a value or a statement: kept verbatim")
            return self.out
        finally:
            # self.handlers holds bound methods of self: a reference cycle that would keep every decoded
            # resource (the indexes point at them all) alive until the cyclic collector walks them -
            # 400k objects, half a second and 70 MB for a 50 MB bundle.  Breaking it lets reference
            # counting free the decoded JSON the moment the parse is done.
            self.handlers.clear()
            for name in ("by_url", "by_key", "keys", "bases", "resolved", "consumed"):
                index = getattr(self, name, None)
                if isinstance(index, dict):
                    index.clear()

    def _index(self, flat: list[Entry]) -> None:
        by_url, by_key, keys, bases = self.by_url, self.by_key, self.keys, self.bases
        for _where, full, res in flat:
            rt = res.get("resourceType")
            rid = res.get("id")
            key: str | None = None
            if isinstance(rid, str) and rid and isinstance(rt, str):
                key = f"{rt}/{rid}"
                by_key.setdefault(key, res)
            if full:
                by_url.setdefault(full, res)
                if key is None:
                    key = full
                elif full.endswith("/" + key):
                    bases[id(res)] = full[: -len(key)]
            if key is not None:
                keys[id(res)] = key
        # Exact fullUrl matches answered in one lookup (the common case in bundles).
        self.resolved = {url: (keys.get(id(r), url), r) for url, r in by_url.items()}

    def _find_consumed_binaries(self, flat: list[Entry]) -> None:
        for _where, _full, res in flat:
            rt = res.get("resourceType")
            if rt == "DocumentReference":
                atts = [_d(c).get("attachment") for c in _l(res.get("content"))]
            elif rt == "DiagnosticReport":
                atts = _l(res.get("presentedForm"))
            else:
                continue
            for a in atts:
                url = _s(_d(a).get("url"))
                if url and "data" not in _d(a):
                    _key, target = self._resolve_str(url, res)
                    if target is not None and target.get("resourceType") == "Binary":
                        self.consumed.setdefault(id(target), b"")

    def _one(self, where: object, res: Resource) -> None:
        rt = res.get("resourceType")
        if not isinstance(rt, str) or not rt:
            self.out.warnings.append(f"{where}: an entry without resourceType was kept as is")
            self._keep("Unknown", res)
            return
        handler = self.handlers.get(rt)
        if handler is None:
            self._keep(rt, res)
            return
        n_items, n_pat = len(self.out.items), len(self.out.patients)
        try:
            handler(where, res)
            if len(self.out.items) > n_items:
                self._clinical_sense(rt, res, n_items)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError) as e:
            # A resource shaped against the specification: keep it verbatim rather than lose it.
            del self.out.items[n_items:]
            del self.out.patients[n_pat:]
            key = self.keys.get(id(res), rt)
            self.out.warnings.append(f"{where} ({key}): could not be read ({type(e).__name__}); kept as is")
            self._keep(rt, res)

    def _clinical_sense(self, rt: str, res: Resource, start: int) -> None:
        """Items this resource made that are not records: a statement that there is none (kept in the
        report and verbatim), an empty result (kept verbatim), a name that only says the kind."""
        new = self.out.items[start:]
        keep: list[Item] = []
        for it in new:
            statement = none_statement(it)
            empty = (
                isinstance(it, Observation) and it.value is None and not it.value_text and not it.components
                and not it.note and not it.interpretation
            )
            if statement is not None or empty:
                if statement is not None and statement not in self.out.statements:
                    self.out.statements.append(statement)
                self.out.set_aside[it.kind] += 1
                continue
            if is_kind_word(it.title) and it.text:
                # No name but the narrative: its first line is what the author called it.
                first = it.text.strip().splitlines()[0].strip()
                it.title = first[:97] + "…" if len(first) > 98 else first
            keep.append(it)
        if len(keep) != len(new):
            del self.out.items[start:]
            self.out.items.extend(keep)
            self._keep(rt, res)

    def _finish(self) -> None:
        """Links known only once everything is read: results to their report, and dates of
        undated items from their report, else their encounter (marked as estimated)."""
        items = self.out.items
        report_of: dict[str, DiagnosticReport] = {}
        for it in items:
            if isinstance(it, DiagnosticReport) and it.provenance.source_id:
                for r in it.result_refs:
                    report_of.setdefault(r, it)
        dates = self.encounter_dates
        for it in items:
            report = report_of.get(it.provenance.source_id or "") if report_of else None
            if report is not None and isinstance(it, Observation):
                if it.report_ref is None:
                    it.report_ref = report.provenance.source_id
                if it.date is None and report.date is not None:
                    it.date, it.date_estimated = report.date, True
                if it.encounter_ref is None:
                    it.encounter_ref = report.encounter_ref
            if it.date is None and it.encounter_ref and it.encounter_ref in dates:
                it.date = dates[it.encounter_ref]
                it.date_estimated = True

    # ---- references ------------------------------------------------------------------------

    def _resolve_str(self, ref: str, owner: Resource) -> tuple[str, Resource | None]:
        hit = self.resolved.get(ref)
        if hit is not None:
            return hit
        if ref.startswith("#"):
            cid = ref[1:]
            for c in _l(owner.get("contained")):
                if isinstance(c, dict) and c.get("id") == cid:
                    return f"{self.keys.get(id(owner), '')}{ref}", c
            return f"{self.keys.get(id(owner), '')}{ref}", None
        target = self.by_url.get(ref)
        if target is not None:
            return self.keys.get(id(target), ref), target
        if ref.startswith("urn:"):
            return ref, None
        if "://" not in ref:
            base = self.bases.get(id(owner))
            if base:
                target = self.by_url.get(base + ref)
                if target is not None:
                    return self.keys.get(id(target), ref), target
        hit = self.tail_cache.get(ref)
        if hit is None:
            m = _TAIL.search(ref)
            if m:
                k = f"{m.group(1)}/{m.group(2)}"
                target = self.by_key.get(k)
                hit = (self.keys.get(id(target), k), target) if target is not None else (k, None)
            else:
                hit = (ref, None)  # a conditional or logical reference: kept as written
            self.tail_cache[ref] = hit
        return hit

    def _ref(self, v: Any, owner: Resource) -> tuple[str | None, Resource | None]:
        """(key, resolved resource) of a Reference element."""
        if not isinstance(v, dict):
            return None, None
        r = v.get("reference")
        if not isinstance(r, str) or not r:
            return None, None
        return self._resolve_str(r, owner)

    def _ref_key(self, v: Any, owner: Resource) -> str | None:
        return self._ref(v, owner)[0]

    def _ref_name(self, v: Any, owner: Resource) -> str | None:
        """A readable name for a reference: the resolved resource's name, else the display."""
        if not isinstance(v, dict):
            return None
        _key, target = self._ref(v, owner)
        if target is not None:
            tid = id(target)
            if tid in self.names:
                name = self.names[tid]
            else:
                name = self.names[tid] = self._name_of(target, owner)
            if name:
                return name
        return _s(v.get("display"))

    def _name_of(self, res: Resource, owner: Resource) -> str | None:
        rt = res.get("resourceType")
        if rt in ("Organization", "Location", "HealthcareService", "Device"):
            return _s(res.get("name")) if rt != "Device" else _cc_text(_first(res.get("type")))
        if rt in ("Practitioner", "Patient", "RelatedPerson"):
            return _human_name(res.get("name"))[0]
        if rt == "PractitionerRole":
            who = res.get("practitioner")
            return self._ref_name(who, res) if who is not owner else None
        if rt == "Medication":
            return _cc_text(res.get("code"))
        if rt == "Condition":
            return _cc_text(res.get("code"))
        return None

    def _patient_ref(self, res: Resource) -> str | None:
        subj = res.get("subject")
        if subj is None:
            subj = res.get("patient")
        return self._ref_key(subj, res)

    def _common(self, res: Resource) -> dict[str, Any]:
        """Fields every clinical resource maps the same way: notes, narrative, links, provenance."""
        return {
            "note": _notes(res.get("note")),
            "text": _narrative(res),
            "encounter_ref": self._encounter_ref(res),
            "patient_ref": self._patient_ref(res),
            "provenance": self._prov(res),
        }

    def _reason(self, res: Resource) -> str | None:
        """reasonCode as text, else the names of what reasonReference points at."""
        reason = _texts(res.get("reasonCode"))
        if reason is None:
            names = [n for n in (self._ref_name(r, res) for r in _l(res.get("reasonReference"))) if n]
            reason = "; ".join(names) if names else None
        return reason

    def _encounter_ref(self, res: Resource) -> str | None:
        enc = res.get("encounter")
        if enc is None:
            enc = res.get("context")  # MedicationStatement (R4), older resources
        if isinstance(enc, list):
            enc = _first(enc)
        return self._ref_key(enc, res)

    # ---- output helpers ----------------------------------------------------------------------

    def _prov(self, res: Resource, raw_obj: Resource | None = None, suffix: str = "") -> Provenance:
        key = self.keys.get(id(res))
        raw = self._raw(res) if raw_obj is None or raw_obj is res else _dumps(raw_obj)
        return Provenance(
            source_kind=self.source_kind,
            source_name=self.source_name,
            source_id=(key + suffix) if key else None,
            raw=raw,
            raw_format="fhir+json",
        )

    def _raw(self, res: Resource) -> str:
        raw = self.sources.get(id(res))
        return raw if raw is not None else _dumps(res)

    def _keep(self, rt: str, res: Resource) -> None:
        obj = res
        if rt == "Binary" and id(res) in self.consumed and self.consumed[id(res)]:
            obj = {k: v for k, v in res.items() if k != "data"}
        patient_ref = None
        try:
            patient_ref = self._patient_ref(res)
        except (TypeError, AttributeError):
            patient_ref = None
        self.out.kept.append(
            RawResource(
                resource_type=rt,
                source_id=self.keys.get(id(res)),
                raw=self._raw(obj),
                patient_ref=patient_ref,
            )
        )

    def _code_fields(self, cc: Any, fallback: str) -> dict[str, Any]:
        title, system, code, display, more = _cc(cc)
        return {
            "title": title or fallback,
            "code_system": system,
            "code": code,
            "display": display,
            "codes": more,
        }

    # ---- per resource type ---------------------------------------------------------------------

    def _patient(self, where: object, res: Resource) -> None:
        full, given, family = _human_name(res.get("name"), prefix=False)
        ids = []
        for ident in _l(res.get("identifier")):
            ident = _d(ident)
            value = _s(ident.get("value"))
            if value:
                ids.append((_s(ident.get("system")) or "", value))
        bd = _s(res.get("birthDate"))
        key = self.keys.get(id(res)) or f"Patient@{where}"
        self.out.patients.append(
            PatientInfo(
                ref=key,
                name=full,
                given=given,
                family=family,
                birth_date=bd[:10] if bd else None,
                sex=_s(res.get("gender")),
                identifiers=ids,
                raw=self._raw(res),
            )
        )

    def _encounter(self, where: object, res: Resource) -> None:
        start, end = _period(res.get("period"))
        date, est = _date(start)
        date_end = _date(end)[0]
        cls = _d(res.get("class"))
        etype = _cc_text(_first(res.get("type")))
        title = etype or _cc_text(res.get("serviceType")) or _s(cls.get("display")) or _s(cls.get("code"))
        title = title or "Encounter"
        practitioner = None
        for p in _l(res.get("participant")):
            practitioner = self._ref_name(_d(p).get("individual"), res)
            if practitioner:
                break
        location = None
        for loc in _l(res.get("location")):
            location = self._ref_name(_d(loc).get("location"), res)
            if location:
                break
        reason = self._reason(res)
        hosp = _d(res.get("hospitalization"))
        enc = Encounter(
            title=title,
            date=date,
            date_end=date_end,
            date_estimated=est,
            status=_s(res.get("status")),
            code_system=None,
            note=None,
            text=_narrative(res),
            patient_ref=self._patient_ref(res),
            provenance=self._prov(res),
            encounter_class=_s(cls.get("code")),
            encounter_type=etype,
            provider=self._ref_name(res.get("serviceProvider"), res),
            practitioner=practitioner,
            location=location,
            reason=reason,
            discharge_disposition=_cc_text(hosp.get("dischargeDisposition")),
        )
        _, enc.code_system, enc.code, enc.display, enc.codes = _cc(_first(res.get("type")))
        key = enc.provenance.source_id
        if key and date:
            self.encounter_dates[key] = date
        self.out.items.append(enc)

    def _effective(self, res: Resource, *fallbacks: str) -> tuple[str | None, str | None, bool]:
        """(date, date_end, estimated) from effective[x], then the named fallback fields."""
        v = res.get("effectiveDateTime")
        end = None
        if v is None:
            v = res.get("effectiveInstant")
        if v is None and "effectivePeriod" in res:
            v, end = _period(res.get("effectivePeriod"))
        date, est = _date(v)
        if date is None:
            for f in fallbacks:
                date, _ = _date(res.get(f))
                if date is not None:
                    return date, None, True
        return date, _date(end)[0] if end is not None else None, est

    def _value(self, src: Resource) -> tuple[float | None, str | None, str | None]:
        """(number, text, unit) of a value[x]."""
        if "valueQuantity" in src:
            v, unit = _quantity(src["valueQuantity"])
            comp = _s(_d(src["valueQuantity"]).get("comparator"))
            if comp and v is not None:
                return None, f"{comp}{_fmt_num(v)}", unit
            return v, None, unit
        if "valueString" in src:
            return None, _s(src["valueString"]), None
        if "valueCodeableConcept" in src:
            text, system, code, display, _more = _cc(src["valueCodeableConcept"])
            if text is not None and text == code and not display:
                text = coded_value_text(code, system, None)  # a bare code: its known name, or said to be a code
            return None, text, None
        if "valueBoolean" in src:
            b = src["valueBoolean"]
            return None, ("Yes" if b else "No") if isinstance(b, bool) else None, None
        if "valueInteger" in src:
            return _num(src["valueInteger"]), None, None
        if "valueRange" in src:
            r = _d(src["valueRange"])
            lo, u1 = _quantity(r.get("low"))
            hi, u2 = _quantity(r.get("high"))
            txt = f"{_fmt_num(lo) if lo is not None else ''}-{_fmt_num(hi) if hi is not None else ''}"
            return None, txt, u1 or u2
        if "valueRatio" in src:
            r = _d(src["valueRatio"])
            n, u1 = _quantity(r.get("numerator"))
            d, u2 = _quantity(r.get("denominator"))
            if n is not None and d is not None:
                return (
                    None,
                    f"{_fmt_num(n)}{(' ' + u1) if u1 else ''}/{_fmt_num(d)}{(' ' + u2) if u2 else ''}",
                    None,
                )
            return None, None, None
        for k in ("valueDateTime", "valueTime"):
            if k in src:
                return None, _s(src[k]), None
        if "valuePeriod" in src:
            s, e = _period(src["valuePeriod"])
            return None, f"{s or ''} - {e or ''}", None
        if "valueSampledData" in src:
            return None, "(sampled data)", _s(_d(_d(src["valueSampledData"]).get("origin")).get("unit"))
        if "dataAbsentReason" in src:
            reason = _cc_text(src["dataAbsentReason"])
            return None, f"(no value: {reason})" if reason else None, None
        return None, None, None

    def _range(self, src: Resource) -> tuple[float | None, float | None, str | None]:
        ranges = [r for r in _l(src.get("referenceRange")) if isinstance(r, dict)]
        if not ranges:
            return None, None, None
        r = ranges[0]
        lo = _quantity(r.get("low"))[0]
        hi = _quantity(r.get("high"))[0]
        return lo, hi, _s(r.get("text"))

    def _component(self, c: Resource) -> dict[str, Any]:
        title, system, code, display, _more = _cc(c.get("code"))
        value, value_text, unit = self._value(c)
        lo, hi, rtext = self._range(c)
        interp = _cc_code(_first(c.get("interpretation")))
        out = {
            "title": title,
            "code_system": system,
            "code": code,
            "display": display,
            "value": value,
            "value_text": value_text,
            "unit": unit,
            "ref_low": lo,
            "ref_high": hi,
            "ref_text": rtext,
            "interpretation": interp,
        }
        return {k: v for k, v in out.items() if v is not None}

    def _observation(self, where: object, res: Resource) -> None:
        date, date_end, est = self._effective(res, "issued")
        value, value_text, unit = self._value(res)
        lo, hi, rtext = self._range(res)
        category = _obs_category(res.get("category"))
        title, system, code, display, more = _cc(res.get("code"))
        title = title or "Observation"
        components: list[dict[str, Any]] = []
        comps = res.get("component")
        if isinstance(comps, list) and comps:
            components = [self._component(c) for c in comps if isinstance(c, dict)]
            bp = self._blood_pressure(components)
            if bp is not None:
                title = self._bp_title(bp)
                if value is None and value_text is None:
                    value_text, unit = bp
            elif value is None and value_text is None and components:
                parts = []
                for c in components:
                    v = _fmt_num(c["value"]) if "value" in c else c.get("value_text")
                    if v is not None:
                        name = c.get("title") or c.get("code") or "?"
                        parts.append(f"{name}: {v} {display_unit(c.get('unit')) or ''}".rstrip())
                value_text = "; ".join(parts) or None
        performer = None
        for p in _l(res.get("performer")):
            performer = self._ref_name(p, res)
            if performer:
                break
        if value is None and value_text is None and not components:
            # A result reported only as its interpretation ("Positive", "Detected"): that is its value.
            interp = _first(res.get("interpretation"))
            value_text = _s(_d(interp).get("text")) or next(
                (_s(_d(c).get("display")) for c in _l(_d(interp).get("coding")) if _s(_d(c).get("display"))), None
            )
        self.out.items.append(
            Observation(
                date=date,
                date_end=date_end,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                category=category,
                value=value,
                value_text=value_text,
                unit=unit,
                ref_low=lo,
                ref_high=hi,
                ref_text=rtext,
                interpretation=_cc_code(_first(res.get("interpretation"))),
                components=components,
                performer=performer,
                title=title,
                code_system=system,
                code=code,
                display=display,
                codes=more,
            )
        )

    @staticmethod
    def _blood_pressure(components: list[dict[str, Any]]) -> tuple[str, str] | None:
        sys_c = next((c for c in components if c.get("code") == _BP_SYSTOLIC), None)
        dia_c = next((c for c in components if c.get("code") == _BP_DIASTOLIC), None)
        if sys_c is None or dia_c is None:
            return None

        def part(c: dict[str, Any]) -> str:
            if "value" in c:
                return _fmt_num(c["value"])
            return "?"

        if "value" not in sys_c and "value" not in dia_c:
            return None
        unit = sys_c.get("unit") or dia_c.get("unit") or ""
        return f"{part(sys_c)}/{part(dia_c)}", unit

    @staticmethod
    def _bp_title(bp: tuple[str, str]) -> str:
        return f"Blood pressure {bp[0]} {display_unit(bp[1]) or ''}".rstrip()

    def _attachment_doc(
        self,
        res: Resource,
        att: dict[str, Any],
        where: object,
        *,
        title: str,
        date: str | None,
        date_est: bool,
        suffix: str,
        raw_obj: Resource,
        doc_type: str | None,
        author: str | None,
        encounter_ref: str | None,
        patient_ref: str | None,
        status: str | None,
    ) -> tuple[Document, bool]:
        """A Document for one attachment; the flag says whether its bytes were decoded."""
        content_type = _s(att.get("contentType"))
        content: bytes | None = None
        data = att.get("data")
        key = self.keys.get(id(res), res.get("resourceType"))
        if isinstance(data, str):
            content = self._b64(data, where, key)
        elif _s(att.get("url")):
            url = att["url"]
            _k, target = self._resolve_str(url, res)
            if target is not None and target.get("resourceType") == "Binary":
                bdata = target.get("data")
                if isinstance(bdata, str):
                    content = self._b64(bdata, where, key)
                    if content is not None:
                        self.consumed[id(target)] = content
                content_type = content_type or _s(target.get("contentType"))
            else:
                self.out.warnings.append(
                    f"{where} ({key}): attachment {suffix.lstrip('#') or 'content'} points outside this "
                    "file; the document is listed without its content"
                )
        mime = content_type.split(";", 1)[0].strip().lower() if content_type else None
        att_title = _s(att.get("title"))
        is_filename = _looks_like_filename(att_title)
        doc = Document(
            title=att_title if att_title and not is_filename else title,
            date=date,
            date_estimated=date_est,
            status=status,
            encounter_ref=encounter_ref,
            patient_ref=patient_ref,
            provenance=self._prov(res, raw_obj, suffix),
            doc_type=doc_type,
            mime=mime,
            filename=att_title if is_filename else None,
            author=author,
        )
        if att.get("creation") and date is None:
            doc.date, _ = _date(att.get("creation"))
        if content is not None:
            doc.content = content
            doc.size = len(content)
            doc.sha256 = hashlib.sha256(content).hexdigest()
            doc.text = _doc_text(content, mime, content_type)
            h = _s(att.get("hash"))
            if h:
                try:
                    expected = binascii.a2b_base64(h)
                except (binascii.Error, ValueError):
                    expected = b""
                if len(expected) == 20 and hashlib.sha1(content).digest() != expected:  # noqa: S324
                    self.out.warnings.append(f"{where} ({key}): attachment bytes do not match its SHA-1 hash")
        return doc, content is not None

    def _b64(self, data: str, where: object, key: Any) -> bytes | None:
        try:
            return binascii.a2b_base64(data)
        except (binascii.Error, ValueError):
            self.out.warnings.append(
                f"{where} ({key}): attachment data is not valid base64; content not imported"
            )
            return None

    def _diagnostic_report(self, where: object, res: Resource) -> None:
        date, date_end, est = self._effective(res, "issued")
        fields = self._code_fields(res.get("code"), "Diagnostic report")
        category = None
        for cat in _l(res.get("category")):
            category = _cc_code(cat)
            if category:
                break
        performer = None
        for p in _l(res.get("performer")):
            performer = self._ref_name(p, res)
            if performer:
                break
        result_refs = [k for k in (self._ref_key(r, res) for r in _l(res.get("result"))) if k]
        enc_ref = self._encounter_ref(res)
        pat_ref = self._patient_ref(res)
        forms = [a for a in _l(res.get("presentedForm")) if isinstance(a, dict)]
        docs: list[Document] = []
        raw_obj = res
        if forms:
            decoded = []
            for i, att in enumerate(forms):
                doc, ok = self._attachment_doc(
                    res,
                    att,
                    where,
                    title=fields["title"],
                    date=date,
                    date_est=est,
                    suffix=f"#presentedForm[{i}]",
                    raw_obj=res,
                    doc_type="report",
                    author=performer,
                    encounter_ref=enc_ref,
                    patient_ref=pat_ref,
                    status=_s(res.get("status")),
                )
                docs.append(doc)
                decoded.append(ok)
            if any(decoded):
                raw_obj = dict(res)
                raw_obj["presentedForm"] = [
                    {k: v for k, v in a.items() if k != "data"} if ok else a
                    for a, ok in zip(forms, decoded, strict=True)
                ]
                raw = _dumps(raw_obj)
                for d in docs:
                    d.provenance.raw = raw
        self.out.items.append(
            DiagnosticReport(
                date=date,
                date_end=date_end,
                date_estimated=est,
                status=_s(res.get("status")),
                text=_narrative(res, always=True),
                encounter_ref=enc_ref,
                patient_ref=pat_ref,
                provenance=self._prov(res, raw_obj),
                category=category,
                conclusion=_s(res.get("conclusion")),
                result_refs=result_refs,
                performer=performer,
                **fields,
            )
        )
        self.out.items.extend(docs)

    def _document_reference(self, where: object, res: Resource) -> None:
        ctx = _d(res.get("context"))
        start, _end = _period(ctx.get("period"))
        date, est = _date(start)
        if date is None:
            date, est = _date(res.get("date"))
        type_name = _cc_text(res.get("type"))
        title = _s(res.get("description")) or type_name or _cc_text(_first(res.get("category"))) or "Document"
        encs = _l(ctx.get("encounter"))
        enc_ref = self._ref_key(_first(encs), res) if encs else None
        pat_ref = self._patient_ref(res)
        authors = [n for n in (self._ref_name(a, res) for a in _l(res.get("author"))) if n]
        contents = [_d(c) for c in _l(res.get("content"))]
        status = _s(res.get("docStatus")) or _s(res.get("status"))
        if not contents:
            self.out.warnings.append(
                f"{where} ({self.keys.get(id(res))}): a document reference without content"
            )
            contents = [{}]
        docs: list[Document] = []
        decoded: list[bool] = []
        for i, c in enumerate(contents):
            doc, ok = self._attachment_doc(
                res,
                _d(c.get("attachment")),
                where,
                title=title,
                date=date,
                date_est=est,
                suffix=f"#content[{i}]" if i else "",
                raw_obj=res,
                doc_type=type_name,
                author="; ".join(authors) or None,
                encounter_ref=enc_ref,
                patient_ref=pat_ref,
                status=status,
            )
            _, doc.code_system, doc.code, doc.display, doc.codes = _cc(res.get("type"))
            note = _narrative(res)
            if note and doc.text is None:
                doc.text = note
            docs.append(doc)
            decoded.append(ok)
        if any(decoded):
            raw_obj = dict(res)
            raw_obj["content"] = [
                {**c, "attachment": {k: v for k, v in _d(c.get("attachment")).items() if k != "data"}}
                if ok
                else c
                for c, ok in zip(contents, decoded, strict=True)
            ]
            raw = _dumps(raw_obj)
            for d in docs:
                d.provenance.raw = raw
        self.out.items.extend(docs)

    def _binary(self, where: object, res: Resource) -> None:
        if id(res) in self.consumed:
            # Its bytes are a Document's content already: keep the resource (without the bytes when
            # they were decoded) so that the file is accounted for in full.
            self._keep("Binary", res)
            return
        ct = _s(res.get("contentType"))
        att = {"contentType": ct, "data": res.get("data")}
        sec_key, sec = self._ref(res.get("securityContext"), res)
        pat_ref = sec_key if sec_key and sec_key.startswith("Patient/") else None
        doc, ok = self._attachment_doc(
            res,
            att,
            where,
            title=f"Attachment ({ct or 'unknown type'})",
            date=None,
            date_est=False,
            suffix="",
            raw_obj=res,
            doc_type=None,
            author=None,
            encounter_ref=None,
            patient_ref=pat_ref,
            status=None,
        )
        if ok:
            doc.provenance.raw = _dumps({k: v for k, v in res.items() if k != "data"})
        self.out.items.append(doc)

    def _medication_name(self, res: Resource) -> dict[str, Any]:
        """Title and code of the medication: inline, or a Medication found by reference/contained."""
        cc = res.get("medicationCodeableConcept")
        if cc is not None:
            return self._code_fields(cc, "Medication (no name given)")
        ref = res.get("medicationReference")
        display = _s(ref.get("display")) if isinstance(ref, dict) else None
        _k, med = self._ref(ref, res)
        if med is not None and isinstance(med.get("code"), dict):
            return self._code_fields(med["code"], display or "Medication (no name given)")
        if med is not None:
            # A compounded or uncoded product: name it by its ingredients.
            parts = []
            for ing in _l(med.get("ingredient")):
                ing = _d(ing)
                name = _cc_text(ing.get("itemCodeableConcept")) or self._ref_name(
                    ing.get("itemReference"), med
                )
                if name:
                    parts.append(name)
            if parts and display is None:
                display = " + ".join(parts)
        return {"title": display or "Medication (no name given)"}

    def _dosage(self, dosage: Any) -> tuple[str | None, str | None, str | None]:
        """(dose, route, frequency) of the first Dosage."""
        d = _first(dosage)
        if not d:
            return None, None, None
        dose = None
        dr = _first(d.get("doseAndRate"))
        if "doseQuantity" in dr:
            v, unit = _quantity(dr["doseQuantity"])
            if v is not None:
                dose = f"{_fmt_num(v)} {unit or ''}".strip()
        elif "doseRange" in dr:
            lo, u = _quantity(_d(dr["doseRange"]).get("low"))
            hi, _u = _quantity(_d(dr["doseRange"]).get("high"))
            lo_s = _fmt_num(lo) if lo is not None else ""
            hi_s = _fmt_num(hi) if hi is not None else ""
            dose = f"{lo_s}-{hi_s} {u or ''}".strip()
        text = _s(d.get("text"))
        if dose is None:
            dose = text
        timing = _d(d.get("timing"))
        freq = _cc_text(timing.get("code"))
        rep = _d(timing.get("repeat"))
        if freq is None and rep:
            f, p, unit = rep.get("frequency"), rep.get("period"), _s(rep.get("periodUnit"))
            if isinstance(f, int) and _num(p) is not None and unit:
                freq = f"{f} per {_fmt_num(_num(p) or 0)} {unit}"
        if d.get("asNeededBoolean") is True:
            freq = f"{freq}, as needed" if freq else "as needed"
        elif "asNeededCodeableConcept" in d:
            why = _cc_text(d["asNeededCodeableConcept"])
            freq = f"{freq or ''} as needed{' for ' + why if why else ''}".strip()
        return dose, _cc_text(d.get("route")), freq

    def _medication(self, where: object, res: Resource) -> None:
        rt = res["resourceType"]
        fields = self._medication_name(res)
        if rt == "MedicationRequest":
            date, est = _date(res.get("authoredOn"))
            date_end = None
            dose, route, freq = self._dosage(res.get("dosageInstruction"))
            prescriber = self._ref_name(res.get("requester"), res)
            if date is None:
                s, _e = _period(_d(res.get("dispenseRequest")).get("validityPeriod"))
                date, _ = _date(s)
                est = date is not None
        else:
            date, date_end, est = self._effective(res, "dateAsserted")
            dose, route, freq = self._dosage(res.get("dosage"))
            prescriber = None
        reason = self._reason(res)
        self.out.items.append(
            Medication(
                date=date,
                date_end=date_end,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                dose=dose,
                route=route,
                frequency=freq,
                reason=reason,
                prescriber=prescriber,
                **fields,
            )
        )

    def _immunization(self, where: object, res: Resource) -> None:
        date, est = _date(res.get("occurrenceDateTime"))
        if date is None:
            date, _ = _date(res.get("recorded"))
            est = date is not None
        performer = None
        for p in _l(res.get("performer")):
            performer = self._ref_name(_d(p).get("actor"), res)
            if performer:
                break
        pa = _first(res.get("protocolApplied"))
        dn = pa.get("doseNumberPositiveInt", pa.get("doseNumberString"))
        self.out.items.append(
            Immunization(
                date=date,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                lot=_s(res.get("lotNumber")),
                site=_cc_text(res.get("site")),
                route=_cc_text(res.get("route")),
                performer=performer,
                dose_number=str(dn) if isinstance(dn, int | str) and not isinstance(dn, bool) else None,
                **self._code_fields(res.get("vaccineCode"), "Immunization"),
            )
        )

    def _onset(self, res: Resource) -> tuple[str | None, bool]:
        v = res.get("onsetDateTime")
        if v is None and "onsetPeriod" in res:
            v = _period(res["onsetPeriod"])[0]
        date, est = _date(v)
        if date is None:
            date, _ = _date(res.get("recordedDate"))
            est = date is not None
        return date, est

    def _allergy(self, where: object, res: Resource) -> None:
        date, est = self._onset(res)
        reactions = [_d(r) for r in _l(res.get("reaction"))]
        manif = [t for r in reactions for t in (_cc_text(m) for m in _l(r.get("manifestation"))) if t]
        severity = next((_s(r.get("severity")) for r in reactions if _s(r.get("severity"))), None)
        cats = [c for c in _l(res.get("category")) if isinstance(c, str)]
        self.out.items.append(
            Allergy(
                date=date,
                date_estimated=est,
                status=_cc_code(res.get("clinicalStatus")),
                **self._common(res),
                reaction="; ".join(dict.fromkeys(manif)) or None,
                severity=severity,
                criticality=_s(res.get("criticality")),
                category=cats[0] if cats else None,
                **self._code_fields(res.get("code"), "Allergy"),
            )
        )

    def _condition(self, where: object, res: Resource) -> None:
        date, est = self._onset(res)
        end = res.get("abatementDateTime")
        if end is None and "abatementPeriod" in res:
            end = _period(res["abatementPeriod"])[0]
        clinical = _cc_code(res.get("clinicalStatus"))
        self.out.items.append(
            Condition(
                date=date,
                date_end=_date(end)[0],
                date_estimated=est,
                status=clinical,
                **self._common(res),
                clinical_status=clinical,
                verification_status=_cc_code(res.get("verificationStatus")),
                category=_cc_code(_first(res.get("category"))),
                severity=_cc_text(res.get("severity")),
                **self._code_fields(res.get("code"), "Condition"),
            )
        )

    def _procedure(self, where: object, res: Resource) -> None:
        v = res.get("performedDateTime")
        end = None
        if v is None and "performedPeriod" in res:
            v, end = _period(res["performedPeriod"])
        date, est = _date(v)
        performers = [
            n for n in (self._ref_name(_d(p).get("actor"), res) for p in _l(res.get("performer"))) if n
        ]
        reason = self._reason(res)
        self.out.items.append(
            Procedure(
                date=date,
                date_end=_date(end)[0] if end is not None else None,
                date_estimated=est,
                status=_s(res.get("status")),
                **self._common(res),
                performer="; ".join(performers) or None,
                body_site=_texts(res.get("bodySite")),
                reason=reason,
                **self._code_fields(res.get("code"), "Procedure"),
            )
        )


_FILENAME = re.compile(r"^[^/\\]{1,200}\.[A-Za-z0-9]{1,5}$")


def _looks_like_filename(v: Any) -> bool:
    return isinstance(v, str) and bool(_FILENAME.match(v))


def _care_handlers(parser: _Parser) -> dict[str, Callable[[object, Resource], None]]:
    """Handlers of importers/fhir_care.py, which reads with this module's readers (handed over once)."""
    from . import fhir_care

    if fhir_care._d is None:
        fhir_care.use_readers(sys.modules[__name__])
    return fhir_care.care_handlers(parser)
