"""One line per measured figure for run_all.py: each benchmark calls emit() with its
figure and the baseline measured in the same run; run_all sets STREETLEDGER_BENCH_OUT
to a file that collects them (JSON lines). Without it, emit does nothing."""

from __future__ import annotations

import json
import os


def emit(work: str, figure: float, baseline: float, target: float | None,
         baseline_name: str = "", kind: str = "ratio") -> None:
    """kind "ratio": met when figure / baseline ≤ target; "min_ratio": when ≥ target;
    "seconds": the figure itself against target seconds (baseline shown for scale)."""
    path = os.environ.get("STREETLEDGER_BENCH_OUT")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"work": work, "figure": figure, "baseline": baseline,
                            "target": target, "baseline_name": baseline_name, "kind": kind},
                           ensure_ascii=False) + "\n")
