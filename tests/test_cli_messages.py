"""Every message a newcomer met in issue 17: the exact Chinese line, the exit code, and
nothing written. Most run main.run_cli in-process (fast); what needs a real process
(a closed pipe, argparse's words) runs main.py as a child."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import main
from main import run_cli
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "powers_two_row_header.xlsx"
PW = "Admin1234"
HINT = "（运行 python main.py -h 查看用法）"


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = run_cli(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def child(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREETLEDGER_PASSWORD")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, env=env, timeout=120, **kw)


@pytest.fixture
def demo(tmp_path, capsys) -> str:
    path = str(tmp_path / "demo.sqlite3")
    assert run(capsys, "demo", "--db", path, "--create")[0] == 0
    return path


def only_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def no_english(line: str) -> bool:
    """Nothing English but what the user typed: quoted values, options, the command."""
    rest = re.sub(r"'[^']*'|--[a-z-]+|[A-Z]+\.[a-z]+|python main\.py -h|[A-Za-z]:?[\\/][^\s：；，]*|/[^\s：；，]*",
                  "", line)
    return not re.search(r"[A-Za-z]{2,}", rest)


# -- paths and files -----------------------------------------------------------------------

def test_backup_into_a_missing_folder(demo, capsys, tmp_path):
    target = tmp_path / "missing" / "folder" / "x.sqlite3"
    rc, out, err = run(capsys, "backup", str(target), "--db", demo)
    assert rc == 2 and out == ""
    assert only_line(err) == f"备份位置的文件夹不存在：{target.parent}"
    assert not (tmp_path / "missing").exists()


def test_output_path_that_is_a_folder(demo, capsys, tmp_path):
    folder = tmp_path / "d.xlsx"
    folder.mkdir()
    rc, _, err = run(capsys, "export", "powers", str(folder), "--db", demo)
    assert rc == 2
    assert only_line(err) == f"“{folder}”是一个文件夹，请在它后面加上文件名，如 {folder / '台账.xlsx'}"
    assert list(folder.iterdir()) == [] and [p.name for p in tmp_path.glob(".~*")] == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows words it as a file in use")
def test_permission_error_names_the_users_file_not_the_temp_file(demo, capsys, tmp_path,
                                                                 monkeypatch):
    import tempfile

    out = tmp_path / "权责.xlsx"

    def refuse(prefix="", suffix="", dir=None):  # noqa: A002 - mkstemp's own name
        raise PermissionError(13, "Permission denied", os.path.join(dir, f"{prefix}k2j4{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    rc, _, err = run(capsys, "export", "powers", str(out), "--db", demo)
    assert rc == 2
    assert only_line(err) == (f"没有权限写入：{out}。请换一个文件夹保存（例如“文档”或桌面），"
                              "或请电脑管理员开放该文件夹的写入权限。")
    assert ".~" not in err and not out.exists()


def test_read_only_target_is_not_replaced(demo, capsys, tmp_path):
    out = tmp_path / "ro.xlsx"
    out.write_bytes(b"keep me")
    out.chmod(0o444)
    rc, _, err = run(capsys, "export", "powers", str(out), "--db", demo)
    assert rc == 2
    assert only_line(err) == f"“{out}”是只读文件，未覆盖；请换一个文件名，或先取消该文件的只读属性"
    assert out.read_bytes() == b"keep me"
    out.chmod(0o644)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_written_files_follow_the_umask_and_keep_an_old_files_mode(demo, capsys, tmp_path):
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "new.xlsx"
        assert run(capsys, "export", "powers", str(fresh), "--db", demo)[0] == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "old.pdf"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        assert run(capsys, "report", "powers", str(kept), "--db", demo)[0] == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes()[:4] == b"%PDF"
    finally:
        os.umask(old)


def test_closed_pipe_ends_quietly(demo):
    for args in (["stats", "powers"], ["audit", "--limit", "500"]):
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args, "--db", demo],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # `| head -1` that has already gone
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        assert proc.wait(timeout=120) == 141, err
        assert err == ""


# -- the database ---------------------------------------------------------------------------

def test_missing_db_file_is_refused_unless_create(capsys, tmp_path):
    typo = tmp_path / "sub" / "t.sqlit3"
    rc, out, err = run(capsys, "stats", "powers", "--db", str(typo))
    assert rc == 2 and out == ""
    assert only_line(err) == f"找不到数据库文件 {typo}；新建请加 --create"
    assert not (tmp_path / "sub").exists()
    # The same through the environment variable.
    os.environ["STREETLEDGER_DB"] = str(typo)
    try:
        assert only_line(run(capsys, "stats", "powers")[2]) == f"找不到数据库文件 {typo}；新建请加 --create"
    finally:
        del os.environ["STREETLEDGER_DB"]
    fresh = tmp_path / "new.sqlite3"
    rc, out, _ = run(capsys, "--create", "stats", "powers", "--db", str(fresh))
    assert rc == 0 and out.startswith("合计: 0") and fresh.exists()


def test_default_database_is_still_made_on_first_use(capsys, home):
    rc, out, err = run(capsys, "stats", "powers")
    assert rc == 0, err
    assert out.startswith("合计: 0")
    assert list(home.rglob("*.sqlite3"))


def test_file_that_is_not_a_database(capsys, tmp_path):
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"hello, not sqlite" * 100)
    rc, _, err = run(capsys, "stats", "powers", "--db", str(bad))
    assert rc == 2
    assert only_line(err) == (f"无法打开本机数据库 {bad}：该文件不是街道治理台账的数据库（可能是其他文件，"
                              "或已损坏/加密）；请检查 --db 给出的路径，或从备份恢复")
    assert bad.read_bytes() == b"hello, not sqlite" * 100


def test_connection_refused(capsys):
    rc, _, err = run(capsys, "stats", "powers", "--db", "postgresql://postgres@127.0.0.1:1/x")
    assert rc == 2
    assert only_line(err) == ("无法打开共享数据库 postgres@127.0.0.1:1/x：无法连接到服务器 127.0.0.1:1："
                              "服务器没有启动、端口不对或被防火墙阻挡；请确认 PostgreSQL 已启动并检查地址和端口")


@pytest.mark.postgres
def test_database_that_does_not_exist(capsys):
    if not PG_URL:
        pytest.skip("未设置 STREETLEDGER_TEST_PG_URL，跳过 PostgreSQL 测试")
    from sqlalchemy.engine import make_url

    u = make_url(PG_URL)
    url = f"postgresql://{u.username}@{u.host}:{u.port or 5432}/streetledger_no_such_db"
    rc, _, err = run(capsys, "stats", "powers", "--db", url)
    assert rc == 2
    where = f"{u.host}:{u.port or 5432}"
    assert only_line(err) == (f"无法打开共享数据库 {u.username}@{where}/streetledger_no_such_db："
                              f"服务器 {where} 上没有名为“streetledger_no_such_db”的数据库；"
                              "请检查地址中的数据库名，或请管理员先创建它（createdb streetledger_no_such_db）")


# -- argparse -------------------------------------------------------------------------------

@pytest.mark.parametrize("args,pattern", [
    (["frobnicate"], r"参数错误：命令：无效的选择：'frobnicate'（可选：'?demo'?, .*）"),
    (["import", "powers", "f.xlsx", "--mode", "x"],
     r"参数错误：--mode：无效的选择：'x'（可选：'?append'?, '?upsert'?, '?replace'?）"),
    (["audit", "--limit", "x"], r"参数错误：--limit：无效的值：'x'"),
    (["stats", "powers", "--year", "今年"], r"参数错误：--year：无效的值：'今年'"),
    (["stats"], r"参数错误：缺少参数：台账"),
    (["export", "powers"], r"参数错误：缺少参数：OUT.xlsx"),
    (["user"], r"参数错误：缺少参数：操作"),
    (["stats", "powers", "--bogus"], r"参数错误：无法识别的参数：--bogus"),
    (["export", "powers", "--db"], r"参数错误：--db：需要一个参数值"),
])
def test_argparse_speaks_chinese(tmp_path, args, pattern):
    work = tmp_path / "work"
    work.mkdir()
    r = child(*args, cwd=work)
    assert r.returncode == 2 and r.stdout == ""
    line = only_line(r.stderr)
    assert re.fullmatch(pattern + re.escape(HINT), line), line
    assert no_english(line), line
    assert list(work.iterdir()) == []


def test_help_has_no_english_of_argparses_own():
    r = child("import", "-h")
    assert r.returncode == 0
    for word in ("usage:", "positional arguments", "options:", "show this help"):
        assert word not in r.stdout


# -- errors that are bugs -------------------------------------------------------------------

def test_internal_error_is_one_line_naming_the_log(capsys, monkeypatch, demo):
    from app.logs import log_file, setup_logging, teardown_logging

    setup_logging(faults=False)

    def broken(_db, _args):
        raise RuntimeError("a bug")

    monkeypatch.setitem(main.COMMANDS, "stats", broken)
    try:
        rc, _, err = run(capsys, "stats", "powers", "--db", demo)
    finally:
        teardown_logging()
    assert rc == 1
    assert only_line(err) == ("内部错误（RuntimeError）：操作没有完成，已保存的数据不受影响；"
                              f"详细信息已写入日志 {log_file()}，请把它发给维护人员")
    assert "Traceback" in log_file().read_text(encoding="utf-8")


# -- import summaries -----------------------------------------------------------------------

def _unknown_office_file(path: Path, n: int) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["清单类别", "权力类型", "事项名称", "承接科室"])
    for i in range(n):
        ws.append(["下放行政权力", "行政许可", f"测试事项{i}", "不存在的科室"])
    wb.save(path)
    return path


def test_accept_valid_with_every_row_rejected_says_nothing_was_imported(demo, capsys, tmp_path):
    bad = _unknown_office_file(tmp_path / "bad.xlsx", 80)
    rc, out, err = run(capsys, "import", "powers", str(bad), "--accept-valid", "--db", demo)
    assert rc == 2
    assert only_line(err) == "有 80 行被拒绝，没有可导入的行，未写入任何数据"
    assert "其余" not in out + err
    assert ("承接科室“不存在的科室”不存在（第 2、3、4、5、6、7、8、9、10、11 等 80 行）；"
            "可先添加，或用 --create-missing 一并新建") in out.splitlines()
    assert run(capsys, "stats", "powers", "--db", demo)[1].startswith("合计: 394\n")


def test_accept_valid_counts_what_it_imported(demo, capsys, tmp_path):
    import openpyxl

    path = _unknown_office_file(tmp_path / "mixed.xlsx", 3)
    wb = openpyxl.load_workbook(path)
    wb.active.append(["法定权力事项", "行政许可", "有效事项", "综合行政执法办公室"])
    wb.save(path)
    rc, _, err = run(capsys, "import", "powers", str(path), "--accept-valid", "--db", demo)
    assert rc == 2 and only_line(err) == "有 3 行被拒绝，其余 1 行已导入"
    assert run(capsys, "stats", "powers", "--db", demo)[1].startswith("合计: 395\n")


def test_csv_import_names_no_worksheet(demo, capsys, tmp_path):
    csv = tmp_path / "comm_gbk.csv"
    csv.write_bytes("社区名称,备注\n新社区一,\n,缺名\n".encode("gbk"))
    rc, out, _ = run(capsys, "import", "communities", str(csv), "--db", demo)
    assert rc == 2
    lines = out.splitlines()
    assert lines[0] == "社区导入（追加）：文件“comm_gbk.csv”"
    assert "第 3 行，社区名称：必填" in lines
    assert "工作表" not in out


def test_labels_are_not_doubled(demo, capsys, monkeypatch):
    monkeypatch.setenv("STREETLEDGER_NEW_PASSWORD", "abc")
    rc, _, err = run(capsys, "user", "add", "bob", "--role", "boss", "--db", demo)
    assert rc == 2 and only_line(err) == "角色须为 管理员/审核员/录入员/查看员（admin/verifier/editor/viewer）"
    rc, _, err = run(capsys, "user", "add", "bob", "--role", "admin", "--db", demo)
    assert rc == 2 and only_line(err) == "密码至少8位，且须同时包含字母和数字"
    assert run(capsys, "user", "list", "--db", demo)[1] == ""


# -- audit ----------------------------------------------------------------------------------

def test_audit_names_ledgers_and_accounts_in_chinese_and_signs_in_once_a_day(
        demo, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("STREETLEDGER_NEW_PASSWORD", PW)
    assert run(capsys, "user", "add", "boss", "--role", "admin", "--db", demo)[0] == 0
    monkeypatch.setenv("STREETLEDGER_PASSWORD", PW)
    for _ in range(3):
        assert run(capsys, "--user", "boss", "stats", "powers", "--db", demo)[0] == 0
    out = tmp_path / "x.xlsx"
    assert run(capsys, "--user", "boss", "export", "powers", str(out), "--db", demo)[0] == 0
    rc, text, err = run(capsys, "--user", "boss", "audit", "--db", demo)
    assert rc == 0, err
    lines = text.splitlines()
    assert sum("  登录" in line for line in lines) == 1
    assert any("  导出  权责清单  " in line for line in lines)
    assert any("  账号管理  账号  新建账号 boss（管理员）" in line for line in lines)
    assert "powers" not in text and "users#" not in text
    # The GUI's sign-ins stay: each one is recorded.
    from app import auth
    from app.audit import entries
    from app.db import Database

    db = Database(demo)
    auth.login(db, "boss", PW)
    auth.login(db, "boss", PW)
    assert len(entries(db, user="boss", action="login")) == 3
    db.close()


@pytest.mark.parametrize("text,said", [
    ('connection failed: connection to server at "10.0.0.5", port 5433 failed: '
     'FATAL:  database "ledger" does not exist',
     "服务器 10.0.0.5:5433 上没有名为“ledger”的数据库；请检查地址中的数据库名，"
     "或请管理员先创建它（createdb ledger）"),
    ('connection failed: connection to server at "10.0.0.5", port 5433 failed: '
     'Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?',
     "无法连接到服务器 10.0.0.5:5433：服务器没有启动、端口不对或被防火墙阻挡；"
     "请确认 PostgreSQL 已启动并检查地址和端口"),
    ('connection failed: connection to server at "10.0.0.5", port 5433 failed: '
     'FATAL:  role "zhang" does not exist',
     "服务器 10.0.0.5:5433 上没有数据库用户“zhang”；请检查地址中的用户名"),
])
def test_driver_words_become_what_to_do(text, said):
    import psycopg

    from app.failures import explain, explain_driver

    exc = psycopg.OperationalError(text)
    assert explain_driver(exc) == said
    found = explain(exc)
    assert found.message == said and not found.is_bug and found.title == "无法连接共享数据库"


def test_sqlite_file_is_not_a_database_in_plain_words():
    import sqlite3

    from app.failures import explain

    found = explain(sqlite3.DatabaseError("file is not a database"))
    assert found.title == "无法打开数据库" and found.message.startswith("该文件不是街道治理台账的数据库")


def test_the_window_too_refuses_a_missing_db_file(tmp_path):
    typo = tmp_path / "t.sqlit3"
    r = child("--db", str(typo))
    assert r.returncode == 2
    assert only_line(r.stderr) == f"找不到数据库文件 {typo}；新建请加 --create"
    assert not typo.exists()
