"""Issue 18, accounts and sign-in: each test performs the attack and checks the refusal,
the message and that nothing changed, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import multiprocessing as mp
import time

import pytest
from sqlalchemy import func, select

from app import auth
from app.areas import add_street
from app.audit import entries
from app.db import Database
from app.errors import PermissionDenied, UserError, ValidationError
from app.models import Area, AuditEntry, User

PW = "Passw0rd!"
WRONG = "wrong-pass1"


def _try_wrong(url: str, barrier, out) -> None:
    """One process of the parallel attack: wait for the others, then a wrong password."""
    db = Database(url, migrate_schema=False)
    barrier.wait()
    try:
        auth.login(db, "editor", WRONG)
        out.put("signed in")
    except UserError as exc:
        out.put(exc.message)
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        out.put(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()


@pytest.fixture
def accounts(db):
    auth.create_user(db, "admin", PW, "admin")
    auth.login(db, "admin", PW)
    auth.create_user(db, "editor", PW, "editor")
    auth.logout(db)
    return db


def test_thirty_parallel_wrong_passwords_lock_the_account(accounts, db_url):
    """Finding 1: every attempt is counted in the database before the password is checked."""
    n = 30
    ctx = mp.get_context("spawn")  # no fork of a process holding Qt, threads and connections
    barrier, out = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_try_wrong, args=(db_url, barrier, out)) for _ in range(n)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in range(n)]
    for p in procs:
        p.join(30)
    assert "signed in" not in results
    assert all(r == auth.FAILED for r in results), set(results)
    with accounts.session() as s:
        user = s.execute(select(User).where(User.username == "editor")).scalar_one()
        tries = s.execute(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.action == "login_failed")).scalar_one()
    assert user.failed_logins == n and user.locked_until is not None  # all counted: locked
    assert tries == n
    # The right password does not get through now, on a fresh connection (another PC).
    other = Database(db_url)
    with pytest.raises(UserError, match="已锁定") as err:
        auth.login(other, "editor", PW)
    assert "分钟后再试" in err.value.message and other.user is None
    other.close()


def test_locked_after_the_fifth_wrong_password(accounts):
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(UserError) as err:
            auth.login(accounts, "editor", WRONG)
        assert err.value.message == auth.FAILED
    with pytest.raises(UserError, match="已锁定"):
        auth.login(accounts, "editor", PW)
    assert accounts.user is None


def test_a_lock_that_ran_out_counts_again_from_one(accounts):
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(UserError):
            auth.login(accounts, "editor", WRONG)
    with accounts.session() as s:  # five minutes later
        user = s.execute(select(User).where(User.username == "editor")).scalar_one()
        user.locked_until = user.locked_until.replace(year=2000)
        s.commit()
    assert auth.login(accounts, "editor", PW).username == "editor"


def test_failures_look_and_take_the_same(accounts):
    """Finding 3: missing, disabled and real accounts fail alike until the password is right."""
    auth.login(accounts, "admin", PW)
    auth.create_user(accounts, "gone", PW, "editor")
    auth.set_disabled(accounts, "gone")
    auth.logout(accounts)
    timings, messages = {}, {}
    for name in ("editor", "nobody", "gone"):
        start = time.perf_counter()
        for _ in range(3):
            with pytest.raises(UserError) as err:
                auth.login(accounts, name, WRONG)
            messages.setdefault(name, set()).add(err.value.message)
        timings[name] = (time.perf_counter() - start) / 3
    assert messages == {k: {auth.FAILED} for k in messages}  # no "还可尝试 N 次", no "已停用"
    # A missing account costs an argon2 check too: not 10 ms against 190 ms.
    assert timings["nobody"] > 0.4 * timings["editor"], timings
    with pytest.raises(UserError, match="已停用"):  # said only once the password is right
        auth.login(accounts, "gone", PW)


def test_look_alike_and_control_character_names_are_refused(accounts, caplog):
    """Finding 4: Cyrillic а, full-width ａｄｍｉｎ, a newline forging a log line."""
    auth.login(accounts, "admin", PW)
    with pytest.raises(ValidationError, match="账号须为"):
        auth.create_user(accounts, "\u0430dmin", PW, "editor")  # Cyrillic а
    with pytest.raises(ValidationError, match="已存在"):
        auth.create_user(accounts, "ａｄｍｉｎ", PW, "editor")  # NFKC: admin
    with pytest.raises(ValidationError, match="已存在"):
        auth.create_user(accounts, "Admin", PW, "editor")
    with pytest.raises(ValidationError, match="账号须为"):
        auth.create_user(accounts, "evil\n2024 INFO admin 登录", PW, "editor")
    with pytest.raises(ValidationError, match="账号须为"):
        auth.create_user(accounts, "x" * 70, PW, "editor")  # finding 12 on PostgreSQL too
    with pytest.raises(ValidationError, match="姓名最多 64"):
        auth.create_user(accounts, "longname", PW, "editor", display_name="名" * 65)
    with accounts.session() as s:
        assert s.execute(select(func.count()).select_from(User)).scalar_one() == 2
    auth.logout(accounts)
    # Full width signs in to the same account; a forged name gives one masked line.
    assert auth.login(accounts, "ａｄｍｉｎ", PW).username == "admin"
    auth.logout(accounts)
    caplog.set_level(logging.INFO)
    from app.logs import SensitiveFilter

    with pytest.raises(UserError):
        auth.login(accounts, "Secr3tPassword\nFORGED", WRONG)
    with pytest.raises(UserError):
        auth.login(accounts, "Secr3tPassword", WRONG)
    failed = [e for e in entries(accounts, action="login_failed")]
    assert [e.username for e in failed[:2]] == ["S***", "S***"]
    for rec in caplog.records:
        SensitiveFilter().filter(rec)
        assert "Secr3tPassword" not in rec.getMessage() and "\n" not in rec.getMessage()


def test_no_hash_or_parameters_in_the_log_when_an_insert_fails(accounts, caplog):
    """Finding 5: a failing account insert dumps no parameters; a duplicate says 已存在."""
    from sqlalchemy.exc import IntegrityError

    from app.logs import mask

    with accounts.session() as s:
        s.add(User(username="twin", display_name="", role="editor", area_id=accounts.street_id,
                   password_hash=auth.hash_password(PW)))
        s.commit()
        s.add(User(username="twin", display_name="", role="editor", area_id=accounts.street_id,
                   password_hash=auth.hash_password(PW)))
        with pytest.raises(IntegrityError) as err:
            s.commit()
    assert "$argon2" not in str(err.value)
    assert "parameters hidden" in str(err.value)
    assert mask("{'password_hash': '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'}") \
        == "{'password_hash': '***'}"
    assert "$argon2" not in mask("x $argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA y")


def test_parallel_user_add_of_one_name_says_it_exists(accounts, db_url):
    """Finding 5: six clients adding "twin" at once: one account, the others 已存在."""
    import threading

    clients = [Database(db_url) for _ in range(6)]
    for c in clients:
        auth.login(c, "admin", PW)
    outcome: list[str] = []
    barrier = threading.Barrier(len(clients))

    def add(c):
        barrier.wait()
        try:
            auth.create_user(c, "twin", PW, "editor")
            outcome.append("created")
        except UserError as exc:
            outcome.append(exc.message)

    threads = [threading.Thread(target=add, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in clients:
        c.close()
    assert outcome.count("created") == 1
    assert all("已存在" in o for o in outcome if o != "created"), outcome


@pytest.fixture
def two_streets(db):
    """南城 (the first street) and 北城 in one district; an administrator in each, a
    district administrator above them."""
    with db.session() as s:
        district = s.get(Area, db.street_id).parent_id
    auth.create_user(db, "district", PW, "admin", area_id=district)  # the first account
    auth.login(db, "district", PW)
    north = add_street(db, "北城街道")
    auth.create_user(db, "admin1", PW, "admin", area_id=db.street_id)
    auth.create_user(db, "admin2", PW, "admin", area_id=north)
    auth.create_user(db, "clerk2", PW, "editor", area_id=north)
    auth.create_user(db, "clerk1", PW, "editor", area_id=db.street_id)
    auth.logout(db)
    return db


def test_a_street_administrator_manages_only_its_own_street(two_streets):
    """Finding 2: admin2 (北城) can touch neither the district account nor 南城's."""
    db = two_streets
    auth.login(db, "admin2", PW)
    for target in ("district", "admin1", "clerk1"):
        with pytest.raises(UserError, match="不存在|无权"):
            auth.reset_password(db, target, "Hijack3d!")
        with pytest.raises(UserError, match="不存在|无权"):
            auth.set_disabled(db, target)
    assert {u["username"] for u in auth.list_users(db)} == {"admin2", "clerk2"}
    with pytest.raises(PermissionDenied):  # not at its own level either
        auth.create_user(db, "admin2b", PW, "admin")
    auth.reset_password(db, "clerk2", "NewPassw0rd")  # its own clerk: allowed
    assert not [e for e in entries(db, limit=1000) if e.username in ("district", "admin1")]
    auth.logout(db)
    # Nothing was changed: the others still sign in with their own passwords.
    for name in ("district", "admin1", "clerk1"):
        assert auth.login(db, name, PW).username == name
        auth.logout(db)
    # The district administrator manages the street administrators below it.
    auth.login(db, "district", PW)
    auth.set_disabled(db, "admin2")
    assert len(auth.list_users(db)) == 5


def test_audit_limit_and_year_ranges_are_checked(accounts):
    """Finding 12: what PostgreSQL refused with an internal error is refused in words."""
    from app.powers import stats

    auth.login(accounts, "admin", PW)
    with pytest.raises(UserError, match="负数"):
        entries(accounts, limit=-1)
    with pytest.raises(UserError, match="年份 99999999999"):
        stats(accounts, 99999999999)
