"""What the person asked of an import (which person, document title, OCR...).

Here, in the importers, because the parsers read some of it (a packet's password, whether to run OCR)
and must not import the services; ``services.importing`` re-exports it under the same name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..errors import InvalidInput
from ..model.records import Person
from .base import PatientInfo


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
    # The file's patient disagrees with ``person`` (name or date of birth): import anyway (CLI --force),
    # or ask (GUI: called on the worker thread, True to go on).  Neither: the file is refused.
    force: bool = False
    confirm_person: Callable[[PatientInfo, Person, str], bool] | None = None

    def __post_init__(self) -> None:
        if self.date is not None:
            self.date = valid_date(self.date, "--date")


def valid_date(value: str, what: str = "date") -> str:
    """A real calendar date (YYYY-MM-DD, optionally with a time); InvalidInput naming it otherwise."""
    v = value.strip()
    try:
        datetime.fromisoformat(v)
    except ValueError:
        raise InvalidInput(f"{what} {value!r} is not a real date (use YYYY-MM-DD, e.g. 2025-03-01).") from None
    if not re.match(r"^\d{4}-\d{2}-\d{2}", v):
        raise InvalidInput(f"{what} {value!r} is not a date like 2025-03-01.")
    return v
