"""The FHIR readers' entry points: a JSON file, an NDJSON bulk export, or decoded resources."""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import ImportRejected
from ..base import (
    MAX_FILE_BYTES,
    MAX_JSON_BYTES,
    MAX_NDJSON_LINE,
    ParsedFile,
    gc_paused,
)
from .bundle import Entry, _walk
from .datatypes import Resource
from .guard import _check_depth, _decode_json, _decode_utf8, _is_compact, _loads, _require_resource, looks_like_ndjson
from .parser import _Parser


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
