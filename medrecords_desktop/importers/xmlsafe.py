"""Parse untrusted XML bytes into an lxml tree without letting the document reach outside itself.

Every XML importer (C-CDA, XDM metadata) goes through :func:`parse_untrusted_xml`: entities are not
resolved, no DTD is loaded, no network is used, the size is capped, and any DOCTYPE that declares
entities or points at an external DTD is refused outright (XXE, billion laughs), whatever libxml2
would or would not have done with it.
"""

from __future__ import annotations

import re

from lxml import etree

from .base import MAX_XML_BYTES, reject

# A DOCTYPE with an internal subset or an external identifier, found in the raw bytes before parsing:
# refusing it here means libxml2 never even reads the declarations.
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[^\s>\[]+(?P<rest>[^>\[]*)(?P<subset>\[)?", re.IGNORECASE)


_BLANK = re.compile(rb"\s*\Z")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_untrusted_xml(data: bytes, source_name: str, *, limit: int | None = None) -> etree._Element:
    """The root element of ``data``, or :class:`ImportRejected` naming the file and the line."""
    limit = MAX_XML_BYTES if limit is None else limit
    if len(data) > limit:
        raise reject(source_name, None, f"XML document is {len(data):,} bytes, over the {limit:,}-byte limit")
    if _BLANK.match(data):  # stops at the first non-space byte: no copy of a large file
        raise reject(source_name, None, "the file is empty")
    doctype = _prolog_doctype(data)
    if doctype is not None:
        m = _DOCTYPE.match(doctype)
        if m is not None:
            _check_doctype_text(source_name, m.group("rest"), bool(m.group("subset")), doctype)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        where = f"line {line}" if line else None
        msg = exc.msg if getattr(exc, "msg", None) else str(exc)
        # libxml2 prefixes some messages with its own location; keep the sentence a person can read.
        msg = re.sub(r"^.*?line \d+, column \d+:\s*", "", str(msg))
        raise reject(source_name, where, f"not well-formed XML ({msg})") from None
    except ValueError as exc:  # e.g. unicode strings with encoding declaration, never for bytes
        raise reject(source_name, None, f"not readable as XML ({exc})") from None
    if root is None:
        raise reject(source_name, None, "the file holds no XML element")
    _check_docinfo(source_name, root)
    return root


def _prolog_doctype(data: bytes) -> bytes | None:
    """The bytes from ``<!DOCTYPE`` on, when the prolog (before the root element) holds one.

    Walks only the prolog: the XML declaration, processing instructions, comments and whitespace,
    however long they are, so padding cannot push a DOCTYPE out of sight.
    """
    i, n = 0, len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        i = 3
    while i < n:
        while i < n and data[i] in b" \t\r\n":
            i += 1
        if data.startswith(b"<?", i):
            end = b"?>"
        elif data.startswith(b"<!--", i):
            end = b"-->"
        elif data[i : i + 9].upper() == b"<!DOCTYPE":
            return data[i:]
        else:
            return None
        j = data.find(end, i)
        if j < 0:
            return None
        i = j + len(end)
    return None


def _check_doctype_text(source_name: str, rest: bytes, has_subset: bool, tail: bytes) -> None:
    words = rest.upper().split()
    if b"SYSTEM" in words or b"PUBLIC" in words:
        raise reject(source_name, "DOCTYPE", "refused: the DOCTYPE refers to an external DTD")
    if has_subset and re.search(rb"<!ENTITY", tail[: tail.find(b"]>") + 2 if b"]>" in tail else None]):
        raise reject(source_name, "DOCTYPE", "refused: the DOCTYPE declares entities")


def _check_docinfo(source_name: str, root: etree._Element) -> None:
    """Second line of defence, for encodings the byte scan cannot read (UTF-16, UTF-32)."""
    info = root.getroottree().docinfo
    if info.system_url or info.public_id:
        raise reject(source_name, "DOCTYPE", "refused: the DOCTYPE refers to an external DTD")
    dtd = info.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise reject(source_name, "DOCTYPE", "refused: the DOCTYPE declares entities")
