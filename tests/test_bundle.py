"""Smoke test of the PyInstaller bundle: built from packaging/medrecords.spec, run headless outside any venv.

Slow (a build takes a minute or two), so it runs only when asked: ``make bundle-smoke`` (which builds
dist/MedRecords first and points MEDRECORDS_BUNDLE_DIR at it), or ``MEDRECORDS_BUNDLE_TEST=1 pytest -m
bundle tests/test_bundle.py`` (which builds into a temporary folder).  The bundle runs with a bare
environment (no PYTHONPATH, no venv on PATH, a fresh HOME), so anything it needs must be inside it.
"""

# ruff: noqa: S603 (runs the bundle and the install script this repository builds)
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medrecords_desktop import __version__
from medrecords_desktop.cli import selfcheck

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(
        os.environ.get("MEDRECORDS_BUNDLE_TEST") != "1", reason="builds the PyInstaller bundle: run `make bundle-smoke`"
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks the Linux bundle's layout"),
]

# What the app needs at run time, relative to the bundle folder (Linux layout, PyInstaller 6 onedir).
REQUIRED = [
    "medrecords",
    "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
    "_internal/PySide6/Qt/plugins/platforms/libqwayland.so",
    "_internal/PySide6/Qt/plugins/imageformats/libqsvg.so",
    "_internal/PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "_internal/PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "_internal/PySide6/Qt/lib/libQt6Pdf.so.6",
    "_internal/PySide6/Qt/lib/libQt6PdfWidgets.so.6",
    "_internal/PySide6/Qt/lib/libQt6Charts.so.6",
    "_internal/PySide6/QtPdf.abi3.so",
    "_internal/PySide6/QtCharts.abi3.so",
    "_internal/PySide6/QtSvg.abi3.so",
    "_internal/sqlcipher3/_sqlite3.*.so",
    "_internal/sqlcipher3_binary.libs/libcrypto-*.so*",
    "_internal/medrecords_desktop/data/expectations.json",
    "_internal/medrecords_desktop/data/selfcheck-bundle.json",
    "_internal/medrecords_desktop/exporters/wordlist.txt",
    "_internal/medrecords_desktop/resources/icons/app/medrecords.svg",
    "_internal/medrecords_desktop/resources/icons/app/medrecords-256.png",
    "_internal/medrecords_desktop/resources/help/06-troubleshooting.md",
    "_internal/medrecords_desktop/resources/linux/org.medrecords.MedRecords.desktop",
]
# What the spec excludes on purpose (PySide6 Addons ship them); matched anywhere in the bundle.
FORBIDDEN = [
    "*WebEngine*",
    "libQt6Quick*",
    "libQt6Qml*",
    "libQt63D*",
    "Qt3D*",
    "*Multimedia*",
    "libQt6VirtualKeyboard*",
    "tkinter",
    "_tkinter*",
    "libtk*",
    "libqvnc.so",
    "libqlinuxfb.so",
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("MEDRECORDS_BUNDLE_DIR")
    if given:
        path = Path(given).resolve()
        assert (path / "medrecords").is_file(), f"MEDRECORDS_BUNDLE_DIR={given} holds no bundle"
        return path
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--workpath",
            str(work / "build"),
            "--distpath",
            str(work / "dist"),
            str(ROOT / "packaging" / "medrecords.spec"),
        ],
        check=True,
        cwd=ROOT,
        timeout=1800,
    )
    return work / "dist" / "MedRecords"


def bundle_has_ocr(bundle: Path) -> bool:
    return (bundle / "_internal" / "rapidocr" / "models").is_dir()


def test_ocr_engine_bundled_with_the_ocr_package(bundle: Path) -> None:
    wanted = (ROOT / "medrecords_desktop" / "ocr").is_dir() and os.environ.get("MEDRECORDS_BUNDLE_NO_OCR") != "1"
    assert bundle_has_ocr(bundle) == wanted
    if wanted:
        assert list((bundle / "_internal" / "rapidocr" / "models").glob("*.onnx"))
        assert list((bundle / "_internal" / "onnxruntime" / "capi").glob("onnxruntime_pybind11_state*.so"))


def bundle_bytes(folder: Path) -> int:
    """Bytes on disk as du counts them: symlinks (PyInstaller links some libraries) once."""
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            st = os.lstat(os.path.join(dirpath, name))
            total += 0 if os.path.islink(os.path.join(dirpath, name)) else st.st_size
    return total


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    """No venv, no PYTHONPATH, a fresh HOME: the bundle must bring everything itself."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(home),
        "MEDRECORDS_VAULT": str(home / "vault"),
    }


def run(bundle: Path, env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / "medrecords"), *args], env=env, cwd=env["HOME"], capture_output=True, text=True, timeout=timeout
    )


def test_version(bundle: Path, bare_env: dict[str, str]) -> None:
    out = run(bundle, bare_env, "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"medrecords {__version__}"


def test_selfcheck(bundle: Path, bare_env: dict[str, str]) -> None:
    out = run(bundle, bare_env, "selfcheck", "-v")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("selfcheck OK: "), out.stdout
    # The bundle holds the GUI exactly when the source tree it was built from does.
    renderer = "gui.TimelineModel" if selfcheck.gui_available() else "QListWidget"
    assert renderer in lines[0]
    assert ("OCR read the test line" in lines[0]) == bundle_has_ocr(bundle)
    print(lines[0])
    print(out.stderr)


def test_contents(bundle: Path) -> None:
    missing = [p for p in REQUIRED if not list(bundle.glob(p))]
    assert not missing, f"missing from the bundle: {missing}"
    unwanted = sorted(str(f.relative_to(bundle)) for pat in FORBIDDEN for f in bundle.rglob(pat))
    assert not unwanted, f"excluded modules came back: {unwanted[:20]}"
    size_mb = bundle_bytes(bundle) / 1e6
    print(f"bundle size: {size_mb:.0f} MB")
    # About 300 MB without OCR; the OCR engine (OpenCV, ONNX Runtime, numpy, models) adds about 290 MB.
    limit = 620 if bundle_has_ocr(bundle) else 330
    assert size_mb < limit, f"bundle grew to {size_mb:.0f} MB (limit {limit}): did an exclude stop working?"


def test_first_window_and_quit(bundle: Path, bare_env: dict[str, str]) -> None:
    """The GUI starts from the bundle to its first window (no vault yet: the welcome page) and quits."""
    if not selfcheck.gui_available():
        pytest.skip("no GUI package in this tree")
    env = {**bare_env, "MEDRECORDS_EXIT_AFTER_SHOW": "1"}
    t0 = time.perf_counter()
    out = run(bundle, env, timeout=60)
    elapsed = time.perf_counter() - t0
    assert out.returncode == 0, out.stderr
    assert "internal error" not in out.stderr, out.stderr
    print(
        f"start to first window and exit: {elapsed:.2f} s (one warm run; benchmarks/bench_bundle_start.py "
        "gives the median)"
    )


def test_install_script(bundle: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "local"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MEDRECORDS_PREFIX": str(prefix)}
    script = str(ROOT / "packaging" / "install-linux.sh")
    sh = "/bin/sh"
    subprocess.run([sh, script, str(bundle)], env=env, check=True, capture_output=True, timeout=300)
    desktop = prefix / "share" / "applications" / "org.medrecords.MedRecords.desktop"
    # no %F: the command line takes commands, not files, as its first argument
    assert f"Exec={prefix}/opt/MedRecords/medrecords\n" in desktop.read_text()
    icons = prefix / "share" / "icons" / "hicolor"
    for size in (16, 48, 256, 512):
        assert (icons / f"{size}x{size}" / "apps" / "org.medrecords.MedRecords.png").is_file()
    assert (icons / "scalable" / "apps" / "org.medrecords.MedRecords.svg").is_file()
    out = subprocess.run(
        [str(prefix / "bin" / "medrecords"), "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == f"medrecords {__version__}"
    subprocess.run([sh, script, "--uninstall"], env=env, check=True, capture_output=True, timeout=60)
    assert not (prefix / "opt" / "MedRecords").exists() and not desktop.exists()
