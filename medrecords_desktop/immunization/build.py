"""Convert the CDC CDSi supporting data (XML, one file per antigen + ScheduleSupportingData.xml)
into the compact JSON the app ships (`medrecords_desktop/data/cdsi.json`).

The conversion is mechanical: every XML element becomes a JSON value, elements that may repeat
become lists, empty elements are dropped. No schedule is written by hand anywhere; the evaluator
reads what this produces. Run it again on a newer release to update:

    python -m medrecords_desktop.immunization.build SUPPORTING_DATA_DIR [OUT.json]
    medrecords immunizations --load-data SUPPORTING_DATA_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ..errors import MedRecordsError
from ..importers.xmlsafe import parse_untrusted_xml

# elements that may occur more than once under their parent
LIST_TAGS = {
    "series",
    "seriesDose",
    "indication",
    "interval",
    "allowableInterval",
    "preferableVaccine",
    "allowableVaccine",
    "inadvertentVaccine",
    "conditionalSkip",
    "set",
    "condition",
    "contraindication",
    "contraindicatedVaccine",
    "clinicalHistory",
    "exclusion",
    "age",
    "liveVirusConflict",
    "cvxMap",
    "association",
    "observation",
    "codedValue",
    "vaccineGroupMap",
    "antigen",
    "vaccineGroup",
    "seasonalRecommendation",
    "dateOfBirth",
    "requiredGender",
}
# text fields not needed for evaluation or display (kept small)
DROP_TAGS = {"contraindicationText", "contraindicationGuidance", "clarifyingText", "guidance", "setDescription"}


class CdsiDataError(MedRecordsError):
    pass


def _convert(elem, parent_tag: str = ""):
    children = [c for c in elem if isinstance(c.tag, str)]
    if not children:
        return (elem.text or "").strip()
    out: dict = {}
    for child in children:
        if child.tag in DROP_TAGS:
            continue
        value = _convert(child, elem.tag)
        if value in ("", {}, []):
            continue
        # a repeatable record is a list; the same tag holding plain text (a series' vaccineGroup,
        # a condition's interval) stays a value, except the antigen names of a vaccine group
        listy = child.tag in LIST_TAGS and (
            isinstance(value, dict) or elem.tag == "vaccineGroupMap" or child.tag == "requiredGender"
        )
        if listy:
            out.setdefault(child.tag, []).append(value)
        else:
            out[child.tag] = value
    return out


def _parse(path: Path):
    """The root element; a damaged or hostile file is refused with its name and the place."""
    try:
        data = path.read_bytes()
        return parse_untrusted_xml(data, path.name, limit=64 * 1024 * 1024)
    except MedRecordsError as exc:
        raise CdsiDataError(str(exc)) from None
    except OSError as exc:
        raise CdsiDataError(f"{path}: cannot read ({exc.strerror})") from None


def build(src: Path) -> dict:
    src = Path(src)
    sched_path = src / "ScheduleSupportingData.xml"
    if not sched_path.is_file():
        raise CdsiDataError(f"{src}: no ScheduleSupportingData.xml here (is this a CDSi supporting data folder?)")
    antigen_files = sorted(src.glob("AntigenSupportingData*.xml"))
    if not antigen_files:
        raise CdsiDataError(f"{src}: no AntigenSupportingData-*.xml files")
    version = ""
    m = re.search(r"(\d+\.\d+)", src.name)
    if m:
        version = m.group(1)
    antigens: dict[str, dict] = {}
    for path in antigen_files:
        root = _parse(path)
        if root.tag != "antigenSupportingData":
            raise CdsiDataError(f"{path.name}: root element is <{root.tag}>, expected <antigenSupportingData>")
        data = _convert(root)
        series = data.get("series") or [] if isinstance(data, dict) else []
        if not series:
            raise CdsiDataError(f"{path.name}: no <series>")
        name = series[0].get("targetDisease")
        if not name:
            raise CdsiDataError(f"{path.name}: first <series> has no <targetDisease>")
        antigens[name] = data
    sched = _parse(sched_path)
    if sched.tag != "scheduleSupportingData":
        raise CdsiDataError(f"{sched_path.name}: root element is <{sched.tag}>")
    return {"format": 1, "version": version, "source": src.name, "schedule": _convert(sched), "antigens": antigens}


def write(data: dict, out: Path) -> None:
    out = Path(out)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "cdsi.json"
    try:
        data = build(Path(argv[0]))
    except (CdsiDataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not data["version"]:
        data["version"] = "unknown"
    write(data, out)
    print(f"wrote {out} (CDSi supporting data {data['version']}, {len(data['antigens'])} antigens)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
