"""What the person asked of an import (which person, document title, OCR...).

Here, in the importers, because the parsers read some of it (a packet's password, whether to run OCR)
and must not import the services; ``services.importing`` re-exports it under the same name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ImportOptions:
    person: str | None = None  # name or id: every patient in the files goes to this person
    create_persons: bool = False
    title: str | None = None
    date: str | None = None
    kind: str | None = None  # document type for PDFs/images
    encounter: str | None = None  # public encounter id to link documents to
    password: str | None = None  # for encrypted packets
    ocr: bool = True  # recognise the text of scans and photos (on this computer)
