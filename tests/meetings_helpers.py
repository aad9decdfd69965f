"""Helpers for the joint-meeting tests: a street meeting, its decisions, a community."""

from __future__ import annotations

from datetime import date

from app.core.workflow import transition
from app.core.writes import save_row
from app.meetings import add_decisions
from app.services import ref_choices
from app.specs.meetings import MEETINGS
from app.specs.settings import COMMUNITIES
from tests.rectification_helpers import bodies


def community(db, name: str = "白塔社区") -> int:
    found = dict((n, i) for i, n in ref_choices(db, MEETINGS.field("community_id")))
    if name in found:
        return found[name]
    row_id, _ = save_row(db, COMMUNITIES, {"name": name})
    return row_id


def meeting(db, held: date, *, level: str = "街道", community_id: int | None = None,
            held_status: bool = True, **values) -> int:
    row = {"name": values.pop("name", f"{'社区' if level == '社区' else '街道'}联席会议"),
           "level": level, "held_on": held, "community_id": community_id,
           "place": "街道三楼会议室", "chair": "王书记", "recorder": "李干事",
           "people": [{"role": "出席", "name": "王书记", "unit": "街道党工委书记"},
                      {"role": "列席", "name": "赵主任", "unit": "区住建局"},
                      {"role": "请假", "name": "钱委员", "unit": "派出所"}],
           "agenda": [{"seq": 1, "topic": "通报整改工作进展", "unit": "党政综合办公室",
                       "materials": "整改工作进展情况汇报；问题清单"}], **values}
    row_id, _ = save_row(db, MEETINGS, row)
    if held_status:
        transition(db, MEETINGS, row_id, "hold")
    return row_id


def decide(db, meeting_id: int, *deadlines: date, kind: str = "部署") -> list[int]:
    b = bodies(db)
    return add_decisions(db, meeting_id, [
        {"content": f"第{n}项：推进背街小巷环境整治，建立长效机制。", "kind": kind, "lead": b[0],
         "co": [b[1]], "leader": "刘副主任", "deadline": d, "feedback_weeks": 2}
        for n, d in enumerate(deadlines, 1)])


def close_task(db, problem_id: int, day: date) -> None:
    """Take a decision's task from 未启动 to 已销号 (setup mode: no accounts)."""
    from app.attachments import add_attachment
    from app.specs.rectification import PROBLEMS
    from tests.rectification_helpers import edit
    from tests.test_rectification import PNG

    transition(db, PROBLEMS, problem_id, "start")
    edit(db, problem_id, result_note="已完成整治并建立长效机制。",
         progress=[{"day": day, "work": "完成整治，建立长效机制", "percent": 100,
                    "by_whom": "张建国"}])
    transition(db, PROBLEMS, problem_id, "submit")
    edit(db, problem_id, accepted_by="王主任", accepted_on=day, accept_grade="好")
    add_attachment(db, PROBLEMS, problem_id, "photos_after", PNG, "after.png")
    transition(db, PROBLEMS, problem_id, "close")
