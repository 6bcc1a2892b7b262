"""C-CDA R2.x (HL7 CDA R2 documents: CCD, summary of care, discharge summary, notes) to the record model.

One document becomes: the patient (``PatientInfo`` "cda-patient"), a ``Document`` item holding the
original bytes and the plain text of every section narrative (for search), the encompassing
encounter, and one item per coded entry of the sections we understand (results, vital signs,
medications, immunizations, allergies, problems, procedures, encounters, social history and the
diagnosis lists).  A section we do not understand never rejects the document: its narrative stays in
the document text, its entries are kept verbatim (``ParsedFile.kept``) and a warning names it.

Real vendor files are the yardstick: nullFlavor anywhere, missing times, codes given only as
original text pointing into the narrative, ids reused for different entries.  Every item carries the
entry's own XML as provenance so that a re-import is recognised and an export can be lossless.
"""

from .datatypes import code_system_uri, ts_to_iso
from .narrative import narrative_text
from .read import looks_like_ccda, parse_ccda
from .vocab import CDA_MIME, CODE_SYSTEMS, KNOWN_UNMAPPED, PATIENT_REF, RAW_FORMAT, SECTION_KINDS, V3

__all__ = [
    "CDA_MIME",
    "CODE_SYSTEMS",
    "KNOWN_UNMAPPED",
    "PATIENT_REF",
    "RAW_FORMAT",
    "SECTION_KINDS",
    "V3",
    "code_system_uri",
    "looks_like_ccda",
    "narrative_text",
    "parse_ccda",
    "ts_to_iso",
]
