"""The command line: exit codes, Chinese one-line errors, no Qt, --db and --user anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from main import run_cli

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, stdin: str | None = None, env: dict | None = None):
    """Run main.py in a child process, as a user would."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("STREETLEDGER_PASSWORD", None) if env is None else None
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin,
                          capture_output=True, text=True, env=full_env, timeout=120)


@pytest.fixture
def dbfile(tmp_path):
    """An existing, empty SQLite file (a zero-length file is an empty database): --db
    refuses a missing file unless --create."""
    path = tmp_path / "cli.sqlite3"
    path.touch()
    return str(path)


def test_demo_then_stats_with_db_before_or_after(dbfile):
    r = cli("--db", dbfile, "demo")
    assert r.returncode == 0, r.stderr
    r = cli("stats", "powers", "--db", dbfile)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "合计: 394"
    stats = dict(line.split(": ") for line in lines)
    assert (stats["下放行政权力"], stats["法定权力事项"], stats["属地管理事项"]) == ("159", "118", "117")
    assert "综合行政执法办公室" in stats
    assert any(k.startswith("零办件事项") for k in stats)


def test_demo_refuses_a_database_with_data(dbfile):
    assert run_cli(["demo", "--db", dbfile]) == 0
    r = cli("demo", "--db", dbfile)
    assert r.returncode == 2
    assert "--reset" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert run_cli(["demo", "--reset", "--db", dbfile]) == 0


@pytest.mark.parametrize("args,needle", [
    (["stats"], "缺少参数"),
    (["stats", "nope"], "没有名为“nope”的台账"),
    (["frobnicate"], "参数错误"),
    (["stats", "powers", "--bogus"], "无法识别的参数"),
])
def test_user_errors_exit_2_with_one_chinese_line(dbfile, args, needle):
    r = cli(*args, "--db", dbfile)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_bad_database_url_is_a_user_error(tmp_path):
    r = cli("stats", "powers", "--db", "mysql://nobody@127.0.0.1/x")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = cli("stats", "powers", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert r.returncode == 2 and "无法打开共享数据库" in r.stderr


def test_env_variable_chooses_the_database(dbfile):
    r = cli("demo", env={"STREETLEDGER_DB": dbfile})
    assert r.returncode == 0
    assert cli("stats", "powers", "--db", dbfile).stdout.startswith("合计: 394")


def test_cli_never_imports_qt(dbfile):
    code = (f"import sys, main; rc = main.run_cli(['demo', '--db', {dbfile!r}]); "
            f"rc |= main.run_cli(['stats', 'powers', '--db', {dbfile!r}]); "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'; "
            "sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_accounts_user_management_and_audit(dbfile):
    assert run_cli(["demo", "--db", dbfile]) == 0
    r = cli("user", "add", "boss", "--role", "admin", "--db", dbfile, stdin="Admin1234\n")
    assert r.returncode == 0, r.stderr
    # From now on every command names its operator.
    r = cli("stats", "powers", "--db", dbfile)
    assert r.returncode == 2 and "--user" in r.stderr
    r = cli("stats", "powers", "--db", dbfile, "--user", "boss", stdin="wrong999\n")
    assert r.returncode == 2 and "密码错误" in r.stderr
    r = cli("--user", "boss", "stats", "powers", "--db", dbfile,
            env={"STREETLEDGER_PASSWORD": "Admin1234"})
    assert r.returncode == 0 and r.stdout.startswith("合计: 394")
    r = cli("user", "add", "clerk", "--role", "viewer", "--user", "boss", "--db", dbfile,
            stdin="Admin1234\nViewer123\n")
    assert r.returncode == 0, r.stderr
    # A viewer may read but not manage accounts or load data.
    r = cli("user", "disable", "boss", "--user", "clerk", "--db", dbfile, stdin="Viewer123\n")
    assert r.returncode == 2 and "无权" in r.stderr
    r = cli("demo", "--reset", "--user", "clerk", "--db", dbfile, stdin="Viewer123\n")
    assert r.returncode == 2
    r = cli("--user", "boss", "audit", "--user", "clerk", "--db", dbfile,
            env={"STREETLEDGER_PASSWORD": "Admin1234"})
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines and all("clerk" in line for line in lines)
    assert any("登录" in line for line in lines)
    assert "Viewer123" not in r.stdout and "$argon2" not in r.stdout


def test_backup_and_restore_commands(dbfile, tmp_path):
    assert run_cli(["demo", "--db", dbfile]) == 0
    out = tmp_path / "copy.sqlite3"
    r = cli("backup", str(out), "--db", dbfile)
    assert r.returncode == 0 and out.exists()
    assert run_cli(["demo", "--reset", "--db", dbfile]) == 0
    r = cli("restore", str(out), "--db", dbfile)
    assert r.returncode == 0, r.stderr
    r = cli("restore", str(tmp_path / "missing.sqlite3"), "--db", dbfile)
    assert r.returncode == 2 and "找不到" in r.stderr


# A copy of ../shared/samples/powers_two_row_header.xlsx, so the tests need nothing outside the repo.
SAMPLE = ROOT / "tests" / "data" / "powers_two_row_header.xlsx"


def test_import_sample_through_the_cli(dbfile, tmp_path):
    assert run_cli(["demo", "--db", dbfile]) == 0
    errors = tmp_path / "rejected.xlsx"
    r = cli("import", "powers", str(SAMPLE), "--db", dbfile, "--errors", str(errors))
    assert r.returncode == 2 and "清单类别" in r.stderr  # no list-kind column, none given
    r = cli("import", "powers", str(SAMPLE), "--db", dbfile, "--set", "清单类别=下放行政权力",
            "--errors", str(errors))
    assert r.returncode == 2 and "不存在" in r.stdout  # unknown offices: nothing written
    assert errors.exists()
    before = cli("stats", "powers", "--db", dbfile).stdout.splitlines()[0]
    assert before == "合计: 394"
    r = cli("import", "powers", str(SAMPLE), "--db", dbfile, "--set", "list_kind=下放行政权力",
            "--create-missing")
    assert r.returncode == 0, r.stdout + r.stderr
    after = dict(line.split(": ") for line in cli("stats", "powers", "--db", dbfile).stdout
                 .splitlines())
    assert int(after["合计"]) == 394 + 8
    assert "综合行政执法队" in after  # created in the same transaction


def test_template_and_bad_set(dbfile, tmp_path):
    out = tmp_path / "模板.xlsx"
    r = cli("template", "powers", str(out))
    assert r.returncode == 0 and out.exists()
    r = cli("import", "powers", str(out), "--db", dbfile, "--set", "nonsense")
    assert r.returncode == 2 and "字段=值" in r.stderr


def test_import_refuses_a_hostile_file(dbfile, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    r = cli("import", "powers", str(bad), "--db", dbfile)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_user_edit_changes_only_what_is_given(dbfile):
    assert run_cli(["demo", "--db", dbfile]) == 0
    env = {"STREETLEDGER_PASSWORD": "Admin1234"}
    r = cli("user", "add", "boss", "--role", "admin", "--db", dbfile, stdin="Admin1234\n")
    assert r.returncode == 0, r.stderr
    r = cli("user", "add", "clerk", "--user", "boss", "--db", dbfile, "--display-name", "李录入",
            stdin="Admin1234\nClerk1234\n")
    assert r.returncode == 0, r.stderr
    r = cli("--user", "boss", "user", "edit", "clerk", "--role", "viewer", "--area", "白塔社区",
            "--db", dbfile, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "已修改账号 clerk：角色 录入员→查看员；所属区域 南城街道→白塔社区"
    r = cli("--user", "boss", "user", "list", "--db", dbfile, env=env)
    assert "clerk\t李录入\t查看员\t白塔社区\t正常" in r.stdout
    r = cli("--user", "boss", "user", "edit", "clerk", "--area", "南城街道", "--db", dbfile, env=env)
    assert r.returncode == 0 and "白塔社区→南城街道" in r.stdout
    r = cli("--user", "boss", "user", "edit", "clerk", "--area", "无此社区", "--db", dbfile, env=env)
    assert r.returncode == 2 and "没有名为“无此社区”的社区" in r.stderr
    r = cli("--user", "boss", "user", "edit", "boss", "--role", "editor", "--db", dbfile, env=env)
    assert r.returncode == 2 and "自己正在使用的账号" in r.stderr
