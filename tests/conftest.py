"""Shared fixtures: offscreen Qt, a temporary data folder, and a fresh database per
test on SQLite and, when STREETLEDGER_TEST_PG_URL is set, on the real PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("STREETLEDGER_TEST_PG_URL", "")

# Property tests check correctness, not speed: hypothesis's 200 ms deadline per example
# failed now and then on a shared 2-core machine (speed is for tests/benchmarks/).
from hypothesis import settings as _hypothesis  # noqa: E402

_hypothesis.register_profile("streetledger", deadline=None)
_hypothesis.load_profile("streetledger")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Every test gets its own data folder, and no database from the environment."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("STREETLEDGER_HOME", str(path))
    monkeypatch.delenv("STREETLEDGER_DB", raising=False)
    return path


@pytest.fixture(autouse=True)
def _qt_objects_die_here():
    """After a test's widgets are closed (pytest-qt's teardown runs before this one's),
    delete them and collect Python's garbage now. Left to chance, the deferred deletes
    and a garbage collection of the last test's window ran inside the next test's event
    loop, while Qt was laying out another table — a segmentation fault now and then."""
    yield
    import gc
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url():
    """A URL to an empty schema of its own on the test PostgreSQL server."""
    if not PG_URL:
        pytest.skip("未设置 STREETLEDGER_TEST_PG_URL，跳过 PostgreSQL 测试")
    from sqlalchemy import create_engine, text

    from app.db import normalize_url

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(normalize_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield pg_schema_url(normalize_url(PG_URL), schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return "sqlite:///" + (tmp_path / "test.sqlite3").as_posix()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url):
    from app.db import Database

    database = Database(db_url, actor="测试员")
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    from app.demo import load_demo

    load_demo(db)
    return db


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory):
    """The demo database, made once per test process: tests get a copy of the file."""
    from app.db import Database
    from app.demo import load_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    database = Database("sqlite:///" + path.as_posix(), actor="测试员")
    load_demo(database)
    database.close()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def sqlite_demo_db(sqlite_url, tmp_path, demo_sqlite_template):
    """Demo data on SQLite only, for GUI and report tests that need no server."""
    import shutil

    from app.db import Database

    shutil.copyfile(demo_sqlite_template, tmp_path / "test.sqlite3")
    database = Database(sqlite_url, actor="测试员")
    yield database
    database.close()


# -- GUI fixtures (Qt is imported only by the tests that use them) -----------------------

@pytest.fixture
def app():
    """The QApplication, set up as the real app sets it up."""
    from ui.app import create_application

    return create_application()


def make_window(qtbot, db, page: str | None = "权责清单"):
    """The real main window on `db`, shown at an office PC's size, on `page` (the window
    opens on 首页; most tests work on the powers page; None: stay on 首页)."""
    from ui.app import create_application
    from ui.main_window import MainWindow

    create_application()
    w = MainWindow(db)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    if page is not None:
        w.show_page(page)
    return w


@pytest.fixture
def window(qtbot, sqlite_demo_db):
    return make_window(qtbot, sqlite_demo_db)


@pytest.fixture
def admin_db(sqlite_demo_db):
    """The demo database with an administrator signed in."""
    from tests.admin_helpers import make_admin

    return make_admin(sqlite_demo_db)
