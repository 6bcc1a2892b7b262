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

from .guard import looks_like_fhir_json, looks_like_ndjson
from .read import parse_fhir_json, parse_fhir_ndjson, parse_fhir_resources

__all__ = [
    "looks_like_fhir_json",
    "looks_like_ndjson",
    "parse_fhir_json",
    "parse_fhir_ndjson",
    "parse_fhir_resources",
]
