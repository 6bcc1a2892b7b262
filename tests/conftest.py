"""Shared fixtures.  Tests run headless (offscreen Qt) against the real SQLCipher."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Fixtures of the real SMART on FHIR test peer (tests/portal_harness), used by tests/test_portal_*.py.
pytest_plugins = ["tests.portal_support"]

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
