"""Draw the app icon (a red seal with 台账) into resources/icons/.

    python installer/make_icon.py

Needs Pillow (a build-time tool only; the app never imports it). The outputs are
committed, so a build does not need to run this."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
RED = (196, 30, 36, 255)
PAPER = (255, 246, 230, 255)
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 96, 128, 256]


def draw(size: int = 1024) -> Image.Image:
    """A seal: rounded red square, a thin paper-coloured inner frame, 台 over 账."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = size * 0.04
    d.rounded_rectangle([pad, pad, size - pad, size - pad], radius=size * 0.14, fill=RED)
    inset = size * 0.11
    d.rounded_rectangle([inset, inset, size - inset, size - inset], radius=size * 0.07,
                        outline=PAPER, width=max(2, round(size * 0.03)))
    font = ImageFont.truetype(str(FONT), round(size * 0.36), index=0)
    for text, cy in (("台", 0.33), ("账", 0.68)):
        d.text((size / 2, size * cy), text, font=font, fill=PAPER, anchor="mm",
               stroke_width=round(size * 0.008), stroke_fill=PAPER)  # bolder at 16 px
    return img


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(OUT / "streetledger.png")
    big.save(OUT / "streetledger.ico", sizes=[(s, s) for s in ICO_SIZES])
    print(f"icons written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
