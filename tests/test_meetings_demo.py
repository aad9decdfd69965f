"""The joint-meeting demo: a year of the street's quarterly meetings and the communities'
monthly ones (some missed), decisions in every state that are problems of the
rectification demo (which keeps the seed's 792), deliberations linked to problems."""

from __future__ import annotations

from sqlalchemy import func, select

from app.figures import figures
from app.meeting_cadence import behind_communities
from app.meetings import decisions, previous_meeting, resolve_meeting
from app.models import Meeting, MeetingDecision
from app.specs.deliberations import DELIBERATIONS
from app.specs.meetings import MEETINGS
from app.specs.rectification import PROBLEMS


def test_the_demo_meetings(demo_db):
    db = demo_db
    with db.session() as s:
        levels = dict(s.execute(select(Meeting.level, func.count()).group_by(Meeting.level)).all())
        per_community = s.execute(select(func.count()).select_from(Meeting).where(
            Meeting.level == "社区").group_by(Meeting.community_id)).scalars().all()
        links = s.execute(select(func.count()).select_from(MeetingDecision)).scalar_one()
    assert levels["街道"] == 5  # four held, the next one in preparation
    assert len(per_community) == 11 and max(per_community) == 12 and min(per_community) < 12
    assert len(behind_communities(db)) == 2
    got = {v.label: v.value for v in figures(db, MEETINGS)}
    assert got["议定事项"] == links > 40 and 0 < got["已办结"] < links and got["逾期事项"] > 0
    rect = {v.label: v.value for v in figures(db, PROBLEMS)}
    assert (rect["合计"], rect["已整改"], rect["完成率"]) == (792, 746, 94.2)
    assert rect["联席会议议定"] >= links
    latest = resolve_meeting(db, "latest")
    with db.session() as s:
        assert s.get(Meeting, latest).status == "筹备"
    states = {d.status for d in decisions(db, previous_meeting(db, latest))}
    assert {"已销号", "待验收", "整改中", "未启动"} <= states
    talks = {v.label: v.value for v in figures(db, DELIBERATIONS)}
    assert talks["议事协商"] > 40 and talks["解决问题"] > 0 and talks["提出问题"] > 0
