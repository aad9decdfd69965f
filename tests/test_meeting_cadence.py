"""When joint meetings are due (street: quarterly; each community: monthly) at month and
quarter boundaries, the communities behind, and `main.py stats meetings`; the day is
always named (no test depends on the real date)."""

from __future__ import annotations

from datetime import date

import pytest

from app.meeting_cadence import behind_communities, cadence_of, cadences, period_of
from tests.meetings_helpers import close_task, community, decide, meeting


def test_periods_at_their_boundaries():
    assert period_of(date(2026, 3, 31), 3) == period_of(date(2026, 1, 1), 3)
    assert period_of(date(2026, 4, 1), 3).start == date(2026, 4, 1)
    assert period_of(date(2026, 4, 1), 3).end == date(2026, 6, 30)
    assert period_of(date(2026, 2, 28), 1).end == date(2026, 2, 28)
    assert period_of(date(2024, 2, 10), 1).end == date(2024, 2, 29)
    assert period_of(date(2026, 12, 31), 6).start == date(2026, 7, 1)
    assert period_of(date(2026, 12, 31), 1).end == date(2026, 12, 31)


@pytest.mark.parametrize(("today", "held_now", "due", "behind"), [
    (date(2026, 6, 30), False, date(2026, 6, 30), False),  # May was met; June still open
    (date(2026, 7, 1), False, date(2026, 7, 31), True),  # June was missed
    (date(2026, 5, 31), True, date(2026, 6, 30), False),
    (date(2026, 5, 1), False, date(2026, 5, 31), False),  # the May meeting is not yet
])
def test_a_community_at_month_boundaries(today, held_now, due, behind):
    c = cadence_of("白塔社区", 1, "社区", [date(2026, 4, 30), date(2026, 5, 15)], today)
    assert (c.held_now, c.next_due, c.behind) == (held_now, due, behind)


@pytest.mark.parametrize(("today", "held_now", "due", "behind"), [
    (date(2026, 3, 31), True, date(2026, 6, 30), True),  # Q4 of 2025 had none
    (date(2026, 4, 1), False, date(2026, 6, 30), False),  # Q1 was met
    (date(2026, 6, 30), False, date(2026, 6, 30), False),
    (date(2026, 7, 1), False, date(2026, 9, 30), True),  # Q2 was missed
    (date(2027, 1, 1), False, date(2027, 3, 31), True),  # Q4 of last year missed
])
def test_the_street_at_quarter_boundaries(today, held_now, due, behind):
    c = cadence_of("南城街道", None, "街道", [date(2026, 3, 31)], today)
    assert (c.held_now, c.next_due, c.behind) == (held_now, due, behind)


def test_missed_periods_of_the_year():
    days = [date(2026, 1, 10), date(2026, 3, 10), date(2026, 4, 30)]
    assert cadence_of("白塔社区", 1, "社区", days, date(2026, 6, 15)).missed == 2  # Feb, May
    assert cadence_of("白塔社区", 1, "社区", days, date(2026, 1, 31)).missed == 0


def test_behind_communities_from_the_ledger(db):
    a, b, c = (community(db, n) for n in ("白塔社区", "钟鼓楼社区", "澄溪口社区"))
    meeting(db, date(2026, 10, 30), level="社区", community_id=a)
    meeting(db, date(2026, 11, 1), level="社区", community_id=b)
    meeting(db, date(2026, 10, 12), level="社区", community_id=c, held_status=False)  # 筹备
    meeting(db, date(2026, 10, 9))
    assert [x.area for x in behind_communities(db, date(2026, 11, 30))] == ["钟鼓楼社区",
                                                                         "澄溪口社区"]
    assert [x.area for x in behind_communities(db, date(2026, 12, 1))] == ["白塔社区",
                                                                        "澄溪口社区"]
    street = cadences(db, date(2026, 12, 31))[0]
    assert (street.level, street.held_now, street.next_due) == ("街道", True,
                                                                date(2027, 3, 31))


def test_stats_lines(db, monkeypatch, capsys):
    import app.sqldates
    import main

    monkeypatch.setattr(app.sqldates, "today", lambda: date(2026, 12, 1))
    a = community(db, "白塔社区")
    community(db, "钟鼓楼社区")  # no meeting in November: behind
    meeting(db, date(2026, 11, 20), level="社区", community_id=a)
    m = meeting(db, date(2026, 9, 20))
    meeting(db, date(2025, 12, 20))
    meeting(db, date(2026, 12, 20), held_status=False)
    ids = decide(db, m, date(2026, 11, 1), date(2026, 12, 31), date(2027, 1, 31))
    close_task(db, ids[1], date(2026, 11, 25))
    assert main.main(["stats", "meetings", "--db", db.url, "--year", "2026"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["会议: 4", "本年召开: 2", "议定事项: 3", "已办结: 1", "逾期事项: 1",
                   "未按期召开社区: 1"]
