"""GUI benchmark on a big vault (offscreen): launch, unlock to first page, scrolling, encounter browser.

    python benchmarks/bench_vault.py --observations 1000000 --keep /tmp/big     # once: builds /tmp/big/vault
    python benchmarks/bench_gui.py /tmp/big/vault

Targets (issue 4): launch to the unlock screen <= 0.5 s warm; unlock to the first timeline page painted
<= 1.5 s including the KDF; median frame while scrolling the timeline <= 16 ms; opening the encounter
browser <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASS = "benchmark passphrase 1"  # noqa: S105 - the throwaway benchmark vault's, from bench_vault.py

LAUNCH = """
import time, sys, argparse
t0 = time.perf_counter()
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from medrecords_desktop.gui.app import build_window
from medrecords_desktop.gui.settings import AppSettings
settings = AppSettings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
win = build_window(argparse.Namespace(vault=sys.argv[1]), settings=settings)
win.show()
assert win.unlock.currentWidget() is win.unlock.unlock_page
win.unlock.repaint()
QApplication.processEvents()
print(time.perf_counter() - t0)
"""


def launch_times(vault: Path, runs: int) -> tuple[list[float], list[float]]:
    """(whole process wall times, in-process import-to-painted times)."""
    walls, inner = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t = time.perf_counter()
            out = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", LAUNCH, str(vault), str(Path(tmp) / "s.ini")],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            walls.append(time.perf_counter() - t)
            inner.append(float(out.stdout.strip().splitlines()[-1]))
    return walls, inner


def in_process(vault: Path, passphrase: str, frames: int, step_px: int) -> dict[str, float]:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from medrecords_desktop.gui import ops
    from medrecords_desktop.gui.app import build_window
    from medrecords_desktop.gui.settings import AppSettings
    from medrecords_desktop.gui.views.timeline import TimelineView

    tmp = tempfile.mkdtemp()
    settings = AppSettings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
    win = build_window(argparse.Namespace(vault=str(vault)), settings=settings)
    win.resize(1400, 900)
    win.show()
    QApplication.processEvents()
    out: dict[str, float] = {}

    # Unlock: from the click to the first timeline page painted (KDF and databases included).
    win.unlock.passphrase.setText(passphrase)
    t0 = time.perf_counter()
    QTest.mouseClick(win.unlock.unlock_btn, Qt.MouseButton.LeftButton)
    while "timeline" not in win.views or win.views["timeline"].model.rowCount() == 0:  # type: ignore[attr-defined]
        QApplication.processEvents()
        time.sleep(0.001)
    tl = win.views["timeline"]
    assert isinstance(tl, TimelineView)
    tl.list.viewport().repaint()
    out["unlock_to_first_page_ms"] = (time.perf_counter() - t0) * 1000
    out["items_loaded_at_open"] = tl.model.items_loaded

    # Scrolling: one programmatic scroll step per frame, then a synchronous repaint.
    sb = tl.list.verticalScrollBar()
    times = []
    fetch_frames = []
    for _ in range(frames):
        before = tl.model.items_loaded
        t = time.perf_counter()
        sb.setValue(sb.value() + step_px)
        tl.list.viewport().repaint()
        QApplication.processEvents()
        dt = (time.perf_counter() - t) * 1000
        times.append(dt)
        if tl.model.items_loaded != before:
            fetch_frames.append(dt)
    times.sort()
    out["scroll_frames"] = len(times)
    out["scroll_median_ms"] = statistics.median(times)
    out["scroll_p95_ms"] = times[int(len(times) * 0.95)]
    out["scroll_max_ms"] = times[-1]
    out["scroll_fetch_frames"] = len(fetch_frames)
    out["scroll_fetch_median_ms"] = statistics.median(fetch_frames) if fetch_frames else 0.0
    out["items_loaded_after_scroll"] = tl.model.items_loaded

    # Encounter browser: switching to it runs its first page query (newest 100 visits + linked counts).
    samples = []
    for _ in range(5):
        win.show_view("timeline")
        ctx = win.context()
        win.views["encounters"].set_context(ctx, visible=False)  # stale again: the next show queries
        QApplication.processEvents()
        t = time.perf_counter()
        win.show_view("encounters")
        win.views["encounters"].repaint()
        samples.append((time.perf_counter() - t) * 1000)
    out["open_encounters_ms"] = statistics.median(samples)
    out["encounter_rows"] = win.views["encounters"].model.rowCount()

    win.lock()
    ops.wait_idle()
    win.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("vault", type=Path, help="a vault folder made by bench_vault.py --keep")
    ap.add_argument("--passphrase", default=PASS)
    ap.add_argument("--frames", type=int, default=1500)
    ap.add_argument("--step", type=int, default=120, help="pixels per scroll step (about 2-3 rows)")
    ap.add_argument("--launch-runs", type=int, default=4)
    args = ap.parse_args()
    walls, inner = launch_times(args.vault, args.launch_runs)
    warm_wall = statistics.median(walls[1:]) if len(walls) > 1 else walls[0]
    warm_inner = statistics.median(inner[1:]) if len(inner) > 1 else inner[0]
    print(
        f"launch to unlock screen, whole process (warm median): {warm_wall * 1000:.0f} ms "
        f"[runs: {', '.join(f'{w * 1000:.0f}' for w in walls)}]"
    )
    print(f"launch to unlock screen, from first import to painted (warm median): {warm_inner * 1000:.0f} ms")
    r = in_process(args.vault, args.passphrase, args.frames, args.step)
    print(f"unlock to first timeline page painted (KDF included): {r['unlock_to_first_page_ms']:.0f} ms")
    print(
        f"scrolling the timeline: {r['scroll_frames']:.0f} frames, median {r['scroll_median_ms']:.2f} ms, "
        f"p95 {r['scroll_p95_ms']:.2f} ms, max {r['scroll_max_ms']:.1f} ms; "
        f"{r['scroll_fetch_frames']:.0f} frames "
        f"fetched a page (median {r['scroll_fetch_median_ms']:.1f} ms); "
        f"{r['items_loaded_after_scroll']:.0f} items loaded"
    )
    print(
        f"opening the encounter browser: {r['open_encounters_ms']:.1f} ms (median of 5; "
        f"{r['encounter_rows']:.0f} visits listed)"
    )


if __name__ == "__main__":
    main()
