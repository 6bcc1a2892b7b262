"""FHIR JSON sniffing and the JSON guard: UTF-8, size and nesting limits, errors with line and column, and
the fast scanner that keeps each resource's compact source text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ...errors import ImportRejected
from ..base import (
    MAX_JSON_DEPTH,
)
from .datatypes import Resource

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
        raise ImportRejected(file, where, "the file is not valid UTF-8 text (FHIR JSON must be UTF-8)") from None


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
        raise ImportRejected(file, where_prefix or None, f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as e:  # int digits limit, NaN/Infinity
        m = _LONG_NUMBER.search(text)
        if m:
            line, col = _line_col(text, m.start())
            where = f"{where_prefix}line {line + line_offset}, column {col}"
            raise ImportRejected(file, where, "a number with thousands of digits is not a FHIR value") from None
        raise ImportRejected(file, where_prefix or None, f"this is not valid JSON ({e})") from None


def _check_depth(data: bytes, file: str, line_base: int = 0, *, per_line: bool = False) -> None:
    if _too_deep(data, MAX_JSON_DEPTH):
        off = _depth_offset(data, MAX_JSON_DEPTH)
        line, col = _line_col(data, off)
        where = f"line {line + line_base}" if per_line else f"line {line}, column {col}"
        raise ImportRejected(file, where, f"JSON nested deeper than {MAX_JSON_DEPTH} levels: refused as hostile")


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
_SCAN_ONCE: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(parse_constant=_reject_constant).scan_once  # type: ignore[attr-defined]
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
