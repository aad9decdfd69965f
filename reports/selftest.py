"""`main.py self-test`: the smoke test a packaged build runs.

A temporary database is created and migrated, the demo data loaded, a PDF and an
xlsx written and read back. Any failure raises; the lines returned say what passed."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path


def run_self_test() -> list[str]:
    from app.db import Database
    from app.demo import load_demo
    from app.migrations import HEAD
    from app.powers import stats
    from app.specs.powers import POWERS
    from reports.export import export_ledger, report_ledger
    from reports.fonts import font_files

    lines = []
    with tempfile.TemporaryDirectory(prefix="streetledger-selftest-") as tmp:
        tmp = Path(tmp)
        db = Database("sqlite:///" + (tmp / "selftest.sqlite3").as_posix(), actor="自检")
        try:
            lines.append(f"数据库迁移：通过（版本 {HEAD}）")
            counts = load_demo(db)
            total = dict(stats(db))["合计"]
            _expect(total == counts["powers"] == 394, f"演示数据条数不对：{total}")
            lines.append(f"演示数据：通过（权责事项 {total} 项）")

            pdf = tmp / "powers.pdf"
            report_ledger(db, POWERS, pdf)
            data = pdf.read_bytes()
            _expect(data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), "PDF 文件不完整")
            _expect(b"/FontFile2" in data, "PDF 未嵌入中文字体")
            lines.append(f"PDF 报表：通过（{len(data) // 1024} KB，字体 {font_files()[0].name}）")

            xlsx = tmp / "powers.xlsx"
            n = export_ledger(db, POWERS, xlsx)
            _expect(zipfile.is_zipfile(xlsx), "Excel 文件不完整")
            from openpyxl import load_workbook

            wb = load_workbook(xlsx, read_only=True)
            ws = wb.worksheets[0]
            values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
            wb.close()
            _expect(any("权责清单" in str(v) for v in values), "Excel 缺少标题")
            _expect(n == 394, f"Excel 导出行数不对：{n}")
            lines.append(f"Excel 导出：通过（{n} 行）")
        finally:
            db.close()
    lines.append("自检通过")
    return lines


def _expect(ok: bool, message: str) -> None:
    if not ok:
        raise RuntimeError(f"自检失败：{message}")
