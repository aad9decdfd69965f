"""Several clients on one PostgreSQL database: no lost update, many streets, lost connections.

These run against the real server when STREETLEDGER_TEST_PG_URL is set (CI sets it);
the district roll-up also runs on SQLite."""

from __future__ import annotations

import multiprocessing as mp
import random
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import auth
from app.areas import add_street
from app.connection import ConnectionSettings, check_connection, explain, is_connection_error
from app.db import Database
from app.errors import ConflictError, PermissionDenied, UserError
from app.models import AuditEntry, PowerItem
from app.powers import stats, stats_by_street
from app.services import delete_row, get_row, list_rows, restore_row, save_row
from app.specs.powers import POWERS

PW = "Passw0rd!"


def item(name: str, **extra) -> dict:
    return {"list_kind": "法定权力事项", "power_type": "公共服务", "name": name,
            "status": "运行中", **extra}


def test_two_clients_edit_the_same_row(pg_url):
    a, b = Database(pg_url, actor="甲"), Database(pg_url, actor="乙")
    row_id, _ = save_row(a, POWERS, item("共同编辑的事项"))
    mine, theirs = get_row(a, POWERS, row_id), get_row(b, POWERS, row_id)
    save_row(a, POWERS, {**mine, "remarks": "甲的修改"}, row_id, mine["version"])
    with pytest.raises(ConflictError) as err:
        save_row(b, POWERS, {**theirs, "remarks": "乙的修改"}, row_id, theirs["version"])
    assert err.value.theirs["remarks"] == "甲的修改"
    assert get_row(b, POWERS, row_id)["remarks"] == "甲的修改"  # nothing overwritten
    with pytest.raises(ConflictError):
        delete_row(b, POWERS, row_id, theirs["version"])
    a.close()
    b.close()


def test_concurrent_imports_cannot_insert_the_same_key_twice(pg_url):
    from app.core.uow import UnitOfWork
    from app.core.writes import insert_rows

    a, b = Database(pg_url), Database(pg_url)
    a.street_id, b.street_id  # noqa: B018 - create the street before racing
    row = {**item("同时导入的事项"), "sub_item": "", "code": "", "origin_department": "",
           "legal_basis": "", "body_id": None, "devolution_mode": "", "effective_date": None,
           "remarks": ""}
    outcome = {}

    def second():
        try:
            with UnitOfWork(b) as ub:
                insert_rows(ub, POWERS, [dict(row)])  # waits on the unique index, then fails
            outcome["b"] = "committed"
        except Exception as exc:  # noqa: BLE001
            outcome["b"] = type(exc).__name__

    t = threading.Thread(target=second)
    with UnitOfWork(a) as ua:
        insert_rows(ua, POWERS, [dict(row)])  # not yet committed
        t.start()
        t.join(0.5)  # the second writer is now blocked on the first one's key
    t.join(10)
    assert outcome["b"] == "IntegrityError"
    with a.session() as s:
        n = s.execute(select(func.count()).select_from(PowerItem)
                      .where(PowerItem.name == "同时导入的事项")).scalar_one()
    assert n == 1
    a.close()
    b.close()


def _worker(args):
    url, worker, row_ids, ops, seed, tmp = args
    rng = random.Random(seed)
    db = Database(url, actor=f"w{worker}")
    acks, conflicts = [], 0
    for n in range(ops):
        choice = rng.random()
        if choice > 0.95:  # an upsert import of the import-only rows, racing the others
            from app.errors import UserError
            from app.importer import run_import

            csv = Path(tmp) / f"w{worker}-{n}.csv"
            csv.write_text("清单类别,权力类型,事项名称,状态,备注\n" + "".join(
                f"法定权力事项,行政确认,导入压力事项{i},运行中,w{worker}-{n}\n" for i in range(4)),
                encoding="utf-8")
            try:
                run_import(db, POWERS, csv, mode="upsert")
            except UserError:  # a concurrent import won: the whole file rolled back
                conflicts += 1
            continue
        if choice < 0.1:
            name = f"w{worker}-新增-{n}"
            new_id, version = save_row(db, POWERS, item(name))
            acks.append(("insert", new_id, version, name))
            continue
        row_id = rng.choice(row_ids)
        for _attempt in range(50):  # retry on conflict, as the GUI's dialog would
            try:
                try:
                    current = get_row(db, POWERS, row_id)
                except ConflictError:  # deleted by someone else: bring it back
                    acks.append(("restore", row_id, restore_row(db, POWERS, row_id), None))
                    break
                if choice < 0.15:
                    version = delete_row(db, POWERS, row_id, current["version"])
                    acks.append(("delete", row_id, version, None))
                else:
                    token = f"w{worker}-{n}"
                    _, version = save_row(db, POWERS, {**current, "remarks": token}, row_id,
                                          current["version"])
                    acks.append(("update", row_id, version, token))
                break
            except ConflictError:
                conflicts += 1
                continue
    db.close()
    return acks, conflicts


@pytest.mark.slow
def test_randomised_stress_no_acknowledged_change_is_lost(pg_url, tmp_path):
    db = Database(pg_url, actor="准备")
    row_ids = [save_row(db, POWERS, item(f"压力测试事项{i}"))[0] for i in range(12)]
    for i in range(4):  # rows only imports touch: audit entries = version holds for them too
        save_row(db, POWERS, {**item(f"导入压力事项{i}"), "power_type": "行政确认"})
    ctx = mp.get_context("spawn")
    with ctx.Pool(8) as pool:
        results = pool.map(_worker, [(pg_url, w, row_ids, 200, w, str(tmp_path))
                                     for w in range(8)])
    acks = [a for r, _ in results for a in r]
    assert len(acks) > 8 * 150
    assert sum(c for _, c in results) > 0, "the workers never collided: the test proves nothing"

    with db.session() as s:
        final = {r.id: r for r in s.execute(select(PowerItem)).scalars()}
        audit = dict(s.execute(select(AuditEntry.row_id, func.count())
                               .where(AuditEntry.ledger == "powers")
                               .group_by(AuditEntry.row_id)).all())
    by_row: dict[int, list] = {}
    for kind, row_id, version, token in acks:
        by_row.setdefault(row_id, []).append((version, kind, token))
    for row_id, writes in by_row.items():
        versions = [v for v, _, _ in writes]
        assert len(versions) == len(set(versions)), f"two clients both wrote version of {row_id}"
        row = final[row_id]
        last_version, last_kind, last_token = max(writes)
        assert row.version == last_version  # the newest acknowledged write is what is stored
        if last_kind == "delete":
            assert row.deleted_at is not None
        elif last_kind == "restore":
            assert row.deleted_at is None
        elif last_kind == "update":
            assert row.remarks == last_token and row.deleted_at is None
        # One audit entry per version: create + every acknowledged update/delete.
        assert audit[row_id] == row.version
    imported = [r for r in final.values() if r.name.startswith("导入压力事项")]
    assert len(imported) == 4 and any(r.version > 1 for r in imported)
    for r in imported:
        assert audit[r.id] == r.version, r.name
    db.close()


def test_lost_connection_is_reported_and_recovered(pg_url):
    from sqlalchemy import event

    db = Database(pg_url)
    # Only this test's connections are cut: the server is shared with the other test
    # workers (pytest-xdist) and other runs, whose connections must live on.
    pids: set[int] = set()
    event.listen(db.engine, "checkout", lambda dbapi, _rec, _proxy: pids.add(dbapi.info.backend_pid))
    row_id, version = save_row(db, POWERS, item("断线测试"))
    admin = Database(pg_url)

    def cut():
        with admin.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE pid = ANY(:pids) AND pid <> pg_backend_pid()"),
                         {"pids": sorted(pids)})
            conn.commit()

    # A connection dropped while idle in the pool: the next call reconnects by itself.
    cut()
    assert get_row(db, POWERS, row_id)["version"] == version
    # Dropped in the middle of a transaction: the error is recognised as a lost connection,
    # the change is not half-written, and saving again works.
    from app.core.uow import UnitOfWork

    with pytest.raises(Exception) as err:
        with UnitOfWork(db) as uow:  # a write, so through the unit of work
            uow.session.execute(text("SELECT 1"))
            cut()
            uow.session.execute(text("UPDATE power_item SET remarks='半截' WHERE id=:i"),
                                {"i": row_id})
    assert is_connection_error(err.value)
    assert "连接中断" in explain(err.value)
    row = get_row(db, POWERS, row_id)
    assert row["remarks"] == ""
    save_row(db, POWERS, {**row, "remarks": "恢复后保存"}, row_id, row["version"])
    assert get_row(db, POWERS, row_id)["remarks"] == "恢复后保存"
    db.close()
    admin.close()


def test_connection_test_reports_precise_reasons():
    import os

    if not os.environ.get("STREETLEDGER_TEST_PG_URL"):
        pytest.skip("未设置 STREETLEDGER_TEST_PG_URL")
    from sqlalchemy.engine import make_url

    u = make_url(os.environ["STREETLEDGER_TEST_PG_URL"])
    good = ConnectionSettings("postgresql", host=u.host, port=u.port or 5432,
                              database=u.database, user=u.username or "postgres")
    ok, message = check_connection(good)
    assert ok and "连接成功" in message
    ok, message = check_connection(ConnectionSettings(**{**good.__dict__, "database": "无此库"}))
    assert not ok and "不存在" in message
    ok, message = check_connection(ConnectionSettings(**{**good.__dict__, "port": 1}))
    assert not ok and "无法连接到服务器" in message
    ok, message = check_connection(ConnectionSettings(**{**good.__dict__,
                                                        "host": "no-such-host.invalid"}))
    assert not ok and "找不到服务器" in message


def test_wrong_password_message():
    class Fake(Exception):
        pass

    exc = Fake('FATAL:  password authentication failed for user "jiedao"')
    assert "密码错误" in explain(exc, ConnectionSettings("postgresql", user="jiedao"))


def test_many_streets_district_rollup_and_scoping(db):
    from app.demo import load_demo

    load_demo(db)
    south = db.street_id
    north = add_street(db, "北城街道")
    db.use_street(north)
    for i in range(5):
        save_row(db, POWERS, item(f"北城事项{i}"))
    db.use_street(south)
    assert dict(stats(db))["合计"] == 394  # a street sees only itself

    with db.session() as s:
        from app.models import Area

        district = s.get(Area, south).parent_id
    auth.create_user(db, "district", PW, "admin", area_id=district)
    auth.login(db, "district", PW)
    auth.create_user(db, "north", PW, "editor", area_id=north)
    rollup = dict(stats_by_street(db))
    assert dict(rollup["南城街道"])["合计"] == 394
    assert dict(rollup["北城街道"])["合计"] == 5
    assert len(list_rows(db, POWERS)) == 399  # the district sees every street
    with pytest.raises(PermissionDenied):  # ...but only to read
        save_row(db, POWERS, item("区级不能写"))
    auth.logout(db)

    auth.login(db, "north", PW)
    names = list_rows(db, POWERS).column("name")
    assert sorted(names) == [f"北城事项{i}" for i in range(5)]
    new_id, _ = save_row(db, POWERS, item("北城新事项"))
    with db.session() as s:
        assert s.get(PowerItem, new_id).area_id == north
    with pytest.raises(UserError):
        with db.narrowed("/"):  # cannot widen one's own scope
            pass


def test_cli_rollup_by_street(tmp_path):
    from main import run_cli

    dbfile = str(tmp_path / "d.sqlite3")
    assert run_cli(["demo", "--db", dbfile, "--create"]) == 0
    db = Database(dbfile)
    north = add_street(db, "北城街道")
    db.use_street(north)
    save_row(db, POWERS, item("北城事项"))
    with db.session() as s:
        from app.models import Area

        district = s.get(Area, north).parent_id
    # The district's administrator: a street administrator may not create an account above it.
    auth.create_user(db, "admin", PW, "admin", area_id=district)
    auth.login(db, "admin", PW)
    auth.create_user(db, "district", PW, "viewer", area_id=district)
    db.close()
    import subprocess
    import sys
    from pathlib import Path

    r = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "main.py"), "stats",
                        "powers", "--by", "street", "--db", dbfile, "--user", "district"],
                       input=PW + "\n", capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = dict(line.split(": ") for line in r.stdout.splitlines())
    assert lines["合计"] == "395"
    assert lines["南城街道·合计"] == "394" and lines["北城街道·合计"] == "1"
    assert lines["南城街道·下放行政权力"] == "159"
