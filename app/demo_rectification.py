"""Demo data of the rectification ledger, after the seed article: in the 11 urban-fringe
communities 792 problems in five aspects, 746 of them fixed (94.2%), the rest in
progress with some overdue, 2.8 million yuan of special funds. Called by
app.demo.load_demo inside its unit of work; dates count back from today so the
warnings show."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import update

from app.core.writes import insert_rows
from app.models import RectificationProblem, RectificationUnit
from app.services import clean_values
from app.specs.rectification import ASPECTS, PROBLEMS

TOTAL, FIXED = 792, 746
FUNDS = Decimal("2800000.00")
CLOSED, WAITING = 700, FIXED - 700  # 已销号, 待验收
LONG_TERM, NOT_STARTED = 10, 8
OVERDUE, DUE_SOON = 14, 6  # among the problems in progress
# How long ago the overdue ones fell due (days): some this quarter, some one and two
# quarters back, so the lagging unit shows on the issued lists too.
_OVERDUE_BY = [(1, 25)] * 5 + [(70, 110)] * 5 + [(160, 200)] * 4

# aspect → (problem texts, lead body index into app.demo.BODY_ROWS, co-operating ones)
_PROBLEMS = {
    "组织建设": (["小区党组织未覆盖", "网格党小组活动不规范", "党员“双报到”落实不到位",
                 "社区党群服务中心开放时间不足", "楼栋长队伍缺额", "业委会未建立党的工作小组"],
                1, [0, 4]),
    "服务保障": (["老年人助餐点未运行", "便民服务站代办事项不全", "社区卫生服务站设备老化",
                 "残疾人无障碍设施缺失", "托育服务场地不足", "困难群众救助台账不全"],
                3, [7, 0]),
    "治理环境": (["背街小巷垃圾堆放", "占道经营反复回潮", "老旧小区屋顶违建",
                 "建筑工地扬尘未覆盖", "河道沿线污水直排", "临街门店油烟扰民", "绿化带毁绿种菜"],
                6, [8, 4]),
    "治理效能": (["网格员信息采集不及时", "群众诉求办结超时", "小区物业服务投诉集中",
                 "议事协商未形成闭环", "社区工作事项准入未落实", "12345工单回访满意度低"],
                4, [0, 5]),
    "安全稳定": (["出租房屋消防通道堵塞", "电动车楼道充电", "燃气管道老化",
                 "地质灾害隐患点监测缺位", "矛盾纠纷排查不到位", "老旧电梯超期未检"],
                5, [8, 6]),
}
_SOURCES = ["网格上报"] * 5 + ["上级督查"] * 3 + ["12345热线"] * 3 + ["自查"] * 3 + [
    "巡视巡察", "信访", "联席会议议定", "领导批示", "审计", "媒体曝光", "环保督察"]
_PEOPLE = ["张建国", "李秀英", "王志强", "刘芳", "陈晓东", "杨丽", "赵明", "黄春梅", "周斌",
           "吴敏", "徐海涛", "孙丽华"]


def _funds(rng: random.Random, n: int) -> list[Decimal]:
    """n amounts adding up to exactly FUNDS (whole hundreds of yuan)."""
    weights = [rng.uniform(0.3, 3) for _ in range(n)]
    cents = [int(FUNDS / 100 * Decimal(w / sum(weights))) * 100 for w in weights]
    cents[-1] += int(FUNDS) - sum(cents)
    return [Decimal(c) for c in cents]


def problem_rows(rng: random.Random, communities: list[str], today: date) -> list[dict]:
    """TOTAL rows in states by position: closed, waiting, long-term, not started, in
    progress (the first OVERDUE of those past the deadline, the next DUE_SOON due within
    ten days)."""
    plan = (["已销号"] * CLOSED + ["待验收"] * WAITING + ["长期坚持"] * LONG_TERM
            + ["未启动"] * NOT_STARTED)
    plan += ["整改中"] * (TOTAL - len(plan))
    funded = set(rng.sample(range(TOTAL), 160))
    amounts = iter(_funds(rng, len(funded)))
    rows, in_progress = [], 0
    for n, status in enumerate(plan):
        aspect = ASPECTS[n % len(ASPECTS)]
        lagging = status == "整改中" and in_progress < OVERDUE
        if status not in ("已销号", "待验收") and (lagging or rng.random() < 0.6):
            aspect = "安全稳定"  # one unit lags behind: the 黑榜 has someone on it
        texts, lead, others = _PROBLEMS[aspect]
        community = communities[n % len(communities)]
        found = today - timedelta(days=rng.randint(40, 330))
        deadline = found + timedelta(days=rng.choice([15, 30, 45, 60, 90]))
        row = {
            "title": f"{community}{rng.choice(texts)}", "source": rng.choice(_SOURCES),
            "aspect": aspect, "community_id": community, "severity": rng.choice(
                ["一般"] * 6 + ["较重"] * 3 + ["严重"]),
            "person": rng.choice(_PEOPLE), "rect_type": "限时整改",
            "measures": "制定整改方案，明确责任人和完成时限，逐项整改销号。",
            "status": status, "lead": lead, "others": rng.sample(others, rng.randint(0, 2)),
        }
        if n in funded:
            amount = next(amounts)
            row.update(funds_planned=amount, fund_source="专项资金",
                       funds_spent=amount if status in ("已销号", "待验收") else amount / 2)
        if status == "整改中":
            in_progress += 1
            if in_progress <= OVERDUE:
                deadline = today - timedelta(days=rng.randint(*_OVERDUE_BY[in_progress - 1]))
            elif in_progress <= OVERDUE + DUE_SOON:
                deadline = today + timedelta(days=rng.randint(0, 10))
            else:
                deadline = today + timedelta(days=rng.randint(20, 60))
            found = min(found, deadline - timedelta(days=30))
            if in_progress <= 2:
                row["escalation"] = "约谈"  # long overdue
            elif in_progress <= 6:
                row["escalation"] = "专函督办"
        if status == "未启动":  # just handed over
            found = today - timedelta(days=rng.randint(0, 5))
            deadline = today + timedelta(days=rng.randint(20, 60))
        if status == "长期坚持":
            row["rect_type"] = "长期整改"
            deadline = date(today.year + 1, 12, 31)
            half = date(today.year + 1, 6, 30)
            row["milestones"] = [
                {"name": "完成排查和方案", "due": found + timedelta(days=30),
                 "done_on": found + timedelta(days=25)},
                {"name": "完成主体改造", "due": half, "done_on": None},
                {"name": "建立长效管理机制", "due": deadline, "done_on": None}]
        row.update(found_on=found, deadline=deadline)
        late = rng.random() < 0.08  # a few closed after their deadline
        done = min(today, found + timedelta(days=rng.randint(
            10, (deadline - found).days + (20 if late else 0))))
        row["steps"] = [{"content": "制定整改方案，明确责任人", "due": found + timedelta(days=5),
                         "done_on": found + timedelta(days=rng.randint(1, 5))},
                        {"content": "集中整治并自查", "due": deadline,
                         "done_on": done if status in ("已销号", "待验收") else None}]
        if status in ("已销号", "待验收"):
            row.update(result_note="已按整改方案完成整改，现场复核无反弹。",
                       accept_requested_on=done,
                       progress=_progress(rng, found, done, 100, row["person"]))
        if status == "已销号":
            row.update(accept_unit="街道党政综合办公室", accepted_by=rng.choice(_PEOPLE),
                       accepted_on=done, accept_method=rng.choice(["资料审核", "现场核查",
                                                                  "群众走访"]),
                       accept_grade=rng.choice(["好", "好", "较好"]),
                       accept_opinion="整改到位，同意销号。", closed_on=done,
                       closed_by=rng.choice(["王主任", "刘书记"]),
                       close_basis="验收合格，佐证资料齐全。")
        elif status in ("整改中", "长期坚持"):
            # The ones due within ten days are nearly done and reported lately: 蓝, not 黄.
            soon = status == "整改中" and OVERDUE < in_progress <= OVERDUE + DUE_SOON
            stale = not soon and rng.random() < 0.15
            last = today - timedelta(days=rng.randint(15, 30) if stale else rng.randint(0, 10))
            row["progress"] = _progress(rng, found, max(last, found),
                                        rng.randint(92, 98) if soon else rng.randint(40, 90),
                                        row["person"])
        rows.append(row)
    return rows


def _progress(rng, start: date, end: date, percent: int, who: str) -> list[dict]:
    steps = rng.randint(1, 3)
    out = []
    for k in range(1, steps + 1):
        day = start + (end - start) * k / steps
        out.append({"day": day, "work": ["制定整改方案", "开展集中整治", "完成整改并自查"][
            min(k - 1 + 3 - steps, 2)], "percent": percent * k // steps, "by_whom": who})
    return out


def load_rectification_demo(uow, db, communities: dict[str, int], body_ids: list[int],
                            rng: random.Random, note: str) -> int:
    """Insert the demo problems with their units (communities: name → id, inserted in
    the same unit of work); returns how many."""
    from app.normalize import name_key

    s = uow.session
    rows = problem_rows(rng, list(communities), date.today())
    refs = {"community_id": {name_key(name): i for name, i in communities.items()}}
    clean = [clean_values(db, PROBLEMS, {k: v for k, v in r.items()
                                         if k not in ("status", "lead", "others", "closed_by")},
                         s, refs)
             for r in rows]
    ids = insert_rows(uow, PROBLEMS, clean, note=note)
    units = []
    for i, r in zip(ids, rows, strict=True):
        units.append({"problem_id": i, "body_id": body_ids[r["lead"]], "lead": True})
        units += [{"problem_id": i, "body_id": body_ids[o], "lead": False} for o in r["others"]]
    s.execute(RectificationUnit.__table__.insert(), units)
    by_status: dict[str, list[int]] = {}
    for i, r in zip(ids, rows, strict=True):
        by_status.setdefault(r["status"], []).append(i)
    m = RectificationProblem
    for status, group in by_status.items():  # the demo's history: states as reached
        s.execute(update(m).where(m.id.in_(group)).values(status=status))
    closers: dict[str, list[int]] = {}
    for i, r in zip(ids, rows, strict=True):
        if r.get("closed_by"):
            closers.setdefault(r["closed_by"], []).append(i)
    for who, group in closers.items():  # stamped by 销号 in real use
        s.execute(update(m).where(m.id.in_(group)).values(closed_by=who))
    # Some were sent back once (退回 or 验收不通过) before they got where they are.
    again = [i for i, r in zip(ids, rows, strict=True) if r["status"] != "未启动"][::23]
    s.execute(update(m).where(m.id.in_(again)).values(rounds=1))
    _warning_history(s, ids, rows, date.today())
    return len(ids)


def _warning_history(s, ids: list[int], rows: list[dict], today: date) -> None:
    """The months' recorded warnings behind the demo's escalations: 专函督办 after two
    黄 months of this quarter, 约谈 after a 红 one."""
    from app.models import RectificationWarning

    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    months = [f"{first.year}-{first.month + k:02d}" for k in range(3)
              if first.month + k <= today.month][-2:]
    if len(months) < 2:  # the quarter's first month: its own record and the one to come
        months = [months[0], months[0]]
    out = []
    for i, r in zip(ids, rows, strict=True):
        if r.get("escalation") == "专函督办":
            out += [{"problem_id": i, "month": mo, "level": "滞后"} for mo in dict.fromkeys(months)]
        elif r.get("escalation") == "约谈":
            out.append({"problem_id": i, "month": months[-1], "level": "逾期"})
    if out:
        s.execute(RectificationWarning.__table__.insert(), out)


def issue_demo_lists(db, today: date | None = None) -> None:
    """Issue the 红黑榜 of the two quarters before this one (the earlier with one unit
    exempted), as the office would have done at each quarter's dispatch meeting."""
    from app.rectification import parse_period
    from app.rectification_lists import issue_red_black, issued_list

    today = today or date.today()
    older = parse_period(None, today).previous()
    for p, exempt in ((older.previous(), {"党建工作办公室": "承担全区党建迎检任务"}),
                      (older, None)):
        if issued_list(db, p) is None:
            issue_red_black(db, p.key, exempt=exempt, today=today)
