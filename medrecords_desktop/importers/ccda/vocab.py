"""The C-CDA vocabulary: namespaces, section templates, code systems by OID and the small code maps."""

from __future__ import annotations

V3 = "urn:hl7-org:v3"
_V = "{urn:hl7-org:v3}"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_SDTC = "{urn:hl7-org:sdtc}"
PATIENT_REF = "cda-patient"
CDA_MIME = "application/xml+cda"
RAW_FORMAT = "cda+xml"

_T = "2.16.840.1.113883.10.20.22."

# Section templates (C-CDA R1.1 and R2.x; the ".1" variants are the "entries required" ones).
SECTION_KINDS: dict[str, str] = {
    _T + "2.1": "medications",
    _T + "2.1.1": "medications",
    _T + "2.11": "discharge-medications",
    _T + "2.11.1": "discharge-medications",
    _T + "2.38": "medications-administered",
    _T + "2.2": "immunizations",
    _T + "2.2.1": "immunizations",
    _T + "2.3": "results",
    _T + "2.3.1": "results",
    _T + "2.4": "vital-signs",
    _T + "2.4.1": "vital-signs",
    _T + "2.5": "problems",
    _T + "2.5.1": "problems",
    _T + "2.20": "past-medical-history",
    _T + "2.24": "discharge-diagnosis",
    _T + "2.43": "admission-diagnosis",
    _T + "2.6": "allergies",
    _T + "2.6.1": "allergies",
    _T + "2.7": "procedures",
    _T + "2.7.1": "procedures",
    _T + "2.25": "anesthesia",
    _T + "2.22": "encounters",
    _T + "2.22.1": "encounters",
    _T + "2.17": "social-history",
}

# Sections we know but do not map to items (yet): narrative in the document text, entries kept.
KNOWN_UNMAPPED: dict[str, str] = {
    _T + "2.10": "plan of care",
    "2.16.840.1.113883.10.20.21.2.3": "plan of care",
    _T + "2.14": "functional status",
    _T + "2.56": "mental status",
    _T + "2.15": "family history",
    _T + "2.23": "medical equipment",
    _T + "2.18": "payers",
    _T + "2.21": "advance directives",
    _T + "2.21.1": "advance directives",
    _T + "2.8": "assessment",
    _T + "2.9": "assessment and plan",
    _T + "2.12": "reason for visit",
    _T + "2.13": "chief complaint and reason for visit",
    _T + "2.41": "hospital discharge instructions",
    _T + "2.45": "instructions",
    _T + "2.16": "hospital discharge studies summary",
    _T + "2.27": "procedure description",
    _T + "2.28": "procedure findings",
    _T + "2.29": "procedure indications",
    _T + "2.30": "planned procedure",
    _T + "2.31": "procedure specimens taken",
    _T + "2.34": "preoperative diagnosis",
    _T + "2.35": "postoperative diagnosis",
    _T + "2.36": "postprocedure diagnosis",
    _T + "2.37": "complications",
    _T + "2.39": "medical history",
    _T + "2.40": "procedure implants",
    _T + "2.42": "hospital consultations",
    "1.3.6.1.4.1.19376.1.5.3.1.3.1": "reason for referral",
    "1.3.6.1.4.1.19376.1.5.3.1.3.4": "history of present illness",
    "1.3.6.1.4.1.19376.1.5.3.1.3.5": "hospital course",
    "1.3.6.1.4.1.19376.1.5.3.1.3.18": "review of systems",
    "1.3.6.1.4.1.19376.1.5.3.1.3.26": "chief complaint",
    "1.3.6.1.4.1.19376.1.5.3.1.3.33": "hospital discharge physical",
    "1.3.6.1.4.1.19376.1.5.3.1.1.13.2.1": "chief complaint",
    "1.3.6.1.4.1.19376.1.5.3.1.1.9.15.1": "physical exam (subsection)",
    "2.16.840.1.113883.10.20.2.10": "physical exam",
    "2.16.840.1.113883.10.20.2.5": "general status",
    "2.16.840.1.113883.10.20.21.2.1": "objective",
    "2.16.840.1.113883.10.20.21.2.2": "subjective",
    "2.16.840.1.113883.10.20.18.2.9": "interventions",
    "2.16.840.1.113883.10.20.18.2.12": "findings",
    "2.16.840.1.113883.10.20.7.12": "operative note fluids",
    "2.16.840.1.113883.10.20.7.13": "surgical drains",
    "2.16.840.1.113883.10.20.7.14": "operative note surgical procedure",
    "2.16.840.1.113883.10.20.6.1.1": "DICOM object catalog",
    "2.16.840.1.113883.10.20.6.1.2": "findings",
}

# Code systems by OID -> the URI FHIR uses.  Unknown OIDs become urn:oid:...
CODE_SYSTEMS: dict[str, str] = {
    "2.16.840.1.113883.6.1": "http://loinc.org",
    "2.16.840.1.113883.6.96": "http://snomed.info/sct",
    "2.16.840.1.113883.6.88": "http://www.nlm.nih.gov/research/umls/rxnorm",
    "2.16.840.1.113883.12.292": "http://hl7.org/fhir/sid/cvx",
    "2.16.840.1.113883.6.59": "http://hl7.org/fhir/sid/cvx",
    "2.16.840.1.113883.6.90": "http://hl7.org/fhir/sid/icd-10-cm",
    "2.16.840.1.113883.6.3": "http://hl7.org/fhir/sid/icd-10",
    "2.16.840.1.113883.6.103": "http://hl7.org/fhir/sid/icd-9-cm",
    "2.16.840.1.113883.6.104": "http://hl7.org/fhir/sid/icd-9-cm",
    "2.16.840.1.113883.6.4": "http://www.cms.gov/Medicare/Coding/ICD10",
    "2.16.840.1.113883.6.12": "http://www.ama-assn.org/go/cpt",
    "2.16.840.1.113883.6.285": "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
    "2.16.840.1.113883.6.69": "http://hl7.org/fhir/sid/ndc",
    "2.16.840.1.113883.6.8": "http://unitsofmeasure.org",
    "2.16.840.1.113883.4.9": "http://fdasis.nlm.nih.gov",
    "2.16.840.1.113883.3.26.1.1": "http://ncithesaurus-stage.nci.nih.gov",
    "2.16.840.1.113883.6.101": "http://nucc.org/provider-taxonomy",
    "2.16.840.1.113883.5.4": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
    "2.16.840.1.113883.5.83": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
    "2.16.840.1.113883.5.1": "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender",
    "2.16.840.1.113883.5.6": "http://terminology.hl7.org/CodeSystem/v3-ActClass",
    "2.16.840.1.113883.5.14": "http://terminology.hl7.org/CodeSystem/v3-ActStatus",
    "2.16.840.1.113883.5.112": "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration",
}

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/gif": ".gif",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/rtf": ".rtf",
    "application/msword": ".doc",
}
_NULLISH = frozenset({"UNK", "UNKNOWN", "NI", "NA", "NULL", "NONE", "N/A"})
_MOOD_PLANNED = {"INT", "RQO", "PRP", "ARQ", "APT", "PRMS"}
_ALLERGY_CATEGORY = {
    "416098002": "medication",
    "419511003": "medication",
    "59037007": "medication",
    "414285001": "food",
    "418471000": "food",
    "235719002": "food",
    "426232007": "environment",
    "419199007": None,
    "420134006": None,
    "418038007": None,
}
_SEX = {"M": "male", "F": "female", "UN": "other"}
# SNOMED CT smoking-status answers (the value set of LOINC 72166-2) and the "tobacco use" codes.
_SMOKING_CODES = frozenset(
    {
        "449868002",
        "428041000124106",
        "8517006",
        "266919005",
        "77176002",
        "266927001",
        "428071000124103",
        "428061000124105",
        "65568007",
        "229819007",
        "230059006",
        "160603005",
        "160604004",
        "160605003",
        "160619003",
        "59978006",
        "56578002",
        "56771006",
        "230063004",
    }
)
