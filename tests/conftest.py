"""Shared fixtures.  Tests run headless (offscreen Qt) against the real SQLCipher."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config: pytest.Config) -> None:
    """As the app does after start-up (gui/prewarm.py): native libraries imported on the main thread,
    never for the first time on a GUI test's worker."""
    with contextlib.suppress(ImportError):
        import PySide6.QtCore  # noqa: F401 - its import hook first, as in the app

        from medrecords_desktop.gui.prewarm import prewarm

        prewarm()


# Fixtures of the real SMART on FHIR test peer (tests/portal_harness), used by tests/test_portal_*.py,
# and of real Syncthing instances on 127.0.0.1 (tests/syncthing_harness.py), used by the replication tests.
pytest_plugins = ["tests.portal_support", "tests.syncthing_harness"]

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# CI clones the repo into a fresh folder with a copy of shared/ beside it: ../shared/corpus.
CORPUS = Path(os.environ.get("MEDRECORDS_CORPUS", ROOT.parent / "shared" / "corpus"))


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus, or skip the test (with the reason) where it is absent."""
    p = CORPUS.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"third-party corpus not present at {p} (../shared/corpus is optional)")
    return p


@pytest.fixture
def corpus() -> Path:
    return corpus_path()


# --------------------------------------------------------------------------- vaults
# One template vault per session (the KDF is slow on purpose), copied into tmp_path per test.
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session")
def vault_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from medrecords_desktop.vault.crypto import fast_test_kdf
    from medrecords_desktop.vault.vault import Vault

    path = tmp_path_factory.mktemp("template") / "vault"
    v, recovery = Vault.create(path, PASSPHRASE, owner_name="Pat Owner", kdf=fast_test_kdf())
    v.add_person("Alice Example", "1980-04-12", "female")
    v.add_person("Bobby Example", "2015-09-01", "male")
    v.close()
    return path, recovery


@pytest.fixture
def vault_dir(vault_template: tuple[Path, str], tmp_path: Path) -> Path:
    import shutil

    dest = tmp_path / "vault"
    shutil.copytree(vault_template[0], dest, ignore=shutil.ignore_patterns("vault.lock"))
    return dest


@pytest.fixture
def vault(vault_dir: Path):
    from medrecords_desktop.vault.vault import Vault

    v = Vault.open(vault_dir, PASSPHRASE)
    yield v
    with contextlib.suppress(Exception):  # a test may have closed it already
        v.close()


@pytest.fixture
def cli_env(vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = dict(
        os.environ, MEDRECORDS_PASSPHRASE=PASSPHRASE, MEDRECORDS_VAULT=str(vault_dir), MEDRECORDS_TEST_FAST_KDF="1"
    )
    return env


@pytest.fixture(autouse=True)
def _device_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What 'this device' remembers of vaults (vault/device.py): a fresh folder per test, never ~/.local."""
    d = tmp_path_factory.mktemp("device")
    monkeypatch.setenv("MEDRECORDS_DEVICE_DIR", str(d))
    return d
