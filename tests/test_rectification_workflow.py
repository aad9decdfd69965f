"""Who may make each transition of the rectification workflow (管理员, 审核员, 录入员,
查看员), the second round after 验收不通过, the four-eyes rule of 销号, and the settings
that change the warnings and numbers — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import auth
from app.attachments import add_attachment
from app.core.workflow import available, transition
from app.errors import PermissionDenied, UserError, ValidationError
from app.rectification_settings import get_settings, set_settings
from app.services import get_row, list_rows
from app.specs.rectification import PROBLEMS
from tests.rectification_helpers import TODAY, accounts, as_, edit, problem, status
from tests.test_rectification import PNG

D = timedelta(days=1)
# transition → who may make it (setup mode aside)
MATRIX = {
    "start": {"boss", "checker", "clerk"},
    "submit": {"boss", "checker", "clerk"},
    "long_term": {"boss", "checker"},
    "reject": {"boss", "checker"},
    "fail": {"boss", "checker"},
    "close": {"boss", "checker"},
    "reopen": {"boss", "checker"},
}
SOURCE = {"start": "未启动", "submit": "整改中", "long_term": "整改中", "reject": "待验收",
          "fail": "待验收", "close": "待验收", "reopen": "已销号"}


@pytest.fixture
def people(db):
    return accounts(db)


def _prepared(db, state: str) -> int:
    """A problem in `state`, ready for any transition from there (submitted by clerk)."""
    db = as_(db, "clerk")
    row = problem(db, rect_type="长期整改", result_note="已清运")
    if state == "未启动":
        return row
    transition(db, PROBLEMS, row, "start")
    if state == "整改中":
        return row
    transition(db, PROBLEMS, row, "submit")
    db = as_(db, "checker2")
    edit(db, row, accepted_by="王主任", accepted_on=TODAY, accept_grade="差",
         recheck_on=TODAY, recheck_result="反弹")
    add_attachment(db, PROBLEMS, row, "photos_after", PNG, "after.png")
    if state == "待验收":
        return row
    edit(db, row, accept_grade="好")
    transition(db, PROBLEMS, row, "close")
    return row


@pytest.mark.parametrize("key", list(MATRIX))
def test_who_may_make_each_transition(people, key):
    for who in ("boss", "checker", "clerk", "reader"):
        row = _prepared(people, SOURCE[key])
        db = as_(people, who)
        if key == "close":
            edit(as_(people, "checker2"), row, accept_grade="好")
            db = as_(people, who)
        if who in MATRIX[key]:
            transition(db, PROBLEMS, row, key, reason="理由")
            assert status(db, row) != SOURCE[key], (key, who)
        else:
            with pytest.raises(PermissionDenied):
                transition(db, PROBLEMS, row, key, reason="理由")
            assert status(db, row) == SOURCE[key], (key, who)


def test_the_buttons_offered_follow_the_role(people):
    keys = {who: [t.key for t in available(as_(people, who), PROBLEMS, "待验收")]
            for who in ("checker", "clerk", "reader")}
    assert keys == {"checker": ["reject", "fail", "close"], "clerk": [], "reader": []}


def test_a_verifier_does_not_close_what_they_submitted(people):
    db = as_(people, "checker")
    row = problem(db, result_note="已清运")
    transition(db, PROBLEMS, row, "start")
    transition(db, PROBLEMS, row, "submit")
    edit(db, row, accepted_by="王主任", accepted_on=TODAY, accept_grade="好")
    add_attachment(db, PROBLEMS, row, "photos_after", PNG, "after.png")
    with pytest.raises(PermissionDenied, match="本人"):
        transition(db, PROBLEMS, row, "close")
    transition(as_(db, "checker2"), PROBLEMS, row, "close")
    assert status(db, row) == "已销号"


def test_a_poor_grade_sends_it_back_for_a_second_round(people):
    row = _prepared(people, "待验收")  # graded 差
    db = as_(people, "checker")
    with pytest.raises(UserError, match="未通过验收"):
        transition(db, PROBLEMS, row, "close")
    with pytest.raises(ValidationError):  # the opinion is the reason
        transition(db, PROBLEMS, row, "fail")
    transition(db, PROBLEMS, row, "fail", reason="围挡未拆除，群众仍有意见")
    got = get_row(db, PROBLEMS, row)
    assert (got["status"], got["rounds"], got["accept_grade"], got["accepted_on"]) == (
        "整改中", 1, "", None)
    # The second round: submitted again, accepted 较好, closed.
    db = as_(db, "clerk")
    transition(db, PROBLEMS, row, "submit")
    db = as_(db, "checker")
    with pytest.raises(UserError, match="验收日期、验收等次"):  # the old acceptance is gone
        transition(db, PROBLEMS, row, "close")
    edit(db, row, accepted_on=TODAY, accept_grade="较好")
    with pytest.raises(UserError, match="一般"):  # fail is only for 一般/差
        transition(db, PROBLEMS, row, "fail", reason="再退")
    transition(db, PROBLEMS, row, "close")
    assert get_row(db, PROBLEMS, row)["rounds"] == 1


def test_an_editor_reports_progress_but_does_not_close(people):
    row = _prepared(people, "整改中")
    db = as_(people, "clerk")
    edit(db, row, progress=f"{TODAY.isoformat()} 清运垃圾（50%，张三）")
    assert get_row(db, PROBLEMS, row)["version"] > 1
    transition(db, PROBLEMS, row, "submit")
    with pytest.raises(PermissionDenied, match="审核员"):
        transition(db, PROBLEMS, row, "close")


def test_the_verifier_role_on_the_command_line_words():
    assert auth.ROLES["verifier"] == "审核员"
    assert auth.ROLE_CODES["审核员"] == "verifier"


# -- settings ---------------------------------------------------------------------------

def _warning(db, row):
    rows = list_rows(db, PROBLEMS, (PROBLEMS.field("warning"),))
    return rows.rows[rows.ids.index(row)][0]


def test_thresholds_are_an_administrators_and_change_the_warnings(people):
    db = as_(people, "clerk")
    row = problem(db, found=TODAY - 5 * D, deadline=TODAY + 15 * D,
                  progress=f"{TODAY.isoformat()} 清运（90%）")
    assert _warning(db, row) == "正常"
    with pytest.raises(PermissionDenied):
        set_settings(db, warn_days=20)
    db = as_(db, "boss")
    with pytest.raises(ValidationError) as e:
        set_settings(db, warn_days=0)
    assert "warn_days" in e.value.errors
    with pytest.raises(ValidationError) as e:
        set_settings(db, completion_weight=70)  # 70 + 40 is not 100
    assert "100" in e.value.errors["on_time_weight"]
    set_settings(db, warn_days=15)
    assert _warning(db, row) == "临期"
    set_settings(db, warn_days=14, stale_days=3)
    old = problem(db, found=TODAY - 20 * D, deadline=TODAY + 60 * D,
                  progress=f"{(TODAY - 4 * D).isoformat()} 清运（90%）")
    assert _warning(db, old) == "滞后"
    set_settings(db, completion_weight=70, on_time_weight=30)
    got = get_settings(db)
    assert (got.warn_days, got.stale_days, got.completion_weight) == (14, 3, 70)
    from app.audit import entries

    texts = [e.summary for e in entries(db, ledger="settings")]
    assert texts.count("整改台账：预警与评比设置") == 3


def test_the_number_prefix_and_numbers_never_reused_after_a_purge(people):
    db = as_(people, "boss")
    set_settings(db, number_prefix="dc")
    a = problem(db, found=TODAY)
    assert get_row(db, PROBLEMS, a)["number"] == f"DC-{TODAY.year}-0001"
    b = problem(db, found=TODAY)
    from app.core.writes import delete_row, purge_row

    delete_row(db, PROBLEMS, b, get_row(db, PROBLEMS, b)["version"])
    purge_row(db, PROBLEMS, b)
    c = problem(db, found=TODAY)
    assert get_row(db, PROBLEMS, c)["number"] == f"DC-{TODAY.year}-0003"
    with pytest.raises(ValidationError, match="英文字母"):
        set_settings(db, number_prefix="整改")


def test_acceptance_and_closing_are_stamped(people):
    db = as_(people, "clerk")
    row = problem(db, result_note="已清运", steps="清运垃圾（2026-06-30前）；设置围挡")
    transition(db, PROBLEMS, row, "start")
    transition(db, PROBLEMS, row, "submit")
    got = get_row(db, PROBLEMS, row)
    assert got["accept_requested_on"] == TODAY and got["closed_by"] == ""
    db = as_(db, "checker")
    edit(db, row, accepted_by="王主任", accepted_on=TODAY, accept_grade="较好")
    rows = list_rows(db, PROBLEMS, (PROBLEMS.field("accept_conclusion"),))
    assert rows.rows[rows.ids.index(row)][0] == "通过"
    from app.attachments import add_attachment as attach

    attach(db, PROBLEMS, row, "evidence_docs", b"%PDF-1.4 evidence", "验收材料.pdf")
    transition(db, PROBLEMS, row, "close")  # a document is evidence enough
    got = get_row(db, PROBLEMS, row)
    assert (got["closed_on"], got["closed_by"]) == (TODAY, "checker")
    from app.core.children import read_children

    steps = read_children(db, PROBLEMS, row, "steps")
    assert [(s["content"], s["due"] and s["due"].isoformat()) for s in steps] == [
        ("清运垃圾", "2026-06-30"), ("设置围挡", None)]


def test_a_poor_grade_reads_as_not_passed(people):
    row = _prepared(people, "待验收")  # graded 差
    db = as_(people, "checker")
    rows = list_rows(db, PROBLEMS, (PROBLEMS.field("accept_conclusion"),))
    assert rows.rows[rows.ids.index(row)][0] == "不通过"
