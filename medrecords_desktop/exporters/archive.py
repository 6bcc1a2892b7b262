"""Encrypted 7z archive of exported files (originals plus a FHIR bundle) for another app or person.

AES-256 (7z's 7zAES: SHA-256-based key derivation with 2^19 rounds) over LZMA2, with the header
encrypted too, so without the password not even the file names or sizes are readable. Opens with:
7-Zip (Windows), 7z / 7za from p7zip or 7zz from 7-Zip for Linux and macOS, Keka and The Unarchiver
(macOS), PeaZip, and py7zr. Tools that do not support an encrypted header (some built-in "extract
all" handlers) will ask for nothing and fail; the export dialog names the tools above.

The archive is written to a temporary file in the destination folder and moved into place, so a
failure never leaves a partial archive.
"""

from __future__ import annotations

import io
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import py7zr
import py7zr.exceptions
import py7zr.io

from medrecords_desktop.errors import ImportRejected, InvalidInput
from medrecords_desktop.exporters._atomic import write_atomically
from medrecords_desktop.exporters.pdfcrypt import check_password

_FILTERS = [{"id": py7zr.FILTER_LZMA2, "preset": 6}, {"id": py7zr.FILTER_CRYPTO_AES256_SHA256}]
# Reading back is for tests and the importer; refuse to inflate more than this (a decompression bomb).
MAX_READ_BYTES = 2 * 1024**3


def safe_member_name(name: str) -> str:
    """A relative POSIX path inside the archive, or InvalidInput (absolute, '..', empty, NUL)."""
    clean = name.replace("\\", "/").strip()
    path = PurePosixPath(clean)
    if (
        not clean
        or "\x00" in clean
        or path.is_absolute()
        or (len(clean) > 1 and clean[1] == ":")
        or any(part in ("..", "") for part in clean.split("/"))
    ):
        raise InvalidInput(f"Not a safe file name inside an archive: {name!r}")
    return str(path)


def write_encrypted_archive(files: dict[str, bytes], out_path: Path, password: str) -> None:
    """Write ``files`` (archive name -> bytes) as an AES-256 7z with encrypted names to ``out_path``."""
    check_password(password)
    names = {safe_member_name(n): data for n, data in files.items()}
    if len(names) != len(files):
        raise InvalidInput("Two files would have the same name inside the archive.")

    def write(fh: BinaryIO) -> None:
        with py7zr.SevenZipFile(fh, "w", filters=_FILTERS, password=password, header_encryption=True) as archive:
            for name, data in names.items():
                archive.writestr(data, name)

    write_atomically(Path(out_path), write)


def read_encrypted_archive(source: Path | bytes, password: str) -> dict[str, bytes]:
    """All files of an archive written above, in memory; ImportRejected on a wrong password or damage."""
    label = "archive" if isinstance(source, bytes | bytearray) else Path(source).name
    fileobj = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    factory = py7zr.io.BytesIOFactory(MAX_READ_BYTES)
    try:
        with py7zr.SevenZipFile(fileobj, "r", password=password) as archive:
            archive.extractall(factory=factory)
            names = [n for n in archive.getnames() if n in factory.products]
    except py7zr.exceptions.DecompressionBombError:
        raise ImportRejected(label, None, "the archive unpacks to more than 2 GB") from None
    # A wrong key decrypts the header to noise, which py7zr reports as any of a dozen exception types
    # (Bad7zFile, CrcError, LZMAError, TypeError "Unknown field", EOFError...): all mean the same here.
    except Exception as exc:
        why = f"wrong password or damaged archive ({type(exc).__name__})"
        raise ImportRejected(label, None, why) from None
    return {name: factory.get(name).read() for name in names}
