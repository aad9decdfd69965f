"""Every screenshot on the two screens office PCs have, at 100 % and 150 %: one
tests/screenshots.py process per combination (the scale is fixed when Qt starts).

    python tests/screenshots_matrix.py OUTDIR     # OUTDIR/1366x768@100, …/1920x1080@150

Look at the PNGs afterwards (every page is pg_NN_<页面>.png): clipped columns or labels,
overlaps, tofu boxes and English text are bugs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCREENS = ("1366x768", "1920x1080")
SCALES = (1.0, 1.5)
SCRIPT = Path(__file__).resolve().parent / "screenshots.py"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python tests/screenshots_matrix.py OUTDIR", file=sys.stderr)
        return 2
    failed = []
    for screen in SCREENS:
        for scale in SCALES:
            out = Path(argv[0]) / f"{screen}@{round(scale * 100)}"
            print(f"== {out}", flush=True)
            run = subprocess.run([sys.executable, str(SCRIPT), str(out), "--size", screen,
                                  "--scale", f"{scale:g}"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True, errors="replace")
            if run.returncode != 0:  # Qt's offscreen notes otherwise drown the output
                print(run.stderr, file=sys.stderr)
                failed.append(f"{out}（退出码 {run.returncode}）")
    for what in failed:
        print(f"截图失败：{what}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
