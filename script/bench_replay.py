"""Print the real-GPS replay table (script/benchmarks/replay.py); --quick: 1-hour parks."""

from __future__ import annotations

from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "script")]

from benchmarks.replay import bench_replay, table  # noqa: E402

if __name__ == "__main__":
    print(table(bench_replay(quick="--quick" in sys.argv)))
