"""Update and compile the GUI's translations: ``python -m medrecords_desktop.tools.translations [--check]``.

``pyside6-lupdate`` extracts every ``tr()`` / ``translate()`` / ``QT_TRANSLATE_NOOP`` string of the GUI
into ``resources/i18n/medrecords_<lang>.ts`` (kept in the repo, translated by people), then
``pyside6-lrelease`` compiles each ``.ts`` into the ``.qm`` the app loads.  ``--check`` changes nothing:
it says which strings are unfinished and whether a ``.qm`` is not the compiled form of its ``.ts``.
``scripts/update-translations`` runs this.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own .ts files, written by lupdate
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
GUI = PACKAGE / "gui"
I18N = PACKAGE / "resources" / "i18n"
LANGS = ("es",)


def ts_path(lang: str) -> Path:
    return I18N / f"medrecords_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N / f"medrecords_{lang}.qm"


def sources() -> list[Path]:
    """Every GUI source file: files without marked strings simply add nothing."""
    return sorted(p for p in GUI.rglob("*.py") if "__pycache__" not in p.parts)


def _tool(name: str) -> str:
    """pyside6-<name> beside this Python (the venv), else on PATH."""
    here = Path(sys.executable).parent / f"pyside6-{name}"
    if here.exists():
        return str(here)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 (it ships lupdate and lrelease)")
    return found


def lupdate(files: list[Path], ts: Path) -> None:
    """Merge the strings of ``files`` into ``ts`` (created if missing); strings gone are dropped."""
    subprocess.run(  # noqa: S603 - PySide6's own tool on our own files
        [_tool("lupdate"), "-no-obsolete", "-locations", "none", *map(str, files), "-ts", str(ts)],
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)  # noqa: S603


def qm_up_to_date(lang: str) -> bool:
    """Whether the committed .qm is exactly what lrelease makes from the committed .ts."""
    import tempfile

    qm = qm_path(lang)
    if not qm.exists():
        return False
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / qm.name
        lrelease(ts_path(lang), fresh)
        return fresh.read_bytes() == qm.read_bytes()


def unfinished(ts: Path) -> list[str]:
    """'Context: source' of each message without a finished translation (every plural form filled)."""
    out: list[str] = []
    root = ET.parse(ts).getroot()  # noqa: S314 - our own file
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            src = msg.findtext("source") or ""
            if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                out.append(f"{name}: {src}")
                continue
            forms = tr.findall("numerusform")
            if msg.get("numerus") == "yes":
                if not forms or any(not (f.text or "").strip() for f in forms):
                    out.append(f"{name}: {src}")
            elif not (tr.text or "").strip():
                out.append(f"{name}: {src}")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    status = 0
    for lang in LANGS:
        ts, qm = ts_path(lang), qm_path(lang)
        if not check:
            I18N.mkdir(parents=True, exist_ok=True)
            lupdate(sources(), ts)
        missing = unfinished(ts)
        for m in missing:
            print(f"{ts.name}: unfinished: {m}")
        if not check:
            lrelease(ts, qm)
        elif not qm_up_to_date(lang):
            print(f"{qm.name}: not compiled from the current {ts.name}; run scripts/update-translations")
            status = 1
        print(f"{ts.name}: {len(missing)} unfinished")
        status = status or (1 if missing else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
