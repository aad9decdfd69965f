"""The meeting pack for the demo street (issue 14): seconds to write the whole pack (two
layout passes: the contents page names its pages), against a bare reportlab document of
the same page count (one paragraph a page, the same font) written in the same run.
Target: the pack in at most 5 s.

    python tests/benchmarks/bench_meeting_pack.py [RUNS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def bare(path: Path, pages: int) -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from reports.fonts import pdf_fonts

    style = ParagraphStyle("p", fontName=pdf_fonts()[0], fontSize=12, leading=18,
                           wordWrap="CJK")
    start = time.perf_counter()
    story = []
    for n in range(pages):
        story += [Paragraph(f"第{n + 1}页：联席会议材料" * 20, style), PageBreak()]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return time.perf_counter() - start


def main() -> None:
    from app.db import Database
    from app.demo import load_demo
    from reports.meeting_pack import write_meeting_pack
    from tests.benchmarks._report import emit

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        db = Database("sqlite:///" + (Path(tmp) / "bench.sqlite3").as_posix(), actor="bench")
        load_demo(db)
        out = Path(tmp) / "pack.pdf"
        pages = write_meeting_pack(db, out)  # fonts and queries warmed once
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            write_meeting_pack(db, out)
            times.append(time.perf_counter() - start)
        base = min(bare(Path(tmp) / "bare.pdf", pages) for _ in range(runs))
        db.close()
    best = min(times)
    print(f"meeting pack, demo street: {best:.2f} s (best of {runs}), {pages} pages")
    print(f"bare reportlab, {pages} pages: {base:.3f} s; ratio {best / base:.1f} ×")
    print(f"target ≤ 5 s: {'met' if best <= 5 else 'NOT met'}")
    emit(f"会议材料包（演示街道，{pages} 页）", best, base, 5.0, "reportlab 同页数裸文档",
         kind="seconds")


if __name__ == "__main__":
    main()
