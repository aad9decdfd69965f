"""Issue 18, values and faults (findings 12, 13, 14, 18): the hostile file or the
fault is produced, and the refusal, its Chinese words and the untouched data checked."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.importer import run_import
from app.models import PowerItem
from app.services import list_rows, save_row
from app.specs.powers import POWERS

ROOT = Path(__file__).resolve().parent.parent
HEAD = "清单类别,权力类型,事项名称,备注\r\n"


def cli(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
                          timeout=timeout)


def live_powers(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(PowerItem)
                         .where(PowerItem.deleted_at.is_(None))).scalar_one()


def test_a_nul_in_a_csv_cell_is_dropped_on_both_databases(db, tmp_path):
    """Finding 12: PostgreSQL refused the whole import for one NUL character."""
    path = tmp_path / "nul.csv"
    path.write_bytes((HEAD + "法定权力事项,行政检查,带\x00空字符的事项,备\x00注\x07\r\n"
                      "法定权力事项,行政检查,第二项,\r\n").encode("utf-8"))
    summary = run_import(db, "powers", path)
    assert summary.written and summary.added == 2 and summary.rejected == 0
    rows = list_rows(db, POWERS)
    assert sorted(rows.column("name")) == ["带空字符的事项", "第二项"]
    assert "备注" in rows.column("remarks")


def test_values_beyond_what_a_database_or_excel_holds_are_refused(db):
    """Finding 12 and 18: year 1 and pre-1900-03-01 dates, a 32,768-character text,
    an integer beyond PostgreSQL's range; nothing saved, on both databases."""
    base = {"list_kind": "法定权力事项", "power_type": "公共服务", "name": "边界值", "status": "运行中"}
    for values, field, words in (
        ({"effective_date": "0001-01-01"}, "effective_date", "太早"),
        ({"effective_date": date(1900, 2, 28)}, "effective_date", "1900年3月1日"),
        ({"effective_date": 59}, "effective_date", "太早"),  # Excel serial 59
        ({"remarks": "长" * 32_768}, "remarks", "32,767"),
    ):
        with pytest.raises(ValidationError) as err:
            save_row(db, POWERS, {**base, **values})
        assert words in err.value.errors[field], err.value.errors
    assert live_powers(db) == 0
    save_row(db, POWERS, {**base, "effective_date": date(1900, 3, 1), "remarks": "长" * 32_767})
    assert live_powers(db) == 1
    from app.normalize import parse_int

    with pytest.raises(ValueError, match="超出允许的范围"):
        parse_int("99999999999")


def test_errors_file_pointed_at_the_input_is_refused(tmp_path):
    """Finding 13: --errors naming the file being imported wrote over the user's sheet."""
    dbfile = str(tmp_path / "d.sqlite3")
    src = tmp_path / "清单.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["清单类别", "权力类型", "事项名称"])
    for i in range(20):
        ws.append(["法定权力事项", "行政检查" if i % 3 else "不存在的类型", f"事项{i}"])
    wb.save(src)
    before = src.read_bytes()
    for errors in (src, tmp_path / "." / "清单.xlsx"):
        r = cli("import", "powers", str(src), "--accept-valid", "--errors", str(errors),
                "--db", dbfile, "--create")
        assert r.returncode == 2 and "正在读取的文件" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert src.read_bytes() == before  # the user's spreadsheet is untouched
    r = cli("stats", "powers", "--db", dbfile)
    assert "合计: 0" in r.stdout  # refused before anything was written
    out = tmp_path / "被拒绝.xlsx"
    r = cli("import", "powers", str(src), "--accept-valid", "--errors", str(out), "--db", dbfile)
    assert r.returncode == 2 and out.exists() and src.read_bytes() == before


def test_check_output_refuses_an_existing_file_the_user_did_not_name(tmp_path):
    from app.errors import UserError
    from app.outputs import check_output

    existing = tmp_path / "a.xlsx"
    existing.write_bytes(b"keep")
    with pytest.raises(UserError, match="已存在"):
        check_output(existing, named_by_user=False)
    assert check_output(tmp_path / "new.xlsx", named_by_user=False) == tmp_path / "new.xlsx"
    assert existing.read_bytes() == b"keep"


def test_a_locked_database_is_one_chinese_line_on_the_cli(tmp_path):
    """Finding 14: database locked → exit 2, no traceback, no statement or parameters."""
    dbfile = tmp_path / "d.sqlite3"
    assert cli("demo", "--db", str(dbfile), "--create").returncode == 0
    holder = sqlite3.connect(dbfile, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        r = cli("user", "add", "admin", "--role", "admin", "--db", str(dbfile),
                env={"STREETLEDGER_NEW_PASSWORD": "Passw0rd!"})
    finally:
        holder.rollback()
        holder.close()
    assert r.returncode == 2, r.stderr
    assert "被其他程序占用" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "INSERT" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = cli("user", "list", "--db", str(dbfile))
    assert "admin" not in r.stdout  # nothing half-written


def test_a_damaged_database_is_one_chinese_line_on_the_cli(tmp_path):
    """Finding 14: a malformed database file."""
    dbfile = tmp_path / "d.sqlite3"
    assert cli("demo", "--db", str(dbfile), "--create").returncode == 0
    conn = sqlite3.connect(dbfile)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = dbfile.stat().st_size
    with open(dbfile, "r+b") as fh:
        fh.seek(4096)
        fh.write(b"\xa5" * (size - 8192))
    r = cli("export", "powers", str(tmp_path / "out.xlsx"), "--db", str(dbfile))
    assert r.returncode == 2, r.stderr
    assert "损坏" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_cli_message_translates_driver_faults():
    from sqlalchemy.exc import OperationalError

    from app.failures import cli_message

    for text, words in (("database is locked", "被其他程序占用"),
                        ("database or disk is full", "磁盘"),
                        ("attempt to write a readonly database", "只读"),
                        ("database disk image is malformed", "损坏")):
        exc = OperationalError("INSERT INTO x VALUES (?)", ("510502199001011234",),
                               sqlite3.OperationalError(text))
        message = cli_message(exc)
        assert message and words in message and "\n" not in message
        assert "510502199001011234" not in message and "INSERT" not in message
    assert cli_message(ZeroDivisionError("bug")) is None  # a bug stays a bug


def test_import_refusals_that_were_wrong(tmp_path):
    """Finding 17: a 2-row sheet 101 columns wide, Excel's "Unicode 文本" (UTF-16 with
    BOM, tab-separated), and a file mixing UTF-8 and GBK, which is named as such."""
    import openpyxl

    from app.errors import UserError
    from app.importer import open_source

    wide = tmp_path / "wide.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["清单类别", "事项名称"] + [f"列{i}" for i in range(99)])
    ws.append(["法定权力事项", "宽表事项"] + ["x"] * 99)
    wb.save(wide)
    with open_source(wide) as src:
        grid = src.read()
    assert grid.width == 101 and grid.rows[1][1] == "宽表事项"

    text = "清单类别\t事项名称\r\n法定权力事项\t对辖区居民居住情况的确认\r\n"
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    with open_source(utf16) as src:
        assert src.read().rows[1] == ["法定权力事项", "对辖区居民居住情况的确认"]

    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes("清单类别,事项名称\r\n法定权力事项,甲\r\n".encode()
                      + "法定权力事项,乙事项\r\n".encode("gbk"))
    with pytest.raises(UserError) as err:
        with open_source(mixed) as src:
            src.read()
    assert "混用了不同的文本编码" in err.value.message and "第 3 行" in err.value.message
