"""The user guide's pictures (docs/images) from the screenshots tests/screenshots.py
takes: every image the guide names, scaled to at most 960 px wide and reduced to 64
colours, so the repository stays small.

    python tests/screenshots.py OUTDIR --guide     # shoot, then refresh docs/images
    python tests/guide_images.py OUTDIR            # refresh from shots taken before"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "使用说明.md"
MAX_WIDTH = 960


def referenced(guide: Path = GUIDE) -> list[str]:
    """The image paths the guide names, relative to its folder (images/…png)."""
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+\.png)\)", guide.read_text(encoding="utf-8"))


def update(shots: Path, guide: Path = GUIDE) -> list[Path]:
    from PIL import Image

    written = []
    for rel in referenced(guide):
        source = shots / Path(rel).name
        if not source.is_file():
            raise SystemExit(f"使用说明引用的截图不存在：{source}（先运行 tests/screenshots.py）")
        target = guide.parent / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        image = Image.open(source).convert("RGB")
        if image.width > MAX_WIDTH:
            image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)),
                                 Image.LANCZOS)
        image.quantize(colors=64, method=Image.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, optimize=True)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python tests/guide_images.py SHOTS_DIR", file=sys.stderr)
        return 2
    for path in update(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
