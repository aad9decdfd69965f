"""Write the sections demo (every kind of section once) and the demo powers report as PDFs,
to look at as images:

    python tests/sections_demo.py OUTDIR && pdftoppm -png -r 60 OUTDIR/sections.pdf OUTDIR/s

Uses a temporary data folder and database, never the user's."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python tests/sections_demo.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STREETLEDGER_HOME"] = tmp
        from app.db import Database
        from app.demo import load_demo
        from reports.powers import write_powers_pdf
        from reports.sections import build_pdf
        from tests.test_sections import demo_document

        build_pdf(out / "sections.pdf", demo_document())
        db = Database("sqlite:///" + (Path(tmp) / "demo.sqlite3").as_posix(), actor="演示")
        try:
            load_demo(db)
            write_powers_pdf(db, out / "powers.pdf")
        finally:
            db.close()
    print(f"已写入 {out / 'sections.pdf'} 和 {out / 'powers.pdf'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
