"""Bad data is refused with one line, never stored: impossible dates, a text that is not a health record,
a cut-off image, a zip whose document is cut off (a failure in the report and the exit code)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from medrecords_desktop.errors import InvalidInput
from medrecords_desktop.services.importing import ImportOptions, ImportService
from medrecords_desktop.services.records import RecordService
from tests.conftest import FIXTURES


def _run(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("bad", ["2025-13-01", "2025-02-30", "2025-1-1x", "yesterday", "20250101x"])
def test_impossible_dates_are_refused(bad) -> None:
    with pytest.raises(InvalidInput, match="not a"):
        ImportOptions(date=bad)
    assert ImportOptions(date="2025-02-28").date == "2025-02-28"


def test_cli_date_error_is_one_line(cli_env, tmp_path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Visit with Dr. Lee: blood pressure fine, continue medication.")
    r = _run(cli_env, "import", str(note), "--person", "Alice Example", "--date", "2025-13-01")
    assert r.returncode != 0
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "2025-13-01" in lines[0] and "not a real date" in lines[0]


def test_a_text_that_is_not_a_health_record_is_refused(vault, tmp_path) -> None:
    services = tmp_path / "services"
    services.write_text(
        "# Network services, Internet style\ntcpmux 1/tcp\necho 7/tcp\necho 7/udp\ndiscard 9/tcp sink null\n"
        "systat 11/tcp users\ndaytime 13/tcp\nnetstat 15/tcp\nftp 21/tcp\nssh 22/tcp\ntelnet 23/tcp\n" * 20
    )
    before = RecordService(vault).stats()
    report = ImportService(vault).import_paths([services], ImportOptions(person="Alice Example"))
    (o,) = report.files
    assert o.status == "failed" and "does not look like a health record" in (o.error or "")
    assert RecordService(vault).stats() == before
    # a real note goes in; so does the same file when the user says what it is
    note = tmp_path / "note.txt"
    note.write_text("Saw Dr. Patel at the clinic. Blood pressure 128/80, keep the medication as prescribed.")
    assert not ImportService(vault).import_paths([note], ImportOptions(person="Alice Example")).failed
    titled = ImportService(vault).import_paths([services], ImportOptions(person="Alice Example", title="Ports"))
    assert not titled.failed


def _jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 40, 40)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_a_cut_off_image_is_refused_unless_forced(vault, tmp_path) -> None:
    data = _jpeg()
    cut = tmp_path / "photo.jpg"
    cut.write_bytes(data[: len(data) * 2 // 3])
    opts = ImportOptions(person="Alice Example", ocr=False)
    report = ImportService(vault).import_paths([cut], opts)
    assert report.failed and "damaged or cut off" in (report.files[0].error or "")
    forced = ImportService(vault).import_paths([cut], ImportOptions(person="Alice Example", ocr=False, force=True))
    assert not forced.failed and forced.added["document"] == 1
    whole = tmp_path / "whole.jpg"
    whole.write_bytes(data)
    assert not ImportService(vault).import_paths([whole], opts).failed


def test_a_zip_whose_document_is_cut_off_is_a_failure_with_exit_code(cli_env, tmp_path) -> None:
    golden = (FIXTURES / "ccda" / "golden.xml").read_bytes()
    z = tmp_path / "records.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("IHE_XDM/SUBSET01/DOC0001.XML", golden[: len(golden) // 2])
    r = _run(cli_env, "import", str(z), "--person", "Alice Example", "--force")
    assert r.returncode == 1
    assert "could not be read" in r.stderr and "DOC0001.XML" in r.stderr
    assert "Imported 0 of 1 file," in r.stdout
    # one good, one cut off: the good one is in, the file still counts as failed
    z2 = tmp_path / "two.zip"
    with zipfile.ZipFile(z2, "w") as zf:
        zf.writestr("IHE_XDM/SUBSET01/DOC0001.XML", golden)
        zf.writestr("IHE_XDM/SUBSET01/DOC0002.XML", golden[: len(golden) // 2])
    r = _run(cli_env, "import", str(z2), "--person", "Alice Example", "--force")
    assert r.returncode == 1 and "1 document in it could not be read" in r.stderr


def test_paths_are_not_leaked(tmp_path: Path) -> None:
    # the refusal names the file, not the health data in it
    from medrecords_desktop.importers.registry import parse_bytes

    with pytest.raises(Exception, match="does not look like a health record") as e:
        parse_bytes(b"alpha beta gamma delta\n" * 10, "list.txt")
    assert "alpha" not in str(e.value)
