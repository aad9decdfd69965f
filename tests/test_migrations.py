"""Migrations from empty on SQLite and PostgreSQL; models and migrations agree."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from app.db import Database, current_revision, normalize_url
from app.migrations import HEAD, REVISIONS, alembic_config, upgrade
from app.models import Base


def test_head_constant_matches_scripts():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD
    assert tuple(reversed([r.revision for r in script.walk_revisions()])) == REVISIONS


def test_upgrade_from_empty_and_models_agree(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(normalize_url(db_url))
    upgrade(engine)
    assert current_revision(engine) == HEAD
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        assert {"area", "power_item", "functional_body", "power_case_count"} <= names
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_opening_an_up_to_date_database_skips_alembic(sqlite_url, monkeypatch):
    Database(sqlite_url).close()
    import app.migrations as migrations

    def boom(*a, **k):
        raise AssertionError("Alembic should not run on an up-to-date database")

    monkeypatch.setattr(migrations, "upgrade", boom)
    Database(sqlite_url).close()


def test_database_from_a_newer_version_is_refused(sqlite_url):
    from app.errors import UserError

    Database(sqlite_url).close()
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='9999'"))
    engine.dispose()
    with pytest.raises(UserError) as err:
        Database(sqlite_url)
    assert "更新版本" in err.value.message


def test_sqlite_pragmas(sqlite_url):
    db = Database(sqlite_url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    db.close()


def test_live_unique_indexes_get_their_postgresql_where_without_loading_it_on_sqlite():
    """The partial unique indexes name their PostgreSQL clause only once a PostgreSQL
    engine is made, so a start-up on SQLite does not import that dialect."""
    import subprocess
    import sys

    code = ("import sys; import app.models; "
            "print('sqlalchemy.dialects.postgresql' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert out.stdout.strip() == "False", out.stderr
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex

    from app.models import _LIVE_UNIQUE, postgresql_options

    postgresql_options()
    postgresql_options()
    for index, where in _LIVE_UNIQUE:
        ddl = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
        assert ddl.endswith(f"WHERE {where}"), ddl
    assert len(_LIVE_UNIQUE) >= 3
