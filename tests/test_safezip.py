"""safezip: hostile archives are refused with the zip and the member named; honest ones read in memory."""

from __future__ import annotations

import io
import stat
import warnings
import zipfile

import pytest

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers import safezip
from medrecords_desktop.importers.base import MAX_ZIP_MEMBERS, MAX_ZIP_RATIO
from medrecords_desktop.importers.safezip import open_zip_safely

WHEN = (2024, 1, 1, 0, 0, 0)


def make_zip(members: list[tuple[zipfile.ZipInfo | str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; we make them on purpose
        with zipfile.ZipFile(buf, "w", method) as zf:
            for info, body in members:
                if isinstance(info, str):
                    info = zipfile.ZipInfo(info, WHEN)
                info.compress_type = method
                zf.writestr(info, body)
    return buf.getvalue()


def rejected(data: bytes, name: str = "bad.zip") -> ImportRejected:
    with pytest.raises(ImportRejected) as exc:
        open_zip_safely(data, name)
    assert exc.value.file == name and str(exc.value).startswith(name)
    return exc.value


def test_honest_zip_reads_in_memory():
    data = make_zip([("a/one.txt", b"hello"), ("a/", b""), ("two.xml", b"<x/>" * 1000)])
    members = open_zip_safely(data, "ok.zip")
    assert [(m.name, m.data[:5], m.size) for m in members] == [
        ("a/one.txt", b"hello", 5),
        ("two.xml", b"<x/><", 4000),  # directories are left out; repetitive small files are fine
    ]
    assert members[1].compressed_size < 100  # more than 40:1, below the floor where the ratio rule bites


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../evil.txt", "a\\..\\..\\evil.txt", ".."])
def test_parent_paths_refused(name):
    exc = rejected(make_zip([("fine.txt", b"x"), (name, b"x")]))
    assert exc.where == f"member {name!r}" and "climbs out" in exc.why


@pytest.mark.parametrize("name", ["/etc/passwd", "C:/Windows/evil.dll", "c:\\evil.txt", "\\\\server\\share\\x"])
def test_absolute_paths_refused(name):
    exc = rejected(make_zip([(name, b"x")]))
    assert "absolute path" in exc.why and exc.where == f"member {name!r}"


def test_symlink_member_refused():
    info = zipfile.ZipInfo("link", WHEN)
    info.create_system = 3  # unix
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    exc = rejected(make_zip([("ok.txt", b"x"), (info, b"/etc/passwd")]))
    assert exc.where == "member 'link'" and "symbolic link" in exc.why


def test_encrypted_member_refused():
    # zipfile cannot write encrypted members: set the "encrypted" flag bit in both headers, which is
    # what a reader sees for ZipCrypto or AES members.
    data = bytearray(make_zip([("secret.xml", b"<x/>")], method=zipfile.ZIP_STORED))
    data[6] |= 0x1  # local file header general purpose flags
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 8] |= 0x1  # central directory general purpose flags
    exc = rejected(bytes(data))
    assert exc.where == "member 'secret.xml'" and "encrypted" in exc.why


def test_duplicate_names_refused():
    exc = rejected(make_zip([("doc.xml", b"a"), ("DOC.XML", b"b")]))
    assert "two members with this name" in exc.why


def test_zip_bomb_ratio_refused():
    bomb = make_zip([("small.txt", b"x"), ("bomb.bin", b"\0" * (20 * 1024 * 1024))])
    assert len(bomb) < 100_000
    exc = rejected(bomb)
    assert exc.where == "member 'bomb.bin'" and f"{MAX_ZIP_RATIO}:1" in exc.why


def test_streaming_cap_does_not_trust_the_header(monkeypatch):
    """Decompression stops at the cap even when the directory check was passed (e.g. a header that
    understates the size): exercised directly on the reader with a tiny ratio floor."""
    data = make_zip([("z.bin", b"\0" * 500_000)])
    monkeypatch.setattr(safezip, "RATIO_FLOOR", 10_000)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (info,) = zf.infolist()
        with pytest.raises(ImportRejected, match="expands more than"):
            safezip._read_member(zf, info, "forged.zip", remaining=10**9)
        with pytest.raises(ImportRejected, match="add up to more than"):
            safezip._read_member(zf, info, "forged.zip", remaining=5_000)


def test_size_header_that_lies_is_refused():
    data = bytearray(make_zip([("a.txt", b"0123456789" * 100)], method=zipfile.ZIP_STORED))
    # Change the declared size in the central directory only: the reader must notice.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (500).to_bytes(4, "little")
    exc = rejected(bytes(data))
    assert "member 'a.txt'" in (exc.where or "") or "damaged" in exc.why


def test_too_many_members_refused():
    data = make_zip([(f"f{i}", b"") for i in range(MAX_ZIP_MEMBERS + 1)], method=zipfile.ZIP_STORED)
    exc = rejected(data)
    assert f"{MAX_ZIP_MEMBERS + 1:,} members" in exc.why and exc.where is None


def test_total_size_refused(monkeypatch):
    monkeypatch.setattr(safezip, "MAX_ZIP_TOTAL", 1_000)
    exc = rejected(make_zip([("a", b"a" * 600), ("b", b"b" * 600)], method=zipfile.ZIP_STORED))
    assert exc.where == "member 'b'" and "add up to more than 1,000 bytes" in exc.why


def test_truncated_zip_refused():
    data = make_zip([("a.xml", b"<x>" + b"data " * 2000 + b"</x>")])
    exc = rejected(data[: len(data) // 2])
    assert "truncated or damaged" in exc.why


def test_corrupt_member_data_refused():
    body = bytes(range(256)) * 64
    data = bytearray(make_zip([("a.bin", body)], method=zipfile.ZIP_STORED))
    data[100] ^= 0xFF  # inside the stored bytes: the CRC no longer matches
    exc = rejected(bytes(data))
    assert exc.where == "member 'a.bin'" and "damaged" in exc.why


def test_not_a_zip():
    assert "not a readable zip" in rejected(b"%PDF-1.7 hello").why
    assert "not a readable zip" in rejected(b"").why
