"""Demo data of the joint meetings: the street's quarterly joint meeting for the last four
quarters plus the next one in preparation, each community's monthly meeting for twelve
months (a few missed), decisions in every state of the rectification ledger, and the
residents' deliberations of the grids linked to problems. Called by app.demo.load_demo
inside its unit of work; dates count back from today."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select, update

from app.core.writes import insert_rows
from app.meeting_cadence import period_of, previous_period
from app.models import (
    Area,
    DeliberationProblem,
    Estate,
    MeetingDecision,
    RectificationProblem,
)
from app.normalize import name_key
from app.services import clean_values
from app.specs.deliberations import DELIBERATIONS, FORMS
from app.specs.meetings import MEETINGS

LEADERS = [("王建华", "街道党工委书记"), ("陈立新", "街道党工委副书记、办事处主任"),
           ("刘文静", "街道党工委副书记"), ("周海波", "街道党工委委员、副主任"),
           ("杨晓梅", "街道党工委委员、组织委员")]
GUESTS = [("赵振宇", "区委社会工作部"), ("孙国平", "区住房和城乡建设局"),
          ("马丽", "南城派出所"), ("胡志刚", "区综合行政执法局")]
# (topic, reporting body index into app.demo.BODY_ROWS, materials)
TOPICS = [
    ("通报上季度议定事项落实情况", 0, ["上季度议定事项落实情况通报"]),
    ("研究城乡结合部整改工作推进措施", 4, ["整改工作推进情况汇报", "整改问题清单（截至季末）"]),
    ("审议红色物业创建工作方案", 4, ["红色物业创建工作方案（审议稿）"]),
    ("部署安全生产和消防隐患排查整治", 8, ["安全隐患排查整治工作方案", "重点场所隐患清单"]),
    ("研究网格化服务管理提质增效工作", 4, ["网格员履职情况通报"]),
    ("协调老旧小区改造中的矛盾纠纷", 5, ["老旧小区改造矛盾纠纷排查表"]),
    ("审议年度工作要点和任务清单", 0, ["年度工作要点（征求意见稿）", "任务清单"]),
]
# (kind, text, aspect): the joint meeting takes up a problem of the rectification demo
# of that aspect (so its lead unit is the aspect's) and makes it a decision.
DECISIONS = [
    ("部署", "全面完成背街小巷环境卫生整治，建立“门前三包”长效机制", "治理环境"),
    ("决定", "在成形物业小区全面建立党组织，推进红色物业全覆盖", "组织建设"),
    ("协调", "协调解决群众诉求办结超时问题，限期完成回访", "治理效能"),
    ("部署", "开展出租房屋消防安全专项检查，整治电动车楼道充电", "安全稳定"),
    ("决定", "补齐社区养老助餐和便民服务短板", "服务保障"),
    ("通报", "通报网格员信息采集不及时问题，按月考核", "治理效能"),
    ("协调", "协调解决农贸市场周边占道经营反复回潮问题", "治理环境"),
]
COMMUNITY_DECISIONS = ["落实楼栋长走访，收集居民诉求并建立台账", "组织小区环境卫生集中清理",
                       "排查独居老人和困难群众，落实结对帮扶", "推进居民议事会议定事项落地"]
# The wanted state of each decision of the latest held street meeting (the next pack
# reports on them); older meetings' decisions are mostly closed.
LATEST = ["已销号", "待验收", "整改中", "整改中", "未启动", "长期坚持", "整改中"]


def _street_days(today: date) -> list[date]:
    """The last four quarters' meeting days (the 20th of each quarter's middle month)."""
    out, p = [], period_of(today, 3)
    while len(out) < 4:
        day = date(p.start.year, p.start.month + 1, 20)
        if day <= today - timedelta(days=7):
            out.append(day)
        p = previous_period(p, 3)
    return sorted(out)


def _people(rng: random.Random, bodies: list[str]) -> list[dict]:
    rows = [{"role": "出席", "name": n, "unit": u} for n, u in LEADERS]
    rows += [{"role": "出席", "name": f"{b}负责人", "unit": b} for b in bodies]
    rows += [{"role": "列席", "name": n, "unit": u} for n, u in rng.sample(GUESTS, 2)]
    absent = rng.choice(LEADERS[2:])
    for r in rows:
        if r["name"] == absent[0]:
            r["role"] = "请假"
    return rows


def load_meetings_demo(uow, db, communities: dict[str, int], body_names: list[str],
                       rng: random.Random, note: str) -> dict[str, int]:
    """Insert the demo meetings (after the rectification demo, in the same unit of work)
    and make some of its problems their decisions; returns the counts."""
    s = uow.session
    today = date.today()
    days = _street_days(today)
    upcoming = max(period_of(days[-1], 3).end + timedelta(days=20), today + timedelta(days=10))
    meetings, plans = [], []  # plans: (meeting index, day, [(kind, text, aspect, community, state)])
    for k, day in enumerate(days + [upcoming]):
        topics = [TOPICS[0]] + rng.sample(TOPICS[1:], 2)
        planned = day > today
        meetings.append({
            "name": "南城街道城市基层党建和治理联席会议", "level": "街道", "kind": "定期",
            "held_on": day, "place": "街道办事处三楼会议室", "convener": "南城街道党工委",
            "chair": "王建华", "recorder": "黄春梅", "people": _people(rng, body_names),
            "agenda": [{"seq": i + 1, "topic": t, "unit": body_names[b],
                        "materials": "；".join(m)} for i, (t, b, m) in enumerate(topics)],
            "summary": "会议强调，各牵头单位要对照议定事项逐项建立台账，按期反馈进展，确保件件有落实、事事有回音。",
            "minutes_no": "" if planned else f"南城联席纪〔{day.year}〕{k + 1}号",
            "minutes_on": None if planned else day + timedelta(days=3),
            "_state": "筹备" if planned else ("纪要已印发" if k == len(days) - 1 else "归档"),
        })
        if planned:
            continue
        age = len(days) - 1 - k  # 0: the latest held meeting
        wanted = LATEST if age == 0 else ["已销号"] * 5 + ["整改中"] * (2 - min(age, 2))
        plans.append((k, day, [(kind, text, aspect, None, wanted[j % len(wanted)])
                               for j, (kind, text, aspect) in enumerate(
                                   DECISIONS if age == 0 else DECISIONS[:5 + k % 3])]))
    street_meetings = len(meetings)
    names = list(communities)
    missing = {(names[9], 4), (names[4], 7)}  # (community, months back): missed meetings
    last_month = previous_period(period_of(today, 1), 1)
    behind = {names[2], names[6]}  # …and these two missed last month's: 未按期召开
    for c, cname in enumerate(names):
        slots, p = [], period_of(today, 1)
        while len(slots) < 12:  # the last twelve monthly meeting days up to today
            day = p.start + timedelta(days=5 + c % 15)
            if day <= today:
                slots.append((len(slots), day))
            p = previous_period(p, 1)
        for back, day in reversed(slots):
            if (cname, back) in missing or (cname in behind and last_month.start <= day):
                continue
            meetings.append({
                "name": f"{cname}党委联席会议", "level": "社区", "community_id": cname,
                "kind": "定期", "held_on": day, "place": f"{cname}党群服务中心",
                "convener": f"{cname}党委", "chair": f"{cname}书记", "recorder": "社区干事",
                "people": [{"role": "出席", "name": f"{cname}书记", "unit": "社区党委书记"},
                           {"role": "出席", "name": f"{cname}主任", "unit": "社区居委会主任"},
                           {"role": "出席", "name": "李国强", "unit": "辖区单位代表"},
                           {"role": "列席", "name": "何静", "unit": "物业企业代表"}],
                "agenda": [{"seq": 1, "topic": "研究本月社区治理重点工作", "unit": "社区党委",
                            "materials": "本月工作安排"}],
                "minutes_no": f"{cname[:3]}纪〔{day.year}〕{day.month}号",
                "minutes_on": day + timedelta(days=2), "_state": "归档" if back else "已召开",
            })
            if back % 3 == 0:
                text = COMMUNITY_DECISIONS[(c + back) % len(COMMUNITY_DECISIONS)]
                plans.append((len(meetings) - 1, day, [
                    ("部署", text, None, communities[cname],
                     "已销号" if back >= 3 else ("整改中" if c % 2 else "待验收"))]))
    refs = {"community_id": {name_key(n): i for n, i in communities.items()}}
    states = [m.pop("_state") for m in meetings]
    ids = insert_rows(uow, MEETINGS, [clean_values(db, MEETINGS, m, s, refs)
                                      for m in meetings], note=note)
    for state in set(states):
        group = [i for i, st in zip(ids, states, strict=True) if st == state]
        s.execute(update(MEETINGS.model).where(MEETINGS.model.id.in_(group))
                  .values(status=state))
    decided = _decide(uow, [(ids[k], day, items) for k, day, items in plans], meetings, ids)
    talks = _deliberations(uow, db, rng, today, note)
    return {"meetings": len(ids), "street_meetings": street_meetings, "decisions": decided,
            "deliberations": talks}


def _decide(uow, plans, meetings, meeting_ids) -> int:
    """Make problems of the rectification demo the meetings' decisions: for each one a
    problem of its aspect (or community) open on the meeting's day, in the wanted state
    where there is one; its title and source become the decision's. Updated in place,
    so the rectification demo keeps the seed's 792 problems and its rates."""
    s = uow.session
    p = RectificationProblem
    pool = s.execute(select(p.id, p.aspect, p.community_id, p.status, p.deadline, p.closed_on,
                            p.found_on).where(p.deleted_at.is_(None)).order_by(p.id)).all()
    docs = {i: m["minutes_no"] for i, m in zip(meeting_ids, meetings, strict=True)}
    used: set[int] = set()
    links, changes = [], []
    for mid, day, items in plans:
        for seq, (kind, text, aspect, community, state) in enumerate(items, 1):
            open_then = [r for r in pool if r.id not in used and r.deadline >= day
                         and (r.closed_on is None or r.closed_on >= day)]
            fits = [r for r in open_then if (aspect is None or r.aspect == aspect)
                    and (community is None or r.community_id == community)]
            # The wanted state matters more than the aspect: the pack must show every state.
            best = ([r for r in fits if r.status == state]
                    or [r for r in open_then if r.status == state and
                        (community is None or r.community_id == community)]
                    or [r for r in open_then if r.status == state] or fits)
            if not best:
                continue
            r = best[0]
            used.add(r.id)
            links.append({"meeting_id": mid, "problem_id": r.id, "seq": seq, "kind": kind,
                          "feedback_weeks": 2 if kind in ("部署", "协调") else 4})
            changes.append({"pid": r.id, "title": text, "description": f"{text}。",
                            "source_doc": docs[mid] or "", "found_on": min(r.found_on, day)})
    s.execute(MeetingDecision.__table__.insert(), links)
    for ch in changes:
        s.execute(update(p).where(p.id == ch["pid"]).values(
            title=ch["title"], description=ch["description"], source="联席会议议定",
            source_doc=ch["source_doc"], found_on=ch["found_on"]))
    return len(links)


def _deliberations(uow, db, rng, today, note) -> int:
    """Two or three deliberations in each of the first grids, linked to the problems of
    their community: open ones raised, closed ones solved."""
    s = uow.session
    grids = s.execute(select(Area.id, Area.parent_id).where(
        Area.level == "grid", Area.deleted_at.is_(None)).order_by(Area.id)).all()
    estates = {}
    for eid, gid in s.execute(select(Estate.id, Estate.area_id).where(Estate.deleted_at.is_(None))):
        estates.setdefault(gid, []).append(eid)
    problems = {}
    p = RectificationProblem
    for pid, cid, status in s.execute(select(p.id, p.community_id, p.status).where(
            p.deleted_at.is_(None), p.source == "网格上报")):
        problems.setdefault(cid, []).append((pid, status))
    topics = ["小区停车位规划", "楼道堆物清理", "加装电梯意见征集", "垃圾分类投放点设置",
              "物业服务费调整", "院落绿化改造", "夜间噪声扰民", "老年食堂运营"]
    rows, links = [], []
    for gid, cid in grids[:24]:
        for _k in range(2 + int(rng.random() < 0.5)):
            pool = problems.get(cid, [])
            chosen = rng.sample(pool, min(len(pool), rng.randint(0, 2)))
            rows.append({"area_id": gid, "estate_id": rng.choice(estates.get(gid, [None])),
                         "held_on": today - timedelta(days=rng.randint(5, 330)),
                         "form": rng.choice(FORMS[:4]), "topic": rng.choice(topics),
                         "participants": rng.randint(8, 60),
                         "outcome": "经居民协商形成一致意见，交由网格和物业落实。",
                         "result": rng.choice(["达成共识"] * 4 + ["部分达成", "提交上级"])})
            links.append([(pid, "解决" if st == "已销号" else "提出") for pid, st in chosen])
    clean = [clean_values(db, DELIBERATIONS, r, s) for r in rows]
    ids = insert_rows(uow, DELIBERATIONS, clean, note=note)
    flat = [{"deliberation_id": i, "problem_id": pid, "relation": rel}
            for i, ls in zip(ids, links, strict=True) for pid, rel in ls]
    if flat:
        s.execute(DeliberationProblem.__table__.insert(), flat)
    return len(ids)
