"""Screenshots of the 整改台账 page (warnings and states in colour), 设置 → 整改预警与评比
and the 整改文书 dialog, on the demo data.

    python tests/screenshots_rectification.py OUTDIR"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(out: Path) -> None:
    from app.db import Database
    from app.demo import load_demo
    from app.specs.rectification import PROBLEMS
    from ui.app import create_application
    from ui.ledger_page import LedgerPage
    from ui.rectification_docs_dialog import DocumentsDialog
    from ui.rectification_settings_panel import RectificationSettingsPanel

    app = create_application([])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database("sqlite:///" + (Path(tmp) / "d.sqlite3").as_posix())
        load_demo(db)
        page = LedgerPage(db, PROBLEMS)
        page.resize(1366, 720)
        page.show()
        for _ in range(50):
            app.processEvents()
        col = next(i for i, f in enumerate(page.fields) if f.name == "warning")
        page.table.sortByColumn(col, page.table.horizontalHeader().sortIndicatorOrder().__class__(0))
        for _ in range(20):
            app.processEvents()
        page.grab().save(str(out / "rect_01_page_warnings.png"))
        panel = RectificationSettingsPanel(db)
        panel.resize(700, 620)
        panel.show()
        app.processEvents()
        panel.grab().save(str(out / "rect_02_settings.png"))
        dlg = DocumentsDialog(page)
        dlg.show()
        app.processEvents()
        dlg.grab().save(str(out / "rect_03_documents.png"))
        dlg.kind.setCurrentText("红黑榜（单页张贴）")
        app.processEvents()
        dlg.grab().save(str(out / "rect_04_documents_red_black.png"))
        db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
