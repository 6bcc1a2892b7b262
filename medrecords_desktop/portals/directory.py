"""Find your provider: a compact, offline directory of patient-access FHIR endpoints.

Built from the endpoint lists ONC's Lantern project collects from certified EHR developers and payers
(``resources/prod_resources`` of github.com/onc-healthit/lantern-back-end, Apache-2.0): one
``*_EndpointSources.json`` per developer (``{"Endpoints": [{"URL", "OrganizationName", "NPIID",
"OrganizationZipCode"}]}``), the developer list (``CHPLEndpointResourcesList.json``...) and payer lists.

The shipped index (``data/portal_directory.tsv.gz``) is a gzip'd, tab-separated table, one line per
organization and FHIR base, plus one ``#vendor`` line per developer (name and the page that publishes the
list).  Building it:

- drops DSTU2 bases of an organization that also has an R4 (or unversioned) base at the same developer;
- folds identical (organization, base) pairs; a developer's multi-tenant base stays one line per
  organization so each name is findable, and an empty organization name becomes the developer's name;
- adds city and state from the ZIP code where the list gives one (the ``zipcodes`` package, MIT, only at
  build time: ``pip install zipcodes``; without it cities are left empty and the build says so);
- guesses the organization's website from its FHIR base's domain when that domain is its own (used by
  at most three organizations, and not a vendor's hosting domain); empty otherwise.

Searching loads the index once (tens of milliseconds) and answers from memory: every query word must
start a word of the organization's name, city or state, or be the start of its ZIP code.

    medrecords portal directory --rebuild DIR     # from a newer copy of Lantern's files
    medrecords portal find "brooklyn hospital"
"""

from __future__ import annotations

import bisect
import csv
import gzip
import heapq
import html
import io
import itertools
import json
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InvalidInput

INDEX_NAME = "portal_directory.tsv.gz"
FORMAT = "medrecords-portal-directory 1"
# Developers' own hosting domains: a base there says nothing about the organization's website.
HOSTING_DOMAINS = frozenset(
    {
        "epichosted.com",
        "epic.com",
        "cerner.com",
        "oracle.com",
        "athenahealth.com",
        "allscripts.com",
        "veradigm.com",
        "nextgen.com",
        "eclinicalworks.com",
        "ecwcloud.com",
        "meditech.com",
        "meditech.cloud",
        "greenwayhealth.com",
        "practicefusion.com",
        "1up.health",
        "amazonaws.com",
        "azurewebsites.net",
        "azure-api.net",
        "cloudapp.net",
        "healthgorilla.com",
        "drchrono.com",
        "modmed.com",
        "medhost.com",
        "fhir.org",
        "firely.com",
        "smilecdr.com",
        "officepracticum.com",
        "carepaths.com",
        "netsmartcloud.com",
        "dynamicfhir.com",
        "interopengine.com",
        "mphrx.com",
        "onemedical.io",
        "tebra.com",
        "darena.io",
    }
)
# Known payer APIs not (or not always) in Lantern's lists.
BUILT_IN = (
    (
        "Medicare (CMS Blue Button 2.0)",
        "Centers for Medicare & Medicaid Services",
        "https://api.bluebutton.cms.gov/v2/fhir",
        "",
        "https://www.medicare.gov",
        "payer",
    ),
)
_WORD = re.compile(r"[a-z0-9]+")


_BYTE_PUNCT = bytes(b if chr(b).isalnum() or b == 10 else 32 for b in range(256))
_PUNCT = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def _fold(text: str) -> str:
    """Lower case, accents off, punctuation to spaces: "St. Mary's" -> "st mary s"."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().translate(_PUNCT).split())


@dataclass(frozen=True)
class DirectoryEntry:
    id: int  # line number in the index: stable for one index, for "add --from-directory #id"
    organization: str
    vendor: str
    fhir_base: str
    zip: str
    city: str
    state: str
    version: str  # R4 | DSTU2 | "" (not said)
    website: str  # the organization's own site, where its FHIR base's domain tells; else ""
    vendor_page: str  # where the developer publishes the list this came from
    kind: str  # ehr | payer

    @property
    def place(self) -> str:
        return ", ".join(x for x in (self.city, f"{self.state} {self.zip}".strip()) if x)

    def to_json(self) -> dict[str, object]:
        return {**self.__dict__, "place": self.place}


# ---------------------------------------------------------------------------------------------------------
# Building


def _version(url: str) -> str:
    u = url.lower()
    if "dstu2" in u or re.search(r"/(r2|dstu2?)(/|$)", u):
        return "DSTU2"
    if "stu3" in u or re.search(r"/r3(/|$)", u):
        return "STU3"
    if re.search(r"(^|[/_-])r4([/_-]|$)", u) or "fhir/r4" in u:
        return "R4"
    return ""


def _domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    if not host or re.fullmatch(r"[0-9.]+", host):
        return ""
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and len(parts[-2]) <= 3:
        return ".".join(parts[-3:])  # nhs.co.uk, state.ny.us...
    return ".".join(parts[-2:])


def _vendor_names(src: Path) -> dict[str, tuple[str, str]]:
    """File name -> (developer name, page that publishes the list)."""
    out: dict[str, tuple[str, str]] = {}
    for listing in (
        "CHPLEndpointResourcesList.json",
        "EndpointResourcesList.json",
        "MedicareStateEndpointResourcesList.json",
    ):
        path = src / listing
        if not path.exists():
            continue
        try:
            rows = json.loads(path.read_text("utf-8"))
        except ValueError as e:
            raise InvalidInput(f"{path}: not JSON ({e}).") from None
        for r in rows if isinstance(rows, list) else []:
            if isinstance(r, dict) and r.get("FileName"):
                out[str(r["FileName"])] = (str(r.get("EndpointName") or ""), str(r.get("URL") or ""))
    return out


def _zip_places(zips: Iterable[str]) -> tuple[dict[str, tuple[str, str]], bool]:
    try:
        import zipcodes  # type: ignore[import-not-found]  # build-time only (pip install zipcodes)
    except ImportError:
        return {}, False
    out = {}
    for z in zips:
        try:
            hit = zipcodes.matching(z)
        except (ValueError, TypeError):
            continue
        if hit:
            out[z] = (str(hit[0].get("city") or ""), str(hit[0].get("state") or ""))
    return out, True


def build_index(src: Path) -> tuple[bytes, dict[str, int]]:
    """The index bytes (gzip'd TSV) from a folder of Lantern's files, and counts for the build report."""
    src = Path(src)
    files = sorted(src.glob("*EndpointSources.json"))
    if not files:
        raise InvalidInput(f"{src}: no *_EndpointSources.json files here (a copy of Lantern's prod_resources?).")
    vendors = _vendor_names(src)
    raw: list[tuple[str, str, str, str, str, str]] = []  # name, vendor, url, zip, page, kind
    read = 0
    for path in files:
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{path}: not JSON ({exc}).") from None
        endpoints = doc.get("Endpoints") if isinstance(doc, dict) else doc
        vendor, page = vendors.get(path.name, ("", ""))
        payer = path.name.startswith(("Medicare_", "MedicaidState_"))
        if not vendor:
            stem = re.sub(r"_?\d*_?EndpointSources\.json$", "", path.name).replace("Medicare_", "")
            vendor = stem.replace("_", " ").strip()
        for e in endpoints if isinstance(endpoints, list) else []:
            if not isinstance(e, dict):
                continue
            url = str(e.get("URL") or "").strip()
            if not url.startswith("https://"):
                continue  # only verified HTTPS is ever used; a listed http base is not offered
            read += 1
            name = " ".join(html.unescape(str(e.get("OrganizationName") or "")).split())
            zip5 = re.sub(r"\D", "", str(e.get("OrganizationZipCode") or ""))[:5]
            if not name:
                name = vendor + (" (Medicare plans)" if path.name.startswith("Medicare_") else "")
            elif path.name.startswith("MedicaidState_"):
                name = f"{name} Medicaid"
            raw.append(
                (name, vendor, url.rstrip("/"), zip5 if len(zip5) == 5 else "", page, "payer" if payer else "ehr")
            )
    csv_payers = src / "oneupdata.csv"
    if csv_payers.exists():
        with csv_payers.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                if len(row) >= 3 and row[2].startswith("https://"):
                    raw.append((" ".join(row[1].split()) or row[0], row[0], row[2].rstrip("/"), "", "", "payer"))
    for name, vendor, url, zip5, _site, kind in BUILT_IN:
        raw.append((name, vendor, url, zip5, "", kind))

    # Prefer R4: an organization's DSTU2 base goes when the same developer lists another for it.
    older = ("DSTU2", "STU3")
    # Same organization: same name at the same developer, or at the same server (two lists, one host).
    newer = [(_fold(n), v, urlsplit(u).hostname or "") for n, v, u, *_ in raw if _version(u) not in older]
    has_newer = {(n, v) for n, v, _ in newer} | {(n, h) for n, _, h in newer}
    kept = [
        r
        for r in raw
        if _version(r[2]) not in older
        or ((_fold(r[0]), r[1]) not in has_newer and (_fold(r[0]), urlsplit(r[2]).hostname or "") not in has_newer)
    ]
    seen: set[tuple[str, str]] = set()
    rows = []
    for r in kept:
        key = (_fold(r[0]), r[2].lower())
        if key in seen:
            continue
        seen.add(key)
        rows.append(r)
    places, have_zip_db = _zip_places({r[3] for r in rows if r[3]})
    orgs_per_domain: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        orgs_per_domain[_domain(r[2])].add(_fold(r[0]))
    built_in_sites = {b[2]: b[4] for b in BUILT_IN}

    vendor_ids: dict[str, int] = {}
    vendor_lines = []
    body = []
    for name, vendor, url, zip5, page, kind in sorted(rows, key=lambda r: (_fold(r[0]), r[2])):
        if vendor not in vendor_ids:
            vendor_ids[vendor] = len(vendor_ids)
            vendor_lines.append(f"#vendor\t{vendor_ids[vendor]}\t{vendor}\t{page}")
        dom = _domain(url)
        website = built_in_sites.get(url, "")
        if not website and dom and dom not in HOSTING_DOMAINS and len(orgs_per_domain[dom]) <= 3:
            website = f"https://{dom}"
        city, state = places.get(zip5, ("", ""))
        fields = (name, str(vendor_ids[vendor]), url, zip5, city, state, _version(url), website, kind)
        body.append("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields))
    text = "\n".join([f"#{FORMAT}", *vendor_lines, *body]) + "\n"
    data = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    counts = Counter(
        endpoints_read=read,
        entries=len(body),
        vendors=len(vendor_ids),
        dstu2_dropped=len(raw) - len(kept),
        with_city=sum(1 for r in rows if r[3] in places),
        zip_database=int(have_zip_db),
    )
    return data, dict(counts)


def shipped_index_path() -> Path:
    return Path(str(resources.files("medrecords_desktop").joinpath(f"data/{INDEX_NAME}")))


def write_index(src: Path, out: Path | None = None) -> tuple[Path, dict[str, int]]:
    data, counts = build_index(src)
    out = Path(out) if out is not None else shipped_index_path()
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    _load.cache_clear()
    counts["bytes"] = len(data)
    return out, counts


# ---------------------------------------------------------------------------------------------------------
# Searching


class Directory:
    """The parsed index: rows kept as field lists (entries are made only for results), and an inverted
    index from each word of name, city and state (and the ZIP) to the rows holding it."""

    def __init__(self, rows: list[list[str]], vendors: dict[str, tuple[str, str]]) -> None:
        self.rows, self.vendors = rows, vendors
        postings: dict[str, list[int]] = defaultdict(list)
        # All rows' searchable text folded in one pass (bytes.translate runs in C): a line per row.
        lines = [f"{f[0]} {f[4]} {f[5]} {f[3]}" for f in rows]
        lines = [t if t.isascii() else _fold(t) for t in lines]
        folded = "\n".join(lines).lower().encode("ascii").translate(_BYTE_PUNCT).decode("ascii").split("\n")
        for i, text in enumerate(folded):
            for w in set(text.split()):
                postings[w].append(i)
        self._postings = dict(postings)
        self._words = sorted(postings)
        # A global order (R4 first, shorter names first) for ranking very large result sets cheaply.
        by_rank = sorted(range(len(rows)), key=lambda i: (rows[i][6] != "R4", len(rows[i][0])))
        self._order = [0] * len(rows)
        for pos, i in enumerate(by_rank):
            self._order[i] = pos

    def __len__(self) -> int:
        return len(self.rows)

    def _starting(self, prefix: str) -> set[int]:
        """Rows with a word starting with ``prefix``."""
        words = self._words
        lo = bisect.bisect_left(words, prefix)
        out: set[int] = set()
        for w in itertools.islice(words, lo, None):
            if not w.startswith(prefix):
                break
            out.update(self._postings[w])
        return out

    def entry(self, i: int) -> DirectoryEntry:
        f = self.rows[i]
        vendor, page = self.vendors.get(f[1], ("", ""))
        return DirectoryEntry(i, f[0], vendor, f[2], f[3], f[4], f[5], f[6], f[7], page, f[8])

    def search(self, query: str, limit: int = 25, kind: str | None = None) -> list[DirectoryEntry]:
        words = _fold(query).split()
        if not words:
            return []
        # Longest word first: its candidate set is usually the smallest.
        words.sort(key=len, reverse=True)
        found = self._starting(words[0])
        for w in words[1:]:
            if not found:
                break
            found &= self._starting(w)
        phrase = " ".join(_fold(query).split())
        if len(found) > 3000:  # a one- or two-letter start: rank cheaply, the person will type on
            if kind is not None:
                found = {i for i in found if self.rows[i][8] == kind}
            top = heapq.nsmallest(limit, found, key=self._order.__getitem__)
            return [self.entry(i) for i in top]
        ranked = []
        for i in found:
            f = self.rows[i]
            if kind is not None and f[8] != kind:
                continue
            name = _fold(f[0])
            ranked.append(
                (
                    (
                        0 if name.startswith(phrase) else 1 if phrase in name else 2,
                        0 if f[6] == "R4" else 1 if f[6] == "" else 2,
                        f[2].lower().count("open"),
                        len(f[0]),
                        f[0],
                        i,
                    ),
                    i,
                )
            )
        ranked.sort()
        return [self.entry(i) for _, i in ranked[:limit]]

    def get(self, entry_id: int) -> DirectoryEntry:
        if not 0 <= entry_id < len(self.rows):
            raise InvalidInput(f"No directory entry #{entry_id}; see: medrecords portal find WORDS")
        return self.entry(entry_id)


def parse_index(data: bytes, source: str = INDEX_NAME) -> Directory:
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise InvalidInput(f"{source}: not a portal directory index ({e}).") from None
    lines = text.splitlines()
    if not lines or lines[0] != f"#{FORMAT}":
        raise InvalidInput(f"{source}: not a portal directory index (line 1 is not {FORMAT!r}).")
    vendors: dict[str, tuple[str, str]] = {}
    rows: list[list[str]] = []
    for n, line in enumerate(lines[1:], start=2):
        f = line.split("\t")
        if f[0] == "#vendor":
            if len(f) != 4:
                raise InvalidInput(f"{source}: line {n}: a vendor line needs 4 fields.")
            vendors[f[1]] = (f[2], f[3])
            continue
        if len(f) != 9:
            raise InvalidInput(f"{source}: line {n}: expected 9 tab-separated fields, found {len(f)}.")
        rows.append(f)
    return Directory(rows, vendors)


_LOAD_LOCK = threading.Lock()


def load(path: str | None = None) -> Directory:
    """The shipped index (or ``path``), parsed once per process (thread-safe: the GUI warms it up in the
    background while the person starts typing)."""
    with _LOAD_LOCK:
        return _load(path)


@cache
def _load(path: str | None) -> Directory:
    p = Path(path) if path else shipped_index_path()
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InvalidInput(f"{p}: the portal directory could not be read ({e.strerror}).") from None
    return parse_index(data, str(p))


def index_bytes(path: str | None = None) -> int:
    return (Path(path) if path else shipped_index_path()).stat().st_size


def to_text(data: bytes) -> str:
    """The index as text (for a person curious what is inside)."""
    return io.TextIOWrapper(io.BytesIO(gzip.decompress(data)), encoding="utf-8").read()
