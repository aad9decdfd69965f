"""The column-wise bulk write of imports (app.bulk, UnitOfWork.audit_many): the same
rows, stamps and audit trail as the row-by-row path, and the connection's page cache
given back afterwards."""

from __future__ import annotations

from sqlalchemy import select, text

from app.core.uow import UnitOfWork
from app.importer import run_import
from app.models import AuditEntry
from app.services import save_row
from app.specs import get_spec

POWERS = get_spec("powers")
HEAD = "清单类别,权力类型,事项编码,事项名称,子项,生效日期,状态\n"


def test_an_import_audits_each_row_in_file_order_naming_its_key_and_the_file(db, tmp_path):
    rows = "".join(f"法定权力事项,行政确认,BK-{i:03d},批量事项{i},{'' if i % 2 else '情形'},"
                   f"2024-0{i % 9 + 1}-15,运行中\n" for i in range(40))
    (tmp_path / "bulk.csv").write_text(HEAD + rows, encoding="utf-8")
    assert run_import(db, POWERS, tmp_path / "bulk.csv").added == 40
    with db.session() as s:
        entries = s.execute(select(AuditEntry).where(AuditEntry.ledger == "powers")
                            .order_by(AuditEntry.id)).scalars().all()
        stored = s.execute(text("SELECT id, code, effective_date FROM power_item ORDER BY id")).all()
    creates = [e for e in entries if e.action == "create"]
    assert [e.row_id for e in creates] == [r[0] for r in stored]
    for i, e in enumerate(creates):
        assert e.summary.startswith(f"BK-{i:03d} / 批量事项{i}"), e.summary
        assert "bulk.csv" in e.summary and e.changes == "" and e.username == db.actor
    assert entries[-1].action == "import" and entries[-1].id > creates[-1].id
    assert len({e.at for e in entries}) == 1  # one transaction, one stamp
    # dates stored as the ORM stores them (SQLite: ISO text)
    assert str(stored[0][2]) == "2024-01-15" and str(stored[8][2]) == "2024-09-15"


def test_bulk_dates_and_stamps_match_a_form_save(db, tmp_path):
    save_row(db, POWERS, {"list_kind": "法定权力事项", "power_type": "行政确认", "code": "F-1",
                          "name": "表单事项", "effective_date": "2024-03-05", "status": "运行中"})
    (tmp_path / "one.csv").write_text(HEAD + "法定权力事项,行政确认,F-2,导入事项,,2024-03-05,运行中\n",
                                      encoding="utf-8")
    run_import(db, POWERS, tmp_path / "one.csv")
    with db.engine.connect() as c:
        a, b = c.execute(text("SELECT effective_date, typeof(created_at), length(created_at), "
                              "version, deleted_at, sub_item, remarks FROM power_item "
                              "ORDER BY id")).all() if db.engine.dialect.name == "sqlite" else (
            c.execute(text("SELECT effective_date, version, deleted_at, sub_item, remarks "
                           "FROM power_item ORDER BY id")).all())
    assert a == b


def test_a_bulk_unit_of_work_gives_the_page_cache_back(sqlite_url):
    from app.db import Database

    db = Database(sqlite_url, actor="t")
    with db.engine.connect() as c:
        before = c.exec_driver_sql("PRAGMA cache_size").scalar()
    with UnitOfWork(db, bulk=True) as uow:
        inside = uow.session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
    with db.engine.connect() as c:
        after = c.exec_driver_sql("PRAGMA cache_size").scalar()
    assert inside < before and after == before
