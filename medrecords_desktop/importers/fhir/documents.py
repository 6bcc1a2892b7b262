"""DocumentReference, Binary and attachments: documents and their bytes."""

from __future__ import annotations

import binascii
import hashlib
import re
from typing import Any

from ...model.records import (
    Document,
)
from .core import _dumps, _ParserCore
from .datatypes import (
    Resource,
    _cc,
    _cc_text,
    _d,
    _date,
    _doc_text,
    _first,
    _l,
    _narrative,
    _period,
    _s,
)


class _DocumentsMixin(_ParserCore):
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
        key = self.keys.get(id(res), res.get("resourceType"))
        content, content_type = self._attachment_bytes(res, att, where, key, suffix)
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
            self._check_hash(att, content, where, key)
        return doc, content is not None

    def _attachment_bytes(
        self, res: Resource, att: dict[str, Any], where: object, key: Any, suffix: str
    ) -> tuple[bytes | None, str | None]:
        """An attachment's bytes (inline, or from the Binary its url points at) and content type."""
        content_type = _s(att.get("contentType"))
        content: bytes | None = None
        data = att.get("data")
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
        return content, content_type

    def _check_hash(self, att: dict[str, Any], content: bytes, where: object, key: Any) -> None:
        """A warning when the attachment's SHA-1 hash does not match its bytes."""
        h = _s(att.get("hash"))
        if h:
            try:
                expected = binascii.a2b_base64(h)
            except (binascii.Error, ValueError):
                expected = b""
            if len(expected) == 20 and hashlib.sha1(content).digest() != expected:  # noqa: S324
                self.out.warnings.append(f"{where} ({key}): attachment bytes do not match its SHA-1 hash")

    def _b64(self, data: str, where: object, key: Any) -> bytes | None:
        try:
            return binascii.a2b_base64(data)
        except (binascii.Error, ValueError):
            self.out.warnings.append(f"{where} ({key}): attachment data is not valid base64; content not imported")
            return None

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
            self.out.warnings.append(f"{where} ({self.keys.get(id(res))}): a document reference without content")
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
                {**c, "attachment": {k: v for k, v in _d(c.get("attachment")).items() if k != "data"}} if ok else c
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


_FILENAME = re.compile(r"^[^/\\]{1,200}\.[A-Za-z0-9]{1,5}$")


def _looks_like_filename(v: Any) -> bool:
    return isinstance(v, str) and bool(_FILENAME.match(v))
