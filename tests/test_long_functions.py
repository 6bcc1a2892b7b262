"""scripts/long-functions: finds functions (methods and nested ones too) of N+ lines, longest first."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "long-functions"


def _body(n: int, indent: str = "    ") -> str:
    """n lines of a function body."""
    return "".join(f"{indent}x{i} = {i}\n" for i in range(n - 1)) + f"{indent}return None\n"


def test_lists_long_functions_methods_and_nested_ones(tmp_path) -> None:
    src = tmp_path / "m.py"
    src.write_text(
        "def short():\n"
        + _body(49)  # 50 lines with its def
        + "\n\nclass C:\n    @staticmethod\n    def method():\n"
        + _body(60, " " * 8)  # 62 from the decorator
        + "\n\ndef outer():\n    def inner():\n"
        + _body(55, " " * 8)  # inner 56, outer 58
        + "    return inner\n"
    )
    out = subprocess.run([sys.executable, str(SCRIPT), "50", str(src)], capture_output=True, text=True, check=True)
    rows = [ln.split() for ln in out.stdout.splitlines()[:-1]]
    assert [(r[0], r[2]) for r in rows] == [("62", "C.method"), ("58", "outer"), ("56", "outer.inner"), ("50", "short")]
    assert out.stdout.splitlines()[-1] == "4 functions of 50+ lines"
    out = subprocess.run([sys.executable, str(SCRIPT), "57", str(src)], capture_output=True, text=True, check=True)
    assert [ln.split()[2] for ln in out.stdout.splitlines()[:-1]] == ["C.method", "outer"]
