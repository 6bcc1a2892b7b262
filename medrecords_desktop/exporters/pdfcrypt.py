"""AES-256 (PDF 2.0 security handler, revision 6) encryption of exported PDFs, written atomically.

reportlab's own encryption is RC4 or AES-128 at best, so reportlab output is always re-saved through
pikepdf (qpdf) with ``R=6, aes=True, metadata=True``: the document information (title) and the XMP
stream are encrypted along with every content stream, string and embedded file.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import BinaryIO

import pikepdf

from medrecords_desktop.errors import InvalidInput
from medrecords_desktop.exporters._atomic import write_atomically


def check_password(password: str | None) -> str:
    """The password itself, or InvalidInput when it is missing or blank."""
    if password is None or not password.strip():
        raise InvalidInput("An export password is required: type one or let the app generate one.")
    return password


def encryption_for(password: str, owner_password: str | None = None) -> pikepdf.Encryption:
    """AES-256, revision 6, metadata encrypted; a random owner password unless one is given."""
    check_password(password)
    # The owner password only guards permission changes; nobody needs it, so it is random by default.
    owner = owner_password or secrets.token_urlsafe(32)
    # Everything allowed (pikepdf's default forbids page assembly): the password is the protection;
    # permission bits only nag the clinician who wants to print or split out one report.
    allow = pikepdf.Permissions(modify_assembly=True, modify_other=True)
    return pikepdf.Encryption(owner=owner, user=password, R=6, aes=True, metadata=True, allow=allow)


def save_encrypted(pdf: pikepdf.Pdf, out_path: Path, password: str, owner_password: str | None = None) -> None:
    """Save ``pdf`` encrypted to ``out_path`` through a temporary file in the same folder."""
    enc = encryption_for(password, owner_password)

    def write(fh: BinaryIO) -> None:
        # Object streams pack the dictionaries into encrypted streams too (smaller, less visible).
        pdf.save(fh, encryption=enc, object_stream_mode=pikepdf.ObjectStreamMode.generate)

    write_atomically(Path(out_path), write)


def encrypt_pdf_bytes(pdf_bytes: bytes, out_path: Path, password: str) -> None:
    """Encrypt an in-memory PDF (for example a reportlab report) to ``out_path``."""
    check_password(password)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        save_encrypted(pdf, out_path, password)


def open_encrypted(data: bytes | Path, password: str) -> pikepdf.Pdf:
    """Open an encrypted export; raises pikepdf.PasswordError on a wrong password."""
    src = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    return pikepdf.open(src, password=password)
